/**
 * lmfit 1.1.0 API that issue 12 found missing: the `printfuncs` helpers, `result.fun`/`result.x`
 * of the scipy-backed methods, the per-method `Minimizer` methods, the per-Parameter bounds
 * transforms, `copyVals`/`restoreVals` and ampgo's `tunnel`. Reference values are lmfit 1.1.0's
 * (scipy 1.10), printed by /usr/bin/python3 and written in here.
 */
import assert from "node:assert/strict";
import {
  alphanumericSort,
  compareAlphanumeric,
  compareKeys,
  copyVals,
  fitReport,
  getfloatAttr,
  lineshapes,
  minimize,
  Minimizer,
  Parameter,
  Parameters,
  restoreVals,
  tunnel,
} from "../../mod.ts";

Deno.test("alphanumericSort gives lmfit's keys and compareAlphanumeric sorts as sorted(key=...)", () => {
  // lmfit: alphanumeric_sort('Peak10_a') == ['peak', 10, '_a'], ('10a') == ['', 10, 'a']
  assert.deepEqual(alphanumericSort("Peak10_a"), ["peak", 10, "_a"]);
  assert.deepEqual(alphanumericSort("10a"), ["", 10, "a"]);
  assert.deepEqual(alphanumericSort("b01"), ["b", 1, ""]);
  // lmfit: sorted(['b10', 'a', 'B2', 'a1'], key=alphanumeric_sort) == ['a', 'a1', 'B2', 'b10']
  assert.deepEqual(["b10", "a", "B2", "a1"].sort(compareAlphanumeric), ["a", "a1", "B2", "b10"]);
  // a2 before a10 (string order would put a10 first); equal keys keep their order (stable)
  assert.deepEqual(["a10", "b1", "a2", "b01"].sort(compareAlphanumeric), [
    "a2",
    "a10",
    "b1",
    "b01",
  ]);
  assert.ok(compareKeys([1, "a"], [1]) > 0);
  assert.ok(compareKeys("a", "b") < 0);
});

Deno.test("fitReport's sortPars takes alphanumericSort as its key, as lmfit's sort_pars", () => {
  const p = new Parameters();
  p.addMany(["p10", 1], ["P2", 2], ["p1", 3]);
  const order = (text: string) =>
    text.split("\n").filter((l) => /^ {4}p/i.test(l)).map((l) => l.trim().split(":")[0]);
  assert.deepEqual(order(fitReport(p, { sortPars: alphanumericSort })), ["p1", "P2", "p10"]);
  assert.deepEqual(order(fitReport(p, { sortPars: true })), ["p1", "P2", "p10"]);
});

Deno.test("getfloatAttr formats as lmfit's getfloat_attr", () => {
  const par = new Parameter("a", { value: 10 });
  assert.equal(getfloatAttr(par, "value"), "10.0000000"); // lmfit, value=10.0
  assert.equal(getfloatAttr(par, "stderr"), "unknown"); // None
  assert.equal(getfloatAttr(par, "no_such_attr"), "unknown");
  assert.equal(getfloatAttr(par, "name"), "'a'"); // repr('a')
  assert.equal(getfloatAttr(par, "vary"), "True");
  assert.equal(getfloatAttr({ v: -Infinity }, "v"), "-inf");
  assert.equal(getfloatAttr({ v: 1234567890.123 }, "v"), "1.2346e+09");
  assert.equal(getfloatAttr({ v: 1234567890.123 }, "v", 13), "1234567890.1"); // lmfit, length=13
  assert.equal(getfloatAttr({ nfev: 53n }, "nfev"), "53"); // Python int
  assert.equal(getfloatAttr(undefined, "value"), "unknown");
});

