import assert from "node:assert/strict";
import {
  ExpressionModel,
  GaussianModel,
  LinearModel,
  LorentzianModel,
  Model,
  modelFromSpec,
  readCsv,
} from "../../mod.ts";
import { plotFit } from "../../plot.ts";
import { assertClose, loadFixture } from "../_fixtures.ts";

const ref = loadFixture("composite.json");
const table = readCsv(
  Deno.readTextFileSync(new URL("../../examples/data/two_peaks.csv", import.meta.url)),
);
const x = table.data.x, y = table.data.y;

function twoPeakModel() {
  return new GaussianModel({ prefix: "g_" }).add(new LorentzianModel({ prefix: "l_" })).add(
    new LinearModel({ prefix: "b_" }),
  );
}

Deno.test("Gaussian + Lorentzian + linear matches lmfit: values 1e-5, stderr 2e-2, R² 1e-6", async () => {
  const model = twoPeakModel();
  const params = model.makeParams(ref.start);
  const result = await model.fit(y, params, { x });
  assert.equal(result.success, true, result.message);
  for (const [name, v] of Object.entries(ref.values as Record<string, number>)) {
    assertClose(result.params.get(name)!.value, v, 1e-5, name);
    assertClose(result.params.get(name)!.stderr!, ref.stderr[name], 2e-2, `${name} stderr`);
  }
  assertClose(result.rsquared!, ref.rsquared, 1e-6, "R²");
  assertClose(result.chisqr, ref.chisqr, 1e-7, "chisqr");
  assertClose(result.aic, ref.aic, 1e-7, "aic");
  assert.equal(result.ndata, ref.ndata);
  // The input parameters are untouched; derived parameters follow their expressions.
  assert.equal(params.get("g_center")!.value, ref.start.g_center);
  assertClose(
    result.params.get("g_fwhm")!.value,
    2.35482 * result.params.get("g_sigma")!.value,
    1e-6,
    "fwhm",
  );
  const report = result.fitReport();
  assert.equal(
    report.split("\n")[1],
    "    ((Model(gaussian, prefix='g_') + Model(lorentzian, prefix='l_')) + Model(linear, prefix='b_'))",
  );
  assert.match(report, /R-squared {10}= 0\.9921237/);
  assert.match(report, /g_fwhm: +2\.1155\d+ \+\/- 0\.0205\d+ \(0\.97%\) == '2\.3548200\*g_sigma'/);
});

Deno.test("components, best and initial fit, and the confidence band agree with lmfit", async () => {
  const model = twoPeakModel();
  const result = await model.fit(y, model.makeParams(ref.start), { x });
  const comps = result.evalComponents();
  assert.deepEqual(Object.keys(comps), ["g_", "l_", "b_"]);
  for (let i = 0; i < x.length; i++) {
    assertClose(
      comps.g_[i] + comps.l_[i] + comps.b_[i],
      result.bestFit[i],
      1e-12,
      `sum at ${i}`,
      1e-12,
    );
  }
  assert.equal(result.initFit.length, x.length);
  const band = result.evalUncertainty({ sigma: 2 });
  band.forEach((v, i) => assertClose(v, ref.dely2[i], 2e-2, `dely[${i}]`, 1e-6));
  assert.deepEqual(Object.keys(result.delyComps), ["g_", "l_", "b_"]);
});

Deno.test("ExpressionModel: parameters are the free names, Jacobian analytic, fit like lmfit", async () => {
  const model = new ExpressionModel("amp * exp(-(x - cen)**2 / (2 * sig**2)) + off");
  assert.deepEqual(model.paramNames, ["amp", "cen", "sig", "off"]);
  const xs = Float64Array.from({ length: 81 }, (_, i) => -4 + i / 10);
  const ys = model.eval({ amp: 2.5, cen: 0.4, sig: 0.8, off: 0.3 }, { x: xs });
  const result = await model.fit(ys, model.makeParams({ amp: 1, cen: 0, sig: 1, off: 0 }), {
    x: xs,
  });
  assertClose(result.params.get("cen")!.value, 0.4, 1e-9, "cen");
  assertClose(result.params.get("sig")!.value, 0.8, 1e-9, "sig");
  assert.ok(model.analyticJacobian() !== null);
  assert.ok(result.nfev < 30, `analytic Jacobian: ${result.nfev} evaluations`);
});

