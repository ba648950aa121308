/**
 * `fitBatch`'s options, result and per-fit path: many independent fits of one model, on the GPU
 * (WebGPU, one invocation per fit) or the CPU with the same algorithm, with standard errors in f32
 * on the GPU (f64 where needed) or f64 on the CPU. `route.ts` holds the public `fitBatch`, which
 * sends a few huge datasets to `fitLarge`'s reductions instead.
 *
 * @module
 */

import type { Node } from "../expr/ast.ts";

import { freeNames, mapChildren } from "../expr/names.ts";
import { derivative } from "../expr/derivative.ts";
import type { Binding } from "../expr/compile.ts";
import { compileMany } from "../expr/codegen.ts";
import { BaseModel, CompositeModel, Model } from "../model/model.ts";
import { type BatchModelSpec, ExpressionModel } from "../model/expression_model.ts";
import {
  type BatchFitArrays,
  batchLevenbergMarquardt,
  type BatchLmOutput,
  type BatchLmSettings,
  type BatchProblem,
  type BatchStatistics,
  batchStatistics,
  type PointKernel,
} from "./batch_lm.ts";
import type { WorkerTask } from "./_worker.ts";
import { emitWgsl, UnsupportedOnGpuError } from "../../gpu/wgsl_codegen.ts";
import { fitBatchOnGpu, type GpuChunkLimits, GpuExecutionError } from "../../gpu/fit_gpu.ts";
import { getGpu, gpuUnavailableReason } from "../../gpu/device.ts";
import { KERNEL_LAYOUT_OPTIONS, type KernelLayout } from "../../gpu/kernel_layout.ts";
import { checkOptions, optionKeys } from "../util/options.ts";
import { Parameters } from "../parameters.ts";
import { compile } from "../expr/compile.ts";
import { type ResolvedParameters, resolveParameters } from "./_batch_params.ts";
import { checkBatchInputs } from "./_check_params.ts";

/**
 * A parameter's start and constraints for every fit.
 *
 * @example
 * ```ts
 * import { type BatchParamSpec, fitBatch } from "../../mod.ts";
 * const x = Float64Array.from({ length: 20 }, (_, i) => i / 4);
 * const y = Float64Array.from([2, 3].flatMap((a) => Array.from(x, (v) => a * Math.exp(-v / 1.5) + 0.1)));
 * const tau: BatchParamSpec = { value: 1, min: 0.1, max: 10 };
 * const offset: BatchParamSpec = { value: 0.1, vary: false };
 * const r = await fitBatch("a*exp(-x/tau) + c", { x, y, params: { a: 1, tau, c: offset }, device: "cpu" });
 * r.get("tau"); // ≈ [1.5, 1.5]
 * r.get("c"); // [0.1, 0.1]: held fixed
 * ```
 *
 * @category Batch and GPU
 */
export interface BatchParamSpec {
  /** Start value. */
  value: number;
  /** Lower bound. */
  min?: number;
  /** Upper bound. */
  max?: number;
  /** Whether it varies (default true). */
  vary?: boolean;
}

/**
 * Per-dataset starting values (and shared bounds / vary flags).
 *
 * @example
 * ```ts
 * import { fitBatch, type PerFitParams } from "../../mod.ts";
 * const x = Float64Array.from({ length: 32 }, (_, i) => i / 4 - 4);
 * const y = Float64Array.from([[2, -2], [3, 2]].flatMap(([a, c]) => Array.from(x, (v) => a * Math.exp(-((v - c) ** 2)))));
 * // One start per fit (rows), here near each peak, with shared bounds.
 * const params: PerFitParams = { names: ["amp", "cen"], values: [1, -1.5, 1, 1.5], min: { amp: 0 } };
 * const r = await fitBatch("amp*exp(-(x-cen)**2)", { x, y, params, device: "cpu" });
 * r.get("cen"); // ≈ [-2, 2]
 * ```
 *
 * @category Batch and GPU
 */
export interface PerFitParams {
  /** Parameter names, in the order of `values`' columns. */
  names: string[];
  /** Starting values, nFits × names.length, row-major. */
  values: ArrayLike<number>;
  /** Lower bounds by name. */
  min?: Record<string, number>;
  /** Upper bounds by name. */
  max?: Record<string, number>;
  /** Vary flags by name (default true). */
  vary?: Record<string, boolean>;
}

/**
 * Options of `fitBatch`.
 *
 * @example
 * ```ts
 * import { fitBatch, type FitBatchOptions } from "../../mod.ts";
 * const x = Float64Array.from({ length: 10 }, (_, i) => i);
 * const y = Float64Array.from([1, 2, 3].flatMap((m) => Array.from(x, (v) => m * v + 1)));
 * const options: FitBatchOptions = { x, y, params: { m: 0, c: 0 }, device: "cpu", maxIter: 50, tol: 1e-10 };
 * const r = await fitBatch("m*x + c", options);
 * [r.nFits, r.nPoints]; // [3, 10]
 * r.get("m"); // ≈ [1, 2, 3]
 * ```
 *
 * @category Batch and GPU
 */
