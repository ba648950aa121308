/**
 * Global search quality against scipy in the same run: dual annealing from 20 seeds on scipy's
 * global test functions (`bench/_global_functions.ts`), with scipy's defaults and budgets on both
 * sides (maxiter 1000, random start, L-BFGS-B-type local search), counting the seeds that reach
 * the global minimum. scipy's numbers come from `scripts/global_quality_scipy.py` under
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

function ours(p: GlobalProblem): Run[] {
  return seeds.map((seed) => {
    const r = dualAnnealing(p.f, null, { lower: p.lower, upper: p.upper, seed, maxiter: MAXITER });
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
console.log("problem          | ours  | mean nfev | scipy | mean nfev");
let totOurs = 0, totRef = 0;
for (const p of problems) {
  const a = summary(p, ours(p));
  totOurs += a.ok;
  const runs = ref?.get(p.name);
  const b = runs ? summary(p, runs) : null;
  if (b) totRef += b.ok;
  console.log(
    `${p.name.padEnd(16)} | ${`${a.ok}/${nSeeds}`.padStart(5)} | ${String(a.nfev).padStart(9)} | ${
      b ? `${b.ok}/${nSeeds}`.padStart(5) : "    -"
    } | ${b ? String(b.nfev).padStart(9) : "-"}`,
  );
}
console.log(`total            | ${totOurs} | | ${ref ? totRef : "-"}`);
