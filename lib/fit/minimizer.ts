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
import { covarianceFromJacobian } from "../linalg/covariance.ts";
import { numericalHessian } from "../linalg/hessian.ts";
import { invertSpd } from "../linalg/spd_inverse.ts";
import { qrPivot } from "../linalg/qr.ts";
import { applyCovariance } from "./uncertainty.ts";
import type { SymbolTable } from "../symtable.ts";
import { findMethod, METHOD_REGISTRY, SCALAR_METHODS } from "./methods/registry.ts";
import type { MethodEntry, MethodOutcome } from "./methods/types.ts";
import { gradientSafeStart } from "./methods/_common.ts";

export type { IterationCallbackFn, NanPolicy, ObjectiveFunction } from "./objective.ts";

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
  /** Maximum number of objective evaluations. @default per method, as lmfit (leastsq: 2000·(nvarys+1)) */
  maxNfev?: number;
  /**
   * How an array returned by the objective is reduced to a scalar for scalar methods:
   * sum of squares (default), "negentropy", "neglogcauchy", or a function.
   */
  reduceFcn?: "sum" | "negentropy" | "neglogcauchy" | ((r: Float64Array) => number);
  /** Estimate uncertainties after scalar methods (numerical Hessian). @default true */
  calcCovar?: boolean;
}

/**
 * Options of `Minimizer.leastsq` (MINPACK lmdif): tolerances, difference step, user Jacobian.
 *
 * @example
 * ```ts
 * import { type LeastsqOptions, Minimizer, Parameters } from "../../mod.ts";
 * const x = [0, 1, 2, 3], y = [1, 3, 5, 7.5];
 * const params = new Parameters();
 * params.addMany(["m", 1], ["c", 0]);
 * const fitter = new Minimizer((p) => x.map((v, i) => p.get("m")!.value * v + p.get("c")!.value - y[i]), params);
 * // Analytic Jacobian, one row per residual: [∂r/∂m, ∂r/∂c].
 * const options: LeastsqOptions = { Dfun: () => x.map((v) => [v, 1]), ftol: 1e-10 };
 * const result = await fitter.leastsq(options);
 * result.params.valuesdict(); // ≈ { m: 2.15, c: 0.9 }
 * ```
 */
