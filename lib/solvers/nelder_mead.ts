/**
 * Nelder-Mead downhill simplex (Nelder & Mead 1965, in the form of Lagarias et al. 1998 as
 * scipy's `minimize(method="Nelder-Mead")`), with the standard coefficients (reflection 1,
 * expansion 2, contraction 0.5, shrink 0.5) by default, as scipy (and so lmfit) use them; the
 * adaptive coefficients of Gao & Han 2012 ("Implementing the Nelder-Mead simplex algorithm with
 * adaptive parameters": expansion 1 + 2/n, contraction 0.75 − 1/(2n), shrink 1 − 1/n), scipy's
 * `adaptive=True`, only on request. They help on Rosenbrock-type problems in many dimensions but
 * change the path on ordinary fits: on lmfit's two-exponential manual example the adaptive
 * simplex stopped at χ² 8.96 where the standard one reaches 2.33. Initial simplex as scipy's (5% of each nonzero
 * coordinate, 0.00025 for zeros). After convergence the simplex is rebuilt around the best point
 * and the search restarted (`restarts` times at most); a restart that finds nothing better ends
 * the solve. Tolerances are tighter than scipy's (xatol = fatol = 1e-4) and `fatol` is relative,
 * so a converged result is as accurate as a gradient method's.
 *
 * | status | meaning |
 * |---|---|
 * | 0 | converged: simplex within xatol and its values within fatol (relative), or collapsed to a few ulps |
 * | 1 | maxfev reached |
 * | 2 | maxiter reached |
 * | -1 | aborted by the callback |
 *
 * @module
 */

import type { IterationCallback, ScalarFunction, SolverResult } from "./types.ts";
import { checkOptions, optionKeys } from "../util/options.ts";

/**
 * Options of `nelderMead`.
 *
 * @example
 * ```ts
 * import { nelderMead, type NelderMeadOptions } from "./nelder_mead.ts";
 * const options: NelderMeadOptions = { xatol: 1e-8, maxfev: 2000, restarts: 0 };
 * const r = nelderMead((x) => (x[0] - 1) ** 2 + 10 * (x[1] + 2) ** 2, Float64Array.of(0, 0), options);
 * r.x; // ≈ [1, -2]
 * ```
 *
 * @category Solvers
 */
export interface NelderMeadOptions {
  /** Absolute tolerance on the simplex size (max-norm distance of each vertex to the best). @default 1e-10 */
  xatol?: number;
  /** Tolerance on the spread of values in the simplex, relative to |f_best| (floor 1e-15·|f(x0)|). @default 1e-13 */
  fatol?: number;
  /** Maximum objective evaluations. @default 2000·(n+1) */
  maxfev?: number;
  /** Maximum iterations (restarts included). @default 1000·n·(restarts+1) */
  maxiter?: number;
  /** Restarts from the best point after convergence; one that gains nothing ends the solve. @default 2 */
  restarts?: number;
  /** Gao-Han dimension-dependent coefficients instead of the standard (1, 2, 0.5, 0.5), as scipy's `adaptive`. @default false */
  adaptive?: boolean;
  /** Called each iteration with the best point; `true` aborts. @default undefined */
  callback?: IterationCallback;
}

/**
 * Minimises `fun` from `x0` with the Nelder-Mead simplex method (adaptive on request).
 *
 * @example
 * ```ts
 * import { nelderMead } from "./nelder_mead.ts";
 * const r = nelderMead((x) => (x[0] - 1) ** 2 + 10 * (x[1] + 2) ** 2, Float64Array.of(0, 0));
 * r.x; // ≈ [1, -2]
 * ```
 *
 * @category Solvers
 */
