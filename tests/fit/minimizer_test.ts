import assert from "node:assert/strict";
import { fitReport, minimize, Minimizer, type Parameters } from "../../mod.ts";
import { assertClose, loadFixture, paramsFrom } from "../_fixtures.ts";

const seed = loadFixture("seed_fits.json");
const x = Float64Array.from(seed.sine.x as number[]);
const data = Float64Array.from(seed.sine.data as number[]);

/** The manual's decaying sine residual, with its phase wrap, written as a user would. */
function residual(pars: Parameters, x: Float64Array, kws?: { data?: Float64Array }) {
  const amp = pars.get("amp")!.value;
  const per = pars.get("period")!.value;
  let shift = pars.get("shift")!.value;
  const decay = pars.get("decay")!.value;
  if (Math.abs(shift) > Math.PI / 2) shift -= Math.sign(shift) * Math.PI;
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const model = amp * Math.sin(shift + x[i] / per) * Math.exp(-x[i] * x[i] * decay * decay);
    out[i] = kws?.data ? model - kws.data[i] : model;
  }
  return out;
}

function checkAgainstLmfit(caseName: string, result: Awaited<ReturnType<typeof minimize>>) {
  const ref = seed[caseName].fits.tight;
  for (const [name, v] of Object.entries(ref.values as Record<string, number>)) {
    assertClose(result.params.get(name)!.value, v, 1e-6, `${caseName} ${name} value`, 1e-12);
    const se = ref.stderr[name] as number | null;
    if (se !== null && se > 0) {
      assertClose(result.params.get(name)!.stderr!, se, 1e-3, `${caseName} ${name} stderr`);
    }
  }
  assertClose(result.chisqr, ref.chisqr, 1e-9, `${caseName} chisqr`);
  assertClose(result.redchi, ref.redchi, 1e-9, `${caseName} redchi`);
  assertClose(result.aic, ref.aic, 1e-9, `${caseName} aic`);
  assertClose(result.bic, ref.bic, 1e-9, `${caseName} bic`);
  assert.equal(result.ndata, ref.ndata);
  assert.equal(result.nvarys, ref.nvarys);
  assert.equal(result.nfree, ref.ndata - ref.nvarys);
}

Deno.test("the manual's decaying sine fit matches lmfit's values, stderr and statistics", async () => {
  const params = paramsFrom(seed.sine.params);
  const result = await minimize(residual, params, { args: [x], kws: { data } });
  assert.equal(result.success, true, result.message);
  assert.equal(result.method, "leastsq");
  assert.equal(result.errorbars, true);
  checkAgainstLmfit("sine", result);
  // Correlations as the manual reports them.
  assertClose(
    result.params.get("period")!.correl!.shift,
    seed.sine.fits.tight.correl.period.shift,
    1e-3,
    "C(period, shift)",
  );
  assertClose(
    result.params.get("amp")!.correl!.decay,
    seed.sine.fits.tight.correl.amp.decay,
    1e-3,
    "C(amp, decay)",
  );
  // The input params are not mutated; result.params is the fitted copy.
  assert.equal(params.get("amp")!.value, 13);
  assert.equal(params.get("amp")!.stderr, null);
  assert.equal(result.params.get("amp")!.initValue, 13);
  assert.deepEqual(result.varNames, ["amp", "period", "shift", "decay"]);
  assert.deepEqual(result.initVals, [13, 2, 0, 0.02]);
  assert.equal(result.covar!.length, 4);
  assert.equal(result.residual.length, 2500);
});

Deno.test("bounded and constrained forms match lmfit, with propagated stderr on expr params", async () => {
  const params = paramsFrom(seed.sine_bounded.params);
  const result = await minimize(residual, params, { args: [x], kws: { data } });
  assert.equal(result.success, true, result.message);
  checkAgainstLmfit("sine_bounded", result);
  // half_amp = amp/2 and freq = 1/(2 pi period): linear propagation through the expressions.
  const ref = seed.sine_bounded.fits.tight.stderr;
  assertClose(result.params.get("half_amp")!.stderr!, ref.half_amp, 1e-3, "half_amp stderr");
  assertClose(result.params.get("freq")!.stderr!, ref.freq, 1e-3, "freq stderr");
  const report = fitReport(result);
  // (lmfit's tight fit: 6.9743209918; the 9th digit follows the stopping point.)
  assert.match(report, /half_amp: +6\.97432\d* \+\/- 0\.0250\d+ \(0\.36%\) == 'amp \/ 2'/);
});

Deno.test("a fixed parameter stays at its value and is reported as fixed", async () => {
  const params = paramsFrom(seed.sine_fixed.params);
  const result = await minimize(residual, params, { args: [x], kws: { data } });
  assert.equal(result.success, true);
  checkAgainstLmfit("sine_fixed", result);
  assert.equal(result.params.get("amp")!.value, 14);
  assert.match(fitReport(result), /amp: +14 \(fixed\)/);
});

