/**
 * Reads a plain JavaScript function of numbers, `(x, amp, cen, wid) => amp * Math.exp(...)`,
 * as lmfit's `Model(func)` reads a Python function: argument names from the signature, numeric
 * default values as parameter defaults, and, where the body stays within a small subset of
 * JavaScript, a translation of the body into the expression language's AST.
 *
 * The source is parsed with acorn (a real ECMAScript parser). The translated subset:
 * number literals, `Infinity`, `NaN`, the arguments, local `const`/`let`/`var` declared once,
 * `+ - * / % **`, comparisons, `! && || ??`, `?:`, `if`/`else` with `return`, the `Math`
 * constants and the `Math` functions `abs acos acosh asin asinh atan atan2 atanh cbrt ceil cos
 * cosh exp expm1 floor hypot log log10 log1p log2 max min pow round sign sin sinh sqrt tan tanh
 * trunc`. Everything keeps JavaScript's meaning: `%` is the remainder with the dividend's sign
 * (`fmod`, not Python's `%`), `Math.round` rounds halves up, `Math.max`/`Math.min` return NaN
 * when any argument is NaN, and a number used as a condition is false for 0 and NaN. The one
 * difference left is `**`/`Math.pow` at base ±1 with a NaN or infinite exponent (1, as in
 * Python, where JavaScript gives NaN); the model's construction check compares the translation
 * with calls of the function itself. Anything else (closures over outer variables, loops,
 * assignments, bit operations, other calls) is reported as beyond the subset, with the reason.
 *
 * @module
 */

// Pinned here rather than in deno.json, so that a script importing this library by path (outside
// the checkout, or in Deno's Jupyter kernel) resolves it without our config.
// deno-lint-ignore no-import-prefix
import { parse as parseJs } from "npm:acorn@8.15.0";
// deno-lint-ignore no-import-prefix
import type * as js from "npm:acorn@8.15.0";
import type { CompareOp, Node } from "../expr/ast.ts";
import {
  BUILTIN_CONSTANTS,
  BUILTIN_FUNCTIONS,
  MATH_SAME_NAME,
  RESERVED_NAMES,
} from "../expr/builtins.ts";

/**
 * A function's signature and, where it is within the subset, its body as an expression AST.
 *
 * @example
 * ```ts
 * import { readJsFunction, type JsFunctionInfo } from "./js_function.ts";
 * const info: JsFunctionInfo = readJsFunction((x: number, amp = 2, k = 0.5) => amp * Math.exp(-k * x));
 * info.args; // ["x", "amp", "k"]
 * info.defaults; // { amp: 2, k: 0.5 }
 * info.body !== null; // true: translated
 * ```
 */
export interface JsFunctionInfo {
  /** Argument names, in order. */
  args: string[];
  /** Numeric default values by argument name. */
  defaults: Record<string, number>;
  /** The function's name (empty for an anonymous one). */
  name: string;
  /** The body as an expression AST, or null where it is beyond the subset. */
  body: Node | null;
  /** Why the body is not translated (empty when it is). */
  reason: string;
}

/** Raised inside the translator for a construct beyond the subset; becomes `reason`. */
class Beyond extends Error {}

const MATH_CONSTANTS: Readonly<Record<string, number>> = {
  E: Math.E,
  LN10: Math.LN10,
  LN2: Math.LN2,
  LOG10E: Math.LOG10E,
  LOG2E: Math.LOG2E,
  PI: Math.PI,
  SQRT1_2: Math.SQRT1_2,
  SQRT2: Math.SQRT2,
};

/** Largest translated tree (nodes); `if` chains copy what follows them into each branch. */
const MAX_NODES = 20000;

