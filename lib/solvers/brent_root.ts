/**
 * Brent's method for a root of a scalar function in a bracket (Brent 1973, "Algorithms for
 * Minimization without Derivatives", ch. 4; the algorithm of scipy's `brentq`): inverse
 * quadratic interpolation and secant steps, safeguarded by bisection, so it never leaves the
 * bracket and converges superlinearly on smooth functions.
 *
 * @module
 */

import { checkOptions, optionKeys } from "../util/options.ts";

/**
 * Options of `brentRoot`.
 *
 * @example
 * ```ts
 * import { brentRoot, type BrentRootOptions } from "./brent_root.ts";
 * const options: BrentRootOptions = { xtol: 1e-6, maxiter: 50 };
 * brentRoot(Math.cos, 0, 3, options).root; // ≈ 1.5708 (π/2, to 1e-6)
 * ```
 *
 * @category Solvers
 */
export interface BrentRootOptions {
  /** Absolute tolerance on the root. @default 1e-12 */
  xtol?: number;
  /** Relative tolerance on the root. @default 4·machine epsilon */
  rtol?: number;
  /** Maximum iterations. @default 100 */
  maxiter?: number;
}

/**
 * Result of `brentRoot`.
 *
 * @example
 * ```ts
 * import { brentRoot, type BrentRootResult } from "./brent_root.ts";
 * const r: BrentRootResult = brentRoot((x) => x ** 3 - 8, 0, 5);
 * r.converged; // true
 * r.root; // ≈ 2
 * console.log(r.nfev, r.message);
 * ```
 *
 * @category Solvers
 */
export interface BrentRootResult {
  /** The root estimate. */
  root: number;
  /** Whether the tolerance was met. */
  converged: boolean;
  /** Function evaluations. */
  nfev: number;
  /** Why it stopped. */
  message: string;
}

/**
 * Finds x in [a, b] with f(x) = 0, given f(a) and f(b) of opposite signs (or one zero).
 * Returns `converged: false` with a message when the bracket holds no sign change.
 *
 * @example
 * ```ts
 * import { brentRoot } from "./brent_root.ts";
 * brentRoot((x) => x * x - 2, 0, 2).root; // 1.4142135623730951
 * ```
 *
 * @category Solvers
 */
export function brentRoot(
  f: (x: number) => number,
  a: number,
  b: number,
  options: BrentRootOptions = {},
): BrentRootResult {
  checkOptions(options, BRENT_ROOT_OPTION_KEYS, "brentRoot");
  const xtol = options.xtol ?? 1e-12;
  const rtol = options.rtol ?? 4 * Number.EPSILON;
  const maxiter = options.maxiter ?? 100;
  let fa = f(a);
  let fb = f(b);
  let nfev = 2;
  if (fa === 0) return { root: a, converged: true, nfev, message: "f(a) = 0" };
  if (fb === 0) return { root: b, converged: true, nfev, message: "f(b) = 0" };
  if (!(fa * fb < 0)) {
    return {
      root: NaN,
      converged: false,
      nfev,
      message: `no sign change in the bracket: f(${a}) = ${fa}, f(${b}) = ${fb}`,
    };
  }
  let c = a, fc = fa, d = b - a, e = d;
  for (let iter = 0; iter < maxiter; iter++) {
    if (fb * fc > 0) {
      c = a;
      fc = fa;
      d = e = b - a;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tol = 2 * rtol * Math.abs(b) + 0.5 * xtol;
    const m = 0.5 * (c - b);
    if (Math.abs(m) <= tol || fb === 0) {
      return { root: b, converged: true, nfev, message: "converged" };
    }
    if (Math.abs(e) >= tol && Math.abs(fa) > Math.abs(fb)) {
      const s = fb / fa;
      let p: number, q: number;
      if (a === c) {
        p = 2 * m * s;
        q = 1 - s;
      } else {
        const qa = fa / fc, r = fb / fc;
        p = s * (2 * m * qa * (qa - r) - (b - a) * (r - 1));
        q = (qa - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      if (2 * p < Math.min(3 * m * q - Math.abs(tol * q), Math.abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = m;
        e = m;
      }
    } else {
      d = m;
      e = m;
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > tol ? d : (m > 0 ? tol : -tol);
    fb = f(b);
    nfev++;
  }
  return { root: b, converged: false, nfev, message: `maxiter=${maxiter} reached` };
}

const BRENT_ROOT_OPTION_KEYS = optionKeys<BrentRootOptions>({
  xtol: true,
  rtol: true,
  maxiter: true,
});
