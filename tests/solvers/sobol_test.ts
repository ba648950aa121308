import assert from "node:assert/strict";
import { SOBOL_MAX_DIM, SobolSequence } from "../../lib/solvers/sobol.ts";
import { loadFixture } from "../_fixtures.ts";

Deno.test("Sobol: the first points of the unscrambled sequence (Joe-Kuo, Gray-code order)", () => {
  // scipy.stats.qmc.Sobol(d=3, scramble=False).random(8)
  const want = [
    [0, 0, 0],
    [0.5, 0.5, 0.5],
    [0.75, 0.25, 0.25],
    [0.25, 0.75, 0.75],
    [0.375, 0.375, 0.625],
    [0.875, 0.875, 0.125],
    [0.625, 0.125, 0.875],
    [0.125, 0.625, 0.375],
  ];
  const s = new SobolSequence(3);
  for (const w of want) assert.deepEqual(Array.from(s.next()), w);
  assert.equal(s.index, 8);
});

Deno.test("Sobol: 32 points in 37 dimensions equal scipy's qmc.Sobol exactly", () => {
  const fx = loadFixture("sobol_scipy.json");
  const pts = fx.points as number[][];
  assert.equal(SOBOL_MAX_DIM, 37);
  const s = new SobolSequence(37);
  for (const p of pts) assert.deepEqual(Array.from(s.next()), p);
});

Deno.test("Sobol: each coordinate of the first 2^m points is a permutation of k/2^m", () => {
  const s = new SobolSequence(10);
  const pts = Array.from({ length: 64 }, () => s.next());
  for (let d = 0; d < 10; d++) {
    const col = pts.map((p) => p[d] * 64).sort((a, b) => a - b);
    assert.deepEqual(col, Array.from({ length: 64 }, (_, k) => k));
  }
  assert.throws(() => new SobolSequence(38), /dim must be an integer in \[1, 37\], got 38/);
  assert.throws(() => new SobolSequence(0), /got 0/);
});
