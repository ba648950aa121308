/**
 * BFGS quasi-Newton minimisation with an inverse-Hessian update and a strong-Wolfe line search
 * (Nocedal & Wright, "Numerical Optimization", Algorithm 6.1), and the Polak-Ribière+
 * nonlinear conjugate-gradient method with the same line search (Algorithm 5.4 with PR+).
 * Gradients by central differences unless `grad` is given.
 *
 * | status | meaning |
 * |---|---|
 * | 0 | converged: gradient norm at most gtol, or no further decrease possible at machine precision |
 * | 1 | maxiter reached |
 * | 2 | the line search failed (no decrease along the search direction) |
 * | 3 | maxfev reached |
 * | -1 | aborted by the callback |
 *
 * @module
 */

import type { GradientFunction, IterationCallback, ScalarFunction, SolverResult } from "./types.ts";
import { alongDirection, strongWolfe } from "./_line_search.ts";
import { centralGradient } from "./_finite_diff.ts";

/** Options of `bfgs` and `conjugateGradient`. */
export interface GradientSolverOptions {
  /** Gradient of the objective; central differences when absent. */
  grad?: GradientFunction;
  /** Stop when ‖∇f‖∞ ≤ gtol·max(1, |f|). @default 1e-9 */
  gtol?: number;
  /** Maximum iterations. @default 200·n for BFGS, 1000·n for CG */
  maxiter?: number;
  /** Maximum objective evaluations. @default 2000·(n+1)·10 */
  maxfev?: number;
  /** Called each iteration with the current point; `true` aborts. */
  callback?: IterationCallback;
}

/** BFGS result: the solver result plus the final inverse-Hessian approximation (row-major). */
export interface BfgsResult extends SolverResult {
  /** Inverse Hessian approximation, n×n row-major. */
  hessInv: Float64Array;
}

const MESSAGES: Record<number, string> = {
  0: "Optimization terminated successfully.",
  1: "Maximum number of iterations has been exceeded.",
  2: "Desired error not necessarily achieved due to precision loss (line search failed).",
  3: "Maximum number of function evaluations has been exceeded.",
  [-1]: "Aborted by the iteration callback.",
};

function setup(fun: ScalarFunction, n: number, options: GradientSolverOptions) {
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
  const counts = () => ({ nfev, njev });
  void n;
  return { f, grad, counts };
}

function infNorm(g: Float64Array): number {
  let m = 0;
  for (let i = 0; i < g.length; i++) m = Math.max(m, Math.abs(g[i]));
  return m;
}

/**
 * Minimises `fun` from `x0` by BFGS.
 *
 * @example
 * ```ts
 * import { bfgs } from "./bfgs.ts";
 * const rosen = (x: Float64Array) => 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2;
 * bfgs(rosen, Float64Array.of(-1.2, 1)).x; // ≈ [1, 1]
 * ```
 */
