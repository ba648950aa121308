/**
 * fitBatch: the CPU path against single model fits, and the GPU kernel (on whatever WebGPU
 * adapter exists: llvmpipe in CI) against the CPU path, fit by fit.
 */
import assert from "node:assert/strict";
import {
  batchSpecOf,
  ExpressionModel,
  fitBatch,
  fitLarge,
  Gaussian2dModel,
  GaussianModel,
  getGpu,
  LinearModel,
  Random,
  VoigtModel,
} from "../../mod.ts";
import { gaussian2dBatch } from "./_gaussian2d_batch.ts";

const gpu = await getGpu();
if (!gpu) console.log("GPU tests skipped: no WebGPU adapter in this runtime");

function gaussians(B: number, N: number, seed: number) {
  const rng = new Random(seed);
  const x = Float64Array.from({ length: N }, (_, i) => -4 + (8 * i) / (N - 1));
  const y = new Float32Array(B * N);
  for (let b = 0; b < B; b++) {
    const a = 2 + rng.uniform() * 3, c = rng.uniformRange(-1, 1), s = 0.5 + rng.uniform();
    for (let i = 0; i < N; i++) {
      y[b * N + i] =
        (a / (Math.sqrt(2 * Math.PI) * s)) * Math.exp(-((x[i] - c) ** 2) / (2 * s * s)) +
        0.01 * rng.normal();
    }
  }
  return { x, y };
}

Deno.test("CPU batch fits match single model.fit calls", async () => {
  const { x, y } = gaussians(20, 64, 1);
  const model = new GaussianModel();
  const batch = await fitBatch(model, {
    x,
    y,
    params: { amplitude: 3, center: 0, sigma: 1 },
    device: "cpu",
    tol: 1e-12,
  });
  assert.equal(batch.device, "cpu");
  assert.deepEqual(batch.paramNames, ["amplitude", "center", "sigma"]);
  for (let b = 0; b < 20; b++) {
    const yb = Float64Array.from(y.subarray(b * 64, b * 64 + 64));
    const single = await model.fit(yb, model.makeParams({ amplitude: 3, center: 0, sigma: 1 }), {
      x,
    });
    batch.paramNames.forEach((n, k) => {
      const v = single.params.get(n)!;
      assert.ok(
        Math.abs(batch.values[b * 3 + k] - v.value) <= 1e-6 * Math.max(1, Math.abs(v.value)),
        `fit ${b} ${n}: ${batch.values[b * 3 + k]} vs ${v.value}`,
      );
      assert.ok(
        Math.abs(batch.stderr[b * 3 + k] - v.stderr!) <= 1e-4 * v.stderr!,
        `fit ${b} ${n} stderr`,
      );
    });
    assert.ok(Math.abs(batch.chisqr[b] - single.chisqr) <= 1e-9 * single.chisqr);
    assert.equal(batch.status[b], "converged");
  }
  assert.deepEqual(batch.get("center").length, 20);
});

Deno.test({
  name: "GPU and CPU agree fit by fit on thousands of Gaussian fits (float32 tolerance)",
  ignore: !gpu,
  async fn() {
    const { x, y } = gaussians(2000, 64, 2);
    const params = { amplitude: 3, center: 0, sigma: { value: 1, min: 0.05 } };
    const cpu = await fitBatch(new GaussianModel(), { x, y, params, device: "cpu" });
    const gpuRes = await fitBatch(new GaussianModel(), { x, y, params, device: "gpu" });
    assert.equal(gpuRes.device, "gpu", gpuRes.reason);
    let agree = 0;
    for (let b = 0; b < 2000; b++) {
      let ok = gpuRes.status[b] === cpu.status[b];
      for (let k = 0; k < 3; k++) {
        const d = Math.abs(gpuRes.values[b * 3 + k] - cpu.values[b * 3 + k]);
        if (!(d <= 0.05 * cpu.stderr[b * 3 + k] + 1e-5 * Math.abs(cpu.values[b * 3 + k]))) {
          ok = false;
        }
      }
      if (ok) agree++;
    }
    assert.ok(agree >= 1990, `${agree}/2000 fits agree`);
  },
});