export interface FitBatchOptions {
  /** Data: nFits × nPoints, row-major. */
  y: Float32Array | Float64Array | ArrayLike<number>;
  /** The independent variable `x`: shared (nPoints) or per fit (nFits × nPoints). */
  x?: ArrayLike<number>;
  /** All independent variables by name (for 2-D models: `{ x, y }`). */
  vars?: Record<string, ArrayLike<number>>;
  /** Points per dataset. @default the length of a shared independent variable */
  nPoints?: number;
  /** Weights multiplying the residual: shared (nPoints) or per fit. */
  weights?: ArrayLike<number>;
  /**
   * Start values: lmfit `Parameters` (e.g. `model.makeParams()`: values, bounds, vary flags;
   * constrained model parameters are substituted into the model, other constrained ones are
   * evaluated per fit into `derived`), shared starts (`{ amp: 1, cen: { value: 0, min: -1 } }`)
   * or per-fit starts.
   */
  params: Parameters | Record<string, number | BatchParamSpec> | PerFitParams;
  /** Where to fit. @default "auto" */
  device?: "auto" | "gpu" | "cpu";
  /** Maximum LM iterations per fit. @default 200 */
  maxIter?: number;
  /** Relative chi-square decrease that counts as converged. @default 1e-6 */
  tol?: number;
  /**
   * Web Workers for the CPU path. @default one per core (navigator.hardwareConcurrency) when
   * there are at least 200,000 data points, else 1 (no workers)
   */
  workers?: number;
  /** Smallest number of data points (nFits·nPoints) for which "auto" uses a hardware GPU. @default 200000 */
  gpuThreshold?: number;
  /**
   * Device limits to size GPU chunks by, in place of the device's own (smaller values only make
   * more chunks; for tests and for sharing a GPU); on the large route the binding and buffer
   * sizes bound the points per chunk. @default the device's limits
   */
  gpuLimits?: Partial<GpuChunkLimits>;
  /**
   * Stage each workgroup's datasets in workgroup memory (coalesced loads) when they fit (64·N
   * floats ≤ 16 KiB); the large route's reductions read contiguous points and need no staging.
   * @default true on a hardware adapter, false on a software one (llvmpipe compiles kernels with
   * barriers slowly and gains nothing from coalescing)
   */
  gpuStaging?: boolean;
  /**
   * How the GPU kernel maps fits to invocations: `"thread"` one invocation per fit, `"workgroup"`
   * one workgroup per fit with shared-memory reductions (Gpufit's scheme), `"auto"` the choice
   * of `chooseKernelLayout` (a workgroup per fit from 256 points, or below 16,384 fits, 256 on
   * a software adapter, with at least 32 points). On llvmpipe, whose loop limit cuts long fits
   * in one invocation short, such a batch runs again with a workgroup per fit (`reason` says
   * so). @default "auto"
   */
  gpuLayout?: "auto" | KernelLayout;
  /**
   * Buffers to write the results into (`allocBatchOutput` makes them), reused across calls: the
   * result's `values`, `stderr`, `correl`, `chisqr`, `nIter`, `statusCode` and `derived` arrays
   * ARE these buffers (subarray views of their first nFits rows when they are longer), so a call
   * touches no fresh result memory, as Gpufit's output pointers. The next call with the same
   * buffers overwrites them: copy what you keep. Arrays too short or of the wrong type are a
   * `RangeError` / `TypeError` naming the array and the length needed. @default fresh arrays
   */
  out?: BatchOutput;
}

/**
 * Caller-owned result buffers for `fitBatch`'s `out` option, each at least as long as the batch
 * needs (nFits rows): `allocBatchOutput` makes them for a model and its start values. With P
 * parameters and F of them varied: `values` and `stderr` nFits × P, `correl` nFits × F(F−1)/2,
 * `chisqr`, `nIter` and `statusCode` nFits, and one nFits array in `derived` per constrained
 * parameter of a `Parameters` input.
 *
 * @example
 * ```ts
 * import { allocBatchOutput, type BatchOutput, fitBatch } from "../../mod.ts";
 * const x = Float64Array.from({ length: 10 }, (_, i) => i);
 * const out: BatchOutput = allocBatchOutput(2, "m*x + c", { m: 0, c: 0 });
 * const y = Float64Array.from([1, 2].flatMap((m) => Array.from(x, (v) => m * v + 1)));
 * const r = await fitBatch("m*x + c", { x, y, params: { m: 0, c: 0 }, device: "cpu", out });
 * r.values === out.values; // true: the results are written into the buffers
 * ```
 *
 * @category Batch and GPU
 */
export interface BatchOutput {
  /** Fitted values, nFits × P, row-major. */
  values: Float64Array;
  /** Standard errors, nFits × P. */
  stderr: Float64Array;
  /** Correlations, nFits × F(F−1)/2 pairs of varied parameters. */
  correl: Float64Array;
  /** Chi-square per fit. */
  chisqr: Float64Array;
  /** Iterations per fit. */
  nIter: Int32Array;
  /** Status code per fit (`BATCH_STATUS_CODES`: 0 converged, 1 max-iter, 2 singular). */
  statusCode: Int32Array;
  /** Per-fit values of the constrained parameters of a `Parameters` input, by name. */
  derived?: Record<string, Float64Array>;
}

/**
 * The statuses of `BatchResult.statusCode`, by code: 0 "converged", 1 "max-iter", 2 "singular".
 *
 * @example
 * ```ts
 * import { BATCH_STATUS_CODES } from "../../mod.ts";
 * BATCH_STATUS_CODES[1]; // "max-iter"
 * ```
 *
 * @category Batch and GPU
 */
export const BATCH_STATUS_CODES: readonly BatchStatus[] = Object.freeze([
  "converged",
  "max-iter",
  "singular",
]);

/**
 * Where the time of a `fitBatch` call went, in milliseconds. On the GPU, `kernelMs` is the wall
 * time during which a kernel (or its transfers) was in flight, chunks that overlap counted once;
 * `uploadMs` and `readbackMs` are host time, mostly spent while the next or previous chunk's
 * kernel runs, so the host time not overlapped with a kernel is `totalMs − kernelMs`. On the CPU
 * these are 0 and `fitMs` is the solver's time; on the large route (`BatchResult.route`) they are
 * 0 too and `fitMs` is the wall time of the GPU reductions and the f64 solves.
 *
 * @example
 * ```ts
 * import { type BatchTiming, fitBatch } from "../../mod.ts";
 * const x = Float64Array.from({ length: 10 }, (_, i) => i);
 * const y = Float64Array.from([1, 2].flatMap((m) => Array.from(x, (v) => m * v)));
 * const t: BatchTiming = (await fitBatch("m*x", { x, y, params: { m: 0 }, device: "cpu" })).timing;
 * t.totalMs >= t.fitMs; // true
 * ```
 *
 * @category Batch and GPU
 */
export interface BatchTiming {
  /** Converting and writing inputs to the GPU (host). */
  uploadMs: number;
  /** Wall time with a GPU kernel or its transfers in flight (overlaps counted once). */
  kernelMs: number;
  /** Copying GPU results out (host). */
  readbackMs: number;
  /** The fits: the solver on the CPU; on the GPU the wall time of upload, kernels and read-back. */
  fitMs: number;
  /** Statistics (χ², standard errors, correlations) beyond what the fit returned. */
  statisticsMs: number;
  /** The whole call. */
  totalMs: number;
  /** GPU chunks run (0 on the CPU). */
  chunks: number;
}

