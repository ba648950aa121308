import assert from "node:assert/strict";
import { qrFull, qrPivot } from "../../lib/linalg/qr.ts";
import {
  solveLowerTriangular,
  solveUpperTransposed,
  solveUpperTriangular,
} from "../../lib/linalg/triangular.ts";
import { cholesky, choleskySolve } from "../../lib/linalg/cholesky.ts";
import { pseudoInverseCovariance, svd } from "../../lib/linalg/svd.ts";
import { covarianceFromJacobian } from "../../lib/linalg/covariance.ts";
import { Random } from "../../lib/util/random.ts";

function randomMatrix(m: number, n: number, seed: number): Float64Array {
  const rng = new Random(seed);
  return Float64Array.from({ length: m * n }, () => rng.normal());
}

/** C = A·B for column-major A (m×k) and B (k×n). */
function matmul(a: Float64Array, b: Float64Array, m: number, k: number, n: number) {
  const c = new Float64Array(m * n);
  for (let j = 0; j < n; j++) {
    for (let p = 0; p < k; p++) {
      const bpj = b[p + j * k];
      for (let i = 0; i < m; i++) c[i + j * m] += a[i + p * m] * bpj;
    }
  }
  return c;
}

function assertAllClose(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string) {
  assert.equal(a.length, b.length, what);
  for (let i = 0; i < a.length; i++) {
    assert.ok(Math.abs(a[i] - b[i]) <= tol, `${what}[${i}]: ${a[i]} vs ${b[i]}`);
  }
}

Deno.test("pivoted QR: A·P = Q·R, QᵀQ = I, R upper triangular with non-increasing |diagonal|", () => {
  for (const [m, n, seed] of [[9, 4, 1], [5, 5, 2], [30, 7, 3]]) {
    const a = randomMatrix(m, n, seed);
    const { q, r, perm, rank } = qrFull(a, m, n);
    assert.equal(rank, n);
    const ap = new Float64Array(m * n);
    for (let j = 0; j < n; j++) ap.set(a.subarray(perm[j] * m, perm[j] * m + m), j * m);
    assertAllClose(matmul(q, r, m, n, n), ap, 1e-13, "QR");
    const qtq = new Float64Array(n * n);
    for (let p = 0; p < n; p++) {
      for (let s = 0; s < n; s++) {
        for (let i = 0; i < m; i++) qtq[p + s * n] += q[i + p * m] * q[i + s * m];
      }
    }
    const eye = Float64Array.from({ length: n * n }, (_, i) => i % (n + 1) === 0 ? 1 : 0);
    assertAllClose(qtq, eye, 1e-14, "QᵀQ");
    for (let j = 0; j < n; j++) {
      for (let i = j + 1; i < n; i++) assert.equal(r[i + j * n], 0);
      if (j > 0) assert.ok(Math.abs(r[j + j * n]) <= Math.abs(r[j - 1 + (j - 1) * n]) + 1e-14);
    }
    // qrPivot gives the same R and permutation.
    const p2 = qrPivot(a, m, n);
    assertAllClose(p2.r, r, 0, "qrPivot R");
    assert.deepEqual(Array.from(p2.perm), Array.from(perm));
  }
});

Deno.test("pivoted QR of a known matrix and of rank-deficient ones", () => {
  // Columns (0, 1) and (2, 0): pivoting takes the norm-2 column first; R = [[-2, 0], [0, -1]].
  const { r, perm } = qrFull(Float64Array.of(0, 1, 2, 0), 2, 2);
  assert.deepEqual(Array.from(perm), [1, 0]);
  assertAllClose(r, [-2, 0, 0, -1], 1e-15, "R");
  // A zero column and a duplicated column: rank 2 of 4, the dependent columns pivoted last.
  const m = 6;
  const a = randomMatrix(m, 4, 7);
  for (let i = 0; i < m; i++) {
    a[i + 1 * m] = 0;
    a[i + 3 * m] = a[i];
  }
  const f = qrFull(a, m, 4);
  assert.equal(f.rank, 2);
  assert.equal(f.perm[3], 1, "the zero column is last");
  assert.ok(Math.abs(f.r[3 + 3 * 4]) === 0 && Math.abs(f.r[2 + 2 * 4]) < 1e-14);
  const ap = new Float64Array(m * 4);
  for (let j = 0; j < 4; j++) ap.set(a.subarray(f.perm[j] * m, f.perm[j] * m + m), j * m);
  assertAllClose(matmul(f.q, f.r, m, 4, 4), ap, 1e-13, "QR of a rank-2 matrix");
  assert.throws(() => qrFull(a, 2, 4), /m >= n/);
});

