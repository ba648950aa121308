/**
 * Truncated Newton (Newton-CG, Nocedal & Wright Algorithm 7.1, as scipy's `fmin_ncg`): the
 * Newton system is solved approximately by conjugate gradients with the forcing term
 * min(0.5, √‖g‖₁)·‖g‖₁, using Hessian-vector products from finite differences of the gradient;
 * negative curvature ends the inner solve. A strong-Wolfe line search along the result.
 *
 * | status | meaning |
 * |---|---|
 * | 0 | converged: ‖∇f‖∞ ≤ gtol·max(1, |f|) |
 * | 1 | maxiter reached |
 * | 2 | line search failed |
 * | 3 | maxfev reached |
 * | -1 | aborted by the callback |
 *
 * @module
 */

import type { ScalarFunction, SolverResult } from "./types.ts";
import type { GradientSolverOptions } from "./bfgs.ts";
import { alongDirection, strongWolfe } from "./_line_search.ts";
import { centralGradient } from "./_finite_diff.ts";

const MESSAGES: Record<number, string> = {
  0: "Optimization terminated successfully.",
  1: "Maximum number of iterations has been exceeded.",
  2: "Warning: the line search failed (desired error not necessarily achieved).",
  3: "Maximum number of function evaluations has been exceeded.",
  [-1]: "Aborted by the iteration callback.",
};

/**
 * Minimises `fun` from `x0` by Newton-CG.
 *
 * @example
 * ```ts
 * import { newtonCG } from "./newton_cg.ts";
 * const rosen = (x: Float64Array) => 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2;
 * newtonCG(rosen, Float64Array.of(-1.2, 1)).x; // ≈ [1, 1]
 * ```
 */
export function newtonCG(
  fun: ScalarFunction,
  x0: Float64Array,
  options: GradientSolverOptions = {},
): SolverResult {
  const n = x0.length;
  const gtol = options.gtol ?? 1e-9;
  const maxiter = options.maxiter ?? 200 * n;
  const maxfev = options.maxfev ?? 2000 * (n + 1) * 10;
  let nfev = 0, njev = 0;
  const f = (x: Float64Array) => {
    nfev++;
    const v = fun(x);
    return Number.isNaN(v) ? Infinity : v;
  };
  const grad = (x: Float64Array, out: Float64Array) => {
    if (options.grad) {
      njev++;
      options.grad(x, out);
    } else centralGradient(f, x, out);
  };
  const x = Float64Array.from(x0);
  const g = new Float64Array(n), gh = new Float64Array(n), xh = new Float64Array(n);
  const r = new Float64Array(n),
    pcg = new Float64Array(n),
    Ap = new Float64Array(n),
    step = new Float64Array(n);
  const xNew = new Float64Array(n), gNew = new Float64Array(n);
  let fx = f(x);
  grad(x, g);
  let status = 1, nit = 0, aborted = false;
  const hessVec = (v: Float64Array, out: Float64Array) => {
    let vn = 0, xn = 0;
    for (let i = 0; i < n; i++) {
      vn = Math.max(vn, Math.abs(v[i]));
      xn = Math.max(xn, Math.abs(x[i]));
    }
    const h = 1e-4 * Math.max(1, xn) / Math.max(vn, 1e-300);
    for (let i = 0; i < n; i++) xh[i] = x[i] + h * v[i];
    grad(xh, gh);
    for (let i = 0; i < n; i++) out[i] = (gh[i] - g[i]) / h;
  };
  while (nit < maxiter) {
    let gmax = 0, g1 = 0;
    for (let i = 0; i < n; i++) {
      gmax = Math.max(gmax, Math.abs(g[i]));
      g1 += Math.abs(g[i]);
    }
    if (gmax <= gtol * Math.max(1, Math.abs(fx))) {
      status = 0;
      break;
    }
    if (nfev >= maxfev) {
      status = 3;
      break;
    }
    // Inner CG on H s = -g.
    const term = Math.min(0.5, Math.sqrt(g1)) * g1;
    step.fill(0);
    r.set(g);
    for (let i = 0; i < n; i++) pcg[i] = -r[i];
    let rr = r.reduce((a, v) => a + v * v, 0);
    for (let k = 0; k < 20 * n; k++) {
      let rsum = 0;
      for (let i = 0; i < n; i++) rsum += Math.abs(r[i]);
      if (rsum <= term) break;
      hessVec(pcg, Ap);
      let curv = 0;
      for (let i = 0; i < n; i++) curv += pcg[i] * Ap[i];
      if (curv >= 0 && curv <= 3 * Number.EPSILON) break;
      if (curv < 0) {
        if (k === 0) { for (let i = 0; i < n; i++) step[i] = (rr / -curv) * pcg[i]; }
        break;
      }
      const alpha = rr / curv;
      for (let i = 0; i < n; i++) {
        step[i] += alpha * pcg[i];
        r[i] += alpha * Ap[i];
      }
      const rr1 = r.reduce((a, v) => a + v * v, 0);
      const beta = rr1 / rr;
      for (let i = 0; i < n; i++) pcg[i] = -r[i] + beta * pcg[i];
      rr = rr1;
    }
    let slope = 0;
    for (let i = 0; i < n; i++) slope += step[i] * g[i];
    if (!(slope < 0)) {
      for (let i = 0; i < n; i++) step[i] = -g[i];
      slope = -g.reduce((a, v) => a + v * v, 0);
    }
    const phi = alongDirection(f, grad, x, step, xNew, gNew);
    const ls = strongWolfe(phi, fx, slope, 1);
    if (!ls.ok) {
      status = gmax <= 1e-5 * Math.max(1, Math.abs(fx)) ? 0 : 2;
      break;
    }
    const fPrev = fx;
    for (let i = 0; i < n; i++) x[i] += ls.a * step[i];
    fx = ls.f;
    grad(x, g);
    nit++;
    if (options.callback && options.callback(x, nit, fx) === true) {
      aborted = true;
      break;
    }
    if (Math.abs(fPrev - fx) <= 1e-16 * Math.max(1, Math.abs(fx))) {
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
    message: MESSAGES[st],
    nfev,
    njev,
    nit,
    aborted,
  };
}
