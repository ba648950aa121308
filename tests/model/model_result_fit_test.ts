/**
 * `ModelResult.fit` (lmfit's refit in place) and `Model.dumps`/`loads`. lmfit 1.1.0's behaviour,
 * printed by /usr/bin/python3 on this problem: the first fit gives center 0.3000008068239111; a
 * refit with nelder starts there (its init_value); a leastsq refit on 2·y gives amplitude
 * 10.026532150675438.
 */
import assert from "node:assert/strict";
import { GaussianModel, LinearModel, loadModel, Model, saveModel } from "../../mod.ts";

const x = Float64Array.from({ length: 81 }, (_, i) => -4 + i / 10);
// A small ripple: on exact data chi-square is 1e-31 at the start of a refit, where Nelder-Mead's
// relative fatol cannot be met (it then runs to maxNfev).
const y = x.map((v) => 2 * Math.exp(-((v - 0.3) ** 2) / 2) + 0.01 * Math.cos(7 * v));

async function firstFit() {
  const model = new GaussianModel();
  const result = await model.fit(y, model.makeParams({ amplitude: 4, center: 0, sigma: 1.5 }), {
    x,
  });
  return { model, result };
}

Deno.test("ModelResult.fit refits in place with another method, from the previous solution", async () => {
  const { result } = await firstFit();
  const before = result.params;
  const same = await result.fit({ method: "nelder" });
  assert.equal(same, result); // in place
  assert.equal(result.method, "nelder");
  assert.notEqual(result.params, before);
  const center = 0.3000008068239111; // lmfit's first fit, where its nelder refit starts
  assert.ok(Math.abs(result.params.get("center")!.initValue! - center) < 1e-9);
  assert.ok(Math.abs(result.params.get("center")!.value - center) < 1e-4);
  assert.ok(result.fun !== undefined); // nelder's scipy field
  assert.ok(result.errorbars); // the Hessian step ran
  // Back to leastsq: the nelder-only fields go, the statistics are leastsq's.
  await result.fit({ method: "leastsq" });
  assert.equal(result.method, "leastsq");
  assert.equal(result.fun, undefined);
  assert.equal(result.uncertaintyMethod, "jacobian");
});

Deno.test("ModelResult.fit takes new data, weights and start parameters; the rest is kept", async () => {
  const { model, result } = await firstFit();
  await result.confInterval({ sigmas: [1] });
  assert.ok(result.ciOut);
  await result.fit({ data: y.map((v) => 2 * v) });
  assert.equal(result.ciOut, null); // cleared, as lmfit's ci_out
  assert.ok(Math.abs(result.params.get("amplitude")!.value - 10.026532150675438) < 1e-6);
  assert.equal(result.data[40], 2 * y[40]);
  assert.equal(result.bestFit.length, x.length);
  assert.deepEqual([...result.userVars.x], [...x]);
  // New start values: the fit starts there (init = 2 for center).
  await result.fit({ params: model.makeParams({ amplitude: 1, center: 2, sigma: 0.5 }) });
  assert.equal(result.params.get("center")!.initValue, 2);
  assert.equal(result.initParams.get("center")!.value, 2);
  // Weights apply to the new fit: the same optimum, chi-square 3² times the unweighted one.
  const unweighted = result.chisqr;
  await result.fit({ weights: new Float64Array(x.length).fill(3) });
  assert.equal(result.weights![0], 3);
  assert.ok(Math.abs(result.chisqr / unweighted - 9) < 1e-6, `${result.chisqr} ${unweighted}`);
  // An unknown option is rejected by name, as by model.fit.
  await assert.rejects(() => result.fit({ methd: "nelder" }), /methd/);
});

Deno.test("ModelResult.fit keeps the Minimizer's options of the first fit (calcCovar, maxNfev)", async () => {
  const model = new GaussianModel();
  const result = await model.fit(y, model.makeParams({ amplitude: 4, center: 0, sigma: 1.5 }), {
    x,
    maxNfev: 3000,
    calcCovar: false,
  });
  await result.fit({ method: "nelder" });
  assert.equal(result.maxNfev, 3000);
  assert.equal(result.errorbars, false);
  assert.ok(result.uncertaintyMethod.includes("calcCovar is false"));
  await result.fit({ method: "nelder", calcCovar: true });
  assert.ok(result.errorbars);
});

Deno.test("Model.dumps is saveModel's text and Model.loads reads it and Python lmfit's files", () => {
  const model = new GaussianModel({ prefix: "g_" }).add(new LinearModel({ prefix: "l_" }));
  const json = model.dumps();
  assert.equal(json, saveModel(model));
  const back = model.loads(json);
  assert.notEqual(back, model); // a new model; this one unchanged
  assert.equal(String(back), String(model));
  assert.deepEqual(back.paramNames, model.paramNames);
  // A composite saved by Python lmfit 1.1.0 (tests/testdata/lmfit_files/, save_model = dumps).
  const py = Deno.readTextFileSync(
    new URL("../testdata/lmfit_files/model_composite.json", import.meta.url),
  );
  const loaded = new GaussianModel().loads(py);
  assert.equal(String(loaded), String(loadModel(py)));
  assert.deepEqual(loaded.paramNames, loadModel(py).paramNames);
  // A function model needs its function by name, as lmfit's funcdefs.
  const decay = (t: Float64Array, p: Record<string, number>) =>
    t.map((v) => p.amp * Math.exp(-v / p.tau));
  const fm = new Model(decay, { paramNames: ["amp", "tau"] });
  assert.throws(() => fm.loads(fm.dumps()), /decay/);
  assert.equal(
    fm.loads(fm.dumps(), { functions: { decay } }).eval({ amp: 2, tau: 1 }, { x: [0] })[0],
    2,
  );
});
