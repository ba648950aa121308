/**
 * Runs the batched LM kernel on the shared WebGPU device: pipelines cached per device and
 * shader, buffers chunked to the adapter's limits, one read-back per chunk.
 *
 * @module
 */

import type { BatchLmOutput, BatchLmSettings, BatchProblem } from "../lib/batch/batch_lm.ts";
import { getGpu } from "./device.ts";
import { cachedPipeline } from "./pipeline_cache.ts";
import { LM_UNIFORM_BYTES, lmKernelWgsl } from "./lm_kernel.wgsl.ts";
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

function buffer(
  device: GPUDevice,
  data: Float32Array | Uint32Array,
  usage: number,
  label: string,
): GPUBuffer {
  const size = Math.max(16, Math.ceil(data.byteLength / 4) * 4);
  const buf = device.createBuffer({ label, size, usage, mappedAtCreation: true });
  const view = data instanceof Float32Array
    ? new Float32Array(buf.getMappedRange())
    : new Uint32Array(buf.getMappedRange());
  view.set(data as never);
  buf.unmap();
  return buf;
}

const F32_MAX = 3.4028234663852886e38;

/**
 * Fits the batch on the GPU; returns `null` (with no side effects) when no device is available,
 * and throws `GpuExecutionError` when the GPU fails. Async.
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
): Promise<(BatchLmOutput & { adapter: string; software: boolean }) | null> {
  const gpu = await getGpu();
  if (!gpu) return null;
  const { device } = gpu;
  const out = await guarded(device, "batched LM kernel", () => run(device, prob, model, settings));
  return { ...out, adapter: gpu.description, software: gpu.software };
}

async function run(
  device: GPUDevice,
  prob: BatchProblem,
  model: WgslEmission,
  settings: BatchLmSettings,
): Promise<BatchLmOutput> {
  const { nFits: B, nPoints: N, nParams: P, vars, varsPerFit, weights } = prob;
  const weightsMode: 0 | 1 | 2 = weights === null ? 0 : weights.length === N ? 1 : 2;
  const code = lmKernelWgsl({
    P,
    N,
    nVars: vars.length,
    varsPerFit,
    weightsMode,
    model,
  });
  const { pipeline, layout } = await cachedPipeline(device, "lmfit-ts batch LM", code, [
    "read-only-storage",
    "read-only-storage",
    "read-only-storage",
    "storage",
    "storage",
    "read-only-storage",
    "uniform",
  ]);
  const limits = device.limits;
  const perFitBytes = N * 4 * (1 + (varsPerFit ? vars.length : 0) + (weightsMode === 2 ? 1 : 0)) +
    P * 4 + 12;
  const chunk = Math.max(
    1,
    Math.min(
      limits.maxComputeWorkgroupsPerDimension * 64,
      Math.floor(
        limits.maxStorageBufferBindingSize /
          (N * 4 * Math.max(1, varsPerFit ? vars.length : 1)),
      ),
      Math.floor((256 * 1024 * 1024) / perFitBytes),
    ),
  );
  const consts = new Float32Array(3 * P);
  for (let k = 0; k < P; k++) {
    consts[k] = Math.max(-F32_MAX, prob.lower[k]);
    consts[P + k] = Math.min(F32_MAX, prob.upper[k]);
    consts[2 * P + k] = prob.free[k];
  }
  const constsBuf = buffer(device, consts, GPUBufferUsage.STORAGE, "bounds");
  const sharedX = varsPerFit
    ? null
    : buffer(device, concatVars(vars, 0, N, N), GPUBufferUsage.STORAGE, "x");
  const sharedW = weightsMode === 1
    ? buffer(device, Float32Array.from(weights!), GPUBufferUsage.STORAGE, "weights")
    : null;
  const none = buffer(device, new Float32Array(4), GPUBufferUsage.STORAGE, "none");
  const values = new Float64Array(B * P), chisqr = new Float64Array(B);
  const nIter = new Int32Array(B), status = new Int32Array(B);
  try {
    for (let first = 0; first < B; first += chunk) {
      const count = Math.min(chunk, B - first);
      const ys = new Float32Array(count * N);
      for (let i = 0; i < count * N; i++) ys[i] = prob.y[first * N + i];
      const ysBuf = buffer(device, ys, GPUBufferUsage.STORAGE, "data");
      const xBuf = sharedX ??
        buffer(
          device,
          concatVars(vars, first * N, count * N, count * N),
          GPUBufferUsage.STORAGE,
          "x",
        );
      const wBuf = sharedW ??
        (weightsMode === 2
          ? buffer(
            device,
            Float32Array.from((weights as ArrayLike<number>) as Float64Array).subarray(
              first * N,
              (first + count) * N,
            ),
            GPUBufferUsage.STORAGE,
            "weights",
          )
          : none);
      const p0 = Float32Array.from(prob.start.subarray(first * P, (first + count) * P));
      const pBuf = buffer(device, p0, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC, "params");
      const sBuf = device.createBuffer({
        label: "stats",
        size: Math.max(16, count * 12),
        usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC,
      });
      const cfg = new ArrayBuffer(LM_UNIFORM_BYTES);
      new Uint32Array(cfg, 0, 2).set([count, settings.maxIter]);
      new Float32Array(cfg, 8, 1)[0] = settings.tol;
      const uBuf = device.createBuffer({
        label: "cfg",
        size: LM_UNIFORM_BYTES,
        usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
      });
      device.queue.writeBuffer(uBuf, 0, cfg);
      const bind = device.createBindGroup({
        label: "lmfit-ts batch LM",
        layout,
        entries: [ysBuf, xBuf, wBuf, pBuf, sBuf, constsBuf, uBuf].map((b, binding) => ({
          binding,
          resource: { buffer: b },
        })),
      });
      const readP = device.createBuffer({
        label: "read params",
        size: pBuf.size,
        usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
      });
      const readS = device.createBuffer({
        label: "read stats",
        size: sBuf.size,
        usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
      });
      const enc = device.createCommandEncoder({ label: "lmfit-ts batch LM" });
      const pass = enc.beginComputePass({ label: "lmfit-ts batch LM" });
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bind);
      pass.dispatchWorkgroups(Math.ceil(count / 64));
      pass.end();
      enc.copyBufferToBuffer(pBuf, 0, readP, 0, pBuf.size);
      enc.copyBufferToBuffer(sBuf, 0, readS, 0, sBuf.size);
      device.queue.submit([enc.finish()]);
      await Promise.all([readP.mapAsync(GPUMapMode.READ), readS.mapAsync(GPUMapMode.READ)]);
      const pOut = new Float32Array(readP.getMappedRange());
      const sOut = new Float32Array(readS.getMappedRange());
      for (let i = 0; i < count * P; i++) values[first * P + i] = pOut[i];
      for (let i = 0; i < count; i++) {
        chisqr[first + i] = sOut[3 * i];
        nIter[first + i] = sOut[3 * i + 1];
        status[first + i] = sOut[3 * i + 2];
      }
      readP.unmap();
      readS.unmap();
      for (const b of [ysBuf, pBuf, sBuf, uBuf, readP, readS]) b.destroy();
      if (!sharedX) xBuf.destroy();
      if (weightsMode === 2) wBuf.destroy();
    }
  } finally {
    constsBuf.destroy();
    sharedX?.destroy();
    sharedW?.destroy();
    none.destroy();
  }
  return { values, chisqr, nIter, status };
}

function concatVars(
  vars: Float64Array[],
  offset: number,
  count: number,
  _stride: number,
): Float32Array {
  const out = new Float32Array(vars.length * count);
  vars.forEach((v, k) => {
    for (let i = 0; i < count; i++) out[k * count + i] = v[offset + i];
  });
  return out;
}
