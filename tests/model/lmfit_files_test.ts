// Files shared with Python lmfit 1.1.0 (issue 12, point 9). tests/testdata/lmfit_files/ was
// written by Python lmfit (scripts/gen_lmfit_files_fixture.py) and must load here with the same
// numbers; tests/testdata/lmfit_ts_files/ was written by lmfit-ts
// (scripts/make_lmfit_ts_files.ts) and loads in Python lmfit (scripts/check_lmfit_ts_files.py,
// run by hand: the tests never run Python). The last test pins our writer to those files.
import assert from "node:assert/strict";
import { confInterval, loadModel, loadModelResult, Parameters, saveModel } from "../../mod.ts";
import { lmfitTsFiles } from "../../scripts/make_lmfit_ts_files.ts";

const PY = new URL("../testdata/lmfit_files/", import.meta.url);
const TS = new URL("../testdata/lmfit_ts_files/", import.meta.url);
const read = (dir: URL, name: string) => Deno.readTextFileSync(new URL(name, dir));
const expected = JSON.parse(read(PY, "expected.json"));

function assertClose(
  actual: ArrayLike<number>,
  want: ArrayLike<number>,
  rtol: number,
  what: string,
) {
  assert.equal(actual.length, want.length, what);
  for (let i = 0; i < want.length; i++) {
    const tol = rtol * Math.max(Math.abs(want[i]), 1e-300) + 1e-300;
    assert.ok(Math.abs(actual[i] - want[i]) <= tol, `${what}[${i}]: ${actual[i]} vs ${want[i]}`);
  }
}

Deno.test("models saved by Python lmfit load as built-ins, expressions and composites", () => {
  const x = expected.model_gaussian.x;
  const g = loadModel(read(PY, "model_gaussian.json"));
  assert.equal(g.name, "Model(gaussian, prefix='g_')");
  assert.deepEqual(g.paramNames, ["g_amplitude", "g_center", "g_sigma"]);
  assertClose(
    g.eval(expected.model_gaussian.values, { x }),
    expected.model_gaussian.eval,
    1e-14,
    "gaussian",
  );
  const sigma = g.makeParams().get("g_sigma")!;
  assert.deepEqual([sigma.min, sigma.max], expected.model_gaussian.hint_sigma);
  assert.equal(g.makeParams().get("g_fwhm")!.expr, "2.3548200*g_sigma");
  // A file from lmfit is a built-in again here: guess() works.
  assert.equal(typeof g.guess, "function");
  assert.ok(g.guess(g.eval(expected.model_gaussian.values, { x }), { x }).has("g_center"));

  const e = loadModel(read(PY, "model_expression.json"));
  assert.deepEqual(e.paramNames, expected.model_expression.param_names);
  assertClose(
    e.eval(expected.model_expression.values, { x }),
    expected.model_expression.eval,
    1e-14,
    "expression",
  );

  const c = loadModel(read(PY, "model_composite.json"));
  assert.equal(
    c.name,
    "(Model(gaussian, prefix='p1_') + (Model(lorentzian, prefix='p2_') * Model(linear, prefix='bg_')))",
  );
  assert.deepEqual(c.paramNames, expected.model_composite.param_names);
  assertClose(
    c.eval(expected.model_composite.values, { x }),
    expected.model_composite.eval,
    1e-14,
    "composite",
  );
});

Deno.test("a ModelResult saved by Python lmfit loads with its values, statistics and curves", async () => {
  const e = expected.modelresult;
  const r = loadModelResult(read(PY, "modelresult.json"));
  assert.deepEqual(
    r.bestValues,
    Object.fromEntries(r.model.paramNames.map((n) => [n, e.values[n]])),
  );
  for (const k of ["chisqr", "redchi", "aic", "bic", "nfev", "ndata", "nvarys"]) {
    assert.equal((r as unknown as Record<string, number>)[k], e[k], k);
  }
  assert.equal(r.success, true);
  for (const [k, v] of Object.entries(e.stderr) as [string, number][]) {
    assert.equal(r.params.get(k)!.stderr, v, k);
  }
  assertClose(r.bestFit, e.best_fit, 1e-13, "best fit");
  assertClose(r.data, e.data, 0, "data");
  assert.equal(r.initParams.get("g_amplitude")!.value, 4, "start values from init_values");
  assert.equal(r.covar!.length, 5);
  // The loaded result is a working one: confidence intervals from its minimizer.
  const ci = await confInterval(r.minimizer, r, { pNames: ["g_center"], sigmas: [1] });
  const [lo, , hi] = ci.ci.g_center;
  assert.ok(lo[1] < e.values.g_center && e.values.g_center < hi[1]);
});

Deno.test("lmfit-ts writes Parameters and models in Python lmfit's layout (the files Python loads)", async () => {
  const files = await lmfitTsFiles();
  for (
    const name of [
      "params.json",
      "model_gaussian.json",
      "model_step.json",
      "model_expression.json",
      "model_composite.json",
      "model_composite_hints.json",
    ]
  ) {
    assert.equal(
      files[name],
      read(TS, name),
      `${name} differs from the file Python lmfit was checked on`,
    );
  }
  const mine = JSON.parse(files["expected.json"]);
  const theirs = JSON.parse(read(TS, "expected.json"));
  assertClose(
    Object.values(mine.modelresult.values),
    Object.values(theirs.modelresult.values),
    1e-8,
    "fit",
  );
  // And they come back here.
  const p = new Parameters().loads(files["params.json"]);
  assert.equal(p.get("half")!.value, 10.25);
  const m = loadModel(files["model_composite.json"]);
  assert.equal(saveModel(m), files["model_composite.json"]);
  const r = loadModelResult(files["modelresult.json"]);
  assert.equal(r.chisqr, mine.modelresult.chisqr);
});
