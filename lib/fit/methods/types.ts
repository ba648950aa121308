/**
 * The one signature every fitting method has. A method is a `MethodEntry` in the registry
 * (`registry.ts`): what it is called, what it accepts, which space its solver works in, and
 * `run`, a `MethodAdapter` that takes a prepared `MethodContext` and returns a `MethodOutcome`.
 *
 * The `Minimizer` owns everything around `run`: it prepares the fit (varied parameters, bounds),
 * builds the objective adapter in the entry's space, evaluates once at the start to learn the
 * residual length, resolves the evaluation limit, calls `run`, and alone turns the outcome into a
 * `MinimizerResult` (values, statistics, covariance, propagation to constrained parameters).
 * An adapter never sees the Minimizer and never builds a result.
 *
 * @module
 */

import type { FitContext, ObjectiveAdapter } from "../objective.ts";
import type { Parameters } from "../../parameters.ts";

/**
 * How lmfit budgets a method's evaluations: `local` methods 2000·(nvarys+1) by default,
 * `global` methods (and brute) 200000·(nvarys+1); `sampling` (emcee) runs a fixed number of steps.
 *
 * @example
 * ```ts
 * import { findMethod } from "./registry.ts";
 * import type { MethodKind } from "./types.ts";
 * const kind: MethodKind = findMethod("shgo")!.kind; // "global"
 * ```
 *
 * @category Fitting
 */
export type MethodKind = "local" | "global" | "sampling";

/**
 * Where a solver's vectors live: `internal` (MINUIT bounds transforms: unbounded variables) or
 * `external` (the parameters' own values, bounds passed to the solver or ignored).
 *
 * @example
 * ```ts
 * import { findMethod } from "./registry.ts";
 * import type { MethodSpace } from "./types.ts";
 * const space: MethodSpace = findMethod("nelder")!.space; // "internal"
 * findMethod("lbfgsb")!.space; // "external": L-BFGS-B handles bounds itself
 * ```
 *
 * @category Fitting
 */
export type MethodSpace = "internal" | "external";

/**
 * What the Minimizer gives a method: the prepared fit and an objective ready for a solver.
 *
 * @example
 * ```ts
 * import { Parameters } from "../../../mod.ts";
 * import { ObjectiveAdapter, prepareContext } from "../objective.ts";
 * import { findMethod } from "./registry.ts";
 * import type { MethodContext } from "./types.ts";
 * const params = new Parameters();
 * params.add("a", { value: 0 });
 * const fit = prepareContext(params);
 * const objective = new ObjectiveAdapter((p) => [p.get("a")!.value - 3], fit, {
 *   args: [], nanPolicy: "raise", transform: true,
 * });
 * const ctx: MethodContext = {
 *   fit, objective, x0: Float64Array.of(0), ndata: 1, maxNfev: 400, options: {}, userArgs: [],
 * };
 * const outcome = findMethod("powell")!.run(ctx);
 * outcome.x[0]; // ≈ 3 (internal = external here: no bounds)
 * ```
 *
 * @category Fitting
 */
export interface MethodContext {
  /** The fit: varied names, their bounds and start values, the fitted copy of the parameters. */
  readonly fit: FitContext;
  /**
   * The objective for solver vectors in the entry's `space`: `residual(x, out)` and `scalar(x)`
   * (reduced by `reduceFcn` when the entry has `usesReduceFcn`). It counts evaluations, tracks
   * the best point and runs `iterCb`, throwing `AbortFitError` when the callback asks to stop or
   * the evaluation limit `maxNfev` is reached.
   */
  readonly objective: ObjectiveAdapter;
  /** Starting vector in the entry's space (a fresh copy the method may keep). */
  readonly x0: Float64Array;
  /**
   * Residual length, from one (counted) evaluation at `x0` made by the Minimizer; 1 for a
   * scalar objective (then `objective.isScalar` is true).
   */
  readonly ndata: number;
  /**
   * Evaluation limit: the method option `maxNfev`, else the Minimizer's, else the entry's
   * `maxNfevPerParam`·(nvarys+1). A hard limit: the objective refuses any evaluation beyond it
   * (throwing `AbortFitError("maxNfev")`); a solver given it as its own budget stops gracefully.
   */
  readonly maxNfev: number | undefined;
  /** The method's options as given (flat, lmfit's `**kws`), without `params` and `maxNfev`. */
  // deno-lint-ignore no-explicit-any
  readonly options: Readonly<Record<string, any>>;
  /** The user's extra arguments after `params` (`fcnArgs`, then `fcnKws` if given), for callbacks such as `Dfun`. */
  readonly userArgs: readonly unknown[];
  /**
   * State a method keeps between runs on the same Minimizer, by key (emcee's sampler, continued
   * by `reuseSampler` as lmfit's `Minimizer.sampler`); absent outside a Minimizer.
   */
  readonly memory?: Map<string, unknown>;
}

