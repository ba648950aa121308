/**
 * Python's operator semantics on float values, shared by the closure compiler and the code
 * generator: floor division and modulo (result takes the divisor's sign), integer bit
 * operations, truthiness, comparisons and membership.
 *
 * @module
 */

/**
 * A runtime value: a number (booleans are 1/0) or a tuple/list of values.
 *
 * @example
 * ```ts
 * import { BUILTIN_FUNCTIONS, type Value } from "./builtins.ts";
 * const parts: Value = BUILTIN_FUNCTIONS.modf.fn(2.5); // [0.5, 2] (fraction, integer part)
 * const total: Value = BUILTIN_FUNCTIONS.fsum.fn([0.1, 0.2, 0.3]); // 0.6
 * typeof total === "number" && Array.isArray(parts); // true
 * ```
 *
 * @category Expressions
 */
export type Value = number | readonly Value[];

/** Python's `a // b` for floats (via `divmod`, as CPython's float_floor_div). */
export function pyFloorDiv(a: number, b: number): number {
  if (b === 0) {
    return a === 0 || Number.isNaN(a) ? NaN : (a > 0) === !Object.is(b, -0) ? Infinity : -Infinity;
  }
  if (!Number.isFinite(a) || Number.isNaN(b)) return NaN;
  if (!Number.isFinite(b)) return a === 0 || (a > 0) === (b > 0) ? 0 : -1;
  let mod = a % b;
  let div = (a - mod) / b;
  if (mod !== 0) {
    if ((b < 0) !== (mod < 0)) {
      mod += b;
      div -= 1;
    }
  }
  let floordiv: number;
  if (div !== 0) {
    floordiv = Math.floor(div);
    if (div - floordiv > 0.5) floordiv += 1;
  } else floordiv = (a / b < 0 || Object.is(a / b, -0)) ? -0 : 0; // copysign(0, a / b)
  return floordiv;
}

/**
 * Python's `a ** b` (and `math.pow`) for floats, where C99 `pow` and JavaScript's `Math.pow`
 * differ: `1 ** nan` and `(-1) ** ±inf` are 1 in Python, NaN in JavaScript. Everything else
 * is `Math.pow`. Where Python raises (`0 ** -1`) or returns a complex number (`(-8) ** (1/3)`),
 * the result is numpy float64's: ±inf and NaN.
 */
export function pyPow(a: number, b: number): number {
  const r = Math.pow(a, b);
  if (r === r) return r;
  return a === 1 || (a === -1 && (b === Infinity || b === -Infinity)) ? 1 : r;
}

/**
 * Thrown by strictly compiled expressions (constraints) where Python raises: a division or
 * modulo by zero, a power that overflows a float or raises zero to a negative power.
 *
 * @example
 * ```ts
 * import { ArithmeticError, strictDivide } from "./ops.ts";
 * try {
 *   strictDivide("/", 1, 0);
 * } catch (e) {
 *   e instanceof ArithmeticError; // true
 *   (e as Error).message; // "division by zero"
 * }
 * ```
 *
 * @category Expressions
 */
export class ArithmeticError extends RangeError {
  /** Creates the error. @param message what failed, in Python's words. */
  constructor(message: string) {
    super(message);
    this.name = "ArithmeticError";
  }
}

/**
 * `a / b`, `a // b` or `a % b` as Python evaluates them: an `ArithmeticError` for a zero divisor.
 *
 * @example
 * ```ts
 * import { strictDivide } from "./ops.ts";
 * strictDivide("//", 7, 2); // 3
 * ```
 */
export function strictDivide(op: "/" | "//" | "%", a: number, b: number): number {
  if (b === 0) throw new ArithmeticError(op === "%" ? "modulo by zero" : "division by zero");
  return op === "/" ? a / b : op === "//" ? pyFloorDiv(a, b) : pyMod(a, b);
}

/**
 * `a ** b` as Python evaluates it for floats: an `ArithmeticError` where a finite base and
 * exponent give an infinite result (overflow, or zero to a negative power).
 *
 * @example
 * ```ts
 * import { strictPow } from "./ops.ts";
 * strictPow(2, 10); // 1024
 * ```
 */
