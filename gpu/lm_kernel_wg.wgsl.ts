/**
 * The batched LM kernel with one workgroup per fit (Gpufit's scheme for many points): the W
 * invocations of a workgroup stride over the fit's points (invocation t takes points t, t + W, …,
 * so consecutive invocations read consecutive words), each sums its share of χ², Jᵀr and the
 * lower triangle of JᵀJ, and a tree reduction in workgroup memory adds the W partial sums.
 * Invocation 0 then runs the LM logic (the damped Cholesky step, acceptance, Gpufit's
 * convergence rule, the statistics at the solution) and publishes the next parameters to
 * evaluate; the others wait at the barrier. The algorithm, bindings, uniforms, status codes and
 * outputs are those of the one-invocation-per-fit kernel in `lm_kernel.wgsl.ts`, so the host
 * code and the statistics pass are the same for both.
 *
 * The LM loop is one state machine around a single evaluation site (one reduction, one
 * `workgroupUniformLoad` per pass): software adapters compile kernels with barriers slowly, and
 * one call site keeps the shader small.
 *
 * @module
 */

import { LOOP_LIMIT_REACHED, STATS_ILL_CONDITIONED, STATS_SINGULAR } from "./lm_kernel.wgsl.ts";
import {
  LM_BINDINGS_WGSL,
  lmKernelPieces,
  type LmKernelSpec,
  lmSolverWgsl,
  loopLimitProbeWgsl,
  resultWgsl,
  statisticsWgsl,
} from "./_lm_wgsl_parts.ts";

/** Invocations per workgroup of the workgroup-per-fit kernel, at most. */
export const LM_WG_MAX_SIZE = 64;

/** Fewest invocations per workgroup worth a workgroup per fit. */
export const LM_WG_MIN_SIZE = 8;

/** Workgroup memory the WebGPU specification guarantees, in bytes. */
const DEFAULT_WORKGROUP_STORAGE = 16384;

/**
 * Invocations per workgroup for F free parameters and P parameters: the largest power of two up
 * to 64 whose reduction buffer (W·(1 + F + F(F+1)/2) floats) plus the shared parameters and the
 * control word fit in the device's workgroup memory; 0 when fewer than 8 would fit.
 *
 * @param nFree free parameters (F).
 * @param nParams parameters (P).
 * @param maxWorkgroupStorage the device's `maxComputeWorkgroupStorageSize`. @default 16384
 * @returns the workgroup size, or 0.
 *
 * @example
 * ```ts
 * import { lmWorkgroupSize } from "./lm_kernel_wg.wgsl.ts";
 * lmWorkgroupSize(3, 3); // 64: 10 partial sums per invocation
 * lmWorkgroupSize(20, 20); // 16: 231 partial sums per invocation
 * ```
 */
export function lmWorkgroupSize(
  nFree: number,
  nParams: number,
  maxWorkgroupStorage: number = DEFAULT_WORKGROUP_STORAGE,
): number {
  const F = Math.max(1, nFree);
  const slots = 1 + F + (F * (F + 1)) / 2;
  const avail = maxWorkgroupStorage - 4 * (nParams + 1);
  let w = LM_WG_MAX_SIZE;
  while (w >= LM_WG_MIN_SIZE && 4 * slots * w > avail) w /= 2;
  return w >= LM_WG_MIN_SIZE ? w : 0;
}

/**
 * WGSL source of the workgroup-per-fit LM kernel for a model; dispatch one workgroup per fit.
 * `spec.stage` is ignored (the loads are coalesced already).
 *
 * @param spec the model and problem shape, as for `lmKernelWgsl`.
 * @param workgroupSize invocations per workgroup, a power of two (from `lmWorkgroupSize`).
 * @returns the WGSL source.
 *
 * @example
 * ```ts
 * import { lmKernelWgWgsl } from "./lm_kernel_wg.wgsl.ts";
 * import { emitWgsl } from "./wgsl_codegen.ts";
 * import { parse } from "../lib/expr/parser.ts";
 * const model = emitWgsl([parse("a*x + b"), parse("x"), parse("1")], { a: "p[0]", b: "p[1]", x: "xv[0]" });
 * const src = lmKernelWgWgsl({ P: 2, N: 4096, nVars: 1, varsPerFit: false, weightsMode: 0, model }, 64);
 * src.includes("@workgroup_size(64)"); // true: 64 invocations share each fit
 * ```
 */
