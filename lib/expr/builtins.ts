/**
 * The built-in constants and functions of the expression language: the lmfit manual's list
 * (Python's `math` module names, plus numpy's `cbrt`, `expm1` and `log2`), with Python's results.
 *
 * Semantics: where Python's `math` raises for a domain error (`sqrt(-1)`, `log(0)`, `1/0`),
 * we return NaN or ±inf as numpy float64 does, because parameters and model values are
 * floats and a fit must be able to reject such a point rather than crash. Everything else
 * follows Python: `fmod` keeps the dividend's sign, `ceil`, `floor` and `trunc` return
 * integral floats without a negative zero (Python returns ints: `ceil(-0.5)` is `0`),
 * `x ** y` and `pow` follow Python's special cases (`1 ** nan == 1`), `frexp`/`modf` return tuples,
 * `fsum` is exactly rounded, `log(x, base)` takes an optional base, `factorial` needs a
 * non-negative integral value (an integral float is accepted, as Python 3.9 did). All numbers
 * are float64: integers beyond 2**53 round, and tuples and lists are one sequence type, so
 * `(1, 2) == [1, 2]` is true here (false in Python).
 *
 * @module
 */

import { pyPow, type Value } from "./ops.ts";
import { erf, erfc } from "../special/erf.ts";
import { digamma, gamma } from "../special/gamma.ts";
import { lgamma } from "../special/distributions.ts";
import { wofzIm, wofzRe } from "../special/faddeeva.ts";
import { betaln, lgammaComplexRe } from "../special/complex_gamma.ts";

export type { Value } from "./ops.ts";

/**
 * Built-in constants.
 *
 * @example
 * ```ts
 * import { BUILTIN_CONSTANTS } from "./builtins.ts";
 * import { compile } from "./compile.ts";
 * import { parse } from "./parser.ts";
 * BUILTIN_CONSTANTS.pi === Math.PI; // true
 * Object.keys(BUILTIN_CONSTANTS); // ["e", "pi", "inf", "nan", "True", "False"]
 * compile(parse("2 * pi"), () => undefined)(new Float64Array(0)); // 6.283185307179586
 * ```
 *
 * @category Expressions
 */
export const BUILTIN_CONSTANTS: Readonly<Record<string, number>> = nullProto({
  e: Math.E,
  pi: Math.PI,
  inf: Infinity,
  nan: NaN,
  True: 1,
  False: 0,
});

/** A frozen lookup table without a prototype, so that `"toString" in table` is false. */
function nullProto<T>(entries: Record<string, T>): Readonly<Record<string, T>> {
  return Object.freeze(Object.assign(Object.create(null), entries));
}

function num(v: Value, fname: string): number {
  if (typeof v !== "number") throw new TypeError(`${fname}() needs a number, got a tuple`);
  return v;
}

function integral(v: Value, fname: string): number {
  const x = num(v, fname);
  if (!Number.isInteger(x)) throw new TypeError(`${fname}() needs an integral value, got ${x}`);
  return x;
}

/**
 * Exactly rounded sum (Shewchuk's algorithm, as Python's `math.fsum`). Where Python raises
 * OverflowError on an intermediate overflow, the result is that infinity.
 *
 * @example
 * ```ts
 * import { fsum } from "./builtins.ts";
 * fsum([1e100, 1.0, -1e100]); // 1
 * ```
 *
 * @category Expressions
 */
export function fsum(values: readonly number[]): number {
  const partials: number[] = [];
  let special = 0;
  let inf = 0;
  let overflow = 0;
  for (let x of values) {
    if (!Number.isFinite(x)) {
      if (Number.isNaN(x)) special = NaN;
      else inf += x;
      continue;
    }
    let i = 0;
    for (let j = 0; j < partials.length; j++) {
      let y = partials[j];
      if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) partials[i++] = lo;
      x = hi;
    }
    partials.length = i;
    if (!Number.isFinite(x)) {
      // Intermediate overflow of finite summands: Python raises OverflowError; we give the
      // infinity a float64 running sum gives (numpy semantics), unless a NaN or inf input rules.
      overflow = x;
      partials.length = 0;
      continue;
    }
    partials.push(x);
  }
  if (Number.isNaN(special) || Number.isNaN(inf)) return NaN;
  if (inf !== 0) return inf;
  if (overflow !== 0) return overflow;
  let n = partials.length;
  let hi = 0;
  if (n > 0) {
    hi = partials[--n];
    let lo = 0;
    while (n > 0) {
      const x = hi;
      const y = partials[--n];
      hi = x + y;
      const yr = hi - x;
      lo = y - yr;
      if (lo !== 0) break;
    }
    if (n > 0 && ((lo < 0 && partials[n - 1] < 0) || (lo > 0 && partials[n - 1] > 0))) {
      const y = lo * 2;
      const x = hi + y;
      const yr = x - hi;
      if (y === yr) hi = x;
    }
  }
  return hi;
}

