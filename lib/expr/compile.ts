/**
 * Compiles an AST once into nested JavaScript closures over a slot vector (no `eval` of
 * user text). Names are resolved at compile time: to a slot (read at evaluation time), a
 * captured constant, or a function. Numeric sub-expressions compile to closures returning
 * plain numbers, so evaluating a numeric expression allocates nothing.
 *
 * @module
 */

import type { Node } from "./ast.ts";
import { BUILTIN_CONSTANTS, BUILTIN_FUNCTIONS, type Value } from "./builtins.ts";
import { freeNames, walkNodes } from "./names.ts";
import { checkOptions, optionKeys } from "../util/options.ts";
import {
  pyBitOp,
  pyCompare,
  pyFloorDiv,
  pyIndex,
  pyInvert,
  pyMod,
  pyPow,
  strictDivide,
  strictPow,
  truthy,
} from "./ops.ts";

/**
 * How a name resolves.
 *
 * @example
 * ```ts
 * import { type Binding, compile } from "./compile.ts";
 * import { parse } from "./parser.ts";
 * const bind = (name: string): Binding | undefined =>
 *   name === "x" ? { kind: "slot", index: 0 } // read from the slot vector at evaluation time
 *   : name === "k" ? { kind: "value", value: 3 } // a constant captured at compile time
 *   : name === "sq" ? { kind: "function", fn: (v) => (v as number) ** 2 } // a user function
 *   : undefined;
 * compile(parse("k * sq(x)"), bind)(Float64Array.of(2)); // 12
 * ```
 *
 * @category Expressions
 */
export type Binding =
  | { kind: "slot"; index: number }
  | { kind: "value"; value: Value }
  | { kind: "function"; fn: (...args: Value[]) => Value };

/**
 * Thrown when an expression uses names that are not defined; lists all of them.
 *
 * @example
 * ```ts
 * import { compile, ExprNameError } from "./compile.ts";
 * import { parse } from "./parser.ts";
 * try {
 *   compile(parse("a * b + c"), (n) => (n === "a" ? { kind: "slot", index: 0 } : undefined));
 * } catch (e) {
 *   (e as ExprNameError).names; // ["b", "c"]
 *   (e as ExprNameError).message; // "unknown names: 'b', 'c'"
 * }
 * ```
 *
 * @category Expressions
 */
export class ExprNameError extends ReferenceError {
  /** The unknown names. */
  readonly names: string[];
  /** Creates the error for the given unknown names. @param names the unknown names. */
  constructor(names: string[]) {
    super(`unknown name${names.length > 1 ? "s" : ""}: ${names.map((n) => `'${n}'`).join(", ")}`);
    this.name = "ExprNameError";
    this.names = names;
  }
}

/**
 * A compiled numeric expression.
 *
 * @example
 * ```ts
 * import { compile, type CompiledExpr } from "./compile.ts";
 * import { parse } from "./parser.ts";
 * const f: CompiledExpr = compile(parse("x ** 2 + 1"), () => ({ kind: "slot", index: 0 }));
 * f(Float64Array.of(3)); // 10
 * ```
 *
 * @category Expressions
 */
export type CompiledExpr = (slots: Float64Array) => number;
type Closure = (s: Float64Array) => Value;

/** Resolves every name and function, listing all unknown ones in one error. */
function checkNames(node: Node, bind: (name: string) => Binding | undefined): void {
  const unknown = freeNames(node).filter((n) => {
    const b = bind(n);
    return b === undefined || b.kind === "function";
  });
  walkNodes(node, (n) => {
    if (n.type !== "Call") return;
    const b = bind(n.func);
    if (b && b.kind !== "function") {
      throw new TypeError(`'${n.func}' is not a function and cannot be called`);
    }
    if (!b && !(n.func in BUILTIN_FUNCTIONS) && !unknown.includes(n.func)) unknown.push(n.func);
    if (!b && n.func in BUILTIN_FUNCTIONS) {
      const spec = BUILTIN_FUNCTIONS[n.func];
      if (n.args.length < spec.minArgs || n.args.length > spec.maxArgs) {
        const want = spec.minArgs === spec.maxArgs
          ? `${spec.minArgs}`
          : spec.maxArgs === Infinity
          ? `at least ${spec.minArgs}`
          : `${spec.minArgs} to ${spec.maxArgs}`;
        throw new TypeError(
          `${n.func}() takes ${want} argument${
            spec.maxArgs === 1 ? "" : "s"
          }, got ${n.args.length}`,
        );
      }
    }
  });
  if (unknown.length) throw new ExprNameError(unknown);
}

