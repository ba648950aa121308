// lmfit 1.1.0 parity for Model (issue 12, point 7). The numbers quoted from Python were computed
// with lmfit 1.1.0 on the same inputs (/usr/bin/python3).
import assert from "node:assert/strict";
import {
  CompositeModel,
  ExpressionModel,
  GaussianModel,
  LinearModel,
  Model,
  SineModel,
  StepModel,
} from "../../mod.ts";
import { BUILTIN_MODELS } from "../../lib/model/models.ts";
import { gaussian, gaussian2d, lorentzian, step } from "../../lib/model/lineshapes.ts";

const linspace = (a: number, b: number, n: number) =>
  Float64Array.from({ length: n }, (_, i) => a + (b - a) * i / (n - 1));

Deno.test("start values go by name in fit's options, as lmfit's fit(data, x=x, amp=5)", async () => {
  const x = linspace(0, 10, 201);
  const y = x.map((v) => 3 * Math.sin(2 * v + 0.5));
  const model = new SineModel();
  // Python: SineModel().fit(y, x=x, amplitude=2.5, frequency=2.1, shift=0.3).best_values
  //         {'amplitude': 3.0, 'frequency': 2.0, 'shift': 0.5}
  const result = await model.fit(y, undefined, { x, amplitude: 2.5, frequency: 2.1, shift: 0.3 });
  assert.ok(Math.abs(result.bestValues.amplitude - 3) < 1e-9);
  assert.ok(Math.abs(result.bestValues.frequency - 2) < 1e-9);
  assert.ok(Math.abs(result.bestValues.shift - 0.5) < 1e-9);
  assert.deepEqual(result.initValues, { amplitude: 2.5, frequency: 2.1, shift: 0.3 });
  // With explicit parameters, named values override theirs; the caller's object is untouched.
  const params = model.makeParams({ amplitude: 1, frequency: 1, shift: 0 });
  const again = await model.fit(y, params, { x, frequency: 2.1 });
  assert.equal(again.initValues.frequency, 2.1);
  assert.equal(params.get("frequency")!.value, 1);
  await assert.rejects(
    () => model.fit(y, params, { x, frequncy: 2.1 }),
    /fit: unknown option 'frequncy' \(did you mean frequency\?\)/,
  );
});

Deno.test("lineshape functions take a number and return a number; gaussian2d defaults y to 0", () => {
  // Python: lmfit.lineshapes.gaussian(1.0) == 0.24197072451914337
  assert.equal(gaussian(1), 0.24197072451914337);
  assert.equal(lorentzian(0, 1, 0, 1), 1 / Math.PI);
  assert.equal(step(0.5, 1, 0, 1, "linear"), 1); // Python: step(0.5, 1, 0, 1, "linear") == 1.0
  // Python: lmfit.lineshapes.gaussian2d(1.0) == 0.09653235263005391 (y=0.0 by default)
  assert.ok(Math.abs(gaussian2d(1) - 0.09653235263005391) < 1e-16);
  assert.deepEqual(
    gaussian2d(Float64Array.of(1, 1)),
    Float64Array.of(gaussian2d(1), gaussian2d(1)),
  );
  assert.deepEqual(gaussian(Float64Array.of(1)), Float64Array.of(0.24197072451914337));
});

Deno.test("independent variables that are not arrays go to the model function as they are", () => {
  const model = new Model(
    (x, p, vars) => {
      const opts = vars.opts as unknown as { scale: number };
      return x.map((v) => p.a * v * opts.scale);
    },
    { paramNames: ["a"], independentVars: ["x", "opts"] },
  );
  assert.deepEqual(
    model.eval({ a: 2 }, { x: [1, 2], opts: { scale: 10 } as never }),
    Float64Array.of(20, 40),
  );
  // Expression-compiled models need numbers: a number is broadcast, as numpy does.
  const e = new ExpressionModel("a*x + b*t", { independentVars: ["x", "t"] });
  assert.deepEqual(e.eval({ a: 1, b: 2 }, { x: [1, 2], t: 3 as never }), Float64Array.of(7, 8));
  assert.deepEqual(
    new GaussianModel().eval({ amplitude: 1, center: 0, sigma: 1 }, { x: 1 as never }),
    Float64Array.of(gaussian(1)),
  );
  assert.throws(
    () => e.eval({ a: 1, b: 2 }, { x: [1], t: { v: 1 } as never }),
    /independent variable 't' must be a number or an array of numbers/,
  );
});

