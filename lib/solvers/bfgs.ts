/**
 * BFGS quasi-Newton minimisation (Nocedal & Wright, "Numerical Optimization", 2nd ed.,
 * Algorithm 6.1), as scipy's `minimize(method="BFGS")`: the inverse-Hessian approximation is
 * updated by the BFGS formula after each strong-Wolfe line search (c1 = 1e-4, c2 = 0.9); the
 * first update rescales the identity by yᵀs/yᵀy (N&W eq. 6.20). Gradients by central
 * differences unless `grad` is given. When a line search fails the approximation is reset to the
 * identity once before giving up, which makes the method robust on badly scaled problems.
 *
 * | status | meaning |
 * |---|---|
 * | 0 | converged: ‖∇f‖∞ ≤ gtol·max(1, \|f\|), or no decrease possible at the precision of the gradient |
 * | 1 | maxiter reached |
 * | 2 | line search failed with a large gradient (precision loss) |
 * | 3 | maxfev reached |
 * | 4 | the objective is not finite at the start |
 * | -1 | aborted by the callback |
 *
 * @module
 */

import type { GradientSolverOptions, ScalarFunction, SolverResult } from "./types.ts";
import {
  GRADIENT_MESSAGES,
  GRADIENT_SOLVER_OPTION_KEYS,
  infNorm,
  StallDetector,
  WolfeLineSearch,
} from "./_line_search.ts";
import { countedObjective } from "./_finite_diff.ts";
import { checkOptions } from "../util/options.ts";

export type { GradientSolverOptions } from "./types.ts";

/**
 * Options of `bfgs` (an alias of `GradientSolverOptions`).
 *
 * @example
 * ```ts
 * import { bfgs, type BfgsOptions } from "./bfgs.ts";
 * const options: BfgsOptions = { fdMethod: "forward", maxiter: 100 };
 * bfgs((x) => (x[0] - 2) ** 2 + (x[1] - 3) ** 2, Float64Array.of(0, 0), options).x; // ≈ [2, 3]
 * ```
 *
 * @category Solvers
 */
export type BfgsOptions = GradientSolverOptions;

/**
 * BFGS result: the solver result plus the final inverse-Hessian approximation (row-major).
 *
 * @example
 * ```ts
 * import { bfgs, type BfgsResult } from "./bfgs.ts";
 * const r: BfgsResult = bfgs((x) => (x[0] - 1) ** 2 + 4 * x[1] ** 2, Float64Array.of(3, 1));
 * r.x; // ≈ [1, 0]
 * r.hessInv; // ≈ [0.5, 0, 0, 0.125]: the inverse of the Hessian diag(2, 8)
 * ```
 *
 * @category Solvers
 */
export interface BfgsResult extends SolverResult {
  /** Inverse Hessian approximation, n×n row-major. */
  hessInv: Float64Array;
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
 *
 * @category Solvers
 */
export function bfgs(
  fun: ScalarFunction,
  x0: Float64Array,
  options: GradientSolverOptions = {},
): BfgsResult {
  checkOptions(options, GRADIENT_SOLVER_OPTION_KEYS, "bfgs");
  const n = x0.length;
  const gtol = options.gtol ?? 1e-9;
  const maxiter = options.maxiter ?? 200 * n;
  const maxfev = options.maxfev ?? 20000 * (n + 1);
  const obj = countedObjective(fun, n, options.grad, options.fdMethod ?? "central");
  const ls = new WolfeLineSearch(obj.f, obj.grad, n);
  const x = Float64Array.from(x0);
  const g = new Float64Array(n), p = new Float64Array(n);
  const s = new Float64Array(n), y = new Float64Array(n), hy = new Float64Array(n);
  const H = new Float64Array(n * n);
  const resetH = () => {
    H.fill(0);
    for (let i = 0; i < n; i++) H[i * n + i] = 1;
  };
  resetH();
  let fx = obj.f(x);
  let status = 1, nit = 0, aborted = false;
  let scaled = false, justReset = true;
  if (fx === Infinity) status = 4;
  else obj.grad(x, g, fx);
  const stall = new StallDetector(fx);
  while (status !== 4 && nit < maxiter) {
    const gnorm = infNorm(g);
    if (gnorm <= gtol * Math.max(1, Math.abs(fx))) {
      status = 0;
      break;
    }
    if (obj.nfev >= maxfev) {
      status = 3;
      break;
    }
    let slope = 0;
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let j = 0; j < n; j++) v -= H[i * n + j] * g[j];
      p[i] = v;
      slope += v * g[i];
    }
    if (!(slope < 0)) {
      // Not a descent direction (H lost positive definiteness): steepest descent.
      resetH();
      scaled = false;
      slope = 0;
      for (let i = 0; i < n; i++) {
        p[i] = -g[i];
        slope -= g[i] * g[i];
      }
    }
    // First step of a fresh approximation: a unit step in the largest coordinate.
    const a1 = scaled ? 1 : Math.min(1, 1 / infNorm(p));
    if (!ls.search(x, p, fx, slope, a1)) {
      if (!justReset) {
        resetH();
        scaled = false;
        justReset = true;
        continue;
      }
      status = gnorm <= 1e-5 * Math.max(1, Math.abs(fx)) ? 0 : 2;
      break;
    }
    justReset = false;
    let ys = 0, yy = 0, dx = 0;
    for (let i = 0; i < n; i++) {
      s[i] = ls.x[i] - x[i];
      y[i] = ls.g[i] - g[i];
      ys += y[i] * s[i];
      yy += y[i] * y[i];
      dx = Math.max(dx, Math.abs(s[i]));
    }
    const fPrev = fx;
    x.set(ls.x);
    g.set(ls.g);
    fx = ls.f;
    nit++;
    if (options.callback && options.callback(x, nit, fx) === true) {
      aborted = true;
      break;
    }
    if (stall.update(fPrev, fx) || dx <= 1e-15 * Math.max(1, infNorm(x))) {
      status = 0;
      break;
    }
    if (ys > 1e-300 && yy > 0) {
      if (!scaled) {
        const scale = ys / yy;
        for (let i = 0; i < n * n; i++) H[i] *= scale;
        scaled = true;
      }
      const rho = 1 / ys;
      let yhy = 0;
      for (let i = 0; i < n; i++) {
        let v = 0;
        for (let j = 0; j < n; j++) v += H[i * n + j] * y[j];
        hy[i] = v;
        yhy += y[i] * v;
      }
      const c = (1 + rho * yhy) * rho;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          H[i * n + j] += c * s[i] * s[j] - rho * (hy[i] * s[j] + s[i] * hy[j]);
        }
      }
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
    hessInv: H,
  };
}

export { conjugateGradient } from "./conjugate_gradient.ts";
