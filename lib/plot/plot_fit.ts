/**
 * SVG plots of a model fit: data, best fit, initial fit, components, and residuals below,
 * drawn with Vega-Lite (compiled to Vega and rendered headless to SVG).
 *
 * @module
 */

// Pinned here rather than in deno.json, so that a script importing this library by path (outside
// the checkout, or in Deno's Jupyter kernel) resolves it without our config.
// deno-lint-ignore no-import-prefix
import * as vega from "npm:vega@6.4.0";
// deno-lint-ignore no-import-prefix
import * as vl from "npm:vega-lite@6.5.0";
import { minMaxBands, minMaxDecimate } from "./decimate.ts";
import { checkOptions, optionKeys } from "../util/options.ts";

/**
 * What `plotFit` needs of a result (a `ModelResult` has all of it).
 *
 * @example
 * ```ts
 * import { plotFit, type PlottableFit } from "./plot_fit.ts";
 * const x = Float64Array.of(0, 1, 2, 3), data = Float64Array.of(0.1, 0.9, 2.1, 2.9);
 * const bestFit = x.slice(); // a hand-made "fit" y = x, no ModelResult needed
 * const fit: PlottableFit = { data, bestFit, userVars: { x }, residual: bestFit.map((v, i) => v - data[i]) };
 * const svg = await plotFit(fit, { title: "hand-made fit" });
 * svg.includes("hand-made fit"); // true
 * ```
 *
 * @category Plotting
 */
export interface PlottableFit {
  /** The fitted data. */
  data: Float64Array;
  /** The model at the best-fit values. */
  bestFit: Float64Array;
  /** The model at the start values. */
  initFit?: Float64Array;
  /** Independent variables by name. */
  userVars: Record<string, Float64Array>;
  /** Residual at the best fit. */
  residual: Float64Array;
  /** Each component at the best fit, by prefix. */
  evalComponents?: () => Record<string, Float64Array>;
  /** The fitted model (for component and axis names). */
  model?: { components: unknown[]; independentVars: string[] };
}

/**
 * Options of `plotFit`.
 *
 * @example
 * ```ts
 * import { GaussianModel } from "../../mod.ts";
 * import { plotFit, type PlotFitOptions } from "../../plot.ts";
 * const x = Float64Array.from({ length: 41 }, (_, i) => -4 + i / 5);
 * const y = x.map((v) => 10 * Math.exp(-v * v / 2));
 * const model = new GaussianModel();
 * const result = await model.fit(y, model.makeParams({ amplitude: 20, center: 1, sigma: 2 }), { x });
 * const options: PlotFitOptions = { width: 400, height: 240, initFit: true, residuals: false, xLabel: "energy (eV)", yLabel: "counts" };
 * const svg = await plotFit(result, options);
 * svg.includes("energy (eV)"); // true
 * ```
 *
 * @category Plotting
 */
export interface PlotFitOptions {
  /** Title above the plot. @default "" */
  title?: string;
  /** Width in pixels. @default 640 */
  width?: number;
  /** Height of the main panel in pixels. @default 360 */
  height?: number;
  /** Draw each component of a composite model. @default true */
  components?: boolean;
  /** Draw the initial fit. @default false */
  initFit?: boolean;
  /** Draw the residual panel. @default true */
  residuals?: boolean;
  /** Axis labels. @default "x" and "y" */
  xLabel?: string;
  /** Axis label of the data. */
  yLabel?: string;
}

const PLOT_FIT_KEYS = optionKeys<PlotFitOptions>({
  title: true,
  width: true,
  height: true,
  components: true,
  initFit: true,
  residuals: true,
  xLabel: true,
  yLabel: true,
});

/** Series longer than this are drawn min/max-decimated (see `minMaxDecimate`). */
const DECIMATE_ABOVE = 4000;

