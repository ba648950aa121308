/**
 * Householder QR factorization with column pivoting and the related MINPACK kernels
 * (Moré, Garbow, Hillstrom 1980: `enorm`, `qrfac`, `qrsolv`), on column-major `Float64Array`s.
 * No allocation inside the kernels: callers pass workspaces.
 *
 * @module
 */

const RDWARF = 3.834e-20;
const RGIANT = 1.304e19;

/**
 * Euclidean norm of `x[offset .. offset+n)` (with `stride`), safe from overflow and underflow
 * (MINPACK `enorm`).
 *
 * @example
 * ```ts
 * import { enorm } from "./qr.ts";
 * enorm(3, Float64Array.of(3, 4, 12)); // 13
 * ```
 *
 * @category Linear algebra
 */
export function enorm(n: number, x: Float64Array, offset = 0, stride = 1): number {
  // Fast path: a plain sum of squares is exact enough when it neither overflows nor underflows.
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const v = x[offset + i * stride];
    ss += v * v;
  }
  if (ss > 1e-280 && ss < 1e280) return Math.sqrt(ss);
  if (Number.isNaN(ss)) return NaN;
  let s1 = 0, s2 = 0, s3 = 0, x1max = 0, x3max = 0;
  const agiant = RGIANT / n;
  for (let i = 0; i < n; i++) {
    const xabs = Math.abs(x[offset + i * stride]);
    if (xabs > RDWARF && xabs < agiant) {
      s2 += xabs * xabs;
    } else if (xabs <= RDWARF) {
      if (xabs > x3max) {
        const r = x3max / xabs;
        s3 = 1 + s3 * r * r;
        x3max = xabs;
      } else if (xabs !== 0) {
        const r = xabs / x3max;
        s3 += r * r;
      }
    } else if (xabs > x1max) {
      const r = x1max / xabs;
      s1 = 1 + s1 * r * r;
      x1max = xabs;
    } else {
      const r = xabs / x1max;
      s1 += r * r;
    }
    if (Number.isNaN(xabs)) return NaN;
  }
  if (s1 !== 0) return x1max * Math.sqrt(s1 + s2 / x1max / x1max);
  if (s2 !== 0) {
    return s2 >= x3max
      ? Math.sqrt(s2 * (1 + (x3max / s2) * (x3max * s3)))
      : Math.sqrt(x3max * (s2 / x3max + x3max * s3));
  }
  return x3max * Math.sqrt(s3);
}

/**
 * `enorm` of every column of the column-major m×n matrix `a` into `out`: the sums of squares of
 * four columns per pass (each in `enorm`'s order, so the same numbers), `enorm` itself where
 * its plain sum would over- or underflow.
 */
function columnNorms(a: Float64Array, m: number, n: number, out: Float64Array): void {
  let k = 0;
  for (; k + 3 < n; k += 4) {
    const c0 = k * m, c1 = c0 + m, c2 = c1 + m, c3 = c2 + m;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let i = 0; i < m; i++) {
      const v0 = a[i + c0], v1 = a[i + c1], v2 = a[i + c2], v3 = a[i + c3];
      s0 += v0 * v0;
      s1 += v1 * v1;
      s2 += v2 * v2;
      s3 += v3 * v3;
    }
    out[k] = s0 > 1e-280 && s0 < 1e280 ? Math.sqrt(s0) : enorm(m, a, c0);
    out[k + 1] = s1 > 1e-280 && s1 < 1e280 ? Math.sqrt(s1) : enorm(m, a, c1);
    out[k + 2] = s2 > 1e-280 && s2 < 1e280 ? Math.sqrt(s2) : enorm(m, a, c2);
    out[k + 3] = s3 > 1e-280 && s3 < 1e280 ? Math.sqrt(s3) : enorm(m, a, c3);
  }
  for (; k < n; k++) out[k] = enorm(m, a, k * m);
}

let scratchBuf = new Float64Array(16);
function scratch(n: number): Float64Array {
  if (scratchBuf.length < n) scratchBuf = new Float64Array(n);
  return scratchBuf;
}

/**
 * sums[k] = Σ_{i ≥ j} a[i, j]·a[i, k] for k = j+1 … n−1 (column-major m×n), four columns per
 * pass over column j: independent running sums keep the processor busy, and each is accumulated
 * in increasing i exactly as a one-column loop would.
 */
