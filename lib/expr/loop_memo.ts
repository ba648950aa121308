/**
 * The memory of loop kernels (`compileLoop`) between calls on one data set: which generated
 * subexpressions are worth keeping per point, and the state a kernel keeps in a `LoopMemo`.
 *
 * @module
 */

/**
 * Memory of a loop kernel between calls on one data set: with a memo, the per-point values of
 * the expensive subexpressions (`exp`, `sin`, `**`, ...) are kept, and a later call reuses
 * those whose parameters (the slots they read) are bitwise unchanged — as in the calls of a
 * finite-difference Jacobian, which move one parameter at a time. Pass a memo only while the
 * columns stay the same arrays with the same contents (a new `cols` array object, `n` or
 * kernel starts the memo afresh; changed contents of the same arrays are not detected).
 *
 * @example
 * ```ts
 * import { compileLoop } from "./codegen.ts";
 * import { LoopMemo } from "./loop_memo.ts";
 * import { parse } from "./parser.ts";
 * const idx: Record<string, number> = { a: 0, b: 1, x: 2 };
 * const bind = (n: string) => n in idx ? { kind: "slot" as const, index: idx[n] } : undefined;
 * const k = compileLoop([parse("a * exp(-b * x)")], bind, [2]);
 * const x = [Float64Array.of(0, 1, 2)], out = [new Float64Array(3)], memo = new LoopMemo();
 * k(Float64Array.of(2, 0.5, 0), x, out, 3, memo);
 * k(Float64Array.of(3, 0.5, 0), x, out, 3, memo); // exp(-b·x) is reused: b did not change
 * ```
 *
 * @category Expressions
 */
export class LoopMemo {
  /** The kernel's cached values and the parameter values they hold (owned by the kernel). */
  state: unknown = null;
}

/** The state a kernel keeps in a `LoopMemo`. */
export interface MemoState {
  owner: object;
  cols: readonly Float64Array[];
  n: number;
  complete: boolean;
  valid: boolean;
  values: Float64Array[];
  deps: Float64Array;
}

/** Helpers of generated memo kernels. */
export const MEMO = Object.freeze({
  /** The memo's state for this kernel and data (`valid` when its values can be reused). */
  begin(
    memo: LoopMemo,
    owner: object,
    cols: readonly Float64Array[],
    n: number,
    nValues: number,
    nDeps: number,
  ): MemoState {
    let st = memo.state as MemoState | null;
    const same = st !== null && st.owner === owner && st.n === n && st.complete &&
      st.cols.length === cols.length && st.cols.every((c, j) => c === cols[j]);
    if (!same) {
      st = {
        owner,
        cols: [...cols],
        n,
        complete: false,
        valid: false,
        values: Array.from({ length: nValues }, () => new Float64Array(n)),
        deps: new Float64Array(nDeps).fill(NaN), // NaN never matches: nothing is valid yet
      };
      memo.state = st;
    }
    st!.valid = same;
    st!.complete = false; // until this call's loop has filled every value
    return st!;
  },
  /** Bitwise equality of two parameter values (signed zeros differ; NaN never matches). */
  same(a: number, b: number): boolean {
    return a === b && (a !== 0 || 1 / a === 1 / b);
  },
});

/** Built-in functions too cheap to be worth memoising per point. */
export const CHEAP: ReadonlySet<string> = new Set([
  "abs",
  "fabs",
  "ceil",
  "floor",
  "trunc",
  "copysign",
  "degrees",
  "radians",
  "isinf",
  "isnan",
  "ldexp",
  "max",
  "min",
]);
