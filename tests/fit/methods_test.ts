/**
 * The scalar and global methods through the public API, on the manual's two-exponential problem
 * with bounds (best chi-square from lmfit's leastsq fixture) and with known answers.
 */
import assert from "node:assert/strict";
import { METHODS, minimize, Minimizer, Parameters } from "../../mod.ts";
import { assertClose, loadFixture } from "../_fixtures.ts";
import { twoExpParams, twoExpResidual } from "../_two_exp.ts";

const fx = loadFixture("two_exponential.json");
const x = Float64Array.from(fx.x as number[]);
const y = Float64Array.from(fx.y as number[]);
const best = fx.unbounded.chisqr as number;

const residual = twoExpResidual(x, y);

const boundedParams = twoExpParams;

for (
  const method of [
    "nelder",
    "powell",
    "bfgs",
    "cg",
    "newton",
    "basinhopping",
    "differential_evolution",
    "dual_annealing",
    "anneal",
    "least_squares",
    "lbfgsb",
    "tnc",
    "cobyla",
    "slsqp",
    "trust-constr",
    "ampgo",
    "shgo",
  ]
) {
  Deno.test(`${method} reaches the best chi-square of the bounded two-exponential problem`, async () => {
    // Each method gets only the options it reads: any other key is an error.
    const seeded = ["basinhopping", "differential_evolution", "dual_annealing", "anneal", "ampgo"];
    const result = await minimize(residual, boundedParams(), {
      method,
      seed: seeded.includes(method) ? 7 : undefined,
      niter: method === "basinhopping" ? 20 : undefined,
      maxiter: method.includes("anneal") ? 50 : undefined,
      totaliter: method === "ampgo" ? 3 : undefined,
    });
    // lmfit names ampgo's local solver in result.method.
    const label = method === "ampgo" ? "ampgo, with Nelder-Mead as local solver" : method;
    assert.equal(result.method, label);
    assertClose(result.chisqr, best, 1e-6, `${method} chisqr`);
    assert.equal(result.success, true, result.message);
    assert.equal(result.errorbars, true, result.uncertaintyMethod);
    assert.equal(result.uncertaintyMethod, method === "least_squares" ? "jacobian" : "hessian");
  });
}

Deno.test("stderr after nelder agrees with leastsq's within 10% (numerical Hessian)", async () => {
  const p = new Parameters();
  p.addMany(["a1", 5], ["a2", -5], ["t1", 2], ["t2", 5]);
  const lsq = await minimize(residual, p);
  const nm = await minimize(residual, p, { method: "nelder" });
  for (const n of ["a1", "a2", "t1", "t2"]) {
    assertClose(nm.params.get(n)!.stderr!, lsq.params.get(n)!.stderr!, 0.1, `${n} stderr`);
    assertClose(
      nm.params.get(n)!.correl!.t2 ?? 1,
      lsq.params.get(n)!.correl!.t2 ?? 1,
      0.1,
      `${n} correl`,
    );
  }
});

