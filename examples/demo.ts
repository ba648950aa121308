/**
 * `deno task demo`: the lmfit manual's decaying-sine example, end to end.
 *
 * Makes noisy data from amp·sin(shift + x/period)·exp(-(x·decay)²), fits it from a poor start
 * with bounds and a constraint, and prints lmfit's report.
 */
import { fitReport, minimize, Parameters, Random } from "../mod.ts";

const rng = new Random(2013);
const n = 2500;
const x = Float64Array.from({ length: n }, (_, i) => (250 * i) / (n - 1));
const truth = { amp: 14, period: 5.33, shift: 0.123, decay: 0.01 };
const data = x.map((v) =>
  truth.amp * Math.sin(truth.shift + v / truth.period) *
    Math.exp(-v * v * truth.decay * truth.decay) +
  0.7215 * rng.normal()
);

function residual(p: Parameters, x: Float64Array, data: Float64Array): Float64Array {
  const { amp, period, shift, decay } = p.valuesdict();
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    out[i] = amp * Math.sin(shift + x[i] / period) * Math.exp(-x[i] * x[i] * decay * decay) -
      data[i];
  }
  return out;
}

const params = new Parameters();
params.add("amp", { value: 13, min: 0 });
params.add("period", { value: 2, min: 1e-10 });
params.add("shift", { value: 0, min: -Math.PI / 2, max: Math.PI / 2 });
params.add("decay", { value: 0.02, min: 0 });
params.add("frequency", { expr: "1 / (2 * pi * period)" });

const t0 = performance.now();
const result = await minimize(residual, params, { args: [x, data] });
const ms = performance.now() - t0;

console.log(fitReport(result));
console.log(
  `\nfitted ${n} points in ${ms.toFixed(1)} ms (${result.nfev} evaluations): ${result.message}`,
);
