/**
 * Each method's options, one interface per method, and the map from method name to it
 * (`MethodOptionsMap`), so that `minimize(f, p, { method: "nelder", maxiter: 5 })` type-checks
 * and a misspelt option fails `deno check`. At run time the registry's `optionKeys` are checked
 * (`lib/util/options.ts`); each entry builds them with `methodKeys<ItsOptions>({...})`, so the
 * compiler keeps the type and the run-time list identical.
 *
 * @module
 */

import type { Parameters } from "../../parameters.ts";
import type { AmpgoOptions, AmpgoSearchOption } from "../../solvers/ampgo.ts";
import type { ShgoSamplingMethod } from "../../solvers/shgo.ts";
import type { LeastSquaresLoss } from "../../solvers/least_squares.ts";

/**
 * Analytic gradient of the scalar objective (what the method minimises: the sum of squares of
 * the residual, the `reduceFcn` value or the scalar returned) with respect to the varied
 * parameters, in `result.varNames` order. As lmfit's `Dfun`/`jac` for scalar methods.
 *
 * @example
 * ```ts
 * import type { ScalarGradientFunction } from "./options.ts";
 * // objective (a - 3)² + (b + 1)²
 * const Dfun: ScalarGradientFunction = (p) => [2 * (p.get("a")!.value - 3), 2 * (p.get("b")!.value + 1)];
 * ```
 *
 * @category Fitting
 */
// deno-lint-ignore no-explicit-any
export type ScalarGradientFunction = (params: Parameters, ...args: any[]) => ArrayLike<number>;

/**
 * Analytic Jacobian of the residuals with respect to the varied parameters (in `varNames`
 * order), one row per residual.
 *
 * @example
 * ```ts
 * import type { ResidualJacobianFunction } from "./options.ts";
 * const x = [0, 1, 2];
 * // residual m·x + c − y
 * const jac: ResidualJacobianFunction = () => x.map((v) => [v, 1]);
 * ```
 *
 * @category Fitting
 */
export type ResidualJacobianFunction = (
  params: Parameters,
  // deno-lint-ignore no-explicit-any
  ...args: any[]
) => ArrayLike<ArrayLike<number>>;

/**
 * The local minimiser a global method runs (basinhopping's and shgo's `minimizerKwargs`, as
 * scipy's `minimizer_kwargs`): a method name (`nelder`, `lbfgsb`, `powell`, `tnc`, `slsqp`,
 * `cobyla`, `bfgs`, `cg`, or scipy's spellings such as `"L-BFGS-B"`) and its options.
 *
 * @example
 * ```ts
 * import type { MinimizerKwargs } from "./options.ts";
 * const kw: MinimizerKwargs = { method: "L-BFGS-B", options: { gtol: 1e-8 } };
 * ```
 *
 * @category Fitting
 */
export interface MinimizerKwargs {
  /** Local method. @default "nelder" (a bounded Nelder-Mead) */
  method?: string;
  /** Its options (e.g. `gtol`, `ftol`, `xatol`, `maxiter`, `maxfev`). */
  options?: Record<string, unknown>;
}

/**
 * Options every method accepts: `params` (start from other parameters) and `maxNfev` (the
 * evaluation limit of this fit, a hard limit).
 *
 * @example
 * ```ts
 * import type { CommonMethodOptions } from "./options.ts";
 * const o: CommonMethodOptions = { maxNfev: 100 };
 * ```
 *
 * @category Fitting
 */
export interface CommonMethodOptions {
  /** Start from these parameters instead of the Minimizer's. */
  params?: Parameters;
  /** Evaluation limit for this fit (overrides the Minimizer's). */
  maxNfev?: number;
}

/**
 * Options of `leastsq` (MINPACK lmdif): tolerances, difference step, user Jacobian.
 *
 * @example
 * ```ts
 * import { type LeastsqOptions, Minimizer, Parameters } from "../../../mod.ts";
 * const x = [0, 1, 2, 3], y = [1, 3, 5, 7.5];
 * const params = new Parameters();
 * params.addMany(["m", 1], ["c", 0]);
 * const fitter = new Minimizer((p) => x.map((v, i) => p.get("m")!.value * v + p.get("c")!.value - y[i]), params);
 * // Analytic Jacobian, one row per residual: [∂r/∂m, ∂r/∂c].
 * const options: LeastsqOptions = { Dfun: () => x.map((v) => [v, 1]), ftol: 1e-10 };
 * const result = await fitter.leastsq(options);
 * result.params.valuesdict(); // ≈ { m: 2.15, c: 0.9 }
 * ```
 *
 * @category Fitting
 */
