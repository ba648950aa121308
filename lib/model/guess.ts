/**
 * lmfit 1.1.0's `guess()` for every built-in model that has one, as pure functions of the data
 * returning plain objects of starting values (the values lmfit's `model.guess(y, x=x)` puts in
 * the parameters, including shape parameters lmfit leaves at their defaults). Checked against
 * lmfit to 1e-10 in tests/model/lineshapes_test.ts.
 *
 * @module
 */

import { polyfit } from "../linalg/lstsq.ts";

/** Peak start values. */
export interface PeakGuess {
  /** Area-like amplitude. */
  amplitude: number;
  /** Peak position. */
  center: number;
  /** Width. */
  sigma: number;
}

/** 2-D peak start values. */
export interface Peak2dGuess {
  /** Volume-like amplitude. */
  amplitude: number;
  /** x position. */
  centerx: number;
  /** y position. */
  centery: number;
  /** x width. */
  sigmax: number;
  /** y width. */
  sigmay: number;
}

function checkLengths(y: ArrayLike<number>, x: ArrayLike<number>, what: string): void {
  if (y.length !== x.length) {
    throw new RangeError(`${what}: data has ${y.length} points but x has ${x.length}`);
  }
  if (y.length === 0) throw new RangeError(`${what}: no data points`);
}

/** numpy's mean (pairwise summation differs from a plain sum by far less than 1e-10). */
function mean(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return s / v.length;
}

function minMax(v: ArrayLike<number>): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < v.length; i++) {
    if (v[i] < lo) lo = v[i];
    if (v[i] > hi) hi = v[i];
  }
  return [lo, hi];
}

/**
 * lmfit's `guess_from_peak`: sorts by x, takes the extreme's position as center and
 * `(max − min)·3` as height, then, where more than two points lie beyond half maximum (below it
 * for `negative`), their half-span as sigma and their mean as center; amplitude is
 * `height·sigma·ampscale`, sigma is scaled by `sigscale`.
 *
 * @example
 * ```ts
 * import { guessFromPeak } from "./guess.ts";
 * const x = Float64Array.from({ length: 11 }, (_, i) => i - 5);
 * guessFromPeak(x.map((v) => Math.exp(-v * v / 4)), x, false).center; // 0
 * ```
 */
export function guessFromPeak(
  y: ArrayLike<number>,
  x: ArrayLike<number>,
  negative = false,
  ampscale = 1,
  sigscale = 1,
): PeakGuess {
  checkLengths(y, x, "guessFromPeak");
  const n = x.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => x[a] - x[b] || a - b);
  const xs = new Float64Array(n), ys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    xs[i] = x[order[i]];
    ys[i] = y[order[i]];
  }
  let imax = 0;
  for (let i = 1; i < n; i++) if (ys[i] > ys[imax]) imax = i;
  const [miny, maxy] = minMax(ys);
  const [minx, maxx] = minMax(xs);
  let cen = xs[imax];
  let height = (maxy - miny) * 3;
  let sig = (maxx - minx) / 6;
  const half = (maxy + miny) / 2;
  if (negative) height = -(maxy - miny) * 3;
  let first = NaN, last = NaN, count = 0, sum = 0;
  for (let i = 0; i < n; i++) {
    if (negative ? ys[i] < half : ys[i] > half) {
      if (count === 0) first = xs[i];
      last = xs[i];
      sum += xs[i];
      count++;
    }
  }
  if (count > 2) {
    sig = (last - first) / 2;
    cen = sum / count;
  }
  return { amplitude: height * sig * ampscale, center: cen, sigma: sig * sigscale };
}

/**
 * lmfit's `guess_from_peak2d`: center at the extreme of z, sigmas a sixth of each range,
 * amplitude `(max − min)·sigmax·sigmay` (negated for `negative`).
 *
 * @example
 * ```ts
 * import { guessFromPeak2d } from "./guess.ts";
 * guessFromPeak2d([0, 2, 0], [0, 1, 2], [0, 3, 6], false).centery; // 3
 * ```
 */
