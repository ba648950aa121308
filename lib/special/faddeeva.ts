/**
 * The Faddeeva function w(z) = e^{-z²} erfc(-iz), for the Voigt profile, to about 1e-14
 * relative accuracy in both parts over the whole plane (the approach of S. G. Johnson's
 * Faddeeva package, which scipy's `wofz` uses, re-derived from the papers):
 *
 * - Large |z| (Im z > 7, or Re z large enough that the real part's e^{-x²} term is below
 *   rounding): Laplace's continued fraction
 *   `w(z) = (i/√π) / (z − (1/2)/(z − 1/(z − (3/2)/(z − ...))))`, evaluated bottom-up with a
 *   term count that grows as |z| shrinks (W. Gautschi, SIAM J. Numer. Anal. 7 (1970) 187;
 *   G. P. M. Poppe and C. M. J. Wijers, ACM TOMS 16 (1990) 38).
 * - Elsewhere: M. R. Zaghloul and A. N. Ali, "Algorithm 916: computing the Faddeyeva and Voigt
 *   functions", ACM TOMS 38 (2011) 15 — exponentially convergent sums with step
 *   `a = π/√(−ln(ε/2))`, whose truncation error is below ε/2, plus `erfcx(y)` for real y.
 *   Every term `e^{-(an ∓ x)²}/(a²n² + y²)` is evaluated directly, so nothing overflows and
 *   the real part keeps its e^{-x²} term exactly near the real axis.
 * - Lower half plane: w(z) = 2e^{-z²} − w(−z).
 *
 * @module
 */

import { erfcx } from "./erf.ts";

const INV_SQRT_PI = 0.5641895835477563;
/** Algorithm 916's step a = π/√(−ln(ε/2)) for ε = 2⁻⁵², and c = 2a/π. */
const A = Math.PI / Math.sqrt(-Math.log(2 ** -53));
const A2 = A * A;
const C = (2 * A) / Math.PI;
/** exp(-t) is below 1e-17 of the leading term once t exceeds this. */
const EXP_CUTOFF = 39;

/** Whether the continued fraction is accurate (in both parts, relative) at |x|, y ≥ 0. */
function useFraction(x: number, y: number): boolean {
  if (y > 7) return true;
  if (x <= 6) return false;
  // Re w = e^{-x²}cos(2xy)·(...) + y/(√π|z|²)·(...): the fraction only has the second part.
  return y > 0.1 || (x > 8 && y > 1e-10) || x > 26.7;
}

/** w(z) for y ≥ 0 by the continued fraction, into out. */
function fraction(x: number, y: number, out: [number, number]): void {
  const r = Math.abs(x) + y;
  if (r > 1e7) {
    // w ≈ i/(√π z), scaled to avoid overflow in |z|²
    if (Math.abs(x) > y) {
      const t = y / x, den = INV_SQRT_PI / (x + t * y);
      out[0] = den * t;
      out[1] = den;
    } else {
      const t = x / y, den = INV_SQRT_PI / (t * x + y);
      out[0] = den;
      out[1] = den * t;
    }
    return;
  }
  // Term count: generous fit of the convergence of the fraction (≈ 1e-16 at the region edge).
  const terms = Math.floor(8 + 1600 / (r * r + 10));
  let wr = x, wi = y;
  for (let k = terms; k >= 1; k--) {
    const nu = k / 2;
    const den = nu / (wr * wr + wi * wi);
    wr = x - wr * den;
    wi = y + wi * den;
  }
  const den = INV_SQRT_PI / (wr * wr + wi * wi);
  out[0] = den * wi;
  out[1] = den * wr;
}

