/**
 * Fast evaluation of several expressions at once (a model and its derivatives), as one
 * JavaScript function generated from the validated AST: names become slot reads, constants
 * numeric literals, built-ins references into a frozen table. Common subexpressions across
 * all expressions are computed once. No user text reaches the generated code: only numbers,
 * slot indices and fixed identifiers.
 *
 * @module
 */

import type { Node } from "./ast.ts";
import { BUILTIN_CONSTANTS, BUILTIN_FUNCTIONS, type Value } from "./builtins.ts";
import { type Binding, compile } from "./compile.ts";
import { key } from "./equal.ts";
import { pyBitOp, pyCompare, pyFloorDiv, pyInvert, pyMod } from "./ops.ts";

/** Writes the values of all compiled expressions into `out[outOffset + k]`. */
export type MultiKernel = (slots: Float64Array, out: Float64Array, outOffset: number) => void;

const MATH_NAMES = new Set([
  "abs",
  "acos",
  "acosh",
  "asin",
  "asinh",
  "atan",
  "atan2",
  "atanh",
  "ceil",
  "cos",
  "cosh",
  "exp",
  "floor",
  "hypot",
  "log10",
  "log1p",
  "pow",
  "sin",
  "sinh",
  "sqrt",
  "tan",
  "tanh",
  "trunc",
]);

function lit(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "Infinity";
  if (v === -Infinity) return "(-Infinity)";
  if (Object.is(v, -0)) return "(-0)";
  return v < 0 ? `(${v})` : String(v);
}

/**
 * Compiles several numeric expressions into one kernel with common subexpressions shared.
 * Throws like `compile` for unknown names.
 *
 * @example
 * ```ts
 * import { compileMany } from "./codegen.ts";
 * import { parse } from "./parser.ts";
 * import { derivative } from "./derivative.ts";
 * const f = parse("a * exp(-b * x)");
 * const bind = (n: string) => ({ a: 0, b: 1, x: 2 } as Record<string, number>)[n] !== undefined
 *   ? { kind: "slot" as const, index: ({ a: 0, b: 1, x: 2 } as Record<string, number>)[n] }
 *   : undefined;
 * const k = compileMany([f, derivative(f, "a"), derivative(f, "b")], bind);
 * const out = new Float64Array(3);
 * k(Float64Array.of(2, 0.5, 1), out, 0); // out = [f, df/da, df/db]
 * ```
 */
