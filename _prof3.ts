import { minimize, Parameters } from "./mod.ts";
import { loadFixture } from "./tests/_fixtures.ts";
const seed = loadFixture("seed_fits.json");
const x = Float64Array.from(seed.sine.x as number[]);
const data = Float64Array.from(seed.sine.data as number[]);
const sineResid = (p: Parameters, x: Float64Array, data: Float64Array) => {
  const { amp, period, shift, decay } = p.valuesdict();
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = amp * Math.sin(shift + x[i] / period) * Math.exp(-x[i] * x[i] * decay * decay) - data[i];
  return out;
};
const ps = new Parameters();
ps.addMany(["amp", 13], ["period", 2], ["shift", 0], ["decay", 0.02]);
for (let i = 0; i < 100; i++) await minimize(sineResid, ps, { args: [x, data] });
