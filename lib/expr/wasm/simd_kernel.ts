/**
 * Several expressions over every point of a data set as one WebAssembly SIMD function: the
 * `LoopKernel` of `../codegen.ts` for a subset of the language, two points per step (f64x2).
 *
 * The subset: number literals and numeric constants, parameter slots (splatted once before the
 * loop), independent-variable columns, `+ - * /`, unary `-` and `+`, `**` with the exponents
 * the JavaScript kernels write as multiplications (1, 2, 3, 4, −1, −2; same operations, same
 * doubles), `sqrt`, `abs`/`fabs`, `copysign` (which derivatives of `abs` use), and `sin`,
 * `cos`, `exp`, `log` with one argument (see `simd_math.ts`: within an ulp, and exactly the
 * JavaScript kernels' values outside their fast range). Anything else gives null, and the caller
 * keeps the JavaScript kernel: the language's semantics never change.
 * Subexpressions shared by the expressions (a model and its derivatives) are computed once,
 * after the same exact rewrite as the JavaScript kernels (negations pulled out of products),
 * and those that do not depend on a column once per call.
 *
 * Data move through the module's memory: per call, the parameter values and the columns are
 * copied in (a column of odd length is padded with its last value, so the loop has no scalar
 * tail) and the outputs copied out; the memory grows when a larger data set comes, and after one
 * past 64 MiB a much smaller one gets a fresh instance (a WebAssembly memory never shrinks).
 *
 * Measured (bench/wasm_kernel_bench.ts, fastest runs on the 2-core development machine): the
 * seed's decaying sine and its four derivatives over 2,500 points take 28 µs, copies (about 2 µs)
 * included, against 46 µs for the generated JavaScript loop; a Gaussian and its three, 14 µs
 * against 23 µs. Constants are kept in locals set before the loop (about 5% faster than
 * `v128.const` at each use).
 *
 * @module
 */

import type { Node } from "../ast.ts";
import { BUILTIN_CONSTANTS } from "../builtins.ts";
import type { Binding } from "../compile.ts";
import type { LoopKernel } from "../codegen.ts";
import { pullNegations } from "../canonical.ts";
import { createInterner } from "../equal.ts";
import { fastCos, fastExp, fastSin } from "../fast_math.ts";
import { walkNodes } from "../names.ts";
import { Code, encodeModule, F64, I32, Simd, V128 } from "./binary.ts";
import { emitExp, emitLog, emitSinCos, type ScalarImports } from "./simd_math.ts";

const POWERS = new Set([1, 2, 3, 4, -1, -2]);
const UNARY_CALLS = new Set(["sin", "cos", "exp", "log", "sqrt", "abs", "fabs"]);

/** Whether every node is in the subset (names resolved through `bind`). */
function inSubset(node: Node, bind: (name: string) => Binding | undefined): boolean {
  let ok = true;
  walkNodes(node, (n) => {
    if (!ok) return;
    switch (n.type) {
      case "Num":
        return;
      case "Name": {
        const b = bind(n.id);
        if (b === undefined) ok = n.id in BUILTIN_CONSTANTS;
        else ok = b.kind === "slot" || (b.kind === "value" && typeof b.value === "number");
        return;
      }
      case "Unary":
        ok = n.op === "-" || n.op === "+";
        return;
      case "Binary":
        ok = n.op === "+" || n.op === "-" || n.op === "*" || n.op === "/" ||
          (n.op === "**" && n.right.type === "Num" && POWERS.has(n.right.value));
        return;
      case "Call":
        ok = bind(n.func) === undefined &&
          (UNARY_CALLS.has(n.func)
            ? n.args.length === 1
            : n.func === "copysign" && n.args.length === 2);
        return;
      default:
        ok = false;
    }
  });
  return ok;
}

/** Memory layout: parameter slots from byte 0, then columns and outputs of `stride` bytes. */
interface Layout {
  /** Bytes before the first column (the parameter slots, rounded up to 16). */
  head: number;
  /** Slot indices read as parameters. */
  params: number[];
}