const num = (value: number, pos = -1): Node => ({ type: "Num", value, pos });
const bin = (op: "+" | "-" | "*" | "/" | "**", left: Node, right: Node, pos = -1): Node => ({
  type: "Binary",
  op,
  left,
  right,
  pos,
});
const cmp = (op: CompareOp, left: Node, right: Node, pos = -1): Node => ({
  type: "Compare",
  left,
  ops: [op],
  comparators: [right],
  pos,
});
const call = (func: string, args: Node[], pos = -1): Node => ({ type: "Call", func, args, pos });
const ifExp = (test: Node, body: Node, orelse: Node, pos = -1): Node => ({
  type: "IfExp",
  test,
  body,
  orelse,
  pos,
});

/** JavaScript truthiness of a number as an expression-language condition (0 and NaN are false). */
function truthy(node: Node): Node {
  if (node.type === "Compare" || (node.type === "Unary" && node.op === "not")) return node;
  if (node.type === "Num") return num(node.value !== 0 && node.value === node.value ? 1 : 0);
  return {
    type: "BoolOp",
    op: "and",
    values: [cmp("!=", node, num(0)), cmp("==", node, node)],
    pos: node.pos,
  };
}

/** Whether any of the nodes is NaN, as a condition. */
function anyNaN(nodes: Node[]): Node {
  const tests = nodes.map((a) => cmp("!=", a, a));
  return tests.length === 1 ? tests[0] : { type: "BoolOp", op: "or", values: tests, pos: -1 };
}

type Env = ReadonlyMap<string, Node>;

/**
 * JavaScript type of each translated value: comparisons and `!` give booleans, which `===`
 * never equals to a number (`0 === false` is false); `&&`, `||` and `?:` may give either.
 */
type Kind = "number" | "boolean" | "either";
const kinds = new WeakMap<Node, Kind>();
const kindOf = (n: Node): Kind => kinds.get(n) ?? "number";
function withKind(n: Node, k: Kind): Node {
  if (k !== "number") kinds.set(n, k);
  return n;
}
const merge = (a: Node, b: Node): Kind => kindOf(a) === kindOf(b) ? kindOf(a) : "either";

function countNodes(node: Node, budget: { left: number }): void {
  if (--budget.left < 0) throw new Beyond(`the body expands to more than ${MAX_NODES} nodes`);
  switch (node.type) {
    case "Unary":
      return countNodes(node.arg, budget);
    case "Binary":
      countNodes(node.left, budget);
      return countNodes(node.right, budget);
    case "Compare":
      countNodes(node.left, budget);
      for (const c of node.comparators) countNodes(c, budget);
      return;
    case "BoolOp":
      for (const c of node.values) countNodes(c, budget);
      return;
    case "IfExp":
      countNodes(node.test, budget);
      countNodes(node.body, budget);
      return countNodes(node.orelse, budget);
    case "Call":
      for (const c of node.args) countNodes(c, budget);
      return;
    default:
      return;
  }
}

function mathCall(name: string, args: Node[], pos: number): Node {
  const n = args.length;
  const one = (): Node => {
    if (n !== 1) throw new Beyond(`Math.${name} is called with ${n} arguments (1 is translated)`);
    return args[0];
  };
  if (name === "floor" || name === "ceil" || name === "trunc") {
    // The language's versions return +0 for -0 results (as Python); JavaScript keeps the sign,
    // which is always the argument's.
    const u = one();
    return call("copysign", [call(name, [u]), u], pos);
  }
  // `Math` functions of one argument that are the language's functions of the same name.
  if (name === "log" || (MATH_SAME_NAME.has(name) && BUILTIN_FUNCTIONS[name].maxArgs === 1)) {
    return call(name, [one()], pos);
  }
  switch (name) {
    case "atan2":
    case "pow":
      if (n !== 2) {
        throw new Beyond(`Math.${name} is called with ${n} arguments (2 are translated)`);
      }
      return call(name, args, pos);
    case "hypot":
      return n === 0 ? num(0, pos) : call("hypot", args, pos);
    case "max":
    case "min": {
      if (n === 0) return num(name === "max" ? -Infinity : Infinity, pos);
      if (n === 1) return { type: "Unary", op: "+", arg: args[0], pos };
      // JavaScript: NaN when any argument is NaN (Python's max keeps the first).
      return ifExp(anyNaN(args), num(NaN), call(name, args, pos), pos);
    }
    case "round": {
      // Halves round up: f = floor(u); u - f is exact; the result has u's sign (-0 included).
      const u = one();
      const f = call("floor", [u]);
      const r = ifExp(cmp(">=", bin("-", u, f), num(0.5)), bin("+", f, num(1)), f);
      return call("copysign", [r, u], pos);
    }
    case "sign": {
      const u = one();
      // ±0 and NaN return themselves (u * 0), with a zero derivative.
      return ifExp(
        cmp(">", u, num(0)),
        num(1),
        ifExp(cmp("<", u, num(0)), num(-1), bin("*", u, num(0))),
        pos,
      );
    }
    default:
      throw new Beyond(`Math.${name} is not translated`);
  }
}

