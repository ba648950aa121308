/**
 * The compiled kernels of a model written as one expression AST: values, the fit residual
 * `(f − y)·w` and analytic values-and-derivatives, each one generated loop over the points.
 * Shared by `ExpressionModel` and by `Model` built from a translated JavaScript function.
 *
 * @module
 */

import type { Node } from "../expr/ast.ts";
import { derivative } from "../expr/derivative.ts";
import type { Binding } from "../expr/compile.ts";
import { compileLoop, type LoopKernel, LoopMemo } from "../expr/codegen.ts";
import { compileSimdLoop } from "../expr/wasm/simd_kernel.ts";
import { useSimdKernels } from "../expr/wasm/simd_support.ts";
import type { Parameters } from "../parameters.ts";
import type { ModelJacobian } from "./model_jacobian.ts";

/**
 * The description of an expression model that the batched fitter compiles (CPU or WGSL).
 *
 * @example
 * ```ts
 * import { type BatchModelSpec, ExpressionModel, print } from "../../mod.ts";
 * const spec: BatchModelSpec = new ExpressionModel("amp * exp(-x / tau)").batchSpec();
 * spec.paramNames; // ["amp", "tau"]
 * spec.independentVars; // ["x"]
 * print(spec.expression); // "amp * exp(-x / tau)"
 * ```
 *
 * @category Models
 */
export interface BatchModelSpec {
  /** The model expression's AST. */
  expression: Node;
  /** Parameter names (unprefixed), in slot order. */
  paramNames: string[];
  /** Independent variable names. */
  independentVars: string[];
}

/** Kernels of one expression over parameter slots followed by independent-variable slots. */
export class ExpressionKernels {
  readonly ast: Node;
  readonly base: readonly string[];
  readonly independentVars: readonly string[];
  readonly #bind: (name: string) => Binding | undefined;
  #valueKernel: LoopKernel | null = null;
  #jacKernel: LoopKernel | null | undefined = undefined;
  #residualKernels: [LoopKernel | null, LoopKernel | null] = [null, null];

  constructor(
    ast: Node,
    base: readonly string[],
    independentVars: readonly string[],
    bind: (name: string) => Binding | undefined,
  ) {
    this.ast = ast;
    this.base = base;
    this.independentVars = independentVars;
    this.#bind = bind;
  }

  /** Slots of the independent variables (after the parameters). */
  #columns(): number[] {
    return this.independentVars.map((_, j) => this.base.length + j);
  }

  /** Model values for parameter values by unprefixed name. */
  evaluate(vars: Record<string, Float64Array>, p: Record<string, number>): Float64Array {
    this.#valueKernel ??= compileLoop([this.ast], this.#bind, this.#columns());
    const np = this.base.length;
    const iv = this.independentVars;
    const slots = new Float64Array(np + iv.length);
    for (let k = 0; k < np; k++) slots[k] = p[this.base[k]];
    const cols = iv.map((v) => vars[v]);
    const out = new Float64Array(cols[0].length);
    this.#valueKernel(slots, cols, [out], out.length);
    return out;
  }

  /** The fit residual `(f − data)·weights` as one loop into a reused (or, with `fresh`, new) array. */
  residualFunction(
    prefix: string,
    vars: Record<string, Float64Array>,
    data: Float64Array,
    weights: Float64Array | null,
    fresh: boolean,
  ): (q: Parameters) => Float64Array {
    const np = this.base.length;
    const iv = this.independentVars;
    const k = weights ? 1 : 0;
    if (this.#residualKernels[k] === null) {
      const y: Node = { type: "Name", id: "\u0000y", pos: -1 };
      const w: Node = { type: "Name", id: "\u0000w", pos: -1 };
      const diff: Node = { type: "Binary", op: "-", left: this.ast, right: y, pos: -1 };
      const node: Node = weights
        ? { type: "Binary", op: "*", left: diff, right: w, pos: -1 }
        : diff;
      const bind = this.#bind;
      const extra = (name: string): Binding | undefined =>
        name === "\u0000y"
          ? { kind: "slot", index: np + iv.length }
          : name === "\u0000w"
          ? { kind: "slot", index: np + iv.length + 1 }
          : bind(name);
      const columns = [...this.#columns(), np + iv.length];
      if (weights) columns.push(np + iv.length + 1);
      this.#residualKernels[k] = compileLoop([node], extra, columns);
    }
    const kernel = this.#residualKernels[k]!;
    const names = this.base.map((n) => prefix + n);
    const slots = new Float64Array(np + iv.length + 2);
    const cols = [...iv.map((v) => vars[v]), data];
    if (weights) cols.push(weights);
    const m = data.length;
    let out = new Float64Array(m);
    const outs = [out];
    // The data are fixed during a fit: values of subexpressions whose parameters did not change
    // (difference Jacobians move one at a time) are reused.
    const memo = new LoopMemo();
    return (q) => {
      for (let j = 0; j < np; j++) slots[j] = q.get(names[j])!.value;
      if (fresh) outs[0] = out = new Float64Array(m);
      kernel(slots, cols, outs, m, memo);
      return out;
    };
  }

  /**
   * The SIMD kernel of the nodes, or null outside its subset or where the engine refuses the
   * module (an expression past WebAssembly's limits on a function's size or locals).
   */
  #simdKernel(nodes: Node[]): LoopKernel | null {
    try {
      return compileSimdLoop(nodes, this.#bind, this.#columns());
    } catch {
      return null;
    }
  }

  /**
   * Values and analytic derivatives, or null where the expression has no symbolic derivative.
   * The kernel is WebAssembly SIMD where the expressions are in its subset and the engine
   * supports it (`lib/expr/wasm/`), else generated JavaScript.
   */
  analyticJacobian(prefix: string): ModelJacobian | null {
    const np = this.base.length;
    const iv = this.independentVars;
    const base = this.base;
    const names = base.map((n) => prefix + n);
    if (this.#jacKernel === undefined) {
      try {
        const nodes = [this.ast, ...base.map((n) => derivative(this.ast, n))];
        // WebAssembly SIMD where the expressions allow it (same values to within an ulp of each
        // sin/cos/exp/log), else the generated JavaScript loop.
        this.#jacKernel = (useSimdKernels() ? this.#simdKernel(nodes) : null) ??
          compileLoop(nodes, this.#bind, this.#columns());
      } catch {
        this.#jacKernel = null; // not differentiable symbolically (e.g. a user function)
      }
    }
    const kernel = this.#jacKernel;
    if (kernel === null) return null;
    const slots = new Float64Array(np + iv.length);
    // Output views (value, then one column of `jac` per parameter), rebuilt when the buffers change.
    let outs: Float64Array[] = [];
    let lastValue: Float64Array | null = null, lastJac: Float64Array | null = null;
    return {
      names,
      evaluate(vars, values, value, jac) {
        for (let k = 0; k < np; k++) slots[k] = values[prefix + base[k]];
        const m = value.length;
        if (value !== lastValue || jac !== lastJac) {
          outs = [value, ...base.map((_, k) => jac.subarray(k * m, (k + 1) * m))];
          lastValue = value;
          lastJac = jac;
        }
        kernel(slots, iv.map((v) => vars[v]), outs, m);
      },
    };
  }
}
