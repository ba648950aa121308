/**
 * A WebGPU adapter whose `requestDevice` throws (a driver that refuses the device, a lost
 * GPU): `getGpu` returns null with the reason and `fitBatch` runs on the CPU and says why.
 * Its own test module (isolate), so the fake `navigator.gpu` is the first `getGpu` ever sees.
 */
import assert from "node:assert/strict";
import { fitBatch, getGpu, gpuUnavailableReason } from "../../mod.ts";

const fakeAdapter = {
  info: { vendor: "fake", architecture: "", device: "", description: "test adapter" },
  limits: { maxStorageBufferBindingSize: 1 << 27, maxBufferSize: 1 << 28 },
  isFallbackAdapter: false,
  requestDevice(): Promise<GPUDevice> {
    return Promise.reject(new Error("device creation refused by the driver"));
  },
};
Object.defineProperty(globalThis.navigator, "gpu", {
  configurable: true,
  value: { requestAdapter: () => Promise.resolve(fakeAdapter) },
});

Deno.test("a failing requestDevice gives no GPU, with the reason, and fitBatch runs on the CPU", async () => {
  assert.equal(await getGpu(), null);
  assert.match(
    gpuUnavailableReason() ?? "",
    /requestDevice failed on fake test adapter: device creation refused by the driver/,
  );
  const x = Float64Array.from({ length: 10 }, (_, i) => i);
  const y = Float64Array.from([1, 2].flatMap((m) => Array.from(x, (v) => m * v + 1)));
  const r = await fitBatch("m*x + c", { x, y, params: { m: 0, c: 0 }, device: "gpu" });
  assert.equal(r.device, "cpu");
  assert.match(r.reason, /^CPU: requestDevice failed on fake test adapter/);
  assert.ok(Math.abs(r.get("m")[1] - 2) < 1e-9);
});
