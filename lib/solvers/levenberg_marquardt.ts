/**
 * Levenberg-Marquardt least squares, the MINPACK `lmdif`/`lmder` algorithm (Moré 1978,
 * "The Levenberg-Marquardt algorithm: implementation and theory"; Moré, Garbow, Hillstrom
 * 1980): a scaled trust region whose step solves the damped problem by the `lmpar` Newton
 * iteration on the secular equation, using a QR factorization with column pivoting of the
 * Jacobian (`qrfac`, `qrsolv`). The Jacobian comes from forward differences with steps
 * `sqrt(max(epsfcn, eps))·|x_j|`, or from a user function.
 *
 * With `ftol = xtol = 1.5e-8` and `polish: false` it follows MINPACK step for step: the same
 * `info` and evaluation count as scipy's `leastsq` in 43 of the 54 NIST cases (the others differ
 * by rounding order on ill-conditioned problems, or by the deliberate changes below);
 * tests/solvers/levenberg_marquardt_test.ts checks this against a scipy fixture.
 *
 * Deliberate differences from MINPACK, each with a status below and a test:
 * - a trial point whose residual is not finite is a rejected step (the trust region shrinks by
 *   10×) instead of poisoning the fit (Python lmfit aborts NIST MGH17 start 1 there);
 * - a difference column that is not finite is retried from the other side of x_j; still not
 *   finite ends with status 10, naming the parameter;
 * - a converged point where a Jacobian column is zero is probed by ±10% in that parameter: a
 *   lower sum of squares restarts the fit from there, no change at all is a plateau (status 9,
 *   success false) rather than a minimum (NIST BoxBOD start 1, where MINPACK and lmfit report
 *   success 2 digits from nothing like the answer);
 * - the Jacobian at the solution is returned (`fjac`, column-major m×n) so the caller can form
 *   the covariance at the final point: the last one formed when the fit ended within a relative
 *   1e-6 of its point in every variable (which saves n or 2n evaluations: NIST suite 16,590 →
 *   16,110 evaluations, same digits), else a fresh one; `maxfev` includes it.
 * - with an analytic Jacobian, and with forward-difference Jacobians before the polish phase
 *   (below), each step's R and Qᵀf come from the normal equations (JᵀJ with a diagonally
 *   pivoted Cholesky factorization, which picks MINPACK's pivots) while the column-scaled JᵀJ
 *   is well-conditioned, and from the pivoted QR otherwise (option `factorization`; the counts
 *   are in `factorizations`). The polish phase, and every step with `polish: false` (MINPACK's
 *   own path), keep the QR; the covariance is still formed by QR from the returned Jacobian.
 *
 * Defaults: `ftol = xtol = 1e-13` (lmfit: 1.5e-8) plus a polish phase: after convergence the
 * trust region restarts from the solution with central-difference Jacobians (step
 * `cbrt(max(epsfcn, eps))·|x_j|`) until the tests pass again. The forward-difference phase ends
 * as soon as both reductions are at most ftol (MINPACK also wants their ratio at most 2, which
 * at that level is rounding noise and cost the manual's decaying sine 5 evaluations: 118 → 113). Measured at solver level on the 54
 * NIST StRD cases (tests/solvers/nist_lm_test.ts, bench/lm_bench.ts), cases with every value to
 * ≥ 6 digits / every stderr to ≥ 4 digits / total evaluations / suite wall time (2-core VM):
 *
 * | ftol = xtol | polish | values ≥ 6 | stderr ≥ 4 | nfev | time |
 * |---|---|---|---|---|---|
 * | 1.5e-8 (lmfit, = MINPACK) | no | 30 | 47 | 11,456 | 35 ms |
 * | 1.5e-8 | yes | 42 | 48 | 12,244 | |
 * | 1e-10 | yes | 47 | 51 | 15,505 | |
 * | 1e-13 | no | 49 | 50 | 15,530 | |
 * | 1e-13 (default), QR in every step | yes | 53 | 51 | 16,105 | |
 * | 1e-13 (default) | yes | 52 | 51 | 16,129 | |
 *
 * With the defaults no case reports success at a wrong minimum; the remaining misses are BoxBOD
 * start 1 (status 9, reported as a failure), Lanczos1's stderr (SSR 1.4e-25: the residuals
 * themselves carry only ~3 digits in double precision) and, at this level only, ENSO start 1's
 * values at 5.7 digits (its last digits follow rounding: through the minimizer, whose NIST
 * residuals evaluate the formulas in another order, it reaches 6.9 and the suite 53/54).
 *
 * | info | success | meaning |
 * |------|---------|---------|
 * | 0 | no | the residual at the starting point is not finite |
 * | 1 | yes | both actual and predicted relative reductions of the sum of squares are at most ftol |
 * | 2 | yes | relative error between two consecutive iterates is at most xtol |
 * | 3 | yes | conditions 1 and 2 both hold |
 * | 4 | yes | the cosine between the residual and every Jacobian column is at most gtol |
 * | 5 | no | the number of function evaluations reached maxfev |
 * | 6 | no | ftol is too small: no further reduction of the sum of squares is possible |
 * | 7 | no | xtol is too small: no further improvement of the solution is possible |
 * | 8 | no | gtol is too small: the residual is orthogonal to the Jacobian to machine precision |
 * | 9 | no | (lmfit-ts) converged on a plateau: a parameter has no effect on the residual |
 * | 10 | no | (lmfit-ts) the Jacobian is not finite on either side of the current point |
 * | -1 | no | aborted by the callback |
 *
 * Invalid input (empty or non-finite `x0`, `m < n`, negative tolerances, non-positive `factor`,
 * `maxfev` or `diag`) throws a `RangeError` naming the value.
 *
 * @module
 */

