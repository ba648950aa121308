/**
 * WGSL kernel for one huge dataset: each invocation walks a strided share of the points and
 * accumulates chi-square, Jᵀr and the upper triangle of JᵀJ with Kahan-compensated f32 sums;
 * each workgroup then adds its 64 invocations' sums by a tree reduction in workgroup memory
 * (pairwise summation) and writes one partial per term. The host adds the workgroups' partials
 * in f64 (pairwise) and solves the small LM system in f64.
 *
 * Bindings (group 0): 0 data, 1 independent variables (variable-major), 2 weights,
 * 3 parameters, 4 partial sums (workgroup-major, `reduceTerms(P)` per workgroup), 5 uniforms
 * (points, invocations, whether to form Jᵀr and JᵀJ).
 *
 * @module
 */

import type { WgslEmission } from "./wgsl_codegen.ts";
import { SOFTWARE_LOOP_LIMIT } from "./_lm_wgsl_parts.ts";

/** Invocations per workgroup of the reduction kernel. */
export const REDUCE_WORKGROUP = 64;

/**
 * The reduction kernel's buffer bindings, in order: data, x, weights, parameters (read-only),
 * the partial sums (written) and the configuration (uniform).
 */
export const REDUCE_BINDINGS: readonly GPUBufferBindingType[] = Object.freeze([
  "read-only-storage",
  "read-only-storage",
  "read-only-storage",
  "read-only-storage",
  "storage",
  "uniform",
]);

/** What the reduction kernel needs. */
export interface ReduceKernelSpec {
  /** Parameters. */
  P: number;
  /** Independent variables. */
  nVars: number;
  /** Whether weights are given. */
  weighted: boolean;
  /** The model and its partial derivatives [f, ∂f/∂p_0, …] from `emitWgsl`. */
  model: WgslEmission;
}

/**
 * Sums per workgroup: chi-square, P gradient terms, P(P+1)/2 normal-matrix terms (packed lower
 * triangle by rows).
 *
 * @param P the number of parameters.
 * @returns 1 + P + P(P+1)/2.
 *
 * @example
 * ```ts
 * import { reduceTerms } from "./reduce_kernel.wgsl.ts";
 * reduceTerms(3); // 10
 * ```
 */
export function reduceTerms(P: number): number {
  return 1 + P + (P * (P + 1)) / 2;
}

/**
 * An upper bound on the loop iterations one invocation of the reduction kernel runs when it
 * forms Jᵀr and JᵀJ (the longer pass), read from the kernel's loops: the parameter load (P), the
 * point loop (`pointsPerInvocation`) with, per point, the gradient loop (P), the normal-matrix
 * loops (P(P+1)/2) and the Kahan loop (K = `reduceTerms(P)`), then the workgroup reduction (K
 * terms, log2(WG) halvings each). Every loop entry is counted once more than its trips (the exit
 * test), and no loop is assumed unrolled. The model's code is straight-line (`emitWgsl` emits no
 * loops). Software adapters cut an invocation's loops at `SOFTWARE_LOOP_LIMIT` iterations in all.
 *
 * @param P the number of parameters.
 * @param pointsPerInvocation the points one invocation sums (ceil(points / invocations)).
 * @returns the loop iterations of one invocation, at most.
 *
 * @example
 * ```ts
 * import { reduceLoopIterations } from "./reduce_kernel.wgsl.ts";
 * reduceLoopIterations(3, 1000); // 25,086
 * ```
 */
export function reduceLoopIterations(P: number, pointsPerInvocation: number): number {
  const K = reduceTerms(P);
  const halvings = Math.log2(REDUCE_WORKGROUP);
  const perPoint = 1 + (P + 1) + (P * (P + 1)) / 2 + P + (K + 1);
  return (P + 1) + 1 + pointsPerInvocation * perPoint + (K + 1) + K * (halvings + 1);
}

/**
 * The most points one invocation of the reduction kernel may sum so that its loops stay below
 * `budget` iterations (`reduceLoopIterations`); 0 when even one point does not fit.
 *
 * @param P the number of parameters.
 * @param budget loop iterations allowed per invocation. @default SOFTWARE_LOOP_LIMIT (llvmpipe)
 * @returns the largest points per invocation whose loops stay strictly below `budget`.
 *
 * @example
 * ```ts
 * import { reducePointsPerInvocation } from "./reduce_kernel.wgsl.ts";
 * reducePointsPerInvocation(7); // 805: chunks of at most 805 × 65,536 points on llvmpipe
 * ```
 */
