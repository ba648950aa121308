/**
 * Numerical Hessian of a scalar function with step control and an error estimate, in the spirit
 * of numdifftools' `Hessian` (which modern lmfit uses for uncertainties after scalar methods):
 * central second differences at a geometric sequence of steps, two levels of Richardson
 * extrapolation (error O(h⁶)), and per entry the estimate with the smallest estimated error.
 *
 * Diagonal entries use f(x ± h·eᵢ) at `numSteps` steps hᵢ = s·baseStep·ratio⁻ᵏ (s the variable's
 * scale: |xᵢ|, or 1 where xᵢ = 0, or `scale[i]`), so variables of size 1e-6 or 1e6 are handled
 * alike. Off-diagonal entries use the four-point formula
 * [f(+hᵢ,+hⱼ) − f(+hᵢ,−hⱼ) − f(−hᵢ,+hⱼ) + f(−hᵢ,−hⱼ)]/(4hᵢhⱼ) at five step pairs centred on
 * the two variables' chosen diagonal steps. The error estimate of an extrapolated value is its
 * distance to its neighbours in the sequence plus the rounding error of the differences.
 *
 * @module
 */

import type { ScalarFunction } from "../solvers/types.ts";
import { checkOptions, optionKeys } from "../util/options.ts";

/**
 * Options of `numericalHessian`.
 *
 * @example
 * ```ts
 * import { type HessianOptions, numericalHessian } from "./hessian.ts";
 * const options: HessianOptions = { baseStep: 0.05, numSteps: 8, scale: Float64Array.of(1, 10) };
 * const { hessian, nfev } = numericalHessian((x) => x[0] ** 2 + x[0] * x[1] + 3 * x[1] ** 2, Float64Array.of(1, 20), options);
 * hessian; // ≈ [2, 1, 1, 6]
 * ```
 *
 * @category Linear algebra
 */
export interface HessianOptions {
  /** Largest relative step (times each variable's scale). @default 0.1 */
  baseStep?: number;
  /** Ratio between consecutive steps. @default 2 */
  stepRatio?: number;
  /** Number of steps for the diagonal entries (≥ 4). @default 14 */
  numSteps?: number;
  /** Typical magnitude of each variable; default |xᵢ|, or 1 where xᵢ = 0. @default undefined */
  scale?: Float64Array;
}

const EPS = 2.220446049250313e-16;

/**
 * The Hessian of `fun` at `x`: `hessian` (n×n row-major, symmetric), `error` (estimated absolute
 * error of each entry, n×n row-major) and `nfev` (objective evaluations used).
 *
 * @example
 * ```ts
 * import { numericalHessian } from "./hessian.ts";
 * const { hessian } = numericalHessian((x) => x[0] ** 2 * x[1] + 3 * x[1] ** 2, Float64Array.of(1, 2));
 * // hessian ≈ [4, 2, 2, 6]
 * ```
 *
 * @category Linear algebra
 */
