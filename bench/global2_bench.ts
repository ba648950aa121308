/**
 * Benchmarks of the global optimizers basinhopping, dual annealing, AMPGO and SHGO (each with its
 * default bounded Nelder-Mead local search) on the seeds' two-exponential problem with bounds,
 * against one bounded Nelder-Mead solve as the baseline; SHGO on Himmelblau's function and dual
 * annealing on the Eggholder function. `deno bench --allow-read bench/global2_bench.ts`; for the
 * nfev / time / chi-square table with Python lmfit's nfev beside it (from
 * tests/testdata/global2.json): `deno run --allow-read bench/global2_bench.ts --summary`.
 */
import { basinhopping } from "../lib/solvers/basinhopping.ts";
import { dualAnnealing } from "../lib/solvers/dual_annealing.ts";
import { ampgo } from "../lib/solvers/ampgo.ts";
import { shgo } from "../lib/solvers/shgo.ts";
import { boundedNelderMead } from "../lib/solvers/_global_local.ts";
import { loadFixture } from "../tests/_fixtures.ts";
import { BEST, chisqr, LOWER, START, UPPER } from "../tests/solvers/_two_exponential.ts";
import { box, eggholder, himmelblau } from "../tests/solvers/_global2_problems.ts";

const lmfit = loadFixture("global2.json").two_exponential_lmfit;
const bounds = { lower: LOWER, upper: UPPER };

const methods: Record<string, { lmfit?: string; run: () => { fun: number; nfev: number } }> = {
  "bounded Nelder-Mead (one local solve)": {
    run: () => boundedNelderMead(chisqr, START, LOWER, UPPER),
  },
  "basinhopping (niter 100)": {
    lmfit: "basinhopping",
    run: () => basinhopping(chisqr, START, { ...bounds, seed: 1 }),
  },
  "basinhopping (niter 5)": {
    run: () => basinhopping(chisqr, START, { ...bounds, seed: 1, niter: 5 }),
  },
  "dual_annealing (maxiter 1000)": {
    lmfit: "dual_annealing",
    run: () => dualAnnealing(chisqr, START, { ...bounds, seed: 1 }),
  },
  "dual_annealing (maxiter 30)": {
    run: () => dualAnnealing(chisqr, START, { ...bounds, seed: 1, maxiter: 30 }),
  },
  "ampgo (totaliter 20)": {
    lmfit: "ampgo",
    run: () => ampgo(chisqr, START, { ...bounds, seed: 1 }),
  },
  "ampgo (totaliter 2)": { run: () => ampgo(chisqr, START, { ...bounds, seed: 1, totaliter: 2 }) },
  "shgo (simplicial, n 100)": { lmfit: "shgo", run: () => shgo(chisqr, START, bounds) },
  "shgo (halton, n 100)": {
    run: () => shgo(chisqr, START, { ...bounds, samplingMethod: "halton" }),
  },
};

for (const [name, m] of Object.entries(methods)) {
  Deno.bench({
    name,
    group: "two-exponential with bounds",
    baseline: name.startsWith("bounded Nelder-Mead"),
    fn: () => void m.run(),
  });
}

const b5 = box(2, -5, 5), b512 = box(2, -512, 512);
Deno.bench({
  name: "shgo simplicial: all four minima",
  group: "Himmelblau",
  baseline: true,
  fn: () => void shgo(himmelblau, Float64Array.of(0, 0), b5),
});
Deno.bench({
  name: "shgo halton: all four minima",
  group: "Himmelblau",
  fn: () => void shgo(himmelblau, Float64Array.of(0, 0), { ...b5, samplingMethod: "halton" }),
});
Deno.bench({
  name: "dual_annealing maxiter 1000",
  group: "Eggholder",
  baseline: true,
  fn: () => void dualAnnealing(eggholder, null, { ...b512, seed: 0 }),
});

if (Deno.args.includes("--summary")) {
  console.log(
    "| method | chi-square | rel. to best | nfev | time (ms, median of 5) | lmfit 1.1 nfev |",
  );
  console.log("|---|---|---|---|---|---|");
  for (const [name, m] of Object.entries(methods)) {
    const times: number[] = [];
    let res = m.run();
    for (let k = 0; k < 5; k++) {
      const s = performance.now();
      res = m.run();
      times.push(performance.now() - s);
    }
    times.sort((a, b) => a - b);
    const rel = (res.fun - BEST) / BEST;
    console.log(
      `| ${name} | ${res.fun.toPrecision(11)} | ${rel.toExponential(1)} | ${res.nfev} | ${
        times[2].toFixed(1)
      } | ${m.lmfit ? lmfit[m.lmfit].nfev : ""} |`,
    );
  }
}
