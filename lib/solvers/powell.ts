/**
 * Powell's conjugate-direction method (M. J. D. Powell 1964, as scipy's `fmin_powell`): line
 * minimisations along a set of directions with Brent's method, replacing the direction of
 * largest decrease by the overall displacement when Powell's test allows it. After convergence
 * the directions are reset to the coordinate axes and the search restarted (`restarts` times at
 * most; a restart that gains nothing ends the solve), which un-sticks a degenerate direction set.
 *
 * | status | meaning |
 * |---|---|
 * | 0 | converged: relative decrease of f in an iteration at most ftol |
 * | 1 | maxfev reached |
 * | 2 | maxiter reached |
 * | 3 | the objective is not finite at the start |
 * | -1 | aborted by the callback |
 *
 * @module
 */

import type { IterationCallback, ScalarFunction, SolverResult } from "./types.ts";
import { checkOptions, optionKeys } from "../util/options.ts";

/**
 * Options of `powell`.
 *
 * @example
 * ```ts
 * import { powell, type PowellOptions } from "./powell.ts";
 * const options: PowellOptions = { ftol: 1e-10, maxiter: 100 };
 * powell((x) => (x[0] - 3) ** 2 + (x[0] - x[1]) ** 2, Float64Array.of(0, 0), options).x; // ≈ [3, 3]
 * ```
 *
 * @category Solvers
 */
export interface PowellOptions {
  /** Relative tolerance on the decrease of f per iteration (scipy's ftol). @default 1e-13 */
  ftol?: number;
  /** Relative tolerance of the line searches (scipy passes 100·xtol to Brent). @default 1e-8 */
  xtol?: number;
  /** Maximum objective evaluations. @default 10000·(n+1) */
  maxfev?: number;
  /** Maximum iterations (sweeps over all directions, restarts included). @default 1000·n */
  maxiter?: number;
  /** Restarts from the coordinate directions after convergence; one that gains nothing ends the solve. @default 2 */
  restarts?: number;
  /** Called each iteration with the best point; `true` aborts. @default undefined */
  callback?: IterationCallback;
}

const GOLD = 0.3819660112501051;

/**
 * Brent's minimisation of g on a bracket found from (0, 1) by golden-section expansion with
 * parabolic extrapolation (Numerical Recipes `mnbrak` + `brent`, as scipy's `bracket` and
 * `brent`, grow limit 110).
 */
function lineMin(g: (t: number) => number, f0: number, tol: number): { t: number; f: number } {
  const GROW = 110, TINY = 1e-21, GR = 1.618034;
  let a = 0, b = 1, fa = f0, fb = g(b);
  if (fb > fa) {
    [a, b] = [b, a];
    [fa, fb] = [fb, fa];
  }
  let c = b + GR * (b - a), fc = g(c);
  for (let guard = 0; fc < fb && guard < 100; guard++) {
    const t1 = (b - a) * (fb - fc), t2 = (b - c) * (fb - fa);
    const val = t2 - t1;
    const denom = Math.abs(val) < TINY ? 2 * TINY : 2 * val;
    let w = b - ((b - c) * t2 - (b - a) * t1) / denom;
    const wlim = b + GROW * (c - b);
    let fw: number;
    if (!Number.isFinite(w)) {
      w = c + GR * (c - b);
      fw = g(w);
    } else if ((w - c) * (b - w) > 0) {
      fw = g(w);
      if (fw < fc) {
        a = b;
        fa = fb;
        b = w;
        fb = fw;
        break;
      } else if (fw > fb) {
        c = w;
        fc = fw;
        break;
      }
      w = c + GR * (c - b);
      fw = g(w);
    } else if ((w - wlim) * (wlim - c) >= 0) {
      w = wlim;
      fw = g(w);
    } else if ((w - wlim) * (c - w) > 0) {
      fw = g(w);
      if (fw < fc) {
        b = c;
        c = w;
        w = c + GR * (c - b);
        fb = fc;
        fc = fw;
        fw = g(w);
      }
    } else {
      w = c + GR * (c - b);
      fw = g(w);
    }
    a = b;
    b = c;
    c = w;
    fa = fb;
    fb = fc;
    fc = fw;
  }
  let lo = Math.min(a, c), hi = Math.max(a, c);
  // Brent
  let x = b, w = b, v = b, fx = fb, fw = fb, fv = fb, d = 0, e = 0;
  for (let it = 0; it < 100; it++) {
    const m = 0.5 * (lo + hi);
    const tol1 = tol * Math.abs(x) + 1e-12, tol2 = 2 * tol1;
    if (Math.abs(x - m) <= tol2 - 0.5 * (hi - lo)) break;
    let useGolden = true;
    if (Math.abs(e) > tol1) {
      const r = (x - w) * (fx - fv);
      let q = (x - v) * (fx - fw);
      let p = (x - v) * q - (x - w) * r;
      q = 2 * (q - r);
      if (q > 0) p = -p;
      q = Math.abs(q);
      const etemp = e;
      e = d;
      if (
        Number.isFinite(p) && q > 0 &&
        !(Math.abs(p) >= Math.abs(0.5 * q * etemp) || p <= q * (lo - x) || p >= q * (hi - x))
      ) {
        d = p / q;
        const u = x + d;
        if (u - lo < tol2 || hi - u < tol2) d = m - x >= 0 ? tol1 : -tol1;
        useGolden = false;
      }
    }
    if (useGolden) {
      e = x >= m ? lo - x : hi - x;
      d = GOLD * e;
    }
    const u = Math.abs(d) >= tol1 ? x + d : x + (d >= 0 ? tol1 : -tol1);
    const fu = g(u);
    if (fu <= fx) {
      if (u >= x) lo = x;
      else hi = x;
      v = w;
      fv = fw;
      w = x;
      fw = fx;
      x = u;
      fx = fu;
    } else {
      if (u < x) lo = u;
      else hi = u;
      if (fu <= fw || w === x) {
        v = w;
        fv = fw;
        w = u;
        fw = fu;
      } else if (fu <= fv || v === x || v === w) {
        v = u;
        fv = fu;
      }
    }
  }
  return { t: x, f: fx };
}

