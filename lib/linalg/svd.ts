/**
 * Singular value decomposition of a small dense matrix by one-sided Jacobi rotations (Hestenes;
 * Demmel & Veselić 1992): accurate singular values, including tiny ones, which is what
 * rank-deficient covariance needs.
 *
 * @module
 */

/**
 * `A = U·diag(s)·Vᵀ` for a column-major m×n A (m ≥ n): U m×n, V n×n (column-major), s descending.
 *
 * @example
 * ```ts
 * import { type Svd, svd } from "./svd.ts";
 * const a = Float64Array.of(1, 1, 1, -1); // 2×2 column-major
 * const { u, s, v }: Svd = svd(a, 2, 2);
 * s; // ≈ [1.4142, 1.4142]
 * // A = U·diag(s)·Vᵀ: entry (0, 0)
 * u[0] * s[0] * v[0] + u[2] * s[1] * v[2]; // ≈ 1
 * ```
 *
 * @category Linear algebra
 */
export interface Svd {
  /** Left singular vectors, m×n column-major. */
  u: Float64Array;
  /** Singular values, descending. */
  s: Float64Array;
  /** Right singular vectors, n×n column-major. */
  v: Float64Array;
}

/**
 * SVD of a column-major `m×n` matrix (m ≥ n).
 *
 * @example
 * ```ts
 * import { svd } from "./svd.ts";
 * svd(Float64Array.of(3, 0, 0, 4), 2, 2).s; // [4, 3]
 * ```
 *
 * @category Linear algebra
 */
export function svd(a: Float64Array, m: number, n: number): Svd {
  if (m < n) throw new RangeError(`svd needs m >= n, got ${m}×${n}`);
  const u = Float64Array.from(a);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i + i * n] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        let alpha = 0, beta = 0, gamma = 0;
        for (let i = 0; i < m; i++) {
          const up = u[i + p * m], uq = u[i + q * m];
          alpha += up * up;
          beta += uq * uq;
          gamma += up * uq;
        }
        if (gamma === 0 || Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta)) continue;
        off = Math.max(off, Math.abs(gamma) / Math.sqrt(alpha * beta));
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t), s = c * t;
        for (let i = 0; i < m; i++) {
          const up = u[i + p * m], uq = u[i + q * m];
          u[i + p * m] = c * up - s * uq;
          u[i + q * m] = s * up + c * uq;
        }
        for (let i = 0; i < n; i++) {
          const vp = v[i + p * n], vq = v[i + q * n];
          v[i + p * n] = c * vp - s * vq;
          v[i + q * n] = s * vp + c * vq;
        }
      }
    }
    if (off <= 1e-15) break;
  }
  const s = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let norm = 0;
    for (let i = 0; i < m; i++) norm += u[i + j * m] ** 2;
    s[j] = Math.sqrt(norm);
    if (s[j] > 0) { for (let i = 0; i < m; i++) u[i + j * m] /= s[j]; }
  }
  // Sort by descending singular value.
  const order = Array.from({ length: n }, (_, j) => j).sort((x, y) => s[y] - s[x]);
  const su = new Float64Array(m * n), sv = new Float64Array(n * n), ss = new Float64Array(n);
  order.forEach((j, k) => {
    ss[k] = s[j];
    su.set(u.subarray(j * m, j * m + m), k * m);
    sv.set(v.subarray(j * n, j * n + n), k * n);
  });
  return { u: su, s: ss, v: sv };
}

/**
 * `(JᵀJ)⁺` by SVD, dropping singular values below `rcond·s_max`: a covariance for a
 * rank-deficient Jacobian, and the number of directions kept. Row-major n×n.
 *
 * @example
 * ```ts
 * import { pseudoInverseCovariance } from "./svd.ts";
 * // two identical columns: rank 1
 * pseudoInverseCovariance(Float64Array.of(1, 1, 1, 1), 2, 2).rank; // 1
 * ```
 *
 * @category Linear algebra
 */
export function pseudoInverseCovariance(
  jac: Float64Array,
  m: number,
  n: number,
  rcond = 1e-12,
): { covar: Float64Array; rank: number } {
  const { s, v } = svd(jac, m, n);
  const covar = new Float64Array(n * n);
  let rank = 0;
  for (let k = 0; k < n; k++) {
    if (!(s[k] > rcond * s[0])) continue;
    rank++;
    const w = 1 / (s[k] * s[k]);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) covar[i * n + j] += w * v[i + k * n] * v[j + k * n];
    }
  }
  return { covar, rank };
}