function binary(e: js.BinaryExpression, a: Node, b: Node): Node {
  const pos = e.start;
  switch (e.operator) {
    case "+":
    case "-":
    case "*":
    case "/":
      return bin(e.operator, a, b, pos);
    case "**":
      // `u ** 2` is generated as u·u (correctly rounded, as pow's result); other powers
      // go through pow itself, whose value u·u·u would miss by an ulp.
      return b.type === "Num" && b.value === 2 ? bin("**", a, b, pos) : call("pow", [a, b], pos);
    case "%":
      return call("fmod", [a, b], pos); // JavaScript's remainder: the dividend's sign
    case "<":
    case "<=":
    case ">":
    case ">=":
    case "==":
    case "!=":
      return withKind(cmp(e.operator, a, b, pos), "boolean");
    case "===":
    case "!==": {
      const ka = kindOf(a), kb = kindOf(b);
      if (ka === "either" || kb === "either") {
        throw new Beyond(
          `'${e.operator}' compares a value that may be a boolean or a number (${describe(e)})`,
        );
      }
      const same = e.operator === "===";
      if (ka !== kb) return withKind(num(same ? 0 : 1, pos), "boolean"); // 0 === false is false
      return withKind(cmp(same ? "==" : "!=", a, b, pos), "boolean");
    }
    default:
      throw new Beyond(
        `the operator '${e.operator}' is not translated (bit operations are 32-bit)`,
      );
  }
}

function expr(e: js.Expression | js.PrivateIdentifier | js.Super, env: Env): Node {
  const pos = e.start;
  switch (e.type) {
    case "Literal": {
      if (typeof e.value === "number") return num(e.value, pos);
      if (typeof e.value === "boolean") return withKind(num(e.value ? 1 : 0, pos), "boolean");
      throw new Beyond(`the literal ${e.raw} is not a number`);
    }
    case "Identifier": {
      const bound = env.get(e.name);
      if (bound) return bound;
      if (e.name === "Infinity") return num(Infinity, pos);
      if (e.name === "NaN") return num(NaN, pos);
      throw new Beyond(
        `it uses '${e.name}', which is not an argument or a local constant (values from outside the function are not read)`,
      );
    }
    case "MemberExpression": {
      if (
        !e.computed && e.object.type === "Identifier" && e.object.name === "Math" &&
        !env.has("Math") && e.property.type === "Identifier" && e.property.name in MATH_CONSTANTS
      ) {
        return num(MATH_CONSTANTS[e.property.name], pos);
      }
      throw new Beyond(`it reads a property (${describe(e)})`);
    }
    case "CallExpression": {
      const c = e.callee;
      if (
        !e.optional && c.type === "MemberExpression" && !c.computed && !c.optional &&
        c.object.type === "Identifier" && c.object.name === "Math" && !env.has("Math") &&
        c.property.type === "Identifier"
      ) {
        const args = e.arguments.map((a) => {
          if (a.type === "SpreadElement") throw new Beyond("it spreads arguments (...)");
          return expr(a, env);
        });
        return mathCall(c.property.name, args, pos);
      }
      throw new Beyond(`it calls ${describe(c)}, which is not a translated Math function`);
    }
    case "UnaryExpression": {
      const a = expr(e.argument, env);
      if (e.operator === "-") return { type: "Unary", op: "-", arg: a, pos };
      if (e.operator === "+") return { type: "Unary", op: "+", arg: a, pos };
      if (e.operator === "!") {
        return withKind({ type: "Unary", op: "not", arg: truthy(a), pos }, "boolean");
      }
      throw new Beyond(`the operator '${e.operator}' is not translated`);
    }
    case "BinaryExpression": {
      if (e.left.type === "PrivateIdentifier") throw new Beyond("it uses a private name");
      return binary(e, expr(e.left, env), expr(e.right, env));
    }
    case "LogicalExpression": {
      const a = expr(e.left, env), b = expr(e.right, env);
      if (e.operator === "&&") return withKind(ifExp(truthy(a), b, a, pos), merge(a, b));
      if (e.operator === "||") return withKind(ifExp(truthy(a), a, b, pos), merge(a, b));
      return a; // `??`: a number is never null or undefined
    }
    case "ConditionalExpression": {
      const a = expr(e.consequent, env), b = expr(e.alternate, env);
      return withKind(ifExp(truthy(expr(e.test, env)), a, b, pos), merge(a, b));
    }
    case "ParenthesizedExpression":
      return expr(e.expression, env);
    default:
      throw new Beyond(`it contains ${article(e.type)} (${describe(e)})`);
  }
}

