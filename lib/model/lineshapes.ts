/**
 * lmfit 1.1.0's `lmfit.lineshapes` as TypeScript functions on `Float64Array`, with the same
 * parameter order, defaults and tiny-guards (`tiny = 1e-15`), so they give lmfit's numbers
 * (checked to 1e-10 relative against lmfit on grids, tests/model/lineshapes_test.ts).
 *
 * Every function takes `x` first, then the parameters in lmfit's order with lmfit's defaults,
 * then (for step, rectangle and thermal_distribution) the `form`, and last an optional `out`
 * array that is filled and returned (a new array when omitted). No allocation beyond `out`.
 * A number `x` gives a number, as lmfit's functions do for a Python float.
 *
 * {@link LINESHAPES} lists each lineshape (and each form) with its parameter names, defaults,
 * independent variables and the same function in the expression language, which drives the
 * analytic Jacobians and the WGSL code generator. {@link DERIVED_PARAMS} holds lmfit's
 * derived-parameter expressions (fwhm, height, ...) per model, verbatim, and
 * {@link DERIVED_PARAMS_EXPR} the same written in our expression language.
 *
 * @module
 */

import { erf, erfc } from "../special/erf.ts";
import { gamma as gamfcn } from "../special/gamma.ts";
import { lgamma } from "../special/distributions.ts";
import { betaln, lgammaComplexRe } from "../special/complex_gamma.ts";
import { wofzRe } from "../special/faddeeva.ts";

/** lmfit's guard against division by zero. */
export const TINY = 1e-15;
const S2PI = Math.sqrt(2 * Math.PI);
const S2 = Math.sqrt(2);
const LOG2 = Math.log(2);

/** Forms of {@link step} and {@link rectangle} (lmfit's names; `arctan` is `atan`). */
export type StepForm = "linear" | "atan" | "arctan" | "erf" | "logistic";
/** Forms of {@link thermalDistribution}. */
export type ThermalForm = "bose" | "maxwell" | "fermi";

function outFor(x: ArrayLike<number>, out?: Float64Array): Float64Array {
  if (out === undefined) return new Float64Array(x.length);
  if (out.length !== x.length) {
    throw new RangeError(
      `lineshape: out has length ${out.length} but x has ${x.length}; pass an out of the same length`,
    );
  }
  return out;
}

/** Python's max(a, b) for floats: NaN only when it is the first argument. */
function pyMax(a: number, b: number): number {
  return b > a ? b : a;
}

/**
 * lmfit's `lineshapes.not_zero`: `value` with a magnitude of at least `TINY` (1e-15), keeping its
 * sign (`copysign(max(tiny, |value|), value)`), the guard the lineshapes use against division by
 * zero. As in Python, NaN gives `TINY`, and a one-element array is read as its element (numpy's
 * `float()` of a size-1 array); a longer array is an error.
 *
 * @param value A number, or an array of one number.
 * @returns The number, moved away from zero to ±1e-15 if it is smaller than that.
 * @example
 * ```ts
 * import { lineshapes } from "../../mod.ts";
 * lineshapes.notZero(-1); // -1
 * lineshapes.notZero(0); // 1e-15
 * lineshapes.notZero(-0); // -1e-15: the sign of a negative zero is kept
 * lineshapes.notZero(Float64Array.of(2)); // 2
 * ```
 *
 * @category Lineshapes
 */
export function notZero(value: number | ArrayLike<number>): number {
  let v: number;
  if (typeof value === "number") v = value;
  else {
    if (value.length !== 1) {
      throw new TypeError(
        `notZero: expected a number or an array of one number, got an array of ${value.length}`,
      );
    }
    v = Number(value[0]);
  }
  const m = pyMax(TINY, Math.abs(v));
  return v < 0 || Object.is(v, -0) ? -m : m;
}

/**
 * Gaussian: `amplitude/(√(2π)σ)·exp(−(x−center)²/(2σ²))`.
 *
 * @example
 * ```ts
 * import { gaussian } from "./lineshapes.ts";
 * gaussian(Float64Array.of(0), 1, 0, 1)[0]; // 0.3989422804014327
 * gaussian(1); // 0.24197072451914337: a number for a number, as lmfit
 * ```
 */
export function gaussian(
  x: number,
  amplitude?: number,
  center?: number,
  sigma?: number,
): number;
/** `gaussian` at every point of `x` (into `out` when given). */
export function gaussian(
  x: Float64Array,
  amplitude?: number,
  center?: number,
  sigma?: number,
  out?: Float64Array,
): Float64Array;
export function gaussian(
  x: Float64Array | number,
  amplitude = 1,
  center = 0,
  sigma = 1,
  out?: Float64Array,
): Float64Array | number {
  if (typeof x === "number") return gaussian(Float64Array.of(x), amplitude, center, sigma)[0];
  const o = outFor(x, out);
  const a = amplitude / pyMax(TINY, S2PI * sigma), d = pyMax(TINY, 2 * sigma ** 2);
  for (let i = 0; i < x.length; i++) o[i] = a * Math.exp(-((x[i] - center) ** 2) / d);
  return o;
}

/**
 * 2-D Gaussian: `amplitude·g(x; 1, centerx, sigmax)·g(y; 1, centery, sigmay)`.
 *
 * @example
 * ```ts
 * import { gaussian2d } from "./lineshapes.ts";
 * gaussian2d(Float64Array.of(0), Float64Array.of(0))[0]; // 1/(2π)
 * ```
 */
export function gaussian2d(
  x: number,
  y?: number,
  amplitude?: number,
  centerx?: number,
  centery?: number,
  sigmax?: number,
  sigmay?: number,
): number;
/** `gaussian2d` at every point of `x` (into `out` when given). */
export function gaussian2d(
  x: Float64Array,
  y?: Float64Array | number,
  amplitude?: number,
  centerx?: number,
  centery?: number,
  sigmax?: number,
  sigmay?: number,
  out?: Float64Array,
): Float64Array;
export function gaussian2d(
  x: Float64Array | number,
  y: Float64Array | number = 0,
  amplitude = 1,
  centerx = 0,
  centery = 0,
  sigmax = 1,
  sigmay = 1,
  out?: Float64Array,
): Float64Array | number {
  if (typeof x === "number") {
    return gaussian2d(Float64Array.of(x), y, amplitude, centerx, centery, sigmax, sigmay)[0];
  }
  if (typeof y === "number") y = new Float64Array(x.length).fill(y);
  if (y.length !== x.length) {
    throw new RangeError(`gaussian2d: y has length ${y.length} but x has ${x.length}`);
  }
  const o = outFor(x, out);
  const ax = 1 / pyMax(TINY, S2PI * sigmax), dx = pyMax(TINY, 2 * sigmax ** 2);
  const ay = 1 / pyMax(TINY, S2PI * sigmay), dy = pyMax(TINY, 2 * sigmay ** 2);
  for (let i = 0; i < x.length; i++) {
    o[i] = amplitude * (ax * Math.exp(-((x[i] - centerx) ** 2) / dx) *
      (ay * Math.exp(-((y[i] - centery) ** 2) / dy)));
  }
  return o;
}

/**
 * Lorentzian: `amplitude/(1 + ((x−center)/σ)²)/(πσ)`.
 *
 * @example
 * ```ts
 * import { lorentzian } from "./lineshapes.ts";
 * lorentzian(Float64Array.of(0))[0]; // 1/π
 * ```
 */
export function lorentzian(
  x: number,
  amplitude?: number,
  center?: number,
  sigma?: number,
): number;
/** `lorentzian` at every point of `x` (into `out` when given). */
export function lorentzian(
  x: Float64Array,
  amplitude?: number,
  center?: number,
  sigma?: number,
  out?: Float64Array,
): Float64Array;
export function lorentzian(
  x: Float64Array | number,
  amplitude = 1,
  center = 0,
  sigma = 1,
  out?: Float64Array,
): Float64Array | number {
  if (typeof x === "number") return lorentzian(Float64Array.of(x), amplitude, center, sigma)[0];
  const o = outFor(x, out);
  const s = pyMax(TINY, sigma), d = pyMax(TINY, Math.PI * sigma);
  for (let i = 0; i < x.length; i++) o[i] = amplitude / (1 + ((x[i] - center) / s) ** 2) / d;
  return o;
}

/**
 * Split Lorentzian: half widths `sigma` left of center and `sigma_r` right of it, unit area
 * times amplitude.
 *
 * @example
 * ```ts
 * import { splitLorentzian } from "./lineshapes.ts";
 * splitLorentzian(Float64Array.of(0), 1, 0, 1, 1)[0]; // 1/π
 * ```
 */
