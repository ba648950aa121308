// Mirrors lmfit 1.1.0 tests/test_nose.py. Left out, Python-only or private: test_ufloat (the
// `uncertainties` package), test_nan_policy_function (private `_nan_policy`), test_emcee_lnpost
// (private `penalty`/`_lnprob`), test_emcee_multiprocessing (skipped by lmfit itself) and
// test_emcee_custom_pool (a Python multiprocessing pool). lmfit's `mini.emcee(...)` is
// `mini.minimize("emcee", {...})` here. numdifftools is assumed present (lmfit's CI has it): our
// scalar methods always estimate uncertainties from a numerical Hessian.
import { lineshapes, minimize, Minimizer, type Parameter, Parameters } from "../../mod.ts";
import {
  assert,
  assertAllclose,
  assertAlmostEqual,
  assertRaises,
  decayingSineFit,
  linspace,
  type Loose,
  loose,
  parityTest,
  ravel,
  seededNoise,
} from "./_parity.ts";

const F = "test_nose";
const HAS_NUMDIFFTOOLS = true;

const check = (para: Parameter, realVal: number, sig = 3) =>
  assert.ok(
    Math.abs(para.value - realVal) < sig * para.stderr!,
    `${para.name}: ${para.value} vs ${realVal} ± ${sig}·${para.stderr}`,
  );
const checkWoStderr = (para: Parameter, realVal: number, sig = 0.1) =>
  assert.ok(Math.abs(para.value - realVal) < sig, `${para.name}: ${para.value} vs ${realVal}`);
const checkParas = (fit: Parameters, real: Parameters, sig = 3) => {
  for (const [name, p] of fit) check(p, real.get(name)!.value, sig);
};

function decayingSine() {
  return decayingSineFit(seededNoise("nose_1", 0.2).subarray(0, 301));
}

parityTest(F, "test_simple", async () => {
  const { x, data, fcn2min, params } = decayingSine();
  const result = await minimize(fcn2min, params, { args: [x, data] });
  [...result.params.values()].forEach((p, i) => check(p, [5, 0.025, -0.1, 2][i]));
});

/** The decaying sine of test_lbfgsb and CommonMinimizerTest (data optional, via kws). */
const sineResidual = (
  pars: Parameters,
  x: Float64Array,
  data?: Float64Array | { data?: Float64Array },
) => {
  const { amp, period, decay } = pars.valuesdict();
  let shift = pars.get("shift")!.value;
  if (Math.abs(shift) > Math.PI / 2) shift -= Math.sign(shift) * Math.PI;
  const d = data instanceof Float64Array ? data : data?.data;
  return x.map((v, i) =>
    amp * Math.sin(shift + v / period) * Math.exp(-v * v * decay * decay) - (d ? d[i] : 0)
  );
};

function sineProblem() {
  const pTrue = new Parameters();
  pTrue.add("amp", { value: 14.0 });
  pTrue.add("period", { value: 5.33 });
  pTrue.add("shift", { value: 0.123 });
  pTrue.add("decay", { value: 0.01 });
  const x = linspace(0, 250, 2500);
  const noise = seededNoise("nose_lbfgsb", 0.7215);
  const data = sineResidual(pTrue, x).map((v, i) => v + noise[i]);
  const fitParams = new Parameters();
  fitParams.add("amp", { value: 11.0, min: 5, max: 20 });
  fitParams.add("period", { value: 5, min: 1, max: 7 });
  fitParams.add("shift", { value: 0.1, min: 0.0, max: 0.2 });
  fitParams.add("decay", { value: 6e-3, min: 0, max: 0.1 });
  return { pTrue, x, data, fitParams };
}

parityTest(F, "test_lbfgsb", async () => {
  const { pTrue, x, data, fitParams } = sineProblem();
  const out = await minimize(sineResidual, fitParams, {
    method: "lbfgsb",
    args: [x],
    kws: { data },
  });
  for (const [name, p] of out.params) checkWoStderr(p, pTrue.get(name)!.value);
});

parityTest(F, "test_derive", async () => {
  const func = (pars: Parameters, x: Float64Array, kws?: { data?: Float64Array }) => {
    const { a, b, c } = pars.valuesdict();
    return x.map((v, i) => a * Math.exp(-b * v) + c - (kws?.data ? kws.data[i] : 0));
  };
  const dfunc = (pars: Parameters, x: Float64Array) => {
    const { a, b } = pars.valuesdict();
    const v = x.map((xi) => Math.exp(-b * xi));
    return [v, v.map((vi, i) => -a * x[i] * vi), x.map(() => 1)];
  };
  const mk = () => {
    const p = new Parameters();
    p.addMany(["a", 10], ["b", 10], ["c", 10]);
    return p;
  };
  const x = linspace(0, 4, 50);
  const noise = seededNoise("nose_derive", 0.15);
  const data = x.map((v, i) => 2.5 * Math.exp(-1.3 * v) + 0.8 + noise[i]);
  const out1 = await new Minimizer(func, mk(), { fcnArgs: [x], fcnKws: { data } }).leastsq();
  const out2 = await new Minimizer(func, mk(), { fcnArgs: [x], fcnKws: { data } }).leastsq({
    Dfun: dfunc,
    colDeriv: true,
  });
  for (const n of ["a", "b", "c"]) {
    checkWoStderr(out1.params.get(n)!, out2.params.get(n)!.value, 0.00005);
  }
});

