/**
 * `ModelResult`: a `MinimizerResult` plus the model's view of the fit: best and initial fit
 * curves, best and initial values, R², confidence bands, components, reports and JSON.
 *
 * @module
 */

import type { Parameters } from "../parameters.ts";
import type { Minimizer } from "../fit/minimizer.ts";
import { MinimizerResult } from "../fit/result.ts";
import { fitReport, type FitReportOptions } from "../fit/report.ts";
import { JUPYTER_DISPLAY, type MimeBundle } from "../display/mime.ts";
import { modelFitBundle } from "../display/fit_html.ts";
import {
  CI_REPORT_KEYS,
  ciReport,
  type CiReportOptions,
  CONF_INTERVAL_KEYS,
  confInterval,
  type ConfIntervalOptions,
  type ConfIntervalResult,
} from "../confidence.ts";
import { erf } from "../special/erf.ts";
import { studentTPpf } from "../special/distributions.ts";
import { checkVarNames, type FittedModel, type IndependentVars, toVars } from "./fitted_model.ts";
import { checkOptions, optionKeys } from "../util/options.ts";

/**
 * Options of `ModelResult.evalUncertainty`.
 *
 * @example
 * ```ts
 * import { LinearModel, type EvalUncertaintyOptions } from "../../mod.ts";
 * const model = new LinearModel();
 * const result = await model.fit([1, 3.1, 4.9, 7.2], model.makeParams({ slope: 1, intercept: 0 }), { x: [0, 1, 2, 3] });
 * const options: EvalUncertaintyOptions = { sigma: 2, vars: { x: [4, 5] } };
 * result.evalUncertainty(options).length; // 2: the 2-sigma band at x = 4 and 5
 * ```
 *
 * @category Models
 */
export interface EvalUncertaintyOptions {
  /** Confidence level: 1, 2, 3 (sigmas) or a probability below 1. @default 1 */
  sigma?: number;
  /** Parameters to evaluate at (with their standard errors). @default the best fit */
  params?: Parameters;
  /** Independent variables to evaluate at. @default the fit's */
  vars?: IndependentVars;
}

const MODEL_RESULT_INIT_KEYS = optionKeys<ModelResultInit>({
  data: true,
  weights: true,
  vars: true,
  initParams: true,
  initFit: true,
  minimizer: true,
  method: true,
});

const EVAL_UNCERTAINTY_KEYS = optionKeys<EvalUncertaintyOptions>({
  sigma: true,
  params: true,
  vars: true,
});

/**
 * What the model layer hands to a new `ModelResult`.
 *
 * @example
 * ```ts
 * import { LinearModel, Minimizer, ModelResult, type ModelResultInit } from "../../mod.ts";
 * const model = new LinearModel();
 * const x = Float64Array.of(0, 1, 2), data = Float64Array.of(1, 3, 5);
 * const initParams = model.makeParams({ slope: 1, intercept: 0 });
 * const minimizer = new Minimizer((p) => model.eval(p, { x }).map((v, i) => v - data[i]), initParams);
 * const initFit = model.eval(initParams, { x });
 * const init: ModelResultInit = { data, weights: null, vars: { x }, initParams, initFit, minimizer, method: "leastsq" };
 * const result = new ModelResult(model, await minimizer.minimize(), init);
 * result.bestFit; // ≈ Float64Array [1, 3, 5]
 * ```
 *
 * @category Models
 */
export interface ModelResultInit {
  /** The fitted data. */
  data: Float64Array;
  /** Weights, or null. */
  weights: Float64Array | null;
  /** Independent variables by name. */
  vars: Record<string, Float64Array>;
  /** The parameters the fit started from. */
  initParams: Parameters;
  /**
   * The model at the start values. Omitted: the result evaluates the model at the start and at
   * the best values when `initFit` or `bestFit` is first read (from copies of the values and of
   * `vars` taken now, so the numbers are those of an evaluation at construction); only for
   * models whose evaluation depends on nothing else (compiled expressions).
   */
  initFit?: Float64Array;
  /** The minimizer used. */
  minimizer: Minimizer;
  /** Fitting method. */
  method: string;
}

/**
 * `1 − Σr²/Σ(y − ȳ)²` (lmfit: the denominator at least 1e-15). A module function, so that its
 * loops stay optimized from one result to the next (loops in a constructor start unoptimized).
 */
