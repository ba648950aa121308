// Mirrors lmfit 1.1.0 tests/test_model.py: the CommonTests suite for each model class, the
// user-defined-model tests and the Model construction tests. lmfit's `Model(gaussian)` reads the
// parameter names from the signature; here it is `new Model(fn, { paramNames })` with the
// lineshape's defaults (`gaussianModel()` below). Left out: the complex-number helpers
// (get_reducer, propagate_err) and TestComplexConstant (no complex numbers in lmfit-ts), the
// matplotlib figure tests, pandas (test_data_alignment, the pandas dtypes of
// test_coercion_of_input_data), pickling state (_get_state/_set_state) and Python signature
// introspection (test__parse_params_*: *varargs, **kwargs).
import {
  type BaseModel,
  ConstantModel,
  ExponentialModel,
  ExpressionModel,
  GaussianModel,
  LinearModel,
  lineshapes,
  Model,
  type ModelOptions,
  PolynomialModel,
  PowerLawModel,
  PseudoVoigtModel,
  QuadraticModel,
} from "../../mod.ts";
import {
  assert,
  assertAllclose,
  assertParamsEqual,
  assertRaises,
  linspace,
  type Loose,
  loose,
  parityTest,
  peakData,
  seededNoise,
} from "./_parity.ts";

const F = "test_model";

/** lmfit's `Model(gaussian, ...)`. */
function gaussianModel(options: ModelOptions = {}): Model {
  return new Model((x, p) => lineshapes.gaussian(x, p.amplitude, p.center, p.sigma), {
    paramNames: ["amplitude", "center", "sigma"],
    defaults: { amplitude: 1, center: 0, sigma: 1 },
    name: "gaussian",
    ...options,
  });
}

function assertResultsClose(
  actual: Record<string, number>,
  desired: Record<string, number>,
  rtol = 1e-3,
  atol = 1e-3,
) {
  for (const [name, value] of Object.entries(desired)) {
    assertAllclose(actual[name], value, { rtol, atol }, name);
  }
}

interface CommonCase {
  name: string;
  x: Float64Array;
  trueValues: Record<string, number>;
  guess: Record<string, number>;
  make: (options?: ModelOptions) => BaseModel;
  skipIndependentVars?: boolean;
}

const cases: CommonCase[] = [
  {
    name: "TestUserDefiniedModel",
    x: linspace(-10, 10, 1000),
    trueValues: { amplitude: 7.1, center: 1.1, sigma: 2.4 },
    guess: { amplitude: 5, center: 2, sigma: 4 },
    make: (o) => gaussianModel(o),
  },
  {
    name: "TestLinear",
    x: linspace(1, 10, 1000),
    trueValues: { slope: 5, intercept: 2 },
    guess: { slope: 10, intercept: 6 },
    make: (o) => new LinearModel(o as Loose),
  },
  {
    name: "TestParabolic",
    x: linspace(1, 10, 1000),
    trueValues: { a: 5, b: 2, c: 8 },
    guess: { a: 1, b: 6, c: 3 },
    make: (o) => new QuadraticModel(o as Loose),
  },
  {
    name: "TestPolynomialOrder2",
    x: linspace(1, 10, 1000),
    trueValues: { c2: 5, c1: 2, c0: 8 },
    guess: { c1: 1, c2: 6, c0: 3 },
    make: (o) => new PolynomialModel(2, o as Loose),
  },
  {
    name: "TestPolynomialOrder3",
    x: linspace(1, 10, 1000),
    trueValues: { c3: 2, c2: 5, c1: 2, c0: 8 },
    guess: { c3: 1, c1: 1, c2: 6, c0: 3 },
    make: (o) => new PolynomialModel(3, o as Loose),
  },
  {
    name: "TestConstant",
    x: linspace(1, 10, 1000),
    trueValues: { c: 5 },
    guess: { c: 2 },
    make: (o) => new ConstantModel(o as Loose),
    skipIndependentVars: true,
  },
  {
    name: "TestPowerlaw",
    x: linspace(1, 10, 1000),
    trueValues: { amplitude: 5, exponent: 3 },
    guess: { amplitude: 2, exponent: 8 },
    make: (o) => new PowerLawModel(o as Loose),
  },
  {
    name: "TestExponential",
    x: linspace(1, 10, 1000),
    trueValues: { amplitude: 5, decay: 3 },
    guess: { amplitude: 2, decay: 8 },
    make: (o) => new ExponentialModel(o as Loose),
  },
  {
    name: "TestExpression",
    x: linspace(1, 10, 1000),
    trueValues: { off_c: 0.25, amp_c: 1.0, x0: 2.0 },
    guess: { off_c: 0.2, amp_c: 1.5, x0: 2.5 },
    make: (o) => new ExpressionModel("off_c + amp_c * exp(-x/x0)", o as Loose),
  },
];

