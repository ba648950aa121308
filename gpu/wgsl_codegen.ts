/**
 * WGSL code generation from the expression AST (f32): the model and its analytic partial
 * derivatives as one WGSL function body with common subexpressions computed once.
 * Constructs WGSL cannot express faithfully (tuples, bit operations, floor division, special
 * functions such as erf or the Faddeeva function) raise `UnsupportedOnGpuError`, which sends the
 * fit to the CPU path.
 *
 * @module
 */

import type { Node } from "../lib/expr/ast.ts";
import { key } from "../lib/expr/equal.ts";

/** Thrown when an expression cannot run on the GPU; the batch falls back to the CPU. */
export class UnsupportedOnGpuError extends Error {
  /** Creates the error; `what` names the construct that is not supported. */
  constructor(what: string) {
    super(`not supported on the GPU: ${what}`);
    this.name = "UnsupportedOnGpuError";
  }
}

const UNARY_FUNCS: Record<string, string> = {
  exp: "exp",
  log: "log",
  sin: "sin",
  cos: "cos",
  tan: "tan",
  sqrt: "sqrt",
  abs: "abs",
  fabs: "abs",
  atan: "atan",
  asin: "asin",
  acos: "acos",
  sinh: "sinh",
  cosh: "cosh",
  tanh: "tanh",
  asinh: "asinh",
  acosh: "acosh",
  atanh: "atanh",
  floor: "floor",
  ceil: "ceil",
  trunc: "trunc",
};

function f32(v: number): string {
  if (!Number.isFinite(v)) throw new UnsupportedOnGpuError(`the constant ${v}`);
  const s = Math.fround(v).toExponential(9);
  return `f32(${s})`;
}

/**
 * WGSL statements computing `nodes` into `out_0 … out_k` (declared by the caller as `var`),
 * reading names through `names` (a WGSL expression per variable name).
 *
 * @example
 * ```ts
 * import { emitWgsl } from "./wgsl_codegen.ts";
 * import { parse } from "../lib/expr/parser.ts";
 * emitWgsl([parse("a*exp(-x/b)")], { a: "p[0]", b: "p[1]", x: "xv" }).code;
 * ```
 */
export function emitWgsl(
  nodes: readonly Node[],
  names: Record<string, string>,
): { code: string; outputs: string[] } {
  const lines: string[] = [];
  const temps = new Map<string, string>();
  let counter = 0;
  const gen = (node: Node): string => {
    const k = key(node);
    const hit = temps.get(k);
    if (hit) return hit;
    let expr: string;
    switch (node.type) {
      case "Num":
        return f32(node.value);
      case "Name": {
        if (node.id in names) return names[node.id];
        if (node.id === "pi") return f32(Math.PI);
        if (node.id === "e") return f32(Math.E);
        if (node.id === "True") return "f32(1.0)";
        if (node.id === "False") return "f32(0.0)";
        throw new UnsupportedOnGpuError(`the name '${node.id}'`);
      }
      case "Unary": {
        const a = gen(node.arg);
        if (node.op === "-") expr = `(-${a})`;
        else if (node.op === "+") expr = a;
        else if (node.op === "not") expr = `select(0.0, 1.0, ${a} == 0.0)`;
        else throw new UnsupportedOnGpuError("bit inversion");
        break;
      }
      case "Binary": {
        const a = gen(node.left), b = gen(node.right);
        switch (node.op) {
          case "+":
          case "-":
          case "*":
          case "/":
            expr = `(${a} ${node.op} ${b})`;
            break;
          case "**": {
            const e = node.right.type === "Num" ? node.right.value : NaN;
            if (e === 2) expr = `(${a} * ${a})`;
            else if (e === 3) expr = `(${a} * ${a} * ${a})`;
            else if (e === 4) expr = `((${a} * ${a}) * (${a} * ${a}))`;
            else if (e === 0.5) expr = `sqrt(${a})`;
            else if (e === -1) expr = `(1.0 / ${a})`;
            else if (e === -2) expr = `(1.0 / (${a} * ${a}))`;
            else if (Number.isInteger(e)) {
              // Integer powers of negative bases are defined: sign from the parity.
              const odd = Math.abs(e) % 2 === 1;
              expr = odd ? `(sign(${a}) * pow(abs(${a}), ${b}))` : `pow(abs(${a}), ${b})`;
            } else expr = `pow(${a}, ${b})`;
            break;
          }
          default:
            throw new UnsupportedOnGpuError(`the operator ${node.op}`);
        }
        break;
      }
      case "Compare": {
        if (node.ops.length !== 1) throw new UnsupportedOnGpuError("chained comparisons");
        const op = node.ops[0];
        if (!["<", "<=", ">", ">=", "==", "!="].includes(op)) {
          throw new UnsupportedOnGpuError(`the comparison ${op}`);
        }
        expr = `select(0.0, 1.0, ${gen(node.left)} ${op} ${gen(node.comparators[0])})`;
        break;
      }
      case "IfExp":
        expr = `select(${gen(node.orelse)}, ${gen(node.body)}, ${gen(node.test)} != 0.0)`;
        break;
      case "Call": {
        const args = node.args.map(gen);
        if (node.func in UNARY_FUNCS && args.length === 1) {
          expr = `${UNARY_FUNCS[node.func]}(${args[0]})`;
        } else if (node.func === "atan2" && args.length === 2) {
          expr = `atan2(${args[0]}, ${args[1]})`;
        } else if ((node.func === "max" || node.func === "min") && args.length >= 2) {
          expr = args.reduce((acc, a) => `${node.func}(${acc}, ${a})`);
        } else if (node.func === "pow" && args.length === 2) expr = `pow(${args[0]}, ${args[1]})`;
        else if (node.func === "copysign" && args.length === 2) {
          expr = `select(abs(${args[0]}), -abs(${args[0]}), ${args[1]} < 0.0)`;
        } else if (node.func === "hypot") {
          expr = `sqrt(${args.map((a) => `${a} * ${a}`).join(" + ")})`;
        } else if (node.func === "degrees") expr = `(${args[0]} * ${f32(180 / Math.PI)})`;
        else if (node.func === "radians") expr = `(${args[0]} * ${f32(Math.PI / 180)})`;
        else if (node.func === "log10") expr = `(log(${args[0]}) * ${f32(1 / Math.LN10)})`;
        else if (node.func === "log1p") expr = `log(1.0 + ${args[0]})`;
        else throw new UnsupportedOnGpuError(`the function ${node.func}()`);
        break;
      }
      default:
        throw new UnsupportedOnGpuError(`${node.type} expressions`);
    }
    const name = `t${counter++}`;
    lines.push(`let ${name} = ${expr};`);
    temps.set(k, name);
    return name;
  };
  const outputs = nodes.map(gen);
  return { code: lines.join("\n    "), outputs };
}
