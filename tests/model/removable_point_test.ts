/**
 * Analytic derivatives at removable points (issue 13 point 4): d(x**b)/db = x**b·log x is
 * 0·(−∞) = NaN at x = 0, where the model value is finite. Such an entry takes a central
 * difference at that point, so `ExpressionModel("a*x**b")` fits data with x = 0 as lmfit 1.1.0
 * does (tests/testdata/removable_point_lmfit.json, scripts/removable_point_fixture.py).
 */
import assert from "node:assert/strict";
import { ExpressionModel, minimize, Parameters } from "../../mod.ts";
import { loadFixture } from "../_fixtures.ts";

const ref = loadFixture("removable_point_lmfit.json");
const x = Float64Array.from({ length: 21 }, (_, i) => i / 4);
const y = x.map((t) => 2 * t ** 1.5 + 0.01 * Math.sin(5 * t));

Deno.test("a*x**b fits data with x = 0 as lmfit does", async () => {
  const model = new ExpressionModel("a*x**b");
  const r = await model.fit(y, model.makeParams({ a: 1, b: 1 }), { x });
  assert.equal(r.success, true, r.message);
  for (const name of ["a", "b"]) {
    const p = r.params.get(name)!;
    assert.ok(Math.abs(p.value - ref.values[name]) < 1e-7 * Math.abs(ref.values[name]), name);
    assert.ok(Math.abs(p.stderr! - ref.stderr[name]) < 1e-5 * ref.stderr[name], name);
  }
  assert.ok(Math.abs(r.chisqr - ref.chisqr) < 1e-6 * ref.chisqr);
});

Deno.test("a Jacobian that is not finite is blamed on the derivatives, not the difference step", async () => {
  const p = new Parameters();
  p.add("a", { value: 1 });
  p.add("b", { value: 1 });
  const r = await minimize(
    (q) => x.map((t, i) => q.get("a")!.value * t + q.get("b")!.value - y[i]),
    p,
    { Dfun: () => [x, x.map(() => NaN)], colDeriv: true },
  );
  assert.equal(r.success, false);
  assert.match(r.message, /derivatives with respect to parameter b/);
  assert.doesNotMatch(r.message, /difference step|x\[\d\]/);
});
