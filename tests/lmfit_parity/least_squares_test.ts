// Mirrors lmfit 1.1.0 tests/test_least_squares.py. lmfit's Jacobian "types" (ndarray, scipy
// sparse matrix, LinearOperator) are one type here: rows per residual.
import { minimize, Minimizer, Parameters, VoigtModel } from "../../mod.ts";
import {
  assert,
  assertAllclose,
  captureLog,
  linspace,
  type Loose,
  parityTest,
  peakData,
  seededNoise,
} from "./_parity.ts";

const F = "test_least_squares";

parityTest(F, "test_least_squares_with_bounds", async () => {
  const pTrue = new Parameters();
  pTrue.add("amp", { value: 14.0 });
  pTrue.add("period", { value: 5.4321 });
  pTrue.add("shift", { value: 0.12345 });
  pTrue.add("decay", { value: 0.01 });
  const residual = (pars: Parameters, x: Float64Array, data?: Float64Array) => {
    const { amp, period, decay } = pars.valuesdict();
    let shift = pars.get("shift")!.value;
    if (Math.abs(shift) > Math.PI / 2) shift -= Math.sign(shift) * Math.PI;
    const model = x.map((v) =>
      amp * Math.sin(shift + v / period) * Math.exp(-v * v * decay * decay)
    );
    return data ? model.map((m, i) => m - data[i]) : model;
  };
  const x = linspace(0, 250, 1500);
  const noise = seededNoise("bounds", 2.8);
  const data = residual(pTrue, x).map((v, i) => v + noise[i]);
  const fitParams = new Parameters();
  fitParams.add("amp", { value: 13.0, min: 0.0, max: 20 });
  fitParams.add("period", { value: 2, max: 10 });
  fitParams.add("shift", { value: 0.0, min: -Math.PI / 2, max: Math.PI / 2 });
  fitParams.add("decay", { value: 0.02, min: 0.0, max: 0.1 });
  const out = await new Minimizer(residual, fitParams, { fcnArgs: [x, data] }).minimize(
    "least_squares",
  );
  assert.equal(out.method, "least_squares");
  assert.ok(out.nfev > 10);
  assert.ok(out.nfree > 50);
  assert.ok(out.chisqr > 1.0);
  assert.ok(out.errorbars);
  assert.ok(out.success);
  assertAllclose(out.params.get("decay")!, pTrue.get("decay")!, { rtol: 1e-2 });
  assertAllclose(out.params.get("shift")!, pTrue.get("shift")!, { rtol: 1e-2 });
});

for (const bounds of [false, true]) {
  parityTest(F, `test_least_squares_cov_x[${bounds ? "True" : "False"}]`, async () => {
    const [x, y] = peakData();
    const mod = new VoigtModel();
    const params = mod.guess(y, { x });
    if (bounds) {
      params.get("amplitude")!.set({ min: 25, max: 70 });
      params.get("sigma")!.set({ min: 0, max: 1 });
      params.get("center")!.set({ min: 5, max: 15 });
    } else {
      params.get("sigma")!.set({ min: -Infinity });
    }
    const result = await mod.fit(y, params, { x, method: "least_squares" });
    const resultLsq = await mod.fit(y, params, { x, method: "leastsq" });
    const names = Object.keys(result.params.valuesdict());
    const val = (r: Loose, k: "value" | "stderr") => names.map((n) => r.params.get(n)[k]);
    assertAllclose(val(result, "value"), val(resultLsq, "value"), { rtol: 1e-5 });
    assertAllclose(result.chisqr, resultLsq.chisqr);
    assertAllclose(val(result, "stderr"), val(resultLsq, "stderr"), { rtol: 1e-4 });
    for (const par1 of result.varNames) {
      const c = result.params.get(par1)!.correl!, cl = resultLsq.params.get(par1)!.correl!;
      const keys = Object.keys(c);
      assertAllclose(keys.map((k) => c[k]), keys.map((k) => cl[k]), { rtol: 1e-2 });
    }
  });
}

parityTest(F, "test_least_squares_solver_options", async () => {
  const [x, y] = peakData();
  const mod = new VoigtModel();
  const params = mod.guess(y, { x });
  const out = await captureLog(() =>
    mod.fit(y, params, { x, method: "least_squares", fitKws: { verbose: 2 } })
  );
  assert.ok(out.includes("Iteration"), out.slice(0, 200));
  assert.ok(out.includes("final cost"));
});

parityTest(F, "test_least_squares_jacobian_types", async () => {
  const a = seededNoise("lsq_a"), b = seededNoise("lsq_b");
  const f = (params: Parameters) => {
    const { x, y } = params.valuesdict();
    return a.map((ai, i) => (x - ai) ** 2 + (y - b[i]) ** 2);
  };
  let calls = 0;
  // J = [2x - 2a, 2y - 2b], lmfit passes the varied values as an array
  const jacArray = (p: Loose) => {
    calls++;
    const x = p instanceof Parameters ? p.get("x")!.value : p[0];
    const y = p instanceof Parameters ? p.get("y")!.value : p[1];
    return Array.from(a, (ai, i) => [2 * x - 2 * ai, 2 * y - 2 * b[i]]);
  };
  const params = new Parameters();
  params.add("x", { value: 0 });
  params.add("y", { value: 0 });
  const result = await minimize(f, params, { method: "least_squares" });
  const resultArray = await minimize(f, params, { method: "least_squares", jac: jacArray });
  assert.ok(result.errorbars);
  assert.ok(resultArray.errorbars);
  assertAllclose(result.covar!.flat(), resultArray.covar!.flat());
  assert.ok(calls > 0, "jac was never called");
});
