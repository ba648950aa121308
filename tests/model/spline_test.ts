import assert from "node:assert/strict";
import { SplineModel } from "../../mod.ts";
import { assertClose, loadFixture } from "../_fixtures.ts";

const fx = loadFixture("spline.json");

Deno.test("SplineModel evaluates like lmfit (scipy splrep/splev), extrapolation included", () => {
  const model = new SplineModel(fx.xknots, { prefix: "s_" });
  const values: Record<string, number> = {};
  fx.values.forEach((v: number, i: number) => (values[`s_s${i}`] = v));
  const y = model.eval(values, { x: fx.x });
  fx.y.forEach((want: number, i: number) => assertClose(y[i], want, 1e-12, `x=${fx.x[i]}`, 1e-13));
});

Deno.test("SplineModel.guess gives lmfit's start values, and the fit reproduces a smooth curve", async () => {
  const model = new SplineModel(fx.xknots, { prefix: "s_" });
  const params = model.guess(fx.gy, { x: fx.gx });
  for (const [k, v] of Object.entries(fx.guess as Record<string, number>)) {
    assertClose(params.get(k)!.value, v, 1e-12, k);
  }
  const result = await model.fit(fx.gy, params, { x: fx.gx });
  assert.equal(result.success, true);
  assert.ok(result.rsquared! > 0.98, `R² ${result.rsquared}`);
  assert.throws(() => new SplineModel([0, 1, 2]), /at least 4 knots/);
  assert.throws(() => new SplineModel([0, 2, 1, 3]), /knots must increase/);
});