/**
 * Status of one fit.
 *
 * @example
 * ```ts
 * import { type BatchStatus, fitBatch } from "../../mod.ts";
 * const x = Float64Array.from({ length: 10 }, (_, i) => i);
 * const y = Float64Array.from([1, 2].flatMap((m) => Array.from(x, (v) => m * v)));
 * const r = await fitBatch("m*x", { x, y, params: { m: 0 }, device: "cpu" });
 * const status: BatchStatus[] = r.status; // ["converged", "converged"]
 * const failed = status.filter((s) => s !== "converged").length; // 0
 * ```
 *
 * @category Batch and GPU
 */
export type BatchStatus = "converged" | "max-iter" | "singular";

/**
 * What `fitBatch` returns.
 *
 * @example
 * ```ts
 * import { type BatchResult, fitBatch } from "../../mod.ts";
 * const x = Float64Array.from({ length: 10 }, (_, i) => i);
 * const y = Float64Array.from([1, 2].flatMap((m) => Array.from(x, (v) => m * v + 0.5 + 0.01 * Math.sin(7 * v))));
 * const r: BatchResult = await fitBatch("m*x + c", { x, y, params: { m: 0, c: 0 }, device: "cpu" });
 * r.paramNames; // ["m", "c"]: the columns of values and stderr
 * r.values.length; // 4 = 2 fits × 2 parameters, row-major
 * r.get("m"); // ≈ [1, 2], with r.stderr, r.chisqr, r.nIter and r.status per fit
 * r.device; // "cpu"
 * ```
 *
 * @category Batch and GPU
 */
export interface BatchResult {
  /** Parameter names, the columns of `values` and `stderr`. */
  paramNames: string[];
  /** Fitted values, nFits × P. */
  values: Float64Array;
  /**
   * Standard errors, nFits × P, scaled by reduced chi-square as lmfit (0 for fixed parameters,
   * NaN where JᵀJ is singular). On the CPU in f64; on the GPU in f32 from JᵀJ at the solution,
   * re-evaluated in f64 for fits whose JᵀJ is too ill-conditioned for f32 (`statsRefined`).
   */
  stderr: Float64Array;
  /** Correlations, nFits × `correlNames.length`, of each pair of varied parameters. */
  correl: Float64Array;
  /** The parameter pairs of `correl`'s columns. */
  correlNames: [string, string][];
  /** Chi-square per fit at the solution (f64 on the CPU, f32 on the GPU). */
  chisqr: Float64Array;
  /** Fits whose GPU statistics were re-evaluated in f64 (0 on the CPU). */
  statsRefined: number;
  /** Where the time went. */
  timing: BatchTiming;
  /** Iterations per fit. */
  nIter: Int32Array;
  /**
   * Status per fit, built from `statusCode` on first read (10⁶ strings cost ~8 MB and a loop;
   * read `statusCode` in large batches).
   */
  status: BatchStatus[];
  /** Status code per fit: the index in `BATCH_STATUS_CODES` (0 converged, 1 max-iter, 2 singular). */
  statusCode: Int32Array;
  /** The device that ran the fits. */
  device: "gpu" | "cpu";
  /**
   * How the fits ran: "per-fit" (one GPU invocation or CPU loop per fit), or "large" (a few huge
   * datasets, each fit's sums over its points spread over the whole GPU, as `fitLarge`).
   */
  route: "per-fit" | "large";
  /** Why the CPU ran when the GPU was asked for or available, or which adapter ran. */
  reason: string;
  /** Number of fits and points per fit. */
  nFits: number;
  /** Points per fit. */
  nPoints: number;
  /**
   * Values per fit of the constrained parameters of a `Parameters` input (`expr` set), by name,
   * evaluated at each solution (no standard errors).
   */
  derived: Record<string, Float64Array>;
  /** One parameter's values for every fit (fitted or derived). */
  get(name: string): Float64Array;
}

/**
 * The batch description of a model: an expression AST with prefixed parameter names.
 *
 * @example
 * ```ts
 * import { batchSpecOf } from "./fit_batch.ts";
 * import { GaussianModel } from "../model/models.ts";
 * batchSpecOf("amp*exp(-x/tau)").paramNames; // ["amp", "tau"]
 * const spec = batchSpecOf(new GaussianModel({ prefix: "g_" }));
 * spec.paramNames; // ["g_amplitude", "g_center", "g_sigma"]
 * spec.independentVars; // ["x"]
 * ```
 *
 * @category Batch and GPU
 */
export function batchSpecOf(
  model: BaseModel | string | BatchModelSpec | { batchSpec(): BatchModelSpec },
): BatchModelSpec {
  if (typeof model === "string") return new ExpressionModel(model).batchSpec();
  if (
    "expression" in model && "paramNames" in model && "independentVars" in model &&
    !(model instanceof BaseModel)
  ) {
    return model as BatchModelSpec;
  }
  if (model instanceof CompositeModel) {
    if (typeof model.op === "function") {
      throw new TypeError(
        `fitBatch: the composite's operator ${model.opName} is a user function, which has no expression form; fit such a model with model.fit`,
      );
    }
    const a = batchSpecOf(model.left), b = batchSpecOf(model.right);
    const ops = { "+": "+", "-": "-", "*": "*", "/": "/" } as const;
    const expression: Node = {
      type: "Binary",
      op: ops[model.op],
      left: a.expression,
      right: b.expression,
      pos: -1,
    };
    return {
      expression,
      paramNames: [...a.paramNames, ...b.paramNames],
      independentVars: [...new Set([...a.independentVars, ...b.independentVars])],
    };
  }
  if (model instanceof Model && model.compiled) {
    const spec = model.batchSpec();
    if (!model.prefix) return spec;
    const rename = new Map(spec.paramNames.map((n) => [n, model.prefix + n]));
    return {
      expression: renameNames(spec.expression, rename),
      paramNames: spec.paramNames.map((n) => rename.get(n)!),
      independentVars: spec.independentVars,
    };
  }
  if ("batchSpec" in model && typeof model.batchSpec === "function") return model.batchSpec();
  throw new TypeError(
    `fitBatch needs a model written in the expression language (an ExpressionModel, a built-in, or a composite of them); ${
      String(model)
    } is a function model`,
  );
}

function renameNames(node: Node, map: Map<string, string>): Node {
  if (node.type === "Name") return map.has(node.id) ? { ...node, id: map.get(node.id)! } : node;
  return mapChildren(node, (c) => renameNames(c, map));
}