function article(type: string): string {
  const words = type.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  return (/^[aeiou]/.test(words) ? "an " : "a ") + words;
}

let currentSource = "";
function describe(e: js.Node): string {
  const text = currentSource.slice(e.start, e.end);
  return text.length > 40 ? text.slice(0, 37) + "..." : text;
}

/** Translates statements; `rest` continues after them (with the environment then in force). */
function statements(
  list: readonly js.Statement[],
  env: Env,
  rest: (env: Env) => Node,
): Node {
  if (list.length === 0) return rest(env);
  const [s, ...more] = list;
  const next = (e: Env) => statements(more, e, rest);
  switch (s.type) {
    case "ReturnStatement":
      if (!s.argument) throw new Beyond("a return has no value");
      return expr(s.argument, env);
    case "VariableDeclaration": {
      const inner = new Map(env);
      for (const d of s.declarations) {
        if (d.id.type !== "Identifier") throw new Beyond("a declaration destructures");
        if (!d.init) throw new Beyond(`'${d.id.name}' is declared without a value`);
        inner.set(d.id.name, expr(d.init, inner));
      }
      return next(inner);
    }
    case "IfStatement": {
      const test = truthy(expr(s.test, env));
      const body = statements([s.consequent], env, next);
      const orelse = statements(s.alternate ? [s.alternate] : [], env, next);
      return ifExp(test, body, orelse, s.start);
    }
    case "BlockStatement":
      // Declarations inside the block end with it.
      return statements(s.body, env, () => next(env));
    case "EmptyStatement":
      return next(env);
    case "ExpressionStatement":
      if (s.directive !== undefined) return next(env); // "use strict"
      throw new Beyond(`it has a statement with an effect (${describe(s)})`);
    default:
      throw new Beyond(`it contains ${article(s.type)} (${describe(s)})`);
  }
}

function functionNode(source: string): js.Function {
  const attempts = [`(${source})`, `({${source}})`];
  for (const text of attempts) {
    let program: js.Program;
    try {
      program = parseJs(text, { ecmaVersion: "latest" });
    } catch {
      continue;
    }
    const st = program.body[0];
    if (program.body.length !== 1 || st.type !== "ExpressionStatement") continue;
    const e = st.expression;
    if (e.type === "ArrowFunctionExpression" || e.type === "FunctionExpression") {
      currentSource = text;
      return e;
    }
    if (e.type === "ObjectExpression" && e.properties.length === 1) {
      const p = e.properties[0];
      if (p.type === "Property" && p.value.type === "FunctionExpression") {
        currentSource = text;
        return p.value;
      }
    }
  }
  throw new TypeError(
    "Model: cannot read the function's source (a built-in, bound or class function?); " +
      "wrap it in an arrow function such as (x, a, b) => f(x, a, b)",
  );
}

