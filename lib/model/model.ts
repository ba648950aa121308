/**
 * The Model layer (modern lmfit's `Model`): wrap a model function, make its `Parameters`
 * (with prefixes and parameter hints), evaluate it, fit it to data, and combine models with
 * `+ - * /` into composites whose components can be evaluated separately.
 *
 * @module
 */

import { Parameters } from "../parameters.ts";
import type { NanPolicy } from "../fit/objective.ts";
import type { MinimizerResult } from "../fit/result.ts";
import { Minimizer } from "../fit/minimizer.ts";
import { ModelResult } from "./model_result.ts";
import { type IndependentVars, toVars } from "./fitted_model.ts";

export type { IndependentVars } from "./fitted_model.ts";

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

/**
 * Analytic derivatives a model can supply: `jac[i + k·n]` = ∂f(x_i)/∂p_k for its parameters.
 *
 * @example
 * ```ts
 * import { ExpressionModel, type ModelJacobian } from "../../mod.ts";
 * const jac: ModelJacobian = new ExpressionModel("a * x + b").analyticJacobian()!;
 * jac.names; // ["a", "b"]
 * const value = new Float64Array(2), d = new Float64Array(4);
 * jac.evaluate({ x: Float64Array.of(1, 2) }, { a: 3, b: 1 }, value, d);
 * value; // Float64Array [4, 7]
 * d; // Float64Array [1, 2, 1, 1]: ∂/∂a = x, then ∂/∂b = 1
 * ```
 */
export interface ModelJacobian {
  /** Prefixed names of the parameters whose derivatives are written, in order. */
  names: readonly string[];
  /**
   * Writes model values into `value` and derivatives into `jac` (column-major n×P), for
   * parameter values by prefixed name.
   */
  evaluate(
    vars: Record<string, Float64Array>,
    params: Record<string, number>,
    value: Float64Array,
    jac: Float64Array,
  ): void;
}

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
 */
export type ModelOperator = "+" | "-" | "*" | "/";

export { toVars } from "./fitted_model.ts";

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
 */
