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
import { BUILTIN_CONSTANTS, BUILTIN_FUNCTIONS, MATH_SAME_NAME, type Value } from "./builtins.ts";
import { type Binding, compile } from "./compile.ts";
import { createInterner } from "./equal.ts";
import { fastCosInto, fastExpInto, fastSinCos, fastSinInto } from "./fast_math.ts";
import { walkNodes } from "./names.ts";
import { pullNegations } from "./canonical.ts";
import { CHEAP, LoopMemo, MEMO } from "./loop_memo.ts";
import { pyBitOp, pyCompare, pyFloorDiv, pyInvert, pyMod, pyPow } from "./ops.ts";

export { LoopMemo };

/**
 * Writes the values of all compiled expressions into `out[outOffset + k]`.
 *
 * @example
 * ```ts
 * import { compileMany, type MultiKernel } from "./codegen.ts";
 * import { parse } from "./parser.ts";
 * const bind = () => ({ kind: "slot" as const, index: 0 });
 * const k: MultiKernel = compileMany([parse("x + 1"), parse("x * 2")], bind);
 * const out = new Float64Array(4);
 * k(Float64Array.of(5), out, 2); // out = [0, 0, 6, 10]
 * ```
 *
 * @category Expressions
 */
export type MultiKernel = (slots: Float64Array, out: Float64Array, outOffset: number) => void;

function lit(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "Infinity";
  if (v === -Infinity) return "(-Infinity)";
  if (Object.is(v, -0)) return "(-0)";
  return v < 0 ? `(${v})` : String(v);
}

/**
 * Whether code generation handles a node directly: it certainly evaluates to a number (user
 * function results are checked to be numbers at run time). Anything else (tuples, indexing,
 * membership, `frexp`/`modf`/`fsum`, values bound to tuples) is compiled as a whole by the
 * closure compiler, which handles every value type and checks that the result is a number.
 */
