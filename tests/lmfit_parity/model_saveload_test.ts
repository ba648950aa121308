// Mirrors lmfit 1.1.0 tests/test_model_saveload.py. lmfit's save_model(model, fname) /
// load_model(fname) are saveModel(model) / loadModel(text) here, with the text written to and
// read from a file; `dill` (Python function pickling) is left out: the dill=True cases are the
// same test. ModelResult.dumps()/loads() of lmfit are saveModelResult/loadModelResult.
import {
  type BaseModel,
  ExponentialModel,
  ExpressionModel,
  GaussianModel,
  lineshapes,
  loadModel,
  loadModelResult,
  Model,
  type ModelResult,
  saveModel,
  saveModelResult,
  VoigtModel,
} from "../../mod.ts";
import {
  assert,
  assertAllclose,
  assertRaises,
  columns,
  linspace,
  type Loose,
  loose,
  parityTest,
  readTable,
  seededNoise,
} from "./_parity.ts";

const F = "test_model_saveload";
const [y, x] = columns(readTable("NIST_Gauss2.dat").filter((r) => r.length === 2));

function createModelParams() {
  const expMod = new ExponentialModel({ prefix: "exp_" });
  const params = expMod.guess(y, { x });
  const gauss1 = new GaussianModel({ prefix: "g1_" });
  for (const p of gauss1.makeParams().values()) params.add(p.clone());
  const gauss2 = new GaussianModel({ prefix: "g2_" });
  for (const p of gauss2.makeParams().values()) params.add(p.clone());
  params.get("g1_center")!.set({ value: 105, min: 75, max: 125 });
  params.get("g1_sigma")!.set({ value: 15, min: 3 });
  params.get("g1_amplitude")!.set({ value: 2000, min: 10 });
  params.get("g2_center")!.set({ value: 155, min: 125, max: 175 });
  params.get("g2_sigma")!.set({ value: 15, min: 3 });
  params.get("g2_amplitude")!.set({ value: 2000, min: 10 });
  return { model: gauss1.add(gauss2).add(expMod) as BaseModel, params };
}

function checkFitResults(result: ModelResult<Loose>) {
  assert.equal(result.nvarys, 8);
  assertAllclose(result.chisqr, 1247.528209);
  assertAllclose(result.aic, 417.864631);
  const expected: Record<string, number> = {
    exp_decay: 90.950886,
    exp_amplitude: 99.018328,
    g1_sigma: 16.672575,
    g1_center: 107.030954,
    g1_amplitude: 4257.773192,
    g1_fwhm: 39.260914,
    g1_height: 101.880231,
    g2_sigma: 13.806948,
    g2_center: 153.270101,
    g2_amplitude: 2493.417703,
    g2_fwhm: 32.512878,
    g2_height: 72.045593,
  };
  for (const [k, v] of Object.entries(expected)) assertAllclose(result.params.get(k)!, v, {}, k);
}

async function withFile(fn: (path: string) => Promise<void>) {
  const path = await Deno.makeTempFile({ suffix: ".sav" });
  try {
    await fn(path);
  } finally {
    await Deno.remove(path);
  }
}

parityTest(F, "test_save_load_model[False]", () =>
  withFile(async (path) => {
    const { model } = createModelParams();
    await Deno.writeTextFile(path, saveModel(model));
    const text = await Deno.readTextFile(path);
    assert.ok(text.length > 1000 && text.length < 2500, `saved model is ${text.length} characters`);
    const saved = loadModel(text);
    const params = saved.makeParams();
    params.get("exp_decay")!.set({ value: 100 });
    params.get("exp_amplitude")!.set({ value: 100 });
    params.get("g1_center")!.set({ value: 105, min: 75, max: 125 });
    params.get("g1_sigma")!.set({ value: 15, min: 3 });
    params.get("g1_amplitude")!.set({ value: 2000, min: 10 });
    params.get("g2_center")!.set({ value: 155, min: 125, max: 175 });
    params.get("g2_sigma")!.set({ value: 15, min: 3 });
    params.get("g2_amplitude")!.set({ value: 2000, min: 10 });
    checkFitResults(await saved.fit(y, params, { x }));
  }));

parityTest(F, "test_save_load_modelresult[False]", () =>
  withFile(async (path) => {
    const { model, params } = createModelParams();
    const result = await model.fit(y, params, { x });
    await Deno.writeTextFile(path, saveModelResult(result));
    const text = await Deno.readTextFile(path);
    assert.ok(
      text.length > 12000 && text.length < 60000,
      `saved result is ${text.length} characters`,
    );
    checkFitResults(loadModelResult(text));
  }));