export abstract class BaseModel {
  /** Independent variable names. */
  abstract readonly independentVars: string[];
  /** Display name. */
  abstract readonly name: string;
  /** Prefixed parameter names, in order. */
  abstract get paramNames(): string[];
  /** Single models that make up this model (itself for a single model). */
  abstract get components(): Model[];
  /** Parameter hints by prefixed name (including derived parameters such as `fwhm`). */
  abstract get paramHints(): Record<string, ParamHint>;
  /** Model values at the independent variables, for the given parameters. */
  abstract evalWith(
    vars: Record<string, Float64Array>,
    values: Record<string, number>,
  ): Float64Array;
  /** The NaN policy used by `fit`. */
  abstract get nanPolicy(): NanPolicy;

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
    const hints = this.paramHints;
    const defaults = this.defaultValues();
    const rows: [string, ParamHint][] = [];
    const names = [
      ...this.paramNames,
      ...Object.keys(hints).filter((k) => !this.paramNames.includes(k)),
    ];
    const prefixes = this.components.map((c) => c.prefix);
    const basename = (full: string) => {
      for (const p of prefixes) if (p && full.startsWith(p)) return full.slice(p.length);
      return full;
    };
    const used = new Set<string>();
    for (const full of names) {
      const hint: ParamHint = { ...(hints[full] ?? {}) };
      if (hint.value === undefined && hint.expr === undefined && full in defaults) {
        hint.value = defaults[full];
      }
      for (const key of [basename(full), full]) {
        const v = values[key];
        if (v === undefined) continue;
        used.add(key);
        if (typeof v === "number") {
          hint.value = v;
          delete hint.expr;
        } else Object.assign(hint, v);
      }
      if (hint.value === undefined && hint.expr === undefined && this.paramNames.includes(full)) {
        hint.value = -Infinity;
      }
      rows.push([full, hint]);
    }
    const unknown = Object.keys(values).filter((k) => !used.has(k));
    if (unknown.length) {
      throw new TypeError(
        `makeParams: unknown parameter${unknown.length > 1 ? "s" : ""} ${
          unknown.map((u) => `'${u}'`).join(", ")
        }; this model has ${names.join(", ")}`,
      );
    }
    params.addMany(
      ...rows.map(([n, h]) =>
        [
          n,
          // No value anywhere: lmfit uses -inf clipped to the lower bound; without one the
          // parameter has no start value and a fit will say so.
          h.expr
            ? null
            : (h.value === -Infinity ? (Number.isFinite(h.min ?? NaN) ? h.min! : NaN) : h.value),
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
    const values = params instanceof Parameters ? params.valuesdict() : params;
    return this.evalWith(toVars(this.independentVars, vars), values);
  }

  /** Each component's values, keyed by prefix (or name when it has none). */
  evalComponents(
    params: Parameters | Record<string, number>,
    vars: IndependentVars,
  ): Record<string, Float64Array> {
    const values = params instanceof Parameters ? params.valuesdict() : params;
    const v = toVars(this.independentVars, vars);
    const out: Record<string, Float64Array> = {};
    for (const c of this.components) out[c.prefix || c.name] = c.evalWith(v, values);
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
    const vars = toVars(this.independentVars, options as Record<string, unknown>);
    const y = data instanceof Float64Array ? data : Float64Array.from(data);
    for (const [k, v] of Object.entries(vars)) {
      if (v.length !== y.length) {
        throw new RangeError(
          `independent variable '${k}' has ${v.length} values but data has ${y.length}`,
        );
      }
    }
    const weights = options.weights === undefined ? null : Float64Array.from(options.weights);
    if (weights && weights.length !== y.length) {
      throw new RangeError(`weights has ${weights.length} values but data has ${y.length}`);
    }
    const p = params ?? this.makeParams();
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
    const initFit = this.evalWith(vars, p.valuesdict());
    let out: MinimizerResult;
    try {
      out = await minimizer.minimize(method, kws);
    } finally {
      fitting = false;
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
  guess(_data: ArrayLike<number>, _vars: IndependentVars & { negative?: boolean }): Parameters {
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

  /** lmfit-like representation, e.g. `Model(gaussian, prefix='g1_')`. */
  abstract toString(): string;
}

function canUseAnalytic(p: Parameters, names: string[]): boolean {
  // The analytic path needs every model parameter to be varied or fixed (no constraint
  // expressions feeding the model function); otherwise finite differences are used.
  return names.every((n) => p.get(n)!.expr === null);
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
  const value = new Float64Array(m);
  const full = new Float64Array(m * np);
  const values: Record<string, number> = {};
  const column = new Map(names.map((n, k) => [n, k]));
  // One view of `full` per model parameter (weighted in place), zeros for other varied ones.
  const views = names.map((_, k) => full.subarray(k * m, (k + 1) * m));
  let zeros: Float64Array | null = null;
  const at = new Float64Array(np).fill(NaN); // parameter values `full` holds derivatives at
  let valid = false;
  const compute = (q: Parameters) => {
    for (let k = 0; k < np; k++) values[names[k]] = at[k] = q.get(names[k])!.value;
    jac.evaluate(vars, values, value, full);
    if (weights) {
      for (let k = 0; k < np; k++) {
        const col = views[k];
        for (let i = 0; i < m; i++) col[i] *= weights[i];
      }
    }
    valid = true;
  };
  let out = new Float64Array(m);
  const residual = (q: Parameters) => {
    compute(q);
    if (fresh) out = new Float64Array(m);
    if (weights) { for (let i = 0; i < m; i++) out[i] = (value[i] - y[i]) * weights[i]; }
    else for (let i = 0; i < m; i++) out[i] = value[i] - y[i];
    return out;
  };
  // Rows per varied parameter, in the minimizer's varNames order (insertion order, varied only).
  const dfun = (q: Parameters) => {
    let same = valid;
    for (let k = 0; k < np && same; k++) same = Object.is(q.get(names[k])!.value, at[k]);
    if (!same) compute(q);
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
 */
export class Model extends BaseModel {
  /** The model function. */
  readonly func: ModelFunction;
  /** Independent variable names. */
  readonly independentVars: string[];
  /** Prefix of every parameter name. */
  readonly prefix: string;
  /** Display name. */
  readonly name: string;
  /** Default parameter values (unprefixed). */
  readonly defaults: Record<string, number>;
  readonly #nanPolicy: NanPolicy;
  readonly #baseNames: string[];
  readonly #hints: Record<string, ParamHint> = {};

  /**
   * Creates a model from a function.
   * @param func the model function.
   * @param options parameter names (required), independent variables, prefix, NaN policy.
   */
  constructor(func: ModelFunction, options: ModelOptions = {}) {
    super();
    if (typeof func !== "function") {
      throw new TypeError("Model: func must be a function (x, params, vars) => values");
    }
    if (!options.paramNames || options.paramNames.length === 0) {
      throw new TypeError(
        "Model: give the function's parameter names, e.g. new Model(fn, { paramNames: ['amp', 'cen'] })",
      );
    }
    this.func = func;
    this.independentVars = options.independentVars ?? ["x"];
    this.prefix = options.prefix ?? "";
    this.name = options.name ?? (func.name || "model");
    this.defaults = { ...(options.defaults ?? {}) };
    this.#nanPolicy = options.nanPolicy ?? "raise";
    this.#baseNames = [...options.paramNames];
    for (const n of this.#baseNames) {
      if (this.independentVars.includes(n)) {
        throw new TypeError(`Model: '${n}' is both a parameter and an independent variable`);
      }
    }
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

  /** Parameter hints by prefixed name. */
  get paramHints(): Record<string, ParamHint> {
    const out: Record<string, ParamHint> = {};
    for (const [k, h] of Object.entries(this.#hints)) {
      const hint = { ...h };
      if (hint.expr) hint.expr = hint.expr.replaceAll("{prefix}", this.prefix);
      out[this.prefix + k] = hint;
    }
    return out;
  }

  /** Sets a hint (value, bounds, vary, expression) for a parameter; names not among the function parameters define derived parameters. */
  setParamHint(name: string, hint: ParamHint): this {
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
    const out = this.func(vars[this.independentVars[0]], local, vars);
    return out instanceof Float64Array ? out : Float64Array.from(out);
  }

  /** lmfit-like representation. */
  toString(): string {
    return this.prefix ? `Model(${this.name}, prefix='${this.prefix}')` : `Model(${this.name})`;
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
 */
export class CompositeModel extends BaseModel {
  /** The left operand model. */
  readonly left: BaseModel;
  /** The right operand model. */
  readonly right: BaseModel;
  /** The operator combining the two models. */
  readonly op: ModelOperator;
  /** Independent variable names. */
  readonly independentVars: string[];

  /** Combines two models with an operator. */
  constructor(left: BaseModel, right: BaseModel, op: ModelOperator) {
    super();
    if (!(op in BINARY_OPS)) throw new RangeError(`CompositeModel: unknown operator '${op}'`);
    this.left = left;
    this.right = right;
    this.op = op;
    const clash = left.paramNames.filter((n) => right.paramNames.includes(n));
    if (clash.length) {
      throw new TypeError(
        `CompositeModel: both models have parameter${clash.length > 1 ? "s" : ""} ${
          clash.join(", ")
        }; give them different prefixes`,
      );
    }
    this.independentVars = [...new Set([...left.independentVars, ...right.independentVars])];
  }

  /** Display name. */
  get name(): string {
    return `(${this.left.name} ${this.op} ${this.right.name})`;
  }

  /** The NaN policy used by `fit`. */
  get nanPolicy(): NanPolicy {
    return this.left.nanPolicy;
  }

  /** Prefixed parameter names, in order. */
  get paramNames(): string[] {
    return [...this.left.paramNames, ...this.right.paramNames];
  }

  /** The single models this model is made of. */
  get components(): Model[] {
    return [...this.left.components, ...this.right.components];
  }

  /** Parameter hints by prefixed name. */
  get paramHints(): Record<string, ParamHint> {
    return { ...this.left.paramHints, ...this.right.paramHints };
  }

  /** Sets a hint (value, bounds, vary, expression) for a parameter; names not among the function parameters define derived parameters. */
  setParamHint(name: string, hint: ParamHint): this {
    const target = this.components.find((c) => c.prefix && name.startsWith(c.prefix)) ??
      this.components[0];
    target.setParamHint(name, hint);
    return this;
  }

  /** Model values at the independent variables for parameter values by prefixed name. */
  evalWith(vars: Record<string, Float64Array>, values: Record<string, number>): Float64Array {
    const a = this.left.evalWith(vars, values);
    const b = this.right.evalWith(vars, values);
    const f = BINARY_OPS[this.op];
    const out = new Float64Array(Math.max(a.length, b.length));
    for (let i = 0; i < out.length; i++) out[i] = f(a[i], b[i]);
    return out;
  }

  /** Combines the sides' analytic Jacobians by the sum, product and quotient rules. */
  override analyticJacobian(): ModelJacobian | null {
    const ja = this.left.analyticJacobian();
    const jb = this.right.analyticJacobian();
    if (!ja || !jb) return null;
    const op = this.op;
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

  /** lmfit-like representation. */
  toString(): string {
    return `(${this.left.toString()} ${this.op} ${this.right.toString()})`;
  }
}
