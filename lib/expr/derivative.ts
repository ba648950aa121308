/**
 * Symbolic differentiation of expression ASTs, with algebraic simplification.
 *
 * Every differentiable built-in has its rule; piecewise-constant functions and operators
 * (`floor`, `ceil`, `trunc`, `//`, bit operations, comparisons, `isnan`, `isinf`,
 * `factorial`) have derivative 0 where they are differentiable, as numerical differentiation
 * sees them; `abs`, `max`, `min`, `%`, `fmod`, `copysign` and conditional expressions
 * differentiate piecewise (at a kink or jump, the branch Python's evaluation takes). A
 * `TypeError` naming the function is thrown for what has no rule: user functions, `digamma`
 * (trigamma is not in the language), `lgamma_cre`, indexing a `frexp`/`modf` result, and
 * `fsum`/`max`/`min` of a sequence that is not a literal list or tuple.
 *
 * @module
 */

import type { BinaryOp, Node } from "./ast.ts";
import { BUILTIN_CONSTANTS, BUILTIN_FUNCTIONS } from "./builtins.ts";
import { compile } from "./compile.ts";
import { createInterner } from "./equal.ts";
import { pyPow } from "./ops.ts";

// Structural identity of nodes, for `x - x`, `x / x` and equal branches; renewed per call.
let intern = createInterner();
const same = (a: Node, b: Node): boolean => a === b || intern(a) === intern(b);

const P = -1;
const n = (value: number): Node => ({ type: "Num", value, pos: P });
const call = (func: string, ...args: Node[]): Node => ({ type: "Call", func, args, pos: P });
const bin = (op: BinaryOp, left: Node, right: Node): Node => ({
  type: "Binary",
  op,
  left,
  right,
  pos: P,
});
const neg = (arg: Node): Node => ({ type: "Unary", op: "-", arg, pos: P });
const ifExp = (test: Node, body: Node, orelse: Node): Node => ({
  type: "IfExp",
  test,
  body,
  orelse,
  pos: P,
});
const cmp = (op: "<" | ">=" | ">", left: Node, right: Node): Node => ({
  type: "Compare",
  left,
  ops: [op],
  comparators: [right],
  pos: P,
});

const isNum = (node: Node, value?: number): boolean =>
  node.type === "Num" && (value === undefined || node.value === value);
const val = (node: Node): number => (node as Extract<Node, { type: "Num" }>).value;

// Arithmetic builders that simplify as they go.
function add(a: Node, b: Node): Node {
  if (isNum(a, 0)) return b;
  if (isNum(b, 0)) return a;
  if (isNum(a) && isNum(b) && Number.isFinite(val(a) + val(b))) return n(val(a) + val(b));
  if (b.type === "Unary" && b.op === "-") return sub(a, b.arg);
  return bin("+", a, b);
}
function sub(a: Node, b: Node): Node {
  if (isNum(b, 0)) return a;
  if (isNum(a, 0)) return negate(b);
  if (isNum(a) && isNum(b) && Number.isFinite(val(a) - val(b))) return n(val(a) - val(b));
  if (same(a, b)) return n(0);
  if (b.type === "Unary" && b.op === "-") return add(a, b.arg);
  return bin("-", a, b);
}
function mul(a: Node, b: Node): Node {
  if (isNum(a, 0) || isNum(b, 0)) return n(0);
  if (isNum(a, 1)) return b;
  if (isNum(b, 1)) return a;
  if (isNum(a, -1)) return negate(b);
  if (isNum(b, -1)) return negate(a);
  if (isNum(a) && isNum(b) && Number.isFinite(val(a) * val(b))) return n(val(a) * val(b));
  if (a.type === "Unary" && a.op === "-") return negate(mul(a.arg, b));
  if (b.type === "Unary" && b.op === "-") return negate(mul(a, b.arg));
  if (isNum(b) && !isNum(a)) return bin("*", b, a); // constants first
  return bin("*", a, b);
}
function div(a: Node, b: Node): Node {
  if (isNum(a, 0)) return n(0);
  if (isNum(b, 1)) return a;
  if (isNum(a) && isNum(b) && Number.isFinite(val(a) / val(b))) return n(val(a) / val(b));
  if (same(a, b)) return n(1);
  if (a.type === "Unary" && a.op === "-") return negate(div(a.arg, b));
  return bin("/", a, b);
}
function pow(a: Node, b: Node): Node {
  if (isNum(b, 0)) return n(1);
  if (isNum(b, 1)) return a;
  if (isNum(a) && isNum(b) && Number.isFinite(pyPow(val(a), val(b)))) {
    return n(pyPow(val(a), val(b)));
  }
  return bin("**", a, b);
}
function negate(a: Node): Node {
  if (isNum(a)) return n(-val(a));
  if (a.type === "Unary" && a.op === "-") return a.arg;
  return neg(a);
}

