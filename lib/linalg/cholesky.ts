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

/**
 * JᵀJ (full, column-major n×n, into `w`) and Jᵀf (into `g`) in passes over pairs of columns:
 * each pass reads two columns of J against two others (and f on the diagonal blocks), with the
 * sums in local variables, so the m-long loops run a third as often as one dot product each.
 */
function gram(
  m: number,
  n: number,
  jac: Float64Array,
  f: Float64Array,
  w: Float64Array,
  g: Float64Array,
): void {
  for (let j = 0; j < n; j += 2) {
    const a = j * m, b = j + 1 < n ? a + m : a; // a lone last column pairs with itself
    // Diagonal block with f: a·a, b·a, b·b, a·f, b·f.
    let aa = 0, ba = 0, bb = 0, af = 0, bf = 0;
    for (let i = 0; i < m; i++) {
      const ja = jac[a + i], jb = jac[b + i], fi = f[i];
      aa += ja * ja;
      ba += jb * ja;
      bb += jb * jb;
      af += ja * fi;
      bf += jb * fi;
    }
    w[j + j * n] = aa;
    g[j] = af;
    if (j + 1 < n) {
      w[j + 1 + j * n] = w[j + (j + 1) * n] = ba;
      w[j + 1 + (j + 1) * n] = bb;
      g[j + 1] = bf;
    }
    // Off-diagonal blocks against the earlier pairs (k, k + 1).
    for (let k = 0; k < j; k += 2) {
      const c = k * m, d = c + m;
      let ac = 0, ad = 0, bc = 0, bd = 0;
      for (let i = 0; i < m; i++) {
        const ja = jac[a + i], jb = jac[b + i], jc = jac[c + i], jd = jac[d + i];
        ac += ja * jc;
        ad += ja * jd;
        bc += jb * jc;
        bd += jb * jd;
      }
      w[j + k * n] = w[k + j * n] = ac;
      w[j + (k + 1) * n] = w[k + 1 + j * n] = ad;
      if (j + 1 < n) {
        w[j + 1 + k * n] = w[k + (j + 1) * n] = bc;
        w[j + 1 + (k + 1) * n] = w[k + 1 + (j + 1) * n] = bd;
      }
    }
  }
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
  gram(m, n, jac, f, w, g);
  for (let j = 0; j < n; j++) {
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
