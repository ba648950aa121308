/**
 * `fitLarge`: one huge dataset (10⁷ points and more) with few parameters. Each LM iteration
 * needs chi-square, Jᵀr and JᵀJ over all points: on the GPU these are reduced by a WGSL kernel
 * (Kahan-compensated f32 partial sums, added in f64 on the host); on the CPU by an f64 loop.
 * The small damped system is solved in f64 on the CPU either way; standard errors come from an
 * f64 pass at the solution.
 *
 * @module
 */

import type { Node } from "../expr/ast.ts";
import type { Binding } from "../expr/compile.ts";
import { compileMany } from "../expr/codegen.ts";
import { derivative } from "../expr/derivative.ts";
import type { BaseModel } from "../model/model.ts";
import type { BatchModelSpec } from "../model/expression_model.ts";
import { type BatchParamSpec, batchSpecOf } from "./fit_batch.ts";
import type { BatchLmOutput, BatchLmSettings, BatchProblem } from "./batch_lm.ts";
import { checkBatchInputs } from "./_check_params.ts";
import { checkOptions, optionKeys } from "../util/options.ts";
import { emitWgsl, UnsupportedOnGpuError, type WgslEmission } from "../../gpu/wgsl_codegen.ts";
import { GpuExecutionError, guarded } from "../../gpu/fit_gpu.ts";
import { cachedPipeline } from "../../gpu/pipeline_cache.ts";
import { getGpu, gpuUnavailableReason } from "../../gpu/device.ts";
import {
  REDUCE_BINDINGS,
  REDUCE_WORKGROUP,
  reduceKernelWgsl,
  reducePointsPerInvocation,
  reduceTerms,
} from "../../gpu/reduce_kernel.wgsl.ts";
import { SOFTWARE_LOOP_LIMIT } from "../../gpu/_lm_wgsl_parts.ts";

/**
 * Options of `fitLarge`.
 *
 * @example
 * ```ts
 * import { fitLarge, type FitLargeOptions } from "../../mod.ts";
 * const x = Float64Array.from({ length: 10_000 }, (_, i) => i / 1000);
 * const y = x.map((v) => 2 * v + 1);
 * const options: FitLargeOptions = { x, y, params: { m: 0, c: { value: 0, min: -5, max: 5 } }, device: "cpu", maxIter: 20 };
 * const r = await fitLarge("m*x + c", options);
 * [r.get("m"), r.get("c")]; // ≈ [2, 1]
 * ```
 *
 * @category Batch and GPU
 */
export interface FitLargeOptions {
  /** The data (any length). */
  y: ArrayLike<number>;
  /** The independent variable `x`. */
  x?: ArrayLike<number>;
  /** All independent variables by name. */
  vars?: Record<string, ArrayLike<number>>;
  /** Weights multiplying the residual. */
  weights?: ArrayLike<number>;
  /** Starts (and bounds, vary flags) by name. */
  params: Record<string, number | BatchParamSpec>;
  /** Where to reduce. @default "auto" (GPU when a hardware adapter exists) */
  device?: "auto" | "gpu" | "cpu";
  /** Maximum LM iterations. @default 100 */
  maxIter?: number;
  /**
   * Points per GPU chunk (each chunk has its own buffers and dispatch; partial sums of all
   * chunks are added on the host). @default as many as the adapter's
   * maxStorageBufferBindingSize and maxBufferSize allow, and on a software adapter (llvmpipe) as
   * few as keep each invocation's loops under its loop limit
   */
  chunkPoints?: number;
  /**
   * Relative chi-square change of a step, taken or rejected (Gpufit's rule), that counts as
   * converged. @default 1e-9 (CPU), 1e-6 (GPU, f32 sums)
   */
  tol?: number;
}

const FIT_LARGE_KEYS = optionKeys<FitLargeOptions>({
  y: true,
  x: true,
  vars: true,
  weights: true,
  params: true,
  device: true,
  maxIter: true,
  chunkPoints: true,
  tol: true,
});

