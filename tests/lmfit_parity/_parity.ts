/**
 * Shared machinery of the lmfit parity suite: each file mirrors one test file of lmfit 1.1.0's
 * `tests/` folder (same data, starting values, assertions and tolerances), written anew in the
 * camelCase API. Tests listed in `KNOWN_FAILURES` are registered ignored unless the environment
 * variable `LMFIT_PARITY_ALL=1` is set.
 *
 * @module
 */
import assert from "node:assert/strict";
import {
  type Minimizer,
  Minimizer as MinimizerClass,
  type Parameter,
  Parameter as ParameterClass,
  type Parameters,
  Parameters as ParametersClass,
  Random,
} from "../../mod.ts";
import { KNOWN_FAILURES } from "./_known_failures.ts";

export { KNOWN_FAILURES };

const runAll = (() => {
  try {
    return Deno.env.get("LMFIT_PARITY_ALL") === "1";
  } catch {
    return false; // no --allow-env: behave as CI does
  }
})();

/**
 * Registers the mirror of lmfit's `tests/<file>.py::<name>` as the Deno test `"<file>: <name>"`,
 * ignored when it is a known failure (unless `LMFIT_PARITY_ALL=1`).
 */
export function parityTest(file: string, name: string, fn: () => void | Promise<void>): void {
  const key = `${file}::${name}`;
  Deno.test({
    name: `${file}: ${name}`,
    ignore: key in KNOWN_FAILURES && !runAll,
    fn,
  });
}

/** numpy's `assert_allclose`: `|a - d| <= atol + rtol·|d|` elementwise (NaN equals NaN). */
export function assertAllclose(
  actual: number | ArrayLike<number> | { value: number },
  desired: number | ArrayLike<number> | { value: number },
  tol: { rtol?: number; atol?: number } = {},
  what = "",
): void {
  const rtol = tol.rtol ?? 1e-7, atol = tol.atol ?? 0;
  const arr = (v: number | ArrayLike<number> | { value: number }): number[] =>
    typeof v === "number" ? [v] : "value" in v ? [v.value] : Array.from(v as ArrayLike<number>);
  const a = arr(actual), d = arr(desired);
  const n = Math.max(a.length, d.length);
  if (a.length !== d.length && a.length !== 1 && d.length !== 1) {
    assert.fail(`${what} shapes differ: ${a.length} vs ${d.length}`);
  }
  for (let i = 0; i < n; i++) {
    const x = a[a.length === 1 ? 0 : i], y = d[d.length === 1 ? 0 : i];
    if (Number.isNaN(x) && Number.isNaN(y)) continue;
    if (x === y) continue;
    if (!(Math.abs(x - y) <= atol + rtol * Math.abs(y))) {
      assert.fail(
        `${what} not close at [${i}]: actual ${x}, desired ${y} (rtol ${rtol}, atol ${atol})`,
      );
    }
  }
}

/** numpy's `linspace(start, stop, n)`. */
export function linspace(start: number, stop: number, n: number): Float64Array {
  const out = new Float64Array(n);
  const step = n > 1 ? (stop - start) / (n - 1) : 0;
  for (let i = 0; i < n; i++) out[i] = start + i * step;
  if (n > 1) out[n - 1] = stop;
  return out;
}

/**
 * The manual's decaying sine as lmfit's test_basicfit.py and test_nose.py build it: 301 points on
 * [0, 15] of 5·sin(2x − 0.1)·exp(−0.025x²) plus `noise`, its residual, and the start values.
 */
export function decayingSineFit(noise: Float64Array): {
  x: Float64Array;
  data: Float64Array;
  fcn2min: (params: Parameters, x: Float64Array, data: Float64Array) => Float64Array;
  params: Parameters;
} {
  const x = linspace(0, 15, 301);
  const data = x.map((v, i) => 5 * Math.sin(2 * v - 0.1) * Math.exp(-v * v * 0.025) + noise[i]);
  const fcn2min = (params: Parameters, x: Float64Array, data: Float64Array) => {
    const { amp, shift, omega, decay } = params.valuesdict();
    return x.map((v, i) => amp * Math.sin(v * omega + shift) * Math.exp(-v * v * decay) - data[i]);
  };
  const params = new ParametersClass();
  params.add("amp", { value: 10, min: 0 });
  params.add("decay", { value: 0.1 });
  params.add("shift", { value: 0.0, min: -Math.PI / 2, max: Math.PI / 2 });
  params.add("omega", { value: 3.0 });
  return { x, data, fcn2min, params };
}