export function lmKernelWgWgsl(spec: LmKernelSpec, workgroupSize: number): string {
  const { P, N, nVars, model } = spec;
  const W = workgroupSize;
  if (!(W >= 1 && (W & (W - 1)) === 0)) {
    throw new RangeError(`workgroup size ${W} is not a power of two`);
  }
  const { freeIdx, F, nPairs, loadVars, wExpr, hoisted, perPoint, jac, start, step } =
    lmKernelPieces(spec);
  const NH = (F * (F + 1)) / 2;
  // Partial sums: gs[a] = Σ j_a r, hs[packed (a, c ≤ a)] = Σ j_a j_c.
  const upd: string[] = [];
  let q = 0;
  freeIdx.forEach((_, a) => {
    upd.push(`gs[${a}] += j${a} * r;`);
    for (let c = 0; c <= a; c++) upd.push(`hs[${q++}] += j${a} * j${c};`);
  });
  // Unpack the reduced sums into g and the full symmetric H of invocation 0.
  const unpack: string[] = [];
  q = 0;
  for (let a = 0; a < freeIdx.length; a++) {
    unpack.push(`g[${a}] = red[${1 + a}u * WG];`);
    for (let c = 0; c <= a; c++) {
      const v = `red[${1 + F + q++}u * WG]`;
      unpack.push(`H[${a * F + c}] = ${v};`);
      if (c < a) unpack.push(`H[${c * F + a}] = ${v};`);
    }
  }
  return /* wgsl */ `
const P: u32 = ${P}u;
const F: u32 = ${F}u;
const N: u32 = ${N}u;
const NV: u32 = ${Math.max(1, nVars)}u;
const WG: u32 = ${W}u;
const NPAIRS: u32 = ${nPairs}u;
const NH: u32 = ${NH}u;
// Reduction slots: χ², Jᵀr (F), the lower triangle of JᵀJ (NH).
const R: u32 = ${1 + F + NH}u;
// Control word: evaluate χ² only, evaluate χ² and JᵀJ, done.
const EVAL: u32 = 0u;
const EVAL_J: u32 = 1u;
const DONE: u32 = 2u;

${LM_BINDINGS_WGSL}

var<workgroup> red: array<f32, ${(1 + F + NH) * W}>;
var<workgroup> wp: array<f32, ${P}>;
var<workgroup> wctl: u32;
${lmSolverWgsl(F)}
${model.helpers}

// Sums this invocation's points of fit b at the parameters wp into red (slot s at red[s·WG + t]),
// then adds the WG partial sums by a tree reduction: the totals end in red[s·WG].
fn accumulate(b: u32, t: u32, withJ: bool) {
  var p: array<f32, ${P}>;
  for (var k = 0u; k < P; k++) { p[k] = wp[k]; }
  ${hoisted.join("\n  ")}
  var gs: array<f32, ${F}>;
  var hs: array<f32, ${NH}>;
  var xv: array<f32, NV>;
  var chi2 = 0.0;
  for (var i = t; i < N; i += WG) {
    ${loadVars}
    ${perPoint.join("\n    ")}
    let wt = ${wExpr};
    let r = ((${model.outputs[0]}) - ys[b * N + i]) * wt;
    chi2 += r * r;
    if (withJ) {
      ${jac.join("\n      ")}
      ${upd.join("\n      ")}
    }
  }
  red[t] = chi2;
  if (withJ) {
    for (var k = 0u; k < F; k++) { red[(1u + k) * WG + t] = gs[k]; }
    for (var k = 0u; k < NH; k++) { red[(1u + F + k) * WG + t] = hs[k]; }
  }
  let slots = select(1u, R, withJ);
  for (var s = WG / 2u; s > 0u; s = s / 2u) {
    workgroupBarrier();
    if (t < s) {
      for (var k = 0u; k < slots; k++) { red[k * WG + t] += red[k * WG + t + s]; }
    }
  }
  workgroupBarrier();
}

${statisticsWgsl(P, freeIdx, STATS_SINGULAR, STATS_ILL_CONDITIONED)}
${loopLimitProbeWgsl()}
${resultWgsl(P, LOOP_LIMIT_REACHED)}
@compute @workgroup_size(${W})
fn main(
  @builtin(local_invocation_index) t: u32,
  @builtin(workgroup_id) wid: vec3<u32>,
) {
  let b = wid.x;
  if (b >= cfg.nFits) { return; }
  // The LM state; only invocation 0's copy is used.
  var p: array<f32, ${P}>;
  var pn: array<f32, ${P}>;
  var lambda = 1.0e-3;
  var chi2 = 0.0;
  var st = 1u;
  var iters = cfg.maxIter;
  var it = 0u;
  // What the evaluation just made is: 0 χ² and JᵀJ at the start, 1 χ² at a trial point pn,
  // 2 χ² and JᵀJ at an accepted point; stopAfterJ: that accepted step met the convergence rule.
  var phase = 0u;
  var stopAfterJ = false;
  if (t == 0u) {
    ${start.join("\n    ")}
    for (var k = 0u; k < P; k++) { wp[k] = p[k]; }
    wctl = EVAL_J;
  }
  var ctl = workgroupUniformLoad(&wctl);
  loop {
    accumulate(b, t, ctl == EVAL_J);
    if (t == 0u) {
      let c2 = red[0];
      if (ctl == EVAL_J) {
        ${unpack.join("\n        ")}
      }
      var next = DONE;
      var tryStep = false;
      if (phase == 1u) {
        // Gpufit's rule: the change is checked on rejected steps too (cfg.tol is float32-aware).
        let converged = abs(chi2 - c2) <= cfg.tol * chi2;
        if (c2 < chi2) {
          p = pn;
          lambda = max(lambda / 10.0, 1.0e-15);
          phase = 2u;
          stopAfterJ = converged;
          for (var k = 0u; k < P; k++) { wp[k] = p[k]; }
          next = EVAL_J;
        } else {
          lambda *= 10.0;
          if (converged || lambda > 1.0e15) {
            st = 0u;
            iters = it + 1u;
          } else {
            it++;
            tryStep = true;
          }
        }
      } else {
        chi2 = c2;
        if (stopAfterJ) {
          st = 0u;
          iters = it + 1u;
        } else {
          if (phase == 2u) { it++; }
          tryStep = true;
        }
      }
      // Damped steps until one factorises (then evaluate it), λ overflows or iterations run out.
      if (tryStep) {
        loop {
          if (it >= cfg.maxIter) { st = 1u; iters = cfg.maxIter; break; }
          if (dampedStep(lambda)) {
            pn = p;
            ${step.join("\n            ")}
            for (var k = 0u; k < P; k++) { wp[k] = pn[k]; }
            phase = 1u;
            next = EVAL;
            break;
          }
          lambda *= 10.0;
          if (lambda > 1.0e15) { st = 2u; iters = it; break; }
          it++;
        }
      }
      wctl = next;
    }
    ctl = workgroupUniformLoad(&wctl);
    if (ctl == DONE) { break; }
  }
  if (t == 0u) {
    // Invocation 0 makes the most loop iterations (the most points, the whole LM loop).
    writeResult(b, p, chi2, iters, st);
  }
}
`;
}
