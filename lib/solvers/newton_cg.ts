/**
 * Truncated Newton / Newton-CG (Nocedal & Wright, "Numerical Optimization", 2nd ed.,
 * Algorithm 7.1), as scipy's `minimize(method="Newton-CG")`: the Newton system H·s = −∇f is
 * solved approximately by conjugate gradients to the forcing tolerance min(0.5, √‖∇f‖₁)·‖∇f‖₁
 * (at most 20·n inner steps); negative or zero curvature ends the inner solve (with the
 * steepest-descent step scaled by the curvature if it happens first). Hessian-vector products
 * come from `hessp` or from forward differences of the gradient along the vector. A strong-Wolfe
 * line search (unit first step) along the result.
 *
 * Status codes and messages are `GRADIENT_MESSAGES` (shared with BFGS):
 *
 * | status | meaning |
 * |---|---|
 * | 0 | converged: ‖∇f‖∞ ≤ gtol·max(1, \|f\|), a step ≤ xtol·max(1, ‖x‖∞), or no decrease possible at the precision of the gradient |
 * | 1 | maxiter reached |
 * | 2 | line search failed with a large gradient (precision loss) |
 * | 3 | maxfev reached |
 * | 4 | the objective is not finite at the start |
 * | -1 | aborted by the callback |
 *
 * @module
 */

import type { GradientFunction, IterationCallback, ScalarFunction, SolverResult } from "./types.ts";
import { GRADIENT_MESSAGES, infNorm, StallDetector, WolfeLineSearch } from "./_line_search.ts";
import {
  CENTRAL_STEP,
  countedObjective,
  type FiniteDiffMethod,
  FORWARD_STEP,
} from "./_finite_diff.ts";
import { checkOptions, optionKeys } from "../util/options.ts";

/**
 * Hessian-vector product: writes H(x)·v into `out`.
 *
 * @example
 * ```ts
 * import { type HessianVectorProduct, newtonCG } from "./newton_cg.ts";
 * // f = (x0 − 1)² + 5·x1²: constant Hessian diag(2, 10).
 * const hessp: HessianVectorProduct = (_x, v, out) => {
 *   out[0] = 2 * v[0];
 *   out[1] = 10 * v[1];
 * };
 * newtonCG((x) => (x[0] - 1) ** 2 + 5 * x[1] ** 2, Float64Array.of(4, 4), { hessp }).x; // ≈ [1, 0]
 * ```
 *
 * @category Solvers
 */
export type HessianVectorProduct = (x: Float64Array, v: Float64Array, out: Float64Array) => void;

/**
 * Options of `newtonCG`.
 *
 * @example
 * ```ts
 * import { newtonCG, type NewtonCGOptions } from "./newton_cg.ts";
 * const options: NewtonCGOptions = {
 *   grad: (x, out) => { out[0] = 2 * (x[0] - 1); out[1] = 10 * x[1]; },
 *   xtol: 1e-12,
 * };
 * newtonCG((x) => (x[0] - 1) ** 2 + 5 * x[1] ** 2, Float64Array.of(4, 4), options).x; // ≈ [1, 0]
 * ```
 *
 * @category Solvers
 */
export interface NewtonCGOptions {
  /** Gradient of the objective; finite differences (see `fdMethod`) when absent. @default undefined */
  grad?: GradientFunction;
  /** Hessian-vector product; forward differences of the gradient when absent. @default undefined */
  hessp?: HessianVectorProduct;
  /** Finite-difference scheme for the gradient when `grad` is absent. @default "central" */
  fdMethod?: FiniteDiffMethod;
  /** Stop when ‖∇f‖∞ ≤ gtol·max(1, |f|). @default 1e-9 */
  gtol?: number;
  /** Stop when a step's max-norm is ≤ xtol·max(1, ‖x‖∞). @default 1e-12 */
  xtol?: number;
  /** Maximum (outer) iterations. @default 200·n */
  maxiter?: number;
  /** Maximum objective evaluations (finite differences included). @default 20000·(n+1) */
  maxfev?: number;
  /** Called each iteration with the current point; `true` aborts. @default undefined */
  callback?: IterationCallback;
}

/**
 * Minimises `fun` from `x0` by Newton-CG.
 *
 * @example
 * ```ts
 * import { newtonCG } from "./newton_cg.ts";
 * const rosen = (x: Float64Array) => 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2;
 * newtonCG(rosen, Float64Array.of(-1.2, 1)).x; // ≈ [1, 1]
 * ```
 *
 * @category Solvers
 */
