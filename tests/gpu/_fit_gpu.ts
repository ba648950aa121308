/**
 * The GPU paths of fitBatch and fitLarge where they must not give a wrong answer: float32
 * overflow re-run on the CPU, a failing kernel reported as GpuExecutionError (and the device
 * still usable), chunked reductions, erf-based models, per-fit abscissae and weights.
 * On the llvmpipe software adapter here; skipped, with the reason printed, without an adapter.
 */
import assert from "node:assert/strict";
import { fitBatch, fitLarge, Random, SkewedGaussianModel } from "../../mod.ts";
import { getGpu, gpuUnavailableReason } from "../../gpu/device.ts";
import { fitBatchOnGpu, GpuExecutionError } from "../../gpu/fit_gpu.ts";

const gpu = await getGpu();
const hasAdapter = gpu !== null;
if (!hasAdapter) console.log(`GPU tests skipped: ${gpuUnavailableReason()}`);

Deno.test({
  name: "fits whose float32 values overflow on the GPU are re-run on the CPU, not returned wrong",
  ignore: !hasAdapter,
  async fn() {
    const N = 21, B = 6;
    const x = Float64Array.from({ length: N }, (_, i) => 90 + 0.5 * i); // 90 … 100
    const truth = [0.05, 0.1, 0.95, 1.0, 0.2, 1.02]; // rates near 1: e^100 overflows f32
    const y = new Float64Array(B * N);
    truth.forEach((b, k) => x.forEach((v, i) => (y[k * N + i] = 2 * Math.exp(b * v))));
    const params = { names: ["a", "b"], values: truth.flatMap((b) => [1.5, b * 0.999]) };
    const cpu = await fitBatch("a*exp(b*x)", { x, y, params, device: "cpu", tol: 1e-10 });
    const g = await fitBatch("a*exp(b*x)", { x, y, params, device: "gpu", tol: 1e-10 });
    assert.equal(g.device, "gpu");
    assert.match(g.reason, /3 fits with non-finite float32 results re-run on the CPU/);
    assert.deepEqual(cpu.status, Array(B).fill("converged"));
    for (const k of [2, 3, 5]) {
      assert.equal(g.values[2 * k + 1], cpu.values[2 * k + 1], `fit ${k} re-run in f64`);
      assert.equal(g.status[k], "converged");
      assert.ok(Math.abs(g.get("b")[k] - truth[k]) < 1e-9, `fit ${k}: ${g.get("b")[k]}`);
    }
    for (const k of [0, 1, 4]) {
      assert.ok(Math.abs(g.get("b")[k] - truth[k]) < 1e-5, `fit ${k}: ${g.get("b")[k]}`);
    }
  },
});

Deno.test({
  name: "a kernel that fails on the GPU raises GpuExecutionError and leaves the device usable",
  ignore: !hasAdapter,
  async fn() {
    const prob = {
      nFits: 2,
      nPoints: 4,
      nParams: 1,
      vars: [Float64Array.of(0, 1, 2, 3)],
      varsPerFit: false,
      y: Float64Array.of(0, 1, 2, 3, 0, 2, 4, 6),
      weights: null,
      start: Float64Array.of(1, 1),
      lower: Float64Array.of(-Infinity),
      upper: Float64Array.of(Infinity),
      free: Uint8Array.of(1),
    };
    const broken = {
      code: "let t0 = undefined_name * 2.0;",
      outputs: ["t0", "xv[0]"],
      helpers: "",
    };
    await assert.rejects(
      () => fitBatchOnGpu(prob, broken, { maxIter: 10, tol: 1e-6 }),
      (e: unknown) => e instanceof GpuExecutionError && /batched LM kernel/.test(e.message),
    );
    const ok = await fitBatchOnGpu(
      prob,
      { code: "let t0 = p[0] * xv[0];", outputs: ["t0", "xv[0]"], helpers: "" },
      { maxIter: 50, tol: 1e-9 },
    );
    assert.ok(ok);
    assert.ok(Math.abs(ok.values[0] - 1) < 1e-6 && Math.abs(ok.values[1] - 2) < 1e-6);
  },
});

Deno.test({
  name: "fitLarge in chunks (odd sizes, workgroup tree reductions) gives the CPU's answer",
  ignore: !hasAdapter,
  async fn() {
    const rng = new Random(5);
    const n = 30_011;
    const x = Float64Array.from({ length: n }, (_, i) => (8 * i) / n);
    const y = x.map((v) => 2 * Math.exp(-v / 3) * Math.cos(1.5 * v) + 0.3 + 0.02 * rng.normal());
    const w = Float64Array.from({ length: n }, (_, i) => 1 + (i % 3) / 2);
    const model = "a*exp(-x/tau)*cos(om*x) + c";
    const params = { a: 1.5, tau: 2, om: 1.4, c: 0 };
    const cpu = await fitLarge(model, { x, y, weights: w, params, device: "cpu" });
    const one = await fitLarge(model, { x, y, weights: w, params, device: "gpu" });
    const many = await fitLarge(model, {
      x,
      y,
      weights: w,
      params,
      device: "gpu",
      chunkPoints: 4_000,
    });
    for (const g of [one, many]) {
      assert.equal(g.device, "gpu", g.reason);
      for (let k = 0; k < 4; k++) {
        assert.ok(
          Math.abs(g.values[k] - cpu.values[k]) <= 0.02 * cpu.stderr[k],
          `${g.paramNames[k]}: ${g.values[k]} vs ${cpu.values[k]} ± ${cpu.stderr[k]}`,
        );
      }
      assert.ok(Math.abs(g.chisqr - cpu.chisqr) <= 1e-6 * cpu.chisqr);
    }
  },
});