/**
 * Renders the fit as an SVG document (a string). Async. A series of more than 4,000 points is
 * drawn min/max-decimated per pixel column: curves keep each column's lowest and highest point,
 * data and residuals become one vertical rule per column from its lowest to its highest point.
 * That covers the same pixels, so a plot of a million points has about two thousand marks.
 *
 * @example
 * ```ts
 * import { GaussianModel } from "../../mod.ts";
 * import { plotFit } from "../../plot.ts";
 * const x = Float64Array.from({ length: 51 }, (_, i) => -5 + i / 5);
 * const y = x.map((v) => Math.exp(-v * v / 2));
 * const model = new GaussianModel();
 * const result = await model.fit(y, model.guess(y, { x }), { x });
 * const svg = await plotFit(result, { title: "Gaussian" });
 * svg.startsWith("<svg"); // true
 * ```
 *
 * @category Plotting
 */
export async function plotFit(result: PlottableFit, options: PlotFitOptions = {}): Promise<string> {
  checkOptions(options, PLOT_FIT_KEYS, "plotFit");
  const width = options.width ?? 640;
  const height = options.height ?? 360;
  const xName = result.model?.independentVars[0] ?? Object.keys(result.userVars)[0];
  const x = result.userVars[xName];
  // Above a few thousand points, each series is drawn min/max-decimated per pixel column.
  // Lines keep each column's lowest and highest point (`minMaxDecimate`).
  const decimate = x.length > DECIMATE_ABOVE;
  const pick = (ys: ArrayLike<number>): ArrayLike<number> =>
    decimate ? minMaxDecimate(x, ys, width) : Array.from({ length: x.length }, (_, i) => i);
  const lines: { x: number; y: number; curve: string }[] = [];
  const addCurve = (name: string, ys: ArrayLike<number>) => {
    for (const i of Array.from(pick(ys))) {
      if (Number.isFinite(ys[i])) lines.push({ x: x[i], y: ys[i], curve: name });
    }
  };
  addCurve("best fit", result.bestFit);
  if (options.initFit && result.initFit) addCurve("initial fit", result.initFit);
  const comps = (options.components ?? true) && result.evalComponents &&
      (result.model?.components.length ?? 1) > 1
    ? result.evalComponents()
    : {};
  for (const [name, ys] of Object.entries(comps)) addCurve(`component ${name}`, ys);
  const xEnc = {
    field: "x",
    type: "quantitative",
    title: options.xLabel ?? xName,
    scale: { zero: false },
  };
  // Data and residuals: a dot per point, or, decimated, a rule per pixel column from its lowest
  // to its highest point (with round caps, a lone point is a dot), which covers the pixels a dot
  // per point would, in `width` marks instead of a million.
  const scatter = (ys: ArrayLike<number>, color: string, size: number, y: object) =>
    decimate
      ? {
        data: { values: minMaxBands(x, ys, width) },
        mark: { type: "rule", color, strokeWidth: Math.sqrt(size), strokeCap: "round" },
        encoding: { x: xEnc, y: { ...y, field: "lo" }, y2: { field: "hi" } },
      }
      : {
        data: { values: Array.from(ys, (v, i) => ({ x: x[i], y: v })) },
        mark: { type: "point", filled: true, size, color },
        encoding: { x: xEnc, y: { ...y, field: "y" } },
      };
  const main = {
    width,
    height,
    layer: [
      scatter(result.data, "#444", 18, {
        type: "quantitative",
        title: options.yLabel ?? "y",
        scale: { zero: false },
      }),
      {
        data: { values: lines },
        mark: { type: "line", strokeWidth: 2 },
        encoding: {
          x: xEnc,
          y: { field: "y", type: "quantitative" },
          color: { field: "curve", type: "nominal", title: null },
          strokeDash: {
            condition: { test: "indexof(datum.curve, 'component') >= 0", value: [5, 3] },
            value: [1, 0],
          },
        },
      },
    ],
  };
  const panels: unknown[] = [main];
  if (options.residuals ?? true) {
    panels.push({
      width,
      height: Math.round(height / 3),
      layer: [
        scatter(result.residual, "#1f77b4", 12, { type: "quantitative", title: "residual" }),
      ],
    });
  }
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: options.title ?? "",
    vconcat: panels,
    config: { background: "white" },
  };
  // deno-lint-ignore no-explicit-any
  const compiled = vl.compile(spec as any).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}
