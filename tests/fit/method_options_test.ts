/**
 * Method options that print progress or configure a global method's local searches, as lmfit
 * hands them to scipy (issue 12, point 1): ampgo's `disp` and `localOpts` in scipy's names,
 * shgo's `options.disp`, least_squares' `verbose`, and `callKws` listing every option with the
 * value the method ran with (lmfit's `call_kws`).
 */
import { boundedLine } from "./_bounded_line.ts";
import assert from "node:assert/strict";
import { minimize, Parameters } from "../../mod.ts";
import { AMPGO_DEFAULTS } from "../../lib/solvers/ampgo.ts";
import { BASINHOPPING_DEFAULTS } from "../../lib/solvers/basinhopping.ts";
import { BRUTE_DEFAULTS } from "../../lib/solvers/brute.ts";
import { DIFFERENTIAL_EVOLUTION_DEFAULTS } from "../../lib/solvers/differential_evolution.ts";
import { DUAL_ANNEALING_DEFAULTS } from "../../lib/solvers/dual_annealing.ts";
import { LEAST_SQUARES_DEFAULTS } from "../../lib/solvers/least_squares.ts";
import { LEVENBERG_MARQUARDT_DEFAULTS } from "../../lib/solvers/levenberg_marquardt.ts";
import { SHGO_DEFAULTS } from "../../lib/solvers/shgo.ts";

const { residual, params } = boundedLine([0, 0.25, 0.5, 0.75, 1, 1.25, 1.5]);

async function captured(fn: () => Promise<unknown>): Promise<string[]> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => lines.push(a.map(String).join(" "));
  try {
    await fn();
  } finally {
    console.log = log;
  }
  return lines.join("\n").split("\n");
}

Deno.test("ampgo disp prints lmfit's phase lines; the local searches print scipy's summary", async () => {
  const lines = await captured(() =>
    minimize(residual, params(), { method: "ampgo", totaliter: 1, maxiter: 1, seed: 1, disp: true })
  );
  assert.ok(lines.includes("Starting MINIMIZATION Phase 1"), lines.join("\n"));
  assert.ok(lines.includes("Starting TUNNELING Phase (1-1)"));
  assert.ok(lines.some((l) => /^ ==> Reached local minimum: /.test(l)));
  // disp reaches the local solver too (as lmfit's options = {"disp": disp, ...local_opts}) ...
  assert.ok(lines.some((l) => /^ {9}Function evaluations: \d+$/.test(l)));
  // ... unless localOpts say otherwise.
  const quiet = await captured(() =>
    minimize(residual, params(), {
      method: "ampgo",
      totaliter: 1,
      maxiter: 1,
      seed: 1,
      disp: true,
      localOpts: { disp: false },
    })
  );
  assert.ok(quiet.includes("Starting MINIMIZATION Phase 1"));
  assert.ok(!quiet.some((l) => l.includes("Function evaluations")));
  const silent = await captured(() =>
    minimize(residual, params(), { method: "ampgo", totaliter: 1, seed: 1 })
  );
  assert.deepEqual(silent, [""]);
});

Deno.test("localOpts in scipy's names: maxiter limits the local solver's iterations", async () => {
  const lines = await captured(() =>
    minimize(residual, params(), {
      method: "ampgo",
      totaliter: 1,
      maxiter: 1,
      seed: 1,
      local: "Nelder-Mead",
      localOpts: { maxiter: 3, disp: true },
    })
  );
  const iterations = lines.filter((l) => l.includes("Iterations:")).map((l) =>
    Number(l.split(":")[1])
  );
  assert.ok(iterations.length >= 2, lines.join("\n"));
  for (const it of iterations) assert.ok(it <= 3, `${it} iterations with maxiter 3`);
  // L-BFGS-B under scipy's option names (maxcor → m, maxfun → maxfev).
  const r = await minimize(residual, params(), {
    method: "ampgo",
    totaliter: 1,
    seed: 1,
    local: "L-BFGS-B",
    localOpts: { maxcor: 5, maxfun: 500, gtol: 1e-10 },
  });
  assert.ok(Math.abs(r.params.get("a")!.value - 2) < 1e-5);
  assert.equal(r.method, "ampgo, with L-BFGS-B as local solver");
});

Deno.test("localOpts values are checked as scipy checks them", async () => {
  const run = (localOpts: Record<string, unknown>, local = "nelder") =>
    minimize(residual, params(), { method: "ampgo", totaliter: 1, seed: 1, local, localOpts });
  await assert.rejects(() => run({ maxiter: "string" }), TypeError, "'maxiter' must be a number");
  await assert.rejects(() => run({ maxiter: 2.5 }), RangeError, "positive integer");
  await assert.rejects(() => run({ disp: 1 }), TypeError, "'disp' must be true or false");
  await assert.rejects(() => run({ xatol: -1 }), RangeError, "'xatol' must be ≥ 0");
  await assert.rejects(() => run({ maxcor: 5 }), TypeError, "unknown option 'maxcor'");
  await assert.rejects(() => run({ m: 5, maxcor: 6 }, "lbfgsb"), RangeError, "both given");
});