/** The keys of `FitBatchOptions`. */
const FIT_BATCH_KEYS = optionKeys<FitBatchOptions>({
  y: true,
  x: true,
  vars: true,
  nPoints: true,
  weights: true,
  params: true,
  device: true,
  maxIter: true,
  tol: true,
  workers: true,
  gpuThreshold: true,
  gpuLimits: true,
  gpuStaging: true,
  gpuLayout: true,
  out: true,
});

/** The keys of `BatchOutput`. */
const BATCH_OUTPUT_KEYS = optionKeys<BatchOutput>({
  values: true,
  stderr: true,
  correl: true,
  chisqr: true,
  nIter: true,
  statusCode: true,
  derived: true,
});

/**
 * `out` checked against the batch's shape: views of exactly the lengths needed (the buffers
 * themselves when they are exact). Throws naming the array, its type and the length needed.
 */
function checkBatchOutput(
  out: BatchOutput,
  nFits: number,
  P: number,
  nPairs: number,
  derivedNames: string[],
): Required<BatchOutput> {
  checkOptions(out, BATCH_OUTPUT_KEYS, "fitBatch: out");
  const view = <T extends Float64Array | Int32Array>(
    name: string,
    a: unknown,
    type: { new (n: number): T; name: string },
    n: number,
  ): T => {
    if (!(a instanceof type)) {
      throw new TypeError(
        `fitBatch: out.${name} must be ${
          /^[AEIOU]/.test(type.name) ? "an" : "a"
        } ${type.name} of at least ${n} elements, got ${
          a === undefined ? "nothing" : (a as object)?.constructor?.name ?? typeof a
        } (allocBatchOutput makes the buffers)`,
      );
    }
    if (a.length < n) {
      throw new RangeError(
        `fitBatch: out.${name} has ${a.length} elements; the batch needs ${n} (${nFits} fits${
          n === nFits ? "" : ` × ${n / nFits}`
        }); allocBatchOutput makes the buffers`,
      );
    }
    return (a.length === n ? a : a.subarray(0, n)) as T;
  };
  const derived: Record<string, Float64Array> = {};
  for (const name of derivedNames) {
    derived[name] = view(`derived.${name}`, out.derived?.[name], Float64Array, nFits);
  }
  for (const name of Object.keys(out.derived ?? {})) {
    if (!derivedNames.includes(name)) {
      throw new TypeError(
        `fitBatch: out.derived.${name} is not a constrained parameter of this batch (${
          derivedNames.length ? derivedNames.join(", ") : "it has none"
        })`,
      );
    }
  }
  return {
    values: view("values", out.values, Float64Array, nFits * P),
    stderr: view("stderr", out.stderr, Float64Array, nFits * P),
    correl: view("correl", out.correl, Float64Array, nFits * nPairs),
    chisqr: view("chisqr", out.chisqr, Float64Array, nFits),
    nIter: view("nIter", out.nIter, Int32Array, nFits),
    statusCode: view("statusCode", out.statusCode, Int32Array, nFits),
    derived,
  };
}

/**
 * The columns of a batch's results for a model and its start values: the fitted parameters, the
 * varied ones (whose pairs are `correl`'s columns) and the constrained parameters of a
 * `Parameters` input (`derived`).
 *
 * @param model the model.
 * @param params the start values, as `fitBatch`'s `params`.
 * @param where the caller, for error messages.
 * @returns parameter names, vary flags and derived names.
 *
 * @example
 * ```ts
 * import { batchColumns } from "./fit_batch.ts";
 * batchColumns("m*x + c", { m: 0, c: { value: 1, vary: false } }).free; // Uint8Array [1, 0]
 * ```
 */
export function batchColumns(
  model: BaseModel | string | BatchModelSpec | { batchSpec(): BatchModelSpec },
  params: FitBatchOptions["params"],
  where = "fitBatch",
): { paramNames: string[]; free: Uint8Array; derivedNames: string[] } {
  if (params instanceof Parameters) {
    const r = resolveParameters(batchSpecOf(model), params);
    return {
      paramNames: [...r.spec.paramNames],
      free: Uint8Array.from(r.free),
      derivedNames: r.derived.map((d) => d.name),
    };
  }
  const spec = batchSpecOf(model);
  checkBatchInputs(params, undefined, spec, where);
  const perFit = "names" in params && "values" in params &&
    Array.isArray((params as PerFitParams).names);
  const free = Uint8Array.from(spec.paramNames, (n) => {
    const v = perFit
      ? (params as PerFitParams).vary?.[n]
      : (params as Record<string, number | BatchParamSpec>)[n];
    return perFit ? (v === false ? 0 : 1) : (typeof v === "object" && v.vary === false ? 0 : 1);
  });
  return { paramNames: [...spec.paramNames], free, derivedNames: [] };
}

/**
 * A batch validated and compiled by `prepareBatch`, ready for either route (`fitPrepared`, or
 * `fitLargeBatchOnGpu` and `resultFromLm`).
 */
export interface PreparedBatch {
  /** The model (parameters substituted from a `Parameters` input). */
  spec: BatchModelSpec;
  /** The fits. */
  prob: BatchProblem;
  /** Iterations and tolerance. */
  settings: BatchLmSettings;
  /** The f64 model and Jacobian kernel. */
  kernel: PointKernel;
  /** ∂f/∂p for each parameter. */
  derivs: Node[];
  /** The options given. */
  options: FitBatchOptions;
  /** The resolved `Parameters` input, if any. */
  fromParams: ResolvedParameters | null;
  /** Web Workers for the CPU path. */
  nWorkers: number;
  /** When the call began (performance.now()). */
  tStart: number;
  /** The caller's result buffers (`out`), as views of exactly the lengths needed; or null. */
  dest: Required<BatchOutput> | null;
}

/**
 * Validates `fitBatch`'s input and compiles the model: data, independent variables, start values,
 * bounds, weights, the f64 kernel and its derivatives. Throws on bad input, naming it.
 *
 * @param model the model.
 * @param options `fitBatch`'s options.
 * @returns the prepared batch.
 *
 * @example
 * ```ts
 * import { prepareBatch } from "./fit_batch.ts";
 * const x = Float64Array.from({ length: 10 }, (_, i) => i);
 * const prep = prepareBatch("m*x + c", { x, y: new Float64Array(30), params: { m: 1, c: 0 } });
 * [prep.prob.nFits, prep.prob.nPoints, prep.prob.nParams]; // [3, 10, 2]
 * ```
 */
