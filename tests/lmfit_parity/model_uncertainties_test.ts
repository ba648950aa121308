// Mirrors lmfit 1.1.0 tests/test_model_uncertainties.py.
import { ExponentialModel, GaussianModel, LinearModel, lineshapes } from "../../mod.ts";
import {
  assert,
  assertAllclose,
  columns,
  linspace,
  mean,
  parityTest,
  readTable,
  seededNoise,
} from "./_parity.ts";

const F = "test_model_uncertainties";

function getLinearModel(slope = 0.8, intercept = 0.5, noise = 1.5) {
  const x = linspace(0, 10, 101);
  const n = seededNoise("mu_88", noise);
  const y = x.map((v, i) => intercept + v * slope + n[i]);
  const model = new LinearModel();
  const params = model.makeParams({ intercept, slope });
  return { x, y, model, params };
}

function getGaussianModel(amplitude = 1.0, center = 5.0, sigma = 1.0, noise = 0.1) {
  const x = linspace(-20, 20, 201);
  const n = seededNoise("mu_7392", noise);
  const y = lineshapes.gaussian(x, amplitude, center, sigma).map((v, i) => v + n[i]);
  const model = new GaussianModel();
  const params = model.makeParams({
    amplitude: amplitude / 5.0,
    center: center - 1.0,
    sigma: sigma * 2.0,
  });
  return { x, y, model, params };
}

parityTest(F, "test_linear_constant_intercept", async () => {
  const { x, y, model, params } = getLinearModel(4, -10);
  params.get("intercept")!.vary = false;
  const ret = await model.fit(y, params, { x });
  const dely = ret.evalUncertainty({ sigma: 1 });
  const slopeStderr = ret.params.get("slope")!.stderr!;
  assertAllclose(Math.min(...dely), 0, { rtol: 1e-2 });
  assertAllclose(Math.max(...dely), slopeStderr * Math.max(...x), { rtol: 1e-2 });
  assertAllclose(mean(dely), slopeStderr * mean(x), { rtol: 1e-2 });
});

parityTest(F, "test_linear_constant_slope", async () => {
  const { x, y, model, params } = getLinearModel(-4, 2.3);
  params.get("slope")!.vary = false;
  const ret = await model.fit(y, params, { x });
  const dely = ret.evalUncertainty({ sigma: 1 });
  const interceptStderr = ret.params.get("intercept")!.stderr!;
  assertAllclose(Math.min(...dely), interceptStderr, { rtol: 1e-2 });
  assertAllclose(Math.max(...dely), interceptStderr, { rtol: 1e-2 });
});

parityTest(F, "test_gauss_sigmalevel", async () => {
  const { x, y, model, params } = getGaussianModel(50.0, 4.5, 0.78, 0.1);
  const ret = await model.fit(y, params, { x });
  const d1 = mean(ret.evalUncertainty({ sigma: 1 }));
  const d2 = mean(ret.evalUncertainty({ sigma: 2 }));
  const d3 = mean(ret.evalUncertainty({ sigma: 3 }));
  assert.ok(d3 > 1.5 * d2);
  assert.ok(d2 > 1.5 * d1);
});

parityTest(F, "test_gauss_noiselevel", async () => {
  const lonoise = 0.05, hinoise = 10 * lonoise;
  let g = getGaussianModel(20.0, 2.1, 1.0, lonoise);
  const ret1 = await g.model.fit(g.y, g.params, { x: g.x });
  const delyLo = ret1.evalUncertainty({ sigma: 1 });
  g = getGaussianModel(20.0, 2.1, 1.0, hinoise);
  const ret2 = await g.model.fit(g.y, g.params, { x: g.x });
  const delyHi = ret2.evalUncertainty({ sigma: 1 });
  assertAllclose(mean(delyHi), 10 * mean(delyLo), { rtol: 1e-2 });
});

parityTest(F, "test_component_uncertainties", async () => {
  const [y, x] = columns(readTable("NIST_Gauss2.dat").filter((r) => r.length === 2));
  const model = new GaussianModel({ prefix: "g1_" }).add(new GaussianModel({ prefix: "g2_" }))
    .add(new ExponentialModel({ prefix: "bkg_" }));
  const params = model.makeParams({
    bkg_amplitude: 100,
    bkg_decay: 80,
    g1_amplitude: 3000,
    g1_center: 100,
    g1_sigma: 10,
    g2_amplitude: 3000,
    g2_center: 150,
    g2_sigma: 10,
  });
  const result = await model.fit(y, params, { x });
  const comps = result.evalComponents(undefined, { x });
  const dely = result.evalUncertainty({ sigma: 3 });
  for (const k of ["g1_", "g2_", "bkg_"]) assert.ok(k in comps);
  assert.ok(mean(dely) > 0.8 && mean(dely) < 2.0);
  for (const k of ["g1_", "g2_", "bkg_"]) {
    const m = mean(result.delyComps[k]);
    assert.ok(m > 0.5 && m < 1.5, `${k}: ${m}`);
  }
});
