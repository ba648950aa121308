/**
 * `fitBatch`: routes a batch to the per-fit path (`fitPrepared`: one GPU invocation or CPU loop
 * per fit) or, for a few huge datasets on the GPU, to `fitLarge`'s points-parallel reductions
 * (`fitLargeBatchOnGpu`). It sits above both modules, which do not import each other.
 *
 * @module
 */

import type { BaseModel } from "../model/model.ts";
import type { BatchModelSpec } from "../model/expression_model.ts";
import {
  type BatchResult,
  type BatchTiming,
  type FitBatchOptions,
  fitPrepared,
  prepareBatch,
  resultFromLm,
} from "./fit_batch.ts";
import { fitLargeBatchOnGpu } from "./fit_large.ts";
import { getGpu } from "../../gpu/device.ts";

/** Most fits the large route takes: more fill a GPU one invocation (or workgroup) per fit. */
export const LARGE_ROUTE_MAX_FITS = 256;

/** Fewest points per fit the large route takes. */
export const LARGE_ROUTE_MIN_POINTS = 100_000;

/**
 * Which GPU route suits a batch's shape: "large" for at most `LARGE_ROUTE_MAX_FITS` (256) fits of
 * at least `LARGE_ROUTE_MIN_POINTS` (100,000) points each, whose per-fit threads would leave
 * almost all of a GPU idle while each walks its points alone; "per-fit" otherwise. (On the CPU
 * both shapes run per fit, the Web Workers sharing the fits.)
 *
 * @param nFits fits in the batch.
 * @param nPoints points per fit.
 * @returns the route.
 *
 * @example
 * ```ts
 * import { batchRoute } from "../../mod.ts";
 * batchRoute(100, 1_000_000); // "large"
 * batchRoute(1_000_000, 25); // "per-fit"
 * batchRoute(10_000, 200_000); // "per-fit": enough fits to fill the GPU
 * ```
 *
 * @category Batch and GPU
 */
export function batchRoute(nFits: number, nPoints: number): "per-fit" | "large" {
  return nFits <= LARGE_ROUTE_MAX_FITS && nPoints >= LARGE_ROUTE_MIN_POINTS ? "large" : "per-fit";
}

/**
 * Fits `nFits` datasets of `nPoints` points with one model. On "gpu"/"auto" the whole LM loop
 * runs on the GPU (f32) when WebGPU and the model allow it, one invocation per fit; a few huge
 * datasets (`batchRoute`) instead run as `fitLarge` does, each LM step's sums over a fit's points
 * spread over the whole GPU and the fits' loops advancing together (`result.route` is "large";
 * an explicit `gpuLayout` keeps the per-fit kernel). Otherwise, and with "cpu", the same
 * algorithm runs on the CPU (f64) and `reason` says why.
 * Async.
 *
 * @example
 * ```ts
 * import { fitBatch } from "../../mod.ts";
 * const x = Float64Array.from({ length: 32 }, (_, i) => i / 4 - 4);
 * const y = new Float64Array(2 * 32);
 * [[2, 0.5], [3, -1]].forEach(([a, c], b) => x.forEach((v, i) => (y[b * 32 + i] = a * Math.exp(-((v - c) ** 2)))));
 * const r = await fitBatch("amp*exp(-(x-cen)**2)", { x, y, params: { amp: 1, cen: 0 }, device: "cpu" });
 * r.get("cen"); // ≈ [0.5, -1]
 * ```
 *
 * @category Batch and GPU
 */
export async function fitBatch(
  model: BaseModel | string | BatchModelSpec | { batchSpec(): BatchModelSpec },
  options: FitBatchOptions,
): Promise<BatchResult> {
  const prep = prepareBatch(model, options);
  const { nFits, nPoints, free } = prep.prob;
  const device = options.device ?? "auto";
  // An explicit gpuLayout asks for the per-fit kernel with that layout.
  const auto = (options.gpuLayout ?? "auto") === "auto";
  if (
    device !== "cpu" && auto && batchRoute(nFits, nPoints) === "large" && free.some((f) => f)
  ) {
    const gpu = await getGpu();
    // The same choice of device as the per-fit path's (a large batch is above any threshold).
    if (
      gpu &&
      (device === "gpu" || (!gpu.software && nFits * nPoints >= (options.gpuThreshold ?? 200_000)))
    ) {
      const t0 = performance.now();
      // Points per chunk within gpuLimits' binding and buffer sizes, if given.
      const lim = options.gpuLimits;
      const bytes = Math.min(
        lim?.maxStorageBufferBindingSize ?? Infinity,
        lim?.maxBufferSize ?? Infinity,
      );
      const chunkPoints = Number.isFinite(bytes)
        ? Math.max(1, Math.floor(bytes / (4 * Math.max(1, prep.prob.vars.length))))
        : undefined;
      const { out, reason } = await fitLargeBatchOnGpu(
        prep.spec,
        prep.prob,
        prep.settings,
        chunkPoints,
      );
      if (out) {
        const timing: BatchTiming = {
          uploadMs: 0,
          kernelMs: 0,
          readbackMs: 0,
          fitMs: performance.now() - t0,
          statisticsMs: 0,
          totalMs: 0,
          chunks: 0,
        };
        return await resultFromLm(
          prep,
          out,
          "gpu",
          `${reason}; ${nFits} fits × ${nPoints} points: points-parallel reductions per fit`,
          timing,
        );
      }
      // The GPU cannot run it (model or device): the per-fit path finds that out again and
      // falls back to the CPU with the reason.
    }
  }
  return await fitPrepared(prep);
}
