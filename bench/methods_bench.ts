/**
 * Every fitting method on a shared problem set: nfev, time and final chi-square.
 * Problems: the manual's two exponentials with bounds (best chi-square 4.0570424961 from
 * lmfit's leastsq) and NIST MGH09 (start 2; certified SSR 3.0750560385e-4) with loose bounds.
 * Run: deno run -A bench/methods_bench.ts
 */
import { findMethod, METHODS, minimize, Parameters } from "../mod.ts";
import { loadFixture } from "../tests/_fixtures.ts";
import { loadNist, nistModelResidual } from "../tests/_nist_api.ts";
import { twoExpParams, twoExpResidual } from "../tests/_two_exp.ts";

const fx = loadFixture("two_exponential.json");
const x = Float64Array.from(fx.x as number[]);
const y = Float64Array.from(fx.y as number[]);
const twoExp = twoExpResidual(x, y);
const mgh09 = loadNist("MGH09");
const mghResid = nistModelResidual(mgh09);
const mghParams = () => {
  const p = new Parameters();
  mgh09.start2.forEach((v, i) => p.add(`b${i + 1}`, { value: v, min: 0, max: 1 }));
  return p;
};
const problems = [
  {
    name: "two exponentials (bounded)",
    fcn: twoExp,
    params: twoExpParams,
    best: fx.unbounded.chisqr as number,
  },
  { name: "NIST MGH09 (bounded)", fcn: mghResid, params: mghParams, best: mgh09.certifiedSsr },
];

console.log("| method | problem | reaches best χ² (1e-6) | χ² | nfev | time |");
console.log("|---|---|---|---|---|---|");
for (const method of METHODS) {
  for (const prob of problems) {
    // Only the options a method reads: any other is an error.
    const opts: Record<string, unknown> = { method };
    if (findMethod(method)!.optionKeys.includes("seed")) opts.seed = 1;
    if (method === "brute") opts.Ns = 12;
    if (method === "emcee") Object.assign(opts, { steps: 300, nwalkers: 20 });
    if (method.includes("anneal")) opts.maxiter = 100;
    const t0 = performance.now();
    try {
      const r = await minimize(prob.fcn, prob.params(), opts);
      const ms = performance.now() - t0;
      const ok = Math.abs(r.chisqr - prob.best) <= 1e-6 * prob.best;
      console.log(
        `| ${method} | ${prob.name} | ${ok ? "yes" : "no"} | ${
          r.chisqr.toPrecision(10)
        } | ${r.nfev} | ${ms.toFixed(1)} ms |`,
      );
    } catch (e) {
      console.log(
        `| ${method} | ${prob.name} | error: ${(e as Error).message.split("\n")[0]} | | | |`,
      );
    }
  }
}
