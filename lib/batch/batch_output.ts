/**
 * `allocBatchOutput`: caller-owned result buffers for `fitBatch`'s `out` option, reused across
 * calls (streaming a large file through `fitBatch` in blocks, as Gpufit's output pointers).
 *
 * @module
 */

import type { BaseModel } from "../model/model.ts";
import type { BatchModelSpec } from "../model/expression_model.ts";
import { batchColumns, type BatchOutput, type FitBatchOptions } from "./fit_batch.ts";

/**
 * Allocates the result buffers of `nFits` fits of `model` with start values `params` (the
 * same `params` as `fitBatch`'s: they decide which parameters vary, hence `correl`'s width, and
 * which constrained parameters of a `Parameters` input are `derived`). Pass them as `fitBatch`'s
 * `out` on every call: the result's arrays are these buffers (views of their first rows when a
 * call has fewer fits, as a stream's last block), and each call overwrites them.
 *
 * @param nFits the most fits one call will fit.
 * @param model the model, as `fitBatch`'s.
 * @param params the start values, as `fitBatch`'s `params`.
 * @returns zeroed buffers: values and stderr nFits × P, correl nFits × F(F−1)/2, chisqr, nIter,
 *   statusCode and each derived parameter nFits.
 *
 * @example
 * ```ts
 * import { allocBatchOutput, fitBatch } from "../../mod.ts";
 * const x = Float64Array.from({ length: 16 }, (_, i) => i / 4);
 * const params = { a: 1, tau: { value: 1, min: 0.1 } };
 * const out = allocBatchOutput(1000, "a*exp(-x/tau)", params);
 * out.correl.length; // 1000: one pair (a, tau) per fit
 * // Stream blocks of up to 1,000 datasets through the same buffers.
 * for (const taus of [[1, 2, 3], [0.5, 4]]) {
 *   const y = Float64Array.from(taus.flatMap((t) => Array.from(x, (v) => 2 * Math.exp(-v / t))));
 *   const r = await fitBatch("a*exp(-x/tau)", { x, y, params, device: "cpu", out });
 *   r.values.buffer === out.values.buffer; // true: no fresh result memory
 *   r.get("tau"); // ≈ taus; copy what you keep before the next block overwrites it
 * }
 * ```
 *
 * @category Batch and GPU
 */
export function allocBatchOutput(
  nFits: number,
  model: BaseModel | string | BatchModelSpec | { batchSpec(): BatchModelSpec },
  params: FitBatchOptions["params"],
): BatchOutput {
  if (!Number.isInteger(nFits) || nFits < 0) {
    throw new RangeError(`allocBatchOutput: nFits must be a whole number ≥ 0, got ${nFits}`);
  }
  const { paramNames, free, derivedNames } = batchColumns(model, params, "allocBatchOutput");
  const P = paramNames.length;
  const F = free.reduce((a, v) => a + v, 0);
  const derived: Record<string, Float64Array> = {};
  for (const name of derivedNames) derived[name] = new Float64Array(nFits);
  return {
    values: new Float64Array(nFits * P),
    stderr: new Float64Array(nFits * P),
    correl: new Float64Array((nFits * F * (F - 1)) / 2),
    chisqr: new Float64Array(nFits),
    nIter: new Int32Array(nFits),
    statusCode: new Int32Array(nFits),
    derived,
  };
}
