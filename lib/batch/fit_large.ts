/**
 * `fitLarge`: one huge dataset (10⁷ points and more) with few parameters. Each LM iteration
 * needs chi-square, Jᵀr and JᵀJ over all points: on the GPU these are reduced by a WGSL kernel
 * (Kahan-compensated f32 partial sums, added in f64 on the host); on the CPU by an f64 loop.
 * The small damped system is solved in f64 on the CPU either way; standard errors come from an
 * f64 pass at the solution.
 *
 * @module
 */

import type { Binding } from "../expr/compile.ts";
import { compileMany } from "../expr/codegen.ts";
import { derivative } from "../expr/derivative.ts";
import type { BaseModel } from "../model/model.ts";
import type { BatchModelSpec } from "../model/expression_model.ts";
import { type BatchParamSpec, batchSpecOf } from "./fit_batch.ts";
import { checkBatchInputs } from "./_check_params.ts";
import { checkOptions, optionKeys } from "../util/options.ts";
import { emitWgsl, UnsupportedOnGpuError, type WgslEmission } from "../../gpu/wgsl_codegen.ts";
import { GpuExecutionError, guarded } from "../../gpu/fit_gpu.ts";
import { cachedPipeline } from "../../gpu/pipeline_cache.ts";
import { getGpu, gpuUnavailableReason } from "../../gpu/device.ts";
import { REDUCE_WORKGROUP, reduceKernelWgsl, reduceTerms } from "../../gpu/reduce_kernel.wgsl.ts";

/**
 * Options of `fitLarge`.
 *
 * @example
 * ```ts
 * import { fitLarge, type FitLargeOptions } from "../../mod.ts";
 * const x = Float64Array.from({ length: 10_000 }, (_, i) => i / 1000);
 * const y = x.map((v) => 2 * v + 1);
 * const options: FitLargeOptions = { x, y, params: { m: 0, c: { value: 0, min: -5, max: 5 } }, device: "cpu", maxIter: 20 };
 * const r = await fitLarge("m*x + c", options);
 * [r.get("m"), r.get("c")]; // ≈ [2, 1]
 * ```
 *
 * @category Batch and GPU
 */
export interface FitLargeOptions {
  /** The data (any length). */
  y: ArrayLike<number>;
  /** The independent variable `x`. */
  x?: ArrayLike<number>;
  /** All independent variables by name. */
  vars?: Record<string, ArrayLike<number>>;
  /** Weights multiplying the residual. */
  weights?: ArrayLike<number>;
  /** Starts (and bounds, vary flags) by name. */
  params: Record<string, number | BatchParamSpec>;
  /** Where to reduce. @default "auto" (GPU when a hardware adapter exists) */
  device?: "auto" | "gpu" | "cpu";
  /** Maximum LM iterations. @default 100 */
  maxIter?: number;
  /**
   * Points per GPU chunk (each chunk has its own buffers and dispatch; partial sums of all
   * chunks are added on the host). @default as many as the adapter's
   * maxStorageBufferBindingSize and maxBufferSize allow
   */
  chunkPoints?: number;
  /** Relative chi-square decrease that counts as converged. @default 1e-9 (CPU), 1e-6 (GPU, f32 sums) */
  tol?: number;
}

const FIT_LARGE_KEYS = optionKeys<FitLargeOptions>({
  y: true,
  x: true,
  vars: true,
  weights: true,
  params: true,
  device: true,
  maxIter: true,
  chunkPoints: true,
  tol: true,
});

/**
 * What `fitLarge` returns.
 *
 * @example
 * ```ts
 * import { fitLarge, type LargeResult } from "../../mod.ts";
 * const x = Float64Array.from({ length: 10_000 }, (_, i) => i / 1000);
 * const y = x.map((v) => 3 * Math.exp(-v / 2) + 0.01 * Math.sin(50 * v));
 * const r: LargeResult = await fitLarge("a*exp(-x/tau)", { x, y, params: { a: 1, tau: 1 }, device: "cpu" });
 * r.status; // "converged"
 * r.get("tau"); // ≈ 2, standard error r.stderr[r.paramNames.indexOf("tau")]
 * console.log(r.nIter, r.chisqr, r.device, r.reason);
 * ```
 *
 * @category Batch and GPU
 */
