/** GPU chunk sizes from device limits and batch size (pure arithmetic; no device needed). */
import assert from "node:assert/strict";
import { gpuChunkSize } from "../../gpu/fit_gpu.ts";

const roomy = {
  maxStorageBufferBindingSize: 2 ** 27,
  maxBufferSize: 2 ** 28,
  maxComputeWorkgroupsPerDimension: 65535,
};

Deno.test("gpuChunkSize: an eighth of a large batch, at least 16,384 fits, whole small batches", () => {
  assert.equal(gpuChunkSize(1_000_000, 25, 5, 10, 0, roomy), 125_056); // ⌈10⁶/8/64⌉·64
  assert.equal(gpuChunkSize(100_000, 25, 5, 10, 0, roomy), 16_384);
  assert.equal(gpuChunkSize(5_000, 25, 5, 10, 0, roomy), 5_000);
  assert.equal(gpuChunkSize(1, 25, 5, 10, 0, roomy), 1);
});

Deno.test("gpuChunkSize: the widest per-fit binding, the buffer size and the dispatch limit bound it", () => {
  // 1,024 points × 4 bytes per fit in a 128 MiB binding.
  assert.equal(gpuChunkSize(1_000_000, 1024, 5, 10, 0, roomy), 32_768);
  // Two independent variables stored per fit: the x binding is 2·N floats per fit.
  assert.equal(gpuChunkSize(1_000_000, 1024, 5, 10, 2, roomy), 16_384);
  // Parameters plus correlation pairs wider than the data.
  const narrow = { ...roomy, maxStorageBufferBindingSize: 4000 };
  assert.equal(gpuChunkSize(1_000_000, 2, 10, 45, 0, narrow), Math.floor(4000 / (4 * 55)));
  assert.equal(gpuChunkSize(1_000_000, 25, 5, 10, 0, { ...roomy, maxBufferSize: 1000 }), 10);
  assert.equal(
    gpuChunkSize(1_000_000, 25, 5, 10, 0, { ...roomy, maxComputeWorkgroupsPerDimension: 3 }),
    192,
  );
  assert.throws(
    () => gpuChunkSize(10, 25, 5, 10, 0, { ...roomy, maxBufferSize: 64 }),
    /one fit needs a 100-byte buffer but the device allows 64 bytes/,
  );
});
