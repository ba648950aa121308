// Mirrors lmfit 1.1.0 tests/test_covariance_matrix.py.
import {
  ExponentialModel,
  LinearModel,
  lineshapes,
  minimize,
  type Parameter,
  Parameters,
  VoigtModel,
} from "../../mod.ts";
import {
  assert,
  assertAllclose,
  assertAlmostEqual,
  linspace,
  parityTest,
  peakData,
  seededNoise,
} from "./_parity.ts";

const F = "test_covariance_matrix";

const check = (para: Parameter, realVal: number, sig = 3) => {
  assert.ok(Math.abs(para.value - realVal) < sig * para.stderr!, para.name);
};

parityTest(F, "test_bounded_parameters", async () => {
  const x = linspace(0, 15, 301);
  const noise = seededNoise("covar_1", 0.2);
  const data = x.map((v, i) => 5 * Math.sin(2 * v - 0.1) * Math.exp(-v * v * 0.025) + noise[i]);
  const fcn2min = (params: Parameters, x: Float64Array, data: Float64Array) => {
    const { amp, shift, omega, decay } = params.valuesdict();
    return x.map((v, i) => amp * Math.sin(v * omega + shift) * Math.exp(-v * v * decay) - data[i]);
  };
  const params = new Parameters();
  params.add("amp", { value: 10, min: 0, max: 50 });
  params.add("decay", { value: 0.1, min: 0, max: 10 });
  params.add("shift", { value: 0.0, min: -Math.PI / 2, max: Math.PI / 2 });
  params.add("omega", { value: 3.0, min: 0, max: Infinity });
  const result = await minimize(fcn2min, params, { args: [x, data] });
  [...result.params.values()].forEach((p, i) => check(p, [5, 0.025, -0.1, 2][i]));
  const covX = [
    [1.4242825e-03, 9.45395985e-06, -4.33997922e-05, 1.07362106e-05],
    [9.45395985e-06, 1.84110424e-07, -2.90588963e-07, 7.19107184e-08],
    [-4.33997922e-05, -2.90588963e-07, 9.53427031e-05, -2.37750362e-05],
    [1.07362106e-05, 7.19107184e-08, -2.37750362e-05, 9.60952336e-06],
  ];
  assertAllclose(result.covar!.flat(), covX.flat(), { rtol: 1.5e-6 });
  const p = (n: string) => result.params.get(n)!;
  assertAlmostEqual(p("amp").stderr!, 0.03773967, 6);
  assertAlmostEqual(p("decay").stderr!, 4.2908e-4, 6);
  assertAlmostEqual(p("shift").stderr!, 0.00976436, 6);
  assertAlmostEqual(p("omega").stderr!, 0.00309992, 6);
  assertAlmostEqual(p("amp").correl!.decay, 0.5838166760743324, 6);
  assertAlmostEqual(p("amp").correl!.shift, -0.11777303073961824, 6);
  assertAlmostEqual(p("amp").correl!.omega, 0.09177027400788784, 6);
  assertAlmostEqual(p("decay").correl!.shift, -0.0693579417651835, 6);
  assertAlmostEqual(p("decay").correl!.omega, 0.05406342001021014, 6);
  assertAlmostEqual(p("shift").correl!.omega, -0.7854644476455469, 6);
});

parityTest(F, "test_bounds_expression", async () => {
  const [x, y] = peakData();
  const mod = new VoigtModel();
  const params = mod.guess(y, { x });
  params.get("amplitude")!.set({ min: 0, max: 100 });
  params.get("center")!.set({ min: 5, max: 10 });
  const result = await mod.fit(y, params, { x });
  const p = (n: string) => result.params.get(n)!;
  assertAlmostEqual(p("sigma").stderr!, 0.00368468, 6);
  assertAlmostEqual(p("center").stderr!, 0.00505496, 6);
  assertAlmostEqual(p("amplitude").stderr!, 0.13861506, 6);
  assertAlmostEqual(p("gamma").stderr!, 0.00368468, 6);
  assertAlmostEqual(p("fwhm").stderr!, 0.00806917, 6);
  assertAlmostEqual(p("height").stderr!, 0.03009459, 6);
  assertAlmostEqual(p("sigma").correl!.center, -4.6623973788006615e-05, 6);
  assertAlmostEqual(p("sigma").correl!.amplitude, 0.651304091954038, 6);
  assertAlmostEqual(p("center").correl!.amplitude, -4.390334984618851e-05, 6);
});

