/**
 * Real part of ln Γ(a + ib) (Lanczos approximation in complex arithmetic) and ln B(a, b), for
 * the Pearson IV lineshape.
 *
 * @module
 */

import { lgamma } from "./distributions.ts";

const G = 7;
const C = [
  0.99999999999980993,
  676.5203681218851,
  -1259.1392167224028,
  771.32342877765313,
  -176.61502916214059,
  12.507343278686905,
  -0.13857109526572012,
  9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/**
 * Re ln Γ(a + ib) for a > 0.
 *
 * @example
 * ```ts
 * import { lgammaComplexRe } from "./complex_gamma.ts";
 * lgammaComplexRe(1.5, 0.5); // -0.2497...
 * ```
 */
export function lgammaComplexRe(a: number, b: number): number {
  if (b === 0) return lgamma(a);
  if (a < 0.5) {
    // Reflection: lnΓ(z) = ln π − ln sin(πz) − lnΓ(1 − z); Re ln sin(πz) = ln|sin(πz)|
    const sr = Math.sin(Math.PI * a) * Math.cosh(Math.PI * b);
    const si = Math.cos(Math.PI * a) * Math.sinh(Math.PI * b);
    return Math.log(Math.PI) - 0.5 * Math.log(sr * sr + si * si) - lgammaComplexRe(1 - a, -b);
  }
  const xr = a - 1, xi = b;
  let sr = C[0], si = 0;
  for (let i = 1; i < 9; i++) {
    const dr = xr + i, den = dr * dr + xi * xi;
    sr += (C[i] * dr) / den;
    si -= (C[i] * xi) / den;
  }
  const tr = xr + G + 0.5, ti = xi;
  const lnAbsT = 0.5 * Math.log(tr * tr + ti * ti), argT = Math.atan2(ti, tr);
  // Re[(x + 0.5) ln t] = (xr + 0.5) ln|t| − xi arg t
  const re = 0.5 * Math.log(2 * Math.PI) + (xr + 0.5) * lnAbsT - xi * argT - tr +
    0.5 * Math.log(sr * sr + si * si);
  return re;
}

/**
 * ln B(a, b) = lnΓ(a) + lnΓ(b) − lnΓ(a + b).
 *
 * @example
 * ```ts
 * import { betaln } from "./complex_gamma.ts";
 * betaln(2, 3); // ln(1/12)
 * ```
 */
export function betaln(a: number, b: number): number {
  return lgamma(a) + lgamma(b) - lgamma(a + b);
}