Deno.test("triangular solves recover known solutions and reject singular matrices", () => {
  // R = [[2, 1, -1], [0, 4, 2], [0, 0, 5]] column-major.
  const r = Float64Array.of(2, 0, 0, 1, 4, 0, -1, 2, 5);
  const x = Float64Array.of(1, -2, 3);
  const b = matmul(r, x, 3, 3, 1);
  assertAllClose(solveUpperTriangular(r, 3, Float64Array.from(b)), x, 1e-15, "R x = b");
  // Rᵀ x = c.
  const rt = new Float64Array(9);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) rt[i + j * 3] = r[j + i * 3];
  const c = matmul(rt, x, 3, 3, 1);
  assertAllClose(solveUpperTransposed(r, 3, Float64Array.from(c)), x, 1e-15, "Rᵀ x = c");
  assertAllClose(solveLowerTriangular(rt, 3, Float64Array.from(c)), x, 1e-15, "L x = c");
  // Leading dimension larger than n: R stored in the top of a 5×3 array.
  const big = new Float64Array(15);
  for (let j = 0; j < 3; j++) for (let i = 0; i < 3; i++) big[i + j * 5] = r[i + j * 3];
  assertAllClose(solveUpperTriangular(big, 3, Float64Array.from(b), 5), x, 1e-15, "ldr = 5");
  const singular = Float64Array.of(1, 0, 2, 0);
  assert.throws(() => solveUpperTriangular(singular, 2, Float64Array.of(1, 1)), /R\[1,1\] = 0/);
});

Deno.test("Cholesky: L·Lᵀ = A on a known and a random SPD matrix; null when not positive definite", () => {
  const l = cholesky(Float64Array.of(4, 2, 2, 3), 2)!;
  assertAllClose(l, [2, 1, 0, Math.SQRT2], 1e-15, "L of [[4,2],[2,3]]");
  assertAllClose(choleskySolve(l, 2, Float64Array.of(8, 7)), [1.25, 1.5], 1e-15, "solve");
  const m = 10, n = 5;
  const j = randomMatrix(m, n, 4);
  const g = new Float64Array(n * n); // JᵀJ
  for (let p = 0; p < n; p++) {
    for (let s = 0; s < n; s++) {
      for (let i = 0; i < m; i++) g[p + s * n] += j[i + p * m] * j[i + s * m];
    }
  }
  const lg = cholesky(g, n)!;
  const lt = new Float64Array(n * n);
  for (let p = 0; p < n; p++) for (let s = 0; s < n; s++) lt[p + s * n] = lg[s + p * n];
  assertAllClose(matmul(lg, lt, n, n, n), g, 1e-12, "L·Lᵀ");
  const x = Float64Array.of(1, 2, 3, 4, 5);
  assertAllClose(choleskySolve(lg, n, matmul(g, x, n, n, 1)), x, 1e-11, "G x = b");
  assert.equal(cholesky(Float64Array.of(1, 2, 2, 1), 2), null, "indefinite");
  assert.equal(cholesky(Float64Array.of(1, 1, 1, 1), 2), null, "singular");
  assert.throws(() => cholesky(Float64Array.of(1, 2, 3), 2), /length 3/);
});

Deno.test("SVD: known singular values, rank-deficient input gives a zero singular value", () => {
  // [[3, 0], [4, 5]] has singular values 3√5 and √5.
  const { s, u, v } = svd(Float64Array.of(3, 4, 0, 5), 2, 2);
  assertAllClose(s, [3 * Math.sqrt(5), Math.sqrt(5)], 1e-14, "s");
  const us = Float64Array.from(u, (val, i) => val * s[Math.floor(i / 2)]);
  const vt = Float64Array.of(v[0], v[2], v[1], v[3]);
  assertAllClose(matmul(us, vt, 2, 2, 2), [3, 4, 0, 5], 1e-14, "U·S·Vᵀ");
  const m = 8;
  const a = randomMatrix(m, 3, 5);
  for (let i = 0; i < m; i++) a[i + 2 * m] = a[i] + a[i + m];
  const d = svd(a, m, 3);
  assert.ok(d.s[2] < 1e-14 * d.s[0], `smallest singular value ${d.s[2]}`);
  // Pseudo-inverse covariance equals the true inverse for a full-rank Jacobian.
  const full = randomMatrix(m, 3, 6);
  const pinv = pseudoInverseCovariance(full, m, 3);
  assert.equal(pinv.rank, 3);
  assertAllClose(pinv.covar, covarianceFromJacobian(full, m, 3)!, 1e-12, "(JᵀJ)⁺ = (JᵀJ)⁻¹");
});

Deno.test("covariance: exact (JᵀJ)⁻¹ for a known Jacobian, null for non-finite or rank-deficient", () => {
  // J = [[1, 1], [1, 2], [1, 3]]: JᵀJ = [[3, 6], [6, 14]], inverse [[7/3, -1], [-1, 1/2]].
  const cov = covarianceFromJacobian(Float64Array.of(1, 1, 1, 1, 2, 3), 3, 2)!;
  assertAllClose(cov, [7 / 3, -1, -1, 0.5], 1e-14, "cov");
  assert.equal(covarianceFromJacobian(Float64Array.of(1, NaN, 1, 1, 2, 3), 3, 2), null);
  assert.equal(covarianceFromJacobian(Float64Array.of(1, 2, 3, 2, 4, 6), 3, 2), null);
  assert.equal(covarianceFromJacobian(Float64Array.of(1, 2), 1, 2), null, "m < n");
});