Deno.test("brute evaluates the grid from bounds and Ns and keeps the best candidates", async () => {
  const p = new Parameters();
  p.add("a", { value: 0, min: -2, max: 2 });
  p.add("b", { value: 0, min: -2, max: 2, bruteStep: 0.5 });
  const f = (q: Parameters) => {
    const { a, b } = q.valuesdict();
    return [a - 0.5, b + 1, 0.1];
  };
  const result = await minimize(f, p, { method: "brute", Ns: 9, keep: 5 });
  assert.equal(result.nfev, 9 * 8); // the grid points, as lmfit counts them
  assert.equal(result.params.get("a")!.value, 0.5);
  assert.equal(result.params.get("b")!.value, -1);
  assert.equal(result.candidates.length, 5);
  assertClose(result.candidates[0].score, 0.01, 1e-12, "best score");
  // Candidates are numbered from 1, as lmfit's show_candidates.
  assert.match(result.showCandidates(1), /^Candidate #1, chi-square = 0.01: a=0.5, b=-1$/);
  assert.match(result.showCandidates(2), /^Candidate #2, /);
  assert.equal(result.showCandidates().split("\n").length, 5);
  assert.throws(() => result.showCandidates(0), RangeError, "between 1 and 5");
  assert.throws(() => result.showCandidates(6), RangeError, "between 1 and 5");
  const all = await minimize(f, p, { method: "brute", Ns: 9, keep: "all" });
  assert.equal(all.candidates.length, 9 * 8); // every grid point, as lmfit's keep="all"
  assert.equal(all.callKws.keep, "all");
  assert.equal(result.callKws.Ns, 9);
  assert.equal((await minimize(f, p, { method: "brute" })).callKws.keep, 50); // lmfit's default
  await assert.rejects(
    () => minimize(f, p, { method: "brute", keep: "some" as "all" }),
    RangeError,
    'keep must be a positive integer or "all"',
  );
  assert.equal(result.errorbars, false);
  const unbounded = new Parameters();
  unbounded.add("a", { value: 0 });
  await assert.rejects(
    () => minimize(f, unbounded, { method: "brute" }),
    /needs finite min and max, or a bruteStep/,
  );
});

Deno.test("differential_evolution is reproducible with a seed and needs finite bounds", async () => {
  const r1 = await minimize(residual, boundedParams(), {
    method: "differential_evolution",
    seed: 3,
    polish: false,
  });
  const r2 = await minimize(residual, boundedParams(), {
    method: "differential_evolution",
    seed: 3,
    polish: false,
  });
  assert.equal(r1.chisqr, r2.chisqr);
  assert.deepEqual(r1.params.valuesdict(), r2.params.valuesdict());
  const p = new Parameters();
  p.add("a1", { value: 1 });
  await assert.rejects(
    () => minimize(residual, p, { method: "differential_evolution" }),
    /needs finite bounds.*'a1' has \[-Infinity, Infinity\]/,
  );
});

Deno.test("emcee: posterior medians within the leastsq stderr of the best fit", async () => {
  // Weighted residuals (σ = 0.2, the noise level) so that -chi²/2 is the log-likelihood.
  const weighted = (p: Parameters) => residual(p).map((r) => r / 0.2);
  const lsq = await minimize(weighted, boundedParams());
  const mc = await minimize(weighted, lsq.params, {
    method: "emcee",
    steps: 600,
    nwalkers: 40,
    burn: 200,
    seed: 5,
  });
  assert.equal(mc.method, "emcee");
  assert.equal(mc.nwalkers, 40);
  assert.equal(mc.flatchain.length, 400 * 40 * 4);
  for (const n of ["a1", "a2", "t1", "t2"]) {
    const v = lsq.params.get(n)!, m = mc.params.get(n)!;
    assert.ok(
      Math.abs(m.value - v.value) < v.stderr!,
      `${n}: median ${m.value} vs ${v.value} ± ${v.stderr}`,
    );
    assertClose(m.stderr!, v.stderr!, 0.35, `${n} posterior width`);
  }
  const acc = mc.acceptanceFraction as Float64Array;
  const meanAcc = acc.reduce((a, b) => a + b, 0) / acc.length;
  assert.ok(meanAcc > 0.2 && meanAcc < 0.8, `acceptance ${meanAcc}`);
});

Deno.test("emcee with isWeighted: false samples the noise level as __lnsigma, as lmfit", async () => {
  // A well-conditioned decay, y = 5 exp(-x/3) + 1 + 0.3 N(0,1), so the posterior is Gaussian.
  let state = 12345;
  const uniform = () => ((state = (state * 1103515245 + 12345) % 2147483648) + 0.5) / 2147483648;
  const xs = Float64Array.from({ length: 80 }, (_, i) => (i * 10) / 79);
  const ys = xs.map((v) =>
    5 * Math.exp(-v / 3) + 1 +
    0.3 * Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform())
  );
  const decay = (p: Parameters) => {
    const { amp, tau, c } = p.valuesdict();
    return xs.map((v, i) => amp * Math.exp(-v / tau) + c - ys[i]);
  };
  const start = new Parameters();
  start.addMany(["amp", 4], ["tau", 2], ["c", 0]);
  const lsq = await minimize(decay, start);
  const mc = await minimize(decay, lsq.params, {
    method: "emcee",
    isWeighted: false,
    steps: 1500,
    nwalkers: 30,
    burn: 500,
    seed: 11,
  });
  assert.deepEqual(mc.varNames, ["amp", "tau", "c", "__lnsigma"]);
  assert.equal(lsq.params.has("__lnsigma"), false, "the input parameters are not touched");
  // The noise posterior peaks near the maximum-likelihood σ = sqrt(chisqr / N) (data: σ = 0.3).
  const sigma = Math.exp(mc.params.get("__lnsigma")!.value);
  assertClose(sigma, Math.sqrt(lsq.chisqr / lsq.ndata), 0.05, "posterior sigma");
  assert.ok(Math.abs(sigma - 0.3) < 0.05, `sigma ${sigma} vs the 0.3 of the data`);
  for (const n of ["amp", "tau", "c"]) {
    const v = lsq.params.get(n)!, m = mc.params.get(n)!;
    assert.ok(Math.abs(m.value - v.value) < 0.3 * v.stderr!, `${n}: ${m.value} vs ${v.value}`);
    assertClose(m.stderr!, v.stderr!, 0.2, `${n} posterior width`);
  }
  // Statistics use the residual divided by the sampled σ, so chi-square is about N.
  assert.ok(Math.abs(mc.chisqr - lsq.ndata) < 12, `chisqr ${mc.chisqr}`);
});

Deno.test("scalar methods honour iterCb abort and maxNfev, take scipy's spellings, and reject unknown names", async () => {
  const p = boundedParams();
  const aborted = await new Minimizer(residual, p, { iterCb: (_q, iter) => iter > 30 }).minimize(
    "nelder",
  );
  assert.equal(aborted.aborted, true);
  assert.equal(aborted.success, false);
  const limited = await minimize(residual, p, { method: "powell", maxNfev: 40 });
  assert.equal(limited.success, false);
  const scipyName = await minimize(residual, p, { method: "L-BFGS-B" });
  assert.equal(scipyName.method, "lbfgsb");
  await assert.rejects(
    () => minimize(residual, p, { method: "bogus" }),
    /unknown fitting method 'bogus'.*; choose one of: leastsq, nelder/,
  );
  assert.ok(METHODS.includes("nelder") && METHODS.includes("emcee"));
});

Deno.test("dual annealing finds the global minimum of Rastrigin's function", async () => {
  const { dualAnnealing } = await import("../../lib/solvers/dual_annealing.ts");
  const rastrigin = (x: Float64Array) =>
    10 * x.length + x.reduce((s, v) => s + v * v - 10 * Math.cos(2 * Math.PI * v), 0);
  const { nelderMead } = await import("../../lib/solvers/nelder_mead.ts");
  const r = dualAnnealing(rastrigin, null, {
    lower: Float64Array.of(-5.12, -5.12, -5.12),
    upper: Float64Array.of(5.12, 5.12, 5.12),
    seed: 42,
    maxiter: 300,
    localMinimizer: (f, x0) => nelderMead(f, x0, { restarts: 0 }),
  });
  assert.ok(r.fun < 1e-8, `f = ${r.fun} at ${r.x}`);
});

Deno.test("least_squares matches leastsq's values and stderr, and takes robust losses", async () => {
  const p = new Parameters();
  p.addMany(["a1", 5], ["a2", -5], ["t1", 2], ["t2", 5]);
  const lsq = await minimize(residual, p);
  const trf = await minimize(residual, p, {
    method: "least_squares",
    ftol: 1e-12,
    xtol: 1e-12,
    gtol: 1e-12,
  });
  for (const n of ["a1", "a2", "t1", "t2"]) {
    assertClose(trf.params.get(n)!.value, lsq.params.get(n)!.value, 1e-5, n);
    assertClose(trf.params.get(n)!.stderr!, lsq.params.get(n)!.stderr!, 1e-3, `${n} stderr`);
  }
  // An outlier pulls a linear loss but not soft_l1.
  const xs = Float64Array.from({ length: 30 }, (_, i) => i);
  const ys = xs.map((v, i) => 2 * v + 1 + (i === 10 ? 60 : 0.1 * Math.sin(i)));
  const line = (q: Parameters) =>
    xs.map((v, i) => q.get("m")!.value * v + q.get("b")!.value - ys[i]);
  const lp = new Parameters();
  lp.addMany(["m", 1], ["b", 0]);
  const plain = await minimize(line, lp, { method: "least_squares" });
  const robust = await minimize(line, lp, {
    method: "least_squares",
    loss: "soft_l1",
    fScale: 0.5,
  });
  assert.ok(
    Math.abs(robust.params.get("b")!.value - 1) < Math.abs(plain.params.get("b")!.value - 1),
  );
});
