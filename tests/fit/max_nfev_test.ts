/**
 * `maxNfev` is a hard limit for every method (issue 12, point 2): given to the Minimizer, to one
 * `minimize` call or to `Model.fit`, no method evaluates the objective more often; reaching it
 * aborts the fit without error bars and without any uncertainty evaluation beyond it. The limit
 * in force is readable, with lmfit 1.1.0's defaults (tests/testdata/lmfit_parity_fields.json,
 * from scripts/make_lmfit_parity_fields.py).
 */
import { boundedLine } from "./_bounded_line.ts";
import assert from "node:assert/strict";
import { ExpressionModel, METHODS, minimize, Minimizer, type Parameters } from "../../mod.ts";
import { loadFixture } from "../_fixtures.ts";
import { decayParams as params } from "./_decay.ts";

const x = Float64Array.from({ length: 30 }, (_, i) => i / 10);
const y = x.map((v) => 3 * Math.exp(-v / 1.2) + 0.5 + 0.01 * Math.sin(13 * v));

/** The objective, counting every call (the Minimizer's own calls included). */
function counted() {
  let calls = 0;
  const fcn = (p: Parameters) => {
    calls++;
    const { amp, tau, off } = p.valuesdict();
    return x.map((v, i) => amp * Math.exp(-v / tau) + off - y[i]);
  };
  return { fcn, calls: () => calls };
}

for (const method of METHODS) {
  Deno.test(`${method}: maxNfev 10 is a hard limit, an abort without error bars`, async () => {
    const { fcn, calls } = counted();
    const r = await minimize(fcn, params(), { method, maxNfev: 10 });
    assert.ok(r.nfev <= 10, `${method}: nfev ${r.nfev} > 10`);
    assert.equal(r.maxNfev, 10);
    assert.equal(r.aborted, true, `${method}: ${r.message}`);
    assert.equal(r.success, false);
    assert.equal(r.errorbars, false);
    assert.match(r.message, /maxNfev = 10 function evaluations/);
    // Beyond the limit only the final residual at the returned point (not counted, as lmfit's):
    // no Jacobian or Hessian for the covariance.
    assert.ok(calls() <= 11, `${method}: ${calls()} calls of the objective`);
    for (const name of ["amp", "tau", "off"]) {
      assert.ok(Number.isFinite(r.params.get(name)!.value), `${method}: ${name} finite`);
      assert.equal(r.params.get(name)!.stderr, null);
    }
  });
}

Deno.test("maxNfev given to the Minimizer limits every method, and minimize(method, { maxNfev }) overrides it", async () => {
  const { fcn } = counted();
  const fitter = new Minimizer(fcn, params(), { maxNfev: 25 });
  assert.equal(fitter.maxNfev, 25);
  for (const method of ["nelder", "differential_evolution", "brute", "leastsq"]) {
    const r = await fitter.minimize(method);
    assert.ok(r.nfev <= 25, `${method}: nfev ${r.nfev}`);
    assert.equal(r.maxNfev, 25);
    assert.equal(r.aborted, true, method);
  }
  const once = await fitter.minimize("nelder", { maxNfev: 7 });
  assert.ok(once.nfev <= 7 && once.maxNfev === 7);
  assert.equal(fitter.maxNfev as number, 7);
});

Deno.test("maxNfev given to Model.fit is a hard limit for a scalar method too", async () => {
  const model = new ExpressionModel("amp * exp(-x / tau)");
  const p = model.makeParams({ amp: 1, tau: 0.5 });
  const r = await model.fit(y, p, { x, method: "nelder", maxNfev: 12 });
  assert.ok(r.nfev <= 12, `nfev ${r.nfev}`);
  assert.equal(r.aborted, true);
  assert.equal(r.errorbars, false);
});

Deno.test("the default limit is lmfit 1.1.0's: 2000·(nvarys+1) local, 200000·(nvarys+1) global and brute", async () => {
  const ref = loadFixture("lmfit_parity_fields.json").max_nfev as Record<string, number>;
  // lmfit's reference fit has two varied parameters; the same here.
  const { residual: fcn, params } = boundedLine();
  const p = params();
  for (const [method, expected] of Object.entries(ref)) {
    const fitter = new Minimizer(fcn, p);
    const opts: Record<string, unknown> = {
      basinhopping: { niter: 2 },
      ampgo: { totaliter: 1 },
      dual_annealing: { maxiter: 2 },
      brute: { Ns: 3 },
      differential_evolution: { seed: 1, maxiter: 2 },
      shgo: { n: 16 },
    }[method] ?? {};
    const r = await fitter.minimize(method, opts);
    assert.equal(r.maxNfev, expected, method);
    assert.equal(fitter.maxNfev, expected, method);
  }
  const emcee = await new Minimizer(fcn, p).minimize("emcee", { steps: 5, nwalkers: 8, seed: 1 });
  assert.equal(emcee.maxNfev, 200000 * 3); // lmfit's __residual fallback for emcee
});

Deno.test("a fit that converges within maxNfev is not aborted, and its Hessian is not limited by it", async () => {
  const { fcn } = counted();
  const loose = await minimize(fcn, params(), { method: "nelder" });
  assert.equal(loose.success, true, loose.message);
  // Just enough for the fit itself: the Hessian evaluations afterwards are neither limited nor
  // counted in nfev (lmfit restores nfev after its numdifftools Hessian).
  const r = await minimize(fcn, params(), { method: "nelder", maxNfev: loose.nfev });
  assert.equal(r.aborted, false, r.message);
  assert.equal(r.nfev, loose.nfev);
  assert.equal(r.errorbars, true);
});