/** numpy's `arange(start, stop, step)`. */
export function arange(start: number, stop?: number, step = 1): Float64Array {
  if (stop === undefined) [start, stop] = [0, start];
  const n = Math.max(0, Math.ceil((stop - start) / step));
  return Float64Array.from({ length: n }, (_, i) => start + i * step);
}

/**
 * Gaussian noise `normal(scale, size)`; lmfit's tests draw it from numpy, which we cannot
 * reproduce, so the same distribution from a seeded generator.
 */
export function normalNoise(n: number, scale = 1, seed = 0): Float64Array {
  const rng = new Random(seed);
  return Float64Array.from({ length: n }, () => scale * rng.normal());
}

/** Uniform deviates in [0, 1) (numpy's `random.rand`), seeded. */
export function uniformDeviates(n: number, seed = 0): Float64Array {
  const rng = new Random(seed);
  return Float64Array.from({ length: n }, () => rng.uniform());
}

/**
 * A view of `obj` whose members need not be declared: for lmfit API that lmfit-ts may lack
 * (the test then fails with "… is not a function", which the known-failures table explains)
 * without breaking `deno check` for the whole suite.
 */
// deno-lint-ignore no-explicit-any
export type Loose = any;
/** Returns `obj` typed as `Loose`. */
export function loose(obj: unknown): Loose {
  return obj;
}

