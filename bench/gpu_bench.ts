/**
 * `deno task bench:gpu`: fits/s of `fitBatch` on the GPU path and the CPU path (all cores) in
 * the same run, for Gpufit's benchmark (Gaussian-2D on 5×5 points) and a Gaussian-1D with 64
 * points, with the GPU time split into upload, kernel, read-back and statistics (kernel: wall time
 * in which the device is known busy; host share: the rest of the GPU path's wall time), the mean
 * iterations per fit of each path, and how many fits agree (values within 0.05 standard errors,
 * standard errors within 1e-3 relative).
 *
 * Then a few huge datasets (GPU_BENCH_LARGE, default 16x1000000: 16 fits of 10⁶ points of an
 * exponential plus offset), which fitBatch routes on the GPU to fitLarge's points-parallel
 * reductions, against the CPU path in the same run.
 *
 * The GPU path is timed in steady state: an untimed call of the same size first compiles the
 * kernel and allocates the persistent buffers.
 *
 * Each model runs twice on the GPU: into fresh result arrays (the default), and into result
 * buffers passed as `out` (allocBatchOutput), allocated and touched once before the timed call as
 * a program streaming a large file through fitBatch in blocks would: the first row pays the page
 * faults of first touching the fresh arrays, the second does not.
 *
 * Fits per model: GPU_BENCH_FITS (default 1,000,000; use e.g. 200000 on llvmpipe).
 * A second table compares the two kernel layouts (one invocation per fit, one workgroup per fit)
 * on few fits with many points (200 × 4,096 and 2,000 × 1,024 points), in the same run.
 * Run: deno task bench:gpu    or    GPU_BENCH_FITS=200000 deno task bench:gpu
 */
import {
  allocBatchOutput,
  type BatchResult,
  fitBatch,
  type FitBatchOptions,
  Gaussian2dModel,
  GaussianModel,
  getGpu,
  Random,
} from "../mod.ts";
import { gaussian2dBatch } from "../tests/batch/_gaussian2d_batch.ts";

const B = Number(Deno.env.get("GPU_BENCH_FITS") ?? 1_000_000);
const rng = new Random(11);

const N1 = 64;
const x1 = Float64Array.from({ length: N1 }, (_, i) => -4 + (8 * i) / (N1 - 1));
const y1 = new Float32Array(B * N1);
for (let b = 0; b < B; b++) {
  const a = 2 + 3 * rng.uniform(), c = rng.uniformRange(-1, 1), s = 0.5 + rng.uniform();
  for (let i = 0; i < N1; i++) {
    y1[b * N1 + i] = (a / (Math.sqrt(2 * Math.PI) * s)) *
        Math.exp(-((x1[i] - c) ** 2) / (2 * s * s)) + 0.01 * rng.normal();
  }
}
const z = new Float32Array(B * 25);
const { x: gx, y: gy } = gaussian2dBatch(rng, z);

const cases: {
  name: string;
  model: Gaussian2dModel | GaussianModel;
  opts: FitBatchOptions & { y: Float32Array };
}[] = [
  {
    name: "Gaussian-2D, 5×5 points",
    model: new Gaussian2dModel(),
    opts: {
      vars: { x: gx, y: gy },
      y: z,
      params: { amplitude: 40, centerx: 0, centery: 0, sigmax: 1, sigmay: 1 },
    },
  },
  {
    name: "Gaussian-1D, 64 points",
    model: new GaussianModel(),
    opts: { x: x1, y: y1, params: { amplitude: 3, center: 0, sigma: { value: 1, min: 0.05 } } },
  },
];

const gpu = await getGpu();
const cores = navigator.hardwareConcurrency;
const mean = (a: Int32Array) => a.reduce((s, v) => s + v, 0) / a.length;
const f = (v: number) => Math.round(v).toLocaleString("en");
const ms = (v: number) => `${(v / 1000).toFixed(2)} s`;
console.log(
  `\nfitBatch, ${f(B)} fits per model; GPU: ${
    gpu ? gpu.description : "none"
  }; CPU: ${cores} workers\n`,
);
console.log(
  "| model | CPU fits/s | GPU fits/s | GPU / CPU | upload | kernel | read-back | statistics | host share | first touch | iterations GPU / CPU | agree |",
);
console.log("|---|---|---|---|---|---|---|---|---|---|---|---|");

/**
 * Time to first touch `bytes` of fresh memory (allocate and fill): what the page faults of a
 * call's fresh arrays (start values, results) cost on this machine, measured in the same run.
 */