parityTest(F, "test_saveload_modelresult_attributes", async () => {
  const { model, params } = createModelParams();
  const result = await model.fit(y, params, { x });
  const loaded = loadModelResult(saveModelResult(result));
  assert.equal(result.data.length, loaded.data.length);
  assertAllclose(result.data, loaded.data);
  for (const pname of result.params.keys()) {
    assertAllclose(result.initParams.get(pname)!.value, loaded.initParams.get(pname)!.value);
  }
});

parityTest(F, "test_saveload_modelresult_exception", async () => {
  const { model } = createModelParams();
  await assertRaises(() => loadModelResult(saveModel(model)), /saved (ModelResult|model result)/i);
});

const methods = [
  "leastsq",
  "nelder",
  "powell",
  "cobyla",
  "bfgs",
  "lbfgsb",
  "differential_evolution",
  "brute",
  "basinhopping",
  "ampgo",
  "shgo",
  "dual_annealing",
];
for (const method of methods) {
  parityTest(F, `test_saveload_modelresult_roundtrip[${method}]`, async () => {
    const mfunc = (x: Float64Array, p: Record<string, number>) => x.map((v) => p.a * (v - p.b));
    const model = new Model(mfunc, { paramNames: ["a", "b"], name: "mfunc" });
    const params = model.makeParams({ a: 0.1, b: 3.0 });
    params.get("a")!.set({ min: 0.01, max: 1, bruteStep: 0.01 });
    params.get("b")!.set({ min: 0.01, max: 3.1, bruteStep: 0.01 });
    const xx = linspace(-5, 5, 201);
    const noise = seededNoise("saveload_2020", 0.01);
    const yy = xx.map((v, i) => 0.5 * (v - 0.22) + noise[i]);
    const result1 = await model.fit(yy, params, { x: xx, method });
    const functions = { mfunc } as Loose;
    const result2 = loadModelResult(saveModelResult(result1), { functions });
    const result3 = loadModelResult(saveModelResult(result2), { functions });
    assert.ok(result3);
    assertAllclose(result2.params.get("a")!, 0.5, { rtol: 1e-2 });
    assertAllclose(result2.params.get("b")!, 0.22, { rtol: 1e-2 });
    assertAllclose(result3.params.get("a")!, 0.5, { rtol: 1e-2 });
    assertAllclose(result3.params.get("b")!, 0.22, { rtol: 1e-2 });
  });
}

parityTest(F, "test_saveload_modelresult_expression_model", async () => {
  const x = linspace(-10, 10, 201);
  const [amp, cen, wid] = [3.4, 1.8, 0.5];
  const noise = seededNoise("saveload_expr", 0.01);
  const y = x.map((v, i) =>
    amp * Math.exp(-((v - cen) ** 2) / (2 * wid ** 2)) / (Math.sqrt(2 * Math.PI) * wid) + noise[i]
  );
  const gmod = new ExpressionModel("amp * exp(-(x-cen)**2 /(2*wid**2))/(sqrt(2*pi)*wid)");
  const result = await gmod.fit(y, undefined, loose({ x, amp: 5, cen: 5, wid: 1 }));
  const result2 = loadModelResult(saveModelResult(result));
  assert.ok(result2.initFit);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += result2.initFit[i] - result.initFit[i];
  assertAllclose(s + 1.0, 1.0, { rtol: 1e-2 });
});

parityTest(F, "test_saveload_usersyms", async () => {
  const x = linspace(0, 20, 501);
  const g = lineshapes.gaussian(x, 1.1, 8.5, 2), l = lineshapes.lorentzian(x, 1.7, 8.5, 1.5);
  const noise = seededNoise("saveload_20", 0.025);
  const y = x.map((_, i) => g[i] + l[i] + noise[i]);
  const model = new VoigtModel();
  const result = await model.fit(y, model.guess(y, { x }), { x });
  for (const r of [result, loadModelResult(saveModelResult(result))]) {
    assertAllclose(r.params.get("sigma")!, 1.075487, { rtol: 1e-5 });
    assertAllclose(r.params.get("center")!, 8.489738, { rtol: 1e-5 });
    assertAllclose(r.params.get("height")!, 0.557778, { rtol: 1e-5 });
  }
});
