/**
 * fitBatch's `out` option on the GPU (part of tests/gpu_test.ts, one device per process): the
 * per-fit path's read-back writes straight into the caller's buffers, with exactly the results
 * of a call without them, reused across calls; the large route (fitLarge's reductions) honours
 * `out` too. On llvmpipe here; skipped, with the reason printed, without an adapter.
 */
import assert from "node:assert/strict";
import { allocBatchOutput, fitBatch, Gaussian2dModel, getGpu, Random } from "../../mod.ts";
import { assertArraysAreOut, assertSameResult } from "../batch/_batch_output_checks.ts";
import { gpuUnavailableReason } from "../../gpu/device.ts";
import { LARGE_ROUTE_MIN_POINTS } from "../../lib/batch/route.ts";
import { gaussian2dBatch, gaussian2dGrid } from "../batch/_gaussian2d_batch.ts";

const gpu = await getGpu();
if (!gpu) console.log(`GPU out-buffer tests skipped: ${gpuUnavailableReason()}`);

const { x: gx, y: gy } = gaussian2dGrid();
function images(B: number, seed: number): Float32Array {
  const z = new Float32Array(B * 25);
  gaussian2dBatch(new Random(seed), z);
  return z;
}

Deno.test({
  name:
    "GPU per-fit path: results read back into out equal the normal results, reused across calls and chunks",
  ignore: !gpu,
  async fn() {
    const model = new Gaussian2dModel();
    const params = { amplitude: 40, centerx: 0, centery: 0, sigmax: 1, sigmay: 1 };
    const vars = { x: gx, y: gy };
    const out = allocBatchOutput(3000, model, params);
    // Small chunks (1,024 fits), so several read-backs land at offsets in the buffers.
    const gpuLimits = { maxComputeWorkgroupsPerDimension: 16 };
    const y1 = images(3000, 1);
    const ref1 = await fitBatch(model, { vars, y: y1, params, device: "gpu", gpuLimits });
    assert.equal(ref1.device, "gpu");
    assert.ok(ref1.timing.chunks > 1);
    const r1 = await fitBatch(model, { vars, y: y1, params, device: "gpu", gpuLimits, out });
    assertSameResult(r1, ref1);
    assertArraysAreOut(r1, out);
    // A shorter block through the same buffers.
    const y2 = images(1500, 2);
    const ref2 = await fitBatch(model, { vars, y: y2, params, device: "gpu", gpuLimits });
    const r2 = await fitBatch(model, { vars, y: y2, params, device: "gpu", gpuLimits, out });
    assertSameResult(r2, ref2);
    assert.equal(r2.values.buffer, out.values.buffer);
    assert.deepEqual(out.values.subarray(0, 1500 * 5), ref2.values);
    assert.deepEqual(out.values.subarray(1500 * 5), ref1.values.subarray(1500 * 5));
  },
});

Deno.test({
  name: "GPU large route: out is honoured, with the large route's results",
  ignore: !gpu,
  async fn() {
    const B = 2, N = LARGE_ROUTE_MIN_POINTS, rng = new Random(7);
    const x = Float64Array.from({ length: N }, (_, i) => (10 * i) / N);
    const y = new Float32Array(B * N);
    for (let b = 0; b < B; b++) {
      for (let i = 0; i < N; i++) {
        y[b * N + i] = (2 + b) * Math.exp(-x[i] / (1 + b)) + 0.3 + 0.05 * rng.normal();
      }
    }
    const model = "a*exp(-x/tau) + c";
    const params = { a: 1, tau: { value: 1, min: 0.1 }, c: 0 };
    const out = allocBatchOutput(4, model, params);
    const ref = await fitBatch(model, { x, y, params, device: "gpu" });
    assert.equal(ref.route, "large");
    const r = await fitBatch(model, { x, y, params, device: "gpu", out });
    assertSameResult(r, ref);
    assert.equal(r.values.buffer, out.values.buffer);
    assert.equal(r.statusCode.buffer, out.statusCode.buffer);
    assert.deepEqual(out.chisqr.subarray(0, 2), ref.chisqr);
  },
});
