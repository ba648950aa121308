/**
 * The seam between solvers and the minimizer layer.
 *
 * Solvers know nothing about `Parameters`: they see functions of a `Float64Array` and return a
 * vector plus diagnostics. Jacobians are column-major `m×n` (`jac[i + j*m] = ∂r_i/∂x_j`).
 *
 * @module
 */

/**
 * Residual function: writes the `m` residuals at `x` into `out`.
 *
 * @example
 * ```ts
 * import type { VectorFunction } from "./types.ts";
 * import { levenbergMarquardt } from "./levenberg_marquardt.ts";
 * const t = Float64Array.of(0, 1, 2, 3);
 * const residual: VectorFunction = (x, out) => {
 *   for (let i = 0; i < t.length; i++) out[i] = x[0] + x[1] * t[i] - (1 + 2 * t[i]);
 * };
 * levenbergMarquardt(residual, Float64Array.of(0, 0), t.length).x; // ≈ [1, 2]
 * ```
 *
 * @category Solvers
 */
export type VectorFunction = (x: Float64Array, out: Float64Array) => void;

/**
 * Jacobian function: writes the column-major `m×n` Jacobian at `x` into `jac`.
 *
 * @example
 * ```ts
 * import type { JacobianFunction } from "./types.ts";
 * import { levenbergMarquardt } from "./levenberg_marquardt.ts";
 * const t = Float64Array.of(0, 1, 2, 3);
 * // r_i = x0 + x1·t_i − y_i: column 0 is all ones, column 1 is t (column-major, jac[i + j·m]).
 * const jac: JacobianFunction = (_x, out) => {
 *   for (let i = 0; i < 4; i++) [out[i], out[i + 4]] = [1, t[i]];
 * };
 * const r = levenbergMarquardt((x, out) => {
 *   for (let i = 0; i < 4; i++) out[i] = x[0] + x[1] * t[i] - (1 + 2 * t[i]);
 * }, Float64Array.of(0, 0), 4, { jac });
 * r.njev > 0; // true: the analytic Jacobian replaced the differences
 * ```
 *
 * @category Solvers
 */
export type JacobianFunction = (x: Float64Array, jac: Float64Array) => void;

/**
 * Scalar objective: returns f(x).
 *
 * @example
 * ```ts
 * import type { ScalarFunction } from "./types.ts";
 * import { nelderMead } from "./nelder_mead.ts";
 * const sphere: ScalarFunction = (x) => x.reduce((s, v) => s + (v - 1) ** 2, 0);
 * nelderMead(sphere, Float64Array.of(0, 0)).x; // ≈ [1, 1]
 * ```
 *
 * @category Solvers
 */
export type ScalarFunction = (x: Float64Array) => number;

/**
 * Gradient of a scalar objective: writes ∇f(x) into `out`.
 *
 * @example
 * ```ts
 * import type { GradientFunction } from "./types.ts";
 * import { bfgs } from "./bfgs.ts";
 * const f = (x: Float64Array) => (x[0] - 1) ** 2 + 4 * (x[1] + 2) ** 2;
 * const grad: GradientFunction = (x, out) => {
 *   out[0] = 2 * (x[0] - 1);
 *   out[1] = 8 * (x[1] + 2);
 * };
 * bfgs(f, Float64Array.of(0, 0), { grad }).x; // ≈ [1, -2]
 * ```
 *
 * @category Solvers
 */
export type GradientFunction = (x: Float64Array, out: Float64Array) => void;

/**
 * Called once per solver iteration with the current best point; returning `true` aborts the
 * solve (the solver then returns its best point so far with `aborted: true`).
 *
 * @example
 * ```ts
 * import type { IterationCallback } from "./types.ts";
 * import { nelderMead } from "./nelder_mead.ts";
 * const stopEarly: IterationCallback = (_x, iter) => iter >= 5;
 * const r = nelderMead((x) => (x[0] - 3) ** 2, Float64Array.of(0), { callback: stopEarly });
 * r.aborted; // true
 * ```
 *
 * @category Solvers
 */
export type IterationCallback = (x: Float64Array, iter: number, fval: number) => boolean | void;

/**
 * What every solver returns.
 *
 * @example
 * ```ts
 * import type { SolverResult } from "./types.ts";
 * import { powell } from "./powell.ts";
 * const r: SolverResult = powell((x) => (x[0] - 2) ** 2 + 1, Float64Array.of(0));
 * r.success; // true
 * r.fun; // ≈ 1
 * console.log(r.message, r.nfev, r.nit);
 * ```
 *
 * @category Solvers
 */
export interface SolverResult {
  /** The solution (best point found). */
  x: Float64Array;
  /** Objective at `x`: sum of squares for least-squares solvers, f(x) for scalar ones. */
  fun: number;
  /** Whether the solver's own convergence test passed. */
  success: boolean;
  /** Solver-specific status code (documented in each solver file). */
  status: number;
  /** Human-readable reason the solver stopped. */
  message: string;
  /** Number of objective evaluations (residual vectors or scalar values). */
  nfev: number;
  /** Number of Jacobian/gradient evaluations by a user-supplied function (0 if none). */
  njev: number;
  /** Number of iterations. */
  nit: number;
  /** True when an `IterationCallback` returned true. */
  aborted: boolean;
}

/**
 * Options of `bfgs` and `conjugateGradient`.
 *
 * @example
 * ```ts
 * import { bfgs, type GradientSolverOptions } from "./bfgs.ts";
 * const options: GradientSolverOptions = {
 *   grad: (x, out) => { out[0] = 2 * (x[0] - 1); out[1] = 2 * (x[1] + 1); },
 *   gtol: 1e-10,
 * };
 * bfgs((x) => (x[0] - 1) ** 2 + (x[1] + 1) ** 2, Float64Array.of(0, 0), options).x; // ≈ [1, -1]
 * ```
 *
 * @category Solvers
 */
export interface GradientSolverOptions {
  /** Gradient of the objective; finite differences (see `fdMethod`) when absent. @default undefined */
  grad?: GradientFunction;
  /** Finite-difference scheme when `grad` is absent. @default "central" */
  fdMethod?: "forward" | "central";
  /** Stop when ‖∇f‖∞ ≤ gtol·max(1, |f|). @default 1e-9 */
  gtol?: number;
  /** Maximum iterations. @default 200·n for BFGS, 1000·n for CG */
  maxiter?: number;
  /** Maximum objective evaluations (finite differences included). @default 20000·(n+1) */
  maxfev?: number;
  /** Called each iteration with the current point; `true` aborts. @default undefined */
  callback?: IterationCallback;
}