/**
 * Where the Minimizer takes the covariance from, after a method:
 * - `none`: the method estimates no uncertainties (brute);
 * - `hessian`: a numerical Hessian of the scalar objective at `x`, taken by the Minimizer in
 *   internal variables (skipped when `calcCovar` is false);
 * - `jacobian`: the residual Jacobian at `x`, column-major `m×n`, in the entry's space:
 *   `internal` (leastsq: mapped to user space, checked for parameters at a bound and for a
 *   singular Jacobian) or `external` (least_squares); `null` when none is available. An
 *   `internal` one is handed over: the Minimizer reuses (overwrites) its buffer;
 * - `sample`: an unscaled covariance (row-major `n×n`) and standard errors from a sample (emcee).
 *
 * @example
 * ```ts
 * import type { CovarianceSource } from "./types.ts";
 * const fromHessian: CovarianceSource = { kind: "hessian" };
 * const fromJacobian: CovarianceSource = { kind: "jacobian", space: "external", jac: Float64Array.of(1, 2, 3) };
 * ```
 *
 * @category Fitting
 */
export type CovarianceSource =
  | { readonly kind: "none" }
  | { readonly kind: "hessian" }
  | {
    readonly kind: "jacobian";
    readonly space: MethodSpace;
    readonly jac: Float64Array | null;
  }
  | { readonly kind: "sample"; readonly covar: Float64Array; readonly stderr: Float64Array };

/**
 * What a method returns: a solver-level answer. The Minimizer turns it into a `MinimizerResult`.
 *
 * @example
 * ```ts
 * import type { MethodOutcome } from "./types.ts";
 * const outcome: MethodOutcome = {
 *   x: Float64Array.of(1.5), success: true, status: 0, message: "Optimization terminated successfully.",
 *   nit: 12, aborted: false, covariance: { kind: "hessian" },
 * };
 * ```
 *
 * @category Fitting
 */
export interface MethodOutcome {
  /** Best vector, in the entry's space. */
  readonly x: Float64Array;
  /** Whether the solver's own convergence test passed. */
  readonly success: boolean;
  /** Solver status code (becomes `result.ier`). */
  readonly status: number;
  /** Why the solver stopped (becomes `result.message` unless aborted). */
  readonly message: string;
  /** Iterations, where the solver counts them. */
  readonly nit: number;
  /** Whether `iterCb` stopped the fit. */
  readonly aborted: boolean;
  /** Where the covariance comes from. */
  readonly covariance: CovarianceSource;
  /**
   * Divide the final residual by this before the statistics (emcee's sampled noise level, so the
   * statistics are those of the weighted residual, as lmfit reports them).
   */
  readonly residualScale?: number;
  /** Method-specific fields copied onto the result (`lmdifMessage`, brute's `candidates`, emcee's `chain`, ...). */
  readonly extras?: Readonly<Record<string, unknown>>;
  /**
   * Evaluations as lmfit reports them, when it counts otherwise than the objective's calls
   * (brute: the grid points; emcee: walkers · steps). @default the objective's count
   */
  readonly nfev?: number;
  /**
   * What a scalar objective's value is, for the statistics (emcee's `floatBehavior`): a
   * chi-square, or a log-posterior (then chisqr = exp(−2·value), as lmfit). By default a scalar
   * is a one-element residual: chisqr = value², nfree = 1 − nvarys (lmfit).
   */
  readonly scalarStatistics?: "chi2" | "posterior";
  /**
   * Varied parameters that the method found on an active bound (leastsq): they get no standard
   * error, and the others' are computed with them held fixed.
   */
  readonly atBound?: readonly string[];
}

