import assert from "node:assert/strict";
import { compileLoop } from "../../../lib/expr/codegen.ts";
import type { Binding } from "../../../lib/expr/compile.ts";
import { derivative } from "../../../lib/expr/derivative.ts";
import { freeNames } from "../../../lib/expr/names.ts";
import { parse } from "../../../lib/expr/parser.ts";
import { compileSimdLoop } from "../../../lib/expr/wasm/simd_kernel.ts";
import { simdSupported } from "../../../lib/expr/wasm/simd_support.ts";

const ignore = !simdSupported();

const PARAMS: Record<string, number> = {
  a: 1.7,
  b: -0.35,
  c: 0.6,
  amp: 14,
  cen: 0.4,
  sigma: 0.8,
  t1: 1.9,
  t2: 0.45,
  period: 5.3,
  shift: 0.12,
  decay: 0.21,
};
const NAMES = Object.keys(PARAMS);
const slotOf = new Map<string, number>([...NAMES, "x", "y"].map((n, i) => [n, i]));
const bind = (n: string): Binding | undefined =>
  n === "k"
    ? { kind: "value", value: 2.5 }
    : slotOf.has(n)
    ? { kind: "slot", index: slotOf.get(n)! }
    : undefined;
const X = NAMES.length, Y = NAMES.length + 1;

/** A model and its derivatives by each parameter it uses: the nodes analyticJacobian compiles. */
function withDerivatives(expr: string) {
  const f = parse(expr);
  return [f, ...freeNames(f).filter((n) => n in PARAMS).map((n) => derivative(f, n))];
}

/** Values of the SIMD and JavaScript kernels at `m` points of x and y. */
function both(expr: string, m: number, lo = -3, hi = 3) {
  const nodes = withDerivatives(expr);
  const simd = compileSimdLoop(nodes, bind, [X, Y]);
  assert(simd !== null, `${expr} is in the SIMD subset`);
  const js = compileLoop(nodes, bind, [X, Y]);
  const x = Float64Array.from({ length: m }, (_, i) => lo + (hi - lo) * i / Math.max(1, m - 1));
  const y = x.map((v) => 0.5 - v / 3);
  const slots = new Float64Array(NAMES.length + 2);
  NAMES.forEach((n, k) => slots[k] = PARAMS[n]);
  const a = nodes.map(() => new Float64Array(m)), b = nodes.map(() => new Float64Array(m));
  simd(slots, [x, y], a, m);
  js(slots, [x, y], b, m);
  return { a, b };
}

function assertClose(expr: string, a: Float64Array[], b: Float64Array[], rtol = 1e-13) {
  a.forEach((col, e) => {
    const scale = b[e].reduce((s, v) => Number.isFinite(v) ? Math.max(s, Math.abs(v)) : s, 0);
    col.forEach((v, i) => {
      const w = b[e][i];
      const ok = Object.is(v, w) || (Number.isNaN(v) && Number.isNaN(w)) ||
        Math.abs(v - w) <= rtol * Math.max(Math.abs(w), 1e-6 * scale);
      assert(ok, `${expr}, output ${e}, point ${i}: SIMD ${v}, JavaScript ${w}`);
    });
  });
}

const MODELS = [
  "amp*sin(shift + x/period)*exp(-x*x*decay*decay)", // the seed's decaying sine
  "amp/(sigma*sqrt(2*pi))*exp(-(x-cen)**2/(2*sigma**2))", // gaussian
  "amp/pi*sigma/((x-cen)**2 + sigma**2)", // lorentzian
  "amp*(sigma/2)**2/((x-cen)**2 + (sigma/2)**2) + c*x + b", // rational plus a line
  "a*exp(-x/t1) + b*exp(-x/t2) + c", // two exponentials
  "a*sqrt(abs(x - c)) + b*fabs(y)**3 + sqrt(a*a + x*x)", // sqrt and abs
  "a*x**4 - b/x**2 + c*x**-1 + x**1 + a**3*y", // the small integer powers
  "a*cos(b*x)**2 + sin(b*x)*cos(b*x) - cos(y)", // sin and cos of one argument, cos alone
  "-(-a*x) + +b - -c*y*k + e*pi", // unary signs, a bound value, constants
  "a*exp(t1*x*y) + c", // two columns; exp past ±700 at some points (JavaScript lanes)
  "amp/(x*sigma*sqrt(2*pi))*exp(-(log(x)-cen)**2/(2*sigma**2))", // lognormal; log(x < 0) is NaN
  "a*log(x*x + c) + b*log(abs(y) + 1e-300)", // log near 1 and of tiny values
];

for (const expr of MODELS) {
  Deno.test({
    name: `SIMD kernel values and derivatives agree with the JavaScript kernel: ${expr}`,
    ignore,
    fn() {
      for (const m of [1, 2, 7, 2500]) {
        const { a, b } = both(expr, m, -30, 30);
        assertClose(expr, a, b);
      }
    },
  });
}