// Per-call memo tables (derivatives share subtrees, so ASTs are DAGs: memoizing keeps the work
// linear in the number of distinct nodes). Renewed by each call of `simplify`/`derivative`.
let constMemo = new WeakMap<Node, boolean>();
let simpMemo = new WeakMap<Node, Node>();
let dMemo = new WeakMap<Node, Node>();
let depMemo = new WeakMap<Node, boolean>();
function resetMemos(): void {
  depMemo = new WeakMap();
  intern = createInterner();
  constMemo = new WeakMap();
  simpMemo = new WeakMap();
  dMemo = new WeakMap();
}

/** Whether a node reads the variable `x` (one `x` per `derivative` call). */
function dependsOn(node: Node, x: string): boolean {
  const known = depMemo.get(node);
  if (known !== undefined) return known;
  const r = node.type === "Name" ? node.id === x : children(node).some((c) => dependsOn(c, x));
  depMemo.set(node, r);
  return r;
}

/** Whether a node depends on no names and calls no user function (a constant). */
function isConstant(node: Node): boolean {
  const known = constMemo.get(node);
  if (known !== undefined) return known;
  let c: boolean;
  if (node.type === "Name") c = node.id in BUILTIN_CONSTANTS;
  else if (node.type === "Call" && !(node.func in BUILTIN_FUNCTIONS)) c = false;
  else c = children(node).every(isConstant);
  constMemo.set(node, c);
  return c;
}
function children(node: Node): Node[] {
  switch (node.type) {
    case "Num":
    case "Name":
      return [];
    case "Tuple":
      return [...node.items];
    case "Unary":
      return [node.arg];
    case "Binary":
      return [node.left, node.right];
    case "BoolOp":
      return [...node.values];
    case "Compare":
      return [node.left, ...node.comparators];
    case "IfExp":
      return [node.test, node.body, node.orelse];
    case "Call":
      return [...node.args];
    case "Subscript":
      return [node.value, node.index];
  }
}

/**
 * Simplifies an AST: constant folding of numeric sub-expressions, `0`/`1` identities,
 * `x**1`, double negation, conditionals with a constant test or equal branches.
 *
 * @example
 * ```ts
 * import { parse } from "./parser.ts";
 * import { print } from "./printer.ts";
 * import { simplify } from "./derivative.ts";
 * print(simplify(parse("0*x + 1*y**1 + (2+3)"))); // "y + 5"
 * ```
 *
 * @category Expressions
 */
export function simplify(node: Node): Node {
  resetMemos();
  return simp(node);
}

function simp(node: Node): Node {
  const known = simpMemo.get(node);
  if (known !== undefined) return known;
  const out = simpNode(node);
  simpMemo.set(node, out);
  return out;
}

function simpNode(node: Node): Node {
  switch (node.type) {
    case "Num":
    case "Name":
      return node;
    case "Tuple":
      return { ...node, items: node.items.map(simp) };
    case "Unary": {
      const a = simp(node.arg);
      if (node.op === "-") return negate(a);
      if (node.op === "+") return a;
      return fold({ ...node, arg: a });
    }
    case "Binary": {
      const l = simp(node.left), r = simp(node.right);
      switch (node.op) {
        case "+":
          return add(l, r);
        case "-":
          return sub(l, r);
        case "*":
          return mul(l, r);
        case "/":
          return div(l, r);
        case "**":
          return pow(l, r);
        default:
          return fold({ ...node, left: l, right: r });
      }
    }
    case "IfExp": {
      const t = simp(node.test), b = simp(node.body), o = simp(node.orelse);
      if (isNum(t)) return val(t) !== 0 ? b : o;
      if (same(b, o)) return b;
      return { ...node, test: t, body: b, orelse: o };
    }
    case "BoolOp":
      return fold({ ...node, values: node.values.map(simp) });
    case "Compare":
      return fold({
        ...node,
        left: simp(node.left),
        comparators: node.comparators.map(simp),
      });
    case "Call":
      return fold({ ...node, args: node.args.map(simp) });
    case "Subscript":
      return fold({ ...node, value: simp(node.value), index: simp(node.index) });
  }
}

/** Evaluates a constant numeric node to a `Num`; leaves anything else alone. */
function fold(node: Node): Node {
  if (!isConstant(node) || node.type === "Tuple") return node;
  try {
    const value = compile(node, () => undefined)(new Float64Array(0));
    return Number.isFinite(value) ? n(value) : node;
  } catch {
    return node;
  }
}

