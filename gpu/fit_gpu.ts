/**
 * Runs the batched LM kernel on the shared WebGPU device: pipelines cached per device and
 * shader; buffers kept per device and problem shape and reused across calls; the fits split into
 * chunks sized from the device's limits; two sets of buffers, so one chunk's upload overlaps the
 * previous chunk's kernel and read-back; one typed-array copy each way.
 *
 * @module
 */

import type {
  BatchFitArrays,
  BatchLmOutput,
  BatchLmSettings,
  BatchProblem,
} from "../lib/batch/batch_lm.ts";
import { getGpu, onGpuRelease } from "./device.ts";
import { cachedPipeline } from "./pipeline_cache.ts";
import {
  LM_STATUS_WORDS,
  LM_UNIFORM_BYTES,
  LM_WORKGROUP,
  LOOP_LIMIT_REACHED,
} from "./lm_kernel.wgsl.ts";
import { SOFTWARE_LOOP_LIMIT } from "./_lm_wgsl_parts.ts";
import {
  chooseKernelLayout,
  type KernelLayout,
  lmKernel,
  SOFTWARE_BUSY_INVOCATIONS,
  workgroupSizeOrThrow,
} from "./kernel_layout.ts";
import { lmWorkgroupSize } from "./lm_kernel_wg.wgsl.ts";
import type { WgslEmission } from "./wgsl_codegen.ts";

/**
 * Thrown when the GPU fails while fitting (shader or pipeline validation, out of memory, a lost
 * device, a failed read-back); `fitBatch` and `fitLarge` then run the CPU path and report it.
 *
 * @example
 * ```ts
 * import { GpuExecutionError } from "./fit_gpu.ts";
 * const err = new GpuExecutionError("batched LM kernel: out of memory");
 * err.message; // "GPU failure: batched LM kernel: out of memory"
 * err.name; // "GpuExecutionError"
 * ```
 *
 * @category Batch and GPU
 */
export class GpuExecutionError extends Error {
  /**
   * Creates the error.
   * @param what the failed action and the device's message.
   */
  constructor(what: string) {
    super(`GPU failure: ${what}`);
    this.name = "GpuExecutionError";
  }
}

/**
 * Runs `work` inside validation, out-of-memory and internal error scopes on `device`, turning
 * any GPU error (or a rejected promise, as from a lost device) into a `GpuExecutionError`.
 * Async.
 *
 * @example
 * ```ts ignore
 * const out = await guarded(device, "batch LM", async () => { ... });
 * ```
 */
export async function guarded<T>(
  device: GPUDevice,
  what: string,
  work: () => Promise<T>,
): Promise<T> {
  device.pushErrorScope("internal");
  device.pushErrorScope("out-of-memory");
  device.pushErrorScope("validation");
  let result: T;
  try {
    result = await work();
  } catch (e) {
    const errs = await Promise.allSettled([
      device.popErrorScope(),
      device.popErrorScope(),
      device.popErrorScope(),
    ]);
    const scoped = errs.map((r) => (r.status === "fulfilled" && r.value ? r.value.message : ""))
      .filter((m) => m);
    throw new GpuExecutionError(
      `${what}: ${[(e as Error)?.message ?? String(e), ...scoped].join("; ")}`,
    );
  }
  const errs = [
    await device.popErrorScope(),
    await device.popErrorScope(),
    await device
      .popErrorScope(),
  ];
  const msgs = errs.filter((e) => e).map((e) => e!.message);
  if (msgs.length) throw new GpuExecutionError(`${what}: ${msgs.join("; ")}`);
  return result;
}

/**
 * The tolerance the f32 kernel uses for a requested relative chi-square tolerance: chi-square
 * summed in f32 over N points carries a relative rounding noise near √N·2⁻²⁴, and a tolerance
 * below a few times that noise makes fits end only when λ overflows (17.5 iterations per fit
 * instead of 5 measured on Gaussian-2D 5×5 with tol 1e-6).
 *
 * @param tol the requested relative tolerance.
 * @param nPoints points per fit.
 * @returns max(tol, 8·√N·2⁻²⁴).
 *
 * @example
 * ```ts
 * import { float32Tolerance } from "./fit_gpu.ts";
 * float32Tolerance(1e-6, 25); // ≈ 2.4e-6: the f32 noise floor for 25 points
 * float32Tolerance(1e-4, 25); // 1e-4: already above it
 * ```
 */
