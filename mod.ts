/**
 * lmfit-ts: non-linear least-squares minimization and curve fitting with named, bounded and
 * constrained parameters, for Deno. A TypeScript port of Python's lmfit with the same numbers,
 * plus analytic Jacobians from model expressions and WebGPU-batched fitting.
 *
 * This entry point (`@lmfit-ts/lmfit`) has everything but plotting and loads no plotting library;
 * pictures come from `@lmfit-ts/lmfit/plot` (`plot.ts`) and the command line is
 * `@lmfit-ts/lmfit/cli` (`cli.ts`). The symbols are grouped by category:
 *
 * ## Parameters
 *
 * {@linkcode Parameters} and {@linkcode Parameter}: values with bounds, a vary flag or a constraint
 * expression (`expr: "amp / 2"`), kept current as values change; `valuesdict()`, `addMany`,
 * `dumps`/`loads`, user symbols for expressions ({@linkcode SymbolTable}).
 *
 * ## Fitting
 *
 * {@linkcode minimize} and {@linkcode Minimizer} with lmfit's methods (`leastsq` by default, then
 * `least_squares`, `nelder`, `lbfgsb`, `powell`, `cg`, `bfgs`, `newton`, `tnc`, `cobyla`, `slsqp`,
 * `trust-constr`, `differential_evolution`, `brute`, `basinhopping`, `dual_annealing`, `ampgo`,
 * `shgo`, `emcee`); the result is a {@linkcode MinimizerResult} with lmfit's statistics, covariance
 * and standard errors, printed by {@linkcode fitReport}. The input parameters are never mutated.
 *
 * ## Models and lineshapes
 *
 * {@linkcode Model} from a function (`(x, amp, cen, wid) => ...`), {@linkcode ExpressionModel}
 * from a formula with an analytic Jacobian, lmfit's built-in models ({@linkcode GaussianModel},
 * {@linkcode VoigtModel}, … with `guess()`), composites with `add`/`sub`/`mul`/`div`, and a
 * {@linkcode ModelResult} with `bestFit`, `evalComponents`, `evalUncertainty`. `lineshapes` holds
 * the plain functions on `Float64Array`, `guesses` the start-value guesses.
 *
 * ## Confidence intervals
 *
 * {@linkcode confInterval} (profile likelihood, as lmfit's `conf_interval`),
 * {@linkcode confInterval2d} and {@linkcode ciReport}.
 *
 * ## Batch and GPU
 *
 * {@linkcode fitBatch} fits thousands of datasets of one model at once on the GPU (WebGPU, run
 * with `--unstable-webgpu`) or across CPU workers with the same algorithm; {@linkcode fitLarge}
 * fits one huge dataset.
 *
 * ## Below the fitting layer
 *
 * The solvers on plain `Float64Array` functions (Solvers), the linear algebra they use (Linear
 * algebra), special functions and distributions (Special functions), the expression language
 * (Expressions: parse, compile, differentiate).
 *
 * ## Input/output and notebooks
 *
 * {@linkcode readCsv}/{@linkcode readCsvFile} read columns of a CSV file; models and results save
 * to JSON ({@linkcode saveModelResult}). In Deno's Jupyter kernel, `Parameters`, results and
 * confidence intervals display as lmfit's HTML tables, and a `ModelResult` with an inline SVG
 * plot ({@linkcode JUPYTER_DISPLAY}).
 *
 * @example Fit a decaying sine with a residual function
 * ```ts
 * import { fitReport, minimize, Parameters } from "./mod.ts";
 *
 * const x = Float64Array.from({ length: 200 }, (_, i) => i * 0.1);
 * const data = x.map((v) => 5 * Math.sin(2 * v + 0.3) * Math.exp(-v * v * 0.01));
 * const params = new Parameters();
 * params.add("amp", { value: 10, min: 0 });
 * params.add("decay", { value: 0.02 });
 * params.add("shift", { value: 0.0, min: -Math.PI / 2, max: Math.PI / 2 });
 * params.add("omega", { value: 2.1 });
 * const residual = (p: Parameters, x: Float64Array, data: Float64Array) => {
 *   const { amp, decay, shift, omega } = p.valuesdict();
 *   return x.map((v, i) => amp * Math.sin(v * omega + shift) * Math.exp(-v * v * decay) - data[i]);
 * };
 * const result = await minimize(residual, params, { args: [x, data] });
 * console.log(fitReport(result));
 * ```
 *
 * @example Fit a built-in model with guessed start values
 * ```ts
 * import { GaussianModel } from "./mod.ts";
 *
 * const x = Float64Array.from({ length: 101 }, (_, i) => -5 + i / 10);
 * const y = x.map((v) => 3 * Math.exp(-((v - 0.4) ** 2) / 2));
 * const model = new GaussianModel();
 * const result = await model.fit(y, model.guess(y, { x }), { x });
 * console.log(result.fitReport());
 * result.params.get("center")!.value; // ≈ 0.4
 * ```
 *
 * @module
 */

