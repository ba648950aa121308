/**
 * Bound-constrained nonlinear least squares by the trust-region-reflective method (scipy's
 * `optimize.least_squares(method="trf", tr_solver="exact")`): Branch, Coleman & Li 1999,
 * "A subspace, interior, and conjugate gradient method for large-scale bound-constrained
 * minimization problems", SIAM J. Sci. Comput. 21(1), with the exact trust-region subproblem
 * solved on an SVD of the scaled Jacobian (Moré 1978). Iterates stay strictly feasible; a step
 * that leaves the box is replaced by the best of the step clipped at the first bound, its
 * reflection, and the constrained Cauchy step. Without bounds it is a plain scaled trust-region
 * Gauss–Newton method.
 *
 * Robust losses ρ (`soft_l1`, `huber`, `cauchy`, `arctan`) minimise `½ Σ f_s² ρ(f_i²/f_s²)`
 * via the scaled residuals and Jacobian of Triggs et al. (2000, "Bundle adjustment", sec. 4.3),
 * as scipy does. The Jacobian is the caller's function or forward differences ("2-point",
 * steps `sqrt(eps)·max(1, |x_j|)`, flipped or shortened to stay inside the bounds).
 *
 * | status | success | meaning |
 * |---|---|---|
 * | 0 | no | the number of residual evaluations reached `maxfev` |
 * | 1 | yes | `gtol`: the scaled gradient's max-norm fell below gtol |
 * | 2 | yes | `ftol`: relative reduction of the cost below ftol on a good step |
 * | 3 | yes | `xtol`: step norm below xtol·(xtol + ‖x‖) |
 * | 4 | yes | both `ftol` and `xtol` hold |
 * | -1 | no | aborted by the callback |
 *
 * @module
 */

import type { IterationCallback, JacobianFunction, SolverResult, VectorFunction } from "./types.ts";
import { jacobiSvd, jacobiSvdWork } from "./_trf_svd.ts";
import { formatE } from "../util/format.ts";
import {
  buildQuadratic1d,
  checkTermination,
  clScalingVector,
  evaluateQuadratic,
  findActiveConstraints,
  inBounds,
  intersectTrustRegion,
  makeStrictlyFeasible,
  minimizeQuadratic1d,
  norm2,
  solveLsqTrustRegion,
  stepSizeToBound,
  updateTrRadius,
} from "./_trf_common.ts";
import { checkOptions, optionKeys } from "../util/options.ts";

const EPS = 2.220446049250313e-16;

/**
 * Robust loss names (scipy's `loss`).
 *
 * @example
 * ```ts
 * import { leastSquares, type LeastSquaresLoss } from "./least_squares.ts";
 * // A line through five points, one of them an outlier: soft_l1 down-weights it.
 * const y = [0, 1, 2, 30, 4];
 * const loss: LeastSquaresLoss = "soft_l1";
 * const r = leastSquares((p, out) => {
 *   for (let i = 0; i < 5; i++) out[i] = p[0] + p[1] * i - y[i];
 * }, Float64Array.of(0, 0), 5, { loss });
 * r.x; // ≈ [-0.02, 1.17]; the plain ("linear") fit's slope is 3.7
 * ```
 *
 * @category Solvers
 */
export type LeastSquaresLoss = "linear" | "soft_l1" | "huber" | "cauchy" | "arctan";

/**
 * Options of `leastSquares`.
 *
 * @example
 * ```ts
 * import { leastSquares, type LeastSquaresOptions } from "./least_squares.ts";
 * const options: LeastSquaresOptions = {
 *   lower: Float64Array.of(0, -Infinity), upper: Float64Array.of(0.5, Infinity), ftol: 1e-12,
 * };
 * const r = leastSquares((p, out) => {
 *   for (let i = 0; i < 4; i++) out[i] = p[0] + p[1] * i - (1 + 2 * i);
 * }, Float64Array.of(0, 0), 4, options);
 * r.x[0]; // 0.5: the intercept rests on its upper bound
 * ```
 *
 * @category Solvers
 */