function asNumber(v: Value, what: string): number {
  if (typeof v !== "number") throw new TypeError(`${what}: expected a number, got a tuple`);
  return v;
}

/**
 * Compiles a numeric expression. Throws `ExprNameError` listing unknown names.
 *
 * @example
 * ```ts
 * import { compile } from "./compile.ts";
 * import { parse } from "./parser.ts";
 * const f = compile(parse("a * 2 + b"), (n) => ({ kind: "slot", index: n === "a" ? 0 : 1 }));
 * f(Float64Array.of(3, 1)); // 7
 * ```
 *
 * @category Expressions
 */
export function compile(
  node: Node,
  bind: (name: string) => Binding | undefined,
  options: CompileOptions = {},
): CompiledExpr {
  checkOptions(options, optionKeys<CompileOptions>({ strict: true }), "compile");
  checkNames(node, bind);
  const before = strict;
  strict = options.strict ?? false;
  try {
    return compileNumber(node, bind);
  } finally {
    strict = before;
  }
}

/**
 * Options of `compile`.
 *
 * @example
 * ```ts
 * import { compile, type CompileOptions } from "./compile.ts";
 * import { parse } from "./parser.ts";
 * const options: CompileOptions = { strict: true };
 * const f = compile(parse("1 / a"), () => ({ kind: "slot", index: 0 }), options);
 * f(Float64Array.of(4)); // 0.25; f(Float64Array.of(0)) throws "division by zero"
 * ```
 *
 * @category Expressions
 */
export interface CompileOptions {
  /**
   * Raise an `ArithmeticError` where Python raises (division or modulo by zero, a power that
   * overflows), as constraint expressions need; model expressions keep numpy's ±inf and NaN.
   * @default false
   */
  strict?: boolean;
}

/** Set while `compile` runs with `strict`: read when each operator's closure is built. */
let strict = false;

function compileNumber(node: Node, bind: (name: string) => Binding | undefined): CompiledExpr {
  if (isNumeric(node, bind)) return num(node, bind);
  const f = value(node, bind);
  return (s) => {
    const v = f(s);
    if (typeof v !== "number") throw new TypeError("expression evaluates to a tuple, not a number");
    return v;
  };
}

/**
 * Compiles an expression that may evaluate to a tuple.
 *
 * @example
 * ```ts
 * import { compileValue } from "./compile.ts";
 * import { parse } from "./parser.ts";
 * const bind = (n: string) => (n === "x" ? { kind: "slot" as const, index: 0 } : undefined);
 * const f = compileValue(parse("(x, frexp(x))"), bind);
 * f(Float64Array.of(8)); // [8, [0.5, 4]]
 * ```
 *
 * @category Expressions
 */
export function compileValue(
  node: Node,
  bind: (name: string) => Binding | undefined,
): (slots: Float64Array) => Value {
  checkNames(node, bind);
  return value(node, bind);
}

/** Whether a node certainly evaluates to a number (then the allocation-free path is used). */
function isNumeric(node: Node, bind: (name: string) => Binding | undefined): boolean {
  switch (node.type) {
    case "Num":
      return true;
    case "Name": {
      const b = bind(node.id);
      if (!b) return node.id in BUILTIN_CONSTANTS;
      return b.kind === "slot" || (b.kind === "value" && typeof b.value === "number");
    }
    case "Tuple":
      return false;
    case "Unary":
      return isNumeric(node.arg, bind);
    case "Binary":
      return isNumeric(node.left, bind) && isNumeric(node.right, bind);
    case "BoolOp":
      return node.values.every((v) => isNumeric(v, bind));
    case "Compare":
      return isNumeric(node.left, bind) && node.comparators.every((c) => isNumeric(c, bind)) &&
        !node.ops.some((o) => o === "in" || o === "not in");
    case "IfExp":
      return isNumeric(node.test, bind) && isNumeric(node.body, bind) &&
        isNumeric(node.orelse, bind);
    case "Call": {
      if (bind(node.func)) return false;
      if (node.func === "frexp" || node.func === "modf") return false;
      if (
        node.func === "fsum" ||
        ((node.func === "max" || node.func === "min") && node.args.length === 1)
      ) return false;
      return node.args.every((a) => isNumeric(a, bind));
    }
    case "Subscript":
      return false;
  }
}

