/**
 * `fitBatch`: many independent fits of one model, on the GPU (WebGPU) or the CPU with the same
 * algorithm, and standard errors from an f64 evaluation at each solution.
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
import { batchLevenbergMarquardt, type BatchProblem, batchStderr } from "./batch_lm.ts";
import { emitWgsl, UnsupportedOnGpuError } from "../../gpu/wgsl_codegen.ts";
import { fitBatchOnGpu, GpuExecutionError } from "../../gpu/fit_gpu.ts";
import { getGpu, gpuUnavailableReason } from "../../gpu/device.ts";
import { checkOptions, optionKeys } from "../util/options.ts";

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
  /** Shared starts (`{ amp: 1, cen: { value: 0, min: -1 } }`) or per-fit starts. */
  params: Record<string, number | BatchParamSpec> | PerFitParams;
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
  /** Standard errors (f64, scaled by reduced chi-square as lmfit), nFits × P. */
  stderr: Float64Array;
  /** Chi-square per fit (f64, re-evaluated at the solution). */
  chisqr: Float64Array;
  /** Iterations per fit. */
  nIter: Int32Array;
  /** Status per fit. */
  status: BatchStatus[];
  /** The device that ran the fits. */
  device: "gpu" | "cpu";
  /** Why the CPU ran when the GPU was asked for or available, or which adapter ran. */
  reason: string;
  /** Number of fits and points per fit. */
  nFits: number;
  /** Points per fit. */
  nPoints: number;
  /** One parameter's values for every fit. */
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

const STATUS: BatchStatus[] = ["converged", "max-iter", "singular"];

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
});

/**
 * Fits `nFits` datasets of `nPoints` points with one model. On "gpu"/"auto" the whole LM loop
 * runs on the GPU (f32) when WebGPU and the model allow it; otherwise, and with "cpu", the same
 * algorithm runs on the CPU (f64) and `reason` says why. Async.
 *
 * @example
 * ```ts
 * import { fitBatch } from "../../mod.ts";
 * const x = Float64Array.from({ length: 32 }, (_, i) => i / 4 - 4);
 * const y = new Float64Array(2 * 32);
 * [[2, 0.5], [3, -1]].forEach(([a, c], b) => x.forEach((v, i) => (y[b * 32 + i] = a * Math.exp(-((v - c) ** 2)))));
 * const r = await fitBatch("amp*exp(-(x-cen)**2)", { x, y, params: { amp: 1, cen: 0 }, device: "cpu" });
 * r.get("cen"); // ≈ [0.5, -1]
 * ```
 *
 * @category Batch and GPU
 */