parityTest(F, "test_peakfit", async () => {
  const residual = (pars: Parameters, x: Float64Array, kws?: { data?: Float64Array }) => {
    const v = pars.valuesdict();
    const g1 = lineshapes.gaussian(x, v.a1, v.c1, v.w1);
    const g2 = lineshapes.gaussian(x, v.a2, v.c2, v.w2);
    return g1.map((g, i) => g + g2[i] - (kws?.data ? kws.data[i] : 0));
  };
  const x = linspace(0, 15, 601);
  const noise = seededNoise("nose_peakfit", 0.65);
  const orgParams = new Parameters();
  orgParams.addMany(
    ["a1", 12.0, true, null, null, null],
    ["c1", 5.3, true, null, null, null],
    ["w1", 1.0, true, null, null, null],
    ["a2", 9.1, true, null, null, null],
    ["c2", 8.1, true, null, null, null],
    ["w2", 2.5, true, null, null, null],
  );
  const data = residual(orgParams, x).map((v, i) => v + noise[i]);
  const fitParams = new Parameters();
  fitParams.addMany(
    ["a1", 8.0, true, null, 14, null],
    ["c1", 5.0, true, null, null, null],
    ["w1", 0.7, true, null, null, null],
    ["a2", 3.1, true, null, null, null],
    ["c2", 8.8, true, null, null, null],
  );
  fitParams.add("w2", { expr: "2.5*w1" });
  const myfit = new Minimizer(residual, fitParams, { fcnArgs: [x], fcnKws: { data } });
  myfit.prepareFit();
  const out = await myfit.leastsq();
  checkParas(out.params, orgParams);
});

parityTest(F, "test_scalar_minimize_has_no_uncertainties", async () => {
  const { x, data, fcn2min, params } = decayingSine();
  const mini = new Minimizer(fcn2min, params, { fcnArgs: [x, data] });
  const out = await mini.minimize();
  assert.ok(Number.isFinite(out.params.get("amp")!.stderr));
  assert.ok(out.errorbars);
  const out2 = await mini.minimize("nelder-mead");
  for (const par of ["amp", "decay", "shift", "omega"]) {
    assert.equal(HAS_NUMDIFFTOOLS, out2.params.get(par)!.stderr !== null);
    assert.equal(HAS_NUMDIFFTOOLS, out2.params.get(par)!.correl !== null);
  }
  assert.equal(HAS_NUMDIFFTOOLS, out2.errorbars);
});

parityTest(F, "test_scalar_minimize_reduce_fcn", async () => {
  const x = linspace(0, 10, 101);
  const noise = seededNoise("nose_reduce_noise");
  const y = x.map((v, i) => 1.0 + 2.0 * Math.sin(4 * v) * Math.exp(-v / 5) + noise[i]);
  const idx = seededNoise("nose_reduce_outlier_idx"), add = seededNoise("nose_reduce_outlier_val");
  idx.forEach((k, j) => (y[k] += add[j]));
  const objfunc = (pars: Parameters, x: Float64Array, data: Float64Array) => {
    const { decay, offset, omega, amp } = pars.valuesdict();
    return x.map((v, i) => offset + amp * Math.sin(v * omega) * Math.exp(-v / decay) - data[i]);
  };
  const params = new Parameters();
  params.addMany(["offset", 2.0], ["omega", 3.3], ["amp", 2.5], ["decay", 1.0]);
  const out1 = await minimize(objfunc, params, { args: [x, y], method: "L-BFGS-B" });
  const out2 = await minimize(objfunc, params, {
    args: [x, y],
    method: "L-BFGS-B",
    reduceFcn: "neglogcauchy",
  });
  assertAllclose(out1.params.get("omega")!.value, 4.0, { rtol: 0.01 });
  assertAllclose(out1.params.get("decay")!.value, 7.6, { rtol: 0.01 });
  assertAllclose(out2.params.get("omega")!.value, 4.0, { rtol: 0.01 });
  assertAllclose(out2.params.get("decay")!.value, 5.8, { rtol: 0.01 });
});