export function newtonCG(
  fun: ScalarFunction,
  x0: Float64Array,
  options: NewtonCGOptions = {},
): SolverResult {
  checkOptions(options, NEWTON_C_G_OPTION_KEYS, "newtonCG");
  const n = x0.length;
  const gtol = options.gtol ?? 1e-9;
  const xtol = options.xtol ?? 1e-12;
  const maxiter = options.maxiter ?? 200 * n;
  const maxfev = options.maxfev ?? 20000 * (n + 1);
  const obj = countedObjective(fun, n, options.grad, options.fdMethod ?? "central");
  const ls = new WolfeLineSearch(obj.f, obj.grad, n);
  const x = Float64Array.from(x0);
  const g = new Float64Array(n), gh = new Float64Array(n), xh = new Float64Array(n);
  const r = new Float64Array(n), d = new Float64Array(n), Ad = new Float64Array(n);
  const step = new Float64Array(n);
  // Relative step of the gradient difference: √eps for an exact gradient, ∛eps for a
  // finite-difference one (whose own error is about eps^(2/3)).
  const hrel = options.grad ? FORWARD_STEP : CENTRAL_STEP;
  const hessVec = (v: Float64Array, out: Float64Array) => {
    if (options.hessp) {
      options.hessp(x, v, out);
      return;
    }
    const h = hrel * Math.max(1, infNorm(x)) / Math.max(infNorm(v), 1e-300);
    for (let i = 0; i < n; i++) xh[i] = x[i] + h * v[i];
    let fh = obj.f(xh), sign = 1;
    if (fh === Infinity) {
      // Next to a non-finite region: difference backwards.
      for (let i = 0; i < n; i++) xh[i] = x[i] - h * v[i];
      fh = obj.f(xh);
      sign = -1;
    }
    obj.grad(xh, gh, fh);
    for (let i = 0; i < n; i++) out[i] = sign * (gh[i] - g[i]) / h;
  };
  let fx = obj.f(x);
  let status = 1, nit = 0, aborted = false;
  if (fx === Infinity) status = 4;
  else obj.grad(x, g, fx);
  const stall = new StallDetector(fx);
  while (status !== 4 && nit < maxiter) {
    const gmax = infNorm(g);
    if (gmax <= gtol * Math.max(1, Math.abs(fx))) {
      status = 0;
      break;
    }
    if (obj.nfev >= maxfev) {
      status = 3;
      break;
    }
    // Inner CG on H·s = −g from s = 0 (residual r = H·s + g).
    let g1 = 0;
    for (let i = 0; i < n; i++) g1 += Math.abs(g[i]);
    const term = Math.min(0.5, Math.sqrt(g1)) * g1;
    step.fill(0);
    let rr = 0;
    for (let i = 0; i < n; i++) {
      r[i] = g[i];
      d[i] = -g[i];
      rr += g[i] * g[i];
    }
    for (let k = 0; k < 20 * n; k++) {
      let r1 = 0;
      for (let i = 0; i < n; i++) r1 += Math.abs(r[i]);
      if (r1 <= term) break;
      hessVec(d, Ad);
      let curv = 0;
      for (let i = 0; i < n; i++) curv += d[i] * Ad[i];
      if (!(curv > 3 * Number.EPSILON * rr)) {
        // Negative or zero curvature: keep the step so far (or a scaled steepest descent).
        if (k === 0) {
          const scale = curv < 0 ? rr / -curv : 1;
          for (let i = 0; i < n; i++) step[i] = scale * d[i];
        }
        break;
      }
      const alpha = rr / curv;
      let rrNew = 0;
      for (let i = 0; i < n; i++) {
        step[i] += alpha * d[i];
        r[i] += alpha * Ad[i];
        rrNew += r[i] * r[i];
      }
      const beta = rrNew / rr;
      for (let i = 0; i < n; i++) d[i] = -r[i] + beta * d[i];
      rr = rrNew;
    }
    let slope = 0;
    for (let i = 0; i < n; i++) slope += step[i] * g[i];
    if (!(slope < 0)) {
      slope = 0;
      for (let i = 0; i < n; i++) {
        step[i] = -g[i];
        slope -= g[i] * g[i];
      }
    }
    if (!ls.search(x, step, fx, slope, 1)) {
      status = gmax <= 1e-5 * Math.max(1, Math.abs(fx)) ? 0 : 2;
      break;
    }
    let dx = 0;
    for (let i = 0; i < n; i++) dx = Math.max(dx, Math.abs(ls.x[i] - x[i]));
    const fPrev = fx;
    x.set(ls.x);
    g.set(ls.g);
    fx = ls.f;
    nit++;
    if (options.callback && options.callback(x, nit, fx) === true) {
      aborted = true;
      break;
    }
    if (stall.update(fPrev, fx) || dx <= xtol * Math.max(1, infNorm(x))) {
      status = 0;
      break;
    }
  }
  const st = aborted ? -1 : status;
  return {
    x,
    fun: fx,
    success: st === 0,
    status: st,
    message: GRADIENT_MESSAGES[st],
    nfev: obj.nfev,
    njev: obj.njev,
    nit,
    aborted,
  };
}

const NEWTON_C_G_OPTION_KEYS = optionKeys<NewtonCGOptions>({
  grad: true,
  hessp: true,
  fdMethod: true,
  gtol: true,
  xtol: true,
  maxiter: true,
  maxfev: true,
  callback: true,
});
