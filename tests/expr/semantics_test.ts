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
 *   reject such a point. The fixture has no such case; they are tested separately below.
 */
import assert from "node:assert/strict";
import { type Binding, compileValue, parse, type Value } from "../../mod.ts";

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
    if (a === b) return Object.is(a, b) || a === 0; // signed zeros compared below where it matters
    return Math.abs(a - b) <= 1e-15 * Math.abs(b);
  }
  if (typeof a === "number" || typeof b === "number") return false;
  return a.length === b.length && a.every((x, i) => same(x, b[i]));
}

for (const [src, raw] of Object.entries(fixture.cases as Record<string, unknown>)) {
  Deno.test(`${src} evaluates as Python does`, () => {
    const want = expected(raw);
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
