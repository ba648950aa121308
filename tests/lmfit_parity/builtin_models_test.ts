// Mirrors lmfit 1.1.0 tests/test_builtin_models.py. scipy's fsolve for the half-maximum points
// is brentRoot on a bracket around each side of the peak here. Left out: the ComplexConstantModel
// part of test_guess_modelparams (no complex numbers in lmfit-ts).
import * as M from "../../mod.ts";
import { type BaseModel, brentRoot, lineshapes, type Parameters } from "../../mod.ts";
import {
  assert,
  assertAllclose,
  assertParamsEqual,
  assertRaises,
  linspace,
  type Loose,
  parityTest,
  peakData,
  seededNoise,
} from "./_parity.ts";

const F = "test_builtin_models";

async function checkHeightFwhm(x: Float64Array, y: Float64Array, lineshape: string, model: Loose) {
  const pars = model.guess(y, { x });
  const out = await model.fit(y, pars, { x });
  const mu = out.params.get("center").value;
  const cen = lineshape === "lognormal"
    ? Math.exp(mu - out.params.get("sigma").value ** 2)
    : lineshape === "pearson4"
    ? out.params.get("position").value
    : mu;
  const spec = lineshapes.LINESHAPES[lineshape];
  const f = (v: number): number => {
    const args = spec.paramNames.map((k) => out.bestValues[k]);
    return (spec.fn as Loose)(Float64Array.of(v), ...args)[0];
  };
  if (out.params.has("height")) {
    const heightPro = out.params.get("height").value;
    const heightAct = f(cen);
    assert.ok(
      Math.abs(heightAct - heightPro) < 0.001,
      `${lineshape} height ${heightAct} vs ${heightPro}`,
    );
    if (out.params.has("fwhm")) {
      const fwhmPro = out.params.get("fwhm").value;
      const g = (v: number) => f(v) - 0.5 * heightAct;
      const left = brentRoot(g, cen - 5 * fwhmPro, cen).root;
      const right = brentRoot(g, cen, cen + 5 * fwhmPro).root;
      const fwhmAct = right - left;
      assert.ok(Math.abs(fwhmAct - fwhmPro) < 0.5, `${lineshape} fwhm ${fwhmAct} vs ${fwhmPro}`);
    }
  }
}

parityTest(F, "test_height_fwhm_calculation", async () => {
  const [x, y] = peakData();
  const cases: [string, BaseModel][] = [
    ["voigt", new M.VoigtModel()],
    ["pvoigt", new M.PseudoVoigtModel()],
    ["pearson4", new M.Pearson4Model()],
    ["pearson7", new M.Pearson7Model()],
    ["moffat", new M.MoffatModel()],
    ["students_t", new M.StudentsTModel()],
    ["breit_wigner", new M.BreitWignerModel()],
    ["damped_oscillator", new M.DampedOscillatorModel()],
    ["dho", new M.DampedHarmonicOscillatorModel()],
    ["expgaussian", new M.ExponentialGaussianModel()],
    ["skewed_gaussian", new M.SkewedGaussianModel()],
    ["doniach", new M.DoniachModel()],
  ];
  for (const [name, model] of cases) await checkHeightFwhm(x, y, name, model);
});

parityTest(F, "test_height_and_fwhm_expression_evalution_in_builtin_models", () => {
  const check = (mod: Loose, values: Record<string, unknown>) => {
    const params: Parameters = mod.makeParams(values);
    params.updateConstraints();
    for (const p of params.values()) void p.value;
  };
  check(new M.GaussianModel(), { amplitude: 1.0, center: 0.0, sigma: 0.9 });
  check(new M.LorentzianModel(), { amplitude: 1.0, center: 0.0, sigma: 0.9 });
  check(new M.SplitLorentzianModel(), { amplitude: 1.0, center: 0.0, sigma: 0.9, sigma_r: 1.0 });
  check(new M.VoigtModel(), { amplitude: 1.0, center: 0.0, sigma: 0.9, gamma: 1.0 });
  check(new M.PseudoVoigtModel(), { amplitude: 1.0, center: 0.0, sigma: 0.9, fraction: 0.5 });
  check(new M.MoffatModel(), { amplitude: 1.0, center: 0.0, sigma: 0.9, beta: 0.0 });
  check(new M.Pearson4Model(), { amplitude: 1.0, center: 0.0, sigma: 0.9, expon: 1.0, skew: 5.0 });
  check(new M.Pearson7Model(), { amplitude: 1.0, center: 0.0, sigma: 0.9, expon: 1.0 });
  check(new M.StudentsTModel(), { amplitude: 1.0, center: 0.0, sigma: 0.9 });
  check(new M.BreitWignerModel(), { amplitude: 1.0, center: 0.0, sigma: 0.9, q: 0.0 });
  check(new M.LognormalModel(), { amplitude: 1.0, center: 0.0, sigma: 0.9 });
  check(new M.DampedOscillatorModel(), { amplitude: 1.0, center: 0.0, sigma: 0.9 });
  check(new M.DampedHarmonicOscillatorModel(), {
    amplitude: 1.0,
    center: 0.0,
    sigma: 0.9,
    gamma: 0.0,
  });
  check(new M.ExponentialGaussianModel(), { amplitude: 1.0, center: 0.0, sigma: 0.9, gamma: 0.0 });
  check(new M.SkewedGaussianModel(), { amplitude: 1.0, center: 0.0, sigma: 0.9, gamma: 0.0 });
  check(new M.SkewedVoigtModel(), {
    amplitude: 1.0,
    center: 0.0,
    sigma: 0.9,
    gamma: 0.0,
    skew: 0.0,
  });
  check(new M.DoniachModel(), { amplitude: 1.0, center: 0.0, sigma: 0.9, gamma: 0.0 });
  for (const form of ["linear", "arctan", "erf", "logistic"] as const) {
    check(new M.StepModel({ form } as Loose), { amplitude: 1.0, center: 0.0, sigma: 0.9 });
    check(new M.RectangleModel({ form } as Loose), {
      amplitude: 1.0,
      center1: 0.0,
      sigma1: 0.0,
      center2: 0.0,
      sigma2: 0.0,
    });
  }
  check(new M.Gaussian2dModel(), {
    amplitude: 1.0,
    centerx: 0.0,
    sigmax: 0.9,
    centery: 0.0,
    sigmay: 0.9,
  });
});