/**
 * What `fitLarge` returns.
 *
 * @example
 * ```ts
 * import { fitLarge, type LargeResult } from "../../mod.ts";
 * const x = Float64Array.from({ length: 10_000 }, (_, i) => i / 1000);
 * const y = x.map((v) => 3 * Math.exp(-v / 2) + 0.01 * Math.sin(50 * v));
 * const r: LargeResult = await fitLarge("a*exp(-x/tau)", { x, y, params: { a: 1, tau: 1 }, device: "cpu" });
 * r.status; // "converged"
 * r.get("tau"); // ≈ 2, standard error r.stderr[r.paramNames.indexOf("tau")]
 * console.log(r.nIter, r.chisqr, r.device, r.reason);
 * ```
 *
 * @category Batch and GPU
 */
export interface LargeResult {
  /** Parameter names. */
  paramNames: string[];
  /** Fitted values. */
  values: Float64Array;
  /** Standard errors (f64 pass at the solution, scaled by reduced chi-square). */
  stderr: Float64Array;
  /** Chi-square (f64). */
  chisqr: number;
  /** LM iterations. */
  nIter: number;
  /** "converged", "max-iter" or "singular". */
  status: "converged" | "max-iter" | "singular";
  /** Where the reductions ran, and why. */
  device: "gpu" | "cpu";
  /** Why (the adapter, or the reason the CPU ran). */
  reason: string;
  /** Number of points. */
  nPoints: number;
  /** One parameter's value. */
  get(name: string): number;
}

/** Chi-square and, with `withJ`, Jᵀr and the packed upper triangle of JᵀJ, in f64. */
type Reducer = (p: Float64Array, withJ: boolean) => Promise<Float64Array>;

function cpuReducer(
  kernel: (s: Float64Array, out: Float64Array, o: number) => void,
  vars: Float64Array[],
  y: ArrayLike<number>,
  weights: Float64Array | null,
  P: number,
): Reducer {
  const K = reduceTerms(P);
  const slots = new Float64Array(P + vars.length), ev = new Float64Array(P + 1);
  // deno-lint-ignore require-await
  return async (p, withJ) => {
    const out = new Float64Array(K);
    slots.set(p);
    for (let i = 0; i < y.length; i++) {
      for (let v = 0; v < vars.length; v++) slots[P + v] = vars[v][i];
      kernel(slots, ev, 0);
      const wt = weights ? weights[i] : 1;
      const r = (ev[0] - y[i]) * wt;
      out[0] += r * r;
      if (withJ) {
        let q = 1 + P;
        for (let a = 0; a < P; a++) {
          const ja = ev[a + 1] * wt;
          out[1 + a] += ja * r;
          for (let c = 0; c <= a; c++) out[q++] += ja * ev[c + 1] * wt;
        }
      }
    }
    return out;
  };
}

/** One dataset of a large fit: its independent variables, data and weights. */
interface LargeDataset {
  vars: Float64Array[];
  y: ArrayLike<number>;
  weights: Float64Array | null;
}

/** One request of a fit's LM loop: a reduction at `p`. */
interface ReduceRequest {
  set: number;
  p: Float64Array;
  withJ: boolean;
  resolve: (v: Float64Array) => void;
  reject: (e: unknown) => void;
}

/** How `gpuReducers` cuts the data: points per chunk, workgroups per chunk (tests force few). */
interface ReduceTuning {
  chunkPoints?: number;
  maxGroups?: number;
}

/** Workgroups per chunk of the reduction kernel, at most (partials the host adds per chunk). */
const REDUCE_MAX_GROUPS = 1024;

/**
 * GPU reducers for several datasets that share one submit and one map per round: each fit's LM
 * loop asks its reducer for a reduction and waits; when every fit still running has asked, the
 * requests go to the GPU together (one command buffer, one read-back map), so a round costs one
 * host-device round trip however many fits there are.
 *
 * On a software adapter, whose loop limit (`SOFTWARE_LOOP_LIMIT`, llvmpipe) silently cuts an
 * invocation's loops short, chunks are sized so that no invocation sums more points than
 * `reducePointsPerInvocation(P)`; a model with so many parameters that one point does not fit
 * fails with `GpuExecutionError` (the callers fall back to the CPU with its message).
 */