/**
 * The derivative of `node` with respect to the variable `name`, simplified.
 *
 * @throws {TypeError} when the expression calls a user function or indexes a tuple result.
 *
 * @example
 * ```ts
 * import { parse } from "./parser.ts";
 * import { print } from "./printer.ts";
 * import { derivative } from "./derivative.ts";
 * print(derivative(parse("amp * exp(-x / tau)"), "tau")); // "amp * (exp(-x / tau) * (x / tau**2))"
 * ```
 *
 * @category Expressions
 */
export function derivative(node: Node, name: string): Node {
  if (typeof name !== "string" || name === "") {
    throw new TypeError(`derivative() needs a variable name, got ${JSON.stringify(name)}`);
  }
  resetMemos();
  return simp(d(node, name));
}

function d(node: Node, x: string): Node {
  const known = dMemo.get(node);
  if (known !== undefined) return known;
  const out = dNode(node, x);
  dMemo.set(node, out);
  return out;
}

function dNode(node: Node, x: string): Node {
  switch (node.type) {
    case "Num":
      return n(0);
    case "Name":
      return n(node.id === x ? 1 : 0);
    case "Tuple":
      return { ...node, items: node.items.map((i) => d(i, x)) };
    case "Unary":
      if (node.op === "-") return negate(d(node.arg, x));
      if (node.op === "+") return d(node.arg, x);
      return n(0); // ~ and not: piecewise constant
    case "Binary": {
      const u = node.left, w = node.right;
      switch (node.op) {
        case "+":
          return add(d(u, x), d(w, x));
        case "-":
          return sub(d(u, x), d(w, x));
        case "*":
          return add(mul(d(u, x), w), mul(u, d(w, x)));
        case "/":
          // (u'w - uw')/w² written as u'/w - u·w'/w²
          return sub(div(d(u, x), w), div(mul(u, d(w, x)), pow(w, n(2))));
        case "**":
          return dPow(u, w, x);
        case "%":
          // a % b = a - b*floor(a/b): derivative a' - floor(a/b)·b' (away from jumps)
          return sub(d(u, x), mul(call("floor", div(u, w)), d(w, x)));
        default:
          return n(0); // //, bit operations: piecewise constant
      }
    }
    case "BoolOp": {
      // `a or b` returns a when a is truthy, else b; `a and b` returns a when a is falsy.
      const vals = node.values;
      let out = d(vals[vals.length - 1], x);
      for (let i = vals.length - 2; i >= 0; i--) {
        const di = d(vals[i], x);
        out = node.op === "or" ? ifExp(vals[i], di, out) : ifExp(vals[i], out, di);
      }
      return out;
    }
    case "Compare":
      return n(0);
    case "IfExp":
      return ifExp(node.test, d(node.body, x), d(node.orelse, x));
    case "Call":
      return dCall(node, x);
    case "Subscript":
      if (!dependsOn(node, x)) return n(0);
      throw new TypeError(
        `cannot differentiate an indexed tuple value${
          node.value.type === "Call" ? ` (${node.value.func}() result)` : ""
        }: indexing is not differentiable`,
      );
  }
}

function dPow(u: Node, w: Node, x: string): Node {
  const du = d(u, x), dw = d(w, x);
  const wConst = !dependsOn(w, x);
  const uConst = !dependsOn(u, x);
  if (wConst && uConst) return n(0);
  if (wConst) {
    // w·u**(w-1)·u'
    const exp = isNum(w) ? n(val(w) - 1) : sub(w, n(1));
    return mul(mul(w, pow(u, exp)), du);
  }
  if (uConst) return mul(mul(pow(u, w), call("log", u)), dw);
  // u**w · (w'·log(u) + w·u'/u)
  return mul(pow(u, w), add(mul(dw, call("log", u)), div(mul(w, du), u)));
}

