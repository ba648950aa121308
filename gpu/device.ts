/**
 * The one shared WebGPU device of the isolate, and facts about its adapter.
 *
 * Deno runs each test module (and each Worker) in its own isolate of one process, so module
 * state such as this cache is per isolate: `deno test tests/` with four modules that used the
 * GPU held four devices, none destroyed, until the process exited, and the process then
 * aborted in about 1 run in 3 (`corrupted size vs. prev_size in fastbins`, exit 134; the same
 * with a minimal script of six GPU modules, never with one). So the device is destroyed when its
 * isolate unloads, and the tests that use the GPU run as one module (one device per process).
 *
 * @module
 */

/**
 * The shared device and what its adapter is.
 *
 * @example
 * ```ts ignore
 * import { getGpu, type GpuContext } from "./device.ts";
 * const gpu: GpuContext | null = await getGpu();
 * if (gpu) {
 *   console.log(gpu.description, gpu.software ? "(software)" : "(hardware)");
 *   const buffer = gpu.device.createBuffer({ size: 16, usage: GPUBufferUsage.STORAGE });
 *   buffer.destroy();
 * }
 * ```
 *
 * @category Batch and GPU
 */
export interface GpuContext {
  /** The GPU device. */
  device: GPUDevice;
  /** Adapter description (vendor, architecture, device) for reports. */
  description: string;
  /** True for a software rasteriser (llvmpipe, SwiftShader) or a fallback adapter. */
  software: boolean;
}

let shared: Promise<GpuContext | null> | null = null;
let lostReason: string | null = null;
const releaseHooks: (() => void)[] = [];

/**
 * Registers `release` to run when the shared device is destroyed (its isolate unloads), before
 * the device goes: for GPU resources kept across calls, such as mapped staging buffers.
 *
 * @example
 * ```ts ignore
 * import { getGpu, onGpuRelease } from "./device.ts";
 * const gpu = await getGpu();
 * if (gpu) {
 *   const staging = gpu.device.createBuffer({ size: 64, usage: GPUBufferUsage.MAP_WRITE | GPUBufferUsage.COPY_SRC, mappedAtCreation: true });
 *   onGpuRelease(() => staging.destroy());
 * }
 * ```
 *
 * @category Batch and GPU
 */
export function onGpuRelease(release: () => void): void {
  releaseHooks.push(release);
}

/**
 * The shared GPU device, or `null` when WebGPU or an adapter is unavailable or the device was
 * lost (then `gpuUnavailableReason()` says why). The promise is cached: one device per process.
 * Async.
 *
 * @example
 * ```ts ignore
 * import { getGpu } from "./device.ts";
 * const gpu = await getGpu();
 * console.log(gpu ? gpu.description : "no GPU");
 * ```
 *
 * @category Batch and GPU
 */
export function getGpu(): Promise<GpuContext | null> {
  if (shared) return shared;
  shared = (async () => {
    const nav = globalThis.navigator as Navigator & { gpu?: GPU };
    if (!nav?.gpu) {
      lostReason = "WebGPU is not available in this runtime (in Deno, run with --unstable-webgpu)";
      return null;
    }
    let adapter: GPUAdapter | null;
    try {
      adapter = await nav.gpu.requestAdapter({ powerPreference: "high-performance" });
    } catch (e) {
      lostReason = `requestAdapter failed: ${(e as Error)?.message ?? String(e)}`;
      return null;
    }
    if (!adapter) {
      lostReason = "no WebGPU adapter was found (no GPU driver or Vulkan loader)";
      return null;
    }
    const info = adapter.info ?? ({} as GPUAdapterInfo);
    const description = [info.vendor, info.architecture, info.device, info.description]
      .filter((s) => s && !/^\d+$/.test(s)).join(" ") ||
      "unknown adapter";
    const software = /llvmpipe|swiftshader|software|lavapipe/i.test(description) ||
      !!(adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter;
    const limits = adapter.limits;
    let device: GPUDevice;
    try {
      device = await adapter.requestDevice({
        label: "lmfit-ts",
        requiredLimits: {
          maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
          maxBufferSize: limits.maxBufferSize,
          maxStorageBuffersPerShaderStage: Math.min(8, limits.maxStorageBuffersPerShaderStage),
        },
      });
    } catch (e) {
      lostReason = `requestDevice failed on ${description}: ${(e as Error)?.message ?? String(e)}`;
      return null;
    }
    // Destroy the device when this isolate goes away (end of a test module or a Worker), so no
    // device outlives its isolate until process exit.
    // Resources that live across calls (the batch path's mapped upload staging) are released
    // first: a buffer left mapped, or with a map pending, when the device goes has aborted the
    // process at exit ("double free or corruption", about 1 run in 20).
    globalThis.addEventListener?.("unload", () => {
      for (const release of releaseHooks.splice(0)) release();
      device.destroy();
    });
    device.lost.then((i) => {
      // No second device is ever requested (two devices in one process have crashed Deno at
      // exit): after a loss every GPU request falls back to the CPU with this reason.
      lostReason = `the GPU device was lost: ${i.message || i.reason}`;
      shared = Promise.resolve(null);
    });
    return { device, description, software };
  })();
  return shared;
}

/**
 * Why the GPU is unavailable, after `getGpu()` returned null or the device was lost.
 *
 * @example
 * ```ts
 * import { gpuUnavailableReason } from "./device.ts";
 * // null until getGpu() has returned null or the device was lost; then e.g.
 * // "no WebGPU adapter was found (no GPU driver or Vulkan loader)"
 * gpuUnavailableReason(); // null
 * ```
 *
 * @category Batch and GPU
 */
export function gpuUnavailableReason(): string | null {
  return lostReason;
}
