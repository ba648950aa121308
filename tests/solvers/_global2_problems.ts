/** Test functions of the global-optimizer tests (basinhopping, dual annealing, AMPGO, SHGO). */
import type { ScalarFunction } from "../../lib/solvers/types.ts";

/** scipy's basinhopping example: cos(14.5x − 0.3) + (x + 0.2)x, global minimum −1.00088 at −0.1951. */
export const func1d: ScalarFunction = (x) => Math.cos(14.5 * x[0] - 0.3) + (x[0] + 0.2) * x[0];

/** scipy's 2-D example: global minimum −1.01088 at (−0.1951, −0.1). */
export const func2d: ScalarFunction = (x) =>
  Math.cos(14.5 * x[0] - 0.3) + (x[1] + 0.2) * x[1] + (x[0] + 0.2) * x[0];

/** Himmelblau's function: four minima of value 0. */
export const himmelblau: ScalarFunction = (x) =>
  (x[0] ** 2 + x[1] - 11) ** 2 + (x[0] + x[1] ** 2 - 7) ** 2;

/** The four minima of Himmelblau's function. */
export const HIMMELBLAU_MINIMA: number[][] = [
  [3, 2],
  [-2.805118086952745, 3.131312518250573],
  [-3.779310253377747, -3.283185991286170],
  [3.584428340330492, -1.848126526964404],
];

/** Eggholder function on [−512, 512]²: global minimum −959.6407 at (512, 404.2319). */
export const eggholder: ScalarFunction = (x) =>
  -(x[1] + 47) * Math.sin(Math.sqrt(Math.abs(x[0] / 2 + (x[1] + 47)))) -
  x[0] * Math.sin(Math.sqrt(Math.abs(x[0] - (x[1] + 47))));

/** Rastrigin's function: global minimum 0 at the origin, a local minimum near every integer point. */
export const rastrigin: ScalarFunction = (x) => {
  let s = 10 * x.length;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i] - 10 * Math.cos(2 * Math.PI * x[i]);
  return s;
};

/** Ackley's function: global minimum 0 at the origin. */
export const ackley: ScalarFunction = (x) => {
  let s = 0, c = 0;
  for (let i = 0; i < x.length; i++) {
    s += x[i] * x[i];
    c += Math.cos(2 * Math.PI * x[i]);
  }
  return -20 * Math.exp(-0.2 * Math.sqrt(s / x.length)) - Math.exp(c / x.length) + 20 + Math.E;
};

/** Rosenbrock's function in any dimension: minimum 0 at (1, …, 1). */
export const rosen: ScalarFunction = (x) => {
  let s = 0;
  for (let i = 0; i < x.length - 1; i++) s += 100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2;
  return s;
};

/** A box of `n` equal intervals [lo, hi]. */
export function box(
  n: number,
  lo: number,
  hi: number,
): { lower: Float64Array; upper: Float64Array } {
  return { lower: new Float64Array(n).fill(lo), upper: new Float64Array(n).fill(hi) };
}

/** Wraps `f` to count evaluations and record whether every point lay in [lower, upper]. */
export function watched(
  f: ScalarFunction,
  lower?: Float64Array,
  upper?: Float64Array,
): { f: ScalarFunction; calls: () => number; outside: () => number } {
  let calls = 0, outside = 0;
  return {
    f: (x) => {
      calls++;
      for (let i = 0; i < x.length; i++) {
        if ((lower && x[i] < lower[i]) || (upper && x[i] > upper[i])) {
          outside++;
          break;
        }
      }
      return f(x);
    },
    calls: () => calls,
    outside: () => outside,
  };
}

/** Relative difference |a − b| / |b|. */
export function relDiff(a: number, b: number): number {
  return Math.abs(a - b) / Math.abs(b);
}
