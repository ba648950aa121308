/**
 * A small, dependency-free SVG plot of a 1-D fit: data as points, best fit and components as
 * lines, residuals (model − data, as lmfit's `plot_residuals`) in a panel below. It is what a
 * `ModelResult` shows inline in Jupyter; `plot.ts`'s Vega-Lite `plotFit` draws richer figures but
 * loads Vega, which `mod.ts` does not.
 *
 * @module
 */

import { formatG } from "../util/format.ts";
import { escapeHtml } from "./mime.ts";

/**
 * The curves of a fit to draw with `fitSvg`.
 *
 * @example
 * ```ts
 * import { type FitCurves, fitSvg } from "../../mod.ts";
 * const x = Float64Array.of(0, 1, 2, 3);
 * const curves: FitCurves = { x, data: Float64Array.of(0.1, 1.1, 1.9, 3.2), bestFit: x };
 * fitSvg(curves).startsWith("<svg"); // true
 * ```
 *
 * @category Input/output
 */
export interface FitCurves {
  /** The independent variable. */
  x: ArrayLike<number>;
  /** The data, drawn as points. */
  data: ArrayLike<number>;
  /** The model at the best fit, drawn as a line. */
  bestFit: ArrayLike<number>;
  /** The model at the start values, drawn dotted. */
  initFit?: ArrayLike<number>;
  /** Components by name, drawn dashed. */
  components?: Record<string, ArrayLike<number>>;
  /** Draw the residual panel (bestFit − data). @default true */
  residuals?: boolean;
  /** Title above the plot. @default "" */
  title?: string;
  /** Label of the x axis. @default "x" */
  xLabel?: string;
  /** Label of the y axis. @default "y" */
  yLabel?: string;
  /** Width in pixels. @default 640 */
  width?: number;
  /** Height of the main panel in pixels. @default 320 */
  height?: number;
}

const COLORS = ["#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22"];
const FIT_COLOR = "#d62728";
const DATA_COLOR = "#1f77b4";

/**
 * Draws a fit as an SVG element (a string): data, best fit, optional initial fit and components,
 * a legend, axes with ticks, and the residuals below. Points or line segments with non-finite
 * values are left out.
 *
 * @example
 * ```ts
 * import { fitSvg } from "../../mod.ts";
 * const x = Float64Array.from({ length: 50 }, (_, i) => i / 10);
 * const fit = x.map((v) => Math.exp(-v));
 * const data = fit.map((v, i) => v + 0.02 * Math.sin(9 * i));
 * const svg = fitSvg({ x, data, bestFit: fit, title: "decay", xLabel: "t (s)" });
 * svg.includes("<polyline") && svg.includes("t (s)"); // true
 * ```
 *
 * @category Input/output
 */
export function fitSvg(curves: FitCurves): string {
  const width = curves.width ?? 640;
  const mainH = curves.height ?? 320;
  const withResid = curves.residuals ?? true;
  const residH = withResid ? Math.round(mainH / 3) : 0;
  const left = 64, right = 16, top = curves.title ? 28 : 12, gap = 28, bottom = 40;
  const plotW = width - left - right;
  const height = top + mainH + (withResid ? gap + residH : 0) + bottom;
  const n = curves.x.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => curves.x[a] - curves.x[b]);
  const lines: { name: string; y: ArrayLike<number>; color: string; dash: string; w: number }[] =
    [];
  if (curves.initFit) {
    lines.push({ name: "initial fit", y: curves.initFit, color: "#7f7f7f", dash: "2,3", w: 1.5 });
  }
  Object.entries(curves.components ?? {}).forEach(([name, y], k) =>
    lines.push({ name, y, color: COLORS[k % COLORS.length], dash: "6,4", w: 1.5 })
  );
  lines.push({ name: "best fit", y: curves.bestFit, color: FIT_COLOR, dash: "", w: 2 });

  const xr = range([curves.x]);
  const yr = range([curves.data, ...lines.map((l) => l.y)]);
  const resid = Array.from({ length: n }, (_, i) => curves.bestFit[i] - curves.data[i]);
  const rr = range([resid, [0]]);
  const sx = scale(xr, left, left + plotW);
  const sy = scale(yr, top + mainH, top);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
  ];
  if (curves.title) {
    out.push(
      `<text x="${width / 2}" y="18" text-anchor="middle" font-size="13">${
        escapeHtml(curves.title)
      }</text>`,
    );
  }
  axes(out, sx, sy, xr, yr, left, top, plotW, mainH, curves.yLabel ?? "y", !withResid);
  for (const l of lines) {
    for (const seg of segments(order, curves.x, l.y)) {
      out.push(
        `<polyline fill="none" stroke="${l.color}" stroke-width="${l.w}"${
          l.dash ? ` stroke-dasharray="${l.dash}"` : ""
        } points="${seg.map(([xv, yv]) => `${num(sx(xv))},${num(sy(yv))}`).join(" ")}"/>`,
      );
    }
  }
  out.push(points(order, curves.x, curves.data, sx, sy, DATA_COLOR, 2.5));
  // Legend, top right.
  const entries = [
    { name: "data", color: DATA_COLOR, dash: "", point: true },
    ...lines.map((l) => ({ ...l, point: false })),
  ];
  const legendW = 12 + Math.max(...entries.map((e) => e.name.length)) * 6.5 + 24;
  const lx = left + plotW - legendW - 6, ly = top + 6;
  out.push(
    `<rect x="${num(lx)}" y="${ly}" width="${num(legendW)}" height="${
      entries.length * 16 + 6
    }" fill="white" fill-opacity="0.85" stroke="#ccc"/>`,
  );
  entries.forEach((e, k) => {
    const y = ly + 14 + k * 16;
    out.push(
      e.point
        ? `<circle cx="${num(lx + 16)}" cy="${y - 4}" r="2.5" fill="${e.color}"/>`
        : `<line x1="${num(lx + 6)}" x2="${num(lx + 26)}" y1="${y - 4}" y2="${
          y - 4
        }" stroke="${e.color}" stroke-width="2"${e.dash ? ` stroke-dasharray="${e.dash}"` : ""}/>`,
      `<text x="${num(lx + 32)}" y="${y}">${escapeHtml(e.name)}</text>`,
    );
  });
  if (withResid) {
    const rTop = top + mainH + gap;
    const sr = scale(rr, rTop + residH, rTop);
    axes(out, sx, sr, xr, rr, left, rTop, plotW, residH, "residual", true);
    out.push(
      `<line x1="${left}" x2="${left + plotW}" y1="${num(sr(0))}" y2="${
        num(sr(0))
      }" stroke="#999"/>`,
    );
    out.push(points(order, curves.x, resid, sx, sr, DATA_COLOR, 2));
  }
  out.push(
    `<text x="${left + plotW / 2}" y="${height - 6}" text-anchor="middle">${
      escapeHtml(curves.xLabel ?? "x")
    }</text>`,
    "</svg>",
  );
  return out.join("\n");
}

