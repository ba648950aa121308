/**
 * The workgroup-per-fit LM kernel (one workgroup per fit, shared-memory reductions) against the
 * f64 CPU path, fit by fit, and the `gpuLayout` override (part of tests/gpu_test.ts, one device
 * per process). On llvmpipe here; skipped, with the reason printed, without an adapter.
 */
import assert from "node:assert/strict";
import { type BatchResult, fitBatch, getGpu, Random } from "../../mod.ts";
import { gpuUnavailableReason } from "../../gpu/device.ts";

const gpu = await getGpu();
const hasAdapter = gpu !== null;
if (!hasAdapter) console.log(`GPU layout tests skipped: ${gpuUnavailableReason()}`);

/** B noisy 1-D Gaussians of N points on [−5, 5]; the widths of the last fits exceed 0.75. */
function gaussians(B: number, N: number, seed: number) {
  const rng = new Random(seed);
  const x = Float64Array.from({ length: N }, (_, i) => -5 + (10 * i) / (N - 1));
  const y = new Float64Array(B * N);
  for (let b = 0; b < B; b++) {
    const a = 2 + 3 * rng.uniform(), c = rng.uniformRange(-1, 1), s = 0.4 + 0.8 * b / B;
    for (let i = 0; i < N; i++) {
      y[b * N + i] = a * Math.exp(-((x[i] - c) ** 2) / (2 * s * s)) + 0.3 +
        0.02 * rng.normal();
    }
  }
  return { x, y };
}

/** Asserts values within 0.05 standard errors and standard errors within 1e-3 of the CPU's. */
function assertAgrees(g: BatchResult, cpu: BatchResult, what: string): void {
  assert.equal(g.device, "gpu", g.reason);
  assert.deepEqual(g.status, cpu.status, `${what}: status`);
  for (let i = 0; i < cpu.values.length; i++) {
    const P = cpu.paramNames.length;
    const s = cpu.stderr[i], name = `${what}: fit ${Math.floor(i / P)} ${cpu.paramNames[i % P]}`;
    if (s === 0) {
      // A fixed parameter, or one held at a bound it is clamped to.
      assert.ok(Math.abs(g.values[i] - cpu.values[i]) <= 1e-6 * Math.abs(cpu.values[i]), name);
      assert.equal(g.stderr[i], 0, name);
      continue;
    }
    assert.ok(
      Math.abs(g.values[i] - cpu.values[i]) <= 0.05 * s,
      `${name}: ${g.values[i]} vs ${cpu.values[i]} ± ${s}`,
    );
    assert.ok(Math.abs(g.stderr[i] - s) <= 1e-3 * s, `${name}: stderr ${g.stderr[i]} vs ${s}`);
  }
  for (let b = 0; b < cpu.nFits; b++) {
    assert.ok(Math.abs(g.chisqr[b] - cpu.chisqr[b]) <= 1e-4 * cpu.chisqr[b], `${what}: χ² ${b}`);
  }
}

const model = "amp*exp(-(x-cen)**2/(2*sig**2)) + off";

Deno.test({
  name: "workgroup-per-fit kernel: 1-D Gaussians of 1,000 and 5,000 points agree with the CPU",
  ignore: !hasAdapter,
  async fn() {
    for (const [B, N] of [[24, 1000], [6, 5000]]) {
      const { x, y } = gaussians(B, N, N);
      const params = { amp: 3, cen: 0, sig: 1, off: 0 };
      const cpu = await fitBatch(model, { x, y, params, device: "cpu" });
      assert.deepEqual(cpu.status, Array(B).fill("converged"));
      // "auto" picks a workgroup per fit for this many points.
      const g = await fitBatch(model, { x, y, params, device: "gpu" });
      assert.match(g.reason, /one workgroup per fit/);
      assertAgrees(g, cpu, `${B}×${N}`);
      // The mean iterations stay those of the CPU path (same algorithm, same rule).
      const mean = (r: BatchResult) => r.nIter.reduce((s, v) => s + v, 0) / r.nFits;
      assert.ok(mean(g) <= 1.3 * mean(cpu), `iterations ${mean(g)} vs ${mean(cpu)}`);
    }
  },
});

Deno.test({
  name: "workgroup-per-fit kernel: fixed parameters, bounds (one active) and weights",
  ignore: !hasAdapter,
  async fn() {
    const B = 16, N = 1200;
    const { x, y } = gaussians(B, N, 7);
    const weights = Float64Array.from(x, (v) => 1 / (0.02 + 0.01 * Math.abs(v)));
    const params = {
      amp: { value: 3, min: 0.5, max: 10 },
      cen: { value: 0.2, min: -2, max: 2 },
      sig: { value: 0.6, min: 0.1, max: 0.75 }, // the wider Gaussians end at the bound
      off: { value: 0.3, vary: false },
    };
    const cpu = await fitBatch(model, { x, y, weights, params, device: "cpu" });
    const g = await fitBatch(model, { x, y, weights, params, device: "gpu" });
    assert.match(g.reason, /one workgroup per fit/);
    assert.ok(cpu.get("sig").some((s) => s === 0.75), "a fit ends at the bound");
    assert.ok(g.get("off").every((v) => Math.abs(v - 0.3) < 1e-7), "off stays fixed");
    assert.deepEqual(g.correlNames, cpu.correlNames);
    assertAgrees(g, cpu, "bounds");
  },
});

Deno.test({
  name: "gpuLayout overrides the choice both ways, with the same fits",
  ignore: !hasAdapter,
  async fn() {
    const B = 12, N = 1000;
    const { x, y } = gaussians(B, N, 3);
    const params = { amp: 3, cen: 0, sig: 1, off: 0 };
    const cpu = await fitBatch(model, { x, y, params, device: "cpu" });
    const thread = await fitBatch(model, { x, y, params, device: "gpu", gpuLayout: "thread" });
    assert.match(thread.reason, /one invocation per fit/);
    assertAgrees(thread, cpu, "thread");
    // Few points (16) would pick one invocation per fit; the override wins.
    const small = { ...gaussians(400, 16, 4), params };
    const cpuSmall = await fitBatch(model, { ...small, device: "cpu" });
    const auto = await fitBatch(model, { ...small, device: "gpu" });
    assert.match(auto.reason, /one invocation per fit/);
    const wg = await fitBatch(model, { ...small, device: "gpu", gpuLayout: "workgroup" });
    assert.match(wg.reason, /one workgroup per fit/);
    assertAgrees(wg, cpuSmall, "16 points, workgroup");
    assertAgrees(auto, cpuSmall, "16 points, thread");
    // 400 fits of 64 points: too few to fill a hardware GPU one per invocation, enough for a
    // software adapter (whose invocations are SIMD lanes of a few cores).
    const mid = await fitBatch(model, { ...gaussians(400, 64, 5), params, device: "gpu" });
    assert.match(mid.reason, gpu!.software ? /one invocation per fit/ : /one workgroup per fit/);
  },
});