export function splitLorentzian(
  x: number,
  amplitude?: number,
  center?: number,
  sigma?: number,
  sigmaR?: number,
): number;
/** `splitLorentzian` at every point of `x` (into `out` when given). */
export function splitLorentzian(
  x: Float64Array,
  amplitude?: number,
  center?: number,
  sigma?: number,
  sigmaR?: number,
  out?: Float64Array,
): Float64Array;
export function splitLorentzian(
  x: Float64Array | number,
  amplitude = 1,
  center = 0,
  sigma = 1,
  sigmaR = 1,
  out?: Float64Array,
): Float64Array | number {
  if (typeof x === "number") {
    return splitLorentzian(Float64Array.of(x), amplitude, center, sigma, sigmaR)[0];
  }
  const o = outFor(x, out);
  const s = pyMax(TINY, sigma), r = pyMax(TINY, sigmaR);
  const ss = s * s, rr = r * r, amp = (2 * amplitude) / (Math.PI * (s + r));
  for (let i = 0; i < x.length; i++) {
    const xc2 = (x[i] - center) ** 2;
    const left = x[i] < center ? 1 : 0, right = x[i] >= center ? 1 : 0;
    o[i] = amp * ((ss * left) / (ss + xc2) + (rr * right) / (rr + xc2));
  }
  return o;
}

/**
 * Voigt: `amplitude·Re w(z)/(σ√(2π))`, `z = (x − center + iγ)/(σ√2)`; `gamma` defaults to
 * `sigma` (lmfit's `gamma=None`).
 *
 * @example
 * ```ts
 * import { voigt } from "./lineshapes.ts";
 * voigt(Float64Array.of(0), 1, 0, 1, 0)[0]; // the Gaussian's 0.3989422804014327
 * ```
 */
export function voigt(
  x: number,
  amplitude?: number,
  center?: number,
  sigma?: number,
  gamma?: number,
): number;
/** `voigt` at every point of `x` (into `out` when given). */
export function voigt(
  x: Float64Array,
  amplitude?: number,
  center?: number,
  sigma?: number,
  gamma?: number,
  out?: Float64Array,
): Float64Array;
export function voigt(
  x: Float64Array | number,
  amplitude = 1,
  center = 0,
  sigma = 1,
  gamma?: number,
  out?: Float64Array,
): Float64Array | number {
  if (typeof x === "number") return voigt(Float64Array.of(x), amplitude, center, sigma, gamma)[0];
  const o = outFor(x, out);
  const g = gamma ?? sigma;
  const d = pyMax(TINY, sigma * S2), n = pyMax(TINY, sigma * S2PI);
  for (let i = 0; i < x.length; i++) o[i] = (amplitude * wofzRe((x[i] - center) / d, g / d)) / n;
  return o;
}

/**
 * Pseudo-Voigt: `(1 − fraction)·gaussian(σ/√(2 ln 2)) + fraction·lorentzian(σ)` (equal FWHM).
 *
 * @example
 * ```ts
 * import { pvoigt } from "./lineshapes.ts";
 * pvoigt(Float64Array.of(0), 1, 0, 1, 1)[0]; // the Lorentzian's 1/π
 * ```
 */
export function pvoigt(
  x: number,
  amplitude?: number,
  center?: number,
  sigma?: number,
  fraction?: number,
): number;
/** `pvoigt` at every point of `x` (into `out` when given). */
export function pvoigt(
  x: Float64Array,
  amplitude?: number,
  center?: number,
  sigma?: number,
  fraction?: number,
  out?: Float64Array,
): Float64Array;
export function pvoigt(
  x: Float64Array | number,
  amplitude = 1,
  center = 0,
  sigma = 1,
  fraction = 0.5,
  out?: Float64Array,
): Float64Array | number {
  if (typeof x === "number") {
    return pvoigt(Float64Array.of(x), amplitude, center, sigma, fraction)[0];
  }
  const o = outFor(x, out);
  const sg = sigma / Math.sqrt(2 * LOG2);
  const ga = amplitude / pyMax(TINY, S2PI * sg), gd = pyMax(TINY, 2 * sg ** 2);
  const ls = pyMax(TINY, sigma), ld = pyMax(TINY, Math.PI * sigma);
  for (let i = 0; i < x.length; i++) {
    const dx = x[i] - center;
    o[i] = (1 - fraction) * (ga * Math.exp(-(dx ** 2) / gd)) +
      fraction * (amplitude / (1 + (dx / ls) ** 2) / ld);
  }
  return o;
}

/**
 * Moffat: `amplitude/(((x − center)/σ)² + 1)^β`.
 *
 * @example
 * ```ts
 * import { moffat } from "./lineshapes.ts";
 * moffat(Float64Array.of(1), 2, 0, 1, 1)[0]; // 1
 * ```
 */
export function moffat(
  x: number,
  amplitude?: number,
  center?: number,
  sigma?: number,
  beta?: number,
): number;
/** `moffat` at every point of `x` (into `out` when given). */
export function moffat(
  x: Float64Array,
  amplitude?: number,
  center?: number,
  sigma?: number,
  beta?: number,
  out?: Float64Array,
): Float64Array;
export function moffat(
  x: Float64Array | number,
  amplitude = 1,
  center = 0,
  sigma = 1,
  beta = 1,
  out?: Float64Array,
): Float64Array | number {
  if (typeof x === "number") return moffat(Float64Array.of(x), amplitude, center, sigma, beta)[0];
  const o = outFor(x, out);
  const s = pyMax(TINY, sigma);
  for (let i = 0; i < x.length; i++) o[i] = amplitude / (((x[i] - center) / s) ** 2 + 1) ** beta;
  return o;
}

/**
 * Pearson IV (Wikipedia's normalisation):
 * `amplitude·|Γ(m + iν/2)/Γ(m)|²/(σB(m − ½, ½))·(1 + t²)^(−m)·exp(−ν·atan t)`, `t = (x−center)/σ`,
 * `m = expon`, `ν = skew`.
 *
 * @example
 * ```ts
 * import { pearson4 } from "./lineshapes.ts";
 * pearson4(Float64Array.of(0), 1, 0, 1, 1, 0)[0]; // Cauchy: 1/π
 * ```
 */
export function pearson4(
  x: number,
  amplitude?: number,
  center?: number,
  sigma?: number,
  expon?: number,
  skew?: number,
): number;
/** `pearson4` at every point of `x` (into `out` when given). */
export function pearson4(
  x: Float64Array,
  amplitude?: number,
  center?: number,
  sigma?: number,
  expon?: number,
  skew?: number,
  out?: Float64Array,
): Float64Array;
export function pearson4(
  x: Float64Array | number,
  amplitude = 1,
  center = 0,
  sigma = 1,
  expon = 1,
  skew = 0,
  out?: Float64Array,
): Float64Array | number {
  if (typeof x === "number") {
    return pearson4(Float64Array.of(x), amplitude, center, sigma, expon, skew)[0];
  }
  const o = outFor(x, out);
  const e = pyMax(TINY, expon), s = pyMax(TINY, sigma);
  const logPrefactor = 2 * (lgammaComplexRe(e, skew * 0.5) - lgamma(e)) - betaln(e - 0.5, 0.5);
  for (let i = 0; i < x.length; i++) {
    const arg = (x[i] - center) / s;
    o[i] = (amplitude / s) *
      Math.exp(logPrefactor - e * Math.log1p(arg * arg) - skew * Math.atan(arg));
  }
  return o;
}

/**
 * Pearson VII: `amplitude·Γ(m)/(Γ(½)Γ(m − ½))·(1 + ((x−center)/σ)²)^(−m)/σ`, `m = expon`.
 *
 * @example
 * ```ts
 * import { pearson7 } from "./lineshapes.ts";
 * pearson7(Float64Array.of(0), 1, 0, 1, 1)[0]; // 1/π
 * ```
 */
export function pearson7(
  x: number,
  amplitude?: number,
  center?: number,
  sigma?: number,
  expon?: number,
): number;
/** `pearson7` at every point of `x` (into `out` when given). */
export function pearson7(
  x: Float64Array,
  amplitude?: number,
  center?: number,
  sigma?: number,
  expon?: number,
  out?: Float64Array,
): Float64Array;
export function pearson7(
  x: Float64Array | number,
  amplitude = 1,
  center = 0,
  sigma = 1,
  expon = 1,
  out?: Float64Array,
): Float64Array | number {
  if (typeof x === "number") {
    return pearson7(Float64Array.of(x), amplitude, center, sigma, expon)[0];
  }
  const o = outFor(x, out);
  const e = pyMax(TINY, expon), s = pyMax(TINY, sigma);
  const scale = (amplitude * gamfcn(e)) / (gamfcn(0.5) * gamfcn(e - 0.5));
  for (let i = 0; i < x.length; i++) o[i] = (scale * (1 + ((x[i] - center) / s) ** 2) ** -e) / s;
  return o;
}

/**
 * Breit-Wigner-Fano: `amplitude·(qσ/2 + x − center)²/((σ/2)² + (x − center)²)`.
 *
 * @example
 * ```ts
 * import { breitWigner } from "./lineshapes.ts";
 * breitWigner(Float64Array.of(0), 1, 0, 2, 1)[0]; // 1
 * ```
 */
