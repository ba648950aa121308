/**
 * The fused model-and-Jacobian pass of the seed's decaying sine (value and four derivative
 * columns over 2,500 points), as the generated JavaScript loop (`compileLoop`, the baseline)
 * and as the WebAssembly SIMD kernel (`compileSimdLoop`, copies in and out included); and the
 * same for a Gaussian (exp only). One iteration is one pass, as one fit evaluation does.
 *
 * Run: deno bench bench/wasm_kernel_bench.ts
 */
import { compileLoop, derivative, freeNames, parse } from "../lib/expr/mod.ts";
import type { Binding, LoopKernel } from "../lib/expr/mod.ts";
import { compileSimdLoop } from "../lib/expr/wasm/simd_kernel.ts";
import { simdSupported } from "../lib/expr/wasm/simd_support.ts";

const M = 2500;
const x = Float64Array.from({ length: M }, (_, i) => i * 250 / M);

function kernels(expr: string, values: Record<string, number>) {
  const f = parse(expr);
  const names = freeNames(f).filter((n) => n !== "x");
  const slot = (n: string) => n === "x" ? names.length : names.indexOf(n);
  const bind = (n: string): Binding | undefined =>
    slot(n) >= 0 ? { kind: "slot", index: slot(n) } : undefined;
  const nodes = [f, ...names.map((n) => derivative(f, n))];
  const slots = new Float64Array(names.length + 1);
  names.forEach((n, k) => slots[k] = values[n]);
  const outs = nodes.map(() => new Float64Array(M));
  const js = compileLoop(nodes, bind, [names.length]);
  const simd = simdSupported() ? compileSimdLoop(nodes, bind, [names.length]) : null;
  const run = (k: LoopKernel) => () => k(slots, [x], outs, M);
  return { js: run(js), simd: simd && run(simd) };
}

const cases: [string, string, Record<string, number>][] = [
  ["decaying sine", "amp*sin(shift + x/period)*exp(-x*x*decay*decay)", {
    amp: 14,
    period: 5.33,
    shift: 0.13,
    decay: 0.0099,
  }],
  ["gaussian", "amp/(sigma*sqrt(2*pi))*exp(-(x-cen)**2/(2*sigma**2))", {
    amp: 30,
    cen: 120,
    sigma: 20,
  }],
];

for (const [group, expr, values] of cases) {
  const k = kernels(expr, values);
  Deno.bench({ name: `${group}: generated JavaScript`, group, baseline: true, fn: k.js });
  if (k.simd) Deno.bench({ name: `${group}: WebAssembly SIMD`, group, fn: k.simd });
}