import type { IterationCallback, JacobianFunction, SolverResult, VectorFunction } from "./types.ts";
import { enorm, qrfac, qrsolv } from "../linalg/qr.ts";
import { normalEquationsR } from "../linalg/cholesky.ts";
import { checkOptions, optionKeys } from "../util/options.ts";

/**
 * Options of `levenbergMarquardt`.
 *
 * @example
 * ```ts
 * import { levenbergMarquardt, type LevenbergMarquardtOptions } from "./levenberg_marquardt.ts";
 * const t = Float64Array.from({ length: 10 }, (_, i) => i);
 * const y = t.map((v) => 2 * Math.exp(-0.3 * v));
 * const options: LevenbergMarquardtOptions = { ftol: 1e-10, xtol: 1e-10, maxfev: 500 };
 * const r = levenbergMarquardt((p, out) => {
 *   for (let i = 0; i < t.length; i++) out[i] = p[0] * Math.exp(-p[1] * t[i]) - y[i];
 * }, Float64Array.of(1, 0.1), t.length, options);
 * r.x; // ≈ [2, 0.3]
 * ```
 *
 * @category Solvers
 */
export interface LevenbergMarquardtOptions {
  /** Relative reduction of the sum of squares tolerance. @default 1e-13 */
  ftol?: number;
  /** Relative step-size tolerance. @default 1e-13 */
  xtol?: number;
  /** Orthogonality tolerance between residual and Jacobian columns. @default 0 */
  gtol?: number;
  /**
   * Maximum residual evaluations, difference Jacobians included (including the one at the
   * solution; a one-sided retry of a non-finite column may exceed it by a few). @default 2000·(n+1)
   */
  maxfev?: number;
  /** Relative error of the residuals, for the difference step `sqrt(max(epsfcn, eps))·|x|`. @default machine epsilon */
  epsfcn?: number;
  /** Initial trust-region bound factor. @default 100 */
  factor?: number;
  /** Fixed column scaling (MINPACK mode 2); default: from the Jacobian column norms (mode 1). */
  diag?: Float64Array;
  /**
   * Analytic Jacobian: writes `jac[i + j·m] = ∂r_i/∂x_j` (column-major m×n, the solver seam's
   * layout) into a buffer of length m·n. Replaces the forward differences (`njev` counts calls).
   */
  jac?: JacobianFunction;
  /**
   * lmfit's `col_deriv`: `jac` writes one row per parameter, row-major n×m, `jac[j·m + i]`.
   * In a flat buffer that is the same memory layout as column-major m×n, so both settings are
   * read identically (no transpose); the flag exists so lmfit-style call sites can say which
   * orientation they mean. (lmfit's other orientation, one row per residual, is a transpose the
   * minimizer layer's `Dfun` adapter performs.) @default false
   */
  colDeriv?: boolean;
  /** Called once per outer iteration with x, iteration and sum of squares; `true` aborts. */
  callback?: IterationCallback;
  /**
   * After converging with forward differences, continue with central-difference Jacobians
   * until the tests pass again (more digits on large-residual and ill-conditioned problems,
   * for a few more evaluations). Ignored with `jac`. @default true
   */
  polish?: boolean;
  /**
   * How each step's triangular factor is formed. `"auto"`: with an analytic `jac`, from the
   * normal equations (JᵀJ and a pivoted Cholesky factorization: m·n²/2 multiply-adds instead of
   * the QR's Householder updates, 12 µs instead of 64–79 µs for 2500×4) while the column-scaled
   * JᵀJ is well-conditioned (estimated condition number ≤ 1e6), else the pivoted QR; with
   * difference Jacobians the same in the forward-difference phase when `polish` is on (the QR
   * of a 2500×4 Jacobian costs more than a residual evaluation there), and the QR in the polish
   * phase that sets the final digits and throughout with `polish: false` (so MINPACK's steps are
   * followed exactly). On the NIST suite: 53/54 values to 6 digits and 51/54 standard errors to
   * 4 either way. `"qr"`: always the QR, as MINPACK. The Jacobian returned for the covariance
   * is never factored here. @default "auto"
   */
  factorization?: "auto" | "qr";
  /**
   * `fcn` returns the sum of squares of what it wrote, accumulated in index order
   * (`s += out[i] * out[i]`, as the minimizer layer's adapter does while copying the residuals):
   * the solver then takes the residual norm from it instead of a pass of its own (the same
   * number). A call that returns anything else than a number gets the solver's pass.
   * @default false
   */
  sumOfSquares?: boolean;
}