export interface LargeResult {
  /** Parameter names. */
  paramNames: string[];
  /** Fitted values. */
  values: Float64Array;
  /** Standard errors (f64 pass at the solution, scaled by reduced chi-square). */
  stderr: Float64Array;
  /** Chi-square (f64). */
  chisqr: number;
  /** LM iterations. */
  nIter: number;
  /** "converged", "max-iter" or "singular". */
  status: "converged" | "max-iter" | "singular";
  /** Where the reductions ran, and why. */
  device: "gpu" | "cpu";
  /** Why (the adapter, or the reason the CPU ran). */
  reason: string;
  /** Number of points. */
  nPoints: number;
  /** One parameter's value. */
  get(name: string): number;
}

/** Chi-square and, with `withJ`, Jᵀr and the packed upper triangle of JᵀJ, in f64. */
type Reducer = (p: Float64Array, withJ: boolean) => Promise<Float64Array>;

function cpuReducer(
  kernel: (s: Float64Array, out: Float64Array, o: number) => void,
  vars: Float64Array[],
  y: ArrayLike<number>,
  weights: Float64Array | null,
  P: number,
): Reducer {
  const K = reduceTerms(P);
  const slots = new Float64Array(P + vars.length), ev = new Float64Array(P + 1);
  // deno-lint-ignore require-await
  return async (p, withJ) => {
    const out = new Float64Array(K);
    slots.set(p);
    for (let i = 0; i < y.length; i++) {
      for (let v = 0; v < vars.length; v++) slots[P + v] = vars[v][i];
      kernel(slots, ev, 0);
      const wt = weights ? weights[i] : 1;
      const r = (ev[0] - y[i]) * wt;
      out[0] += r * r;
      if (withJ) {
        let q = 1 + P;
        for (let a = 0; a < P; a++) {
          const ja = ev[a + 1] * wt;
          out[1 + a] += ja * r;
          for (let c = 0; c <= a; c++) out[q++] += ja * ev[c + 1] * wt;
        }
      }
    }
    return out;
  };
}