export function numericalHessian(
  fun: ScalarFunction,
  x: Float64Array,
  options: HessianOptions = {},
): { hessian: Float64Array; error: Float64Array; nfev: number } {
  checkOptions(options, NUMERICAL_HESSIAN_OPTION_KEYS, "numericalHessian");
  const n = x.length;
  const base = options.baseStep ?? 0.1;
  const ratio = options.stepRatio ?? 2;
  const K = options.numSteps ?? 14;
  if (!(base > 0) || !(ratio > 1) || !(K >= 4) || !Number.isInteger(K)) {
    throw new RangeError(
      `numericalHessian: need baseStep > 0, stepRatio > 1 and an integer numSteps ≥ 4; got ${base}, ${ratio}, ${K}`,
    );
  }
  if (options.scale && options.scale.length !== n) {
    throw new RangeError(`numericalHessian: scale has length ${options.scale.length}, x has ${n}`);
  }
  const scale = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = options.scale ? Math.abs(options.scale[i]) : Math.abs(x[i]);
    scale[i] = s > 0 && Number.isFinite(s) ? s : 1;
  }
  let nfev = 0;
  const p = Float64Array.from(x);
  const H = new Float64Array(n * n), E = new Float64Array(n * n);
  const f0 = fun(p);
  nfev++;
  // Workspaces: second differences, extrapolants, rounding magnitudes, errors per step.
  const D = new Float64Array(K), A = new Float64Array(K), B = new Float64Array(K);
  const R = new Float64Array(K);
  const chosen = new Float64Array(n); // chosen step factor t for each variable (h = t·scale)
  // Evaluates f with x_i += di, x_j += dj (the actual perturbations are returned in dd).
  const dd = new Float64Array(2);
  const at = (i: number, di: number, j: number, dj: number): number => {
    p[i] = x[i] + di;
    dd[0] = p[i] - x[i];
    if (j >= 0) {
      p[j] = x[j] + dj;
      dd[1] = p[j] - x[j];
    }
    const v = fun(p);
    nfev++;
    p[i] = x[i];
    if (j >= 0) p[j] = x[j];
    return v;
  };
  const r2 = ratio * ratio, r4 = r2 * r2;
  // Richardson on D[0..m) (step ratio `ratio` apart, decreasing): picks the best estimate and
  // returns its index; the value is in B[best] (or A/D when m is small), the error in errOut.
  const errOut = new Float64Array(1);
  const extrapolate = (m: number): number => {
    for (let k = 0; k + 1 < m; k++) A[k] = (r2 * D[k + 1] - D[k]) / (r2 - 1);
    for (let k = 0; k + 2 < m; k++) B[k] = (r4 * A[k + 1] - A[k]) / (r4 - 1);
    let best = -1, bestErr = Infinity;
    for (let k = 0; k + 2 < m; k++) {
      if (!Number.isFinite(B[k])) continue;
      // Distance to neighbouring extrapolants, plus rounding (amplified by the extrapolation).
      let e = 0;
      if (k > 0) e = Math.max(e, Math.abs(B[k] - B[k - 1]));
      if (k + 3 < m) e = Math.max(e, Math.abs(B[k] - B[k + 1]));
      if (m === 3) e = Math.abs(B[k] - A[k + 1]);
      const round = 10 * EPS * Math.max(R[k], R[k + 1], R[k + 2]);
      e = (Number.isFinite(e) ? e : Infinity) + round;
      if (e < bestErr) {
        bestErr = e;
        best = k;
      }
    }
    errOut[0] = bestErr;
    return best;
  };
  for (let i = 0; i < n; i++) {
    let t = base;
    for (let k = 0; k < K; k++, t /= ratio) {
      const h = t * scale[i];
      const fp = at(i, h, -1, 0);
      const hp = dd[0];
      const fm = at(i, -h, -1, 0);
      const hm = -dd[0];
      // Second difference on a possibly uneven stencil (hp, hm are the representable steps).
      D[k] = 2 * (hm * fp - (hp + hm) * f0 + hp * fm) / (hp * hm * (hp + hm));
      R[k] = (Math.abs(fp) + 2 * Math.abs(f0) + Math.abs(fm)) / (hp * hm);
    }
    const best = extrapolate(K);
    if (best < 0) {
      H[i * n + i] = NaN;
      E[i * n + i] = Infinity;
      chosen[i] = base / ratio ** (K / 2);
    } else {
      H[i * n + i] = B[best];
      E[i * n + i] = errOut[0];
      chosen[i] = base / ratio ** (best + 1);
    }
  }
  const M = 5;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      // Five step pairs, ratio apart, centred on the diagonal choices (capped at baseStep).
      let ti = Math.min(base, chosen[i] * r2), tj = Math.min(base, chosen[j] * r2);
      for (let k = 0; k < M; k++, ti /= ratio, tj /= ratio) {
        const hi = ti * scale[i], hj = tj * scale[j];
        const fpp = at(i, hi, j, hj);
        const ai = dd[0], aj = dd[1];
        const fpm = at(i, hi, j, -hj);
        const fmp = at(i, -hi, j, hj);
        const fmm = at(i, -hi, j, -hj);
        D[k] = (fpp - fpm - fmp + fmm) / (4 * ai * aj);
        R[k] = (Math.abs(fpp) + Math.abs(fpm) + Math.abs(fmp) + Math.abs(fmm)) / (4 * ai * aj);
      }
      const best = extrapolate(M);
      const v = best < 0 ? NaN : B[best];
      const e = best < 0 ? Infinity : errOut[0];
      H[i * n + j] = v;
      H[j * n + i] = v;
      E[i * n + j] = e;
      E[j * n + i] = e;
    }
  }
  return { hessian: H, error: E, nfev };
}

const NUMERICAL_HESSIAN_OPTION_KEYS = optionKeys<HessianOptions>({
  baseStep: true,
  stepRatio: true,
  numSteps: true,
  scale: true,
});
