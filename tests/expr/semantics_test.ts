/**
 * Every operator and function of the manual's lists, checked against Python's own values
 * (tests/testdata/expr_python_values.json, made by scripts/gen_expr_fixture.py).
 *
 * Where the expression language and Python differ, by design:
 * - booleans are the numbers 1 and 0 (Python's True/False compare equal to them);
 * - `is` compares numbers by value (Python compares object identity, which for equal floats
 *   depends on interning); asteval does the same as Python here;
 * - domain errors give NaN/±inf as numpy float64 does (`sqrt(-1)`, `log(0)`, `1/0`), where
 *   Python's math module raises: parameters and models are floats, and a fit must be able to
 *   reject such a point. The fixture cases where Python raises are listed in DEVIATIONS with
 *   our value; more are tested separately below;
 * - all numbers are float64: Python's ints are exact at any size, ours round above 2**53, and
 *   integer `-0` is the float -0.0 here;
 * - `(-8) ** (1/3)` is NaN (numpy), where Python 3 returns a complex number.
 * asteval (lmfit's evaluator) runs Python's own operators and `math`, so it agrees with Python
 * on every case of the fixture.
 */
import assert from "node:assert/strict";
import { type Binding, compileMany, compileValue, parse, type Value } from "../../lib/expr/mod.ts";

/** Fixture cases where we differ from Python by design, with our value (see builtins.ts). */
const DEVIATIONS: Record<string, number> = {
  "ldexp(0.5, 1025)": Infinity, // Python: OverflowError; numpy: inf
  "fsum([1e308, 1e308, -1e308])": Infinity, // Python: OverflowError (intermediate overflow)
  "(1, 2) != [1, 2]": 0, // one sequence type here; Python: a tuple never equals a list
};

const fixture = JSON.parse(
  Deno.readTextFileSync(new URL("../testdata/expr_python_values.json", import.meta.url)),
);
const env: Record<string, number> = fixture.env;
const names = Object.keys(env);
const slots = Float64Array.from(names.map((n) => env[n]));
const bind = (
  n: string,
):
  | Binding
  | undefined => (names.includes(n) ? { kind: "slot", index: names.indexOf(n) } : undefined);

function evaluate(src: string): Value {
  return compileValue(parse(src), bind)(slots);
}

function expected(v: unknown): Value | { error: string } {
  if (v === "inf") return Infinity;
  if (v === "-inf") return -Infinity;
  if (v === "nan") return NaN;
  if (v && typeof v === "object" && "tuple" in v) return (v as { tuple: Value[] }).tuple;
  return v as Value | { error: string };
}

function same(a: Value, b: Value): boolean {
  if (typeof a === "number" && typeof b === "number") {
    if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
    if (a === b) return Object.is(a, b); // signed zeros must agree too
    return Math.abs(a - b) <= 1e-15 * Math.abs(b);
  }
  if (typeof a === "number" || typeof b === "number") return false;
  return a.length === b.length && a.every((x, i) => same(x, b[i]));
}

for (const [src, raw] of Object.entries(fixture.cases as Record<string, unknown>)) {
  Deno.test(`${src} evaluates as Python does`, () => {
    const want = expected(raw);
    if (src in DEVIATIONS) {
      assert.notDeepEqual(want, DEVIATIONS[src], `${src} is not a deviation from Python`);
      assert.equal(evaluate(src), DEVIATIONS[src]);
      return;
    }
    if (want && typeof want === "object" && "error" in want) {
      assert.throws(() => evaluate(src), `${src} should fail as Python raises ${want.error}`);
      return;
    }
    const got = evaluate(src);
    assert.ok(
      same(got, want as Value),
      `${src}: got ${JSON.stringify(got)}, Python gives ${JSON.stringify(want)}`,
    );
  });
}

Deno.test("copysign and atan2 keep the sign of negative zero as Python does", () => {
  assert.equal(evaluate("copysign(3, -0.0)"), -3);
  assert.equal(evaluate("atan2(-0.0, -1.0)"), -Math.PI);
});