export interface LeastsqOptions extends CommonMethodOptions {
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
  Dfun?: ResidualJacobianFunction;
  /** `Dfun` returns one row per parameter. @default false */
  colDeriv?: boolean;
}

/**
 * Options of `nelder` (Nelder-Mead simplex), besides `params` and `maxNfev`.
 *
 * @example
 * ```ts
 * import type { NelderMethodOptions } from "./options.ts";
 * const options: NelderMethodOptions = { xatol: 1e-10, maxiter: 500 };
 * ```
 *
 * @category Fitting
 */
export interface NelderMethodOptions extends CommonMethodOptions {
  /** Absolute tolerance on the simplex size. */
  xatol?: number;
  /** Tolerance on the spread of the simplex values. */
  fatol?: number;
  /** Maximum iterations (the evaluation limit is `maxNfev`). */
  maxiter?: number;
  /** Gao-Han dimension-dependent coefficients instead of scipy's standard ones. @default false */
  adaptive?: boolean;
}

/**
 * Options of `powell` (Powell's conjugate directions), besides `params` and `maxNfev`.
 *
 * @example
 * ```ts
 * import type { PowellMethodOptions } from "./options.ts";
 * const options: PowellMethodOptions = { ftol: 1e-12 };
 * ```
 *
 * @category Fitting
 */
export interface PowellMethodOptions extends CommonMethodOptions {
  /** Relative tolerance on the decrease per iteration. */
  ftol?: number;
  /** Line-search tolerance. */
  xtol?: number;
  /** Maximum iterations. */
  maxiter?: number;
}

/**
 * Options of `bfgs` (BFGS quasi-Newton), besides `params` and `maxNfev`.
 *
 * @example
 * ```ts
 * import type { BfgsMethodOptions } from "./options.ts";
 * const options: BfgsMethodOptions = { gtol: 1e-8 };
 * ```
 *
 * @category Fitting
 */
export interface BfgsMethodOptions extends CommonMethodOptions {
  /** Gradient-norm tolerance. */
  gtol?: number;
  /** Maximum iterations. */
  maxiter?: number;
  /** Analytic gradient of the scalar objective. */
  Dfun?: ScalarGradientFunction;
}

/**
 * Options of `cg` (nonlinear conjugate gradient), besides `params` and `maxNfev`.
 *
 * @example
 * ```ts
 * import type { CgMethodOptions } from "./options.ts";
 * const options: CgMethodOptions = { gtol: 1e-8 };
 * ```
 *
 * @category Fitting
 */
export interface CgMethodOptions extends CommonMethodOptions {
  /** Gradient-norm tolerance. */
  gtol?: number;
  /** Maximum iterations. */
  maxiter?: number;
  /** Analytic gradient of the scalar objective. */
  Dfun?: ScalarGradientFunction;
}

/**
 * Options of `newton` (Newton-CG), besides `params` and `maxNfev`.
 *
 * @example
 * ```ts
 * import type { NewtonMethodOptions } from "./options.ts";
 * const options: NewtonMethodOptions = { gtol: 1e-8 };
 * ```
 *
 * @category Fitting
 */
export interface NewtonMethodOptions extends CommonMethodOptions {
  /** Gradient tolerance. */
  gtol?: number;
  /** Maximum iterations. */
  maxiter?: number;
  /** Analytic gradient of the scalar objective. */
  Dfun?: ScalarGradientFunction;
}

/**
 * Options of `lbfgsb` (L-BFGS-B), besides `params` and `maxNfev`.
 *
 * @example
 * ```ts
 * import type { LbfgsbMethodOptions } from "./options.ts";
 * const options: LbfgsbMethodOptions = { m: 10, gtol: 1e-8 };
 * ```
 *
 * @category Fitting
 */
