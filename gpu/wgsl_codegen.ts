/**
 * WGSL code generation from the expression AST (f32): the model and its analytic partial
 * derivatives as one WGSL function body with common subexpressions computed once (nodes are
 * hash-consed, so a subtree that occurs in the model and in several derivatives is one `let`).
 *
 * Supported: numbers, names bound by the caller and the constants `pi`, `e`, `True`, `False`;
 * `+ - * / // % **` (integer exponents up to 8 by repeated multiplication, other integer
 * exponents with the sign of odd powers kept, variable exponents with Python's rule for
 * negative bases and integral exponents); unary `- + not`; comparisons (chained too),
 * `and`/`or` with Python's "returns an operand" semantics, conditional expressions via
 * `select`; the math functions WGSL has, plus `hypot copysign degrees radians log10 log1p expm1 cbrt fmod
 * ldexp` and `erf`/`erfc` (rational approximations with relative error below 1.2e-7, emitted as
 * helper functions).
 *
 * Constructs WGSL cannot express faithfully in f32 (tuples and indexing, bit operations, `inf`
 * and `nan` constants, `is`/`in`, special functions such as the gamma or Faddeeva functions,
 * user functions) raise `UnsupportedOnGpuError`, which sends the fit to the CPU path.
 *
 * Float32 limits: values beyond ±3.4e38 overflow to infinity and relative precision is about
 * 6e-8, so models whose intermediate values exceed the f32 range (e.g. `exp` of arguments above
 * 88) give non-finite results on the GPU; `fitBatch` re-runs such fits on the CPU.
 *
 * @module
 */

import type { Node } from "../lib/expr/ast.ts";
import { createInterner } from "../lib/expr/equal.ts";

/**
 * Thrown when an expression cannot run on the GPU; the batch falls back to the CPU.
 *
 * @example
 * ```ts
 * import { emitWgsl, UnsupportedOnGpuError } from "./wgsl_codegen.ts";
 * import { parse } from "../lib/expr/parser.ts";
 * try {
 *   emitWgsl([parse("a*gamma(x)")], { a: "p[0]", x: "xv" });
 * } catch (e) {
 *   e instanceof UnsupportedOnGpuError; // true
 *   (e as Error).message; // "not supported on the GPU: the function gamma() with 1 argument(s)"
 * }
 * ```
 *
 * @category Batch and GPU
 */
export class UnsupportedOnGpuError extends Error {
  /**
   * Creates the error.
   * @param what names the construct that is not supported.
   */
  constructor(what: string) {
    super(`not supported on the GPU: ${what}`);
    this.name = "UnsupportedOnGpuError";
  }
}

/**
 * The WGSL of an expression list.
 *
 * @example
 * ```ts
 * import { emitWgsl, type WgslEmission } from "./wgsl_codegen.ts";
 * import { parse } from "../lib/expr/parser.ts";
 * const e: WgslEmission = emitWgsl([parse("a*erf(x)"), parse("erf(x)")], { a: "p[0]", x: "xv" });
 * e.code; // "let t0 = lm_erf(xv);\nlet t1 = (p[0] * t0);": erf(x) computed once
 * e.outputs; // ["t1", "t0"]: one WGSL expression per input
 * e.helpers.includes("fn lm_erf"); // true: the erf helper, to include once per shader
 * ```
 *
 * @category Batch and GPU
 */
export interface WgslEmission {
  /** `let` statements computing every subexpression once (indentation-free, one per line). */
  code: string;
  /** One WGSL expression per input node: the value of that node after `code`. */
  outputs: string[];
  /** Helper functions (module scope) that `code` calls; include them once per shader. */
  helpers: string;
}

const UNARY_FUNCS: Readonly<Record<string, string>> = {
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
  log2: "log2",
};

