/**
 * `Parameters` as lmfit's HTML table (`Parameters._repr_html_`, lmfit 1.1's
 * `printfuncs.params_html_table`): name, value, standard error and relative error (when any
 * parameter has one), initial value, min, max, vary, expression (when any has one) and brute step
 * (when any has one). Cells are HTML-escaped, which lmfit does not do. The initial value is
 * `initValue`, set by a fit; before a fit, a free parameter shows its current value, as lmfit shows
 * the value a parameter was created with.
 *
 * @module
 */

import { formatF, gformat, pyRepr } from "../util/format.ts";
import { escapeHtml } from "./mime.ts";

/**
 * What the table reads of each parameter (a `Parameter` has all of it).
 *
 * @example
 * ```ts
 * import { type DisplayParameter, paramsHtml } from "../../mod.ts";
 * const row: DisplayParameter = {
 *   name: "amp", value: 2.5, stderr: 0.1, initValue: 1, min: 0, max: Infinity, vary: true,
 *   expr: null, bruteStep: null,
 * };
 * paramsHtml([row]).includes("<th> standard error </th>"); // true
 * ```
 *
 * @category Input/output
 */
export interface DisplayParameter {
  /** Name. */
  readonly name: string;
  /** Current value. */
  readonly value: number;
  /** Standard error, `null` when not estimated. */
  readonly stderr: number | null;
  /** Value at the start of the fit, `null` when unknown. */
  readonly initValue: number | null;
  /** Lower bound. */
  readonly min: number;
  /** Upper bound. */
  readonly max: number;
  /** Whether the parameter is varied. */
  readonly vary: boolean;
  /** Constraint expression, `null` when none. */
  readonly expr: string | null;
  /** Step for the `brute` method, `null` when none. */
  readonly bruteStep: number | null;
}

/**
 * The HTML table lmfit's `Parameters._repr_html_` shows in Jupyter.
 *
 * @param params the parameters, in order (a `Parameters`' `values()`, or an array).
 * @returns one `<table>` element.
 *
 * @example
 * ```ts
 * import { Parameters, paramsHtml } from "../../mod.ts";
 * const params = new Parameters();
 * params.add("amp", { value: 2, min: 0 });
 * params.add("half", { expr: "amp / 2" });
 * const html = paramsHtml(params.values());
 * html.includes("<th> expression </th>"); // true
 * html.includes("<td> amp / 2 </td>"); // true
 * ```
 *
 * @category Input/output
 */
export function paramsHtml(params: Iterable<DisplayParameter>): string {
  const list = [...params];
  const hasErr = list.some((p) => p.stderr !== null);
  const hasExpr = list.some((p) => p.expr !== null);
  const hasBrute = list.some((p) => p.bruteStep !== null);
  const html: string[] = ["<table><tr>"];
  const cell = (x: string, tag = "td") => html.push(`<${tag}> ${escapeHtml(x)} </${tag}>`);
  const headers = ["name", "value"];
  if (hasErr) headers.push("standard error", "relative error");
  headers.push("initial value", "min", "max", "vary");
  if (hasExpr) headers.push("expression");
  if (hasBrute) headers.push("brute step");
  for (const h of headers) cell(h, "th");
  html.push("</tr>");
  for (const p of list) {
    const row = [p.name, gformat(p.value)];
    if (hasErr) {
      let serr = "", percent = "";
      if (p.stderr !== null) {
        serr = gformat(p.stderr);
        if (p.value !== 0) percent = `(${formatF(Math.abs(p.stderr / p.value) * 100, 2)}%)`;
      }
      row.push(serr, percent);
    }
    // lmfit records the value given at creation; ours is set by a fit, so before one the
    // current value of a free parameter stands in (lmfit shows the same for fresh parameters).
    const init = p.initValue ?? (p.expr === null ? p.value : null);
    row.push(
      init === null ? "None" : pyRepr(init),
      gformat(p.min),
      gformat(p.max),
      p.vary ? "True" : "False",
    );
    if (hasExpr) row.push(p.expr ?? "");
    if (hasBrute) row.push(p.bruteStep === null ? "None" : gformat(p.bruteStep));
    html.push("<tr>");
    for (const r of row) cell(r);
    html.push("</tr>");
  }
  html.push("</table>");
  return html.join("");
}