export interface LeastSquaresOptions {
  /** Lower bounds (−Infinity for none). @default all −Infinity */
  lower?: Float64Array;
  /** Upper bounds (+Infinity for none). @default all +Infinity */
  upper?: Float64Array;
  /** Analytic Jacobian, column-major m×n. @default forward differences ("2-point") */
  jac?: JacobianFunction;
  /** Relative reduction of the cost. @default 1e-8 */
  ftol?: number;
  /** Relative step size. @default 1e-8 */
  xtol?: number;
  /** Max-norm of the scaled gradient. @default 1e-8 */
  gtol?: number;
  /** Maximum residual evaluations outside the Jacobian (scipy's `max_nfev`). @default 100·n */
  maxfev?: number;
  /** Characteristic scale of each variable, or "jac" (inverse Jacobian column norms). @default all 1 */
  xScale?: "jac" | Float64Array;
  /** Robust loss function. @default "linear" */
  loss?: LeastSquaresLoss;
  /** Soft margin between inlier and outlier residuals. @default 1 */
  fScale?: number;
  /**
   * Progress output with `console.log`, as scipy's `verbose`: 0 silent, 1 the stop message and
   * a summary line (`Function evaluations …, initial cost …, final cost …`), 2 also a table
   * row per iteration (`Iteration  Total nfev  Cost  Cost reduction  Step norm  Optimality`).
   * @default 0
   */
  verbose?: 0 | 1 | 2;
  /** Called once per iteration with the current x, iteration and Σf²; `true` aborts. */
  callback?: IterationCallback;
}

/**
 * The value `leastSquares` takes for each option left out, the one place these values are
 * written: the solver resolves its options from it, and the `least_squares` method reports it
 * as lmfit's `call_kws` (`result.callKws`). `null` marks a default computed from the problem:
 * `maxfev` is 100·n evaluations for n variables, `xScale` is 1 for every variable. Without
 * `jac` the Jacobian comes from forward differences (scipy's `"2-point"`).
 *
 * @example
 * ```ts
 * import { LEAST_SQUARES_DEFAULTS as D, leastSquares } from "./least_squares.ts";
 * import assert from "node:assert/strict";
 * assert.equal(D.ftol, 1e-8);
 * assert.equal(D.loss, "linear");
 * assert.ok(Object.isFrozen(D));
 * const f = (p: Float64Array, out: Float64Array) => {
 *   out[0] = p[0] - 1;
 *   out[1] = 2 * (p[0] - 1.5);
 * };
 * const implicit = leastSquares(f, Float64Array.of(0), 2);
 * const explicit = leastSquares(f, Float64Array.of(0), 2, { ftol: D.ftol, fScale: D.fScale });
 * assert.deepEqual([explicit.nfev, ...explicit.x], [implicit.nfev, ...implicit.x]);
 * ```
 *
 * @category Solvers
 */
export const LEAST_SQUARES_DEFAULTS: Readonly<
  & Required<Pick<LeastSquaresOptions, "ftol" | "xtol" | "gtol" | "loss" | "fScale" | "verbose">>
  & { maxfev: null; xScale: null }
> = Object.freeze({
  ftol: 1e-8,
  xtol: 1e-8,
  gtol: 1e-8,
  maxfev: null,
  xScale: null,
  loss: "linear",
  fScale: 1,
  verbose: 0,
});

/**
 * Result of `leastSquares`.
 *
 * @example
 * ```ts
 * import { leastSquares, type LeastSquaresResult } from "./least_squares.ts";
 * const r: LeastSquaresResult = leastSquares((p, out) => {
 *   out[0] = p[0] - 1;
 *   out[1] = p[0] - 3;
 * }, Float64Array.of(0), 2, { upper: Float64Array.of(1.5) });
 * r.x[0]; // 1.5 (unbounded optimum 2)
 * r.activeMask[0]; // 1: on the upper bound
 * r.cost; // ½·(0.5² + 1.5²) = 1.25
 * ```
 *
 * @category Solvers
 */
