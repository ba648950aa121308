/**
 * Nelder-Mead downhill simplex with adaptive parameters (Gao & Han 2012, "Implementing the
 * Nelder-Mead simplex algorithm with adaptive parameters": reflection 1, expansion 1 + 2/n,
 * contraction 0.75 − 1/(2n), shrink 1 − 1/n), initial simplex as scipy's (5% of each nonzero
 * coordinate, 0.00025 for zeros). After convergence the simplex is rebuilt around the best point
 * and the search restarted once; a restart that finds nothing better ends the solve.
 *
 * | status | meaning |
 * |---|---|
 * | 0 | converged: simplex within xatol and its values within fatol (relative) |
 * | 1 | maxfev reached |
 * | 2 | maxiter reached |
 * | -1 | aborted by the callback |
 *
 * @module
 */

import type { IterationCallback, ScalarFunction, SolverResult } from "./types.ts";

/** Options of `nelderMead`. */
export interface NelderMeadOptions {
  /** Absolute tolerance on the simplex size. @default 1e-10 */
  xatol?: number;
  /** Relative tolerance on the spread of values in the simplex. @default 1e-13 */
  fatol?: number;
  /** Maximum objective evaluations. @default 2000·(n+1) */
  maxfev?: number;
  /** Maximum iterations. @default 200·n·(restarts+1) */
  maxiter?: number;
  /** Restarts from the best point after convergence. @default 2 */
  restarts?: number;
  /** Called each iteration with the best point; `true` aborts. */
  callback?: IterationCallback;
}

/**
 * Minimises `fun` from `x0` with the adaptive Nelder-Mead simplex method.
 *
 * @example
 * ```ts
 * import { nelderMead } from "./nelder_mead.ts";
 * const r = nelderMead((x) => (x[0] - 1) ** 2 + 10 * (x[1] + 2) ** 2, Float64Array.of(0, 0));
 * r.x; // ≈ [1, -2]
 * ```
 */
export function nelderMead(
  fun: ScalarFunction,
  x0: Float64Array,
  options: NelderMeadOptions = {},
): SolverResult {
  const n = x0.length;
  const xatol = options.xatol ?? 1e-10;
  const fatol = options.fatol ?? 1e-13;
  const maxfev = options.maxfev ?? 2000 * (n + 1);
  const restarts = options.restarts ?? 2;
  const maxiter = options.maxiter ?? 200 * n * (restarts + 1) * 5;
  const alpha = 1,
    beta = n > 1 ? 1 + 2 / n : 2,
    gamma = n > 1 ? 0.75 - 1 / (2 * n) : 0.5,
    delta = n > 1 ? 1 - 1 / n : 0.5;
  let nfev = 0, nit = 0, aborted = false;
  const f = (x: Float64Array) => {
    nfev++;
    const v = fun(x);
    return Number.isNaN(v) ? Infinity : v;
  };
  const sim: Float64Array[] = Array.from({ length: n + 1 }, () => new Float64Array(n));
  const fs = new Float64Array(n + 1);
  const centroid = new Float64Array(n),
    xr = new Float64Array(n),
    xe = new Float64Array(n),
    xc = new Float64Array(n);
  const best = Float64Array.from(x0);
  let fbest = f(best);
  let status = 2;
  let round = 0;
  let lastConverged = Infinity;
  const build = (center: Float64Array, scale: number) => {
    sim[0].set(center);
    fs[0] = f(sim[0]);
    for (let k = 0; k < n; k++) {
      sim[k + 1].set(center);
      sim[k + 1][k] = center[k] !== 0 ? center[k] * (1 + 0.05 * scale) : 0.00025 * scale;
      fs[k + 1] = f(sim[k + 1]);
    }
  };
  const order = () => {
    const idx = Array.from({ length: n + 1 }, (_, i) => i).sort((a, b) => fs[a] - fs[b]);
    const s2 = idx.map((i) => Float64Array.from(sim[i]));
    const f2 = idx.map((i) => fs[i]);
    for (let i = 0; i <= n; i++) {
      sim[i].set(s2[i]);
      fs[i] = f2[i];
    }
  };
  build(best, 1);
  outer: for (;;) {
    for (;;) {
      order();
      if (fs[0] < fbest) {
        fbest = fs[0];
        best.set(sim[0]);
      }
      let xspread = 0, fspread = 0;
      for (let i = 1; i <= n; i++) {
        fspread = Math.max(fspread, Math.abs(fs[i] - fs[0]));
        for (let k = 0; k < n; k++) xspread = Math.max(xspread, Math.abs(sim[i][k] - sim[0][k]));
      }
      if (xspread <= xatol && fspread <= fatol * Math.max(Math.abs(fs[0]), 1e-300)) {
        status = 0;
        break;
      }
      if (nfev >= maxfev) {
        status = 1;
        break outer;
      }
      if (nit >= maxiter) {
        status = 2;
        break outer;
      }
      nit++;
      if (options.callback && options.callback(sim[0], nit, fs[0]) === true) {
        aborted = true;
        break outer;
      }
      centroid.fill(0);
      for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) centroid[k] += sim[i][k] / n;
      const worst = sim[n];
      for (let k = 0; k < n; k++) xr[k] = centroid[k] + alpha * (centroid[k] - worst[k]);
      const fr = f(xr);
      if (fr < fs[0]) {
        for (let k = 0; k < n; k++) xe[k] = centroid[k] + beta * (xr[k] - centroid[k]);
        const fe = f(xe);
        if (fe < fr) {
          worst.set(xe);
          fs[n] = fe;
        } else {
          worst.set(xr);
          fs[n] = fr;
        }
      } else if (fr < fs[n - 1]) {
        worst.set(xr);
        fs[n] = fr;
      } else {
        const outside = fr < fs[n];
        for (let k = 0; k < n; k++) {
          xc[k] = outside
            ? centroid[k] + gamma * (xr[k] - centroid[k])
            : centroid[k] + gamma * (worst[k] - centroid[k]);
        }
        const fc = f(xc);
        if (fc <= (outside ? fr : fs[n])) {
          worst.set(xc);
          fs[n] = fc;
        } else {
          for (let i = 1; i <= n; i++) {
            for (let k = 0; k < n; k++) sim[i][k] = sim[0][k] + delta * (sim[i][k] - sim[0][k]);
            fs[i] = f(sim[i]);
          }
        }
      }
    }
    // Converged: restart around the best point; a restart that gains nothing ends the solve.
    if (round >= restarts || lastConverged - fbest <= fatol * Math.max(Math.abs(fbest), 1e-300)) {
      break;
    }
    lastConverged = fbest;
    round++;
    build(best, 1);
  }
  const messages: Record<number, string> = {
    0: "Optimization terminated successfully.",
    1: "Maximum number of function evaluations has been exceeded.",
    2: "Maximum number of iterations has been exceeded.",
    [-1]: "Aborted by the iteration callback.",
  };
  const st = aborted ? -1 : status;
  return {
    x: best,
    fun: fbest,
    success: st === 0,
    status: st,
    message: messages[st],
    nfev,
    njev: 0,
    nit,
    aborted,
  };
}