function setUp(c: CommonCase) {
  const noise = seededNoise("model_common", 0.0001);
  const model = c.make();
  const clean = model.eval(c.trueValues, { x: c.x });
  const data = Float64Array.from(
    c.x,
    (_, i) => (clean.length === 1 ? clean[0] : clean[i]) + noise[i],
  );
  return { model, data, noise, x: c.x };
}

for (const c of cases) {
  const T = `${c.name}::`;
  parityTest(F, `${T}test_fit`, async () => {
    const { model, data, x } = setUp(c);
    const params = model.makeParams(c.guess);
    let result = await model.fit(data, params, { x });
    assertResultsClose(result.bestValues, c.trueValues);
    // start values by name, as Parameters and as numbers (lmfit's fit(data, x=x, **kwargs))
    const kwargs: Record<string, unknown> = Object.fromEntries(params.entries());
    result = await model.fit(data, undefined, loose({ x, ...kwargs }));
    assertResultsClose(result.bestValues, c.trueValues);
    result = await model.fit(data, undefined, loose({ x, ...params.valuesdict() }));
    assertResultsClose(result.bestValues, c.trueValues);
  });

  parityTest(F, `${T}test_explicit_independent_vars`, async () => {
    if (c.skipIndependentVars) return; // lmfit: "ConstantModel has not independent_vars."
    const { data, x } = setUp(c);
    const model = c.make({ independentVars: ["x"] });
    const result = await model.fit(data, model.makeParams(c.guess), { x });
    assertResultsClose(result.bestValues, c.trueValues);
  });

  parityTest(F, `${T}test_fit_with_weights`, async () => {
    const { model, data, x } = setUp(c);
    const params = model.makeParams(c.guess);
    const out1 = await model.fit(data, params, { x });
    const weights = x.map((v) => 1.0 / (0.5 + v * v));
    const out2 = await model.fit(data, params, { weights, x });
    let maxDiff = 0;
    for (const [k, v1] of Object.entries(out1.bestValues)) {
      maxDiff = Math.max(maxDiff, Math.abs(v1 - out2.bestValues[k]));
    }
    assert.ok(maxDiff > 1e-8);
  });

  parityTest(F, `${T}test_result_attributes`, async () => {
    const { model, data, x, noise } = setUp(c);
    const pars = model.makeParams(c.guess);
    const result = await model.fit(data, pars, { x });
    assertResultsClose(result.bestValues, c.trueValues);
    assert.deepEqual(result.initValues, c.guess);
    const params = model.makeParams();
    for (const [k, v] of Object.entries(c.guess)) params.get(k)!.value = v;
    assertParamsEqual(result.initParams, params);
    assertAllclose(result.bestFit, data, { atol: Math.max(...noise) });
    const initFit = model.eval(c.guess, { x });
    assertAllclose(result.initFit, initFit);
    assert.ok(result.model === model);
  });

  parityTest(F, `${T}test_result_eval`, async () => {
    const { model, data, x } = setUp(c);
    const result = await model.fit(data, model.makeParams(c.guess), { x });
    assertAllclose(result.eval(result.params, { x }), result.bestFit);
    assertAllclose(result.eval(result.initParams, { x }), result.initFit);
  });

  parityTest(F, `${T}test_result_eval_custom_x`, async () => {
    if (c.skipIndependentVars) return;
    const { model, data, x } = setUp(c);
    const result = await model.fit(data, model.makeParams(c.guess), { x });
    const shortEval = result.eval(result.params, { x: [0, 1, 2] });
    assert.equal(shortEval.length, 3);
  });

  parityTest(F, `${T}test_result_report`, async () => {
    const { model, data, x } = setUp(c);
    const result = await model.fit(data, model.makeParams(c.guess), { x });
    const report = result.fitReport();
    for (
      const s of [
        "[[Model]]",
        "[[Variables]]",
        "[[Fit Statistics]]",
        " # function evals   =",
        " Akaike ",
        " chi-square ",
      ]
    ) assert.ok(report.includes(s), s);
  });

  parityTest(F, `${T}test_aic`, async () => {
    const { model, data, x } = setUp(c);
    const params = model.makeParams(c.guess);
    const aic = (await model.fit(data, params, { x })).aic;
    assert.ok(aic < 0);
    params.add("unused_param", { value: 1.0, vary: true });
    const aicExtra = (await model.fit(data, params, { x })).aic;
    assert.ok(aicExtra < 0);
    assert.ok(aic < aicExtra);
  });

  parityTest(F, `${T}test_bic`, async () => {
    const { model, data, x } = setUp(c);
    const params = model.makeParams(c.guess);
    const result = await model.fit(data, params, { x });
    assert.ok(result.bic < 0);
    assert.ok(result.aic < result.bic);
    params.add("unused_param", { value: 1.0, vary: true });
    const bicExtra = (await model.fit(data, params, { x })).bic;
    assert.ok(bicExtra < 0);
    assert.ok(result.bic < bicExtra);
  });
}

