/**
 * `new Model(fn)` compiled from a plain JavaScript function runs in fitBatch on the GPU (WGSL).
 * Imported by tests/gpu_test.ts so the test process opens one GPU device.
 */
import assert from "node:assert/strict";
import { fitBatch, getGpu, Model } from "../../mod.ts";

const gpu = await getGpu();
Deno.test({
  name: "fitBatch runs a compiled function on the GPU (WGSL) and recovers each fit",
  ignore: !gpu,
  async fn() {
    const model = new Model((x: number, amp: number, tau: number) =>
      amp * Math.exp(-x / tau) + Math.cbrt(tau) * 0
    );
    const x = Float64Array.from({ length: 64 }, (_, i) => i / 8);
    const y = Float64Array.from(
      { length: 128 },
      (_, i) => (i < 64 ? 3 : 5) * Math.exp(-x[i % 64] / 2),
    );
    const params = { amp: 1, tau: 1 };
    const onGpu = await fitBatch(model, { x, y, params, device: "gpu" });
    assert.equal(onGpu.device, "gpu");
    assert.ok(Math.abs(onGpu.get("amp")[1] - 5) < 1e-3, `${onGpu.get("amp")}`);
    assert.ok(Math.abs(onGpu.get("tau")[0] - 2) < 1e-3, `${onGpu.get("tau")}`);
  },
});
