/**
 * trust-constr for bound constraints: a projected trust-region quasi-Newton method (the active-set
 * trust-region scheme of C.-J. Lin and J. J. Moré, "Newton's method for large bound-constrained
 * optimization problems", SIAM J. Optim. 9, 1999, with a BFGS model Hessian instead of the exact
 * one). This is not scipy's interior-point `trust-constr`; it reaches the same minima, and lmfit
 * only needs bounds.
 *
 * Each iteration
 * 1. fixes the variables at a bound whose gradient points out of the box (the active set);
 * 2. minimizes the quadratic model gᵀd + ½dᵀBd over the free variables inside the trust region
 *    ‖d‖ ≤ Δ by Steihaug's truncated conjugate gradients (T. Steihaug, SIAM J. Numer. Anal. 20,
 *    1983), stopping at negative curvature or the region's edge;
 * 3. projects x + d onto the box; when the projected step does not decrease the model, takes the
 *    projected Cauchy step instead (the model's minimizer along the projected steepest-descent
 *    direction, within Δ);
 * 4. accepts the step when the actual reduction is positive and updates Δ from the ratio of
 *    actual to predicted reduction (¼ / ¾ thresholds), then updates B by BFGS (skipped when
 *    sᵀy ≤ 1e-10·‖s‖‖y‖).
 *
 * Gradients by box-respecting forward differences unless `grad` is given.
 *
 * | status | meaning |
 * |---|---|
 * | 1 | converged: projected gradient ∞-norm ≤ gtol (scipy's "gtol termination") |
 * | 2 | converged: trust radius < xtol (scipy's "xtol termination") |
 * | 0 | maxiter or maxfev reached |
 * | 3 | the objective is not finite at the start |
 * | -1 | aborted by the callback |
 *
 * @module
 */

import type { GradientFunction, IterationCallback, ScalarFunction, SolverResult } from "./types.ts";
import { boundedObjective, project, projectedGradientNorm, resolveBox } from "./_bounded_common.ts";
import { checkOptions, optionKeys } from "../util/options.ts";

/**
 * Options of `trustConstr`.
 *
 * @example
 * ```ts
 * import { trustConstr, type TrustConstrOptions } from "./trust_constr.ts";
 * const options: TrustConstrOptions = {
 *   lower: Float64Array.of(-2, 0), upper: Float64Array.of(2, 2), initialTrRadius: 0.5,
 * };
 * trustConstr((x) => (x[0] - 3) ** 2 + (x[1] + 1) ** 2, Float64Array.of(0, 0), options).x; // ≈ [2, 0]
 * ```
 *
 * @category Solvers
 */
export interface TrustConstrOptions {
  /** Lower bounds (−Infinity for none). @default all −Infinity */
  lower?: Float64Array;
  /** Upper bounds (+Infinity for none). @default all +Infinity */
  upper?: Float64Array;
  /** Gradient of the objective; box-respecting finite differences when absent. @default undefined */
  grad?: GradientFunction;
  /** Finite-difference scheme when `grad` is absent. @default "forward" */
  fdMethod?: "forward" | "central";
  /** Stop when the projected gradient's ∞-norm ≤ gtol. @default 1e-8 */
  gtol?: number;
  /** Stop when the trust radius falls below xtol. @default 1e-8 */
  xtol?: number;
  /** Initial trust radius. @default 1 */
  initialTrRadius?: number;
  /** Maximum iterations. @default 1000 */
  maxiter?: number;
  /** Maximum objective evaluations (finite differences included). @default 20000 */
  maxfev?: number;
  /** Called each iteration with the current point; `true` aborts. @default undefined */
  callback?: IterationCallback;
}

/** Status messages of `trustConstr`, by status code. */
export const TRUST_CONSTR_MESSAGES: Readonly<Record<number, string>> = Object.freeze({
  0: "The maximum number of function evaluations or iterations is exceeded.",
  1: "`gtol` termination condition is satisfied.",
  2: "`xtol` termination condition is satisfied.",
  3: "The objective is not finite at the starting point.",
  [-1]: "Aborted by the iteration callback.",
});

