/**
 * Confidence intervals as an HTML table, in the layout of lmfit's `ci_report`: one row per
 * parameter, one column per level (`-3σ … _BEST_ … +3σ` as probabilities), values relative to the
 * best value unless `withOffset: false`.
 *
 * @module
 */

import { formatF } from "../util/format.ts";
import { checkOptions, optionKeys } from "../util/options.ts";
import { escapeHtml, JUPYTER_DISPLAY, type MimeBundle } from "./mime.ts";

/**
 * The HTML table of confidence intervals (`confInterval(...).ci`, lmfit's `ci` dict).
 *
 * @param ci per parameter, `[probability, value]` levels from lowest to highest value.
 * @param options `withOffset` (default true): show limits relative to the best value;
 *   `ndigits` (default 5): digits after the decimal point.
 *
 * @example
 * ```ts
 * import { ciReportHtml } from "../../mod.ts";
 * const html = ciReportHtml({ a: [[0.6827, 0.9], [0, 1], [0.6827, 1.1]] });
 * html.includes("<th>_BEST_</th>") && html.includes("<td>+0.10000</td>"); // true
 * ```
 *
 * @category Confidence intervals
 */
export function ciReportHtml(
  ci: Record<string, readonly (readonly [number, number])[]>,
  options: { withOffset?: boolean; ndigits?: number } = {},
): string {
  checkOptions(
    options,
    optionKeys<typeof options>({ withOffset: true, ndigits: true }),
    "ciReportHtml",
  );
  const withOffset = options.withOffset ?? true;
  const ndigits = options.ndigits ?? 5;
  const names = Object.keys(ci);
  if (names.length === 0) return "<table></table>";
  const head = ci[names[0]].map(([p]) => Math.abs(p) < 1e-2 ? "_BEST_" : `${formatF(p * 100, 2)}%`);
  const html = ["<table><tr><th></th>", ...head.map((h) => `<th>${h}</th>`), "</tr>"];
  for (const name of names) {
    const row = ci[name];
    let offset = 0;
    if (withOffset) { for (const [p, v] of row) if (Math.abs(p) < 1e-2) offset = v; }
    html.push(`<tr><th>${escapeHtml(name)}</th>`);
    for (const [p, v] of row) {
      let s: string;
      if (p < 1e-2) s = formatF(v, ndigits);
      else if (withOffset) {
        const d = v - offset;
        s = (d >= 0 || Number.isNaN(d) ? "+" : "") + formatF(d, ndigits);
      } else s = formatF(v, ndigits);
      html.push(`<td>${s}</td>`);
    }
    html.push("</tr>");
  }
  html.push("</table>");
  return html.join("");
}

/**
 * Gives `result` (a `confInterval` result) a non-enumerable `[Symbol.for("Jupyter.display")]`
 * method showing `ciReportHtml` and the text report, and returns it.
 *
 * @example
 * ```ts
 * import { type CiLevel, ciReport, JUPYTER_DISPLAY } from "../../mod.ts";
 * import { withCiDisplay } from "./ci_html.ts";
 * const levels: CiLevel[] = [[0.6827, 0.9], [0, 1], [0.6827, 1.1]];
 * const ci = withCiDisplay({ ci: { a: levels } }, (r) => ciReport(r.ci));
 * ci[JUPYTER_DISPLAY]()["text/html"].startsWith("<table>"); // true
 * Object.keys(ci); // ["ci"]: the method is not enumerable
 * ```
 *
 * @category Confidence intervals
 */
export function withCiDisplay<
  T extends { ci: Record<string, readonly (readonly [number, number])[]> },
>(
  result: T,
  text: (result: T) => string,
): T & { [JUPYTER_DISPLAY](): MimeBundle } {
  Object.defineProperty(result, JUPYTER_DISPLAY, {
    value: (): MimeBundle => ({ "text/html": ciReportHtml(result.ci), "text/plain": text(result) }),
    enumerable: false,
    configurable: true,
    writable: true,
  });
  return result as T & { [JUPYTER_DISPLAY](): MimeBundle };
}
