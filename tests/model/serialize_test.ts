import assert from "node:assert/strict";
import {
  CompositeModel,
  describeModel,
  ExpressionModel,
  GaussianModel,
  LinearModel,
  loadModel,
  loadModelResult,
  Model,
  modelFromDescription,
  saveModel,
  saveModelResult,
  SplineModel,
  StepModel,
} from "../../mod.ts";

Deno.test("models round-trip through JSON: built-ins with options, expressions, splines, composites", () => {
  const model = new GaussianModel({ prefix: "g_" })
    .add(new StepModel({ prefix: "s_", form: "erf" }))
    .add(new ExpressionModel("a*exp(-x/tau)", { prefix: "e_" }))
    .add(new SplineModel([0, 1, 2, 3, 4], { prefix: "k_" }));
  const back = loadModel(saveModel(model));
  assert.deepEqual(back.paramNames, model.paramNames);
  assert.equal(back.toString(), model.toString());
  const params = model.makeParams({
    g_amplitude: 2,
    g_center: 1,
    g_sigma: 0.5,
    s_amplitude: 1,
    s_center: 2,
    s_sigma: 0.3,
    e_a: 1,
    e_tau: 2,
    k_s0: 0,
    k_s1: 1,
    k_s2: 0,
    k_s3: 1,
    k_s4: 0,
  });
  const x = Float64Array.from({ length: 9 }, (_, i) => i / 2);
  assert.deepEqual(back.eval(params, { x }), model.eval(params, { x }));
  assert.equal(back.makeParams().get("g_fwhm")!.expr, "2.3548200*g_sigma");
});

Deno.test("function models need their function again on loading", () => {
  const fn = (x: Float64Array, p: Record<string, number>) => x.map((v) => p.k * v);
  const model = new Model(fn, { paramNames: ["k"], name: "prop" });
  const text = saveModel(model);
  assert.throws(
    () => loadModel(text),
    /model function 'prop' is not serialisable; pass it as \{ functions: \{ prop: fn \} \}/,
  );
  const back = loadModel(text, { functions: { prop: fn } });
  assert.deepEqual(back.eval({ k: 2 }, { x: [1, 2] }), Float64Array.of(2, 4));
});

Deno.test("model results round-trip: values, stderr, statistics, curves; confidence intervals still work", async () => {
  const model = new LinearModel();
  const x = Float64Array.from({ length: 20 }, (_, i) => i);
  const y = x.map((v, i) => 2 * v + 1 + 0.3 * Math.sin(3 * i));
  const result = await model.fit(y, model.makeParams({ slope: 1, intercept: 0 }), { x });
  const back = loadModelResult(saveModelResult(result));
  assert.equal(back.params.get("slope")!.value, result.params.get("slope")!.value);
  assert.equal(back.params.get("slope")!.stderr, result.params.get("slope")!.stderr);
  assert.equal(back.chisqr, result.chisqr);
  assert.equal(back.rsquared, result.rsquared);
  assert.deepEqual(back.bestFit, result.bestFit);
  assert.deepEqual(back.covar, result.covar);
  assert.equal(back.fitReport(), result.fitReport());
  const ci = await back.confInterval({ sigmas: [1] });
  assert.ok(ci.ci.slope[0][1] < result.params.get("slope")!.value);
});

Deno.test("a built-in's name is its own: set, copied, saved and loaded, while its kind stays", () => {
  const g = new GaussianModel({ prefix: "p_", name: "peak" });
  assert.equal(g.name, "Model(peak, prefix='p_')");
  assert.equal(g.kind, "gaussian");
  g.name = "first_peak";
  assert.equal(g.copy().name, "Model(first_peak, prefix='p_')");
  const back = loadModel(saveModel(g.add(new LinearModel({ name: "background" }))));
  assert.equal(String(back), "<lmfit.Model: (Model(first_peak, prefix='p_') + Model(background))>");
  assert.deepEqual(back.paramNames, ["p_amplitude", "p_center", "p_sigma", "slope", "intercept"]);
  assert.throws(() => (g.name = ""), /name must be a non-empty string/);
});

Deno.test("a composite's own hints (derived parameters) survive saveModel/loadModel, results and descriptions", async () => {
  const inner = new GaussianModel({ prefix: "a_" }).add(new GaussianModel({ prefix: "b_" }));
  inner.setParamHint("ab", { value: 2, min: 0, vary: false });
  const model = inner.add(new LinearModel({ prefix: "l_" }));
  model.setParamHint("ratio", { expr: "a_amplitude / b_amplitude" });
  const values = {
    a_amplitude: 6,
    a_center: -1,
    a_sigma: 0.8,
    b_amplitude: 2,
    b_center: 1.5,
    b_sigma: 0.6,
    l_slope: 0.1,
    l_intercept: 1,
  };
  const check = (m: typeof model | ReturnType<typeof loadModel>, what: string) => {
    assert.ok(m instanceof CompositeModel, what);
    assert.deepEqual(m.paramHints, { ratio: { expr: "a_amplitude / b_amplitude" } }, what);
    assert.deepEqual((m.left as CompositeModel).paramHints, {
      ab: { value: 2, min: 0, vary: false },
    }, what);
    const p = m.makeParams(values);
    assert.equal(p.get("ratio")!.value, 3, what);
    assert.deepEqual([p.get("ab")!.value, p.get("ab")!.vary], [2, false], what);
  };
  const json = saveModel(model);
  check(loadModel(json), "loadModel");
  // lmfit's layout: each composite is still the triple (left, right, op) that Python lmfit
  // 1.1.0 decodes; the hints ride beside it in a key lmfit's decode4js does not read.
  const state = JSON.parse(json);
  assert.equal(state.value.length, 3);
  assert.equal(state.value[2], "add");
  assert.equal(state.param_hints.ratio.expr, "a_amplitude / b_amplitude");
  assert.equal(state.value[0].value.length, 3);
  assert.equal(state.value[0].param_hints.ab.value, 2);
  // Without own hints nothing is added (files stay byte-identical to lmfit's).
  assert.ok(
    !saveModel(new GaussianModel().add(new LinearModel({ prefix: "l_" }))).includes("param_hints"),
  );
  check(modelFromDescription(JSON.parse(JSON.stringify(describeModel(model)))), "description");
  const x = Float64Array.from({ length: 61 }, (_, i) => -4 + i / 7.5);
  const y = model.eval(values, { x }).map((v, i) => v + 0.01 * Math.sin(5 * i));
  const result = await model.fit(y, model.makeParams(values), { x });
  const back = loadModelResult(saveModelResult(result));
  check(back.model as CompositeModel, "loadModelResult");
});
