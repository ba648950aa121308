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
import { compileMany, type MultiKernel } from "../expr/codegen.ts";
import type { NanPolicy } from "../objective.ts";
import type { SymbolValue, UserFunction } from "../symtable.ts";
import { type BaseModel, Model, type ModelJacobian } from "./model.ts";

/** Options of `new ExpressionModel(expr, options)`. */
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

/** The description of an expression model that the batched fitter compiles (CPU or WGSL). */
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
  #valueKernel: MultiKernel | null = null;
  #jacKernel: MultiKernel | null = null;
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

  #evaluate(vars: Record<string, Float64Array>, p: Record<string, number>): Float64Array {
    this.#valueKernel ??= compileMany([this.ast], this.#bind);
    const kernel = this.#valueKernel;
    const np = this.#base.length;
    const iv = this.independentVars;
    const slots = new Float64Array(np + iv.length);
    for (let k = 0; k < np; k++) slots[k] = p[this.#base[k]];
    const n = vars[iv[0]].length;
    const out = new Float64Array(n);
    const cols = iv.map((v) => vars[v]);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < cols.length; j++) slots[np + j] = cols[j][i];
      kernel(slots, out, i);
    }
    return out;
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
        this.#jacKernel = compileMany(
          [this.ast, ...base.map((n) => derivative(this.ast, n))],
          this.#bind,
        );
      } catch {
        return null; // not differentiable symbolically (e.g. a user function): finite differences
      }
    }
    const kernel = this.#jacKernel;
    const slots = new Float64Array(np + iv.length);
    const buf = new Float64Array(np + 1);
    return {
      names,
      evaluate(vars, values, value, jac) {
        for (let k = 0; k < np; k++) slots[k] = values[prefix + base[k]];
        const cols = iv.map((v) => vars[v]);
        const m = value.length;
        for (let i = 0; i < m; i++) {
          for (let j = 0; j < cols.length; j++) slots[np + j] = cols[j][i];
          kernel(slots, buf, 0);
          value[i] = buf[0];
          for (let k = 0; k < np; k++) jac[k * m + i] = buf[k + 1];
        }
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
