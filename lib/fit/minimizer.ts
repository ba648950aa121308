/**
 * The minimizer layer: `Minimizer` and `minimize()`. It turns `Parameters` into a free vector
 * (MINUIT bounds transforms), runs a solver that knows only `Float64Array`s, and maps the
 * answer back: fitted copy of the parameters, statistics, covariance in user space, standard
 * errors and correlations, and propagated errors of constrained parameters.
 *
 * @module
 */

import { Parameters } from "../parameters.ts";
import { MinimizerResult } from "./result.ts";
import {
  AbortFitError,
  applyValues,
  externalValues,
  type FitContext,
  internalStart,
  type IterationCallbackFn,
  type NanPolicy,
  ObjectiveAdapter,
  type ObjectiveFunction,
  prepareContext,
  transformGradient,
} from "./objective.ts";
import { covarianceFromJacobian, covarianceFromJacobianInPlace } from "../linalg/covariance.ts";
import { numericalHessian } from "../linalg/hessian.ts";
import { invertSpd } from "../linalg/spd_inverse.ts";
import { qrPivot } from "../linalg/qr.ts";
import { applyCovariance } from "./uncertainty.ts";
import type { SymbolTable } from "../symtable.ts";
import {
  COMMON_METHOD_OPTIONS,
  findMethod,
  METHOD_ALIASES,
  METHOD_REGISTRY,
  SCALAR_METHODS,
} from "./methods/registry.ts";
import type { MethodEntry, MethodOutcome } from "./methods/types.ts";
import type {
  AmpgoMethodOptions,
  BasinhoppingMethodOptions,
  BruteMethodOptions,
  DualAnnealingMethodOptions,
  EmceeMethodOptions,
  LeastsqOptions,
  LeastSquaresMethodOptions,
  OptionsOfMethod,
  ShgoMethodOptions,
} from "./methods/options.ts";
import { gradientSafeStart } from "./methods/_common.ts";
import { checkOptions, closestName, optionKeys } from "../util/options.ts";

export type { IterationCallbackFn, NanPolicy, ObjectiveFunction } from "./objective.ts";
export type { LeastsqOptions } from "./methods/options.ts";

/** Checks a `maxNfev` value: a positive number (Infinity allowed) or undefined. */
function checkMaxNfev(value: unknown, where: string): void {
  if (value !== undefined && !(typeof value === "number" && value >= 1)) {
    throw new RangeError(`${where}: maxNfev must be a number of evaluations ≥ 1, got ${value}`);
  }
}

/**
 * Options of `new Minimizer(...)`.
 *
 * @example
 * ```ts
 * import { Minimizer, type MinimizerOptions, Parameters } from "../../mod.ts";
 * const x = [0, 1, 2, 3], y = [1, 3, 5, 7.5];
 * const options: MinimizerOptions = { fcnArgs: [x, y], nanPolicy: "raise", maxNfev: 200 };
 * const params = new Parameters();
 * params.addMany(["m", 1], ["c", 0]);
 * const fcn = (p: Parameters, xs: number[], ys: number[]) =>
 *   xs.map((v, i) => p.get("m")!.value * v + p.get("c")!.value - ys[i]);
 * const result = await new Minimizer(fcn, params, options).minimize();
 * result.params.get("m")!.value; // ≈ 2.15
 * ```
 *
 * @category Fitting
 */
export interface MinimizerOptions {
  /** Positional arguments passed to the objective after `params`. @default [] */
  // deno-lint-ignore no-explicit-any
  fcnArgs?: readonly any[];
  /** Keyword-style arguments: passed as one extra final argument when given. */
  // deno-lint-ignore no-explicit-any
  fcnKws?: Record<string, any>;
  /** Called after every objective evaluation; returning `true` aborts the fit. */
  iterCb?: IterationCallbackFn;
  /** Scale the covariance by reduced chi-square. @default true */
  scaleCovar?: boolean;
  /** What to do with non-finite residuals. @default "raise" */
  nanPolicy?: NanPolicy;
  /**
   * Maximum number of objective evaluations, a hard limit for every method: reaching it aborts
   * the fit (`aborted: true`, `success: false`, no error bars). @default per method, as lmfit:
   * 2000·(nvarys+1) for local methods (leastsq, least_squares, nelder, ..., and
   * differential_evolution, which lmfit runs as a scalar method), 200000·(nvarys+1) for global
   * ones, brute and emcee.
   */
  maxNfev?: number;
  /**
   * How an array returned by the objective is reduced to a scalar for scalar methods:
   * sum of squares (default), "negentropy", "neglogcauchy", or a function.
   */
  reduceFcn?: "sum" | "negentropy" | "neglogcauchy" | ((r: Float64Array) => number);
  /** Estimate uncertainties after scalar methods (numerical Hessian). @default true */
  calcCovar?: boolean;
}

/** The keys of `MinimizerOptions`. */
const MINIMIZER_KEYS = optionKeys<MinimizerOptions>({
  fcnArgs: true,
  fcnKws: true,
  iterCb: true,
  scaleCovar: true,
  nanPolicy: true,
  maxNfev: true,
  reduceFcn: true,
  calcCovar: true,
});

/**
 * Every method `minimize` accepts, by lmfit's names. `leastsq` is the default.
 *
 * @example
 * ```ts
 * import { METHODS, minimize, Parameters } from "../../mod.ts";
 * METHODS[0]; // "leastsq", the default
 * METHODS.includes("nelder") && METHODS.includes("differential_evolution"); // true
 * const params = new Parameters();
 * params.add("a", { value: 0, min: -5, max: 5 });
 * const r = await minimize((p) => (p.get("a")!.value - 1) ** 2, params, { method: METHODS[1] });
 * r.params.get("a")!.value; // ≈ 1
 * ```
 *
 * @category Fitting
 */
