/**
 * `iterCb` returning true ends the fit with a result at any call, the first included (issue 12,
 * point 3), for every method: `aborted: true`, `success: false`, no error bars, parameters at
 * the best point seen.
 */
import assert from "node:assert/strict";
import { METHODS, minimize, Minimizer, Parameters } from "../../mod.ts";

const x = Float64Array.from({ length: 30 }, (_, i) => i / 10);
const y = x.map((v) => 3 * Math.exp(-v / 1.2) + 0.5);

function params(): Parameters {
  const p = new Parameters();
  p.add("amp", { value: 1, min: 0, max: 10 });
  p.add("tau", { value: 0.5, min: 0.1, max: 5 });
  return p;
}

const residual = (p: Parameters) => {
  const { amp, tau } = p.valuesdict();
  return x.map((v, i) => amp * Math.exp(-v / tau) + 0.5 - y[i]);
};

for (const method of METHODS) {
  Deno.test(`${method}: iterCb returning true at the first call ends the fit with a result`, async () => {
    let seen = 0;
    const r = await minimize(residual, params(), {
      method,
      iterCb: () => {
        seen++;
        return true;
      },
    });
    assert.equal(seen, 1);
    assert.equal(r.aborted, true);
    assert.equal(r.success, false);
    assert.equal(r.errorbars, false);
    assert.equal(r.nfev, 1);
    assert.equal(r.message, "Fit aborted by user callback.");
    // The start is the only (and best) point seen.
    assert.ok(Math.abs(r.params.get("amp")!.value - 1) < 1e-12);
    assert.ok(Math.abs(r.params.get("tau")!.value - 0.5) < 1e-12);
    assert.equal(r.chisqr, r.residual.reduce((s, v) => s + v * v, 0));
  });

  Deno.test(`${method}: iterCb returning true at call 6 ends the fit at the best point seen`, async () => {
    let best = Infinity;
    let bestAmp = NaN;
    const r = await minimize(residual, params(), {
      method,
      iterCb: (p, iter, resid) => {
        const chi = Array.from(resid as ArrayLike<number>).reduce((s, v) => s + v * v, 0);
        if (chi < best) [best, bestAmp] = [chi, p.get("amp")!.value];
        return iter >= 6;
      },
    });
    assert.equal(r.aborted, true);
    assert.equal(r.success, false);
    assert.equal(r.nfev, 6);
    assert.ok(
      Math.abs(r.chisqr - best) <= 1e-12 * Math.max(1, best),
      `${method}: ${r.chisqr} vs ${best}`,
    );
    assert.equal(r.params.get("amp")!.value, bestAmp);
  });
}

Deno.test("iterCb stops leastsq at the first call through the Minimizer too (no internal error escapes)", async () => {
  const fitter = new Minimizer(residual, params(), { iterCb: () => true });
  const r = await fitter.leastsq();
  assert.equal(r.aborted, true);
  assert.equal(r.nfev, 1);
});