/** WGSL helpers by name: erfc by Numerical Recipes' Chebyshev fit (relative error < 1.2e-7). */
const HELPERS: Readonly<Record<string, string>> = {
  lm_erfc: `fn lm_erfc(x: f32) -> f32 {
  let z = abs(x);
  let t = 1.0 / (1.0 + 0.5 * z);
  let r = t * exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 +
    t * (-0.82215223 + t * 0.17087277)))))))));
  return select(2.0 - r, r, x >= 0.0);
}`,
  lm_erf: `fn lm_erf(x: f32) -> f32 {
  if (abs(x) < 0.5) {
    let x2 = x * x;
    return 1.1283791671 * x * (1.0 + x2 * (-0.33333333333 + x2 * (0.1 + x2 * (-0.0238095238 +
      x2 * (0.0046296296 + x2 * -0.00075757576)))));
  }
  return sign(x) * (1.0 - lm_erfc(abs(x)));
}`,
};

const canonMemo = new WeakMap<Node, Node>();

/**
 * Pulls negations out of products and quotients (`(-a)/b` → `-(a/b)`, `a*(-b)` → `-(a*b)`),
 * exact in floating point, so that forms the simplifier produces in different places meet as
 * one common subexpression.
 */
function canonical(node: Node): Node {
  const hit = canonMemo.get(node);
  if (hit) return hit;
  let out: Node;
  switch (node.type) {
    case "Unary": {
      const arg = canonical(node.arg);
      if (node.op === "-" && arg.type === "Unary" && arg.op === "-") out = arg.arg;
      else out = arg === node.arg ? node : { ...node, arg };
      break;
    }
    case "Binary": {
      let left = canonical(node.left), right = canonical(node.right);
      if ((node.op === "*" || node.op === "/") && !isNegLiteral(left) && !isNegLiteral(right)) {
        let neg = false;
        if (left.type === "Unary" && left.op === "-") (left = left.arg), (neg = !neg);
        if (right.type === "Unary" && right.op === "-") (right = right.arg), (neg = !neg);
        const inner: Node = { ...node, left, right };
        out = neg ? { type: "Unary", op: "-", arg: inner, pos: -1 } : inner;
      } else {
        out = left === node.left && right === node.right ? node : { ...node, left, right };
      }
      break;
    }
    case "BoolOp":
      out = { ...node, values: node.values.map(canonical) };
      break;
    case "Compare":
      out = { ...node, left: canonical(node.left), comparators: node.comparators.map(canonical) };
      break;
    case "IfExp":
      out = {
        ...node,
        test: canonical(node.test),
        body: canonical(node.body),
        orelse: canonical(node.orelse),
      };
      break;
    case "Call":
      out = { ...node, args: node.args.map(canonical) };
      break;
    default:
      out = node;
  }
  canonMemo.set(node, out);
  return out;
}

function isNegLiteral(node: Node): boolean {
  return node.type === "Unary" && node.op === "-" && node.arg.type === "Num";
}

/** The value of a literal or a negated literal, else NaN. */
function constantOf(node: Node): number {
  if (node.type === "Num") return node.value;
  if (node.type === "Unary" && node.op === "-" && node.arg.type === "Num") return -node.arg.value;
  return NaN;
}

function f32(v: number): string {
  if (!Number.isFinite(v) || !Number.isFinite(Math.fround(v))) {
    throw new UnsupportedOnGpuError(`the constant ${v} (outside the float32 range)`);
  }
  const s = Math.fround(v).toExponential(9);
  return `f32(${s})`;
}

/**
 * WGSL statements computing `nodes` with common subexpressions once, reading names through
 * `names` (a WGSL expression per variable name). Throws `UnsupportedOnGpuError` for constructs
 * the GPU path cannot run.
 *
 * @param nodes the expressions (typically a model and its partial derivatives).
 * @param names the WGSL expression each free name reads (`{ a: "p[0]", x: "xv[0]" }`).
 * @returns the statements, one output expression per node, and the helper functions needed.
 *
 * @example
 * ```ts
 * import { emitWgsl } from "./wgsl_codegen.ts";
 * import { parse } from "../lib/expr/parser.ts";
 * const { code, outputs } = emitWgsl([parse("a*exp(-x/b)")], { a: "p[0]", b: "p[1]", x: "xv" });
 * console.log(code, outputs[0]);
 * ```
 *
 * @category Batch and GPU
 */
