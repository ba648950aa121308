/**
 * `ExpressionModel`: a model written in the expression language, e.g.
 * `"amp*exp(-(x-cen)**2/(2*sig**2))"`. Its parameters are the expression's free names (less
 * the independent variables); its Jacobian is analytic, from symbolic derivatives compiled
 * together with the model so common subexpressions are evaluated once per point.
 *
 * @module
 */

import type { Node } from "../expr/ast.ts";
import { parse } from "../expr/parser.ts";
import { freeNames } from "../expr/names.ts";
import { derivative } from "../expr/derivative.ts";
import type { Binding } from "../expr/compile.ts";
import { compileLoop, type LoopKernel, LoopMemo } from "../expr/codegen.ts";
import type { NanPolicy } from "../fit/objective.ts";
import type { Parameters } from "../parameters.ts";
import type { SymbolValue, UserFunction } from "../symtable.ts";
import { type BaseModel, Model, type ModelJacobian } from "./model.ts";

/**
 * Options of `new ExpressionModel(expr, options)`.
 *
 * @example
 * ```ts
 * import { ExpressionModel, type ExpressionModelOptions } from "../../mod.ts";
 * const options: ExpressionModelOptions = {
 *   independentVars: ["t"], prefix: "d_", symbols: { t0: 2 }, defaults: { tau: 1 },
 * };
 * const model = new ExpressionModel("amp * exp(-(t - t0) / tau)", options);
 * model.paramNames; // ["d_amp", "d_tau"]
 * model.eval({ d_amp: 3, d_tau: 1 }, { t: [2, 3] }); // Float64Array [3, 1.1036...]
 * ```
 */
export interface ExpressionModelOptions {
  /** Independent variables. @default ["x"] */
  independentVars?: string[];
  /** Prefix for parameter names. @default "" */
  prefix?: string;
  /** How non-finite model values are handled. @default "raise" */
  nanPolicy?: NanPolicy;
  /** Extra constants and functions usable in the expression. */
  symbols?: Record<string, SymbolValue>;
  /** Default parameter values (unprefixed). */
  defaults?: Record<string, number>;
  /** Parameter order (a permutation of the free names). @default first-seen order */
  paramNames?: string[];
  /** Display name. @default `Expression('...')` */
  name?: string;
}

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
 */
export interface BatchModelSpec {
  /** The model expression's AST. */
  expression: Node;
  /** Parameter names (unprefixed), in slot order. */
  paramNames: string[];
  /** Independent variable names. */
  independentVars: string[];
}

/**
 * A model from an expression string.
 *
 * @example
 * ```ts
 * import { ExpressionModel } from "../../mod.ts";
 * const model = new ExpressionModel("amp * exp(-(x - cen)**2 / (2 * sig**2))");
 * model.paramNames; // ["amp", "cen", "sig"]
 * const x = Float64Array.from({ length: 61 }, (_, i) => -3 + i / 10);
 * const y = model.eval({ amp: 2, cen: 0.3, sig: 0.7 }, { x });
 * const result = await model.fit(y, model.makeParams({ amp: 1, cen: 0, sig: 1 }), { x });
 * result.params.get("cen")!.value; // ≈ 0.3
 * ```
 */
export class ExpressionModel extends Model {
  /** The expression source. */
  readonly source: string;
  /** Its AST. */
  readonly ast: Node;
  readonly #bind: (name: string) => Binding | undefined;
  #valueKernel: LoopKernel | null = null;
  #jacKernel: LoopKernel | null = null;
  #residualKernels: [LoopKernel | null, LoopKernel | null] = [null, null];
  readonly #base: string[];
  readonly #symbols: Record<string, SymbolValue>;

