/**
 * Python-compatible number formatting, so reports read exactly like lmfit's.
 *
 * @module
 */

/**
 * Python's `repr(float)`: the shortest round-trip digits, in scientific notation when the
 * decimal exponent is below -4 or at least 16 (`1e-05`, `1e+16`), `inf`, `-inf`, `nan`.
 *
 * @example
 * ```ts
 * import { pyRepr } from "./format.ts";
 * pyRepr(1e-5); // "1e-05"
 * pyRepr(2); // "2.0"
 * ```
 */
export function pyRepr(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const exp = Math.floor(Math.log10(Math.abs(x)));
  // Math.log10 can be off by one at exact powers; the exponential string is authoritative.
  const expStr = x.toExponential();
  const e = Number(expStr.slice(expStr.indexOf("e") + 1));
  const decExp = Number.isFinite(e) ? e : exp;
  if (decExp < -4 || decExp >= 16) {
    const [mant, ex] = expStr.split("e");
    const n = Number(ex);
    return `${mant}e${n < 0 ? "-" : "+"}${String(Math.abs(n)).padStart(2, "0")}`;
  }
  const s = String(x);
  return s.includes(".") || s.includes("e") ? s : `${s}.0`;
}

/**
 * Python's `format(x, '.{precision}g')`.
 *
 * @example
 * ```ts
 * import { formatG } from "./format.ts";
 * formatG(0.000123456, 3); // "0.000123"
 * formatG(123456789, 4); // "1.235e+08"
 * ```
 */
export function formatG(x: number, precision = 6): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
  const p = precision === 0 ? 1 : precision;
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const expStr = x.toExponential(p - 1);
  const exp = Number(expStr.slice(expStr.indexOf("e") + 1));
  if (exp < -4 || exp >= p) {
    let [mant] = expStr.split("e");
    if (mant.includes(".")) mant = mant.replace(/0+$/, "").replace(/\.$/, "");
    return `${mant}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  let fixed = x.toFixed(Math.max(0, p - 1 - exp));
  if (fixed.includes(".")) fixed = fixed.replace(/0+$/, "").replace(/\.$/, "");
  return fixed;
}

/**
 * Python's `format(x, '.{digits}f')`, with `inf`/`nan` spelled as Python does.
 *
 * @example
 * ```ts
 * import { formatF } from "./format.ts";
 * formatF(1 / 3, 5); // "0.33333"
 * ```
 */
export function formatF(x: number, digits: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
  return x.toFixed(digits);
}

/**
 * Python's `format(x, '.{digits}e')`.
 *
 * @example
 * ```ts
 * import { formatE } from "./format.ts";
 * formatE(12345.678, 3); // "1.235e+04"
 * ```
 */
export function formatE(x: number, digits: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
  const [mant, ex] = x.toExponential(digits).split("e");
  const n = Number(ex);
  return `${mant}e${n < 0 ? "-" : "+"}${String(Math.abs(n)).padStart(2, "0")}`;
}

/**
 * lmfit's `gformat`: a number in exactly `length` characters, with the most precision that
 * fits, fixed or exponential notation, a leading blank for positive values.
 *
 * @example
 * ```ts
 * import { gformat } from "./format.ts";
 * gformat(13.969724); // " 13.9697240"
 * ```
 *
 * @category Fitting
 */
export function gformat(val: number, length = 11): string {
  let expon = 0;
  if (val !== 0 && Number.isFinite(val)) expon = Math.trunc(Math.log10(Math.abs(val)));
  length = Math.max(length, 7);
  let form: "e" | "f" = "e";
  let prec = length - 7;
  if (Math.abs(expon) > 99) prec -= 1;
  else if ((expon > 0 && expon < prec + 4) || (expon <= 0 && -expon < prec - 1)) {
    form = "f";
    prec += 4;
    if (expon > 0) prec -= expon;
  }
  const s = form === "f" ? formatF(val, prec) : formatE(val, prec);
  return s.padStart(length);
}
