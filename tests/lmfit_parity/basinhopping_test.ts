// Mirrors lmfit 1.1.0 tests/test_basinhopping.py; scipy's results come from
// scripts/gen_parity_scipy.py (scipy 1.10.1 with seed 7).
import { Minimizer, Parameters } from "../../mod.ts";
import {
  ALPINE02,
  assert,
  assertAllclose,
  assertRaises,
  fixture,
  loose,
  minimizerAlpine02,
  parityTest,
} from "./_parity.ts";

const F = "test_basinhopping";
const scipy = fixture("scipy_global.json");
const kws = { minimizerKwargs: { method: "L-BFGS-B" }, seed: 7 };

parityTest(F, "test_basinhopping_lmfit_vs_scipy", async () => {
  const residual = (params: Parameters) => {
    const x = params.get("x")!.value;
    return Math.cos(14.5 * x - 0.3) + (x + 0.2) * x;
  };
  const pars = new Parameters();
  pars.addMany(["x", 1]);
  const out = await new Minimizer(residual, pars).minimize("basinhopping", kws);
  assertAllclose(out.residual, scipy.bh_1d.fun);
  assertAllclose(out.params.get("x")!.value, scipy.bh_1d.x, { rtol: 1e-5 });
});

parityTest(F, "test_basinhopping_2d_lmfit_vs_scipy", async () => {
  const residual2d = (params: Parameters) => {
    const x0 = params.get("x0")!.value, x1 = params.get("x1")!.value;
    return Math.cos(14.5 * x0 - 0.3) + (x1 + 0.2) * x1 + (x0 + 0.2) * x0;
  };
  const pars = new Parameters();
  pars.addMany(["x0", 1], ["x1", 1]);
  const out = await new Minimizer(residual2d, pars).minimize("basinhopping", kws);
  assertAllclose(out.residual, scipy.bh_2d.fun);
  assertAllclose(out.params.get("x0")!.value, scipy.bh_2d.x[0], { rtol: 1e-5 });
  assertAllclose(out.params.get("x1")!.value, scipy.bh_2d.x[1], { rtol: 1e-5 });
  assert.ok(out.callKws && "targetAcceptRate" in out.callKws, JSON.stringify(out.callKws));
  assert.ok("stepwiseFactor" in out.callKws);
});

parityTest(F, "test_basinhopping_Alpine02", async () => {
  const out = await minimizerAlpine02().minimize("basinhopping", kws);
  const outX = [out.params.get("x0")!.value, out.params.get("x1")!.value];
  assertAllclose(out.residual, ALPINE02.fglob, { rtol: 1e-5 });
  assertAllclose(Math.min(...outX), Math.min(...ALPINE02.globalOptimum), { rtol: 1e-3 });
  assertAllclose(Math.max(...outX), Math.max(...ALPINE02.globalOptimum), { rtol: 1e-3 });
  assert.equal(out.method, "basinhopping");
});

parityTest(F, "test_basinhopping_bounds", async () => {
  const parsBounds = new Parameters();
  parsBounds.addMany(["x0", 1, true, 5.0, 15.0], ["x1", 1, true, 2.5, 7.5]);
  const out = await minimizerAlpine02().minimize("basinhopping", { params: parsBounds, ...kws });
  const x0 = out.params.get("x0")!.value, x1 = out.params.get("x1")!.value;
  assert.ok(x0 >= 5.0 && x0 <= 15.0);
  assert.ok(x1 >= 2.5 && x1 <= 7.5);
});

parityTest(F, "test_basinhopping_solver_options", async () => {
  await assertRaises(
    () => minimizerAlpine02().minimize("basinhopping", { minimizerKwargs: { method: "unknown" } }),
    /unknown/i,
  );
  await assertRaises(() =>
    minimizerAlpine02().minimize("basinhopping", loose({ niter: "string" }))
  );
});