export function nelderMead(
  fun: ScalarFunction,
  x0: Float64Array,
  options: NelderMeadOptions = {},
): SolverResult {
  checkOptions(options, NELDER_MEAD_OPTION_KEYS, "nelderMead");
  const n = x0.length;
  const xatol = options.xatol ?? 1e-10;
  const fatol = options.fatol ?? 1e-13;
  const maxfev = options.maxfev ?? 2000 * (n + 1);
  const restarts = options.restarts ?? 2;
  const maxiter = options.maxiter ?? 1000 * n * (restarts + 1);
  const adaptive = options.adaptive ?? false;
  const rho = 1;
  const chi = adaptive ? 1 + 2 / n : 2;
  const psi = adaptive ? 0.75 - 1 / (2 * n) : 0.5;
  const sigma = adaptive ? 1 - 1 / n : 0.5;
  let nfev = 0, nit = 0, aborted = false;
  const f = (x: Float64Array) => {
    nfev++;
    const v = fun(x);
    return Number.isNaN(v) ? Infinity : v;
  };
  // Vertices are rows of `sim`; idx[0..n] orders them by value (idx[0] best).
  const sim = new Float64Array((n + 1) * n);
  const fs = new Float64Array(n + 1);
  const idx = new Int32Array(n + 1);
  const vertex = (i: number) => sim.subarray(i * n, i * n + n);
  const rows: Float64Array[] = Array.from({ length: n + 1 }, (_, i) => vertex(i));
  const centroid = new Float64Array(n),
    xr = new Float64Array(n),
    xe = new Float64Array(n),
    xc = new Float64Array(n);
  const best = Float64Array.from(x0);
  let fbest = f(best);
  // fatol is relative to |f|; near a zero minimum 1e-15·|f(x0)| is the floor (spreads below it
  // are rounding noise of the problem's scale).
  const fStart = Number.isFinite(fbest) ? Math.abs(fbest) : 0;
  const ftolAbs = (fb: number) => Math.max(fatol * Math.abs(fb), 1e-15 * fStart, 1e-300);
  let status = 2;
  let round = 0;
  let lastConverged = Infinity;
  const build = (center: Float64Array) => {
    for (let i = 0; i <= n; i++) {
      const v = rows[i];
      v.set(center);
      if (i > 0) {
        const k = i - 1;
        v[k] = center[k] !== 0 ? center[k] * 1.05 : 0.00025;
      }
      fs[i] = i === 0 ? fbest : f(v);
      idx[i] = i;
    }
  };
  const sort = () => {
    // Insertion sort of the permutation (the simplex is nearly sorted after one step).
    for (let i = 1; i <= n; i++) {
      const v = idx[i], fv = fs[v];
      let j = i - 1;
      while (j >= 0 && fs[idx[j]] > fv) {
        idx[j + 1] = idx[j];
        j--;
      }
      idx[j + 1] = v;
    }
  };
  build(best);
  outer: for (;;) {
    for (;;) {
      sort();
      const b = rows[idx[0]];
      if (fs[idx[0]] < fbest) {
        fbest = fs[idx[0]];
        best.set(b);
      }
      let xspread = 0, fspread = 0;
      // `collapsed`: every vertex within a few ulps of the best one, so no step can improve
      // further (on exact data f's rounding noise at the optimum exceeds any f tolerance).
      let collapsed = true;
      for (let i = 1; i <= n; i++) {
        const v = rows[idx[i]];
        fspread = Math.max(fspread, Math.abs(fs[idx[i]] - fs[idx[0]]));
        for (let k = 0; k < n; k++) {
          const d = Math.abs(v[k] - b[k]);
          xspread = Math.max(xspread, d);
          if (d > 4 * Number.EPSILON * Math.abs(b[k]) + Number.MIN_VALUE) collapsed = false;
        }
      }
      if (xspread <= xatol && (fspread <= ftolAbs(fs[idx[0]]) || collapsed)) {
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
      if (options.callback && options.callback(best, nit, fbest) === true) {
        aborted = true;
        break outer;
      }
      centroid.fill(0);
      for (let i = 0; i < n; i++) {
        const v = rows[idx[i]];
        for (let k = 0; k < n; k++) centroid[k] += v[k];
      }
      for (let k = 0; k < n; k++) centroid[k] /= n;
      const wi = idx[n], worst = rows[wi];
      // scipy's affine forms, so iterates match scipy's to the last bit.
      for (let k = 0; k < n; k++) xr[k] = (1 + rho) * centroid[k] - rho * worst[k];
      const fr = f(xr);
      if (fr < fs[idx[0]]) {
        for (let k = 0; k < n; k++) xe[k] = (1 + rho * chi) * centroid[k] - rho * chi * worst[k];
        const fe = f(xe);
        if (fe < fr) {
          worst.set(xe);
          fs[wi] = fe;
        } else {
          worst.set(xr);
          fs[wi] = fr;
        }
      } else if (fr < fs[idx[n - 1]]) {
        worst.set(xr);
        fs[wi] = fr;
      } else {
        const outside = fr < fs[wi];
        for (let k = 0; k < n; k++) {
          xc[k] = outside
            ? (1 + psi * rho) * centroid[k] - psi * rho * worst[k]
            : (1 - psi) * centroid[k] + psi * worst[k];
        }
        const fc = f(xc);
        if (outside ? fc <= fr : fc < fs[wi]) {
          worst.set(xc);
          fs[wi] = fc;
        } else {
          // Shrink towards the best vertex.
          const b0 = rows[idx[0]];
          for (let i = 1; i <= n; i++) {
            const v = rows[idx[i]];
            for (let k = 0; k < n; k++) v[k] = b0[k] + sigma * (v[k] - b0[k]);
            fs[idx[i]] = f(v);
          }
        }
      }
    }
    // Converged: restart around the best point; a restart that gains nothing ends the solve.
    if (round >= restarts || lastConverged - fbest <= ftolAbs(fbest)) {
      break;
    }
    lastConverged = fbest;
    round++;
    build(best);
  }
  const st = aborted ? -1 : status;
  return {
    x: best,
    fun: fbest,
    success: st === 0,
    status: st,
    message: MESSAGES[st],
    nfev,
    njev: 0,
    nit,
    aborted,
  };
}

const NELDER_MEAD_OPTION_KEYS = optionKeys<NelderMeadOptions>({
  xatol: true,
  fatol: true,
  maxfev: true,
  maxiter: true,
  restarts: true,
  adaptive: true,
  callback: true,
});

const MESSAGES: Record<number, string> = {
  0: "Optimization terminated successfully.",
  1: "Maximum number of function evaluations has been exceeded.",
  2: "Maximum number of iterations has been exceeded.",
  [-1]: "Aborted by the iteration callback.",
};