/** lmfit compares values, relative stderrs and correlations of two fits. */
function compareFits(
  result: { params: Parameters; varNames: string[]; chisqr: number },
  other: { params: Parameters; chisqr: number },
  rtolValues: number,
) {
  const names = Object.keys(result.params.valuesdict());
  const vals = names.map((n) => result.params.get(n)!.value);
  const valsNdt = names.map((n) => other.params.get(n)!.value);
  assertAllclose(valsNdt, vals, { rtol: rtolValues }, "values");
  assertAllclose(other.chisqr, result.chisqr, { rtol: 1e-5 }, "chisqr");
  const perr = names.map((n, i) => result.params.get(n)!.stderr! / vals[i]);
  const perrNdt = names.map((n, i) => other.params.get(n)!.stderr! / valsNdt[i]);
  assertAlmostEqual(perrNdt, perr, 3, "relative stderr");
  for (const par1 of result.varNames) {
    const cor = result.params.get(par1)!.correl!;
    const corNdt = other.params.get(par1)!.correl!;
    const keys = Object.keys(cor);
    assertAlmostEqual(keys.map((k) => corNdt[k]), keys.map((k) => cor[k]), 2, `correl ${par1}`);
  }
}

for (const fitMethod of ["nelder", "lbfgs"]) {
  parityTest(F, `test_numdifftools_no_bounds[${fitMethod}]`, async () => {
    const x = linspace(0, 100, 50);
    const noise = seededNoise("covar_7", 0.25);
    const y = x.map((v, i) => 5 * Math.exp(-v / 15) + noise[i]);
    const mod = new ExponentialModel();
    const params = mod.guess(y, { x });
    const result = await mod.fit(y, params, { x, method: "leastsq" });
    const resultNdt = await mod.fit(y, params, { x, method: fitMethod });
    compareFits(result, resultNdt, 0.1);
  });
}

for (const fitMethod of ["nelder", "basinhopping", "ampgo", "shgo", "dual_annealing"]) {
  parityTest(F, `test_numdifftools_with_bounds[${fitMethod}]`, async () => {
    const [x, y] = peakData();
    const mod = new VoigtModel();
    const params = mod.guess(y, { x });
    params.get("amplitude")!.set({ min: 25, max: 70 });
    params.get("sigma")!.set({ max: 1 });
    params.get("center")!.set({ min: 5, max: 15 });
    const result = await mod.fit(y, params, { x, method: "leastsq" });
    const resultNdt = await mod.fit(y, params, { x, method: fitMethod });
    compareFits(result, resultNdt, 0.1);
  });
}

parityTest(F, "test_numdifftools_calc_covar_false", async () => {
  const [x, y] = peakData();
  const mod = new VoigtModel();
  const params = mod.guess(y, { x });
  params.get("sigma")!.set({ min: -Infinity });
  const result = await mod.fit(y, params, { x, method: "leastsq" });
  const resultNdt = await mod.fit(y, params, { x, method: "nelder", calcCovar: false });
  const names = Object.keys(result.params.valuesdict());
  assertAllclose(
    names.map((n) => resultNdt.params.get(n)!.value),
    names.map((n) => result.params.get(n)!.value),
    { rtol: 5e-3 },
  );
  assertAllclose(resultNdt.chisqr, result.chisqr);
  assert.equal(resultNdt.covar, null);
  assert.equal(resultNdt.errorbars, false);
});

parityTest(F, "test_final_parameter_values", async () => {
  const model = new LinearModel();
  const params = model.makeParams();
  params.get("intercept")!.set({ value: -1, min: -20, max: 0 });
  params.get("slope")!.set({ value: 1, min: -100, max: 400 });
  const x = linspace(0, 9, 10);
  const noise = seededNoise("covar_78281", 0.05);
  const y = x.map((v, i) => v * 1.34 - 4.5 + noise[i]);
  const result = await model.fit(y, params, { x, method: "nelder" });
  assertAlmostEqual(result.chisqr, 0.014625543, 6);
  assertAlmostEqual(result.params.get("intercept")!.value, -4.511087126, 6);
  assertAlmostEqual(result.params.get("slope")!.value, 1.339685514, 6);
});

void lineshapes;
