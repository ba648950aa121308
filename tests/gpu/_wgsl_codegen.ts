/**
 * The WGSL code generator: every supported construct evaluated on the GPU (f32) against the
 * f64 closure compiler at the same (f32-rounded) inputs; common subexpressions emitted once;
 * unsupported constructs named by `UnsupportedOnGpuError`.
 */
import assert from "node:assert/strict";
import { parse } from "../../lib/expr/parser.ts";
import { compile } from "../../lib/expr/compile.ts";
import { derivative } from "../../lib/expr/derivative.ts";
import { emitWgsl, UnsupportedOnGpuError } from "../../gpu/wgsl_codegen.ts";
import { evaluateOnGpu } from "../../gpu/evaluate.ts";
import { getGpu, gpuUnavailableReason } from "../../gpu/device.ts";

const gpu = await getGpu();
const hasAdapter = gpu !== null;
if (!hasAdapter) console.log(`GPU tests skipped: ${gpuUnavailableReason()}`);

const NAMES = ["x", "u", "k", "c"];
const n = 257;
// x in [-2, 2], u in [0.2, 2.2], k integral in [-3, 3], c real in [0.3, 2.7]; rounded to f32.
const cols = [
  Float64Array.from({ length: n }, (_, i) => Math.fround(-2 + (4 * i) / (n - 1) + 1e-3)),
  Float64Array.from({ length: n }, (_, i) => Math.fround(0.2 + (2 * ((i * 7) % n)) / (n - 1))),
  Float64Array.from({ length: n }, (_, i) => (i % 7) - 3),
  Float64Array.from({ length: n }, (_, i) => Math.fround(0.3 + (2.4 * ((i * 13) % n)) / n)),
];

/** WGSL's accuracy of the inverse trigonometric functions is 4096 ulp (≈ 2.4e-4 relative). */
const LOOSE = new Set([
  "sin(x) + cos(x) + tan(x/4) + atan(x) + asin(x/3) + acos(x/3)",
  "atan2(x, u) + hypot(x, u) + copysign(u, x) + degrees(x) + radians(x)",
]);

const CASES: string[] = [
  "3*exp(-(x-0.3)**2/(2*0.7**2)) + 0.5",
  "x**2 + x**3 - 2*x**5 + x**8",
  "x**11 - x**10 + u**-3 + u**-2 + u**-1",
  "u**2.5 + pow(u, 1.5) + u**0.5 + u**-0.5 + u**0",
  "x**k",
  "u**c",
  "x // 0.3 + 10*(x % 0.7) + 100*(x % -0.7)",
  "fmod(x, 0.7) + ldexp(x, 3)",
  "(x > 0) + 2*(x <= 0.5) + 4*(-1 < x < 1) + 8*(x == x) + 16*(x != 0.5) + 32*(u >= 1)",
  "x > 0 and u or 3",
  "(x < 0 or u) + 10*(x > 1 and x < 1.5 and u)",
  "not (x > 0)",
  "u if x > 0 else -u",
  "sin(x) + cos(x) + tan(x/4) + atan(x) + asin(x/3) + acos(x/3)",
  "sinh(x) + cosh(x) + tanh(x) + asinh(x) + acosh(u + 1) + atanh(x/3)",
  "sqrt(u) + log(u) + log10(u) + abs(x) + fabs(x) + floor(x) + ceil(x) + trunc(x)",
  "log1p(x/3) + log1p(u*1e-6)*1e6",
  "cbrt(x) + cbrt(u) + expm1(x/3) + expm1(u*1e-4)*1e4 + log2(u)",
  "atan2(x, u) + hypot(x, u) + copysign(u, x) + degrees(x) + radians(x)",
  "max(x, u, 0.5) + min(x, -u)",
  "erf(x) + erfc(x)",
  "erf(x/100)*100",
  "erfc(2*u)",
  "pi*x + e - True + False",
  "+x - -u",
];

Deno.test({
  name: "every supported construct evaluates on the GPU as the f64 compiler does, to f32 precision",
  ignore: !hasAdapter,
  async fn() {
    const nodes = CASES.map(parse);
    const got = (await evaluateOnGpu(nodes, NAMES, cols))!;
    const slots = new Float64Array(NAMES.length);
    nodes.forEach((node, c) => {
      const f = compile(node, (nm) => {
        const i = NAMES.indexOf(nm);
        return i < 0 ? undefined : { kind: "slot", index: i };
      });
      for (let i = 0; i < n; i++) {
        for (let v = 0; v < NAMES.length; v++) slots[v] = cols[v][i];
        const want = f(slots);
        const have = got[c][i];
        if (Number.isNaN(want)) continue; // (−x)**c, outside the real domain
        const tol = LOOSE.has(CASES[c]) ? 1e-3 : 2e-5;
        assert.ok(
          Math.abs(have - want) <= tol * Math.max(1, Math.abs(want)) ||
            Math.abs(have - want) <= 2e-6 * Math.abs(want),
          `${CASES[c]} at x=${cols[0][i]} u=${cols[1][i]} k=${cols[2][i]} c=${
            cols[3][i]
          }: GPU ${have}, CPU ${want}`,
        );
      }
    });
  },
});

Deno.test({
  name: "erfc keeps its relative accuracy in the tail on the GPU",
  ignore: !hasAdapter,
  async fn() {
    const z = Float64Array.from({ length: 64 }, (_, i) => Math.fround(0.05 + i * 0.1));
    const [v] = (await evaluateOnGpu([parse("erfc(x)")], ["x"], [z]))!;
    const f = compile(
      parse("erfc(x)"),
      (nm) => (nm === "x" ? { kind: "slot", index: 0 } : undefined),
    );
    for (let i = 0; i < z.length; i++) {
      const want = f(Float64Array.of(z[i]));
      assert.ok(Math.abs(v[i] - want) <= 5e-6 * want, `erfc(${z[i]}): ${v[i]} vs ${want}`);
    }
  },
});

Deno.test("a model and its derivatives share subexpressions: exp() is emitted once", () => {
  const f = parse("a*exp(-(x-b)**2/(2*s**2))");
  const nodes = [f, ...["a", "b", "s"].map((p) => derivative(f, p))];
  const { code, outputs } = emitWgsl(nodes, { a: "p[0]", b: "p[1]", s: "p[2]", x: "xv[0]" });
  assert.equal(code.match(/exp\(/g)?.length, 1, code);
  assert.equal(outputs.length, 4);
  // Repeated powers reuse one square: x**4 is (x*x)*(x*x) with one temporary for x*x.
  const q = emitWgsl([parse("x**4")], { x: "v" });
  assert.equal(q.code.match(/v \* v/g)?.length, 1, q.code);
});

Deno.test("constructs the GPU cannot run raise UnsupportedOnGpuError naming them", () => {
  const names = { x: "x", a: "a" };
  for (
    const [src, what] of [
      ["gamfcn(x)", /gamfcn\(\)/],
      ["wofz_re(x, a)", /wofz_re\(\)/],
      ["x & 3", /operator &/],
      ["~x", /bit inversion/],
      ["x in (1, 2)", /Tuple|comparison 'in'/],
      ["x*inf", /name 'inf'/],
      ["frexp(x)[0]", /frexp|Subscript/],
      ["x * 1e300", /1e\+300.*float32/],
      ["y + x", /name 'y'/],
    ] as const
  ) {
    assert.throws(() => emitWgsl([parse(src)], names), (e: unknown) => {
      assert.ok(e instanceof UnsupportedOnGpuError, `${src}: ${e}`);
      assert.match(e.message, what);
      return true;
    });
  }
});
