// Mirrors lmfit 1.1.0 tests/test_confidence.py.
import {
  confInterval,
  confInterval2d,
  copyVals,
  fCdf,
  fCompare,
  Minimizer,
  Parameters,
  restoreVals,
} from "../../mod.ts";
import {
  assert,
  assertAllclose,
  assertRaises,
  linspace,
  parityTest,
  seededNoise,
} from "./_parity.ts";

const F = "test_confidence";

function data(): [Float64Array, Float64Array] {
  const x = linspace(0.3, 10, 100);
  const noise = seededNoise("confidence", 0.1);
  return [x, x.map((v, i) => 1.0 / (0.1 * v) + 2.0 + noise[i])];
}

function pars(): Parameters {
  const p = new Parameters();
  p.addMany(["a", 0.1], ["b", 1]);
  return p;
}

const residual = (params: Parameters, x: Float64Array, data: Float64Array) => {
  const { a, b } = params.valuesdict();
  return x.map((v, i) => data[i] - (1.0 / (a * v) + b));
};

parityTest(F, "test_default_f_compare", async () => {
  const minimizer = new Minimizer(residual, pars(), { fcnArgs: data() });
  const out = await minimizer.leastsq();
  const out2 = { ndata: out.ndata, nfree: out.nfree, nvarys: 1, chisqr: out.chisqr };
  assertAllclose(fCompare(out, out2), 0.0);
  out2.chisqr = 1.0015 * out.chisqr;
  assertAllclose(fCompare(out, out2), 0.2977506);
});

parityTest(F, "test_copy_and_restore_vals", async () => {
  // lmfit.confidence.copy_vals / restore_vals: save and restore values and stderrs.
  const p = pars();
  const copyPars = copyVals(p);
  for (const [name, par] of p) {
    assertAllclose(par.value, copyPars[name][0]);
    assert.equal(copyPars[name][1], null);
  }
  const minimizer = new Minimizer(residual, p, { fcnArgs: data() });
  const out = await minimizer.leastsq();
  const copyParsOut = copyVals(out.params);
  for (const [name, par] of out.params) {
    assertAllclose(par.value, copyParsOut[name][0]);
    assertAllclose(par.stderr!, copyParsOut[name][1]!);
  }
  p.get("a")!.set({ value: 1.0 });
  p.get("b")!.set({ value: 10 });
  restoreVals(copyPars, p);
  assertAllclose(p.get("a")!.value, 0.1);
  assertAllclose(p.get("b")!.value, 1.0);
  assert.equal(p.get("a")!.stderr, null);
  restoreVals(copyParsOut, p);
  for (const [name, par] of p) {
    assertAllclose(par.value, out.params.get(name)!.value);
    assertAllclose(par.stderr!, out.params.get(name)!.stderr!);
  }
});

for (const verbose of [false, true]) {
  parityTest(F, `test_confidence_leastsq[${verbose ? "True" : "False"}]`, async () => {
    const minimizer = new Minimizer(residual, pars(), { fcnArgs: data() });
    const out = await minimizer.leastsq();
    assert.ok(out.nfev > 5 && out.nfev < 500);
    assert.ok(out.chisqr < 3.0);
    assert.equal(out.nvarys, 2);
    assertAllclose(out.params.get("a")!, 0.1, { rtol: 0.01 });
    assertAllclose(out.params.get("b")!, 2.0, { rtol: 0.01 });
    const logged: string[] = [];
    const log = console.log;
    if (verbose) console.log = (...a: unknown[]) => logged.push(a.join(" "));
    let ci;
    try {
      ci = (await confInterval(minimizer, out, { verbose })).ci;
    } finally {
      console.log = log;
    }
    assertAllclose(ci.b[0][0], 0.997, { rtol: 0.01 });
    assertAllclose(ci.b[0][1], 1.947, { rtol: 0.01 });
    assertAllclose(ci.b[2][0], 0.683, { rtol: 0.01 });
    assertAllclose(ci.b[2][1], 1.972, { rtol: 0.01 });
    assertAllclose(ci.b[5][0], 0.95, { rtol: 0.01 });
    assertAllclose(ci.b[5][1], 2.01, { rtol: 0.01 });
    if (verbose) assert.ok(logged.some((l) => /Calculating CI for/i.test(l)), logged[0]);
  });
}

parityTest(F, "test_confidence_pnames", async () => {
  const minimizer = new Minimizer(residual, pars(), { fcnArgs: data() });
  const out = await minimizer.leastsq();
  assertAllclose(out.params.get("a")!, 0.1, { rtol: 0.01 });
  assertAllclose(out.params.get("b")!, 2.0, { rtol: 0.01 });
  const { ci } = await confInterval(minimizer, out, { pNames: ["a"] });
  assert.ok("a" in ci);
  assert.ok(!("b" in ci));
});

parityTest(F, "test_confidence_bounds_reached", async () => {
  const p = pars();
  p.get("a")!.max = 0.2;
  let minimizer = new Minimizer(residual, p, { fcnArgs: data() });
  let out = await minimizer.leastsq();
  out.params.get("a")!.stderr = 1;
  await confInterval(minimizer, out);
  p.get("b")!.max = 2.03;
  p.get("b")!.min = 1.97;
  minimizer = new Minimizer(residual, p, { fcnArgs: data() });
  out = await minimizer.leastsq();
  out.params.get("b")!.stderr = 0.005;
  out.params.get("a")!.stderr = 0.01;
  let r = await confInterval(minimizer, out);
  assert.ok(r.warnings.some((w) => /bound reached/i.test(w)), r.warnings.join("; "));
  out.params.get("b")!.stderr = 0.1;
  r = await confInterval(minimizer, out);
  assert.ok(r.warnings.some((w) => /bound reached/i.test(w)), r.warnings.join("; "));
});

