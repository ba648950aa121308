/**
 * Numbers as lmfit 1.1.0 gives them (issue 12 point 9; tests/testdata/nan_omit_lmfit.json from
 * scripts/nan_omit_fixture.py): nanPolicy "omit" leaves the omitted points out of the residual,
 * the statistics and the covariance; a fixed parameter's stderr is 0; `delyComps` is filled for
 * a one-component model.
 */
import assert from "node:assert/strict";
import { GaussianModel } from "../../mod.ts";
import { loadFixture } from "../_fixtures.ts";

const ref = loadFixture("nan_omit_lmfit.json");
const x = Float64Array.from(ref.x as number[]);
const y = Float64Array.from((ref.y as (number | null)[]).map((v) => v ?? NaN));
const close = (a: number, b: number, rel: number, what: string) =>
  assert.ok(Math.abs(a - b) <= rel * Math.abs(b), `${what}: ${a} vs ${b}`);

Deno.test("nanPolicy omit: omitted points leave the statistics and the covariance (lmfit)", async () => {
  const model = new GaussianModel();
  const params = model.makeParams({ amplitude: 5, center: 0, sigma: 1 });
  const r = await model.fit(y, params, { x, nanPolicy: "omit" });
  const s = ref.omit;
  assert.equal(r.ndata, s.ndata);
  assert.equal(r.nfree, s.nfree);
  assert.equal(r.residual.length, s.residual_len);
  close(r.chisqr, s.chisqr, 1e-9, "chisqr");
  close(r.aic, s.aic, 1e-9, "aic");
  for (const name of ["amplitude", "center", "sigma", "fwhm", "height"]) {
    const p = r.params.get(name)!;
    close(p.value, s.values[name], 1e-7, name);
    close(p.stderr!, s.stderr[name], 2e-5, `${name} stderr`);
  }
});

Deno.test("a fixed parameter gets stderr 0 and a one-component model gets delyComps (lmfit)", async () => {
  const model = new GaussianModel();
  const params = model.makeParams({ amplitude: 5, center: 0.3, sigma: 1 });
  params.get("center")!.vary = false;
  const r = await model.fit(y.map((v) => Number.isNaN(v) ? 0 : v), params, { x });
  assert.equal(r.params.get("center")!.stderr, 0);
  close(r.params.get("amplitude")!.stderr!, ref.fixed.stderr.amplitude, 1e-5, "amplitude");
  const dely = r.evalUncertainty({ sigma: 1 });
  assert.deepEqual(Object.keys(r.delyComps), Object.keys(ref.fixed_dely_comps));
  const comp = r.delyComps.gaussian;
  for (let i = 0; i < dely.length; i += 10) {
    close(dely[i], ref.fixed_dely[i], 1e-4, `dely[${i}]`);
    close(comp[i], ref.fixed_dely_comps.gaussian[i], 1e-4, `delyComps.gaussian[${i}]`);
  }
});
