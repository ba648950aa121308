// Mirrors lmfit 1.1.0 tests/test_shgo.py; scipy's results come from
// scripts/gen_parity_scipy.py (scipy 1.10.1, as lmfit's run).
import { Minimizer, Parameters } from "../../mod.ts";
import {
  ALPINE02,
  assert,
  assertAllclose,
  assertRaises,
  captureLog,
  fixture,
  loose,
  minimizerAlpine02,
  parityTest,
  ravel,
} from "./_parity.ts";

const F = "test_shgo";
const { globalOptimum, fglob } = ALPINE02;
const scipy = fixture("scipy_global.json");

const eggholder = (params: Parameters) => {
  const x0 = params.get("x0")!.value, x1 = params.get("x1")!.value;
  return -(x1 + 47.0) * Math.sin(Math.sqrt(Math.abs(x0 / 2.0 + (x1 + 47.0)))) -
    x0 * Math.sin(Math.sqrt(Math.abs(x0 - (x1 + 47.0))));
};

function eggholderMinimizer() {
  const pars = new Parameters();
  pars.addMany(["x0", 0, true, -512, 512], ["x1", 0, true, -512, 512]);
  return new Minimizer(eggholder, pars);
}

parityTest(F, "test_shgo_scipy_vs_lmfit", async () => {
  const ref = scipy.shgo_1;
  assert.equal(ref.xl.length, 6);
  const result = await eggholderMinimizer().minimize("shgo", { n: 30, samplingMethod: "sobol" });
  const outX = [result.params.get("x0")!.value, result.params.get("x1")!.value];
  assertAllclose(result.residual, ref.fun);
  assertAllclose(result.shgoFunl, ref.funl);
  assertAllclose(ravel(result.shgoXl), ref.xl.flat());
  assertAllclose(result.shgoX, outX);
});

parityTest(F, "test_shgo_scipy_vs_lmfit_2", async () => {
  const ref = scipy.shgo_2;
  assert.equal(ref.xl.length, 74);
  const result = await eggholderMinimizer().minimize("shgo", {
    n: 60,
    iters: 5,
    samplingMethod: "sobol",
  });
  assertAllclose(result.residual, ref.fun);
  assertAllclose(ravel(result.shgoXl), ref.xl.flat());
  assertAllclose(result.shgoFunl, ref.funl);
});

parityTest(F, "test_shgo_simplicial_Alpine02", async () => {
  const out = await minimizerAlpine02().minimize("shgo", { iters: 5 });
  const outX = [out.params.get("x0")!.value, out.params.get("x1")!.value];
  assertAllclose(out.residual, fglob, { rtol: 1e-5 });
  assertAllclose(Math.min(...outX), Math.min(...globalOptimum), { rtol: 1e-3 });
  assertAllclose(Math.max(...outX), Math.max(...globalOptimum), { rtol: 1e-3 });
  assert.equal(out.method, "shgo");
});

parityTest(F, "test_shgo_sobol_Alpine02", async () => {
  const out = await minimizerAlpine02().minimize("shgo", { samplingMethod: "sobol" });
  const outX = [out.params.get("x0")!.value, out.params.get("x1")!.value];
  assertAllclose(out.residual, fglob, { rtol: 1e-5 });
  assertAllclose(Math.min(...outX), Math.min(...globalOptimum), { rtol: 1e-3 });
  assertAllclose(Math.max(...outX), Math.max(...globalOptimum), { rtol: 1e-3 });
  assert.ok(
    out.callKws && "n" in out.callKws && out.callKws.n == null,
    JSON.stringify(out.callKws),
  );
});

parityTest(F, "test_shgo_bounds", async () => {
  const parsBounds = new Parameters();
  parsBounds.addMany(["x0", 1, true, 5.0, 15.0], ["x1", 1, true, 2.5, 7.5]);
  const out = await minimizerAlpine02().minimize("shgo", { params: parsBounds });
  const x0 = out.params.get("x0")!.value, x1 = out.params.get("x1")!.value;
  assert.ok(x0 >= 5.0 && x0 <= 15.0);
  assert.ok(x1 >= 2.5 && x1 <= 7.5);
});

parityTest(F, "test_shgo_disp_true", async () => {
  const mini = minimizerAlpine02();
  const out = await captureLog(() => mini.minimize("shgo", loose({ options: { disp: true } })));
  assert.ok(out.includes("Splitting first generation"), out.slice(0, 200));
});

parityTest(F, "test_shgo_local_solver", async () => {
  await assertRaises(
    () => minimizerAlpine02().minimize("shgo", { minimizerKwargs: { method: "unknown" } }),
    /unknown/,
  );
});