async function gpuReducer(
  model: WgslEmission,
  vars: Float64Array[],
  y: ArrayLike<number>,
  weights: Float64Array | null,
  P: number,
  chunkPoints: number | undefined,
): Promise<{ reduce: Reducer; adapter: string; release: () => void } | null> {
  const gpu = await getGpu();
  if (!gpu) return null;
  const { device } = gpu;
  const n = y.length;
  const K = reduceTerms(P);
  const WG = REDUCE_WORKGROUP;
  const NV = Math.max(1, vars.length);
  // Points per chunk: every binding of a chunk within the adapter's limits.
  const maxBytes = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
  const perChunk = Math.max(
    WG,
    Math.min(n, Math.floor(maxBytes / (4 * NV)), chunkPoints ?? Infinity),
  );
  const nChunks = Math.ceil(n / perChunk);
  const { pipeline, layout } = await cachedPipeline(
    device,
    "lmfit-ts large reduce",
    reduceKernelWgsl({ P, nVars: vars.length, weighted: weights !== null, model }),
    [
      "read-only-storage",
      "read-only-storage",
      "read-only-storage",
      "read-only-storage",
      "storage",
      "uniform",
    ],
  );
  const owned: GPUBuffer[] = [];
  const upload = (data: Float32Array | Uint32Array, label: string, usage: number) => {
    const buf = device.createBuffer({
      label,
      size: Math.max(16, Math.ceil(data.byteLength / 4) * 4),
      usage: usage | GPUBufferUsage.COPY_DST,
    });
    device.queue.writeBuffer(buf, 0, data);
    owned.push(buf);
    return buf;
  };
  const pin = upload(new Float32Array(Math.max(4, P)), "params", GPUBufferUsage.STORAGE);
  const chunks: {
    groups: number;
    partial: GPUBuffer;
    cfg: GPUBuffer;
    bind: GPUBindGroup;
    offset: number;
    n: number;
  }[] = [];
  let readOffset = 0;
  for (let c = 0; c < nChunks; c++) {
    const lo = c * perChunk, m = Math.min(n, lo + perChunk) - lo;
    const ys = new Float32Array(m);
    for (let i = 0; i < m; i++) ys[i] = y[lo + i];
    const xs = new Float32Array(NV * m);
    vars.forEach((v, k) => xs.set(v.subarray(lo, lo + m), k * m));
    const groups = Math.min(
      Math.ceil(m / WG),
      1024,
      device.limits.maxComputeWorkgroupsPerDimension,
    );
    const partial = device.createBuffer({
      label: `partials ${c}`,
      size: groups * K * 4,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC,
    });
    owned.push(partial);
    const cfg = upload(Uint32Array.of(m, groups * WG, 1, 0), `cfg ${c}`, GPUBufferUsage.UNIFORM);
    const buffers = [
      upload(ys, `data ${c}`, GPUBufferUsage.STORAGE),
      upload(xs, `x ${c}`, GPUBufferUsage.STORAGE),
      weights
        ? upload(
          Float32Array.from(weights.subarray(lo, lo + m)),
          `weights ${c}`,
          GPUBufferUsage.STORAGE,
        )
        : pin,
      pin,
      partial,
      cfg,
    ];
    const bind = device.createBindGroup({
      label: `lmfit-ts large reduce ${c}`,
      layout,
      entries: buffers.map((b, binding) => ({ binding, resource: { buffer: b } })),
    });
    chunks.push({ groups, partial, cfg, bind, offset: readOffset, n: m });
    readOffset += groups * K * 4;
  }
  const read = device.createBuffer({
    label: "read partials",
    size: readOffset,
    usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
  });
  owned.push(read);
  const totalGroups = readOffset / (4 * K);
  const col = new Float64Array(totalGroups);
  const flags = new Uint32Array(4);
  const reduce: Reducer = (p, withJ) =>
    guarded(device, "large-data reduction", async () => {
      device.queue.writeBuffer(pin, 0, Float32Array.from(p));
      const enc = device.createCommandEncoder({ label: "lmfit-ts large reduce" });
      for (const ch of chunks) {
        flags.set([ch.n, ch.groups * WG, withJ ? 1 : 0, 0]);
        device.queue.writeBuffer(ch.cfg, 0, flags);
        const pass = enc.beginComputePass({ label: "lmfit-ts large reduce" });
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, ch.bind);
        pass.dispatchWorkgroups(ch.groups);
        pass.end();
        enc.copyBufferToBuffer(ch.partial, 0, read, ch.offset, ch.groups * K * 4);
      }
      device.queue.submit([enc.finish()]);
      await read.mapAsync(GPUMapMode.READ);
      const part = new Float32Array(read.getMappedRange());
      const out = new Float64Array(K);
      const nk = withJ ? K : 1;
      for (let k = 0; k < nk; k++) {
        for (let t = 0; t < totalGroups; t++) col[t] = part[t * K + k];
        out[k] = pairwise(col, 0, totalGroups);
      }
      read.unmap();
      return out;
    });
  const release = () => {
    for (const b of owned) b.destroy();
  };
  return { reduce, adapter: gpu.description, release };
}

function pairwise(a: Float64Array, lo: number, hi: number): number {
  if (hi - lo <= 64) {
    let s = 0;
    for (let i = lo; i < hi; i++) s += a[i];
    return s;
  }
  const mid = (lo + hi) >> 1;
  return pairwise(a, lo, mid) + pairwise(a, mid, hi);
}

function unpack(red: Float64Array, P: number, H: Float64Array, g: Float64Array): void {
  let q = 1 + P;
  for (let a = 0; a < P; a++) {
    g[a] = red[1 + a];
    for (let c = 0; c <= a; c++) {
      H[a * P + c] = red[q];
      H[c * P + a] = red[q];
      q++;
    }
  }
}