function defaultValue(e: js.Expression, name: string): number {
  let sign = 1;
  let v: js.Expression = e;
  while (v.type === "UnaryExpression" && (v.operator === "-" || v.operator === "+")) {
    if (v.operator === "-") sign = -sign;
    v = v.argument;
  }
  if (v.type === "Literal" && typeof v.value === "number") return sign * v.value;
  if (v.type === "Identifier" && (v.name === "Infinity" || v.name === "NaN")) {
    return sign * (v.name === "Infinity" ? Infinity : NaN);
  }
  throw new TypeError(
    `Model: the default value of argument '${name}' must be a number literal (it becomes the parameter's default)`,
  );
}

/**
 * Reads a function's argument names and numeric defaults, and translates its body into the
 * expression language where the body is within the subset (see the module doc).
 *
 * @param fn a function of numbers, e.g. `(x, amp, cen) => amp * Math.exp(-((x - cen) ** 2))`.
 * @param argNames names to bind to expression-language names (the arguments): each must be a
 * name the expression language accepts; an argument that is not is reported in `reason`.
 * @returns the signature, and the body's AST or the reason it is not translated.
 * @throws {TypeError} when the source cannot be read, or an argument is a rest or
 * destructuring pattern, or a default value is not a number literal.
 *
 * @example
 * ```ts
 * import { readJsFunction } from "./js_function.ts";
 * import { print } from "../expr/printer.ts";
 * const info = readJsFunction((t: number, a: number, tau: number) => (t < 0 ? 0 : a * Math.exp(-t / tau)));
 * print(info.body!); // "0 if t < 0 else a * exp(-t / tau)"
 * readJsFunction((x: number, a: number) => a * Math.random() * x).reason;
 * // "Math.random is not translated"
 * ```
 */
export function readJsFunction(fn: (...args: number[]) => number): JsFunctionInfo {
  const source = Function.prototype.toString.call(fn);
  const f = functionNode(source);
  if (f.async || f.generator) {
    throw new TypeError(
      "Model: the model function must be a plain function, not async or a generator",
    );
  }
  const args: string[] = [];
  const defaults: Record<string, number> = {};
  for (const p of f.params) {
    if (p.type === "Identifier") args.push(p.name);
    else if (p.type === "AssignmentPattern" && p.left.type === "Identifier") {
      args.push(p.left.name);
      defaults[p.left.name] = defaultValue(p.right, p.left.name);
    } else {
      throw new TypeError(
        `Model: argument ${args.length + 1} is a ${
          p.type === "RestElement" ? "rest argument" : "destructuring pattern"
        }; a function of numbers names each argument, e.g. (x, amp, cen) => ...`,
      );
    }
  }
  const info: JsFunctionInfo = { args, defaults, name: fn.name, body: null, reason: "" };
  const clash = args.find((a) =>
    a in BUILTIN_CONSTANTS || a in BUILTIN_FUNCTIONS || RESERVED_NAMES.has(a) || a.includes("$")
  );
  if (clash !== undefined) {
    info.reason = `the argument name '${clash}' is a name of the expression language`;
    return info;
  }
  try {
    const env = new Map<string, Node>(args.map((a) => [a, { type: "Name", id: a, pos: -1 }]));
    const body = f.body.type === "BlockStatement"
      ? statements(f.body.body, env, () => {
        throw new Beyond("a path through the body ends without a return");
      })
      : expr(f.body, env);
    countNodes(body, { left: MAX_NODES });
    info.body = body;
  } catch (e) {
    if (!(e instanceof Beyond)) throw e;
    info.reason = e.message;
  }
  return info;
}