export function breitWigner(
  x: number,
  amplitude?: number,
  center?: number,
  sigma?: number,
  q?: number,
): number;
/** `breitWigner` at every point of `x` (into `out` when given). */
export function breitWigner(
  x: Float64Array,
  amplitude?: number,
  center?: number,
  sigma?: number,
  q?: number,
  out?: Float64Array,
): Float64Array;
export function breitWigner(
  x: Float64Array | number,
  amplitude = 1,
  center = 0,
  sigma = 1,
  q = 1,
  out?: Float64Array,
): Float64Array | number {
  if (typeof x === "number") return breitWigner(Float64Array.of(x), amplitude, center, sigma, q)[0];
  const o = outFor(x, out);
  const gam = sigma / 2;
  for (let i = 0; i < x.length; i++) {
    const dx = x[i] - center;
    o[i] = (amplitude * (q * gam + dx) ** 2) / (gam * gam + dx ** 2);
  }
  return o;
}

/**
 * Damped oscillator amplitude: `amplitude/√((1 − (x/c)²)² + (2σx/c)²)`, `c = max(tiny, |center|)`.
 *
 * @example
 * ```ts
 * import { dampedOscillator } from "./lineshapes.ts";
 * dampedOscillator(Float64Array.of(1), 1, 1, 0.5)[0]; // 1
 * ```
 */
export function dampedOscillator(
  x: number,
  amplitude?: number,
  center?: number,
  sigma?: number,
): number;
/** `dampedOscillator` at every point of `x` (into `out` when given). */
export function dampedOscillator(
  x: Float64Array,
  amplitude?: number,
  center?: number,
  sigma?: number,
  out?: Float64Array,
): Float64Array;
export function dampedOscillator(
  x: Float64Array | number,
  amplitude = 1,
  center = 1,
  sigma = 0.1,
  out?: Float64Array,
): Float64Array | number {
  if (typeof x === "number") {
    return dampedOscillator(Float64Array.of(x), amplitude, center, sigma)[0];
  }
  const o = outFor(x, out);
  const c = pyMax(TINY, Math.abs(center));
  for (let i = 0; i < x.length; i++) {
    o[i] = amplitude / Math.sqrt((1 - (x[i] / c) ** 2) ** 2 + ((2 * sigma * x[i]) / c) ** 2);
  }
  return o;
}

/**
 * Damped harmonic oscillator with Bose factor (lmfit's `dho`):
 * `amplitude·σ/π·(1/((x−c)² + σ²) − 1/((x+c)² + σ²))/(1 − exp(−x/γ))`, with lmfit's limit
 * `4γc/(c² + σ²)²` at |x| ≤ 1e-8 and its tiny-guard on the Bose factor.
 *
 * @example
 * ```ts
 * import { dho } from "./lineshapes.ts";
 * dho(Float64Array.of(0))[0]; // 4/(4π) = 0.3183098861837907
 * ```
 */
export function dho(
  x: number,
  amplitude?: number,
  center?: number,
  sigma?: number,
  gamma?: number,
): number;
/** `dho` at every point of `x` (into `out` when given). */
export function dho(
  x: Float64Array,
  amplitude?: number,
  center?: number,
  sigma?: number,
  gamma?: number,
  out?: Float64Array,
): Float64Array;
export function dho(
  x: Float64Array | number,
  amplitude = 1,
  center = 1,
  sigma = 1,
  gamma = 1,
  out?: Float64Array,
): Float64Array | number {
  if (typeof x === "number") return dho(Float64Array.of(x), amplitude, center, sigma, gamma)[0];
  const o = outFor(x, out);
  const factor = (amplitude * sigma) / Math.PI;
  const g = pyMax(TINY, gamma);
  const atZero = (4 * gamma * center) / (center ** 2 + sigma ** 2) ** 2;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i];
    if (Math.abs(xi) <= 1e-8) { // numpy isclose(x, 0): |x| <= 1e-8
      o[i] = factor * atZero;
      continue;
    }
    let bose = 1 - Math.exp(-xi / g);
    if (Number.isNaN(bose) || Math.abs(bose) <= TINY) bose = TINY;
    const lm = 1 / ((xi - center) ** 2 + sigma ** 2);
    const lp = 1 / ((xi + center) ** 2 + sigma ** 2);
    o[i] = factor * ((lm - lp) / bose);
  }
  return o;
}

/**
 * Logistic (sigmoid): `amplitude·(1 − 1/(1 + exp((x − center)/σ)))`.
 *
 * @example
 * ```ts
 * import { logistic } from "./lineshapes.ts";
 * logistic(Float64Array.of(0), 2)[0]; // 1
 * ```
 */
export function logistic(
  x: number,
  amplitude?: number,
  center?: number,
  sigma?: number,
): number;
/** `logistic` at every point of `x` (into `out` when given). */
export function logistic(
  x: Float64Array,
  amplitude?: number,
  center?: number,
  sigma?: number,
  out?: Float64Array,
): Float64Array;
export function logistic(
  x: Float64Array | number,
  amplitude = 1,
  center = 0,
  sigma = 1,
  out?: Float64Array,
): Float64Array | number {
  if (typeof x === "number") return logistic(Float64Array.of(x), amplitude, center, sigma)[0];
  const o = outFor(x, out);
  const s = pyMax(TINY, sigma);
  for (let i = 0; i < x.length; i++) {
    o[i] = amplitude * (1 - 1 / (1 + Math.exp((x[i] - center) / s)));
  }
  return o;
}

/**
 * Log-normal: `amplitude/(xσ√(2π))·exp(−(ln x − center)²/(2σ²))`, x clipped below at tiny.
 *
 * @example
 * ```ts
 * import { lognormal } from "./lineshapes.ts";
 * lognormal(Float64Array.of(1))[0]; // 0.3989422804014327
 * ```
 */
export function lognormal(
  x: number,
  amplitude?: number,
  center?: number,
  sigma?: number,
): number;
/** `lognormal` at every point of `x` (into `out` when given). */
export function lognormal(
  x: Float64Array,
  amplitude?: number,
  center?: number,
  sigma?: number,
  out?: Float64Array,
): Float64Array;
export function lognormal(
  x: Float64Array | number,
  amplitude = 1,
  center = 0,
  sigma = 1,
  out?: Float64Array,
): Float64Array | number {
  if (typeof x === "number") return lognormal(Float64Array.of(x), amplitude, center, sigma)[0];
  const o = outFor(x, out);
  const n = pyMax(TINY, sigma * S2PI), d = pyMax(TINY, 2 * sigma ** 2);
  for (let i = 0; i < x.length; i++) {
    const xi = x[i] <= TINY ? TINY : x[i];
    o[i] = (amplitude / (xi * n)) * Math.exp(-((Math.log(xi) - center) ** 2) / d);
  }
  return o;
}

/**
 * Student's t: `amplitude·Γ((σ+1)/2)/(√(σπ)Γ(σ/2))·(1 + (x−center)²/σ)^(−(σ+1)/2)`.
 *
 * @example
 * ```ts
 * import { studentsT } from "./lineshapes.ts";
 * studentsT(Float64Array.of(0))[0]; // Cauchy: 1/π
 * ```
 */
export function studentsT(
  x: number,
  amplitude?: number,
  center?: number,
  sigma?: number,
): number;
/** `studentsT` at every point of `x` (into `out` when given). */
export function studentsT(
  x: Float64Array,
  amplitude?: number,
  center?: number,
  sigma?: number,
  out?: Float64Array,
): Float64Array;
export function studentsT(
  x: Float64Array | number,
  amplitude = 1,
  center = 0,
  sigma = 1,
  out?: Float64Array,
): Float64Array | number {
  if (typeof x === "number") return studentsT(Float64Array.of(x), amplitude, center, sigma)[0];
  const o = outFor(x, out);
  const s1 = (sigma + 1) / 2;
  const denom = pyMax(TINY, Math.sqrt(sigma * Math.PI) * gamfcn(pyMax(TINY, sigma / 2)));
  const g1 = gamfcn(s1), s = pyMax(TINY, sigma);
  for (let i = 0; i < x.length; i++) {
    o[i] = (amplitude * (1 + (x[i] - center) ** 2 / s) ** -s1 * g1) / denom;
  }
  return o;
}

/**
 * Exponentially modified Gaussian:
 * `amplitude·(γ/2)·exp(γ(center + γσ²/2 − x))·erfc((center + γσ² − x)/(√2σ))`.
 *
 * @example
 * ```ts
 * import { expgaussian } from "./lineshapes.ts";
 * expgaussian(Float64Array.of(0))[0]; // 0.5·e^{0.5}·erfc(1/√2)
 * ```
 */