function householderDots(a: Float64Array, m: number, n: number, j: number, sums: Float64Array) {
  const cj = j * m;
  let k = j + 1;
  for (; k + 3 < n; k += 4) {
    const c0 = k * m, c1 = c0 + m, c2 = c1 + m, c3 = c2 + m;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let i = j; i < m; i++) {
      const v = a[i + cj];
      s0 += v * a[i + c0];
      s1 += v * a[i + c1];
      s2 += v * a[i + c2];
      s3 += v * a[i + c3];
    }
    sums[k] = s0;
    sums[k + 1] = s1;
    sums[k + 2] = s2;
    sums[k + 3] = s3;
  }
  if (k + 1 < n) {
    const c0 = k * m, c1 = c0 + m;
    let s0 = 0, s1 = 0;
    for (let i = j; i < m; i++) {
      const v = a[i + cj];
      s0 += v * a[i + c0];
      s1 += v * a[i + c1];
    }
    sums[k] = s0;
    sums[k + 1] = s1;
    k += 2;
  }
  if (k < n) {
    const c0 = k * m;
    let s0 = 0;
    for (let i = j; i < m; i++) s0 += a[i + cj] * a[i + c0];
    sums[k] = s0;
  }
}

/**
 * In-place Householder QR with optional column pivoting of the column-major `m×n` matrix `a`
 * (MINPACK `qrfac`): on return the upper triangle of `a` holds R without its diagonal (which is
 * in `rdiag`), the lower trapezoid the Householder vectors; `ipvt[j]` is the original index of
 * column j; `acnorm` the norms of the original columns. `wa` is an n-vector workspace.
 * Householder j is `H = I − v·vᵀ/v_j` with v = a[j.., j], so `Qᵀ·A·P = R`.
 *
 * @example
 * ```ts
 * import { qrfac } from "./qr.ts";
 * const a = Float64Array.of(3, 4, 0, 0); // 2×2 column-major: columns (3,4) and (0,0)
 * const ipvt = new Int32Array(2), rdiag = new Float64Array(2);
 * qrfac(2, 2, a, true, ipvt, rdiag, new Float64Array(2), new Float64Array(2));
 * rdiag; // [-5, 0]
 * ```
 *
 * @category Linear algebra
 */
export function qrfac(
  m: number,
  n: number,
  a: Float64Array,
  pivot: boolean,
  ipvt: Int32Array,
  rdiag: Float64Array,
  acnorm: Float64Array,
  wa: Float64Array,
): void {
  const epsmch = Number.EPSILON;
  columnNorms(a, m, n, acnorm);
  for (let j = 0; j < n; j++) {
    rdiag[j] = acnorm[j];
    wa[j] = rdiag[j];
    ipvt[j] = j;
  }
  const minmn = Math.min(m, n);
  for (let j = 0; j < minmn; j++) {
    if (pivot) {
      let kmax = j;
      for (let k = j; k < n; k++) if (rdiag[k] > rdiag[kmax]) kmax = k;
      if (kmax !== j) {
        for (let i = 0; i < m; i++) {
          const t = a[i + j * m];
          a[i + j * m] = a[i + kmax * m];
          a[i + kmax * m] = t;
        }
        rdiag[kmax] = rdiag[j];
        wa[kmax] = wa[j];
        const k = ipvt[j];
        ipvt[j] = ipvt[kmax];
        ipvt[kmax] = k;
      }
    }
    const jj = j + j * m;
    let ajnorm = enorm(m - j, a, jj);
    if (ajnorm !== 0) {
      if (a[jj] < 0) ajnorm = -ajnorm;
      for (let i = j; i < m; i++) a[i + j * m] /= ajnorm;
      a[jj] += 1;
      // Apply the Householder vector to every later column: the dot products first, several
      // columns per pass (each summed in MINPACK's order, so the same numbers), then the updates.
      const sums = scratch(n);
      householderDots(a, m, n, j, sums);
      for (let k = j + 1; k < n; k++) {
        const temp = sums[k] / a[jj];
        for (let i = j; i < m; i++) a[i + k * m] -= temp * a[i + j * m];
      }
      for (let k = j + 1; k < n; k++) {
        if (pivot && rdiag[k] !== 0) {
          const t = a[j + k * m] / rdiag[k];
          rdiag[k] *= Math.sqrt(Math.max(0, 1 - t * t));
          if (0.05 * (rdiag[k] / wa[k]) ** 2 <= epsmch) {
            rdiag[k] = enorm(m - j - 1, a, j + 1 + k * m);
            wa[k] = rdiag[k];
          }
        }
      }
    }
    rdiag[j] = -ajnorm;
  }
}