Deno.test({
  name: "2-D Gaussians (Gpufit's benchmark model, 5x5 points) fit on GPU and CPU alike",
  ignore: !gpu,
  async fn() {
    const model = new Gaussian2dModel();
    const B = 500;
    const data = new Float64Array(B * 25);
    const { x: gx, y: gy } = gaussian2dBatch(new Random(4), data);
    const params = { amplitude: 40, centerx: 0, centery: 0, sigmax: 1, sigmay: 1 };
    const cpu = await fitBatch(model, { vars: { x: gx, y: gy }, y: data, params, device: "cpu" });
    const g = await fitBatch(model, { vars: { x: gx, y: gy }, y: data, params, device: "gpu" });
    assert.equal(g.device, "gpu", g.reason);
    let agree = 0;
    for (let b = 0; b < B; b++) {
      let ok = true;
      for (let k = 0; k < 5; k++) {
        if (
          !(Math.abs(g.values[b * 5 + k] - cpu.values[b * 5 + k]) <=
            0.05 * cpu.stderr[b * 5 + k] + 1e-5 * Math.abs(cpu.values[b * 5 + k]))
        ) ok = false;
      }
      if (ok) agree++;
    }
    assert.ok(agree >= B - 5, `${agree}/${B} agree`);
  },
});

Deno.test("fixed parameters, bounds, per-fit starts and weights are honoured", async () => {
  const x = Float64Array.from({ length: 10 }, (_, i) => i);
  const y = new Float64Array(30);
  for (let b = 0; b < 3; b++) for (let i = 0; i < 10; i++) y[b * 10 + i] = (b + 1) * x[i] + 5;
  const r = await fitBatch(new LinearModel(), {
    x,
    y,
    params: {
      names: ["slope", "intercept"],
      values: [1, 5, 2, 5, 3, 5],
      vary: { intercept: false },
      max: { slope: 2.5 },
    },
    device: "cpu",
  });
  assert.deepEqual(Array.from(r.get("intercept")), [5, 5, 5]);
  assert.ok(Math.abs(r.get("slope")[0] - 1) < 1e-9 && Math.abs(r.get("slope")[1] - 2) < 1e-9);
  assert.equal(r.get("slope")[2], 2.5, "clipped to its bound");
  assert.equal(r.stderr[1], 0, "fixed parameters have zero stderr");
});

Deno.test("unsupported models fall back to the CPU with a reason; bad input is named", async () => {
  const x = Float64Array.from({ length: 20 }, (_, i) => i / 2 - 5);
  const v = new VoigtModel();
  const y = v.eval({ amplitude: 2, center: 0.3, sigma: 0.7, gamma: 0.7 }, { x });
  const spec = batchSpecOf(v);
  assert.deepEqual(spec.paramNames, ["amplitude", "center", "sigma", "gamma"]);
  const r = await fitBatch(v, {
    x,
    y,
    params: { amplitude: 1, center: 0, sigma: 1, gamma: 1 },
    device: "gpu",
  });
  assert.equal(r.device, "cpu");
  assert.match(r.reason, gpu ? /not supported on the GPU: the function wofz_re\(\)/ : /CPU/);
  assertAlmost(r.get("center")[0], 0.3);
  await assert.rejects(
    () => fitBatch(new ExpressionModel("a*x"), { x, y: new Float64Array(21), params: { a: 1 } }),
    /not a multiple/,
  );
  await assert.rejects(
    () => fitBatch(new ExpressionModel("a*x + b"), { x, y, params: { a: 1 } }),
    /no start value for 'b'/,
  );
});

function assertAlmost(a: number, b: number) {
  assert.ok(Math.abs(a - b) < 1e-6, `${a} vs ${b}`);
}

Deno.test("the CPU path spread over Web Workers gives the same answers as one thread", async () => {
  const { x, y } = gaussians(400, 64, 9);
  const params = { amplitude: 3, center: 0, sigma: 1 };
  const one = await fitBatch(new GaussianModel(), { x, y, params, device: "cpu", workers: 1 });
  const two = await fitBatch(new GaussianModel(), { x, y, params, device: "cpu", workers: 2 });
  assert.deepEqual(two.values, one.values);
  assert.deepEqual(two.status, one.status);
  assert.match(two.reason, /2 workers/);
});