Deno.test("lineshapes.notZero is lmfit's not_zero, NaN and one-element arrays included", () => {
  assert.equal(lineshapes.notZero(1e-20), 1e-15);
  assert.equal(lineshapes.notZero(-1e-20), -1e-15);
  assert.equal(lineshapes.notZero(-3), -3);
  assert.equal(lineshapes.notZero(NaN), 1e-15); // copysign(max(tiny, nan), nan) in Python
  assert.equal(lineshapes.notZero([2]), 2);
  assert.throws(() => lineshapes.notZero([1, 2]), /array of 2/);
});

const x0 = 3.14, fmin = -1.1;
const scalarObjective = (p: Parameters) => (p.get("x")!.value - x0) ** 2 + fmin;
function boundedX(): Parameters {
  const p = new Parameters();
  p.add("x", { value: 2 * x0, min: -10, max: 20 });
  return p;
}

Deno.test("result.fun and result.x are lmfit's copies of scipy's OptimizeResult fields", async () => {
  // lmfit 1.1.0: nelder fun -1.0999997838, x [-0.12435123]; lbfgsb fun -1.1, x [-0.12431999];
  // x is in the internal variables (asin(2(3.14 + 10)/30 − 1) = −0.1243200 at the optimum).
  const internalOpt = Math.asin((2 * (x0 + 10)) / 30 - 1);
  for (const method of ["nelder", "lbfgsb", "powell", "differential_evolution"]) {
    const r = await minimize(scalarObjective, boundedX(), { method });
    assert.ok(Math.abs(r.fun! - fmin) < 1e-6, `${method}: fun ${r.fun}`);
    assert.equal(r.x!.length, 1);
    assert.ok(Math.abs(r.x![0] - internalOpt) < 1e-4, `${method}: x ${r.x![0]}`);
  }
  // An array objective: fun is the reduced value, Σr² (lmfit nelder: 0.2500002162).
  const arrayObjective = (p: Parameters) => [p.get("x")!.value - x0, 0.5];
  const r = await minimize(arrayObjective, boundedX(), { method: "nelder" });
  assert.ok(Math.abs(r.fun! - 0.25) < 1e-6);
  assert.equal(r.fun, r.chisqr);
  // leastsq and the global methods have neither (lmfit: no fun, no x).
  const lsq = await minimize(arrayObjective, boundedX());
  assert.equal(lsq.fun, undefined);
  assert.equal(lsq.x, undefined);
  const bh = await minimize(scalarObjective, boundedX(), { method: "basinhopping", seed: 1 });
  assert.equal(bh.fun, undefined);
  // None after an abort.
  const aborted = await minimize(scalarObjective, boundedX(), { method: "nelder", maxNfev: 5 });
  assert.ok(aborted.aborted);
  assert.equal(aborted.fun, undefined);
});

Deno.test("each of lmfit's per-method Minimizer methods runs that method through the registry", async () => {
  const residual = (p: Parameters) => [p.get("x")!.value - x0, 0.5 * (p.get("x")!.value - 3)];
  const cases: [string, (m: Minimizer) => Promise<{ method: string; nfev: number }>, object][] = [
    ["least_squares", (m) => m.leastSquares(), {}],
    ["brute", (m) => m.brute({ Ns: 7 }), { Ns: 7 }],
    ["basinhopping", (m) => m.basinhopping({ niter: 3, seed: 2 }), { niter: 3, seed: 2 }],
    ["dual_annealing", (m) => m.dualAnnealing({ seed: 2, maxiter: 20 }), {
      seed: 2,
      maxiter: 20,
    }],
    ["shgo", (m) => m.shgo(), {}],
    ["ampgo", (m) => m.ampgo({ seed: 2, totaliter: 3 }), { seed: 2, totaliter: 3 }],
    ["emcee", (m) => m.emcee({ steps: 30, nwalkers: 6, seed: 2 }), {
      steps: 30,
      nwalkers: 6,
      seed: 2,
    }],
  ];
  for (const [method, call, options] of cases) {
    const a = await call(new Minimizer(residual, boundedX()));
    const b = await new Minimizer(residual, boundedX()).minimize(method, options);
    assert.equal(a.method, b.method);
    assert.ok(a.method.startsWith(method), a.method); // ampgo: "ampgo, with ... as local solver"
    assert.equal(a.nfev, b.nfev, method);
    assert.deepEqual(
      (a as unknown as { params: Parameters }).params.valuesdict(),
      (b as unknown as { params: Parameters }).params.valuesdict(),
      method,
    );
  }
  await assert.rejects(
    () => new Minimizer(residual, boundedX()).brute({ Nss: 3 } as never),
    /Nss.*did you mean Ns/,
  );
});