export function guessFromPeak2d(
  z: ArrayLike<number>,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  negative = false,
): Peak2dGuess {
  checkLengths(z, x, "guessFromPeak2d");
  checkLengths(z, y, "guessFromPeak2d");
  const [minx, maxx] = minMax(x), [miny, maxy] = minMax(y), [minz, maxz] = minMax(z);
  let iext = 0;
  for (let i = 1; i < z.length; i++) {
    if (negative ? z[i] < z[iext] : z[i] > z[iext]) iext = i;
  }
  const height = negative ? minz - maxz : maxz - minz;
  const sigmax = (maxx - minx) / 6, sigmay = (maxy - miny) / 6;
  return {
    amplitude: height * sigmax * sigmay,
    centerx: x[iext],
    centery: y[iext],
    sigmax,
    sigmay,
  };
}

/**
 * ConstantModel: `c` = mean of the data.
 *
 * @example
 * ```ts
 * import { guessConstant } from "./guess.ts";
 * guessConstant([1, 2, 3]); // { c: 2 }
 * ```
 */
export function guessConstant(y: ArrayLike<number>): { c: number } {
  if (y.length === 0) throw new RangeError("guessConstant: no data points");
  return { c: mean(y) };
}

/**
 * LinearModel: least-squares straight line (numpy's `polyfit(x, y, 1)`).
 *
 * @example
 * ```ts
 * import { guessLinear } from "./guess.ts";
 * guessLinear([1, 3, 5], [0, 1, 2]); // { slope: 2, intercept: 1 }
 * ```
 */
export function guessLinear(
  y: ArrayLike<number>,
  x: ArrayLike<number>,
): { slope: number; intercept: number } {
  checkLengths(y, x, "guessLinear");
  const [slope, intercept] = polyfit(x, y, 1);
  return { slope, intercept };
}

/**
 * QuadraticModel (= ParabolicModel): least-squares parabola `a·x² + b·x + c`.
 *
 * @example
 * ```ts
 * import { guessQuadratic } from "./guess.ts";
 * guessQuadratic([1, 2, 5], [0, 1, 2]).a; // 1
 * ```
 */
export function guessQuadratic(
  y: ArrayLike<number>,
  x: ArrayLike<number>,
): { a: number; b: number; c: number } {
  checkLengths(y, x, "guessQuadratic");
  const [a, b, c] = polyfit(x, y, 2);
  return { a, b, c };
}

/**
 * ParabolicModel: the same as {@link guessQuadratic} (lmfit's alias).
 *
 * @example
 * ```ts
 * import { guessParabolic } from "./guess.ts";
 * guessParabolic([1, 2, 5], [0, 1, 2]).c; // 1
 * ```
 */
export const guessParabolic: typeof guessQuadratic = guessQuadratic;

/**
 * PolynomialModel of `degree` 0–7: least-squares coefficients `c0 … c{degree}`.
 *
 * @example
 * ```ts
 * import { guessPolynomial } from "./guess.ts";
 * guessPolynomial([1, 3, 5], [0, 1, 2], 1); // { c0: 1, c1: 2 }
 * ```
 */
export function guessPolynomial(
  y: ArrayLike<number>,
  x: ArrayLike<number>,
  degree: number,
): Record<string, number> {
  if (!Number.isInteger(degree) || degree < 0 || degree > 7) {
    throw new RangeError(`guessPolynomial: degree must be an integer from 0 to 7, got ${degree}`);
  }
  checkLengths(y, x, "guessPolynomial");
  const coefs = polyfit(x, y, degree);
  const out: Record<string, number> = {};
  for (let i = 0; i <= degree; i++) out[`c${i}`] = coefs[degree - i];
  return out;
}

/**
 * GaussianModel.
 *
 * @example
 * ```ts
 * import { guessGaussian } from "./guess.ts";
 * guessGaussian([0, 1, 4, 1, 0], [0, 1, 2, 3, 4]).center; // 2
 * ```
 */
export function guessGaussian(
  y: ArrayLike<number>,
  x: ArrayLike<number>,
  negative = false,
): PeakGuess {
  return guessFromPeak(y, x, negative);
}