export function compileMany(
  nodes: readonly Node[],
  bind: (name: string) => Binding | undefined,
): MultiKernel {
  // Validate names (and arity) through the closure compiler, which also serves as fallback.
  const fallbacks: ((s: Float64Array) => number)[] = [];
  const userFns: ((...a: Value[]) => Value)[] = [];
  const userIndex = new Map<(...a: Value[]) => Value, number>();
  for (const node of nodes) compile(node, bind);

  const lines: string[] = [];
  const scratch: string[] = []; // one scratch variable per max/min, so nested ones cannot clash
  const temps = new Map<string, string>();
  let counter = 0;

  const fallback = (node: Node): string => {
    fallbacks.push(compile(node, bind));
    return `C[${fallbacks.length - 1}](s)`;
  };

  // Returns a JS expression for the node. When `hoist` is true, non-trivial results are stored
  // in temporaries and reused; inside conditionally evaluated parts, code is emitted inline.
  const gen = (node: Node, hoist: boolean): string => {
    const k = key(node);
    const existing = temps.get(k);
    if (existing) return existing;
    let expr: string;
    switch (node.type) {
      case "Num":
        return lit(node.value);
      case "Name": {
        const b = bind(node.id);
        if (!b) return lit(BUILTIN_CONSTANTS[node.id]);
        if (b.kind === "slot") return `s[${b.index}]`;
        if (b.kind === "value" && typeof b.value === "number") return lit(b.value);
        return fallback(node);
      }
      case "Unary": {
        const a = gen(node.arg, hoist);
        expr = node.op === "-"
          ? `(-${a})`
          : node.op === "+"
          ? a
          : node.op === "~"
          ? `O.inv(${a})`
          : `(${a} === 0 ? 1 : 0)`;
        break;
      }
      case "Binary": {
        const a = gen(node.left, hoist), b = gen(node.right, hoist);
        switch (node.op) {
          case "+":
          case "-":
          case "*":
          case "/":
            expr = `(${a} ${node.op} ${b})`;
            break;
          case "**": {
            // Small integer and half powers as multiplications / sqrt (within an ulp of pow).
            const e = node.right.type === "Num" ? node.right.value : NaN;
            if (e === 2) expr = `(${a} * ${a})`;
            else if (e === 3) expr = `(${a} * ${a} * ${a})`;
            else if (e === 4) expr = `((${a} * ${a}) * (${a} * ${a}))`;
            else if (e === 1) expr = `(+${a})`;
            else if (e === -1) expr = `(1 / ${a})`;
            else if (e === -2) expr = `(1 / (${a} * ${a}))`;
            else if (e === 0.5) expr = `Math.sqrt(${a})`;
            else expr = `Math.pow(${a}, ${b})`;
            break;
          }
          case "//":
            expr = `O.fdiv(${a}, ${b})`;
            break;
          case "%":
            expr = `O.mod(${a}, ${b})`;
            break;
          default:
            expr = `O.bit(${JSON.stringify(node.op)}, ${a}, ${b})`;
        }
        break;
      }
      case "Compare": {
        if (node.ops.some((o) => o === "in" || o === "not in")) return fallback(node);
        const parts = [node.left, ...node.comparators].map((c) => gen(c, hoist));
        // Numbers only here (membership was sent to the fallback): plain JS comparisons, which
        // agree with Python's for floats (`is` compares values).
        const jsOp: Record<string, string> = {
          "<": "<",
          "<=": "<=",
          ">": ">",
          ">=": ">=",
          "==": "===",
          "!=": "!==",
          is: "===",
          "is not": "!==",
        };
        const tests = node.ops.map((op, i) => `(${parts[i]} ${jsOp[op]} ${parts[i + 1]})`);
        expr = `((${tests.join(" && ")}) ? 1 : 0)`;
        break;
      }
      case "IfExp": {
        const t = gen(node.test, hoist);
        expr = `(${t} !== 0 ? ${gen(node.body, false)} : ${gen(node.orelse, false)})`;
        break;
      }
      case "BoolOp": {
        const first = gen(node.values[0], hoist);
        const rest = node.values.slice(1).map((v) => gen(v, false));
        // Python returns the deciding operand; written with a temporary-free IIFE-less chain.
        expr = [first, ...rest].reduceRight((acc, cur) =>
          node.op === "or"
            ? `((__v = ${cur}) !== 0 ? __v : ${acc})`
            : `((__v = ${cur}) === 0 ? __v : ${acc})`
        );
        break;
      }
      case "Call": {
        const b = bind(node.func);
        if (b?.kind === "function") {
          let idx = userIndex.get(b.fn);
          if (idx === undefined) {
            idx = userFns.length;
            userFns.push(b.fn);
            userIndex.set(b.fn, idx);
          }
          const args = node.args.map((a) => gen(a, hoist));
          expr = `O.num(U[${idx}](${args.join(", ")}))`;
          break;
        }
        if (
          ["frexp", "modf", "fsum"].includes(node.func) ||
          ((node.func === "max" || node.func === "min") && node.args.length === 1)
        ) {
          return fallback(node);
        }
        const args = node.args.map((a) => gen(a, hoist));
        if (MATH_NAMES.has(node.func)) {
          const jsName = node.func === "abs" ? "abs" : node.func;
          expr = `Math.${jsName}(${args.join(", ")})`;
        } else if (node.func === "log" && args.length === 1) expr = `Math.log(${args[0]})`;
        else if (node.func === "max" || node.func === "min") {
          // Python's max/min keep the first of equal (or NaN-compared) values: a later argument
          // wins only when strictly greater (smaller).
          const cmp = node.func === "max" ? ">" : "<";
          const m = `m${scratch.length}`;
          scratch.push(m);
          expr = args.reduce((acc, a) => `((${m} = ${acc}), (${a} ${cmp} ${m}) ? ${a} : ${m})`);
        } else expr = `F.${node.func}(${args.join(", ")})`;
        break;
      }
      default:
        return fallback(node);
    }
    if (!hoist) return expr;
    const name = `t${counter++}`;
    lines.push(`const ${name} = ${expr};`);
    temps.set(k, name);
    return name;
  };

  const outs = nodes.map((node) => gen(node, true));
  const body = [
    "let __v = 0;",
    ...scratch.map((m) => `let ${m} = 0;`),
    ...lines,
    ...outs.map((o, i) => `out[o + ${i}] = ${o};`),
  ].join("\n");
  const F: Record<string, (...a: number[]) => number> = {};
  for (const [name, spec] of Object.entries(BUILTIN_FUNCTIONS)) {
    F[name] = spec.fn as (...a: number[]) => number;
  }
  const O = Object.freeze({
    fdiv: pyFloorDiv,
    mod: pyMod,
    bit: pyBitOp,
    inv: pyInvert,
    cmp: pyCompare,
    num: (v: Value) => {
      if (typeof v !== "number") {
        throw new TypeError("a user function returned a tuple where a number is needed");
      }
      return v;
    },
  });
  // The body is generated from the validated AST: identifiers are fixed, values are numeric literals.
  const factory = new Function(
    "F",
    "O",
    "U",
    "C",
    `"use strict"; return function kernel(s, out, o) {\n${body}\n};`,
  );
  return factory(Object.freeze(F), O, userFns, fallbacks) as MultiKernel;
}