async function gpuReducers(
  model: WgslEmission,
  sets: LargeDataset[],
  P: number,
  { chunkPoints, maxGroups: groupLimit }: ReduceTuning,
): Promise<
  { reducers: Reducer[]; retire: () => void; adapter: string; release: () => void } | null
> {
  const gpu = await getGpu();
  if (!gpu) return null;
  const { device } = gpu;
  const K = reduceTerms(P);
  const WG = REDUCE_WORKGROUP;
  const nVars = sets[0].vars.length;
  const NV = Math.max(1, nVars);
  const weighted = sets[0].weights !== null;
  // Points per chunk: every binding of a chunk within the adapter's limits.
  const maxBytes = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
  const groupCap = Math.max(
    1,
    Math.min(
      REDUCE_MAX_GROUPS,
      device.limits.maxComputeWorkgroupsPerDimension,
      groupLimit ?? Infinity,
    ),
  );
  // Points per chunk so that each invocation's loops stay under a software adapter's limit.
  let loopBound = Infinity;
  if (gpu.software) {
    if (/\b(for|loop|while)\b/.test(`${model.code}\n${model.helpers}`)) {
      throw new GpuExecutionError(
        `the model's WGSL has loops, so the large-data reduction cannot be kept under the ` +
          `adapter's loop limit (${SOFTWARE_LOOP_LIMIT} iterations per invocation, llvmpipe)`,
      );
    }
    const perInvocation = reducePointsPerInvocation(P);
    if (perInvocation < 1) {
      throw new GpuExecutionError(
        `the large-data reduction of ${P} parameters runs more than ${SOFTWARE_LOOP_LIMIT} loop ` +
          `iterations per invocation, the adapter's loop limit (llvmpipe), which would cut its ` +
          `sums short; use fewer parameters or a hardware GPU`,
      );
    }
    loopBound = perInvocation * groupCap * WG;
  }
  const { pipeline, layout } = await cachedPipeline(
    device,
    "lmfit-ts large reduce",
    reduceKernelWgsl({ P, nVars, weighted, model }),
    REDUCE_BINDINGS,
  );
  const owned: GPUBuffer[] = [];
  const upload = (data: Float32Array | Uint32Array, label: string, usage: number) => {
    const buf = device.createBuffer({
      label,
      size: Math.max(16, Math.ceil(data.byteLength / 4) * 4),
      usage: usage | GPUBufferUsage.COPY_DST,
    });
    device.queue.writeBuffer(buf, 0, data);
    owned.push(buf);
    return buf;
  };
  interface Chunk {
    groups: number;
    partial: GPUBuffer;
    cfg: GPUBuffer;
    bind: GPUBindGroup;
    n: number;
  }
  const perSet: { pin: GPUBuffer; chunks: Chunk[]; groups: number }[] = [];
  for (const [d, { vars, y, weights }] of sets.entries()) {
    const n = y.length;
    const perChunk = Math.max(
      WG,
      Math.min(n, Math.floor(maxBytes / (4 * NV)), chunkPoints ?? Infinity, loopBound),
    );
    const pin = upload(new Float32Array(Math.max(4, P)), `params ${d}`, GPUBufferUsage.STORAGE);
    const chunks: Chunk[] = [];
    for (let lo = 0, c = 0; lo < n; lo += perChunk, c++) {
      const m = Math.min(n, lo + perChunk) - lo;
      const ys = y instanceof Float32Array ? y.subarray(lo, lo + m) : new Float32Array(m);
      if (!(y instanceof Float32Array)) {
        if (y instanceof Float64Array) ys.set(y.subarray(lo, lo + m));
        else for (let i = 0; i < m; i++) ys[i] = y[lo + i];
      }
      const xs = new Float32Array(NV * m);
      vars.forEach((v, k) => xs.set(v.subarray(lo, lo + m), k * m));
      const groups = Math.min(Math.ceil(m / WG), groupCap);
      const partial = device.createBuffer({
        label: `partials ${d}.${c}`,
        size: groups * K * 4,
        usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC,
      });
      owned.push(partial);
      const cfg = upload(
        Uint32Array.of(m, groups * WG, 1, 0),
        `cfg ${d}.${c}`,
        GPUBufferUsage.UNIFORM,
      );
      const buffers = [
        upload(ys, `data ${d}.${c}`, GPUBufferUsage.STORAGE),
        upload(xs, `x ${d}.${c}`, GPUBufferUsage.STORAGE),
        weights
          ? upload(
            Float32Array.from(weights.subarray(lo, lo + m)),
            `weights ${d}.${c}`,
            GPUBufferUsage.STORAGE,
          )
          : pin,
        pin,
        partial,
        cfg,
      ];
      const bind = device.createBindGroup({
        label: `lmfit-ts large reduce ${d}.${c}`,
        layout,
        entries: buffers.map((b, binding) => ({ binding, resource: { buffer: b } })),
      });
      chunks.push({ groups, partial, cfg, bind, n: m });
    }
    perSet.push({ pin, chunks, groups: chunks.reduce((a, c) => a + c.groups, 0) });
  }
  const maxGroups = Math.max(...perSet.map((s) => s.groups));
  const read = device.createBuffer({
    label: "read partials",
    size: sets.length * maxGroups * K * 4,
    usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
  });
  owned.push(read);
  const col = new Float64Array(maxGroups);
  const flags = new Uint32Array(4);
  const p32 = new Float32Array(Math.max(4, P));
  // The round's requests, one per fit still running at most.
  let pending: ReduceRequest[] = [];
  let active = sets.length;
  const flush = async (batch: ReduceRequest[]) => {
    try {
      const outs = await guarded(device, "large-data reduction", async () => {
        const enc = device.createCommandEncoder({ label: "lmfit-ts large reduce" });
        batch.forEach((r, slot) => {
          const s = perSet[r.set];
          p32.set(r.p);
          device.queue.writeBuffer(s.pin, 0, p32);
          let offset = slot * maxGroups * K * 4;
          for (const ch of s.chunks) {
            flags.set([ch.n, ch.groups * WG, r.withJ ? 1 : 0, 0]);
            device.queue.writeBuffer(ch.cfg, 0, flags);
            const pass = enc.beginComputePass({ label: "lmfit-ts large reduce" });
            pass.setPipeline(pipeline);
            pass.setBindGroup(0, ch.bind);
            pass.dispatchWorkgroups(ch.groups);
            pass.end();
            enc.copyBufferToBuffer(ch.partial, 0, read, offset, ch.groups * K * 4);
            offset += ch.groups * K * 4;
          }
        });
        device.queue.submit([enc.finish()]);
        const bytes = batch.length * maxGroups * K * 4;
        await read.mapAsync(GPUMapMode.READ, 0, bytes);
        const part = new Float32Array(read.getMappedRange(0, bytes).slice(0));
        read.unmap();
        return batch.map((r, slot) => {
          const base = slot * maxGroups * K, G = perSet[r.set].groups;
          const out = new Float64Array(K);
          const nk = r.withJ ? K : 1;
          for (let k = 0; k < nk; k++) {
            for (let t = 0; t < G; t++) col[t] = part[base + t * K + k];
            out[k] = pairwise(col, 0, G);
          }
          return out;
        });
      });
      batch.forEach((r, i) => r.resolve(outs[i]));
    } catch (e) {
      batch.forEach((r) => r.reject(e));
    }
  };
  const ready = () => {
    if (pending.length > 0 && pending.length >= active) {
      const batch = pending;
      pending = [];
      flush(batch);
    }
  };
  const reducers = sets.map((_, set): Reducer => (p, withJ) =>
    new Promise<Float64Array>((resolve, reject) => {
      pending.push({ set, p: Float64Array.from(p), withJ, resolve, reject });
      ready();
    })
  );
  const retire = () => {
    active--;
    ready();
  };
  const release = () => {
    for (const b of owned) b.destroy();
  };
  return { reducers, retire, adapter: gpu.description, release };
}