/**
 * LorentzianModel (amplitude scaled by 1.25).
 *
 * @example
 * ```ts
 * import { guessLorentzian } from "./guess.ts";
 * guessLorentzian([0, 1, 4, 1, 0], [0, 1, 2, 3, 4]).amplitude; // 15
 * ```
 */
export function guessLorentzian(
  y: ArrayLike<number>,
  x: ArrayLike<number>,
  negative = false,
): PeakGuess {
  return guessFromPeak(y, x, negative, 1.25);
}

/**
 * SplitLorentzianModel (amplitude × 1.25, `sigma_r` = sigma).
 *
 * @example
 * ```ts
 * import { guessSplitLorentzian } from "./guess.ts";
 * guessSplitLorentzian([0, 1, 4, 1, 0], [0, 1, 2, 3, 4]).sigma_r; // 0.6666666666666666
 * ```
 */
export function guessSplitLorentzian(
  y: ArrayLike<number>,
  x: ArrayLike<number>,
  negative = false,
): PeakGuess & { sigma_r: number } {
  const g = guessFromPeak(y, x, negative, 1.25);
  return { ...g, sigma_r: g.sigma };
}

/**
 * VoigtModel (amplitude × 1.5, sigma × 0.65; `gamma` follows sigma as lmfit's hint).
 *
 * @example
 * ```ts
 * import { guessVoigt } from "./guess.ts";
 * const g = guessVoigt([0, 1, 4, 1, 0], [0, 1, 2, 3, 4]);
 * g.gamma === g.sigma; // true
 * ```
 */
export function guessVoigt(
  y: ArrayLike<number>,
  x: ArrayLike<number>,
  negative = false,
): PeakGuess & { gamma: number } {
  const g = guessFromPeak(y, x, negative, 1.5, 0.65);
  return { ...g, gamma: g.sigma };
}

/**
 * PseudoVoigtModel (amplitude × 1.25, fraction 0.5).
 *
 * @example
 * ```ts
 * import { guessPseudoVoigt } from "./guess.ts";
 * guessPseudoVoigt([0, 1, 4, 1, 0], [0, 1, 2, 3, 4]).fraction; // 0.5
 * ```
 */
export function guessPseudoVoigt(
  y: ArrayLike<number>,
  x: ArrayLike<number>,
  negative = false,
): PeakGuess & { fraction: number } {
  return { ...guessFromPeak(y, x, negative, 1.25), fraction: 0.5 };
}

/**
 * MoffatModel (amplitude × 0.5, beta at its default 1).
 *
 * @example
 * ```ts
 * import { guessMoffat } from "./guess.ts";
 * guessMoffat([0, 1, 4, 1, 0], [0, 1, 2, 3, 4]).beta; // 1
 * ```
 */
export function guessMoffat(
  y: ArrayLike<number>,
  x: ArrayLike<number>,
  negative = false,
): PeakGuess & { beta: number } {
  return { ...guessFromPeak(y, x, negative, 0.5, 1), beta: 1 };
}

/**
 * Pearson4Model (expon 1.5, skew 0).
 *
 * @example
 * ```ts
 * import { guessPearson4 } from "./guess.ts";
 * guessPearson4([0, 1, 4, 1, 0], [0, 1, 2, 3, 4]).expon; // 1.5
 * ```
 */
export function guessPearson4(
  y: ArrayLike<number>,
  x: ArrayLike<number>,
  negative = false,
): PeakGuess & { expon: number; skew: number } {
  return { ...guessFromPeak(y, x, negative), expon: 1.5, skew: 0 };
}

/**
 * Pearson7Model (expon 1.5).
 *
 * @example
 * ```ts
 * import { guessPearson7 } from "./guess.ts";
 * guessPearson7([0, 1, 4, 1, 0], [0, 1, 2, 3, 4]).expon; // 1.5
 * ```
 */