export interface LbfgsbMethodOptions extends CommonMethodOptions {
  /** Number of corrections kept. */
  m?: number;
  /** Relative reduction tolerance. */
  ftol?: number;
  /** Projected-gradient tolerance. */
  gtol?: number;
  /** Maximum iterations. */
  maxiter?: number;
  /** Analytic gradient of the scalar objective. */
  Dfun?: ScalarGradientFunction;
}

/**
 * Options of `tnc` (truncated Newton), besides `params` and `maxNfev`.
 *
 * @example
 * ```ts
 * import type { TncMethodOptions } from "./options.ts";
 * const options: TncMethodOptions = { pgtol: 1e-8 };
 * ```
 *
 * @category Fitting
 */
export interface TncMethodOptions extends CommonMethodOptions {
  /** Function-value tolerance. */
  ftol?: number;
  /** Step tolerance. */
  xtol?: number;
  /** Projected-gradient tolerance. */
  pgtol?: number;
  /** Maximum iterations. */
  maxiter?: number;
  /** Analytic gradient of the scalar objective. */
  Dfun?: ScalarGradientFunction;
}

/**
 * Options of `slsqp` (SLSQP), besides `params` and `maxNfev`.
 *
 * @example
 * ```ts
 * import type { SlsqpMethodOptions } from "./options.ts";
 * const options: SlsqpMethodOptions = { ftol: 1e-10 };
 * ```
 *
 * @category Fitting
 */
export interface SlsqpMethodOptions extends CommonMethodOptions {
  /** Function-value tolerance. */
  ftol?: number;
  /** Maximum iterations. */
  maxiter?: number;
  /** Analytic gradient of the scalar objective. */
  Dfun?: ScalarGradientFunction;
}

/**
 * Options of `cobyla` (COBYLA), besides `params` and `maxNfev`.
 *
 * @example
 * ```ts
 * import type { CobylaMethodOptions } from "./options.ts";
 * const options: CobylaMethodOptions = { rhoend: 1e-8 };
 * ```
 *
 * @category Fitting
 */
export interface CobylaMethodOptions extends CommonMethodOptions {
  /** Initial trust-region radius. */
  rhobeg?: number;
  /** Final trust-region radius. */
  rhoend?: number;
}

/**
 * Options of `trust-constr` (trust-region constrained), besides `params` and `maxNfev`.
 *
 * @example
 * ```ts
 * import type { TrustConstrMethodOptions } from "./options.ts";
 * const options: TrustConstrMethodOptions = { gtol: 1e-8 };
 * ```
 *
 * @category Fitting
 */
export interface TrustConstrMethodOptions extends CommonMethodOptions {
  /** Gradient tolerance. */
  gtol?: number;
  /** Step tolerance. */
  xtol?: number;
  /** Maximum iterations. */
  maxiter?: number;
  /** Analytic gradient of the scalar objective. */
  Dfun?: ScalarGradientFunction;
}

/**
 * Options of `basinhopping` (basin-hopping), besides `params` and `maxNfev`.
 *
 * @example
 * ```ts
 * import type { BasinhoppingMethodOptions } from "./options.ts";
 * const options: BasinhoppingMethodOptions = { niter: 50, seed: 7, minimizerKwargs: { method: "lbfgsb", options: { gtol: 1e-8 } } };
 * ```
 *
 * @category Fitting
 */
export interface BasinhoppingMethodOptions extends CommonMethodOptions {
  /** Basin-hopping iterations. */
  niter?: number;
  /** Metropolis temperature. */
  T?: number;
  /** Initial random step size. */
  stepsize?: number;
  /** Iterations between step-size updates. */
  interval?: number;
  /** Stop after this many iterations without a new best. */
  niterSuccess?: number;
  /** Random seed. */
  seed?: number;
  /** Local minimiser of each hop and its options. */
  minimizerKwargs?: MinimizerKwargs;
  /** Acceptance rate the step size is adjusted towards every `interval` hops. @default 0.5 */
  targetAcceptRate?: number;
  /** Factor the step size is multiplied or divided by at each adjustment. @default 0.9 */
  stepwiseFactor?: number;
}