export function expgaussian(
  x: number,
  amplitude?: number,
  center?: number,
  sigma?: number,
  gamma?: number,
): number;
/** `expgaussian` at every point of `x` (into `out` when given). */
export function expgaussian(
  x: Float64Array,
  amplitude?: number,
  center?: number,
  sigma?: number,
  gamma?: number,
  out?: Float64Array,
): Float64Array;
export function expgaussian(
  x: Float64Array | number,
  amplitude = 1,
  center = 0,
  sigma = 1,
  gamma = 1,
  out?: Float64Array,
): Float64Array | number {
  if (typeof x === "number") {
    return expgaussian(Float64Array.of(x), amplitude, center, sigma, gamma)[0];
  }
  const o = outFor(x, out);
  const gss = gamma * sigma * sigma, d = pyMax(TINY, S2 * sigma);
  for (let i = 0; i < x.length; i++) {
    const arg1 = gamma * (center + gss / 2 - x[i]);
    const arg2 = (center + gss - x[i]) / d;
    o[i] = amplitude * (gamma / 2) * Math.exp(arg1) * erfc(arg2);
  }
  return o;
}

/**
 * Doniach-Šunjić: `amplitude/σ^(1−γ)·cos(πγ/2 + (1−γ)·atan t)/(1 + t²)^((1−γ)/2)`, `t = (x−center)/σ`.
 *
 * @example
 * ```ts
 * import { doniach } from "./lineshapes.ts";
 * doniach(Float64Array.of(0))[0]; // 1
 * ```
 */
export function doniach(
  x: number,
  amplitude?: number,
  center?: number,
  sigma?: number,
  gamma?: number,
): number;
/** `doniach` at every point of `x` (into `out` when given). */
export function doniach(
  x: Float64Array,
  amplitude?: number,
  center?: number,
  sigma?: number,
  gamma?: number,
  out?: Float64Array,
): Float64Array;
export function doniach(
  x: Float64Array | number,
  amplitude = 1,
  center = 0,
  sigma = 1,
  gamma = 0,
  out?: Float64Array,
): Float64Array | number {
  if (typeof x === "number") return doniach(Float64Array.of(x), amplitude, center, sigma, gamma)[0];
  const o = outFor(x, out);
  const s = pyMax(TINY, sigma), gm1 = 1 - gamma;
  const scale = amplitude / pyMax(TINY, sigma ** gm1);
  for (let i = 0; i < x.length; i++) {
    const arg = (x[i] - center) / s;
    o[i] = (scale * Math.cos((Math.PI * gamma) / 2 + gm1 * Math.atan(arg))) /
      (1 + arg ** 2) ** (gm1 / 2);
  }
  return o;
}

/**
 * Gaussian skewed by an error function: `(1 + erf(γ(x−center)/(√2σ)))·gaussian`.
 *
 * @example
 * ```ts
 * import { skewedGaussian } from "./lineshapes.ts";
 * skewedGaussian(Float64Array.of(0), 1, 0, 1, 3)[0]; // 0.3989422804014327
 * ```
 */
export function skewedGaussian(
  x: number,
  amplitude?: number,
  center?: number,
  sigma?: number,
  gamma?: number,
): number;
/** `skewedGaussian` at every point of `x` (into `out` when given). */
export function skewedGaussian(
  x: Float64Array,
  amplitude?: number,
  center?: number,
  sigma?: number,
  gamma?: number,
  out?: Float64Array,
): Float64Array;
export function skewedGaussian(
  x: Float64Array | number,
  amplitude = 1,
  center = 0,
  sigma = 1,
  gamma = 0,
  out?: Float64Array,
): Float64Array | number {
  if (typeof x === "number") {
    return skewedGaussian(Float64Array.of(x), amplitude, center, sigma, gamma)[0];
  }
  const o = gaussian(x, amplitude, center, sigma, out);
  const d = pyMax(TINY, S2 * sigma);
  for (let i = 0; i < x.length; i++) o[i] *= 1 + erf((gamma * (x[i] - center)) / d);
  return o;
}

/**
 * Voigt skewed by an error function: `(1 + erf(skew(x−center)/(√2σ)))·voigt`; `gamma`
 * defaults to `sigma`.
 *
 * @example
 * ```ts
 * import { skewedVoigt } from "./lineshapes.ts";
 * skewedVoigt(Float64Array.of(0), 1, 0, 1, 0, 2)[0]; // 0.3989422804014327
 * ```
 */
export function skewedVoigt(
  x: number,
  amplitude?: number,
  center?: number,
  sigma?: number,
  gamma?: number,
  skew?: number,
): number;
/** `skewedVoigt` at every point of `x` (into `out` when given). */
export function skewedVoigt(
  x: Float64Array,
  amplitude?: number,
  center?: number,
  sigma?: number,
  gamma?: number,
  skew?: number,
  out?: Float64Array,
): Float64Array;
export function skewedVoigt(
  x: Float64Array | number,
  amplitude = 1,
  center = 0,
  sigma = 1,
  gamma?: number,
  skew = 0,
  out?: Float64Array,
): Float64Array | number {
  if (typeof x === "number") {
    return skewedVoigt(Float64Array.of(x), amplitude, center, sigma, gamma, skew)[0];
  }
  const o = voigt(x, amplitude, center, sigma, gamma, out);
  const beta = skew / pyMax(TINY, S2 * sigma);
  for (let i = 0; i < x.length; i++) o[i] *= 1 + erf(beta * (x[i] - center));
  return o;
}

/**
 * Sine: `amplitude·sin(frequency·x + shift)`.
 *
 * @example
 * ```ts
 * import { sine } from "./lineshapes.ts";
 * sine(Float64Array.of(Math.PI / 2))[0]; // 1
 * ```
 */
export function sine(
  x: number,
  amplitude?: number,
  frequency?: number,
  shift?: number,
): number;
/** `sine` at every point of `x` (into `out` when given). */
export function sine(
  x: Float64Array,
  amplitude?: number,
  frequency?: number,
  shift?: number,
  out?: Float64Array,
): Float64Array;
export function sine(
  x: Float64Array | number,
  amplitude = 1,
  frequency = 1,
  shift = 0,
  out?: Float64Array,
): Float64Array | number {
  if (typeof x === "number") return sine(Float64Array.of(x), amplitude, frequency, shift)[0];
  const o = outFor(x, out);
  for (let i = 0; i < x.length; i++) o[i] = amplitude * Math.sin(x[i] * frequency + shift);
  return o;
}

/**
 * Exponentially decaying sine: `amplitude·sin(frequency·x + shift)·exp(−x·decay)`.
 *
 * @example
 * ```ts
 * import { expsine } from "./lineshapes.ts";
 * expsine(Float64Array.of(Math.PI / 2), 1, 1, 0, 1)[0]; // e^{-π/2}
 * ```
 */
export function expsine(
  x: number,
  amplitude?: number,
  frequency?: number,
  shift?: number,
  decay?: number,
): number;
/** `expsine` at every point of `x` (into `out` when given). */
export function expsine(
  x: Float64Array,
  amplitude?: number,
  frequency?: number,
  shift?: number,
  decay?: number,
  out?: Float64Array,
): Float64Array;
export function expsine(
  x: Float64Array | number,
  amplitude = 1,
  frequency = 1,
  shift = 0,
  decay = 0,
  out?: Float64Array,
): Float64Array | number {
  if (typeof x === "number") {
    return expsine(Float64Array.of(x), amplitude, frequency, shift, decay)[0];
  }
  const o = outFor(x, out);
  for (let i = 0; i < x.length; i++) {
    o[i] = amplitude * Math.sin(x[i] * frequency + shift) * Math.exp(-x[i] * decay);
  }
  return o;
}

function thermalOffset(form: string): number {
  const f = form.toLowerCase();
  if (f.startsWith("bose")) return -1;
  if (f.startsWith("maxwell")) return 0;
  if (f.startsWith("fermi")) return 1;
  throw new RangeError(
    `thermal_distribution: invalid form '${form}'; use 'bose', 'maxwell' or 'fermi'`,
  );
}

/**
 * Thermal distributions `1/(amplitude·exp((x − center)/kt) + offset)`, offset −1 (Bose-Einstein),
 * 0 (Maxwell-Boltzmann) or +1 (Fermi-Dirac); lmfit's `+ tiny·i` guard makes the value
 * `1/(D + tiny²/D)` = `D/(D² + tiny²)` with `D` the denominator, finite at D = 0 and D = ±∞.
 *
 * @example
 * ```ts
 * import { thermalDistribution } from "./lineshapes.ts";
 * thermalDistribution(Float64Array.of(0), 1, 0, 1, "fermi")[0]; // 0.5
 * ```
 */