function pairwise(a: Float64Array, lo: number, hi: number): number {
  if (hi - lo <= 64) {
    let s = 0;
    for (let i = lo; i < hi; i++) s += a[i];
    return s;
  }
  const mid = (lo + hi) >> 1;
  return pairwise(a, lo, mid) + pairwise(a, mid, hi);
}

function unpack(red: Float64Array, P: number, H: Float64Array, g: Float64Array): void {
  let q = 1 + P;
  for (let a = 0; a < P; a++) {
    g[a] = red[1 + a];
    for (let c = 0; c <= a; c++) {
      H[a * P + c] = red[q];
      H[c * P + a] = red[q];
      q++;
    }
  }
}

function solveDamped(
  H: Float64Array,
  g: Float64Array,
  lambda: number,
  free: Uint8Array,
  P: number,
  delta: Float64Array,
): boolean {
  const A = new Float64Array(P * P);
  for (let a = 0; a < P; a++) {
    for (let c = 0; c < P; c++) A[a * P + c] = free[a] && free[c] ? H[a * P + c] : 0;
    A[a * P + a] = free[a] ? H[a * P + a] * (1 + lambda) : 1;
  }
  // Cholesky
  for (let a = 0; a < P; a++) {
    for (let c = 0; c <= a; c++) {
      let s = A[a * P + c];
      for (let k = 0; k < c; k++) s -= A[a * P + k] * A[c * P + k];
      if (a === c) {
        if (!(s > 0)) return false;
        A[a * P + a] = Math.sqrt(s);
      } else A[a * P + c] = s / A[c * P + c];
    }
  }
  for (let a = 0; a < P; a++) {
    let s = free[a] ? -g[a] : 0;
    for (let k = 0; k < a; k++) s -= A[a * P + k] * delta[k];
    delta[a] = s / A[a * P + a];
  }
  for (let a = P - 1; a >= 0; a--) {
    let s = delta[a];
    for (let k = a + 1; k < P; k++) s -= A[k * P + a] * delta[k];
    delta[a] = s / A[a * P + a];
  }
  return true;
}

