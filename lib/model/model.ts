/**
 * The Model layer (modern lmfit's `Model`): wrap a model function, make its `Parameters`
 * (with prefixes and parameter hints), evaluate it, fit it to data, and combine models with
 * `+ - * /` into composites whose components can be evaluated separately.
 *
 * @module
 */

import { Parameter, Parameters } from "../parameters.ts";
import type { NanPolicy } from "../fit/objective.ts";
import type { MinimizerResult } from "../fit/result.ts";
import { Minimizer } from "../fit/minimizer.ts";
import { ModelResult } from "./model_result.ts";
import type { BatchModelSpec, ExpressionKernels } from "./expression_kernels.ts";
import type { ModelJacobian } from "./model_jacobian.ts";
import { jsModelRoute } from "./_js_model.ts";
import {
  checkVarNames,
  type GuessVars,
  type IndependentVars,
  toFloat64,
  toVars,
} from "./fitted_model.ts";
import { checkOptions, closestName, optionKeys } from "../util/options.ts";
import type { UserFunction } from "../symtable.ts";
import { modelCodec } from "./_model_codec.ts";

export type { GuessVars, IndependentVars } from "./fitted_model.ts";

/**
 * A model function: values of the model at the first independent variable `x` for the given
 * parameter values (unprefixed names); `vars` holds every independent variable by name.
 *
 * @example
 * ```ts
 * import { Model, type ModelFunction } from "../../mod.ts";
 * const line: ModelFunction = (x, p) => x.map((v) => p.slope * v + p.offset);
 * const model = new Model(line, { paramNames: ["slope", "offset"] });
 * model.eval({ slope: 2, offset: 1 }, { x: [0, 1, 2] }); // Float64Array [1, 3, 5]
 * ```
 *
 * @category Models
 */
export type ModelFunction = (
  x: Float64Array,
  params: Record<string, number>,
  vars: Record<string, Float64Array>,
) => ArrayLike<number>;

/**
 * Settings that `setParamHint` and `makeParams` accept for one parameter.
 *
 * @example
 * ```ts
 * import { GaussianModel, type ParamHint } from "../../mod.ts";
 * const model = new GaussianModel({ prefix: "g_" });
 * const hint: ParamHint = { value: 1, min: 0.1, max: 5 };
 * model.setParamHint("sigma", hint);
 * const params = model.makeParams({ amplitude: 2, center: 0 });
 * params.get("g_sigma")!.max; // 5
 * ```
 *
 * @category Models
 */
export interface ParamHint {
  /** Starting value. */
  value?: number;
  /** Lower bound. */
  min?: number;
  /** Upper bound. */
  max?: number;
  /** Whether the parameter varies. */
  vary?: boolean;
  /** Constraint expression. */
  expr?: string;
}

const HINT_KEYS = optionKeys<ParamHint>({
  value: true,
  min: true,
  max: true,
  vary: true,
  expr: true,
});

/**
 * Options of `new Model(fn, options)`.
 *
 * @example
 * ```ts
 * import { Model, type ModelOptions } from "../../mod.ts";
 * const options: ModelOptions = { paramNames: ["amp", "tau"], prefix: "d_", name: "decay", defaults: { tau: 1 } };
 * const decay = new Model((t, p) => t.map((v) => p.amp * Math.exp(-v / p.tau)), options);
 * decay.paramNames; // ["d_amp", "d_tau"]
 * decay.makeParams({ amp: 3 }).get("d_tau")!.value; // 1: the default
 * ```
 *
 * @category Models
 */
export interface ModelOptions {
  /** Parameter names of the function (unprefixed). Required for a function model. */
  paramNames?: string[];
  /** Independent variable names. @default ["x"] */
  independentVars?: string[];
  /** Prefix added to every parameter name (e.g. `"g1_"`). @default "" */
  prefix?: string;
  /** How non-finite model values are handled in a fit. @default "raise" */
  nanPolicy?: NanPolicy;
  /** Display name. @default the function's name */
  name?: string;
  /** Default parameter values (unprefixed), like a Python function's default arguments. */
  defaults?: Record<string, number>;
}

/**
 * Options of `model.fit(data, params, options)`.
 *
 * @example
 * ```ts
 * import { LinearModel, type ModelFitOptions } from "../../mod.ts";
 * const model = new LinearModel();
 * const options: ModelFitOptions = { x: [0, 1, 2, 3], weights: [1, 1, 1, 0], method: "leastsq", maxNfev: 100 };
 * const result = await model.fit([1, 3, 5, 100], model.makeParams({ slope: 1, intercept: 0 }), options);
 * result.params.get("slope")!.value; // ≈ 2: the zero-weight outlier is ignored
 * ```
 *
 * @category Models
 */
export interface ModelFitOptions {
  /** Weights multiplying the residual `(model - data)`. */
  weights?: ArrayLike<number>;
  /** Fitting method. @default "leastsq" */
  method?: string;
  /** How non-finite model values are handled. @default the model's */
  nanPolicy?: NanPolicy;
  /** Maximum number of model evaluations. */
  maxNfev?: number;
  /** Scale the covariance by reduced chi-square. */
  scaleCovar?: boolean;
  /** Estimate uncertainties after scalar methods. */
  calcCovar?: boolean;
  /** Called after every evaluation; returning true aborts the fit. */
  iterCb?: (params: Parameters, iter: number, resid: ArrayLike<number> | number) => boolean | void;
  /** Method-specific options, as lmfit's `fit_kws`. */
  // deno-lint-ignore no-explicit-any
  fitKws?: Record<string, any>;
  /** Independent variables (`x`, and `y` for 2-D models) are given by name. */
  [independentVar: string]: unknown;
}

const MODEL_OPTION_KEYS = optionKeys<ModelOptions>({
  paramNames: true,
  independentVars: true,
  prefix: true,
  nanPolicy: true,
  name: true,
  defaults: true,
});

export type { ModelJacobian };

const BINARY_OPS = {
  "+": (a: number, b: number) => a + b,
  "-": (a: number, b: number) => a - b,
  "*": (a: number, b: number) => a * b,
  "/": (a: number, b: number) => a / b,
} as const;

/**
 * Operators that combine models.
 *
 * @example
 * ```ts
 * import { CompositeModel, GaussianModel, LinearModel, type ModelOperator } from "../../mod.ts";
 * const op: ModelOperator = "*";
 * const model = new CompositeModel(new GaussianModel({ prefix: "g_" }), new LinearModel({ prefix: "l_" }), op);
 * const values = { g_amplitude: 1, g_center: 0, g_sigma: 1, l_slope: 0, l_intercept: 2 };
 * model.eval(values, { x: [0] })[0]; // ≈ 0.798 = 2 × 0.3989
 * ```
 *
 * @category Models
 */
export type ModelOperator = "+" | "-" | "*" | "/";

/**
 * A user operator combining two models' values, as lmfit's `CompositeModel(left, right, op)`
 * with a function `op` (a convolution, say). It receives both sides' values and returns the
 * composite's values.
 *
 * @example
 * ```ts
 * import { CompositeModel, ExpressionModel, type ModelOperatorFunction } from "../../mod.ts";
 * const hypot: ModelOperatorFunction = (a, b) => a.map((v, i) => Math.hypot(v, b[i]));
 * const model = new CompositeModel(new ExpressionModel("a + 0*x"), new ExpressionModel("b + 0*x"), hypot);
 * model.eval({ a: 3, b: 4 }, { x: [0] })[0]; // 5
 * model.name; // "(Model(a + 0*x) hypot Model(b + 0*x))"
 * ```
 *
 * @category Models
 */
