/**
 * One-sided Jacobi SVD (Hestenes 1958; Demmel & Veselić 1992) of a small dense column-major
 * matrix, private to the trust-region-reflective solver. It orthogonalises the columns of `a`
 * in place by plane rotations accumulated in `v`, so that `a = U·diag(s)` on return and the
 * input equals `U·diag(s)·Vᵀ`. Singular values come out sorted in decreasing order.
 *
 * Relative accuracy is high (each singular value to a few ulps of itself), which matters for the
 * rank test of the trust-region subproblem. Cost is about `sweeps · 1.5·n²·rows` flops, fine for
 * the 1–20 parameters this library targets.
 *
 * @module
 */

const EPS = 2.220446049250313e-16;

/** Workspaces of `jacobiSvd`, allocated once per problem size. */
export interface JacobiSvdWork {
  /** Column norms squared (length n). */
  norms: Float64Array;
  /** Column order after sorting (length n). */
  order: Int32Array;
  /** Scratch copy of `a` for reordering (rows·n). */
  scratchA: Float64Array;
  /** Scratch copy of `v` for reordering (n·n). */
  scratchV: Float64Array;
}

/**
 * Allocates the workspaces of `jacobiSvd` for a `rows×n` matrix.
 *
 * @example
 * ```ts
 * import { jacobiSvdWork } from "./_trf_svd.ts";
 * const work = jacobiSvdWork(5, 2);
 * work.norms.length; // 2
 * ```
 */
export function jacobiSvdWork(rows: number, n: number): JacobiSvdWork {
  return {
    norms: new Float64Array(n),
    order: new Int32Array(n),
    scratchA: new Float64Array(rows * n),
    scratchV: new Float64Array(n * n),
  };
}

/**
 * Thin SVD of the column-major `rows×n` matrix `a` (overwritten with `U·diag(s)`, columns in
 * decreasing order of `s`); `s` receives the `n` singular values (zeros where rank-deficient)
 * and `v` the column-major `n×n` right singular vectors.
 *
 * @example
 * ```ts
 * import { jacobiSvd, jacobiSvdWork } from "./_trf_svd.ts";
 * const a = Float64Array.of(3, 0, 0, 4); // diag(3, 4), column-major
 * const s = new Float64Array(2), v = new Float64Array(4);
 * jacobiSvd(a, 2, 2, s, v, jacobiSvdWork(2, 2)); // s = [4, 3]
 * ```
 */
export function jacobiSvd(
  a: Float64Array,
  rows: number,
  n: number,
  s: Float64Array,
  v: Float64Array,
  work: JacobiSvdWork,
): void {
  v.fill(0);
  for (let j = 0; j < n; j++) v[j + j * n] = 1;
  const norms = work.norms;
  for (let j = 0; j < n; j++) {
    let t = 0;
    const o = j * rows;
    for (let i = 0; i < rows; i++) t += a[o + i] * a[o + i];
    norms[j] = t;
  }
  for (let sweep = 0; sweep < 60; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      const op = p * rows;
      for (let q = p + 1; q < n; q++) {
        const oq = q * rows;
        let gamma = 0;
        for (let i = 0; i < rows; i++) gamma += a[op + i] * a[oq + i];
        const alpha = norms[p], beta = norms[q];
        if (gamma === 0 || Math.abs(gamma) <= EPS * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const sn = c * t;
        let np = 0, nq = 0;
        for (let i = 0; i < rows; i++) {
          const ap = a[op + i], aq = a[oq + i];
          const xp = c * ap - sn * aq, xq = sn * ap + c * aq;
          a[op + i] = xp;
          a[oq + i] = xq;
          np += xp * xp;
          nq += xq * xq;
        }
        norms[p] = np;
        norms[q] = nq;
        const vp = p * n, vq = q * n;
        for (let i = 0; i < n; i++) {
          const ap = v[vp + i], aq = v[vq + i];
          v[vp + i] = c * ap - sn * aq;
          v[vq + i] = sn * ap + c * aq;
        }
      }
    }
    if (!rotated) break;
  }
  // Sort columns by decreasing norm (insertion sort on the index: n is small).
  const order = work.order;
  for (let j = 0; j < n; j++) {
    let k = j;
    while (k > 0 && norms[order[k - 1]] < norms[j]) {
      order[k] = order[k - 1];
      k--;
    }
    order[k] = j;
  }
  work.scratchA.set(a.subarray(0, rows * n));
  work.scratchV.set(v.subarray(0, n * n));
  for (let j = 0; j < n; j++) {
    const src = order[j];
    s[j] = Math.sqrt(norms[src]);
    a.set(work.scratchA.subarray(src * rows, src * rows + rows), j * rows);
    v.set(work.scratchV.subarray(src * n, src * n + n), j * n);
  }
}