/**
 * Compiles the expressions into a WebAssembly SIMD kernel with `LoopKernel`'s contract
 * (`outs[e][i]` = expression e with slot `columns[j]` set to `cols[j][i]`, other slots from
 * `slots`), or returns null when an expression is outside the subset. The kernel does not use
 * a `LoopMemo` (the fourth argument is ignored). Call only where WebAssembly SIMD is available
 * (`simdSupported()` in `simd_support.ts`).
 *
 * @example
 * ```ts
 * import { compileSimdLoop } from "./simd_kernel.ts";
 * import { parse } from "../parser.ts";
 * const idx: Record<string, number> = { a: 0, b: 1, x: 2 };
 * const bind = (n: string) => n in idx ? { kind: "slot" as const, index: idx[n] } : undefined;
 * const k = compileSimdLoop([parse("a * exp(-b * x)")], bind, [2])!;
 * const out = new Float64Array(3);
 * k(Float64Array.of(2, 0.5, 0), [Float64Array.of(0, 1, 2)], [out], 3); // out = [2, 1.213…, 0.735…]
 * compileSimdLoop([parse("a % x")], bind, [2]); // null: % is not in the subset
 * ```
 */
export function compileSimdLoop(
  nodes: readonly Node[],
  bind: (name: string) => Binding | undefined,
  columns: readonly number[],
): LoopKernel | null {
  if (nodes.length === 0 || !nodes.every((n) => inSubset(n, bind))) return null;
  const roots = nodes.map((n) => pullNegations(n, () => true));
  const columnOf = new Map<number, number>(columns.map((slot, j) => [slot, j]));
  const intern = createInterner();
  const imports: ScalarImports = { sin: 0, cos: 1, exp: 2, log: 3 };

  // run(stride: i32): `stride` bytes per column (the padded number of points times 8)
  const code = new Code([I32]);
  const STRIDE = 0;
  const pre = new Code([]); // loop-invariant part, spliced before the loop
  const body = new Code([]); // per pair of points
  // Locals are declared on `code` only; `pre` and `body` hold instructions.
  const local = (type: number) => code.local(type);
  const i = local(I32);
  const base = columns.map(() => local(I32));
  const outBase = roots.map(() => local(I32));
  const params: number[] = [];
  // Constants live in locals set once before the loop (measured ~5% faster than `v128.const`
  // at each use); keyed by their bits, so that 0 and -0 stay apart.
  const constPool = new Map<string, number>();
  const constInit = new Code([]);
  code.constants = (value) => {
    const key = Object.is(value, -0) ? "-0" : String(value);
    let l = constPool.get(key);
    if (l === undefined) {
      l = local(V128);
      constPool.set(key, l);
      constInit.f64x2Const(value).set(l);
    }
    return l;
  };

  const varies = new Map<number, boolean>();
  const valueOf = new Map<number, number>(); // interned id → v128 local
  const sinCosOf = new Map<number, { sin: number; cos: number }>(); // argument id → locals
  // Arguments whose sin and cos are both used: one reduction gives both.
  const wants = new Map<number, { sin: boolean; cos: boolean }>();
  for (const root of roots) {
    walkNodes(root, (n) => {
      if (n.type === "Call" && (n.func === "sin" || n.func === "cos")) {
        const id = intern(n.args[0]);
        const w = wants.get(id) ?? { sin: false, cos: false };
        w[n.func] = true;
        wants.set(id, w);
      }
    });
  }

  const isVarying = (node: Node): boolean => {
    const id = intern(node);
    let v = varies.get(id);
    if (v !== undefined) return v;
    switch (node.type) {
      case "Name": {
        const b = bind(node.id);
        v = b?.kind === "slot" && columnOf.has(b.index);
        break;
      }
      case "Unary":
        v = isVarying(node.arg);
        break;
      case "Binary":
        v = isVarying(node.left) || isVarying(node.right);
        break;
      case "Call":
        v = node.args.some(isVarying);
        break;
      default:
        v = false;
    }
    varies.set(id, v);
    return v;
  };

  /** Emits `node` (into the loop body or before the loop) and returns its v128 local. */
  const gen = (node: Node): number => {
    const id = intern(node);
    const known = valueOf.get(id);
    if (known !== undefined) return known;
    const into = isVarying(node) ? body : pre;
    const out = local(V128);
    // Emission goes to a fresh Code whose bytes are moved to `into`, so that the math
    // sequences (which declare their own locals on `code`) can be used the same way.
    const emit = (f: (c: Code) => number | void): number => {
      const before = code.bytes.length;
      const r = f(code);
      const bytes = code.bytes.splice(before);
      for (const b of bytes) into.bytes.push(b);
      return r ?? out;
    };
    let result = out;
    switch (node.type) {
      case "Num":
        emit((c) => {
          c.f64x2Const(node.value).set(out);
        });
        break;
      case "Name": {
        const b = bind(node.id);
        if (b?.kind === "slot") {
          const j = columnOf.get(b.index);
          if (j !== undefined) {
            emit((c) => {
              c.get(base[j]).get(i).op(0x6a).mem(Simd.load, 0).set(out);
            });
          } else {
            params.push(b.index);
            emit((c) => {
              c.i32Const(0).mem(Simd.load64Splat, 8 * b.index).set(out);
            });
          }
        } else {
          const value = b === undefined
            ? BUILTIN_CONSTANTS[node.id]
            : (b as { value: number }).value;
          emit((c) => {
            c.f64x2Const(value).set(out);
          });
        }
        break;
      }
      case "Unary": {
        if (node.op === "+") {
          result = gen(node.arg);
          break;
        }
        if (node.arg.type === "Num") {
          const value = -node.arg.value;
          emit((c) => {
            c.f64x2Const(value).set(out);
          });
          break;
        }
        const a = gen(node.arg);
        emit((c) => {
          c.get(a).simd(Simd.f64x2Neg).set(out);
        });
        break;
      }
      case "Binary": {
        const a = gen(node.left);
        if (node.op === "**") {
          const e = (node.right as { value: number }).value;
          const mul = Simd.f64x2Mul;
          emit((c) => {
            if (e === 1) c.get(a);
            else if (e === 2) c.get(a).get(a).simd(mul);
            else if (e === 3) c.get(a).get(a).simd(mul).get(a).simd(mul);
            else if (e === 4) c.get(a).get(a).simd(mul).get(a).get(a).simd(mul).simd(mul);
            else if (e === -1) c.f64x2Const(1).get(a).simd(Simd.f64x2Div);
            else c.f64x2Const(1).get(a).get(a).simd(mul).simd(Simd.f64x2Div);
            c.set(out);
          });
          break;
        }
        const b = gen(node.right);
        const op = { "+": Simd.f64x2Add, "-": Simd.f64x2Sub, "*": Simd.f64x2Mul }[
          node.op as string
        ] ?? Simd.f64x2Div;
        emit((c) => {
          c.get(a).get(b).simd(op).set(out);
        });
        break;
      }
      case "Call": {
        const argId = intern(node.args[0]);
        const a = gen(node.args[0]);
        if (node.func === "copysign") {
          // −|a| where b is negative or −0 (its sign bit set and not NaN), else |a|
          const b = gen(node.args[1]);
          emit((c) => {
            c.get(a).simd(Simd.f64x2Abs).simd(Simd.f64x2Neg).get(a).simd(Simd.f64x2Abs);
            c.get(b).i32Const(63).simd(Simd.i64x2ShrS).get(b).get(b).simd(Simd.f64x2Eq)
              .simd(Simd.and);
            c.simd(Simd.bitselect).set(out);
          });
          break;
        }
        if (node.func === "sin" || node.func === "cos") {
          let sc = sinCosOf.get(argId);
          if (sc === undefined) {
            const w = wants.get(argId)!;
            emit((c) => {
              sc = emitSinCos(c, a, w.sin, w.cos, imports);
            });
            sinCosOf.set(argId, sc!);
          }
          result = sc![node.func];
        } else if (node.func === "exp") {
          result = emit((c) => emitExp(c, a, imports));
        } else if (node.func === "log") {
          result = emit((c) => emitLog(c, a, imports));
        } else {
          const op = node.func === "sqrt" ? Simd.f64x2Sqrt : Simd.f64x2Abs;
          emit((c) => {
            c.get(a).simd(op).set(out);
          });
        }
        break;
      }
      default:
        throw new Error(`unreachable: ${node.type} outside the SIMD subset`);
    }
    valueOf.set(id, result);
    return result;
  };

  const results = roots.map(gen);
  const layout: Layout = {
    head: 16 * Math.ceil((Math.max(-1, ...params, ...columns) + 1) / 2),
    params: [...new Set(params)],
  };
  // Prologue: base addresses of the columns and outputs.
  const slab = (k: number, target: number) =>
    code.get(STRIDE).i32Const(k).op(0x6c).i32Const(layout.head).op(0x6a).set(target);
  base.forEach((b, j) => slab(j, b));
  outBase.forEach((b, e) => slab(columns.length + e, b));
  for (const b of constInit.bytes) code.bytes.push(b);
  for (const b of pre.bytes) code.bytes.push(b);
  // for (i = 0; i < end; i += 16) { body; stores }
  code.i32Const(0).set(i);
  code.op(0x02, 0x40, 0x03, 0x40); // block, loop
  code.get(i).get(STRIDE).op(0x4f, 0x0d, 0x01); // i32.ge_u; br_if 1
  for (const b of body.bytes) code.bytes.push(b);
  results.forEach((r, e) => code.get(outBase[e]).get(i).op(0x6a).get(r).mem(Simd.store, 0));
  code.get(i).i32Const(16).op(0x6a).set(i);
  code.op(0x0c, 0x00, 0x0b, 0x0b); // br 0; end loop; end block

  const bytes = encodeModule({
    imports: [
      { module: "m", name: "sin", params: [F64], results: [F64] },
      { module: "m", name: "cos", params: [F64], results: [F64] },
      { module: "m", name: "exp", params: [F64], results: [F64] },
      { module: "m", name: "log", params: [F64], results: [F64] },
    ],
    code,
    results: [],
    memoryPages: 1,
  });
  const module = new WebAssembly.Module(bytes);
  const wasmImports = { m: { sin: fastSin, cos: fastCos, exp: fastExp, log: Math.log } };
  return bindMemory(
    () => new WebAssembly.Instance(module, wasmImports),
    layout,
    columns.length,
    roots.length,
  );
}