/** The LM outcome of one large fit. */
interface LargeSolve {
  p: Float64Array;
  chi2: number;
  nIter: number;
  status: LargeResult["status"];
}

/** Bounds and flags shared by the fits of a large batch. */
interface LargeBounds {
  lower: Float64Array;
  upper: Float64Array;
  free: Uint8Array;
}

/**
 * Levenberg-Marquardt on the sums `reducer` returns (χ², Jᵀr, JᵀJ), the damped system solved in
 * f64, steps clamped to the bounds. Async (each reduction may run on the GPU).
 */
async function lmSolve(
  reducer: Reducer,
  start: Float64Array,
  { lower, upper, free }: LargeBounds,
  maxIter: number,
  tol: number,
): Promise<LargeSolve> {
  const P = start.length;
  const H = new Float64Array(P * P),
    g = new Float64Array(P),
    delta = new Float64Array(P),
    pn = new Float64Array(P);
  const p = new Float64Array(P);
  for (let k = 0; k < P; k++) p[k] = Math.min(upper[k], Math.max(lower[k], start[k]));
  let status: LargeResult["status"] = "max-iter";
  let it = 0;
  let red = await reducer(p, true);
  let chi2 = red[0];
  unpack(red, P, H, g);
  let lambda = 1e-3;
  for (it = 0; it < maxIter; it++) {
    if (!solveDamped(H, g, lambda, free, P, delta)) {
      lambda *= 10;
      if (lambda > 1e15) {
        status = "singular";
        break;
      }
      continue;
    }
    for (let k = 0; k < P; k++) pn[k] = Math.min(upper[k], Math.max(lower[k], p[k] + delta[k]));
    const chi2n = (await reducer(pn, false))[0];
    if (chi2n < chi2) {
      const converged = chi2 - chi2n <= tol * chi2;
      p.set(pn);
      lambda = Math.max(lambda / 10, 1e-15);
      red = await reducer(p, true);
      chi2 = red[0];
      unpack(red, P, H, g);
      if (converged) {
        status = "converged";
        it++;
        break;
      }
    } else {
      // Gpufit's rule, as the per-fit kernels: a rejected step whose χ² is within the tolerance
      // of the current one also ends the fit (there, at the current point), instead of raising λ
      // until it passes 1e15 (which took the GPU route 17 iterations where the CPU took 7).
      if (chi2n - chi2 <= tol * chi2) {
        status = "converged";
        it++;
        break;
      }
      lambda *= 10;
      if (lambda > 1e15) {
        status = "converged";
        it++;
        break;
      }
    }
  }
  return { p, chi2, nIter: it, status };
}