parityTest(F, "test_multidimensional_fit_GH205", async () => {
  const n = 100;
  const f = (l1: number, l2: number) => {
    const out = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) out[i * n + j] = Math.sin(j * l1) + Math.cos(i * l2);
    }
    return out;
  };
  const data = f(0.3, 3);
  const fcn2min = (params: Parameters) => {
    const m = f(params.get("lambda1")!.value, params.get("lambda2")!.value);
    return m.map((v, k) => v - data[k]);
  };
  const params = new Parameters();
  params.add("lambda1", { value: 0.4 });
  params.add("lambda2", { value: 3.2 });
  await new Minimizer(fcn2min, params).minimize();
});

// CommonMinimizerTest
function common() {
  const s = sineProblem();
  const mini = new Minimizer(sineResidual, s.fitParams, { fcnArgs: [s.x, s.data] });
  return { ...s, mini };
}

const SCALAR_METHODS: Record<string, string> = {
  "nelder": "Nelder-Mead",
  "powell": "Powell",
  "cg": "CG",
  "bfgs": "BFGS",
  "newton": "Newton-CG",
  "lbfgsb": "L-BFGS-B",
  "l-bfgsb": "L-BFGS-B",
  "tnc": "TNC",
  "cobyla": "COBYLA",
  "slsqp": "SLSQP",
  "dogleg": "dogleg",
  "trust-ncg": "trust-ncg",
  "differential_evolution": "differential_evolution",
  "trust-constr": "trust-constr",
  "trust-exact": "trust-exact",
  "trust-krylov": "trust-krylov",
};

parityTest(F, "CommonMinimizerTest::test_diffev_bounds_check", async () => {
  const { fitParams, x, data } = common();
  fitParams.get("decay")!.min = -Infinity;
  fitParams.get("decay")!.vary = true;
  const mini = new Minimizer(sineResidual, fitParams, { fcnArgs: [x, data] });
  await assertRaises(() => mini.scalarMinimize("differential_evolution"));
  fitParams.get("decay")!.vary = false;
  const mini2 = new Minimizer(sineResidual, fitParams, { fcnArgs: [x, data] });
  await mini2.scalarMinimize("differential_evolution", { maxNfev: 1 });
});

parityTest(F, "CommonMinimizerTest::test_scalar_minimizers", async () => {
  const { mini, pTrue, x } = common();
  const skip = [
    "newton",
    "dogleg",
    "trust-ncg",
    "cg",
    "trust-exact",
    "trust-krylov",
    "trust-constr",
  ];
  for (const [method, scipyName] of Object.entries(SCALAR_METHODS)) {
    if (skip.includes(method)) continue;
    const out = await mini.scalarMinimize(scipyName);
    sineResidual(out.params, x);
    for (const [name, p] of out.params) checkWoStderr(p, pTrue.get(name)!.value, 0.15);
  }
});

parityTest(F, "CommonMinimizerTest::test_nan_policy", async () => {
  const { pTrue, x, data, fitParams } = common();
  data[0] = NaN;
  const mini = new Minimizer(sineResidual, fitParams, { fcnArgs: [x, data] });
  for (const scipyName of Object.values(SCALAR_METHODS)) {
    await assertRaises(() => mini.scalarMinimize(scipyName));
  }
  await assertRaises(() => mini.minimize());
  const omit = new Minimizer(sineResidual, fitParams, { fcnArgs: [x, data], nanPolicy: "omit" });
  const res = await omit.minimize();
  assert.equal(res.ndata, data.length - 1);
  for (const [name, p] of res.params) checkWoStderr(p, pTrue.get(name)!.value, 0.15);
});

parityTest(F, "CommonMinimizerTest::test_emcee", async () => {
  const { mini, pTrue } = common();
  const out = await mini.minimize("emcee", {
    nwalkers: 100,
    steps: 200,
    burn: 50,
    thin: 10,
    seed: 123456,
  });
  checkParas(out.params, pTrue, 3);
});

parityTest(F, "CommonMinimizerTest::test_emcee_method_kwarg", async () => {
  const { mini, pTrue } = common();
  const opts = { nwalkers: 50, steps: 200, burn: 50, thin: 10, seed: 123456 };
  const out = await mini.minimize("emcee", opts);
  assert.equal(out.method, "emcee");
  assert.equal(out.nfev, 50 * 200);
  checkParas(out.params, pTrue, 3);
  const outUnweighted = await mini.minimize("emcee", { ...opts, isWeighted: false });
  assert.equal(outUnweighted.method, "emcee");
});

parityTest(F, "CommonMinimizerTest::test_emcee_bounds_length", async () => {
  const { fitParams, x, data } = common();
  for (const n of ["amp", "period", "shift"]) fitParams.get(n)!.vary = false;
  await new Minimizer(sineResidual, fitParams, { fcnArgs: [x, data] }).minimize("emcee", {
    steps: 10,
  });
});