// TestUserDefiniedModel's own tests
const U = "TestUserDefiniedModel::";
const user = cases[0];

parityTest(F, `${U}test_lists_become_arrays`, async () => {
  const model = gaussianModel();
  await model.fit([1, 2, 3], undefined, loose({ x: [1, 2, 3], ...user.guess }));
  await assertRaises(() =>
    model.fit(loose([1, 2, null, 3]), undefined, loose({ x: [1, 2, 3, 4], ...user.guess }))
  );
});

parityTest(F, `${U}test_missing_param_raises_error`, async () => {
  const { model, data, x } = setUp(user);
  const params = model.makeParams();
  params.get("amplitude")!.value = 5;
  params.get("center")!.value = 2;
  await model.fit(data, params, { x });
});

parityTest(F, `${U}test_missing_independent_variable_raises_error`, async () => {
  const { model, data } = setUp(user);
  await assertRaises(() => model.fit(data, model.makeParams(user.guess)));
});

parityTest(F, `${U}test_bounding`, async () => {
  const { model, data, x } = setUp(user);
  const pars = model.makeParams(user.guess);
  pars.get("center")!.set({ value: 2, min: 1.3 });
  const result = await model.fit(data, pars, { x });
  assertResultsClose(result.bestValues, { ...user.trueValues, center: 1.3 }, 0.05);
});

parityTest(F, `${U}test_vary_false`, async () => {
  const { model, data, x } = setUp(user);
  const pars = model.makeParams(user.guess);
  pars.get("center")!.set({ value: 1.3, vary: false });
  const result = await model.fit(data, pars, { x });
  assertResultsClose(result.bestValues, { ...user.trueValues, center: 1.3 }, 0.05);
});

parityTest(F, `${U}test_user_defined_gaussian_plus_constant`, async () => {
  const { model: m, data: d, x } = setUp(user);
  const data = d.map((v) => v + 5.0);
  const model = m.add(new ConstantModel());
  const pars = model.makeParams({ c: 10.1, ...user.guess });
  const result = await model.fit(data, pars, { x });
  assertResultsClose(result.bestValues, { ...user.trueValues, c: 5.0 }, 0.01, 0.01);
});

