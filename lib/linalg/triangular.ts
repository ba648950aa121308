/**
 * Triangular solves on column-major `Float64Array`s (leading dimension `ldr`), in place.
 *
 * @module
 */

/**
 * Solves `R x = b` for upper-triangular n×n `R` (column-major, leading dimension `ldr`; only
 * the upper triangle is read) by back substitution, overwriting `b` with x.
 *
 * @param r Column-major matrix holding R in its upper triangle.
 * @param n Order of R.
 * @param b Right-hand side of length ≥ n; overwritten with the solution.
 * @param ldr Leading dimension of `r` (rows of the stored array). @default n
 * @returns `b`, now holding x.
 * @throws {RangeError} when a diagonal entry is zero (R singular).
 *
 * @example
 * ```ts
 * import { solveUpperTriangular } from "./triangular.ts";
 * // R = [[2, 1], [0, 4]] column-major
 * solveUpperTriangular(Float64Array.of(2, 0, 1, 4), 2, Float64Array.of(4, 8)); // [1, 2]
 * ```
 *
 * @category Linear algebra
 */
export function solveUpperTriangular(
  r: Float64Array,
  n: number,
  b: Float64Array,
  ldr: number = n,
): Float64Array {
  for (let j = n - 1; j >= 0; j--) {
    const d = r[j + j * ldr];
    if (d === 0) throw new RangeError(`solveUpperTriangular: R[${j},${j}] = 0, R is singular`);
    const xj = b[j] / d;
    b[j] = xj;
    for (let i = 0; i < j; i++) b[i] -= r[i + j * ldr] * xj;
  }
  return b;
}

/**
 * Solves `Rᵀ x = b` for upper-triangular `R` (that is, a lower-triangular solve with Rᵀ) by
 * forward substitution, overwriting `b`.
 *
 * @param r Column-major matrix holding R in its upper triangle.
 * @param n Order of R.
 * @param b Right-hand side of length ≥ n; overwritten with the solution.
 * @param ldr Leading dimension of `r`. @default n
 * @returns `b`, now holding x.
 * @throws {RangeError} when a diagonal entry is zero.
 *
 * @example
 * ```ts
 * import { solveUpperTransposed } from "./triangular.ts";
 * // Rᵀ = [[2, 0], [1, 4]]
 * solveUpperTransposed(Float64Array.of(2, 0, 1, 4), 2, Float64Array.of(2, 9)); // [1, 2]
 * ```
 *
 * @category Linear algebra
 */
export function solveUpperTransposed(
  r: Float64Array,
  n: number,
  b: Float64Array,
  ldr: number = n,
): Float64Array {
  for (let j = 0; j < n; j++) {
    const d = r[j + j * ldr];
    if (d === 0) throw new RangeError(`solveUpperTransposed: R[${j},${j}] = 0, R is singular`);
    let s = b[j];
    for (let i = 0; i < j; i++) s -= r[i + j * ldr] * b[i];
    b[j] = s / d;
  }
  return b;
}

/**
 * Solves `L x = b` for lower-triangular n×n `L` (column-major, leading dimension `ldl`; only the
 * lower triangle is read) by forward substitution, overwriting `b`.
 *
 * @param l Column-major matrix holding L in its lower triangle.
 * @param n Order of L.
 * @param b Right-hand side of length ≥ n; overwritten with the solution.
 * @param ldl Leading dimension of `l`. @default n
 * @returns `b`, now holding x.
 * @throws {RangeError} when a diagonal entry is zero.
 *
 * @example
 * ```ts
 * import { solveLowerTriangular } from "./triangular.ts";
 * // L = [[2, 0], [1, 4]] column-major
 * solveLowerTriangular(Float64Array.of(2, 1, 0, 4), 2, Float64Array.of(2, 9)); // [1, 2]
 * ```
 *
 * @category Linear algebra
 */
export function solveLowerTriangular(
  l: Float64Array,
  n: number,
  b: Float64Array,
  ldl: number = n,
): Float64Array {
  for (let j = 0; j < n; j++) {
    const d = l[j + j * ldl];
    if (d === 0) throw new RangeError(`solveLowerTriangular: L[${j},${j}] = 0, L is singular`);
    const xj = b[j] / d;
    b[j] = xj;
    for (let i = j + 1; i < n; i++) b[i] -= l[i + j * ldl] * xj;
  }
  return b;
}
