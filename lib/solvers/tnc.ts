/**
 * TNC: truncated Newton with bounds (S. G. Nash, "Newton-type minimization via the Lanczos
 * method", SIAM J. Numer. Anal. 21, 1984, and Nash's TNC code behind scipy's
 * `minimize(method="TNC")`).
 *
 * Each iteration
 * 1. fixes the variables at a bound whose gradient points out of the box (the active set);
 * 2. solves the Newton equations H_FF·p = −g_F on the free variables approximately by conjugate
 *    gradients (at most `maxCGit` steps, relative residual ≤ min(½, √‖g‖)), with Hessian-vector
 *    products from finite differences of the gradient, (∇f(x + h·v) − ∇f(x)) / h, taken on
 *    the side of x that stays in the box; negative curvature ends CG with the last descent
 *    direction (steepest descent on the first CG step);
 * 3. searches along p with a Moré–Thuente line search (sufficient decrease 1e-4, curvature
 *    `eta`) whose maximum step is the largest feasible one (and ≤ stepmx/‖p‖); variables that
 *    reach a bound join the active set at the next iteration.
 *
 * Nash's code also preconditions CG with a diagonal BFGS update and keeps variables on their
 * bounds until a release test passes; this implementation uses no preconditioner and re-tests
 * the active set every iteration (a projected-Newton active set).
 *
 * | status | meaning |
 * |---|---|
 * | 0 | local minimum: projected gradient ∞-norm ≤ pgtol·max(1, \|f\|) |
 * | 1 | converged: \|f_k − f_{k−1}\| ≤ ftol·max(1, \|f\|) |
 * | 2 | converged: ‖x_k − x_{k−1}‖ ≤ xtol·(1 + ‖x‖) |
 * | 3 | maxfev reached |
 * | 4 | line search failed |
 * | 5 | all lower bounds equal the upper bounds |
 * | 6 | maxiter reached |
 * | 8 | the objective is not finite at the start |
 * | -1 | aborted by the callback |
 *
 * @module
 */

import type { GradientFunction, IterationCallback, ScalarFunction, SolverResult } from "./types.ts";
import { boundedObjective, project, projectedGradientNorm, resolveBox } from "./_bounded_common.ts";
import { moreThuente } from "./_bounded_line_search.ts";
import { checkOptions, optionKeys } from "../util/options.ts";

/**
 * Options of `tnc`.
 *
 * @example
 * ```ts
 * import { tnc, type TncOptions } from "./tnc.ts";
 * const options: TncOptions = {
 *   lower: Float64Array.of(-2, 0), upper: Float64Array.of(2, 2), fdMethod: "central", maxiter: 200,
 * };
 * tnc((x) => (x[0] - 3) ** 2 + (x[1] + 1) ** 2, Float64Array.of(0, 0), options).x; // ≈ [2, 0]
 * ```
 *
 * @category Solvers
 */
export interface TncOptions {
  /** Lower bounds (−Infinity for none). @default all −Infinity */
  lower?: Float64Array;
  /** Upper bounds (+Infinity for none). @default all +Infinity */
  upper?: Float64Array;
  /** Gradient of the objective; box-respecting finite differences when absent. @default undefined */
  grad?: GradientFunction;
  /** Finite-difference scheme when `grad` is absent. @default "forward" */
  fdMethod?: "forward" | "central";
  /** Maximum CG steps per iteration. @default max(1, min(50, n)) */
  maxCGit?: number;
  /** Line-search curvature severity in (0, 1). @default 0.25 */
  eta?: number;
  /** Maximum step length ‖Δx‖ of one line search. @default 10 */
  stepmx?: number;
  /** Projected-gradient tolerance, relative to max(1, |f|). @default 1e-8 */
  pgtol?: number;
  /** Relative change of f that ends the solve. @default 1e-12 */
  ftol?: number;
  /** Relative change of x that ends the solve. @default 1e-10 */
  xtol?: number;
  /** Maximum iterations. @default 1000 */
  maxiter?: number;
  /** Maximum objective evaluations (finite differences included). @default 20000 */
  maxfev?: number;
  /** Called each iteration with the current point; `true` aborts. @default undefined */
  callback?: IterationCallback;
}

/** Status messages of `tnc`, by status code. */
export const TNC_MESSAGES: Readonly<Record<number, string>> = Object.freeze({
  0: "Local minimum reached (|pg| ~= 0)",
  1: "Converged (|f_n-f_(n-1)| ~= 0)",
  2: "Converged (|x_n-x_(n-1)| ~= 0)",
  3: "Max. number of function evaluations reached",
  4: "Linear search failed",
  5: "All lower bounds are equal to the upper bounds",
  6: "Maximum number of iterations reached",
  8: "The objective is not finite at the starting point.",
  [-1]: "Aborted by the iteration callback.",
});