export function bfgs(
  fun: ScalarFunction,
  x0: Float64Array,
  options: GradientSolverOptions = {},
): BfgsResult {
  const n = x0.length;
  const gtol = options.gtol ?? 1e-9;
  const maxiter = options.maxiter ?? 200 * n;
  const maxfev = options.maxfev ?? 2000 * (n + 1) * 10;
  const { f, grad, counts } = setup(fun, n, options);
  const x = Float64Array.from(x0);
  const g = new Float64Array(n), gNew = new Float64Array(n), p = new Float64Array(n);
  const xNew = new Float64Array(n),
    s = new Float64Array(n),
    y = new Float64Array(n),
    hy = new Float64Array(n);
  const H = new Float64Array(n * n);
  for (let i = 0; i < n; i++) H[i * n + i] = 1;
  let fx = f(x);
  grad(x, g);
  let status = 1, nit = 0, aborted = false;
  let firstStep = true;
  while (nit < maxiter) {
    if (infNorm(g) <= gtol * Math.max(1, Math.abs(fx))) {
      status = 0;
      break;
    }
    if (counts().nfev >= maxfev) {
      status = 3;
      break;
    }
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let j = 0; j < n; j++) v -= H[i * n + j] * g[j];
      p[i] = v;
    }
    let slope = 0;
    for (let i = 0; i < n; i++) slope += p[i] * g[i];
    if (!(slope < 0)) {
      // Not a descent direction: reset to steepest descent.
      H.fill(0);
      for (let i = 0; i < n; i++) {
        H[i * n + i] = 1;
        p[i] = -g[i];
      }
      slope = -g.reduce((a, v) => a + v * v, 0);
    }
    const phi = alongDirection(f, grad, x, p, xNew, gNew);
    const a0 = firstStep ? Math.min(1, 1 / Math.max(1e-300, infNorm(g))) : 1;
    const ls = strongWolfe(phi, fx, slope, a0);
    if (!ls.ok) {
      status = infNorm(g) <= 1e-5 * Math.max(1, Math.abs(fx)) ? 0 : 2;
      break;
    }
    // Re-evaluate at the accepted step (the last trial may differ).
    for (let i = 0; i < n; i++) {
      s[i] = ls.a * p[i];
      xNew[i] = x[i] + s[i];
    }
    grad(xNew, gNew);
    for (let i = 0; i < n; i++) y[i] = gNew[i] - g[i];
    let ys = 0;
    for (let i = 0; i < n; i++) ys += y[i] * s[i];
    const fPrev = fx;
    x.set(xNew);
    g.set(gNew);
    fx = ls.f;
    nit++;
    if (options.callback && options.callback(x, nit, fx) === true) {
      aborted = true;
      break;
    }
    if (
      Math.abs(fPrev - fx) <= 1e-16 * Math.max(1, Math.abs(fx)) &&
      infNorm(s) <= 1e-15 * Math.max(1, infNorm(x))
    ) {
      status = 0;
      break;
    }
    if (ys > 1e-300) {
      if (firstStep) {
        // Scale the initial inverse Hessian (Nocedal & Wright eq. 6.20).
        let yy = 0;
        for (let i = 0; i < n; i++) yy += y[i] * y[i];
        const scale = ys / yy;
        for (let i = 0; i < n * n; i++) H[i] *= scale;
        firstStep = false;
      }
      const rho = 1 / ys;
      for (let i = 0; i < n; i++) {
        let v = 0;
        for (let j = 0; j < n; j++) v += H[i * n + j] * y[j];
        hy[i] = v;
      }
      let yhy = 0;
      for (let i = 0; i < n; i++) yhy += y[i] * hy[i];
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          H[i * n + j] += (1 + rho * yhy) * rho * s[i] * s[j] - rho * (hy[i] * s[j] + s[i] * hy[j]);
        }
      }
    }
  }
  const st = aborted ? -1 : status;
  const { nfev, njev } = counts();
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
    hessInv: H,
  };
}

/**
 * Minimises `fun` from `x0` by nonlinear conjugate gradients (Polak-Ribière+, restarts every n).
 *
 * @example
 * ```ts
 * import { conjugateGradient } from "./bfgs.ts";
 * conjugateGradient((x) => (x[0] - 1) ** 2 + 4 * (x[1] - 2) ** 2, Float64Array.of(0, 0)).x; // ≈ [1, 2]
 * ```
 */
export function conjugateGradient(
  fun: ScalarFunction,
  x0: Float64Array,
  options: GradientSolverOptions = {},
): SolverResult {
  const n = x0.length;
  const gtol = options.gtol ?? 1e-9;
  const maxiter = options.maxiter ?? 1000 * n;
  const maxfev = options.maxfev ?? 2000 * (n + 1) * 10;
  const { f, grad, counts } = setup(fun, n, options);
  const x = Float64Array.from(x0);
  const g = new Float64Array(n),
    gNew = new Float64Array(n),
    p = new Float64Array(n),
    xNew = new Float64Array(n);
  let fx = f(x);
  grad(x, g);
  for (let i = 0; i < n; i++) p[i] = -g[i];
  let status = 1, nit = 0, aborted = false, lastStep = 1 / Math.max(1e-300, infNorm(g));
  while (nit < maxiter) {
    if (infNorm(g) <= gtol * Math.max(1, Math.abs(fx))) {
      status = 0;
      break;
    }
    if (counts().nfev >= maxfev) {
      status = 3;
      break;
    }
    let slope = 0;
    for (let i = 0; i < n; i++) slope += p[i] * g[i];
    if (!(slope < 0)) {
      for (let i = 0; i < n; i++) p[i] = -g[i];
      slope = -g.reduce((a, v) => a + v * v, 0);
    }
    const phi = alongDirection(f, grad, x, p, xNew, gNew);
    const ls = strongWolfe(phi, fx, slope, Math.min(1, lastStep * 2), 1e-4, 0.1);
    if (!ls.ok) {
      status = infNorm(g) <= 1e-5 * Math.max(1, Math.abs(fx)) ? 0 : 2;
      break;
    }
    lastStep = ls.a;
    for (let i = 0; i < n; i++) xNew[i] = x[i] + ls.a * p[i];
    grad(xNew, gNew);
    let num = 0, den = 0;
    for (let i = 0; i < n; i++) {
      num += gNew[i] * (gNew[i] - g[i]);
      den += g[i] * g[i];
    }
    const beta = (nit + 1) % n === 0 ? 0 : Math.max(0, num / den);
    const fPrev = fx;
    x.set(xNew);
    g.set(gNew);
    fx = ls.f;
    for (let i = 0; i < n; i++) p[i] = -g[i] + beta * p[i];
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
  const { nfev, njev } = counts();
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
