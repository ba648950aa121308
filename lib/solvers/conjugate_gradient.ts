/**
 * Nonlinear conjugate gradients, Polak-Ribière+ (Nocedal & Wright, "Numerical Optimization",
 * 2nd ed., Algorithm 5.4 with β = max(0, β_PR), §5.2), as scipy's `minimize(method="CG")`, with
 * a strong-Wolfe line search with c2 = 0.1 (N&W §5.2; scipy's 0.4 loses conjugacy on
 * ill-conditioned problems: 20× more evaluations on a bowl of condition 1e5) and the first
 * trial step min(1, 1.01·2·(f_k − f_{k−1})/∇f_kᵀp_k) (N&W eq. 3.60). Powell's restart test
 * (|∇f_{k+1}ᵀ∇f_k| ≥ 0.2‖∇f_{k+1}‖²) resets the direction to steepest descent. Gradients by
 * central differences unless `grad` is given.
 *
 * Status codes and messages are `GRADIENT_MESSAGES` (shared with BFGS):
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

/**
 * Options of `conjugateGradient`: the same fields as BFGS's (maxiter @default 1000·n).
 *
 * @example
 * ```ts
 * import { conjugateGradient, type ConjugateGradientOptions } from "./conjugate_gradient.ts";
 * const options: ConjugateGradientOptions = { gtol: 1e-10, maxiter: 500 };
 * conjugateGradient((x) => (x[0] - 1) ** 2 + 4 * (x[1] - 2) ** 2, Float64Array.of(0, 0), options).x; // ≈ [1, 2]
 * ```
 *
 * @category Solvers
 */
export type ConjugateGradientOptions = GradientSolverOptions;

/**
 * Minimises `fun` from `x0` by nonlinear conjugate gradients (Polak-Ribière+).
 *
 * @example
 * ```ts
 * import { conjugateGradient } from "./conjugate_gradient.ts";
 * conjugateGradient((x) => (x[0] - 1) ** 2 + 4 * (x[1] - 2) ** 2, Float64Array.of(0, 0)).x; // ≈ [1, 2]
 * ```
 *
 * @category Solvers
 */
export function conjugateGradient(
  fun: ScalarFunction,
  x0: Float64Array,
  options: GradientSolverOptions = {},
): SolverResult {
  checkOptions(options, GRADIENT_SOLVER_OPTION_KEYS, "conjugateGradient");
  const n = x0.length;
  const gtol = options.gtol ?? 1e-9;
  const maxiter = options.maxiter ?? 1000 * n;
  const maxfev = options.maxfev ?? 20000 * (n + 1);
  const obj = countedObjective(fun, n, options.grad, options.fdMethod ?? "central");
  const ls = new WolfeLineSearch(obj.f, obj.grad, n);
  const x = Float64Array.from(x0);
  const g = new Float64Array(n), p = new Float64Array(n);
  let fx = obj.f(x);
  let status = 1, nit = 0, aborted = false, justReset = false;
  if (fx === Infinity) status = 4;
  else obj.grad(x, g, fx);
  const stall = new StallDetector(fx);
  for (let i = 0; i < n; i++) p[i] = -g[i];
  // Previous value for the initial-step interpolation (scipy: f0 + ‖g‖/2).
  let gg = 0;
  for (let i = 0; i < n; i++) gg += g[i] * g[i];
  let fOld = fx + Math.sqrt(gg) / 2;
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
    for (let i = 0; i < n; i++) slope += p[i] * g[i];
    if (!(slope < 0)) {
      slope = 0;
      for (let i = 0; i < n; i++) {
        p[i] = -g[i];
        slope -= g[i] * g[i];
      }
    }
    let a1 = Math.min(1, (1.01 * 2 * (fx - fOld)) / slope);
    if (!(a1 > 0)) a1 = Math.min(1, 1 / infNorm(p));
    if (!ls.search(x, p, fx, slope, a1, { c2: 0.1 })) {
      if (!justReset) {
        // Retry once along steepest descent before declaring failure.
        for (let i = 0; i < n; i++) p[i] = -g[i];
        fOld = fx + Math.sqrt(gg) / 2;
        justReset = true;
        continue;
      }
      status = gnorm <= 1e-5 * Math.max(1, Math.abs(fx)) ? 0 : 2;
      break;
    }
    justReset = false;
    let num = 0, cross = 0, ggNew = 0, dx = 0;
    for (let i = 0; i < n; i++) {
      const gi = ls.g[i];
      num += gi * (gi - g[i]);
      cross += gi * g[i];
      ggNew += gi * gi;
      dx = Math.max(dx, Math.abs(ls.x[i] - x[i]));
    }
    const beta = Math.abs(cross) >= 0.2 * ggNew ? 0 : Math.max(0, num / gg);
    fOld = fx;
    x.set(ls.x);
    g.set(ls.g);
    fx = ls.f;
    gg = ggNew;
    for (let i = 0; i < n; i++) p[i] = -g[i] + beta * p[i];
    nit++;
    if (options.callback && options.callback(x, nit, fx) === true) {
      aborted = true;
      break;
    }
    if (stall.update(fOld, fx) || dx <= 1e-15 * Math.max(1, infNorm(x))) {
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