/**
 * Minimises `fun` from `x0` within `[lower, upper]` by truncated Newton.
 *
 * @example
 * ```ts
 * import { tnc } from "./tnc.ts";
 * const f = (x: Float64Array) => (x[0] - 3) ** 2 + (x[1] + 1) ** 2;
 * tnc(f, Float64Array.of(0, 0), { lower: Float64Array.of(-2, 0), upper: Float64Array.of(2, 2) }).x; // ≈ [2, 0]
 * ```
 *
 * @category Solvers
 */
export function tnc(fun: ScalarFunction, x0: Float64Array, options: TncOptions = {}): SolverResult {
  checkOptions(options, TNC_OPTION_KEYS, "tnc");
  const n = x0.length;
  const { lower, upper } = resolveBox(n, options.lower, options.upper);
  const maxCGit = options.maxCGit ?? Math.max(1, Math.min(50, n));
  const eta = options.eta ?? 0.25;
  if (!(eta > 0 && eta < 1)) throw new RangeError(`eta = ${eta}: give a value in (0, 1)`);
  const stepmx = options.stepmx ?? 10;
  const pgtol = options.pgtol ?? 1e-8;
  const ftol = options.ftol ?? 1e-12;
  const xtol = options.xtol ?? 1e-10;
  const maxiter = options.maxiter ?? 1000;
  const maxfev = options.maxfev ?? 20000;
  const obj = boundedObjective(fun, n, options.grad, options.fdMethod ?? "forward", lower, upper);
  // Hessian-vector step: √ε for analytic gradients, ∛ε on top of finite-difference ones.
  const hvRel = options.grad ? 1.4901161193847656e-8 : 6.055454452393343e-6;

  const x = Float64Array.from(x0);
  project(x, lower, upper);
  const g = new Float64Array(n), free = new Uint8Array(n);
  const p = new Float64Array(n),
    r = new Float64Array(n),
    dir = new Float64Array(n),
    hd = new Float64Array(n);
  const xh = new Float64Array(n),
    gh = new Float64Array(n),
    xt = new Float64Array(n),
    gt = new Float64Array(n);

  /** hd = H·v (free components only) by a one-sided gradient difference inside the box. */
  const hessVec = (v: Float64Array): boolean => {
    let vn = 0, xn = 0;
    for (let i = 0; i < n; i++) {
      vn += v[i] * v[i];
      xn += x[i] * x[i];
    }
    vn = Math.sqrt(vn);
    let h = hvRel * (1 + Math.sqrt(xn)) / vn;
    // Largest feasible steps forwards and backwards along v.
    let up = Infinity, down = Infinity;
    for (let i = 0; i < n; i++) {
      if (v[i] > 0) {
        up = Math.min(up, (upper[i] - x[i]) / v[i]);
        down = Math.min(down, (x[i] - lower[i]) / v[i]);
      } else if (v[i] < 0) {
        up = Math.min(up, (lower[i] - x[i]) / v[i]);
        down = Math.min(down, (x[i] - upper[i]) / v[i]);
      }
    }
    let sign = 1;
    if (up < h) {
      if (down >= h || down > up) sign = -1;
      h = Math.min(h, Math.max(up, down));
    }
    if (!(h > 0)) return false;
    for (let i = 0; i < n; i++) xh[i] = x[i] + sign * h * v[i];
    project(xh, lower, upper);
    const fh = obj.f(xh);
    if (fh === Infinity) return false;
    obj.grad(xh, gh, fh);
    for (let i = 0; i < n; i++) hd[i] = free[i] ? sign * (gh[i] - g[i]) / h : 0;
    return true;
  };

  let fx = obj.f(x);
  let status = 6, nit = 0, aborted = false;
  let fixedAll = true;
  for (let i = 0; i < n; i++) if (lower[i] < upper[i]) fixedAll = false;
  if (fx === Infinity) status = 8;
  else if (fixedAll) status = 5;
  else obj.grad(x, g, fx);
  const lsOut = { lastStp: NaN };
  while (status === 6 && nit < maxiter) {
    let gnorm = 0;
    for (let i = 0; i < n; i++) {
      free[i] =
        (x[i] <= lower[i] && g[i] > 0) || (x[i] >= upper[i] && g[i] < 0) || lower[i] === upper[i]
          ? 0
          : 1;
      if (free[i]) gnorm += g[i] * g[i];
    }
    gnorm = Math.sqrt(gnorm);
    if (projectedGradientNorm(x, g, lower, upper) <= pgtol * Math.max(1, Math.abs(fx))) {
      status = 0;
      break;
    }
    if (obj.nfev >= maxfev) {
      status = 3;
      break;
    }
    // Truncated CG on H_FF p = −g_F.
    p.fill(0);
    let rr = 0;
    for (let i = 0; i < n; i++) {
      r[i] = free[i] ? -g[i] : 0;
      dir[i] = r[i];
      rr += r[i] * r[i];
    }
    const tol = Math.min(0.5, Math.sqrt(gnorm)) * gnorm;
    for (let k = 0; k < maxCGit; k++) {
      if (obj.nfev >= maxfev || !hessVec(dir)) {
        if (k === 0) p.set(r);
        break;
      }
      let dhd = 0;
      for (let i = 0; i < n; i++) dhd += dir[i] * hd[i];
      if (dhd <= 1e-14 * rr) {
        if (k === 0) p.set(r);
        break;
      }
      const alpha = rr / dhd;
      let rrNew = 0;
      for (let i = 0; i < n; i++) {
        p[i] += alpha * dir[i];
        r[i] -= alpha * hd[i];
        rrNew += r[i] * r[i];
      }
      if (Math.sqrt(rrNew) <= tol) break;
      const beta = rrNew / rr;
      rr = rrNew;
      for (let i = 0; i < n; i++) dir[i] = r[i] + beta * dir[i];
    }
    let gp = 0, pn = 0;
    for (let i = 0; i < n; i++) {
      gp += g[i] * p[i];
      pn += p[i] * p[i];
    }
    pn = Math.sqrt(pn);
    if (!(gp < 0)) {
      for (let i = 0; i < n; i++) p[i] = free[i] ? -g[i] : 0;
      gp = -gnorm * gnorm;
      pn = gnorm;
    }
    let amax = stepmx / pn;
    for (let i = 0; i < n; i++) {
      if (p[i] > 0) amax = Math.min(amax, (upper[i] - x[i]) / p[i]);
      else if (p[i] < 0) amax = Math.min(amax, (lower[i] - x[i]) / p[i]);
    }
    if (!(amax > 0)) {
      status = 4;
      break;
    }
    const ls = moreThuente(
      (t, out) => {
        if (obj.nfev >= maxfev) return false;
        for (let i = 0; i < n; i++) xt[i] = x[i] + t * p[i];
        project(xt, lower, upper);
        out.f = obj.f(xt);
        if (out.f === Infinity) out.g = NaN;
        else {
          obj.grad(xt, gt, out.f);
          let s = 0;
          for (let i = 0; i < n; i++) s += gt[i] * p[i];
          out.g = s;
        }
        lsOut.lastStp = t;
        return true;
      },
      fx,
      gp,
      Math.min(1, amax),
      amax,
      1e-4,
      eta,
      1e-10,
      20,
    );
    if (!(ls.stp > 0 && ls.f < fx)) {
      status = obj.nfev >= maxfev ? 3 : 4;
      break;
    }
    if (ls.stp !== lsOut.lastStp) {
      for (let i = 0; i < n; i++) xt[i] = x[i] + ls.stp * p[i];
      project(xt, lower, upper);
      obj.grad(xt, gt, obj.f(xt));
    }
    let dx = 0, xnorm = 0;
    for (let i = 0; i < n; i++) {
      dx += (xt[i] - x[i]) ** 2;
      xnorm += xt[i] * xt[i];
    }
    const fPrev = fx;
    x.set(xt);
    g.set(gt);
    fx = ls.f;
    nit++;
    if (options.callback && options.callback(x, nit, fx) === true) {
      aborted = true;
      break;
    }
    if (Math.abs(fPrev - fx) <= ftol * Math.max(1, Math.abs(fx))) {
      status = projectedGradientNorm(x, g, lower, upper) <= pgtol * Math.max(1, Math.abs(fx))
        ? 0
        : 1;
      break;
    }
    if (Math.sqrt(dx) <= xtol * (1 + Math.sqrt(xnorm))) {
      status = 2;
      break;
    }
  }
  const st = aborted ? -1 : status;
  return {
    x,
    fun: fx,
    success: st === 0 || st === 1 || st === 2,
    status: st,
    message: TNC_MESSAGES[st],
    nfev: obj.nfev,
    njev: obj.njev,
    nit,
    aborted,
  };
}

const TNC_OPTION_KEYS = optionKeys<TncOptions>({
  lower: true,
  upper: true,
  grad: true,
  fdMethod: true,
  maxCGit: true,
  eta: true,
  stepmx: true,
  pgtol: true,
  ftol: true,
  xtol: true,
  maxiter: true,
  maxfev: true,
  callback: true,
});
