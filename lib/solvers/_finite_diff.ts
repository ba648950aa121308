/**
 * Finite-difference gradients for scalar objectives, with scipy's relative steps
 * (`scipy.optimize._numdiff.approx_derivative`): `√eps·max(1, |x_j|)` for forward differences and
 * `∛eps·max(1, |x_j|)` for central ones. The step actually taken is `(x_j + h) − x_j`, so the
 * representation error of the perturbed point does not enter the quotient.
 *
 * A non-finite value on one side falls back to the one-sided quotient on the other side (and a
 * forward difference whose forward point is not finite uses the backward point), so a gradient
 * next to a NaN region stays finite where it can.
 *
 * @module
 */

import type { ScalarFunction } from "./types.ts";

/** √eps, the relative forward-difference step. */
export const FORWARD_STEP: number = 1.4901161193847656e-8;
/** ∛eps, the relative central-difference step. */
export const CENTRAL_STEP: number = 6.055454452393343e-6;

/**
 * Forward-difference gradient of `fun` at `x` (n evaluations, one more on a non-finite side),
 * given `f0 = fun(x)`. `x` is not modified when `work` (length n) is given; without it `x` is
 * perturbed in place and restored bit for bit.
 *
 * @example
 * ```ts
 * import { forwardGradient } from "./_finite_diff.ts";
 * const f = (x: Float64Array) => x[0] ** 2 + 3 * x[1];
 * const x = Float64Array.of(1, 2), g = new Float64Array(2);
 * forwardGradient(f, x, f(x), g, new Float64Array(2)); // g ≈ [2, 3]
 * ```
 */
export function forwardGradient(
  fun: ScalarFunction,
  x: Float64Array,
  f0: number,
  out: Float64Array,
  work?: Float64Array,
): void {
  const p = work ?? x;
  if (work) p.set(x);
  for (let j = 0; j < x.length; j++) {
    const xj = x[j];
    const h = stepFor(xj, FORWARD_STEP);
    p[j] = xj + h;
    const fp = fun(p);
    let hp = p[j] - xj;
    if (Number.isFinite(fp)) {
      p[j] = xj;
      out[j] = (fp - f0) / hp;
      continue;
    }
    p[j] = xj - h;
    const fm = fun(p);
    hp = xj - p[j];
    p[j] = xj;
    out[j] = Number.isFinite(fm) ? (f0 - fm) / hp : NaN;
  }
}

/**
 * Central-difference gradient of `fun` at `x` (2n evaluations). `x` is not modified when `work`
 * (length n) is given; without it `x` is perturbed in place and restored bit for bit. Where one
 * side is not finite, the one-sided quotient from the other side is used (needs `f0`; it is
 * evaluated once on demand when not given).
 *
 * @example
 * ```ts
 * import { centralGradient } from "./_finite_diff.ts";
 * const g = new Float64Array(2);
 * centralGradient((x) => x[0] ** 2 + 3 * x[1], Float64Array.of(1, 2), g); // g ≈ [2, 3]
 * ```
 */
export function centralGradient(
  fun: ScalarFunction,
  x: Float64Array,
  out: Float64Array,
  work?: Float64Array,
  f0?: number,
): void {
  const p = work ?? x;
  if (work) p.set(x);
  for (let j = 0; j < x.length; j++) {
    const xj = x[j];
    const h = stepFor(xj, CENTRAL_STEP);
    p[j] = xj + h;
    const fp = fun(p);
    const hp = p[j] - xj;
    p[j] = xj - h;
    const fm = fun(p);
    const hm = xj - p[j];
    p[j] = xj;
    const okP = Number.isFinite(fp), okM = Number.isFinite(fm);
    if (okP && okM) {
      out[j] = (fp - fm) / (hp + hm);
    } else if (okP || okM) {
      if (f0 === undefined) f0 = fun(p);
      out[j] = okP ? (fp - f0) / hp : (f0 - fm) / hm;
    } else {
      out[j] = NaN;
    }
  }
}

function stepFor(xj: number, rel: number): number {
  return rel * Math.max(1, Math.abs(xj));
}

/**
 * How gradients are approximated when no analytic gradient is given.
 *
 * @example
 * ```ts
 * import type { FiniteDiffMethod } from "./_finite_diff.ts";
 * import { newtonCG } from "./newton_cg.ts";
 * const fdMethod: FiniteDiffMethod = "forward";
 * newtonCG((x) => (x[0] - 1) ** 2 + (x[1] - 2) ** 2, Float64Array.of(0, 0), { fdMethod }).x; // ≈ [1, 2]
 * ```
 *
 * @category Solvers
 */
export type FiniteDiffMethod = "forward" | "central";

/**
 * An objective wrapped for the gradient-based solvers: `f` counts evaluations and maps NaN to
 * +∞ (a NaN step is rejected, never accepted); `grad(x, out, fx)` calls the user's gradient
 * (counted in `njev`) or takes finite differences of `f` (counted in `nfev`).
 */
export interface CountedObjective {
  /** The counted objective, NaN mapped to +∞. */
  f: ScalarFunction;
  /** Gradient at `x` given `fx = f(x)`. */
  grad: (x: Float64Array, out: Float64Array, fx: number) => void;
  /** Objective evaluations so far (finite differences included). */
  nfev: number;
  /** User-gradient evaluations so far. */
  njev: number;
}

/**
 * Wraps `fun` (and optionally an analytic gradient) into a `CountedObjective` for dimension `n`.
 *
 * @example
 * ```ts
 * import { countedObjective } from "./_finite_diff.ts";
 * const obj = countedObjective((x) => x[0] ** 2, 1, undefined, "central");
 * const g = new Float64Array(1);
 * obj.grad(Float64Array.of(3), g, obj.f(Float64Array.of(3))); // g ≈ [6]; obj.nfev === 3
 * ```
 */
export function countedObjective(
  fun: ScalarFunction,
  n: number,
  grad: ((x: Float64Array, out: Float64Array) => void) | undefined,
  method: FiniteDiffMethod,
): CountedObjective {
  const work = new Float64Array(n);
  const obj: CountedObjective = {
    nfev: 0,
    njev: 0,
    f: (x) => {
      obj.nfev++;
      const v = fun(x);
      return Number.isNaN(v) ? Infinity : v;
    },
    grad: grad
      ? (x, out) => {
        obj.njev++;
        grad(x, out);
      }
      : method === "forward"
      ? (x, out, fx) => forwardGradient(obj.f, x, fx, out, work)
      : (x, out, fx) => centralGradient(obj.f, x, out, work, fx),
  };
  return obj;
}