/** The manual's two-exponential problem: fixture, residual, and the lmfit start with bounds. */
function twoExponential() {
  const fx = loadFixture("two_exponential.json");
  const xx = Float64Array.from(fx.x as number[]);
  const yy = Float64Array.from(fx.y as number[]);
  const resid = (p: Parameters) => {
    const { a1, a2, t1, t2 } = p.valuesdict();
    return xx.map((v, i) => a1 * Math.exp(-v / t1) + a2 * Math.exp(-v / t2) - yy[i]);
  };
  const start = (variant: "unbounded" | "bounded") =>
    paramsFrom(
      Object.entries(fx.start as Record<string, number>).map(([n, v]) => {
        const b = fx[variant].bounds[n] ?? [null, null];
        return [n, v, true, b[0], b[1], null];
      }),
    );
  return { fx, resid, start };
}

Deno.test("the two-exponential example matches lmfit, unbounded and bounded", async () => {
  const { fx, resid, start } = twoExponential();
  for (const variant of ["unbounded", "bounded"] as const) {
    const params = start(variant);
    const result = await minimize(resid, params);
    assert.equal(result.success, true);
    assertClose(result.chisqr, fx.unbounded.chisqr, 1e-9, `${variant} chisqr`);
    for (const n of ["a1", "a2", "t1", "t2"]) {
      // The bounded lmfit reference stopped slightly short of the (interior) minimum, so both
      // variants are checked against the unbounded answer.
      assertClose(result.params.get(n)!.value, fx.unbounded.values[n], 1e-6, `${variant} ${n}`);
      assertClose(
        result.params.get(n)!.stderr!,
        fx.unbounded.stderr[n],
        1e-3,
        `${variant} ${n} stderr`,
      );
    }
  }
});