export function prepareBatch(
  model: BaseModel | string | BatchModelSpec | { batchSpec(): BatchModelSpec },
  options: FitBatchOptions,
): PreparedBatch {
  checkOptions(options, FIT_BATCH_KEYS, "fitBatch");
  const gpuLayout = options.gpuLayout ?? "auto";
  if (!KERNEL_LAYOUT_OPTIONS.includes(gpuLayout)) {
    throw new RangeError(
      `fitBatch: gpuLayout '${gpuLayout}' is not one of ${
        KERNEL_LAYOUT_OPTIONS.map((v) => `"${v}"`).join(", ")
      }`,
    );
  }
  const p = options.params;
  const fromParams = p instanceof Parameters ? resolveParameters(batchSpecOf(model), p) : null;
  const tStart = performance.now();
  const spec = fromParams ? fromParams.spec : batchSpecOf(model);
  const P = spec.paramNames.length;
  checkBatchInputs(p, options.vars, spec, "fitBatch");
  // Independent variables.
  const given: Record<string, ArrayLike<number>> = { ...(options.vars ?? {}) };
  if (options.x !== undefined && !("x" in given)) given.x = options.x;
  const varList = spec.independentVars.map((v) => {
    const arr = given[v];
    if (!arr) {
      throw new TypeError(
        `fitBatch: missing independent variable '${v}'; pass { ${
          v === "x" ? "x" : `vars: { ${v} }`
        } }`,
      );
    }
    return Float64Array.from(arr);
  });
  const total = options.y.length;
  const nPoints = options.nPoints ?? varList[0].length;
  if (!(nPoints > 0) || total % nPoints !== 0) {
    throw new RangeError(
      `fitBatch: data length ${total} is not a multiple of the points per fit (${nPoints}); pass nPoints`,
    );
  }
  const nFits = total / nPoints;
  const varsPerFit = varList[0].length === total && nFits > 1 && varList[0].length !== nPoints;
  for (const [k, v] of varList.entries()) {
    if (v.length !== (varsPerFit ? total : nPoints)) {
      throw new RangeError(
        `fitBatch: independent variable '${
          spec.independentVars[k]
        }' has ${v.length} values; expected ${nPoints} (shared) or ${total} (per fit)`,
      );
    }
  }
  // Parameters.
  // Per-fit starts are filled in; shared ones are kept as one row and repeated only when the
  // CPU path reads them (the GPU path writes the row into its staging: no nFits·P array).
  let start: Float64Array | null = null;
  let startRow: Float64Array | null = null;
  const lower = new Float64Array(P).fill(-Infinity), upper = new Float64Array(P).fill(Infinity);
  const free = new Uint8Array(P).fill(1);
  if (fromParams) {
    startRow = Float64Array.from(fromParams.value);
    lower.set(fromParams.lower);
    upper.set(fromParams.upper);
    free.set(fromParams.free);
  } else if ("names" in p && "values" in p && Array.isArray((p as PerFitParams).names)) {
    const pf = p as PerFitParams;
    const cols = spec.paramNames.map((n) => {
      const j = pf.names.indexOf(n);
      if (j < 0) {
        throw new TypeError(
          `fitBatch: params.names lacks '${n}'; the model has ${spec.paramNames.join(", ")}`,
        );
      }
      return j;
    });
    if (pf.values.length !== nFits * pf.names.length) {
      throw new RangeError(
        `fitBatch: params.values has ${pf.values.length} numbers; expected ${nFits} fits × ${pf.names.length}`,
      );
    }
    const perFit = start = new Float64Array(nFits * P);
    for (let b = 0; b < nFits; b++) {
      cols.forEach((j, k) => (perFit[b * P + k] = pf.values[b * pf.names.length + j]));
    }
    spec.paramNames.forEach((n, k) => {
      lower[k] = pf.min?.[n] ?? -Infinity;
      upper[k] = pf.max?.[n] ?? Infinity;
      free[k] = pf.vary?.[n] === false ? 0 : 1;
    });
  } else {
    const shared = p as Record<string, number | BatchParamSpec>;
    const row = new Float64Array(P);
    spec.paramNames.forEach((n, k) => {
      const v = shared[n];
      if (v === undefined) {
        throw new TypeError(`fitBatch: no start value for '${n}'; give params.${n}`);
      }
      const s = typeof v === "number" ? { value: v } : v;
      row[k] = s.value;
      lower[k] = s.min ?? -Infinity;
      upper[k] = s.max ?? Infinity;
      free[k] = s.vary === false ? 0 : 1;
    });
    startRow = row;
  }
  for (let k = 0; k < P; k++) {
    if (lower[k] > upper[k]) {
      throw new RangeError(`fitBatch: parameter '${spec.paramNames[k]}' has min > max`);
    }
  }
  const weights = options.weights ? Float64Array.from(options.weights) : null;
  if (weights && weights.length !== nPoints && weights.length !== total) {
    throw new RangeError(
      `fitBatch: weights has ${weights.length} values; expected ${nPoints} or ${total}`,
    );
  }
  const prob: BatchProblem = {
    nFits,
    nPoints,
    nParams: P,
    vars: varList,
    varsPerFit,
    y: options.y,
    weights,
    get start(): Float64Array {
      if (!start) fillRows(start = new Float64Array(nFits * P), startRow!);
      return start;
    },
    startRow,
    lower,
    upper,
    free,
  };
  const settings = { maxIter: options.maxIter ?? 200, tol: options.tol ?? 1e-6 };

  // Model and analytic Jacobian: f64 kernel for the CPU, WGSL for the GPU.
  const derivs = spec.paramNames.map((n) => derivative(spec.expression, n));
  const slotNames = [...spec.paramNames, ...spec.independentVars];
  const unknown = freeNames(spec.expression).filter((n) => !slotNames.includes(n));
  if (unknown.length) {
    throw new TypeError(`fitBatch: the model uses unknown names ${unknown.join(", ")}`);
  }
  const bind = (name: string): Binding | undefined => {
    const i = slotNames.indexOf(name);
    return i < 0 ? undefined : { kind: "slot", index: i };
  };
  const kernel = compileMany([spec.expression, ...derivs], bind);
  // Workers: one per core for 200,000 data points and more, at most one per 100,000 points
  // (so a few huge fits get all cores too) and one per fit.
  const cores = Math.max(1, navigator.hardwareConcurrency ?? 1);
  const nWorkers = Math.min(
    nFits,
    options.workers ?? (total >= 200_000 ? Math.min(cores, Math.ceil(total / 100_000)) : 1),
  );
  const nFree = free.reduce((a, v) => a + v, 0);
  const dest = options.out === undefined ? null : checkBatchOutput(
    options.out,
    nFits,
    P,
    (nFree * (nFree - 1)) / 2,
    (fromParams?.derived ?? []).map((d) => d.name),
  );
  return { spec, prob, settings, kernel, derivs, options, fromParams, nWorkers, tStart, dest };
}

