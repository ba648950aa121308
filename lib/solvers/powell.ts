/**
 * Powell's conjugate-direction method (M. J. D. Powell 1964, as scipy's `fmin_powell`): line
 * minimisations along a set of directions with Brent's method, replacing the direction of
 * largest decrease by the overall displacement when Powell's test allows it.
 *
 * | status | meaning |
 * |---|---|
 * | 0 | converged: relative decrease of f in an iteration at most ftol |
 * | 1 | maxfev reached |
 * | 2 | maxiter reached |
 * | -1 | aborted by the callback |
 *
 * @module
 */

import type { IterationCallback, ScalarFunction, SolverResult } from "./types.ts";

/** Options of `powell`. */
export interface PowellOptions {
  /** Relative tolerance on the decrease of f per iteration. @default 1e-13 */
  ftol?: number;
  /** Relative tolerance of the line searches. @default 1e-10 */
  xtol?: number;
  /** Maximum objective evaluations. @default 2000·(n+1)·5 */
  maxfev?: number;
  /** Maximum iterations. @default 1000·n */
  maxiter?: number;
  /** Called each iteration with the best point; `true` aborts. */
  callback?: IterationCallback;
}

const GOLD = 0.3819660112501051;

/** Brent's minimisation of g on a bracket found by expanding from 0 (Numerical Recipes mnbrak + brent). */
function lineMin(g: (t: number) => number, f0: number, tol: number): { t: number; f: number } {
  // Bracket
  let a = 0, b = 1, fa = f0, fb = g(b);
  if (fb > fa) {
    [a, b] = [b, a];
    [fa, fb] = [fb, fa];
  }
  let c = b + 1.618034 * (b - a), fc = g(c);
  let guard = 0;
  while (fb > fc && guard++ < 60) {
    const nc = c + 1.618034 * (c - b);
    a = b;
    fa = fb;
    b = c;
    fb = fc;
    c = nc;
    fc = g(c);
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
      if (!(Math.abs(p) >= Math.abs(0.5 * q * etemp) || p <= q * (lo - x) || p >= q * (hi - x))) {
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
 */
export function powell(
  fun: ScalarFunction,
  x0: Float64Array,
  options: PowellOptions = {},
): SolverResult {
  const n = x0.length;
  const ftol = options.ftol ?? 1e-13;
  const xtol = options.xtol ?? 1e-10;
  const maxfev = options.maxfev ?? 2000 * (n + 1) * 5;
  const maxiter = options.maxiter ?? 1000 * n;
  let nfev = 0, nit = 0, aborted = false;
  const f = (x: Float64Array) => {
    nfev++;
    const v = fun(x);
    return Number.isNaN(v) ? Infinity : v;
  };
  const x = Float64Array.from(x0);
  const dirs = Array.from({ length: n }, (_, i) => {
    const d = new Float64Array(n);
    d[i] = 1;
    return d;
  });
  const trial = new Float64Array(n);
  const along = (d: Float64Array, fx: number) => {
    const g = (t: number) => {
      for (let k = 0; k < n; k++) trial[k] = x[k] + t * d[k];
      return f(trial);
    };
    const { t, f: fmin } = lineMin(g, fx, xtol);
    if (fmin <= fx) { for (let k = 0; k < n; k++) x[k] += t * d[k]; }
    return Math.min(fmin, fx);
  };
  let fx = f(x);
  let status = 2;
  const x1 = new Float64Array(n), dnew = new Float64Array(n), xe = new Float64Array(n);
  while (nit < maxiter) {
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
      fx = along(dirs[i], fx);
      if (before - fx > delta) {
        delta = before - fx;
        bigind = i;
      }
    }
    if (2 * (fstart - fx) <= ftol * (Math.abs(fstart) + Math.abs(fx)) + 1e-300) {
      status = 0;
      break;
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
        fx = along(dnew, fx);
        dirs[bigind] = dirs[n - 1];
        dirs[n - 1] = Float64Array.from(dnew);
      }
    }
  }
  const messages: Record<number, string> = {
    0: "Optimization terminated successfully.",
    1: "Maximum number of function evaluations has been exceeded.",
    2: "Maximum number of iterations has been exceeded.",
    [-1]: "Aborted by the iteration callback.",
  };
  const st = aborted ? -1 : status;
  return {
    x,
    fun: fx,
    success: st === 0,
    status: st,
    message: messages[st],
    nfev,
    njev: 0,
    nit,
    aborted,
  };
}
