/**
 * Finite-difference gradients for scalar objectives.
 *
 * @module
 */

import type { ScalarFunction } from "./types.ts";

/**
 * Central-difference gradient with steps `cbrt(eps)·max(1, |x_j|)` (2n evaluations).
 *
 * @example
 * ```ts
 * import { centralGradient } from "./_finite_diff.ts";
 * const g = new Float64Array(2);
 * centralGradient((x) => x[0] ** 2 + 3 * x[1], Float64Array.of(1, 2), g); // ≈ [2, 3]
 * ```
 */
export function centralGradient(fun: ScalarFunction, x: Float64Array, out: Float64Array): void {
  const h0 = 6.055454452393343e-6; // cbrt(eps)
  for (let j = 0; j < x.length; j++) {
    const xj = x[j];
    const h = h0 * Math.max(1, Math.abs(xj));
    x[j] = xj + h;
    const fp = fun(x);
    x[j] = xj - h;
    const fm = fun(x);
    x[j] = xj;
    out[j] = (fp - fm) / (2 * h);
  }
}
