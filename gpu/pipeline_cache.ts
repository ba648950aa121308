/**
 * Compute pipelines compiled once per device and kernel source (a `WeakMap` keyed by the
 * device, so a lost device's pipelines go with it); a kernel that fails to compile is not kept.
 *
 * @module
 */

/** A compiled kernel and its explicit bind-group layout. */
export interface CachedPipeline {
  /** The compute pipeline (entry point `main`). */
  pipeline: GPUComputePipeline;
  /** The layout of bind group 0. */
  layout: GPUBindGroupLayout;
}

const cache = new WeakMap<GPUDevice, Map<string, CachedPipeline>>();

/**
 * The pipeline of `code` on `device`, whose group 0 holds one buffer binding per entry of
 * `bindings` (binding i has type `bindings[i]`), compiled on first use. Rejects when the shader
 * or pipeline is invalid. Async.
 *
 * @param device the GPU device.
 * @param label a label for every object created (for error messages and debuggers).
 * @param code the WGSL source.
 * @param bindings the buffer binding type of each binding of group 0, in order.
 * @returns the pipeline and its bind-group layout.
 *
 * @example
 * ```ts ignore
 * const { pipeline, layout } = await cachedPipeline(device, "sum", code, ["read-only-storage", "storage"]);
 * ```
 */
export async function cachedPipeline(
  device: GPUDevice,
  label: string,
  code: string,
  bindings: readonly GPUBufferBindingType[],
): Promise<CachedPipeline> {
  let map = cache.get(device);
  if (!map) {
    map = new Map();
    cache.set(device, map);
  }
  const key = `${label}\n${bindings.join(",")}\n${code}`;
  const hit = map.get(key);
  if (hit) return hit;
  const layout = device.createBindGroupLayout({
    label,
    entries: bindings.map((type, binding) => ({
      binding,
      visibility: GPUShaderStage.COMPUTE,
      buffer: { type },
    })),
  });
  const module = device.createShaderModule({ label, code });
  const pipeline = await device.createComputePipelineAsync({
    label,
    layout: device.createPipelineLayout({ label, bindGroupLayouts: [layout] }),
    compute: { module, entryPoint: "main" },
  });
  const made = { pipeline, layout };
  map.set(key, made);
  return made;
}