function dCall(node: Extract<Node, { type: "Call" }>, x: string): Node {
  const args = node.args;
  if (!dependsOn(node, x)) return n(0);
  if (!(node.func in BUILTIN_FUNCTIONS)) {
    throw new TypeError(`cannot differentiate the user function '${node.func}'`);
  }
  const u = args[0];
  const du = () => d(u, x);
  const one = n(1);
  switch (node.func) {
    case "abs":
    case "fabs":
      return mul(call("copysign", one, u), du());
    case "acos":
      return negate(div(du(), call("sqrt", sub(one, pow(u, n(2))))));
    case "asin":
      return div(du(), call("sqrt", sub(one, pow(u, n(2)))));
    case "acosh":
      return div(du(), call("sqrt", sub(pow(u, n(2)), one)));
    case "asinh":
      return div(du(), call("sqrt", add(pow(u, n(2)), one)));
    case "atan":
      return div(du(), add(one, pow(u, n(2))));
    case "atanh":
      return div(du(), sub(one, pow(u, n(2))));
    case "atan2": {
      const [y, xx] = args;
      return div(sub(mul(xx, d(y, x)), mul(y, d(xx, x))), add(pow(xx, n(2)), pow(y, n(2))));
    }
    case "ceil":
    case "floor":
    case "trunc":
    case "isinf":
    case "isnan":
    case "factorial":
      return n(0);
    case "copysign":
      return mul(mul(call("copysign", one, u), call("copysign", one, args[1])), du());
    case "cos":
      return negate(mul(call("sin", u), du()));
    case "cosh":
      return mul(call("sinh", u), du());
    case "sin":
      return mul(call("cos", u), du());
    case "sinh":
      return mul(call("cosh", u), du());
    case "tan":
      return div(du(), pow(call("cos", u), n(2)));
    case "tanh":
      return mul(sub(one, pow(call("tanh", u), n(2))), du());
    case "degrees":
      return mul(n(180 / Math.PI), du());
    case "radians":
      return mul(n(Math.PI / 180), du());
    case "exp":
      return mul(call("exp", u), du());
    case "log":
      if (args.length === 2) return d(div(call("log", u), call("log", args[1])), x);
      return div(du(), u);
    case "log10":
      return div(du(), mul(u, n(Math.LN10)));
    case "log1p":
      return div(du(), add(one, u));
    case "log2":
      return div(du(), mul(u, n(Math.LN2)));
    case "cbrt":
      return div(du(), mul(n(3), pow(call("cbrt", u), n(2))));
    case "expm1":
      return mul(call("exp", u), du());
    case "sqrt":
      return div(du(), mul(n(2), call("sqrt", u)));
    case "pow":
      return dPow(u, args[1], x);
    case "hypot": {
      let num: Node = n(0);
      for (const a of args) num = add(num, mul(a, d(a, x)));
      return div(num, node);
    }
    case "fmod":
      return sub(du(), mul(call("trunc", div(u, args[1])), d(args[1], x)));
    case "ldexp":
      return mul(du(), pow(n(2), args[1]));
    case "max":
    case "min": {
      if (args.length === 1 && u.type === "Tuple" && u.items.length > 0) {
        return d(call(node.func, ...u.items), x); // max([a, b]) is max(a, b)
      }
      if (args.length === 1) {
        throw new TypeError(
          `cannot differentiate ${node.func}() of a sequence; pass the values as arguments`,
        );
      }
      // Piecewise: the derivative of the selected argument (first one on ties, as Python picks).
      let best: Node = args[0];
      let dBest = d(args[0], x);
      for (let i = 1; i < args.length; i++) {
        const c = cmp(node.func === "max" ? ">" : "<", args[i], best);
        dBest = ifExp(c, d(args[i], x), dBest);
        best = call(node.func, best, args[i]);
      }
      return dBest;
    }
    case "erf":
      return mul(mul(n(2 / Math.sqrt(Math.PI)), call("exp", negate(pow(u, n(2))))), du());
    case "erfc":
      return negate(mul(mul(n(2 / Math.sqrt(Math.PI)), call("exp", negate(pow(u, n(2))))), du()));
    case "gamfcn":
      return mul(mul(node, call("digamma", u)), du());
    case "lgamma":
      return mul(call("digamma", u), du());
    case "betaln": {
      // ln B(a, b) = lgamma(a) + lgamma(b) - lgamma(a + b)
      const [a, b] = args;
      const ab = call("digamma", add(a, b));
      return add(
        mul(sub(call("digamma", a), ab), d(a, x)),
        mul(sub(call("digamma", b), ab), d(b, x)),
      );
    }
    case "digamma":
      throw new TypeError("cannot differentiate digamma() (trigamma is not in the language)");
    case "wofz_re":
    case "wofz_im": {
      // w'(z) = -2 z w(z) + 2i/√π with z = x + iy, w = u + iv:
      // ∂u/∂x = ∂v/∂y = -2(xu - yv); ∂u/∂y = -∂v/∂x = 2(xv + yu) - 2/√π.
      const [xa, ya] = args;
      const ur = call("wofz_re", xa, ya), vi = call("wofz_im", xa, ya);
      const a = mul(n(-2), sub(mul(xa, ur), mul(ya, vi)));
      const b = sub(mul(n(2), add(mul(xa, vi), mul(ya, ur))), n(2 / Math.sqrt(Math.PI)));
      const dx = d(xa, x), dy = d(ya, x);
      return node.func === "wofz_re"
        ? add(mul(a, dx), mul(b, dy))
        : add(mul(negate(b), dx), mul(a, dy));
    }
    case "fsum": {
      if (u.type !== "Tuple") {
        throw new TypeError("cannot differentiate fsum() of a non-literal sequence");
      }
      return call("fsum", d(u, x));
    }
    default:
      throw new TypeError(
        `cannot differentiate ${node.func}(): it has no derivative rule in the expression language`,
      );
  }
}
