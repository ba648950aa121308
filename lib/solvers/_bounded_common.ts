/**
 * Shared pieces of the bounded local solvers (L-BFGS-B, TNC, SLSQP, COBYLA, trust-constr):
 * bound validation and projection, a counted objective whose NaN values read as +∞, and
 * finite-difference gradients that never step outside the box (one-sided differences next to a
 * bound, as scipy's `approx_derivative` with `bounds`).
 *
 * @module
 */

import type { GradientFunction, ScalarFunction } from "./types.ts";
import {
  CENTRAL_STEP,
  type CountedObjective,
  countedObjective,
  FORWARD_STEP,
} from "./_finite_diff.ts";

/** Validated bounds of length n (±Infinity where absent). */
export interface Box {
  /** Lower bounds. */
  lower: Float64Array;
  /** Upper bounds. */
  upper: Float64Array;
  /** True when at least one bound is finite. */
  bounded: boolean;
}

/**
 * Checks `lower`/`upper` against the dimension `n` and each other; missing bounds are ±∞.
 * Throws a RangeError naming the offending index.
 *
 * @example
 * ```ts
 * import { resolveBox } from "./_bounded_common.ts";
 * resolveBox(2, Float64Array.of(0, -Infinity), undefined).bounded; // true
 * ```
 */
export function resolveBox(
  n: number,
  lower: Float64Array | undefined,
  upper: Float64Array | undefined,
): Box {
  if (lower && lower.length !== n) {
    throw new RangeError(
      `lower has length ${lower.length} but x0 has ${n}: give one bound per variable`,
    );
  }
  if (upper && upper.length !== n) {
    throw new RangeError(
      `upper has length ${upper.length} but x0 has ${n}: give one bound per variable`,
    );
  }
  const lo = lower ? Float64Array.from(lower) : new Float64Array(n).fill(-Infinity);
  const hi = upper ? Float64Array.from(upper) : new Float64Array(n).fill(Infinity);
  let bounded = false;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(lo[i]) || Number.isNaN(hi[i])) {
      throw new RangeError(`bound ${i} is NaN: use ±Infinity for a missing bound`);
    }
    if (lo[i] > hi[i]) {
      throw new RangeError(
        `lower[${i}] = ${lo[i]} exceeds upper[${i}] = ${hi[i]}: swap or widen the bounds`,
      );
    }
    if (lo[i] > -Infinity || hi[i] < Infinity) bounded = true;
  }
  return { lower: lo, upper: hi, bounded };
}

/**
 * Projects `x` onto the box in place.
 *
 * @example
 * ```ts
 * import { project } from "./_bounded_common.ts";
 * const x = Float64Array.of(-1, 5);
 * project(x, Float64Array.of(0, 0), Float64Array.of(1, 1)); // x = [0, 1]
 * ```
 */
export function project(x: Float64Array, lower: Float64Array, upper: Float64Array): void {
  for (let i = 0; i < x.length; i++) {
    if (x[i] < lower[i]) x[i] = lower[i];
    else if (x[i] > upper[i]) x[i] = upper[i];
  }
}

/**
 * ∞-norm of the projected gradient: the components of `g` that can still decrease f inside the
 * box (scipy's `projgr`).
 *
 * @example
 * ```ts
 * import { projectedGradientNorm } from "./_bounded_common.ts";
 * projectedGradientNorm(Float64Array.of(0, 0.5), Float64Array.of(1, -1), Float64Array.of(0, 0), Float64Array.of(1, 1)); // 0.5
 * ```
 */
export function projectedGradientNorm(
  x: Float64Array,
  g: Float64Array,
  lower: Float64Array,
  upper: Float64Array,
): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    let gi = g[i];
    if (gi < 0) {
      if (upper[i] < Infinity) gi = Math.max(x[i] - upper[i], gi);
    } else if (lower[i] > -Infinity) gi = Math.min(x[i] - lower[i], gi);
    m = Math.max(m, Math.abs(gi));
  }
  return m;
}

/**
 * Finite-difference gradient that stays inside [lower, upper]: central differences where both
 * sides fit (`central`), otherwise a one-sided quotient towards the side with room; forward
 * differences step backwards when the forward point would leave the box. A non-finite side falls
 * back to the other side.
 *
 * @example
 * ```ts
 * import { boundedGradient } from "./_bounded_common.ts";
 * const g = new Float64Array(1);
 * const f = (x: Float64Array) => x[0] * x[0];
 * boundedGradient(f, Float64Array.of(1), 1, g, new Float64Array(1), Float64Array.of(0), Float64Array.of(1), false);
 * // g ≈ [2], from a backward difference (x = 1 is the upper bound)
 * ```
 */