Deno.test("Model wraps a TypeScript function with named parameters and defaults", async () => {
  const decay = new Model((t, p) => t.map((v) => p.amp * Math.exp(-v / p.tau)), {
    paramNames: ["amp", "tau"],
    defaults: { amp: 1, tau: 1 },
    name: "decay",
  });
  assert.equal(decay.name, "Model(decay)");
  assert.equal(String(decay), "<lmfit.Model: Model(decay)>");
  const t = Float64Array.from({ length: 40 }, (_, i) => i / 4);
  const data = t.map((v) => 3 * Math.exp(-v / 2));
  const result = await decay.fit(data, decay.makeParams({ amp: 1, tau: 1 }), { x: t });
  assertClose(result.params.get("tau")!.value, 2, 1e-8, "tau");
  assert.throws(() => new Model((v) => v, {}), /paramNames/);
  assert.throws(
    () => decay.makeParams({ amplitude: 3 }),
    /unknown parameter 'amplitude'; this model has amp, tau/,
  );
  await assert.rejects(
    () => decay.fit(data, decay.makeParams(), {}),
    /missing independent variable 'x'/,
  );
  assert.throws(() => new GaussianModel().add(new GaussianModel()), /give them different prefixes/);
});

Deno.test("weights multiply the residual (model - data)", async () => {
  const model = new LinearModel();
  const xs = Float64Array.of(0, 1, 2, 3, 4);
  const ys = Float64Array.of(1, 3, 5, 7, 100); // last point is an outlier
  const w = Float64Array.of(1, 1, 1, 1, 0);
  const result = await model.fit(ys, model.makeParams({ slope: 1, intercept: 0 }), {
    x: xs,
    weights: w,
  });
  assertClose(result.params.get("slope")!.value, 2, 1e-10, "slope");
  assertClose(result.residual[1], 0, 0, "residual", 1e-9);
});

Deno.test("model specs build composites of built-ins or expression models", () => {
  const m = modelFromSpec("gaussian(prefix='g_') + linear(prefix='b_')");
  assert.deepEqual(m.paramNames, ["g_amplitude", "g_center", "g_sigma", "b_slope", "b_intercept"]);
  const e = modelFromSpec("a*exp(-x/tau) + c");
  assert.deepEqual(e.paramNames, ["a", "tau", "c"]);
  const s = modelFromSpec("step(form='erf', prefix='s_') * constant()");
  assert.deepEqual(s.paramNames, ["s_amplitude", "s_center", "s_sigma", "c"]);
});

Deno.test("plotFit draws data, fit, components and residuals as SVG", async () => {
  const model = twoPeakModel();
  const result = await model.fit(y, model.makeParams(ref.start), { x });
  const svg = await plotFit(result, { title: "two peaks" });
  assert.ok(svg.startsWith("<svg"));
  assert.match(svg, /two peaks/);
  assert.match(svg, /best fit/);
  assert.match(svg, /component g_/);
  assert.match(svg, /residual/);
});

Deno.test("paramHints as lmfit's param_hints: unprefixed keys, expressions follow the prefix", () => {
  const g = new GaussianModel({ prefix: "b" });
  assert.deepEqual(g.paramHints.fwhm, { expr: "2.3548200*bsigma" });
  g.prefix = "c";
  assert.deepEqual(g.paramHints.fwhm, { expr: "2.3548200*csigma" });
  assert.deepEqual(g.paramHints.sigma, { min: 0 });
  assert.deepEqual([...g.makeParams().keys()], [
    "camplitude",
    "ccenter",
    "csigma",
    "cfwhm",
    "cheight",
  ]);
  // a composite's own hints only; a prefixed name still reaches its component
  const sum = g.add(new GaussianModel({ prefix: "d" }));
  sum.setParamHint("ratio", { expr: "camplitude / damplitude" });
  sum.setParamHint("dsigma", { max: 3 });
  assert.deepEqual(sum.paramHints, { ratio: { expr: "camplitude / damplitude" } });
  assert.deepEqual(sum.components[1].paramHints.sigma, { min: 0, max: 3 });
  assert.equal(sum.makeParams().get("dsigma")!.max, 3);
});

Deno.test("makeParams refuses an unknown key in a parameter's settings", () => {
  assert.throws(
    () => new GaussianModel().makeParams({ center: { value: 1, mn: 0 } as never }),
    /makeParams: 'center': unknown option 'mn'; did you mean min\?/,
  );
});
