// Mirrors lmfit 1.1.0 tests/test_multidatasets.py.
import { lineshapes, minimize, Parameters } from "../../mod.ts";
import { assert, linspace, normalNoise, parityTest, uniformDeviates } from "./_parity.ts";

const F = "test_multidatasets";

const gaussDataset = (params: Parameters, i: number, x: Float64Array) =>
  lineshapes.gaussian(
    x,
    params.get(`amp_${i + 1}`)!.value,
    params.get(`cen_${i + 1}`)!.value,
    params.get(`sig_${i + 1}`)!.value,
  );

const objective = (params: Parameters, x: Float64Array, data: Float64Array[]) => {
  const resid = new Float64Array(data.length * x.length);
  data.forEach((row, i) => {
    const model = gaussDataset(params, i, x);
    for (let j = 0; j < x.length; j++) resid[i * x.length + j] = row[j] - model[j];
  });
  return resid;
};

parityTest(F, "test_multidatasets", async () => {
  const x = linspace(-1, 2, 151);
  const u = uniformDeviates(15, 11);
  const data: Float64Array[] = [];
  for (let k = 0; k < 5; k++) {
    const amp = 2.6 + 1.5 * u[3 * k], cen = -0.2 + 1.5 * u[3 * k + 1];
    const sig = 0.25 + 0.03 * u[3 * k + 2];
    const noise = normalNoise(x.length, 0.1, 100 + k);
    data.push(lineshapes.gaussian(x, amp, cen, sig).map((v, i) => v + noise[i]));
  }
  assert.deepEqual([data.length, data[0].length], [5, 151]);
  const pars = new Parameters();
  for (let iy = 0; iy < data.length; iy++) {
    pars.add(`amp_${iy + 1}`, { value: 0.5, min: 0.0, max: 200 });
    pars.add(`cen_${iy + 1}`, { value: 0.4, min: -2.0, max: 2.0 });
    pars.add(`sig_${iy + 1}`, { value: 0.3, min: 0.01, max: 3.0 });
  }
  for (const iy of [2, 3, 4, 5]) pars.get(`sig_${iy}`)!.expr = "sig_1";
  const out = await minimize(objective, pars, { args: [x, data] });
  assert.equal(pars.size, 15);
  assert.equal(out.nvarys, 11);
  assert.ok(out.nfev > 15);
  assert.ok(out.chisqr > 1.0);
  assert.ok(pars.get("amp_1")!.value > 0.1);
  assert.ok(pars.get("sig_1")!.value > 0.1);
  assert.equal(pars.get("sig_2")!.value, pars.get("sig_1")!.value);
});
