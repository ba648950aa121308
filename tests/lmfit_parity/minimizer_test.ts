// Mirrors lmfit 1.1.0 tests/test_minimizer.py.
import { Minimizer, Parameters } from "../../mod.ts";
import { assert, parityTest } from "./_parity.ts";

const F = "test_minimizer";

parityTest(F, "test_scalar_minimize_neg_value", async () => {
  const x0 = 3.14, fmin = -1.1, xtol = 0.001, ftol = 2.0 * xtol;
  const objective = (pars: Parameters) => (pars.get("x")!.value - x0) ** 2 + fmin;
  const params = new Parameters();
  params.add("x", { value: 2 * x0 });
  const minr = new Minimizer(objective, params);
  const result = await minr.scalarMinimize("Nelder-Mead", { xatol: xtol, fatol: ftol });
  assert.ok(Math.abs(result.params.get("x")!.value - x0) < xtol);
  assert.ok(Math.abs(result.fun! - fmin) < ftol);
});