export type ModelOperatorFunction = (left: Float64Array, right: Float64Array) => ArrayLike<number>;

/**
 * Options of `modelFromDescription` / `loadModel` / `ModelResult` loading.
 *
 * @example
 * ```ts
 * import { type LoadModelOptions, loadModel, Model, saveModel } from "../../mod.ts";
 * function decay(t: Float64Array, p: Record<string, number>) {
 *   return t.map((v) => p.amp * Math.exp(-v / p.tau));
 * }
 * const json = saveModel(new Model(decay, { paramNames: ["amp", "tau"] })); // stores the name "decay"
 * const options: LoadModelOptions = { functions: { decay } };
 * loadModel(json, options).eval({ amp: 2, tau: 1 }, { x: [0] })[0]; // 2
 * ```
 *
 * @category Models
 */
export interface LoadModelOptions {
  /** Functions of function models (and user functions of expressions), by name. */
  functions?: Record<string, ModelFunction | ModelOperatorFunction | UserFunction>;
}

// Module-private: copies a Model's private fields (set in Model's static block).
let copyPrivate: (from: Model, to: Model) => void;

/** Names `Model.fit` takes for itself (lmfit's `_forbidden_args`): never a parameter or variable. */
const FORBIDDEN_NAMES: readonly string[] = ["data", "weights", "params"];

/** The options `Model.fit` knows besides independent variables and start values. */
const FIT_OPTION_NAMES: readonly string[] = [
  "weights",
  "method",
  "nanPolicy",
  "maxNfev",
  "scaleCovar",
  "calcCovar",
  "iterCb",
  "fitKws",
];

export { toFloat64, toVars } from "./fitted_model.ts";

/**
 * What every model (single or composite) offers.
 *
 * @example
 * ```ts
 * import { BaseModel, GaussianModel, LinearModel } from "../../mod.ts";
 * const models: BaseModel[] = [
 *   new GaussianModel(),
 *   new GaussianModel({ prefix: "g_" }).add(new LinearModel({ prefix: "b_" })),
 * ];
 * models.every((m) => m instanceof BaseModel); // true: single and composite models alike
 * models.map((m) => m.paramNames.length); // [3, 5]
 * const values = { g_amplitude: 1, g_center: 0, g_sigma: 1, b_slope: 0, b_intercept: 2 };
 * models[1].eval(values, { x: [0] })[0]; // ≈ 2.399 = 0.3989 + 2
 * ```
 *
 * @category Models
 */
export abstract class BaseModel {
  /** Independent variable names. */
  abstract readonly independentVars: string[];
  /**
   * lmfit's display name: `Model(gaussian)`, `Model(gaussian, prefix='g_')`, `(A + B)`.
   * `String(model)` is lmfit's repr around it, `<lmfit.Model: Model(gaussian)>`.
   */
  abstract get name(): string;
  /** Prefixed parameter names, in order. */
  abstract get paramNames(): string[];
  /** Single models that make up this model (itself for a single model). */
  abstract get components(): Model[];
  /**
   * Parameter hints, as lmfit's `param_hints`: for a single model keyed by unprefixed name
   * (`sigma`, and derived parameters such as `fwhm`), with expressions naming the prefixed
   * parameters (`2.3548200*g_sigma`); for a composite, the hints defined on the composite
   * itself. A copy: change hints with `setParamHint`.
   */
  abstract get paramHints(): Record<string, ParamHint>;
  /** Model values at the independent variables, for the given parameters. */
  abstract evalWith(
    vars: Record<string, Float64Array>,
    values: Record<string, number>,
  ): Float64Array;
  /** The NaN policy used by `fit`. */
  abstract get nanPolicy(): NanPolicy;
  /** An independent copy (lmfit 1.1.0 has none: its `Model.copy` raises NotImplementedError). */
  abstract copy(): BaseModel;

  /**
   * JSON text of this model, lmfit's `Model.dumps()`: the layout of `saveModel` (lmfit 1.1.0's
   * `save_model`, which Python lmfit's `Model.loads` reads). A TypeScript function model or user
   * operator is stored by name.
   *
   * @returns The JSON text.
   * @example
   * ```ts
   * import { GaussianModel } from "../../mod.ts";
   * const json = new GaussianModel({ prefix: "g_" }).dumps();
   * json.includes('"gaussian"'); // true
   * ```
   */
  dumps(): string {
    return modelCodec().save(this);
  }

  /**
   * A model from JSON text, lmfit's `Model.loads(s, funcdefs)`: as lmfit, a new model is
   * returned and this one is not changed (`loadModel(json, options)` is the same without a model
   * at hand). Reads `dumps`/`saveModel` text and Python lmfit's `Model.dumps`/`save_model`.
   *
   * @param json JSON text of a model.
   * @param options The functions of function models and user operators, by name (lmfit's
   *   `funcdefs`).
   * @returns The model.
   * @example
   * ```ts
   * import { GaussianModel, LinearModel } from "../../mod.ts";
   * const model = new GaussianModel({ prefix: "g_" }).add(new LinearModel({ prefix: "l_" }));
   * const copy = model.loads(model.dumps());
   * String(copy); // "(Model(gaussian, prefix='g_') + Model(linear, prefix='l_'))"
   * copy.paramNames; // ["g_amplitude", "g_center", "g_sigma", "l_slope", "l_intercept"]
   * ```
   */
  loads(json: string, options: LoadModelOptions = {}): BaseModel {
    return modelCodec().load(json, options) as BaseModel;
  }