/**
 * Result of `levenbergMarquardt`.
 *
 * @example
 * ```ts
 * import { levenbergMarquardt, type LevenbergMarquardtResult } from "./levenberg_marquardt.ts";
 * const r: LevenbergMarquardtResult = levenbergMarquardt((p, out) => {
 *   out[0] = p[0] - 1;
 *   out[1] = 2 * (p[0] - 1.5);
 * }, Float64Array.of(0), 2);
 * r.x[0]; // ≈ 1.4 (the weighted compromise)
 * r.info; // MINPACK code, 1–4 on convergence
 * r.fvec.length; // 2 residuals; r.fjac holds the 2×1 Jacobian
 * ```
 *
 * @category Solvers
 */
export interface LevenbergMarquardtResult extends SolverResult {
  /** MINPACK info code 0–8, 9/10 (lmfit-ts additions) or -1 (see the module table); = status. */
  info: number;
  /** Residuals at `x`. */
  fvec: Float64Array;
  /**
   * Jacobian at `x` (column-major m×n), recomputed at the solution by the same difference scheme
   * (central after polish) or `jac`, for the covariance. NaN when it could not be formed.
   */
  fjac: Float64Array;
  /** Column (parameter index) that statuses 9 and 10 are about; -1 otherwise. */
  column: number;
  /** How many steps' factors came from the normal equations (Cholesky) and from the QR. */
  factorizations: { normal: number; qr: number };
}

/** Messages by status code; 9 and 10 name the parameter when raised (see `messageFor`). */
const MESSAGES: Record<number, string> = {
  0: "The residual at the starting point is not finite.",
  1: "Both actual and predicted relative reductions in the sum of squares are at most ftol.",
  2: "The relative error between two consecutive iterates is at most xtol.",
  3: "Both actual and predicted relative reductions in the sum of squares are at most ftol, and the relative error between two consecutive iterates is at most xtol.",
  4: "The cosine of the angle between the residual and any column of the Jacobian is at most gtol in absolute value.",
  5: "Number of function evaluations has reached maxfev.",
  6: "ftol is too small: no further reduction in the sum of squares is possible.",
  7: "xtol is too small: no further improvement in the approximate solution x is possible.",
  8: "gtol is too small: the residual is orthogonal to the columns of the Jacobian to machine precision.",
  9: "Stopped on a plateau, not at a minimum: a parameter has no effect on the residual here.",
  10:
    "The Jacobian is not finite at the current point: the residual is not defined on either side of it.",
  [-1]: "Aborted by the iteration callback.",
};

function messageFor(info: number, column: number, x: Float64Array): string {
  if (info === 9) {
    return `Stopped on a plateau, not at a minimum: x[${column}] = ${
      x[column]
    } has no effect on the residual (its Jacobian column is zero and changing it by 10% leaves the sum of squares unchanged). Try other starting values or bounds, or fix that parameter.`;
  }
  if (info === 10) {
    return `The Jacobian is not finite at the current point: the residual is not finite on either side of x[${column}] = ${
      x[column]
    } within the difference step. Check the model for values where it is undefined, or use bounds.`;
  }
  return MESSAGES[info];
}

/** Options after defaults and validation. */
interface Resolved {
  readonly ftol: number;
  readonly xtol: number;
  readonly gtol: number;
  readonly maxfev: number;
  readonly factor: number;
  readonly eps: number;
  readonly epsCentral: number;
  readonly diag: Float64Array | null;
  readonly jac: JacobianFunction | null;
  readonly callback: IterationCallback | null;
  readonly polish: boolean;
  readonly normal: boolean;
  readonly sumOfSquares: boolean;
}

