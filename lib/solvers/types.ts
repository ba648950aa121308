/**
 * The seam between solvers and the minimizer layer.
 *
 * Solvers know nothing about `Parameters`: they see functions of a `Float64Array` and return a
 * vector plus diagnostics. Jacobians are column-major `m×n` (`jac[i + j*m] = ∂r_i/∂x_j`).
 *
 * @module
 */

/** Residual function: writes the `m` residuals at `x` into `out`. */
export type VectorFunction = (x: Float64Array, out: Float64Array) => void;

/** Jacobian function: writes the column-major `m×n` Jacobian at `x` into `jac`. */
export type JacobianFunction = (x: Float64Array, jac: Float64Array) => void;

/** Scalar objective: returns f(x). */
export type ScalarFunction = (x: Float64Array) => number;

/** Gradient of a scalar objective: writes ∇f(x) into `out`. */
export type GradientFunction = (x: Float64Array, out: Float64Array) => void;

/**
 * Called once per solver iteration with the current best point; returning `true` aborts the
 * solve (the solver then returns its best point so far with `aborted: true`).
 */
export type IterationCallback = (x: Float64Array, iter: number, fval: number) => boolean | void;

/** What every solver returns. */
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
