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
import type { Binding } from "../expr/compile.ts";
import { type BatchModelSpec, ExpressionKernels } from "./expression_kernels.ts";

export type { BatchModelSpec };
import type { NanPolicy } from "../fit/objective.ts";
import type { Parameters } from "../parameters.ts";
import { bindSymbol, type SymbolValue } from "../symtable.ts";
import { type BaseModel, Model, type ModelJacobian } from "./model.ts";
import { checkOptions, optionKeys } from "../util/options.ts";

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
 *
 * @category Models
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

const EXPRESSION_MODEL_KEYS = optionKeys<ExpressionModelOptions>({
  independentVars: true,
  prefix: true,
  nanPolicy: true,
  symbols: true,
  defaults: true,
  paramNames: true,
  name: true,
});

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
 *
 * @category Models
 */
export class ExpressionModel extends Model {
  /** The expression source. */
  readonly source: string;
  /** Its AST. */
  readonly ast: Node;
  readonly #kernels: ExpressionKernels;
  readonly #base: string[];
  readonly #symbols: Record<string, SymbolValue>;

  /**
   * Parses and compiles the expression; its free names (less the independent variables) become the parameters.
   * @param expr the model, in the expression language (Python syntax).
   * @param options independent variables, prefix, extra symbols.
   */
  constructor(expr: string, options: ExpressionModelOptions = {}) {
    checkOptions(options, EXPRESSION_MODEL_KEYS, new.target.name);
    const ast = parse(expr);
    const independentVars = options.independentVars ?? ["x"];
    const symbols = options.symbols ?? {};
    let names = freeNames(ast).filter((n) =>
      !independentVars.includes(n) && !Object.hasOwn(symbols, n)
    );
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
    const own = { get: (name: string) => Object.hasOwn(symbols, name) ? symbols[name] : undefined };
    const bind = (name: string): Binding | undefined => bindSymbol(name, index, own);
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
    this.#kernels = new ExpressionKernels(ast, names, independentVars, bind);
    this.#base = names;
    this.#symbols = symbols;
  }

  #evaluate(vars: Record<string, Float64Array>, p: Record<string, number>): Float64Array {
    return this.#kernels.evaluate(vars, p);
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
    return this.#kernels.residualFunction(this.prefix, vars, data, weights, fresh);
  }

  /** Analytic model values and derivatives from the compiled symbolic derivatives. */
  override analyticJacobian(): ModelJacobian | null {
    return this.#kernels.analyticJacobian(this.prefix);
  }

  /** The expression source (used for GPU code generation). */
  override expression(): string {
    return this.source;
  }

  /** An expression model is always compiled. */
  override get compiled(): boolean {
    return true;
  }

  /** Why the model is compiled. */
  override get compileReason(): string {
    return "an expression model: analytic Jacobian, generated loops and WGSL for fitBatch";
  }

  /** The description the batched fitter (`fitBatch`) compiles. */
  override batchSpec(): BatchModelSpec {
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

  /** A new expression model from the same source and options (used by `copy`). */
  protected override freshCopy(): Model {
    return new ExpressionModel(this.source, {
      paramNames: this.baseParamNames,
      independentVars: [...this.independentVars],
      prefix: this.prefix,
      nanPolicy: this.nanPolicy,
      name: this.funcName,
      defaults: { ...this.defaults },
      symbols: { ...this.#symbols },
    });
  }
}

/** Whether a model is an expression model (or a composite of them). */
export function isExpressionBacked(model: BaseModel): boolean {
  return model.components.every((c) => c.expression() !== null);
}