/**
 * Minimises `fun` from `x0` within `[lower, upper]` by a projected BFGS trust-region method.
 *
 * @example
 * ```ts
 * import { trustConstr } from "./trust_constr.ts";
 * const f = (x: Float64Array) => (x[0] - 3) ** 2 + (x[1] + 1) ** 2;
 * trustConstr(f, Float64Array.of(0, 0), { lower: Float64Array.of(-2, 0), upper: Float64Array.of(2, 2) }).x; // ≈ [2, 0]
 * ```
 *
 * @category Solvers
 */
export function trustConstr(
  fun: ScalarFunction,
  x0: Float64Array,
  options: TrustConstrOptions = {},
): SolverResult {
  checkOptions(options, TRUST_CONSTR_OPTION_KEYS, "trustConstr");
  const n = x0.length;
  const { lower, upper } = resolveBox(n, options.lower, options.upper);
  const gtol = options.gtol ?? 1e-8;
  const xtol = options.xtol ?? 1e-8;
  const maxiter = options.maxiter ?? 1000;
  const maxfev = options.maxfev ?? 20000;
  let delta = options.initialTrRadius ?? 1;
  if (!(delta > 0)) throw new RangeError(`initialTrRadius = ${delta}: give a positive radius`);
  const obj = boundedObjective(fun, n, options.grad, options.fdMethod ?? "forward", lower, upper);

  const x = Float64Array.from(x0);
  project(x, lower, upper);
  const g = new Float64Array(n), gt = new Float64Array(n), xt = new Float64Array(n);
  const B = new Float64Array(n * n), free = new Uint8Array(n);
  const d = new Float64Array(n),
    r = new Float64Array(n),
    p = new Float64Array(n),
    bp = new Float64Array(n);
  const s = new Float64Array(n), y = new Float64Array(n), bs = new Float64Array(n);
  for (let i = 0; i < n; i++) B[i * n + i] = 1;
  const mulB = (v: Float64Array, out: Float64Array) => {
    for (let i = 0; i < n; i++) {
      let t = 0;
      for (let j = 0; j < n; j++) t += B[i * n + j] * v[j];
      out[i] = t;
    }
  };
  /** Model reduction −(gᵀs + ½sᵀBs) of the step s. */
  const predicted = (step: Float64Array) => {
    mulB(step, bs);
    let v = 0;
    for (let i = 0; i < n; i++) v -= g[i] * step[i] + 0.5 * step[i] * bs[i];
    return v;
  };
  /** Steihaug CG on the free variables into d. */
  const steihaug = () => {
    d.fill(0);
    let rr = 0;
    for (let i = 0; i < n; i++) {
      r[i] = free[i] ? -g[i] : 0;
      p[i] = r[i];
      rr += r[i] * r[i];
    }
    const tol = Math.min(0.5, Math.sqrt(Math.sqrt(rr))) * Math.sqrt(rr);
    for (let it = 0; it < 2 * n + 5; it++) {
      mulB(p, bp);
      let pbp = 0;
      for (let i = 0; i < n; i++) {
        if (!free[i]) bp[i] = 0;
        pbp += p[i] * bp[i];
      }
      const toEdge = () => {
        let dd = 0, dp = 0, pp = 0;
        for (let i = 0; i < n; i++) {
          dd += d[i] * d[i];
          dp += d[i] * p[i];
          pp += p[i] * p[i];
        }
        const tau = (-dp + Math.sqrt(Math.max(0, dp * dp + pp * (delta * delta - dd)))) / pp;
        for (let i = 0; i < n; i++) d[i] += tau * p[i];
      };
      if (pbp <= 0) {
        toEdge();
        return;
      }
      const alpha = rr / pbp;
      let dn = 0;
      for (let i = 0; i < n; i++) dn += (d[i] + alpha * p[i]) ** 2;
      if (Math.sqrt(dn) >= delta) {
        toEdge();
        return;
      }
      let rrNew = 0;
      for (let i = 0; i < n; i++) {
        d[i] += alpha * p[i];
        r[i] -= alpha * bp[i];
        rrNew += r[i] * r[i];
      }
      if (Math.sqrt(rrNew) <= tol) return;
      const beta = rrNew / rr;
      rr = rrNew;
      for (let i = 0; i < n; i++) p[i] = r[i] + beta * p[i];
    }
  };

  let fx = obj.f(x);
  let status = 0, nit = 0, aborted = false;
  if (fx === Infinity) status = 3;
  else {
    obj.grad(x, g, fx);
    if (projectedGradientNorm(x, g, lower, upper) <= gtol) status = 1;
  }
  while (status === 0 && nit < maxiter && obj.nfev < maxfev) {
    for (let i = 0; i < n; i++) {
      free[i] = (x[i] <= lower[i] && g[i] > 0) || (x[i] >= upper[i] && g[i] < 0) ? 0 : 1;
    }
    steihaug();
    for (let i = 0; i < n; i++) xt[i] = x[i] + d[i];
    project(xt, lower, upper);
    for (let i = 0; i < n; i++) s[i] = xt[i] - x[i];
    let pred = predicted(s);
    if (!(pred > 0)) {
      // Projected Cauchy step: minimize the model along −g_F within Δ, then project.
      let gg = 0;
      for (let i = 0; i < n; i++) p[i] = free[i] ? -g[i] : 0;
      mulB(p, bp);
      let pbp = 0;
      for (let i = 0; i < n; i++) {
        gg += p[i] * p[i];
        pbp += p[i] * bp[i];
      }
      let t = delta / Math.sqrt(gg);
      if (pbp > 0) t = Math.min(t, gg / pbp);
      for (let i = 0; i < n; i++) xt[i] = x[i] + t * p[i];
      project(xt, lower, upper);
      for (let i = 0; i < n; i++) s[i] = xt[i] - x[i];
      pred = predicted(s);
    }
    let snorm = 0;
    for (let i = 0; i < n; i++) snorm += s[i] * s[i];
    snorm = Math.sqrt(snorm);
    const ft = snorm > 0 ? obj.f(xt) : fx;
    const ratio = pred > 0 ? (fx - ft) / pred : -1;
    if (ratio < 0.25) delta = 0.25 * Math.min(delta, snorm > 0 ? snorm : delta);
    else if (ratio > 0.75 && snorm >= 0.8 * delta) delta = Math.max(delta, 2 * snorm);
    if (ratio > 0 && ft < fx) {
      obj.grad(xt, gt, ft);
      let sy = 0, yy = 0, sBs = 0;
      for (let i = 0; i < n; i++) {
        y[i] = gt[i] - g[i];
        sy += s[i] * y[i];
        yy += y[i] * y[i];
      }
      mulB(s, bs);
      for (let i = 0; i < n; i++) sBs += s[i] * bs[i];
      if (sy > 1e-10 * snorm * Math.sqrt(yy) && sBs > 0) {
        if (nit === 0) {
          // Scale the initial identity as scipy's BFGS does (yᵀy / sᵀy), then redo B·s.
          const sc = yy / sy;
          for (let i = 0; i < n * n; i++) B[i] *= sc;
          mulB(s, bs);
          sBs *= sc;
        }
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) B[i * n + j] += y[i] * y[j] / sy - bs[i] * bs[j] / sBs;
        }
      }
      x.set(xt);
      g.set(gt);
      fx = ft;
      nit++;
      if (options.callback && options.callback(x, nit, fx) === true) {
        aborted = true;
        break;
      }
      if (projectedGradientNorm(x, g, lower, upper) <= gtol) {
        status = 1;
        break;
      }
    }
    if (delta < xtol) {
      status = 2;
      break;
    }
  }
  const st = aborted ? -1 : status;
  return {
    x,
    fun: fx,
    success: st === 1 || st === 2,
    status: st,
    message: TRUST_CONSTR_MESSAGES[st],
    nfev: obj.nfev,
    njev: obj.njev,
    nit,
    aborted,
  };
}

const TRUST_CONSTR_OPTION_KEYS = optionKeys<TrustConstrOptions>({
  lower: true,
  upper: true,
  grad: true,
  fdMethod: true,
  gtol: true,
  xtol: true,
  initialTrRadius: true,
  maxiter: true,
  maxfev: true,
  callback: true,
});