function firstTouchMs(bytes: number): number {
  const t = performance.now();
  new Float64Array(Math.ceil(bytes / 8)).fill(1);
  return performance.now() - t;
}
for (const c of cases) {
  // Warm-up on a small slice (JIT, kernel compilation), not timed.
  const warm = { ...c.opts, y: c.opts.y.subarray(0, 256 * (c.opts.y.length / B)) };
  await fitBatch(c.model, { ...warm, device: "cpu" });
  const cpu = await fitBatch(c.model, { ...c.opts, device: "cpu", workers: cores });
  let g: BatchResult | null = null;
  if (gpu) {
    // Steady state: an untimed call of the same size compiles the kernel layout fitBatch picks
    // for it and allocates the persistent buffers (and pays their first-touch page faults); the
    // timed call reuses them.
    await fitBatch(c.model, { ...c.opts, device: "gpu" });
    g = await fitBatch(c.model, { ...c.opts, device: "gpu" });
  }
  const cpuRate = B / (cpu.timing.totalMs / 1000);
  if (!g || g.device !== "gpu") {
    console.log(`| ${c.name} | ${f(cpuRate)} | — (${g?.reason ?? "no GPU"}) | | | | | | | | | |`);
    continue;
  }
  // Fresh per call: values, stderr, correlations and χ² (f64), iterations and status codes
  // (32-bit).
  const P0 = g.paramNames.length, pairs = g.correlNames.length;
  const fresh = B * (8 * (2 * P0 + pairs + 1) + 8);
  const touch = firstTouchMs(fresh);
  row(
    `${c.name}, fresh result arrays`,
    g,
    cpu,
    `${ms(touch)} (${(fresh / 2 ** 20).toFixed(0)} MiB)`,
  );
  // Into reused buffers: allocated and touched once, before the timed call.
  const out = allocBatchOutput(B, c.model, c.opts.params);
  for (const a of [out.values, out.stderr, out.correl, out.chisqr, out.nIter, out.statusCode]) {
    a.fill(0);
  }
  const r = await fitBatch(c.model, { ...c.opts, device: "gpu", out });
  row(`${c.name}, into reused \`out\` buffers`, r, cpu, "none (0 MiB fresh)");
}

/** One table row: the GPU result `g` against the CPU path's `cpu`. */
function row(name: string, g: BatchResult, cpu: BatchResult, touchCell: string): void {
  const cpuRate = B / (cpu.timing.totalMs / 1000);
  const t = g.timing;
  const gpuRate = B / (t.totalMs / 1000);
  const host = t.totalMs - t.kernelMs;
  let agree = 0;
  const P = g.paramNames.length;
  for (let b = 0; b < B; b++) {
    let ok = true;
    for (let k = 0; k < P && ok; k++) {
      const i = b * P + k, s = cpu.stderr[i];
      ok = Math.abs(g.values[i] - cpu.values[i]) <= 0.05 * s &&
        Math.abs(g.stderr[i] - s) <= 1e-3 * s;
    }
    if (ok) agree++;
  }
  console.log(
    `| ${name} | ${f(cpuRate)} | ${f(gpuRate)} | ${(gpuRate / cpuRate).toFixed(2)}× | ${
      ms(t.uploadMs)
    } | ${ms(t.kernelMs)} | ${ms(t.readbackMs)} | ${
      ms(t.statisticsMs)
    } (${g.statsRefined} in f64) | ${(100 * host / t.totalMs).toFixed(1)}% | ${touchCell} | ${
      mean(g.nIter).toFixed(2)
    } / ${mean(cpu.nIter).toFixed(2)} | ${(100 * agree / B).toFixed(2)}% |`,
  );
}
console.log(
  "\nkernel: wall time in which the device is known busy (each chunk from submit to completion, read-back waits; overlaps counted once; a software adapter runs the kernel inside submit, so nothing is counted as overlapped there); upload and read-back: host time; host share: (total − kernel) / total, the GPU path's host time not overlapped with a kernel; first touch: allocating and filling as many bytes as the call's fresh result arrays, the page-fault share of the host time on this machine (none with reused `out` buffers).",
);

