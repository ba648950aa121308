// Mirrors lmfit 1.1.0 tests/test_brute.py (scipy's grids and values from
// scripts/gen_parity_brute.py). Left out: TEST 11 (pickling a MinimizerResult). lmfit's result
// fields brute_grid, brute_Jout, brute_x0, brute_fval are bruteGrid, bruteJout, bruteX0,
// bruteFval here.
import { Minimizer, Parameters } from "../../mod.ts";
import {
  assert,
  assertAllclose,
  assertRaises,
  captureLog,
  fixture,
  linspace,
  type Loose,
  loose,
  parityTest,
  ravel,
  unique,
} from "./_parity.ts";

const F = "test_brute";
const scipy = fixture("scipy_brute.json");

const funcLmfit = (p: Parameters) => {
  const v = p.valuesdict();
  const f1 = v.a * v.x ** 2 + v.b * v.x * v.y + v.c * v.y ** 2 + v.d * v.x + v.e * v.y + v.f;
  const f2 = -1.0 * v.g * Math.exp(-((v.x - v.h) ** 2 + (v.y - v.i) ** 2) / v.scale);
  const f3 = -1.0 * v.j * Math.exp(-((v.x - v.k) ** 2 + (v.y - v.l) ** 2) / v.scale);
  return f1 + f2 + f3;
};

function paramsLmfit(): Parameters {
  const params = new Parameters();
  params.addMany(
    ["a", 2, false],
    ["b", 3, false],
    ["c", 7, false],
    ["d", 8, false],
    ["e", 9, false],
    ["f", 10, false],
    ["g", 44, false],
    ["h", -1, false],
    ["i", 2, false],
    ["j", 26, false],
    ["k", 1, false],
    ["l", -2, false],
    ["scale", 0.5, false],
    ["x", -4.0, true, -4.0, 4.0, null, null],
    ["y", -2.0, true, -2.0, 2.0, null, null],
  );
  return params;
}

function compareScipy(out: Loose, ref: Loose) {
  assert.deepEqual(ravel(out.bruteGrid), ravel(ref.grid));
  assert.deepEqual(ravel(out.bruteJout), ravel(ref.Jout));
  assert.equal(out.bruteX0[0], ref.x0[0]);
  assert.equal(out.bruteX0[1], ref.x0[1]);
  assert.equal(out.bruteFval, ref.fval);
}

parityTest(F, "test_brute_lmfit_vs_scipy_default", async () => {
  const params = paramsLmfit();
  assert.equal(params.get("x")!.bruteStep, null);
  assert.equal(params.get("y")!.bruteStep, null);
  const out = await new Minimizer(funcLmfit, params).minimize("brute", { Ns: 20 });
  assert.equal(out.method, "brute");
  assert.equal(out.nfev, 20 ** out.varNames.length);
  assert.equal(out.candidates.length, 50);
  compareScipy(out, scipy.default);
  assert.equal(out.params.get("x")!.value, scipy.default.x0[0]);
  assert.equal(out.params.get("y")!.value, scipy.default.x0[1]);
  assert.deepEqual([...out.residual], [scipy.default.fval]);
});

parityTest(F, "test_brute_lmfit_vs_scipy_Ns", async () => {
  const out = await new Minimizer(funcLmfit, paramsLmfit()).minimize("brute", { Ns: 40 });
  compareScipy(out, scipy.Ns);
  assert.equal(out.nfev, 40 ** out.varNames.length);
});

parityTest(F, "test_brute_lmfit_vs_scipy_stepsize", async () => {
  const params = paramsLmfit();
  params.get("x")!.set({ bruteStep: 0.25 });
  params.get("y")!.set({ bruteStep: 0.25 });
  assert.equal(params.get("x")!.bruteStep, 0.25);
  assert.equal(params.get("y")!.bruteStep, 0.25);
  const out = await new Minimizer(funcLmfit, params).minimize("brute");
  compareScipy(out, scipy.stepsize);
  assert.equal(out.nfev, 32 * 16); // arange(-4, 4, 0.25).size * arange(-2, 2, 0.25).size
});

parityTest(F, "test_brute_lmfit_vs_scipy_Ns_stepsize", async () => {
  const params = paramsLmfit();
  params.get("x")!.set({ bruteStep: 0.15 });
  assert.equal(params.get("x")!.bruteStep, 0.15);
  const out = await new Minimizer(funcLmfit, params).minimize("brute", { Ns: 10 });
  compareScipy(out, scipy.Ns_stepsize);
  assert.equal(out.nfev, 54 * 10); // arange(-4, 4, 0.15).size * Ns
});