function rSquared(data: Float64Array, residual: Float64Array): number {
  let mean = 0;
  for (let i = 0; i < data.length; i++) mean += data[i];
  mean /= data.length;
  let sstot = 0;
  for (let i = 0; i < data.length; i++) sstot += (data[i] - mean) ** 2;
  let ss = 0;
  for (let i = 0; i < residual.length; i++) ss += residual[i] * residual[i];
  return 1 - ss / Math.max(1e-15, sstot);
}

/**
 * The fit options a model `M` takes (its `fit`'s third argument: `ModelFitOptions` for every
 * `BaseModel`).
 *
 * @example
 * ```ts
 * import type { FitOptionsOf, GaussianModel } from "../../mod.ts";
 * const options: FitOptionsOf<GaussianModel> = { method: "nelder", maxNfev: 500 };
 * ```
 *
 * @category Models
 */
export type FitOptionsOf<M extends FittedModel> = M["fit"] extends (
  data: ArrayLike<number>,
  params?: Parameters,
  options?: infer O,
) => unknown ? NonNullable<O>
  : Record<string, unknown>;

/**
 * Options of `ModelResult.fit`: the model's fit options (`method`, `weights`, `nanPolicy`,
 * `calcCovar`, `maxNfev`, `fitKws`, independent variables, start values by name, ...) plus new
 * `data` and start `params`. What is not given is the previous fit's.
 *
 * @example
 * ```ts
 * import type { LinearModel, ModelResultFitOptions, Parameters } from "../../mod.ts";
 * const refit: ModelResultFitOptions<LinearModel> = { method: "powell", data: [1, 3.2, 4.9] };
 * ```
 *
 * @category Models
 */
export type ModelResultFitOptions<M extends FittedModel = FittedModel> =
  & FitOptionsOf<M>
  & {
    /** New data to fit. @default the previous fit's */
    data?: ArrayLike<number>;
    /** Parameters to start from. @default the previous fit's best values (lmfit's `params`) */
    params?: Parameters;
  };

/**
 * The result of `model.fit(...)`.
 *
 * @example
 * ```ts
 * import { GaussianModel } from "../../mod.ts";
 * const x = Float64Array.from({ length: 101 }, (_, i) => -5 + i / 10);
 * const y = x.map((v) => 3 * Math.exp(-((v - 0.5) ** 2) / 2) + 0.01 * Math.cos(9 * v));
 * const model = new GaussianModel();
 * const result = await model.fit(y, model.guess(y, { x }), { x });
 * result.rsquared; // ≈ 1
 * result.bestFit.length; // 101
 * const band = result.evalUncertainty({ sigma: 2 });
 * ```
 *
 * @category Models
 */
export class ModelResult<M extends FittedModel = FittedModel> extends MinimizerResult {
  /** The model that was fitted. */
  readonly model: M;
  /** The data. */
  readonly data: Float64Array;
  /** The weights, or null. */
  readonly weights: Float64Array | null;
  /** Independent variables used in the fit. */
  readonly userVars: Record<string, Float64Array>;
  /** The parameters the fit started from. */
  readonly initParams: Parameters;
  /** Best-fit value of every parameter by name. */
  bestValues: Record<string, number>;
  /** Coefficient of determination `1 - Σr²/Σ(y - ȳ)²` (weighted residuals, as lmfit). */
  rsquared?: number;
  /** The confidence band of the last `evalUncertainty` call. */
  dely: Float64Array | null = null;
  /** Per-component bands of the last `evalUncertainty` call. */
  delyComps: Record<string, Float64Array> = {};
  /** The minimizer used, for confidence intervals. */
  readonly minimizer: Minimizer;
  /** The last `confInterval` output. */
  ciOut: ConfIntervalResult | null = null;