export interface LeastSquaresResult extends SolverResult {
  /** Residuals at `x` (unrobustified). */
  fvec: Float64Array;
  /** Jacobian of the unrobustified residuals at `x`, column-major m×n. */
  jac: Float64Array;
  /** First-order optimality: max-norm of the Coleman–Li scaled gradient. */
  optimality: number;
  /** -1 on the lower bound, 1 on the upper, 0 free (tolerance `xtol`). */
  activeMask: Int8Array;
  /** ½ Σ ρ(f²) (½ Σ f² for the linear loss). */
  cost: number;
  /** Residual evaluations outside the Jacobian (scipy's `nfev`, what `maxfev` limits). */
  nfevSteps: number;
}

const MESSAGES: Record<number, string> = {
  [-1]: "Aborted by the iteration callback.",
  0: "The maximum number of function evaluations is exceeded.",
  1: "`gtol` termination condition is satisfied.",
  2: "`ftol` termination condition is satisfied.",
  3: "`xtol` termination condition is satisfied.",
  4: "Both `ftol` and `xtol` termination conditions are satisfied.",
};

/** Python's `format(s, "^15")`: centred in 15 characters, the odd space on the right. */
function centre(text: string, width = 15): string {
  const pad = Math.max(0, width - text.length), left = Math.floor(pad / 2);
  return " ".repeat(left) + text + " ".repeat(pad - left);
}

/** scipy's `print_header_nonlinear` (verbose 2). */
function printHeader(): void {
  console.log(
    ["Iteration", "Total nfev", "Cost", "Cost reduction", "Step norm", "Optimality"]
      .map((h) => centre(h)).join(""),
  );
}

/** scipy's `print_iteration_nonlinear` (verbose 2): blank reduction and step norm at first. */
function printIteration(
  iteration: number,
  nfev: number,
  cost: number,
  reduction: number | null,
  stepNorm: number | null,
  optimality: number,
): void {
  const opt = (v: number | null) => (v === null ? " ".repeat(15) : centre(formatE(v, 2)));
  console.log(
    centre(String(iteration)) + centre(String(nfev)) + centre(formatE(cost, 4)) +
      opt(reduction) + opt(stepNorm) + centre(formatE(optimality, 2)),
  );
}

/** ρ and its first two derivatives at z = f²/f_s², times the f_s scalings (scipy's layout). */
function applyLoss(
  loss: LeastSquaresLoss,
  f: Float64Array,
  fs: number,
  rho0: Float64Array,
  rho1: Float64Array,
  rho2: Float64Array,
  costOnly: boolean,
): number {
  const m = f.length;
  let sum = 0;
  for (let i = 0; i < m; i++) {
    const z = (f[i] / fs) * (f[i] / fs);
    let r0: number, r1 = 0, r2 = 0;
    switch (loss) {
      case "soft_l1": {
        const t = 1 + z;
        r0 = 2 * (Math.sqrt(t) - 1);
        r1 = 1 / Math.sqrt(t);
        r2 = -0.5 / (t * Math.sqrt(t));
        break;
      }
      case "huber":
        if (z <= 1) {
          r0 = z;
          r1 = 1;
          r2 = 0;
        } else {
          const sz = Math.sqrt(z);
          r0 = 2 * sz - 1;
          r1 = 1 / sz;
          r2 = -0.5 / (z * sz);
        }
        break;
      case "cauchy": {
        const t = 1 + z;
        r0 = Math.log1p(z);
        r1 = 1 / t;
        r2 = -1 / (t * t);
        break;
      }
      case "arctan": {
        const t = 1 + z * z;
        r0 = Math.atan(z);
        r1 = 1 / t;
        r2 = (-2 * z) / (t * t);
        break;
      }
      default:
        r0 = z;
        r1 = 1;
    }
    sum += r0;
    if (!costOnly) {
      rho0[i] = r0 * fs * fs;
      rho1[i] = r1;
      rho2[i] = r2 / (fs * fs);
    }
  }
  return 0.5 * fs * fs * sum;
}

