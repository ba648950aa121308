/**
 * Plotting for lmfit-ts: pictures of a fit, kept out of the main entry point so that importing
 * `mod.ts` stays light (Vega and Vega-Lite are loaded only by this module).
 *
 * ## What is here
 *
 * - {@linkcode plotFit}: an SVG document of data, best fit, components and residuals, drawn with
 *   Vega-Lite and rendered headless (no browser, no canvas).
 * - {@linkcode PlottableFit}: what a plot needs of a result; a `ModelResult` has all of it, and a
 *   hand-made object works too.
 *
 * In a Jupyter notebook (Deno's kernel) a `ModelResult` already shows an inline SVG plot without
 * this module: its display uses a small dependency-free SVG writer.
 *
 * ## Example
 *
 * ```ts
 * import { GaussianModel } from "./mod.ts";
 * import { plotFit } from "./plot.ts";
 *
 * const x = Float64Array.from({ length: 51 }, (_, i) => -5 + i / 5);
 * const y = x.map((v) => 3 * Math.exp(-((v - 0.5) ** 2) / 2));
 * const model = new GaussianModel();
 * const result = await model.fit(y, model.guess(y, { x }), { x });
 * const svg = await plotFit(result, { title: "one Gaussian", xLabel: "energy (eV)" });
 * svg.startsWith("<svg"); // true: write it with Deno.writeTextFile("fit.svg", svg)
 * ```
 *
 * @module
 */

export { plotFit, type PlotFitOptions, type PlottableFit } from "./lib/plot/plot_fit.ts";
