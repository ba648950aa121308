// Mirrors lmfit 1.1.0 tests/test_models.py. check_fit adds unseeded numpy noise; here a seeded
// generator draws the same distribution.
import {
  type BaseModel,
  GaussianModel,
  LinearModel,
  lineshapes,
  type Parameters,
  QuadraticModel,
  SineModel,
  SplineModel,
} from "../../mod.ts";
import { assert, linspace, normalNoise, parityTest } from "./_parity.ts";

const F = "test_models";

let seed = 100;
async function checkFit(
  model: BaseModel,
  params: Parameters,
  x: Float64Array,
  y: Float64Array,
  testValues: Record<string, number>,
  noiseScale = 1e-3,
  atol = 0.1,
  rtol = 0.05,
) {
  const noise = normalNoise(y.length, noiseScale, seed++);
  const result = await model.fit(y.map((v, i) => v + noise[i]), params, { x });
  for (const [name, v] of Object.entries(testValues)) {
    const got = result.bestValues[name];
    assert.ok(
      Math.abs(got - v) <= atol + rtol * Math.abs(got),
      `bad value for ${name}: expected ${v}, got ${got}`,
    );
  }
  return result;
}

parityTest(F, "testLinear", async () => {
  const mod = new LinearModel();
  const x = linspace(-1, 1, 201);
  await checkFit(mod, mod.makeParams({ intercept: 1, slope: 2 }), x, x.map((v) => 10 * v + 2), {
    intercept: 2,
    slope: 10,
  });
});

parityTest(F, "testQuadratic", async () => {
  const mod = new QuadraticModel();
  const x = linspace(-1, 1, 201);
  const y = x.map((v) => 0.3 * v * v + 10 * v + 2);
  await checkFit(mod, mod.makeParams({ a: 0, b: 5, c: 1 }), x, y, { a: 0.3, b: 10, c: 2 });
});

parityTest(F, "testSine_partialperiod", async () => {
  const mod = new SineModel();
  const x = linspace(-1, 1, 201);
  const pars = { amplitude: 1.5, frequency: 0.9, shift: 0.4 };
  const y = x.map((v) => pars.amplitude * Math.sin(v * pars.frequency + pars.shift));
  await checkFit(mod, mod.makeParams({ amplitude: 1, frequency: 1, shift: -0.2 }), x, y, pars);
});

const sineWithLine = (x: Float64Array, p: Record<string, number>) =>
  x.map((v) => p.amplitude * Math.sin(v * p.frequency + p.shift) + p.intercept + v * p.slope);

parityTest(F, "testSineWithLine", async () => {
  const mod = new SineModel().add(new LinearModel());
  const x = linspace(-5, 5, 501);
  const pars = { amplitude: 5.3, frequency: 3.8, shift: 0.1, intercept: 8.2, slope: 0.2 };
  const params = mod.makeParams({
    amplitude: 10,
    frequency: 4.5,
    shift: 0.1,
    intercept: 10,
    slope: 0,
  });
  await checkFit(mod, params, x, sineWithLine(x, pars), pars, 0.02);
});

parityTest(F, "testSineManyShifts", async () => {
  const mod = new SineModel().add(new LinearModel());
  const x = linspace(-5, 5, 501);
  for (const shift of [0.1, 0.5, 1.0, 1.5]) {
    const pars = { amplitude: 5.3, frequency: 3.8, intercept: 8.2, slope: 0.2, shift };
    const params = mod.makeParams({
      amplitude: 10,
      frequency: 4.5,
      shift: 0.8,
      intercept: 10,
      slope: 0,
    });
    await checkFit(mod, params, x, sineWithLine(x, pars), pars, 0.02);
  }
});

parityTest(F, "testSineModel_guess", () => {
  const mod = new SineModel();
  const x = linspace(-10, 10, 201);
  const y = x.map((v) => 1.5 * Math.sin(v * 0.5 + 0.4));
  const v = mod.guess(y, { x }).valuesdict();
  assert.ok(v.amplitude > 0.5 && v.amplitude < 5.0);
  assert.ok(v.frequency > 0.1 && v.frequency < 1.5);
  assert.ok(v.shift > 0.0 && v.shift < 1.0);
});

parityTest(F, "testSplineModel", async () => {
  const x = linspace(0, 25, 501);
  const g = lineshapes.gaussian(x, 10, 16.2, 0.8);
  const y = x.map((v, i) => g[i] + 3 + 0.03 * v + Math.sin(v / 4));
  const peak = new GaussianModel({ prefix: "peak_" });
  const params = peak.makeParams({ amplitude: 8, center: 16, sigma: 1 });
  const bkg = new SplineModel([1, 3, 5, 7, 9, 11, 13, 19, 21, 23, 25], { prefix: "bkg_" });
  for (const p of bkg.guess(y, { x }).values()) params.add(p.clone());
  await checkFit(peak.add(bkg), params, x, y, {
    peak_amplitude: 10,
    peak_center: 16.2,
    peak_sigma: 0.8,
  }, 0.05);
});
