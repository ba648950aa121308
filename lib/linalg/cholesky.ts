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

/** Σ a[ia + i]·b[ib + i] for i < len, with four accumulators (the adds do not wait on each other). */
function dot(a: Float64Array, ia: number, b: Float64Array, ib: number, len: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let i = 0;
  for (; i + 3 < len; i += 4) {
    s0 += a[ia + i] * b[ib + i];
    s1 += a[ia + i + 1] * b[ib + i + 1];
    s2 += a[ia + i + 2] * b[ib + i + 2];
    s3 += a[ia + i + 3] * b[ib + i + 3];
  }
  for (; i < len; i++) s0 += a[ia + i] * b[ib + i];
  return (s0 + s1) + (s2 + s3);
}

/**
 * The triangular factor of `J·P` from the normal equations: a Cholesky factorization
 * `Pᵀ(JᵀJ)P = RᵀR` with diagonal pivoting (the largest remaining diagonal first, which is
 * `qrfac`'s choice of the largest remaining column norm), and `qtf = R⁻ᵀPᵀJᵀf`, the first n
 * components of `Qᵀf`. So R, `ipvt`, `rdiag`, `acnorm` and `qtf` are what a pivoted QR of J
 * gives (up to the signs of R's rows and `qtf`, which cancel in every use), for O(m·n²/2)
 * multiply-adds without the Householder updates.
 *
 * It declines (returns false, leaving the outputs unspecified) when a pivot is not positive or
 * when the column-scaled problem is ill-conditioned: `r_kk / ‖J e_pk‖ < minScaledPivot` for some
 * k, i.e. an estimated condition number of the scaled JᵀJ above `minScaledPivot⁻²`. Normal
 * equations square the condition number; past that bound the caller uses the QR.
 *
 * @param m Rows of J.
 * @param n Columns of J.
 * @param jac J, column-major m×n (not modified).
 * @param f The residual vector (length m).
 * @param r Output: R in the upper triangle of an n×n column-major array (lower part is workspace).
 * @param ipvt Output: the column permutation.
 * @param rdiag Output: R's diagonal.
 * @param acnorm Output: the column norms of J.
 * @param qtf Output: `R⁻ᵀPᵀJᵀf`.
 * @param work Workspace of length n·n + n.
 * @param minScaledPivot Smallest accepted `r_kk / ‖J e_pk‖`. @default 1e-3
 * @returns true when R was formed and is well-conditioned enough.
 *
 * @example
 * ```ts
 * import { normalEquationsR } from "./cholesky.ts";
 * const jac = Float64Array.of(1, 1, 1, 0, 1, 2); // columns [1,1,1] and [0,1,2]
 * const r = new Float64Array(4), ipvt = new Int32Array(2), rdiag = new Float64Array(2);
 * const acnorm = new Float64Array(2), qtf = new Float64Array(2);
 * normalEquationsR(3, 2, jac, Float64Array.of(1, 2, 3), r, ipvt, rdiag, acnorm, qtf, new Float64Array(6)); // true
 * ipvt; // Int32Array [1, 0]: the larger column first
 * rdiag[0]; // √5 = ‖[0, 1, 2]‖
 * ```
 */
export function normalEquationsR(
  m: number,
  n: number,
  jac: Float64Array,
  f: Float64Array,
  r: Float64Array,
  ipvt: Int32Array,
  rdiag: Float64Array,
  acnorm: Float64Array,
  qtf: Float64Array,
  work: Float64Array,
  minScaledPivot = 1e-3,
): boolean {
  // W = JᵀJ (full, column-major n×n), g = Jᵀf.
  const w = work, g = work.subarray(n * n, n * n + n);
  for (let j = 0; j < n; j++) {
    const cj = j * m;
    for (let k = 0; k <= j; k++) {
      const s = dot(jac, cj, jac, k * m, m);
      w[j + k * n] = s;
      w[k + j * n] = s;
    }
    g[j] = dot(jac, cj, f, 0, m);
    acnorm[j] = Math.sqrt(w[j + j * n]);
    ipvt[j] = j;
  }
  // Pivoted Cholesky, right-looking, in place in W (rows/columns swapped as pivots are chosen).
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (w[i + i * n] > w[p + p * n]) p = i;
    if (p !== k) {
      for (let i = 0; i < n; i++) {
        const t = w[i + k * n];
        w[i + k * n] = w[i + p * n];
        w[i + p * n] = t;
      }
      for (let i = 0; i < n; i++) {
        const t = w[k + i * n];
        w[k + i * n] = w[p + i * n];
        w[p + i * n] = t;
      }
      const t = ipvt[k];
      ipvt[k] = ipvt[p];
      ipvt[p] = t;
    }
    const d = w[k + k * n];
    if (!(d > 0) || !Number.isFinite(d)) return false;
    const rkk = Math.sqrt(d);
    if (!(rkk >= minScaledPivot * acnorm[ipvt[k]])) return false;
    w[k + k * n] = rkk;
    for (let j = k + 1; j < n; j++) w[k + j * n] /= rkk;
    for (let j = k + 1; j < n; j++) {
      const rkj = w[k + j * n];
      for (let i = k + 1; i <= j; i++) w[i + j * n] -= w[k + i * n] * rkj;
    }
    // Keep the trailing block symmetric (the next swap moves rows and columns).
    for (let j = k + 1; j < n; j++) {
      for (let i = j + 1; i < n; i++) w[i + j * n] = w[j + i * n];
    }
  }
  for (let j = 0; j < n; j++) {
    for (let i = 0; i <= j; i++) r[i + j * n] = w[i + j * n];
    rdiag[j] = w[j + j * n];
  }
  // qtf = R⁻ᵀ Pᵀ g (forward substitution with Rᵀ).
  for (let k = 0; k < n; k++) {
    let s = g[ipvt[k]];
    for (let i = 0; i < k; i++) s -= r[i + k * n] * qtf[i];
    qtf[k] = s / r[k + k * n];
  }
  return true;
}