export interface LeastsqOptions {
  /** Relative reduction of chi-square tolerance. @default 1e-13 (tighter than lmfit's 1.5e-8: see levenberg_marquardt.ts) */
  ftol?: number;
  /** Relative step-size tolerance. @default 1e-13 */
  xtol?: number;
  /** Orthogonality (gradient) tolerance. @default 0 */
  gtol?: number;
  /** Forward-difference step: `sqrt(epsfcn)·|x|`. @default machine epsilon */
  epsfcn?: number;
  /** Initial trust-region bound factor. @default 100 */
  factor?: number;
  /**
   * After convergence, restart from the solution with central-difference Jacobians until the
   * tests pass again (difference Jacobians only). `{ ftol: 1.5e-8, xtol: 1.5e-8, polish: false }`
   * is lmfit's and MINPACK's `leastsq`. @default true
   */
  polish?: boolean;
  /**
   * Analytic Jacobian of the residuals with respect to the varied parameters (in `varNames`
   * order), as rows per residual (`m×n`), or per parameter (`n×m`) when `colDeriv` is true.
   */
  // deno-lint-ignore no-explicit-any
  Dfun?: (params: Parameters, ...args: any[]) => ArrayLike<ArrayLike<number>>;
  /** `Dfun` returns one row per parameter. @default false */
  colDeriv?: boolean;
  /** Maximum objective evaluations (overrides the Minimizer's). */
  maxNfev?: number;
}

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
    const nanPolicy = options.nanPolicy ?? "raise";
    if (!["raise", "propagate", "omit"].includes(nanPolicy)) {
      throw new RangeError(`nanPolicy must be "raise", "propagate" or "omit", got "${nanPolicy}"`);
    }
    if (options.maxNfev !== undefined && !(options.maxNfev > 0)) {
      throw new RangeError(`maxNfev must be a positive number, got ${options.maxNfev}`);
    }
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
   * @param method one of `METHODS`.
   * @param options method-specific options (flat, as lmfit's `**kws`), plus `params` to start from.
   */
  // deno-lint-ignore require-await
  async minimize(
    method = "leastsq",
    // deno-lint-ignore no-explicit-any
    options: Record<string, any> & { params?: Parameters } = {},
  ): Promise<MinimizerResult> {
    return this.minimizeSync(method, options);
  }

  /** Synchronous form of `minimize` (used internally by confidence intervals). */
  minimizeSync(
    method = "leastsq",
    // deno-lint-ignore no-explicit-any
    options: Record<string, any> & { params?: Parameters } = {},
  ): MinimizerResult {
    const entry = findMethod(method);
    if (!entry) {
      throw new RangeError(
        `unknown fitting method '${method}'; choose one of: ${METHODS.join(", ")}`,
      );
    }
    return this.#run(entry, options);
  }

  /**
   * Levenberg-Marquardt (MINPACK lmdif) least squares, the default method. Async.
   */
  // deno-lint-ignore require-await
  async leastsq(options: LeastsqOptions & { params?: Parameters } = {}): Promise<MinimizerResult> {
    return this.leastsqSync(options);
  }

  /**
   * Scalar minimisation by name (`nelder`, `lbfgsb`, `powell`, ...): the objective's residual
   * array is reduced to a scalar (sum of squares by default). Async.
   */
  // deno-lint-ignore require-await
  async scalarMinimize(
    method = "nelder",
    // deno-lint-ignore no-explicit-any
    options: Record<string, any> & { params?: Parameters } = {},
  ): Promise<MinimizerResult> {
    return this.scalarMinimizeSync(method, options);
  }

  /** Synchronous form of `scalarMinimize`. */
  scalarMinimizeSync(
    method = "nelder",
    // deno-lint-ignore no-explicit-any
    options: Record<string, any> & { params?: Parameters } = {},
  ): MinimizerResult {
    const entry = findMethod(method);
    if (!entry || !(entry.name in SCALAR_METHODS)) {
      throw new RangeError(
        `'${method}' is not a scalar method; choose one of: ${
          Object.keys(SCALAR_METHODS).join(", ")
        }`,
      );
    }
    return this.#run(entry, options);
  }

  /** Synchronous form of `leastsq`. */
  leastsqSync(options: LeastsqOptions & { params?: Parameters } = {}): MinimizerResult {
    return this.#run(findMethod("leastsq")!, options);
  }

  /**
   * One fit with one registry entry: prepares the context the entry asks for, runs its adapter
   * and turns the outcome into the result. The only place a `MinimizerResult` is made.
   */
  #run(
    entry: MethodEntry,
    // deno-lint-ignore no-explicit-any
    options: Record<string, any> & { params?: Parameters },
  ): MinimizerResult {
    const { params: start, maxNfev: methodMaxNfev, ...methodOptions } = options;
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
    let adapter = this.makeAdapter(fit, transform, reduce);
    let x0 = startOf(fit);
    // The first evaluation fixes the residual length (and counts, as any evaluation).
    const first = adapter.evaluate(x0, true);
    const ndata = typeof first === "number" ? 1 : first.length;
    const augmented = entry.augmentParams?.(fit.params, methodOptions, ndata);
    if (augmented) {
      fit = this.prepareFit(augmented);
      adapter = this.makeAdapter(fit, transform, reduce);
      x0 = startOf(fit);
    }
    const n = fit.varNames.length;
    const perParam = entry.maxNfevPerParam;
    const outcome = entry.run({
      fit,
      objective: adapter,
      x0,
      ndata,
      maxNfev: methodMaxNfev ?? this.options.maxNfev ??
        (perParam === null ? undefined : perParam * (n + 1)),
      options: Object.freeze(methodOptions),
      userArgs: this.#userArgs(),
      memory: this.#memory,
    });
    const result = this.#resultOf(entry, fit, adapter, outcome, ndata);
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
  ): MinimizerResult {
    const method = entry.name;
    const result = new MinimizerResult(fit.params, method);
    result.success = out.success && !out.aborted;
    result.aborted = out.aborted;
    result.ier = out.status;
    result.message = out.aborted ? "Fit aborted by user callback." : out.message;
    result.nit = out.nit;
    if (out.extras) Object.assign(result, out.extras);
    this.#finish(result, fit, adapter, out.x, m);
    result.nfev = out.nfev ?? adapter.nfev;
    if (out.scalarStatistics && adapter.isScalar) {
      result.calculateStatistics(out.scalarStatistics);
    }
    if (out.aborted) return result;
    const cov = out.covariance;
    const none = `none: ${method} does not estimate uncertainties`;
    switch (cov.kind) {
      case "none":
        result.uncertaintyMethod = none;
        break;
      case "jacobian":
        if (cov.space === "internal") {
          if (cov.jac) this.#covarianceFromJacobian(result, fit, out.x, cov.jac, m);
          else result.message += " Could not estimate error-bars.";
        } else {
          result.uncertaintyMethod = none;
          if (cov.jac && this.options.calcCovar) {
            const n = fit.varNames.length;
            this.setCovariance(result, fit, covarianceFromJacobian(cov.jac, m, n), "jacobian");
          }
        }
        break;
      case "hessian":
        if (!this.options.calcCovar) result.uncertaintyMethod = "none: calcCovar is false";
        else {this.#covarianceFromHessian(
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
    return result;
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
    let H: Float64Array;
    try {
      const f = internal
        ? (xi: Float64Array) => adapter.scalar(xi)
        : (xi: Float64Array) => adapter.scalar(externalValues(fit, xi));
      H = numericalHessian(f, xInt).hessian;
    } catch (e) {
      if (e instanceof AbortFitError) return;
      throw e;
    }
    const covInt = invertSpd(H, n);
    // The Hessian probes moved the parameters: restore the best point before propagating errors.
    this.#finish(result, fit, adapter, x, m);
    result.nfev = adapter.nfev;
    if (!covInt) {
      this.setCovariance(result, fit, null, "hessian");
      result.uncertaintyMethod =
        "none: the Hessian of chi-square at the solution is not positive definite";
      return;
    }
    const g = transformGradient(fit, xInt);
    const cov = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) cov[i * n + j] = 2 * covInt[i * n + j] * g[i] * g[j];
    }
    this.setCovariance(result, fit, cov, "hessian");
  }

  /** Builds the objective adapter for a context. */
  makeAdapter(
    ctx: FitContext,
    transform: boolean,
    reduce?: (r: Float64Array) => number,
  ): ObjectiveAdapter {
    return new ObjectiveAdapter(this.userfcn, ctx, {
      args: this.options.fcnArgs ?? [],
      kws: this.options.fcnKws,
      nanPolicy: this.options.nanPolicy ?? "raise",
      iterCb: this.options.iterCb,
      transform,
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
    const r = Float64Array.from(raw);
    let finite = 0;
    for (let i = 0; i < r.length; i++) {
      if (Number.isFinite(r[i])) finite++;
      else if (this.options.nanPolicy === "omit") r[i] = 0;
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

  #covarianceFromJacobian(
    result: MinimizerResult,
    ctx: FitContext,
    xBest: Float64Array,
    jacInternal: Float64Array,
    m: number,
  ): void {
    const n = ctx.varNames.length;
    const grad = transformGradient(ctx, xBest);
    const ext = externalValues(ctx, xBest);
    const atBound = ctx.varNames.filter((_, j) =>
      ctx.bounded[j] &&
      (Math.abs(grad[j]) < 1e-10 * Math.max(1, Math.abs(ext[j])) || ext[j] === ctx.mins[j] ||
        ext[j] === ctx.maxs[j])
    );
    if (atBound.length) {
      this.setCovariance(result, ctx, null, "jacobian", atBound);
      return;
    }
    const jext = new Float64Array(m * n);
    for (let j = 0; j < n; j++) {
      const g = grad[j];
      for (let i = 0; i < m; i++) jext[i + j * m] = jacInternal[i + j * m] / g;
    }
    const cov = covarianceFromJacobian(jext, m, n);
    if (cov === null && result.success) {
      // A singular Jacobian away from bounds: some parameters no longer change the residual
      // (e.g. an exponential decayed to nothing). That is a stall, not a minimum.
      const { perm, rank } = qrPivot(jext, m, n, 1e-13);
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
 * Options of `minimize`: the Minimizer's options under lmfit's short names, plus method options.
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
 * const options = { method: "lbfgsb", args: [x, y], maxNfev: 500, gtol: 1e-8 } satisfies MinimizeOptions;
 * const result = await minimize(residual, params, options);
 * result.params.get("c")!.value; // ≈ 0.5: on its upper bound
 * ```
 */
export interface MinimizeOptions extends Omit<MinimizerOptions, "fcnArgs" | "fcnKws"> {
  /** Fitting method. @default "leastsq" */
  method?: string;
  /** Positional arguments for the objective. */
  // deno-lint-ignore no-explicit-any
  args?: readonly any[];
  /** Keyword-style arguments for the objective (passed as one final argument). */
  // deno-lint-ignore no-explicit-any
  kws?: Record<string, any>;
  /** Method-specific options, flat (e.g. `ftol`, `steps`, `Ns`, `seed`). */
  // deno-lint-ignore no-explicit-any
  [methodOption: string]: any;
}

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
 */
export function minimize(
  fcn: ObjectiveFunction,
  params: Parameters,
  options: MinimizeOptions = {},
): Promise<MinimizerResult> {
  const {
    method = "leastsq",
    args,
    kws,
    iterCb,
    scaleCovar,
    nanPolicy,
    maxNfev,
    reduceFcn,
    calcCovar,
    ...rest
  } = options;
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
