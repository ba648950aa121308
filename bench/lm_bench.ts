/**
 * Wall time of the whole NIST StRD suite (27 problems × 2 starts) through `levenbergMarquardt`
 * at solver level, forward-difference Jacobian.
 *
 * - `deno bench --allow-read bench/lm_bench.ts`: Deno.bench, baseline = MINPACK-equivalent
 *   settings (lmfit's ftol = xtol = 1.5e-8, no polish) against the defaults.
 * - `deno run --allow-read bench/lm_bench.ts`: prints the median wall time of each setting over
 *   a few runs, with total residual evaluations and the score counts.
 */
import {
  levenbergMarquardt,
  type LevenbergMarquardtOptions,
} from "../lib/solvers/levenberg_marquardt.ts";
import { loadNist, NIST_PROBLEM_NAMES, nistResidual } from "../tests/_nist.ts";
import { scoreNistLm } from "../tests/solvers/nist_lm_test.ts";

const cases = NIST_PROBLEM_NAMES.flatMap((name) => {
  const p = loadNist(name);
  const fcn = nistResidual(p);
  return [p.start1, p.start2].map((s) => ({ fcn, x0: Float64Array.from(s), m: p.y.length }));
});

const SETTINGS: Record<string, LevenbergMarquardtOptions> = {
  "lmfit tolerances, no polish (MINPACK)": { ftol: 1.5e-8, xtol: 1.5e-8, polish: false },
  "defaults (1e-13 + central-difference polish)": {},
};

/** Solves all 54 cases; returns the total residual evaluations. */
function suite(options: LevenbergMarquardtOptions): number {
  let nfev = 0;
  for (const c of cases) nfev += levenbergMarquardt(c.fcn, c.x0, c.m, options).nfev;
  return nfev;
}

let first = true;
for (const [name, options] of Object.entries(SETTINGS)) {
  Deno.bench({
    name: `NIST suite, 54 fits: ${name}`,
    group: "nist-suite",
    baseline: first,
    fn: () => void suite(options),
  });
  first = false;
}

if (import.meta.main) {
  for (const [name, options] of Object.entries(SETTINGS)) {
    suite(options); // warm-up (JIT)
    const times: number[] = [];
    let nfev = 0;
    for (let k = 0; k < 7; k++) {
      const t0 = performance.now();
      nfev = suite(options);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const rows = scoreNistLm(options);
    const v6 = rows.filter((r) => r.lreValues >= 6).length;
    const s4 = rows.filter((r) => r.lreStderr >= 4).length;
    const falseOk = rows.filter((r) => r.success && r.lreValues < 4).length;
    console.log(
      `${name}: median ${times[3].toFixed(1)} ms for 54 fits, nfev ${nfev}, ` +
        `values >= 6 digits ${v6}/54, stderr >= 4 digits ${s4}/54, false successes ${falseOk}`,
    );
  }
}
