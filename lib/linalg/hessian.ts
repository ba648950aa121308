/**
 * Numerical Hessian of a scalar function by central differences with one Richardson
 * extrapolation step (error O(h⁴)), in the spirit of numdifftools' `Hessian`, which modern lmfit
 * uses for uncertainties after scalar methods.
 *
 * @module
 */

import type { ScalarFunction } from "../solvers/types.ts";

/** Options of `numericalHessian`. */
export interface HessianOptions {
  /** Base relative step: h_i = step·max(|x_i|, 1e-2 · step⁻¹·1e-8) … @default 1e-3 */
  step?: number;
}

/**
 * The Hessian (n×n row-major) of `fun` at `x`, and the number of evaluations used.
 *
 * @example
 * ```ts
 * import { numericalHessian } from "./hessian.ts";
 * const { hessian } = numericalHessian((x) => x[0] ** 2 * x[1] + 3 * x[1] ** 2, Float64Array.of(1, 2));
 * // ≈ [4, 2, 2, 6]
 * ```
 */
export function numericalHessian(
  fun: ScalarFunction,
  x: Float64Array,
  options: HessianOptions = {},
): { hessian: Float64Array; nfev: number } {
  const n = x.length;
  const base = options.step ?? 1e-3;
  const h = Float64Array.from(x, (v) => base * Math.max(Math.abs(v), 1e-2));
  let nfev = 0;
  const p = Float64Array.from(x);
  const f = (di: number, si: number, dj: number, sj: number, scale: number) => {
    p.set(x);
    if (di >= 0) p[di] += si * h[di] * scale;
    if (dj >= 0) p[dj] += sj * h[dj] * scale;
    nfev++;
    return fun(p);
  };
  const f0 = f(-1, 0, -1, 0, 1);
  const H = new Float64Array(n * n);
  const second = (i: number, j: number, s: number): number => {
    if (i === j) {
      return (f(i, 1, -1, 0, s) - 2 * f0 + f(i, -1, -1, 0, s)) / ((h[i] * s) ** 2);
    }
    return (f(i, 1, j, 1, s) - f(i, 1, j, -1, s) - f(i, -1, j, 1, s) + f(i, -1, j, -1, s)) /
      (4 * h[i] * h[j] * s * s);
  };
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const d1 = second(i, j, 1), d2 = second(i, j, 0.5);
      const v = (4 * d2 - d1) / 3; // Richardson: the h² error term cancels
      H[i * n + j] = v;
      H[j * n + i] = v;
    }
  }
  return { hessian: H, nfev };
}