/**
 * Fits a prepared batch one fit per GPU invocation, or on the CPU (Web Workers when large):
 * `fitBatch`'s route for all but a few huge datasets. Async.
 *
 * @param prep the prepared batch.
 * @returns the batch result.
 *
 * @example
 * ```ts
 * import { fitPrepared, prepareBatch } from "./fit_batch.ts";
 * const x = Float64Array.from({ length: 10 }, (_, i) => i);
 * const y = Float64Array.from([1, 2].flatMap((m) => Array.from(x, (v) => m * v)));
 * const r = await fitPrepared(prepareBatch("m*x", { x, y, params: { m: 0 }, device: "cpu" }));
 * r.get("m"); // ≈ [1, 2]
 * ```
 */
export async function fitPrepared(prep: PreparedBatch): Promise<BatchResult> {
  const { spec, prob, settings, kernel, derivs, options, nWorkers, dest } = prep;
  const { nFits, free } = prob;
  const total = nFits * prob.nPoints;
  const device = options.device ?? "auto";
  let reason = "";
  let out: BatchLmOutput | null = null;
  let stats: BatchStatistics | null = null;
  let ran: "gpu" | "cpu" = "cpu";
  let refined = 0;
  const timing: BatchTiming = {
    uploadMs: 0,
    kernelMs: 0,
    readbackMs: 0,
    fitMs: 0,
    statisticsMs: 0,
    totalMs: 0,
    chunks: 0,
  };
  if (device !== "cpu") {
    const gpu = await getGpu();
    if (!gpu) reason = `CPU: ${gpuUnavailableReason() ?? "no GPU"}`;
    else if (device === "auto" && gpu.software) {
      reason = `CPU: the only GPU adapter is a software rasteriser (${gpu.description})`;
    } else if (device === "auto" && total < (options.gpuThreshold ?? 200_000)) {
      reason = `CPU: ${total} data points are below the GPU threshold (${
        options.gpuThreshold ?? 200_000
      })`;
    } else if (!free.some((f) => f)) {
      reason = "CPU: no parameter varies";
    } else {
      try {
        const names: Record<string, string> = {};
        spec.paramNames.forEach((n, k) => (names[n] = `p[${k}]`));
        spec.independentVars.forEach((n, k) => (names[n] = `xv[${k}]`));
        const emission = emitWgsl([spec.expression, ...derivs], names);
        const tG = performance.now();
        const g = await fitBatchOnGpu(
          prob,
          emission,
          settings,
          options.gpuLimits,
          options.gpuStaging,
          options.gpuLayout ?? "auto",
          dest ?? undefined,
        );
        if (g) {
          timing.fitMs = performance.now() - tG;
          out = g;
          ran = "gpu";
          reason = `GPU: ${g.adapter}, one ${
            g.layout === "thread" ? "invocation" : "workgroup"
          } per fit${g.layoutNote ? ` (${g.layoutNote})` : ""}`;
          Object.assign(timing, {
            uploadMs: g.timing.uploadMs,
            kernelMs: g.timing.kernelMs,
            readbackMs: g.timing.readbackMs,
            chunks: g.timing.chunks,
          });
          const tS = performance.now();
          const redone = refitNonFinite(prob, kernel, settings, g, g.nonFinite);
          if (redone.length > 0) {
            reason += `; ${redone.length} fit${
              redone.length > 1 ? "s" : ""
            } with non-finite float32 results re-run on the CPU`;
          }
          // f32 statistics where JᵀJ is well conditioned; f64 re-evaluation of the rest.
          stats = { chisqr: g.chisqr, stderr: g.stderr, correl: g.correl };
          // (The GPU path listed these while reading back, overlapped with the kernels.)
          const again = g.needF64;
          refined = again.length;
          if (refined > 0) {
            await refineStatistics(spec, prob, kernel, g.values, again, stats, nWorkers);
            reason += `; statistics of ${refined} ill-conditioned fit${
              refined > 1 ? "s" : ""
            } re-evaluated in f64`;
          }
          timing.statisticsMs = performance.now() - tS;
        } else reason = `CPU: ${gpuUnavailableReason() ?? "no GPU"}`;
      } catch (e) {
        if (!(e instanceof UnsupportedOnGpuError || e instanceof GpuExecutionError)) throw e;
        reason = `CPU: ${e.message}`;
      }
    }
  } else reason = "CPU: requested";
  if (!out || !stats) {
    const tF = performance.now();
    if (nWorkers > 1 && nFits > 1) {
      ({ out, stats } = await runOnWorkers(spec, prob, settings, nWorkers, undefined, dest));
      reason += ` (${nWorkers} workers)`;
      timing.fitMs = performance.now() - tF;
    } else {
      out = batchLevenbergMarquardt(
        prob,
        kernel,
        settings,
        0,
        nFits,
        dest ?? undefined,
      );
      timing.fitMs = performance.now() - tF;
      const tS = performance.now();
      stats = batchStatistics(prob, kernel, out.values, 0, nFits, dest ?? undefined);
      timing.statisticsMs = performance.now() - tS;
    }
  }
  return assembleBatch(prep, out, stats, ran, reason, refined, timing, "per-fit");
}

/**
 * The result of the large route's LM outputs (`fitLargeBatchOnGpu`): f64 statistics at every
 * solution (in Web Workers when large), timed into `timing.statisticsMs`. Async.
 *
 * @param prep the prepared batch.
 * @param out values, χ², iterations and status codes per fit.
 * @param ran the device that ran the fits.
 * @param reason why, as `BatchResult.reason`.
 * @param timing the timing so far (fitMs set by the caller).
 * @returns the batch result.
 *
 * @example
 * ```ts
 * import { prepareBatch, resultFromLm } from "./fit_batch.ts";
 * const x = Float64Array.from({ length: 10 }, (_, i) => i);
 * const prep = prepareBatch("m*x", { x, y: Float64Array.from(x, (v) => 2 * v + 0.1 * Math.sin(v)), params: { m: 0 } });
 * const out = { values: Float64Array.of(2), chisqr: new Float64Array(1), nIter: Int32Array.of(3), statusCode: Int32Array.of(0) };
 * const r = await resultFromLm(prep, out, "cpu", "CPU: example", { uploadMs: 0, kernelMs: 0, readbackMs: 0, fitMs: 0, statisticsMs: 0, totalMs: 0, chunks: 0 });
 * r.status; // ["converged"]; r.stderr and r.chisqr in f64 at m = 2
 * ```
 */