export const METHODS: readonly string[] = Object.freeze(METHOD_REGISTRY.map((m) => m.name));

/**
 * A fitting problem: an objective, its parameters and options; fit it with `.minimize()`.
 *
 * @example
 * ```ts
 * import { Minimizer, Parameters } from "../../mod.ts";
 * const x = Float64Array.from({ length: 50 }, (_, i) => i / 10);
 * const data = x.map((v) => 2 * Math.exp(-v / 1.5));
 * const params = new Parameters();
 * params.add("amp", { value: 1, min: 0 });
 * params.add("tau", { value: 1 });
 * const fitter = new Minimizer(
 *   (p: Parameters, x: Float64Array, y: Float64Array) => {
 *     const { amp, tau } = p.valuesdict();
 *     return x.map((v, i) => amp * Math.exp(-v / tau) - y[i]);
 *   },
 *   params,
 *   { fcnArgs: [x, data] },
 * );
 * const result = await fitter.minimize("leastsq");
 * result.params.get("tau")!.value; // ≈ 1.5
 * ```
 *
 * @category Fitting
 */
export class Minimizer {
  /** State methods keep between runs (emcee's sampler for `reuseSampler`). */
  #memory: Map<string, unknown> = new Map();
  /** The objective. */
  readonly userfcn: ObjectiveFunction;
  /** The starting parameters (never mutated by a fit). */
  readonly params: Parameters;
  /** Resolved options. */
  readonly options: Readonly<MinimizerOptions>;
  /** The most recent result. */
  result: MinimizerResult | null = null;
  #maxNfevInForce: number | undefined;

  /**
   * Creates a fitting problem. The Minimizer keeps its own copy of `params`.
   * @param fcn `(params, ...fcnArgs[, fcnKws]) => residuals | scalar`.
   * @param params The parameters; the Minimizer keeps its own copy.
   * @param options Arguments, callback, covariance scaling, NaN policy, evaluation limit.
   */
  constructor(fcn: ObjectiveFunction, params: Parameters, options: MinimizerOptions = {}) {
    if (typeof fcn !== "function") {
      throw new TypeError(
        "Minimizer: the objective must be a function (params, ...args) => residuals",
      );
    }
    if (!(params instanceof Parameters)) {
      throw new TypeError("Minimizer: params must be a Parameters object");
    }
    checkOptions(options, MINIMIZER_KEYS, "Minimizer");
    const nanPolicy = options.nanPolicy ?? "raise";
    if (!["raise", "propagate", "omit"].includes(nanPolicy)) {
      throw new RangeError(`nanPolicy must be "raise", "propagate" or "omit", got "${nanPolicy}"`);
    }
    checkMaxNfev(options.maxNfev, "Minimizer");
    this.userfcn = fcn;
    this.params = params.copy();
    this.options = Object.freeze({
      fcnArgs: options.fcnArgs ?? [],
      fcnKws: options.fcnKws,
      iterCb: options.iterCb,
      scaleCovar: options.scaleCovar ?? true,
      nanPolicy,
      maxNfev: options.maxNfev,
      reduceFcn: options.reduceFcn,
      calcCovar: options.calcCovar ?? true,
    });
  }

  /**
   * The evaluation limit in force: the one of the latest fit (its method option, else the
   * Minimizer's, else lmfit's default for the method), or before any fit the Minimizer's option.
   *
   * @example
   * ```ts
   * import { Minimizer, Parameters } from "../../mod.ts";
   * const params = new Parameters();
   * params.add("a", { value: 0 });
   * const fitter = new Minimizer((p) => [p.get("a")!.value - 1, 0], params);
   * fitter.maxNfev; // undefined: no fit yet, no limit given
   * await fitter.minimize("nelder");
   * fitter.maxNfev; // 4000 = 2000·(1 + 1), lmfit's default for a local method
   * ```
   */
  get maxNfev(): number | undefined {
    return this.#maxNfevInForce ?? this.options.maxNfev;
  }

  /** User values and functions available to constraint expressions of this fit. */
  get symtable(): SymbolTable {
    return this.params.symtable;
  }

  /**
   * Prepares a fit: a fitted copy of the parameters, the varied ones and their bounds.
   * Throws if no parameter varies.
   */
  prepareFit(params?: Parameters): FitContext {
    const ctx = prepareContext(params ?? this.params);
    if (ctx.varNames.length === 0) {
      throw new RangeError(
        "no parameter is varied: set vary: true on at least one parameter (parameters with expr never vary)",
      );
    }
    return ctx;
  }

  /**
   * Fits with the named method (default `"leastsq"`). Async, as every fitting entry point.
   *
   * @param method one of `METHODS` (or an alias).
   * @param options the method's options (flat, as lmfit's `**kws`; typed per method), plus
   *   `params` to start from and `maxNfev`. An unknown key is an error.
   */
  // deno-lint-ignore require-await
  async minimize<M extends string = "leastsq">(
    method?: M,
    options: OptionsOfMethod<M> = {} as OptionsOfMethod<M>,
  ): Promise<MinimizerResult> {
    return this.minimizeSync(method, options);
  }

  /** Synchronous form of `minimize` (used internally by confidence intervals). */
  minimizeSync<M extends string = "leastsq">(
    method?: M,
    options: OptionsOfMethod<M> = {} as OptionsOfMethod<M>,
  ): MinimizerResult {
    method ??= "leastsq" as M;
    const entry = findMethod(method);
    if (!entry) {
      const near = closestName(method.toLowerCase(), [...METHODS, ...Object.keys(METHOD_ALIASES)]);
      throw new RangeError(
        `unknown fitting method '${method}'${
          near ? ` (did you mean ${near}?)` : ""
        }; choose one of: ${METHODS.join(", ")}`,
      );
    }
    return this.#run(entry, options as Record<string, unknown>);
  }

