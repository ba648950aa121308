/**
 * Min/max decimation for plots of large data: per pixel column, the points with the smallest
 * and the largest y. Drawn with a vertical rule between them (`minMaxBands`), they cover the
 * pixels that all the points would, with a few marks per column.
 *
 * @module
 */

/** Per column, the index of the lowest and of the highest finite point (-1: none). */
function columnExtremes(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  bins: number,
): { lowest: Int32Array; highest: Int32Array; x0: number; width: number } {
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
  return { lowest, highest, x0: lo, width: scale > 0 ? 1 / scale : 0 };
}

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
  const { lowest, highest } = columnExtremes(x, y, bins);
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

/**
 * The extent of y in each of `bins` equal-width columns of the x range that holds a point:
 * the column's centre and its lowest and highest y. A vertical rule from `lo` to `hi` at each
 * `x` covers what a scatter of all the points covers.
 *
 * @param x the x values.
 * @param y the y values (same length).
 * @param bins number of columns, e.g. the plot's width in pixels.
 * @returns one entry per non-empty column, in x order.
 *
 * @example
 * ```ts
 * import { minMaxBands } from "./decimate.ts";
 * const bands = minMaxBands([0, 0.1, 0.2, 1.9, 2], [5, 1, 3, 7, 8], 2);
 * bands; // [{ x: 0.5, lo: 1, hi: 5 }, { x: 1.5, lo: 7, hi: 8 }]
 * ```
 */
export function minMaxBands(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  bins: number,
): { x: number; lo: number; hi: number }[] {
  const { lowest, highest, x0, width } = columnExtremes(x, y, bins);
  const out: { x: number; lo: number; hi: number }[] = [];
  for (let b = 0; b < bins; b++) {
    if (lowest[b] < 0) continue;
    out.push({ x: x0 + (b + 0.5) * width, lo: y[lowest[b]], hi: y[highest[b]] });
  }
  return out;
}