export {
  Parameter,
  ParameterError,
  type ParameterOptions,
  Parameters,
  type ParametersTableOptions,
  type ParameterTuple,
  type PrettyPrintOptions,
  type PrettyReprOptions,
  type TableColumn,
} from "./lib/parameters.ts";
export { SymbolTable, type SymbolValue, type UserFunction } from "./lib/symtable.ts";
export {
  type IterationCallbackFn,
  type LeastsqOptions,
  METHODS,
  minimize,
  type MinimizeBaseOptions,
  type MinimizeOptions,
  Minimizer,
  type MinimizerOptions,
  type NanPolicy,
  type ObjectiveFunction,
} from "./lib/fit/minimizer.ts";
export { MinimizerResult } from "./lib/fit/result.ts";
export type {
  AmpgoMethodOptions,
  AnyMethodOptions,
  BasinhoppingMethodOptions,
  BfgsMethodOptions,
  BruteMethodOptions,
  CgMethodOptions,
  CobylaMethodOptions,
  CommonMethodOptions,
  DifferentialEvolutionMethodOptions,
  DualAnnealingMethodOptions,
  EmceeMethodOptions,
  LbfgsbMethodOptions,
  LeastSquaresMethodOptions,
  MethodName,
  MethodOptionsMap,
  MinimizerKwargs,
  NelderMethodOptions,
  NewtonMethodOptions,
  OptionsOfMethod,
  PowellMethodOptions,
  ResidualJacobianFunction,
  ScalarGradientFunction,
  ShgoMethodOptions,
  SlsqpMethodOptions,
  TncMethodOptions,
  TrustConstrMethodOptions,
} from "./lib/fit/methods/options.ts";
export {
  fitReport,
  type FitReportOptions,
  gformat,
  type ReportableResult,
  reportFit,
} from "./lib/fit/report.ts";
export {
  type AlphanumericKey,
  alphanumericSort,
  compareAlphanumeric,
  compareKeys,
  getfloatAttr,
} from "./lib/fit/printfuncs.ts";
export * from "./lib/expr/mod.ts";
export { Random } from "./lib/util/random.ts";
export {
  type CiLevel,
  ciReport,
  type CiReportOptions,
  type CiTrace,
  confInterval,
  confInterval2d,
  type ConfInterval2dOptions,
  type ConfInterval2dResult,
  type ConfIntervalOptions,
  type ConfIntervalResult,
  copyVals,
  fCompare,
  type FitStatistics,
  type ProbFunc,
  reportCi,
  restoreVals,
  type SavedValues,
} from "./lib/confidence.ts";
export {
  BaseModel,
  CompositeModel,
  type GuessVars,
  type IndependentVars,
  Model,
  type ModelFitOptions,
  type ModelFunction,
  type ModelJacobian,
  type ModelOperator,
  type ModelOperatorFunction,
  type ModelOptions,
  type ParamHint,
} from "./lib/model/model.ts";
export {
  type EvalUncertaintyOptions,
  type FitOptionsOf,
  ModelResult,
  type ModelResultFitOptions,
  type ModelResultInit,
} from "./lib/model/model_result.ts";
export type { FittedComponent, FittedModel } from "./lib/model/fitted_model.ts";
export {
  type BatchModelSpec,
  ExpressionModel,
  type ExpressionModelOptions,
} from "./lib/model/expression_model.ts";
export {
  BreitWignerModel,
  BUILTIN_MODELS,
  BuiltinModel,
  type BuiltinModelOptions,
  ConstantModel,
  DampedHarmonicOscillatorModel,
  DampedOscillatorModel,
  DoniachModel,
  ExponentialGaussianModel,
  ExponentialModel,
  Gaussian2dModel,
  GaussianModel,
  guessFromPeak,
  LinearModel,
  LognormalModel,
  LorentzianModel,
  MoffatModel,
  PeakModel,
  Pearson4Model,
  Pearson7Model,
  PolynomialModel,
  PowerLawModel,
  PseudoVoigtModel,
  QuadraticModel,
  RectangleModel,
  ShapedPeakModel,
  SineModel,
  SkewedGaussianModel,
  SkewedVoigtModel,
  SplitLorentzianModel,
  type StepForm,
  StepModel,
  StudentsTModel,
  ThermalDistributionModel,
  type ThermalForm,
  VoigtModel,
} from "./lib/model/models.ts";
export { modelFromSpec } from "./lib/model/model_spec.ts";
export { splev, splineKnots, SplineModel, type SplineModelOptions } from "./lib/model/spline.ts";
export {
  CsvError,
  type CsvGap,
  type CsvNanPolicy,
  type CsvTable,
  readCsv,
  readCsvFile,
  type ReadCsvOptions,
  selectColumns,
} from "./lib/io/csv.ts";
export { erf, erfc, erfcx } from "./lib/special/erf.ts";
export { beta, digamma, gamma } from "./lib/special/gamma.ts";
export { faddeeva, wofzIm, wofzRe } from "./lib/special/faddeeva.ts";
export {
  betainc,
  chi2Cdf,
  fCdf,
  gammainc,
  gammaincc,
  lgamma,
  normalCdf,
  normalPpf,
  studentTCdf,
  studentTPpf,
} from "./lib/special/distributions.ts";
export {
  levenbergMarquardt,
  type LevenbergMarquardtOptions,
  type LevenbergMarquardtResult,
} from "./lib/solvers/levenberg_marquardt.ts";
export type * from "./lib/solvers/types.ts";
export type { ConstraintProgram } from "./lib/parameters.ts";
export {
  AbortFitError,
  type FitContext,
  ObjectiveAdapter,
  type StopReason,
} from "./lib/fit/objective.ts";
export {
  describeModel,
  loadModel,
  type LoadModelOptions,
  loadModelResult,
  type ModelDescription,
  modelFromDescription,
  saveModel,
  saveModelResult,
} from "./lib/model/serialize.ts";
export {
  canonicalMethod,
  COMMON_METHOD_OPTIONS,
  type CovarianceSource,
  findMethod,
  METHOD_ALIASES,
  METHOD_REGISTRY,
  type MethodAdapter,
  type MethodContext,
  type MethodEntry,
  type MethodKind,
  type MethodOutcome,
  type MethodRunner,
  type MethodSpace,
  SCALAR_METHODS,
} from "./lib/fit/methods/registry.ts";
export { nelderMead, type NelderMeadOptions } from "./lib/solvers/nelder_mead.ts";
export { powell, type PowellOptions } from "./lib/solvers/powell.ts";
export {
  bfgs,
  type BfgsOptions,
  type BfgsResult,
  type GradientSolverOptions,
} from "./lib/solvers/bfgs.ts";
export {
  conjugateGradient,
  type ConjugateGradientOptions,
} from "./lib/solvers/conjugate_gradient.ts";
export {
  type HessianVectorProduct,
  newtonCG,
  type NewtonCGOptions,
} from "./lib/solvers/newton_cg.ts";
export type { FiniteDiffMethod } from "./lib/solvers/_finite_diff.ts";
export {
  brute,
  type BruteAxis,
  bruteAxis,
  type BruteCandidate,
  type BruteFinish,
  type BruteOptions,
  type BruteRange,
  type BruteResult,
} from "./lib/solvers/brute.ts";
export {
  differentialEvolution,
  type DifferentialEvolutionOptions,
  type DifferentialEvolutionPolish,
  type DifferentialEvolutionResult,
  type DifferentialEvolutionStrategy,
} from "./lib/solvers/differential_evolution.ts";
export {
  basinhopping,
  type BasinhoppingOptions,
  type BasinhoppingResult,
  type LocalMinimizer,
} from "./lib/solvers/basinhopping.ts";
export { dualAnnealing, type DualAnnealingOptions } from "./lib/solvers/dual_annealing.ts";
export {
  ampgo,
  type AmpgoOptions,
  type AmpgoResult,
  type AmpgoSearchOption,
  tunnel,
} from "./lib/solvers/ampgo.ts";
export {
  shgo,
  type ShgoOptions,
  type ShgoResult,
  type ShgoSamplingMethod,
} from "./lib/solvers/shgo.ts";
export { SOBOL_MAX_DIM, SobolSequence } from "./lib/solvers/sobol.ts";
export { lbfgsb, type LbfgsbOptions } from "./lib/solvers/lbfgsb.ts";
export { tnc, type TncOptions } from "./lib/solvers/tnc.ts";
export { type Constraint, slsqp, type SlsqpOptions } from "./lib/solvers/slsqp.ts";
export { cobyla, type CobylaConstraint, type CobylaOptions } from "./lib/solvers/cobyla.ts";
export { trustConstr, type TrustConstrOptions } from "./lib/solvers/trust_constr.ts";
export {
  chainCorrelation,
  columnQuantile,
  emcee,
  type EmceeOptions,
  type EmceeResult,
  emceeSample,
  type EmceeState,
  quantiles,
} from "./lib/solvers/emcee.ts";
export {
  leastSquares,
  type LeastSquaresLoss,
  type LeastSquaresOptions,
  type LeastSquaresResult,
} from "./lib/solvers/least_squares.ts";
export { type HessianOptions, numericalHessian } from "./lib/linalg/hessian.ts";
export {
  brentRoot,
  type BrentRootOptions,
  type BrentRootResult,
} from "./lib/solvers/brent_root.ts";
export {
  BATCH_STATUS_CODES,
  type BatchOutput,
  type BatchParamSpec,
  type BatchResult,
  batchSpecOf,
  type BatchStatus,
  type BatchTiming,
  type FitBatchOptions,
  type PerFitParams,
} from "./lib/batch/fit_batch.ts";
export { allocBatchOutput } from "./lib/batch/batch_output.ts";
export { batchRoute, fitBatch } from "./lib/batch/route.ts";
export { getGpu, type GpuContext, gpuUnavailableReason } from "./gpu/device.ts";
export { emitWgsl, UnsupportedOnGpuError, type WgslEmission } from "./gpu/wgsl_codegen.ts";
export { type GpuChunkLimits, GpuExecutionError } from "./gpu/fit_gpu.ts";
export {
  chooseKernelLayout,
  type KernelLayout,
  type KernelLayoutLimits,
} from "./gpu/kernel_layout.ts";
export { evaluateOnGpu } from "./gpu/evaluate.ts";
export { fitLarge, type FitLargeOptions, type LargeResult } from "./lib/batch/fit_large.ts";
export { covarianceFromJacobian } from "./lib/linalg/covariance.ts";
export { enorm, qrfac, type QrFactors, qrFull, qrPivot, qrsolv } from "./lib/linalg/qr.ts";
export {
  solveLowerTriangular,
  solveUpperTransposed,
  solveUpperTriangular,
} from "./lib/linalg/triangular.ts";
export { cholesky, choleskySolve } from "./lib/linalg/cholesky.ts";
/**
 * lmfit's lineshape functions on Float64Array (`lineshapes.gaussian(x, amplitude, center, sigma)`), with their expressions.
 *
 * @example
 * ```ts
 * import { lineshapes } from "./mod.ts";
 * const x = Float64Array.of(-1, 0, 1);
 * lineshapes.gaussian(x, 1, 0, 1); // ≈ Float64Array [0.242, 0.399, 0.242]
 * const out = new Float64Array(3);
 * lineshapes.lorentzian(x, 1, 0, 1, out); // fills and returns `out`: ≈ [0.159, 0.318, 0.159]
 * lineshapes.LINESHAPES.gaussian.expression; // the same function in the expression language
 * ```
 *
 * @category Lineshapes
 */