export function thermalDistribution(
  x: number,
  amplitude?: number,
  center?: number,
  kt?: number,
  form?: ThermalForm | string,
): number;
/** `thermalDistribution` at every point of `x` (into `out` when given). */
export function thermalDistribution(
  x: Float64Array,
  amplitude?: number,
  center?: number,
  kt?: number,
  form?: ThermalForm | string,
  out?: Float64Array,
): Float64Array;
export function thermalDistribution(
  x: Float64Array | number,
  amplitude = 1,
  center = 0,
  kt = 1,
  form: ThermalForm | string = "bose",
  out?: Float64Array,
): Float64Array | number {
  if (typeof x === "number") {
    return thermalDistribution(Float64Array.of(x), amplitude, center, kt, form)[0];
  }
  const offset = thermalOffset(form);
  const o = outFor(x, out);
  const k = notZero(kt);
  for (let i = 0; i < x.length; i++) {
    const d = amplitude * Math.exp((x[i] - center) / k) + offset;
    o[i] = 1 / (d + (TINY * TINY) / d); // = Re 1/(d + i·tiny), also 0 at d = ±∞ and d = 0
  }
  return o;
}

function stepUnit(form: string): (t: number) => number {
  switch (form) {
    case "erf":
      return (t) => 0.5 * (1 + erf(t));
    case "logistic":
      return (t) => 1 - 1 / (1 + Math.exp(t));
    case "atan":
    case "arctan":
      return (t) => 0.5 + Math.atan(t) / Math.PI;
    case "linear":
      return (t) => Math.min(1, Math.max(0, t + 0.5));
  }
  throw new RangeError(
    `step: invalid form '${form}'; use 'erf', 'logistic', 'atan', 'arctan' or 'linear'`,
  );
}

/**
 * Step from 0 to `amplitude`, half-way at `center`, width `sigma`; `form` linear (default),
 * atan/arctan, erf or logistic, as lmfit's `step`.
 *
 * @example
 * ```ts
 * import { step } from "./lineshapes.ts";
 * step(Float64Array.of(-1, 0, 1), 2, 0, 1, "linear"); // [0, 1, 2]
 * ```
 */
export function step(
  x: number,
  amplitude?: number,
  center?: number,
  sigma?: number,
  form?: StepForm,
): number;
/** `step` at every point of `x` (into `out` when given). */
export function step(
  x: Float64Array,
  amplitude?: number,
  center?: number,
  sigma?: number,
  form?: StepForm,
  out?: Float64Array,
): Float64Array;
export function step(
  x: Float64Array | number,
  amplitude = 1,
  center = 0,
  sigma = 1,
  form: StepForm = "linear",
  out?: Float64Array,
): Float64Array | number {
  if (typeof x === "number") return step(Float64Array.of(x), amplitude, center, sigma, form)[0];
  const f = stepUnit(form);
  const o = outFor(x, out);
  const s = pyMax(TINY, sigma);
  for (let i = 0; i < x.length; i++) {
    const t = (x[i] - center) / s;
    o[i] = amplitude * (Number.isNaN(t) ? NaN : f(t));
  }
  return o;
}

function rectUnit(form: string): (a1: number, a2: number) => number {
  switch (form) {
    case "erf":
      return (a1, a2) => 0.5 * (erf(a1) + erf(a2));
    case "logistic":
      return (a1, a2) => 1 - 1 / (1 + Math.exp(a1)) - 1 / (1 + Math.exp(a2));
    case "atan":
    case "arctan":
      return (a1, a2) => (Math.atan(a1) + Math.atan(a2)) / Math.PI;
    case "linear":
      return (a1, a2) => 0.5 * (Math.min(1, Math.max(-1, a1)) + Math.min(1, Math.max(-1, a2)));
  }
  throw new RangeError(
    `rectangle: invalid form '${form}'; use 'erf', 'logistic', 'atan', 'arctan' or 'linear'`,
  );
}

/**
 * Rectangle: a step up at `center1` (width `sigma1`) and down at `center2` (width `sigma2`),
 * `form` as {@link step}.
 *
 * @example
 * ```ts
 * import { rectangle } from "./lineshapes.ts";
 * rectangle(Float64Array.of(-5, 2, 9), 1, 0, 1, 4, 1); // [0, 1, 0]
 * ```
 */
export function rectangle(
  x: number,
  amplitude?: number,
  center1?: number,
  sigma1?: number,
  center2?: number,
  sigma2?: number,
  form?: StepForm,
): number;
/** `rectangle` at every point of `x` (into `out` when given). */
export function rectangle(
  x: Float64Array,
  amplitude?: number,
  center1?: number,
  sigma1?: number,
  center2?: number,
  sigma2?: number,
  form?: StepForm,
  out?: Float64Array,
): Float64Array;
export function rectangle(
  x: Float64Array | number,
  amplitude = 1,
  center1 = 0,
  sigma1 = 1,
  center2 = 1,
  sigma2 = 1,
  form: StepForm = "linear",
  out?: Float64Array,
): Float64Array | number {
  if (typeof x === "number") {
    return rectangle(Float64Array.of(x), amplitude, center1, sigma1, center2, sigma2, form)[0];
  }
  const f = rectUnit(form);
  const o = outFor(x, out);
  const s1 = pyMax(TINY, sigma1), s2 = pyMax(TINY, sigma2);
  for (let i = 0; i < x.length; i++) {
    o[i] = amplitude * f((x[i] - center1) / s1, (center2 - x[i]) / s2);
  }
  return o;
}

/**
 * Exponential: `amplitude·exp(−x/decay)`, decay kept at least tiny in magnitude.
 *
 * @example
 * ```ts
 * import { exponential } from "./lineshapes.ts";
 * exponential(Float64Array.of(2), 3, 2)[0]; // 3/e
 * ```
 */
export function exponential(
  x: number,
  amplitude?: number,
  decay?: number,
): number;
/** `exponential` at every point of `x` (into `out` when given). */
export function exponential(
  x: Float64Array,
  amplitude?: number,
  decay?: number,
  out?: Float64Array,
): Float64Array;
export function exponential(
  x: Float64Array | number,
  amplitude = 1,
  decay = 1,
  out?: Float64Array,
): Float64Array | number {
  if (typeof x === "number") return exponential(Float64Array.of(x), amplitude, decay)[0];
  const o = outFor(x, out);
  const d = notZero(decay);
  for (let i = 0; i < x.length; i++) o[i] = amplitude * Math.exp(-x[i] / d);
  return o;
}

/**
 * Power law: `amplitude·x^exponent` (NaN for negative x and non-integer exponent, as numpy).
 *
 * @example
 * ```ts
 * import { powerlaw } from "./lineshapes.ts";
 * powerlaw(Float64Array.of(4), 2, 0.5)[0]; // 4
 * ```
 */
export function powerlaw(
  x: number,
  amplitude?: number,
  exponent?: number,
): number;
/** `powerlaw` at every point of `x` (into `out` when given). */
export function powerlaw(
  x: Float64Array,
  amplitude?: number,
  exponent?: number,
  out?: Float64Array,
): Float64Array;
export function powerlaw(
  x: Float64Array | number,
  amplitude = 1,
  exponent = 1,
  out?: Float64Array,
): Float64Array | number {
  if (typeof x === "number") return powerlaw(Float64Array.of(x), amplitude, exponent)[0];
  const o = outFor(x, out);
  for (let i = 0; i < x.length; i++) o[i] = amplitude * x[i] ** exponent;
  return o;
}

/**
 * Straight line: `slope·x + intercept`.
 *
 * @example
 * ```ts
 * import { linear } from "./lineshapes.ts";
 * linear(Float64Array.of(2), 3, 1)[0]; // 7
 * ```
 */
export function linear(
  x: number,
  slope?: number,
  intercept?: number,
): number;
/** `linear` at every point of `x` (into `out` when given). */
export function linear(
  x: Float64Array,
  slope?: number,
  intercept?: number,
  out?: Float64Array,
): Float64Array;
export function linear(
  x: Float64Array | number,
  slope = 1,
  intercept = 0,
  out?: Float64Array,
): Float64Array | number {
  if (typeof x === "number") return linear(Float64Array.of(x), slope, intercept)[0];
  const o = outFor(x, out);
  for (let i = 0; i < x.length; i++) o[i] = slope * x[i] + intercept;
  return o;
}

/**
 * Parabola: `a·x² + b·x + c`.
 *
 * @example
 * ```ts
 * import { parabolic } from "./lineshapes.ts";
 * parabolic(Float64Array.of(2), 1, 1, 1)[0]; // 7
 * ```
 */
export function parabolic(
  x: number,
  a?: number,
  b?: number,
  c?: number,
): number;
/** `parabolic` at every point of `x` (into `out` when given). */
export function parabolic(
  x: Float64Array,
  a?: number,
  b?: number,
  c?: number,
  out?: Float64Array,
): Float64Array;
export function parabolic(
  x: Float64Array | number,
  a = 0,
  b = 0,
  c = 0,
  out?: Float64Array,
): Float64Array | number {
  if (typeof x === "number") return parabolic(Float64Array.of(x), a, b, c)[0];
  const o = outFor(x, out);
  for (let i = 0; i < x.length; i++) o[i] = a * x[i] ** 2 + b * x[i] + c;
  return o;
}