Deno.test({
  name: "SIMD kernel keeps NaN, infinities and signed zeros as the JavaScript kernel does",
  ignore,
  fn() {
    const nodes = [
      parse("x / y"),
      parse("-x * 0"),
      parse("exp(x) * sin(y)"),
      parse("sqrt(x)"),
      parse("copysign(x, y)"),
      parse("copysign(2, -y)"),
    ];
    const simd = compileSimdLoop(nodes, bind, [X, Y])!;
    const js = compileLoop(nodes, bind, [X, Y]);
    const x = Float64Array.of(0, -0, 1, NaN, Infinity, -Infinity, -1, 1e308, 800, 0, 0);
    const y = Float64Array.of(0, 1, -0, 2, Infinity, 3, NaN, 1e6, 1e-320, 0, -1);
    x.set([2, 3], 9);
    // y[9]: a NaN with its sign bit set
    new DataView(y.buffer).setBigUint64(9 * 8, 0xfff8000000000000n, true);
    const m = x.length, slots = new Float64Array(NAMES.length + 2);
    const a = nodes.map(() => new Float64Array(m)), b = nodes.map(() => new Float64Array(m));
    simd(slots, [x, y], a, m);
    js(slots, [x, y], b, m);
    a.forEach((col, e) =>
      col.forEach((v, i) =>
        assert(Object.is(v, b[e][i]) || (Number.isNaN(v) && Number.isNaN(b[e][i])), `${e} ${i}`)
      )
    );
  },
});

Deno.test({
  name: "SIMD kernel reuses its memory across sizes and grows it for larger data",
  ignore,
  fn() {
    const nodes = withDerivatives("a*exp(-x/t1)*cos(y)");
    const simd = compileSimdLoop(nodes, bind, [X, Y])!;
    const js = compileLoop(nodes, bind, [X, Y]);
    const slots = new Float64Array(NAMES.length + 2);
    NAMES.forEach((n, k) => slots[k] = PARAMS[n]);
    for (const m of [10, 200001, 3, 5000, 0]) {
      const x = Float64Array.from({ length: m }, (_, i) => i / 1000);
      const y = x.map((v) => v * 0.7 - 1);
      const a = nodes.map(() => new Float64Array(m).fill(7));
      const b = nodes.map(() => new Float64Array(m).fill(7));
      simd(slots, [x, y], a, m);
      js(slots, [x, y], b, m);
      assertClose(`m = ${m}`, a, b);
    }
    // After 2·10⁶ points (8 columns: 128 MB of WebAssembly memory), 1,000 points get a fresh
    // instance, so the large memory is not kept for the life of the model; same numbers.
    const big = 2_000_000;
    const xb = Float64Array.from({ length: big }, (_, i) => i / 1e6);
    const yb = xb.map((v) => v * 0.7 - 1);
    simd(slots, [xb, yb], nodes.map(() => new Float64Array(big)), big);
    for (let rep = 0; rep < 2; rep++) {
      const m = 1000, x = xb.subarray(0, m), y = yb.subarray(0, m);
      const a = nodes.map(() => new Float64Array(m)), b = nodes.map(() => new Float64Array(m));
      simd(slots, [x, y], a, m);
      js(slots, [x, y], b, m);
      assertClose(`m = ${m} after ${big}`, a, b);
    }
    // Outputs longer than n: only the first n values are written.
    const out = nodes.map(() => new Float64Array(4).fill(7));
    simd(slots, [Float64Array.of(1, 2, 3, 4), Float64Array.of(1, 2, 3, 4)], out, 3);
    out.forEach((col) => assert.equal(col[3], 7));
  },
});

Deno.test("SIMD compilation declines what is outside its subset (the JavaScript kernel stays)", () => {
  const user: Binding = { kind: "function", fn: (v) => v };
  const withUser = (n: string): Binding | undefined => n === "f" ? user : bind(n);
  for (
    const expr of [
      "a % x",
      "a // x",
      "x ** 0.5",
      "x ** a",
      "x ** 5",
      "a if x > 0 else b",
      "x > a",
      "a and x",
      "not x",
      "~a",
      "log(x, 10)",
      "tan(x)",
      "pow(x, 2)",
      "max(a, x)",
      "f(x) + a",
      "a & b",
      "unknown * x",
    ]
  ) {
    assert.equal(compileSimdLoop([parse("a * x"), parse(expr)], withUser, [X]), null, expr);
  }
  const tuple = (n: string): Binding | undefined =>
    n === "t" ? { kind: "value", value: [1, 2] } : bind(n);
  assert.equal(compileSimdLoop([parse("t")], tuple, [X]), null);
  assert.equal(compileSimdLoop([], bind, [X]), null);
});
