import assert from "node:assert/strict";
import fc from "fast-check";
import {
  type Binding,
  compile,
  compileMany,
  derivative,
  parse,
  print,
  simplify,
} from "../../lib/expr/mod.ts";

const vars = ["x", "y", "z"];
const bind = (
  n: string,
): Binding | undefined => (vars.includes(n) ? { kind: "slot", index: vars.indexOf(n) } : undefined);

/**
 * Central difference with Richardson extrapolation, plus an estimate of its own truncation
 * error (the change when the step is halved), so steep oscillating cases are judged fairly.
 */
function numericDerivative(
  src: string,
  at: Float64Array,
  k: number,
): { value: number; error: number } {
  const f = compile(parse(src), bind);
  const d = (h: number) => {
    const p = Float64Array.from(at), m = Float64Array.from(at);
    p[k] += h;
    m[k] -= h;
    return (f(p) - f(m)) / (2 * h);
  };
  const richardson = (h: number) => (4 * d(h / 2) - d(h)) / 3;
  const h = 1e-3 * Math.max(1, Math.abs(at[k]));
  const fine = richardson(h / 2);
  return { value: fine, error: Math.abs(fine - richardson(h)) };
}

function check(src: string, at: number[], rtol = 1e-6) {
  const x = Float64Array.from(at);
  for (let k = 0; k < vars.length; k++) {
    const dAst = derivative(parse(src), vars[k]);
    const analytic = compile(dAst, bind)(x);
    const numeric = numericDerivative(src, x, k);
    const tol = rtol * Math.max(1, Math.abs(numeric.value)) + numeric.error;
    assert.ok(
      Math.abs(analytic - numeric.value) <= tol,
      `d/d${vars[k]} ${src} at ${at}: analytic ${analytic} (${
        print(dAst)
      }) vs numeric ${numeric.value} ± ${numeric.error}`,
    );
  }
}

Deno.test("every differentiable function of the table has the right derivative", () => {
  const cases: [string, number[]][] = [
    ["abs(x*y)", [1.3, -0.7, 0]],
    ["fabs(x - 3)", [1.3, 0.2, 0]],
    ["acos(x/2)", [0.6, 0, 0]],
    ["acosh(x + 1)", [1.2, 0, 0]],
    ["asin(x*y)", [0.3, 0.9, 0]],
    ["asinh(x**2 + y)", [0.5, 1.5, 0]],
    ["atan(x/y)", [0.5, 1.5, 0]],
    ["atan2(y, x)", [-0.5, 1.5, 0]],
    ["atanh(x/3)", [1.1, 0, 0]],
    ["copysign(x, y)", [1.1, -2, 0]],
    ["cos(x*y)", [1.1, 0.4, 0]],
    ["cosh(x - y)", [1.1, 0.4, 0]],
    ["degrees(x*y)", [1.1, 0.4, 0]],
    ["radians(x*y)", [1.1, 0.4, 0]],
    ["exp(-x*y)", [1.1, 0.4, 0]],
    ["fmod(x*7, y)", [1.1, 1.7, 0]],
    ["hypot(x, y, z)", [1.1, -0.4, 2]],
    ["ldexp(x*y, 3)", [1.1, 0.4, 0]],
    ["log(x*y)", [1.1, 0.4, 0]],
    ["log(x, y)", [3.1, 2.4, 0]],
    ["log10(x + y)", [1.1, 0.4, 0]],
    ["log1p(x*y)", [1.1, 0.4, 0]],
    ["max(x, y, z)", [1.1, 2.4, 0.3]],
    ["min(x, y*2)", [1.1, 2.4, 0.3]],
    ["pow(x, y)", [1.1, 2.4, 0]],
    ["x**y", [1.7, -0.4, 0]],
    ["x**3 - 2**y", [1.7, -0.4, 0]],
    ["sin(x)*sinh(y)", [1.1, 0.4, 0]],
    ["sqrt(x*y + 1)", [1.1, 0.4, 0]],
    ["tan(x - y)", [1.1, 0.4, 0]],
    ["tanh(x*y)", [1.1, 0.4, 0]],
    ["fsum([x, y*y, x*z])", [1.1, 0.4, 2]],
    ["x % y", [5.3, 1.7, 0]],
    ["x // y + floor(x) + ceil(y) + trunc(z)", [5.3, 1.7, 0.5]],
    ["x if x > y else y*y", [5.3, 1.7, 0.5]],
    ["x if x > y else y*y", [1.3, 1.7, 0.5]],
    ["(x > 1) and y or z", [5.3, 1.7, 0.5]],
    ["x*y/z - x/(y + z)", [5.3, 1.7, 0.5]],
    ["-x**2 + (-y)**2", [5.3, 1.7, 0.5]],
    ["erf(x*y) + erfc(x - z)", [0.7, 0.4, 0.5]],
    ["gamfcn(x + y) + lgamma(x*z + 1)", [1.7, 0.4, 0.5]],
    ["wofz_re(x - y, z)", [0.7, 0.4, 0.5]],
    ["wofz_im(x*y, z + 0.1)", [1.7, 0.4, 0.5]],
  ];
  for (const [src, at] of cases) check(src, at);
});