export function float32Tolerance(tol: number, nPoints: number): number {
  return Math.max(tol, 8 * Math.sqrt(nPoints) * 2 ** -24);
}

/** Largest scaled condition number of JᵀJ for which the f32 standard errors are kept. */
export const F32_CONDITION_MAX = 1e3;

/**
 * The device limits chunking reads (a test may pass smaller ones).
 *
 * @category Batch and GPU
 */
export interface GpuChunkLimits {
  /** Largest storage binding in bytes. */
  maxStorageBufferBindingSize: number;
  /** Largest buffer in bytes. */
  maxBufferSize: number;
  /** Largest dispatch in workgroups along x. */
  maxComputeWorkgroupsPerDimension: number;
}

/**
 * Timings of one GPU batch, in milliseconds. `kernelMs` is wall time during which the device is
 * known to be busy: the union of each chunk's interval from submit to completion (the map's
 * resolution; on a software adapter, which runs the kernel inside submit, the return of submit)
 * and the host's waits for read-back maps. `uploadMs` and `readbackMs` are host time, overlapped
 * with kernels only on an adapter with an asynchronous submit: the host time not overlapped with
 * a kernel is the call's wall time minus `kernelMs`.
 */
export interface GpuTimings {
  /** Converting and writing inputs, encoding commands (host). */
  uploadMs: number;
  /** Wall time with a kernel or its transfers in flight (device). */
  kernelMs: number;
  /** Copying results out of the mapped read-back buffer (host). */
  readbackMs: number;
  /** Chunks run. */
  chunks: number;
}

/** What the GPU returns beyond the LM outputs. */
export interface GpuBatchOutput extends BatchLmOutput {
  /** Standard errors computed in f32, nFits × P (0 for fixed parameters). */
  stderr: Float64Array;
  /** Correlations computed in f32, nFits × F(F−1)/2 pairs of free parameters (a < c). */
  correl: Float64Array;
  /** Fits whose loops the driver's loop limit cut short (`LOOP_LIMIT_REACHED`; llvmpipe). */
  loopLimitCut: number;
  /** Fits, ascending, whose f32 chi-square or values are not finite (to rerun in f64). */
  nonFinite: number[];
  /** Fits, ascending, whose statistics need an f64 pass: flagged or not finite. */
  needF64: number[];
  /** The adapter. */
  adapter: string;
  /** Whether it is a software adapter. */
  software: boolean;
  /** The kernel layout that ran: one invocation or one workgroup per fit. */
  layout: KernelLayout;
  /** Why the layout that ran is not the one chosen or asked for (absent or empty when it is). */
  layoutNote?: string;
  /** Timings. */
  timing: GpuTimings;
}

/**
 * Fits the batch on the GPU; returns `null` (with no side effects) when no device is available,
 * and throws `GpuExecutionError` when the GPU fails. Fits whose loops the driver cut short
 * (llvmpipe's loop limit) are never returned: a batch of one invocation per fit runs again with
 * one workgroup per fit (`layoutNote` says why), and a cut that remains is a `GpuExecutionError`.
 * With `dest`, the results are copied straight from the read-back into its arrays (each exactly
 * as long as the batch needs), which the output then holds. Async.
 *
 * @example
 * ```ts ignore
 * const out = await fitBatchOnGpu(problem, emitWgsl([f, ...derivs], names), { maxIter: 200, tol: 1e-6 });
 * ```
 */