/**
 * Constant `c` at every x (lmfit's ConstantModel function returns the scalar).
 *
 * @example
 * ```ts
 * import { constant } from "./lineshapes.ts";
 * constant(Float64Array.of(1, 2), 5); // [5, 5]
 * ```
 */
export function constant(
  x: number,
  c?: number,
): number;
/** `constant` at every point of `x` (into `out` when given). */
export function constant(
  x: Float64Array,
  c?: number,
  out?: Float64Array,
): Float64Array;
export function constant(
  x: Float64Array | number,
  c = 0,
  out?: Float64Array,
): Float64Array | number {
  if (typeof x === "number") return constant(Float64Array.of(x), c)[0];
  const o = outFor(x, out);
  o.fill(c);
  return o;
}

/**
 * Polynomial `c0 + c1·x + ... + c7·x⁷` by Horner's rule (numpy's `polyval`), as lmfit's
 * PolynomialModel function; coefficients in increasing order, missing ones zero.
 *
 * @example
 * ```ts
 * import { polynomial } from "./lineshapes.ts";
 * polynomial(Float64Array.of(2), [1, 0, 3])[0]; // 13
 * ```
 */
export function polynomial(
  x: number,
  coefs: ArrayLike<number>,
): number;
/** `polynomial` at every point of `x` (into `out` when given). */
export function polynomial(
  x: Float64Array,
  coefs: ArrayLike<number>,
  out?: Float64Array,
): Float64Array;
export function polynomial(
  x: Float64Array | number,
  coefs: ArrayLike<number>,
  out?: Float64Array,
): Float64Array | number {
  if (typeof x === "number") return polynomial(Float64Array.of(x), coefs)[0];
  if (coefs.length > 8) {
    throw new RangeError(`polynomial: at most 8 coefficients (degree 7), got ${coefs.length}`);
  }
  const o = outFor(x, out);
  const c = new Float64Array(8);
  for (let k = 0; k < coefs.length; k++) c[k] = coefs[k];
  for (let i = 0; i < x.length; i++) {
    let v = c[7];
    for (let k = 6; k >= 0; k--) v = v * x[i] + c[k];
    o[i] = v;
  }
  return o;
}

/** One lineshape: how to call it and how it reads in the expression language. */
export interface LineshapeSpec {
  /** The TypeScript function with lmfit's positional signature (x first, out last). */
  readonly fn: (...args: never[]) => Float64Array;
  /** Evaluates on named independent variables and parameters (missing ones take defaults). */
  readonly evaluate: (
    vars: Readonly<Record<string, Float64Array>>,
    params: Readonly<Record<string, number>>,
    out?: Float64Array,
  ) => Float64Array;
  /** Parameter names in lmfit's order. */
  readonly paramNames: readonly string[];
  /** lmfit's default values of those parameters. */
  readonly defaults: Readonly<Record<string, number>>;
  /** Independent variable names (`["x"]`, or `["x", "y"]` for gaussian2d). */
  readonly independentVars: readonly string[];
  /**
   * The lineshape in the expression language (Python syntax, tiny-guards included), or
   * undefined where it is not expressible. Uses, beyond arithmetic and Python's math module:
   * `erf`, `erfc` (skewed_gaussian, expgaussian, step/rectangle erf forms, skewed_voigt),
   * `wofz_re` (voigt, skewed_voigt), `gamfcn` (pearson7, students_t), `lgamma`, `lgamma_cre`
   * and `betaln` (pearson4), comparisons (split_lorentzian) and `a if c else b` (dho).
   */
  readonly expression?: string;
}

const T = "1e-15";

function spec(
  fn: (...args: never[]) => Float64Array,
  paramNames: string[],
  defaults: number[],
  call: (
    v: Readonly<Record<string, Float64Array>>,
    p: number[],
    out?: Float64Array,
  ) => Float64Array,
  expression: string | undefined,
  independentVars: string[] = ["x"],
): LineshapeSpec {
  const defs = Object.freeze(Object.fromEntries(paramNames.map((n, i) => [n, defaults[i]])));
  return Object.freeze({
    fn,
    paramNames: Object.freeze(paramNames),
    defaults: defs,
    independentVars: Object.freeze(independentVars),
    expression,
    evaluate(
      vars: Readonly<Record<string, Float64Array>>,
      params: Readonly<Record<string, number>>,
      out?: Float64Array,
    ) {
      for (const v of independentVars) {
        if (!(vars[v] instanceof Float64Array)) {
          throw new TypeError(`lineshape: independent variable '${v}' must be a Float64Array`);
        }
      }
      return call(vars, paramNames.map((n) => params[n] ?? defs[n]), out);
    },
  });
}

const GAUSS_EXPR = (a: string, c: string, s: string) =>
  `${a}/max(${T}, sqrt(2*pi)*${s})*exp(-(x - ${c})**2/max(${T}, 2*${s}**2))`;
const LORENTZ_EXPR = (a: string) =>
  `${a}/(1 + ((x - center)/max(${T}, sigma))**2)/max(${T}, pi*sigma)`;
const VOIGT_EXPR =
  `amplitude*wofz_re((x - center)/max(${T}, sigma*sqrt(2)), gamma/max(${T}, sigma*sqrt(2)))/max(${T}, sigma*sqrt(2*pi))`;
const THERMAL_EXPR = (offset: string) => {
  const d = `(amplitude*exp((x - center)/copysign(max(${T}, abs(kt)), kt))${offset})`;
  return `1/(${d} + 1e-30/${d})`;
};
const STEP_T = `((x - center)/max(${T}, sigma))`;
const STEP_EXPR: Record<string, string> = {
  linear: `amplitude*min(1, max(0, ${STEP_T} + 0.5))`,
  atan: `amplitude*(0.5 + atan(${STEP_T})/pi)`,
  erf: `amplitude*0.5*(1 + erf(${STEP_T}))`,
  logistic: `amplitude*(1 - 1/(1 + exp(${STEP_T})))`,
};
const R1 = `((x - center1)/max(${T}, sigma1))`, R2 = `((center2 - x)/max(${T}, sigma2))`;
const RECT_EXPR: Record<string, string> = {
  linear: `amplitude*0.5*(min(1, max(-1, ${R1})) + min(1, max(-1, ${R2})))`,
  atan: `amplitude*(atan(${R1}) + atan(${R2}))/pi`,
  erf: `amplitude*0.5*(erf(${R1}) + erf(${R2}))`,
  logistic: `amplitude*(1 - 1/(1 + exp(${R1})) - 1/(1 + exp(${R2})))`,
};

const PEAK = ["amplitude", "center", "sigma"];
const fnAny = (f: unknown) => f as (...args: never[]) => Float64Array;

