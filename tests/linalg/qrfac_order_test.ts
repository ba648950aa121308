/**
 * `qrfac` computes several columns' sums per pass: the results must be bit-for-bit those of
 * MINPACK's one-column-at-a-time loops (reference below), pivoting included.
 */
import assert from "node:assert/strict";
import { enorm, qrfac } from "../../lib/linalg/qr.ts";

function qrfacReference(
  m: number,
  n: number,
  a: Float64Array,
  pivot: boolean,
  ipvt: Int32Array,
  rdiag: Float64Array,
  acnorm: Float64Array,
  wa: Float64Array,
): void {
  for (let j = 0; j < n; j++) {
    acnorm[j] = enorm(m, a, j * m);
    rdiag[j] = acnorm[j];
    wa[j] = rdiag[j];
    ipvt[j] = j;
  }
  for (let j = 0; j < Math.min(m, n); j++) {
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
      for (let k = j + 1; k < n; k++) {
        let sum = 0;
        for (let i = j; i < m; i++) sum += a[i + j * m] * a[i + k * m];
        const temp = sum / a[jj];
        for (let i = j; i < m; i++) a[i + k * m] -= temp * a[i + j * m];
        if (pivot && rdiag[k] !== 0) {
          const t = a[j + k * m] / rdiag[k];
          rdiag[k] *= Math.sqrt(Math.max(0, 1 - t * t));
          if (0.05 * (rdiag[k] / wa[k]) ** 2 <= Number.EPSILON) {
            rdiag[k] = enorm(m - j - 1, a, j + 1 + k * m);
            wa[k] = rdiag[k];
          }
        }
      }
    }
    rdiag[j] = -ajnorm;
  }
}

Deno.test("qrfac gives MINPACK's numbers bit for bit, for every shape and scaling", () => {
  let seed = 11;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5;
  for (let n = 1; n <= 10; n++) {
    for (const m of [n, n + 1, 7, 33, 250]) {
      if (m < n) continue;
      for (const scale of [1, 1e-200, 1e200]) {
        for (const pivot of [true, false]) {
          const a0 = Float64Array.from({ length: m * n }, (_, i) =>
            // Some nearly dependent columns, to exercise the pivot norm recomputation.
            (i % 5 === 0 ? rnd() * 1e-9 : rnd()) * scale * (1 + (i % m) * 0.01));
          if (n > 2) { for (let i = 0; i < m; i++) a0[i + 2 * m] = a0[i] * 3 + 1e-12 * a0[i + m]; }
          const a1 = Float64Array.from(a0), a2 = Float64Array.from(a0);
          const w1 = [
            new Int32Array(n),
            new Float64Array(n),
            new Float64Array(n),
            new Float64Array(n),
          ];
          const w2 = [
            new Int32Array(n),
            new Float64Array(n),
            new Float64Array(n),
            new Float64Array(n),
          ];
          qrfac(
            m,
            n,
            a1,
            pivot,
            w1[0] as Int32Array,
            w1[1] as Float64Array,
            w1[2] as Float64Array,
            w1[3] as Float64Array,
          );
          qrfacReference(
            m,
            n,
            a2,
            pivot,
            w2[0] as Int32Array,
            w2[1] as Float64Array,
            w2[2] as Float64Array,
            w2[3] as Float64Array,
          );
          const what = `m=${m} n=${n} scale=${scale} pivot=${pivot}`;
          assert.deepEqual(Array.from(a1), Array.from(a2), `${what}: factors`);
          for (let w = 0; w < 4; w++) {
            assert.deepEqual(Array.from(w1[w]), Array.from(w2[w]), `${what}: output ${w}`);
          }
        }
      }
    }
  }
});