export async function fitBatchOnGpu(
  prob: BatchProblem,
  model: WgslEmission,
  settings: BatchLmSettings,
  limits?: Partial<GpuChunkLimits>,
  staging?: boolean,
  layout: "auto" | KernelLayout = "auto",
  dest?: BatchFitArrays,
): Promise<GpuBatchOutput | null> {
  const gpu = await getGpu();
  if (!gpu) return null;
  const { device } = gpu;
  const nFree = prob.free.reduce((a, v) => a + v, 0);
  const storage = device.limits.maxComputeWorkgroupStorageSize;
  const chosen = layout === "auto"
    ? chooseKernelLayout(prob.nPoints, prob.nFits, {
      nFree,
      nParams: prob.nParams,
      maxComputeWorkgroupStorageSize: storage,
      busyInvocations: gpu.software ? SOFTWARE_BUSY_INVOCATIONS : undefined,
    })
    : layout;
  // Bad input, not a GPU failure: checked before `guarded`, which would turn it into a fallback.
  if (chosen === "workgroup") workgroupSizeOrThrow(nFree, prob.nParams, storage);
  // Workgroup staging (coalesced loads) by default on hardware; llvmpipe compiles kernels with
  // barriers very slowly (3 minutes instead of 2 s for some models measured here).
  const stage = staging ?? !gpu.software;
  const runLayout = (kernelLayout: KernelLayout) =>
    guarded(
      device,
      "batched LM kernel",
      () =>
        run(
          device,
          prob,
          model,
          settings,
          stage,
          kernelLayout,
          {
            maxStorageBufferBindingSize: limits?.maxStorageBufferBindingSize ??
              device.limits.maxStorageBufferBindingSize,
            maxBufferSize: limits?.maxBufferSize ?? device.limits.maxBufferSize,
            maxComputeWorkgroupsPerDimension: limits?.maxComputeWorkgroupsPerDimension ??
              device.limits.maxComputeWorkgroupsPerDimension,
          },
          gpu.software,
          dest,
        ),
    );
  // llvmpipe stops an invocation's loops after 65,535 iterations in all, so one invocation per
  // fit of thousands of points ends early with wrong sums; the kernel flags such fits. They are
  // never returned: the batch runs again with a workgroup per fit (a few points per invocation),
  // or, when that is cut too or cannot run, fails to the CPU path with the reason.
  const cut = (o: { loopLimitCut: number }) => o.loopLimitCut;
  const limitNote = (n: number, l: KernelLayout) =>
    `${n} of ${prob.nFits} fits of ${prob.nPoints} points reached the adapter's loop limit ` +
    `(${SOFTWARE_LOOP_LIMIT} iterations per invocation, llvmpipe) with one ${
      l === "thread" ? "invocation" : "workgroup"
    } per fit`;
  let ran = chosen, layoutNote = "";
  let out = await runLayout(ran);
  let nCut = cut(out);
  if (nCut > 0 && ran === "thread" && lmWorkgroupSize(nFree, prob.nParams, storage) > 0) {
    layoutNote = `${limitNote(nCut, ran)}: re-run with one workgroup per fit`;
    ran = "workgroup";
    out = await runLayout(ran);
    nCut = cut(out);
  }
  if (nCut > 0) {
    throw new GpuExecutionError(
      `${
        limitNote(nCut, ran)
      }, which cuts their sums short; fitLarge fits datasets this large, or use fewer points per fit`,
    );
  }
  return { ...out, adapter: gpu.description, software: gpu.software, layout: ran, layoutNote };
}

/**
 * One set of chunk buffers. The kernel's three outputs (parameters, per-fit words, standard
 * errors and correlations) are copied into one MAP_READ buffer, so a chunk costs one map.
 */
interface Slot {
  ys: GPUBuffer;
  xs: GPUBuffer | null;
  ws: GPUBuffer | null;
  params: GPUBuffer;
  stats: GPUBuffer;
  errs: GPUBuffer;
  cfg: GPUBuffer;
  read: GPUBuffer;
  /**
   * Persistent upload staging (MAP_WRITE): a chunk's inputs are written (converted to f32) into
   * its mapped range, the one host copy, and copied to the storage buffers on the device. Kept
   * mapped between uses, so its memory is never reallocated (writeBuffer's staging is, and on
   * a VM each first touch of fresh memory costs a page fault).
   */
  stage: GPUBuffer;
  /** The map of `stage` for the next chunk, pending while its last copy runs; null when mapped. */
  writable: Promise<void> | null;
  /** The chunk in flight: its first fit, count, and the map that resolves when it is done. */
  inflight: { first: number; count: number; mapped: Promise<number> } | null;
}

interface SlotSet {
  /** The problem shape. */
  key: string;
  /** Fits each slot holds. */
  capacity: number;
  slots: Slot[];
}