  /** Wraps a minimizer result with the model's view of the fit. */
  constructor(model: M, out: MinimizerResult, init: ModelResultInit) {
    super(out.params, out.method);
    checkOptions(init, MODEL_RESULT_INIT_KEYS, "ModelResult");
    Object.assign(this, out);
    this.model = model;
    this.data = init.data;
    this.weights = init.weights;
    this.userVars = init.vars;
    this.initParams = init.initParams;
    this.minimizer = init.minimizer;
    // As lmfit: the model function's arguments only (no derived parameters such as fwhm).
    const all = out.params.valuesdict();
    this.bestValues = Object.fromEntries(model.paramNames.map((n) => [n, all[n]]));
    if (init.initFit !== undefined) {
      this.#initFit = init.initFit;
      this.#bestFit = model.evalWith(init.vars, this.bestValues);
    } else {
      // Evaluated when first read, from what they would have been evaluated from now.
      const vars: Record<string, Float64Array> = {};
      for (const [k, v] of Object.entries(init.vars)) {
        vars[k] = v instanceof Float64Array ? v.slice() : v;
      }
      const start = init.initParams.valuesdict();
      const best = { ...this.bestValues };
      this.#lazyInit = () => model.evalWith(vars, start);
      this.#lazyBest = () => model.evalWith(vars, best);
    }
    const initAll = init.initParams.valuesdict();
    this.initValues = Object.fromEntries(model.paramNames.map((n) => [n, initAll[n]]));
    if (this.data.length > 1 && this.residual.length > 1) {
      this.rsquared = rSquared(this.data, this.residual);
    }
  }

  #initFit: Float64Array | null = null;
  #bestFit: Float64Array | null = null;
  #lazyInit: (() => Float64Array) | null = null;
  #lazyBest: (() => Float64Array) | null = null;

  /** The model at the start values. */
  get initFit(): Float64Array {
    if (this.#initFit === null) {
      this.#initFit = this.#lazyInit!();
      this.#lazyInit = null;
    }
    return this.#initFit;
  }

  /** The model at the best-fit values. */
  get bestFit(): Float64Array {
    if (this.#bestFit === null) {
      this.#bestFit = this.#lazyBest!();
      this.#lazyBest = null;
    }
    return this.#bestFit;
  }
  set bestFit(value: Float64Array) {
    this.#bestFit = value;
    this.#lazyBest = null;
  }

  /** The model at `params` (default: the best fit), at the fit's or new independent variables. */
  eval(params?: Parameters, vars?: IndependentVars): Float64Array {
    checkVarNames(vars, this.model.independentVars, "eval");
    const v = vars ? { ...this.userVars, ...toVars(Object.keys(vars), vars) } : this.userVars;
    return this.model.evalWith(v, (params ?? this.params).valuesdict());
  }

  /** Each component at `params` (default: the best fit), keyed by prefix. */
  evalComponents(params?: Parameters, vars?: IndependentVars): Record<string, Float64Array> {
    checkVarNames(vars, this.model.independentVars, "evalComponents");
    return this.model.evalComponents(
      params ?? this.params,
      vars ? { ...this.userVars, ...vars } : this.userVars,
    );
  }