function flatten(v: Value, fname: string): number[] {
  if (typeof v === "number") throw new TypeError(`${fname}() needs a tuple or list`);
  return v.map((x) => num(x, fname));
}

/**
 * Python's `math.frexp`: `[m, e]` with `x == m * 2**e` and `0.5 <= |m| < 1` (exact; subnormal
 * inputs are scaled into the normal range first, so no intermediate power of two overflows).
 */
export function frexp(x: number): [number, number] {
  if (x === 0 || !Number.isFinite(x)) return [x, 0];
  let bias = 0;
  if (Math.abs(x) < 2 ** -1022) {
    x *= 2 ** 64; // exact for subnormals
    bias = -64;
  }
  let e = Math.floor(Math.log2(Math.abs(x))) + 1; // within ±1 of the true exponent
  let m = x * 2 ** -e; // exact: x is normal and |e| <= 1024
  if (Math.abs(m) < 0.5) {
    m *= 2;
    e--;
  } else if (Math.abs(m) >= 1) {
    m /= 2;
    e++;
  }
  return [m, e + bias];
}

function ldexp(m: number, e: number): number {
  // Split the scaling so intermediate powers of two stay finite.
  if (e > 1023) return m * 2 ** 1023 * 2 ** (e - 1023);
  if (e < -1022) return m * 2 ** -1022 * 2 ** (e + 1022);
  return m * 2 ** e;
}

function factorial(n: number): number {
  if (n < 0) throw new RangeError("factorial() not defined for negative values");
  let r = 1;
  for (let i = 2; i <= n; i++) r *= i;
  return r;
}

function minmax(args: Value[], fname: string, pick: (a: number, b: number) => boolean): number {
  const vals = args.length === 1 ? flatten(args[0], fname) : args.map((a) => num(a, fname));
  if (vals.length === 0) throw new RangeError(`${fname}() arg is an empty sequence`);
  let best = vals[0];
  for (const v of vals) if (pick(v, best)) best = v;
  return best;
}

type Fn = (...args: Value[]) => Value;
const f1 = (fname: string, f: (x: number) => number): Fn => (x) => f(num(x, fname));
const f2 = (fname: string, f: (x: number, y: number) => number): Fn => (x, y) =>
  f(num(x, fname), num(y, fname));

/** Python's `math.fmod` (sign of the dividend). */
function fmod(x: number, y: number): number {
  return x % y;
}

/**
 * The language's functions that are JavaScript's `Math` function of the same name for every
 * argument count they accept: compiled code calls `Math` for them, and JavaScript source read as
 * a model maps `Math.f` onto them. (`log` is not one: the language's takes an optional base.)
 *
 * @example
 * ```ts
 * import { MATH_SAME_NAME } from "./builtins.ts";
 * MATH_SAME_NAME.has("sinh"); // true
 * MATH_SAME_NAME.has("floor"); // false: the language's floor never returns -0
 * ```
 */
export const MATH_SAME_NAME: ReadonlySet<string> = new Set([
  "abs",
  "acos",
  "acosh",
  "asin",
  "asinh",
  "atan",
  "atan2",
  "atanh",
  "cbrt",
  "cos",
  "cosh",
  "exp",
  "expm1",
  "hypot",
  "log10",
  "log1p",
  "log2",
  "sin",
  "sinh",
  "sqrt",
  "tan",
  "tanh",
]);