export function emitWgsl(
  nodes: readonly Node[],
  names: Readonly<Record<string, string>>,
): WgslEmission {
  const lines: string[] = [];
  const temps = new Map<number, string>();
  const usedHelpers = new Set<string>();
  const intern = createInterner();
  let counter = 0;
  const temp = (expr: string): string => {
    const name = `t${counter++}`;
    lines.push(`let ${name} = ${expr};`);
    return name;
  };
  const helper = (name: string): string => {
    if (name === "lm_erf") usedHelpers.add("lm_erfc");
    usedHelpers.add(name);
    return name;
  };
  /** a**n for a small integer n ≥ 1 by binary powering, each square a temporary. */
  const powInt = (a: string, n: number): string => {
    let result: string | null = null;
    let base = a;
    while (n > 0) {
      if (n & 1) result = result === null ? base : temp(`${result} * ${base}`);
      n >>= 1;
      if (n > 0) base = temp(`${base} * ${base}`);
    }
    return result!;
  };
  const gen = (node: Node): string => {
    const id = intern(node);
    const hit = temps.get(id);
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
        else if (node.op === "+") return a;
        else if (node.op === "not") expr = `select(0.0, 1.0, ${a} == 0.0)`;
        else throw new UnsupportedOnGpuError("bit inversion (~)");
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
          case "//":
            expr = `floor(${a} / ${b})`;
            break;
          case "%":
            // Python's modulo: the result takes the divisor's sign.
            expr = `(${a} - ${b} * floor(${a} / ${b}))`;
            break;
          case "**": {
            const e = constantOf(node.right);
            if (e === 0) return "f32(1.0)";
            if (e === 0.5) expr = `sqrt(${a})`;
            else if (e === -0.5) expr = `inverseSqrt(${a})`;
            else if (Number.isInteger(e) && Math.abs(e) <= 8) {
              const m = powInt(a, Math.abs(e));
              if (e > 0) {
                temps.set(id, m);
                return m;
              }
              expr = `(1.0 / ${m})`;
            } else if (Number.isInteger(e)) {
              // Integer powers of negative bases are defined: the sign from the parity.
              expr = Math.abs(e) % 2 === 1
                ? `(sign(${a}) * pow(abs(${a}), ${b}))`
                : `pow(abs(${a}), ${b})`;
            } else if (Number.isFinite(e)) expr = `pow(${a}, ${b})`;
            else {
              // Variable exponent: Python defines negative bases with integral exponents.
              const m = temp(`pow(abs(${a}), ${b})`);
              const odd = `(${b} - 2.0 * floor(0.5 * ${b})) == 1.0`;
              expr =
                `select(select(pow(${a}, ${b}), select(${m}, -${m}, ${odd}), ${b} == round(${b})), ${m}, ${a} >= 0.0)`;
            }
            break;
          }
          default:
            throw new UnsupportedOnGpuError(`the operator ${node.op}`);
        }
        break;
      }
      case "BoolOp": {
        // Python: `and` returns the first falsy operand (else the last), `or` the first truthy.
        const vals = node.values.map(gen);
        let r = vals[vals.length - 1];
        for (let i = vals.length - 2; i >= 0; i--) {
          const v = vals[i];
          r = temp(
            node.op === "and"
              ? `select(${r}, ${v}, ${v} == 0.0)`
              : `select(${r}, ${v}, ${v} != 0.0)`,
          );
        }
        temps.set(id, r);
        return r;
      }
      case "Compare": {
        const ops = ["<", "<=", ">", ">=", "==", "!="];
        let left = gen(node.left);
        const parts: string[] = [];
        node.ops.forEach((op, i) => {
          if (!ops.includes(op)) throw new UnsupportedOnGpuError(`the comparison '${op}'`);
          const right = gen(node.comparators[i]);
          parts.push(`(${left} ${op} ${right})`);
          left = right;
        });
        expr = `select(0.0, 1.0, ${parts.join(" && ")})`;
        break;
      }
      case "IfExp":
        expr = `select(${gen(node.orelse)}, ${gen(node.body)}, ${gen(node.test)} != 0.0)`;
        break;
      case "Call": {
        const f = node.func;
        const args = node.args.map(gen);
        const n = args.length;
        if (f in UNARY_FUNCS && n === 1) expr = `${UNARY_FUNCS[f]}(${args[0]})`;
        else if (f === "atan2" && n === 2) expr = `atan2(${args[0]}, ${args[1]})`;
        else if ((f === "max" || f === "min") && n >= 2) {
          expr = args.reduce((acc, a) => `${f}(${acc}, ${a})`);
        } else if (f === "pow" && n === 2) {
          return gen({
            type: "Binary",
            op: "**",
            left: node.args[0],
            right: node.args[1],
            pos: -1,
          });
        } else if (f === "copysign" && n === 2) {
          expr = `select(abs(${args[0]}), -abs(${args[0]}), ${args[1]} < 0.0)`;
        } else if (f === "hypot" && n >= 1) {
          expr = `sqrt(${args.map((a) => `${a} * ${a}`).join(" + ")})`;
        } else if (f === "degrees" && n === 1) expr = `(${args[0]} * ${f32(180 / Math.PI)})`;
        else if (f === "radians" && n === 1) expr = `(${args[0]} * ${f32(Math.PI / 180)})`;
        else if (f === "log10" && n === 1) expr = `(log(${args[0]}) * ${f32(1 / Math.LN10)})`;
        else if (f === "log1p" && n === 1) {
          // WGSL's log near 1 has only absolute accuracy (2^-21): a series for small |u|.
          const u = args[0];
          expr =
            `select(log(1.0 + ${u}), ${u} * (1.0 - ${u} * (0.5 - ${u} * (0.33333333 - ${u} * ` +
            `(0.25 - ${u} * (0.2 - ${u} * 0.16666667))))), abs(${u}) < 0.05)`;
        } else if (f === "expm1" && n === 1) {
          // exp(u) - 1 loses every digit for small |u|: a series there.
          const u = args[0];
          expr = `select(exp(${u}) - 1.0, ${u} * (1.0 + ${u} * (0.5 + ${u} * (0.16666667 + ` +
            `${u} * 0.041666668))), abs(${u}) < 0.05)`;
        } else if (f === "cbrt" && n === 1) {
          expr = `(sign(${args[0]}) * pow(abs(${args[0]}), 0.33333334))`;
        } else if (f === "fmod" && n === 2) {
          expr = `(${args[0]} - ${args[1]} * trunc(${args[0]} / ${args[1]}))`;
        } else if (f === "ldexp" && n === 2) expr = `(${args[0]} * exp2(${args[1]}))`;
        else if (f === "erf" && n === 1) expr = `${helper("lm_erf")}(${args[0]})`;
        else if (f === "erfc" && n === 1) expr = `${helper("lm_erfc")}(${args[0]})`;
        else throw new UnsupportedOnGpuError(`the function ${f}() with ${n} argument(s)`);
        break;
      }
      default:
        throw new UnsupportedOnGpuError(`${node.type} expressions`);
    }
    const name = temp(expr);
    temps.set(id, name);
    return name;
  };
  const outputs = nodes.map((node) => gen(canonical(node)));
  const helpers = [...usedHelpers].sort((a, b) => (a === "lm_erfc" ? -1 : b === "lm_erfc" ? 1 : 0))
    .map((h) => HELPERS[h]).join("\n\n");
  return { code: lines.join("\n    "), outputs, helpers };
}