type Range = [number, number];

function range(arrays: ArrayLike<number>[]): Range {
  let lo = Infinity, hi = -Infinity;
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (Number.isFinite(v)) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
  }
  if (lo > hi) return [0, 1];
  if (lo === hi) return [lo - 0.5 * (Math.abs(lo) || 1), hi + 0.5 * (Math.abs(hi) || 1)];
  const pad = 0.04 * (hi - lo);
  return [lo - pad, hi + pad];
}

function scale([lo, hi]: Range, p0: number, p1: number): (v: number) => number {
  return (v) => p0 + ((v - lo) / (hi - lo)) * (p1 - p0);
}

function num(v: number): string {
  return (Math.round(v * 100) / 100).toString();
}

/** About `count` round tick values inside the range (steps of 1, 2 or 5 × 10^k). */
function ticks([lo, hi]: Range, count: number): number[] {
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let k = Math.ceil(lo / step); k * step <= hi; k++) out.push(k * step);
  return out;
}

function axes(
  out: string[],
  sx: (v: number) => number,
  sy: (v: number) => number,
  xr: Range,
  yr: Range,
  left: number,
  top: number,
  w: number,
  h: number,
  yLabel: string,
  xTickLabels: boolean,
): void {
  out.push(`<rect x="${left}" y="${top}" width="${w}" height="${h}" fill="none" stroke="#444"/>`);
  for (const t of ticks(xr, 8)) {
    const x = num(sx(t));
    out.push(`<line x1="${x}" x2="${x}" y1="${top + h}" y2="${top + h + 4}" stroke="#444"/>`);
    if (xTickLabels) {
      out.push(`<text x="${x}" y="${top + h + 15}" text-anchor="middle">${tickLabel(t)}</text>`);
    }
  }
  for (const t of ticks(yr, Math.max(3, Math.round(h / 50)))) {
    const y = num(sy(t));
    out.push(
      `<line x1="${left - 4}" x2="${left}" y1="${y}" y2="${y}" stroke="#444"/>`,
      `<text x="${left - 6}" y="${y}" dy="3.5" text-anchor="end">${tickLabel(t)}</text>`,
    );
  }
  out.push(
    `<text transform="translate(14 ${top + h / 2}) rotate(-90)" text-anchor="middle">${
      escapeHtml(yLabel)
    }</text>`,
  );
}

function tickLabel(t: number): string {
  return formatG(Math.abs(t) < 1e-12 ? 0 : t, 4);
}

function segments(
  order: number[],
  x: ArrayLike<number>,
  y: ArrayLike<number>,
): [number, number][][] {
  const segs: [number, number][][] = [];
  let cur: [number, number][] = [];
  for (const i of order) {
    if (Number.isFinite(x[i]) && Number.isFinite(y[i])) cur.push([x[i], y[i]]);
    else if (cur.length) {
      segs.push(cur);
      cur = [];
    }
  }
  if (cur.length) segs.push(cur);
  return segs;
}

function points(
  order: number[],
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  sx: (v: number) => number,
  sy: (v: number) => number,
  color: string,
  r: number,
): string {
  const dots: string[] = [];
  for (const i of order) {
    if (Number.isFinite(x[i]) && Number.isFinite(y[i])) {
      dots.push(`<circle cx="${num(sx(x[i]))}" cy="${num(sy(y[i]))}" r="${r}"/>`);
    }
  }
  return `<g fill="${color}">${dots.join("")}</g>`;
}
