/**
 * A fit as lmfit's HTML report (`MinimizerResult._repr_html_`, lmfit 1.1's
 * `printfuncs.fitreport_html_table`): fit statistics, the parameter table and the sorted
 * correlations; for a model fit, lmfit's `ModelResult._repr_html_` heading with the model's name,
 * and an inline SVG plot of data, fit, components and residuals.
 *
 * @module
 */

import { formatF, gformat } from "../util/format.ts";
import { type DisplayParameter, paramsHtml } from "./params_html.ts";
import { escapeHtml, type MimeBundle } from "./mime.ts";
import { fitSvg } from "./svg_plot.ts";
import { checkOptions, optionKeys } from "../util/options.ts";

/**
 * What the HTML fit report reads of a result (a `MinimizerResult` or `ModelResult` has all of it).
 *
 * @example
 * ```ts
 * import { type DisplayFit, fitReportHtml, minimize, Parameters } from "../../mod.ts";
 * const p = new Parameters();
 * p.add("a", { value: 1 });
 * const result: DisplayFit = await minimize((q) => [q.get("a")!.value - 3, 0.1], p);
 * fitReportHtml(result).includes("<h2>Fit Statistics</h2>"); // true
 * ```
 *
 * @category Input/output
 */
export interface DisplayFit {
  /** Fitting method. */
  readonly method: string;
  /** Objective evaluations. */
  readonly nfev: number;
  /** Data points. */
  readonly ndata: number;
  /** Varied parameters. */
  readonly nvarys: number;
  /** Chi-square. */
  readonly chisqr: number;
  /** Reduced chi-square. */
  readonly redchi: number;
  /** Akaike information criterion. */
  readonly aic: number;
  /** Bayesian information criterion. */
  readonly bic: number;
  /** Coefficient of determination (model fits). */
  readonly rsquared?: number;
  /** The fitted parameters, with correlations. */
  readonly params: {
    values(): Iterable<DisplayParameter & { readonly correl: Record<string, number> | null }>;
  };
}

/**
 * Options of `fitReportHtml`, as lmfit's `_repr_html_(show_correl, min_correl)`.
 *
 * @example
 * ```ts
 * import { type FitReportHtmlOptions } from "../../mod.ts";
 * const options: FitReportHtmlOptions = { showCorrel: true, minCorrel: 0.5 };
 * ```
 *
 * @category Input/output
 */
export interface FitReportHtmlOptions {
  /** List the correlations between varied parameters. @default true */
  showCorrel?: boolean;
  /** Smallest absolute correlation listed. @default 0.1 */
  minCorrel?: number;
}

const FIT_REPORT_HTML_KEYS = optionKeys<FitReportHtmlOptions>({
  showCorrel: true,
  minCorrel: true,
});

/**
 * The HTML fit report lmfit shows in Jupyter for a `MinimizerResult`: "Fit Statistics",
 * "Variables" (the `paramsHtml` table) and "Correlations", largest first.
 *
 * @example
 * ```ts
 * import { fitReportHtml, GaussianModel } from "../../mod.ts";
 * const x = Float64Array.from({ length: 41 }, (_, i) => -4 + i / 5);
 * const y = x.map((v) => 2 * Math.exp(-((v - 0.3) ** 2) / 2) + 0.01 * Math.sin(7 * v));
 * const model = new GaussianModel();
 * const result = await model.fit(y, model.guess(y, { x }), { x });
 * const html = fitReportHtml(result, { minCorrel: 0.3 });
 * html.includes("<td>R-squared</td>"); // true
 * ```
 *
 * @category Input/output
 */
export function fitReportHtml(result: DisplayFit, options: FitReportHtmlOptions = {}): string {
  checkOptions(options, FIT_REPORT_HTML_KEYS, "fitReportHtml");
  const showCorrel = options.showCorrel ?? true;
  const minCorrel = options.minCorrel ?? 0.1;
  const html: string[] = [];
  const statRow = (label: string, val: string | number, val2 = "") =>
    html.push(
      `<tr><td>${escapeHtml(label)}</td><td>${escapeHtml(String(val))}</td><td>${
        escapeHtml(val2)
      }</td></tr>`,
    );
  html.push("<h2>Fit Statistics</h2>", "<table>");
  statRow("fitting method", result.method);
  statRow("# function evals", result.nfev);
  statRow("# data points", result.ndata);
  statRow("# variables", result.nvarys);
  statRow("chi-square", gformat(result.chisqr));
  statRow("reduced chi-square", gformat(result.redchi));
  statRow("Akaike info crit.", gformat(result.aic));
  statRow("Bayesian info crit.", gformat(result.bic));
  if (result.rsquared !== undefined) statRow("R-squared", gformat(result.rsquared));
  html.push("</table>", "<h2>Variables</h2>");
  const params = [...result.params.values()];
  html.push(paramsHtml(params));
  if (showCorrel) {
    const correls: [string, string, number][] = [];
    params.forEach((p, i) => {
      if (!p.vary || !p.correl) return;
      for (const q of params.slice(i + 1)) {
        const c = p.correl[q.name];
        if (q.name !== p.name && c !== undefined && Math.abs(c) > minCorrel) {
          correls.push([p.name, q.name, c]);
        }
      }
    });
    if (correls.length > 0) {
      correls.sort((a, b) => Math.abs(b[2]) - Math.abs(a[2]));
      const extra = `(unreported correlations are &lt; ${formatF(minCorrel, 3)})`;
      html.push(`<h2>Correlations ${extra}</h2>`, "<table>");
      for (const [a, b, c] of correls) statRow(a, b, formatF(c, 4));
      html.push("</table>");
    }
  }
  return html.join("");
}