  /**
   * Parameters for this model: hints applied, then `values` (a number sets the value; an
   * object sets any of value/min/max/vary/expr). Keys may be prefixed or unprefixed.
   *
   * @example
   * ```ts
   * import { GaussianModel } from "../../mod.ts";
   * const params = new GaussianModel({ prefix: "g_" }).makeParams({ amplitude: 5, center: { value: 1, min: 0 }, sigma: 0.5 });
   * params.get("g_center")!.min; // 0
   * params.get("g_fwhm")!.expr; // "2.3548200*g_sigma"
   * ```
   */
  makeParams(values: Record<string, number | ParamHint> = {}): Parameters {
    const params = new Parameters();
    const hints = prefixedHints(this);
    const defaults = this.defaultValues();
    const rows: [string, ParamHint][] = [];
    const paramNames = this.paramNames;
    const isParam = new Set(paramNames);
    const names = [...paramNames, ...Object.keys(hints).filter((k) => !isParam.has(k))];
    const prefixes = [...new Set(this.components.map((c) => c.prefix))];
    const basename = (full: string) => {
      for (const p of prefixes) if (p && full.startsWith(p)) return full.slice(p.length);
      return full;
    };
    const used = new Set<string>();
    for (const full of names) {
      const hint: ParamHint = { ...(hints[full] ?? {}) };
      if (hint.value === undefined && hint.expr === undefined && Object.hasOwn(defaults, full)) {
        hint.value = defaults[full];
      }
      for (const key of [basename(full), full]) {
        const v = Object.hasOwn(values, key) ? values[key] : undefined;
        if (v === undefined) continue;
        used.add(key);
        if (typeof v === "number") {
          hint.value = v;
          delete hint.expr;
        } else {
          checkOptions(v, HINT_KEYS, `makeParams: '${key}'`);
          Object.assign(hint, v);
        }
      }
      if (hint.value === undefined && hint.expr === undefined && isParam.has(full)) {
        hint.value = -Infinity;
      }
      rows.push([full, hint]);
    }
    const unknown = Object.keys(values).filter((k) => !used.has(k));
    if (unknown.length) {
      throw new TypeError(
        `makeParams: unknown parameter${unknown.length > 1 ? "s" : ""} ${
          unknown.map((u) => {
            const near = closestName(u, names);
            return `'${u}'${near ? ` (did you mean ${near}?)` : ""}`;
          }).join(", ")
        }; this model has ${names.join(", ")}`,
      );
    }
    params.addMany(
      ...rows.map(([n, h]) =>
        [
          n,
          // No value anywhere: lmfit's -inf, which the Parameter clips to the lower bound;
          // without one the parameter has no finite start value and a fit says so.
          h.expr ? null : h.value,
          h.vary ?? null,
          h.min ?? null,
          h.max ?? null,
          h.expr ?? null,
        ] as const
      ),
    );
    return params;
  }