// A few huge datasets: fitBatch's large route (points-parallel reductions per fit) against the
// CPU path (one worker per core), same data, same run. GPU_BENCH_LARGE = "fits×points".
const [LB, LN] = (Deno.env.get("GPU_BENCH_LARGE") ?? "16x1000000").split("x").map(Number);
const xl = Float64Array.from({ length: LN }, (_, i) => (10 * i) / LN);
const yl = new Float32Array(LB * LN);
for (let b = 0; b < LB; b++) {
  const a = 2 + 3 * rng.uniform(), tau = 1 + 3 * rng.uniform(), c = rng.uniformRange(-1, 1);
  for (let i = 0; i < LN; i++) {
    yl[b * LN + i] = a * Math.exp(-xl[i] / tau) + c + 0.05 * rng.normal();
  }
}
const large = { x: xl, y: yl, params: { a: 1, tau: { value: 1, min: 0.1 }, c: 0 } };
const lcpu = await fitBatch("a*exp(-x/tau) + c", { ...large, device: "cpu", workers: cores });
const lgpu = gpu ? await fitBatch("a*exp(-x/tau) + c", { ...large, device: "gpu" }) : null;
let lagree = 0;
for (let b = 0; lgpu && b < LB; b++) {
  let ok = true;
  for (let k = 0; k < 3 && ok; k++) {
    const i = b * 3 + k, s = lcpu.stderr[i];
    ok = Math.abs(lgpu.values[i] - lcpu.values[i]) <= 0.05 * s &&
      Math.abs(lgpu.stderr[i] - s) <= 1e-3 * s;
  }
  if (ok) lagree++;
}
console.log(
  `\nfitBatch, ${f(LB)} fits × ${f(LN)} points (a·exp(−x/τ) + c): CPU ${
    ms(lcpu.timing.totalMs)
  } (${lcpu.reason}); GPU ${
    lgpu ? `${ms(lgpu.timing.totalMs)}, route ${lgpu.route} (${lgpu.reason})` : "none"
  }; iterations GPU / CPU ${lgpu ? mean(lgpu.nIter).toFixed(2) : "—"} / ${
    mean(lcpu.nIter).toFixed(2)
  }; agree ${lgpu ? (100 * lagree / LB).toFixed(0) : "—"}%`,
);

// Kernel layouts: few fits with many points, where one workgroup per fit (Gpufit's scheme) should
// beat one invocation per fit; both layouts and the CPU path in the same run, best of 3 each.
if (gpu) {
  console.log(
    "\n| Gaussian-1D | CPU fits/s | one invocation per fit | one workgroup per fit | workgroup / invocation | kernel (invocation / workgroup) | iterations (invocation / workgroup / CPU) | agree (invocation / workgroup) |",
  );
  console.log("|---|---|---|---|---|---|---|---|");
  for (const [nFits, nPts] of [[200, 4096], [2000, 1024]]) {
    const x = Float64Array.from({ length: nPts }, (_, i) => -4 + (8 * i) / (nPts - 1));
    const y = new Float32Array(nFits * nPts);
    for (let b = 0; b < nFits; b++) {
      const a = 2 + 3 * rng.uniform(), c = rng.uniformRange(-1, 1), s = 0.5 + rng.uniform();
      for (let i = 0; i < nPts; i++) {
        y[b * nPts + i] = (a / (Math.sqrt(2 * Math.PI) * s)) *
            Math.exp(-((x[i] - c) ** 2) / (2 * s * s)) + 0.01 * rng.normal();
      }
    }
    const model = new GaussianModel();
    const opts = { x, y, params: { amplitude: 3, center: 0, sigma: { value: 1, min: 0.05 } } };
    const best = async (o: Partial<FitBatchOptions>) => {
      await fitBatch(model, { ...opts, ...o }); // warm-up: JIT, kernel compilation
      let r: BatchResult | null = null;
      for (let k = 0; k < 3; k++) {
        const t = await fitBatch(model, { ...opts, ...o });
        if (!r || t.timing.totalMs < r.timing.totalMs) r = t;
      }
      return r!;
    };
    const cpu = await best({ device: "cpu", workers: cores });
    const th = await best({ device: "gpu", gpuLayout: "thread" });
    const wg = await best({ device: "gpu", gpuLayout: "workgroup" });
    const rate = (r: BatchResult) => nFits / (r.timing.totalMs / 1000);
    const agree = (r: BatchResult) => {
      let n = 0;
      for (let b = 0; b < nFits; b++) {
        let ok = true;
        for (let k = 0; k < 3 && ok; k++) {
          const i = b * 3 + k, s = cpu.stderr[i];
          ok = Math.abs(r.values[i] - cpu.values[i]) <= 0.05 * s &&
            Math.abs(r.stderr[i] - s) <= 1e-3 * s;
        }
        if (ok) n++;
      }
      return `${(100 * n / nFits).toFixed(1)}%`;
    };
    console.log(
      `| ${f(nFits)} fits × ${f(nPts)} points | ${f(rate(cpu))} | ${f(rate(th))} | ${
        f(rate(wg))
      } | ${(rate(wg) / rate(th)).toFixed(2)}× | ${th.timing.kernelMs.toFixed(0)} / ${
        wg.timing.kernelMs.toFixed(0)
      } ms | ${mean(th.nIter).toFixed(2)} / ${mean(wg.nIter).toFixed(2)} / ${
        mean(cpu.nIter).toFixed(2)
      } | ${agree(th)} / ${agree(wg)} |`,
    );
  }
}