Deno.test("Parameter.setupBounds/fromInternal/scaleGradient are lmfit's MINUIT transforms", () => {
  // lmfit 1.1.0: Parameter('a', value=10, min=-25, max=25).setup_bounds() == 0.4115168460674879
  const both = new Parameter("a", { value: 10, min: -25, max: 25 });
  assert.ok(Math.abs(both.setupBounds() - 0.4115168460674879) < 1e-15);
  assert.ok(Math.abs(both.fromInternal(both.setupBounds()) - 10) < 1e-12);
  // lmfit: scale_gradient(0.4115168460674879) == cos(0.41151684)·25 == 22.9128784747792
  assert.ok(Math.abs(both.scaleGradient(both.setupBounds()) - 22.9128784747792) < 1e-12);
  const upper = new Parameter("u", { value: 10, max: 25 });
  assert.ok(Math.abs(upper.setupBounds() - 15.968719422671311) < 1e-12);
  assert.ok(Math.abs(upper.fromInternal(upper.setupBounds()) - 10) < 1e-12);
  const lower = new Parameter("l", { value: 10, min: -25 });
  assert.ok(Math.abs(lower.setupBounds() - 35.98610843) < 1e-8);
  assert.equal(new Parameter("f", { value: 10 }).scaleGradient(3), 1);
  // Nothing changes on the parameter.
  assert.equal(both.value, 10);
});

Deno.test("copyVals/restoreVals save and put back values and standard errors", () => {
  const p = new Parameters();
  p.add("a", { value: 2 });
  p.add("b", { expr: "2 * a" });
  p.get("a")!.stderr = 0.1;
  p.get("b")!.stderr = 0.2;
  const saved = copyVals(p);
  assert.deepEqual(saved, { a: [2, 0.1], b: [4, 0.2] });
  p.get("a")!.value = 7;
  p.get("a")!.stderr = null;
  p.get("b")!.stderr = null;
  restoreVals(saved, p);
  assert.deepEqual([p.get("a")!.value, p.get("a")!.stderr], [2, 0.1]);
  assert.deepEqual([p.get("b")!.value, p.get("b")!.stderr], [4, 0.2]); // b follows its expression
  const q = new Parameters();
  q.add("c", { value: 1 });
  assert.throws(() => restoreVals(saved, q), /no saved value for parameter 'c'/);
});

Deno.test("tunnel is lmfit's _ampgo.tunnel, with tabu points as arrays or broadcast numbers", () => {
  const f = (x: Float64Array, val: number) => x[0] ** 2 + val * x[1];
  // lmfit: tunnel(np.array([10, 5]), f, 0.1, np.array([1, 2]), 5.0) == 185.386275588
  const broadcast = tunnel(Float64Array.of(10, 5), f, 0.1, Float64Array.of(1, 2), 5);
  assert.ok(Math.abs(broadcast - 185.386275588) < 1e-8);
  const points = [Float64Array.of(1, 1), Float64Array.of(2, 2)];
  assert.equal(tunnel(Float64Array.of(10, 5), f, 0.1, points, 5), broadcast);
  assert.ok(Math.abs(tunnel(Float64Array.of(10, 5), f, 0.1, [], 5) - 124.9 ** 2) < 1e-9);
});