Deno.test("shgo options.disp prints scipy's progress; other option keys are errors", async () => {
  const lines = await captured(() =>
    minimize(residual, params(), { method: "shgo", options: { disp: true } })
  );
  assert.equal(lines[0], "Splitting first generation");
  assert.ok(lines.some((l) => l.startsWith("Starting minimization at [")));
  assert.equal(lines.at(-1), "Successfully completed construction of complex.");
  await assert.rejects(
    () => minimize(residual, params(), { method: "shgo", options: { maxtime: 1 } as never }),
    TypeError,
    "unknown option 'maxtime'",
  );
});

Deno.test("least_squares verbose: 1 the summary, 2 also a row per iteration, as scipy", async () => {
  const one = await captured(() =>
    minimize(residual, params(), { method: "least_squares", verbose: 1 })
  );
  assert.equal(one.length, 2, one.join("\n"));
  assert.match(one[1], /^Function evaluations \d+, initial cost .*, final cost .*, first-order/);
  const two = await captured(() =>
    minimize(residual, params(), { method: "least_squares", verbose: 2 })
  );
  assert.match(two[0], /^ {3}Iteration {5}Total nfev {8}Cost {6}Cost reduction/);
  assert.match(two[1], /^ {7}0 {14}1 {9}\d\.\d{4}e[+-]\d\d {36}\d\.\d\de[+-]\d\d {4}$/);
  assert.ok(two.length > 4);
  await assert.rejects(
    () => minimize(residual, params(), { method: "least_squares", verbose: 3 as 2 }),
    RangeError,
    "verbose must be 0, 1 or 2",
  );
});

Deno.test("callKws: every option with the value it ran with, as lmfit's call_kws", async () => {
  const bh = await minimize(residual, params(), { method: "basinhopping", niter: 3, seed: 1 });
  assert.deepEqual(
    { ...bh.callKws },
    {
      niter: 3,
      T: 1,
      stepsize: 0.5,
      minimizerKwargs: null,
      interval: 50,
      niterSuccess: null,
      seed: 1,
      targetAcceptRate: 0.5,
      stepwiseFactor: 0.9,
      maxNfev: 200000 * 3,
    },
  );
  const shgo = await minimize(residual, params(), { method: "shgo" });
  assert.equal(shgo.callKws.n, null); // lmfit (scipy ≥ 1.7): n=None, the sampler's default
  assert.equal(shgo.callKws.samplingMethod, "simplicial");
  const da = await minimize(residual, params(), { method: "dual_annealing", seed: 1, maxiter: 5 });
  assert.equal(da.callKws.minimizerKwargs, null);
  assert.equal(da.callKws.maxiter, 5);
  assert.equal(da.callKws.initialTemp, 5230);
  const lq = await minimize(residual, params(), { xtol: 1e-10 });
  assert.deepEqual(
    { ...lq.callKws },
    { ftol: 1e-13, xtol: 1e-10, gtol: 0, epsfcn: null, factor: 100, polish: true, maxNfev: 6000 },
  );
  const ls = await minimize(residual, params(), { method: "least_squares", ftol: 1e-10 });
  assert.equal(ls.callKws.ftol, 1e-10);
  assert.equal(ls.callKws.xtol, 1e-8);
  assert.equal(ls.callKws.loss, "linear");
});

Deno.test("dual_annealing minimizerKwargs choose its local search (checked as elsewhere)", async () => {
  const r = await minimize(residual, params(), {
    method: "dual_annealing",
    seed: 1,
    maxiter: 20,
    minimizerKwargs: { method: "Nelder-Mead", options: { xatol: 1e-10 } },
  });
  assert.ok(Math.abs(r.params.get("a")!.value - 2) < 1e-6);
  // The local searches are the ones asked for: Nelder-Mead stopped after one iteration each.
  const lines = await captured(() =>
    minimize(residual, params(), {
      method: "dual_annealing",
      seed: 1,
      maxiter: 5,
      minimizerKwargs: { method: "Nelder-Mead", options: { maxiter: 1, disp: true } },
    })
  );
  const its = lines.filter((l) => l.includes("Iterations:"));
  assert.ok(its.length > 0 && its.every((l) => l.trim() === "Iterations: 1"), lines.join("\n"));
  await assert.rejects(
    () =>
      minimize(residual, params(), {
        method: "dual_annealing",
        seed: 1,
        minimizerKwargs: { method: "simplex" },
      }),
    RangeError,
    "unknown local method 'simplex'",
  );
});

Deno.test("basinhopping targetAcceptRate and stepwiseFactor reach the step-size control", async () => {
  const run = (stepwiseFactor: number) =>
    minimize(residual, params(), {
      method: "basinhopping",
      niter: 30,
      interval: 5,
      seed: 3,
      stepwiseFactor,
    });
  const [a, b] = [await run(0.9), await run(0.5)];
  assert.notEqual(a.nfev, b.nfev); // another step-size schedule, another path
  await assert.rejects(
    () => minimize(residual, params(), { method: "basinhopping", targetAcceptRate: 2 }),
    RangeError,
  );
});