function resolve(o: LevenbergMarquardtOptions, x0: Float64Array, m: number): Resolved {
  const n = x0.length;
  if (n === 0) throw new RangeError("levenbergMarquardt needs at least one variable; x0 is empty");
  for (let j = 0; j < n; j++) {
    if (!Number.isFinite(x0[j])) {
      throw new RangeError(
        `levenbergMarquardt: x0[${j}] = ${x0[j]} is not finite; give a finite start`,
      );
    }
  }
  if (!Number.isInteger(m) || m < n) {
    throw new RangeError(
      `levenbergMarquardt needs at least as many residuals as variables: m = ${m}, n = ${n}`,
    );
  }
  const nonNeg = (name: string, v: number | undefined, dflt: number): number => {
    const r = v ?? dflt;
    if (!(r >= 0) || !Number.isFinite(r)) {
      throw new RangeError(`levenbergMarquardt: ${name} = ${v} must be a finite number >= 0`);
    }
    return r;
  };
  const ftol = nonNeg("ftol", o.ftol, 1e-13);
  const xtol = nonNeg("xtol", o.xtol, 1e-13);
  const gtol = nonNeg("gtol", o.gtol, 0);
  const maxfev = o.maxfev ?? 2000 * (n + 1);
  if (!(maxfev >= 1)) {
    throw new RangeError(`levenbergMarquardt: maxfev = ${o.maxfev} must be at least 1`);
  }
  const factor = o.factor ?? 100;
  if (!(factor > 0) || !Number.isFinite(factor)) {
    throw new RangeError(`levenbergMarquardt: factor = ${o.factor} must be a finite number > 0`);
  }
  const epsfcn = o.epsfcn ?? 0;
  if (Number.isNaN(epsfcn)) throw new RangeError("levenbergMarquardt: epsfcn is NaN");
  let diag: Float64Array | null = null;
  if (o.diag) {
    if (o.diag.length !== n) {
      throw new RangeError(`levenbergMarquardt: diag has length ${o.diag.length}, expected ${n}`);
    }
    for (let j = 0; j < n; j++) {
      if (!(o.diag[j] > 0) || !Number.isFinite(o.diag[j])) {
        throw new RangeError(
          `levenbergMarquardt: diag[${j}] = ${o.diag[j]} must be finite and > 0`,
        );
      }
    }
    diag = Float64Array.from(o.diag);
  }
  return Object.freeze({
    ftol,
    xtol,
    gtol,
    maxfev,
    factor,
    eps: Math.sqrt(Math.max(epsfcn, EPSMCH)),
    epsCentral: Math.cbrt(Math.max(epsfcn, EPSMCH)),
    diag,
    jac: o.jac ?? null,
    callback: o.callback ?? null,
    polish: o.polish ?? true,
    normal: factorization(o.factorization),
    sumOfSquares: o.sumOfSquares ?? false,
  });
}

const EPSMCH = Number.EPSILON;
/** Relative distance within which the last Jacobian is reused at the solution. */
const REUSE_JACOBIAN = 1e-6;

function factorization(f: string | undefined): boolean {
  if (f === undefined || f === "auto") return true;
  if (f === "qr") return false;
  throw new RangeError(`levenbergMarquardt: factorization = '${f}' must be "auto" or "qr"`);
}

/** Whether a[from..to) are all finite (v − v is 0 for finite v, NaN otherwise). */
// The m-long loops live in module functions, not in closures made per solve: V8 then keeps
// them optimized from one solve to the next (a fresh closure's loop starts unoptimized, boxing
// every number it computes).

/**
 * Forward-difference column `(fPlus − f0)/h` into `jac[col ..]`; true when all of it is finite.
 * Two passes (the differences, then the check) run about twice as fast in a fit as one pass
 * that also accumulated `v − v` (measured on the manual's sine: 14 → 7 µs per 2,500-point column).
 */
function forwardColumn(
  m: number,
  fPlus: Float64Array,
  f0: Float64Array,
  h: number,
  jac: Float64Array,
  col: number,
): boolean {
  for (let i = 0; i < m; i++) jac[i + col] = (fPlus[i] - f0[i]) / h;
  return allFinite(jac, col, col + m);
}

/** `(a − b)/h` into `jac[col ..]`. */
function differenceColumn(
  m: number,
  a: Float64Array,
  b: Float64Array,
  h: number,
  jac: Float64Array,
  col: number,
): void {
  for (let i = 0; i < m; i++) jac[i + col] = (a[i] - b[i]) / h;
}

/**
 * After `qrfac`: `f ← Qᵀf` with the Householder vectors in `fjac`'s lower part, R's diagonal
 * (`rdiag`) put back into `fjac`, and the first n components of `Qᵀf` into `qtf`.
 */
function applyQt(
  m: number,
  n: number,
  fjac: Float64Array,
  rdiag: Float64Array,
  f: Float64Array,
  qtf: Float64Array,
): void {
  for (let j = 0; j < n; j++) {
    const jj = j + j * m;
    if (fjac[jj] !== 0) {
      let sum = 0;
      for (let i = j; i < m; i++) sum += fjac[i + j * m] * f[i];
      const temp = -sum / fjac[jj];
      for (let i = j; i < m; i++) f[i] += fjac[i + j * m] * temp;
    }
    fjac[jj] = rdiag[j];
    qtf[j] = f[j];
  }
}

function sumOfSquares(m: number, f: Float64Array): number {
  let ss = 0;
  for (let i = 0; i < m; i++) ss += f[i] * f[i];
  return ss;
}

function allFinite(a: Float64Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const v = a[i];
    if (v - v !== 0) return false;
  }
  return true;
}

/**
 * Minimises the sum of squares of `m` residuals of `n = x0.length` variables from `x0` by the
 * MINPACK `lmdif` (or, with `jac`, `lmder`) algorithm. Stopping is a result (`success`,
 * `info`, `message`); only invalid input throws.
 *
 * @param fcn Writes the `m` residuals at `x` into `out`.
 * @param x0 Starting point (not modified).
 * @param m Number of residuals (≥ n).
 * @param options Tolerances, limits, Jacobian and callback.
 * @returns The best point, its residuals and Jacobian, counts and the stop status.
 * @throws {RangeError} for an empty or non-finite `x0`, `m < n`, or invalid options.
 *
 * @example
 * ```ts
 * import { levenbergMarquardt } from "./levenberg_marquardt.ts";
 * const t = Float64Array.from({ length: 10 }, (_, i) => i);
 * const y = t.map((v) => 2 * Math.exp(-0.3 * v));
 * const r = levenbergMarquardt((p, out) => {
 *   for (let i = 0; i < t.length; i++) out[i] = p[0] * Math.exp(-p[1] * t[i]) - y[i];
 * }, Float64Array.of(1, 0.1), 10);
 * r.x; // ≈ [2, 0.3]
 * ```
 *
 * @category Solvers
 */