export function strictPow(a: number, b: number): number {
  const r = pyPow(a, b);
  if ((r === Infinity || r === -Infinity) && Number.isFinite(a) && Number.isFinite(b)) {
    throw new ArithmeticError(
      a === 0
        ? "0.0 cannot be raised to a negative power"
        : `${a} ** ${b} is too large for a float (overflow)`,
    );
  }
  return r;
}

/** Python's `a % b` for floats: the result has the sign of `b`. */
export function pyMod(a: number, b: number): number {
  if (b === 0 || !Number.isFinite(a) || Number.isNaN(b)) return NaN;
  if (!Number.isFinite(b)) return a === 0 || (a > 0) === (b > 0) ? a : b;
  let mod = a % b;
  if (mod !== 0) {
    if ((b < 0) !== (mod < 0)) mod += b;
  } else mod = b < 0 ? -0 : 0;
  return mod;
}

function toBig(v: number, op: string): bigint {
  if (!Number.isInteger(v)) {
    throw new TypeError(
      `unsupported operand for ${op}: ${v} is not an integer (bit operations need integral values)`,
    );
  }
  return BigInt(v);
}

/** Python's integer bit operations on integral float values. */
export function pyBitOp(op: "&" | "|" | "^" | "<<" | ">>", a: number, b: number): number {
  const x = toBig(a, op), y = toBig(b, op);
  switch (op) {
    case "&":
      return Number(x & y);
    case "|":
      return Number(x | y);
    case "^":
      return Number(x ^ y);
    case "<<":
      if (y < 0n) throw new RangeError("negative shift count");
      return Number(x << y);
    case ">>":
      if (y < 0n) throw new RangeError("negative shift count");
      return Number(x >> y);
  }
}

/** Python's `~a` on an integral value. */
export function pyInvert(a: number): number {
  return Number(~toBig(a, "~"));
}

/** Python truthiness: 0 and empty tuples are false; NaN is true. */
export function truthy(v: Value): boolean {
  return typeof v === "number" ? v !== 0 : v.length > 0;
}

function valuesEqual(a: Value, b: Value): boolean {
  if (typeof a === "number" || typeof b === "number") return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!valuesEqual(a[i], b[i])) return false;
  return true;
}

function lexCompare(a: Value, b: Value): number {
  if (typeof a === "number" && typeof b === "number") {
    return a < b ? -1 : a > b ? 1 : a === b ? 0 : NaN;
  }
  if (typeof a === "number" || typeof b === "number") {
    throw new TypeError("'<' not supported between a number and a tuple");
  }
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (!valuesEqual(a[i], b[i])) return lexCompare(a[i], b[i]);
  }
  return a.length - b.length;
}

/** One Python comparison. `is` compares numbers by value (identity of equal floats). */
export function pyCompare(op: string, a: Value, b: Value): boolean {
  switch (op) {
    case "==":
    case "is":
      return valuesEqual(a, b);
    case "!=":
    case "is not":
      return !valuesEqual(a, b);
    case "<":
      return lexCompare(a, b) < 0;
    case "<=":
      return lexCompare(a, b) <= 0;
    case ">":
      return lexCompare(a, b) > 0;
    case ">=":
      return lexCompare(a, b) >= 0;
    case "in":
    case "not in": {
      if (typeof b === "number") throw new TypeError("argument of 'in' must be a tuple or list");
      const found = b.some((x) => valuesEqual(a, x));
      return op === "in" ? found : !found;
    }
  }
  throw new TypeError(`unknown comparison '${op}'`);
}

/** Python's indexing of a tuple (negative indices count from the end). */
export function pyIndex(v: Value, i: Value): Value {
  if (typeof v === "number") throw new TypeError("a number is not subscriptable");
  if (typeof i !== "number" || !Number.isInteger(i)) {
    throw new TypeError("indices must be integers");
  }
  const j = i < 0 ? v.length + i : i;
  if (j < 0 || j >= v.length) {
    throw new RangeError(`index ${i} out of range for length ${v.length}`);
  }
  return v[j];
}
