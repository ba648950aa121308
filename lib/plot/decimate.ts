/**
 * Min/max decimation for plots of large data: per pixel column, the points with the smallest
 * and the largest y. Drawn, they cover the same pixels as all the points would (every column's
 * extent is kept), with at most two marks per column.
 *
 * @module
 */

/**
 * Indices of the points to draw: in each of `bins` equal-width columns of the x range, the
 * point with the smallest and the one with the largest y (one when they coincide), in column
 * order and, within a column, in index order. Points with a non-finite x or y are skipped.
 *
 * @param x the x values.
 * @param y the y values (same length).
 * @param bins number of columns, e.g. the plot's width in pixels.
 * @returns at most `2 * bins` indices into `x` and `y`.
 *
 * @example
 * ```ts
 * import { minMaxDecimate } from "./decimate.ts";
 * const x = Float64Array.from({ length: 1000 }, (_, i) => i);
 * const y = x.map((v) => Math.sin(v / 50));
 * const keep = minMaxDecimate(x, y, 100);
 * keep.length <= 200; // true
 * ```
 */
export function minMaxDecimate(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  bins: number,
): Uint32Array {
  const n = x.length;
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const lowest = new Int32Array(bins).fill(-1), highest = new Int32Array(bins).fill(-1);
  const scale = hi > lo && Number.isFinite(hi - lo) ? bins / (hi - lo) : 0;
  for (let i = 0; i < n; i++) {
    const xv = x[i], yv = y[i];
    if (!Number.isFinite(xv) || !Number.isFinite(yv)) continue;
    let b = Math.floor((xv - lo) * scale);
    if (b >= bins) b = bins - 1;
    if (lowest[b] < 0 || yv < y[lowest[b]]) lowest[b] = i;
    if (highest[b] < 0 || yv > y[highest[b]]) highest[b] = i;
  }
  const out = new Uint32Array(2 * bins);
  let k = 0;
  for (let b = 0; b < bins; b++) {
    const a = lowest[b], c = highest[b];
    if (a < 0) continue;
    if (a === c) out[k++] = a;
    else {
      out[k++] = Math.min(a, c);
      out[k++] = Math.max(a, c);
    }
  }
  return out.slice(0, k);
}