  /**
   * Levenberg-Marquardt (MINPACK lmdif) least squares, the default method. Async.
   */
  // deno-lint-ignore require-await
  async leastsq(options: LeastsqOptions = {}): Promise<MinimizerResult> {
    return this.leastsqSync(options);
  }

  /**
   * Scalar minimisation by name (`nelder`, `lbfgsb`, `powell`, ...): the objective's residual
   * array is reduced to a scalar (sum of squares by default). Async.
   */
  // deno-lint-ignore require-await
  async scalarMinimize<M extends string = "nelder">(
    method?: M,
    options: OptionsOfMethod<M> = {} as OptionsOfMethod<M>,
  ): Promise<MinimizerResult> {
    return this.scalarMinimizeSync(method, options);
  }

  /** Synchronous form of `scalarMinimize`. */
  scalarMinimizeSync<M extends string = "nelder">(
    method?: M,
    options: OptionsOfMethod<M> = {} as OptionsOfMethod<M>,
  ): MinimizerResult {
    method ??= "nelder" as M;
    const entry = findMethod(method);
    if (!entry || !(entry.name in SCALAR_METHODS)) {
      throw new RangeError(
        `'${method}' is not a scalar method; choose one of: ${
          Object.keys(SCALAR_METHODS).join(", ")
        }`,
      );
    }
    return this.#run(entry, options as Record<string, unknown>);
  }

  /** Synchronous form of `leastsq`. */
  leastsqSync(options: LeastsqOptions = {}): MinimizerResult {
    return this.#run(findMethod("leastsq")!, options as Record<string, unknown>);
  }

  /**
   * Trust-region reflective least squares with bounds, lmfit's `least_squares()`: the same as
   * `minimize("least_squares", options)`. Async.
   *
   * @example
   * ```ts
   * import { Minimizer, Parameters } from "../../mod.ts";
   * const params = new Parameters();
   * params.add("a", { value: 0, min: -1, max: 5 });
   * const fitter = new Minimizer((p) => [p.get("a")!.value - 2, 0.1], params);
   * (await fitter.leastSquares()).params.get("a")!.value; // ≈ 2
   * ```
   */
  leastSquares(options: LeastSquaresMethodOptions = {}): Promise<MinimizerResult> {
    return this.minimize("least_squares", options);
  }

  /**
   * Grid search, lmfit's `brute()`: the same as `minimize("brute", options)`. Async.
   *
   * @example
   * ```ts
   * import { Minimizer, Parameters } from "../../mod.ts";
   * const params = new Parameters();
   * params.add("a", { value: 0, min: -4, max: 4 });
   * const fitter = new Minimizer((p) => (p.get("a")!.value - 1) ** 2, params);
   * (await fitter.brute({ Ns: 9 })).params.get("a")!.value; // 1, a grid point
   * ```
   */
  brute(options: BruteMethodOptions = {}): Promise<MinimizerResult> {
    return this.minimize("brute", options);
  }

  /**
   * Basin hopping, lmfit's `basinhopping()`: the same as `minimize("basinhopping", options)`.
   * Async.
   *
   * @example
   * ```ts
   * import { Minimizer, Parameters } from "../../mod.ts";
   * const params = new Parameters();
   * params.add("a", { value: 3 });
   * const fitter = new Minimizer((p) => (p.get("a")!.value - 1) ** 2, params);
   * (await fitter.basinhopping({ niter: 5, seed: 1 })).params.get("a")!.value; // ≈ 1
   * ```
   */
  basinhopping(options: BasinhoppingMethodOptions = {}): Promise<MinimizerResult> {
    return this.minimize("basinhopping", options);
  }

  /**
   * Dual annealing within finite bounds, lmfit's `dual_annealing()`: the same as
   * `minimize("dual_annealing", options)`. Async.
   *
   * @example
   * ```ts
   * import { Minimizer, Parameters } from "../../mod.ts";
   * const params = new Parameters();
   * params.add("a", { value: 3, min: -5, max: 5 });
   * const fitter = new Minimizer((p) => (p.get("a")!.value - 1) ** 2, params);
   * (await fitter.dualAnnealing({ seed: 1 })).params.get("a")!.value; // ≈ 1
   * ```
   */
  dualAnnealing(options: DualAnnealingMethodOptions = {}): Promise<MinimizerResult> {
    return this.minimize("dual_annealing", options);
  }

  /**
   * Simplicial homology global optimisation within finite bounds, lmfit's `shgo()`: the same as
   * `minimize("shgo", options)`. Async.
   *
   * @example
   * ```ts
   * import { Minimizer, Parameters } from "../../mod.ts";
   * const params = new Parameters();
   * params.add("a", { value: 3, min: -5, max: 5 });
   * const fitter = new Minimizer((p) => (p.get("a")!.value - 1) ** 2, params);
   * (await fitter.shgo()).params.get("a")!.value; // ≈ 1
   * ```
   */
  shgo(options: ShgoMethodOptions = {}): Promise<MinimizerResult> {
    return this.minimize("shgo", options);
  }

  /**
   * Adaptive memory programming for global optimisation, lmfit's `ampgo()`: the same as
   * `minimize("ampgo", options)`. Async.
   *
   * @example
   * ```ts
   * import { Minimizer, Parameters } from "../../mod.ts";
   * const params = new Parameters();
   * params.add("a", { value: 3, min: -5, max: 5 });
   * const fitter = new Minimizer((p) => (p.get("a")!.value - 1) ** 2, params);
   * (await fitter.ampgo({ seed: 1 })).params.get("a")!.value; // ≈ 1
   * ```
   */
  ampgo(options: AmpgoMethodOptions = {}): Promise<MinimizerResult> {
    return this.minimize("ampgo", options);
  }