/**
 * Minimises `fun` from `x0` with Powell's method.
 *
 * @example
 * ```ts
 * import { powell } from "./powell.ts";
 * powell((x) => (x[0] - 3) ** 2 + (x[0] - x[1]) ** 2, Float64Array.of(0, 0)).x; // ≈ [3, 3]
 * ```
 *
 * @category Solvers
 */
export function powell(
  fun: ScalarFunction,
  x0: Float64Array,
  options: PowellOptions = {},
): SolverResult {
  checkOptions(options, POWELL_OPTION_KEYS, "powell");
  const n = x0.length;
  const ftol = options.ftol ?? 1e-13;
  const xtol = options.xtol ?? 1e-8;
  const maxfev = options.maxfev ?? 10000 * (n + 1);
  const maxiter = options.maxiter ?? 1000 * n;
  const restarts = options.restarts ?? 2;
  let nfev = 0, nit = 0, aborted = false;
  const f = (x: Float64Array) => {
    nfev++;
    const v = fun(x);
    return Number.isNaN(v) ? Infinity : v;
  };
  const x = Float64Array.from(x0);
  // Direction set as rows of one buffer; `order` permutes rows without copying.
  const dirs = new Float64Array(n * n);
  const order = new Int32Array(n);
  const resetDirections = () => {
    dirs.fill(0);
    for (let i = 0; i < n; i++) {
      dirs[i * n + i] = 1;
      order[i] = i;
    }
  };
  resetDirections();
  const trial = new Float64Array(n);
  let dir = 0; // row offset of the current direction in `dirs`
  let dirBuf: Float64Array = dirs;
  const g = (t: number) => {
    for (let k = 0; k < n; k++) trial[k] = x[k] + t * dirBuf[dir + k];
    return f(trial);
  };
  const along = (buf: Float64Array, offset: number, fx: number) => {
    dirBuf = buf;
    dir = offset;
    const r = lineMin(g, fx, xtol);
    if (r.f < fx) {
      for (let k = 0; k < n; k++) x[k] += r.t * buf[offset + k];
      return r.f;
    }
    return fx;
  };
  let fx = f(x);
  let status = fx === Infinity ? 3 : 2;
  let round = 0, lastConverged = Infinity;
  const x1 = new Float64Array(n), dnew = new Float64Array(n), xe = new Float64Array(n);
  while (status !== 3 && nit < maxiter) {
    nit++;
    if (options.callback && options.callback(x, nit, fx) === true) {
      aborted = true;
      break;
    }
    x1.set(x);
    const fstart = fx;
    let bigind = 0, delta = 0;
    for (let i = 0; i < n; i++) {
      const before = fx;
      fx = along(dirs, order[i] * n, fx);
      if (before - fx > delta) {
        delta = before - fx;
        bigind = i;
      }
    }
    if (2 * (fstart - fx) <= ftol * (Math.abs(fstart) + Math.abs(fx)) + 1e-300) {
      // Converged: restart from the coordinate directions; a restart that gains nothing ends.
      if (
        round >= restarts ||
        lastConverged - fx <= ftol * (Math.abs(lastConverged) + Math.abs(fx))
      ) {
        status = 0;
        break;
      }
      lastConverged = fx;
      round++;
      resetDirections();
      continue;
    }
    if (nfev >= maxfev) {
      status = 1;
      break;
    }
    for (let k = 0; k < n; k++) {
      dnew[k] = x[k] - x1[k];
      xe[k] = 2 * x[k] - x1[k];
    }
    const fe = f(xe);
    if (fstart > fe) {
      const t = 2 * (fstart - 2 * fx + fe) * (fstart - fx - delta) ** 2 -
        delta * (fstart - fe) ** 2;
      if (t < 0) {
        fx = along(dnew, 0, fx);
        // Replace the direction of largest decrease by the displacement, moved to the end
        // (scipy: direc[bigind] = direc[-1]; direc[-1] = new).
        const row = order[bigind];
        order[bigind] = order[n - 1];
        order[n - 1] = row;
        dirs.set(dnew, row * n);
      }
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
    njev: 0,
    nit,
    aborted,
  };
}

const POWELL_OPTION_KEYS = optionKeys<PowellOptions>({
  ftol: true,
  xtol: true,
  maxfev: true,
  maxiter: true,
  restarts: true,
  callback: true,
});

const MESSAGES: Record<number, string> = {
  0: "Optimization terminated successfully.",
  1: "Maximum number of function evaluations has been exceeded.",
  2: "Maximum number of iterations has been exceeded.",
  3: "The objective is not finite at the starting point.",
  [-1]: "Aborted by the iteration callback.",
};