/**
 * The one signature of every method: a prepared context in, a solver-level outcome out.
 *
 * @example
 * ```ts
 * import type { MethodAdapter } from "./types.ts";
 * // A do-nothing method: returns the start as the answer.
 * const stay: MethodAdapter = (ctx) => ({
 *   x: ctx.x0, success: true, status: 0, message: "stayed", nit: 0, aborted: false,
 *   covariance: { kind: "none" },
 * });
 * ```
 *
 * @category Fitting
 */
export type MethodAdapter = (ctx: MethodContext) => MethodOutcome;

/**
 * A method in the registry: its names, its budget kind, the options it accepts, how the
 * Minimizer must prepare its context, and its adapter.
 *
 * @example
 * ```ts
 * import { findMethod } from "./registry.ts";
 * import type { MethodEntry } from "./types.ts";
 * const entry: MethodEntry = findMethod("L-BFGS-B")!;
 * [entry.name, entry.kind, entry.optionKeys.includes("gtol")]; // ["lbfgsb", "local", true]
 * ```
 *
 * @category Fitting
 */
export interface MethodEntry {
  /** Canonical name (lmfit's), as in `METHODS` and `result.method`. */
  readonly name: string;
  /** Other spellings accepted (lower case; matching is case-insensitive). */
  readonly aliases: readonly string[];
  /** Budget kind, as lmfit's default `maxNfev` distinguishes them. */
  readonly kind: MethodKind;
  /**
   * Method option keys the adapter reads. Every method also accepts `params` (start from other
   * parameters) and `maxNfev` (see `COMMON_METHOD_OPTIONS`).
   */
  readonly optionKeys: readonly string[];
  /** The space of the solver's vectors (and of `x0`, `x` and an `internal`/`external` Jacobian). */
  readonly space: MethodSpace;
  /** The scalar objective is reduced by the Minimizer's `reduceFcn` (else: sum of squares). */
  readonly usesReduceFcn: boolean;
  /**
   * Start parameters sitting exactly on a bound a little inside, where the sine transform's
   * gradient vanishes (gradient methods, `internal` space only).
   */
  readonly gradientSafeStart: boolean;
  /** Every varied parameter needs finite `min` and `max` (checked before any evaluation). */
  readonly needsFiniteBounds: boolean;
  /**
   * Default evaluation limit per (nvarys+1), lmfit 1.1.0's: 2000 for local methods, 200000 for
   * global ones, brute and emcee; `null` counts as 2000.
   */
  readonly maxNfevPerParam: number | null;
  /**
   * Parameters to fit instead of the prepared ones, decided after the first evaluation (emcee
   * adds `__lnsigma` for unweighted residuals); `null` keeps them. The Minimizer re-prepares
   * the fit and the objective (no further evaluation).
   */
  readonly augmentParams?: (
    params: Parameters,
    // deno-lint-ignore no-explicit-any
    options: Readonly<Record<string, any>>,
    ndata: number,
  ) => Parameters | null;
  /** The adapter. */
  readonly run: MethodAdapter;
  /**
   * Every option of the method with the value it runs with when not given, as lmfit's
   * `call_kws` lists them (`null`: the solver's own default, as lmfit's `None`); `result.callKws`
   * is these overlaid with the options given. Built from the solver's defaults object (e.g.
   * `LEVENBERG_MARQUARDT_DEFAULTS`) in lmfit's names, so each value is written once; only the
   * options the method layer applies itself are written in the entry. @default {} (only the
   * options given)
   */
  readonly callDefaults?: Readonly<Record<string, unknown>>;
  /**
   * `result.method` when it says more than `name`, from the options given (ampgo: `"ampgo, with
   * L-BFGS-B as local solver"`, as lmfit). @default the name
   */
  readonly label?: (options: Readonly<Record<string, unknown>>) => string;
}