/** w(z) for y ≥ 0 by Algorithm 916, into out. */
function alg916(xs: number, y: number, out: [number, number]): void {
  const x = Math.abs(xs);
  const ex2 = Math.exp(-x * x);
  const y2 = y * y;
  // sum1 = Σ e^{-a²n²-x²}/(a²n²+y²); sum23 = Σ (e^{-(an-x)²} + e^{-(an+x)²})/(a²n²+y²);
  // sum54 = Σ an(e^{-(an-x)²} − e^{-(an+x)²})/(a²n²+y²).
  let sum1 = 0, sum23 = 0, sum54 = 0;
  const nmax = Math.ceil((x + Math.sqrt(EXP_CUTOFF)) / A) + 1;
  for (let n = 1; n <= nmax; n++) {
    const an = A * n;
    const den = A2 * n * n + y2;
    const e0 = Math.exp(-an * an - x * x);
    sum1 += e0 / den;
    const dm = an - x, dp = an + x;
    const em = Math.exp(-dm * dm), ep = Math.exp(-dp * dp);
    sum23 += (em + ep) / den;
    // e^{-(an-x)²} − e^{-(an+x)²} = 2e^{-a²n²-x²} sinh(2anx), exact for small 2anx
    const t = 2 * an * x;
    sum54 += (an * (t < 1 ? 2 * e0 * Math.sinh(t) : em - ep)) / den;
  }
  const xy = xs * y;
  const sxy = Math.sin(xy);
  const sin2 = Math.sin(2 * xy), cos2 = Math.cos(2 * xy);
  const coef1 = ex2 * erfcx(y) - C * y * sum1;
  const coef2 = C * xs * ex2;
  // sin(xy)·sinc(xy) and sinc(2xy), continuous at xy = 0
  const sxySinc = Math.abs(xy) < 1e-8 ? xy : (sxy * sxy) / xy;
  const sinc2 = Math.abs(xy) < 1e-8 ? 1 : sin2 / (2 * xy);
  out[0] = coef1 * cos2 + coef2 * sxySinc + 0.5 * C * y * sum23;
  out[1] = coef2 * sinc2 - coef1 * sin2 + 0.5 * C * (xs < 0 ? -sum54 : sum54);
}

/**
 * w(x + iy), written into `out` as `[re, im]`.
 *
 * @param x real part of z.
 * @param y imaginary part of z.
 * @param out where to write `[Re w, Im w]` (a new pair if omitted).
 * @returns `out`.
 * @example
 * ```ts
 * import { faddeeva } from "./faddeeva.ts";
 * const w = faddeeva(1, 1); // [0.30474420525691254, 0.20821893820283163]
 * ```
 *
 * @category Special functions
 */
export function faddeeva(x: number, y: number, out: [number, number] = [0, 0]): [number, number] {
  if (Number.isNaN(x) || Number.isNaN(y)) {
    out[0] = NaN;
    out[1] = NaN;
    return out;
  }
  if (y < 0) {
    // w(z) = 2 exp(-z²) − w(−z), exp(-z²) = exp(y² − x²)·(cos(−2xy) + i sin(−2xy))
    faddeeva(-x, -y, out);
    const e = 2 * Math.exp((y - x) * (y + x));
    const ang = -2 * x * y;
    out[0] = e * Math.cos(ang) - out[0];
    out[1] = e * Math.sin(ang) - out[1];
    return out;
  }
  if (x === 0) {
    out[0] = erfcx(y);
    out[1] = 0;
    return out;
  }
  if (useFraction(Math.abs(x), y)) {
    fraction(x, y, out);
    if (y === 0) out[0] = Math.exp(-x * x); // the fraction has no e^{-x²} term
  } else {
    alg916(x, y, out);
  }
  return out;
}

const scratch: [number, number] = [0, 0];

/**
 * Re w(x + iy) (the Voigt function's shape).
 *
 * @example
 * ```ts
 * import { wofzRe } from "./faddeeva.ts";
 * wofzRe(0, 1); // erfcx(1) = 0.42758357615580705
 * ```
 *
 * @category Special functions
 */
export function wofzRe(x: number, y: number): number {
  return faddeeva(x, y, scratch)[0];
}

/**
 * Im w(x + iy).
 *
 * @example
 * ```ts
 * import { wofzIm } from "./faddeeva.ts";
 * wofzIm(1, 0); // 2/√π·Dawson(1) = 0.6071577058413937
 * ```
 *
 * @category Special functions
 */
export function wofzIm(x: number, y: number): number {
  return faddeeva(x, y, scratch)[1];
}