  /** Default values by prefixed name (from each component's `defaults`). */
  defaultValues(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const c of this.components) {
      for (const [k, v] of Object.entries(c.defaults)) out[c.prefix + k] = v;
    }
    return out;
  }

  /**
   * Evaluates the model for `params` (a `Parameters` or a plain `{name: value}`) at the
   * independent variables.
   *
   * @example
   * ```ts
   * import { GaussianModel } from "../../mod.ts";
   * const g = new GaussianModel();
   * g.eval({ amplitude: 1, center: 0, sigma: 1 }, { x: [0] })[0]; // 0.3989422804014327
   * ```
   */
  eval(params: Parameters | Record<string, number>, vars: IndependentVars): Float64Array {
    checkVarNames(vars, this.independentVars, "eval");
    const values = params instanceof Parameters ? params.valuesdict() : params;
    return this.evalWith(toVars(this.independentVars, vars, this.#numericVars()), values);
  }

  /** Each component's values, keyed by prefix (or name when it has none). */
  evalComponents(
    params: Parameters | Record<string, number>,
    vars: IndependentVars,
  ): Record<string, Float64Array> {
    checkVarNames(vars, this.independentVars, "evalComponents");
    const values = params instanceof Parameters ? params.valuesdict() : params;
    const v = toVars(this.independentVars, vars, this.#numericVars());
    const out: Record<string, Float64Array> = {};
    for (const c of this.components) out[c.prefix || c.funcName] = c.evalWith(v, values);
    return out;
  }

  /**
   * Sets a hint for a parameter (unprefixed for a single model): value, bounds, vary, or an
   * expression. Hints for names that are not function parameters define derived parameters.
   */
  abstract setParamHint(name: string, hint: ParamHint): this;

  /**
   * Fits the model to `data`, minimising `(model - data)·weights`. Async.
   *
   * @example
   * ```ts
   * import { GaussianModel } from "../../mod.ts";
   * const x = Float64Array.from({ length: 101 }, (_, i) => -5 + i / 10);
   * const y = x.map((v) => 3 * Math.exp(-((v - 0.5) ** 2) / 2));
   * const model = new GaussianModel();
   * const result = await model.fit(y, model.makeParams({ amplitude: 5, center: 0, sigma: 2 }), { x });
   * result.params.get("center")!.value; // ≈ 0.5
   * ```
   */
  async fit(
    data: ArrayLike<number>,
    params?: Parameters,
    options: ModelFitOptions = {},
  ): Promise<ModelResult<this>> {
    const vars = toVars(
      this.independentVars,
      options as Record<string, unknown>,
      this.#numericVars(),
    );
    const y = toFloat64("data", data);
    for (const [k, v] of Object.entries(vars)) {
      if (!(v instanceof Float64Array)) continue; // passed through to the model function
      if (v.length !== y.length) {
        throw new RangeError(
          `independent variable '${k}' has ${v.length} values but data has ${y.length}`,
        );
      }
    }
    const weights = options.weights === undefined ? null : toFloat64("weights", options.weights);
    if (weights && weights.length !== y.length) {
      throw new RangeError(`weights has ${weights.length} values but data has ${y.length}`);
    }
    const p = startParams(this, params, options as Record<string, unknown>);
    for (const name of this.paramNames) {
      if (!p.has(name)) {
        throw new TypeError(
          `fit: parameter '${name}' is missing; create parameters with model.makeParams()`,
        );
      }
    }
    const values: Record<string, number> = {};
    const names = this.paramNames;
    const method = options.method ?? "leastsq";
    // The compiled residual may reuse its array where nothing but leastsq's adapter sees it.
    const fresh = !!options.iterCb || method !== "leastsq";
    const kws = { ...(options.fitKws ?? {}) };
    const jac = method === "leastsq" && !kws.Dfun && canUseAnalytic(p, names)
      ? this.analyticJacobian()
      : null;
    // The residual as the model defines it: a new array per call.
    const plain = (q: Parameters) => {
      for (const nm of names) values[nm] = q.get(nm)!.value;
      const f = this.evalWith(vars, values);
      const r = new Float64Array(y.length);
      if (weights) { for (let i = 0; i < r.length; i++) r[i] = (f[i] - y[i]) * weights[i]; }
      else for (let i = 0; i < r.length; i++) r[i] = f[i] - y[i];
      return r;
    };
    // During the fit, a faster one: with the analytic Jacobian, residual and Jacobian from one
    // evaluation (the solver asks for the Jacobian at the point whose residual it has just
    // accepted, which is then already computed); else the model's compiled residual, if any.
    // Afterwards (confidence intervals, refits through `result.minimizer`) the plain one.
    let during: (q: Parameters) => Float64Array;
    if (jac) {
      const fused = fuseResidualJacobian(jac, vars, y, weights, fresh);
      during = fused.residual;
      kws.Dfun = fused.dfun;
      kws.colDeriv = true;
    } else during = this.residualFunction(vars, y, weights, fresh) ?? plain;
    let fitting = true;
    const residual = (q: Parameters) => fitting ? during(q) : plain(q);
    const nanPolicy = options.nanPolicy ?? this.nanPolicy;
    const minimizer = new Minimizer(residual, p, {
      nanPolicy,
      maxNfev: options.maxNfev,
      scaleCovar: options.scaleCovar,
      calcCovar: options.calcCovar,
      iterCb: options.iterCb,
    });
    // A compiled model's curves are left to the result, evaluated when read; a function's (which
    // may have effects, or throw at the start values) is evaluated now, as lmfit does.
    const initFit = evaluatesPurely(this) ? undefined : this.evalWith(vars, p.valuesdict());
    let out: MinimizerResult;
    try {
      out = await minimizer.minimize(method, kws);
    } finally {
      fitting = false;
      // The result's minimizer keeps `residual`: let the fit-time buffers (the fused m×n
      // Jacobian and its work arrays on large data) go with the fit.
      during = plain;
    }
    if (jac) {
      // `callKws` records the options as given, not the analytic Jacobian `fit` supplied (whose
      // closure would keep those buffers alive as long as the result).
      const { Dfun: _dfun, colDeriv: _colDeriv, ...given } = out.callKws;
      const user = options.fitKws ?? {};
      out.callKws = Object.freeze(
        "colDeriv" in user ? { ...given, colDeriv: user.colDeriv } : given,
      );
    }
    return new ModelResult(this, out, {
      data: y,
      weights,
      vars,
      initParams: p,
      initFit,
      minimizer,
      method,
    });
  }

  /** Whether every component is compiled from an expression (its variables must be numbers). */
  #numericVars(): boolean {
    return this.components.every((c) => c.expression() !== null);
  }

  /** Analytic Jacobian provider, where the model (every component) has one. */
  analyticJacobian(): ModelJacobian | null {
    return null;
  }

  /**
   * A compiled fit residual `(model − data)·weights` at the parameters' values, where the model
   * has one (`ExpressionModel`); null means `fit` composes it from `evalWith`. The returned
   * array may be reused between calls unless `fresh` is set; `vars`, `data` and `weights`
   * must not change while the function is in use.
   *
   * @example
   * ```ts
   * import { ExpressionModel, Parameters } from "../../mod.ts";
   * const model = new ExpressionModel("a * x");
   * const r = model.residualFunction({ x: Float64Array.of(1, 2) }, Float64Array.of(1, 1), null, false);
   * r!(model.makeParams({ a: 2 })); // Float64Array [1, 3]
   * ```
   */
  residualFunction(
    _vars: Record<string, Float64Array>,
    _data: Float64Array,
    _weights: Float64Array | null,
    _fresh: boolean,
  ): ((q: Parameters) => Float64Array) | null {
    return null;
  }

  /** Models whose lineshape is expressible in the expression language return its source. */
  expression(): string | null {
    return null;
  }

  /**
   * Start values guessed from data, as lmfit's `guess` for built-in models.
   */
  guess(_data: ArrayLike<number>, _vars: GuessVars): Parameters {
    throw new TypeError(`${this.name} cannot guess start values; use makeParams({...}) instead`);
  }

  /** `this + other`. */
  add(other: BaseModel): CompositeModel {
    return new CompositeModel(this, other, "+");
  }
  /** `this - other`. */
  sub(other: BaseModel): CompositeModel {
    return new CompositeModel(this, other, "-");
  }
  /** `this * other`. */
  mul(other: BaseModel): CompositeModel {
    return new CompositeModel(this, other, "*");
  }
  /** `this / other`. */
  div(other: BaseModel): CompositeModel {
    return new CompositeModel(this, other, "/");
  }

  /**
   * lmfit's `repr(model)`: `<lmfit.Model: Model(gaussian, prefix='g1_')>` (the `name` inside).
   *
   * @example
   * ```ts
   * import { GaussianModel, LinearModel } from "../../mod.ts";
   * String(new GaussianModel()); // "<lmfit.Model: Model(gaussian)>"
   * String(new GaussianModel({ prefix: "g_" }).add(new LinearModel()));
   * // "<lmfit.Model: (Model(gaussian, prefix='g_') + Model(linear))>"
   * ```
   */
  toString(): string {
    return `<lmfit.Model: ${this.name}>`;
  }
}

/**
 * Whether evaluating `model` depends on nothing but the parameter values and the independent
 * variables: compiled single models (no user functions among an expression's symbols) combined
 * with `+ - * /`.
 */
function evaluatesPurely(model: BaseModel): boolean {
  if (model instanceof CompositeModel) {
    return typeof model.op !== "function" && evaluatesPurely(model.left) &&
      evaluatesPurely(model.right);
  }
  if (!(model instanceof Model) || !model.compiled) return false;
  // ExpressionModel (a subclass defined elsewhere) exposes its extra symbols.
  const symbols = (model as { symbols?: Record<string, unknown> }).symbols ?? {};
  return Object.values(symbols).every((v) => typeof v !== "function");
}

function canUseAnalytic(p: Parameters, names: string[]): boolean {
  // The analytic path needs every model parameter to be varied or fixed (no constraint
  // expressions feeding the model function); otherwise finite differences are used.
  return names.every((n) => p.get(n)!.expr === null);
}

/**
 * The start parameters of `fit`: a copy of `params` (or `makeParams()`), with start values
 * given by name in the options (lmfit's `fit(data, params, x=x, amp=5)`). Unknown names are an
 * error naming the closest valid one.
 */
function startParams(
  model: BaseModel,
  params: Parameters | undefined,
  options: Record<string, unknown>,
): Parameters {
  const p = params ? params.copy() : model.makeParams();
  const starts: [string, unknown][] = [];
  const unknown: string[] = [];
  for (const [k, v] of Object.entries(options)) {
    if (v === undefined || FIT_OPTION_NAMES.includes(k) || model.independentVars.includes(k)) {
      continue;
    }
    if (p.has(k)) starts.push([k, v]);
    else unknown.push(k);
  }
  if (unknown.length) {
    const valid = [...FIT_OPTION_NAMES, ...model.independentVars, ...p.keys()];
    throw new TypeError(
      `fit: unknown option${unknown.length > 1 ? "s" : ""} ${
        unknown.map((k) => {
          const near = closestName(k, valid);
          return `'${k}'${near ? ` (did you mean ${near}?)` : ""}`;
        }).join(", ")
      }; give independent variables (${
        model.independentVars.join(", ")
      }), start values by parameter name (${[...p.keys()].join(", ")}) or one of ${
        FIT_OPTION_NAMES.join(", ")
      }`,
    );
  }
  for (const [k, v] of starts) {
    if (typeof v === "number") p.get(k)!.set({ value: v });
    else if (v instanceof Parameter) {
      // As lmfit: a Parameter given by name takes that parameter's place (as a copy).
      p.get(k)!.set({ min: -Infinity, max: Infinity }).set({
        value: v.value,
        vary: v.vary,
        min: v.min,
        max: v.max,
        expr: v.expr ?? "",
        bruteStep: v.bruteStep ?? 0,
      });
    } else if (v && typeof v === "object") p.get(k)!.set(v as ParamHint);
    else {
      throw new TypeError(
        `fit: the start value of '${k}' must be a number or { value, min, max, vary }, got ${typeof v}`,
      );
    }
  }
  return p;
}

// The m-long loops of the fused residual live in module functions, not in the closures made per
// fit: V8 then keeps them optimized from one fit to the next.

/** `out = (f − y)·w` (or `f − y` without weights). */
function residualInto(
  out: Float64Array,
  f: Float64Array,
  y: Float64Array,
  weights: Float64Array | null,
): void {
  const m = out.length;
  if (weights) { for (let i = 0; i < m; i++) out[i] = (f[i] - y[i]) * weights[i]; }
  else for (let i = 0; i < m; i++) out[i] = f[i] - y[i];
}

/** `col *= w`, elementwise. */
function multiplyBy(col: Float64Array, w: Float64Array): void {
  for (let i = 0; i < col.length; i++) col[i] *= w[i];
}

/** Whether every derivative in `col` is finite where the model `value` is. */
function allFiniteOr(col: Float64Array, value: Float64Array): boolean {
  const m = col.length;
  // Stays 0 while every derivative is finite (v − v is NaN for ±∞ and NaN); four sums so
  // that the additions do not wait on each other.
  let a0 = 0, a1 = 0, a2 = 0, a3 = 0, i = 0;
  for (; i + 3 < m; i += 4) {
    a0 += col[i] - col[i];
    a1 += col[i + 1] - col[i + 1];
    a2 += col[i + 2] - col[i + 2];
    a3 += col[i + 3] - col[i + 3];
  }
  for (; i < m; i++) a0 += col[i] - col[i];
  if (a0 + a1 + a2 + a3 === 0) return true;
  for (let i = 0; i < m; i++) {
    if (!Number.isFinite(col[i]) && Number.isFinite(value[i])) return false;
  }
  return true;
}

/** Central differences `(plus − minus)/h2` where `col` is not finite and `value` is. */
function repairColumn(
  col: Float64Array,
  value: Float64Array,
  plus: Float64Array,
  minus: Float64Array,
  h2: number,
): void {
  for (let i = 0; i < col.length; i++) {
    if (!Number.isFinite(col[i]) && Number.isFinite(value[i])) col[i] = (plus[i] - minus[i]) / h2;
  }
}

/**
 * The fit residual `(f − y)·w` and lmfit-style `Dfun` (rows per varied parameter, weighted)
 * from one analytic evaluation: `residual` evaluates values and derivatives together and keeps
 * the derivatives; `dfun` returns them when asked at the same parameter values (as the
 * Levenberg-Marquardt solver does after accepting a step), else evaluates afresh. The model
 * values are the same numbers as `evalWith`'s.
 */
function fuseResidualJacobian(
  jac: ModelJacobian,
  vars: Record<string, Float64Array>,
  y: Float64Array,
  weights: Float64Array | null,
  fresh: boolean,
): { residual: (q: Parameters) => Float64Array; dfun: (q: Parameters) => Float64Array[] } {
  const m = y.length;
  const names = jac.names;
  const np = names.length;
  // Model values at two points: the one the derivatives in `full` belong to (`cur`), and the
  // last point whose derivatives the solver asked for (`anchor`, its accepted point), kept while
  // it tries steps from there, so the closing call at the solution is answered without a pass.
  const slotValues = [new Float64Array(m), new Float64Array(m)];
  const slotAt = [new Float64Array(np).fill(NaN), new Float64Array(np).fill(NaN)];
  const slotValid = [false, false];
  let cur = 0, anchor = -1;
  let value = slotValues[0];
  const full = new Float64Array(m * np);
  const values: Record<string, number> = {};
  const column = new Map(names.map((n, k) => [n, k]));
  // One view of `full` per model parameter (weighted in place), zeros for other varied ones.
  const views = names.map((_, k) => full.subarray(k * m, (k + 1) * m));
  let zeros: Float64Array | null = null;
  let spare: { value: Float64Array; jac: Float64Array; plus: Float64Array } | null = null;
  /**
   * A derivative that is not finite where the model value is (a removable point, such as
   * d(x**b)/db = x**b·log x = 0·(−∞) at x = 0) gets a central difference at that point instead.
   */
  const repair = () => {
    for (let k = 0; k < np; k++) {
      const col = views[k];
      if (allFiniteOr(col, value)) continue;
      spare ??= {
        value: new Float64Array(m),
        jac: new Float64Array(m * np),
        plus: new Float64Array(m),
      };
      const p0 = values[names[k]];
      const h = 6e-6 * Math.max(1, Math.abs(p0));
      values[names[k]] = p0 + h;
      jac.evaluate(vars, values, spare.value, spare.jac);
      spare.plus.set(spare.value);
      values[names[k]] = p0 - h;
      jac.evaluate(vars, values, spare.value, spare.jac);
      values[names[k]] = p0;
      repairColumn(col, value, spare.plus, spare.value, 2 * h);
    }
  };
  let finished = false; // whether the derivatives of the last evaluation are repaired and weighted
  /** Whether slot `s` holds the values at `q`'s parameter values. */
  const holds = (s: number, q: Parameters) => {
    if (!slotValid[s]) return false;
    const at = slotAt[s];
    for (let k = 0; k < np; k++) if (!Object.is(q.get(names[k])!.value, at[k])) return false;
    return true;
  };
  const compute = (q: Parameters) => {
    cur = anchor === 0 ? 1 : 0;
    value = slotValues[cur];
    const at = slotAt[cur];
    for (let k = 0; k < np; k++) values[names[k]] = at[k] = q.get(names[k])!.value;
    slotValid[cur] = false; // until the evaluation returns
    jac.evaluate(vars, values, value, full);
    slotValid[cur] = true;
    finished = false;
  };
  // Only when the derivatives are asked for (the solver rejects some trial points unseen).
  const finish = () => {
    if (finished) return;
    repair();
    if (weights) { for (let k = 0; k < np; k++) multiplyBy(views[k], weights); }
    finished = true;
  };
  let out = new Float64Array(m);
  const residual = (q: Parameters) => {
    // The minimizer's closing call at the solution is at the point just evaluated or at the
    // solver's accepted point.
    let v: Float64Array;
    if (holds(cur, q)) v = slotValues[cur];
    else if (holds(1 - cur, q)) v = slotValues[1 - cur];
    else {
      compute(q);
      v = value;
    }
    if (fresh) out = new Float64Array(m);
    residualInto(out, v, y, weights);
    return out;
  };
  // Rows per varied parameter, in the minimizer's varNames order (insertion order, varied only).
  const dfun = (q: Parameters) => {
    if (!holds(cur, q)) compute(q);
    anchor = cur;
    finish();
    const rows: Float64Array[] = [];
    for (const p of q.values()) {
      if (!p.vary || p.expr !== null) continue;
      const k = column.get(p.name);
      rows.push(k !== undefined ? views[k] : (zeros ??= new Float64Array(m)));
    }
    return rows;
  };
  return { residual, dfun };
}

/**
 * A model from a TypeScript function `(x, params, vars) => values`.
 *
 * @example
 * ```ts
 * import { Model } from "../../mod.ts";
 * const decay = new Model((x, p) => x.map((t) => p.amp * Math.exp(-t / p.tau)), {
 *   paramNames: ["amp", "tau"],
 *   defaults: { amp: 1, tau: 1 },
 * });
 * const params = decay.makeParams({ amp: 5, tau: 2 });
 * decay.eval(params, { x: [0, 1] }); // Float64Array [5, 3.0326...]
 * ```
 *
 * @category Models
 */
export class Model extends BaseModel {
  /** The model function. */
  readonly func: ModelFunction;
  /** Independent variable names. */
  readonly independentVars: string[];
  #prefix: string;
  #funcName: string;
  /** Default parameter values (unprefixed). */
  readonly defaults: Record<string, number>;
  #nanPolicy: NanPolicy;
  readonly #baseNames: string[];
  #hints: Record<string, ParamHint> = {};

  readonly #route: {
    kernels: ExpressionKernels | null;
    reason: string;
    evaluate: ModelFunction;
    source: (...args: number[]) => number;
  } | null;

  /**
   * Creates a model from a function over whole arrays, `(x, params, vars) => values`, with
   * `options.paramNames` naming its parameters.
   * @param func the model function over arrays.
   * @param options parameter names, independent variables, prefix, NaN policy.
   */
  constructor(func: ModelFunction, options?: ModelOptions);
  /**
   * Creates a model from a function.
   *
   * Without `paramNames`, `func` is a function of numbers, as lmfit's `Model(func)`: its first
   * argument (or those named in `independentVars`) is the independent variable, the others are
   * the parameters, and numeric default values become parameter defaults. Where its body is
   * arithmetic, `Math` functions, conditionals, local constants and returns, it is compiled to
   * the expression language (analytic Jacobian, generated loops, `fitBatch`); otherwise it is
   * called per point. `compiled` and `compileReason` say which, and why. Either way the function
   * is called at 33 sample points when the model is made (the compiled form is checked against
   * it there, to 1e-12 relative), so it should be a pure function of its arguments.
   * With `paramNames`, `func` is `(x, params, vars) => values` over whole arrays.
   * @param func the model function.
   * @param options parameter names (for a function over arrays), independent variables, prefix, NaN policy.
   *
   * In TypeScript, annotate the arguments of a function written inline as numbers (or declare
   * the function first, as below, where default values need no annotation).
   *
   * @example
   * ```ts
   * import { Model } from "../../mod.ts";
   * function gaussian(x: number, amp = 1, cen = 0, wid = 1) {
   *   return amp * Math.exp(-((x - cen) ** 2) / (2 * wid * wid));
   * }
   * const gauss = new Model(gaussian);
   * gauss.paramNames; // ["amp", "cen", "wid"]
   * gauss.compiled; // true
   * const x = Float64Array.from({ length: 41 }, (_, i) => -4 + i / 5);
   * const y = gauss.eval({ amp: 3, cen: 0.5, wid: 0.8 }, { x });
   * const result = await gauss.fit(y, gauss.makeParams({ amp: 1, cen: 0, wid: 1 }), { x });
   * result.params.get("cen")!.value; // ≈ 0.5
   * ```
   */
  constructor(func: (...args: number[]) => number, options?: ModelOptions);
  constructor(func: ModelFunction | ((...args: number[]) => number), options: ModelOptions = {}) {
    super();
    checkOptions(options, MODEL_OPTION_KEYS, "Model");
    if (typeof func !== "function") {
      throw new TypeError("Model: func must be a function (x, params, vars) => values");
    }
    let paramNames = options.paramNames;
    let independentVars = options.independentVars;
    let defaults = options.defaults ?? {};
    this.#route = null;
    if (!paramNames) {
      // A function of numbers: names from the signature, compiled where the body allows.
      const route = jsModelRoute(func as (...args: number[]) => number, independentVars);
      paramNames = route.paramNames;
      independentVars = route.independentVars;
      defaults = { ...route.defaults, ...defaults };
      this.#route = {
        ...route,
        evaluate: (_x, p, vars) => route.evaluate(vars, p),
        source: func as (...args: number[]) => number,
      };
    } else if (paramNames.length === 0) {
      throw new TypeError(
        "Model: give the function's parameter names, e.g. new Model(fn, { paramNames: ['amp', 'cen'] })",
      );
    }
    this.func = this.#route ? this.#route.evaluate : func as ModelFunction;
    this.independentVars = independentVars ?? ["x"];
    this.#prefix = checkPrefix(options.prefix ?? "");
    this.#funcName = checkModelName(options.name ?? (func.name || "model"));
    this.defaults = { ...defaults };
    this.#nanPolicy = options.nanPolicy ?? "raise";
    this.#baseNames = [...paramNames];
    for (const n of this.#baseNames) {
      if (this.independentVars.includes(n)) {
        throw new TypeError(`Model: '${n}' is both a parameter and an independent variable`);
      }
    }
    checkForbiddenNames([...this.#baseNames, ...this.independentVars]);
  }

  /**
   * Prefix of every parameter name. Setting it renames the parameters and the hints, as in
   * lmfit.
   *
   * @example
   * ```ts
   * import { GaussianModel } from "../../mod.ts";
   * const g = new GaussianModel({ prefix: "g_" });
   * g.prefix = "h_";
   * g.paramNames; // ["h_amplitude", "h_center", "h_sigma"]
   * g.makeParams().get("h_fwhm")!.expr; // "2.3548200*h_sigma"
   * ```
   */
  get prefix(): string {
    return this.#prefix;
  }
  set prefix(value: string) {
    const old = this.#prefix, next = checkPrefix(value);
    // Hint expressions that name this model's parameters with the old prefix follow the new one.
    const names = new Set([...this.#baseNames, ...Object.keys(this.#hints)]);
    for (const hint of Object.values(this.#hints)) {
      if (!hint.expr) continue;
      hint.expr = hint.expr.replace(
        /[A-Za-z_][A-Za-z0-9_]*/g,
        (
          w,
        ) => (w.startsWith(old) && names.has(w.slice(old.length)) ? next + w.slice(old.length) : w),
      );
    }
    this.#prefix = next;
  }

  /** The function's name (lmfit's `Model._name`): `gaussian`, or the name given or set. */
  get funcName(): string {
    return this.#funcName;
  }

  /**
   * lmfit's display name: `Model(gaussian)` or `Model(gaussian, prefix='g_')`. Setting it
   * renames the model, as lmfit's `model.name = 'peak'` (which reads `Model(peak)`).
   *
   * @example
   * ```ts
   * import { GaussianModel } from "../../mod.ts";
   * const g = new GaussianModel({ name: "peak" });
   * g.name; // "Model(peak)"
   * g.name = "first_peak";
   * g.name; // "Model(first_peak)"
   * ```
   */
  get name(): string {
    return this.#prefix
      ? `Model(${this.#funcName}, prefix='${this.#prefix}')`
      : `Model(${this.#funcName})`;
  }
  set name(value: string) {
    this.#funcName = checkModelName(value);
  }

  /**
   * An independent copy: same function, options and hints; changing the copy (its prefix or
   * hints) leaves this model as it is.
   *
   * @example
   * ```ts
   * import { GaussianModel } from "../../mod.ts";
   * const g = new GaussianModel();
   * const h = g.copy();
   * h.prefix = "h_";
   * [g.paramNames[0], h.paramNames[0]]; // ["amplitude", "h_amplitude"]
   * ```
   */
  copy(): this {
    const out = this.freshCopy() as this;
    copyPrivate(this, out);
    return out;
  }

  /**
   * A new model of the same kind made from the same function and options (hints, prefix and
   * NaN policy are then copied by `copy`). Subclasses whose constructor takes other arguments
   * override it.
   */
  protected freshCopy(): Model {
    if (this.#route) {
      // A function of numbers: read and compiled again from its source, the same route.
      return new Model(this.#route.source, {
        independentVars: [...this.independentVars],
        prefix: this.#prefix,
        nanPolicy: this.#nanPolicy,
        name: this.funcName,
        defaults: { ...this.defaults },
      });
    }
    return new Model(this.func, {
      paramNames: [...this.#baseNames],
      independentVars: [...this.independentVars],
      prefix: this.#prefix,
      nanPolicy: this.#nanPolicy,
      name: this.funcName,
      defaults: { ...this.defaults },
    });
  }

  /**
   * Whether the model runs through the expression layer (analytic Jacobian, generated loops,
   * `fitBatch`): a function of numbers whose body was translated and checked, or an expression.
   */
  get compiled(): boolean {
    return this.#route?.kernels != null;
  }

  /** Which route the model takes and why (for a function of numbers: what was not translated). */
  get compileReason(): string {
    return this.#route?.reason ?? "a function over whole arrays (paramNames given) is called as is";
  }

  /** Analytic values and derivatives, where the function of numbers was compiled. */
  override analyticJacobian(): ModelJacobian | null {
    return this.#route?.kernels?.analyticJacobian(this.prefix) ?? null;
  }

  /** The compiled fit residual, where the function of numbers was compiled (see `BaseModel`). */
  override residualFunction(
    vars: Record<string, Float64Array>,
    data: Float64Array,
    weights: Float64Array | null,
    fresh: boolean,
  ): ((q: Parameters) => Float64Array) | null {
    return this.#route?.kernels?.residualFunction(this.prefix, vars, data, weights, fresh) ?? null;
  }

  /**
   * The description the batched fitter (`fitBatch`) compiles, for a compiled function of numbers
   * (unprefixed names, as `ExpressionModel`'s).
   * @throws {TypeError} when the model is not compiled, with the reason.
   */
  batchSpec(): BatchModelSpec {
    const k = this.#route?.kernels;
    if (!k) {
      throw new TypeError(
        `fitBatch needs a model in the expression language; ${this.name} is not (${this.compileReason})`,
      );
    }
    return {
      expression: k.ast,
      paramNames: [...k.base],
      independentVars: [...k.independentVars],
    };
  }

  /** The NaN policy used by `fit`. */
  get nanPolicy(): NanPolicy {
    return this.#nanPolicy;
  }

  /** Unprefixed parameter names of the function. */
  get baseParamNames(): string[] {
    return [...this.#baseNames];
  }

  /** Prefixed parameter names, in order. */
  get paramNames(): string[] {
    return this.#baseNames.map((n) => this.prefix + n);
  }

  /** The single models this model is made of. */
  get components(): Model[] {
    return [this];
  }

  /**
   * Parameter hints by unprefixed name, as lmfit's `param_hints`; expressions name the
   * prefixed parameters.
   *
   * @example
   * ```ts
   * import { GaussianModel } from "../../mod.ts";
   * const g = new GaussianModel({ prefix: "b_" });
   * g.paramHints.fwhm; // { expr: "2.3548200*b_sigma" }
   * g.prefix = "c_";
   * g.paramHints.fwhm; // { expr: "2.3548200*c_sigma" }
   * ```
   */
  get paramHints(): Record<string, ParamHint> {
    const out: Record<string, ParamHint> = {};
    for (const [k, h] of Object.entries(this.#hints)) {
      const hint = { ...h };
      if (hint.expr) hint.expr = hint.expr.replaceAll("{prefix}", this.prefix);
      out[k] = hint;
    }
    return out;
  }

  /** Sets a hint (value, bounds, vary, expression) for a parameter; names not among the function parameters define derived parameters. */
  setParamHint(name: string, hint: ParamHint): this {
    checkOptions(hint, HINT_KEYS, `setParamHint('${name}')`);
    const base = this.prefix && name.startsWith(this.prefix)
      ? name.slice(this.prefix.length)
      : name;
    this.#hints[base] = { ...(this.#hints[base] ?? {}), ...hint };
    return this;
  }

  /** Model values at the independent variables for parameter values by prefixed name. */
  evalWith(vars: Record<string, Float64Array>, values: Record<string, number>): Float64Array {
    const local: Record<string, number> = {};
    for (const n of this.#baseNames) {
      const v = values[this.prefix + n];
      if (v === undefined) {
        throw new TypeError(`${this.name}: no value for parameter '${this.prefix + n}'`);
      }
      local[n] = v;
    }
    const out = this.func(vars[this.independentVars[0]], local, vars) as ArrayLike<number> | number;
    if (typeof out === "number") return Float64Array.of(out);
    if (out && typeof (out as unknown as { then?: unknown }).then === "function") {
      throw new TypeError(
        `${this.name}: the model function returned a Promise (is it async?): it must return the model values themselves; await your asynchronous work before the fit`,
      );
    }
    return out instanceof Float64Array ? out : Float64Array.from(out);
  }

  static {
    copyPrivate = (from, to) => {
      to.#prefix = from.#prefix;
      to.#funcName = from.#funcName;
      to.#nanPolicy = from.#nanPolicy;
      to.#hints = structuredClone(from.#hints);
    };
  }
}

function checkModelName(name: string): string {
  if (typeof name !== "string" || name === "") {
    throw new TypeError(`Model: the name must be a non-empty string, got ${JSON.stringify(name)}`);
  }
  return name;
}

/**
 * Every hint of a model by prefixed name: each single model's (its `paramHints` with its
 * prefix), then each composite's own, left to right and inner to outer (later ones win), walked
 * without recursion (a sum of 500 peaks is a tree 500 deep).
 */
function prefixedHints(root: BaseModel): Record<string, ParamHint> {
  const out: Record<string, ParamHint> = {};
  const stack: [BaseModel, boolean][] = [[root, false]];
  while (stack.length) {
    const [m, expanded] = stack.pop()!;
    if (m instanceof CompositeModel) {
      if (expanded) Object.assign(out, m.paramHints);
      else stack.push([m, true], [m.right, false], [m.left, false]);
    } else {
      const prefix = m.components[0]?.prefix ?? "";
      for (const [k, h] of Object.entries(m.paramHints)) out[prefix + k] = h;
    }
  }
  return out;
}

function checkPrefix(prefix: string): string {
  if (typeof prefix !== "string" || !/^([A-Za-z_][A-Za-z0-9_]*)?$/.test(prefix)) {
    throw new TypeError(
      `Model: prefix '${prefix}' must be empty or start a valid name (letters, digits, '_')`,
    );
  }
  return prefix;
}

function checkForbiddenNames(names: readonly string[]): void {
  const bad = names.filter((n) => FORBIDDEN_NAMES.includes(n));
  if (bad.length) {
    throw new TypeError(
      `Model: '${bad[0]}' cannot name a parameter or an independent variable: fit() takes ${
        FORBIDDEN_NAMES.join(", ")
      } for itself (as lmfit); rename it`,
    );
  }
}

/**
 * Two models combined with `+ - * /`: parameters are the union, components are both sides'.
 *
 * @example
 * ```ts
 * import { GaussianModel, LinearModel } from "../../mod.ts";
 * const model = new GaussianModel({ prefix: "g_" }).add(new LinearModel({ prefix: "b_" }));
 * model.paramNames; // ["g_amplitude", "g_center", "g_sigma", "b_slope", "b_intercept"]
 * ```
 *
 * @category Models
 */
export class CompositeModel extends BaseModel {
  /** The left operand model. */
  readonly left: BaseModel;
  /** The right operand model. */
  readonly right: BaseModel;
  /** The operator combining the two models: `+ - * /` or a user function. */
  readonly op: ModelOperator | ModelOperatorFunction;
  /** Independent variable names. */
  readonly independentVars: string[];
  /** Hints of the composite's own derived parameters (unprefixed names, as lmfit). */
  #ownHints: Record<string, ParamHint> = {};

  /**
   * Combines two models with an operator: `"+" | "-" | "*" | "/"`, or a function of both
   * sides' values (lmfit's `CompositeModel(left, right, op)`, e.g. a convolution).
   */
  constructor(left: BaseModel, right: BaseModel, op: ModelOperator | ModelOperatorFunction) {
    super();
    if (typeof op !== "function" && !Object.hasOwn(BINARY_OPS, op)) {
      throw new RangeError(
        `CompositeModel: unknown operator '${op}'; use "+", "-", "*", "/" or a function (left, right) => values`,
      );
    }
    this.left = left;
    this.right = right;
    this.op = op;
    const leftNames = new Set(left.paramNames);
    const clash = right.paramNames.filter((n) => leftNames.has(n));
    if (clash.length) {
      throw new TypeError(
        `CompositeModel: both models have parameter${clash.length > 1 ? "s" : ""} ${
          clash.join(", ")
        }; give them different prefixes`,
      );
    }
    this.independentVars = [...new Set([...left.independentVars, ...right.independentVars])];
  }

  /**
   * An independent copy of both sides (and of the composite's own hints).
   *
   * @example
   * ```ts
   * import { GaussianModel, LinearModel } from "../../mod.ts";
   * const model = new GaussianModel({ prefix: "g_" }).add(new LinearModel({ prefix: "b_" }));
   * const copy = model.copy();
   * (copy.left as GaussianModel).prefix = "h_";
   * model.paramNames[0]; // "g_amplitude"
   * ```
   */
  copy(): CompositeModel {
    const out = new CompositeModel(this.left.copy(), this.right.copy(), this.op);
    out.#ownHints = structuredClone(this.#ownHints);
    return out;
  }

  /** lmfit's display name, e.g. `(Model(gaussian, prefix='g_') + Model(linear))`. */
  get name(): string {
    return `(${this.left.name} ${this.opName} ${this.right.name})`;
  }

  /** The operator's symbol, or a user operator's function name. */
  get opName(): string {
    return typeof this.op === "function" ? (this.op.name || "op") : this.op;
  }

  /** The NaN policy used by `fit`. */
  get nanPolicy(): NanPolicy {
    return this.left.nanPolicy;
  }

  /** Prefixed parameter names, in order. */
  get paramNames(): string[] {
    return this.#leaves().flatMap((m) => m.paramNames);
  }

  /** The single models this model is made of. */
  get components(): Model[] {
    return this.#leaves().flatMap((m) => m.components);
  }

  /**
   * The hints defined on the composite itself (derived parameters such as a ratio of two
   * components' amplitudes, unprefixed), as lmfit's `param_hints` of a composite; each
   * component's hints are on the component (`left`, `right`, `components`).
   */
  get paramHints(): Record<string, ParamHint> {
    return structuredClone(this.#ownHints);
  }

  /** The models that are not composites, left to right, found without recursion. */
  #leaves(): BaseModel[] {
    const out: BaseModel[] = [];
    const stack: BaseModel[] = [this];
    while (stack.length) {
      const m = stack.pop()!;
      if (m instanceof CompositeModel) stack.push(m.right, m.left);
      else out.push(m);
    }
    return out;
  }

  /**
   * Sets a hint for a parameter: a component's parameter (or derived parameter) by its
   * prefixed name goes to that component; any other name defines a derived parameter of the
   * composite itself, kept unprefixed (as lmfit).
   *
   * @example
   * ```ts
   * import { GaussianModel } from "../../mod.ts";
   * const model = new GaussianModel({ prefix: "g1_" }).add(new GaussianModel({ prefix: "g2_" }));
   * model.setParamHint("ratio", { expr: "g1_amplitude / g2_amplitude" });
   * const params = model.makeParams({ g1_amplitude: 6, g1_center: 0, g1_sigma: 1, g2_amplitude: 2, g2_center: 1, g2_sigma: 1 });
   * params.get("ratio")!.value; // 3
   * ```
   */
  setParamHint(name: string, hint: ParamHint): this {
    checkOptions(hint, HINT_KEYS, `setParamHint('${name}')`);
    const owner =
      this.components.find((c) =>
        name.startsWith(c.prefix) && Object.hasOwn(c.paramHints, name.slice(c.prefix.length))
      ) ?? this.components.find((c) => c.paramNames.includes(name));
    if (owner) owner.setParamHint(name, hint);
    else this.#ownHints[name] = { ...(this.#ownHints[name] ?? {}), ...hint };
    return this;
  }

  /** Model values at the independent variables for parameter values by prefixed name. */
  evalWith(vars: Record<string, Float64Array>, values: Record<string, number>): Float64Array {
    const a = this.left.evalWith(vars, values);
    const b = this.right.evalWith(vars, values);
    if (typeof this.op === "function") {
      const r = this.op(a, b);
      return r instanceof Float64Array ? r : toFloat64(`operator ${this.opName}'s result`, r);
    }
    const f = BINARY_OPS[this.op];
    const out = new Float64Array(Math.max(a.length, b.length));
    for (let i = 0; i < out.length; i++) out[i] = f(a[i], b[i]);
    return out;
  }

  /** Combines the sides' analytic Jacobians by the sum, product and quotient rules. */
  override analyticJacobian(): ModelJacobian | null {
    const ja = this.left.analyticJacobian();
    const jb = this.right.analyticJacobian();
    const op = this.op;
    if (!ja || !jb || typeof op === "function") return null;
    const names = [...ja.names, ...jb.names];
    const na = ja.names.length, nb = jb.names.length;
    let bufs: { va: Float64Array; vb: Float64Array; da: Float64Array; db: Float64Array } | null =
      null;
    return {
      names,
      evaluate(vars, values, value, jac) {
        const m = value.length;
        if (!bufs || bufs.va.length !== m) {
          bufs = {
            va: new Float64Array(m),
            vb: new Float64Array(m),
            da: new Float64Array(m * na),
            db: new Float64Array(m * nb),
          };
        }
        const { va, vb, da, db } = bufs;
        ja.evaluate(vars, values, va, da);
        jb.evaluate(vars, values, vb, db);
        for (let i = 0; i < m; i++) {
          const a = va[i], b = vb[i];
          value[i] = op === "+" ? a + b : op === "-" ? a - b : op === "*" ? a * b : a / b;
          // d/dp_a and d/dp_b by the sum, product and quotient rules.
          const fa = op === "+" || op === "-" ? 1 : op === "*" ? b : 1 / b;
          const fb = op === "+" ? 1 : op === "-" ? -1 : op === "*" ? a : -a / (b * b);
          for (let k = 0; k < na; k++) jac[k * m + i] = fa * da[k * m + i];
          for (let k = 0; k < nb; k++) jac[(na + k) * m + i] = fb * db[k * m + i];
        }
      },
    };
  }
}