type NumFn = (s: Float64Array) => number;

/** Allocation-free numeric closures. */
function num(node: Node, bind: (name: string) => Binding | undefined): NumFn {
  switch (node.type) {
    case "Num": {
      const v = node.value;
      return () => v;
    }
    case "Name": {
      const b = bind(node.id);
      if (b?.kind === "slot") {
        const i = b.index;
        return (s) => s[i];
      }
      const v = b ? (b as { value: number }).value : BUILTIN_CONSTANTS[node.id];
      return () => v;
    }
    case "Unary": {
      const a = num(node.arg, bind);
      switch (node.op) {
        case "-":
          return (s) => -a(s);
        case "+":
          return a;
        case "~":
          return (s) => pyInvert(a(s));
        case "not":
          return (s) => (a(s) === 0 ? 1 : 0);
      }
      break;
    }
    case "Binary": {
      const l = num(node.left, bind), r = num(node.right, bind);
      if (strict && (node.op === "/" || node.op === "//" || node.op === "%")) {
        const op = node.op;
        return (s) => strictDivide(op, l(s), r(s));
      }
      if (strict && node.op === "**") return (s) => strictPow(l(s), r(s));
      switch (node.op) {
        case "+":
          return (s) => l(s) + r(s);
        case "-":
          return (s) => l(s) - r(s);
        case "*":
          return (s) => l(s) * r(s);
        case "/":
          return (s) => l(s) / r(s);
        case "**":
          if (node.right.type === "Num" && node.right.value === 2) {
            return (s) => {
              const v = l(s);
              return v * v;
            };
          }
          return (s) => pyPow(l(s), r(s));
        case "//":
          return (s) => pyFloorDiv(l(s), r(s));
        case "%":
          return (s) => pyMod(l(s), r(s));
        default: {
          const op = node.op;
          return (s) => pyBitOp(op, l(s), r(s));
        }
      }
    }
    case "BoolOp": {
      const fs = node.values.map((v) => num(v, bind));
      if (node.op === "and") {
        return (s) => {
          let v = 0;
          for (const f of fs) {
            v = f(s);
            if (v === 0) return v;
          }
          return v;
        };
      }
      return (s) => {
        let v = 0;
        for (const f of fs) {
          v = f(s);
          if (v !== 0) return v;
        }
        return v;
      };
    }
    case "Compare": {
      const fs = [num(node.left, bind), ...node.comparators.map((c) => num(c, bind))];
      if (fs.length === 2) {
        const [l, r] = fs;
        switch (node.ops[0]) {
          case "<":
            return (s) => (l(s) < r(s) ? 1 : 0);
          case "<=":
            return (s) => (l(s) <= r(s) ? 1 : 0);
          case ">":
            return (s) => (l(s) > r(s) ? 1 : 0);
          case ">=":
            return (s) => (l(s) >= r(s) ? 1 : 0);
          case "==":
          case "is":
            return (s) => (l(s) === r(s) ? 1 : 0);
          case "!=":
          case "is not":
            return (s) => (l(s) !== r(s) ? 1 : 0);
        }
      }
      const ops = node.ops;
      // Python evaluates each operand at most once and stops at the first false link.
      return (s) => {
        let a = fs[0](s);
        for (let i = 0; i < ops.length; i++) {
          const b = fs[i + 1](s);
          if (!pyCompare(ops[i], a, b)) return 0;
          a = b;
        }
        return 1;
      };
    }
    case "IfExp": {
      const t = num(node.test, bind), b = num(node.body, bind), o = num(node.orelse, bind);
      return (s) => (t(s) !== 0 ? b(s) : o(s));
    }
    case "Call": {
      const fn = BUILTIN_FUNCTIONS[node.func].fn as (...a: number[]) => number;
      const args = node.args.map((a) => num(a, bind));
      switch (args.length) {
        case 0:
          return () => fn();
        case 1: {
          const a0 = args[0];
          const direct = DIRECT_MATH[node.func];
          if (direct) return (s) => direct(a0(s));
          return (s) => fn(a0(s));
        }
        case 2: {
          const [a0, a1] = args;
          return (s) => fn(a0(s), a1(s));
        }
        case 3: {
          const [a0, a1, a2] = args;
          return (s) => fn(a0(s), a1(s), a2(s));
        }
        default:
          return (s) => fn(...args.map((a) => a(s)));
      }
    }
  }
  throw new TypeError(`cannot compile ${node.type} as a number`);
}