parityTest(F, "CommonMinimizerTest::test_emcee_partial_bounds", async () => {
  const { fitParams, x, data, pTrue } = common();
  fitParams.get("amp")!.max = Infinity;
  const mini = new Minimizer(sineResidual, fitParams, { fcnArgs: [x, data] });
  const out = await mini.minimize("emcee", {
    nwalkers: 100,
    steps: 300,
    burn: 100,
    thin: 10,
    seed: 123456,
  });
  checkParas(out.params, pTrue, 3);
});

/**
 * lmfit's chain is an array of shape (steps, nwalkers, nvarys); ours is the same numbers flat
 * (row-major) with `nsteps` and `nwalkers` beside it. The shape lmfit asserts, read that way.
 */
function chainShape(out: Loose): number[] {
  const n = out.nvarys, nw = out.nwalkers;
  const chain = out.chain as Float64Array;
  assert.equal(chain.length % (nw * n), 0, "chain length is not a multiple of nwalkers·nvarys");
  return [chain.length / (nw * n), nw, n];
}

parityTest(F, "CommonMinimizerTest::test_emcee_init_with_chain", async () => {
  const { mini } = common();
  const out = await mini.minimize("emcee", { nwalkers: 100, steps: 5 });
  const chain: Float64Array = out.chain; // steps × nwalkers × nvarys, flat
  const step = 100 * 4;
  await mini.minimize("emcee", { nwalkers: 100, steps: 1, pos: chain });
  // out.chain[-1, ...]: the last step's positions
  await mini.minimize("emcee", { nwalkers: 100, steps: 1, pos: chain.slice(-step) });
  // out.chain[-1, :-1, ...]: one walker short
  await assertRaises(() =>
    mini.minimize("emcee", { nwalkers: 100, steps: 1, pos: chain.slice(-step, -4) })
  );
});

parityTest(F, "CommonMinimizerTest::test_emcee_reuse_sampler", async () => {
  const { mini } = common();
  await mini.minimize("emcee", { nwalkers: 20, steps: 25 });
  const out2 = await mini.minimize("emcee", { steps: 10, reuseSampler: true });
  assert.deepEqual(chainShape(out2), [35, 20, 4]);
  mini.params.get("amp")!.vary = false;
  await assertRaises(() => mini.minimize("emcee", { reuseSampler: true }));
});

parityTest(F, "CommonMinimizerTest::test_emcee_output", async () => {
  const { mini } = common();
  const out = await mini.minimize("emcee", { nwalkers: 10, steps: 20, burn: 5, thin: 2 });
  assert.ok(out.errorbars);
  assert.ok(Number.isFinite(out.params.get("amp")!.correl!.period));
  assert.equal(ravel(out.chain).length / out.nvarys, ravel(out.lnprob).length);
  assert.equal(ravel(out.lnprob).length, 7 * 10); // lnprob.shape == (7, 10)
  assert.deepEqual(chainShape(out), [7, 10, 4]);
  assert.equal(ravel(out.flatchain).length, 70 * 4); // flatchain.shape == (70, 4)
});

parityTest(F, "CommonMinimizerTest::test_emcee_float", async () => {
  const { x, data, fitParams, pTrue } = common();
  const resid = (pars: Parameters, x: Float64Array, d?: Float64Array) =>
    -0.5 * sineResidual(pars, x, d).reduce((s, r) => s + r * r, 0);
  const resid2 = (pars: Parameters, x: Float64Array, d?: Float64Array) =>
    sineResidual(pars, x, d).reduce((s, r) => s + r * r, 0);
  const opts = { nwalkers: 100, steps: 200, burn: 50, thin: 10, seed: 123456 };
  let out = await new Minimizer(resid, fitParams, { fcnArgs: [x, data] }).minimize("emcee", opts);
  checkParas(out.params, pTrue, 3);
  out = await new Minimizer(resid2, fitParams, { fcnArgs: [x, data] }).minimize("emcee", {
    ...opts,
    floatBehavior: "chi2",
  });
  checkParas(out.params, pTrue, 3);
});

parityTest(F, "CommonMinimizerTest::test_emcee_seed", async () => {
  const { mini, fitParams } = common();
  const opts = { params: fitParams, nwalkers: 100, steps: 1, seed: 1 };
  const out = await mini.minimize("emcee", opts);
  const out2 = await mini.minimize("emcee", opts);
  assertAlmostEqual(ravel(out.chain), ravel(out2.chain));
});

parityTest(F, "CommonMinimizerTest::test_emcee_ntemps", async () => {
  const { mini, fitParams } = common();
  await assertRaises(() => mini.minimize("emcee", loose({ params: fitParams, ntemps: 5 })));
});
