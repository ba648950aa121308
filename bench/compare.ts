/**
 * `deno task bench` (second half): speed ratios against Python lmfit measured in the same
 * run. Each task is timed here (best of several repeats, after a warm-up) and by
 * `scripts/bench_lmfit.py` under /usr/bin/python3; the ratio is lmfit time / our time.
 * Without Python lmfit the ratios are skipped and our times alone are printed.
 */
import {
  confInterval,
  ExpressionModel,
  fastExp,
  fastSin,
  minimize,
  Minimizer,
  Model,
  Parameters,
} from "../mod.ts";
import { loadNist, NIST_NAMES, nistModelResidual } from "../tests/_nist_api.ts";
import { loadFixture } from "../tests/_fixtures.ts";

const root = new URL("../", import.meta.url);
const seed = loadFixture("seed_fits.json");
const ciFix = loadFixture("confidence.json");

// Three warm-up calls: V8 optimizes on background threads, which on a loaded 2-core machine can
// lag a single warm-up call (the first task timed then pays for it).
function bestOf(repeats: number, fn: () => void): number {
  for (let w = 0; w < 3; w++) fn(); // warm-up
  let best = Infinity;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best / 1000;
}

async function bestOfAsync(repeats: number, fn: () => Promise<void>): Promise<number> {
  for (let w = 0; w < 3; w++) await fn();
  let best = Infinity;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    await fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best / 1000;
}

// 1. The whole NIST StRD suite, 27 problems x 2 starts, leastsq with defaults.
const problems = NIST_NAMES.map((n) => loadNist(n));
let nistNfev = 0;
const nistSuite = (options: Record<string, unknown>): number => {
  let nfev = 0;
  for (const prob of problems) {
    for (const start of [prob.start1, prob.start2]) {
      const params = new Parameters();
      start.forEach((v, i) => params.add(`b${i + 1}`, { value: v }));
      const m = new Minimizer(nistModelResidual(prob), params, { nanPolicy: "propagate" });
      nfev += m.minimizeSync("leastsq", options).nfev;
    }
  }
  return nfev;
};
const tNist = bestOf(10, () => {
  nistNfev = nistSuite({});
});
// The same work as lmfit: its tolerances and no polish (MINPACK step for step).
const lmfitTolerances = { ftol: 1.5e-8, xtol: 1.5e-8, polish: false };
let nistSameNfev = 0;
const tNistSame = bestOf(10, () => {
  nistSameNfev = nistSuite(lmfitTolerances);
});

// 2. The manual's decaying sine (2500 points, user-written residual).
const x = Float64Array.from(seed.sine.x as number[]);
const data = Float64Array.from(seed.sine.data as number[]);
const sineResid = (p: Parameters, x: Float64Array, data: Float64Array) => {
  const { amp, period, shift, decay } = p.valuesdict();
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    out[i] = amp * Math.sin(shift + x[i] / period) * Math.exp(-x[i] * x[i] * decay * decay) -
      data[i];
  }
  return out;
};
const sineParams = new Parameters();
sineParams.addMany(["amp", 13], ["period", 2], ["shift", 0], ["decay", 0.02]);
let sineNfev = 0;
const tSine = await bestOfAsync(20, async () => {
  sineNfev = (await minimize(sineResid, sineParams, { args: [x, data] })).nfev;
});

// 2b. The same residual written with the exported fast kernels instead of Math.sin/Math.exp.
const sineResidFast = (p: Parameters, x: Float64Array, data: Float64Array) => {
  const { amp, period, shift, decay } = p.valuesdict();
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    out[i] = amp * fastSin(shift + x[i] / period) * fastExp(-x[i] * x[i] * decay * decay) -
      data[i];
  }
  return out;
};
let sineFastNfev = 0;
const tSineFast = await bestOfAsync(20, async () => {
  sineFastNfev = (await minimize(sineResidFast, sineParams, { args: [x, data] })).nfev;
});

// 3. Confidence intervals of the two-exponential example (1, 2, 3 sigma, all parameters).
const cx = Float64Array.from(ciFix.two_exp.x as number[]);
const cy = Float64Array.from(ciFix.two_exp.y as number[]);
const twoExp = (p: Parameters) => {
  const { a1, a2, t1, t2 } = p.valuesdict();
  const out = new Float64Array(cx.length);
  for (let i = 0; i < cx.length; i++) {
    out[i] = a1 * Math.exp(-cx[i] / t1) + a2 * Math.exp(-cx[i] / t2) - cy[i];
  }
  return out;
};
const ciParams = new Parameters();
ciParams.addMany(["a1", 5], ["a2", -5], ["t1", 2], ["t2", 5]);
const ciMini = new Minimizer(twoExp, ciParams);
const ciBest = ciMini.minimizeSync();
let ciNfev = 0;
const tCi = await bestOfAsync(6, async () => {
  ciNfev = (await confInterval(ciMini, ciBest)).nfev;
});