function buildTable(): Record<string, LineshapeSpec> {
  const t: Record<string, LineshapeSpec> = {
    gaussian: spec(
      fnAny(gaussian),
      PEAK,
      [1, 0, 1],
      (v, p, o) => gaussian(v.x, p[0], p[1], p[2], o),
      GAUSS_EXPR("amplitude", "center", "sigma"),
    ),
    gaussian2d: spec(
      fnAny(gaussian2d),
      ["amplitude", "centerx", "centery", "sigmax", "sigmay"],
      [1, 0, 0, 1, 1],
      (v, p, o) => gaussian2d(v.x, v.y, p[0], p[1], p[2], p[3], p[4], o),
      `amplitude*(exp(-(x - centerx)**2/max(${T}, 2*sigmax**2))/max(${T}, sqrt(2*pi)*sigmax))*(exp(-(y - centery)**2/max(${T}, 2*sigmay**2))/max(${T}, sqrt(2*pi)*sigmay))`,
      ["x", "y"],
    ),
    lorentzian: spec(
      fnAny(lorentzian),
      PEAK,
      [1, 0, 1],
      (v, p, o) => lorentzian(v.x, p[0], p[1], p[2], o),
      LORENTZ_EXPR("amplitude"),
    ),
    split_lorentzian: spec(
      fnAny(splitLorentzian),
      [...PEAK, "sigma_r"],
      [1, 0, 1, 1],
      (v, p, o) => splitLorentzian(v.x, p[0], p[1], p[2], p[3], o),
      `2*amplitude/(pi*(max(${T}, sigma) + max(${T}, sigma_r)))*(max(${T}, sigma)**2*(x < center)/(max(${T}, sigma)**2 + (x - center)**2) + max(${T}, sigma_r)**2*(x >= center)/(max(${T}, sigma_r)**2 + (x - center)**2))`,
    ),
    voigt: spec(
      fnAny(voigt),
      [...PEAK, "gamma"],
      [1, 0, 1, 1],
      (v, p, o) => voigt(v.x, p[0], p[1], p[2], p[3], o),
      VOIGT_EXPR,
    ),
    pvoigt: spec(
      fnAny(pvoigt),
      [...PEAK, "fraction"],
      [1, 0, 1, 0.5],
      (v, p, o) => pvoigt(v.x, p[0], p[1], p[2], p[3], o),
      `(1 - fraction)*${GAUSS_EXPR("amplitude", "center", "(sigma/sqrt(2*log(2)))")} + fraction*${
        LORENTZ_EXPR("amplitude")
      }`,
    ),
    moffat: spec(
      fnAny(moffat),
      [...PEAK, "beta"],
      [1, 0, 1, 1],
      (v, p, o) => moffat(v.x, p[0], p[1], p[2], p[3], o),
      `amplitude/(((x - center)/max(${T}, sigma))**2 + 1)**beta`,
    ),
    pearson4: spec(
      fnAny(pearson4),
      [...PEAK, "expon", "skew"],
      [1, 0, 1, 1, 0],
      (v, p, o) => pearson4(v.x, p[0], p[1], p[2], p[3], p[4], o),
      `(amplitude/max(${T}, sigma))*exp(2*(lgamma_cre(max(${T}, expon), skew*0.5) - lgamma(max(${T}, expon))) - betaln(max(${T}, expon) - 0.5, 0.5) - max(${T}, expon)*log1p(((x - center)/max(${T}, sigma))**2) - skew*atan((x - center)/max(${T}, sigma)))`,
    ),
    pearson7: spec(
      fnAny(pearson7),
      [...PEAK, "expon"],
      [1, 0, 1, 1],
      (v, p, o) => pearson7(v.x, p[0], p[1], p[2], p[3], o),
      `amplitude*gamfcn(max(${T}, expon))/(gamfcn(0.5)*gamfcn(max(${T}, expon) - 0.5))*(1 + ((x - center)/max(${T}, sigma))**2)**(-max(${T}, expon))/max(${T}, sigma)`,
    ),
    breit_wigner: spec(
      fnAny(breitWigner),
      [...PEAK, "q"],
      [1, 0, 1, 1],
      (v, p, o) => breitWigner(v.x, p[0], p[1], p[2], p[3], o),
      `amplitude*(q*sigma/2 + x - center)**2/((sigma/2)**2 + (x - center)**2)`,
    ),
    damped_oscillator: spec(
      fnAny(dampedOscillator),
      PEAK,
      [1, 1, 0.1],
      (v, p, o) => dampedOscillator(v.x, p[0], p[1], p[2], o),
      `amplitude/sqrt((1 - (x/max(${T}, abs(center)))**2)**2 + (2*sigma*x/max(${T}, abs(center)))**2)`,
    ),
    dho: spec(
      fnAny(dho),
      [...PEAK, "gamma"],
      [1, 1, 1, 1],
      (v, p, o) => dho(v.x, p[0], p[1], p[2], p[3], o),
      `amplitude*sigma/pi*((4*gamma*center/(center**2 + sigma**2)**2) if abs(x) <= 1e-8 else (1/((x - center)**2 + sigma**2) - 1/((x + center)**2 + sigma**2))/(${T} if abs(1 - exp(-x/max(${T}, gamma))) <= ${T} else (1 - exp(-x/max(${T}, gamma)))))`,
    ),
    logistic: spec(
      fnAny(logistic),
      PEAK,
      [1, 0, 1],
      (v, p, o) => logistic(v.x, p[0], p[1], p[2], o),
      `amplitude*(1 - 1/(1 + exp((x - center)/max(${T}, sigma))))`,
    ),
    lognormal: spec(
      fnAny(lognormal),
      PEAK,
      [1, 0, 1],
      (v, p, o) => lognormal(v.x, p[0], p[1], p[2], o),
      `amplitude/(max(${T}, x)*max(${T}, sigma*sqrt(2*pi)))*exp(-(log(max(${T}, x)) - center)**2/max(${T}, 2*sigma**2))`,
    ),
    students_t: spec(
      fnAny(studentsT),
      PEAK,
      [1, 0, 1],
      (v, p, o) => studentsT(v.x, p[0], p[1], p[2], o),
      `amplitude*(1 + (x - center)**2/max(${T}, sigma))**(-(sigma + 1)/2)*gamfcn((sigma + 1)/2)/max(${T}, sqrt(sigma*pi)*gamfcn(max(${T}, sigma/2)))`,
    ),
    expgaussian: spec(
      fnAny(expgaussian),
      [...PEAK, "gamma"],
      [1, 0, 1, 1],
      (v, p, o) => expgaussian(v.x, p[0], p[1], p[2], p[3], o),
      `amplitude*(gamma/2)*exp(gamma*(center + gamma*sigma**2/2 - x))*erfc((center + gamma*sigma**2 - x)/max(${T}, sqrt(2)*sigma))`,
    ),
    doniach: spec(
      fnAny(doniach),
      [...PEAK, "gamma"],
      [1, 0, 1, 0],
      (v, p, o) => doniach(v.x, p[0], p[1], p[2], p[3], o),
      `amplitude/max(${T}, sigma**(1 - gamma))*cos(pi*gamma/2 + (1 - gamma)*atan((x - center)/max(${T}, sigma)))/(1 + ((x - center)/max(${T}, sigma))**2)**((1 - gamma)/2)`,
    ),
    skewed_gaussian: spec(
      fnAny(skewedGaussian),
      [...PEAK, "gamma"],
      [1, 0, 1, 0],
      (v, p, o) => skewedGaussian(v.x, p[0], p[1], p[2], p[3], o),
      `(1 + erf(gamma*(x - center)/max(${T}, sqrt(2)*sigma)))*${
        GAUSS_EXPR("amplitude", "center", "sigma")
      }`,
    ),
    skewed_voigt: spec(
      fnAny(skewedVoigt),
      [...PEAK, "gamma", "skew"],
      [1, 0, 1, 1, 0],
      (v, p, o) => skewedVoigt(v.x, p[0], p[1], p[2], p[3], p[4], o),
      `(1 + erf(skew/max(${T}, sqrt(2)*sigma)*(x - center)))*${VOIGT_EXPR}`,
    ),
    sine: spec(
      fnAny(sine),
      ["amplitude", "frequency", "shift"],
      [1, 1, 0],
      (v, p, o) => sine(v.x, p[0], p[1], p[2], o),
      `amplitude*sin(x*frequency + shift)`,
    ),
    expsine: spec(
      fnAny(expsine),
      ["amplitude", "frequency", "shift", "decay"],
      [1, 1, 0, 0],
      (v, p, o) => expsine(v.x, p[0], p[1], p[2], p[3], o),
      `amplitude*sin(x*frequency + shift)*exp(-x*decay)`,
    ),
    exponential: spec(
      fnAny(exponential),
      ["amplitude", "decay"],
      [1, 1],
      (v, p, o) => exponential(v.x, p[0], p[1], o),
      `amplitude*exp(-x/copysign(max(${T}, abs(decay)), decay))`,
    ),
    powerlaw: spec(
      fnAny(powerlaw),
      ["amplitude", "exponent"],
      [1, 1],
      (v, p, o) => powerlaw(v.x, p[0], p[1], o),
      `amplitude*x**exponent`,
    ),
    linear: spec(
      fnAny(linear),
      ["slope", "intercept"],
      [1, 0],
      (v, p, o) => linear(v.x, p[0], p[1], o),
      `slope*x + intercept`,
    ),
    parabolic: spec(
      fnAny(parabolic),
      ["a", "b", "c"],
      [0, 0, 0],
      (v, p, o) => parabolic(v.x, p[0], p[1], p[2], o),
      `a*x**2 + b*x + c`,
    ),
    constant: spec(fnAny(constant), ["c"], [0], (v, p, o) => constant(v.x, p[0], o), `c + 0*x`),
    polynomial: spec(
      fnAny(polynomial),
      ["c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7"],
      [0, 0, 0, 0, 0, 0, 0, 0],
      (v, p, o) => polynomial(v.x, p, o),
      `((((((c7*x + c6)*x + c5)*x + c4)*x + c3)*x + c2)*x + c1)*x + c0`,
    ),
  };
  for (const [form, offset] of [["bose", " - 1"], ["maxwell", ""], ["fermi", " + 1"]] as const) {
    t[form === "bose" ? "thermal_distribution" : `thermal_distribution_${form}`] = spec(
      fnAny(thermalDistribution),
      ["amplitude", "center", "kt"],
      [1, 0, 1],
      (v, p, o) => thermalDistribution(v.x, p[0], p[1], p[2], form, o),
      THERMAL_EXPR(offset),
    );
  }
  for (const form of ["linear", "atan", "erf", "logistic"] as const) {
    const suffix = form === "linear" ? "" : `_${form}`;
    t[`step${suffix}`] = spec(
      fnAny(step),
      PEAK,
      [1, 0, 1],
      (v, p, o) => step(v.x, p[0], p[1], p[2], form, o),
      STEP_EXPR[form],
    );
    t[`rectangle${suffix}`] = spec(
      fnAny(rectangle),
      ["amplitude", "center1", "sigma1", "center2", "sigma2"],
      [1, 0, 1, 1, 1],
      (v, p, o) => rectangle(v.x, p[0], p[1], p[2], p[3], p[4], form, o),
      RECT_EXPR[form],
    );
  }
  return t;
}