export async function resultFromLm(
  prep: PreparedBatch,
  out: BatchLmOutput,
  ran: "gpu" | "cpu",
  reason: string,
  timing: BatchTiming,
): Promise<BatchResult> {
  const tS = performance.now();
  const at = withStart(prep.prob, out.values);
  const stats = prep.nWorkers > 1
    ? (await runOnWorkers(prep.spec, at, { maxIter: 0, tol: 0 }, prep.nWorkers, out.values)).stats
    : batchStatistics(at, prep.kernel, out.values);
  timing.statisticsMs = performance.now() - tS;
  return assembleBatch(
    prep,
    { ...out, chisqr: stats.chisqr },
    stats,
    ran,
    reason,
    0,
    timing,
    "large",
  );
}

/** The public result of a batch's outputs and statistics. */
function assembleBatch(
  prep: PreparedBatch,
  out: BatchLmOutput,
  stats: BatchStatistics,
  ran: "gpu" | "cpu",
  reason: string,
  refined: number,
  timing: BatchTiming,
  route: "per-fit" | "large",
): BatchResult {
  const { spec, prob, fromParams, dest } = prep;
  const { nFits, nPoints, nParams: P, free } = prob;
  // Results computed elsewhere (the large route, a fallback) are copied into the caller's
  // buffers; the per-fit paths wrote into them directly.
  const into = <T extends Float64Array | Int32Array>(a: T, d: T | undefined): T => {
    if (!d || a === d) return a;
    d.set(a);
    return d;
  };
  const vals = into(out.values, dest?.values);
  const stderr = into(stats.stderr, dest?.stderr);
  const correl = into(stats.correl, dest?.correl);
  const chisqr = into(stats.chisqr, dest?.chisqr);
  const nIter = into(out.nIter, dest?.nIter);
  const statusCode = into(out.statusCode, dest?.statusCode);
  const paramNames = [...spec.paramNames];
  const freeNamesList = paramNames.filter((_, k) => free[k]);
  const correlNames: [string, string][] = [];
  for (let a = 0; a < freeNamesList.length; a++) {
    for (let c = a + 1; c < freeNamesList.length; c++) {
      correlNames.push([freeNamesList[a], freeNamesList[c]]);
    }
  }
  const derived: Record<string, Float64Array> = {};
  for (const d of fromParams?.derived ?? []) {
    const f = compile(d.ast, (n) => {
      const k = paramNames.indexOf(n);
      return k < 0 ? undefined : { kind: "slot", index: k };
    });
    const dv = derived[d.name] = dest?.derived[d.name] ?? new Float64Array(nFits);
    for (let b = 0; b < nFits; b++) dv[b] = f(vals.subarray(b * P, b * P + P));
  }
  // Status strings are built on first read: 10⁶ of them are ~8 MB of fresh memory and a loop.
  let status: BatchStatus[] | null = null;
  const statusOf = (): BatchStatus[] => {
    if (status) return status;
    // (A filled array overwritten where needed: Array.from with a map function takes ~0.5 s
    // per 10⁶ fits.)
    status = new Array<BatchStatus>(nFits).fill("converged");
    for (let b = 0; b < nFits; b++) {
      if (statusCode[b] !== 0) status[b] = BATCH_STATUS_CODES[statusCode[b]] ?? "singular";
    }
    return status;
  };
  timing.totalMs = performance.now() - prep.tStart;
  return {
    paramNames,
    values: vals,
    stderr,
    chisqr,
    correl,
    correlNames,
    nIter,
    get status(): BatchStatus[] {
      return statusOf();
    },
    statusCode,
    device: ran,
    route,
    reason,
    nFits,
    nPoints,
    derived,
    statsRefined: refined,
    timing,
    get(name: string): Float64Array {
      const k = paramNames.indexOf(name);
      if (k < 0 && name in derived) return Float64Array.from(derived[name]);
      if (k < 0) {
        throw new RangeError(
          `no parameter '${name}'; the batch has ${
            [...paramNames, ...Object.keys(derived)].join(", ")
          }`,
        );
      }
      return Float64Array.from({ length: nFits }, (_, b) => vals[b * P + k]);
    },
  };
}

/** Repeats `row` over `dst` (a whole number of rows) by doubling copies, at memcpy speed. */
function fillRows(dst: Float64Array, row: ArrayLike<number>): void {
  if (dst.length === 0) return;
  dst.set(row);
  for (let n = row.length; n < dst.length; n *= 2) {
    dst.copyWithin(n, 0, Math.min(n, dst.length - n));
  }
}

/** The fits `idx` of `prob` as a problem of their own (start values taken from `start`). */
function subProblem(prob: BatchProblem, idx: readonly number[], start: Float64Array): BatchProblem {
  const P = prob.nParams;
  const M = idx.length;
  const gather = (src: ArrayLike<number>, width: number): Float64Array => {
    const dst = new Float64Array(M * width);
    idx.forEach((b, j) => {
      for (let i = 0; i < width; i++) dst[j * width + i] = src[b * width + i];
    });
    return dst;
  };
  return selectFits(prob, M, gather(start, P), gather);
}

/**
 * `prob` restricted to `nFits` of its fits with their `start` values: `take(src, width)` copies
 * those fits' rows of a per-fit array (data, per-fit variables and weights; shared ones stay).
 */
function selectFits(
  prob: BatchProblem,
  nFits: number,
  start: Float64Array,
  take: (src: ArrayLike<number>, width: number) => Float64Array | Float32Array,
): BatchProblem {
  const N = prob.nPoints;
  return {
    ...withStart(prob, start),
    nFits,
    vars: prob.varsPerFit ? prob.vars.map((v) => take(v, N) as Float64Array) : prob.vars,
    y: take(prob.y, N),
    weights: prob.weights !== null && prob.weights.length !== N
      ? take(prob.weights, N)
      : prob.weights,
  };
}

