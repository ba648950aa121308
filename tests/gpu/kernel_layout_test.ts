/**
 * The choice between one invocation and one workgroup per fit, and the `gpuLayout` option's
 * validation (no GPU needed).
 */
import assert from "node:assert/strict";
import { chooseKernelLayout, fitBatch } from "../../mod.ts";
import { lmKernel, SOFTWARE_BUSY_INVOCATIONS } from "../../gpu/kernel_layout.ts";
import { lmKernelWgWgsl, lmWorkgroupSize } from "../../gpu/lm_kernel_wg.wgsl.ts";
import { emitWgsl } from "../../gpu/wgsl_codegen.ts";
import { parse } from "../../lib/expr/parser.ts";

Deno.test("chooseKernelLayout: a workgroup per fit for many points or few fits", () => {
  // Many points: a workgroup per fit whatever the number of fits.
  assert.equal(chooseKernelLayout(256, 10_000_000), "workgroup");
  assert.equal(chooseKernelLayout(4096, 200), "workgroup");
  assert.equal(chooseKernelLayout(255, 10_000_000), "thread");
  // Few fits (fewer than a GPU needs invocations to be busy) with at least 32 points.
  assert.equal(chooseKernelLayout(64, 16383), "workgroup");
  assert.equal(chooseKernelLayout(64, 16384), "thread");
  assert.equal(chooseKernelLayout(31, 10), "thread"); // tiny problems: one invocation per fit
  assert.equal(chooseKernelLayout(25, 1_000_000), "thread"); // Gpufit's 5×5 benchmark
  // The thresholds are parameters.
  assert.equal(chooseKernelLayout(64, 100_000, { busyInvocations: 270_000 }), "workgroup");
  // A software adapter is busy with a few hundred invocations.
  assert.equal(chooseKernelLayout(64, 400), "workgroup");
  assert.equal(
    chooseKernelLayout(64, 400, { busyInvocations: SOFTWARE_BUSY_INVOCATIONS }),
    "thread",
  );
  assert.equal(chooseKernelLayout(300, 10, { minPoints: 512, minPointsFewFits: 512 }), "thread");
  // Reductions that do not fit in workgroup memory keep one invocation per fit.
  assert.equal(chooseKernelLayout(4096, 10, { nFree: 40, nParams: 40 }), "thread");
  assert.equal(
    chooseKernelLayout(4096, 10, { nFree: 20, maxComputeWorkgroupStorageSize: 1024 }),
    "thread",
  );
});

Deno.test("lmWorkgroupSize: the largest power of two whose reductions fit", () => {
  assert.equal(lmWorkgroupSize(3, 4), 64); // 10 slots: 2,560 bytes
  assert.equal(lmWorkgroupSize(5, 5), 64); // 21 slots: 5,376 bytes
  assert.equal(lmWorkgroupSize(10, 10), 32); // 66 slots: 64 × 264 bytes > 16 KiB
  assert.equal(lmWorkgroupSize(20, 20), 16);
  assert.equal(lmWorkgroupSize(30, 30), 8);
  assert.equal(lmWorkgroupSize(40, 40), 0);
  assert.equal(lmWorkgroupSize(10, 10, 32768), 64);
  for (const F of [1, 3, 7, 12, 25]) {
    const w = lmWorkgroupSize(F, F);
    assert.ok(4 * w * (1 + F + (F * (F + 1)) / 2) + 4 * (F + 1) <= 16384);
  }
});

Deno.test("lmKernel: the dispatch shape of each layout; a workgroup that cannot fit is an error", () => {
  const names = Object.fromEntries(
    Array.from({ length: 40 }, (_, k) => [`a${k}`, `p[${k}]`]).concat([["x", "xv[0]"]]),
  );
  const line = emitWgsl([parse("a0*x + a1"), parse("x"), parse("1")], names);
  const spec = { P: 2, N: 1000, nVars: 1, varsPerFit: false, weightsMode: 0 as const, model: line };
  const wg = lmKernel("workgroup", spec, 16384);
  assert.equal(wg.fitsPerWorkgroup, 1);
  assert.match(wg.code, /@workgroup_size\(64\)/);
  assert.match(wg.code, /workgroupUniformLoad/);
  const th = lmKernel("thread", spec, 16384);
  assert.equal(th.fitsPerWorkgroup, 64);
  assert.doesNotMatch(th.code, /workgroupUniformLoad/);
  // Fixed parameters are baked in: one free parameter, 3 reduction slots.
  assert.match(lmKernel("workgroup", { ...spec, free: [1, 0] }, 16384).code, /const R: u32 = 3u;/);
  const sum = Array.from({ length: 40 }, (_, k) => `a${k}*x**${k % 3}`).join(" + ");
  const big = emitWgsl([parse(sum)], names);
  assert.throws(
    () => lmKernel("workgroup", { ...spec, P: 40, model: big }, 16384),
    (e: unknown) => e instanceof RangeError && /40 free parameters.*"thread"/.test(e.message),
  );
  assert.throws(() => lmKernelWgWgsl(spec, 48), RangeError);
});

Deno.test("fitBatch rejects an unknown gpuLayout, naming the valid ones", async () => {
  const x = Float64Array.of(0, 1, 2, 3);
  await assert.rejects(
    () =>
      fitBatch("m*x", {
        x,
        y: x,
        params: { m: 1 },
        device: "cpu",
        gpuLayout: "warp" as "thread",
      }),
    (e: unknown) =>
      e instanceof RangeError &&
      /gpuLayout 'warp' is not one of "auto", "thread", "workgroup"/.test(e.message),
  );
  // A valid layout is accepted; it matters only where a GPU kernel runs.
  const r = await fitBatch("m*x", {
    x,
    y: x,
    params: { m: 0 },
    device: "cpu",
    gpuLayout: "thread",
  });
  assert.ok(Math.abs(r.get("m")[0] - 1) < 1e-9);
});