Deno.test({
  name: "an erf-based built-in (skewed Gaussian) fits on the GPU as on the CPU",
  ignore: !hasAdapter,
  async fn() {
    const model = new SkewedGaussianModel();
    const N = 48, B = 300;
    const x = Float64Array.from({ length: N }, (_, i) => -5 + (10 * i) / (N - 1));
    const rng = new Random(8);
    const y = new Float64Array(B * N);
    for (let b = 0; b < B; b++) {
      const v = model.eval({
        amplitude: 3 + rng.uniform(),
        center: rng.uniformRange(-0.5, 0.5),
        sigma: 1 + 0.3 * rng.uniform(),
        gamma: rng.uniformRange(-2, 2),
      }, { x });
      for (let i = 0; i < N; i++) y[b * N + i] = v[i] + 0.01 * rng.normal();
    }
    const params = { amplitude: 3, center: 0, sigma: { value: 1, min: 0.1 }, gamma: 0 };
    const cpu = await fitBatch(model, { x, y, params, device: "cpu" });
    const g = await fitBatch(model, { x, y, params, device: "gpu" });
    assert.equal(g.device, "gpu", g.reason);
    let agree = 0;
    for (let b = 0; b < B; b++) {
      let ok = g.status[b] === cpu.status[b];
      for (let k = 0; k < 4; k++) {
        const d = Math.abs(g.values[b * 4 + k] - cpu.values[b * 4 + k]);
        if (!(d <= 0.05 * cpu.stderr[b * 4 + k] + 1e-5 * Math.abs(cpu.values[b * 4 + k]))) {
          ok = false;
        }
      }
      if (ok) agree++;
    }
    assert.ok(agree >= B - 3, `${agree}/${B} agree`);
  },
});

Deno.test({
  name: "per-fit abscissae and per-fit weights give the same fits on the GPU and the CPU",
  ignore: !hasAdapter,
  async fn() {
    const N = 30, B = 400;
    const rng = new Random(12);
    const x = new Float64Array(B * N), y = new Float64Array(B * N), w = new Float64Array(B * N);
    for (let b = 0; b < B; b++) {
      const slope = rng.uniformRange(-2, 2), k = 0.2 + rng.uniform(), shift = rng.uniform();
      for (let i = 0; i < N; i++) {
        x[b * N + i] = shift + i * 0.2;
        y[b * N + i] = slope * x[b * N + i] + 3 * Math.exp(-k * x[b * N + i]) +
          0.01 * rng.normal();
        w[b * N + i] = 1 / (0.5 + rng.uniform());
      }
    }
    const params = { m: 0, A: 1, k: { value: 0.5, min: 0 } };
    const model = "m*x + A*exp(-k*x)";
    const cpu = await fitBatch(model, { x, y, weights: w, params, device: "cpu", nPoints: N });
    const g = await fitBatch(model, { x, y, weights: w, params, device: "gpu", nPoints: N });
    assert.equal(g.device, "gpu", g.reason);
    let agree = 0;
    for (let b = 0; b < B; b++) {
      let ok = true;
      for (let k = 0; k < 3; k++) {
        const d = Math.abs(g.values[b * 3 + k] - cpu.values[b * 3 + k]);
        if (!(d <= 0.05 * cpu.stderr[b * 3 + k] + 1e-5 * Math.abs(cpu.values[b * 3 + k]))) {
          ok = false;
        }
      }
      if (ok) agree++;
    }
    assert.ok(agree >= B - 4, `${agree}/${B} agree`);
  },
});

Deno.test({
  name: '"auto" picks the CPU on a software adapter or a small batch, and says why',
  ignore: !hasAdapter,
  async fn() {
    const x = Float64Array.from({ length: 16 }, (_, i) => i);
    const y = x.map((v) => 2 * v + 1);
    const r = await fitBatch("a*x + b", { x, y, params: { a: 1, b: 0 } });
    assert.equal(r.device, "cpu");
    assert.match(
      r.reason,
      gpu!.software ? /software rasteriser/ : /16 data points are below the GPU threshold/,
    );
    assert.ok(Math.abs(r.get("a")[0] - 2) < 1e-9);
  },
});
