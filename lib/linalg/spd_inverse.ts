/**
 * Inverse of a symmetric positive-definite matrix through its Cholesky factor, for turning a
 * Hessian into a covariance (where the inverse itself is the answer, not a step).
 *
 * @module
 */

/**
 * Cholesky inverse of a symmetric positive-definite n×n matrix (row-major): `A⁻¹ = L⁻ᵀ L⁻¹`;
 * `null` when `A` is not positive definite.
 *
 * @example
 * ```ts
 * import { invertSpd } from "./spd_inverse.ts";
 * invertSpd(Float64Array.of(4, 2, 2, 3), 2); // ≈ [0.375, -0.25, -0.25, 0.5]
 * invertSpd(Float64Array.of(1, 2, 2, 1), 2); // null: indefinite
 * ```
 */
export function invertSpd(a: Float64Array, n: number): Float64Array | null {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      if (i === j) {
        if (!(s > 0)) return null;
        L[i * n + i] = Math.sqrt(s);
      } else L[i * n + j] = s / L[j * n + j];
    }
  }
  // inv(L) then inv(A) = inv(L)ᵀ inv(L)
  const Li = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    Li[i * n + i] = 1 / L[i * n + i];
    for (let j = 0; j < i; j++) {
      let s = 0;
      for (let k = j; k < i; k++) s -= L[i * n + k] * Li[k * n + j];
      Li[i * n + j] = s / L[i * n + i];
    }
  }
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < n; k++) s += Li[k * n + i] * Li[k * n + j];
      inv[i * n + j] = s;
      inv[j * n + i] = s;
    }
  }
  return inv;
}
