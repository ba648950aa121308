/**
 * fitBatch's routing of a few huge datasets to fitLarge's points-parallel GPU reductions (part
 * of tests/gpu_test.ts, one device per process): the large route gives the per-fit path's answers
 * (the f64 CPU path) within float32 tolerance. On llvmpipe here; skipped, with the reason
 * printed, without an adapter.
 */
import assert from "node:assert/strict";
import { type BatchResult, fitBatch, getGpu, Random } from "../../mod.ts";
import { gpuUnavailableReason } from "../../gpu/device.ts";
import { LARGE_ROUTE_MIN_POINTS } from "../../lib/batch/route.ts";

const gpu = await getGpu();
if (!gpu) console.log(`GPU routing tests skipped: ${gpuUnavailableReason()}`);

/** Values within `sd` standard errors, stderr and χ² within `rel` of the reference. */
function assertAgree(r: BatchResult, ref: BatchResult, sd: number, rel: number): void {
  for (let i = 0; i < ref.values.length; i++) {
    const s = ref.stderr[i];
    assert.ok(
      Math.abs(r.values[i] - ref.values[i]) <= sd * s,
      `value ${i}: ${r.values[i]} vs ${ref.values[i]} ± ${s}`,
    );
    assert.ok(Math.abs(r.stderr[i] - s) <= rel * s, `stderr ${i}: ${r.stderr[i]} vs ${s}`);
  }
  for (let b = 0; b < ref.nFits; b++) {
    assert.ok(Math.abs(r.chisqr[b] - ref.chisqr[b]) <= rel * ref.chisqr[b], `chisqr ${b}`);
  }
}

Deno.test({
  name:
    "a few huge datasets go to fitLarge's points-parallel route with the per-fit path's answers",
  ignore: !gpu,
  async fn() {
    const B = 3, N = LARGE_ROUTE_MIN_POINTS, rng = new Random(5);
    const x = Float64Array.from({ length: N }, (_, i) => (10 * i) / N);
    const y = new Float32Array(B * N), weights = new Float64Array(B * N);
    const truth = [[3, 2, 0.5], [1, 4, -0.2], [5, 1, 1]];
    for (let b = 0; b < B; b++) {
      const [a, tau, c] = truth[b];
      for (let i = 0; i < N; i++) {
        const sigma = 0.05 * (1 + b);
        y[b * N + i] = a * Math.exp(-x[i] / tau) + c + sigma * rng.normal();
        weights[b * N + i] = 1 / sigma;
      }
    }
    const model = "a*exp(-x/tau) + c";
    const opts = { x, y, weights, params: { a: 1, tau: { value: 1, min: 0.1 }, c: 0 } };
    const large = await fitBatch(model, { ...opts, device: "gpu" });
    assert.equal(large.route, "large");
    assert.equal(large.device, "gpu");
    assert.match(large.reason, /3 fits × 100000 points: points-parallel reductions per fit/);
    assert.deepEqual(large.status, ["converged", "converged", "converged"]);
    const cpu = await fitBatch(model, { ...opts, device: "cpu" });
    assert.equal(cpu.route, "per-fit");
    assert.equal(cpu.device, "cpu");
    // Statistics of both in f64 at solutions a float32 reduction apart.
    assertAgree(large, cpu, 0.05, 1e-3);
    // Gpufit's convergence rule (rejected steps too) ends each fit as the CPU's does: before it,
    // the large route raised λ past 1e15 after converging (17 iterations where the CPU took 7).
    const meanIter = (r: typeof cpu) => r.nIter.reduce((a, v) => a + v, 0) / r.nFits;
    assert.ok(
      meanIter(large) <= 1.3 * meanIter(cpu),
      `iterations ${meanIter(large)} (large route) vs ${meanIter(cpu)} (CPU)`,
    );
    // gpuLimits bound the points per chunk: 30,000, so four chunks per fit, the last one short.
    const chunked = await fitBatch(model, {
      ...opts,
      device: "gpu",
      gpuLimits: { maxStorageBufferBindingSize: 4 * 30_000 },
    });
    assert.equal(chunked.route, "large");
    assertAgree(chunked, cpu, 0.05, 1e-3);
    // An explicit kernel layout keeps the per-fit path (workgroup per fit: tree reductions).
    const perFit = await fitBatch(model, { ...opts, device: "gpu", gpuLayout: "workgroup" });
    assert.equal(perFit.route, "per-fit");
    assert.match(perFit.reason, /one workgroup per fit/);
    // Fixed parameters and a per-fit start: still the large route, same answers.
    const fixed = await fitBatch(model, {
      x,
      y,
      weights,
      params: {
        names: ["a", "tau", "c"],
        values: truth.flat().map((v) => v * 1.2),
        vary: { c: false },
      },
      device: "gpu",
    });
    const fixedCpu = await fitBatch(model, {
      x,
      y,
      weights,
      params: {
        names: ["a", "tau", "c"],
        values: truth.flat().map((v) => v * 1.2),
        vary: { c: false },
      },
      device: "cpu",
    });
    assert.equal(fixed.route, "large");
    assertAgree(fixed, fixedCpu, 0.05, 1e-3);
    assert.deepEqual(fixed.get("c"), Float64Array.from(truth, (t) => t[2] * 1.2));
  },
});