Deno.test("null or undefined in data, weights or variables is an error naming the index", async () => {
  const model = new LinearModel();
  const params = model.makeParams({ slope: 1, intercept: 0 });
  await assert.rejects(
    () => model.fit([1, null, 3] as unknown as number[], params, { x: [0, 1, 2] }),
    /data\[1\] is null/,
  );
  await assert.rejects(
    () => model.fit([1, 2, 3], params, { x: [0, undefined, 2] as unknown as number[] }),
    /independent variable 'x'\[1\] is undefined/,
  );
  await assert.rejects(
    () =>
      model.fit([1, 2, 3], params, { x: [0, 1, 2], weights: [1, 1, null] as unknown as number[] }),
    /weights\[2\] is null/,
  );
  assert.throws(() => model.eval(params, { x: [null] as unknown as number[] }), /'x'\[0\] is null/);
});

Deno.test("names that fit takes for itself are refused as parameter or variable names, as lmfit", () => {
  // Python: Model(f) with f(x, data=1) raises "Invalid parameter name ('data') for function f"
  for (const bad of ["data", "weights", "params"]) {
    assert.throws(
      () => new Model((x) => x, { paramNames: [bad] }),
      new RegExp(
        `'${bad}' cannot name a parameter or an independent variable: fit\\(\\) takes data, weights, params`,
      ),
    );
  }
  assert.throws(() => new ExpressionModel("weights * x"), /'weights' cannot name a parameter/);
  assert.throws(
    () => new Model((x) => x, { paramNames: ["a"], independentVars: ["data"] }),
    /'data'/,
  );
});

Deno.test("a composite's own derived parameter stays unprefixed and evaluates", () => {
  const model = new GaussianModel({ prefix: "h_" }).add(new LinearModel());
  // Python: c.set_param_hint('ratio', expr='h_amplitude/2') -> make_params() has 'ratio'
  model.setParamHint("ratio", { expr: "h_amplitude/2" });
  const params = model.makeParams({
    h_amplitude: 6,
    h_center: 0,
    h_sigma: 1,
    slope: 0,
    intercept: 0,
  });
  assert.deepEqual([...params.keys()], [
    "h_amplitude",
    "h_center",
    "h_sigma",
    "slope",
    "intercept",
    "h_fwhm",
    "h_height",
    "ratio",
  ]);
  assert.equal(params.get("ratio")!.value, 3);
  assert.deepEqual(model.paramHints.ratio, { expr: "h_amplitude/2" });
  // A hint for a component's parameter still goes to that component.
  model.setParamHint("h_sigma", { max: 5 });
  assert.equal(model.makeParams().get("h_sigma")!.max, 5);
});

Deno.test("composites with a user operator: a convolution of a peak with a step", async () => {
  const convolve = (a: Float64Array, b: Float64Array) => {
    // numpy.convolve(a, b, mode="same") for equal lengths
    const n = a.length, out = new Float64Array(n), off = Math.floor((n - 1) / 2);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) {
        const k = i + off - j;
        if (k >= 0 && k < n) s += a[j] * b[k];
      }
      out[i] = s;
    }
    return out;
  };
  const x = linspace(-5, 5, 101);
  const model = new CompositeModel(new GaussianModel(), new StepModel({ prefix: "s_" }), convolve);
  // Python: CompositeModel(GaussianModel(), StepModel(prefix='s_'), conv).name
  //         "(Model(gaussian) <function conv at 0x...> Model(step, prefix='s_'))"
  assert.equal(model.name, "(Model(gaussian) convolve Model(step, prefix='s_'))");
  assert.deepEqual(model.paramNames, [
    "amplitude",
    "center",
    "sigma",
    "s_amplitude",
    "s_center",
    "s_sigma",
  ]);
  const truth = {
    amplitude: 1,
    center: 0,
    sigma: 0.5,
    s_amplitude: 0.1,
    s_center: 0.5,
    s_sigma: 2,
  };
  const y = model.eval(truth, { x });
  const left = new GaussianModel().eval(truth, { x });
  const right = new StepModel({ prefix: "s_" }).eval(truth, { x });
  assert.deepEqual(y, convolve(left, right));
  const params = model.makeParams({ ...truth, sigma: 0.8, s_center: 0.2 });
  params.get("amplitude")!.vary = false;
  params.get("s_sigma")!.vary = false;
  const result = await model.fit(y, params, { x });
  assert.ok(Math.abs(result.bestValues.sigma - 0.5) < 1e-6, String(result.bestValues.sigma));
  assert.ok(Math.abs(result.bestValues.s_center - 0.5) < 1e-6);
});

Deno.test("changing a model's prefix renames its parameters and hints", () => {
  const model = new GaussianModel({ prefix: "g_" });
  model.setParamHint("sigma", { max: 3 });
  model.prefix = "h_";
  // Python: g.prefix = 'h_'; g.param_names -> ['h_amplitude', 'h_center', 'h_sigma', 'h_fwhm', 'h_height']
  assert.deepEqual(model.paramNames, ["h_amplitude", "h_center", "h_sigma"]);
  const params = model.makeParams({ amplitude: 1, center: 0, sigma: 1 });
  assert.equal(params.get("h_fwhm")!.expr, "2.3548200*h_sigma");
  assert.equal(params.get("h_sigma")!.max, 3);
  assert.equal(model.name, "Model(gaussian, prefix='h_')");
  assert.throws(() => (model.prefix = "1x"), /prefix '1x' must be empty or start a valid name/);
});

