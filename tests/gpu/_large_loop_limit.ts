/**
 * Issue 14 for fitLarge: llvmpipe stops every loop of an invocation once its loops together have
 * made 65,535 iterations (`SOFTWARE_LOOP_LIMIT`), silently; the reduction kernel's invocations
 * each sum a strided share of a chunk's points, so a chunk with too many points per invocation
 * would return partial sums. The host now sizes chunks by `reducePointsPerInvocation`. Part of
 * tests/gpu_test.ts (one device per process); skipped without an adapter.
 */
import assert from "node:assert/strict";
import { fitLarge, getGpu, Random } from "../../mod.ts";
import { gpuUnavailableReason } from "../../gpu/device.ts";
import { cachedPipeline } from "../../gpu/pipeline_cache.ts";
import { emitWgsl } from "../../gpu/wgsl_codegen.ts";
import {
  REDUCE_BINDINGS,
  REDUCE_WORKGROUP,
  reduceKernelWgsl,
  reducePointsPerInvocation,
  reduceTerms,
} from "../../gpu/reduce_kernel.wgsl.ts";
import { parse } from "../../lib/expr/parser.ts";
import { derivative } from "../../lib/expr/derivative.ts";
import { prepareBatch } from "../../lib/batch/fit_batch.ts";
import { fitLargeBatchOnGpu } from "../../lib/batch/fit_large.ts";

const gpu = await getGpu();
if (!gpu) console.log(`fitLarge loop-limit tests skipped: ${gpuUnavailableReason()}`);

const MODEL = "a*exp(-x/tau) + c";
const P = 3;

/** The reduction kernel's sums (with Jᵀr and JᵀJ) over n points by one workgroup. */
async function reduceOneGroup(device: GPUDevice, x: Float32Array, y: Float32Array) {
  const expr = parse(MODEL);
  const names = { a: "p[0]", tau: "p[1]", c: "p[2]", x: "xv[0]" };
  const model = emitWgsl([expr, ...["a", "tau", "c"].map((p) => derivative(expr, p))], names);
  const { pipeline, layout } = await cachedPipeline(
    device,
    "test large reduce",
    reduceKernelWgsl({ P, nVars: 1, weighted: false, model }),
    REDUCE_BINDINGS,
  );
  const K = reduceTerms(P), S = GPUBufferUsage;
  const buf = (data: Float32Array | Uint32Array, usage: number) => {
    const b = device.createBuffer({
      size: Math.max(16, data.byteLength),
      usage: usage | S.COPY_DST,
    });
    device.queue.writeBuffer(b, 0, data);
    return b;
  };
  const pin = buf(Float32Array.of(2, 3, 0.5, 0), S.STORAGE);
  const partial = device.createBuffer({ size: K * 4, usage: S.STORAGE | S.COPY_SRC });
  const read = device.createBuffer({ size: K * 4, usage: S.MAP_READ | S.COPY_DST });
  const cfg = buf(Uint32Array.of(y.length, REDUCE_WORKGROUP, 1, 0), S.UNIFORM);
  const owned = [buf(y, S.STORAGE), buf(x, S.STORAGE), pin, pin, partial, cfg];
  const enc = device.createCommandEncoder();
  const pass = enc.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(
    0,
    device.createBindGroup({
      layout,
      entries: owned.map((b, binding) => ({ binding, resource: { buffer: b } })),
    }),
  );
  pass.dispatchWorkgroups(1);
  pass.end();
  enc.copyBufferToBuffer(partial, 0, read, 0, K * 4);
  device.queue.submit([enc.finish()]);
  await read.mapAsync(GPUMapMode.READ);
  const sums = new Float32Array(read.getMappedRange().slice(0));
  [...owned, read].forEach((b) => b.destroy());
  return sums;
}

Deno.test({
  name: "fitLarge's reduction kernel sums every point at the bound on points per invocation",
  ignore: !gpu,
  async fn() {
    const bound = reducePointsPerInvocation(P);
    for (const perInvocation of [bound, 2 * bound]) {
      const n = perInvocation * REDUCE_WORKGROUP;
      const x = Float32Array.from({ length: n }, (_, i) => (8 * i) / n);
      const y = x.map((v) => 2 * Math.exp(-v / 3) + 0.5 + 0.1 * Math.sin(7 * v));
      const sums = await reduceOneGroup(gpu!.device, x, y);
      // The last term is Σ (∂f/∂c)² = Σ 1 = n: exact in f32 sums of integers below 2^24.
      const last = sums[reduceTerms(P) - 1];
      if (perInvocation === bound || !gpu!.software) {
        assert.equal(last, n, `${perInvocation} points per invocation (${gpu!.description})`);
      } else {
        // Twice the bound llvmpipe cuts (here between 4,000 and 5,000 points per invocation for
        // P = 3: the bound counts loops the compiler unrolls), so this configuration needs it.
        assert.notEqual(last, n, `${perInvocation} points per invocation are cut on llvmpipe`);
      }
    }
  },
});

Deno.test({
  name: "fitLarge chunks at the loop bound: one workgroup per chunk still gives the CPU's answer",
  ignore: !gpu,
  async fn() {
    // 360,000 points by one workgroup would be 5,625 points per invocation, which llvmpipe cuts
    // (see above); within the bound, 167,488 points per chunk, three chunks.
    const N = 360_000, rng = new Random(14);
    const x = Float64Array.from({ length: N }, (_, i) => (10 * i) / N);
    const y = x.map((v) => 3 * Math.exp(-v / 2) + 0.5 + 0.02 * rng.normal());
    const params = { a: 1, tau: { value: 1, min: 0.1 }, c: 0 };
    const cpu = await fitLarge(MODEL, { x, y, params, device: "cpu" });
    const prep = prepareBatch(MODEL, { x, y, params, device: "gpu" });
    const { out, reason } = await fitLargeBatchOnGpu(
      prep.spec,
      prep.prob,
      prep.settings,
      undefined,
      1,
    );
    assert.ok(out, reason);
    assert.match(reason, /^GPU: /);
    assert.equal(out.statusCode[0], 0, "converged");
    for (let k = 0; k < P; k++) {
      const s = cpu.stderr[k];
      assert.ok(
        Math.abs(out.values[k] - cpu.values[k]) <= 0.05 * s,
        `${cpu.paramNames[k]}: ${out.values[k]} vs ${cpu.values[k]} ± ${s}`,
      );
    }
    assert.ok(
      Math.abs(out.chisqr[0] - cpu.chisqr) <= 1e-4 * cpu.chisqr,
      `χ² ${out.chisqr[0]} vs ${cpu.chisqr}`,
    );
  },
});