/**
 * Options of `differential_evolution` (differential evolution), besides `params` and `maxNfev`.
 *
 * @example
 * ```ts
 * import type { DifferentialEvolutionMethodOptions } from "./options.ts";
 * const options: DifferentialEvolutionMethodOptions = { seed: 1, popsize: 20 };
 * ```
 *
 * @category Fitting
 */
export interface DifferentialEvolutionMethodOptions extends CommonMethodOptions {
  /** Random seed. */
  seed?: number;
  /** Population size multiplier. */
  popsize?: number;
  /** Relative convergence tolerance. */
  tol?: number;
  /** Maximum generations. */
  maxiter?: number;
  /** Polish the best member with a local search. */
  polish?: boolean;
}

/**
 * Options of `dual_annealing` (dual annealing (also `anneal`)), besides `params` and `maxNfev`.
 *
 * @example
 * ```ts
 * import type { DualAnnealingMethodOptions } from "./options.ts";
 * const options: DualAnnealingMethodOptions = { seed: 3, maxiter: 500 };
 * ```
 *
 * @category Fitting
 */
export interface DualAnnealingMethodOptions extends CommonMethodOptions {
  /** Random seed. */
  seed?: number;
  /** Maximum global iterations. */
  maxiter?: number;
  /** Initial temperature. */
  initialTemp?: number;
  /** Reannealing temperature ratio. */
  restartTempRatio?: number;
  /** Visiting distribution parameter. */
  visit?: number;
  /** Acceptance distribution parameter. */
  accept?: number;
  /** Skip the local searches. */
  noLocalSearch?: boolean;
  /** Also polish record lows found far from the best point. @default true */
  recordSearch?: boolean;
  /** Start point (else a random point in the box, as lmfit). */
  x0?: ArrayLike<number>;
  /** Local search after improvements and its options (scipy's `minimizer_kwargs`). @default L-BFGS-B */
  minimizerKwargs?: MinimizerKwargs;
}

/**
 * Options of `ampgo` (AMPGO), besides `params` and `maxNfev`.
 *
 * @example
 * ```ts
 * import type { AmpgoMethodOptions } from "./options.ts";
 * const options: AmpgoMethodOptions = { local: "lbfgsb", localOpts: { gtol: 1e-8 }, totaliter: 10 };
 * ```
 *
 * @category Fitting
 */
export interface AmpgoMethodOptions
  extends CommonMethodOptions, Pick<AmpgoOptions, AmpgoSearchOption | "seed"> {
  /** Local method: `lbfgsb`, `nelder`, `powell`, `tnc`, `slsqp` (or scipy's spellings).  @default "nelder" */
  local?: string;
  /**
   * Options of the local method, in its own or scipy's names (`maxiter`, `disp`, `xatol`,
   * `maxfun`, ...: the mapping is the table in `_local_minimizer.ts`). @default the local
   * method's defaults, with `disp` as ampgo's
   */
  localOpts?: Record<string, unknown>;
  /** Evaluation budget of the algorithm itself, checked after each local search and tunnelling phase as lmfit's: a graceful stop, unlike the hard `maxNfev`. */
  maxfunevals?: number;
}

/**
 * Options of `shgo` (SHGO), besides `params` and `maxNfev`.
 *
 * @example
 * ```ts
 * import type { ShgoMethodOptions } from "./options.ts";
 * const options: ShgoMethodOptions = { n: 64, minimizerKwargs: { method: "slsqp" } };
 * ```
 *
 * @category Fitting
 */
export interface ShgoMethodOptions extends CommonMethodOptions {
  /** Sampling points. */
  n?: number;
  /** Sampling iterations. */
  iters?: number;
  /** Sampling. */
  samplingMethod?: ShgoSamplingMethod;
  /** Local minimiser and its options. */
  minimizerKwargs?: MinimizerKwargs;
  /**
   * scipy's shgo `options` dict, as far as honoured: `disp` prints progress with `console.log`
   * (`Splitting first generation`, each local minimisation). Other keys are errors.
   */
  options?: { disp?: boolean };
}