/**
 * Solves `min ‖[A; D] x - [b; 0]‖` given the QR factorization of A with pivoting, where D is
 * diagonal (MINPACK `qrsolv`). `r` is column-major n×n with leading dimension `ldr`; its
 * upper triangle holds R and is preserved; `qtb` = Qᵀb. Outputs `x` and `sdiag` (the diagonal
 * of the triangular S with Pᵀ(AᵀA + DD)P = SᵀS). `wa` is an n-vector workspace.
 *
 * @example
 * ```ts
 * import { qrsolv } from "./qr.ts";
 * // A = I (R = I, no pivoting), b = (2, 4), D = diag(1, 1): x = b/2
 * const r = Float64Array.of(1, 0, 0, 1), x = new Float64Array(2);
 * qrsolv(2, r, 2, Int32Array.of(0, 1), Float64Array.of(1, 1), Float64Array.of(2, 4), x,
 *   new Float64Array(2), new Float64Array(2));
 * x; // [1, 2]
 * ```
 *
 * @category Linear algebra
 */
export function qrsolv(
  n: number,
  r: Float64Array,
  ldr: number,
  ipvt: Int32Array,
  diag: Float64Array,
  qtb: Float64Array,
  x: Float64Array,
  sdiag: Float64Array,
  wa: Float64Array,
): void {
  for (let j = 0; j < n; j++) {
    for (let i = j; i < n; i++) r[i + j * ldr] = r[j + i * ldr];
    x[j] = r[j + j * ldr];
    wa[j] = qtb[j];
  }
  for (let j = 0; j < n; j++) {
    const l = ipvt[j];
    if (diag[l] !== 0) {
      for (let k = j; k < n; k++) sdiag[k] = 0;
      sdiag[j] = diag[l];
      let qtbpj = 0;
      for (let k = j; k < n; k++) {
        if (sdiag[k] === 0) continue;
        const rkk = r[k + k * ldr];
        let cos: number, sin: number;
        if (Math.abs(rkk) < Math.abs(sdiag[k])) {
          const cotan = rkk / sdiag[k];
          sin = 0.5 / Math.sqrt(0.25 + 0.25 * cotan * cotan);
          cos = sin * cotan;
        } else {
          const tan = sdiag[k] / rkk;
          cos = 0.5 / Math.sqrt(0.25 + 0.25 * tan * tan);
          sin = cos * tan;
        }
        r[k + k * ldr] = cos * rkk + sin * sdiag[k];
        const temp = cos * wa[k] + sin * qtbpj;
        qtbpj = -sin * wa[k] + cos * qtbpj;
        wa[k] = temp;
        for (let i = k + 1; i < n; i++) {
          const t = cos * r[i + k * ldr] + sin * sdiag[i];
          sdiag[i] = -sin * r[i + k * ldr] + cos * sdiag[i];
          r[i + k * ldr] = t;
        }
      }
    }
    sdiag[j] = r[j + j * ldr];
    r[j + j * ldr] = x[j];
  }
  let nsing = n;
  for (let j = 0; j < n; j++) {
    if (sdiag[j] === 0 && nsing === n) nsing = j;
    if (nsing < n) wa[j] = 0;
  }
  for (let j = nsing - 1; j >= 0; j--) {
    let sum = 0;
    for (let i = j + 1; i < nsing; i++) sum += r[i + j * ldr] * wa[i];
    wa[j] = (wa[j] - sum) / sdiag[j];
  }
  for (let j = 0; j < n; j++) x[ipvt[j]] = wa[j];
}

/**
 * QR factorization with column pivoting, returned as explicit pieces: `r` (n×n upper
 * triangular, column-major, for the pivoted columns), `perm` (column j of R is column
 * `perm[j]` of A) and the numerical `rank` at relative tolerance `rcond`.
 *
 * @example
 * ```ts
 * import { qrPivot } from "./qr.ts";
 * const a = Float64Array.of(1, 2, 3, 4, 5, 6); // 3×2 column-major
 * const { rank } = qrPivot(a, 3, 2);
 * rank; // 2
 * ```
 *
 * @category Linear algebra
 */
export function qrPivot(
  a: Float64Array,
  m: number,
  n: number,
  rcond = 1e-14,
): { r: Float64Array; perm: Int32Array; rank: number } {
  return qrPivotInPlace(Float64Array.from(a), m, n, rcond);
}