parityTest(F, `${U}test_model_with_prefix`, async () => {
  const { x, noise } = setUp(user);
  let mod = new GaussianModel({ prefix: "a" });
  const data = lineshapes.gaussian(x, 3.15, 2.45, 0.8).map((v, i) => v + noise[i] / 3.0);
  let pars = mod.guess(data, { x });
  assert.ok(pars.has("aamplitude") && pars.has("asigma"));
  const out = await mod.fit(data, pars, { x });
  assert.ok(out.params.get("aamplitude")!.value > 2.0);
  assert.ok(out.params.get("acenter")!.value > 2.0 && out.params.get("acenter")!.value < 3.0);
  mod = new GaussianModel({ prefix: "b" });
  pars = mod.guess(data, { x });
  assert.ok(pars.has("bamplitude") && pars.has("bsigma"));
});

parityTest(F, `${U}test_change_prefix`, () => {
  const mod: Loose = new GaussianModel({ prefix: "b" });
  mod.prefix = "c";
  const newExpr = mod.paramHints.fwhm.expr;
  assert.ok(newExpr.includes("csigma"), newExpr);
  assert.ok(!newExpr.includes("bsigma"));
});

parityTest(F, `${U}test_model_name`, () => {
  assert.equal(new GaussianModel({ name: "user_name" } as Loose).name, "Model(user_name)");
});

parityTest(F, `${U}test_sum_of_two_gaussians`, async () => {
  const { x, noise } = setUp(user);
  const model1 = gaussianModel();
  const model2 = new Model((x, p) => lineshapes.gaussian(x, p.amp, p.cen, p.sig), {
    paramNames: ["amp", "cen", "sig"],
  });
  const values2 = { cen: 2.45, sig: 0.8, amp: 3.15 };
  const g1 = lineshapes.gaussian(x, 7.1, 1.1, 2.4), g2 = lineshapes.gaussian(x, 3.15, 2.45, 0.8);
  const data = x.map((_, i) => g1[i] + g2[i] + noise[i] / 3.0);
  let model = model1.add(model2);
  let pars = model.makeParams();
  pars.get("sigma")!.set({ value: 2, min: 0 });
  pars.get("center")!.set({ value: 1, min: 0.2, max: 1.8 });
  pars.get("amplitude")!.set({ value: 3, min: 0 });
  pars.get("sig")!.set({ value: 1, min: 0 });
  pars.get("cen")!.set({ value: 2.4, min: 2, max: 3.5 });
  pars.get("amp")!.set({ value: 1, min: 0 });
  let result = await model.fit(data, pars, { x });
  assertResultsClose(result.bestValues, { ...user.trueValues, ...values2 }, 0.01, 0.01);
  await assertRaises(() => model1.add(model1));
  model = new GaussianModel({ prefix: "g1_" }).add(new GaussianModel({ prefix: "g2_" }));
  pars = model.makeParams();
  pars.get("g1_sigma")!.set({ value: 2 });
  pars.get("g1_center")!.set({ value: 1 });
  pars.get("g1_amplitude")!.set({ value: 3 });
  pars.get("g2_sigma")!.set({ value: 1 });
  pars.get("g2_center")!.set({ value: 2.4 });
  pars.get("g2_amplitude")!.set({ value: 1 });
  result = await model.fit(data, pars, { x });
  assertResultsClose(
    result.bestValues,
    {
      g1_center: 1.1,
      g1_amplitude: 7.1,
      g1_sigma: 2.4,
      g2_center: 2.45,
      g2_amplitude: 3.15,
      g2_sigma: 0.8,
    },
    0.01,
    0.01,
  );
  await assertRaises(() => new GaussianModel().add(new GaussianModel()));
});

parityTest(F, `${U}test_sum_composite_models`, () => {
  const [m1, m2, m3, m4] = [1, 2, 3, 4].map((i) => new GaussianModel({ prefix: `g${i}_` }));
  const has = (total: BaseModel, ms: BaseModel[]) =>
    ms.forEach((m) => assert.ok(total.components.includes(m as Loose)));
  has(m1.add(m2).add(m3), [m1, m2, m3]);
  has(m1.add(m2.add(m3)), [m1, m2, m3]);
  has(m1.add(m2).add(m3.add(m4)), [m1, m2, m3, m4]);
});