export function guessPearson7(
  y: ArrayLike<number>,
  x: ArrayLike<number>,
  negative = false,
): PeakGuess & { expon: number } {
  return { ...guessFromPeak(y, x, negative), expon: 1.5 };
}

/**
 * StudentsTModel (plain peak guess; sigma is the degrees of freedom).
 *
 * @example
 * ```ts
 * import { guessStudentsT } from "./guess.ts";
 * guessStudentsT([0, 1, 4, 1, 0], [0, 1, 2, 3, 4]).center; // 2
 * ```
 */
export function guessStudentsT(
  y: ArrayLike<number>,
  x: ArrayLike<number>,
  negative = false,
): PeakGuess {
  return guessFromPeak(y, x, negative);
}

/**
 * BreitWignerModel (q = 1).
 *
 * @example
 * ```ts
 * import { guessBreitWigner } from "./guess.ts";
 * guessBreitWigner([0, 1, 4, 1, 0], [0, 1, 2, 3, 4]).q; // 1
 * ```
 */
export function guessBreitWigner(
  y: ArrayLike<number>,
  x: ArrayLike<number>,
  negative = false,
): PeakGuess & { q: number } {
  return { ...guessFromPeak(y, x, negative), q: 1 };
}

/**
 * LognormalModel: lmfit ignores the data and starts at amplitude 1, center 0, sigma 0.25.
 *
 * @example
 * ```ts
 * import { guessLognormal } from "./guess.ts";
 * guessLognormal(); // { amplitude: 1, center: 0, sigma: 0.25 }
 * ```
 */
export function guessLognormal(
  _y?: ArrayLike<number>,
  _x?: ArrayLike<number>,
  _negative = false,
): PeakGuess {
  return { amplitude: 1, center: 0, sigma: 0.25 };
}

/**
 * DampedOscillatorModel (amplitude and sigma × 0.1).
 *
 * @example
 * ```ts
 * import { guessDampedOscillator } from "./guess.ts";
 * guessDampedOscillator([0, 1, 4, 1, 0], [0, 1, 2, 3, 4]).amplitude; // 1.2
 * ```
 */
export function guessDampedOscillator(
  y: ArrayLike<number>,
  x: ArrayLike<number>,
  negative = false,
): PeakGuess {
  return guessFromPeak(y, x, negative, 0.1, 0.1);
}

/**
 * DampedHarmonicOscillatorModel (amplitude and sigma × 0.1, gamma 1).
 *
 * @example
 * ```ts
 * import { guessDampedHarmonicOscillator } from "./guess.ts";
 * guessDampedHarmonicOscillator([0, 1, 4, 1, 0], [0, 1, 2, 3, 4]).gamma; // 1
 * ```
 */
export function guessDampedHarmonicOscillator(
  y: ArrayLike<number>,
  x: ArrayLike<number>,
  negative = false,
): PeakGuess & { gamma: number } {
  return { ...guessFromPeak(y, x, negative, 0.1, 0.1), gamma: 1 };
}

/**
 * ExponentialGaussianModel (peak guess, gamma at its default 1).
 *
 * @example
 * ```ts
 * import { guessExponentialGaussian } from "./guess.ts";
 * guessExponentialGaussian([0, 1, 4, 1, 0], [0, 1, 2, 3, 4]).gamma; // 1
 * ```
 */
export function guessExponentialGaussian(
  y: ArrayLike<number>,
  x: ArrayLike<number>,
  negative = false,
): PeakGuess & { gamma: number } {
  return { ...guessFromPeak(y, x, negative), gamma: 1 };
}

/**
 * SkewedGaussianModel (peak guess, gamma at its default 0).
 *
 * @example
 * ```ts
 * import { guessSkewedGaussian } from "./guess.ts";
 * guessSkewedGaussian([0, 1, 4, 1, 0], [0, 1, 2, 3, 4]).gamma; // 0
 * ```
 */
export function guessSkewedGaussian(
  y: ArrayLike<number>,
  x: ArrayLike<number>,
  negative = false,
): PeakGuess & { gamma: number } {
  return { ...guessFromPeak(y, x, negative), gamma: 0 };
}