/**
 * What the model-fit display reads of a `ModelResult`.
 *
 * @example
 * ```ts
 * import { GaussianModel } from "../../mod.ts";
 * import type { DisplayModelFit } from "./fit_html.ts";
 * const x = Float64Array.from({ length: 21 }, (_, i) => -2 + i / 5);
 * const model = new GaussianModel();
 * const y = model.eval(model.makeParams({ amplitude: 1, center: 0, sigma: 0.5 }), { x });
 * const fit: DisplayModelFit = await model.fit(y, model.makeParams({ amplitude: 2, center: 0.1, sigma: 1 }), { x });
 * fit.model.name; // "Model(gaussian)"
 * ```
 *
 * @category Input/output
 */
export interface DisplayModelFit extends DisplayFit {
  /** The fitted model: its name, independent variables and components. */
  readonly model: { readonly name: string; readonly independentVars: string[] };
  /** The data. */
  readonly data: Float64Array;
  /** The model at the best fit. */
  readonly bestFit: Float64Array;
  /** The model at the start values. */
  readonly initFit: Float64Array;
  /** Independent variables by name. */
  readonly userVars: Record<string, Float64Array>;
  /** Each component at the best fit, by prefix. */
  evalComponents(): Record<string, Float64Array>;
  /** The text report. */
  fitReport(): string;
}

/**
 * The MIME bundle of a `MinimizerResult`: lmfit's HTML report and the text `fitReport`.
 *
 * @param result the fit.
 * @param text its text report.
 *
 * @example
 * ```ts
 * import { fitReport, minimize, Parameters } from "../../mod.ts";
 * import { fitResultBundle } from "./fit_html.ts";
 * const p = new Parameters();
 * p.add("a", { value: 1 });
 * const result = await minimize((q) => [q.get("a")!.value - 3, 0.1], p);
 * fitResultBundle(result, fitReport(result))["text/plain"].startsWith("[[Fit Statistics]]"); // true
 * ```
 *
 * @category Input/output
 */
export function fitResultBundle(result: DisplayFit, text: string): MimeBundle {
  return { "text/html": fitReportHtml(result), "text/plain": text };
}

/**
 * The MIME bundle of a `ModelResult`: lmfit's `ModelResult._repr_html_` (the model's name and the
 * HTML report), followed by an inline SVG plot of data, best fit, components and residuals when
 * the model has one independent variable of the data's length.
 *
 * @example
 * ```ts
 * import { GaussianModel } from "../../mod.ts";
 * import { modelFitBundle } from "./fit_html.ts";
 * const x = Float64Array.from({ length: 41 }, (_, i) => -4 + i / 5);
 * const y = x.map((v) => 2 * Math.exp(-((v - 0.3) ** 2) / 2));
 * const model = new GaussianModel();
 * const result = await model.fit(y, model.guess(y, { x }), { x });
 * const html = modelFitBundle(result)["text/html"];
 * html.includes("<h2> Model</h2>") && html.includes("<svg"); // true
 * ```
 *
 * @category Input/output
 */
export function modelFitBundle(result: DisplayModelFit): MimeBundle {
  const name = escapeHtml(result.model.name);
  let html = `<h2> Model</h2> ${name} ${fitReportHtml(result)}`;
  const xName = result.model.independentVars[0];
  const x = result.userVars[xName];
  const oneVariable = result.model.independentVars.length === 1;
  if (oneVariable && x && x.length === result.data.length && result.data.length > 0) {
    const components = result.evalComponents();
    html += `<h2>Plot</h2>${
      fitSvg({
        x,
        data: result.data,
        bestFit: result.bestFit,
        components: Object.keys(components).length > 1 ? components : undefined,
        xLabel: xName,
      })
    }`;
  }
  return { "text/html": html, "text/plain": result.fitReport() };
}
