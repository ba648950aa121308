// Mirrors lmfit 1.1.0 tests/test_basicfit.py.
import { minimize, Parameters } from "../../mod.ts";
import { assert, assertAllclose, linspace, normalNoise, parityTest } from "./_parity.ts";

const F = "test_basicfit";

parityTest(F, "test_basic", async () => {
  const x = linspace(0, 15, 301);
  const noise = normalNoise(x.length, 0.2, 1);
  const data = x.map((v, i) => 5 * Math.sin(2 * v - 0.1) * Math.exp(-v * v * 0.025) + noise[i]);
  const fcn2min = (params: Parameters, x: Float64Array, data: Float64Array) => {
    const { amp, shift, omega, decay } = params.valuesdict();
    return x.map((v, i) => amp * Math.sin(v * omega + shift) * Math.exp(-v * v * decay) - data[i]);
  };
  const params = new Parameters();
  params.add("amp", { value: 10, min: 0 });
  params.add("decay", { value: 0.1 });
  params.add("shift", { value: 0.0, min: -Math.PI / 2, max: Math.PI / 2 });
  params.add("omega", { value: 3.0 });
  const result = await minimize(fcn2min, params, { args: [x, data] });
  assert.ok(result.nfev > 5);
  assert.ok(result.nfev < 500);
  assert.ok(result.chisqr > 1);
  assert.equal(result.nvarys, 4);
  assertAllclose(result.params.get("amp")!, 5.03, { rtol: 0.05 });
  assertAllclose(result.params.get("omega")!, 2.0, { rtol: 0.05 });
});
