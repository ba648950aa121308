/**
 * Fit reports in modern lmfit's layout: `[[Fit Statistics]]`, `[[Variables]]`,
 * `[[Correlations]]`.
 *
 * @module
 */

import { Parameters } from "../parameters.ts";
import { formatF, formatG, gformat } from "../util/format.ts";
import { compareAlphanumeric, compareKeys } from "./printfuncs.ts";
import { checkOptions, optionKeys } from "../util/options.ts";

/**
 * Options of `fitReport`.
 *
 * @example
 * ```ts
 * import { fitReport, type FitReportOptions, minimize, Parameters } from "../../mod.ts";
 * const x = [0, 1, 2, 3], y = [1.1, 2.9, 5.2, 6.8];
 * const params = new Parameters();
 * params.addMany(["slope", 1], ["offset", 0]);
 * const result = await minimize((p) => x.map((v, i) => p.get("slope")!.value * v + p.get("offset")!.value - y[i]), params);
 * const truth = new Parameters();
 * truth.addMany(["slope", 2], ["offset", 1]);
 * const options: FitReportOptions = { modelpars: truth, showCorrel: false, sortPars: true };
 * console.log(fitReport(result, options)); // offset before slope, each with "model_value = ..."
 * ```
 *
 * @category Fitting
 */
export interface FitReportOptions {
  /** Known true values to show beside each parameter (`model_value = ...`). */
  modelpars?: Parameters;
  /** Show the correlations table. @default true */
  showCorrel?: boolean;
  /** Smallest |correlation| shown. @default 0.1 */
  minCorrel?: number;
  /**
   * Sort parameters alphanumerically (true, lmfit's `alphanumeric_sort`) or with a key function
   * (a string, a number or an array of them, compared as Python compares keys: `alphanumericSort`
   * is one). @default false
   */
  sortPars?: boolean | ((name: string) => string | number | readonly (string | number)[]);
}

const FIT_REPORT_KEYS = optionKeys<FitReportOptions>({
  modelpars: true,
  showCorrel: true,
  minCorrel: true,
  sortPars: true,
});

/**
 * What `fitReport` reads from a result (a `MinimizerResult` or a `ModelResult`).
 *
 * @example
 * ```ts
 * import { fitReport, minimize, Parameters, type ReportableResult } from "../../mod.ts";
 * const summary = (r: ReportableResult) =>
 *   `${r.method}: ${r.nvarys} varied, ${r.ndata} points, reduced chi-square ${r.redchi.toPrecision(3)}`;
 * const params = new Parameters();
 * params.add("c", { value: 0 });
 * const result = await minimize((p) => [1, 2, 4].map((v) => v - p.get("c")!.value), params);
 * summary(result); // "leastsq: 1 varied, 3 points, reduced chi-square 2.33"
 * fitReport(result).startsWith("[[Fit Statistics]]"); // true
 * ```
 *
 * @category Fitting
 */
export interface ReportableResult {
  /** The fitted parameters. */
  params: Parameters;
  /** Fitting method. */
  method: string;
  /** Number of objective evaluations. */
  nfev: number;
  /** Number of data points. */
  ndata: number;
  /** Number of varied parameters. */
  nvarys: number;
  /** Chi-square of the fit. */
  chisqr: number;
  /** Reduced chi-square. */
  redchi: number;
  /** Akaike information criterion. */
  aic: number;
  /** Bayesian information criterion. */
  bic: number;
  /** Whether uncertainties were estimated. */
  errorbars: boolean;
  /** Coefficient of determination (model fits). */
  rsquared?: number;
  /** How uncertainties were estimated, or why not. */
  uncertaintyMethod?: string;
  /** Why a varied parameter has no standard error (e.g. "at bound: ..."), by name. */
  stderrNotes?: Record<string, string>;
}

export { gformat } from "../util/format.ts";

function isClose(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-8 + 1e-5 * Math.abs(b);
}

/**
 * The text report of a fit (or of a `Parameters` alone), as lmfit's `fit_report`.
 *
 * @example
 * ```ts
 * import { fitReport, minimize, Parameters } from "../../mod.ts";
 * const x = Float64Array.from({ length: 30 }, (_, i) => i);
 * const y = x.map((v) => 2 * v + 1 + Math.sin(v));
 * const p = new Parameters();
 * p.add("slope", { value: 1 });
 * p.add("offset", { value: 0 });
 * const result = await minimize((q) => x.map((v, i) => q.get("slope")!.value * v + q.get("offset")!.value - y[i]), p);
 * console.log(fitReport(result));
 * ```
 *
 * @category Fitting
 */
