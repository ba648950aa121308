/**
 * `deno task bench` (second half): speed ratios against Python lmfit measured in the same
 * run. Each task is timed here (best of several repeats, after a warm-up) and by
 * `scripts/bench_lmfit.py` under /usr/bin/python3, each side twice, interleaved (lmfit, ours,
 * ours, lmfit) and keeping its best; the ratio is lmfit time / our time.
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
// The same work as lmfit: its tolerances and no polish (MINPACK step for step).
const lmfitTolerances = { ftol: 1.5e-8, xtol: 1.5e-8, polish: false };

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

// 4. The same decaying sine as an ExpressionModel: analytic Jacobian, fewer evaluations.
const sineModel = new ExpressionModel("amp*sin(shift + x/period)*exp(-x*x*decay*decay)");
const sineModelParams = sineModel.makeParams({ amp: 13, period: 2, shift: 0, decay: 0.02 });

// 5. The same decaying sine as a plain JavaScript function of numbers: compiled to the
// expression layer (analytic Jacobian), as lmfit's Model(func) with a Python function.
const sineFn = new Model((x: number, amp: number, period: number, shift: number, decay: number) =>
  amp * Math.sin(shift + x / period) * Math.exp(-x * x * decay * decay)
);
if (!sineFn.compiled) throw new Error(`the sine function did not compile: ${sineFn.compileReason}`);
const sineFnParams = sineFn.makeParams({ amp: 13, period: 2, shift: 0, decay: 0.02 });

/**
 * A task: its row label, the keys of lmfit's time and evaluations in the Python script's output,
 * repeats, and one run (returns the evaluations).
 */
interface Task {
  name: string;
  py: [time: string, nfev: string];
  repeats: number;
  run: () => number | Promise<number>;
}
const tasks: Task[] = [
  {
    name: "NIST StRD suite, 54 fits (leastsq)",
    py: ["nist_suite_s", "nist_nfev"],
    repeats: 10,
    run: () => nistSuite({}),
  },
  {
    name: "NIST StRD suite with lmfit's tolerances (ftol = xtol = 1.5e-8, no polish)",
    py: ["nist_suite_s", "nist_nfev"],
    repeats: 10,
    run: () => nistSuite(lmfitTolerances),
  },
  {
    name: "decaying sine, 2500 points (leastsq)",
    py: ["sine_fit_s", "sine_nfev"],
    repeats: 20,
    run: async () => (await minimize(sineResid, sineParams, { args: [x, data] })).nfev,
  },
  {
    name: "decaying sine, user residual with fastSin/fastExp (leastsq)",
    py: ["sine_fit_s", "sine_nfev"],
    repeats: 20,
    run: async () => (await minimize(sineResidFast, sineParams, { args: [x, data] })).nfev,
  },
  {
    name: "confInterval, two exponentials, 4 params x 1/2/3 sigma",
    py: ["ci_s", "ci_nfev"],
    repeats: 6,
    run: async () => (await confInterval(ciMini, ciBest)).nfev,
  },
  {
    name: "decaying sine as a model (ExpressionModel vs lmfit Model)",
    py: ["sine_model_s", "sine_model_nfev"],
    repeats: 20,
    run: async () => (await sineModel.fit(data, sineModelParams, { x })).nfev,
  },
  {
    name: "decaying sine as Model(plain JS function) vs lmfit Model(func)",
    py: ["sine_model_s", "sine_model_nfev"],
    repeats: 20,
    run: async () => (await sineFn.fit(data, sineFnParams, { x })).nfev,
  },
];

/** Times every task once (best of its repeats) into `best`, keeping the lower of old and new. */
async function measureOurs(best: Map<string, { s: number; nfev: number }>): Promise<void> {
  for (const task of tasks) {
    let nfev = 0;
    const s = await bestOfAsync(task.repeats, async () => {
      nfev = await task.run();
    });
    const old = best.get(task.name);
    if (!old || s < old.s) best.set(task.name, { s, nfev });
  }
}

/** One run of Python lmfit on the same tasks (best of its own repeats), or null without it. */
async function measureLmfit(): Promise<Record<string, number> | null> {
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
    if (out.success) return JSON.parse(new TextDecoder().decode(out.stdout));
    console.error(new TextDecoder().decode(out.stderr).split("\n").slice(-3).join("\n"));
  } catch {
    // no Python lmfit here
  }
  return null;
}

// Both sides twice, interleaved (lmfit, ours, ours, lmfit), each keeping its best: a slow phase
// of a shared machine (seen to slow one side by 40% for a minute) then costs neither side.
const ours = new Map<string, { s: number; nfev: number }>();
const py1 = await measureLmfit();
await measureOurs(ours);
await measureOurs(ours);
const py2 = py1 ? await measureLmfit() : null;
const pyBest = (key: string): number | null => {
  const times = [py1, py2].map((p) => p?.[key]).filter((t) => typeof t === "number");
  return times.length ? Math.min(...times) : null;
};
const rows: [string, number, number | null, number, number | null][] = tasks.map((task) => [
  task.name,
  ours.get(task.name)!.s,
  pyBest(task.py[0]),
  ours.get(task.name)!.nfev,
  py1?.[task.py[1]] ?? null,
]);
const ms = (s: number) => `${(s * 1000).toFixed(2)} ms`;
const py = py1;
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