// 4. The same decaying sine as an ExpressionModel: analytic Jacobian, fewer evaluations.
const sineModel = new ExpressionModel("amp*sin(shift + x/period)*exp(-x*x*decay*decay)");
const sineModelParams = sineModel.makeParams({ amp: 13, period: 2, shift: 0, decay: 0.02 });
let exprNfev = 0;
const tExpr = await bestOfAsync(20, async () => {
  exprNfev = (await sineModel.fit(data, sineModelParams, { x })).nfev;
});

// 5. The same decaying sine as a plain JavaScript function of numbers: compiled to the
// expression layer (analytic Jacobian), as lmfit's Model(func) with a Python function.
const sineFn = new Model((x: number, amp: number, period: number, shift: number, decay: number) =>
  amp * Math.sin(shift + x / period) * Math.exp(-x * x * decay * decay)
);
if (!sineFn.compiled) throw new Error(`the sine function did not compile: ${sineFn.compileReason}`);
const sineFnParams = sineFn.makeParams({ amp: 13, period: 2, shift: 0, decay: 0.02 });
let fnNfev = 0;
const tFn = await bestOfAsync(20, async () => {
  fnNfev = (await sineFn.fit(data, sineFnParams, { x })).nfev;
});

// Python lmfit, same tasks, same run.
// deno-lint-ignore no-explicit-any
let py: any = null;
try {
  const out = await new Deno.Command("/usr/bin/python3", {
    args: [
      new URL("scripts/bench_lmfit.py", root).pathname,
      new URL("tests/testdata/nist", root).pathname,
      new URL("tests/testdata/seed_fits.json", root).pathname,
      new URL("tests/testdata/confidence.json", root).pathname,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (out.success) py = JSON.parse(new TextDecoder().decode(out.stdout));
  else console.error(new TextDecoder().decode(out.stderr).split("\n").slice(-3).join("\n"));
} catch {
  py = null;
}

const rows: [string, number, number | null, number, number | null][] = [
  [
    "NIST StRD suite, 54 fits (leastsq)",
    tNist,
    py?.nist_suite_s ?? null,
    nistNfev,
    py?.nist_nfev ?? null,
  ],
  [
    "NIST StRD suite with lmfit's tolerances (ftol = xtol = 1.5e-8, no polish)",
    tNistSame,
    py?.nist_suite_s ?? null,
    nistSameNfev,
    py?.nist_nfev ?? null,
  ],
  [
    "decaying sine, 2500 points (leastsq)",
    tSine,
    py?.sine_fit_s ?? null,
    sineNfev,
    py?.sine_nfev ?? null,
  ],
  [
    "decaying sine, user residual with fastSin/fastExp (leastsq)",
    tSineFast,
    py?.sine_fit_s ?? null,
    sineFastNfev,
    py?.sine_nfev ?? null,
  ],
  [
    "confInterval, two exponentials, 4 params x 1/2/3 sigma",
    tCi,
    py?.ci_s ?? null,
    ciNfev,
    py?.ci_nfev ?? null,
  ],
  [
    "decaying sine as a model (ExpressionModel vs lmfit Model)",
    tExpr,
    py?.sine_model_s ?? null,
    exprNfev,
    py?.sine_model_nfev ?? null,
  ],
  [
    "decaying sine as Model(plain JS function) vs lmfit Model(func)",
    tFn,
    py?.sine_model_s ?? null,
    fnNfev,
    py?.sine_model_nfev ?? null,
  ],
];
const ms = (s: number) => `${(s * 1000).toFixed(2)} ms`;
const load = Deno.loadavg().map((v) => v.toFixed(2)).join(", ");
console.log(
  `\nlmfit-ts vs Python lmfit ${
    py?.lmfit ?? "(not available)"
  } — same machine, same run, best of repeats; load average ${load}\n`,
);
console.log("| task | lmfit-ts | lmfit | speed-up | nfev ours / lmfit |");
console.log("|---|---|---|---|---|");
for (const [name, ours, theirs, n1, n2] of rows) {
  console.log(
    `| ${name} | ${ms(ours)} | ${theirs === null ? "—" : ms(theirs)} | ${
      theirs === null ? "—" : `${(theirs / ours).toFixed(1)}×`
    } | ${n1} / ${n2 ?? "—"} |`,
  );
}
