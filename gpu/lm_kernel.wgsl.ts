/**
 * The batched Levenberg-Marquardt kernel in WGSL: one invocation fits one dataset, the whole
 * loop on the device (Gpufit's scheme), the same algorithm as `lib/batch/batch_lm.ts` in f32,
 * followed by the statistics at the solution (standard errors and correlations from JᵀJ).
 *
 * The shader is generated per model and problem shape, so everything that is the same for every
 * fit is baked in: the sizes, the free parameters (the normal equations are F×F over the free
 * ones only, their updates unrolled, no flags read in the loops), the bounds (a clamp only where
 * a bound exists), and the model split into the terms that depend on the parameters only
 * (computed once per pass over the data) and those that depend on the point.
 * When a workgroup's data fit in workgroup memory (64·N floats ≤ 16 KiB), the workgroup first
 * loads its 64 datasets with contiguous (coalesced) reads into workgroup memory, and every pass
 * over the data then reads from there.
 *
 * Bindings (group 0): 0 data, 1 independent variables, 2 weights, 3 parameters (in: starts,
 * out: results), 4 per-fit words (chi-square bits, iterations, status, statistics flags),
 * 5 standard errors (nFits × P) followed by correlations (nFits × F(F−1)/2 pairs of free
 * parameters, a < c in free order),
 * 6 uniforms.
 *
 * @module
 */

import type { WgslEmission } from "./wgsl_codegen.ts";

/** What the kernel generator needs. */
export interface LmKernelSpec {
  /** Parameters of the model. */
  P: number;
  /** Points per dataset. */
  N: number;
  /** Independent variables. */
  nVars: number;
  /** Whether independent variables are stored per fit (else shared). */
  varsPerFit: boolean;
  /** 0 none, 1 shared (N), 2 per fit. */
  weightsMode: 0 | 1 | 2;
  /** The model and its partial derivatives [f, ∂f/∂p_0, …] from `emitWgsl`. */
  model: WgslEmission;
  /** 1 for a varied parameter, 0 for a fixed one (length P). @default all varied */
  free?: ArrayLike<number>;
  /** Lower bounds (length P; −Infinity for none). @default none */
  lower?: ArrayLike<number>;
  /** Upper bounds (length P; Infinity for none). @default none */
  upper?: ArrayLike<number>;
  /** Stage each workgroup's data in workgroup memory when it fits. @default true */
  stage?: boolean;
}

/** The uniform block's size in bytes: nFits, maxIter, tol, condMax. */
export const LM_UNIFORM_BYTES = 16;

/** Invocations per workgroup. */
export const LM_WORKGROUP = 64;

/** 32-bit words per fit in the status buffer: chi-square (f32 bits), iterations, status, flags. */
export const LM_STATUS_WORDS = 4;

/** Statistics flag: JᵀJ at the solution is singular (no standard errors in f32). */
export const STATS_SINGULAR = 1;
/** Statistics flag: JᵀJ is too ill-conditioned for f32 standard errors to 1e-3 relative. */
export const STATS_ILL_CONDITIONED = 2;

const F32_MAX = 3.4028234663852886e38;

