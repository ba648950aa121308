import assert from "node:assert/strict";
import { covarianceFromJacobian, lstsq, pseudoInverseCovariance, qrPivot, svd } from "../../mod.ts";
import { Random } from "../../mod.ts";

function randomMatrix(m: number, n: number, seed: number) {
  const rng = new Random(seed);
  return Float64Array.from({ length: m * n }, () => rng.normal());
}

function jtjInverse(a: Float64Array, m: number, n: number): Float64Array {
  // Reference by Gauss-Jordan on JᵀJ (fine for tiny well-conditioned tests).
  const g = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      for (let k = 0; k < m; k++) g[i * n + j] += a[k + i * m] * a[k + j * m];
    }
  }
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  for (let c = 0; c < n; c++) {
    const piv = g[c * n + c];
    for (let j = 0; j < n; j++) {
      g[c * n + j] /= piv;
      inv[c * n + j] /= piv;
    }
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = g[r * n + c];
      for (let j = 0; j < n; j++) {
        g[r * n + j] -= f * g[c * n + j];
        inv[r * n + j] -= f * inv[c * n + j];
      }
    }
  }
  return inv;
}

Deno.test("covariance from the pivoted QR equals (JᵀJ)⁻¹", () => {
  const m = 12, n = 4;
  const a = randomMatrix(m, n, 1);
  const cov = covarianceFromJacobian(a, m, n)!;
  const ref = jtjInverse(a, m, n);
  cov.forEach((v, i) =>
    assert.ok(Math.abs(v - ref[i]) <= 1e-12 * Math.max(1, Math.abs(ref[i])), `cov[${i}]`)
  );
});

Deno.test("rank-deficient Jacobians: QR reports the rank, covariance is null, SVD gives the pseudo-inverse", () => {
  const m = 6, n = 3;
  const a = randomMatrix(m, n, 2);
  for (let i = 0; i < m; i++) a[i + 2 * m] = 2 * a[i] - a[i + m]; // third column dependent
  assert.equal(qrPivot(a, m, n).rank, 2);
  assert.equal(covarianceFromJacobian(a, m, n), null);
  const { covar, rank } = pseudoInverseCovariance(a, m, n);
  assert.equal(rank, 2);
  // (JᵀJ)⁺ satisfies G·G⁺·G = G for G = JᵀJ.
  const G = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      for (let k = 0; k < m; k++) G[i * n + j] += a[k + i * m] * a[k + j * m];
    }
  }
  const mul = (x: Float64Array, y: Float64Array) => {
    const z = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        for (let k = 0; k < n; k++) z[i * n + j] += x[i * n + k] * y[k * n + j];
      }
    }
    return z;
  };
  const back = mul(mul(G, covar), G);
  back.forEach((v, i) =>
    assert.ok(Math.abs(v - G[i]) <= 1e-9 * Math.max(1, Math.abs(G[i])), `GG⁺G[${i}]`)
  );
});

Deno.test("SVD reconstructs the matrix with orthonormal factors", () => {
  const m = 7, n = 4;
  const a = randomMatrix(m, n, 3);
  const { u, s, v } = svd(a, m, n);
  for (let i = 1; i < n; i++) assert.ok(s[i - 1] >= s[i]);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let r = 0;
      for (let k = 0; k < n; k++) r += u[i + k * m] * s[k] * v[j + k * n];
      assert.ok(Math.abs(r - a[i + j * m]) < 1e-12);
    }
  }
  for (let p = 0; p < n; p++) {
    for (let q = 0; q < n; q++) {
      let du = 0, dv = 0;
      for (let i = 0; i < m; i++) du += u[i + p * m] * u[i + q * m];
      for (let i = 0; i < n; i++) dv += v[i + p * n] * v[i + q * n];
      assert.ok(
        Math.abs(du - (p === q ? 1 : 0)) < 1e-12 && Math.abs(dv - (p === q ? 1 : 0)) < 1e-12,
      );
    }
  }
});

Deno.test("least squares by QR recovers a polynomial", () => {
  const xs = Float64Array.from({ length: 9 }, (_, i) => i - 4);
  const m = xs.length;
  const a = new Float64Array(m * 3);
  for (let i = 0; i < m; i++) (a[i] = xs[i] ** 2, a[i + m] = xs[i], a[i + 2 * m] = 1);
  const c = lstsq(a, xs.map((x) => 0.5 * x * x - 2 * x + 3), m, 3);
  [0.5, -2, 3].forEach((v, k) => assert.ok(Math.abs(c[k] - v) < 1e-12));
});