  /**
   * Markov-chain Monte Carlo sampling of the posterior, lmfit's `emcee()`: the same as
   * `minimize("emcee", options)`. Async.
   *
   * @example
   * ```ts
   * import { Minimizer, Parameters } from "../../mod.ts";
   * const params = new Parameters();
   * params.add("a", { value: 1, min: -5, max: 5 });
   * const fitter = new Minimizer((p) => [p.get("a")!.value - 1, p.get("a")!.value - 1.2], params);
   * const r = await fitter.emcee({ steps: 200, nwalkers: 10, burn: 50, seed: 1 });
   * r.params.get("a")!.value; // ≈ 1.1, the median of the samples
   * ```
   */
  emcee(options: EmceeMethodOptions = {}): Promise<MinimizerResult> {
    return this.minimize("emcee", options);
  }

  /**
   * One fit with one registry entry: prepares the context the entry asks for, runs its adapter
   * and turns the outcome into the result. The only place a `MinimizerResult` is made.
   */
  #run(
    entry: MethodEntry,
    // deno-lint-ignore no-explicit-any
    options: Record<string, any>,
  ): MinimizerResult {
    checkOptions(options, [...entry.optionKeys, ...COMMON_METHOD_OPTIONS], `${entry.name} options`);
    const { params: start, maxNfev: methodMaxNfev, ...methodOptions } = options;
    checkMaxNfev(methodMaxNfev, entry.name);
    let fit = this.prepareFit(start);
    if (entry.needsFiniteBounds) requireFiniteBounds(fit, entry.name);
    const transform = entry.space === "internal";
    const reduce = entry.usesReduceFcn ? reduceFor(this.options.reduceFcn) : undefined;
    const startOf = (f: FitContext) =>
      !transform
        ? Float64Array.from(f.initValues)
        : entry.gradientSafeStart
        ? gradientSafeStart(f)
        : internalStart(f);
    // The limit in force: the method option, else the Minimizer's, else lmfit's default.
    const limitFor = (f: FitContext): number =>
      methodMaxNfev ?? this.options.maxNfev ??
        (entry.maxNfevPerParam ?? 2000) * (f.varNames.length + 1);
    let maxNfev = limitFor(fit);
    let adapter = this.makeAdapter(fit, transform, reduce, maxNfev);
    let x0 = startOf(fit);
    let outcome: MethodOutcome;
    let ndata = 0;
    try {
      // The first evaluation fixes the residual length (and counts, as any evaluation).
      const first = adapter.evaluate(x0, true);
      ndata = typeof first === "number" ? 1 : first.length;
      const augmented = entry.augmentParams?.(fit.params, methodOptions, ndata);
      if (augmented) {
        const spent = adapter.nfev;
        fit = this.prepareFit(augmented);
        maxNfev = limitFor(fit);
        adapter = this.makeAdapter(fit, transform, reduce, maxNfev - spent);
        x0 = startOf(fit);
      }
      outcome = entry.run({
        fit,
        objective: adapter,
        x0,
        ndata,
        maxNfev,
        options: Object.freeze(methodOptions),
        userArgs: this.#userArgs(),
        memory: this.#memory,
      });
    } catch (e) {
      // A stop at any evaluation (the first included, or one a method did not guard) is a result.
      if (!(e instanceof AbortFitError)) throw e;
      outcome = {
        x: Number.isNaN(adapter.bestX[0] ?? NaN) ? x0 : Float64Array.from(adapter.bestX),
        success: false,
        status: -1,
        message: "",
        nit: 0,
        aborted: true,
        covariance: { kind: "none" },
      };
    }
    this.#maxNfevInForce = maxNfev;
    const result = this.#resultOf(entry, fit, adapter, outcome, ndata, maxNfev);
    result.maxNfev = maxNfev;
    const given = Object.entries(methodOptions).filter(([, v]) => v !== undefined);
    result.callKws = Object.freeze({
      ...entry.callDefaults,
      ...Object.fromEntries(given),
      maxNfev,
    });
    if (entry.label) result.method = entry.label(methodOptions);
    this.result = result;
    return result;
  }

  /** Turns a method's outcome into the result: values, statistics, covariance, propagation. */
  #resultOf(
    entry: MethodEntry,
    fit: FitContext,
    adapter: ObjectiveAdapter,
    out: MethodOutcome,
    m: number,
    maxNfev: number,
  ): MinimizerResult {
    const method = entry.name;
    const result = new MinimizerResult(fit.params, method);
    // The evaluation limit is hard: refused by the objective, or reached by a solver that
    // stopped on it itself without converging.
    const limitHit = adapter.stopReason === "maxNfev" ||
      (adapter.stopReason === null && !out.success && adapter.nfev >= maxNfev);
    const aborted = out.aborted || limitHit;
    const methodNfev = adapter.nfev;
    result.success = out.success && !aborted;
    result.aborted = aborted;
    result.ier = out.status;
    result.message = !aborted
      ? out.message
      : adapter.stopReason === "iterCb"
      ? "Fit aborted by user callback."
      : `Fit aborted: the limit of maxNfev = ${maxNfev} function evaluations was reached; raise maxNfev to let the fit go on.`;
    result.nit = out.nit;
    if (out.extras) Object.assign(result, out.extras);
    this.#finish(result, fit, adapter, out.x, m);
    // A method may report its own count (emcee: walkers × steps; brute: grid points).
    const nfev = aborted ? methodNfev : out.nfev ?? methodNfev;
    result.nfev = nfev;
    if (out.scalarStatistics && adapter.isScalar) {
      result.calculateStatistics(out.scalarStatistics);
    }
    if (aborted) return result;
    // Uncertainty evaluations after a finished fit are not limited and not counted in nfev, as
    // lmfit (its Hessian restores nfev); an aborted fit gets none.
    adapter.maxNfev = Infinity;
    this.#uncertainties(result, entry, fit, adapter, out, m);
    result.nfev = nfev;
    return result;
  }

  #uncertainties(
    result: MinimizerResult,
    entry: MethodEntry,
    fit: FitContext,
    adapter: ObjectiveAdapter,
    out: MethodOutcome,
    m: number,
  ): void {
    const method = entry.name;
    const cov = out.covariance;
    const none = `none: ${method} does not estimate uncertainties`;
    switch (cov.kind) {
      case "none":
        result.uncertaintyMethod = none;
        break;
      case "jacobian":
        if (cov.space === "internal") {
          if (cov.jac) this.#covarianceFromJacobian(result, fit, out.x, cov.jac, m, out.atBound);
          else result.message += " Could not estimate error-bars.";
        } else {
          result.uncertaintyMethod = none;
          if (cov.jac && this.options.calcCovar) {
            const n = fit.varNames.length;
            const jac = this.#dropOmitted(cov.jac, m, n);
            this.setCovariance(result, fit, covarianceFromJacobian(jac, m, n), "jacobian");
          }
        }
        break;
      case "hessian":
        if (!this.options.calcCovar) {
          // lmfit's report says the same when numdifftools is missing for its Hessian.
          result.uncertaintyMethod =
            "none: this fitting method does not natively calculate uncertainties, and calcCovar is false, so the numerical Hessian that estimates them (numdifftools' job in lmfit) was not computed: fit with calcCovar: true to get them";
        } else {this.#covarianceFromHessian(
            result,
            fit,
            adapter,
            out.x,
            m,
            entry.space === "internal",
          );}
        break;
      case "sample": {
        result.uncertaintyMethod = none;
        if (out.residualScale !== undefined) {
          for (let i = 0; i < result.residual.length; i++) {
            result.residual[i] /= out.residualScale;
          }
          result.calculateStatistics(false);
        }
        const n = fit.varNames.length;
        applyCovariance(fit.params, fit.varNames, cov.covar);
        fit.varNames.forEach((name, d) => {
          fit.params.get(name)!.stderr = cov.stderr[d];
        });
        result.covar = Array.from(
          { length: n },
          (_, i) => Array.from(cov.covar.subarray(i * n, i * n + n)),
        );
        result.errorbars = true;
        result.uncertaintyMethod = method;
        break;
      }
    }
  }

  /**
   * Uncertainties from a numerical Hessian H of the scalar objective in the internal variables
   * (central differences with Richardson extrapolation): covariance = 2·H⁻¹, mapped to user
   * space with the transform's derivative, as modern lmfit does with numdifftools.
   */
  #covarianceFromHessian(
    result: MinimizerResult,
    fit: FitContext,
    adapter: ObjectiveAdapter,
    x: Float64Array,
    m: number,
    internal: boolean,
  ): void {
    const xInt = internal ? Float64Array.from(x) : internalStart(fit, x);
    const n = xInt.length;
    // A parameter on a bound (where its transform is stationary) is held fixed there.
    const ext = externalValues(fit, xInt);
    const held = fit.varNames.filter((_, j) => onBound(fit, j, ext[j]));
    const free: number[] = [];
    for (let j = 0; j < n; j++) if (!held.includes(fit.varNames[j])) free.push(j);
    const nf = free.length;
    let H: Float64Array;
    try {
      const full = Float64Array.from(xInt);
      const f = (xs: Float64Array) => {
        for (let a = 0; a < nf; a++) full[free[a]] = xs[a];
        return internal ? adapter.scalar(full) : adapter.scalar(externalValues(fit, full));
      };
      H = nf > 0
        ? numericalHessian(f, Float64Array.from(free, (j) => xInt[j])).hessian
        : new Float64Array(0);
    } catch (e) {
      if (e instanceof AbortFitError) return;
      throw e;
    }
    const covInt = nf > 0 ? invertSpd(H, nf) : null;
    // The Hessian probes moved the parameters: restore the best point before propagating errors.
    this.#finish(result, fit, adapter, x, m);
    if (!covInt) {
      this.setCovariance(result, fit, null, "hessian");
      result.uncertaintyMethod =
        "none: the Hessian of chi-square at the solution is not positive definite";
      return;
    }
    const g = transformGradient(fit, xInt);
    const cov = new Float64Array(nf * nf);
    for (let a = 0; a < nf; a++) {
      for (let b = 0; b < nf; b++) {
        cov[a * nf + b] = 2 * covInt[a * nf + b] * g[free[a]] * g[free[b]];
      }
    }
    this.#applyWithHeld(result, fit, cov, free, held, ext, "hessian");
  }

  /** Builds the objective adapter for a context. */
  makeAdapter(
    ctx: FitContext,
    transform: boolean,
    reduce?: (r: Float64Array) => number,
    maxNfev?: number,
  ): ObjectiveAdapter {
    return new ObjectiveAdapter(this.userfcn, ctx, {
      args: this.options.fcnArgs ?? [],
      kws: this.options.fcnKws,
      nanPolicy: this.options.nanPolicy ?? "raise",
      iterCb: this.options.iterCb,
      transform,
      maxNfev,
    }, reduce);
  }

  /** Evaluates once to learn the residual length (counts as an evaluation). */
  residualLength(adapter: ObjectiveAdapter, x0: Float64Array): number {
    const r = adapter.evaluate(x0, true);
    if (typeof r === "number") {
      throw new TypeError(
        "the objective returned a scalar; leastsq needs the residual array (or use a scalar method such as 'nelder')",
      );
    }
    if (r.length === 0) throw new RangeError("the objective returned an empty residual array");
    return r.length;
  }

  /**
   * Sets the best values, final residual, statistics and bookkeeping on `result`.
   * `xBest` is the solver vector (internal when bounds transforms are used).
   */
  finishResult(
    result: MinimizerResult,
    ctx: FitContext,
    adapter: ObjectiveAdapter,
    xBest: Float64Array,
    m: number,
  ): void {
    this.#finish(result, ctx, adapter, xBest, m);
  }

  #finish(
    result: MinimizerResult,
    ctx: FitContext,
    adapter: ObjectiveAdapter,
    xBest: Float64Array,
    m: number,
  ): void {
    const ext = adapter.external(xBest);
    applyValues(ctx, ext);
    result.nfev = adapter.nfev;
    result.varNames = [...ctx.varNames];
    result.nvarys = ctx.varNames.length;
    result.initVals = [...ctx.initValues];
    result.initValues = {};
    for (const p of ctx.program.params) {
      if (p.initValue !== null) result.initValues[p.name] = p.initValue;
    }
    // Final residual at the best point (not counted as a solver evaluation, as in lmfit).
    const raw = this.userfcn(ctx.params, ...this.#userArgs());
    if (typeof raw === "number") {
      result.residual = Float64Array.of(raw);
      result.ndata = 1;
      result.calculateStatistics(true);
      return;
    }
    let r = Float64Array.from(raw);
    let finite = 0;
    for (let i = 0; i < r.length; i++) if (Number.isFinite(r[i])) finite++;
    this.#omitted = null;
    if (this.options.nanPolicy === "omit" && finite < r.length) {
      // Omitted points leave the residual, the statistics and the covariance entirely (lmfit).
      this.#omitted = r.map((v) => Number.isFinite(v) ? 0 : 1);
      r = r.filter((v) => Number.isFinite(v));
    }
    result.residual = r;
    result.ndata = this.options.nanPolicy === "omit" ? finite : (m || r.length);
    result.calculateStatistics(false);
    if (result.success && !Number.isFinite(result.chisqr)) {
      result.success = false;
      result.message = "The residual at the best point is not finite.";
    }
  }

  /** The user's arguments after `params`: `fcnArgs`, then `fcnKws` when given. */
  // deno-lint-ignore no-explicit-any
  #userArgs(): any[] {
    return this.options.fcnKws
      ? [...(this.options.fcnArgs ?? []), this.options.fcnKws]
      : [...(this.options.fcnArgs ?? [])];
  }

  /** Rows that nanPolicy "omit" left out at the best point (1), set by `#finish`. */
  #omitted: Float64Array | null = null;

  /** Zeroes the Jacobian rows (column-major m×n) of omitted points: they leave JᵀJ. */
  #dropOmitted(jac: Float64Array, m: number, n: number): Float64Array {
    const omitted = this.#omitted;
    if (!omitted || omitted.length !== m) return jac;
    const out = Float64Array.from(jac);
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < m; i++) if (omitted[i]) out[i + j * m] = 0;
    }
    return out;
  }

  #covarianceFromJacobian(
    result: MinimizerResult,
    ctx: FitContext,
    xBest: Float64Array,
    jacInternal: Float64Array,
    m: number,
    active?: readonly string[],
  ): void {
    const n = ctx.varNames.length;
    const grad = transformGradient(ctx, xBest);
    const ext = externalValues(ctx, xBest);
    const held = new Set(active ?? []);
    const atBound = ctx.varNames.filter((name, j) =>
      held.has(name) || ctx.bounded[j] &&
        (Math.abs(grad[j]) < 1e-10 * Math.max(1, Math.abs(ext[j])) || ext[j] === ctx.mins[j] ||
          ext[j] === ctx.maxs[j])
    );
    // The method's Jacobian is handed over to this step (leastsq: the solver's own buffer), so
    // it becomes the external-space one in place and is factored in place: no m×n copies.
    const jext = jacInternal;
    for (let j = 0; j < n; j++) {
      const g = grad[j];
      for (let i = 0; i < m; i++) jext[i + j * m] = jext[i + j * m] / g;
    }
    const omitted = this.#omitted; // their rows leave JᵀJ (as `#dropOmitted`, in place)
    if (omitted && omitted.length === m) {
      for (let j = 0; j < n; j++) {
        for (let i = 0; i < m; i++) if (omitted[i]) jext[i + j * m] = 0;
      }
    }
    if (atBound.length) {
      this.#covarianceWithHeld(result, ctx, jext, m, atBound, ext);
      return;
    }
    const pivot = { perm: null as Int32Array | null, rank: n };
    const cov = covarianceFromJacobianInPlace(jext, m, n, 1e-13, true, pivot);
    if (cov === null && result.success) {
      // A singular Jacobian away from bounds: some parameters no longer change the residual
      // (e.g. an exponential decayed to nothing). That is a stall, not a minimum. (The order
      // and rank of that factorization, or, where it was not factored, of `jext` as it is.)
      const { perm, rank } = pivot.perm
        ? { perm: pivot.perm, rank: pivot.rank }
        : qrPivot(jext, m, n, 1e-13);
      const dead = Array.from(perm.subarray(rank), (j) => ctx.varNames[j]);
      result.success = false;
      result.message = `Fit stalled where the Jacobian is singular: ${dead.join(", ")} ${
        dead.length > 1 ? "have" : "has"
      } (almost) no effect on the residual, so this is not a proper minimum. Try other starting values or bounds, or fix ${
        dead.length > 1 ? "those parameters" : "that parameter"
      }.`;
    }
    this.setCovariance(result, ctx, cov, "jacobian");
  }

  /**
   * Uncertainties with the parameters on a bound held fixed: their Jacobian columns are dropped,
   * the others' covariance comes from the rest; the held ones get `stderr: null`, a note in
   * `result.stderrNotes`, and zero rows and columns in `covar`.
   */
  #covarianceWithHeld(
    result: MinimizerResult,
    ctx: FitContext,
    jext: Float64Array,
    m: number,
    held: readonly string[],
    ext: Float64Array,
  ): void {
    const free: number[] = [];
    ctx.varNames.forEach((name, j) => {
      if (!held.includes(name)) free.push(j);
    });
    const nf = free.length;
    const sub = new Float64Array(m * nf);
    free.forEach((j, c) => sub.set(jext.subarray(j * m, j * m + m), c * m));
    const covFree = nf > 0 ? covarianceFromJacobian(sub, m, nf) : null;
    this.#applyWithHeld(result, ctx, covFree, free, held, ext, "jacobian");
  }

  /**
   * Applies the covariance of the `free` parameters (unscaled, nf×nf) with the `held` ones on a
   * bound: zero rows in `covar`, `stderr: null` and a note each in `result.stderrNotes`.
   */
  #applyWithHeld(
    result: MinimizerResult,
    ctx: FitContext,
    covFree: Float64Array | null,
    free: readonly number[],
    held: readonly string[],
    ext: Float64Array,
    how: string,
  ): void {
    const n = ctx.varNames.length;
    const nf = free.length;
    if (held.length === 0) {
      this.setCovariance(result, ctx, covFree, how);
      return;
    }
    result.stderrNotes = boundNotes(ctx, held, ext);
    if (!covFree) {
      this.setCovariance(result, ctx, null, how, [...held]);
      return;
    }
    const cov = new Float64Array(n * n);
    for (let a = 0; a < nf; a++) {
      for (let b = 0; b < nf; b++) cov[free[a] * n + free[b]] = covFree[a * nf + b];
    }
    this.setCovariance(result, ctx, cov, how);
    for (const name of held) {
      const p = ctx.params.get(name)!;
      p.stderr = null;
      p.correl = null;
    }
    for (const j of free) {
      const correl = ctx.params.get(ctx.varNames[j])!.correl;
      if (correl) { for (const name of held) delete correl[name]; }
    }
    result.errorbars = free.every((j) => {
      const sd = ctx.params.get(ctx.varNames[j])!.stderr;
      return sd !== null && sd > 0 && Number.isFinite(sd);
    });
    result.uncertaintyMethod = `${how}, with ${held.join(", ")} held fixed at a bound`;
  }

  /**
   * Applies an unscaled covariance `(JᵀJ)⁻¹` (row-major n×n, user space) to the result:
   * scaled by `redchi` unless `scaleCovar: false`, then `stderr`/`correl` and propagation.
   */
  setCovariance(
    result: MinimizerResult,
    ctx: FitContext,
    cov: Float64Array | null,
    how: string,
    atBound?: string[],
  ): void {
    const n = ctx.varNames.length;
    let ok = cov !== null;
    if (cov) { for (let i = 0; i < cov.length; i++) if (!Number.isFinite(cov[i])) ok = false; }
    if (!ok || !cov) {
      result.errorbars = false;
      result.covar = null;
      const why = atBound?.length
        ? ` (parameter${atBound.length > 1 ? "s" : ""} ${atBound.join(", ")} at a bound)`
        : "";
      result.uncertaintyMethod = `none: covariance could not be estimated${why}`;
      if (!result.message.includes("Could not estimate error-bars")) {
        result.message += ` Could not estimate error-bars${why}.`;
      }
      return;
    }
    const scale = this.options.scaleCovar ? result.redchi : 1;
    const covar = new Float64Array(n * n);
    for (let i = 0; i < n * n; i++) covar[i] = cov[i] * scale;
    result.covar = Array.from(
      { length: n },
      (_, i) => Array.from(covar.subarray(i * n, i * n + n)),
    );
    result.errorbars = applyCovariance(ctx.params, ctx.varNames, covar);
    result.uncertaintyMethod = how;
  }
}

