/**
 * Issue 14 regression: llvmpipe stops every loop of a shader invocation once its loops together
 * have made 65,535 iterations (Mesa gallivm's loop limiter), silently. One invocation per fit of
 * 8,192 points spends that within four LM iterations, and the kernel used to return χ² summed
 * over part of the points (far below the noise), a bogus "converged" and zero standard errors.
 * The kernels now flag such fits and `fitBatchOnGpu` never returns them. Part of
 * tests/gpu_test.ts (one device per process); skipped without an adapter.
 */
import assert from "node:assert/strict";
import { fitBatch, getGpu, Random } from "../../mod.ts";
import { gpuUnavailableReason } from "../../gpu/device.ts";
import { loopLimitProbeWgsl, SOFTWARE_LOOP_LIMIT } from "../../gpu/_lm_wgsl_parts.ts";

const gpu = await getGpu();
const hasAdapter = gpu !== null;
if (!hasAdapter) console.log(`GPU loop-limit tests skipped: ${gpuUnavailableReason()}`);

Deno.test({
  name: "loop-limit probe: reports a driver's cut loops (llvmpipe: 65,535 per invocation)",
  ignore: !hasAdapter,
  async fn() {
    const { device } = gpu!;
    // One invocation runs a loop of cfg.n iterations, then the probe.
    const code = `
struct Cfg { nFits: u32, n: u32 }
@group(0) @binding(0) var<storage, read_write> out: array<u32>;
@group(0) @binding(1) var<uniform> cfg: Cfg;
${loopLimitProbeWgsl()}
@compute @workgroup_size(1)
fn main() {
  var a = 0u;
  for (var i = 0u; i < cfg.n; i++) { a += 1u; }
  out[0] = a;
  out[1] = select(0u, 1u, loopLimitReached());
}`;
    const pipeline = device.createComputePipeline({
      layout: "auto",
      compute: { module: device.createShaderModule({ code }), entryPoint: "main" },
    });
    const run = async (n: number): Promise<[number, boolean]> => {
      const S = GPUBufferUsage;
      const out = device.createBuffer({ size: 8, usage: S.STORAGE | S.COPY_SRC });
      const cfg = device.createBuffer({ size: 8, usage: S.UNIFORM | S.COPY_DST });
      const read = device.createBuffer({ size: 8, usage: S.MAP_READ | S.COPY_DST });
      device.queue.writeBuffer(cfg, 0, new Uint32Array([1, n]));
      const enc = device.createCommandEncoder();
      const pass = enc.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(
        0,
        device.createBindGroup({
          layout: pipeline.getBindGroupLayout(0),
          entries: [{ binding: 0, resource: { buffer: out } }, {
            binding: 1,
            resource: { buffer: cfg },
          }],
        }),
      );
      pass.dispatchWorkgroups(1);
      pass.end();
      enc.copyBufferToBuffer(out, 0, read, 0, 8);
      device.queue.submit([enc.finish()]);
      await read.mapAsync(GPUMapMode.READ);
      const [a, reached] = new Uint32Array(read.getMappedRange().slice(0));
      [out, cfg, read].forEach((b) => b.destroy());
      return [a, reached === 1];
    };
    assert.deepEqual(await run(1000), [1000, false]);
    const [ran, reached] = await run(70000);
    if (ran < 70000) {
      // A driver with a loop limit (llvmpipe: SOFTWARE_LOOP_LIMIT): the probe must say so.
      assert.equal(ran, SOFTWARE_LOOP_LIMIT, gpu!.description);
      assert.ok(reached, "the probe reports the cut loop");
    } else assert.ok(!reached, "no limit, no report");
  },
});

Deno.test({
  name: "one invocation per fit of 8,192 points agrees with the CPU (llvmpipe's loop limit)",
  ignore: !hasAdapter,
  async fn() {
    const B = 4, N = 8192;
    const rng = new Random(14);
    const x = Float64Array.from({ length: N }, (_, i) => -4 + (8 * i) / (N - 1));
    const y = new Float64Array(B * N);
    for (let b = 0; b < B; b++) {
      const a = 2 + 3 * rng.uniform(), c = rng.uniformRange(-1, 1), s = 0.5 + rng.uniform();
      for (let i = 0; i < N; i++) {
        y[b * N + i] = a * Math.exp(-((x[i] - c) ** 2) / (2 * s * s)) + 0.01 * rng.normal();
      }
    }
    const model = "amp*exp(-(x-cen)**2/(2*sig**2))";
    const params = { amp: 3, cen: 0, sig: { value: 1, min: 0.05 } };
    const cpu = await fitBatch(model, { x, y, params, device: "cpu" });
    const g = await fitBatch(model, { x, y, params, device: "gpu", gpuLayout: "thread" });
    assert.equal(g.device, "gpu", g.reason);
    if (gpu!.software) {
      // 8 passes over 8,192 points exceed the budget of one invocation: the kernel flags the
      // fits and the batch runs again with a workgroup per fit, saying why.
      assert.match(g.reason, /loop limit .* re-run with one workgroup per fit/);
    } else assert.match(g.reason, /one invocation per fit/);
    assert.deepEqual(g.status, cpu.status);
    const P = cpu.paramNames.length;
    for (let i = 0; i < cpu.values.length; i++) {
      const s = cpu.stderr[i], name = `fit ${Math.floor(i / P)} ${cpu.paramNames[i % P]}`;
      assert.ok(s > 0, name);
      assert.ok(
        Math.abs(g.values[i] - cpu.values[i]) <= 0.05 * s,
        `${name}: ${g.values[i]} vs ${cpu.values[i]} ± ${s}`,
      );
      assert.ok(Math.abs(g.stderr[i] - s) <= 1e-3 * s, `${name}: stderr ${g.stderr[i]} vs ${s}`);
    }
    for (let b = 0; b < B; b++) {
      assert.ok(
        Math.abs(g.chisqr[b] - cpu.chisqr[b]) <= 1e-4 * cpu.chisqr[b],
        `χ² ${b}: ${g.chisqr[b]} vs ${cpu.chisqr[b]}`,
      );
    }
  },
});