/**
 * Options of `least_squares` (trust-region reflective least squares), besides `params` and `maxNfev`.
 *
 * @example
 * ```ts
 * import type { LeastSquaresMethodOptions } from "./options.ts";
 * const options: LeastSquaresMethodOptions = { loss: "soft_l1", fScale: 0.5 };
 * ```
 *
 * @category Fitting
 */
export interface LeastSquaresMethodOptions extends CommonMethodOptions {
  /** Robust loss. */
  loss?: LeastSquaresLoss;
  /** Soft margin of the robust loss. */
  fScale?: number;
  /** Variable scales. */
  xScale?: "jac" | Float64Array;
  /** Cost tolerance. */
  ftol?: number;
  /** Step tolerance. */
  xtol?: number;
  /** Gradient tolerance. */
  gtol?: number;
  /** Analytic Jacobian of the residuals (rows per residual), or finite differences. */
  jac?: ResidualJacobianFunction | "2-point";
  /**
   * Progress with `console.log`, as scipy's `verbose`: 1 the stop message and a summary line
   * (`... initial cost ..., final cost ...`), 2 also a row per iteration. @default 0
   */
  verbose?: 0 | 1 | 2;
}

/**
 * Options of `brute` (grid search), besides `params` and `maxNfev`.
 *
 * @example
 * ```ts
 * import type { BruteMethodOptions } from "./options.ts";
 * const options: BruteMethodOptions = { Ns: 30, keep: 10 };
 * ```
 *
 * @category Fitting
 */
export interface BruteMethodOptions extends CommonMethodOptions {
  /** Grid points per axis. */
  Ns?: number;
  /** Best candidates kept (`result.candidates`), or `"all"`: every grid point. @default 50 */
  keep?: number | "all";
}

/**
 * Options of `emcee` (ensemble MCMC), besides `params` and `maxNfev`.
 *
 * @example
 * ```ts
 * import type { EmceeMethodOptions } from "./options.ts";
 * const options: EmceeMethodOptions = { nwalkers: 50, steps: 500, seed: 1 };
 * ```
 *
 * @category Fitting
 */
export interface EmceeMethodOptions extends CommonMethodOptions {
  /** The residual is weighted by the data uncertainties. */
  isWeighted?: boolean;
  /** Walkers. */
  nwalkers?: number;
  /** Steps per walker. */
  steps?: number;
  /** Steps discarded. */
  burn?: number;
  /** Keep every `thin`-th step. */
  thin?: number;
  /** Random seed. */
  seed?: number;
  /** A scalar returned by the objective is a log-posterior (lmfit's default) or a chi-square. @default "posterior" */
  floatBehavior?: "posterior" | "chi2";
  /** Initial walker positions: rows (nwalkers × nvarys), flat, or a previous chain (its last step). */
  pos?: ArrayLike<number> | ArrayLike<ArrayLike<number>> | ArrayLike<ArrayLike<ArrayLike<number>>>;
  /** Continue the last emcee run of the same Minimizer. @default false */
  reuseSampler?: boolean;
}

/**
 * Method name (canonical or alias, as `minimize` accepts them) → that method's options.
 *
 * @example
 * ```ts
 * import type { MethodOptionsMap } from "./options.ts";
 * const o: MethodOptionsMap["nelder"] = { maxiter: 5 };
 * ```
 *
 * @category Fitting
 */
