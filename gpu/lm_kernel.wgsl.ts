/**
 * The batched Levenberg-Marquardt kernel in WGSL: one invocation fits one dataset, the whole
 * loop on the device (Gpufit's scheme), the same algorithm as `lib/batch/batch_lm.ts` in f32.
 * The model and its Jacobian are generated from the expression AST (`wgsl_codegen.ts`) and the
 * sizes (parameters, points, independent variables) are compile-time constants, so private
 * arrays have fixed sizes.
 *
 * Bindings (group 0): 0 data, 1 independent variables, 2 weights, 3 parameters (in: starts,
 * out: results), 4 per-fit outputs (chi-square, iterations, status), 5 bounds and free flags,
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
}

/** The uniform block's size in bytes. */
export const LM_UNIFORM_BYTES = 16;

/**
 * WGSL source of the batched LM kernel for a model.
 *
 * @example
 * ```ts
 * import { lmKernelWgsl } from "./lm_kernel.wgsl.ts";
 * import { emitWgsl } from "./wgsl_codegen.ts";
 * import { parse } from "../lib/expr/parser.ts";
 * const model = emitWgsl([parse("a*x + b"), parse("x"), parse("1")], { a: "p[0]", b: "p[1]", x: "xv[0]" });
 * const src = lmKernelWgsl({ P: 2, N: 64, nVars: 1, varsPerFit: false, weightsMode: 0, model });
 * ```
 */
export function lmKernelWgsl(spec: LmKernelSpec): string {
  const { P, N, nVars, varsPerFit, weightsMode, model } = spec;
  const xIndex = varsPerFit ? "b * N + i" : "i";
  const xLen = varsPerFit ? "cfg.nFits * N" : "N";
  const wExpr = weightsMode === 0 ? "1.0" : weightsMode === 1 ? "ws[i]" : "ws[b * N + i]";
  const loadVars = Array.from(
    { length: nVars },
    (_, v) => `xv[${v}] = xs[${v}u * ${xLen} + ${xIndex}];`,
  ).join("\n      ");
  return /* wgsl */ `
const P: u32 = ${P}u;
const N: u32 = ${N}u;
const NV: u32 = ${Math.max(1, nVars)}u;

struct Cfg {
  nFits: u32,
  maxIter: u32,
  tol: f32,
  pad: u32,
}

@group(0) @binding(0) var<storage, read> ys: array<f32>;
@group(0) @binding(1) var<storage, read> xs: array<f32>;
@group(0) @binding(2) var<storage, read> ws: array<f32>;
@group(0) @binding(3) var<storage, read_write> params: array<f32>;
@group(0) @binding(4) var<storage, read_write> stats: array<f32>;
@group(0) @binding(5) var<storage, read> consts: array<f32>;
@group(0) @binding(6) var<uniform> cfg: Cfg;

var<private> H: array<f32, ${P * P}>;
var<private> A: array<f32, ${P * P}>;
var<private> g: array<f32, ${P}>;
var<private> delta: array<f32, ${P}>;

${model.helpers}

fn model(xv: array<f32, ${Math.max(1, nVars)}>, p: array<f32, ${P}>) -> array<f32, ${P + 1}> {
    ${model.code}
    return array<f32, ${P + 1}>(${model.outputs.join(", ")});
}

fn isFree(k: u32) -> bool {
  return consts[2u * P + k] != 0.0;
}

fn accumulate(b: u32, p: array<f32, ${P}>, withJ: bool) -> f32 {
  if (withJ) {
    for (var k = 0u; k < P * P; k++) { H[k] = 0.0; }
    for (var k = 0u; k < P; k++) { g[k] = 0.0; }
  }
  var xv: array<f32, ${Math.max(1, nVars)}>;
  var chi2 = 0.0;
  for (var i = 0u; i < N; i++) {
      ${loadVars}
      let ev = model(xv, p);
      let wt = ${wExpr};
      let r = (ev[0] - ys[b * N + i]) * wt;
      chi2 += r * r;
      if (withJ) {
        for (var a = 0u; a < P; a++) {
          if (!isFree(a)) { continue; }
          let ja = ev[a + 1u] * wt;
          g[a] += ja * r;
          for (var c = 0u; c <= a; c++) {
            if (isFree(c)) { H[a * P + c] += ja * ev[c + 1u] * wt; }
          }
        }
      }
  }
  if (withJ) {
    for (var a = 0u; a < P; a++) {
      for (var c = 0u; c < a; c++) { H[c * P + a] = H[a * P + c]; }
    }
  }
  return chi2;
}

fn choleskySolve() -> bool {
  for (var a = 0u; a < P; a++) {
    if (!isFree(a)) { continue; }
    for (var c = 0u; c <= a; c++) {
      if (!isFree(c)) { continue; }
      var s = A[a * P + c];
      for (var k = 0u; k < c; k++) { if (isFree(k)) { s -= A[a * P + k] * A[c * P + k]; } }
      if (a == c) {
        if (!(s > 0.0)) { return false; }
        A[a * P + a] = sqrt(s);
      } else {
        A[a * P + c] = s / A[c * P + c];
      }
    }
  }
  for (var a = 0u; a < P; a++) {
    if (!isFree(a)) { delta[a] = 0.0; continue; }
    var s = -g[a];
    for (var k = 0u; k < a; k++) { if (isFree(k)) { s -= A[a * P + k] * delta[k]; } }
    delta[a] = s / A[a * P + a];
  }
  for (var ai = 0u; ai < P; ai++) {
    let a = P - 1u - ai;
    if (!isFree(a)) { continue; }
    var s = delta[a];
    for (var k = a + 1u; k < P; k++) { if (isFree(k)) { s -= A[k * P + a] * delta[k]; } }
    delta[a] = s / A[a * P + a];
  }
  return true;
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let b = gid.x;
  if (b >= cfg.nFits) { return; }
  var p: array<f32, ${P}>;
  for (var k = 0u; k < P; k++) {
    p[k] = clamp(params[b * P + k], consts[k], consts[P + k]);
  }
  var lambda = 1.0e-3;
  var chi2 = accumulate(b, p, true);
  var st = 1u;
  var iters = cfg.maxIter;
  for (var it = 0u; it < cfg.maxIter; it++) {
    for (var k = 0u; k < P * P; k++) { A[k] = H[k]; }
    for (var a = 0u; a < P; a++) {
      A[a * P + a] = select(1.0, H[a * P + a] * (1.0 + lambda), isFree(a));
    }
    if (!choleskySolve()) {
      lambda *= 10.0;
      if (lambda > 1.0e15) { st = 2u; iters = it; break; }
      continue;
    }
    var pn: array<f32, ${P}>;
    for (var k = 0u; k < P; k++) {
      pn[k] = clamp(p[k] + delta[k], consts[k], consts[P + k]);
    }
    let chi2n = accumulate(b, pn, false);
    if (chi2n < chi2) {
      let converged = chi2 - chi2n <= cfg.tol * chi2;
      p = pn;
      lambda = max(lambda / 10.0, 1.0e-15);
      chi2 = accumulate(b, p, true);
      if (converged) { st = 0u; iters = it + 1u; break; }
    } else {
      lambda *= 10.0;
      if (lambda > 1.0e15) { st = 0u; iters = it + 1u; break; }
    }
  }
  for (var k = 0u; k < P; k++) { params[b * P + k] = p[k]; }
  stats[b * 3u] = chi2;
  stats[b * 3u + 1u] = f32(iters);
  stats[b * 3u + 2u] = f32(st);
}
`;
}