function solveDamped(
  H: Float64Array,
  g: Float64Array,
  lambda: number,
  free: Uint8Array,
  P: number,
  delta: Float64Array,
): boolean {
  const A = new Float64Array(P * P);
  for (let a = 0; a < P; a++) {
    for (let c = 0; c < P; c++) A[a * P + c] = free[a] && free[c] ? H[a * P + c] : 0;
    A[a * P + a] = free[a] ? H[a * P + a] * (1 + lambda) : 1;
  }
  // Cholesky
  for (let a = 0; a < P; a++) {
    for (let c = 0; c <= a; c++) {
      let s = A[a * P + c];
      for (let k = 0; k < c; k++) s -= A[a * P + k] * A[c * P + k];
      if (a === c) {
        if (!(s > 0)) return false;
        A[a * P + a] = Math.sqrt(s);
      } else A[a * P + c] = s / A[c * P + c];
    }
  }
  for (let a = 0; a < P; a++) {
    let s = free[a] ? -g[a] : 0;
    for (let k = 0; k < a; k++) s -= A[a * P + k] * delta[k];
    delta[a] = s / A[a * P + a];
  }
  for (let a = P - 1; a >= 0; a--) {
    let s = delta[a];
    for (let k = a + 1; k < P; k++) s -= A[k * P + a] * delta[k];
    delta[a] = s / A[a * P + a];
  }
  return true;
}

/**
 * Fits one (huge) dataset; the sums over points run on the GPU or the CPU, the solve in f64.
 * Async.
 *
 * @example
 * ```ts
 * import { fitLarge } from "../../mod.ts";
 * const x = Float64Array.from({ length: 100_000 }, (_, i) => i / 1e4);
 * const y = x.map((v) => 3 * Math.exp(-v / 2) + 0.5);
 * const r = await fitLarge("a*exp(-x/tau) + c", { x, y, params: { a: 1, tau: 1, c: 0 }, device: "cpu" });
 * r.get("tau"); // ≈ 2
 * ```
 *
 * @category Batch and GPU
 */
