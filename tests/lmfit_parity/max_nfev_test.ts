// Mirrors lmfit 1.1.0 tests/test_max_nfev.py. lmfit's list spells 'basinopping', which lmfit
// 1.1.0 silently runs as Nelder-Mead; an unknown method name is an error here (deliberate), so
// that entry is mirrored with its typo and expected to throw.
import { GaussianModel, LinearModel, lineshapes, Minimizer, type Parameters } from "../../mod.ts";
import { assert, assertRaises, linspace, loose, parityTest, seededNoise } from "./_parity.ts";

const F = "test_max_nfev";
const nvarys = 5;
const methods = [
  "leastsq",
  "least_squares",
  "nelder",
  "brute",
  "ampgo",
  "basinopping",
  "differential_evolution",
  "shgo",
  "dual_annealing",
];

function modelGaussian() {
  const x = linspace(0, 20, 401);
  const noise = seededNoise("itercb", 0.23);
  const y = lineshapes.gaussian(x, 24.56, 7.6543, 1.23).map((v, i) =>
    v - (0.2 * x[i] + 3.333 + noise[i])
  );
  const mod = new GaussianModel({ prefix: "peak_" }).add(new LinearModel({ prefix: "bkg_" }));
  const pars = mod.makeParams({
    peak_amplitude: 21.0,
    peak_center: 7.0,
    peak_sigma: 2.0,
    bkg_intercept: 2,
    bkg_slope: 0.0,
  });
  pars.get("bkg_intercept")!.set({ min: 0, max: 10, bruteStep: 5.0 });
  pars.get("bkg_slope")!.set({ min: -5, max: 5, bruteStep: 5.0 });
  pars.get("peak_amplitude")!.set({ min: 20, max: 25, bruteStep: 2.5 });
  pars.get("peak_center")!.set({ min: 5, max: 10, bruteStep: 2.5 });
  pars.get("peak_sigma")!.set({ min: 0.5, max: 2, bruteStep: 0.5 });
  return { x, y, mod, pars };
}

function minimizerGaussian() {
  const { x, y, pars } = modelGaussian();
  const residual = (params: Parameters, x: Float64Array, y: Float64Array) => {
    const v = params.valuesdict();
    const g = lineshapes.gaussian(x, v.peak_amplitude, v.peak_center, v.peak_sigma);
    return x.map((xi, i) => y[i] - (g[i] + v.bkg_intercept + xi * v.bkg_slope));
  };
  return new Minimizer(residual, pars, { fcnArgs: [x, y] });
}

for (const method of methods) {
  parityTest(F, `test_max_nfev_Minimizer[${method}]`, async () => {
    const mini = minimizerGaussian();
    if (method === "basinopping") {
      await assertRaises(() => mini.minimize(method, { maxNfev: 10 }), /basinopping/);
      return;
    }
    const result = await mini.minimize(method, { maxNfev: 10 });
    assert.equal(loose(mini).maxNfev, 10);
    assert.ok(result.nfev < 15, `nfev ${result.nfev}`);
    assert.ok(result.aborted);
    assert.ok(!result.errorbars);
    assert.ok(!result.success);
  });
  parityTest(F, `test_max_nfev_Model[${method}]`, async () => {
    const { x, y, mod, pars } = modelGaussian();
    if (method === "basinopping") {
      await assertRaises(() => mod.fit(y, pars, { x, method, maxNfev: 10 }), /basinopping/);
      return;
    }
    const out = await mod.fit(y, pars, { x, method, maxNfev: 10 });
    assert.equal(loose(out).maxNfev, 10);
    assert.ok(out.nfev < 15, `nfev ${out.nfev}`);
    assert.ok(out.aborted);
    assert.ok(!out.errorbars);
    assert.ok(!out.success);
  });
}

const defaults: [string, number][] = [
  ["leastsq", 2000 * (nvarys + 1)],
  ["least_squares", 2000 * (nvarys + 1)],
  ["nelder", 2000 * (nvarys + 1)],
  ["differential_evolution", 2000 * (nvarys + 1)],
  ["ampgo", 200000 * (nvarys + 1)],
  ["brute", 200000 * (nvarys + 1)],
  ["basinhopping", 200000 * (nvarys + 1)],
  ["shgo", 200000 * (nvarys + 1)],
  ["dual_annealing", 200000 * (nvarys + 1)],
];
for (const [method, defaultMaxNfev] of defaults) {
  parityTest(F, `test_default_max_nfev[${method}-${defaultMaxNfev}]`, async () => {
    const { x, y, mod, pars } = modelGaussian();
    // max_nfev=None: the default limit (lmfit's fixture data; a cheap fit is enough to read it)
    const result = await mod.fit(y, pars, { x, method, maxNfev: undefined });
    assert.equal(loose(result).maxNfev, defaultMaxNfev);
    const mini = minimizerGaussian();
    await mini.minimize(method, { maxNfev: undefined });
    assert.equal(loose(mini).maxNfev, defaultMaxNfev);
  });
}