  /**
   * The confidence band of the model at `sigma` (1, 2, 3 or a probability < 1): Student-t
   * scaled `sqrt(Σ_ij ∂f/∂p_i ∂f/∂p_j C_ij)`, derivatives by central differences with steps of
   * stderr/3, as lmfit. Also fills `delyComps` per component. Zeros when no uncertainties.
   */
  evalUncertainty(options: EvalUncertaintyOptions = {}): Float64Array {
    checkOptions(options, EVAL_UNCERTAINTY_KEYS, "evalUncertainty");
    checkVarNames(options.vars, this.model.independentVars, "evalUncertainty: vars");
    const sigma = options.sigma ?? 1;
    const params = options.params ?? this.params;
    const vars = options.vars
      ? { ...this.userVars, ...toVars(Object.keys(options.vars), options.vars) }
      : this.userVars;
    const nvarys = this.nvarys;
    const base = this.model.evalWith(vars, params.valuesdict());
    const ndata = base.length;
    const covar = this.covar;
    // A parameter held on an active bound (see `stderrNotes`) has a zero row in `covar`.
    const held = (name: string) => this.stderrNotes[name] !== undefined;
    const anyMissing = [...params.values()].some((p) =>
      p.vary && p.stderr === null && !held(p.name)
    );
    if (!covar || anyMissing) {
      this.dely = new Float64Array(ndata);
      return this.dely;
    }
    const comps = this.model.components.map((c) => c.prefix || c.funcName);
    // Per component, a single one included (lmfit fills dely_comps for it too).
    const keys = ["0", ...comps];
    const fjac: Record<string, Float64Array[]> = {};
    for (const k of keys) fjac[k] = [];
    const pars = params.copy();
    const evalAll = () => {
      const values = pars.valuesdict();
      const out: Record<string, Float64Array> = { "0": this.model.evalWith(vars, values) };
      if (comps.length > 1) {
        for (const c of this.model.components) {
          out[c.prefix || c.funcName] = c.evalWith(vars, values);
        }
      } else out[comps[0]] = out["0"];
      return out;
    };
    for (let i = 0; i < nvarys; i++) {
      const p = pars.get(this.varNames[i])!;
      if (p.stderr === null) {
        for (const k of keys) fjac[k].push(new Float64Array(ndata));
        continue;
      }
      const val0 = p.value;
      const dval = p.stderr / 3;
      p.value = val0 + dval;
      const r1 = evalAll();
      p.value = val0 - dval;
      const r2 = evalAll();
      p.value = val0;
      for (const k of keys) {
        const d = new Float64Array(ndata);
        for (let t = 0; t < ndata; t++) d[t] = (r1[k][t] - r2[k][t]) / (2 * dval);
        fjac[k].push(d);
      }
    }
    const prob = sigma < 1 ? sigma : erf(sigma / Math.SQRT2);
    const scale = studentTPpf((prob + 1) / 2, this.ndata - nvarys);
    const bands: Record<string, Float64Array> = {};
    for (const k of keys) {
      const df2 = new Float64Array(ndata);
      for (let i = 0; i < nvarys; i++) {
        for (let j = 0; j < nvarys; j++) {
          const c = covar[i][j];
          const a = fjac[k][i], b = fjac[k][j];
          for (let t = 0; t < ndata; t++) df2[t] += a[t] * b[t] * c;
        }
      }
      bands[k] = df2.map((v) => scale * Math.sqrt(v));
    }
    this.dely = bands["0"];
    this.delyComps = {};
    for (const k of keys.slice(1)) this.delyComps[k] = bands[k];
    return this.dely;
  }

  /**
   * Fits again, in place, as lmfit's `ModelResult.fit`: optionally with new `data`, start
   * `params`, `weights`, `method` or any other option of `model.fit`; what is not given is the
   * previous fit's (data, weights, independent variables, method, the Minimizer's options, and
   * the method options when the method is the same). Starts from the previous fit's best values
   * unless `params` is given, then from `params` (lmfit 1.1.0 records them as `init_params` but
   * still starts from the previous best values). Every field of this result (statistics, parameters, best fit,
   * `initParams`, `minimizer`, ...) then describes the new fit; `ciOut` and the bands of
   * `evalUncertainty` are cleared. Async.
   *
   * @param options What changes for the new fit.
   * @returns This result, refitted.
   * @example
   * ```ts
   * import { GaussianModel } from "../../mod.ts";
   * const x = Float64Array.from({ length: 81 }, (_, i) => -4 + i / 10);
   * const y = x.map((v) => 2 * Math.exp(-((v - 0.3) ** 2) / 2));
   * const model = new GaussianModel();
   * const result = await model.fit(y, model.makeParams({ amplitude: 4, center: 0, sigma: 1.5 }), { x });
   * await result.fit({ method: "nelder" }); // from the leastsq solution, with Nelder-Mead
   * result.method; // "nelder"
   * result.params.get("center")!.value; // ≈ 0.3
   * await result.fit({ data: y.map((v) => 2 * v) }); // new data, same x
   * result.params.get("amplitude")!.value; // ≈ 2 × 2·√(2π) ≈ 10.03
   * ```
   */
  async fit(options: ModelResultFitOptions<M> = {} as ModelResultFitOptions<M>): Promise<this> {
    const { data, params, ...rest } = options as Record<string, unknown> & {
      data?: ArrayLike<number>;
      params?: Parameters;
    };
    const method = (rest.method as string | undefined) ?? this.method;
    const previous = this.minimizer.options;
    let fitKws = rest.fitKws;
    if (fitKws === undefined && method === this.method) {
      // The method options of the previous fit, without the evaluation limit it put in force.
      const { maxNfev: _limit, ...given } = this.callKws;
      fitKws = given;
    }
    const fitOptions: Record<string, unknown> = {
      ...this.userVars,
      weights: this.weights ?? undefined,
      nanPolicy: previous.nanPolicy,
      scaleCovar: previous.scaleCovar,
      calcCovar: previous.calcCovar,
      maxNfev: previous.maxNfev,
      iterCb: previous.iterCb,
      ...rest,
      method,
      fitKws,
    };
    const fresh = await this.model.fit(data ?? this.data, params ?? this.params, fitOptions);
    const self = this as unknown as Record<string, unknown>;
    for (const k of Object.keys(self)) if (!(k in fresh)) delete self[k];
    Object.assign(this, fresh);
    // The curves are not own properties (evaluated when first read): take the new fit's.
    if (fresh instanceof ModelResult) {
      this.#initFit = fresh.#initFit;
      this.#bestFit = fresh.#bestFit;
      this.#lazyInit = fresh.#lazyInit;
      this.#lazyBest = fresh.#lazyBest;
    }
    return this;
  }