export async function fitLarge(
  model: BaseModel | string | BatchModelSpec | { batchSpec(): BatchModelSpec },
  options: FitLargeOptions,
): Promise<LargeResult> {
  checkOptions(options, FIT_LARGE_KEYS, "fitLarge");
  const spec = batchSpecOf(model);
  checkBatchInputs(options.params, options.vars, spec, "fitLarge");
  const P = spec.paramNames.length;
  const given: Record<string, ArrayLike<number>> = { ...(options.vars ?? {}) };
  if (options.x !== undefined && !("x" in given)) given.x = options.x;
  const n = options.y.length;
  const vars = spec.independentVars.map((v) => {
    const arr = given[v];
    if (!arr) throw new TypeError(`fitLarge: missing independent variable '${v}'`);
    if (arr.length !== n) {
      throw new RangeError(`fitLarge: '${v}' has ${arr.length} values but the data has ${n}`);
    }
    return arr instanceof Float64Array ? arr : Float64Array.from(arr);
  });
  const weights = options.weights ? Float64Array.from(options.weights) : null;
  const p = new Float64Array(P),
    lower = new Float64Array(P).fill(-Infinity),
    upper = new Float64Array(P).fill(Infinity);
  const free = new Uint8Array(P).fill(1);
  spec.paramNames.forEach((name, k) => {
    const v = options.params[name];
    if (v === undefined) throw new TypeError(`fitLarge: no start value for '${name}'`);
    const s = typeof v === "number" ? { value: v } : v;
    lower[k] = s.min ?? -Infinity;
    upper[k] = s.max ?? Infinity;
    p[k] = Math.min(upper[k], Math.max(lower[k], s.value));
    free[k] = s.vary === false ? 0 : 1;
  });
  const derivs = spec.paramNames.map((nm) => derivative(spec.expression, nm));
  const slotNames = [...spec.paramNames, ...spec.independentVars];
  const bind = (name: string): Binding | undefined => {
    const i = slotNames.indexOf(name);
    return i < 0 ? undefined : { kind: "slot", index: i };
  };
  const kernel = compileMany([spec.expression, ...derivs], bind);
  const cpu = cpuReducer(kernel, vars, options.y, weights, P);

  const device = options.device ?? "auto";
  let reduce = cpu, ran: "gpu" | "cpu" = "cpu", reason = "CPU: requested";
  let release = () => {};
  if (device !== "cpu") {
    const gpu = await getGpu();
    if (!gpu) reason = `CPU: ${gpuUnavailableReason() ?? "no GPU"}`;
    else if (device === "auto" && gpu.software) {
      reason = `CPU: the only GPU adapter is a software rasteriser (${gpu.description})`;
    } else {
      try {
        const names: Record<string, string> = {};
        spec.paramNames.forEach((nm, k) => (names[nm] = `p[${k}]`));
        spec.independentVars.forEach((nm, k) => (names[nm] = `xv[${k}]`));
        const emission = emitWgsl([spec.expression, ...derivs], names);
        const g = await gpuReducer(emission, vars, options.y, weights, P, options.chunkPoints);
        if (g) {
          reduce = g.reduce;
          release = g.release;
          ran = "gpu";
          reason = `GPU: ${g.adapter}`;
        }
      } catch (e) {
        if (!(e instanceof UnsupportedOnGpuError || e instanceof GpuExecutionError)) throw e;
        reason = `CPU: ${e.message}`;
      }
    }
  }
  const maxIter = options.maxIter ?? 100;
  const H = new Float64Array(P * P),
    g = new Float64Array(P),
    delta = new Float64Array(P),
    pn = new Float64Array(P);
  const start = Float64Array.from(p);
  let status: LargeResult["status"] = "max-iter";
  let it = 0;
  const solve = async (reducer: Reducer, tol: number) => {
    p.set(start);
    status = "max-iter";
    let red = await reducer(p, true);
    let chi2 = red[0];
    unpack(red, P, H, g);
    let lambda = 1e-3;
    for (it = 0; it < maxIter; it++) {
      if (!solveDamped(H, g, lambda, free, P, delta)) {
        lambda *= 10;
        if (lambda > 1e15) {
          status = "singular";
          break;
        }
        continue;
      }
      for (let k = 0; k < P; k++) pn[k] = Math.min(upper[k], Math.max(lower[k], p[k] + delta[k]));
      const chi2n = (await reducer(pn, false))[0];
      if (chi2n < chi2) {
        const converged = chi2 - chi2n <= tol * chi2;
        p.set(pn);
        lambda = Math.max(lambda / 10, 1e-15);
        red = await reducer(p, true);
        chi2 = red[0];
        unpack(red, P, H, g);
        if (converged) {
          status = "converged";
          it++;
          break;
        }
      } else {
        lambda *= 10;
        if (lambda > 1e15) {
          status = "converged";
          it++;
          break;
        }
      }
    }
    return chi2;
  };
  let done = false;
  if (ran === "gpu") {
    try {
      const chi2 = await solve(reduce, options.tol ?? 1e-6);
      // Non-finite float32 sums (overflow): the answer is not trustworthy; redo on the CPU.
      if (Number.isFinite(chi2) && p.every(Number.isFinite)) done = true;
      else reason = "CPU: the GPU's float32 sums were not finite (overflow)";
    } catch (e) {
      if (!(e instanceof GpuExecutionError)) throw e;
      reason = `CPU: ${e.message}`;
    } finally {
      release();
    }
    if (!done) ran = "cpu";
  }
  if (!done) await solve(cpu, options.tol ?? 1e-9);
  // f64 statistics at the solution.
  const final = await cpu(p, true);
  unpack(final, P, H, g);
  const chisqr = final[0];
  const nFree = free.reduce((a, v) => a + v, 0);
  const stderr = new Float64Array(P);
  const e = new Float64Array(P), col = new Float64Array(P);
  for (let a = 0; a < P; a++) {
    if (!free[a]) continue;
    e.fill(0);
    e[a] = -1;
    if (solveDamped(H, e, 0, free, P, col)) {
      stderr[a] = Math.sqrt((col[a] * chisqr) / Math.max(1, n - nFree));
    } else stderr[a] = NaN;
  }
  const paramNames = [...spec.paramNames];
  return {
    paramNames,
    values: p,
    stderr,
    chisqr,
    nIter: it,
    status,
    device: ran,
    reason,
    nPoints: n,
    get(name: string): number {
      const k = paramNames.indexOf(name);
      if (k < 0) {
        throw new RangeError(`no parameter '${name}'; the model has ${paramNames.join(", ")}`);
      }
      return p[k];
    },
  };
}