const slotCache = new WeakMap<GPUDevice, SlotSet>();

/** Byte offsets of the sections of a chunk's read-back buffer. */
function readLayout(chunk: number, P: number, nPairs: number) {
  const stats = chunk * P * 4;
  const errs = stats + chunk * LM_STATUS_WORDS * 4;
  return { stats, errs, end: errs + chunk * (P + nPairs) * 4 };
}

function makeSlot(
  device: GPUDevice,
  chunk: number,
  N: number,
  P: number,
  nPairs: number,
  perFitX: number,
  perFitW: boolean,
): Slot {
  const S = GPUBufferUsage.STORAGE, D = GPUBufferUsage.COPY_DST, R = GPUBufferUsage.COPY_SRC;
  const mk = (label: string, bytes: number, usage: number) =>
    device.createBuffer({ label: `lmfit-ts ${label}`, size: Math.max(16, bytes), usage });
  return {
    ys: mk("data", chunk * N * 4, S | D),
    xs: perFitX ? mk("x per fit", perFitX * chunk * N * 4, S | D) : null,
    ws: perFitW ? mk("weights per fit", chunk * N * 4, S | D) : null,
    params: mk("params", chunk * P * 4, S | D | R),
    stats: mk("status", chunk * LM_STATUS_WORDS * 4, S | R),
    errs: mk("stderr and correl", chunk * (P + nPairs) * 4, S | R),
    cfg: mk("cfg", LM_UNIFORM_BYTES, GPUBufferUsage.UNIFORM | D),
    read: mk("read-back", readLayout(chunk, P, nPairs).end, GPUBufferUsage.MAP_READ | D),
    stage: device.createBuffer({
      label: "lmfit-ts upload staging",
      size: Math.max(16, writeLayout(chunk, N, P, perFitX, perFitW).end),
      usage: GPUBufferUsage.MAP_WRITE | GPUBufferUsage.COPY_SRC,
      mappedAtCreation: true,
    }),
    writable: null,
    inflight: null,
  };
}

function destroySlot(s: Slot): void {
  for (const b of [s.ys, s.xs, s.ws, s.params, s.stats, s.errs, s.cfg, s.read, s.stage]) {
    // The staging rests mapped between calls: unmapped first, so no mapping outlives its buffer.
    if (b?.mapState === "mapped") b.unmap();
    b?.destroy();
  }
}

/** Fewest fits per chunk when the batch is split for overlap. */
const MIN_OVERLAP_CHUNK = 16384;

/**
 * Fits per GPU chunk: the most the device's limits allow (every per-fit binding within
 * maxStorageBufferBindingSize and maxBufferSize, the dispatch within
 * maxComputeWorkgroupsPerDimension), and for large batches about an eighth of the batch (at least
 * 16,384 fits), so the first chunk's upload and the last chunk's read-back, the only host work
 * not overlapped with a kernel, stay small.
 *
 * @param B fits.
 * @param N points per fit.
 * @param P parameters.
 * @param nPairs correlation pairs per fit.
 * @param perFitX independent variables stored per fit (0 when shared).
 * @param limits the device's limits.
 * @param fitsPerWorkgroup fits one workgroup runs (64 with one invocation per fit, 1 with one
 *   workgroup per fit).
 * @returns fits per chunk (≥ 1); throws a RangeError when one fit exceeds the limits.
 *
 * @example
 * ```ts
 * import { gpuChunkSize } from "./fit_gpu.ts";
 * const limits = { maxStorageBufferBindingSize: 2 ** 27, maxBufferSize: 2 ** 28, maxComputeWorkgroupsPerDimension: 65535 };
 * gpuChunkSize(1_000_000, 25, 5, 10, 0, limits); // 125,056: an eighth of the batch
 * gpuChunkSize(1_000_000, 1024, 5, 10, 0, limits); // 32,768: 4 KiB of data per fit, 128 MiB per binding
 * ```
 */