Deno.test("fit report has lmfit's layout", async () => {
  const params = paramsFrom(seed.sine.params);
  const result = await minimize(residual, params, { args: [x], kws: { data } });
  const lines = fitReport(result).split("\n");
  assert.equal(lines[0], "[[Fit Statistics]]");
  assert.equal(lines[1], "    # fitting method   = leastsq");
  assert.match(lines[2], /^ {4}# function evals {3}= \d+$/);
  assert.equal(lines[3], "    # data points      = 2500");
  assert.equal(lines[4], "    # variables        = 4");
  assert.equal(lines[5], "    chi-square         = 1328.04291");
  assert.equal(lines[6], "    reduced chi-square = 0.53206847");
  assert.equal(lines[7], "    Akaike info crit   = -1573.46092");
  assert.equal(lines[8], "    Bayesian info crit = -1550.16473");
  assert.equal(lines[9], "[[Variables]]");
  // lmfit takes the covariance from the last iteration's Jacobian, we from the solution's:
  // the standard errors agree to ~1e-7 relative, so the 7th significant digit may differ.
  assert.match(
    lines[10],
    /^ {4}amp: {5}13\.9486420 \+\/- 0\.0500667[45] \(0\.36%\) \(init = 13\)$/,
  );
  assert.equal(lines[13], "    decay:   0.00992382 +/- 4.1255e-05 (0.42%) (init = 0.02)");
  assert.equal(lines[14], "[[Correlations]] (unreported correlations are < 0.100)");
  assert.equal(lines[15], "    C(period, shift) = 0.800");
  assert.equal(lines[16], "    C(amp, decay)    = 0.576");
});

Deno.test("iterCb returning true aborts with the best values so far", async () => {
  const params = paramsFrom(seed.sine.params);
  let calls = 0;
  const result = await minimize(residual, params, {
    args: [x],
    kws: { data },
    iterCb: (_p, iter) => {
      calls++;
      return iter >= 10;
    },
  });
  assert.equal(result.aborted, true);
  assert.equal(result.success, false);
  assert.equal(calls, 10);
  assert.ok(Number.isFinite(result.chisqr));
  assert.match(result.message, /aborted/i);
});

Deno.test("nanPolicy: raise names the index and the parameter values; omit and propagate fit", async () => {
  const xs = Float64Array.from({ length: 20 }, (_, i) => i);
  const ys = xs.map((v) => 2 * v + 1);
  const f = (p: Parameters) => {
    const { a, b } = p.valuesdict();
    return xs.map((v, i) => (i === 5 ? NaN : a * v + b - ys[i]));
  };
  const params = paramsFrom([["a", 1, true, null, null, null], ["b", 0, true, null, null, null]]);
  await assert.rejects(() => minimize(f, params), /residual\[5\].*a=1, b=0.*nanPolicy/);
  const omit = await minimize(f, params, { nanPolicy: "omit" });
  assert.equal(omit.success, true);
  assertClose(omit.params.get("a")!.value, 2, 1e-8, "a");
  assert.equal(omit.ndata, 19);
  const prop = await minimize(f, params, { nanPolicy: "propagate" });
  assert.equal(prop.success, false, "a NaN residual everywhere cannot be fitted");
});

Deno.test("bad input gets clear errors", async () => {
  const one = paramsFrom([["a", 1, true, null, null, null], ["b", 1, true, null, null, null]]);
  await assert.rejects(() => minimize(() => [1], one), /1 residual but 2 parameters vary/);
  const fixed = paramsFrom([["a", 1, false, null, null, null]]);
  await assert.rejects(() => minimize(() => [1, 2], fixed), /no parameter is varied/);
  let n = 3;
  await assert.rejects(
    () => minimize(() => new Float64Array(n++), one),
    /residual length must not change/,
  );
  await assert.rejects(
    () =>
      minimize(() => {
        throw new Error("model blew up");
      }, one),
    /objective function threw at parameter values a=1, b=1: model blew up/,
  );
  await assert.rejects(
    () => minimize(() => [1, 2, 3], one, { method: "bogus" }),
    /unknown fitting method 'bogus'/,
  );
});

Deno.test("maxNfev ends the fit honestly: success false and a message", async () => {
  const params = paramsFrom(seed.sine.params);
  const result = await minimize(residual, params, { args: [x], kws: { data }, maxNfev: 15 });
  assert.equal(result.success, false);
  assert.ok(result.nfev <= 15, `nfev ${result.nfev}`);
  assert.match(result.message, /function evaluations|maxfev|maximum/i);
});

Deno.test("scaleCovar: false leaves the covariance unscaled by reduced chi-square", async () => {
  const params = paramsFrom(seed.sine.params);
  const scaled = await minimize(residual, params, { args: [x], kws: { data } });
  const raw = await minimize(residual, params, { args: [x], kws: { data }, scaleCovar: false });
  const ratio = scaled.covar![0][0] / raw.covar![0][0];
  assertClose(ratio, scaled.redchi, 1e-6, "covariance ratio");
});

Deno.test("a user Jacobian (Dfun) gives the same answer in fewer evaluations", async () => {
  const xs = Float64Array.from({ length: 50 }, (_, i) => i / 5);
  const ys = xs.map((v) => 3 * Math.exp(-v / 2.5));
  const f = (p: Parameters) => {
    const { a, t } = p.valuesdict();
    return xs.map((v, i) => a * Math.exp(-v / t) - ys[i]);
  };
  const dfun = (p: Parameters) => {
    const { a, t } = p.valuesdict();
    return Array.from(xs, (v) => [Math.exp(-v / t), a * Math.exp(-v / t) * v / (t * t)]);
  };
  const params = paramsFrom([["a", 1, true, 0, null, null], ["t", 1, true, null, null, null]]);
  const fd = await minimize(f, params);
  const an = await new Minimizer(f, params).leastsq({ Dfun: dfun });
  assertClose(an.params.get("a")!.value, 3, 1e-8, "a");
  assertClose(an.params.get("t")!.value, 2.5, 1e-8, "t");
  assertClose(fd.params.get("t")!.value, 2.5, 1e-7, "t fd");
  assert.ok(an.nfev < fd.nfev, `analytic ${an.nfev} < fd ${fd.nfev}`);
});

Deno.test("with lmfit's tolerances and polish: false, leastsq takes lmfit's steps", async () => {
  // scripts/gen_two_exponential.py ran lmfit with ftol = xtol = 1e-12. Our count is MINPACK's:
  // the residual-length probe is the solver's first evaluation, and the fit ends within 1e-6 of
  // the point of the last Jacobian, which is reused for the covariance (a fresh one: n more).
  const { fx, resid, start } = twoExponential();
  for (const variant of ["unbounded", "bounded"] as const) {
    const ref = fx[variant];
    const params = start(variant);
    const lmfitLike = await minimize(resid, params, { ftol: 1e-12, xtol: 1e-12, polish: false });
    const polished = await minimize(resid, params, { ftol: 1e-12, xtol: 1e-12 });
    if (variant === "unbounded") {
      assert.equal(lmfitLike.nfev, ref.nfev, `${variant} nfev`);
      assertClose(lmfitLike.chisqr, ref.chisqr, 1e-10, `${variant} chisqr`);
    } else {
      // With bounds we also re-centre on the sine transform's principal branch and finish from
      // there (lmfit does not), which ends below lmfit's stopping point.
      assert.ok(lmfitLike.chisqr <= ref.chisqr, `${variant} chisqr`);
    }
    assert.ok(polished.nfev > lmfitLike.nfev, `${variant}: polish costs evaluations`);
    assert.ok(polished.chisqr <= lmfitLike.chisqr, `${variant}: and does not lose`);
  }
});