parityTest(F, `${U}test_eval_components`, async () => {
  const { x, noise } = setUp(user);
  const mod = new GaussianModel({ prefix: "g1_" }).add(new GaussianModel({ prefix: "g2_" }))
    .add(new ConstantModel({ prefix: "bkg_" }));
  const pars = mod.makeParams();
  const g1 = lineshapes.gaussian(x, 7.1, 1.1, 2.4), g2 = lineshapes.gaussian(x, 12.2, 2.5, 0.5);
  const data = x.map((_, i) => 1.01 + g1[i] + g2[i] + 0.05 * noise[i]);
  pars.get("g1_sigma")!.set({ value: 2 });
  pars.get("g1_center")!.set({ value: 1, max: 1.5 });
  pars.get("g1_amplitude")!.set({ value: 3 });
  pars.get("g2_sigma")!.set({ value: 1 });
  pars.get("g2_center")!.set({ value: 2.6, min: 2.0 });
  pars.get("g2_amplitude")!.set({ value: 1 });
  pars.get("bkg_c")!.set({ value: 1.88 });
  const result = await mod.fit(data, pars, { x });
  const v = result.params.valuesdict();
  assert.ok(Math.abs(v.g1_amplitude - 7.1) < 1.5);
  assert.ok(Math.abs(v.g2_amplitude - 12.2) < 1.5);
  assert.ok(Math.abs(v.g1_center - 1.1) < 0.2);
  assert.ok(Math.abs(v.g2_center - 2.5) < 0.2);
  assert.ok(Math.abs(v.bkg_c - 1.0) < 0.25);
  // lmfit's mod.eval_components(x=x): the default parameter values
  assert.ok("bkg_" in mod.evalComponents(mod.makeParams(), { x }));
});

parityTest(F, `${U}test_composite_has_bestvalues`, async () => {
  const { x, noise } = setUp(user);
  const mod = new GaussianModel({ prefix: "g1_" }).add(new GaussianModel({ prefix: "g2_" }));
  const pars = mod.makeParams();
  const g1 = lineshapes.gaussian(x, 7.1, 1.1, 2.4), g2 = lineshapes.gaussian(x, 12.2, 2.5, 0.5);
  const data = x.map((_, i) => g1[i] + g2[i] + 0.1 * noise[i]);
  pars.get("g1_sigma")!.set({ value: 2 });
  pars.get("g1_center")!.set({ value: 1, max: 1.5 });
  pars.get("g1_amplitude")!.set({ value: 3 });
  pars.get("g2_sigma")!.set({ value: 1 });
  pars.get("g2_center")!.set({ value: 2.6, min: 2.0 });
  pars.get("g2_amplitude")!.set({ value: 1 });
  const result = await mod.fit(data, pars, { x });
  assert.equal(Object.keys(result.bestValues).length, 6, Object.keys(result.bestValues).join());
  const v = result.params.valuesdict();
  assert.ok(Math.abs(v.g1_amplitude - 7.1) < 0.5);
  assert.ok(Math.abs(v.g2_amplitude - 12.2) < 0.5);
  assert.ok(Math.abs(v.g1_center - 1.1) < 0.2);
  assert.ok(Math.abs(v.g2_center - 2.5) < 0.2);
  for (const p of pars.values()) assert.ok(String(p).length > 5);
});

parityTest(F, `${U}test_hints_in_composite_models`, () => {
  const func = () => new Float64Array(0);
  const m1 = new Model(func, { paramNames: ["amplitude"], prefix: "p1_" });
  const m2 = new Model(func, { paramNames: ["amplitude"], prefix: "p2_" });
  m1.setParamHint("amplitude", { value: 1 });
  m2.setParamHint("amplitude", { value: 2 });
  const params = m1.add(m2).makeParams();
  assert.equal(params.get("p1_amplitude")!.value, 1);
  assert.equal(params.get("p2_amplitude")!.value, 2);
});