Deno.test("copy makes an independent model (lmfit 1.1.0's Model.copy raises NotImplementedError)", () => {
  const g = new GaussianModel({ prefix: "g_" });
  g.setParamHint("sigma", { min: 0.5 });
  const h = g.copy();
  assert.ok(h instanceof GaussianModel);
  h.prefix = "h_";
  h.setParamHint("sigma", { min: 1 });
  assert.deepEqual(g.paramNames, ["g_amplitude", "g_center", "g_sigma"]);
  assert.equal(g.makeParams().get("g_sigma")!.min, 0.5);
  assert.equal(h.makeParams().get("h_sigma")!.min, 1);
  const values = { amplitude: 1, center: 0, sigma: 1 };
  assert.deepEqual(
    h.eval(Object.fromEntries(Object.entries(values).map(([k, v]) => [`h_${k}`, v])), {
      x: [0, 1],
    }),
    g.eval(Object.fromEntries(Object.entries(values).map(([k, v]) => [`g_${k}`, v])), {
      x: [0, 1],
    }),
  );
  const e = new ExpressionModel("a * x + b", { prefix: "e_" }).copy();
  assert.deepEqual(e.eval({ e_a: 2, e_b: 1 }, { x: [1] }), Float64Array.of(3));
  const c = g.add(new LinearModel()).copy();
  assert.notEqual(c.left, g);
  assert.deepEqual(c.paramNames, ["g_amplitude", "g_center", "g_sigma", "slope", "intercept"]);
});

Deno.test("model names are lmfit's; bestValues holds the model function's arguments only", async () => {
  // Python: GaussianModel(prefix='g_').name == "Model(gaussian, prefix='g_')"
  //         (g + LinearModel()).name == "(Model(gaussian, prefix='g_') + Model(linear))"
  const g = new GaussianModel({ prefix: "g_" });
  assert.equal(g.name, "Model(gaussian, prefix='g_')");
  assert.equal(g.funcName, "gaussian");
  assert.equal(g.add(new LinearModel()).name, "(Model(gaussian, prefix='g_') + Model(linear))");
  assert.equal(new SineModel().name, "Model(sine)");
  const x = linspace(-3, 3, 31);
  const result = await g.fit(
    x.map((v) => 2 * Math.exp(-v * v / 2)),
    g.makeParams({ amplitude: 3, center: 0.2, sigma: 1.3 }),
    { x },
  );
  assert.deepEqual(Object.keys(result.bestValues), ["g_amplitude", "g_center", "g_sigma"]);
  assert.deepEqual(Object.keys(result.initValues), ["g_amplitude", "g_center", "g_sigma"]);
  assert.ok(result.params.has("g_fwhm"), "derived parameters stay in result.params");
});

Deno.test("SineModel.guess is lmfit's FFT guess; every built-in model can guess", () => {
  const x = linspace(0, 10, 201);
  const y = x.map((v) => 3 * Math.sin(2 * v + 0.5));
  // Python: SineModel().guess(y, x=x) -> amplitude 2.8587966863171332,
  //         frequency 1.8755777036356973, shift 1.1423973285781066
  const p = new SineModel().guess(y, { x });
  assert.ok(Math.abs(p.get("amplitude")!.value - 2.8587966863171332) < 1e-12);
  assert.ok(Math.abs(p.get("frequency")!.value - 1.8755777036356973) < 1e-12);
  assert.ok(Math.abs(p.get("shift")!.value - 1.1423973285781066) < 1e-12);
  const xs = linspace(0.1, 5, 50);
  const data = xs.map((v) => 1 + Math.exp(-((v - 2) ** 2)));
  for (const [name, make] of Object.entries(BUILTIN_MODELS)) {
    const m = make({});
    const vars: Record<string, Float64Array> = m.independentVars.length > 1
      ? { x: xs, y: xs }
      : { x: xs };
    const guessed = m.guess(data, vars);
    for (const n of m.paramNames) assert.ok(guessed.has(n), `${name} guesses ${n}`);
  }
});

Deno.test("model parameters may have names that are on Object.prototype", async () => {
  const model = new ExpressionModel("toString * x + constructor");
  assert.deepEqual(model.paramNames, ["toString", "constructor"]);
  const x = linspace(0, 1, 5);
  const result = await model.fit(x.map((v) => 2 * v + 1), undefined, {
    x,
    toString: 1,
    constructor: 0,
  });
  assert.ok(Math.abs(result.bestValues["toString"] - 2) < 1e-10);
  assert.ok(Math.abs(result.bestValues["constructor"] - 1) < 1e-10);
});
