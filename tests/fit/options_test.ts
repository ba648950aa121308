/**
 * No option is ever silently ignored (issue 12, point 1): every options object rejects an unknown
 * key naming it and the closest valid key (lmfit's snake_case names are rejected with their
 * camelCase spelling), and the options lmfit honours work here: basinhopping's and shgo's
 * `minimizerKwargs`, ampgo's `local`, `localOpts` and `maxfunevals`, least_squares' `jac`, and a
 * gradient `Dfun` for the gradient-based scalar methods.
 */
import assert from "node:assert/strict";
import {
  confInterval,
  confInterval2d,
  fitBatch,
  type FitBatchOptions,
  LinearModel,
  minimize,
  Minimizer,
  Parameters,
} from "../../mod.ts";
import { decayParams as params } from "./_decay.ts";

const x = Float64Array.from({ length: 40 }, (_, i) => i / 8);
const y = x.map((v) => 3 * Math.exp(-v / 1.2) + 0.5 + 0.02 * Math.sin(17 * v));

function model(amp: number, tau: number, off: number, v: number): number {
  return amp * Math.exp(-v / tau) + off;
}

/** The residual, counting its calls. */
function counted() {
  let calls = 0;
  const fcn = (p: Parameters) => {
    calls++;
    const { amp, tau, off } = p.valuesdict();
    return x.map((v, i) => model(amp, tau, off, v) - y[i]);
  };
  return { fcn, calls: () => calls };
}

const residual = counted().fcn;

/** Gradient of chi-square Σ r² with respect to (amp, tau, off), counting its calls. */
function gradient() {
  let calls = 0;
  const Dfun = (p: Parameters) => {
    calls++;
    const { amp, tau, off } = p.valuesdict();
    const g = [0, 0, 0];
    x.forEach((v, i) => {
      const e = Math.exp(-v / tau);
      const r = model(amp, tau, off, v) - y[i];
      g[0] += 2 * r * e;
      g[1] += 2 * r * amp * e * v / (tau * tau);
      g[2] += 2 * r;
    });
    return g;
  };
  return { Dfun, calls: () => calls };
}

const didYouMean = (key: string, near: string) => (e: Error) =>
  e instanceof TypeError && e.message.includes(`unknown option '${key}'`) &&
  e.message.includes(`did you mean ${near}?`);

Deno.test("minimize rejects lmfit's snake_case names and typos, naming the closest valid key", async () => {
  const loose = (o: Record<string, unknown>) => o as { method?: string };
  await assert.rejects(
    () => minimize(residual, params(), loose({ nan_policy: "omit" })),
    didYouMean("nan_policy", "nanPolicy"),
  );
  await assert.rejects(
    () => minimize(residual, params(), loose({ methd: "nelder" })),
    didYouMean("methd", "method"),
  );
  await assert.rejects(
    () => minimize(residual, params(), loose({ max_nfev: 10 })),
    didYouMean("max_nfev", "maxNfev"),
  );
  // A method's own options are checked against that method's keys.
  await assert.rejects(
    () => minimize(residual, params(), loose({ method: "nelder", xtol: 1e-8 })),
    didYouMean("xtol", "xatol"),
  );
  await assert.rejects(
    () => minimize(residual, params(), loose({ method: "brute", ns: 5 })),
    didYouMean("ns", "Ns"),
  );
  await assert.rejects(
    () => minimize(residual, params(), loose({ method: "leastsq", seed: 1 })),
    /unknown option 'seed'/,
  );
});

Deno.test("Minimizer and Minimizer.minimize reject unknown keys", async () => {
  assert.throws(
    () => new Minimizer(residual, params(), { fcn_args: [] } as unknown as { fcnArgs: [] }),
    didYouMean("fcn_args", "fcnArgs"),
  );
  const fitter = new Minimizer(residual, params());
  await assert.rejects(
    () => fitter.minimize("lbfgsb", { gtl: 1e-8 } as Record<string, number>),
    didYouMean("gtl", "gtol"),
  );
  await assert.rejects(
    () => fitter.minimize("basinhopping", { minimizer_kwargs: {} } as Record<string, unknown>),
    didYouMean("minimizer_kwargs", "minimizerKwargs"),
  );
  await assert.rejects(
    () => fitter.minimize("shgo", { sampling_method: "halton" } as Record<string, unknown>),
    didYouMean("sampling_method", "samplingMethod"),
  );
  // Inside minimizerKwargs and ampgo's local options too.
  await assert.rejects(
    () =>
      fitter.minimize("basinhopping", {
        minimizerKwargs: { method: "lbfgsb", options: { gtl: 1 } },
      }),
    didYouMean("gtl", "gtol"),
  );
  await assert.rejects(
    () => fitter.minimize("ampgo", { local: "nelder-mead", localOpts: { xtol: 1 } }),
    didYouMean("xtol", "xatol"),
  );
  await assert.rejects(
    () => fitter.minimize("ampgo", { local: "simplex" }),
    /unknown local method 'simplex'/,
  );
});