Deno.test("derivatives are simplified", () => {
  assert.equal(print(derivative(parse("3*x + 2"), "x")), "3");
  assert.equal(print(derivative(parse("x**2"), "x")), "2 * x");
  assert.equal(print(derivative(parse("amp * exp(-x / tau)"), "amp")), "exp(-(x / tau))");
  assert.equal(print(derivative(parse("a*b"), "x")), "0");
  assert.equal(print(simplify(parse("0*x + 1*y**1 + (2+3)"))), "y + 5");
  assert.equal(print(simplify(parse("x if 1 else y"))), "x");
});

Deno.test("user functions cannot be differentiated; the error names them", () => {
  assert.throws(() => derivative(parse("myfun(x) + 1"), "x"), /user function 'myfun'/);
  assert.equal(print(derivative(parse("myfun(y) + x"), "x")), "1");
});

Deno.test("compileMany shares common subexpressions and matches compile", () => {
  const f = parse("amp*exp(-(x-cen)**2/(2*sig**2))");
  const names = ["amp", "cen", "sig", "x"];
  const b = (
    n: string,
  ):
    | Binding
    | undefined => (names.includes(n) ? { kind: "slot", index: names.indexOf(n) } : undefined);
  const nodes = [f, ...["amp", "cen", "sig"].map((p) => derivative(f, p))];
  const kernel = compileMany(nodes, b);
  const out = new Float64Array(4);
  const s = Float64Array.of(2, 0.3, 0.7, 0.5);
  kernel(s, out, 0);
  nodes.forEach((n, i) => assert.equal(out[i], compile(n, b)(s)));
});

// Random differentiable expressions in x, y, z.
const leaf = fc.oneof(
  fc.constantFrom("x", "y", "z"),
  fc.double({ min: 0.1, max: 3, noNaN: true }).map((v) => v.toFixed(3)),
);
const { smooth } = fc.letrec((tie) => ({
  smooth: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.tuple(tie("smooth"), fc.constantFrom("+", "-", "*"), tie("smooth")).map(([l, op, r]) =>
      `(${l}) ${op} (${r})`
    ),
    fc.tuple(tie("smooth"), tie("smooth")).map(([l, r]) => `(${l}) / (1.5 + (${r})**2)`),
    fc.tuple(fc.constantFrom("sin", "cos", "atan", "tanh", "asinh"), tie("smooth")).map(([f, e]) =>
      `${f}(${e})`
    ),
    tie("smooth").map((e) => `exp(-(${e})**2)`),
    tie("smooth").map((e) => `sqrt(1 + (${e})**2)`),
    tie("smooth").map((e) => `(${e})**3`),
  ),
}));

Deno.test("property: derivatives agree with central finite differences at random points", () => {
  fc.assert(
    fc.property(
      smooth,
      fc.tuple(
        fc.double({ min: -2, max: 2, noNaN: true }),
        fc.double({ min: -2, max: 2, noNaN: true }),
        fc.double({ min: -2, max: 2, noNaN: true }),
      ),
      (src, at) => {
        const value = compile(parse(src), bind)(Float64Array.from(at));
        if (!Number.isFinite(value) || Math.abs(value) > 1e6) return true;
        check(src, at, 1e-5);
        return true;
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("betaln, max/min of a literal list and pow special cases differentiate", () => {
  check("betaln(x + 1, y*y + 1)", [0.7, 1.3, 0]);
  check("max([x, y*2, z])", [1.1, 0.2, 0.3]);
  check("min((x*x, y))", [1.1, 0.2, 0.3]);
  check("pow(x, 2.5) + x**-2", [1.3, 0, 0]);
});

Deno.test("what has no derivative rule throws a TypeError naming it", () => {
  assert.throws(() => derivative(parse("frexp(x)[0]"), "x"), /frexp\(\) result/);
  assert.throws(() => derivative(parse("digamma(x)"), "x"), /digamma/);
  assert.throws(() => derivative(parse("lgamma_cre(x, 1)"), "x"), /lgamma_cre\(\)/);
  assert.throws(() => derivative(parse("fsum(frexp(x))"), "x"), /fsum\(\) of a non-literal/);
  assert.throws(() => derivative(parse("max(modf(x))"), "x"), /max\(\) of a sequence/);
  // Independent of the variable: derivative 0, no error.
  assert.equal(print(derivative(parse("digamma(y) + frexp(y)[0]"), "x")), "0");
});
