// Mirrors lmfit 1.1.0 tests/test_bounds.py.
import { minimize, Parameters } from "../../mod.ts";
import { assert, assertAllclose, linspace, parityTest, seededNoise } from "./_parity.ts";

const F = "test_bounds";

parityTest(F, "test_bounds", async () => {
  const pTrue = new Parameters();
  pTrue.add("amp", { value: 14.0 });
  pTrue.add("period", { value: 5.4321 });
  pTrue.add("shift", { value: 0.12345 });
  pTrue.add("decay", { value: 0.01 });
  // lmfit's kws={'data': data} arrives here as one final keyword object.
  const residual = (pars: Parameters, x: Float64Array, kws?: { data?: Float64Array }) => {
    const { amp, period, decay } = pars.valuesdict();
    let shift = pars.get("shift")!.value;
    if (Math.abs(shift) > Math.PI / 2) shift -= Math.sign(shift) * Math.PI;
    const model = x.map((v) =>
      amp * Math.sin(shift + v / period) * Math.exp(-v * v * decay * decay)
    );
    const data = kws?.data;
    return data ? model.map((m, i) => m - data[i]) : model;
  };
  const n = 1500;
  const noise = seededNoise("bounds", 2.8);
  const x = linspace(0, 250, n);
  const data = residual(pTrue, x).map((v, i) => v + noise[i]);
  const fitParams = new Parameters();
  fitParams.add("amp", { value: 13.0, max: 20, min: 0.0 });
  fitParams.add("period", { value: 2, max: 10 });
  fitParams.add("shift", { value: 0.0, max: Math.PI / 2, min: -Math.PI / 2 });
  fitParams.add("decay", { value: 0.02, max: 0.1, min: 0.0 });
  const out = await minimize(residual, fitParams, { args: [x], kws: { data } });
  assert.ok(out.nfev > 10);
  assert.ok(out.nfree > 50);
  assert.ok(out.chisqr > 1.0);
  assertAllclose(out.params.get("decay")!, 0.01, { rtol: 2e-2 });
  assertAllclose(out.params.get("shift")!, 0.123, { rtol: 2e-2 });
});
