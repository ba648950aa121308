/**
 * Each method has its own options type (issue 12, point 1): a misspelt option or one the method
 * does not read fails `deno check` (the `@ts-expect-error` lines below would be unused, and so
 * errors, if the compiler accepted them). The calls themselves run too, so the same mistakes are
 * also shown to be run-time errors.
 */
import assert from "node:assert/strict";
import {
  type MethodOptionsMap,
  minimize,
  type MinimizeOptions,
  Minimizer,
  type NelderMethodOptions,
  Parameters,
} from "../../mod.ts";

const residual = (p: Parameters) => [p.get("a")!.value - 1, 0.5];
function params(): Parameters {
  const p = new Parameters();
  p.add("a", { value: 0, min: -5, max: 5 });
  return p;
}

Deno.test("a method's own options type-check, misspelt or foreign ones do not", async () => {
  const ok = await minimize(residual, params(), { method: "nelder", maxiter: 5 });
  assert.equal(ok.method, "nelder");
  await minimize(residual, params(), { method: "brute", Ns: 5, keep: 2 });
  await minimize(residual, params(), {
    method: "lbfgsb",
    gtol: 1e-8,
    Dfun: (p) => [2 * (p.get("a")!.value - 1)],
  });
  await minimize(residual, params(), {
    method: "basinhopping",
    niter: 2,
    minimizerKwargs: { method: "powell" },
  });
  await minimize(residual, params(), { ftol: 1e-10 }); // leastsq, the default

  await assert.rejects(
    // @ts-expect-error: misspelt option of nelder
    () => minimize(residual, params(), { method: "nelder", maxitr: 5 }),
    /unknown option 'maxitr'; did you mean maxiter\?/,
  );
  await assert.rejects(
    // @ts-expect-error: Ns is brute's, not nelder's
    () => minimize(residual, params(), { method: "nelder", Ns: 5 }),
    /unknown option 'Ns'/,
  );
  await assert.rejects(
    // @ts-expect-error: lmfit's snake_case spelling
    () => minimize(residual, params(), { method: "leastsq", max_nfev: 5 }),
    /did you mean maxNfev\?/,
  );
  await assert.rejects(
    // @ts-expect-error: seed is not an option of leastsq (the default method)
    () => minimize(residual, params(), { seed: 1 }),
    /unknown option 'seed'/,
  );
  const fitter = new Minimizer(residual, params());
  await fitter.minimize("differential_evolution", { seed: 1, popsize: 5, maxiter: 3 });
  await assert.rejects(
    // @ts-expect-error: misspelt option of differential_evolution
    () => fitter.minimize("differential_evolution", { popsiz: 5 }),
    /did you mean popsize\?/,
  );
  assert.throws(
    // @ts-expect-error: misspelt Minimizer option
    () => new Minimizer(residual, params(), { nan_policy: "omit" }),
    /did you mean nanPolicy\?/,
  );
});

Deno.test("the options map and MinimizeOptions name each method's interface", () => {
  const nelder: MethodOptionsMap["nelder"] = { xatol: 1e-8, maxiter: 10 };
  const same: NelderMethodOptions = nelder;
  const typed: MinimizeOptions<"emcee"> = { method: "emcee", steps: 10, nwalkers: 8, args: [] };
  // A method only known at run time (a string) accepts every method's keys, checked at run time.
  const loose: MinimizeOptions = { method: "brute" as string, Ns: 4 };
  // @ts-expect-error: not an option of any method
  const bad: MinimizeOptions = { method: "brute" as string, bogus: 1 };
  assert.ok(same && typed && loose && bad);
});
