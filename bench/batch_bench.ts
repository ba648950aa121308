/**
 * Batched fitting throughput: fits/s of `fitBatch` on the CPU path and (when an adapter exists)
 * the GPU path, against Python lmfit looping over the same datasets in the same run.
 * Gaussian-1D with 64 points and Gaussian-2D on 5×5 points (Gpufit's benchmark model).
 * Run: deno run -A --unstable-webgpu bench/batch_bench.ts [nFits]
 */
import { fitBatch, fitLarge, Gaussian2dModel, GaussianModel, getGpu, Random } from "../mod.ts";
import { gaussian2dBatch } from "../tests/batch/_gaussian2d_batch.ts";

const B = Number(Deno.args[0] ?? 20000);
const rng = new Random(11);
const N = 64;
const x = Float64Array.from({ length: N }, (_, i) => -4 + (8 * i) / (N - 1));
const y1 = new Float32Array(B * N);
for (let b = 0; b < B; b++) {
  const a = 2 + 3 * rng.uniform(), c = rng.uniformRange(-1, 1), s = 0.5 + rng.uniform();
  for (let i = 0; i < N; i++) {
    y1[b * N + i] =
      (a / (Math.sqrt(2 * Math.PI) * s)) * Math.exp(-((x[i] - c) ** 2) / (2 * s * s)) +
      0.01 * rng.normal();
  }
}
const g2 = new Gaussian2dModel();
const z = new Float32Array(B * 25);
const { x: gx, y: gy } = gaussian2dBatch(rng, z);

async function rate(fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm-up (JIT, pipelines)
  let best = Infinity;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    await fn();
    best = Math.min(best, performance.now() - t0);
  }
  return B / (best / 1000);
}

const g1 = new GaussianModel();
const p1 = { amplitude: 3, center: 0, sigma: 1 };
const p2 = { amplitude: 40, centerx: 0, centery: 0, sigmax: 1, sigmay: 1 };
const cores = navigator.hardwareConcurrency;
const cpu1 = await rate(() => fitBatch(g1, { x, y: y1, params: p1, device: "cpu", workers: 1 }));
const cpu1w = await rate(() =>
  fitBatch(g1, { x, y: y1, params: p1, device: "cpu", workers: cores })
);
const cpu2 = await rate(() =>
  fitBatch(g2, { vars: { x: gx, y: gy }, y: z, params: p2, device: "cpu", workers: 1 })
);
const cpu2w = await rate(() =>
  fitBatch(g2, { vars: { x: gx, y: gy }, y: z, params: p2, device: "cpu", workers: cores })
);
const gpu = await getGpu();
let gpu1: number | null = null, gpu2: number | null = null;
if (gpu) {
  gpu1 = await rate(() => fitBatch(g1, { x, y: y1, params: p1, device: "gpu" }));
  gpu2 = await rate(() =>
    fitBatch(g2, { vars: { x: gx, y: gy }, y: z, params: p2, device: "gpu" })
  );
}

// Python lmfit looping over the first 200 datasets of each.
let py: { g1_fits_per_s: number; g2_fits_per_s: number } | null = null;
try {
  const tmp = await Deno.makeTempFile({ suffix: ".json" });
  const k = Math.min(200, B);
  await Deno.writeTextFile(
    tmp,
    JSON.stringify({
      g1: { x: Array.from(x), y: Array.from(y1.subarray(0, k * N)) },
      g2: { x: gx, y2: gy, z: Array.from(z.subarray(0, k * 25)) },
    }),
  );
  const out = await new Deno.Command("/usr/bin/python3", {
    args: [new URL("../scripts/bench_batch_lmfit.py", import.meta.url).pathname, tmp],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (out.success) py = JSON.parse(new TextDecoder().decode(out.stdout));
  await Deno.remove(tmp);
} catch {
  py = null;
}
const f = (v: number | null) => (v === null ? "—" : `${Math.round(v).toLocaleString("en")}`);
console.log(`\nfitBatch, ${B} fits per run; GPU: ${gpu ? gpu.description : "none"}\n`);
console.log(
  `| model | lmfit loop (fits/s) | lmfit-ts CPU, 1 thread | CPU, ${cores} workers | CPU / lmfit | lmfit-ts GPU (fits/s) | GPU / CPU |`,
);
console.log("|---|---|---|---|---|---|---|");
for (
  const [name, c, cw, g, p] of [
    ["Gaussian 1-D, 64 points", cpu1, cpu1w, gpu1, py?.g1_fits_per_s],
    ["Gaussian 2-D, 5×5 points", cpu2, cpu2w, gpu2, py?.g2_fits_per_s],
  ] as const
) {
  const best = Math.max(c, cw);
  console.log(
    `| ${name} | ${f(p ?? null)} | ${f(c)} | ${f(cw)} | ${
      p ? (best / p).toFixed(0) + "×" : "—"
    } | ${f(g)} | ${g ? (g / best).toFixed(2) + "×" : "—"} |`,
  );
}

// One huge dataset: 10^7 points (LARGE_N), exponential decay plus offset, 3 parameters.
const LN = Number(Deno.env.get("LARGE_N") ?? 1e7);
const lx = Float64Array.from({ length: LN }, (_, i) => (10 * i) / LN);
const ly = new Float32Array(LN);
for (let i = 0; i < LN; i++) ly[i] = 3 * Math.exp(-lx[i] / 2) + 0.5 + 0.05 * rng.normal();
const lparams = { a: 1, tau: 1, c: 0 };
let t0 = performance.now();
const lc = await fitLarge("a*exp(-x/tau) + c", { x: lx, y: ly, params: lparams, device: "cpu" });
const tCpu = performance.now() - t0;
let tGpu: number | null = null;
if (gpu) {
  t0 = performance.now();
  const lg = await fitLarge("a*exp(-x/tau) + c", { x: lx, y: ly, params: lparams, device: "gpu" });
  tGpu = performance.now() - t0;
  console.log(
    `\nfitLarge, ${LN.toLocaleString("en")} points: CPU ${
      (tCpu / 1000).toFixed(2)
    } s (${lc.nIter} iterations), GPU ${
      (tGpu / 1000).toFixed(2)
    } s (${lg.nIter} iterations, ${lg.reason}); tau ${lc.get("tau").toFixed(6)} vs ${
      lg.get("tau").toFixed(6)
    }`,
  );
} else {
  console.log(
    `\nfitLarge, ${LN.toLocaleString("en")} points: CPU ${
      (tCpu / 1000).toFixed(2)
    } s (${lc.nIter} iterations); no GPU`,
  );
}
