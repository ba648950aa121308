/**
 * Covariance `(JᵀJ)⁻¹` of least-squares parameters from the Jacobian, through a pivoted QR
 * factorization (never by forming and inverting JᵀJ): with JP = QR, `(JᵀJ)⁻¹ = P R⁻¹ R⁻ᵀ Pᵀ`.
 *
 * @module
 */

import { qrPivotInPlace } from "./qr.ts";

/**
 * `(JᵀJ)⁻¹` for a column-major `m×n` Jacobian, row-major n×n; `null` when J is rank-deficient
 * at relative tolerance `rcond` (the covariance cannot be estimated).
 *
 * @example
 * ```ts
 * import { covarianceFromJacobian } from "./covariance.ts";
 * // J = [[1,0],[0,2],[0,0]] (column-major) → diag(1, 1/4)
 * covarianceFromJacobian(Float64Array.of(1, 0, 0, 0, 2, 0), 3, 2); // [1, 0, 0, 0.25]
 * ```
 *
 * @category Linear algebra
 */
export function covarianceFromJacobian(
  jac: Float64Array,
  m: number,
  n: number,
  rcond = 1e-13,
): Float64Array | null {
  return covarianceFromJacobianInPlace(jac, m, n, rcond, false);
}

/**
 * `covarianceFromJacobian` that may factor `jac` in place (`overwrite`, default true: its
 * contents are then destroyed unless the result is `null` before factoring), saving the m×n copy
 * for a caller that owns the Jacobian and needs it no more. `pivot`, when given, receives the
 * factorization's column order and numerical rank (`perm` stays null when `jac` was not
 * factored: `m < n` or an entry not finite), as `qrPivot(jac, m, n, rcond)` would give them.
 *
 * @example
 * ```ts
 * import { covarianceFromJacobianInPlace } from "./covariance.ts";
 * covarianceFromJacobianInPlace(Float64Array.of(1, 0, 0, 0, 2, 0), 3, 2); // [1, 0, 0, 0.25]
 * ```
 *
 * @category Linear algebra
 */
export function covarianceFromJacobianInPlace(
  jac: Float64Array,
  m: number,
  n: number,
  rcond = 1e-13,
  overwrite = true,
  pivot?: { perm: Int32Array | null; rank: number },
): Float64Array | null {
  if (m < n) return null;
  for (let i = 0; i < m * n; i++) if (!Number.isFinite(jac[i])) return null;
  const { r, perm, rank } = qrPivotInPlace(overwrite ? jac : Float64Array.from(jac), m, n, rcond);
  if (pivot) {
    pivot.perm = perm;
    pivot.rank = rank;
  }
  if (rank < n) return null;
  // Rinv: inverse of the upper-triangular R (column-major n×n), by back substitution.
  const rinv = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    rinv[j + j * n] = 1 / r[j + j * n];
    for (let i = j - 1; i >= 0; i--) {
      let s = 0;
      for (let k = i + 1; k <= j; k++) s += r[i + k * n] * rinv[k + j * n];
      rinv[i + j * n] = -s / r[i + i * n];
    }
  }
  // C_perm = Rinv Rinvᵀ, then un-permute: C[perm[a], perm[b]] = C_perm[a, b].
  const cov = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = a; b < n; b++) {
      let s = 0;
      for (let k = Math.max(a, b); k < n; k++) s += rinv[a + k * n] * rinv[b + k * n];
      const pa = perm[a], pb = perm[b];
      cov[pa * n + pb] = s;
      cov[pb * n + pa] = s;
    }
  }
  return cov;
}
