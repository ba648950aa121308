/** Test helpers: load JSON fixtures from tests/testdata and compare numbers. */
import assert from "node:assert/strict";
import { Parameters } from "../mod.ts";

const here = new URL("./testdata/", import.meta.url);

/** Parses a JSON fixture from tests/testdata. */
// deno-lint-ignore no-explicit-any
export function loadFixture(name: string): any {
  // Python's json writes Infinity/NaN bare; read them as numbers.
  const text = Deno.readTextFileSync(new URL(name, here)).replace(
    /(?<=[\s\[,:])(-?Infinity|NaN)(?=[\s,\]}])/g,
    '"$1"',
  );
  return JSON.parse(
    text,
    (
      _k,
      v,
    ) => (v === "Infinity" ? Infinity : v === "-Infinity" ? -Infinity : v === "NaN" ? NaN : v),
  );
}

/** Builds Parameters from the fixture rows `[name, value, vary, min, max, expr]`. */
export function paramsFrom(
  rows: [string, number, boolean, number | null, number | null, string | null][],
): Parameters {
  const p = new Parameters();
  p.addMany(
    ...rows.map(([n, v, vary, lo, hi, expr]) => [n, expr ? null : v, vary, lo, hi, expr] as const),
  );
  return p;
}

/** Asserts |actual - expected| <= rtol·|expected| (+ atol). */
export function assertClose(
  actual: number,
  expected: number,
  rtol: number,
  label = "",
  atol = 0,
): void {
  const tol = rtol * Math.abs(expected) + atol;
  assert.ok(
    Math.abs(actual - expected) <= tol,
    `${label}: ${actual} differs from ${expected} by ${Math.abs(actual - expected)} (> ${tol})`,
  );
}
