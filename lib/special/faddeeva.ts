/**
 * The Faddeeva function w(z) = e^{-z²} erfc(-iz), for the Voigt profile.
 *
 * Weideman's rational approximation (J. A. C. Weideman, "Computation of the complex error
 * function", SIAM J. Numer. Anal. 31 (1994) 1497–1518) with N = 40 terms in the upper half
 * plane, and the reflection w(z) = 2e^{-z²} − w(−z) below it. Coefficients are computed once
 * by a direct discrete Fourier transform.
 *
 * @module
 */

const N = 40;
const M = 2 * N;
const L = Math.sqrt(N / Math.SQRT2);
const INV_SQRT_PI = 0.5641895835477563;

const COEF: Float64Array = (() => {
  // f(θ_k) = exp(-t²)(L² + t²), t = L tan(θ/2), θ_k = kπ/M, k = -M+1..M-1 (plus f = 0 at k = -M).
  const M2 = 2 * M;
  const f = new Float64Array(M2);
  for (let k = -M + 1; k <= M - 1; k++) {
    const t = L * Math.tan((k * Math.PI) / M / 2);
    f[k + M] = Math.exp(-t * t) * (L * L + t * t);
  }
  // fftshift then real DFT: a_n = Re Σ_j f_shift[j] e^{-2πi jn/M2} / M2
  const shifted = new Float64Array(M2);
  for (let j = 0; j < M2; j++) shifted[j] = f[(j + M) % M2];
  const a = new Float64Array(N);
  for (let n = 1; n <= N; n++) {
    let s = 0;
    for (let j = 0; j < M2; j++) s += shifted[j] * Math.cos((2 * Math.PI * j * n) / M2);
    a[N - n] = s / M2; // flipud(a(2:N+1))
  }
  return a;
})();

/**
 * w(x + iy), written into `out` as `[re, im]`.
 *
 * @example
 * ```ts
 * import { faddeeva } from "./faddeeva.ts";
 * const w = faddeeva(1, 1); // [0.30474420525691254, 0.20821893820283163]
 * ```
 */
export function faddeeva(x: number, y: number, out: [number, number] = [0, 0]): [number, number] {
  if (y < 0) {
    // w(z) = 2 exp(-z²) - w(-z)
    const [wr, wi] = faddeeva(-x, -y);
    const e = Math.exp(y * y - x * x);
    const ang = -2 * x * y; // exp(-z²) = exp(-(x²-y²) - 2ixy)
    out[0] = 2 * e * Math.cos(ang) - wr;
    out[1] = 2 * e * Math.sin(ang) - wi;
    return out;
  }
  // iz = -y + ix; L - iz = (L + y) - ix; L + iz = (L - y) + ix
  const dr = L + y, di = -x;
  const nr = L - y, ni = x;
  const den = dr * dr + di * di;
  // Z = (L + iz)/(L - iz)
  const zr = (nr * dr + ni * di) / den;
  const zi = (ni * dr - nr * di) / den;
  // p = polyval(a, Z) (Horner)
  let pr = COEF[0], pi = 0;
  for (let k = 1; k < N; k++) {
    const tr = pr * zr - pi * zi + COEF[k];
    pi = pr * zi + pi * zr;
    pr = tr;
  }
  // 1/(L - iz) and its square
  const ir = dr / den, ii = -di / den;
  const sr = ir * ir - ii * ii, si = 2 * ir * ii;
  out[0] = 2 * (pr * sr - pi * si) + INV_SQRT_PI * ir;
  out[1] = 2 * (pr * si + pi * sr) + INV_SQRT_PI * ii;
  return out;
}

const scratch: [number, number] = [0, 0];

/** Re w(x + iy). */
export function wofzRe(x: number, y: number): number {
  return faddeeva(x, y, scratch)[0];
}

/** Im w(x + iy). */
export function wofzIm(x: number, y: number): number {
  return faddeeva(x, y, scratch)[1];
}