export function reducePointsPerInvocation(P: number, budget: number = SOFTWARE_LOOP_LIMIT): number {
  const fixed = reduceLoopIterations(P, 0);
  const perPoint = reduceLoopIterations(P, 1) - fixed;
  return Math.max(0, Math.floor((budget - 1 - fixed) / perPoint));
}

/**
 * WGSL source of the reduction kernel (workgroup size `REDUCE_WORKGROUP`).
 *
 * @param spec the model and sizes.
 * @returns the WGSL source.
 *
 * @example
 * ```ts
 * import { reduceKernelWgsl } from "./reduce_kernel.wgsl.ts";
 * import { emitWgsl } from "./wgsl_codegen.ts";
 * import { parse } from "../lib/expr/parser.ts";
 * const model = emitWgsl([parse("a*x"), parse("x")], { a: "p[0]", x: "xv[0]" });
 * const src = reduceKernelWgsl({ P: 1, nVars: 1, weighted: false, model });
 * ```
 */
export function reduceKernelWgsl(spec: ReduceKernelSpec): string {
  const { P, nVars, weighted, model } = spec;
  const K = reduceTerms(P);
  const NV = Math.max(1, nVars);
  const WG = REDUCE_WORKGROUP;
  const loads = Array.from({ length: nVars }, (_, v) => `xv[${v}] = xs[${v}u * cfg.n + i];`).join(
    "\n      ",
  );
  return /* wgsl */ `
const P: u32 = ${P}u;
const K: u32 = ${K}u;
const WG: u32 = ${WG}u;

struct Cfg {
  n: u32,
  threads: u32,
  withJ: u32,
  pad: u32,
}

@group(0) @binding(0) var<storage, read> ys: array<f32>;
@group(0) @binding(1) var<storage, read> xs: array<f32>;
@group(0) @binding(2) var<storage, read> ws: array<f32>;
@group(0) @binding(3) var<storage, read> pin: array<f32>;
@group(0) @binding(4) var<storage, read_write> partial: array<f32>;
@group(0) @binding(5) var<uniform> cfg: Cfg;

var<workgroup> shared_sum: array<f32, ${WG}>;

${model.helpers}

fn model(xv: array<f32, ${NV}>, p: array<f32, ${P}>) -> array<f32, ${P + 1}> {
    ${model.code}
    return array<f32, ${P + 1}>(${model.outputs.join(", ")});
}

@compute @workgroup_size(${WG})
fn main(
  @builtin(global_invocation_id) gid: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
  @builtin(workgroup_id) wid: vec3<u32>,
) {
  let t = gid.x;
  var p: array<f32, ${P}>;
  for (var k = 0u; k < P; k++) { p[k] = pin[k]; }
  var sum: array<f32, ${K}>;
  var comp: array<f32, ${K}>;
  var xv: array<f32, ${NV}>;
  var term: array<f32, ${K}>;
  let withJ = cfg.withJ != 0u;
  let nTerms = select(1u, K, withJ);
  for (var i = t; i < cfg.n; i += cfg.threads) {
      ${loads}
      let ev = model(xv, p);
      let wt = ${weighted ? "ws[i]" : "1.0"};
      let r = (ev[0] - ys[i]) * wt;
      term[0] = r * r;
      if (withJ) {
        var q = 1u + P;
        for (var a = 0u; a < P; a++) {
          let ja = ev[a + 1u] * wt;
          term[1u + a] = ja * r;
          for (var c = 0u; c <= a; c++) {
            term[q] = ja * ev[c + 1u] * wt;
            q++;
          }
        }
      }
      for (var k = 0u; k < nTerms; k++) {
        // Kahan summation: comp holds the low-order bits lost so far (negated).
        let yk = term[k] - comp[k];
        let tk = sum[k] + yk;
        comp[k] = (tk - sum[k]) - yk;
        sum[k] = tk;
      }
  }
  // Workgroup tree reduction, one term at a time (pairwise summation of the 64 sums).
  for (var k = 0u; k < nTerms; k++) {
    shared_sum[lid] = sum[k] - comp[k];
    workgroupBarrier();
    for (var s = WG / 2u; s > 0u; s >>= 1u) {
      if (lid < s) { shared_sum[lid] += shared_sum[lid + s]; }
      workgroupBarrier();
    }
    if (lid == 0u) { partial[wid.x * K + k] = shared_sum[0]; }
    workgroupBarrier();
  }
}
`;
}