/** The f64 kernel of a model: value and analytic partial derivatives at (params, vars). */
function largeKernel(spec: BatchModelSpec): {
  kernel: (s: Float64Array, out: Float64Array, o: number) => void;
  derivs: Node[];
} {
  const derivs = spec.paramNames.map((nm) => derivative(spec.expression, nm));
  const slotNames = [...spec.paramNames, ...spec.independentVars];
  const bind = (name: string): Binding | undefined => {
    const i = slotNames.indexOf(name);
    return i < 0 ? undefined : { kind: "slot", index: i };
  };
  return { kernel: compileMany([spec.expression, ...derivs], bind), derivs };
}

/** The model and its derivatives as WGSL (throws UnsupportedOnGpuError when WGSL cannot). */
function largeEmission(spec: BatchModelSpec, derivs: Node[]): WgslEmission {
  const names: Record<string, string> = {};
  spec.paramNames.forEach((nm, k) => (names[nm] = `p[${k}]`));
  spec.independentVars.forEach((nm, k) => (names[nm] = `xv[${k}]`));
  return emitWgsl([spec.expression, ...derivs], names);
}

/**
 * Fits one (huge) dataset; the sums over points run on the GPU or the CPU, the solve in f64.
 * Async.
 *
 * @example
 * ```ts
 * import { fitLarge } from "../../mod.ts";
 * const x = Float64Array.from({ length: 100_000 }, (_, i) => i / 1e4);
 * const y = x.map((v) => 3 * Math.exp(-v / 2) + 0.5);
 * const r = await fitLarge("a*exp(-x/tau) + c", { x, y, params: { a: 1, tau: 1, c: 0 }, device: "cpu" });
 * r.get("tau"); // ≈ 2
 * ```
 *
 * @category Batch and GPU
 */
