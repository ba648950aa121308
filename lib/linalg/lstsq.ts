/**
 * Small dense linear least squares `min ‖A c − y‖` by Householder QR (for polynomial fits in
 * model guesses).
 *
 * @module
 */

import { qrfac } from "./qr.ts";

/**
 * Least-squares solution of `A c ≈ y` for a column-major `m×n` matrix A (m ≥ n, full rank).
 *
 * @example
 * ```ts
 * import { lstsq } from "./lstsq.ts";
 * // fit y = 2x + 1 on x = 0, 1, 2: columns [x, 1]
 * lstsq(Float64Array.of(0, 1, 2, 1, 1, 1), Float64Array.of(1, 3, 5), 3, 2); // [2, 1]
 * ```
 *
 * @category Linear algebra
 */
export function lstsq(a: Float64Array, y: Float64Array, m: number, n: number): Float64Array {
  const q = Float64Array.from(a);
  const ipvt = new Int32Array(n),
    rdiag = new Float64Array(n),
    acnorm = new Float64Array(n),
    wa = new Float64Array(n);
  qrfac(m, n, q, true, ipvt, rdiag, acnorm, wa);
  // Apply Qᵀ to y with the stored Householder vectors.
  const qty = Float64Array.from(y);
  for (let j = 0; j < n; j++) {
    const jj = j + j * m;
    if (q[jj] === 0) continue;
    let s = 0;
    for (let i = j; i < m; i++) s += q[i + j * m] * qty[i];
    const t = -s / q[jj];
    for (let i = j; i < m; i++) qty[i] += q[i + j * m] * t;
  }
  // Back substitution with R (diagonal in rdiag, upper part in q).
  const z = new Float64Array(n);
  for (let j = n - 1; j >= 0; j--) {
    let s = qty[j];
    for (let k = j + 1; k < n; k++) s -= q[j + k * m] * z[k];
    z[j] = s / rdiag[j];
  }
  const c = new Float64Array(n);
  for (let j = 0; j < n; j++) c[ipvt[j]] = z[j];
  return c;
}

/**
 * numpy's `polyfit(x, y, deg)`: coefficients, highest power first.
 *
 * @example
 * ```ts
 * import { polyfit } from "./lstsq.ts";
 * polyfit(Float64Array.of(0, 1, 2), Float64Array.of(1, 3, 5), 1); // [2, 1]
 * ```
 *
 * @category Linear algebra
 */
export function polyfit(x: ArrayLike<number>, y: ArrayLike<number>, deg: number): Float64Array {
  const m = x.length, n = deg + 1;
  const a = new Float64Array(m * n);
  for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) a[i + j * m] = x[i] ** (deg - j);
  return lstsq(a, Float64Array.from(y), m, n);
}