/**
 * SkewedVoigtModel (peak guess, gamma = sigma by lmfit's hint, skew 0).
 *
 * @example
 * ```ts
 * import { guessSkewedVoigt } from "./guess.ts";
 * guessSkewedVoigt([0, 1, 4, 1, 0], [0, 1, 2, 3, 4]).skew; // 0
 * ```
 */
export function guessSkewedVoigt(
  y: ArrayLike<number>,
  x: ArrayLike<number>,
  negative = false,
): PeakGuess & { gamma: number; skew: number } {
  const g = guessFromPeak(y, x, negative);
  return { ...g, gamma: g.sigma, skew: 0 };
}

/**
 * DoniachModel (amplitude × 0.5, gamma at its default 0).
 *
 * @example
 * ```ts
 * import { guessDoniach } from "./guess.ts";
 * guessDoniach([0, 1, 4, 1, 0], [0, 1, 2, 3, 4]).amplitude; // 6
 * ```
 */
export function guessDoniach(
  y: ArrayLike<number>,
  x: ArrayLike<number>,
  negative = false,
): PeakGuess & { gamma: number } {
  return { ...guessFromPeak(y, x, negative, 0.5), gamma: 0 };
}

/**
 * ThermalDistributionModel: center = mean of x, kt = a tenth of the x range, amplitude 1.
 *
 * @example
 * ```ts
 * import { guessThermalDistribution } from "./guess.ts";
 * guessThermalDistribution([3, 2, 1], [0, 1, 2]); // { amplitude: 1, center: 1, kt: 0.2 }
 * ```
 */
export function guessThermalDistribution(
  y: ArrayLike<number>,
  x: ArrayLike<number>,
  _negative = false,
): { amplitude: number; center: number; kt: number } {
  checkLengths(y, x, "guessThermalDistribution");
  const [minx, maxx] = minMax(x);
  return { amplitude: 1, center: mean(x), kt: (maxx - minx) / 10 };
}

/**
 * PowerLawModel: straight line through `(ln(x + 1e-14), ln(y + 1e-14))`; throws RangeError
 * where that logarithm is undefined (lmfit's polyfit fails there too).
 *
 * @example
 * ```ts
 * import { guessPowerLaw } from "./guess.ts";
 * guessPowerLaw([2, 8, 18], [1, 2, 3]).exponent; // ≈ 2
 * ```
 */
export function guessPowerLaw(
  y: ArrayLike<number>,
  x: ArrayLike<number>,
): { amplitude: number; exponent: number } {
  checkLengths(y, x, "guessPowerLaw");
  const lx = Float64Array.from(x, (v) => Math.log(v + 1e-14));
  const ly = Float64Array.from(y, (v) => Math.log(v + 1e-14));
  for (let i = 0; i < lx.length; i++) {
    if (!Number.isFinite(lx[i]) || !Number.isFinite(ly[i])) {
      throw new RangeError(
        `guessPowerLaw: x and y must be positive for a log-log fit; point ${i} has x=${x[i]}, y=${
          y[i]
        }`,
      );
    }
  }
  const [exponent, amp] = polyfit(lx, ly, 1);
  return { amplitude: Math.exp(amp), exponent };
}

/**
 * ExponentialModel: straight line through `(x, ln(|y| + 1e-15))`, decay = −1/slope.
 *
 * @example
 * ```ts
 * import { guessExponential } from "./guess.ts";
 * guessExponential([3, 3 / Math.E, 3 / Math.E ** 2], [0, 2, 4]).decay; // ≈ 2
 * ```
 */
export function guessExponential(
  y: ArrayLike<number>,
  x: ArrayLike<number>,
): { amplitude: number; decay: number } {
  checkLengths(y, x, "guessExponential");
  const ly = Float64Array.from(y, (v) => Math.log(Math.abs(v) + 1e-15));
  const [s, o] = polyfit(x, ly, 1);
  return { amplitude: Math.exp(o), decay: -1 / s };
}