/** Memory above which a call needing less than an eighth of it gets a fresh instance. */
const RELEASE_BYTES = 64 * 1024 * 1024;

/**
 * The `LoopKernel` around an instance: copies in, runs, copies out. A WebAssembly memory never
 * shrinks, so after one huge data set a much smaller one gets a fresh instance (`instantiate`)
 * and the large memory goes with the old one.
 */
function bindMemory(
  instantiate: () => WebAssembly.Instance,
  layout: Layout,
  nCols: number,
  nOuts: number,
): LoopKernel {
  let instance = instantiate();
  let memory = instance.exports.memory as WebAssembly.Memory;
  let run = instance.exports.run as (stride: number) => void;
  let heap = new Float64Array(memory.buffer);
  const head = layout.head / 8;
  const params = layout.params;
  // Views of the outputs, rebuilt when n or the memory changes.
  let viewN = -1;
  let views: Float64Array[] = [];
  return (slots, cols, outs, n) => {
    if (!(n > 0)) return;
    const padded = n + (n & 1);
    const bytes = 8 * (head + (nCols + nOuts) * padded);
    if (memory.buffer.byteLength > RELEASE_BYTES && 8 * bytes < memory.buffer.byteLength) {
      instance = instantiate();
      memory = instance.exports.memory as WebAssembly.Memory;
      run = instance.exports.run as (stride: number) => void;
      heap = new Float64Array(memory.buffer);
      viewN = -1;
    }
    if (bytes > memory.buffer.byteLength) {
      memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / 65536));
      heap = new Float64Array(memory.buffer);
      viewN = -1;
    }
    for (let k = 0; k < params.length; k++) heap[params[k]] = slots[params[k]];
    for (let j = 0; j < nCols; j++) {
      const col = cols[j], at = head + j * padded;
      heap.set(col.length === n ? col : col.subarray(0, n), at);
      if (padded !== n) heap[at + n] = col[n - 1];
    }
    run(8 * padded);
    if (viewN !== n) {
      views = [];
      for (let e = 0; e < nOuts; e++) {
        const at = head + (nCols + e) * padded;
        views.push(heap.subarray(at, at + n));
      }
      viewN = n;
    }
    for (let e = 0; e < nOuts; e++) outs[e].set(views[e]);
  };
}