parityTest(F, `${U}test_hints_for_peakmodels`, () => {
  const x = linspace(-10, 10, 101);
  const y = x.map((v) => Math.sin(v / 3) + v / 100);
  const m1 = new LinearModel({ prefix: "m1_" });
  const params = m1.guess(y, { x });
  const m2 = new GaussianModel({ prefix: "m2_" });
  for (const p of m2.makeParams().values()) params.add(p.clone());
  m1.add(m2);
  assert.ok(params.get("m1_intercept")!.value < 0);
  assert.equal(params.get("m2_amplitude")!.value, 1);
});

parityTest(F, `${U}test_param_hint_explicit_value`, () => {
  const params = new PseudoVoigtModel().makeParams({ sigma: 2, fraction: 0.77 });
  assertAllclose(params.get("fraction")!.value, 0.77, { rtol: 0.01 });
});

parityTest(F, `${U}test_symmetric_boundss`, async () => {
  const x = linspace(0, 20, 51);
  const noise = seededNoise("model_sym", 0.1);
  const y = lineshapes.gaussian(x, 8.0, 13, 2.5).map((v, i) => v + noise[i]);
  const mod = gaussianModel();
  const params = mod.makeParams({ sigma: 2.2, center: 10, amplitude: 10 });
  params.get("sigma")!.min = 2.2 - 0.95;
  params.get("sigma")!.max = 2.2 + 0.95;
  const result = await mod.fit(y, params, { x });
  const s = result.params.get("sigma")!;
  assert.ok(s.value > 2.3 && s.value < 2.7);
  assert.ok(s.stderr !== null && result.params.get("amplitude")!.stderr !== null);
  assert.ok(s.stderr! > 0.02 && s.stderr! < 0.5);
});

parityTest(F, `${U}test_unprefixed_name_collisions`, async () => {
  const x = linspace(0, 20, 201);
  const noise = seededNoise("model_unprefixed", 0.03);
  const g = lineshapes.gaussian(x, 4.5, 8.5, 2.1);
  const y = x.map((v, i) => 6 + v * 0.55 + g[i] + noise[i]);
  const myline = new Model((x, p) => x.map((v) => p.a + p.b * v), {
    paramNames: ["a", "b"],
    prefix: "line_",
  });
  const mygauss = new Model((x, p) => lineshapes.gaussian(x, p.a, p.b, p.c), {
    paramNames: ["a", "b", "c"],
    prefix: "peak_",
  });
  const mod = myline.add(mygauss);
  const pars = mod.makeParams({ line_a: 5, line_b: 1, peak_a: 10, peak_b: 10, peak_c: 5 });
  pars.add("a", { expr: "line_a + peak_a" });
  const v = (await mod.fit(y, pars, { x })).params.valuesdict();
  assert.ok(v.peak_a > 4 && v.peak_a < 5);
  assert.ok(v.peak_b > 8 && v.peak_b < 9);
  assert.ok(v.peak_c > 1.5 && v.peak_c < 2.5);
  assert.ok(v.line_a > 5.5 && v.line_a < 6.5);
  assert.ok(v.line_b > 0.25 && v.line_b < 0.75);
  assert.ok(v.a > 10 && v.a < 11);
});

parityTest(F, "TestExpression::test_composite_with_expression", async () => {
  const c = cases.at(-1)!;
  const { x, noise } = setUp(c);
  const expressionModel = new ExpressionModel("exp(-x/x0)", { name: "exp" } as Loose);
  const ampModel = new ConstantModel({ prefix: "amp_" });
  const offModel = new ConstantModel({ prefix: "off_", name: "off" } as Loose);
  const compModel = offModel.add(ampModel.mul(expressionModel));
  const data = compModel.eval(c.trueValues, { x }).map((v, i) => v + noise[i]);
  const result = await compModel.fit(data, compModel.makeParams(c.guess), { x });
  assertResultsClose(result.bestValues, c.trueValues, 0.01, 0.01);
  assert.ok("exp" in compModel.evalComponents(compModel.makeParams(c.guess), { x }));
});