parityTest(F, "test_guess_modelparams", () => {
  const x = linspace(-10, 10, 501);
  let pars = new M.ConstantModel().guess(x.map((v) => 6.0 + v * 0.005), { x });
  assertAllclose(pars.get("c")!.value, 6.0, { rtol: 0.01 });
  pars = new M.QuadraticModel({ prefix: "g_" }).guess(
    x.map((v) => -0.2 + 3.0 * v + 0.005 * v * v),
    { x },
  );
  assertAllclose(pars.get("g_a")!.value, 0.005, { rtol: 0.01 });
  assertAllclose(pars.get("g_b")!.value, 3.0, { rtol: 0.01 });
  assertAllclose(pars.get("g_c")!.value, -0.2, { rtol: 0.01 });
  pars = new M.PolynomialModel(4, { prefix: "g_" }).guess(
    x.map((v) => -0.2 + 3.0 * v + 0.005 * v ** 2 - 3.3e-6 * v ** 3 + 1e-9 * v ** 4),
    { x },
  );
  assertAllclose(pars.get("g_c0")!.value, -0.2, { rtol: 0.01 });
  assertAllclose(pars.get("g_c1")!.value, 3.0, { rtol: 0.01 });
  assertAllclose(pars.get("g_c2")!.value, 0.005, { rtol: 0.1 });
  assertAllclose(pars.get("g_c3")!.value, -3.3e-6, { rtol: 0.1 });
  assertAllclose(pars.get("g_c4")!.value, 1e-9, { rtol: 0.1 });
  const noise = seededNoise("builtin_guess", 0.004);
  const y = lineshapes.gaussian(x, 2.2, 0.25, 1.3).map((v, i) => v + noise[i]);
  const loose3 = (p: Parameters, pre: string, extra: string[] = []) => {
    assertAllclose(p.get(`${pre}amplitude`)!.value, 3, { rtol: 2 });
    assertAllclose(p.get(`${pre}center`)!.value, 0.25, { rtol: 1 });
    assertAllclose(p.get(`${pre}sigma`)!.value, 1.3, { rtol: 1 });
    for (const e of extra) assertAllclose(p.get(`${pre}${e}`)!.value, 1.3, { rtol: 1 });
  };
  loose3(new M.GaussianModel({ prefix: "g_" }).guess(y, { x }), "g_");
  loose3(new M.LorentzianModel({ prefix: "l_" }).guess(y, { x }), "l_");
  loose3(new M.Pearson4Model({ prefix: "g_" }).guess(y, { x }), "g_");
  loose3(new M.SplitLorentzianModel({ prefix: "s_" }).guess(y, { x }), "s_", ["sigma_r"]);
  loose3(new M.VoigtModel({ prefix: "l_" }).guess(y, { x }), "l_");
  loose3(new M.SkewedVoigtModel({ prefix: "l_" }).guess(y, { x }), "l_");
});

parityTest(F, "test_splitlorentzian_prefix", () => {
  const par1 = new M.SplitLorentzianModel().makeParams({
    amplitude: 1.0,
    center: 0.0,
    sigma: 0.9,
    sigma_r: 1.3,
  });
  par1.updateConstraints();
  const par2 = new M.SplitLorentzianModel({ prefix: "prefix_" }).makeParams({
    prefix_amplitude: 1.0,
    prefix_center: 0.0,
    prefix_sigma: 0.9,
    prefix_sigma_r: 1.3,
  });
  par2.updateConstraints();
});

parityTest(F, "test_guess_from_peak", () => {
  const x = linspace(-5, 5, 50);
  const y = lineshapes.lorentzian(x, 0.8, 1.7, 0.3);
  const model = new M.LorentzianModel();
  const inc = model.guess(y, { x });
  const dec = model.guess(y.slice().reverse(), { x: x.slice().reverse() });
  assertParamsEqual(inc, dec);
  for (const [param, value] of [["amplitude", 0.8], ["center", 1.7], ["sigma", 0.3]] as const) {
    assert.ok(Math.abs((inc.get(param)!.value - value) / value) < 0.5, param);
  }
});

parityTest(F, "test_guess_from_peak2d", () => {
  const x = linspace(-5, 5, 50), y = linspace(-5, 5, 50);
  const z = lineshapes.gaussian2d(x, y, 0.8, 1.7, 1.3, 0.3, 0.2);
  const model = new M.Gaussian2dModel();
  const inc = model.guess(z, { x, y });
  const rev = (a: Float64Array) => a.slice().reverse();
  const dec = model.guess(rev(z), { x: rev(x), y: rev(y) });
  assertParamsEqual(inc, dec);
  for (const [param, value] of [["centerx", 1.7], ["centery", 1.3]] as const) {
    assert.ok(Math.abs((inc.get(param)!.value - value) / value) < 0.5, param);
  }
});

parityTest(F, "test_guess_requires_x", async () => {
  const x = Float64Array.from({ length: 100 }, (_, i) => i);
  const y = x.map((v) => Math.exp(-((v - 50) ** 2) / (2 * 10 ** 2)));
  await assertRaises(() => (new M.GaussianModel() as Loose).guess(y), /x/);
});