/** Whether varied parameter `j` sits on one of its bounds (to rounding). */
function onBound(ctx: FitContext, j: number, v: number): boolean {
  const near = (b: number) =>
    Number.isFinite(b) && Math.abs(v - b) <= 1e-9 * Math.max(1, Math.abs(b));
  return near(ctx.mins[j]) || near(ctx.maxs[j]);
}

/** The `stderrNotes` of parameters held on a bound. */
function boundNotes(
  ctx: FitContext,
  held: readonly string[],
  ext: Float64Array,
): Record<string, string> {
  const notes: Record<string, string> = {};
  for (const name of held) {
    const j = ctx.varNames.indexOf(name);
    const lower = Math.abs(ext[j] - ctx.mins[j]) <= Math.abs(ext[j] - ctx.maxs[j]);
    notes[name] = `at bound: the ${lower ? "lower" : "upper"} bound ${
      lower ? ctx.mins[j] : ctx.maxs[j]
    } is active, so ${name} has no standard error; the others' are computed with ${name} held fixed there`;
  }
  return notes;
}

/** Rejects a method that needs finite bounds before any evaluation, naming the parameter. */
function requireFiniteBounds(ctx: FitContext, method: string): void {
  for (let k = 0; k < ctx.varNames.length; k++) {
    if (!Number.isFinite(ctx.mins[k]) || !Number.isFinite(ctx.maxs[k])) {
      throw new RangeError(
        `${method} needs finite bounds for every varied parameter; '${ctx.varNames[k]}' has [${
          ctx.mins[k]
        }, ${ctx.maxs[k]}]`,
      );
    }
  }
}