function lit(v: number): string {
  const s = Math.fround(v).toPrecision(9);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

/**
 * Splits `let` lines into those that depend on the point (read `xv[…]`, directly or through an
 * earlier temporary) and those that depend on the parameters only.
 */
function splitHoisted(code: string): { hoisted: string[]; perPoint: string[] } {
  const pointTemps = new Set<string>();
  const hoisted: string[] = [], perPoint: string[] = [];
  for (const line of code.split("\n").filter((l) => l.trim())) {
    const m = /^\s*let\s+(\w+)\s*=/.exec(line);
    const rhs = m ? line.slice(line.indexOf("=") + 1) : line;
    const usesPoint = /\bxv\[/.test(rhs) ||
      [...rhs.matchAll(/\bt\d+\b/g)].some((t) => pointTemps.has(t[0]));
    if (usesPoint || !m) {
      if (m) pointTemps.add(m[1]);
      perPoint.push(line);
    } else hoisted.push(line);
  }
  return { hoisted, perPoint };
}

/**
 * WGSL source of the batched LM kernel for a model.
 *
 * @example
 * ```ts
 * import { lmKernelWgsl } from "./lm_kernel.wgsl.ts";
 * import { emitWgsl } from "./wgsl_codegen.ts";
 * import { parse } from "../lib/expr/parser.ts";
 * const model = emitWgsl([parse("a*x + b"), parse("x"), parse("1")], { a: "p[0]", b: "p[1]", x: "xv[0]" });
 * const src = lmKernelWgsl({ P: 2, N: 64, nVars: 1, varsPerFit: false, weightsMode: 0, model, free: [1, 0] });
 * src.includes("const F: u32 = 1u;"); // true: one free parameter, b held fixed
 * ```
 */
export function lmKernelWgsl(spec: LmKernelSpec): string {
  const { P, N, nVars, varsPerFit, weightsMode, model } = spec;
  const freeIdx = Array.from({ length: P }, (_, k) => k).filter((k) =>
    spec.free ? spec.free[k] !== 0 : true
  );
  const F = Math.max(1, freeIdx.length);
  const nPairs = (freeIdx.length * (freeIdx.length - 1)) / 2;
  const staged = spec.stage !== false && LM_WORKGROUP * N * 4 <= 16384;
  const xIndex = varsPerFit ? "b * N + i" : "i";
  const xLen = varsPerFit ? "cfg.nFits * N" : "N";
  const wExpr = weightsMode === 0 ? "1.0" : weightsMode === 1 ? "ws[i]" : "ws[b * N + i]";
  const yExpr = staged ? "ysh[lb * N + i]" : "ys[b * N + i]";
  const loadVars = Array.from(
    { length: nVars },
    (_, v) => `xv[${v}] = xs[${v}u * ${xLen} + ${xIndex}];`,
  ).join("\n    ");
  const { hoisted, perPoint } = splitHoisted(model.code);
  const clampOf = (k: number, v: string): string => {
    const lo = spec.lower?.[k] ?? -Infinity, hi = spec.upper?.[k] ?? Infinity;
    const l = lo > -F32_MAX ? lit(lo) : null, h = hi < F32_MAX ? lit(hi) : null;
    if (l && h) return `clamp(${v}, ${l}, ${h})`;
    if (l) return `max(${v}, ${l})`;
    if (h) return `min(${v}, ${h})`;
    return v;
  };
  const jac = freeIdx.map((k, a) => `let j${a} = (${model.outputs[k + 1]}) * wt;`);
  const hUpd: string[] = [];
  freeIdx.forEach((_, a) => {
    hUpd.push(`g[${a}] += j${a} * r;`);
    for (let c = 0; c <= a; c++) hUpd.push(`H[${a * F + c}] += j${a} * j${c};`);
  });
  const step = freeIdx.map((k, a) => `pn[${k}] = ${clampOf(k, `p[${k}] + delta[${a}]`)};`);
  const start = Array.from(
    { length: P },
    (_, k) => `p[${k}] = ${clampOf(k, `params[b * P + ${k}u]`)};`,
  );
  const pairs: string[] = [];
  let q = 0;
  for (let a = 0; a < freeIdx.length; a++) {
    for (let c = a + 1; c < freeIdx.length; c++) {
      pairs.push(
        `errs[c0 + ${q++}u] = C[${a * F + c}] / sqrt(C[${a * F + a}] * C[${c * F + c}]);`,
      );
    }
  }
  const errOut = Array.from({ length: P }, (_, k) => {
    const a = freeIdx.indexOf(k);
    return a < 0
      ? `errs[e0 + ${k}u] = 0.0;`
      : `errs[e0 + ${k}u] = sqrt(C[${a * F + a}] * s2) / d[${a}];`;
  });
  return /* wgsl */ `
const P: u32 = ${P}u;
const F: u32 = ${F}u;
const N: u32 = ${N}u;
const NV: u32 = ${Math.max(1, nVars)}u;
const WG: u32 = ${LM_WORKGROUP}u;
const NPAIRS: u32 = ${nPairs}u;

struct Cfg {
  nFits: u32,
  maxIter: u32,
  tol: f32,
  condMax: f32,
}

@group(0) @binding(0) var<storage, read> ys: array<f32>;
@group(0) @binding(1) var<storage, read> xs: array<f32>;
@group(0) @binding(2) var<storage, read> ws: array<f32>;
@group(0) @binding(3) var<storage, read_write> params: array<f32>;
@group(0) @binding(4) var<storage, read_write> stats: array<u32>;
@group(0) @binding(5) var<storage, read_write> errs: array<f32>;
@group(0) @binding(6) var<uniform> cfg: Cfg;

${staged ? `var<workgroup> ysh: array<f32, ${LM_WORKGROUP * N}>;` : ""}
var<private> H: array<f32, ${F * F}>;
var<private> A: array<f32, ${F * F}>;
var<private> g: array<f32, ${F}>;
var<private> delta: array<f32, ${F}>;

${model.helpers}

fn accumulate(b: u32, lb: u32, p: array<f32, ${P}>, withJ: bool) -> f32 {
  ${hoisted.join("\n  ")}
  if (withJ) {
    for (var k = 0u; k < F * F; k++) { H[k] = 0.0; }
    for (var k = 0u; k < F; k++) { g[k] = 0.0; }
  }
  var xv: array<f32, NV>;
  var chi2 = 0.0;
  for (var i = 0u; i < N; i++) {
    ${loadVars}
    ${perPoint.join("\n    ")}
    let wt = ${wExpr};
    let r = ((${model.outputs[0]}) - ${yExpr}) * wt;
    chi2 += r * r;
    if (withJ) {
      ${jac.join("\n      ")}
      ${hUpd.join("\n      ")}
    }
  }
  if (withJ) {
    for (var a = 0u; a < F; a++) {
      for (var c = 0u; c < a; c++) { H[c * F + a] = H[a * F + c]; }
    }
  }
  return chi2;
}

// Cholesky factor of A in place (lower triangle); false when not positive definite.
fn choleskyFactor() -> bool {
  for (var a = 0u; a < F; a++) {
    for (var c = 0u; c <= a; c++) {
      var s = A[a * F + c];
      for (var k = 0u; k < c; k++) { s -= A[a * F + k] * A[c * F + k]; }
      if (a == c) {
        if (!(s > 0.0)) { return false; }
        A[a * F + a] = sqrt(s);
      } else {
        A[a * F + c] = s / A[c * F + c];
      }
    }
  }
  return true;
}

// Solves L Lᵀ delta = rhs with the factor in A.
fn choleskySolve(rhs: array<f32, ${F}>) {
  for (var a = 0u; a < F; a++) {
    var s = rhs[a];
    for (var k = 0u; k < a; k++) { s -= A[a * F + k] * delta[k]; }
    delta[a] = s / A[a * F + a];
  }
  for (var ai = 0u; ai < F; ai++) {
    let a = F - 1u - ai;
    var s = delta[a];
    for (var k = a + 1u; k < F; k++) { s -= A[k * F + a] * delta[k]; }
    delta[a] = s / A[a * F + a];
  }
}

@compute @workgroup_size(${LM_WORKGROUP})
fn main(
  @builtin(global_invocation_id) gid: vec3<u32>,
  @builtin(local_invocation_index) lb: u32,
  @builtin(workgroup_id) wid: vec3<u32>,
) {
  let b = gid.x;
${
    staged
      ? `  // Stage this workgroup's datasets: consecutive invocations read consecutive words.
  let base = wid.x * WG;
  let avail = min(WG, max(cfg.nFits, base) - base) * N;
  for (var k = lb; k < avail; k += WG) { ysh[k] = ys[base * N + k]; }
  workgroupBarrier();`
      : ""
  }
  if (b >= cfg.nFits) { return; }
  var p: array<f32, ${P}>;
  ${start.join("\n  ")}
  var lambda = 1.0e-3;
  var chi2 = accumulate(b, lb, p, true);
  var st = 1u;
  var iters = cfg.maxIter;
  var rhs: array<f32, ${F}>;
  for (var it = 0u; it < cfg.maxIter; it++) {
    for (var k = 0u; k < F * F; k++) { A[k] = H[k]; }
    for (var a = 0u; a < F; a++) { A[a * F + a] = H[a * F + a] * (1.0 + lambda); rhs[a] = -g[a]; }
    if (!choleskyFactor()) {
      lambda *= 10.0;
      if (lambda > 1.0e15) { st = 2u; iters = it; break; }
      continue;
    }
    choleskySolve(rhs);
    var pn = p;
    ${step.join("\n    ")}
    let chi2n = accumulate(b, lb, pn, false);
    // Gpufit's rule: the change is checked on rejected steps too (cfg.tol is float32-aware).
    let converged = abs(chi2 - chi2n) <= cfg.tol * chi2;
    if (chi2n < chi2) {
      p = pn;
      lambda = max(lambda / 10.0, 1.0e-15);
      chi2 = accumulate(b, lb, p, true);
      if (converged) { st = 0u; iters = it + 1u; break; }
    } else {
      lambda *= 10.0;
      if (converged || lambda > 1.0e15) { st = 0u; iters = it + 1u; break; }
    }
  }
  for (var k = 0u; k < P; k++) { params[b * P + k] = p[k]; }

  // Statistics at the solution from H = JᵀJ there: Jacobi-scaled Cholesky, its inverse C,
  // covariance C_ac·s²/(d_a d_c) with s² = χ²/(N − F), correlations C_ac/√(C_aa C_cc).
  var flags = 0u;
  var d: array<f32, ${F}>;
  for (var a = 0u; a < F; a++) {
    d[a] = sqrt(H[a * F + a]);
    if (!(d[a] > 0.0)) { flags = ${STATS_SINGULAR}u; d[a] = 1.0; }
  }
  for (var a = 0u; a < F; a++) {
    for (var c = 0u; c < F; c++) { A[a * F + c] = H[a * F + c] / (d[a] * d[c]); }
  }
  var C: array<f32, ${F * F}>;
  if (flags == 0u && choleskyFactor()) {
    var lmin = A[0];
    var lmax = A[0];
    for (var a = 1u; a < F; a++) { lmin = min(lmin, A[a * F + a]); lmax = max(lmax, A[a * F + a]); }
    if ((lmax / lmin) * (lmax / lmin) > cfg.condMax) { flags = ${STATS_ILL_CONDITIONED}u; }
    for (var a = 0u; a < F; a++) {
      for (var c = 0u; c < F; c++) { rhs[c] = select(0.0, 1.0, c == a); }
      choleskySolve(rhs);
      for (var c = 0u; c < F; c++) { C[c * F + a] = delta[c]; }
    }
  } else {
    flags = ${STATS_SINGULAR}u;
  }
  let s2 = chi2 / f32(max(1u, N - min(N - 1u, ${freeIdx.length}u)));
  let e0 = b * P;
  let c0 = cfg.nFits * P + b * NPAIRS;
  ${errOut.join("\n  ")}
  ${pairs.join("\n  ")}
  stats[b * 4u] = bitcast<u32>(chi2);
  stats[b * 4u + 1u] = iters;
  stats[b * 4u + 2u] = st;
  stats[b * 4u + 3u] = flags;
}
`;
}
