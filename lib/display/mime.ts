/**
 * The hook Deno's Jupyter kernel looks for, and the HTML escaping every display module uses.
 *
 * Deno's kernel (`deno jupyter`) shows the value of a cell's last expression through its
 * `[Symbol.for("Jupyter.display")]()` method when it has one: the method returns a MIME bundle,
 * an object from MIME type to content, and the notebook picks the richest type it can render.
 *
 * @module
 */

/**
 * `Symbol.for("Jupyter.display")`, the method name Deno's Jupyter kernel calls to display a value
 * (the same symbol as `Deno.jupyter.$display` inside the kernel).
 *
 * @example
 * ```ts
 * import { JUPYTER_DISPLAY, Parameters } from "../../mod.ts";
 * const params = new Parameters();
 * params.add("amp", { value: 2, min: 0 });
 * const bundle = params[JUPYTER_DISPLAY]();
 * bundle["text/html"].startsWith("<table>"); // true
 * JUPYTER_DISPLAY === Symbol.for("Jupyter.display"); // true
 * ```
 *
 * @category Input/output
 */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for(
  "Jupyter.display",
) as typeof JUPYTER_DISPLAY;

/**
 * What a `[JUPYTER_DISPLAY]()` method returns: the same content as HTML and as plain text (for
 * consoles and for notebooks that do not render HTML).
 *
 * @example
 * ```ts
 * import type { MimeBundle } from "../../mod.ts";
 * const bundle: MimeBundle = { "text/html": "<b>fit</b>", "text/plain": "fit" };
 * console.log(bundle["text/plain"]);
 * ```
 *
 * @category Input/output
 */
export interface MimeBundle {
  /** The rich form, shown by Jupyter. */
  "text/html": string;
  /** The text form (lmfit's text report or `toString()`). */
  "text/plain": string;
}

/** Escapes `& < > " '` for use in HTML text and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&${ENTITIES[c]};`);
}

const ENTITIES: Record<string, string> = {
  "&": "amp",
  "<": "lt",
  ">": "gt",
  '"': "quot",
  "'": "#39",
};