export function boundedGradient(
  fun: ScalarFunction,
  x: Float64Array,
  f0: number,
  out: Float64Array,
  work: Float64Array,
  lower: Float64Array,
  upper: Float64Array,
  central: boolean,
): void {
  work.set(x);
  const rel = central ? CENTRAL_STEP : FORWARD_STEP;
  for (let j = 0; j < x.length; j++) {
    const xj = x[j];
    let h = rel * Math.max(1, Math.abs(xj));
    const roomUp = upper[j] - xj, roomDown = xj - lower[j];
    if (central && roomUp >= h && roomDown >= h) {
      work[j] = xj + h;
      const fp = fun(work);
      const hp = work[j] - xj;
      work[j] = xj - h;
      const fm = fun(work);
      const hm = xj - work[j];
      work[j] = xj;
      const okP = Number.isFinite(fp), okM = Number.isFinite(fm);
      out[j] = okP && okM
        ? (fp - fm) / (hp + hm)
        : okP
        ? (fp - f0) / hp
        : okM
        ? (f0 - fm) / hm
        : NaN;
      continue;
    }
    // One-sided: forward when it fits (or has more room), else backward; shrink the step if
    // neither side has room for a full one.
    let dir = roomUp >= h ? 1 : roomDown >= h ? -1 : roomUp >= roomDown ? 1 : -1;
    if (dir > 0 && roomUp < h) h = roomUp;
    if (dir < 0 && roomDown < h) h = roomDown;
    if (!(h > 0)) {
      out[j] = 0; // lower == upper: a fixed variable
      continue;
    }
    for (let attempt = 0; attempt < 2; attempt++) {
      work[j] = xj + dir * h;
      const f1 = fun(work);
      const step = work[j] - xj;
      work[j] = xj;
      if (Number.isFinite(f1)) {
        out[j] = (f1 - f0) / step;
        break;
      }
      out[j] = NaN;
      dir = -dir;
      const room = dir > 0 ? roomUp : roomDown;
      if (!(room > 0)) break;
      h = Math.min(h, room);
    }
  }
}

/**
 * The objective as the bounded solvers see it: `f` counts evaluations and maps NaN to +∞; `grad`
 * calls the user's gradient (counted in `njev`) or takes box-respecting finite differences
 * (counted in `nfev`).
 */
export type BoundedObjective = CountedObjective;

/**
 * Wraps `fun` (and an optional analytic gradient) for dimension `n` and the given box.
 *
 * @example
 * ```ts
 * import { boundedObjective } from "./_bounded_common.ts";
 * const inf = new Float64Array(1).fill(Infinity);
 * const obj = boundedObjective((x) => x[0] ** 2, 1, undefined, "forward", inf.map(() => -Infinity), inf);
 * const g = new Float64Array(1);
 * obj.grad(Float64Array.of(3), g, obj.f(Float64Array.of(3))); // g ≈ [6]; obj.nfev === 2
 * ```
 */
export function boundedObjective(
  fun: ScalarFunction,
  n: number,
  grad: GradientFunction | undefined,
  fdMethod: "forward" | "central",
  lower: Float64Array,
  upper: Float64Array,
): BoundedObjective {
  const obj = countedObjective(fun, n, grad, fdMethod);
  if (!grad) {
    const work = new Float64Array(n);
    obj.grad = (x, out, fx) =>
      boundedGradient(obj.f, x, fx, out, work, lower, upper, fdMethod === "central");
  }
  return obj;
}

/**
 * Solves the dense n×n system A·x = b in place by Gaussian elimination with partial pivoting
 * (A row-major, overwritten; b overwritten by x). Returns false when A is singular.
 *
 * @example
 * ```ts
 * import { gaussSolve } from "./_bounded_common.ts";
 * const b = Float64Array.of(3, 5);
 * gaussSolve(Float64Array.of(2, 0, 0, 5), b, 2); // true; b = [1.5, 1]
 * ```
 */
export function gaussSolve(a: Float64Array, b: Float64Array, n: number): boolean {
  for (let k = 0; k < n; k++) {
    let p = k, best = Math.abs(a[k * n + k]);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(a[i * n + k]);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    if (!(best > 0)) return false;
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const t = a[k * n + j];
        a[k * n + j] = a[p * n + j];
        a[p * n + j] = t;
      }
      const t = b[k];
      b[k] = b[p];
      b[p] = t;
    }
    const piv = a[k * n + k];
    for (let i = k + 1; i < n; i++) {
      const l = a[i * n + k] / piv;
      if (l === 0) continue;
      for (let j = k; j < n; j++) a[i * n + j] -= l * a[k * n + j];
      b[i] -= l * b[k];
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let j = i + 1; j < n; j++) s -= a[i * n + j] * b[j];
    b[i] = s / a[i * n + i];
  }
  return true;
}