export function fitReport(
  input: ReportableResult | Parameters,
  options: FitReportOptions = {},
): string {
  checkOptions(options, FIT_REPORT_KEYS, "fitReport");
  const { modelpars, showCorrel = true, minCorrel = 0.1, sortPars = false } = options;
  const result = input instanceof Parameters ? null : input;
  const params = input instanceof Parameters ? input : input.params;
  let names = [...params.keys()];
  if (sortPars) {
    if (typeof sortPars === "function") {
      names = names.sort((a, b) => compareKeys(sortPars(a), sortPars(b)));
    } else names = names.sort(compareAlphanumeric);
  }
  const lines: string[] = [];
  const add = (s: string) => lines.push(s);
  const namelen = Math.max(...names.map((n) => n.length), 0);
  const fl = (v: number) => gformat(v, 11).trim();
  if (result) {
    add("[[Fit Statistics]]");
    add(`    # fitting method   = ${result.method}`);
    add(`    # function evals   = ${result.nfev}`);
    add(`    # data points      = ${result.ndata}`);
    add(`    # variables        = ${result.nvarys}`);
    add(`    chi-square         = ${fl(result.chisqr)}`);
    add(`    reduced chi-square = ${fl(result.redchi)}`);
    add(`    Akaike info crit   = ${fl(result.aic)}`);
    add(`    Bayesian info crit = ${fl(result.bic)}`);
    if (result.rsquared !== undefined) add(`    R-squared          = ${fl(result.rsquared)}`);
    if (!result.errorbars) {
      add("##  Warning: uncertainties could not be estimated:");
      if (result.uncertaintyMethod && result.uncertaintyMethod.startsWith("none:")) {
        add(`    ${result.uncertaintyMethod.slice(5).trim()}`);
      }
      for (const name of names) {
        const par = params.get(name)!;
        if (!par.vary) continue;
        const space = " ".repeat(namelen - name.length);
        if (par.initValue && isClose(par.value, par.initValue)) {
          add(`    ${name}:${space}  at initial value`);
        }
        // An infinite bound is no boundary (isClose(v, -Infinity) would be true).
        const atMin = Number.isFinite(par.min) && isClose(par.value, par.min);
        const atMax = Number.isFinite(par.max) && isClose(par.value, par.max);
        if (atMin || atMax) {
          add(`    ${name}:${space}  at boundary`);
        }
      }
    }
  }
  add("[[Variables]]");
  for (const name of names) {
    const par = params.get(name)!;
    const nout = `${name}:${" ".repeat(namelen - name.length)}`;
    let inval = "(init = ?)";
    if (par.initValue !== null) inval = `(init = ${formatG(par.initValue, 7)})`;
    const mp = modelpars?.get(name);
    if (mp) inval = `${inval}, model_value = ${formatG(mp.value, 7)}`;
    let sval = gformat(par.value);
    if (par.stderr !== null) {
      const serr = gformat(par.stderr);
      const spercent = par.value === 0
        ? ""
        : `(${formatF(Math.abs(par.stderr / par.value) * 100, 2)}%)`;
      sval = `${sval} +/-${serr} ${spercent}`;
    }
    const note = result?.stderrNotes?.[name];
    if (par.vary && par.stderr === null && note?.startsWith("at bound")) {
      add(`    ${nout} ${sval} (at bound) ${inval}`);
    } else if (par.vary) add(`    ${nout} ${sval} ${inval}`);
    else if (par.expr !== null) add(`    ${nout} ${sval} == '${par.expr}'`);
    else {
      const v = formatG(par.value, 7);
      add(`    ${nout} ${v.startsWith("-") ? v : " " + v} (fixed)`);
    }
  }
  if (showCorrel) {
    const correls: [string, number][] = [];
    names.forEach((name, i) => {
      const par = params.get(name)!;
      if (!par.vary || !par.correl) return;
      for (const name2 of names.slice(i + 1)) {
        const c = par.correl[name2];
        if (c !== undefined && Math.abs(c) > minCorrel) correls.push([`${name}, ${name2}`, c]);
      }
    });
    // Python: sorted(key=abs) then reverse(), so ties come out in reverse insertion order.
    correls.sort((a, b) => Math.abs(a[1]) - Math.abs(b[1])).reverse();
    if (correls.length > 0) {
      add(`[[Correlations]] (unreported correlations are < ${formatF(minCorrel, 3)})`);
      const maxlen = Math.max(...correls.map(([k]) => k.length));
      for (const [k, v] of correls) {
        add(
          `    C(${k})${" ".repeat(Math.max(0, Math.min(30, maxlen - k.length)))} = ${
            formatF(v, 3)
          }`,
        );
      }
    }
  }
  return lines.join("\n");
}

/**
 * Prints `fitReport(input, options)` to the console.
 *
 * @example
 * ```ts
 * import { Parameters, reportFit } from "../../mod.ts";
 * const p = new Parameters();
 * p.add("a", { value: 1 });
 * reportFit(p);
 * ```
 *
 * @category Fitting
 */
export function reportFit(
  input: ReportableResult | Parameters,
  options: FitReportOptions = {},
): void {
  console.log(fitReport(input, options));
}
