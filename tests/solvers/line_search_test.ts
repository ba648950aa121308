import assert from "node:assert/strict";
import { infNorm, StallDetector, WolfeLineSearch } from "../../lib/solvers/_line_search.ts";

const f = (x: Float64Array) => (x[0] - 3) ** 4 + x[1] ** 2;
const grad = (x: Float64Array, out: Float64Array) => {
  out[0] = 4 * (x[0] - 3) ** 3;
  out[1] = 2 * x[1];
};

Deno.test("WolfeLineSearch: accepted step satisfies the strong Wolfe conditions", () => {
  const ls = new WolfeLineSearch(f, grad, 2);
  const x0 = Float64Array.of(0, 1), g0 = new Float64Array(2);
  grad(x0, g0);
  const p = Float64Array.of(-g0[0], -g0[1]);
  const slope0 = g0[0] * p[0] + g0[1] * p[1];
  for (const [a1, c2] of [[1, 0.9], [1e-4, 0.9], [1, 0.1], [1e-6, 0.1]]) {
    assert.equal(ls.search(x0, p, f(x0), slope0, a1, { c2 }), true);
    assert.ok(ls.f <= f(x0) + 1e-4 * ls.a * slope0, "sufficient decrease");
    assert.ok(Math.abs(ls.slope) <= c2 * Math.abs(slope0), `curvature (c2 ${c2})`);
    assert.equal(ls.f, f(ls.x));
    const g = new Float64Array(2);
    grad(ls.x, g);
    assert.deepEqual(ls.g, g);
    assert.equal(ls.x[0], x0[0] + ls.a * p[0]);
  }
});

Deno.test("WolfeLineSearch: NaN beyond a point shrinks the step; no descent is a failure", () => {
  const g = (x: Float64Array) => (x[0] > 0.5 ? NaN : (x[0] - 2) ** 2);
  const gr = (x: Float64Array, out: Float64Array) => {
    out[0] = 2 * (x[0] - 2);
  };
  const ls = new WolfeLineSearch(g, gr, 1);
  assert.equal(ls.search(Float64Array.of(0), Float64Array.of(1), 4, -4, 1), true);
  assert.ok(ls.x[0] > 0 && ls.x[0] <= 0.5 && ls.f < 4);
  // Uphill direction passed as if descent: no decrease is found.
  const up = new WolfeLineSearch((x) => x[0], (_x, out) => {
    out[0] = 1;
  }, 1);
  assert.equal(up.search(Float64Array.of(0), Float64Array.of(1), 0, -1, 1, { maxEval: 20 }), false);
});

Deno.test("StallDetector and infNorm", () => {
  const s = new StallDetector(1, 3);
  assert.equal(s.update(1, 0.5), false);
  assert.equal(s.update(1e-20, 1e-20), false);
  assert.equal(s.update(1e-20, 1e-20), false);
  assert.equal(s.update(0.1, 0.01), false); // a real decrease resets the count
  assert.equal(s.update(1e-20, 1e-20), false);
  assert.equal(s.update(1e-20, 1e-20), false);
  assert.equal(s.update(1e-20, 1e-20), true);
  assert.equal(infNorm(Float64Array.of(1, -7, 3)), 7);
});