/**
 * Minimises `½ Σ ρ(f_i(x)²)` subject to `lower ≤ x ≤ upper` by the trust-region-reflective
 * method. `fun` writes the `m` residuals; `x0` must lie within the bounds (it is moved strictly
 * inside by 1e-10·max(1, |bound|) when on a bound).
 *
 * @param fun Residual function writing `m` values.
 * @param x0 Starting point (not modified).
 * @param m Number of residuals.
 * @param options Bounds, tolerances, loss, Jacobian, callback.
 * @returns The solution with residuals, Jacobian, optimality, active bounds and cost.
 * @example
 * ```ts
 * import { leastSquares } from "./least_squares.ts";
 * // Rosenbrock as residuals, with x0 bounded above by 0.5: minimum at (0.5, 0.25).
 * const r = leastSquares(
 *   (x, out) => { out[0] = 10 * (x[1] - x[0] ** 2); out[1] = 1 - x[0]; },
 *   Float64Array.of(-1, 1), 2,
 *   { lower: Float64Array.of(-Infinity, -Infinity), upper: Float64Array.of(0.5, Infinity) },
 * );
 * r.x; // ≈ [0.5, 0.25]
 * ```
 *
 * @category Solvers
 */
export function leastSquares(
  fun: VectorFunction,
  x0: Float64Array,
  m: number,
  options: LeastSquaresOptions = {},
): LeastSquaresResult {
  checkOptions(options, LEAST_SQUARES_OPTION_KEYS, "leastSquares");
  const n = x0.length;
  if (!Number.isInteger(m) || m < 1) {
    throw new RangeError(
      `leastSquares: m (number of residuals) must be a positive integer, got ${m}`,
    );
  }
  if (n < 1) throw new RangeError("leastSquares: x0 must have at least one variable");
  const lb = options.lower ? Float64Array.from(options.lower) : new Float64Array(n).fill(-Infinity);
  const ub = options.upper ? Float64Array.from(options.upper) : new Float64Array(n).fill(Infinity);
  if (lb.length !== n || ub.length !== n) {
    throw new RangeError(
      `leastSquares: lower/upper must have length ${n} (x0.length), got ${lb.length}/${ub.length}`,
    );
  }
  for (let i = 0; i < n; i++) {
    if (!(lb[i] < ub[i])) {
      throw new RangeError(
        `leastSquares: each lower bound must be below its upper bound; variable ${i} has [${
          lb[i]
        }, ${ub[i]}]`,
      );
    }
    if (!(x0[i] >= lb[i] && x0[i] <= ub[i])) {
      throw new RangeError(
        `leastSquares: x0[${i}] = ${x0[i]} is outside [${lb[i]}, ${
          ub[i]
        }]; start inside the bounds`,
      );
    }
  }
  const D = LEAST_SQUARES_DEFAULTS;
  const ftol = options.ftol ?? D.ftol, xtol = options.xtol ?? D.xtol, gtol = options.gtol ?? D.gtol;
  for (const [name, v] of [["ftol", ftol], ["xtol", xtol], ["gtol", gtol]] as const) {
    if (!(v >= 0)) throw new RangeError(`leastSquares: ${name} must be >= 0, got ${v}`);
  }
  if (ftol < EPS && xtol < EPS && gtol < EPS) {
    throw new RangeError("leastSquares: at least one of ftol, xtol, gtol must be >= 2.2e-16");
  }
  const verbose = options.verbose ?? D.verbose;
  if (verbose !== 0 && verbose !== 1 && verbose !== 2) {
    throw new RangeError(`leastSquares: verbose must be 0, 1 or 2, got ${verbose}`);
  }
  const maxfev = options.maxfev ?? 100 * n; // D.maxfev: null, computed here
  if (!(maxfev >= 1)) throw new RangeError(`leastSquares: maxfev must be >= 1, got ${maxfev}`);
  const loss: LeastSquaresLoss = options.loss ?? D.loss;
  if (!["linear", "soft_l1", "huber", "cauchy", "arctan"].includes(loss)) {
    throw new RangeError(
      `leastSquares: unknown loss '${loss}'; use linear, soft_l1, huber, cauchy or arctan`,
    );
  }
  const robust = loss !== "linear";
  const fScale = options.fScale ?? D.fScale;
  if (!(fScale > 0)) throw new RangeError(`leastSquares: fScale must be > 0, got ${fScale}`);
  const jacScale = options.xScale === "jac";
  const scale = new Float64Array(n).fill(1), scaleInv = new Float64Array(n).fill(1);
  if (options.xScale instanceof Float64Array) {
    if (options.xScale.length !== n) {
      throw new RangeError(
        `leastSquares: xScale must have length ${n}, got ${options.xScale.length}`,
      );
    }
    for (let i = 0; i < n; i++) {
      const v = options.xScale[i];
      if (!(v > 0 && Number.isFinite(v))) {
        throw new RangeError(`leastSquares: xScale[${i}] must be finite and > 0, got ${v}`);
      }
      scale[i] = v;
      scaleInv[i] = 1 / v;
    }
  } else if (options.xScale !== undefined && !jacScale) {
    throw new RangeError(
      `leastSquares: xScale must be "jac" or a Float64Array, got ${options.xScale}`,
    );
  }
  let bounded = false;
  for (let i = 0; i < n; i++) if (lb[i] > -Infinity || ub[i] < Infinity) bounded = true;

  // ---- Workspaces (allocated once). ----
  const x = Float64Array.from(x0);
  const active = new Int8Array(n);
  if (bounded) makeStrictlyFeasible(x, lb, ub, 1e-10, active);
  const f = new Float64Array(m), fTrue = new Float64Array(m), fNew = new Float64Array(m);
  const J = new Float64Array(m * n), Jtrue = new Float64Array(m * n);
  const Jh = new Float64Array(m * n);
  const rows = bounded ? m + n : m;
  const A = new Float64Array(rows * n);
  const sv = new Float64Array(n), V = new Float64Array(n * n), uf = new Float64Array(n);
  const svdWork = jacobiSvdWork(rows, n);
  const g = new Float64Array(n), v = new Float64Array(n), dv = new Float64Array(n);
  const d = new Float64Array(n), diagH = new Float64Array(n), gH = new Float64Array(n);
  const pH = new Float64Array(n), p = new Float64Array(n), step = new Float64Array(n);
  const stepH = new Float64Array(n), xNew = new Float64Array(n);
  const suf = new Float64Array(n), tmp = new Float64Array(n);
  const rH = new Float64Array(n), r = new Float64Array(n), agH = new Float64Array(n);
  const ag = new Float64Array(n), xOnBound = new Float64Array(n);
  const hits = new Int8Array(n), steps = new Float64Array(n);
  const wm1 = new Float64Array(m), wm2 = new Float64Array(m);
  const rho0 = new Float64Array(m), rho1 = new Float64Array(m), rho2 = new Float64Array(m);
  const fdX = new Float64Array(n), fdF = new Float64Array(m);

  let nfevTotal = 0, nfev = 0, njev = 0;
  const evalF = (xx: Float64Array, out: Float64Array) => {
    nfevTotal++;
    fun(xx, out);
  };
  // Jacobian of the true residuals at x (f0 = residuals there), into `out`.
  const jacAt = (xx: Float64Array, f0: Float64Array, out: Float64Array) => {
    njev++;
    if (options.jac) {
      options.jac(xx, out);
      return;
    }
    const rel = 1.4901161193847656e-8; // sqrt(eps)
    for (let j = 0; j < n; j++) {
      const x0j = xx[j];
      let h = rel * (x0j >= 0 ? 1 : -1) * Math.max(1, Math.abs(x0j));
      if (bounded) {
        const lower = x0j - lb[j], upper = ub[j] - x0j;
        const xt = x0j + h;
        const violated = xt < lb[j] || xt > ub[j];
        const fitting = Math.abs(h) <= Math.max(lower, upper);
        if (violated && fitting) h = -h;
        else if (!fitting) h = upper >= lower ? upper : -lower;
      }
      fdX.set(xx);
      fdX[j] = x0j + h;
      const dx = fdX[j] - x0j;
      evalF(fdX, fdF);
      const o = j * m;
      for (let i = 0; i < m; i++) out[o + i] = (fdF[i] - f0[i]) / dx;
    }
  };
  const sumSq = (a: Float64Array) => {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i] * a[i];
    return s;
  };
  // Scales J and f for the robust loss (Triggs et al.), in place, from rho at f.
  const robustify = () => {
    for (let i = 0; i < m; i++) {
      let js = rho1[i] + 2 * rho2[i] * f[i] * f[i];
      if (js < EPS) js = EPS;
      js = Math.sqrt(js);
      f[i] *= rho1[i] / js;
      for (let j = 0; j < n; j++) J[i + j * m] *= js;
    }
  };
  const computeGrad = () => {
    for (let j = 0; j < n; j++) {
      let s = 0;
      const o = j * m;
      for (let i = 0; i < m; i++) s += J[o + i] * f[i];
      g[j] = s;
    }
  };
  const updateJacScale = (first: boolean) => {
    for (let j = 0; j < n; j++) {
      let s = 0;
      const o = j * m;
      for (let i = 0; i < m; i++) s += J[o + i] * J[o + i];
      let si = Math.sqrt(s);
      if (first) {
        if (si === 0) si = 1;
      } else si = Math.max(si, scaleInv[j]);
      scaleInv[j] = si;
      scale[j] = 1 / si;
    }
  };

  evalF(x, f);
  nfev = 1;
  for (let i = 0; i < m; i++) {
    if (!Number.isFinite(f[i])) {
      throw new RangeError(
        `leastSquares: residual ${i} is ${
          f[i]
        } at the starting point; start where all residuals are finite`,
      );
    }
  }
  fTrue.set(f);
  jacAt(x, fTrue, J);
  Jtrue.set(J);
  let cost: number;
  if (robust) {
    cost = applyLoss(loss, f, fScale, rho0, rho1, rho2, false);
    robustify();
  } else cost = 0.5 * sumSq(f);
  computeGrad();
  if (jacScale) updateJacScale(true);

  let delta: number;
  if (bounded) {
    clScalingVector(x, g, lb, ub, v, dv);
    for (let i = 0; i < n; i++) if (dv[i] !== 0) v[i] *= scaleInv[i];
    let s = 0;
    for (let i = 0; i < n; i++) s += (x[i] * scaleInv[i]) ** 2 / v[i];
    delta = Math.sqrt(s);
  } else {
    let s = 0;
    for (let i = 0; i < n; i++) s += (x[i] * scaleInv[i]) ** 2;
    delta = Math.sqrt(s);
  }
  if (delta === 0) delta = 1;

  let alpha = 0, status = -2, iteration = 0, gNorm = 0, aborted = false;
  let costNew = cost;
  const initialCost = cost;
  // scipy's verbose output: the last trial step's reduction and norm (none before the first).
  let shownReduction: number | null = null, shownStepNorm: number | null = null;
  if (verbose === 2) printHeader();
  for (;;) {
    gNorm = 0;
    if (bounded) {
      clScalingVector(x, g, lb, ub, v, dv);
      for (let i = 0; i < n; i++) gNorm = Math.max(gNorm, Math.abs(g[i] * v[i]));
    } else {
      for (let i = 0; i < n; i++) gNorm = Math.max(gNorm, Math.abs(g[i]));
    }
    if (verbose === 2) printIteration(iteration, nfev, cost, shownReduction, shownStepNorm, gNorm);
    if (gNorm < gtol) status = 1;
    if (status !== -2 || nfev >= maxfev) break;

    // Scaled ("hat") quantities and the SVD of the (augmented) scaled Jacobian.
    for (let i = 0; i < n; i++) {
      if (bounded) {
        if (dv[i] !== 0) v[i] *= scaleInv[i];
        d[i] = Math.sqrt(v[i]) * scale[i];
        diagH[i] = g[i] * dv[i] * scale[i];
      } else d[i] = scale[i];
      gH[i] = d[i] * g[i];
    }
    for (let j = 0; j < n; j++) {
      const o = j * m, oa = j * rows;
      for (let i = 0; i < m; i++) {
        const val = J[o + i] * d[j];
        Jh[o + i] = val;
        A[oa + i] = val;
      }
      if (bounded) {
        for (let k = 0; k < n; k++) A[oa + m + k] = 0;
        A[oa + m + j] = Math.sqrt(diagH[j]);
      }
    }
    jacobiSvd(A, rows, n, sv, V, svdWork);
    for (let j = 0; j < n; j++) {
      if (sv[j] === 0) {
        uf[j] = 0;
        continue;
      }
      let s = 0;
      const oa = j * rows;
      for (let i = 0; i < m; i++) s += A[oa + i] * f[i];
      uf[j] = s / sv[j];
    }
    const theta = Math.max(0.995, 1 - gNorm);

    let actualReduction = -1;
    let stepHNorm = 0;
    while (actualReduction <= 0 && nfev < maxfev) {
      alpha = solveLsqTrustRegion(n, m, uf, sv, V, delta, alpha, pH, suf, tmp);
      for (let i = 0; i < n; i++) p[i] = d[i] * pH[i];
      let predicted: number;
      if (bounded) {
        predicted = selectStep(theta);
        for (let i = 0; i < n; i++) xNew[i] = x[i] + step[i];
        makeStrictlyFeasible(xNew, lb, ub, 0, active);
      } else {
        stepH.set(pH);
        step.set(p);
        predicted = -evaluateQuadratic(Jh, m, n, gH, stepH, null, wm1);
        for (let i = 0; i < n; i++) xNew[i] = x[i] + step[i];
      }
      evalF(xNew, fNew);
      nfev++;
      stepHNorm = norm2(stepH, n);
      let finite = true;
      for (let i = 0; i < m; i++) if (!Number.isFinite(fNew[i])) finite = false;
      if (!finite) {
        delta = 0.25 * stepHNorm;
        continue;
      }
      costNew = robust ? applyLoss(loss, fNew, fScale, rho0, rho1, rho2, true) : 0.5 * sumSq(fNew);
      actualReduction = cost - costNew;
      const [deltaNew, ratio] = updateTrRadius(
        delta,
        actualReduction,
        predicted,
        stepHNorm,
        stepHNorm > 0.95 * delta,
      );
      const stepNorm = norm2(step, n);
      shownReduction = actualReduction;
      shownStepNorm = stepNorm;
      status = checkTermination(actualReduction, cost, stepNorm, norm2(x, n), ratio, ftol, xtol);
      if (status === 0) status = -2;
      else break;
      alpha *= delta / deltaNew;
      delta = deltaNew;
    }
    if (actualReduction > 0) {
      x.set(xNew);
      f.set(fNew);
      fTrue.set(fNew);
      cost = costNew;
      jacAt(x, fTrue, J);
      Jtrue.set(J);
      if (robust) {
        applyLoss(loss, f, fScale, rho0, rho1, rho2, false);
        robustify();
      }
      computeGrad();
      if (jacScale) updateJacScale(false);
    }
    iteration++;
    if (options.callback && options.callback(x, iteration, sumSq(fTrue)) === true) {
      aborted = true;
      break;
    }
  }
  if (status === -2) status = 0;
  if (aborted) status = -1;
  if (verbose >= 1) {
    console.log(MESSAGES[status]);
    console.log(
      `Function evaluations ${nfev}, initial cost ${formatE(initialCost, 4)}, final cost ${
        formatE(cost, 4)
      }, first-order optimality ${formatE(gNorm, 2)}.`,
    );
  }
  const activeMask = new Int8Array(n);
  if (bounded) findActiveConstraints(x, lb, ub, xtol, activeMask);
  return {
    x: Float64Array.from(x),
    fun: sumSq(fTrue),
    success: status > 0,
    status,
    message: MESSAGES[status],
    nfev: nfevTotal,
    njev,
    nit: iteration,
    aborted,
    fvec: Float64Array.from(fTrue),
    jac: Float64Array.from(Jtrue),
    optimality: gNorm,
    activeMask,
    cost,
    nfevSteps: nfev,
  };

  /**
   * scipy's `select_step`: best of the clipped trust-region step, its reflection and the
   * constrained Cauchy step; writes `step`/`stepH` and returns the predicted reduction.
   */
  function selectStep(theta: number): number {
    for (let i = 0; i < n; i++) tmp[i] = x[i] + p[i];
    if (inBounds(tmp, lb, ub, n)) {
      step.set(p);
      stepH.set(pH);
      return -evaluateQuadratic(Jh, m, n, gH, pH, diagH, wm1);
    }
    const pStride = stepSizeToBound(x, p, lb, ub, n, hits, steps);
    for (let i = 0; i < n; i++) {
      rH[i] = hits[i] !== 0 ? -pH[i] : pH[i];
      r[i] = d[i] * rH[i];
      p[i] *= pStride;
      pH[i] *= pStride;
      xOnBound[i] = x[i] + p[i];
    }
    const toTr = intersectTrustRegion(pH, rH, delta, n)[1];
    const toBound = stepSizeToBound(xOnBound, r, lb, ub, n, null, steps);
    let rStride = Math.min(toBound, toTr);
    let rStrideL: number, rStrideU: number;
    if (rStride > 0) {
      rStrideL = ((1 - theta) * pStride) / rStride;
      rStrideU = rStride === toBound ? theta * toBound : toTr;
    } else {
      rStrideL = 0;
      rStrideU = -1;
    }
    let rValue = Infinity;
    if (rStrideL <= rStrideU) {
      const [a, b, c] = buildQuadratic1d(Jh, m, n, gH, rH, diagH, pH, wm1, wm2);
      [rStride, rValue] = minimizeQuadratic1d(a, b, rStrideL, rStrideU, c);
      for (let i = 0; i < n; i++) {
        rH[i] = rH[i] * rStride + pH[i];
        r[i] = rH[i] * d[i];
      }
    }
    for (let i = 0; i < n; i++) {
      p[i] *= theta;
      pH[i] *= theta;
    }
    const pValue = evaluateQuadratic(Jh, m, n, gH, pH, diagH, wm1);
    for (let i = 0; i < n; i++) {
      agH[i] = -gH[i];
      ag[i] = d[i] * agH[i];
    }
    const toTr2 = delta / norm2(agH, n);
    const toBound2 = stepSizeToBound(x, ag, lb, ub, n, null, steps);
    const agMax = toBound2 < toTr2 ? theta * toBound2 : toTr2;
    const [qa, qb] = buildQuadratic1d(Jh, m, n, gH, agH, diagH, null, wm1, wm2);
    const [agStride, agValue] = minimizeQuadratic1d(qa, qb, 0, agMax);
    for (let i = 0; i < n; i++) {
      agH[i] *= agStride;
      ag[i] *= agStride;
    }
    if (pValue < rValue && pValue < agValue) {
      step.set(p);
      stepH.set(pH);
      return -pValue;
    } else if (rValue < pValue && rValue < agValue) {
      step.set(r);
      stepH.set(rH);
      return -rValue;
    }
    step.set(ag);
    stepH.set(agH);
    return -agValue;
  }
}

const LEAST_SQUARES_OPTION_KEYS = optionKeys<LeastSquaresOptions>({
  lower: true,
  upper: true,
  jac: true,
  ftol: true,
  xtol: true,
  gtol: true,
  maxfev: true,
  xScale: true,
  loss: true,
  fScale: true,
  verbose: true,
  callback: true,
});