export function gpuChunkSize(
  B: number,
  N: number,
  P: number,
  nPairs: number,
  perFitX: number,
  limits: GpuChunkLimits,
  fitsPerWorkgroup: number = LM_WORKGROUP,
): number {
  const widest = 4 * Math.max(N, perFitX * N, P + nPairs, LM_STATUS_WORDS);
  const byLimits = Math.min(
    Math.floor(limits.maxStorageBufferBindingSize / widest),
    Math.floor(limits.maxBufferSize / widest),
    limits.maxComputeWorkgroupsPerDimension * fitsPerWorkgroup,
  );
  if (byLimits < 1) {
    throw new RangeError(
      `one fit needs a ${widest}-byte buffer but the device allows ${
        Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize)
      } bytes`,
    );
  }
  const overlap = Math.max(
    MIN_OVERLAP_CHUNK,
    Math.ceil(B / 8 / fitsPerWorkgroup) * fitsPerWorkgroup,
  );
  return Math.max(1, Math.min(byLimits, overlap, B));
}

/** Byte offsets of the sections of a chunk's upload staging: data, starts, x and weights per fit. */
function writeLayout(chunk: number, N: number, P: number, perFitX: number, perFitW: boolean) {
  const params = chunk * N * 4;
  const xs = params + chunk * P * 4;
  const ws = xs + perFitX * chunk * N * 4;
  return { params, xs, ws, end: ws + (perFitW ? chunk * N * 4 : 0) };
}

/** Writes `row` `count` times as f32 into `range` at `offset` bytes, by doubling copies. */
function repeat(range: ArrayBuffer, offset: number, row: Float64Array, count: number): void {
  const dst = new Float32Array(range, offset, count * row.length);
  dst.set(row);
  for (let n = row.length; n < dst.length; n *= 2) {
    dst.copyWithin(n, 0, Math.min(n, dst.length - n));
  }
}

/** Writes `src[lo … lo+n)` as f32 into `range` at `offset` bytes (the one host copy). */
function put(range: ArrayBuffer, offset: number, src: ArrayLike<number>, lo: number, n: number) {
  const dst = new Float32Array(range, offset, n);
  if (src instanceof Float32Array || src instanceof Float64Array) dst.set(src.subarray(lo, lo + n));
  else for (let i = 0; i < n; i++) dst[i] = src[lo + i];
}