  /**
   * Parses and compiles the expression; its free names (less the independent variables) become the parameters.
   * @param expr the model, in the expression language (Python syntax).
   * @param options independent variables, prefix, extra symbols.
   */
  constructor(expr: string, options: ExpressionModelOptions = {}) {
    const ast = parse(expr);
    const independentVars = options.independentVars ?? ["x"];
    const symbols = options.symbols ?? {};
    let names = freeNames(ast).filter((n) => !independentVars.includes(n) && !(n in symbols));
    if (options.paramNames) {
      const given = options.paramNames;
      if (given.length !== names.length || !names.every((n) => given.includes(n))) {
        throw new TypeError(
          `ExpressionModel: paramNames [${given.join(", ")}] must list exactly the parameters ${
            names.join(", ")
          }`,
        );
      }
      names = [...given];
    }
    if (names.length === 0) {
      throw new TypeError(
        `ExpressionModel: "${expr}" has no parameters (free names besides ${
          independentVars.join(", ")
        })`,
      );
    }
    const slotNames = [...names, ...independentVars];
    const index = new Map(slotNames.map((n, i) => [n, i]));
    const bind = (name: string): Binding | undefined => {
      const i = index.get(name);
      if (i !== undefined) return { kind: "slot", index: i };
      const s = symbols[name];
      if (s === undefined) return undefined;
      return typeof s === "function"
        ? { kind: "function", fn: s as UserFunction }
        : { kind: "value", value: s };
    };
    // The function form (used by the generic Model machinery) evaluates the compiled kernel.
    let self: ExpressionModel | null = null;
    super((_x, p, vars) => self!.#evaluate(vars, p), {
      paramNames: names,
      independentVars,
      prefix: options.prefix,
      nanPolicy: options.nanPolicy,
      name: options.name ?? `Expression('${expr}')`,
      defaults: options.defaults,
    });
    self = this;
    this.source = expr;
    this.ast = ast;
    this.#bind = bind;
    this.#base = names;
    this.#symbols = symbols;
  }

  /** Slots of the independent variables (after the parameters). */
  #columns(): number[] {
    return this.independentVars.map((_, j) => this.#base.length + j);
  }

  #evaluate(vars: Record<string, Float64Array>, p: Record<string, number>): Float64Array {
    this.#valueKernel ??= compileLoop([this.ast], this.#bind, this.#columns());
    const np = this.#base.length;
    const iv = this.independentVars;
    const slots = new Float64Array(np + iv.length);
    for (let k = 0; k < np; k++) slots[k] = p[this.#base[k]];
    const cols = iv.map((v) => vars[v]);
    const out = new Float64Array(cols[0].length);
    this.#valueKernel(slots, cols, [out], out.length);
    return out;
  }

  /**
   * `(model − data)·weights` as one compiled loop writing into a reused buffer: the fit's
   * residual without the intermediate model array. The returned function reads the parameter
   * values (prefixed names) from `Parameters`; with `fresh`, every call returns a new array.
   * `data`, `weights` and `vars` must not change while it is in use (subexpression values are
   * kept between calls).
   */
  override residualFunction(
    vars: Record<string, Float64Array>,
    data: Float64Array,
    weights: Float64Array | null,
    fresh: boolean,
  ): ((q: Parameters) => Float64Array) | null {
    const np = this.#base.length;
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
    const names = this.#base.map((n) => this.prefix + n);
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

  /** Analytic model values and derivatives from the compiled symbolic derivatives. */
  override analyticJacobian(): ModelJacobian | null {
    const np = this.#base.length;
    const iv = this.independentVars;
    const prefix = this.prefix;
    const names = this.#base.map((n) => prefix + n);
    const base = this.#base;
    if (this.#jacKernel === null) {
      try {
        this.#jacKernel = compileLoop(
          [this.ast, ...base.map((n) => derivative(this.ast, n))],
          this.#bind,
          this.#columns(),
        );
      } catch {
        return null; // not differentiable symbolically (e.g. a user function): finite differences
      }
    }
    const kernel = this.#jacKernel;
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

  /** The expression source (used for GPU code generation). */
  override expression(): string {
    return this.source;
  }

  /** The description the batched fitter (`fitBatch`) compiles. */
  batchSpec(): BatchModelSpec {
    return {
      expression: this.ast,
      paramNames: [...this.#base],
      independentVars: [...this.independentVars],
    };
  }

  /** Extra symbols the expression may use. */
  get symbols(): Record<string, SymbolValue> {
    return { ...this.#symbols };
  }

  /** lmfit-like representation. */
  override toString(): string {
    const what = this.name.startsWith("Expression(") ? this.name : this.name;
    return `Model(${what}${this.prefix ? `, prefix='${this.prefix}'` : ""})`;
  }
}

/** Whether a model is an expression model (or a composite of them). */
export function isExpressionBacked(model: BaseModel): boolean {
  return model.components.every((c) => c.expression() !== null);
}
