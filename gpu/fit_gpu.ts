/**
 * Runs the batched LM kernel on the shared WebGPU device: pipelines cached per device and
 * shader; buffers kept per device and problem shape and reused across calls; the fits split into
 * chunks sized from the device's limits; two sets of buffers, so one chunk's upload overlaps the
 * previous chunk's kernel and read-back; one typed-array copy each way.
 *
 * @module
 */

import type { BatchLmOutput, BatchLmSettings, BatchProblem } from "../lib/batch/batch_lm.ts";
import { getGpu } from "./device.ts";
import { cachedPipeline } from "./pipeline_cache.ts";
import { LM_STATUS_WORDS, LM_UNIFORM_BYTES, LOOP_LIMIT_REACHED } from "./lm_kernel.wgsl.ts";
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

/** Host-side timings of one GPU batch, in milliseconds. */
export interface GpuTimings {
  /** Converting and writing inputs, encoding commands (host). */
  uploadMs: number;
  /** Submitting and waiting for kernels and transfers (device). */
  kernelMs: number;
  /** Copying results out of mapped buffers (host). */
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
  /** Per fit: 0, or STATS_SINGULAR / STATS_ILL_CONDITIONED when f32 statistics are not kept. */
  statsFlags: Uint32Array;
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
 * Async.
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
        run(device, prob, model, settings, stage, kernelLayout, {
          maxStorageBufferBindingSize: limits?.maxStorageBufferBindingSize ??
            device.limits.maxStorageBufferBindingSize,
          maxBufferSize: limits?.maxBufferSize ?? device.limits.maxBufferSize,
          maxComputeWorkgroupsPerDimension: limits?.maxComputeWorkgroupsPerDimension ??
            device.limits.maxComputeWorkgroupsPerDimension,
        }),
    );
  // llvmpipe stops an invocation's loops after 65,535 iterations in all, so one invocation per
  // fit of thousands of points ends early with wrong sums; the kernel flags such fits. They are
  // never returned: the batch runs again with a workgroup per fit (a few points per invocation),
  // or, when that is cut too or cannot run, fails to the CPU path with the reason.
  const cut = (o: { statsFlags: Uint32Array }) =>
    o.statsFlags.reduce((n, f) => n + ((f & LOOP_LIMIT_REACHED) !== 0 ? 1 : 0), 0);
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

/** One set of chunk buffers. */
interface Slot {
  ys: GPUBuffer;
  xs: GPUBuffer | null;
  ws: GPUBuffer | null;
  params: GPUBuffer;
  stats: GPUBuffer;
  errs: GPUBuffer;
  cfg: GPUBuffer;
  readParams: GPUBuffer;
  readStats: GPUBuffer;
  readErrs: GPUBuffer;
  /** Host staging for conversions to f32 (one copy). */
  hostY: Float32Array;
  hostP: Float32Array;
  pending: Promise<void> | null;
}

interface SlotSet {
  key: string;
  slots: Slot[];
}

const slotCache = new WeakMap<GPUDevice, SlotSet>();

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
  const errBytes = chunk * (P + nPairs) * 4;
  return {
    ys: mk("data", chunk * N * 4, S | D),
    xs: perFitX ? mk("x per fit", perFitX * chunk * N * 4, S | D) : null,
    ws: perFitW ? mk("weights per fit", chunk * N * 4, S | D) : null,
    params: mk("params", chunk * P * 4, S | D | R),
    stats: mk("status", chunk * LM_STATUS_WORDS * 4, S | R),
    errs: mk("stderr and correl", errBytes, S | R),
    cfg: mk("cfg", LM_UNIFORM_BYTES, GPUBufferUsage.UNIFORM | D),
    readParams: mk("read params", chunk * P * 4, GPUBufferUsage.MAP_READ | D),
    readStats: mk("read status", chunk * LM_STATUS_WORDS * 4, GPUBufferUsage.MAP_READ | D),
    readErrs: mk("read stderr", errBytes, GPUBufferUsage.MAP_READ | D),
    hostY: new Float32Array(chunk * N),
    hostP: new Float32Array(chunk * P),
    pending: null,
  };
}

function destroySlot(s: Slot): void {
  for (
    const b of [s.ys, s.xs, s.ws, s.params, s.stats, s.errs, s.cfg, s.readParams, s.readStats]
  ) b?.destroy();
  s.readErrs.destroy();
}

/** Writes `src[first·w … (first+count)·w)` as f32 into `buf`, with at most one host copy. */
function upload(
  device: GPUDevice,
  buf: GPUBuffer,
  src: ArrayLike<number>,
  first: number,
  count: number,
  width: number,
  staging: Float32Array | null,
): void {
  const lo = first * width, n = count * width;
  if (src instanceof Float32Array) {
    device.queue.writeBuffer(buf, 0, src, lo, n);
    return;
  }
  const host = staging && staging.length >= n ? staging : new Float32Array(n);
  if (src instanceof Float64Array) host.set(src.subarray(lo, lo + n));
  else for (let i = 0; i < n; i++) host[i] = src[lo + i];
  device.queue.writeBuffer(buf, 0, host, 0, n);
}