  /** Profile-likelihood confidence intervals of this fit (see `confInterval`). Async. */
  async confInterval(options: ConfIntervalOptions = {}): Promise<ConfIntervalResult> {
    this.ciOut = await confInterval(this.minimizer, this, options);
    return this.ciOut;
  }

  /**
   * The confidence-interval table (lmfit's `ci_report(with_offset, ndigits, **kwargs)`):
   * `withOffset` and `ndigits` shape the table, any other option is `confInterval`'s. The
   * intervals are computed when none are stored yet or when `confInterval` options are given
   * (as lmfit, which computes them on every call); otherwise the last ones are shown. Async.
   */
  async ciReport(options: ConfIntervalOptions & CiReportOptions = {}): Promise<string> {
    checkOptions(options, [...CONF_INTERVAL_KEYS, ...CI_REPORT_KEYS], "ciReport");
    const { withOffset, ndigits, ...ciOptions } = options;
    const given = Object.values(ciOptions).some((v) => v !== undefined);
    const ci = !given && this.ciOut ? this.ciOut : await this.confInterval(ciOptions);
    return ciReport(ci, { withOffset, ndigits });
  }

  /**
   * What Deno's Jupyter kernel shows for the result: lmfit's HTML report headed by the model's
   * name, an inline SVG plot of data, best fit, components and residuals (for one independent
   * variable), and `fitReport()` as text.
   *
   * @example
   * ```ts
   * import { GaussianModel, JUPYTER_DISPLAY } from "../../mod.ts";
   * const x = Float64Array.from({ length: 41 }, (_, i) => -4 + i / 5);
   * const y = x.map((v) => 2 * Math.exp(-((v - 0.3) ** 2) / 2));
   * const model = new GaussianModel();
   * const result = await model.fit(y, model.guess(y, { x }), { x });
   * result[JUPYTER_DISPLAY]()["text/html"].includes("<svg"); // true
   * ```
   */
  override [JUPYTER_DISPLAY](): MimeBundle {
    return modelFitBundle(this);
  }

  /** lmfit's fit report, headed by the model's name. */
  fitReport(options: FitReportOptions = {}): string {
    return `[[Model]]\n    ${this.model.name}\n${fitReport(this, options)}`;
  }

  /** A JSON-ready summary: statistics, values, stderr, correlations, messages. */
  summary(): Record<string, unknown> {
    const params: Record<string, unknown> = {};
    for (const p of this.params.values()) {
      params[p.name] = {
        value: p.value,
        stderr: p.stderr,
        vary: p.vary,
        expr: p.expr,
        min: p.min,
        max: p.max,
        initValue: p.initValue,
        correl: p.correl,
      };
    }
    return {
      model: this.model.name,
      method: this.method,
      success: this.success,
      message: this.message,
      nfev: this.nfev,
      ndata: this.ndata,
      nvarys: this.nvarys,
      nfree: this.nfree,
      chisqr: this.chisqr,
      redchi: this.redchi,
      aic: this.aic,
      bic: this.bic,
      rsquared: this.rsquared ?? null,
      errorbars: this.errorbars,
      varNames: this.varNames,
      covar: this.covar,
      bestValues: this.bestValues,
      initValues: this.initValues,
      params,
    };
  }
}
