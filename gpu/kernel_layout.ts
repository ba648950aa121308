/**
 * Which LM kernel a GPU batch runs: one invocation per fit (`lm_kernel.wgsl.ts`, for many small
 * fits) or one workgroup per fit (`lm_kernel_wg.wgsl.ts`, Gpufit's scheme, for fits with many
 * points or batches too small to fill the device), and the WGSL and dispatch shape of the one
 * chosen.
 *
 * @module
 */

import { LM_WORKGROUP, type LmKernelSpec, lmKernelWgsl } from "./lm_kernel.wgsl.ts";
import { lmKernelWgWgsl, lmWorkgroupSize } from "./lm_kernel_wg.wgsl.ts";

/**
 * How the batched LM kernel maps fits to GPU invocations: `"thread"` one invocation per fit,
 * `"workgroup"` one workgroup of up to 64 invocations per fit (shared-memory reductions).
 *
 * @category Batch and GPU
 */
export type KernelLayout = "thread" | "workgroup";

/** The layouts `fitBatch`'s `gpuLayout` option accepts. */
export const KERNEL_LAYOUT_OPTIONS: readonly ("auto" | KernelLayout)[] = [
  "auto",
  "thread",
  "workgroup",
];

/**
 * `busyInvocations` of a software adapter (llvmpipe): its invocations are SIMD lanes of a few CPU
 * cores, so a batch of a few hundred fits keeps it busy one invocation per fit, and a workgroup
 * per fit only adds barriers (3× slower measured on 2,000 fits × 1,024 points).
 */
export const SOFTWARE_BUSY_INVOCATIONS = 256;

/**
 * What `chooseKernelLayout` weighs besides the problem's size.
 *
 * @category Batch and GPU
 */
export interface KernelLayoutLimits {
  /** Points per fit from which every batch uses a workgroup per fit. @default 256 */
  minPoints: number;
  /**
   * Invocations a GPU needs in flight to be busy: a batch with fewer fits than this (and at
   * least `minPointsFewFits` points each) uses a workgroup per fit, since one invocation per fit
   * would leave most of the device idle. WebGPU does not report a device's parallelism; 16384
   * is what a mid-range GPU holds resident (an H100 holds about 270,000). `fitBatch` passes
   * `SOFTWARE_BUSY_INVOCATIONS` for a software adapter. @default 16384
   */
  busyInvocations: number;
  /** Fewest points per fit for which a small batch uses a workgroup per fit. @default 32 */
  minPointsFewFits: number;
  /** Free parameters (the reductions need 1 + F + F(F+1)/2 floats per invocation). @default 1 */
  nFree: number;
  /** Parameters. @default nFree */
  nParams: number;
  /** The device's workgroup memory in bytes. @default 16384 */
  maxComputeWorkgroupStorageSize: number;
}

/**
 * Picks the kernel layout for `nFits` fits of `nPoints` points: a workgroup per fit when the
 * points are many (≥ `minPoints`, 256) or the fits are few (< `busyInvocations`, 16384, with at
 * least 32 points each); one invocation per fit otherwise, and whenever the reductions of the
 * free parameters would not fit in workgroup memory with at least 8 invocations.
 *
 * @param nPoints points per fit.
 * @param nFits fits in the batch.
 * @param limits the thresholds, the free parameters and the device's workgroup memory.
 * @returns `"workgroup"` or `"thread"`.
 *
 * @example
 * ```ts
 * import { chooseKernelLayout } from "./kernel_layout.ts";
 * chooseKernelLayout(4096, 200); // "workgroup": many points
 * chooseKernelLayout(25, 1_000_000); // "thread": Gpufit's 5×5 benchmark
 * chooseKernelLayout(64, 1000); // "workgroup": too few fits to fill a GPU one per invocation
 * chooseKernelLayout(64, 1_000_000); // "thread"
 * ```
 *
 * @category Batch and GPU
 */
export function chooseKernelLayout(
  nPoints: number,
  nFits: number,
  limits: Partial<KernelLayoutLimits> = {},
): KernelLayout {
  const nFree = limits.nFree ?? 1;
  const fits = lmWorkgroupSize(
    nFree,
    limits.nParams ?? nFree,
    limits.maxComputeWorkgroupStorageSize,
  ) > 0;
  if (!fits) return "thread";
  if (nPoints >= (limits.minPoints ?? 256)) return "workgroup";
  if (
    nFits < (limits.busyInvocations ?? 16384) && nPoints >= (limits.minPointsFewFits ?? 32)
  ) return "workgroup";
  return "thread";
}

/** A generated LM kernel and how to dispatch it. */
export interface LmKernel {
  /** The layout. */
  layout: KernelLayout;
  /** WGSL source. */
  code: string;
  /** Fits per workgroup: dispatch ⌈fits / fitsPerWorkgroup⌉ workgroups. */
  fitsPerWorkgroup: number;
}

/**
 * The LM kernel of `layout` for `spec`. Throws a `RangeError` when a workgroup per fit is asked
 * for but the reductions of the free parameters do not fit in the device's workgroup memory.
 *
 * @param layout the layout.
 * @param spec the model and problem shape.
 * @param maxWorkgroupStorage the device's `maxComputeWorkgroupStorageSize`.
 * @returns the WGSL and the dispatch shape.
 *
 * @example
 * ```ts
 * import { lmKernel } from "./kernel_layout.ts";
 * import { emitWgsl } from "./wgsl_codegen.ts";
 * import { parse } from "../lib/expr/parser.ts";
 * const model = emitWgsl([parse("a*x"), parse("x")], { a: "p[0]", x: "xv[0]" });
 * const spec = { P: 1, N: 1000, nVars: 1, varsPerFit: false, weightsMode: 0 as const, model };
 * lmKernel("workgroup", spec, 16384).fitsPerWorkgroup; // 1
 * lmKernel("thread", spec, 16384).fitsPerWorkgroup; // 64
 * ```
 */
export function lmKernel(
  layout: KernelLayout,
  spec: LmKernelSpec,
  maxWorkgroupStorage: number,
): LmKernel {
  if (layout === "thread") {
    return { layout, code: lmKernelWgsl(spec), fitsPerWorkgroup: LM_WORKGROUP };
  }
  const nFree = spec.free ? Array.from(spec.free).filter((f) => f !== 0).length : spec.P;
  const w = workgroupSizeOrThrow(nFree, spec.P, maxWorkgroupStorage);
  return { layout, code: lmKernelWgWgsl(spec, w), fitsPerWorkgroup: 1 };
}

/**
 * The workgroup size of the workgroup-per-fit kernel (`lmWorkgroupSize`); a `RangeError` naming
 * `gpuLayout` when the reductions of the free parameters do not fit in workgroup memory.
 *
 * @param nFree free parameters.
 * @param nParams parameters.
 * @param maxWorkgroupStorage the device's `maxComputeWorkgroupStorageSize`.
 * @returns the workgroup size.
 *
 * @example
 * ```ts
 * import { workgroupSizeOrThrow } from "./kernel_layout.ts";
 * workgroupSizeOrThrow(5, 5, 16384); // 64
 * ```
 */
export function workgroupSizeOrThrow(
  nFree: number,
  nParams: number,
  maxWorkgroupStorage: number,
): number {
  const w = lmWorkgroupSize(nFree, nParams, maxWorkgroupStorage);
  if (w === 0) {
    throw new RangeError(
      `gpuLayout "workgroup": the reductions of ${nFree} free parameters need more than the ${maxWorkgroupStorage} bytes of workgroup memory the device has; use "thread" or "auto"`,
    );
  }
  return w;
}