/**
 * SineModel: amplitude and frequency from the largest DFT magnitude of the mean-removed data
 * (x assumed evenly spaced, as lmfit's `fftfreq` does), then the best of 11 shifts in [0, 2π).
 *
 * @example
 * ```ts
 * import { guessSine } from "./guess.ts";
 * const x = Float64Array.from({ length: 64 }, (_, i) => i * 0.25);
 * guessSine(x.map((v) => Math.sin(2 * v)), x).frequency; // ≈ 1.96 (nearest DFT bin)
 * ```
 */
export function guessSine(
  y: ArrayLike<number>,
  x: ArrayLike<number>,
): { amplitude: number; frequency: number; shift: number } {
  checkLengths(y, x, "guessSine");
  const n = y.length;
  const m = mean(y);
  const data = Float64Array.from(y, (v) => v - m);
  const d = Math.abs(x[n - 1] - x[0]) / (n - 1);
  let best = -1, kbest = 0;
  for (let k = 0; k < n; k++) {
    let re = 0, im = 0;
    for (let j = 0; j < n; j++) {
      const ang = (-2 * Math.PI * ((k * j) % n)) / n;
      re += data[j] * Math.cos(ang);
      im += data[j] * Math.sin(ang);
    }
    const mag = Math.hypot(re, im);
    if (mag > best) {
      best = mag;
      kbest = k;
    }
  }
  const amplitude = (2 * best) / n;
  const fk = kbest <= Math.floor((n - 1) / 2) ? kbest : kbest - n; // numpy fftfreq order
  const frequency = 2 * Math.PI * Math.abs(fk / (n * d));
  let shift = 0, errBest = Infinity;
  for (let s = 0; s < 11; s++) {
    const sh = (2 * Math.PI * s) / 11;
    let e = 0;
    for (let j = 0; j < n; j++) e += (amplitude * Math.sin(frequency * x[j] + sh) - data[j]) ** 2;
    if (e < errBest) {
      errBest = e;
      shift = sh;
    }
  }
  return { amplitude, frequency, shift };
}

/**
 * StepModel: amplitude = data range, center = middle of the x range, sigma = x range / 7.
 *
 * @example
 * ```ts
 * import { guessStep } from "./guess.ts";
 * guessStep([0, 0, 1, 1], [0, 1, 2, 3]).center; // 1.5
 * ```
 */
export function guessStep(y: ArrayLike<number>, x: ArrayLike<number>): PeakGuess {
  checkLengths(y, x, "guessStep");
  const [ymin, ymax] = minMax(y), [xmin, xmax] = minMax(x);
  return { amplitude: ymax - ymin, center: (xmax + xmin) / 2, sigma: (xmax - xmin) / 7 };
}

/**
 * RectangleModel: as lmfit, center1 = (xmax + xmin)/4, center2 = 3(xmax + xmin)/4, both
 * sigmas x range / 7.
 *
 * @example
 * ```ts
 * import { guessRectangle } from "./guess.ts";
 * guessRectangle([0, 1, 1, 0], [0, 1, 2, 4]).center2; // 3
 * ```
 */
export function guessRectangle(
  y: ArrayLike<number>,
  x: ArrayLike<number>,
): { amplitude: number; center1: number; sigma1: number; center2: number; sigma2: number } {
  checkLengths(y, x, "guessRectangle");
  const [ymin, ymax] = minMax(y), [xmin, xmax] = minMax(x);
  const s = (xmax - xmin) / 7;
  return {
    amplitude: ymax - ymin,
    center1: (xmax + xmin) / 4,
    sigma1: s,
    center2: (3 * (xmax + xmin)) / 4,
    sigma2: s,
  };
}

/**
 * Gaussian2dModel: {@link guessFromPeak2d}.
 *
 * @example
 * ```ts
 * import { guessGaussian2d } from "./guess.ts";
 * guessGaussian2d([0, 2, 0], [0, 1, 2], [0, 3, 6]).centerx; // 1
 * ```
 */
export function guessGaussian2d(
  z: ArrayLike<number>,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  negative = false,
): Peak2dGuess {
  return guessFromPeak2d(z, x, y, negative);
}
