import assert from "node:assert/strict";
import { minMaxBands, minMaxDecimate } from "../../lib/plot/decimate.ts";
import { plotFit } from "../../lib/plot/plot_fit.ts";

Deno.test("minMaxDecimate keeps each pixel column's lowest and highest point", () => {
  const n = 100_000;
  const x = Float64Array.from({ length: n }, (_, i) => i / n);
  const y = Float64Array.from({ length: n }, (_, i) => Math.sin(i / 37) + (i === 54321 ? 9 : 0));
  const keep = minMaxDecimate(x, y, 200);
  assert.ok(keep.length <= 400 && keep.length >= 200, `${keep.length}`);
  assert.ok(keep.includes(54321), "the spike is kept");
  for (let b = 0; b < 200; b++) {
    const inCol = Array.from(keep).filter((i) => Math.min(199, Math.floor(x[i] * 200)) === b);
    const all = Array.from({ length: n }, (_, i) => i).filter((i) =>
      Math.min(199, Math.floor(x[i] * 200)) === b
    );
    const ys = all.map((i) => y[i]);
    assert.equal(Math.max(...inCol.map((i) => y[i])), Math.max(...ys));
    assert.equal(Math.min(...inCol.map((i) => y[i])), Math.min(...ys));
  }
  // Indices come in x order; non-finite points are skipped.
  assert.ok(keep.every((v, i) => i === 0 || v > keep[i - 1]));
  assert.deepEqual(Array.from(minMaxDecimate([0, 1, NaN, 2], [1, NaN, 3, 2], 2)), [0, 3]);
});

Deno.test("minMaxBands gives each non-empty column's centre and extent", () => {
  const x = [0, 0.1, 0.2, 2.1, 2.5, 5.9, 6];
  const y = [5, 1, 3, 7, 8, -1, NaN];
  assert.deepEqual(minMaxBands(x, y, 3), [
    { x: 1, lo: 1, hi: 5 },
    { x: 3, lo: 7, hi: 8 },
    { x: 5, lo: -1, hi: -1 },
  ]);
});

Deno.test("plotFit of 300,000 points draws a few thousand marks, not 300,000", async () => {
  const n = 300_000;
  const x = Float64Array.from({ length: n }, (_, i) => (i / n) * 10);
  const data = x.map((v, i) => Math.exp(-((v - 5) ** 2)) + 0.05 * Math.sin(i * 12.9898));
  const bestFit = x.map((v) => Math.exp(-((v - 5) ** 2)));
  const residual = bestFit.map((v, i) => v - data[i]);
  const svg = await plotFit({ data, bestFit, userVars: { x }, residual }, { width: 500 });
  const marks = svg.split("<path").length - 1;
  assert.ok(marks < 3000, `${marks} marks`);
  assert.ok(svg.length < 1_000_000, `${svg.length} characters of SVG`);
  // Each pixel column's extent is drawn as a rule, in both panels.
  assert.equal((svg.match(/class="mark-rule role-mark/g) ?? []).length, 2);
});