export async function fitLarge(
  model: BaseModel | string | BatchModelSpec | { batchSpec(): BatchModelSpec },
  options: FitLargeOptions,
): Promise<LargeResult> {
  checkOptions(options, FIT_LARGE_KEYS, "fitLarge");
  const spec = batchSpecOf(model);
  checkBatchInputs(options.params, options.vars, spec, "fitLarge");
  const P = spec.paramNames.length;
  const given: Record<string, ArrayLike<number>> = { ...(options.vars ?? {}) };
  if (options.x !== undefined && !("x" in given)) given.x = options.x;
  const n = options.y.length;
  const vars = spec.independentVars.map((v) => {
    const arr = given[v];
    if (!arr) throw new TypeError(`fitLarge: missing independent variable '${v}'`);
    if (arr.length !== n) {
      throw new RangeError(`fitLarge: '${v}' has ${arr.length} values but the data has ${n}`);
    }
    return arr instanceof Float64Array ? arr : Float64Array.from(arr);
  });
  const weights = options.weights ? Float64Array.from(options.weights) : null;
  const p = new Float64Array(P),
    lower = new Float64Array(P).fill(-Infinity),
    upper = new Float64Array(P).fill(Infinity);
  const free = new Uint8Array(P).fill(1);
  spec.paramNames.forEach((name, k) => {
    const v = options.params[name];
    if (v === undefined) throw new TypeError(`fitLarge: no start value for '${name}'`);
    const s = typeof v === "number" ? { value: v } : v;
    lower[k] = s.min ?? -Infinity;
    upper[k] = s.max ?? Infinity;
    p[k] = s.value;
    free[k] = s.vary === false ? 0 : 1;
  });
  const { kernel, derivs } = largeKernel(spec);
  const data: LargeDataset = { vars, y: options.y, weights };
  const cpu = cpuReducer(kernel, vars, options.y, weights, P);
  const bounds = { lower, upper, free };
  const maxIter = options.maxIter ?? 100;

  const device = options.device ?? "auto";
  let ran: "gpu" | "cpu" = "cpu", reason = "CPU: requested";
  let sol: LargeSolve | null = null;
  if (device !== "cpu") {
    const gpu = await getGpu();
    if (!gpu) reason = `CPU: ${gpuUnavailableReason() ?? "no GPU"}`;
    else if (device === "auto" && gpu.software) {
      reason = `CPU: the only GPU adapter is a software rasteriser (${gpu.description})`;
    } else {
      const r = await solveOnGpu(spec, derivs, [data], [p], bounds, maxIter, options.tol ?? 1e-6, {
        chunkPoints: options.chunkPoints,
      });
      reason = r.reason;
      if (r.solved && r.solved[0]) {
        sol = r.solved[0];
        ran = "gpu";
      } else if (r.solved) reason = "CPU: the GPU's float32 sums were not finite (overflow)";
    }
  }
  sol ??= await lmSolve(cpu, p, bounds, maxIter, options.tol ?? 1e-9);
  // f64 statistics at the solution.
  const H = new Float64Array(P * P), g = new Float64Array(P);
  const final = await cpu(sol.p, true);
  unpack(final, P, H, g);
  const chisqr = final[0];
  const nFree = free.reduce((a, v) => a + v, 0);
  const stderr = new Float64Array(P);
  const e = new Float64Array(P), col = new Float64Array(P);
  for (let a = 0; a < P; a++) {
    if (!free[a]) continue;
    e.fill(0);
    e[a] = -1;
    if (solveDamped(H, e, 0, free, P, col)) {
      stderr[a] = Math.sqrt((col[a] * chisqr) / Math.max(1, n - nFree));
    } else stderr[a] = NaN;
  }
  const paramNames = [...spec.paramNames];
  const values = sol.p;
  return {
    paramNames,
    values,
    stderr,
    chisqr,
    nIter: sol.nIter,
    status: sol.status,
    device: ran,
    reason,
    nPoints: n,
    get(name: string): number {
      const k = paramNames.indexOf(name);
      if (k < 0) {
        throw new RangeError(`no parameter '${name}'; the model has ${paramNames.join(", ")}`);
      }
      return values[k];
    },
  };
}

/**
 * Runs the LM loops of several large fits on the GPU together (one submit and one map per
 * round). `solved` is null when the GPU could not run them (`reason` says why); an entry is null
 * when that fit's float32 sums were not finite.
 */
async function solveOnGpu(
  spec: BatchModelSpec,
  derivs: Node[],
  sets: LargeDataset[],
  starts: Float64Array[],
  bounds: LargeBounds,
  maxIter: number,
  tol: number,
  tuning: ReduceTuning,
): Promise<{ solved: (LargeSolve | null)[] | null; reason: string }> {
  try {
    const g = await gpuReducers(largeEmission(spec, derivs), sets, spec.paramNames.length, tuning);
    if (!g) return { solved: null, reason: `CPU: ${gpuUnavailableReason() ?? "no GPU"}` };
    try {
      const solved = await Promise.all(
        g.reducers.map(async (reduce, d) => {
          try {
            const s = await lmSolve(reduce, starts[d], bounds, maxIter, tol);
            return Number.isFinite(s.chi2) && s.p.every(Number.isFinite) ? s : null;
          } finally {
            g.retire();
          }
        }),
      );
      return { solved, reason: `GPU: ${g.adapter}` };
    } finally {
      g.release();
    }
  } catch (e) {
    if (!(e instanceof UnsupportedOnGpuError || e instanceof GpuExecutionError)) throw e;
    return { solved: null, reason: `CPU: ${e.message}` };
  }
}

/** Bytes of data a group of large fits uploads at once (groups run one after another). */
const LARGE_GROUP_BYTES = 2 ** 30;