Deno.test("Model.fit, confInterval, confInterval2d and fitBatch reject unknown keys", async () => {
  const lin = new LinearModel();
  const xs = [0, 1, 2, 3, 4], ys = [1, 3.1, 4.9, 7.2, 9];
  const p = lin.makeParams({ slope: 1, intercept: 0 });
  await assert.rejects(
    () => lin.fit(ys, p, { x: xs, nan_policy: "omit" }),
    didYouMean("nan_policy", "nanPolicy"),
  );
  await assert.rejects(
    () => lin.fit(ys, p, { x: xs, weigths: [1, 1, 1, 1, 1] }),
    didYouMean("weigths", "weights"),
  );
  // fitKws are the method's options: checked against the method's keys.
  await assert.rejects(
    () => lin.fit(ys, p, { x: xs, method: "nelder", fitKws: { xtol: 1 } }),
    didYouMean("xtol", "xatol"),
  );
  const fcn = (q: Parameters) =>
    xs.map((v, i) => q.get("m")!.value * v + q.get("c")!.value - ys[i]);
  const q = new Parameters();
  q.addMany(["m", 1], ["c", 0]);
  const mini = new Minimizer(fcn, q);
  const fit = await mini.minimize();
  await assert.rejects(
    () => confInterval(mini, fit, { p_names: ["m"] } as Record<string, unknown>),
    didYouMean("p_names", "pNames"),
  );
  await assert.rejects(
    () =>
      confInterval2d(
        mini,
        fit,
        "m",
        "c",
        3,
        3,
        { limit: [[1, 3], [0, 2]] } as Record<string, unknown>,
      ),
    didYouMean("limit", "limits"),
  );
  await assert.rejects(
    () =>
      fitBatch(
        "m*x + c",
        {
          x: xs,
          y: ys,
          params: { m: 1, c: 0 },
          device: "cpu",
          max_iter: 10,
        } as unknown as FitBatchOptions,
      ),
    didYouMean("max_iter", "maxIter"),
  );
});

Deno.test("basinhopping's minimizerKwargs choose the local method and its options", async () => {
  const base = { method: "basinhopping" as const, niter: 5, seed: 3 };
  const plain = await minimize(residual, params(), base);
  // Each local search capped at its initial simplex (n + 1 = 4 evaluations): the first
  // evaluation and 1 + niter local searches bound the whole run.
  const capped = await minimize(residual, params(), {
    ...base,
    minimizerKwargs: { method: "Nelder-Mead", options: { maxfev: 4, restarts: 0 } },
  });
  assert.ok(capped.nfev <= 1 + 6 * 4, `capped nfev ${capped.nfev}`);
  assert.ok(plain.nfev > 100, `default nfev ${plain.nfev}`);
  // Another local method reaches the minimum along another path.
  const lbfgs = await minimize(residual, params(), {
    ...base,
    minimizerKwargs: { method: "L-BFGS-B" },
  });
  assert.notEqual(lbfgs.nfev, plain.nfev);
  assert.ok(Math.abs(lbfgs.chisqr - plain.chisqr) < 1e-6 * plain.chisqr);
  assert.deepEqual(lbfgs.callKws.minimizerKwargs, { method: "L-BFGS-B" });
});

Deno.test("shgo's minimizerKwargs choose the local method and its options", async () => {
  const base = { method: "shgo" as const, n: 32 };
  const plain = await minimize(residual, params(), base);
  const capped = await minimize(residual, params(), {
    ...base,
    minimizerKwargs: { method: "nelder", options: { maxfev: 2, restarts: 0 } },
  });
  assert.ok(capped.nfev < plain.nfev, `capped ${capped.nfev} vs default ${plain.nfev}`);
  assert.ok(capped.chisqr > plain.chisqr, "two evaluations per local search cannot converge");
  const slsqp = await minimize(residual, params(), {
    ...base,
    minimizerKwargs: { method: "SLSQP" },
  });
  assert.notEqual(slsqp.nfev, plain.nfev);
  assert.ok(Math.abs(slsqp.chisqr - plain.chisqr) < 1e-6 * plain.chisqr);
});