export interface MethodOptionsMap {
  /** `leastsq` */
  "leastsq": LeastsqOptions;
  /** `nelder` */
  "nelder": NelderMethodOptions;
  /** `nelder` */
  "nelder-mead": NelderMethodOptions;
  /** `powell` */
  "powell": PowellMethodOptions;
  /** `bfgs` */
  "bfgs": BfgsMethodOptions;
  /** `cg` */
  "cg": CgMethodOptions;
  /** `newton` */
  "newton": NewtonMethodOptions;
  /** `newton` */
  "newton-cg": NewtonMethodOptions;
  /** `lbfgsb` */
  "lbfgsb": LbfgsbMethodOptions;
  /** `lbfgsb` */
  "l-bfgs-b": LbfgsbMethodOptions;
  /** `lbfgsb` */
  "l-bfgsb": LbfgsbMethodOptions;
  /** `lbfgsb` */
  "lbfgs": LbfgsbMethodOptions;
  /** `tnc` */
  "tnc": TncMethodOptions;
  /** `slsqp` */
  "slsqp": SlsqpMethodOptions;
  /** `cobyla` */
  "cobyla": CobylaMethodOptions;
  /** `trust-constr` */
  "trust-constr": TrustConstrMethodOptions;
  /** `trust-constr` */
  "trust_constr": TrustConstrMethodOptions;
  /** `basinhopping` */
  "basinhopping": BasinhoppingMethodOptions;
  /** `differential_evolution` */
  "differential_evolution": DifferentialEvolutionMethodOptions;
  /** `differential_evolution` */
  "differential-evolution": DifferentialEvolutionMethodOptions;
  /** `dual_annealing` */
  "dual_annealing": DualAnnealingMethodOptions;
  /** `dual_annealing` */
  "dual-annealing": DualAnnealingMethodOptions;
  /** `ampgo` */
  "ampgo": AmpgoMethodOptions;
  /** `shgo` */
  "shgo": ShgoMethodOptions;
  /** `least_squares` */
  "least_squares": LeastSquaresMethodOptions;
  /** `least_squares` */
  "least-squares": LeastSquaresMethodOptions;
  /** `brute` */
  "brute": BruteMethodOptions;
  /** `emcee` */
  "emcee": EmceeMethodOptions;
  /** `dual_annealing` under the seeds' name */
  "anneal": DualAnnealingMethodOptions;
}

/**
 * A method name with typed options (`keyof MethodOptionsMap`).
 *
 * @example
 * ```ts
 * import type { MethodName } from "./options.ts";
 * const m: MethodName = "L-BFGS-B" as "l-bfgs-b";
 * ```
 *
 * @category Fitting
 */
export type MethodName = keyof MethodOptionsMap;

/**
 * The options of a method `M`: its own interface for a known name, else (a name only known at
 * run time, a `string`) the union of every method's keys, still checked at run time.
 *
 * @example
 * ```ts
 * import type { OptionsOfMethod } from "./options.ts";
 * const a: OptionsOfMethod<"brute"> = { Ns: 10 };
 * const b: OptionsOfMethod<string> = { Ns: 10, gtol: 1e-8 };
 * ```
 *
 * @category Fitting
 */
export type OptionsOfMethod<M extends string> = M extends MethodName ? MethodOptionsMap[M]
  : AnyMethodOptions;

/**
 * Every method's option keys, each with the union of its types: the options of a method whose
 * name is only known at run time (where the registry's keys are checked).
 *
 * @example
 * ```ts
 * import type { AnyMethodOptions } from "./options.ts";
 * const o: AnyMethodOptions = { Ns: 10, gtol: 1e-8 };
 * ```
 *
 * @category Fitting
 */
export type AnyMethodOptions = {
  [
    K in keyof (
      (MethodOptionsMap[MethodName] extends infer U ? U extends unknown ? (k: U) => void : never
        : never) extends (k: infer I) => void ? I
        : never
    )
  ]?: MethodOptionsMap[MethodName] extends infer U
    ? U extends unknown ? K extends keyof U ? U[K] : never : never
    : never;
};

/**
 * A method's option keys as a run-time list (its registry entry's `optionKeys`), checked against
 * its options interface by the compiler: the record must name every key of `T` except the common
 * ones (`params`, `maxNfev`), and nothing else, so the type and the run-time check cannot drift.
 *
 * @param keys `{ key: true, ... }` with every method-specific key of `T`.
 * @returns The keys.
 * @example
 * ```ts
 * import { methodKeys, type CobylaMethodOptions } from "./options.ts";
 * methodKeys<CobylaMethodOptions>({ rhobeg: true, rhoend: true }); // ["rhobeg", "rhoend"]
 * ```
 */
export function methodKeys<T extends CommonMethodOptions>(
  keys: { readonly [K in Exclude<keyof Required<T>, keyof CommonMethodOptions>]: true },
): readonly string[] {
  return Object.freeze(Object.keys(keys));
}
