import assert from "node:assert/strict";
import {
  CENTRAL_STEP,
  centralGradient,
  countedObjective,
  FORWARD_STEP,
  forwardGradient,
} from "../../lib/solvers/_finite_diff.ts";

// f = exp(x0)·sin(x1) + x2³/3 + 1e-12·x3² at x3 = 3e6 (relative steps); |f| ≈ 14, so the
// rounding parts of the errors are eps·14/h: 2e-7 forward, 5e-10 central.
const f = (x: Float64Array) => Math.exp(x[0]) * Math.sin(x[1]) + x[2] ** 3 / 3 + 1e-12 * x[3] ** 2;
const grad = (x: Float64Array) => [
  Math.exp(x[0]) * Math.sin(x[1]),
  Math.exp(x[0]) * Math.cos(x[1]),
  x[2] ** 2,
  2e-12 * x[3],
];
const X = Float64Array.of(0.3, -1.2, 2.5, 3e6);

Deno.test("steps are scipy's √eps and ∛eps", () => {
  assert.equal(FORWARD_STEP, Math.sqrt(Number.EPSILON));
  assert.ok(Math.abs(CENTRAL_STEP - Math.cbrt(Number.EPSILON)) < 1e-20);
});

Deno.test("forwardGradient: accuracy O(√eps) relative, x untouched with work", () => {
  const x = Float64Array.from(X), out = new Float64Array(4), work = new Float64Array(4);
  forwardGradient(f, x, f(x), out, work);
  const g = grad(X);
  for (let j = 0; j < 4; j++) {
    assert.ok(
      Math.abs(out[j] - g[j]) <= 1e-6 * Math.max(1, Math.abs(g[j])),
      `${j}: ${out[j]} vs ${g[j]}`,
    );
  }
  assert.deepEqual(x, X);
});

Deno.test("centralGradient: accuracy O(eps^(2/3)) relative, x restored bit for bit without work", () => {
  const x = Float64Array.from(X), out = new Float64Array(4);
  let calls = 0;
  centralGradient(
    (p) => {
      calls++;
      return f(p);
    },
    x,
    out,
  );
  assert.equal(calls, 8);
  const g = grad(X);
  for (let j = 0; j < 4; j++) {
    assert.ok(
      Math.abs(out[j] - g[j]) <= 2e-9 * Math.max(1, Math.abs(g[j])),
      `${j}: ${out[j]} vs ${g[j]}`,
    );
  }
  assert.deepEqual(x, X);
});

Deno.test("one-sided fallback next to a NaN region", () => {
  // f = x² for x ≤ 1, NaN beyond: at x = 1 the forward point is NaN.
  const h = (p: Float64Array) => (p[0] > 1 ? NaN : p[0] * p[0]);
  const x = Float64Array.of(1), out = new Float64Array(1);
  forwardGradient(h, x, 1, out);
  assert.ok(Math.abs(out[0] - 2) < 1e-7, `${out[0]}`);
  centralGradient(h, x, out);
  assert.ok(Math.abs(out[0] - 2) < 1e-5, `${out[0]}`);
  centralGradient(() => NaN, x, out);
  assert.ok(Number.isNaN(out[0]));
});

Deno.test("countedObjective: counts, maps NaN to +Infinity, uses the analytic gradient", () => {
  const obj = countedObjective((p) => (p[0] < 0 ? NaN : p[0] ** 2), 1, undefined, "forward");
  assert.equal(obj.f(Float64Array.of(-1)), Infinity);
  const g = new Float64Array(1);
  obj.grad(Float64Array.of(2), g, 4);
  assert.ok(Math.abs(g[0] - 4) < 1e-6);
  assert.equal(obj.nfev, 2);
  assert.equal(obj.njev, 0);
  const an = countedObjective((p) => p[0] ** 2, 1, (p, out) => {
    out[0] = 2 * p[0];
  }, "central");
  an.grad(Float64Array.of(3), g, 9);
  assert.equal(g[0], 6);
  assert.equal(an.njev, 1);
  assert.equal(an.nfev, 0);
});