export function levenbergMarquardt(
  fcn: VectorFunction,
  x0: Float64Array,
  m: number,
  options: LevenbergMarquardtOptions = {},
): LevenbergMarquardtResult {
  checkOptions(options, LEVENBERG_MARQUARDT_OPTION_KEYS, "levenbergMarquardt");
  const n = x0.length;
  const opt = resolve(options, x0, m);
  const { ftol, xtol, gtol, maxfev, factor, eps, epsCentral } = opt;
  const userJac = opt.jac;
  /** `enorm(m, f)` after `ret = fcn(·, f)`, from `ret` where it is f's sum of squares. */
  const normAfter = (ret: unknown, f: Float64Array): number =>
    opt.sumOfSquares && typeof ret === "number" && ret > 1e-280 && ret < 1e280
      ? Math.sqrt(ret) // what enorm's own sum gives in this range
      : enorm(m, f);
  const mode = opt.diag ? 2 : 1;

  const x = Float64Array.from(x0);
  const fvec = new Float64Array(m);
  const fjac = new Float64Array(m * n);
  const diag = opt.diag ?? new Float64Array(n);
  const qtf = new Float64Array(n);
  const wa1 = new Float64Array(n), wa2 = new Float64Array(n), wa3 = new Float64Array(n);
  const wa4 = new Float64Array(m);
  // Only difference Jacobians use it (two-sided or retried columns): none with `jac`.
  const fside = userJac ? new Float64Array(0) : new Float64Array(m);
  const ipvt = new Int32Array(n);
  const lm = new LmparWork(n);
  // The step's R: in `fjac` (leading dimension m) after the QR, or in `rNormal` (n) after the
  // normal equations.
  const rNormal = new Float64Array(n * n);
  const normalWork = new Float64Array(n * n + n);
  let r = fjac, ldr = m;
  let nNormal = 0, nQr = 0;

  let nfev = 0, njev = 0, iter = 1, info = 0, aborted = false;
  /** Column named in the messages of statuses 9 and 10. */
  let column = -1;
  /** Whether `fjac` holds the (unfactored) Jacobian at `x`. */
  let jacFresh = false;
  // The last Jacobian formed, unfactored, and where: reused for the covariance when the fit
  // ends within a relative 1e-6 of that point (the Jacobian then differs by about as much),
  // which saves the n (central: 2n) evaluations of a fresh one. After a normal-equations step
  // `fjac` itself still holds it (`savedInFjac`), so the m×n copy is made (and allocated) only
  // when the QR is about to overwrite `fjac`, or a Jacobian elsewhere in the loop would.
  let jacSaved: Float64Array | null = null;
  let savedInFjac = false;
  const xSaved = new Float64Array(n).fill(NaN);
  let savedCentral = false;
  const reuseSaved = (): boolean => {
    if (savedCentral !== central) return false;
    for (let j = 0; j < n; j++) {
      const d = Math.abs(x[j] - xSaved[j]);
      if (!(d <= REUSE_JACOBIAN * Math.max(Math.abs(x[j]), Math.abs(xSaved[j])))) return false;
    }
    if (!savedInFjac) fjac.set(jacSaved!);
    return true;
  };
  /** Copies the saved Jacobian out of `fjac` before something overwrites it. */
  const keepSaved = () => {
    if (!savedInFjac) return;
    (jacSaved ??= new Float64Array(m * n)).set(fjac);
    savedInFjac = false;
  };
  // Polish: after convergence with forward differences, continue with central differences
  // (error O(h²) instead of O(h)) from a restarted trust region until the tests pass again.
  let central = false;
  let restart = false;
  let firstStep = false;

  /** Residual evaluations one difference Jacobian costs now. */
  const jacCost = (): number => userJac ? 0 : central ? 2 * n : n;

  /** Whether column j of `fjac` is finite. */
  const columnFinite = (j: number): boolean => allFinite(fjac, j * m, j * m + m);
  /** The first column of `fjac` that is not finite, or -1. */
  const firstBadColumn = (): number => {
    for (let j = 0; j < n; j++) if (!columnFinite(j)) return j;
    return -1;
  };

  /**
   * Jacobian at `at` (residuals `f0`) into `fjac`. A difference column that is not finite is
   * retried one-sided from the other side; returns the first column still not finite, or -1.
   */
  function jacobian(at: Float64Array, f0: Float64Array, deferCheck = false): number {
    if (userJac) {
      njev++;
      userJac(at, fjac); // column-major m×n ≡ row-major n×m (colDeriv): the same layout
      if (deferCheck) return -2; // the normal equations' column norms will tell
      return firstBadColumn();
    }
    for (let j = 0; j < n; j++) {
      const temp = at[j];
      const base = central ? epsCentral : eps;
      const h0 = base * Math.abs(temp) || base;
      // MINPACK divides by h itself (not by the rounded step actually taken): same numbers as lmfit.
      const hp = h0;
      at[j] = temp + h0;
      fcn(at, wa4);
      nfev++;
      const col = j * m;
      // The common case in one pass: the forward difference, all of it finite.
      if (!central && forwardColumn(m, wa4, f0, hp, fjac, col)) {
        at[j] = temp;
        continue;
      }
      const okPlus = allFinite(wa4, 0, m);
      let okMinus = false, hm = 0;
      if (central || !okPlus) {
        hm = h0;
        at[j] = temp - h0;
        fcn(at, fside);
        nfev++;
        okMinus = allFinite(fside, 0, m);
      }
      at[j] = temp;
      if (okPlus && okMinus) differenceColumn(m, wa4, fside, hp + hm, fjac, col);
      else if (okPlus) differenceColumn(m, wa4, f0, hp, fjac, col);
      else if (okMinus) differenceColumn(m, f0, fside, hm, fjac, col);
      else fjac.fill(NaN, col, col + m);
      if (!columnFinite(j)) return j;
    }
    return -1;
  }

  const result = (): LevenbergMarquardtResult => {
    // The Jacobian at the solution, for the covariance (room for it is kept within maxfev);
    // NaN when the budget or the residual did not allow one.
    if (!jacFresh && !reuseSaved()) {
      savedInFjac = false; // nothing reads the saved Jacobian after this
      if (Number.isFinite(fnorm) && nfev + jacCost() <= maxfev) jacobian(x, fvec);
      else fjac.fill(NaN);
    }
    const status = aborted ? -1 : info;
    const ss = sumOfSquares(m, fvec); // itself (fnorm² may differ from it in the last bit)
    return {
      x,
      fun: Number.isFinite(fnorm) ? ss : fnorm * fnorm,
      success: status >= 1 && status <= 4,
      status,
      info: status,
      message: messageFor(status, column, x),
      nfev,
      njev,
      nit: iter,
      aborted,
      fvec, // this call's own buffers: nothing writes them after it returns
      fjac,
      column: status === 9 || status === 10 ? column : -1,
      factorizations: { normal: nNormal, qr: nQr },
    };
  };

  let fnorm = normAfter(fcn(x, fvec), fvec);
  nfev = 1;
  if (!Number.isFinite(fnorm)) {
    fjac.fill(NaN);
    jacFresh = true;
    return result();
  }

  let par = 0, delta = 0, xnorm = 0;
  phase: for (;;) {
    outer: for (;;) {
      // Keep room for this Jacobian, one trial step, and the Jacobian at the solution.
      if (nfev + 2 * jacCost() + 1 > maxfev) {
        info = 5;
        break;
      }
      savedInFjac = false; // replaced below
      const useNormal = opt.normal && (userJac !== null || (opt.polish && !central));
      let bad = jacobian(x, fvec, useNormal);
      // The step's triangular factor from the normal equations when well-conditioned (a finite
      // JᵀJ diagonal also shows every Jacobian entry finite), else from the QR below.
      let normalOk = false;
      if (useNormal && bad < 0) {
        normalOk = normalEquationsR(m, n, fjac, fvec, rNormal, ipvt, wa1, wa2, qtf, normalWork);
        bad = normalOk ? -1 : bad === -2 ? firstBadColumn() : bad;
      }
      jacFresh = true;
      if (normalOk) savedInFjac = true;
      else (jacSaved ??= new Float64Array(m * n)).set(fjac);
      xSaved.set(x);
      savedCentral = central;
      if (bad >= 0) {
        info = 10;
        column = bad;
        break;
      }
      if (opt.callback && opt.callback(x, iter, fnorm * fnorm) === true) {
        aborted = true;
        break;
      }
      if (normalOk) {
        r = rNormal;
        ldr = n;
        nNormal++;
        // `fjac` still holds the Jacobian at x (until a step is accepted).
      } else {
        qrfac(m, n, fjac, true, ipvt, wa1, wa2, wa3);
        r = fjac;
        ldr = m;
        nQr++;
        jacFresh = false;
        wa4.set(fvec);
        applyQt(m, n, fjac, wa1, wa4, qtf);
      }
      if (iter === 1 || restart) {
        restart = false;
        par = 0;
        if (mode !== 2) { for (let j = 0; j < n; j++) diag[j] = wa2[j] === 0 ? 1 : wa2[j]; }
        for (let j = 0; j < n; j++) wa3[j] = diag[j] * x[j];
        xnorm = enorm(n, wa3);
        delta = factor * xnorm;
        if (delta === 0) delta = factor;
      }
      let gnorm = 0;
      if (fnorm !== 0) {
        for (let j = 0; j < n; j++) {
          const l = ipvt[j];
          if (wa2[l] !== 0) {
            let sum = 0;
            for (let i = 0; i <= j; i++) sum += r[i + j * ldr] * (qtf[i] / fnorm);
            gnorm = Math.max(gnorm, Math.abs(sum / wa2[l]));
          }
        }
      }
      if (gnorm <= gtol) info = 4;
      if (info !== 0) break;
      if (mode !== 2) { for (let j = 0; j < n; j++) diag[j] = Math.max(diag[j], wa2[j]); }

      for (;;) {
        par = lmpar(n, r, ldr, ipvt, diag, qtf, delta, par, wa1, lm);
        for (let j = 0; j < n; j++) {
          wa1[j] = -wa1[j];
          wa2[j] = x[j] + wa1[j];
          wa3[j] = diag[j] * wa1[j];
        }
        const pnorm = enorm(n, wa3);
        if (iter === 1 || firstStep) delta = Math.min(delta, pnorm);
        firstStep = false;
        const fnorm1 = normAfter(fcn(wa2, wa4), wa4);
        nfev++;
        // A trial point where the residual is not finite is a failed step: shrink the region.
        const finite = Number.isFinite(fnorm1);
        let actred = -1;
        if (finite && 0.1 * fnorm1 < fnorm) actred = 1 - (fnorm1 / fnorm) ** 2;
        for (let j = 0; j < n; j++) {
          wa3[j] = 0;
          const temp = wa1[ipvt[j]];
          for (let i = 0; i <= j; i++) wa3[i] += r[i + j * ldr] * temp;
        }
        const temp1 = enorm(n, wa3) / fnorm;
        const temp2 = (Math.sqrt(par) * pnorm) / fnorm;
        const prered = temp1 * temp1 + (temp2 * temp2) / 0.5;
        const dirder = -(temp1 * temp1 + temp2 * temp2);
        const ratio = finite && prered !== 0 ? actred / prered : 0;
        if (ratio <= 0.25) {
          let temp: number;
          if (!finite) temp = 0.1;
          else {
            temp = actred >= 0 ? 0.5 : (0.5 * dirder) / (dirder + 0.5 * actred);
            if (0.1 * fnorm1 >= fnorm || temp < 0.1) temp = 0.1;
          }
          delta = temp * Math.min(delta, pnorm / 0.1);
          par /= temp;
        } else if (par === 0 || ratio >= 0.75) {
          delta = pnorm / 0.5;
          par *= 0.5;
        }
        if (ratio >= 1e-4) {
          jacFresh = false;
          for (let j = 0; j < n; j++) {
            x[j] = wa2[j];
            wa2[j] = diag[j] * x[j];
          }
          fvec.set(wa4);
          xnorm = enorm(n, wa2);
          fnorm = fnorm1;
          iter++;
        }
        // Before a polish, both reductions at most ftol end the forward-difference phase even
        // when their ratio is rounding noise (actred ~1e-16 against a smaller prered): more
        // forward steps there change nothing the central-difference polish does not redo.
        const forwardPhase = opt.polish && !central && !userJac;
        if (
          finite && Math.abs(actred) <= ftol && prered <= ftol && (forwardPhase || 0.5 * ratio <= 1)
        ) info = 1;
        if (delta <= xtol * xnorm) info = info === 1 ? 3 : 2;
        if (info !== 0) break outer;
        if (nfev + jacCost() >= maxfev) info = 5;
        if (finite && Math.abs(actred) <= EPSMCH && prered <= EPSMCH && 0.5 * ratio <= 1) info = 6;
        if (delta <= EPSMCH * xnorm) info = 7;
        if (gnorm <= EPSMCH) info = 8;
        if (info !== 0) break outer;
        if (ratio >= 1e-4) break;
      }
    }
    if (aborted || info < 1 || info > 4) break;
    if (opt.polish && !central && !userJac && nfev + 6 * n + 2 < maxfev) {
      // Restart the trust region from the converged point with central differences: a region
      // shrunk on the way down a curved valley, or an O(h) Jacobian error, can stop MINPACK's
      // tests a few digits early.
      central = true;
      info = 0;
      restart = true;
      firstStep = true;
      continue phase;
    }
    // Converged. A zero Jacobian column satisfies the gradient test trivially: probe such a
    // parameter by ±10%. A lower sum of squares restarts the fit from there; no change at all
    // means a plateau (e.g. an exponential decayed to nothing), which is not a minimum.
    if (fnorm === 0 || nfev + jacCost() + 2 > maxfev) break;
    if (!jacFresh && !reuseSaved()) {
      keepSaved(); // a restart from the probe below may still reuse it
      const badColumn = jacobian(x, fvec);
      jacFresh = true;
      if (badColumn >= 0) break;
    }
    jacFresh = true;
    for (let j = 0; j < n; j++) {
      const step = 0.1 * (Math.abs(x[j]) || 1);
      if (enorm(m, fjac, j * m) * step > EPSMCH * fnorm) continue;
      if (nfev + jacCost() + 2 > maxfev) break;
      const temp = x[j];
      let flat = true;
      for (const s of [step, -step]) {
        x[j] = temp + s;
        const fp = normAfter(fcn(x, wa4), wa4);
        nfev++;
        if (fp < fnorm * (1 - 1e-12)) {
          fvec.set(wa4);
          fnorm = fp;
          info = 0;
          restart = true;
          firstStep = true;
          jacFresh = false;
          continue phase;
        }
        if (fp > fnorm * (1 + 1e-14)) flat = false;
      }
      x[j] = temp;
      if (flat) {
        info = 9;
        column = j;
        break;
      }
    }
    break;
  }
  return result();
}