/**
 * Fits `[first, last)` of `prob` as a problem of their own, in copies (the data, start values and
 * per-fit variables and weights of those fits; shared ones as they are), with the buffers of the
 * copies listed for a transfer to a worker.
 */
function shareOf(
  prob: BatchProblem,
  first: number,
  last: number,
): { problem: BatchProblem; transfer: ArrayBuffer[] } {
  const P = prob.nParams;
  const transfer: ArrayBuffer[] = [];
  const moved = (a: Float64Array | Float32Array): typeof a => {
    transfer.push(a.buffer as ArrayBuffer);
    return a;
  };
  const part = (src: ArrayLike<number>, width: number): Float64Array | Float32Array =>
    moved(
      src instanceof Float64Array || src instanceof Float32Array
        ? src.slice(first * width, last * width)
        : Float64Array.from(Array.prototype.slice.call(src, first * width, last * width)),
    );
  // A shared start row is repeated for the share only (a lazy `start` is never built).
  const start = prob.startRow
    ? moved(new Float64Array((last - first) * P)) as Float64Array
    : part(prob.start, P) as Float64Array;
  if (prob.startRow) fillRows(start, prob.startRow);
  return { problem: selectFits(prob, last - first, start, part), transfer };
}

/** `prob` with other start values (its fields copied; a lazy `start` is not built). */
function withStart(prob: BatchProblem, start: Float64Array): BatchProblem {
  const { nFits, nPoints, nParams, vars, varsPerFit, y, weights, lower, upper, free } = prob;
  return {
    nFits,
    nPoints,
    nParams,
    vars,
    varsPerFit,
    y,
    weights,
    start,
    startRow: null,
    lower,
    upper,
    free,
  };
}

/**
 * Re-runs on the CPU (f64) the fits `bad` whose GPU result is not finite (float32 overflow), in
 * place; returns them.
 */
function refitNonFinite(
  prob: BatchProblem,
  kernel: (slots: Float64Array, out: Float64Array, outOffset: number) => void,
  settings: { maxIter: number; tol: number },
  out: BatchLmOutput,
  bad: number[],
): number[] {
  const P = prob.nParams;
  if (!bad.length) return bad;
  const r = batchLevenbergMarquardt(subProblem(prob, bad, prob.start), kernel, settings);
  bad.forEach((b, j) => {
    out.values.set(r.values.subarray(j * P, j * P + P), b * P);
    out.chisqr[b] = r.chisqr[j];
    out.nIter[b] = r.nIter[j];
    out.statusCode[b] = r.statusCode[j];
  });
  return bad;
}

/** f64 statistics of the fits `idx` at `values`, written into `stats`; in workers when many. */
async function refineStatistics(
  spec: BatchModelSpec,
  prob: BatchProblem,
  kernel: (slots: Float64Array, out: Float64Array, outOffset: number) => void,
  values: Float64Array,
  idx: number[],
  stats: BatchStatistics,
  nWorkers: number,
): Promise<void> {
  const P = prob.nParams;
  const sub = subProblem(prob, idx, values);
  const s = nWorkers > 1 && idx.length >= 20_000
    ? (await runOnWorkers(spec, sub, { maxIter: 0, tol: 0 }, nWorkers, sub.start)).stats
    : batchStatistics(sub, kernel, sub.start);
  const nPairs = idx.length ? s.correl.length / idx.length : 0;
  idx.forEach((b, j) => {
    stats.chisqr[b] = s.chisqr[j];
    stats.stderr.set(s.stderr.subarray(j * P, j * P + P), b * P);
    stats.correl.set(s.correl.subarray(j * nPairs, j * nPairs + nPairs), b * nPairs);
  });
}

/**
 * Splits the fits over Web Workers, each running the batched LM on its share and then the f64
 * statistics at its solutions (with `values`, the statistics only, at those values); Async.
 */
async function runOnWorkers(
  spec: BatchModelSpec,
  prob: BatchProblem,
  settings: { maxIter: number; tol: number },
  nWorkers: number,
  values?: Float64Array,
  dest?: BatchOutput | null,
): Promise<{ out: BatchLmOutput; stats: BatchStatistics }> {
  const P = prob.nParams;
  const nPairs = (() => {
    const F = prob.free.reduce((a, v) => a + v, 0);
    return (F * (F - 1)) / 2;
  })();
  const out: BatchLmOutput = {
    values: values ?? dest?.values ?? new Float64Array(prob.nFits * P),
    chisqr: dest?.chisqr ?? new Float64Array(prob.nFits),
    nIter: dest?.nIter ?? new Int32Array(prob.nFits),
    statusCode: dest?.statusCode ?? new Int32Array(prob.nFits),
  };
  const stats: BatchStatistics = {
    chisqr: out.chisqr,
    stderr: dest?.stderr ?? new Float64Array(prob.nFits * P),
    correl: dest?.correl ?? new Float64Array(prob.nFits * nPairs),
  };
  const per = Math.ceil(prob.nFits / nWorkers);
  const url = new URL("./_worker.ts", import.meta.url).href;
  const jobs = Array.from({ length: nWorkers }, (_, w) => {
    const first = w * per, last = Math.min(prob.nFits, first + per);
    if (first >= last) return Promise.resolve();
    const worker = new Worker(url, { type: "module" });
    return new Promise<void>((resolve, reject) => {
      worker.onmessage = (e: MessageEvent<BatchFitArrays>) => {
        const r = e.data;
        out.values.set(r.values, first * P);
        out.chisqr.set(r.chisqr, first);
        out.nIter.set(r.nIter, first);
        out.statusCode.set(r.statusCode, first);
        stats.stderr.set(r.stderr, first * P);
        stats.correl.set(r.correl, first * nPairs);
        worker.terminate();
        resolve();
      };
      worker.onerror = (e) => {
        e.preventDefault();
        worker.terminate();
        reject(new Error(`fitBatch worker failed: ${e.message}`));
      };
      // The worker gets its share only, in fresh arrays moved to it (not cloned).
      const share = shareOf(prob, first, last);
      const task: WorkerTask = {
        expression: spec.expression,
        paramNames: spec.paramNames,
        independentVars: spec.independentVars,
        problem: share.problem,
        settings,
        statsOnly: values !== undefined,
      };
      worker.postMessage(task, share.transfer);
    });
  });
  await Promise.all(jobs);
  return { out, stats };
}