async function run(
  device: GPUDevice,
  prob: BatchProblem,
  model: WgslEmission,
  settings: BatchLmSettings,
  stage: boolean,
  kernelLayout: KernelLayout,
  limits: GpuChunkLimits,
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
  // Chunk size from the device's limits: the largest per-fit binding must fit one binding and
  // one buffer; a dispatch has at most maxComputeWorkgroupsPerDimension workgroups. At least
  // two chunks of 16k fits or more, so upload, kernel and read-back overlap.
  const perFitX = varsPerFit ? vars.length : 0;
  const widest = 4 * Math.max(N, perFitX * N, P + nPairs, LM_STATUS_WORDS);
  const byLimits = Math.min(
    Math.floor(limits.maxStorageBufferBindingSize / widest),
    Math.floor(limits.maxBufferSize / widest),
    limits.maxComputeWorkgroupsPerDimension * fitsPerWorkgroup,
  );
  if (byLimits < 1) {
    throw new Error(
      `one fit needs a ${widest}-byte buffer but the device allows ${
        Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize)
      } bytes`,
    );
  }
  const overlap = Math.max(16384, Math.ceil(B / 4 / fitsPerWorkgroup) * fitsPerWorkgroup);
  const chunk = Math.max(1, Math.min(byLimits, overlap, B));
  const key = [chunk, N, P, nPairs, perFitX, weightsMode === 2].join(",");
  let set = slotCache.get(device);
  if (!set || set.key !== key) {
    set?.slots.forEach(destroySlot);
    set = {
      key,
      slots: [0, 1].map(() => makeSlot(device, chunk, N, P, nPairs, perFitX, weightsMode === 2)),
    };
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

  const values = new Float64Array(B * P), chisqr = new Float64Array(B);
  const nIter = new Int32Array(B), status = new Int32Array(B);
  const stderr = new Float64Array(B * P), correl = new Float64Array(B * nPairs);
  const statsFlags = new Uint32Array(B);
  const timing: GpuTimings = { uploadMs: 0, kernelMs: 0, readbackMs: 0, chunks: 0 };
  const tolF32 = float32Tolerance(settings.tol, N);

  const finish = async (slot: Slot, first: number, count: number): Promise<void> => {
    const t0 = performance.now();
    const pBytes = Math.max(16, count * P * 4);
    const sBytes = Math.max(16, count * LM_STATUS_WORDS * 4);
    const eBytes = Math.max(16, count * (P + nPairs) * 4);
    await Promise.all([
      slot.readParams.mapAsync(GPUMapMode.READ, 0, pBytes),
      slot.readStats.mapAsync(GPUMapMode.READ, 0, sBytes),
      slot.readErrs.mapAsync(GPUMapMode.READ, 0, eBytes),
    ]);
    const t1 = performance.now();
    timing.kernelMs += t1 - t0;
    const pOut = new Float32Array(slot.readParams.getMappedRange(0, pBytes), 0, count * P);
    values.set(pOut, first * P);
    const sRange = slot.readStats.getMappedRange(0, sBytes);
    const sWords = new Uint32Array(sRange, 0, count * LM_STATUS_WORDS);
    const sFloats = new Float32Array(sRange, 0, count * LM_STATUS_WORDS);
    for (let i = 0; i < count; i++) {
      chisqr[first + i] = sFloats[4 * i];
      nIter[first + i] = sWords[4 * i + 1];
      status[first + i] = sWords[4 * i + 2];
      statsFlags[first + i] = sWords[4 * i + 3];
    }
    const eOut = new Float32Array(slot.readErrs.getMappedRange(0, eBytes), 0, count * (P + nPairs));
    stderr.set(eOut.subarray(0, count * P), first * P);
    correl.set(eOut.subarray(count * P), first * nPairs);
    slot.readParams.unmap();
    slot.readStats.unmap();
    slot.readErrs.unmap();
    timing.readbackMs += performance.now() - t1;
  };

  try {
    const inflight: [Slot, number, number][] = [];
    for (let first = 0, k = 0; first < B; first += chunk, k++) {
      const count = Math.min(chunk, B - first);
      const slot = slots[k % 2];
      if (slot.pending) {
        const [s, f, c] = inflight.shift()!;
        await s.pending;
        await finish(s, f, c);
        s.pending = null;
      }
      const t0 = performance.now();
      upload(device, slot.ys, prob.y, first, count, N, slot.hostY);
      upload(device, slot.params, prob.start, first, count, P, slot.hostP);
      if (slot.xs) {
        vars.forEach((v, j) =>
          device.queue.writeBuffer(
            slot.xs!,
            j * count * N * 4,
            Float32Array.from(v.subarray(first * N, (first + count) * N)),
          )
        );
      }
      if (slot.ws) upload(device, slot.ws, weights!, first, count, N, null);
      const cfg = new ArrayBuffer(LM_UNIFORM_BYTES);
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
      const pass = enc.beginComputePass({ label: "lmfit-ts batch LM" });
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bind);
      pass.dispatchWorkgroups(Math.ceil(count / fitsPerWorkgroup));
      pass.end();
      const cp = (a: GPUBuffer, b: GPUBuffer, bytes: number) =>
        enc.copyBufferToBuffer(a, 0, b, 0, Math.max(16, Math.ceil(bytes / 4) * 4));
      cp(slot.params, slot.readParams, count * P * 4);
      cp(slot.stats, slot.readStats, count * LM_STATUS_WORDS * 4);
      cp(slot.errs, slot.readErrs, count * (P + nPairs) * 4);
      const t1 = performance.now();
      timing.uploadMs += t1 - t0;
      // (On a software adapter the kernel may run inside submit: counted as kernel time.)
      device.queue.submit([enc.finish()]);
      slot.pending = device.queue.onSubmittedWorkDone();
      inflight.push([slot, first, count]);
      timing.kernelMs += performance.now() - t1;
      timing.chunks++;
    }
    for (const [s, f, c] of inflight) {
      await s.pending;
      await finish(s, f, c);
      s.pending = null;
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
  return { values, chisqr, nIter, status, stderr, correl, statsFlags, timing };
}
