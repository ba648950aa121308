/**
 * Benchmarks of least_squares (trust-region reflective), brute, differential evolution and emcee
 * on the seeds' two-exponential problem with bounds, and least_squares against MINPACK LM on
 * NIST Thurber. `deno bench --allow-read bench/global1_bench.ts`; for the nfev / time / chi-square
 * summary table: `deno run --allow-read bench/global1_bench.ts --summary`.
 */
import { leastSquares } from "../lib/solvers/least_squares.ts";
import { levenbergMarquardt } from "../lib/solvers/levenberg_marquardt.ts";
import { brute } from "../lib/solvers/brute.ts";
import { differentialEvolution } from "../lib/solvers/differential_evolution.ts";
import { emcee } from "../lib/solvers/emcee.ts";
import type { VectorFunction } from "../lib/solvers/types.ts";
import { loadNist } from "../tests/_nist.ts";
import {
  BEST,
  chisqr,
  LOWER,
  M,
  residual,
  START,
  UPPER,
} from "../tests/solvers/_two_exponential.ts";

const lsPolish = (x: Float64Array) => {
  const p = leastSquares(residual, x, M, { lower: LOWER, upper: UPPER, ftol: 1e-12, xtol: 1e-12 });
  return { x: p.x, fun: p.fun, nfev: p.nfev };
};

const methods: Record<string, () => { fun: number; nfev: number }> = {
  "least_squares (trf)": () => leastSquares(residual, START, M, { lower: LOWER, upper: UPPER }),
  "least_squares (trf, xScale=jac)": () =>
    leastSquares(residual, START, M, { lower: LOWER, upper: UPPER, xScale: "jac" }),
  "least_squares (trf, soft_l1)": () =>
    leastSquares(residual, START, M, { lower: LOWER, upper: UPPER, loss: "soft_l1", fScale: 0.2 }),
  "differential_evolution + trf polish": () =>
    differentialEvolution(chisqr, LOWER, UPPER, { seed: 1, polish: lsPolish }),
  "brute Ns=8 + trf finish": () =>
    brute(chisqr, Array.from(LOWER, (lo, i) => [lo, UPPER[i]] as const), {
      Ns: 8,
      finish: lsPolish,
    }),
  "emcee 40 walkers × 1000 steps": () => {
    const lower = LOWER, upper = UPPER;
    const r = emcee((x) => -0.5 * chisqr(x) / 0.04226, START, {
      nwalkers: 40,
      steps: 1000,
      seed: 1,
      lower,
      upper,
    });
    return { fun: -2 * r.maxLnprob * 0.04226, nfev: r.nfev };
  },
};

for (const [name, run] of Object.entries(methods)) {
  Deno.bench({
    name,
    group: "two-exponential with bounds",
    baseline: name === "least_squares (trf)",
    fn: () => void run(),
  });
}

const thurber = loadNist("Thurber");
const tx = thurber.x[0], ty = thurber.y;
const thurberFun: VectorFunction = (b, out) => {
  for (let i = 0; i < ty.length; i++) {
    const x = tx[i];
    out[i] = (b[0] + b[1] * x + b[2] * x * x + b[3] * x ** 3) /
        (1 + b[4] * x + b[5] * x * x + b[6] * x ** 3) - ty[i];
  }
};
const t0 = Float64Array.from(thurber.start1);
Deno.bench({
  name: "levenbergMarquardt (MINPACK)",
  group: "NIST Thurber start 1",
  baseline: true,
  fn: () => void levenbergMarquardt(thurberFun, t0, ty.length),
});
Deno.bench({
  name: "leastSquares (trf)",
  group: "NIST Thurber start 1",
  fn: () => void leastSquares(thurberFun, t0, ty.length),
});

if (Deno.args.includes("--summary")) {
  console.log("| method | chi-square | rel. to best | nfev | time (ms, median of 7) |");
  console.log("|---|---|---|---|---|");
  for (const [name, run] of Object.entries(methods)) {
    const times: number[] = [];
    let res = run();
    for (let k = 0; k < 7; k++) {
      const s = performance.now();
      res = run();
      times.push(performance.now() - s);
    }
    times.sort((a, b) => a - b);
    const rel = (res.fun - BEST) / BEST;
    console.log(
      `| ${name} | ${res.fun.toPrecision(11)} | ${rel.toExponential(1)} | ${res.nfev} | ${
        times[3].toFixed(2)
      } |`,
    );
  }
}