const gridAxis = (out: Loose, k: number) => unique(ravel(out.bruteGrid[k]));
/** numpy's linspace(a, b, n, endpoint=False). */
const linspaceOpen = (a: number, b: number, n: number) =>
  Float64Array.from({ length: n }, (_, i) => a + (i * (b - a)) / n);

parityTest(F, "test_brute_upper_bounds_and_brute_step", async () => {
  const Ns = 20;
  const params = paramsLmfit();
  params.get("x")!.set({ min: -Infinity });
  params.get("x")!.set({ bruteStep: 0.25 });
  const out = await new Minimizer(funcLmfit, params).minimize("brute", { Ns });
  assert.equal(out.params.get("x")!.min, -Infinity);
  assert.equal(out.params.get("x")!.bruteStep, 0.25);
  const x = params.get("x")!;
  assertAllclose(gridAxis(out, 0), linspaceOpen(x.max - Ns * x.bruteStep!, x.max, Ns));
  const y = params.get("y")!;
  assertAllclose(gridAxis(out, 1), linspace(y.min, y.max, Ns));
});

parityTest(F, "test_brute_lower_bounds_and_brute_step", async () => {
  const Ns = 15;
  const params = paramsLmfit();
  params.get("y")!.set({ max: Infinity });
  params.get("y")!.set({ bruteStep: 0.1 });
  const out = await new Minimizer(funcLmfit, params).minimize("brute", { Ns });
  const x = params.get("x")!, y = params.get("y")!;
  assertAllclose(gridAxis(out, 0), linspace(x.min, x.max, Ns));
  assertAllclose(gridAxis(out, 1), linspaceOpen(y.min, y.min + Ns * y.bruteStep!, Ns));
});

parityTest(F, "test_brute_no_bounds_with_brute_step", async () => {
  const Ns = 15;
  const params = paramsLmfit();
  params.get("x")!.set({ min: -Infinity, max: Infinity, bruteStep: 0.1 });
  params.get("y")!.set({ min: -Infinity, max: Infinity, bruteStep: 0.2 });
  const out = await new Minimizer(funcLmfit, params).minimize("brute", { Ns: 15 });
  const half = Math.floor(Ns / 2);
  for (const [k, name] of [[0, "x"], [1, "y"]] as const) {
    const p = params.get(name)!;
    assertAllclose(
      gridAxis(out, k),
      linspace(p.value - half * p.bruteStep!, p.value + half * p.bruteStep!, Ns),
    );
  }
});

parityTest(F, "test_brute_no_bounds_no_brute_step", async () => {
  const params = paramsLmfit();
  params.get("x")!.set({ min: -Infinity, max: Infinity });
  const mini = new Minimizer(funcLmfit, params);
  // lmfit: "Not enough information provided for the brute force method."; ours names the parameter
  await assertRaises(() => mini.minimize("brute"), /Not enough information provided|needs finite/i);
});

parityTest(F, "test_brute_one_parameter", async () => {
  const params = paramsLmfit();
  params.get("x")!.set({ vary: false });
  const out = await new Minimizer(funcLmfit, params).minimize("brute");
  assert.ok(out.candidates[0].score <= out.candidates[1].score);
  assert.ok(out.candidates[0].params instanceof Parameters);
  assert.equal(typeof out.candidates[0].score, "number");
});

parityTest(F, "test_brute_keep", async () => {
  const mini = new Minimizer(funcLmfit, paramsLmfit());
  const out = await mini.minimize("brute");
  assert.equal(out.candidates.length, 50);
  const outKeepAll = await mini.minimize("brute", loose({ keep: "all" }));
  assert.equal(outKeepAll.candidates.length, ravel(outKeepAll.bruteJout).length);
  const outKeep10 = await mini.minimize("brute", { keep: 10 });
  assert.equal(outKeep10.candidates.length, 10);
  assert.ok(out.candidates[0].params instanceof Parameters);
  assert.equal(typeof out.candidates[0].score, "number");
  await assertRaises(() => outKeep10.showCandidates(25), /should be between/);
  await assertRaises(() => outKeep10.showCandidates(0), /should be between/);
  const printed = await captureLog(() => console.log(outKeep10.showCandidates(5)));
  assert.ok(printed.includes("Candidate #5"), printed);
  outKeep10.showCandidates("all");
});

parityTest(F, "test_nfev_workers", async () => {
  const mini = new Minimizer(funcLmfit, paramsLmfit(), { workers: -1 } as Loose);
  const out = await mini.minimize("brute");
  assert.equal(out.nfev, 20 ** out.varNames.length);
});