async function run(
  device: GPUDevice,
  prob: BatchProblem,
  model: WgslEmission,
  settings: BatchLmSettings,
  stage: boolean,
  kernelLayout: KernelLayout,
  limits: GpuChunkLimits,
  syncSubmit: boolean,
  dest?: BatchFitArrays,
): Promise<Omit<GpuBatchOutput, "adapter" | "software" | "layout">> {
  const { nFits: B, nPoints: N, nParams: P, vars, varsPerFit, weights } = prob;
  const weightsMode: 0 | 1 | 2 = weights === null ? 0 : weights.length === N ? 1 : 2;
  const nFree = prob.free.reduce((a, v) => a + v, 0);
  const nPairs = (nFree * (nFree - 1)) / 2;
  const { code, fitsPerWorkgroup } = lmKernel(kernelLayout, {
    P,
    N,
    nVars: vars.length,
    varsPerFit,
    weightsMode,
    model,
    free: prob.free,
    lower: prob.lower,
    upper: prob.upper,
    stage,
  }, device.limits.maxComputeWorkgroupStorageSize);
  const { pipeline, layout } = await cachedPipeline(device, "lmfit-ts batch LM", code, [
    "read-only-storage",
    "read-only-storage",
    "read-only-storage",
    "storage",
    "storage",
    "storage",
    "uniform",
  ]);
  const chunk = gpuChunkSize(
    B,
    N,
    P,
    nPairs,
    varsPerFit ? vars.length : 0,
    limits,
    fitsPerWorkgroup,
  );
  const perFitX = varsPerFit ? vars.length : 0;
  // Buffers of the same problem shape are reused while they hold a chunk.
  const key = [N, P, nPairs, perFitX, weightsMode === 2].join(",");
  let set = slotCache.get(device);
  if (!set || set.key !== key || set.capacity < chunk) {
    set?.slots.forEach(destroySlot);
    set = {
      key,
      capacity: chunk,
      slots: [0, 1].map(() => makeSlot(device, chunk, N, P, nPairs, perFitX, weightsMode === 2)),
    };
    if (!slotCache.has(device)) {
      onGpuRelease(() => {
        slotCache.get(device)?.slots.forEach(destroySlot);
        slotCache.delete(device);
      });
    }
    slotCache.set(device, set);
  }
  const slots = set.slots;
  const sharedX = varsPerFit ? null : device.createBuffer({
    label: "lmfit-ts x",
    size: Math.max(16, vars.length * N * 4),
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
  });
  if (sharedX) {
    const xs = new Float32Array(vars.length * N);
    vars.forEach((v, k) => xs.set(v, k * N));
    device.queue.writeBuffer(sharedX, 0, xs);
  }
  const sharedW = device.createBuffer({
    label: "lmfit-ts weights",
    size: Math.max(16, weightsMode === 1 ? N * 4 : 16),
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
  });
  if (weightsMode === 1) device.queue.writeBuffer(sharedW, 0, Float32Array.from(weights!));

  // The caller's arrays (fitBatch's `out`), or fresh ones.
  const { values, chisqr, nIter, statusCode: status, stderr, correl } = dest ?? {
    values: new Float64Array(B * P),
    chisqr: new Float64Array(B),
    nIter: new Int32Array(B),
    statusCode: new Int32Array(B),
    stderr: new Float64Array(B * P),
    correl: new Float64Array(B * nPairs),
  };
  let loopLimitCut = 0;
  const nonFinite: number[] = [], needF64: number[] = [];
  const timing: GpuTimings = { uploadMs: 0, kernelMs: 0, readbackMs: 0, chunks: 0 };
  const tolF32 = float32Tolerance(settings.tol, N);
  const cfg = new ArrayBuffer(LM_UNIFORM_BYTES);
  const at = readLayout(chunk, P, nPairs);
  const wl = writeLayout(chunk, N, P, perFitX, weightsMode === 2);
  // Device time: the union of the intervals in which the device is known to be busy: each chunk
  // from its submit to its completion, and the host's waits for a read-back. With an
  // asynchronous submit (hardware) completion is when the map resolves; a software adapter runs
  // the kernel inside submit (llvmpipe, measured), so there the interval ends when submit returns
  // and the host work around it is never counted as overlapped.
  const busy: [number, number][] = [];

  // Results copied once, from the mapped range into the result arrays (de-interleaving the
  // per-fit words); the fits that need f64 work are listed on the way.
  const finish = async (slot: Slot): Promise<void> => {
    const { first, count, mapped } = slot.inflight!;
    const w0 = performance.now();
    await mapped;
    const t0 = performance.now();
    busy.push([w0, t0]);
    const buf = slot.read.getMappedRange(0, at.end);
    values.set(new Float32Array(buf, 0, count * P), first * P);
    const words = new Uint32Array(buf, at.stats, count * LM_STATUS_WORDS);
    const floats = new Float32Array(buf, at.stats, count * LM_STATUS_WORDS);
    const errs = new Float32Array(buf, at.errs, count * (P + nPairs));
    stderr.set(errs.subarray(0, count * P), first * P);
    correl.set(errs.subarray(count * P), first * nPairs);
    for (let i = 0, b = first; i < count; i++, b++) {
      const c = floats[4 * i];
      chisqr[b] = c;
      nIter[b] = words[4 * i + 1];
      status[b] = words[4 * i + 2];
      const flags = words[4 * i + 3];
      if ((flags & LOOP_LIMIT_REACHED) !== 0) loopLimitCut++;
      let finite = Number.isFinite(c);
      for (let k = b * P; k < b * P + P && finite; k++) finite = Number.isFinite(values[k]);
      if (!finite) nonFinite.push(b);
      if (!finite || flags !== 0) needF64.push(b);
    }
    slot.read.unmap();
    slot.inflight = null;
    timing.readbackMs += performance.now() - t0;
  };

  try {
    for (let first = 0, k = 0; first < B; first += chunk, k++) {
      const count = Math.min(chunk, B - first);
      const slot = slots[k % 2];
      if (slot.inflight) await finish(slot);
      const t0 = performance.now();
      if (slot.writable) await slot.writable;
      slot.writable = null;
      const range = slot.stage.getMappedRange(0, wl.end);
      put(range, 0, prob.y, first * N, count * N);
      if (prob.startRow) repeat(range, wl.params, prob.startRow, count);
      else put(range, wl.params, prob.start, first * P, count * P);
      if (slot.xs) {
        vars.forEach((v, j) => put(range, wl.xs + j * count * N * 4, v, first * N, count * N));
      }
      if (slot.ws) put(range, wl.ws, weights!, first * N, count * N);
      slot.stage.unmap();
      new Uint32Array(cfg, 0, 2).set([count, settings.maxIter]);
      new Float32Array(cfg, 8, 2).set([tolF32, F32_CONDITION_MAX]);
      device.queue.writeBuffer(slot.cfg, 0, cfg, 0, LM_UNIFORM_BYTES);
      const bind = device.createBindGroup({
        label: "lmfit-ts batch LM",
        layout,
        entries: [
          slot.ys,
          slot.xs ?? sharedX!,
          slot.ws ?? sharedW,
          slot.params,
          slot.stats,
          slot.errs,
          slot.cfg,
        ].map((buffer, binding) => ({ binding, resource: { buffer } })),
      });
      const enc = device.createCommandEncoder({ label: "lmfit-ts batch LM" });
      const up = (dst: GPUBuffer, offset: number, bytes: number) =>
        enc.copyBufferToBuffer(slot.stage, offset, dst, 0, bytes);
      up(slot.ys, 0, count * N * 4);
      up(slot.params, wl.params, count * P * 4);
      if (slot.xs) up(slot.xs, wl.xs, perFitX * count * N * 4);
      if (slot.ws) up(slot.ws, wl.ws, count * N * 4);
      const pass = enc.beginComputePass({ label: "lmfit-ts batch LM" });
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bind);
      pass.dispatchWorkgroups(Math.ceil(count / fitsPerWorkgroup));
      pass.end();
      const cp = (src: GPUBuffer, offset: number, bytes: number) =>
        enc.copyBufferToBuffer(src, 0, slot.read, offset, Math.ceil(bytes / 4) * 4);
      cp(slot.params, 0, count * P * 4);
      cp(slot.stats, at.stats, count * LM_STATUS_WORDS * 4);
      cp(slot.errs, at.errs, count * (P + nPairs) * 4);
      const submitted = performance.now();
      timing.uploadMs += submitted - t0;
      device.queue.submit([enc.finish()]);
      const returned = performance.now();
      const interval: [number, number] = [submitted, returned];
      busy.push(interval);
      const mapped = slot.read.mapAsync(GPUMapMode.READ, 0, at.end).then(() => {
        const done = performance.now();
        if (!syncSubmit) interval[1] = done;
        return done;
      });
      mapped.catch(() => {}); // a failed map is rethrown by finish; never unhandled
      slot.writable = slot.stage.mapAsync(GPUMapMode.WRITE); // the whole buffer: any chunk size
      slot.writable.catch(() => {}); // rethrown when awaited for the next chunk
      slot.inflight = { first, count, mapped };
      timing.chunks++;
    }
    // Finish in queue order.
    const order = slots.filter((s) => s.inflight).sort((a, b) =>
      a.inflight!.first - b.inflight!.first
    );
    for (const s of order) await finish(s);
    // No map may stay pending after the call: the staging is mapped again before returning.
    for (const s of slots) {
      if (s.writable) await s.writable;
      s.writable = null;
    }
  } catch (e) {
    // A failed chunk leaves mapped or pending buffers: drop the set.
    slotCache.delete(device);
    slots.forEach(destroySlot);
    throw e;
  } finally {
    sharedX?.destroy();
    sharedW.destroy();
  }
  busy.sort((a, b) => a[0] - b[0]);
  let until = -Infinity;
  for (const [from, to] of busy) {
    const lo = Math.max(from, until);
    if (to > lo) timing.kernelMs += to - lo;
    until = Math.max(until, to);
  }
  nonFinite.sort((a, b) => a - b);
  needF64.sort((a, b) => a - b);
  return {
    values,
    chisqr,
    nIter,
    statusCode: status,
    stderr,
    correl,
    loopLimitCut,
    nonFinite,
    needF64,
    timing,
  };
}