/**
 * `qrPivot` that factors `a` in place (its contents are overwritten), saving the m×n copy when
 * the caller has no further use for the matrix.
 *
 * @example
 * ```ts
 * import { qrPivotInPlace } from "./qr.ts";
 * qrPivotInPlace(Float64Array.of(1, 2, 3, 4, 5, 6), 3, 2).rank; // 2
 * ```
 *
 * @category Linear algebra
 */
export function qrPivotInPlace(
  work: Float64Array,
  m: number,
  n: number,
  rcond = 1e-14,
): { r: Float64Array; perm: Int32Array; rank: number } {
  const ipvt = new Int32Array(n);
  const rdiag = new Float64Array(n);
  const acnorm = new Float64Array(n);
  const wa = new Float64Array(n);
  qrfac(m, n, work, true, ipvt, rdiag, acnorm, wa);
  const r = new Float64Array(n * n);
  const k = Math.min(m, n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < Math.min(j, k); i++) r[i + j * n] = work[i + j * m];
    if (j < k) r[j + j * n] = rdiag[j];
  }
  let rank = 0;
  const r0 = Math.abs(rdiag[0] ?? 0);
  for (let j = 0; j < k; j++) if (Math.abs(rdiag[j]) > rcond * r0) rank++;
  return { r, perm: ipvt, rank };
}

/**
 * Explicit pivoted QR factors: `A·P = Q·R`, column j of `A·P` being column `perm[j]` of A.
 *
 * @example
 * ```ts
 * import { qrFull, type QrFactors } from "./qr.ts";
 * const a = Float64Array.of(1, 1, 0, 2, 0, 0); // 3×2, column-major: columns (1,1,0) and (2,0,0)
 * const { q, r, perm, rank }: QrFactors = qrFull(a, 3, 2);
 * rank; // 2
 * perm; // Int32Array [1, 0]: the longer column first
 * Math.abs(r[0]); // 2 = |column (2,0,0)|
 * q.length; // 6: thin Q, 3×2 with orthonormal columns
 * ```
 *
 * @category Linear algebra
 */
export interface QrFactors {
  /** Thin Q, m×n column-major with orthonormal columns. */
  q: Float64Array;
  /** R, n×n upper triangular column-major, |diagonal| non-increasing. */
  r: Float64Array;
  /** Column permutation: column j of `A·P` is column `perm[j]` of A. */
  perm: Int32Array;
  /** Numerical rank: diagonal entries of R above `rcond·|R[0,0]|`. */
  rank: number;
}

/**
 * Householder QR with column pivoting returning explicit factors (thin Q included), for callers
 * that need Q itself (projections, tests). `A` (m×n column-major, m ≥ n) is not modified.
 *
 * @param a Column-major m×n matrix.
 * @param m Rows (≥ n).
 * @param n Columns.
 * @param rcond Relative tolerance for the rank. @default 1e-14
 * @returns Q, R, the permutation and the rank.
 * @throws {RangeError} when m < n.
 *
 * @example
 * ```ts
 * import { qrFull } from "./qr.ts";
 * const { q, r, perm } = qrFull(Float64Array.of(0, 1, 2, 0), 2, 2); // columns (0,1) and (2,0)
 * perm; // [1, 0]: the longer column first
 * ```
 *
 * @category Linear algebra
 */
export function qrFull(a: Float64Array, m: number, n: number, rcond = 1e-14): QrFactors {
  if (m < n) throw new RangeError(`qrFull needs m >= n, got ${m}×${n}`);
  const work = Float64Array.from(a);
  const perm = new Int32Array(n);
  const rdiag = new Float64Array(n);
  qrfac(m, n, work, true, perm, rdiag, new Float64Array(n), new Float64Array(n));
  const r = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < j; i++) r[i + j * n] = work[i + j * m];
    r[j + j * n] = rdiag[j];
  }
  // Q = H_0·H_1·…·H_{n-1} applied to the first n columns of the identity.
  const q = new Float64Array(m * n);
  for (let k = 0; k < n; k++) q[k + k * m] = 1;
  for (let j = n - 1; j >= 0; j--) {
    const vjj = work[j + j * m];
    if (vjj === 0) continue;
    for (let k = 0; k < n; k++) {
      let sum = 0;
      for (let i = j; i < m; i++) sum += work[i + j * m] * q[i + k * m];
      const temp = sum / vjj;
      for (let i = j; i < m; i++) q[i + k * m] -= temp * work[i + j * m];
    }
  }
  let rank = 0;
  const r0 = Math.abs(rdiag[0] ?? 0);
  for (let j = 0; j < n; j++) if (Math.abs(rdiag[j]) > rcond * r0) rank++;
  return { q, r, perm, rank };
}
