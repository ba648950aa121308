/**
 * WGSL pieces both batched LM kernels share (one invocation per fit in `lm_kernel.wgsl.ts`, one
 * workgroup per fit in `lm_kernel_wg.wgsl.ts`): f32 literals, the split of the model's `let`
 * lines into parameter-only and per-point ones, bound clamps, the damped Cholesky step, and the
 * statistics at the solution. Both kernels declare the same bindings (`errs`, `cfg`), which the
 * statistics function writes and reads.
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

const F32_MAX = 3.4028234663852886e38;

/**
 * The bindings both LM kernels share with the host (`fitBatchOnGpu` binds buffers 0–6 in this
 * order): data, independent variables, weights, parameters (in: start values; out: best fit),
 * status words, standard errors with correlations, and the uniforms.
 */
export const LM_BINDINGS_WGSL: string = `struct Cfg {
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
@group(0) @binding(6) var<uniform> cfg: Cfg;`;

/** A WGSL f32 literal of `v` (rounded to f32, always with a dot or an exponent). */
export function lit(v: number): string {
  const s = Math.fround(v).toPrecision(9);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

/** Indices of the varied parameters (all of them when `free` is not given). */
export function freeIndices(P: number, free?: ArrayLike<number>): number[] {
  return Array.from({ length: P }, (_, k) => k).filter((k) => (free ? free[k] !== 0 : true));
}

/**
 * Splits `let` lines into those that depend on the point (read `xv[…]`, directly or through an
 * earlier temporary) and those that depend on the parameters only.
 */
export function splitHoisted(code: string): { hoisted: string[]; perPoint: string[] } {
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

/** `v` clamped to parameter k's bounds: a clamp only where a finite (f32) bound exists. */
export function clampWgsl(
  lower: ArrayLike<number> | undefined,
  upper: ArrayLike<number> | undefined,
  k: number,
  v: string,
): string {
  const lo = lower?.[k] ?? -Infinity, hi = upper?.[k] ?? Infinity;
  const l = lo > -F32_MAX ? lit(lo) : null, h = hi < F32_MAX ? lit(hi) : null;
  if (l && h) return `clamp(${v}, ${l}, ${h})`;
  if (l) return `max(${v}, ${l})`;
  if (h) return `min(${v}, ${h})`;
  return v;
}

/**
 * The normal equations of F free parameters in private memory (H = JᵀJ, g = Jᵀr, the factor A,
 * the step delta), their Cholesky factorisation and solve, and `dampedStep(lambda)`: solves
 * (H + λ·diag H)·delta = −g, false when that matrix is not positive definite.
 */
export function lmSolverWgsl(F: number): string {
  return /* wgsl */ `
var<private> H: array<f32, ${F * F}>;
var<private> A: array<f32, ${F * F}>;
var<private> g: array<f32, ${F}>;
var<private> delta: array<f32, ${F}>;

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

// The LM step for damping lambda into delta; false when the damped matrix is not positive definite.
fn dampedStep(lambda: f32) -> bool {
  var rhs: array<f32, ${F}>;
  for (var k = 0u; k < F * F; k++) { A[k] = H[k]; }
  for (var a = 0u; a < F; a++) { A[a * F + a] = H[a * F + a] * (1.0 + lambda); rhs[a] = -g[a]; }
  if (!choleskyFactor()) { return false; }
  choleskySolve(rhs);
  return true;
}
`;
}

/**
 * The loop-iteration budget of one shader invocation on gallivm-based software adapters
 * (llvmpipe, lavapipe): Mesa's `LP_MAX_TGSI_LOOP_ITERATIONS`, one counter shared by every loop
 * of the invocation (of its SIMD group of lanes). Once it is spent, every loop stops after its
 * current iteration, silently, so a long fit in one invocation ends with sums over part of its
 * points (χ² far below the noise, a bogus "converged", zero standard errors).
 */
export const SOFTWARE_LOOP_LIMIT = 65535;

/**
 * `loopLimitReached() -> bool`: whether the invocation's loops were cut short by a driver's loop
 * limit (see `SOFTWARE_LOOP_LIMIT`). It runs a loop of two iterations whose count the compiler
 * cannot see (so it is not unrolled): one that stops after one iteration shows the budget was
 * spent, and the results of every loop before it may be cut short. The limit only decreases, so
 * a probe that completes shows that no earlier loop was cut. Reads `cfg.nFits`.
 */
export function loopLimitProbeWgsl(): string {
  return /* wgsl */ `
fn loopLimitReached() -> bool {
  let trips = 2u + (cfg.nFits >> 31u);
  var n = 0u;
  for (var k = 0u; k < trips; k++) { n++; }
  return n < trips;
}
`;
}

/**
 * `statistics(b, chi2) -> flags`: standard errors and correlations of fit b from H = JᵀJ at the
 * solution (Jacobi-scaled Cholesky, its inverse C, covariance C_ac·s²/(d_a d_c) with
 * s² = χ²/(N − F), correlations C_ac/√(C_aa C_cc)) written to `errs`; returns 0, or
 * `singular` / `illConditioned` when the f32 statistics are not to be kept.
 */
export function statisticsWgsl(
  P: number,
  freeIdx: readonly number[],
  singular: number,
  illConditioned: number,
): string {
  const F = Math.max(1, freeIdx.length);
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
fn statistics(b: u32, chi2: f32) -> u32 {
  var flags = 0u;
  var d: array<f32, ${F}>;
  var rhs: array<f32, ${F}>;
  for (var a = 0u; a < F; a++) {
    d[a] = sqrt(H[a * F + a]);
    if (!(d[a] > 0.0)) { flags = ${singular}u; d[a] = 1.0; }
  }
  for (var a = 0u; a < F; a++) {
    for (var c = 0u; c < F; c++) { A[a * F + c] = H[a * F + c] / (d[a] * d[c]); }
  }
  var C: array<f32, ${F * F}>;
  if (flags == 0u && choleskyFactor()) {
    var lmin = A[0];
    var lmax = A[0];
    for (var a = 1u; a < F; a++) { lmin = min(lmin, A[a * F + a]); lmax = max(lmax, A[a * F + a]); }
    if ((lmax / lmin) * (lmax / lmin) > cfg.condMax) { flags = ${illConditioned}u; }
    for (var a = 0u; a < F; a++) {
      for (var c = 0u; c < F; c++) { rhs[c] = select(0.0, 1.0, c == a); }
      choleskySolve(rhs);
      for (var c = 0u; c < F; c++) { C[c * F + a] = delta[c]; }
    }
  } else {
    flags = ${singular}u;
  }
  let s2 = chi2 / f32(max(1u, N - min(N - 1u, ${freeIdx.length}u)));
  let e0 = b * P;
  let c0 = cfg.nFits * P + b * NPAIRS;
  ${errOut.join("\n  ")}
  ${pairs.join("\n  ")}
  return flags;
}
`;
}

/**
 * `writeResult(b, p, chi2, iters, st)`: what both kernels hand back for fit b: the parameters,
 * the statistics at the solution (`statistics`, from H = JᵀJ there) and the status words (χ² as
 * f32 bits, iterations, status, flags with `loopLimitFlag` when `loopLimitReached()`). Called
 * last, so the loop-limit probe also sees the statistics' loops.
 */
export function resultWgsl(P: number, loopLimitFlag: number): string {
  return /* wgsl */ `
fn writeResult(b: u32, p: array<f32, ${P}>, chi2: f32, iters: u32, st: u32) {
  for (var k = 0u; k < P; k++) { params[b * P + k] = p[k]; }
  let flags = statistics(b, chi2);
  stats[b * 4u] = bitcast<u32>(chi2);
  stats[b * 4u + 1u] = iters;
  stats[b * 4u + 2u] = st;
  stats[b * 4u + 3u] = flags | select(0u, ${loopLimitFlag}u, loopLimitReached());
}
`;
}

/**
 * The WGSL lines both kernels generate the same way from a spec: the varied parameters, the
 * loads of the independent variables and the weight at point `i` of fit `b`, the model's lines
 * split into parameter-only (`hoisted`) and per-point ones, the weighted Jacobian entries
 * `j0 … j(F−1)` (given `wt`), and the bounded start (`p` from `params`) and step (`pn` from
 * `p + delta`).
 */
export function lmKernelPieces(spec: LmKernelSpec): {
  freeIdx: number[];
  F: number;
  nPairs: number;
  loadVars: string;
  wExpr: string;
  hoisted: string[];
  perPoint: string[];
  jac: string[];
  start: string[];
  step: string[];
} {
  const { P, nVars, varsPerFit, weightsMode, model } = spec;
  const freeIdx = freeIndices(P, spec.free);
  const xIndex = varsPerFit ? "b * N + i" : "i";
  const xLen = varsPerFit ? "cfg.nFits * N" : "N";
  const clampOf = (k: number, v: string): string => clampWgsl(spec.lower, spec.upper, k, v);
  return {
    freeIdx,
    F: Math.max(1, freeIdx.length),
    nPairs: (freeIdx.length * (freeIdx.length - 1)) / 2,
    loadVars: Array.from(
      { length: nVars },
      (_, v) => `xv[${v}] = xs[${v}u * ${xLen} + ${xIndex}];`,
    ).join("\n    "),
    wExpr: weightsMode === 0 ? "1.0" : weightsMode === 1 ? "ws[i]" : "ws[b * N + i]",
    ...splitHoisted(model.code),
    jac: freeIdx.map((k, a) => `let j${a} = (${model.outputs[k + 1]}) * wt;`),
    start: Array.from({ length: P }, (_, k) => `p[${k}] = ${clampOf(k, `params[b * P + ${k}u]`)};`),
    step: freeIdx.map((k, a) => `pn[${k}] = ${clampOf(k, `p[${k}] + delta[${a}]`)};`),
  };
}
