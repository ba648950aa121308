/**
 * The batched Levenberg-Marquardt kernel in WGSL: one invocation fits one dataset, the whole
 * loop on the device (Gpufit's scheme), the same algorithm as `lib/batch/batch_lm.ts` in f32,
 * followed by the statistics at the solution (standard errors and correlations from JᵀJ).
 * (`lm_kernel_wg.wgsl.ts` is the same kernel with one workgroup per dataset, for many points.)
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

import {
  LM_BINDINGS_WGSL,
  lmKernelPieces,
  type LmKernelSpec,
  lmSolverWgsl,
  loopLimitProbeWgsl,
  resultWgsl,
  statisticsWgsl,
} from "./_lm_wgsl_parts.ts";

export type { LmKernelSpec };

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
/**
 * Flag: a driver's loop limit cut this fit's loops short (llvmpipe; see `SOFTWARE_LOOP_LIMIT`):
 * nothing the kernel returned for it is to be kept.
 */
export const LOOP_LIMIT_REACHED = 4;

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
  const { P, N, nVars, model } = spec;
  const { freeIdx, F, nPairs, loadVars, wExpr, hoisted, perPoint, jac, start, step } =
    lmKernelPieces(spec);
  const staged = spec.stage !== false && LM_WORKGROUP * N * 4 <= 16384;
  const yExpr = staged ? "ysh[lb * N + i]" : "ys[b * N + i]";
  const hUpd: string[] = [];
  freeIdx.forEach((_, a) => {
    hUpd.push(`g[${a}] += j${a} * r;`);
    for (let c = 0; c <= a; c++) hUpd.push(`H[${a * F + c}] += j${a} * j${c};`);
  });
  return /* wgsl */ `
const P: u32 = ${P}u;
const F: u32 = ${F}u;
const N: u32 = ${N}u;
const NV: u32 = ${Math.max(1, nVars)}u;
const WG: u32 = ${LM_WORKGROUP}u;
const NPAIRS: u32 = ${nPairs}u;

${LM_BINDINGS_WGSL}

${staged ? `var<workgroup> ysh: array<f32, ${LM_WORKGROUP * N}>;` : ""}
${lmSolverWgsl(F)}
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

${statisticsWgsl(P, freeIdx, STATS_SINGULAR, STATS_ILL_CONDITIONED)}
${loopLimitProbeWgsl()}
${resultWgsl(P, LOOP_LIMIT_REACHED)}
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
  for (var it = 0u; it < cfg.maxIter; it++) {
    if (!dampedStep(lambda)) {
      lambda *= 10.0;
      if (lambda > 1.0e15) { st = 2u; iters = it; break; }
      continue;
    }
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
  writeResult(b, p, chi2, iters, st);
}
`;
}