const DIRECT_MATH: Record<string, (x: number) => number> = {
  __proto__: null as unknown as (x: number) => number, // a lookup table: no inherited names
  exp: Math.exp,
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  sqrt: Math.sqrt,
  log: Math.log,
  abs: Math.abs,
  fabs: Math.abs,
  atan: Math.atan,
  tanh: Math.tanh,
  sinh: Math.sinh,
  cosh: Math.cosh,
  log10: Math.log10,
};

/** General closures (values may be tuples). */
function value(node: Node, bind: (name: string) => Binding | undefined): Closure {
  if (isNumeric(node, bind)) return num(node, bind);
  switch (node.type) {
    case "Name": {
      const b = bind(node.id) as { kind: "value"; value: Value };
      const v = b.value;
      return () => v;
    }
    case "Tuple": {
      const fs = node.items.map((c) => value(c, bind));
      return (s) => fs.map((f) => f(s));
    }
    case "Unary": {
      const a = value(node.arg, bind);
      if (node.op === "not") return (s) => (truthy(a(s)) ? 0 : 1);
      const what = `unary ${node.op}`;
      return (s) => {
        const v = asNumber(a(s), what);
        return node.op === "-" ? -v : node.op === "+" ? v : pyInvert(v);
      };
    }
    case "Binary": {
      const l = value(node.left, bind), r = value(node.right, bind);
      const op = node.op;
      const strictOps = strict;
      return (s) => {
        const a = l(s), b = r(s);
        if (op === "+" && typeof a !== "number" && typeof b !== "number") return [...a, ...b];
        if (op === "*" && (typeof a !== "number") !== (typeof b !== "number")) {
          const [seq, n] = typeof a === "number"
            ? [b as readonly Value[], a]
            : [a as readonly Value[], b as number];
          const out: Value[] = [];
          for (let k = 0; k < Math.trunc(n); k++) out.push(...seq);
          return out;
        }
        const x = asNumber(a, `operator ${op}`), y = asNumber(b, `operator ${op}`);
        if (strictOps) {
          if (op === "/" || op === "//" || op === "%") return strictDivide(op, x, y);
          if (op === "**") return strictPow(x, y);
        }
        switch (op) {
          case "+":
            return x + y;
          case "-":
            return x - y;
          case "*":
            return x * y;
          case "/":
            return x / y;
          case "**":
            return pyPow(x, y);
          case "//":
            return pyFloorDiv(x, y);
          case "%":
            return pyMod(x, y);
          default:
            return pyBitOp(op, x, y);
        }
      };
    }
    case "BoolOp": {
      const fs = node.values.map((v) => value(v, bind));
      const isAnd = node.op === "and";
      return (s) => {
        let v: Value = 0;
        for (const f of fs) {
          v = f(s);
          if (truthy(v) !== isAnd) return v;
        }
        return v;
      };
    }
    case "Compare": {
      const fs = [value(node.left, bind), ...node.comparators.map((c) => value(c, bind))];
      const ops = node.ops;
      return (s) => {
        let a = fs[0](s);
        for (let i = 0; i < ops.length; i++) {
          const b = fs[i + 1](s);
          if (!pyCompare(ops[i], a, b)) return 0;
          a = b;
        }
        return 1;
      };
    }
    case "IfExp": {
      const t = value(node.test, bind), b = value(node.body, bind), o = value(node.orelse, bind);
      return (s) => (truthy(t(s)) ? b(s) : o(s));
    }
    case "Call": {
      const b = bind(node.func);
      const fn = b ? (b as { fn: (...a: Value[]) => Value }).fn : BUILTIN_FUNCTIONS[node.func].fn;
      const args = node.args.map((a) => value(a, bind));
      const fname = node.func;
      return (s) => {
        const v = fn(...args.map((a) => a(s)));
        if (typeof v !== "number" && !Array.isArray(v)) {
          throw new TypeError(`function '${fname}' returned ${typeof v}, not a number or tuple`);
        }
        return v;
      };
    }
    case "Subscript": {
      const v = value(node.value, bind), i = value(node.index, bind);
      return (s) => pyIndex(v(s), i(s));
    }
  }
  throw new TypeError(`cannot compile ${node.type}`);
}
