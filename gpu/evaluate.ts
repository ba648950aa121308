/**
 * Evaluates expressions on the GPU at many points (f32), through the same WGSL code generator
 * as the fitting kernels: the reference check of `emitWgsl` against the f64 CPU compiler, and
 * a way to evaluate a model on the device.
 *
 * @module
 */

import type { Node } from "../lib/expr/ast.ts";
import { getGpu } from "./device.ts";
import { guarded } from "./fit_gpu.ts";
import { cachedPipeline } from "./pipeline_cache.ts";
import { emitWgsl } from "./wgsl_codegen.ts";

/**
 * Values of `nodes` at `n` points, where variable `names[v]` takes the values `columns[v]`
 * (length n each), computed in f32 on the shared GPU device; `null` when no device exists.
 * Throws `UnsupportedOnGpuError` for expressions the GPU cannot run and `GpuExecutionError`
 * when the GPU fails. Async.
 *
 * @param nodes the expressions.
 * @param names the variable names the expressions use.
 * @param columns one column of values per name.
 * @returns one Float32Array of n values per expression, or null without a GPU.
 *
 * @example
 * ```ts ignore
 * import { evaluateOnGpu } from "./evaluate.ts";
 * import { parse } from "../lib/expr/parser.ts";
 * const [v] = (await evaluateOnGpu([parse("a*x**2")], ["a", "x"], [Float64Array.of(2, 2), Float64Array.of(1, 3)]))!;
 * // v ≈ [2, 18]
 * ```
 *
 * @category Batch and GPU
 */
export async function evaluateOnGpu(
  nodes: readonly Node[],
  names: readonly string[],
  columns: readonly ArrayLike<number>[],
): Promise<Float32Array[] | null> {
  if (columns.length !== names.length) {
    throw new RangeError(`evaluateOnGpu: ${names.length} names but ${columns.length} columns`);
  }
  const n = columns.length ? columns[0].length : 1;
  for (const [v, c] of columns.entries()) {
    if (c.length !== n) {
      throw new RangeError(`evaluateOnGpu: column '${names[v]}' has ${c.length} values, not ${n}`);
    }
  }
  const bind: Record<string, string> = {};
  names.forEach((name, v) => (bind[name] = `xs[${v}u * cfg.n + i]`));
  const model = emitWgsl(nodes, bind);
  const K = nodes.length;
  const code = /* wgsl */ `
struct Cfg { n: u32, pad0: u32, pad1: u32, pad2: u32 }
@group(0) @binding(0) var<storage, read> xs: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<uniform> cfg: Cfg;

${model.helpers}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= cfg.n) { return; }
  ${model.code}
  ${model.outputs.map((o, k) => `out[${k}u * cfg.n + i] = ${o};`).join("\n  ")}
}
`;
  const gpu = await getGpu();
  if (!gpu) return null;
  const { device } = gpu;
  return await guarded(device, "expression evaluation", async () => {
    const { pipeline, layout } = await cachedPipeline(device, "lmfit-ts evaluate", code, [
      "read-only-storage",
      "storage",
      "uniform",
    ]);
    const xs = new Float32Array(Math.max(4, names.length * n));
    columns.forEach((c, v) => {
      for (let i = 0; i < n; i++) xs[v * n + i] = c[i];
    });
    const xBuf = device.createBuffer({
      label: "evaluate inputs",
      size: xs.byteLength,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
    });
    device.queue.writeBuffer(xBuf, 0, xs);
    const bytes = Math.max(16, K * n * 4);
    const oBuf = device.createBuffer({
      label: "evaluate outputs",
      size: bytes,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC,
    });
    const uBuf = device.createBuffer({
      label: "evaluate cfg",
      size: 16,
      usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    });
    device.queue.writeBuffer(uBuf, 0, Uint32Array.of(n, 0, 0, 0));
    const read = device.createBuffer({
      label: "evaluate read-back",
      size: bytes,
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    const group = device.createBindGroup({
      label: "lmfit-ts evaluate",
      layout,
      entries: [xBuf, oBuf, uBuf].map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    const enc = device.createCommandEncoder({ label: "lmfit-ts evaluate" });
    const pass = enc.beginComputePass({ label: "lmfit-ts evaluate" });
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, group);
    pass.dispatchWorkgroups(Math.ceil(n / 64));
    pass.end();
    enc.copyBufferToBuffer(oBuf, 0, read, 0, bytes);
    device.queue.submit([enc.finish()]);
    try {
      await read.mapAsync(GPUMapMode.READ);
      const all = new Float32Array(read.getMappedRange().slice(0));
      read.unmap();
      return Array.from({ length: K }, (_, k) => all.slice(k * n, (k + 1) * n));
    } finally {
      for (const b of [xBuf, oBuf, uBuf, read]) b.destroy();
    }
  });
}