Deno.test("domain errors give NaN or inf (numpy float64 semantics) instead of raising", () => {
  assert.ok(Number.isNaN(evaluate("sqrt(-1)") as number));
  assert.equal(evaluate("log(0)"), -Infinity);
  assert.equal(evaluate("1 / 0"), Infinity);
  assert.equal(evaluate("-1 / 0"), -Infinity);
  assert.ok(Number.isNaN(evaluate("0 / 0") as number));
  assert.ok(Number.isNaN(evaluate("7 % 0") as number));
});

Deno.test("bit operations need integral values, as Python's int operators do", () => {
  assert.throws(() => evaluate("2.5 & 1"), /integer/);
  assert.throws(() => evaluate("~0.5"), /integer/);
  assert.throws(() => evaluate("1 << -1"), /negative shift/);
});

Deno.test("factorial rejects negative and non-integral values", () => {
  assert.throws(() => evaluate("factorial(-1)"), /negative/);
  assert.throws(() => evaluate("factorial(2.5)"), /integral/);
});

Deno.test("function arity is checked at compile time", () => {
  assert.throws(() => evaluate("sin(1, 2)"), /sin\(\) takes 1 argument, got 2/);
  assert.throws(() => evaluate("atan2(1)"), /atan2\(\) takes 2 arguments, got 1/);
  assert.throws(() => evaluate("log(1, 2, 3)"), /log\(\) takes 1 to 2 arguments, got 3/);
});

Deno.test("compileMany kernels agree with the closure compiler on every numeric fixture case", () => {
  const out = new Float64Array(3);
  let checked = 0;
  for (const src of Object.keys(fixture.cases)) {
    let want: Value;
    try {
      want = evaluate(src);
    } catch {
      continue;
    }
    if (typeof want !== "number") continue;
    // The same node three times: once alone, twice sharing its subexpressions (CSE).
    const ast = parse(src);
    compileMany([ast, ast, parse(`(${src}) * 1`)], bind)(slots, out, 0);
    for (const got of out) {
      assert.ok(
        Object.is(got, want) || Math.abs(got - want) <= 4e-16 * Math.abs(want),
        `${src}: kernel ${got}, closure ${want}`,
      );
    }
    checked++;
  }
  assert.ok(checked > 180, `only ${checked} cases checked`);
});

Deno.test("frexp of subnormal numbers terminates and is exact", () => {
  for (const x of [5e-324, -5e-324, 1e-310, 2.225073858507201e-308, 3e-320]) {
    const [m, e] = evaluate(`frexp(${x})`) as number[];
    assert.ok(Math.abs(m) >= 0.5 && Math.abs(m) < 1, `mantissa of ${x}: ${m}`);
    assert.equal((m * 2 ** (e + 100)) / 2 ** 100, x);
  }
});

Deno.test("chained comparisons and and/or evaluate later operands only when Python would", () => {
  let calls = 0;
  const spy = (v: Value) => {
    calls++;
    return v;
  };
  const b = (n: string): Binding | undefined =>
    n === "f" ? { kind: "function", fn: spy } : n === "x" ? { kind: "slot", index: 0 } : undefined;
  const cases: [string, number, number][] = [
    ["1 < x < f(5)", 0, 0], // x = 0: the chain stops at 1 < 0
    ["0 <= x < f(5)", 1, 1],
    ["x and f(3)", 0, 0],
    ["x or f(3)", 3, 1],
    ["f(2) if x else 7", 7, 0],
  ];
  for (const [src, want, wantCalls] of cases) {
    for (const mode of ["closure", "kernel"]) {
      calls = 0;
      let got: number;
      if (mode === "closure") got = compileValue(parse(src), b)(Float64Array.of(0)) as number;
      else {
        const out = new Float64Array(1);
        compileMany([parse(src)], b)(Float64Array.of(0), out, 0);
        got = out[0];
      }
      assert.equal(got, want, `${src} (${mode})`);
      assert.equal(calls, wantCalls, `${src} (${mode}) called f ${calls} times`);
    }
  }
});

Deno.test("fsum is exactly rounded where a running sum is not", () => {
  assert.equal(evaluate("fsum([0.1] * 10)"), 1);
  assert.equal(evaluate("fsum([1e16, 1.0, 1e-16, -1e16])"), 1);
  assert.ok(Number.isNaN(evaluate("fsum([inf, -inf])") as number));
  assert.equal(evaluate("fsum([inf, 1e308, 1e308])"), Infinity);
});