/** The scalar reduction of the residual for methods that use `reduceFcn` (undefined: sum of squares). */
function reduceFor(
  rf: MinimizerOptions["reduceFcn"],
): ((r: Float64Array) => number) | undefined {
  if (!rf || rf === "sum") return undefined;
  if (typeof rf === "function") return rf;
  if (rf === "negentropy") {
    return (r) => {
      let s = 0;
      for (let i = 0; i < r.length; i++) {
        const rho = Math.exp((-r[i] * r[i]) / 2) / Math.sqrt(2 * Math.PI);
        s += rho * Math.log(rho);
      }
      return s;
    };
  }
  if (rf === "neglogcauchy") {
    return (r) => {
      let s = 0;
      for (let i = 0; i < r.length; i++) s -= Math.log(1 / (Math.PI * (1 + r[i] * r[i])));
      return s;
    };
  }
  throw new RangeError(
    `reduceFcn must be "sum", "negentropy", "neglogcauchy" or a function, got "${rf}"`,
  );
}

/**
 * Options of `minimize` besides the method's own: `method`, and the Minimizer's options under
 * lmfit's short names (`args`, `kws`).
 *
 * @example
 * ```ts
 * import type { MinimizeBaseOptions } from "../../mod.ts";
 * const base: MinimizeBaseOptions = { args: [[0, 1], [1, 3]], nanPolicy: "omit", maxNfev: 100 };
 * ```
 *
 * @category Fitting
 */