/**
 * Built-in functions with their arity.
 *
 * @example
 * ```ts
 * import { BUILTIN_FUNCTIONS } from "./builtins.ts";
 * const { fn, minArgs, maxArgs } = BUILTIN_FUNCTIONS.atan2;
 * fn(1, 1); // 0.7853981633974483 (π/4)
 * [minArgs, maxArgs]; // [2, 2]
 * "hypot" in BUILTIN_FUNCTIONS; // true
 * "eval" in BUILTIN_FUNCTIONS; // false: only the whitelisted math functions
 * ```
 *
 * @category Expressions
 */
export const BUILTIN_FUNCTIONS: Readonly<
  Record<string, { fn: (...args: Value[]) => Value; minArgs: number; maxArgs: number }>
> = nullProto({
  abs: { fn: f1("abs", Math.abs), minArgs: 1, maxArgs: 1 },
  fabs: { fn: f1("fabs", Math.abs), minArgs: 1, maxArgs: 1 },
  acos: { fn: f1("acos", Math.acos), minArgs: 1, maxArgs: 1 },
  acosh: { fn: f1("acosh", Math.acosh), minArgs: 1, maxArgs: 1 },
  asin: { fn: f1("asin", Math.asin), minArgs: 1, maxArgs: 1 },
  asinh: { fn: f1("asinh", Math.asinh), minArgs: 1, maxArgs: 1 },
  atan: { fn: f1("atan", Math.atan), minArgs: 1, maxArgs: 1 },
  atan2: { fn: f2("atan2", Math.atan2), minArgs: 2, maxArgs: 2 },
  atanh: { fn: f1("atanh", Math.atanh), minArgs: 1, maxArgs: 1 },
  ceil: { fn: f1("ceil", (x) => Math.ceil(x) + 0), minArgs: 1, maxArgs: 1 },
  copysign: {
    fn: f2("copysign", (x, y) => (y < 0 || Object.is(y, -0) ? -Math.abs(x) : Math.abs(x))),
    minArgs: 2,
    maxArgs: 2,
  },
  cos: { fn: f1("cos", Math.cos), minArgs: 1, maxArgs: 1 },
  cosh: { fn: f1("cosh", Math.cosh), minArgs: 1, maxArgs: 1 },
  degrees: { fn: f1("degrees", (x) => (x * 180) / Math.PI), minArgs: 1, maxArgs: 1 },
  radians: { fn: f1("radians", (x) => (x * Math.PI) / 180), minArgs: 1, maxArgs: 1 },
  exp: { fn: f1("exp", Math.exp), minArgs: 1, maxArgs: 1 },
  factorial: { fn: (x) => factorial(integral(x, "factorial")), minArgs: 1, maxArgs: 1 },
  floor: { fn: f1("floor", (x) => Math.floor(x) + 0), minArgs: 1, maxArgs: 1 },
  fmod: { fn: f2("fmod", fmod), minArgs: 2, maxArgs: 2 },
  frexp: { fn: f1("frexp", (x) => frexp(x) as unknown as number) as Fn, minArgs: 1, maxArgs: 1 },
  fsum: { fn: (v) => fsum(flatten(v, "fsum")), minArgs: 1, maxArgs: 1 },
  hypot: {
    fn: (...a) => Math.hypot(...a.map((v) => num(v, "hypot"))),
    minArgs: 0,
    maxArgs: Infinity,
  },
  isinf: {
    fn: f1("isinf", (x) => (x === Infinity || x === -Infinity ? 1 : 0)),
    minArgs: 1,
    maxArgs: 1,
  },
  isnan: { fn: f1("isnan", (x) => (Number.isNaN(x) ? 1 : 0)), minArgs: 1, maxArgs: 1 },
  ldexp: { fn: (m, e) => ldexp(num(m, "ldexp"), integral(e, "ldexp")), minArgs: 2, maxArgs: 2 },
  log: {
    fn: (x, base) =>
      base === undefined
        ? Math.log(num(x, "log"))
        : Math.log(num(x, "log")) / Math.log(num(base, "log")),
    minArgs: 1,
    maxArgs: 2,
  },
  log10: { fn: f1("log10", Math.log10), minArgs: 1, maxArgs: 1 },
  log1p: { fn: f1("log1p", Math.log1p), minArgs: 1, maxArgs: 1 },
  // numpy's (and JavaScript's Math) cbrt, expm1 and log2: used by compiled JavaScript models.
  log2: { fn: f1("log2", Math.log2), minArgs: 1, maxArgs: 1 },
  cbrt: { fn: f1("cbrt", Math.cbrt), minArgs: 1, maxArgs: 1 },
  expm1: { fn: f1("expm1", Math.expm1), minArgs: 1, maxArgs: 1 },
  max: { fn: (...a) => minmax(a, "max", (x, b) => x > b), minArgs: 1, maxArgs: Infinity },
  min: { fn: (...a) => minmax(a, "min", (x, b) => x < b), minArgs: 1, maxArgs: Infinity },
  modf: {
    fn: f1("modf", (x) => {
      if (!Number.isFinite(x)) {
        return (Number.isNaN(x) ? [x, x] : [Math.sign(x) * 0, x]) as unknown as number;
      }
      const ip = Math.trunc(x);
      return [
        x - ip === 0 ? (x < 0 || Object.is(x, -0) ? -0 : 0) : x - ip,
        ip,
      ] as unknown as number;
    }) as Fn,
    minArgs: 1,
    maxArgs: 1,
  },
  pow: { fn: f2("pow", pyPow), minArgs: 2, maxArgs: 2 },
  sin: { fn: f1("sin", Math.sin), minArgs: 1, maxArgs: 1 },
  sinh: { fn: f1("sinh", Math.sinh), minArgs: 1, maxArgs: 1 },
  sqrt: { fn: f1("sqrt", Math.sqrt), minArgs: 1, maxArgs: 1 },
  tan: { fn: f1("tan", Math.tan), minArgs: 1, maxArgs: 1 },
  tanh: { fn: f1("tanh", Math.tanh), minArgs: 1, maxArgs: 1 },
  trunc: { fn: f1("trunc", (x) => Math.trunc(x) + 0), minArgs: 1, maxArgs: 1 },
  // Special functions for lineshapes (lmfit's lineshapes use scipy.special). `gamma` itself is
  // left free for parameter names (lmfit's Voigt has a parameter gamma): Γ is `gamfcn`.
  erf: { fn: f1("erf", erf), minArgs: 1, maxArgs: 1 },
  erfc: { fn: f1("erfc", erfc), minArgs: 1, maxArgs: 1 },
  gamfcn: { fn: f1("gamfcn", gamma), minArgs: 1, maxArgs: 1 },
  lgamma: { fn: f1("lgamma", lgamma), minArgs: 1, maxArgs: 1 },
  digamma: { fn: f1("digamma", digamma), minArgs: 1, maxArgs: 1 },
  wofz_re: { fn: f2("wofz_re", wofzRe), minArgs: 2, maxArgs: 2 },
  wofz_im: { fn: f2("wofz_im", wofzIm), minArgs: 2, maxArgs: 2 },
  lgamma_cre: { fn: f2("lgamma_cre", lgammaComplexRe), minArgs: 2, maxArgs: 2 },
  betaln: { fn: f2("betaln", betaln), minArgs: 2, maxArgs: 2 },
});

const PYTHON_KEYWORDS = [
  "False",
  "None",
  "True",
  "and",
  "as",
  "assert",
  "async",
  "await",
  "break",
  "class",
  "continue",
  "def",
  "del",
  "elif",
  "else",
  "except",
  "finally",
  "for",
  "from",
  "global",
  "if",
  "import",
  "in",
  "is",
  "lambda",
  "nonlocal",
  "not",
  "or",
  "pass",
  "raise",
  "return",
  "try",
  "while",
  "with",
  "yield",
  "print",
];

/**
 * Names that cannot be parameter names: Python keywords and the built-ins above.
 *
 * @example
 * ```ts
 * import { RESERVED_NAMES } from "./builtins.ts";
 * RESERVED_NAMES.has("lambda"); // true: a Python keyword
 * RESERVED_NAMES.has("sqrt"); // true: a built-in function
 * RESERVED_NAMES.has("amplitude"); // false: free for a parameter
 * ```
 *
 * @category Expressions
 */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([
  ...PYTHON_KEYWORDS,
  ...Object.keys(BUILTIN_CONSTANTS),
  ...Object.keys(BUILTIN_FUNCTIONS),
]);