/**
 * Fits every dataset of a batch with `fitLarge`'s points-parallel GPU reductions: each fit's
 * sums are spread over the whole GPU, and the LM loops of all fits (in groups of at most 1 GiB of
 * data) advance together, one submit and one map per round. Fits whose float32 sums are not
 * finite are rerun on the CPU in f64. `out` is null when the GPU cannot run the model or fails
 * (`reason` says why); statistics are left to the caller. Async.
 *
 * @param spec the model.
 * @param prob the batch (per-fit or shared independent variables and weights).
 * @param settings iterations and the relative χ² tolerance.
 * @param chunkPoints points per GPU chunk (default: as many as the adapter's limits allow).
 * @param maxGroups workgroups per chunk, at most (default 1024; tests force few invocations, so
 *   many points per invocation).
 * @returns per-fit values, χ², iterations and status codes (0 converged, 1 max-iter,
 *   2 singular), or null, with the reason.
 *
 * @example
 * ```ts ignore
 * const { out, reason } = await fitLargeBatchOnGpu(spec, prob, { maxIter: 200, tol: 1e-6 });
 * ```
 */
export async function fitLargeBatchOnGpu(
  spec: BatchModelSpec,
  prob: BatchProblem,
  settings: BatchLmSettings,
  chunkPoints?: number,
  maxGroups?: number,
): Promise<{ out: BatchLmOutput | null; reason: string }> {
  const { nFits: B, nPoints: N, nParams: P } = prob;
  const { kernel, derivs } = largeKernel(spec);
  const bounds = { lower: prob.lower, upper: prob.upper, free: prob.free };
  const view = (a: ArrayLike<number>, b: number): ArrayLike<number> =>
    ArrayBuffer.isView(a)
      ? (a as Float32Array | Float64Array).subarray(b * N, b * N + N)
      : Array.prototype.slice.call(a, b * N, b * N + N);
  const dataset = (b: number): LargeDataset => ({
    vars: prob.varsPerFit ? prob.vars.map((v) => v.subarray(b * N, b * N + N)) : prob.vars,
    y: view(prob.y, b),
    weights: prob.weights === null
      ? null
      : Float64Array.from(prob.weights.length === N ? prob.weights : view(prob.weights, b)),
  });
  const out: BatchLmOutput = {
    values: new Float64Array(B * P),
    chisqr: new Float64Array(B),
    nIter: new Int32Array(B),
    statusCode: new Int32Array(B),
  };
  const code = { converged: 0, "max-iter": 1, singular: 2 } as const;
  const put = (b: number, s: LargeSolve) => {
    out.values.set(s.p, b * P);
    out.chisqr[b] = s.chi2;
    out.nIter[b] = s.nIter;
    out.statusCode[b] = code[s.status];
  };
  const perGroup = Math.max(1, Math.floor(LARGE_GROUP_BYTES / (4 * N * (1 + prob.vars.length))));
  let reason = "";
  let overflowed = 0;
  for (let first = 0; first < B; first += perGroup) {
    const idx = Array.from({ length: Math.min(perGroup, B - first) }, (_, j) => first + j);
    const sets = idx.map(dataset);
    const starts = idx.map((b) => prob.start.subarray(b * P, b * P + P));
    const r = await solveOnGpu(spec, derivs, sets, starts, bounds, settings.maxIter, settings.tol, {
      chunkPoints,
      maxGroups,
    });
    if (!r.solved) return { out: null, reason: r.reason };
    reason = r.reason;
    for (const [j, s] of r.solved.entries()) {
      if (s) {
        put(idx[j], s);
        continue;
      }
      overflowed++;
      const d = sets[j];
      const cpu = cpuReducer(kernel, [...d.vars], d.y, d.weights, P);
      put(idx[j], await lmSolve(cpu, starts[j], bounds, settings.maxIter, settings.tol));
    }
  }
  if (overflowed) {
    reason += `; ${overflowed} fit${
      overflowed > 1 ? "s" : ""
    } with non-finite float32 sums re-run on the CPU`;
  }
  return { out, reason };
}