export interface MinimizeBaseOptions extends Omit<MinimizerOptions, "fcnArgs" | "fcnKws"> {
  /** Positional arguments for the objective. */
  // deno-lint-ignore no-explicit-any
  args?: readonly any[];
  /** Keyword-style arguments for the objective (passed as one final argument). */
  // deno-lint-ignore no-explicit-any
  kws?: Record<string, any>;
}

/** The keys of `MinimizeOptions` besides a method's own. */
const MINIMIZE_KEYS: readonly string[] = [
  "method",
  ...optionKeys<MinimizeBaseOptions>({
    args: true,
    kws: true,
    iterCb: true,
    scaleCovar: true,
    nanPolicy: true,
    maxNfev: true,
    reduceFcn: true,
    calcCovar: true,
  }),
];

/**
 * Options of `minimize`: `method`, the Minimizer's options under lmfit's short names, plus the
 * method's own options, flat (typed per method: `MethodOptionsMap`). An unknown or misspelt key
 * fails `deno check` for a method named by a literal, and is a `TypeError` at run time naming
 * the closest valid key (lmfit's snake_case names are rejected with their camelCase spelling).
 *
 * @example
 * ```ts
 * import { minimize, type MinimizeOptions, Parameters } from "../../mod.ts";
 * const x = [0, 1, 2, 3], y = [1, 3, 5, 7];
 * const params = new Parameters();
 * params.addMany(["m", 1], ["c", 0, true, 0, 0.5]);
 * const residual = (p: Parameters, xs: number[], ys: number[]) =>
 *   xs.map((v, i) => p.get("m")!.value * v + p.get("c")!.value - ys[i]);
 * // `method`, the Minimizer's options and (flat) method options such as `gtol`:
 * const options: MinimizeOptions<"lbfgsb"> = { method: "lbfgsb", args: [x, y], maxNfev: 500, gtol: 1e-8 };
 * const result = await minimize(residual, params, options);
 * result.params.get("c")!.value; // ≈ 0.5: on its upper bound
 * ```
 *
 * @category Fitting
 */