export async function fitBatch(
  model: BaseModel | string | BatchModelSpec | { batchSpec(): BatchModelSpec },
  options: FitBatchOptions,
): Promise<BatchResult> {
  checkOptions(options, FIT_BATCH_KEYS, "fitBatch");
  const spec = batchSpecOf(model);
  const P = spec.paramNames.length;
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
  const start = new Float64Array(nFits * P);
  const lower = new Float64Array(P).fill(-Infinity), upper = new Float64Array(P).fill(Infinity);
  const free = new Uint8Array(P).fill(1);
  const p = options.params;
  if ("names" in p && "values" in p && Array.isArray((p as PerFitParams).names)) {
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
    for (let b = 0; b < nFits; b++) {
      cols.forEach((j, k) => (start[b * P + k] = pf.values[b * pf.names.length + j]));
    }
    spec.paramNames.forEach((n, k) => {
      lower[k] = pf.min?.[n] ?? -Infinity;
      upper[k] = pf.max?.[n] ?? Infinity;
      free[k] = pf.vary?.[n] === false ? 0 : 1;
    });
  } else {
    const shared = p as Record<string, number | BatchParamSpec>;
    spec.paramNames.forEach((n, k) => {
      const v = shared[n];
      if (v === undefined) {
        throw new TypeError(`fitBatch: no start value for '${n}'; give params.${n}`);
      }
      const s = typeof v === "number" ? { value: v } : v;
      for (let b = 0; b < nFits; b++) start[b * P + k] = s.value;
      lower[k] = s.min ?? -Infinity;
      upper[k] = s.max ?? Infinity;
      free[k] = s.vary === false ? 0 : 1;
    });
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
    start,
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

  const device = options.device ?? "auto";
  let reason = "";
  let out = null;
  let ran: "gpu" | "cpu" = "cpu";
  if (device !== "cpu") {
    const gpu = await getGpu();
    if (!gpu) reason = `CPU: ${gpuUnavailableReason() ?? "no GPU"}`;
    else if (device === "auto" && gpu.software) {
      reason = `CPU: the only GPU adapter is a software rasteriser (${gpu.description})`;
    } else if (device === "auto" && total < (options.gpuThreshold ?? 200_000)) {
      reason = `CPU: ${total} data points are below the GPU threshold (${
        options.gpuThreshold ?? 200_000
      })`;
    } else {
      try {
        const names: Record<string, string> = {};
        spec.paramNames.forEach((n, k) => (names[n] = `p[${k}]`));
        spec.independentVars.forEach((n, k) => (names[n] = `xv[${k}]`));
        const emission = emitWgsl([spec.expression, ...derivs], names);
        const g = await fitBatchOnGpu(prob, emission, settings);
        if (g) {
          out = g;
          ran = "gpu";
          reason = `GPU: ${g.adapter}`;
          const redone = refitNonFinite(prob, kernel, settings, g);
          if (redone > 0) {
            reason += `; ${redone} fit${
              redone > 1 ? "s" : ""
            } with non-finite float32 results re-run on the CPU`;
          }
        } else reason = `CPU: ${gpuUnavailableReason() ?? "no GPU"}`;
      } catch (e) {
        if (!(e instanceof UnsupportedOnGpuError || e instanceof GpuExecutionError)) throw e;
        reason = `CPU: ${e.message}`;
      }
    }
  } else reason = "CPU: requested";
  if (!out) {
    const cores = Math.max(1, navigator.hardwareConcurrency ?? 1);
    const nWorkers = options.workers ??
      (total >= 200_000 ? Math.min(cores, Math.ceil(nFits / 2000)) : 1);
    out = nWorkers > 1 && nFits > 1
      ? await runOnWorkers(spec, prob, settings, Math.min(nWorkers, nFits))
      : batchLevenbergMarquardt(prob, kernel, settings);
    if (nWorkers > 1 && ran === "cpu") reason += ` (${Math.min(nWorkers, nFits)} workers)`;
  }

  // f64 statistics at each solution.
  const chisqr = new Float64Array(nFits);
  const vals = out.values;
  {
    const w = { slots: new Float64Array(P + varList.length), ev: new Float64Array(P + 1) };
    for (let b = 0; b < nFits; b++) {
      for (let k = 0; k < P; k++) w.slots[k] = vals[b * P + k];
      let s = 0;
      for (let i = 0; i < nPoints; i++) {
        const vi = varsPerFit ? b * nPoints + i : i;
        for (let v = 0; v < varList.length; v++) w.slots[P + v] = varList[v][vi];
        kernel(w.slots, w.ev, 0);
        const wt = weights === null ? 1 : weights[weights.length === total ? b * nPoints + i : i];
        const r = (w.ev[0] - options.y[b * nPoints + i]) * wt;
        s += r * r;
      }
      chisqr[b] = s;
    }
  }
  const stderr = batchStderr(prob, kernel, vals, chisqr);
  const paramNames = [...spec.paramNames];
  return {
    paramNames,
    values: vals,
    stderr,
    chisqr,
    nIter: out.nIter,
    status: Array.from(out.status, (s) => STATUS[s] ?? "singular"),
    device: ran,
    reason,
    nFits,
    nPoints,
    get(name: string): Float64Array {
      const k = paramNames.indexOf(name);
      if (k < 0) {
        throw new RangeError(`no parameter '${name}'; the batch has ${paramNames.join(", ")}`);
      }
      return Float64Array.from({ length: nFits }, (_, b) => vals[b * P + k]);
    },
  };
}

/**
 * Re-runs on the CPU (f64) the fits whose GPU result is not finite (float32 overflow), in place;
 * returns how many.
 */
function refitNonFinite(
  prob: BatchProblem,
  kernel: (slots: Float64Array, out: Float64Array, outOffset: number) => void,
  settings: { maxIter: number; tol: number },
  out: { values: Float64Array; chisqr: Float64Array; nIter: Int32Array; status: Int32Array },
): number {
  const { nPoints: N, nParams: P, nFits } = prob;
  const bad: number[] = [];
  for (let b = 0; b < nFits; b++) {
    let ok = Number.isFinite(out.chisqr[b]);
    for (let k = 0; k < P && ok; k++) ok = Number.isFinite(out.values[b * P + k]);
    if (!ok) bad.push(b);
  }
  if (!bad.length) return 0;
  const M = bad.length;
  const gather = (src: ArrayLike<number>, width: number): Float64Array => {
    const dst = new Float64Array(M * width);
    bad.forEach((b, j) => {
      for (let i = 0; i < width; i++) dst[j * width + i] = src[b * width + i];
    });
    return dst;
  };
  const sub: BatchProblem = {
    ...prob,
    nFits: M,
    vars: prob.varsPerFit ? prob.vars.map((v) => gather(v, N)) : prob.vars,
    y: gather(prob.y, N),
    weights: prob.weights !== null && prob.weights.length !== N
      ? gather(prob.weights, N)
      : prob.weights,
    start: gather(prob.start, P),
  };
  const r = batchLevenbergMarquardt(sub, kernel, settings);
  bad.forEach((b, j) => {
    out.values.set(r.values.subarray(j * P, j * P + P), b * P);
    out.chisqr[b] = r.chisqr[j];
    out.nIter[b] = r.nIter[j];
    out.status[b] = r.status[j];
  });
  return M;
}

/** Splits the fits over Web Workers running the same batched LM; Async. */
async function runOnWorkers(
  spec: BatchModelSpec,
  prob: BatchProblem,
  settings: { maxIter: number; tol: number },
  nWorkers: number,
): Promise<{ values: Float64Array; chisqr: Float64Array; nIter: Int32Array; status: Int32Array }> {
  const P = prob.nParams;
  const values = new Float64Array(prob.nFits * P), chisqr = new Float64Array(prob.nFits);
  const nIter = new Int32Array(prob.nFits), status = new Int32Array(prob.nFits);
  const per = Math.ceil(prob.nFits / nWorkers);
  const url = new URL("./_worker.ts", import.meta.url).href;
  const jobs = Array.from({ length: nWorkers }, (_, w) => {
    const first = w * per, last = Math.min(prob.nFits, first + per);
    if (first >= last) return Promise.resolve();
    const worker = new Worker(url, { type: "module" });
    return new Promise<void>((resolve, reject) => {
      worker.onmessage = (e) => {
        const r = e.data;
        values.set(r.values, first * P);
        chisqr.set(r.chisqr, first);
        nIter.set(r.nIter, first);
        status.set(r.status, first);
        worker.terminate();
        resolve();
      };
      worker.onerror = (e) => {
        worker.terminate();
        reject(new Error(`fitBatch worker failed: ${e.message}`));
      };
      worker.postMessage({
        expression: spec.expression,
        paramNames: spec.paramNames,
        independentVars: spec.independentVars,
        problem: prob,
        settings,
        first,
        last,
      });
    });
  });
  await Promise.all(jobs);
  return { values, chisqr, nIter, status };
}
