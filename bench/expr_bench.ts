/**
 * Expression evaluation speed: a Gaussian and its three analytic derivatives per data point,
 * evaluated by the closure compiler (`compile`, four closures), by the code generator
 * (`compileMany`, one kernel with shared subexpressions) and by hand-written JavaScript (the
 * baseline). Each iteration evaluates 1000 points; ns/eval = reported time / 1000.
 *
 * Run: deno bench bench/expr_bench.ts
 */
import { compile, compileMany, derivative, parse } from "../lib/expr/mod.ts";
import type { Binding } from "../lib/expr/mod.ts";
import { fastExp, fastSin } from "../lib/expr/fast_math.ts";

const N = 1000;
const xs = Float64Array.from({ length: N }, (_, i) => -5 + (10 * i) / (N - 1));
const names = ["amp", "cen", "sigma", "x"];
const bind = (n: string): Binding | undefined =>
  names.includes(n) ? { kind: "slot", index: names.indexOf(n) } : undefined;
const model = parse("amp * exp(-(x - cen)**2 / (2 * sigma**2))");
const nodes = [model, ...["amp", "cen", "sigma"].map((p) => derivative(model, p))];

const closures = nodes.map((n) => compile(n, bind));
const kernel = compileMany(nodes, bind);
const slots = Float64Array.of(2.5, 0.3, 1.2, 0);
const out = new Float64Array(4 * N);

function handWritten(amp: number, cen: number, sigma: number, x: number, o: number): void {
  const dx = x - cen;
  const s2 = sigma * sigma;
  const g = Math.exp(-(dx * dx) / (2 * s2));
  out[o] = amp * g;
  out[o + 1] = g;
  out[o + 2] = (amp * g * dx) / s2;
  out[o + 3] = (amp * g * dx * dx) / (s2 * sigma);
}

// The three must agree before they are timed.
for (let i = 0; i < N; i += 97) {
  slots[3] = xs[i];
  kernel(slots, out, 0);
  const viaKernel = out.slice(0, 4);
  handWritten(slots[0], slots[1], slots[2], xs[i], 0);
  for (let k = 0; k < 4; k++) {
    const c = closures[k](slots);
    const tol = 1e-14 * Math.max(1, Math.abs(out[k]));
    if (Math.abs(c - out[k]) > tol || Math.abs(viaKernel[k] - out[k]) > tol) {
      throw new Error(`mismatch at x=${xs[i]}, output ${k}: ${c} ${viaKernel[k]} ${out[k]}`);
    }
  }
}

Deno.bench("gaussian + 3 derivatives x1000: hand-written JS", {
  group: "gaussian",
  baseline: true,
}, () => {
  const amp = slots[0], cen = slots[1], sigma = slots[2];
  for (let i = 0; i < N; i++) handWritten(amp, cen, sigma, xs[i], 4 * i);
});

Deno.bench("gaussian + 3 derivatives x1000: compileMany kernel (codegen, CSE)", {
  group: "gaussian",
}, () => {
  for (let i = 0; i < N; i++) {
    slots[3] = xs[i];
    kernel(slots, out, 4 * i);
  }
});

Deno.bench("gaussian + 3 derivatives x1000: compile() closures", { group: "gaussian" }, () => {
  const [f, da, dc, ds] = closures;
  for (let i = 0; i < N; i++) {
    slots[3] = xs[i];
    const o = 4 * i;
    out[o] = f(slots);
    out[o + 1] = da(slots);
    out[o + 2] = dc(slots);
    out[o + 3] = ds(slots);
  }
});

Deno.bench("gaussian value only x1000: compile() closure", { group: "value" }, () => {
  const f = closures[0];
  for (let i = 0; i < N; i++) {
    slots[3] = xs[i];
    out[i] = f(slots);
  }
});

Deno.bench("parse + derivative x3 + compileMany (setup cost)", { group: "setup" }, () => {
  const m = parse("amp * exp(-(x - cen)**2 / (2 * sigma**2))");
  compileMany([m, ...["amp", "cen", "sigma"].map((p) => derivative(m, p))], bind);
});

// Our sin/exp kernels (used by generated loops) against V8's Math, 2,500 values as in the
// manual's decaying sine.
const angles = Float64Array.from({ length: 2500 }, (_, i) => 0.01 * i - 3);
let sink = 0;
Deno.bench("sin x2500: Math.sin", { group: "sin", baseline: true }, () => {
  let s = 0;
  for (let i = 0; i < angles.length; i++) s += Math.sin(angles[i]);
  sink += s;
});
Deno.bench("sin x2500: fastSin", { group: "sin" }, () => {
  let s = 0;
  for (let i = 0; i < angles.length; i++) s += fastSin(angles[i]);
  sink += s;
});
Deno.bench("exp x2500: Math.exp", { group: "exp", baseline: true }, () => {
  let s = 0;
  for (let i = 0; i < angles.length; i++) s += Math.exp(angles[i]);
  sink += s;
});
Deno.bench("exp x2500: fastExp", { group: "exp" }, () => {
  let s = 0;
  for (let i = 0; i < angles.length; i++) s += fastExp(angles[i]);
  sink += s;
  if (sink === 1) console.log(sink);
});
