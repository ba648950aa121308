/**
 * The unconstrained local scalar solvers (nelderMead, powell, conjugateGradient, bfgs, newtonCG)
 * on Rosenbrock 2-D/5-D/10-D and the two-exponential chi-square, with scipy's evaluation counts
 * from tests/testdata/local_solvers.json for comparison (same starts, finite-difference
 * gradients; scipy at its own default tolerances, which are much looser).
 * Run: deno bench -A bench/local_solvers_bench.ts   (timings)
 *      deno run -A bench/local_solvers_bench.ts --summary   (markdown table: f, nfev, time)
 */
import { nelderMead } from "../lib/solvers/nelder_mead.ts";
import { powell } from "../lib/solvers/powell.ts";
import { conjugateGradient } from "../lib/solvers/conjugate_gradient.ts";
import { bfgs } from "../lib/solvers/bfgs.ts";
import { newtonCG } from "../lib/solvers/newton_cg.ts";
import type { ScalarFunction, SolverResult } from "../lib/solvers/types.ts";
import { rosen, SCIPY, STARTS } from "../tests/solvers/_local_problems.ts";
import { BEST, chisqr, START } from "../tests/solvers/_two_exponential.ts";

const solvers: Record<string, [string, (f: ScalarFunction, x0: Float64Array) => SolverResult]> = {
  nelderMead: ["nelder_mead_adaptive", nelderMead],
  powell: ["powell", powell],
  conjugateGradient: ["cg", conjugateGradient],
  bfgs: ["bfgs", bfgs],
  newtonCG: ["newton_cg", newtonCG],
};
const problems: Record<string, [ScalarFunction, number[], number]> = {
  rosen2: [rosen, STARTS.rosen2, 0],
  rosen5: [rosen, STARTS.rosen5, 0],
  rosen10: [rosen, STARTS.rosen10, 0],
  two_exponential: [chisqr, Array.from(START), BEST],
};

for (const [pname, [f, x0]] of Object.entries(problems)) {
  for (const [name, [, solve]] of Object.entries(solvers)) {
    Deno.bench({
      name,
      group: pname,
      baseline: name === "bfgs",
      fn: () => void solve(f, Float64Array.from(x0)),
    });
  }
}

if (Deno.args.includes("--summary")) {
  console.log(
    "| problem | method | f (rel. to best for χ²) | nfev | scipy f | scipy nfev | time ms (median of 7) |",
  );
  console.log("|---|---|---|---|---|---|---|");
  for (const [pname, [f, x0, best]] of Object.entries(problems)) {
    for (const [name, [key, solve]] of Object.entries(solvers)) {
      const times: number[] = [];
      let r = solve(f, Float64Array.from(x0));
      for (let k = 0; k < 7; k++) {
        const s = performance.now();
        r = solve(f, Float64Array.from(x0));
        times.push(performance.now() - s);
      }
      times.sort((a, b) => a - b);
      const ref = SCIPY[`${key}/${pname}`];
      const show = (v: number) => best ? ((v - best) / best).toExponential(1) : v.toExponential(2);
      console.log(
        `| ${pname} | ${name} | ${show(r.fun)} | ${r.nfev} | ${show(ref.fun)} | ${ref.nfev} | ${
          times[3].toFixed(2)
        } |`,
      );
    }
  }
}
