// Mirrors lmfit 1.1.0 tests/test_ampgo.py. The last two tests call lmfit's module-level
// `ampgo(func, x0, bounds)` and `tunnel(...)`; here the solver is `ampgo(f, x0, {lower, upper})`.
import { ampgo, Parameters, tunnel } from "../../mod.ts";
import {
  ALPINE02,
  assert,
  assertAllclose,
  assertRaises,
  captureLog,
  loose,
  minimizerAlpine02,
  parityTest,
} from "./_parity.ts";

const F = "test_ampgo";
const { globalOptimum, fglob } = ALPINE02;

for (const tabustrategy of ["farthest", "oldest"]) {
  parityTest(F, `test_ampgo_Alpine02[${tabustrategy}]`, async () => {
    const out = await minimizerAlpine02().minimize("ampgo", loose({ tabustrategy }));
    const outX = [out.params.get("x0")!.value, out.params.get("x1")!.value];
    assertAllclose(out.residual, fglob, { rtol: 1e-5 });
    assertAllclose(Math.min(...outX), Math.min(...globalOptimum), { rtol: 1e-3 });
    assertAllclose(Math.max(...outX), Math.max(...globalOptimum), { rtol: 1e-3 });
    assert.ok(String(out.ampgoMsg).includes("global"), String(out.ampgoMsg));
  });
}

parityTest(F, "test_ampgo_bounds", async () => {
  const parsBounds = new Parameters();
  parsBounds.addMany(["x0", 1, true, 5.0, 15.0], ["x1", 1, true, 2.5, 7.5]);
  const out = await minimizerAlpine02().minimize("ampgo", { params: parsBounds });
  const x0 = out.params.get("x0")!.value, x1 = out.params.get("x1")!.value;
  assert.ok(x0 >= 5.0 && x0 <= 15.0);
  assert.ok(x1 >= 2.5 && x1 <= 7.5);
});

parityTest(F, "test_ampgo_disp_true", async () => {
  const mini = minimizerAlpine02();
  const out = await captureLog(() =>
    mini.minimize("ampgo", loose({ disp: true, localOpts: { disp: false } }))
  );
  assert.ok(out.includes("Starting MINIMIZATION Phase"), out.slice(0, 200));
});

parityTest(F, "test_ampgo_maxfunevals", async () => {
  const mini = minimizerAlpine02();
  const out = await mini.minimize("ampgo", { maxfunevals: 5, localOpts: { disp: false } });
  assert.equal(out.ampgoMsg, "Maximum number of function evaluations exceeded");
});

parityTest(F, "test_ampgo_local_solver", async () => {
  const out = await minimizerAlpine02().minimize("ampgo", { local: "Nelder-Mead" });
  const outX = [out.params.get("x0")!.value, out.params.get("x1")!.value];
  assert.ok(out.method.includes("Nelder-Mead"), out.method);
  assertAllclose(out.residual, fglob, { rtol: 1e-5 });
  assertAllclose(Math.min(...outX), Math.min(...globalOptimum), { rtol: 1e-3 });
  assertAllclose(Math.max(...outX), Math.max(...globalOptimum), { rtol: 1e-3 });
  assert.ok(String(out.ampgoMsg).includes("global"));
});

parityTest(F, "test_ampgo_invalid_local_solver", async () => {
  await assertRaises(
    () => minimizerAlpine02().minimize("ampgo", { local: "leastsq" }),
    /Invalid local solver selected|unknown local method/i,
  );
});

parityTest(F, "test_ampgo_invalid_tabulistsize", async () => {
  await assertRaises(
    () => minimizerAlpine02().minimize("ampgo", { tabulistsize: 0 }),
    /tabulistsize/i,
  );
});

parityTest(F, "test_ampgo_invalid_tabustrategy", async () => {
  await assertRaises(
    () => minimizerAlpine02().minimize("ampgo", loose({ tabustrategy: "unknown" })),
    /tabustrategy/i,
  );
});

parityTest(F, "test_ampgo_local_opts", async () => {
  await assertRaises(() =>
    minimizerAlpine02().minimize("ampgo", { localOpts: { maxiter: "string" } })
  );
  await minimizerAlpine02().minimize("ampgo", { localOpts: { maxiter: 10 }, maxfunevals: 50 });
});

parityTest(F, "test_ampgo_incorrect_length_for_bounds", async () => {
  const func = (x: Float64Array) => x[0] ** 2 + 10.0 * x[1];
  await assertRaises(
    () =>
      ampgo(func, Float64Array.of(0, 1), {
        lower: Float64Array.of(-10),
        upper: Float64Array.of(10),
      }),
    /length/,
  );
});

parityTest(F, "test_ampgo_tunnel_more_than_three_arguments", () => {
  // lmfit.ampgo.tunnel(x, func, 0.1, [1, 2], 5.0): the tunnelling function
  const func = (x: Float64Array, val: number) => x[0] ** 2 + val * x[1];
  const out = tunnel(Float64Array.of(10, 5), func, 0.1, Float64Array.of(1, 2), 5.0);
  assertAllclose(out, 185.386275588);
});