// Model construction
parityTest(F, "test_initialize_Model_class_default_arguments", () => {
  const m: Loose = gaussianModel();
  assert.equal(m.prefix, "");
  assert.deepEqual(m.paramNames, ["amplitude", "center", "sigma"]);
  assert.deepEqual(m.independentVars, ["x"]);
  assert.equal(m.nanPolicy, "raise");
  assert.equal(m.name, "Model(gaussian)");
  assert.deepEqual(m.defaults, { amplitude: 1.0, center: 0.0, sigma: 1.0 });
});

parityTest(F, "test_initialize_Model_class_param_names", () => {
  const m = new Model((x) => x, { paramNames: ["amplitude"] });
  assert.deepEqual(m.paramNames, ["amplitude"]);
});

for (const policy of ["raise", "omit", "propagate"] as const) {
  parityTest(F, `test_initialize_Model_class_nan_policy[${policy}]`, () => {
    assert.equal(gaussianModel({ nanPolicy: policy }).nanPolicy, policy);
  });
}

parityTest(F, "test_initialize_Model_class_prefix", () => {
  const m = gaussianModel({ prefix: "test_" });
  assert.equal(m.prefix, "test_");
  assert.deepEqual(m.paramNames, ["test_amplitude", "test_center", "test_sigma"]);
  assert.equal(m.name, "Model(gaussian, prefix='test_')");
  assert.equal(gaussianModel({ prefix: loose(null) }).prefix, "");
});

parityTest(F, "test_initialize_Model_name", () => {
  assert.equal(gaussianModel({ name: "test_function" }).name, "Model(test_function)");
});

parityTest(F, "test_Model_getter_setter_name", () => {
  const m: Loose = gaussianModel();
  assert.equal(m.name, "Model(gaussian)");
  m.name = "test_gaussian";
  assert.equal(m.name, "Model(test_gaussian)");
});

parityTest(F, "test_Model_getter_setter_prefix", () => {
  const m: Loose = gaussianModel();
  assert.deepEqual(m.paramNames, ["amplitude", "center", "sigma"]);
  m.prefix = "g1_";
  assert.equal(m.prefix, "g1_");
  assert.deepEqual(m.paramNames, ["g1_amplitude", "g1_center", "g1_sigma"]);
  m.prefix = "";
  assert.deepEqual(m.paramNames, ["amplitude", "center", "sigma"]);
});

parityTest(F, "test_Model_getter_param_names", () => {
  assert.deepEqual(gaussianModel().paramNames, ["amplitude", "center", "sigma"]);
});

parityTest(F, "test_Model__repr__", () => {
  assert.equal(String(gaussianModel()), "<lmfit.Model: Model(gaussian)>");
});

parityTest(F, "test_Model_dumps_loads", () => {
  const m = gaussianModel();
  m.loads(m.dumps());
});

parityTest(F, "test_guess_requires_x", async () => {
  await assertRaises(() => loose(gaussianModel()).guess());
});

parityTest(F, "test__parse_params_forbidden_variable_names", async () => {
  await assertRaises(
    () => new Model((x) => x, { paramNames: ["a"], independentVars: ["data"] }),
    /data/,
  );
  await assertRaises(() => new Model((x) => x, { paramNames: ["weights"] }), /weights/);
});

for (const kind of ["int32", "float32", "list", "tuple"]) {
  parityTest(F, `test_coercion_of_input_data[${kind}]`, async () => {
    const [x, y] = peakData();
    const conv = (a: Float64Array): Loose =>
      kind === "int32" ? Int32Array.from(a) : kind === "float32" ? Float32Array.from(a) : [...a];
    const model = gaussianModel();
    const result = await model.fit(conv(y), model.makeParams(), { x: conv(x) });
    assert.ok(result.data instanceof Float64Array);
    assert.ok(result.userVars.x instanceof Float64Array);
  });
}