/** Reads a whitespace-separated numeric table from tests/testdata/lmfit_parity (`#` comments). */
export function readTable(name: string): number[][] {
  const text = Deno.readTextFileSync(
    new URL(`../testdata/lmfit_parity/${name}`, import.meta.url),
  );
  return text.split("\n").map((l) => l.replace(/#.*/, "").trim()).filter((l) => l)
    .map((l) => l.split(/[\s,]+/).map(Number));
}

/** The columns of a table (numpy's `loadtxt(...).T`). */
export function columns(rows: number[][]): Float64Array[] {
  return rows[0].map((_, j) => Float64Array.from(rows, (r) => r[j]));
}

/** Asserts that `fn` throws (or rejects), optionally matching the message. */
export async function assertRaises(
  fn: () => unknown,
  match?: RegExp,
): Promise<void> {
  let threw = false;
  try {
    await fn();
  } catch (e) {
    threw = true;
    if (match) assert.match(String((e as Error)?.message ?? e), match);
  }
  if (!threw) assert.fail(`expected an error${match ? ` matching ${match}` : ""}`);
}

export { assert };

let noiseTable: Record<string, number[]> | null = null;
/**
 * The random draws lmfit's test makes after `np.random.seed(...)` (scripts/gen_parity_noise.py
 * wrote them with numpy), times `scale`: the same data as lmfit's test.
 */
export function seededNoise(key: string, scale = 1): Float64Array {
  noiseTable ??= JSON.parse(
    Deno.readTextFileSync(new URL("../testdata/lmfit_parity/noise.json", import.meta.url)),
  );
  const draws = noiseTable![key];
  if (!draws) throw new Error(`noise.json has no '${key}': add it to gen_parity_noise.py`);
  return Float64Array.from(draws, (v) => v * scale);
}

/** lmfit's `examples/test_peak.dat` (conftest's `peakdata`): `[x, y]`. */
export function peakData(): [Float64Array, Float64Array] {
  const [x, y] = columns(readTable("test_peak.dat"));
  return [x, y];
}

/** numpy's `assert_almost_equal(actual, desired, decimal)`: `|a - d| < 1.5·10^-decimal`. */
export function assertAlmostEqual(
  actual: number | ArrayLike<number>,
  desired: number | ArrayLike<number>,
  decimal = 7,
  what = "",
): void {
  assertAllclose(actual, desired, { rtol: 0, atol: 1.5 * 10 ** -decimal }, what);
}

/** Mean of an array. */
export function mean(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s / a.length;
}

/** lmfit's (name, _val, vary, min, max, _expr, brute_step, user_data) of a Parameter. */
export type ParAttrs = [
  string,
  number,
  boolean,
  number,
  number,
  string | null,
  number | null,
  unknown,
];

/** The attribute tuple lmfit's tests compare (`assert_parameter_attributes`). */
export function parAttrs(par: Parameter): ParAttrs {
  return [
    par.name,
    par.value,
    par.vary,
    par.min,
    par.max,
    par.expr,
    par.bruteStep,
    par.userData === undefined ? null : par.userData,
  ];
}

/** lmfit's `assert_parameter_attributes(par, expected)`. */
export function assertParAttrs(par: Parameter, expected: ParAttrs): void {
  assert.deepEqual(parAttrs(par), expected);
}

/**
 * The fixture that lmfit's test_parameter.py and test_parameters.py both build: `a` (10 in
 * [-100, 100], brute step 5, user data 1) and `b = 2.0*a` (in [-250, 250], brute step 25, user
 * data 2.5), with each one's attributes checked; returns the parameters and both attribute rows.
 */
export function abParameters(): [Parameters, ParAttrs, ParAttrs] {
  const pars = new ParametersClass();
  pars.add(
    new ParameterClass("a", {
      value: 10.0,
      vary: true,
      min: -100.0,
      max: 100.0,
      expr: null,
      bruteStep: 5.0,
      userData: 1,
    }),
  );
  pars.add(
    new ParameterClass("b", {
      value: 0.0,
      vary: true,
      min: -250.0,
      max: 250.0,
      expr: "2.0*a",
      bruteStep: 25.0,
      userData: 2.5,
    }),
  );
  const a: ParAttrs = ["a", 10.0, true, -100.0, 100.0, null, 5.0, 1];
  const b: ParAttrs = ["b", 20.0, false, -250.0, 250.0, "2.0*a", 25.0, 2.5];
  assertParAttrs(pars.get("a")!, a);
  assertParAttrs(pars.get("b")!, b);
  return [pars, a, b];
}

/** lmfit's `Parameters.__eq__`: same names, and each parameter's attributes and stderr equal. */
export function assertParamsEqual(a: Parameters, b: Parameters): void {
  assert.deepEqual([...a.keys()], [...b.keys()]);
  for (const [name, p] of a) {
    const q = b.get(name)!;
    assert.deepEqual([...parAttrs(p), p.stderr], [...parAttrs(q), q.stderr], name);
  }
}

/** conftest.py's `minimizer_Alpine02`: a Minimizer of the scalar Alpine02 function. */
export function minimizerAlpine02(): Minimizer {
  const residual = (params: Parameters) => {
    const x0 = params.get("x0")!.value, x1 = params.get("x1")!.value;
    return Math.sqrt(x0) * Math.sin(x0) * Math.sqrt(x1) * Math.sin(x1);
  };
  const pars = new ParametersClass();
  pars.addMany(["x0", 1, true, 0.0, 10.0], ["x1", 1, true, 0.0, 10.0]);
  return new MinimizerClass(residual, pars);
}

/** Alpine02's global optimum and minimum, as lmfit's tests give them. */
export const ALPINE02 = { globalOptimum: [7.91705268, 4.81584232], fglob: -6.1295 };

/** Parses a JSON fixture from tests/testdata/lmfit_parity. */
export function fixture(name: string): Loose {
  return JSON.parse(
    Deno.readTextFileSync(new URL(`../testdata/lmfit_parity/${name}`, import.meta.url)),
  );
}

/** Captures console.log output of `fn` (lmfit's capsys). */
export async function captureLog(fn: () => unknown): Promise<string> {
  const out: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => out.push(a.map(String).join(" "));
  try {
    await fn();
  } finally {
    console.log = log;
  }
  return out.join("\n");
}

/** Flattens nested arrays (and typed arrays) of numbers, row-major as numpy's ravel(). */
export function ravel(a: unknown): number[] {
  if (typeof a === "number") return [a];
  if (a && typeof a === "object" && Symbol.iterator in a) {
    return [...(a as Iterable<unknown>)].flatMap((v) => ravel(v));
  }
  throw new TypeError(`cannot ravel ${String(a)}`);
}

/** numpy's `unique`: sorted distinct values. */
export function unique(a: number[]): number[] {
  return [...new Set(a)].sort((p, q) => p - q);
}