Deno.test("callKws' defaults are the values the solvers use: giving them explicitly changes nothing", async () => {
  // Each registry entry reports its solver's defaults object as callKws; this checks that the
  // solver really runs with those values. null means "the solver's own default", not passed.
  const { METHOD_REGISTRY } = await import("../../lib/fit/methods/registry.ts");
  const x = Array.from({ length: 20 }, (_, i) => i / 4);
  const y = x.map((t) => 2 * Math.exp(-t / 1.5) + 0.3 + 0.01 * Math.sin(5 * t));
  const residual = (p: Parameters) => {
    const { a, tau, c } = p.valuesdict();
    return x.map((t, i) => a * Math.exp(-t / tau) + c - y[i]);
  };
  const start = () => {
    const p = new Parameters();
    p.add("a", { value: 4, min: 0, max: 5, bruteStep: 1 });
    p.add("tau", { value: 0.2, min: 0.1, max: 5, bruteStep: 1 });
    p.add("c", { value: 0, min: -1, max: 1, bruteStep: 0.5 });
    return p;
  };
  const checked: string[] = [];
  for (const entry of METHOD_REGISTRY) {
    if (!entry.callDefaults) continue;
    const seeded = "seed" in entry.callDefaults ? { seed: 3 } : {};
    const explicit = Object.fromEntries(
      Object.entries(entry.callDefaults).filter(([, v]) => v !== null),
    );
    const implicit = await minimize(residual, start(), { method: entry.name, ...seeded });
    const given = await minimize(residual, start(), {
      method: entry.name,
      ...explicit,
      ...seeded,
    });
    assert.deepEqual(
      [given.nfev, ...given.params.values()].map(String),
      [implicit.nfev, ...implicit.params.values()].map(String),
      entry.name,
    );
    checked.push(entry.name);
  }
  assert.ok(checked.length >= 7, checked.join(", "));
});

Deno.test("callKws of a default fit are each solver's defaults object, plus the method's own options", async () => {
  // Per method: the solver's defaults object, the lmfit names it reports (each the solver's own
  // name for it so far; a [lmfit, solver] pair where they differ), and the options the method
  // layer itself defaults or lmfit lists as None.
  type Source = [Readonly<Record<string, unknown>>, (string | [string, string])[], object];
  const dualAnnealing: Source = [
    DUAL_ANNEALING_DEFAULTS,
    [
      "maxiter",
      "initialTemp",
      "restartTempRatio",
      "visit",
      "accept",
      "seed",
      "noLocalSearch",
      "recordSearch",
    ],
    { minimizerKwargs: null, x0: null },
  ];
  const sources: Record<string, Source> = {
    leastsq: [LEVENBERG_MARQUARDT_DEFAULTS, ["ftol", "xtol", "gtol", "factor", "polish"], {
      epsfcn: null,
    }],
    least_squares: [
      LEAST_SQUARES_DEFAULTS,
      ["ftol", "xtol", "gtol", "xScale", "loss", "fScale", "verbose"],
      { jac: "2-point" },
    ],
    brute: [BRUTE_DEFAULTS, ["Ns", "keep"], {}],
    basinhopping: [
      BASINHOPPING_DEFAULTS,
      [
        "niter",
        "T",
        "stepsize",
        "interval",
        "niterSuccess",
        "seed",
        "targetAcceptRate",
        "stepwiseFactor",
      ],
      { minimizerKwargs: null },
    ],
    differential_evolution: [DIFFERENTIAL_EVOLUTION_DEFAULTS, [
      "seed",
      "popsize",
      "tol",
      "maxiter",
    ], { polish: true }],
    dual_annealing: dualAnnealing,
    anneal: dualAnnealing,
    ampgo: [
      AMPGO_DEFAULTS,
      [
        "totaliter",
        "maxiter",
        "glbtol",
        "eps1",
        "eps2",
        "tabulistsize",
        "tabustrategy",
        "disp",
        "seed",
      ],
      { local: "Nelder-Mead", localOpts: null, maxfunevals: null },
    ],
    shgo: [SHGO_DEFAULTS, ["iters", "samplingMethod"], {
      n: null, // lmfit's None, the sampler's default SHGO_DEFAULTS.n
      minimizerKwargs: null,
      options: null,
    }],
  };
  const { METHOD_REGISTRY } = await import("../../lib/fit/methods/registry.ts");
  const withDefaults = METHOD_REGISTRY.filter((e) => e.callDefaults).map((e) => e.name);
  assert.deepEqual(withDefaults.toSorted(), Object.keys(sources).toSorted());
  for (const [method, [solverDefaults, reported, own]] of Object.entries(sources)) {
    const r = await minimize(residual, params(), { method: method as "leastsq" });
    const fromSolver = Object.fromEntries(
      reported.map((k) => typeof k === "string" ? [k, k] : k).map((
        [lmfitName, solverKey],
      ) => {
        assert.ok(solverKey in solverDefaults, `${method}: no solver default '${solverKey}'`);
        return [lmfitName, solverDefaults[solverKey]];
      }),
    );
    assert.deepEqual(
      { ...r.callKws },
      { ...fromSolver, ...own, maxNfev: r.maxNfev },
      method,
    );
  }
});
