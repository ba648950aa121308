/**
 * Cholesky factorization `A = L Lᵀ` of a symmetric positive-definite matrix, and solves with it.
 * Matrices are n×n column-major `Float64Array`s (for a symmetric A, row- and column-major are
 * the same array).
 *
 * @module
 */

import { solveLowerTriangular } from "./triangular.ts";

/**
 * Cholesky factor of a symmetric positive-definite n×n matrix (only its lower triangle is
 * read): returns L (lower triangular, column-major, zeros above the diagonal), or `null` when
 * A is not positive definite (a pivot ≤ 0 or not finite).
 *
 * @param a Symmetric n×n matrix, column-major (not modified).
 * @param n Order of A.
 * @returns L with `A = L·Lᵀ`, or `null`.
 *
 * @example
 * ```ts
 * import { cholesky } from "./cholesky.ts";
 * cholesky(Float64Array.of(4, 2, 2, 3), 2); // [2, 1, 0, √2]
 * ```
 *
 * @category Linear algebra
 */
export function cholesky(a: Float64Array, n: number): Float64Array | null {
  if (a.length < n * n) {
    throw new RangeError(`cholesky: a has length ${a.length}, expected ${n * n} for n = ${n}`);
  }
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j + j * n];
    for (let k = 0; k < j; k++) d -= l[j + k * n] * l[j + k * n];
    if (!(d > 0) || !Number.isFinite(d)) return null;
    const ljj = Math.sqrt(d);
    l[j + j * n] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i + j * n];
      for (let k = 0; k < j; k++) s -= l[i + k * n] * l[j + k * n];
      l[i + j * n] = s / ljj;
    }
  }
  return l;
}

/**
 * Solves `A x = b` given the Cholesky factor `L` of A (from `cholesky`), overwriting `b`.
 *
 * @param l Lower-triangular factor, n×n column-major.
 * @param n Order.
 * @param b Right-hand side; overwritten with x.
 * @returns `b`, now holding x.
 *
 * @example
 * ```ts
 * import { cholesky, choleskySolve } from "./cholesky.ts";
 * const l = cholesky(Float64Array.of(4, 2, 2, 3), 2)!;
 * choleskySolve(l, 2, Float64Array.of(8, 7)); // [1.25, 1.5]
 * ```
 *
 * @category Linear algebra
 */
export function choleskySolve(l: Float64Array, n: number, b: Float64Array): Float64Array {
  solveLowerTriangular(l, n, b);
  // Back substitution with Lᵀ: (Lᵀ)[j, i] = L[i, j].
  for (let j = n - 1; j >= 0; j--) {
    let s = b[j];
    for (let i = j + 1; i < n; i++) s -= l[i + j * n] * b[i];
    b[j] = s / l[j + j * n];
  }
  return b;
}