parityTest(F, "test_confidence_sigma_vs_prob", async () => {
  const minimizer = new Minimizer(residual, pars(), { fcnArgs: data() });
  const out = await minimizer.leastsq();
  const ciDefault = (await confInterval(minimizer, out)).ci;
  const ciSigmas = (await confInterval(minimizer, out, { sigmas: [1, 2, 3] })).ci;
  const ci1sigma = (await confInterval(minimizer, out, { sigmas: [1] })).ci;
  const ciProbs = (await confInterval(minimizer, out, { sigmas: [0.68269, 0.9545, 0.9973] })).ci;
  assert.deepEqual(ciDefault, ciSigmas);
  assertAllclose(ciSigmas.a[0][1], ciProbs.a[0][1], { rtol: 0.01 });
  assertAllclose(ciSigmas.b[2][1], ciProbs.b[2][1], { rtol: 0.01 });
  assert.equal(ci1sigma.a.length, 3);
  assert.equal(ciProbs.a.length, 7);
});

parityTest(F, "test_confidence_exceptions", async () => {
  const minimizer = new Minimizer(residual, pars(), { calcCovar: false, fcnArgs: data() });
  const out = await minimizer.minimize("nelder");
  const outLsq = await minimizer.minimize("leastsq", { params: out.params });
  // no uncertainty estimated
  await assertRaises(() => confInterval(minimizer, out), /uncertaint|stderr|standard error/i);
  // uncertainty is NaN
  outLsq.params.get("a")!.stderr = NaN;
  await assertRaises(() => confInterval(minimizer, outLsq), /uncertaint|stderr|standard error/i);
  // only one varying parameter
  outLsq.params.get("a")!.vary = false;
  await assertRaises(() => confInterval(minimizer, outLsq), /2 var|two|< ?2|at least/i);
});

parityTest(F, "test_confidence_warnings", async () => {
  const minimizer = new Minimizer(residual, pars(), { fcnArgs: data() });
  const out = await minimizer.minimize("leastsq");
  const r = await confInterval(minimizer, out, { maxiter: 1 });
  assert.ok(r.warnings.some((w) => /maxiter=1 reached/.test(w)), r.warnings.join("; "));
});

parityTest(F, "test_confidence_with_trace", async () => {
  const minimizer = new Minimizer(residual, pars(), { fcnArgs: data() });
  const out = await minimizer.leastsq();
  const { ci, trace } = await confInterval(minimizer, out, { sigmas: [0.6827], trace: true });
  for (const [p, par] of out.params) {
    const diff1 = ci[p][1][1] - ci[p][0][1];
    const diff2 = ci[p][2][1] - ci[p][1][1];
    const stderr = par.stderr!;
    assert.ok(Math.abs(diff1 - stderr) / stderr < 0.05);
    assert.ok(Math.abs(diff2 - stderr) / stderr < 0.05);
    assert.ok(trace && p in trace);
    assert.ok("prob" in trace[p]);
  }
});

parityTest(F, "test_confidence_2d", async () => {
  const minimizer = new Minimizer(residual, pars(), { fcnArgs: data() });
  const out = await minimizer.minimize("leastsq");
  const { x: cx, y: cy, grid } = await confInterval2d(minimizer, out, "a", "b", 30, 20);
  assert.equal(cx.length, 30);
  assert.equal(cy.length, 20);
  assert.deepEqual([grid.length, grid[0].length], [20, 30]);
});

parityTest(F, "test_confidence_2d_limits", async () => {
  const minimizer = new Minimizer(residual, pars(), { fcnArgs: data() });
  const out = await minimizer.minimize("leastsq");
  const limits: [[number, number], [number, number]] = [[1.0e-6, 0.02], [1.0e-6, -4.0]];
  const { x: cx, y: cy, grid } = await confInterval2d(minimizer, out, "a", "b", 10, 10, {
    limits,
  });
  assert.deepEqual([grid.length, grid[0].length], [10, 10]);
  assertAllclose(Math.min(...cx), 1.0e-6);
  assertAllclose(Math.max(...cx), 0.02);
  assertAllclose(Math.min(...cy), -4.0);
  assertAllclose(Math.max(...cy), 1.0e-6);
});

parityTest(F, "test_confidence_prob_func", async () => {
  const minimizer = new Minimizer(residual, pars(), { fcnArgs: data() });
  const out = await minimizer.minimize("leastsq");
  let called = 0;
  const myFCompare = (
    best: { nfree: number; nvarys: number; chisqr: number },
    next: { nvarys: number; chisqr: number },
  ) => {
    called++;
    const nfree = best.nfree, nfix = best.nvarys - next.nvarys;
    const dchi = next.chisqr / best.chisqr - 1.0;
    return fCdf((dchi * nfree) / nfix, nfix, nfree);
  };
  await confInterval(minimizer, out, { sigmas: [1], probFunc: myFCompare });
  assert.ok(called > 10);
});