function numericNode(
  node: Node,
  bind: (name: string) => Binding | undefined,
  memo: WeakMap<Node, boolean>,
): boolean {
  const known = memo.get(node);
  if (known !== undefined) return known;
  const rec = (c: Node) => numericNode(c, bind, memo);
  let ok: boolean;
  switch (node.type) {
    case "Num":
      ok = true;
      break;
    case "Name": {
      const b = bind(node.id);
      ok = b ? b.kind === "slot" || (b.kind === "value" && typeof b.value === "number") : true;
      break;
    }
    case "Tuple":
    case "Subscript":
      ok = false;
      break;
    case "Unary":
      ok = rec(node.arg);
      break;
    case "Binary":
      ok = rec(node.left) && rec(node.right);
      break;
    case "BoolOp":
      ok = node.values.every(rec);
      break;
    case "Compare":
      ok = !node.ops.some((o) => o === "in" || o === "not in") && rec(node.left) &&
        node.comparators.every(rec);
      break;
    case "IfExp":
      ok = rec(node.test) && rec(node.body) && rec(node.orelse);
      break;
    case "Call": {
      const b = bind(node.func);
      ok = node.args.every(rec) &&
        (b !== undefined ||
          !(["frexp", "modf", "fsum"].includes(node.func) ||
            ((node.func === "max" || node.func === "min") && node.args.length === 1)));
      break;
    }
  }
  memo.set(node, ok);
  return ok;
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
 *
 * @category Expressions
 */
export function compileMany(
  nodes: readonly Node[],
  bind: (name: string) => Binding | undefined,
): MultiKernel {
  return build(nodes, bind, null) as MultiKernel;
}

/**
 * Evaluates several expressions at every point of a data set in one call: `outs[e][i]` =
 * expression `e` with slot `columns[j]` set to `cols[j][i]` for each j, and every other slot
 * read from `slots`. The loop over points is part of the generated code; subexpressions that
 * do not depend on the columns are computed once per call, and `sin`/`cos`/`exp` use the fast
 * kernels of `fast_math.ts` (within an ulp of `Math`). Does nothing when `n` is 0.
 *
 * @example
 * ```ts
 * import { compileLoop, type LoopKernel } from "./codegen.ts";
 * import { parse } from "./parser.ts";
 * const idx: Record<string, number> = { m: 0, c: 1, x: 2 };
 * const bind = (n: string) => n in idx ? { kind: "slot" as const, index: idx[n] } : undefined;
 * const k: LoopKernel = compileLoop([parse("m * x + c"), parse("x")], bind, [2]);
 * const y = new Float64Array(3), dyDm = new Float64Array(3);
 * k(Float64Array.of(2, 1, 0), [Float64Array.of(0, 1, 2)], [y, dyDm], 3);
 * y; // [1, 3, 5]
 * ```
 *
 * @category Expressions
 */
export type LoopKernel = (
  slots: Float64Array,
  cols: readonly Float64Array[],
  outs: readonly Float64Array[],
  n: number,
  memo?: LoopMemo,
) => void;

/**
 * Compiles several numeric expressions into one kernel that loops over data points itself
 * (see `LoopKernel`); `columns` lists the slots that take a new value at every point. Throws
 * like `compile` for unknown names.
 *
 * @example
 * ```ts
 * import { compileLoop } from "./codegen.ts";
 * import { parse } from "./parser.ts";
 * const idx: Record<string, number> = { a: 0, b: 1, x: 2 };
 * const bind = (n: string) => n in idx ? { kind: "slot" as const, index: idx[n] } : undefined;
 * const k = compileLoop([parse("a * exp(-b * x)")], bind, [2]);
 * const out = new Float64Array(3);
 * k(Float64Array.of(2, 0.5, 0), [Float64Array.of(0, 1, 2)], [out], 3); // out = [2, 1.213..., 0.735...]
 * ```
 *
 * @category Expressions
 */
export function compileLoop(
  nodes: readonly Node[],
  bind: (name: string) => Binding | undefined,
  columns: readonly number[],
): LoopKernel {
  return build(nodes, bind, columns) as LoopKernel;
}

function build(
  nodes: readonly Node[],
  bind: (name: string) => Binding | undefined,
  columns: readonly number[] | null,
): MultiKernel | LoopKernel {
  // Validate names (and arity) through the closure compiler, which also serves as fallback.
  const fallbacks: ((s: Float64Array) => number)[] = [];
  const userFns: ((...a: Value[]) => Value)[] = [];
  const userIndex = new Map<(...a: Value[]) => Value, number>();
  for (const node of nodes) compile(node, bind);

  const lines: string[] = []; // loop-invariant (or all, without a loop)
  const loopLines: string[] = []; // per point
  const memoLines: string[] = []; // per point, in the memo variant of the kernel
  const memoChecks: string[] = []; // validity of each memoised value, before the loop
  const memoSaves: string[] = []; // parameter values the memoised values now hold, after it
  let memoValues = 0, memoDeps = 0;
  const columnOf = new Map<number, number>((columns ?? []).map((slot, j) => [slot, j]));
  const varyMemo = new WeakMap<Node, boolean>();
  const usedSlots = new Set<number>();
  // Whether a node must be evaluated per point: it reads a column, calls a user function (which
  // might not be pure) or goes through the closure fallback.
  const varies = (node: Node): boolean => {
    if (columns === null) return false;
    const known = varyMemo.get(node);
    if (known !== undefined) return known;
    let v: boolean;
    if (!numericNode(node, bind, numeric)) v = true;
    else {
      switch (node.type) {
        case "Num":
          v = false;
          break;
        case "Name": {
          const b = bind(node.id);
          v = b?.kind === "slot" && columnOf.has(b.index);
          break;
        }
        case "Unary":
          v = varies(node.arg);
          break;
        case "Binary":
          v = varies(node.left) || varies(node.right);
          break;
        case "BoolOp":
          v = node.values.some(varies);
          break;
        case "Compare":
          v = varies(node.left) || node.comparators.some(varies);
          break;
        case "IfExp":
          v = varies(node.test) || varies(node.body) || varies(node.orelse);
          break;
        case "Call":
          v = bind(node.func)?.kind === "function" || node.args.some(varies);
          break;
        default:
          v = true;
      }
    }
    varyMemo.set(node, v);
    return v;
  };
  const scratch: string[] = []; // one scratch variable per use site, so nested uses cannot clash
  const newScratch = (): string => {
    const m = `m${scratch.length}`;
    scratch.push(m);
    return m;
  };
  const intern = createInterner();
  const numeric = new WeakMap<Node, boolean>();
  const temps = new Map<number, string>();
  const fallbackOf = new Map<number, string>();
  // Loop kernels: negations pulled out of products (exact) so that more is shared.
  const roots = columns === null
    ? nodes
    : nodes.map((node) => pullNegations(node, (n) => numericNode(n, bind, numeric)));
  // In loop kernels, sin and cos of the same argument share one argument reduction.
  const sinCos = new Map<number, { sin: number; cos: number }>();
  if (columns !== null && !bind("sin") && !bind("cos")) {
    const seen = new Map<number, { sin: number; cos: number }>();
    for (const root of roots) {
      walkNodes(root, (n) => {
        if (n.type !== "Call" || n.args.length !== 1 || (n.func !== "sin" && n.func !== "cos")) {
          return;
        }
        const argId = intern(n.args[0]);
        const entry = seen.get(argId) ?? { sin: -1, cos: -1 };
        entry[n.func] = intern(n);
        seen.set(argId, entry);
        if (entry.sin >= 0 && entry.cos >= 0) sinCos.set(argId, entry);
      });
    }
  }
  let counter = 0;

  const fallback = (node: Node, id: number): string => {
    let ref = fallbackOf.get(id);
    if (ref === undefined) {
      fallbacks.push(compile(node, bind));
      ref = `C[${fallbacks.length - 1}](s)`;
      fallbackOf.set(id, ref);
    }
    return ref;
  };

  // Memoisable: evaluated per point, costly (a call or a power), pure (no user function).
  const memoDepsOf = (node: Node): number[] | null => {
    if (columns === null || !varies(node)) return null;
    const costly = (node.type === "Call" && !CHEAP.has(node.func)) ||
      (node.type === "Binary" && node.op === "**" && !(node.right.type === "Num" &&
        [1, 2, 3, 4, -1, -2].includes(node.right.value)));
    if (!costly) return null;
    let pure = true;
    const deps = new Set<number>();
    walkNodes(node, (n) => {
      if (n.type === "Call" && bind(n.func)?.kind === "function") pure = false;
      if (n.type === "Name") {
        const b = bind(n.id);
        if (b?.kind === "slot" && !columnOf.has(b.index)) deps.add(b.index);
      }
    });
    return pure ? [...deps] : null;
  };
  // The validity test of a memoised value with these parameter slots; saves them after the loop.
  const memoGuard = (deps: number[]): string => {
    const ok = `ok${memoChecks.length}`;
    const tests = deps.map((k, d) => `MEMO.same(Q[${memoDeps + d}], p${k})`);
    memoChecks.push(`const ${ok} = ${["valid", ...tests].join(" && ")};`);
    deps.forEach((k, d) => memoSaves.push(`Q[${memoDeps + d}] = p${k};`));
    memoDeps += deps.length;
    return ok;
  };

  /**
   * Places the line computing `node`: once before the loop when it does not vary per point;
   * otherwise in the loop body, and in the memoised body as `memoised(ok)`, which reuses the
   * stored per-point values while the guard `ok` says its parameters are unchanged.
   */
  const place = (node: Node, line: string, memoised: (ok: string) => string): void => {
    if (!varies(node)) {
      lines.push(line);
      return;
    }
    loopLines.push(line);
    const deps = memoDepsOf(node);
    memoLines.push(deps === null ? line : memoised(memoGuard(deps)));
  };

  // Returns a JS expression for the node. When `hoist` is true, non-trivial results are stored
  // in temporaries and reused; inside conditionally evaluated parts (branches of `if`/`else`,
  // later operands of `and`/`or` and of comparison chains), code is emitted inline so that it
  // runs only when Python would run it.
  const gen = (node: Node, hoist: boolean): string => {
    const id = intern(node);
    const existing = temps.get(id);
    if (existing) return existing;
    if (!numericNode(node, bind, numeric)) return fallback(node, id);
    let expr: string;
    switch (node.type) {
      case "Num":
        return lit(node.value);
      case "Name": {
        const b = bind(node.id);
        if (!b) return lit(BUILTIN_CONSTANTS[node.id]);
        if (b.kind === "slot") {
          const j = columnOf.get(b.index);
          if (j !== undefined) return `c${j}`;
          if (columns === null) return `s[${b.index}]`;
          usedSlots.add(b.index); // read once per call into a local
          return `p${b.index}`;
        }
        return lit((b as { value: number }).value);
      }
      case "Unary": {
        if (node.op === "-" && node.arg.type === "Num") return lit(-node.arg.value);
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
            // Small integer powers as multiplications (within an ulp of pow, as numpy's own
            // fast paths); everything else through Python's pow rules.
            const e = node.right.type === "Num" ? node.right.value : NaN;
            if (e === 2) expr = `(${a} * ${a})`;
            else if (e === 3) expr = `(${a} * ${a} * ${a})`;
            else if (e === 4) expr = `((${a} * ${a}) * (${a} * ${a}))`;
            else if (e === 1) expr = `(+${a})`;
            else if (e === -1) expr = `(1 / ${a})`;
            else if (e === -2) expr = `(1 / (${a} * ${a}))`;
            else expr = `O.pow(${a}, ${b})`;
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
        // Numbers only here (membership goes to the fallback): plain JS comparisons, which
        // agree with Python's for floats (`is` compares values). A chain `a < b < c` evaluates
        // `b` once and `c` only when `a < b` holds, as Python does.
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
        let prev = gen(node.left, hoist);
        const first = gen(node.comparators[0], hoist);
        if (node.ops.length === 1) {
          expr = `((${prev} ${jsOp[node.ops[0]]} ${first}) ? 1 : 0)`;
          break;
        }
        const tests = [`(${prev} ${jsOp[node.ops[0]]} ${first})`];
        prev = first;
        for (let i = 1; i < node.ops.length; i++) {
          const m = newScratch();
          tests.push(`(${prev} ${jsOp[node.ops[i]]} (${m} = ${gen(node.comparators[i], false)}))`);
          prev = m;
        }
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
        // Python returns the deciding operand; each link has its own scratch variable.
        expr = [first, ...rest].reduceRight((acc, cur) => {
          const m = newScratch();
          return node.op === "or"
            ? `((${m} = ${cur}) !== 0 ? ${m} : ${acc})`
            : `((${m} = ${cur}) === 0 ? ${m} : ${acc})`;
        });
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
        const pair = hoist && node.args.length === 1 ? sinCos.get(intern(node.args[0])) : undefined;
        if (pair) {
          const a = gen(node.args[0], hoist);
          const ns = `t${counter++}`, nc = `t${counter++}`;
          place(
            node,
            `fsc(${a}, SC); const ${ns} = SC[0]; const ${nc} = SC[1];`,
            (ok) => {
              const vs = `V${memoValues++}`, vc = `V${memoValues++}`;
              return `let ${ns}, ${nc}; if (${ok}) { ${ns} = ${vs}[i]; ${nc} = ${vc}[i]; } else { fsc(${a}, SC); ${ns} = ${vs}[i] = SC[0]; ${nc} = ${vc}[i] = SC[1]; }`;
            },
          );
          temps.set(pair.sin, ns);
          temps.set(pair.cos, nc);
          return node.func === "sin" ? ns : nc;
        }
        const args = node.args.map((a) => gen(a, hoist));
        if (columns !== null && (node.func === "sin" || node.func === "cos")) {
          // Written into a scratch array and read back at once (see `fastExpInto`).
          expr = `(${node.func === "sin" ? "fsin" : "fcos"}(${args[0]}, SE), SE[0])`;
        } else if (columns !== null && node.func === "exp") {
          // Written into a scratch array and read back at once (see `fastExpInto`).
          expr = `(fexp(${args[0]}, SE), SE[0])`;
        } else if (MATH_SAME_NAME.has(node.func)) expr = `Math.${node.func}(${args.join(", ")})`;
        else if (node.func === "log" && args.length === 1) expr = `Math.log(${args[0]})`;
        else if (node.func === "pow") expr = `O.pow(${args[0]}, ${args[1]})`;
        else if (node.func === "max" || node.func === "min") {
          // Python's max/min keep the first of equal (or NaN-compared) values: a later argument
          // wins only when strictly greater (smaller).
          const cmp = node.func === "max" ? ">" : "<";
          const m = newScratch();
          expr = args.reduce((acc, a) => `((${m} = ${acc}), (${a} ${cmp} ${m}) ? ${a} : ${m})`);
        } else expr = `F.${node.func}(${args.join(", ")})`;
        break;
      }
      default:
        return fallback(node, id);
    }
    if (!hoist) return expr;
    const name = `t${counter++}`;
    place(node, `const ${name} = ${expr};`, (ok) => {
      const v = `V${memoValues++}`;
      return `const ${name} = ${ok} ? ${v}[i] : (${v}[i] = ${expr});`;
    });
    temps.set(id, name);
    return name;
  };

  const outs = roots.map((node) => gen(node, true));
  let body: string;
  let memoFn = "";
  if (columns === null) {
    body = [
      ...scratch.map((m) => `let ${m} = 0;`),
      ...lines,
      ...outs.map((o, i) => `out[o + ${i}] = ${o};`),
    ].join("\n");
  } else {
    // Column values are also stored in their slots when a fallback closure reads `s`.
    const store = fallbacks.length > 0;
    const loop = (perPoint: string[]) => [
      "for (let i = 0; i < n; i++) {",
      ...columns.map((slot, j) => `const c${j} = X${j}[i];${store ? ` s[${slot}] = c${j};` : ""}`),
      ...perPoint,
      ...outs.map((o, e) => `R${e}[i] = ${o};`),
      "}",
    ];
    const head = [
      "if (!(n > 0)) return;",
      ...columns.map((_, j) => `const X${j} = cols[${j}];`),
      ...nodes.map((_, e) => `const R${e} = outs[${e}];`),
      ...[...usedSlots].map((k) => `const p${k} = s[${k}];`),
      ...scratch.map((m) => `let ${m} = 0;`),
      ...lines,
    ];
    body = [...head, ...loop(loopLines)].join("\n");
    if (memoValues > 0) {
      // The memo variant: memoised values are reused where their parameters did not change.
      const memoBody = [
        ...head,
        `const st = MEMO.begin(memo, OWNER, cols, n, ${memoValues}, ${memoDeps});`,
        "const valid = st.valid, V = st.values, Q = st.deps;",
        ...Array.from({ length: memoValues }, (_, k) => `const V${k} = V[${k}];`),
        ...memoChecks,
        ...loop(memoLines),
        ...memoSaves,
        "st.complete = true;",
      ].join("\n");
      body = `if (memo !== undefined) return kernelMemo(s, cols, outs, n, memo);\n${body}`;
      memoFn = `function kernelMemo(s, cols, outs, n, memo) {\n${memoBody}\n}\n`;
    }
  }
  const F: Record<string, (...a: number[]) => number> = {};
  for (const [name, spec] of Object.entries(BUILTIN_FUNCTIONS)) {
    F[name] = spec.fn as (...a: number[]) => number;
  }
  const O = Object.freeze({
    fdiv: pyFloorDiv,
    mod: pyMod,
    bit: pyBitOp,
    inv: pyInvert,
    pow: pyPow,
    cmp: pyCompare,
    num: (v: Value) => {
      if (typeof v !== "number") {
        throw new TypeError("a user function returned a tuple where a number is needed");
      }
      return v;
    },
  });
  // The body is generated from the validated AST: identifiers are fixed, values are numeric literals.
  const params = columns === null ? "s, out, o" : "s, cols, outs, n, memo";
  const factory = new Function(
    "F",
    "O",
    "U",
    "C",
    "fsin",
    "fcos",
    "fsc",
    "SC",
    "MEMO",
    "OWNER",
    "fexp",
    "SE",
    `"use strict";\n${memoFn}return function kernel(${params}) {\n${body}\n};`,
  );
  const sc = new Float64Array(2);
  return factory(
    Object.freeze(F),
    O,
    userFns,
    fallbacks,
    fastSinInto,
    fastCosInto,
    fastSinCos,
    sc,
    MEMO,
    {},
    fastExpInto,
    new Float64Array(1),
  );
}
