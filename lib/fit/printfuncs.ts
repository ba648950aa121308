/**
 * lmfit's `printfuncs` helpers that reports are made of: the alphanumeric sort key of parameter
 * names (`alphanumeric_sort`) and the formatting of one attribute (`getfloat_attr`).
 *
 * @module
 */

import { gformat } from "../util/format.ts";

/**
 * A sort key as `alphanumericSort` returns it: text and whole numbers, alternating.
 *
 * @example
 * ```ts
 * import { type AlphanumericKey, alphanumericSort } from "../../mod.ts";
 * const key: AlphanumericKey = alphanumericSort("g10_center"); // ["g", 10, "_center"]
 * ```
 *
 * @category Fitting
 */
export type AlphanumericKey = (string | number)[];

/**
 * lmfit's `alphanumeric_sort`: the sort key of a name, the name split into runs of digits
 * (read as numbers) and the lower-cased text between them, as Python's
 * `re.split('([0-9]+)', s)` splits it (so text and numbers alternate, text first, and the key
 * may start or end with an empty string). Keys compare element by element: `a2` before `a10`,
 * `B` beside `b`. Use `compareAlphanumeric` to sort with it.
 *
 * Digit runs longer than 15 digits lose precision beyond 2⁵³ (Python's int keeps them exact).
 *
 * @param s The name.
 * @returns The key.
 * @example
 * ```ts
 * import { alphanumericSort } from "../../mod.ts";
 * alphanumericSort("Peak10_a"); // ["peak", 10, "_a"]
 * alphanumericSort("b01"); // ["b", 1, ""]
 * ```
 *
 * @category Fitting
 */
export function alphanumericSort(s: string): AlphanumericKey {
  return s.split(/([0-9]+)/).map((t, i) => (i % 2 === 1 ? Number(t) : t.toLowerCase()));
}

/**
 * Compares two sort keys as Python compares lists, strings and numbers: element by element, a
 * key that is a prefix of the other first. A number sorts before a string at the same place (a
 * pair that Python cannot order).
 *
 * @param a A key (a string, a number, or an array of them).
 * @param b Another key.
 * @returns Negative, zero or positive, as `Array.prototype.sort` expects.
 * @example
 * ```ts
 * import { alphanumericSort, compareKeys } from "../../mod.ts";
 * compareKeys(alphanumericSort("a2"), alphanumericSort("a10")); // < 0
 * compareKeys("b", "a"); // > 0
 * ```
 *
 * @category Fitting
 */
export function compareKeys(
  a: string | number | readonly (string | number)[],
  b: string | number | readonly (string | number)[],
): number {
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compareKeys(a[i], b[i]);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  if (typeof a === typeof b) return a < b ? -1 : a > b ? 1 : 0;
  return typeof a === "number" ? -1 : typeof b === "number" ? 1 : Array.isArray(a) ? 1 : -1;
}

/**
 * Orders two names by their `alphanumericSort` keys, for `Array.prototype.sort`: lmfit's
 * `sorted(names, key=alphanumeric_sort)` is `names.sort(compareAlphanumeric)`. The sort is
 * stable, as Python's, so names with equal keys (`b01`, `b1`) keep their order.
 *
 * @param a A name.
 * @param b Another name.
 * @returns Negative, zero or positive.
 * @example
 * ```ts
 * import { compareAlphanumeric } from "../../mod.ts";
 * ["b10", "a", "B2", "a1"].sort(compareAlphanumeric); // ["a", "a1", "B2", "b10"]
 * ```
 *
 * @category Fitting
 */
export function compareAlphanumeric(a: string, b: string): number {
  return compareKeys(alphanumericSort(a), alphanumericSort(b));
}

/**
 * lmfit's `getfloat_attr`: an attribute of an object formatted for a report. A missing, null or
 * undefined attribute gives `"unknown"`; a number is formatted by `gformat(value, length)` without
 * the padding; an integer, which lmfit prints as it is, is a `bigint` here (Python's `int`; every
 * JavaScript number is a float, as Python's `float`); any other value gives its Python-style
 * `repr` (a string quoted, a boolean `True`/`False`).
 *
 * @param obj The object (a `Parameter`, a result, ...).
 * @param attr The attribute's name.
 * @param length The width `gformat` formats numbers to. @default 11
 * @returns The text.
 * @example
 * ```ts
 * import { getfloatAttr, Parameter } from "../../mod.ts";
 * const par = new Parameter("a", { value: 10 });
 * getfloatAttr(par, "value"); // "10.0000000"
 * getfloatAttr(par, "stderr"); // "unknown": no standard error
 * getfloatAttr({ nfev: 53n }, "nfev"); // "53"
 * ```
 *
 * @category Fitting
 */
export function getfloatAttr(obj: object | null | undefined, attr: string, length = 11): string {
  const val = obj == null ? undefined : (obj as Record<string, unknown>)[attr];
  if (val === undefined || val === null) return "unknown";
  if (typeof val === "bigint") return `${val}`;
  if (typeof val === "number") return gformat(val, length).trim();
  if (typeof val === "string") return `'${val}'`;
  if (typeof val === "boolean") return val ? "True" : "False";
  return String(val);
}