/**
 * Every lmfit lineshape by lmfit's function name; forms other than the default get a suffix:
 * `step_atan`, `step_erf`, `step_logistic`, `rectangle_*` likewise, and
 * `thermal_distribution_maxwell` / `_fermi` (plain `thermal_distribution` is Bose-Einstein).
 * `voigt`/`skewed_voigt` list `gamma` with default 1 (lmfit's `gamma=None` means "= sigma",
 * whose default is 1; the models tie it by the expression `sigma`, see {@link DERIVED_PARAMS}).
 *
 * @example
 * ```ts
 * import { LINESHAPES } from "./lineshapes.ts";
 * const g = LINESHAPES.gaussian;
 * g.evaluate({ x: Float64Array.of(0) }, { amplitude: 2 })[0]; // 0.7978845608028654
 * g.expression; // "amplitude/max(1e-15, sqrt(2*pi)*sigma)*exp(-(x - center)**2/max(1e-15, 2*sigma**2))"
 * ```
 */
export const LINESHAPES: Readonly<Record<string, LineshapeSpec>> = Object.freeze(buildTable());

/**
 * lmfit 1.1.0's derived-parameter expressions (parameter hints with `expr`) per built-in model,
 * verbatim from `lmfit/models.py` (asteval syntax: `wofz(...).real`, `1j`, `arctan2`, ...), with
 * `{prefix}` where lmfit inserts the model prefix. Keys are the model's lineshape names.
 *
 * @example
 * ```ts
 * import { DERIVED_PARAMS } from "./lineshapes.ts";
 * DERIVED_PARAMS.gaussian.fwhm; // "2.3548200*{prefix}sigma"
 * ```
 */
export const DERIVED_PARAMS: Readonly<Record<string, Readonly<Record<string, string>>>> = Object
  .freeze({
    gaussian: {
      fwhm: "2.3548200*{prefix}sigma",
      height: "0.3989423*{prefix}amplitude/max(1e-15, {prefix}sigma)",
    },
    gaussian2d: {
      fwhmx: "2.3548200*{prefix}sigmax",
      fwhmy: "2.3548200*{prefix}sigmay",
      height: "0.1591549*{prefix}amplitude/(max(1e-15, {prefix}sigmax)*max(1e-15, {prefix}sigmay))",
    },
    lorentzian: {
      fwhm: "2.0000000*{prefix}sigma",
      height: "0.3183099*{prefix}amplitude/max(1e-15, {prefix}sigma)",
    },
    split_lorentzian: {
      fwhm: "{prefix}sigma+{prefix}sigma_r",
      height: "2*{prefix}amplitude/3.1415927/max(0.0000000, ({prefix}sigma+{prefix}sigma_r))",
    },
    voigt: {
      gamma: "{prefix}sigma",
      fwhm: "1.0692*{prefix}gamma+sqrt(0.8664*{prefix}gamma**2+5.545083*{prefix}sigma**2)",
      height:
        "({prefix}amplitude/(max(1e-15, {prefix}sigma*sqrt(2*pi))))*wofz((1j*{prefix}gamma)/(max(1e-15, {prefix}sigma*sqrt(2)))).real",
    },
    pvoigt: {
      fwhm: "2.0000000*{prefix}sigma",
      height:
        "(((1-{prefix}fraction)*{prefix}amplitude)/max(1e-15, ({prefix}sigma*sqrt(pi/log(2))))+({prefix}fraction*{prefix}amplitude)/max(1e-15, (pi*{prefix}sigma)))",
    },
    moffat: {
      fwhm: "2*{prefix}sigma*sqrt(2**(1.0/max(1e-3, {prefix}beta))-1)",
      height: "{prefix}amplitude",
    },
    pearson4: {
      fwhm:
        "{prefix}sigma*sqrt(2**(1/{prefix}expon)-1)*pi/arctan2(exp(1)*{prefix}expon, {prefix}skew)",
      height:
        "({prefix}amplitude / {prefix}sigma) * exp(2 * (real(loggammafcn({prefix}expon + {prefix}skew * 0.5j)) - loggammafcn({prefix}expon)) - betalnfnc({prefix}expon-0.5, 0.5) - {prefix}expon * log1p(square({prefix}skew/(2*{prefix}expon))) - {prefix}skew * arctan(-{prefix}skew/(2*{prefix}expon)))",
      position: "{prefix}center-{prefix}sigma*{prefix}skew/(2*{prefix}expon)",
    },
    pearson7: {
      fwhm: "sqrt(2**(1/{prefix}expon)-1)*2*{prefix}sigma",
      height:
        "{prefix}amplitude * gamfcn({prefix}expon)/max(1e-15, (gamfcn(0.5)*gamfcn({prefix}expon-0.5)*{prefix}sigma))",
    },
    students_t: {
      height:
        "{prefix}amplitude*gamfcn(({prefix}sigma+1)/2)/(sqrt({prefix}sigma*pi)*gamfcn({prefix}sigma/2))",
      fwhm: "2*sqrt(2**(2/({prefix}sigma+1))*{prefix}sigma-{prefix}sigma)",
    },
    lognormal: {
      height:
        "{prefix}amplitude/max(1e-15, ({prefix}sigma*sqrt(2*pi)))*exp({prefix}sigma**2/2-{prefix}center)",
      fwhm:
        "exp({prefix}center-{prefix}sigma**2+{prefix}sigma*sqrt(2*log(2)))-exp({prefix}center-{prefix}sigma**2-{prefix}sigma*sqrt(2*log(2)))",
    },
    damped_oscillator: {
      height: "0.5000000*{prefix}amplitude/max(1e-15, {prefix}sigma)",
    },
    dho: {
      height:
        "({prefix}amplitude*{prefix}sigma)/max(1e-15, (pi*(1-exp(-{prefix}center/max(1e-15, {prefix}gamma)))))*(1/max(1e-15, {prefix}sigma**2)-1/max(1e-15, (4*{prefix}center**2+{prefix}sigma**2)))",
      fwhm: "2.0000000*{prefix}sigma",
    },
    skewed_voigt: {
      gamma: "{prefix}sigma",
    },
    doniach: {
      height:
        "{prefix}amplitude/max(1e-15, ({prefix}sigma**(1-{prefix}gamma)))*cos(pi*{prefix}gamma/2)",
    },
    rectangle: {
      midpoint: "({prefix}center1+{prefix}center2)/2.0",
    },
  });

/** lmfit's asteval spellings → ours, for the few derived expressions that need them. */
function toOurLanguage(expr: string): string {
  return expr
    .replace(
      /wofz\(\(1j\*\{prefix\}gamma\)\/\(max\(1e-15, \{prefix\}sigma\*sqrt\(2\)\)\)\)\.real/,
      "wofz_re(0, {prefix}gamma/(max(1e-15, {prefix}sigma*sqrt(2))))",
    )
    .replace(
      "real(loggammafcn({prefix}expon + {prefix}skew * 0.5j))",
      "lgamma_cre({prefix}expon, {prefix}skew * 0.5)",
    )
    .replace("loggammafcn(", "lgamma(")
    .replace("betalnfnc(", "betaln(")
    .replace("square({prefix}skew/(2*{prefix}expon))", "({prefix}skew/(2*{prefix}expon))**2")
    .replace("arctan2(", "atan2(")
    .replace("arctan(", "atan(");
}

/**
 * {@link DERIVED_PARAMS} in our expression language (same values; asteval-only forms such as
 * `wofz(1j*g/s).real`, `real(loggammafcn(a + b*0.5j))`, `square`, `arctan2` rewritten as
 * `wofz_re(0, g/s)`, `lgamma_cre(a, b*0.5)`, `**2`, `atan2`).
 *
 * @example
 * ```ts
 * import { DERIVED_PARAMS_EXPR } from "./lineshapes.ts";
 * DERIVED_PARAMS_EXPR.pearson4.fwhm.includes("atan2("); // true
 * ```
 */
export const DERIVED_PARAMS_EXPR: Readonly<Record<string, Readonly<Record<string, string>>>> =
  Object.freeze(
    Object.fromEntries(
      Object.entries(DERIVED_PARAMS).map(([model, exprs]) => [
        model,
        Object.freeze(
          Object.fromEntries(Object.entries(exprs).map(([n, e]) => [n, toOurLanguage(e)])),
        ),
      ]),
    ),
  );

/**
 * A derived-parameter template with the model prefix filled in.
 *
 * @example
 * ```ts
 * import { DERIVED_PARAMS_EXPR, withPrefix } from "./lineshapes.ts";
 * withPrefix(DERIVED_PARAMS_EXPR.gaussian.fwhm, "g1_"); // "2.3548200*g1_sigma"
 * ```
 */
export function withPrefix(template: string, prefix: string): string {
  return template.replaceAll("{prefix}", prefix);
}
