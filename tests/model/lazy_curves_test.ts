/**
 * A compiled model's `initFit` and `bestFit` are evaluated when first read: they must be the
 * numbers an evaluation at the end of the fit gives, whatever happens to the inputs in between,
 * and a refit (`result.fit`) must replace them. A model function over arrays is still evaluated
 * at the start values during `fit`, as lmfit does.
 */
import assert from "node:assert/strict";
import { ExpressionModel, Model } from "../../mod.ts";

const x = Float64Array.from({ length: 200 }, (_, i) => i / 10);
const y = x.map((v) => 3 * Math.sin(0.2 + v / 2) * Math.exp(-v * v * 0.004));

Deno.test("lazy curves equal an evaluation at the fit, even after the inputs change", async () => {
  const model = new ExpressionModel("amp*sin(shift + x/period)*exp(-x*x*decay*decay)");
  const params = model.makeParams({ amp: 2.5, period: 1.9, shift: 0.1, decay: 0.05 });
  const xs = Float64Array.from(x);
  const result = await model.fit(y, params, { x: xs });
  const expectBest = model.eval(result.params, { x });
  const expectInit = model.eval(params, { x });
  // Change everything the curves were computed from before reading them.
  xs.fill(0);
  params.get("amp")!.value = 100;
  result.initParams.get("amp")!.value = 100;
  result.bestValues.amp = 100;
  assert.deepEqual(result.bestFit, expectBest);
  assert.deepEqual(result.initFit, expectInit);
  // The same arrays on every read; bestFit may be replaced.
  assert.equal(result.bestFit, result.bestFit);
  const other = new Float64Array(200);
  result.bestFit = other;
  assert.equal(result.bestFit, other);
});

Deno.test("a refit replaces the lazy curves", async () => {
  const model = new ExpressionModel("a * exp(-x / tau)");
  const data = x.map((v) => 4 * Math.exp(-v / 3));
  const result = await model.fit(data, model.makeParams({ a: 1, tau: 1 }), { x });
  const firstBest = result.bestFit;
  await result.fit({ data: data.map((v) => 2 * v) });
  assert.notDeepEqual(result.bestFit, firstBest);
  assert.deepEqual(result.bestFit, model.eval(result.params, { x }));
  assert.ok(Math.abs(result.params.get("a")!.value - 8) < 1e-6);
  assert.deepEqual(result.initFit, model.eval(result.initParams, { x }));
});

Deno.test("a function over arrays is evaluated at the start values during fit", async () => {
  const calls: number[] = [];
  const model = new Model((t, p) => {
    calls.push(p.a);
    return t.map((v) => p.a * v);
  }, { paramNames: ["a"] });
  const result = await model.fit(x.map((v) => 2 * v), model.makeParams({ a: 1 }), { x });
  assert.equal(calls[0], 1); // initFit, before the fit's own evaluations
  const n = calls.length;
  assert.deepEqual(result.initFit, x.map((v) => v));
  assert.equal(calls.length, n); // already computed
});