export * as lineshapes from "./lib/model/lineshapes.ts";
/**
 * lmfit's start-value guesses as plain functions (`guesses.guessFromPeak(y, x)`).
 *
 * @example
 * ```ts
 * import { guesses } from "./mod.ts";
 * const x = Float64Array.from({ length: 81 }, (_, i) => -4 + i / 10);
 * const y = x.map((v) => 3 * Math.exp(-((v - 0.5) ** 2) / 2));
 * guesses.guessGaussian(y, x); // ≈ { amplitude: 9.9, center: 0.5, sigma: 1.1 }: lmfit's start values
 * guesses.guessLinear([1, 3, 5], [0, 1, 2]); // ≈ { slope: 2, intercept: 1 }
 * ```
 *
 * @category Models
 */
export * as guesses from "./lib/model/guess.ts";
export { lstsq, polyfit } from "./lib/linalg/lstsq.ts";
export { JUPYTER_DISPLAY, type MimeBundle } from "./lib/display/mime.ts";
export { type DisplayParameter, paramsHtml } from "./lib/display/params_html.ts";
export {
  type DisplayFit,
  fitReportHtml,
  type FitReportHtmlOptions,
} from "./lib/display/fit_html.ts";
export { type FitCurves, fitSvg } from "./lib/display/svg_plot.ts";
export { ciReportHtml } from "./lib/display/ci_html.ts";
export { pseudoInverseCovariance, type Svd, svd } from "./lib/linalg/svd.ts";