export type MinimizeOptions<M extends string = string> =
  & MinimizeBaseOptions
  & { /** Fitting method. @default "leastsq" */ method?: M }
  & Omit<OptionsOfMethod<M>, "params">;

/**
 * Fits `params` to minimise `fcn` and returns the result; the input `params` is not mutated.
 * Async.
 *
 * @example
 * ```ts
 * import { minimize, Parameters } from "../../mod.ts";
 * const x = Float64Array.from({ length: 100 }, (_, i) => i / 10);
 * const data = x.map((v) => 5 * Math.sin(2 * v + 0.3));
 * const params = new Parameters();
 * params.add("amp", { value: 4 });
 * params.add("omega", { value: 2.1 });
 * params.add("shift", { value: 0, min: -Math.PI / 2, max: Math.PI / 2 });
 * const residual = (p: Parameters, x: Float64Array, data: Float64Array) => {
 *   const { amp, omega, shift } = p.valuesdict();
 *   return x.map((v, i) => amp * Math.sin(v * omega + shift) - data[i]);
 * };
 * const result = await minimize(residual, params, { args: [x, data] });
 * result.params.get("omega")!.value; // ≈ 2
 * ```
 *
 * @category Fitting
 */
// deno-lint-ignore require-await
export async function minimize<M extends string = "leastsq">(
  fcn: ObjectiveFunction,
  params: Parameters,
  options: MinimizeOptions<M> = {} as MinimizeOptions<M>,
): Promise<MinimizerResult> {
  const method: string = options.method ?? "leastsq";
  const entry = findMethod(method);
  if (entry) {
    // Every key at once, so a misspelt Minimizer option is matched against all valid names.
    checkOptions(
      options,
      [
        ...MINIMIZE_KEYS,
        ...entry.optionKeys,
        ...COMMON_METHOD_OPTIONS.filter((k) => k !== "params"),
      ],
      "minimize",
    );
  }
  const {
    method: _method,
    args,
    kws,
    iterCb,
    scaleCovar,
    nanPolicy,
    maxNfev,
    reduceFcn,
    calcCovar,
    ...rest
  } = options as MinimizeBaseOptions & { method?: string } & Record<string, unknown>;
  const fitter = new Minimizer(fcn, params, {
    fcnArgs: args,
    fcnKws: kws,
    iterCb,
    scaleCovar,
    nanPolicy,
    maxNfev,
    reduceFcn,
    calcCovar,
  });
  return fitter.minimize(method, rest);
}