Deno.test("each worker fits its own share: per-fit x, weights and starts, uneven split", async () => {
  // 7 fits over 2 workers (4 + 3), every per-fit input different, data as a plain array.
  const B = 7, N = 12;
  const x = new Float64Array(B * N), y: number[] = [], w = new Float64Array(B * N);
  const values: number[] = [];
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < N; i++) {
      x[b * N + i] = i / 2 + 0.1 * b;
      y.push((1 + b) * Math.exp(-x[b * N + i] / (2 + 0.3 * b)) + 0.01 * Math.sin(3 * i + b));
      w[b * N + i] = 1 + ((i + b) % 3);
    }
    values.push(0.5 + b, 1.5);
  }
  const model = new ExpressionModel("a*exp(-x/tau)");
  const run = (workers: number) =>
    fitBatch(model, {
      x,
      y,
      weights: w,
      nPoints: N,
      params: { names: ["a", "tau"], values },
      device: "cpu",
      workers,
    });
  const one = await run(1), two = await run(2);
  assert.match(two.reason, /2 workers/);
  for (const key of ["values", "stderr", "correl", "chisqr", "nIter", "statusCode"] as const) {
    assert.deepEqual(two[key], one[key], key);
  }
  // And each fit is the fit of its own data: fit 5 alone gives the same numbers.
  const alone = await fitBatch(model, {
    x: x.subarray(5 * N, 6 * N),
    y: y.slice(5 * N, 6 * N),
    weights: w.subarray(5 * N, 6 * N),
    params: { a: values[10], tau: values[11] },
    device: "cpu",
  });
  assert.deepEqual(Array.from(two.values.subarray(10, 12)), Array.from(alone.values));
});

function largeData(n: number) {
  const rng = new Random(21);
  const x = Float64Array.from({ length: n }, (_, i) => (10 * i) / n);
  const y = x.map((v) => 3 * Math.exp(-v / 2) + 0.5 + 0.05 * rng.normal());
  return { x, y };
}

Deno.test("fitLarge on the CPU matches a single model.fit of the same data", async () => {
  const { x, y } = largeData(20_000);
  const model = new ExpressionModel("a*exp(-x/tau) + c");
  const single = await model.fit(y, model.makeParams({ a: 1, tau: 1, c: 0 }), { x });
  const large = await fitLarge(model, { x, y, params: { a: 1, tau: 1, c: 0 }, device: "cpu" });
  assert.equal(large.device, "cpu");
  for (const n of ["a", "tau", "c"]) {
    const s = single.params.get(n)!;
    assert.ok(
      Math.abs(large.get(n) - s.value) <= 1e-7 * Math.abs(s.value),
      `${n}: ${large.get(n)} vs ${s.value}`,
    );
    const k = large.paramNames.indexOf(n);
    assert.ok(Math.abs(large.stderr[k] - s.stderr!) <= 1e-4 * s.stderr!, `${n} stderr`);
  }
  assert.equal(large.status, "converged");
});

Deno.test({
  name: "fitLarge reduces on the GPU (Kahan f32 partial sums, f64 solve) to the CPU answer",
  ignore: !gpu,
  async fn() {
    const { x, y } = largeData(200_000);
    const params = { a: 1, tau: 1, c: 0 };
    const cpu = await fitLarge("a*exp(-x/tau) + c", { x, y, params, device: "cpu" });
    const g = await fitLarge("a*exp(-x/tau) + c", { x, y, params, device: "gpu" });
    assert.equal(g.device, "gpu", g.reason);
    for (let k = 0; k < 3; k++) {
      assert.ok(
        Math.abs(g.values[k] - cpu.values[k]) <= 0.05 * cpu.stderr[k],
        `${g.paramNames[k]}: ${g.values[k]} vs ${cpu.values[k]} ± ${cpu.stderr[k]}`,
      );
    }
    assert.ok(Math.abs(g.chisqr - cpu.chisqr) <= 1e-6 * cpu.chisqr);
  },
});
