/**
 * Global search quality against scipy in the same run: dual annealing from 20 seeds on scipy's
 * global test functions (`bench/_global_functions.ts`), with scipy's defaults and budgets on both
 * sides (maxiter 1000, random start, L-BFGS-B local search), counting the seeds that reach the
 * global minimum; ours both with its default record search and with scipy's algorithm
 * (`recordSearch: false`). scipy's numbers come from `scripts/global_quality_scipy.py` under
 * /usr/bin/python3 when scipy is installed there; otherwise only ours are printed.
 *
 * Run: `deno run -A bench/global_quality.ts [--seeds 20] [--only Eggholder]`. With 20 seeds a
 * difference of 3 in a success count is within chance (binomial); use --seeds 100 to compare one
 * problem closely.
 */
import { dualAnnealing } from "../lib/solvers/dual_annealing.ts";
import { type GlobalProblem, PROBLEMS, reached } from "./_global_functions.ts";

const args = Deno.args;
const argValue = (flag: string) => {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
};
const nSeeds = Number(argValue("--seeds") ?? 20);
const only = argValue("--only");
const seeds = Array.from({ length: nSeeds }, (_, i) => i);
const problems = PROBLEMS.filter((p) => !only || p.name.startsWith(only));
const MAXITER = 1000;

interface Run {
  fun: number;
  nfev: number;
}

function ours(p: GlobalProblem, recordSearch: boolean): Run[] {
  return seeds.map((seed) => {
    const r = dualAnnealing(p.f, null, {
      lower: p.lower,
      upper: p.upper,
      seed,
      maxiter: MAXITER,
      recordSearch,
    });
    return { fun: r.fun, nfev: r.nfev };
  });
}

async function scipy(): Promise<Map<string, Run[]> | null> {
  const spec = {
    method: "dual_annealing",
    maxiter: MAXITER,
    seeds,
    problems: problems.map((p) => ({
      name: p.name,
      lower: Array.from(p.lower),
      upper: Array.from(p.upper),
    })),
  };
  try {
    const child = new Deno.Command("/usr/bin/python3", {
      args: [new URL("../scripts/global_quality_scipy.py", import.meta.url).pathname],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(JSON.stringify(spec)));
    await w.close();
    const out = await child.output();
    if (!out.success) {
      console.error(`scipy side skipped: ${new TextDecoder().decode(out.stderr).slice(-300)}`);
      return null;
    }
    const rows = JSON.parse(new TextDecoder().decode(out.stdout)) as {
      name: string;
      runs: Run[];
    }[];
    return new Map(rows.map((r) => [r.name, r.runs]));
  } catch (e) {
    console.error(`scipy side skipped: ${e}`);
    return null;
  }
}

const summary = (p: GlobalProblem, runs: Run[]) => {
  const ok = runs.filter((r) => reached(p, r.fun)).length;
  const nfev = Math.round(runs.reduce((s, r) => s + r.nfev, 0) / runs.length);
  return { ok, nfev };
};

const ref = await scipy();
console.log(
  `dual_annealing, ${nSeeds} seeds, maxiter ${MAXITER}: seeds reaching the global minimum`,
);
console.log("(ours: default; ours, scipy's: recordSearch false, scipy's algorithm)");
console.log(
  "problem          |    ours | mean nfev | ours, scipy's | mean nfev |   scipy | mean nfev",
);
const cell = (s: { ok: number; nfev: number } | null, w: number) =>
  s
    ? `${`${s.ok}/${nSeeds}`.padStart(w)} | ${String(s.nfev).padStart(9)}`
    : `${"-".padStart(w)} | ${"-".padStart(9)}`;
const tot = [0, 0, 0];
for (const p of problems) {
  const a = summary(p, ours(p, true));
  const b = summary(p, ours(p, false));
  const runs = ref?.get(p.name);
  const c = runs ? summary(p, runs) : null;
  tot[0] += a.ok;
  tot[1] += b.ok;
  tot[2] += c?.ok ?? 0;
  console.log(`${p.name.padEnd(16)} | ${cell(a, 7)} | ${cell(b, 13)} | ${cell(c, 7)}`);
}
console.log(`total            | ${tot[0]} | | ${tot[1]} | | ${ref ? tot[2] : "-"}`);