Deno.test("ampgo's local, localOpts and maxfunevals are used", async () => {
  const base = { method: "ampgo" as const, totaliter: 3, seed: 1 };
  const plain = await minimize(residual, params(), base);
  const lbfgs = await minimize(residual, params(), { ...base, local: "L-BFGS-B" });
  assert.notEqual(lbfgs.nfev, plain.nfev);
  assert.ok(Math.abs(lbfgs.chisqr - plain.chisqr) < 1e-6 * plain.chisqr);
  const capped = await minimize(residual, params(), {
    ...base,
    local: "nelder",
    localOpts: { maxfev: 4, restarts: 0 },
  });
  assert.ok(capped.nfev < plain.nfev, `capped ${capped.nfev} vs ${plain.nfev}`);
  // maxfunevals is the algorithm's own budget, checked after each local search and tunnelling
  // phase as lmfit's _ampgo.py does: a graceful stop, not an abort.
  const budget = await minimize(residual, params(), { ...base, maxfunevals: 60 });
  assert.ok(budget.nfev < plain.nfev, `nfev ${budget.nfev} vs ${plain.nfev}`);
  assert.equal(budget.aborted, false);
  assert.equal(typeof budget.ampgoMsg, "string");
  assert.match(budget.ampgoMsg!, /function evaluations/);
});

Deno.test("least_squares calls a user jac and reaches the same minimum", async () => {
  let jacCalls = 0;
  const jac = (p: Parameters) => {
    jacCalls++;
    const { amp, tau } = p.valuesdict();
    return Array.from(x, (v) => {
      const e = Math.exp(-v / tau);
      return [e, amp * e * v / (tau * tau), 1];
    });
  };
  const fd = counted();
  const ref = await minimize(fd.fcn, params(), { method: "least_squares" });
  const an = counted();
  const r = await minimize(an.fcn, params(), { method: "least_squares", jac });
  assert.ok(jacCalls > 0, "jac called");
  assert.ok(r.nfev < ref.nfev, `analytic ${r.nfev} < finite differences ${ref.nfev}`);
  assert.ok(Math.abs(r.chisqr - ref.chisqr) < 1e-8 * ref.chisqr);
  for (const n of ["amp", "tau", "off"]) {
    assert.ok(Math.abs(r.params.get(n)!.stderr! / ref.params.get(n)!.stderr! - 1) < 1e-4, n);
  }
  await assert.rejects(
    () => minimize(an.fcn, params(), { method: "least_squares", jac: "3-point" as "2-point" }),
    /jac must be a function/,
  );
});

for (const method of ["bfgs", "cg", "newton", "lbfgsb", "tnc", "slsqp", "trust-constr"] as const) {
  Deno.test(`${method} uses a gradient Dfun: called, fewer objective evaluations, same minimum`, async () => {
    const fd = counted();
    const ref = await minimize(fd.fcn, params(), { method });
    const g = gradient();
    const an = counted();
    const r = await minimize(an.fcn, params(), { method, Dfun: g.Dfun });
    assert.ok(g.calls() > 0, `${method}: Dfun called`);
    assert.ok(r.nfev < ref.nfev, `${method}: ${r.nfev} evaluations with Dfun, ${ref.nfev} without`);
    assert.ok(
      Math.abs(r.chisqr - ref.chisqr) <= 1e-6 * ref.chisqr,
      `${method}: ${r.chisqr} vs ${ref.chisqr}`,
    );
    // A wrong gradient changes the answer: the solver follows it.
    const wrong = await minimize(an.fcn, params(), {
      method,
      Dfun: (p: Parameters) => g.Dfun(p).map((v) => -v),
    });
    assert.ok(
      !(Math.abs(wrong.chisqr - ref.chisqr) <= 1e-6 * ref.chisqr),
      `${method}: wrong gradient ignored?`,
    );
  });
}

Deno.test("a Dfun of the wrong length is an error naming the varied parameters", async () => {
  await assert.rejects(
    () => minimize(residual, params(), { method: "bfgs", Dfun: () => [1, 2] }),
    /Dfun must return the gradient: 3 numbers \(one per varied parameter: amp, tau, off\), got 2/,
  );
});