const LEVENBERG_MARQUARDT_OPTION_KEYS = optionKeys<LevenbergMarquardtOptions>({
  ftol: true,
  xtol: true,
  gtol: true,
  maxfev: true,
  epsfcn: true,
  factor: true,
  diag: true,
  jac: true,
  colDeriv: true,
  callback: true,
  polish: true,
  factorization: true,
  sumOfSquares: true,
});

/** Workspaces of `lmpar`, allocated once per solve. */
class LmparWork {
  readonly sdiag: Float64Array;
  readonly wa1: Float64Array;
  readonly wa2: Float64Array;
  readonly wa3: Float64Array;
  constructor(n: number) {
    this.sdiag = new Float64Array(n);
    this.wa1 = new Float64Array(n);
    this.wa2 = new Float64Array(n);
    this.wa3 = new Float64Array(n);
  }
}

/**
 * MINPACK `lmpar`: the Levenberg-Marquardt parameter for which the scaled step has length
 * about `delta`, by Newton's method on the secular equation; writes the step into `x` and
 * returns the parameter. `r` holds R (upper triangle, leading dimension `ldr`).
 */
function lmpar(
  n: number,
  r: Float64Array,
  ldr: number,
  ipvt: Int32Array,
  diag: Float64Array,
  qtb: Float64Array,
  delta: number,
  par: number,
  x: Float64Array,
  w: LmparWork,
): number {
  const dwarf = Number.MIN_VALUE * 2 ** 52; // smallest positive normal
  const { sdiag, wa1, wa2, wa3 } = w;
  let nsing = n;
  for (let j = 0; j < n; j++) {
    wa1[j] = qtb[j];
    if (r[j + j * ldr] === 0 && nsing === n) nsing = j;
    if (nsing < n) wa1[j] = 0;
  }
  for (let j = nsing - 1; j >= 0; j--) {
    wa1[j] /= r[j + j * ldr];
    const temp = wa1[j];
    for (let i = 0; i < j; i++) wa1[i] -= r[i + j * ldr] * temp;
  }
  for (let j = 0; j < n; j++) x[ipvt[j]] = wa1[j];
  let iter = 0;
  for (let j = 0; j < n; j++) wa2[j] = diag[j] * x[j];
  let dxnorm = enorm(n, wa2);
  let fp = dxnorm - delta;
  if (fp <= 0.1 * delta) return 0;
  let parl = 0;
  if (nsing >= n) {
    for (let j = 0; j < n; j++) {
      const l = ipvt[j];
      wa1[j] = diag[l] * (wa2[l] / dxnorm);
    }
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let i = 0; i < j; i++) sum += r[i + j * ldr] * wa1[i];
      wa1[j] = (wa1[j] - sum) / r[j + j * ldr];
    }
    const temp = enorm(n, wa1);
    parl = fp / delta / temp / temp;
  }
  for (let j = 0; j < n; j++) {
    let sum = 0;
    for (let i = 0; i <= j; i++) sum += r[i + j * ldr] * qtb[i];
    wa1[j] = sum / diag[ipvt[j]];
  }
  const gnorm = enorm(n, wa1);
  let paru = gnorm / delta;
  if (paru === 0) paru = dwarf / Math.min(delta, 0.1);
  par = Math.max(par, parl);
  par = Math.min(par, paru);
  if (par === 0) par = gnorm / dxnorm;
  for (;;) {
    iter++;
    if (par === 0) par = Math.max(dwarf, 0.001 * paru);
    const temp = Math.sqrt(par);
    for (let j = 0; j < n; j++) wa1[j] = temp * diag[j];
    qrsolv(n, r, ldr, ipvt, wa1, qtb, x, sdiag, wa3);
    for (let j = 0; j < n; j++) wa2[j] = diag[j] * x[j];
    dxnorm = enorm(n, wa2);
    const fpOld = fp;
    fp = dxnorm - delta;
    if (Math.abs(fp) <= 0.1 * delta || (parl === 0 && fp <= fpOld && fpOld < 0) || iter === 10) {
      break;
    }
    for (let j = 0; j < n; j++) {
      const l = ipvt[j];
      wa1[j] = diag[l] * (wa2[l] / dxnorm);
    }
    for (let j = 0; j < n; j++) {
      wa1[j] /= sdiag[j];
      const t = wa1[j];
      for (let i = j + 1; i < n; i++) wa1[i] -= r[i + j * ldr] * t;
    }
    const t = enorm(n, wa1);
    const parc = fp / delta / t / t;
    if (fp > 0) parl = Math.max(parl, par);
    if (fp < 0) paru = Math.min(paru, par);
    par = Math.max(parl, par + parc);
  }
  return iter === 0 ? 0 : par;
}
