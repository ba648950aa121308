/**
 * Confidence intervals by profiling (lmfit manual, "Calculation of confidence intervals"):
 * one parameter is fixed at trial values, the others are re-optimised, and the chi-square
 * increase is turned into a probability with the F-test
 * `F(P_fix, N-P) = (χ²_f/χ²_0 - 1)·(N-P)/P_fix`. Each requested level is then found, on each
 * side, with Brent's bracketing root finder.
 *
 * Every re-optimisation starts from the best fit and reuses one prepared fit context per
 * profiled parameter (no copies of `Parameters` per trial value).
 *
 * @module
 */

import type { Minimizer } from "./fit/minimizer.ts";
import type { Parameters } from "./parameters.ts";
import type { MinimizerResult } from "./fit/result.ts";
import {
  externalValues,
  internalStart,
  ObjectiveAdapter,
  prepareContext,
} from "./fit/objective.ts";
import { levenbergMarquardt } from "./solvers/levenberg_marquardt.ts";
import { brentRoot } from "./solvers/brent_root.ts";
import { fCdf } from "./special/distributions.ts";
import { erf } from "./special/erf.ts";
import { formatF } from "./util/format.ts";
import { withCiDisplay } from "./display/ci_html.ts";
import { checkOptions, optionKeys } from "./util/options.ts";

/**
 * What a probability function sees of a fit: chi-square and degrees of freedom.
 *
 * @example
 * ```ts
 * import { fCompare, type FitStatistics } from "../mod.ts";
 * const best: FitStatistics = { chisqr: 10, nvarys: 4, nfree: 96, ndata: 100 };
 * const oneFixed: FitStatistics = { chisqr: 11, nvarys: 3, nfree: 97, ndata: 100 };
 * fCompare(best, oneFixed); // ≈ 0.998: fixing the parameter makes the fit significantly worse
 * ```
 *
 * @category Confidence intervals
 */
export interface FitStatistics {
  /** Chi-square of the fit. */
  chisqr: number;
  /** Number of varied parameters. */
  nvarys: number;
  /** Degrees of freedom, ndata − nvarys. */
  nfree: number;
  /** Number of data points. */
  ndata: number;
}

/**
 * Probability that the fit with fixed parameters is worse than the best fit.
 *
 * @example
 * ```ts
 * import { chi2Cdf, confInterval, Minimizer, Parameters, type ProbFunc } from "../mod.ts";
 * // Likelihood-ratio test with the noise estimated from the best fit (instead of the F-test).
 * const lrTest: ProbFunc = (best, trial) =>
 *   chi2Cdf((trial.chisqr - best.chisqr) / (best.chisqr / best.nfree), best.nvarys - trial.nvarys);
 * const x = Float64Array.from({ length: 20 }, (_, i) => i), y = x.map((v) => 2 * v + 1 + Math.sin(3 * v));
 * const p = new Parameters();
 * p.addMany(["m", 1], ["c", 0]);
 * const mini = new Minimizer((q) => x.map((v, i) => q.get("m")!.value * v + q.get("c")!.value - y[i]), p);
 * const ci = await confInterval(mini, await mini.minimize(), { sigmas: [1], probFunc: lrTest });
 * ci.ci.m; // ≈ [[0.6827, 1.972], [0, 2.002], [0.6827, 2.033]]
 * ```
 *
 * @category Confidence intervals
 */
export type ProbFunc = (bestFit: FitStatistics, newFit: FitStatistics) => number;

/**
 * The F-test comparison used by default: `F.cdf((χ²_new/χ²_best - 1)·nfree/nfix, nfix, nfree)`.
 *
 * @example
 * ```ts
 * import { fCompare } from "./confidence.ts";
 * fCompare({ chisqr: 10, nvarys: 4, nfree: 96, ndata: 100 }, { chisqr: 11, nvarys: 3, nfree: 97, ndata: 100 });
 * ```
 *
 * @category Confidence intervals
 */
export function fCompare(bestFit: FitStatistics, newFit: FitStatistics): number {
  const nfree = bestFit.nfree;
  const nfix = bestFit.nvarys - newFit.nvarys;
  const dchi = newFit.chisqr / bestFit.chisqr - 1;
  return fCdf((dchi * nfree) / nfix, nfix, nfree);
}

/**
 * Options of `confInterval`.
 *
 * @example
 * ```ts
 * import { confInterval, type ConfIntervalOptions, Minimizer, Parameters } from "../mod.ts";
 * const x = Float64Array.from({ length: 20 }, (_, i) => i), y = x.map((v) => 2 * v + 1 + Math.sin(3 * v));
 * const p = new Parameters();
 * p.addMany(["m", 1], ["c", 0]);
 * const mini = new Minimizer((q) => x.map((v, i) => q.get("m")!.value * v + q.get("c")!.value - y[i]), p);
 * const options: ConfIntervalOptions = { pNames: ["m"], sigmas: [1, 0.95], trace: true, maxiter: 100 };
 * const { ci } = await confInterval(mini, await mini.minimize(), options);
 * Object.keys(ci); // ["m"]; each side has the 0.6827 and 0.95 levels
 * ```
 *
 * @category Confidence intervals
 */
export interface ConfIntervalOptions {
  /** Parameters to profile. @default every varied parameter */
  pNames?: string[];
  /**
   * Levels: numbers ≥ 1 are sigmas (converted with `erf(σ/√2)`), numbers < 1 probabilities.
   * @default [1, 2, 3]
   */
  sigmas?: number[];
  /** Record every trial fit for plotting profile traces. @default false */
  trace?: boolean;
  /** Maximum steps when searching outward for the outermost level. @default 200 */
  maxiter?: number;
  /** Log progress to the console as lmfit does: "Calculating CI for a" before each side of a
   * parameter, then "P(a=value) = probability" for each trial fit. @default false */
  verbose?: boolean;
  /** Probability from the best fit and a fit with fixed parameters. @default fCompare */
  probFunc?: ProbFunc;
  /** Progress callback: called after each parameter side is done. */
  onProgress?: (info: { parameter: string; done: number; total: number }) => void;
}

/**
 * One level of an interval: `[probability, value]`, probability 0 for the best value.
 *
 * @example
 * ```ts
 * import { type CiLevel, ciReport } from "../mod.ts";
 * const levels: CiLevel[] = [[0.6827, 1.9], [0, 2], [0.6827, 2.1]];
 * const [prob, value] = levels[2]; // 0.6827, 2.1: the upper 1σ limit
 * console.log(ciReport({ slope: levels }));
 * ```
 *
 * @category Confidence intervals
 */
export type CiLevel = [prob: number, value: number];

/**
 * Trace of one profiled parameter: every parameter's values and the probability per trial.
 *
 * @example
 * ```ts
 * import { type CiTrace, confInterval, Minimizer, Parameters } from "../mod.ts";
 * const x = Float64Array.from({ length: 20 }, (_, i) => i), y = x.map((v) => 2 * v + 1 + Math.sin(3 * v));
 * const p = new Parameters();
 * p.addMany(["m", 1], ["c", 0]);
 * const mini = new Minimizer((q) => x.map((v, i) => q.get("m")!.value * v + q.get("c")!.value - y[i]), p);
 * const { trace } = await confInterval(mini, await mini.minimize(), { sigmas: [1], trace: true });
 * const t: CiTrace = trace!.m; // profile of m: the values of m and c and the probability per trial
 * t.m.length === t.prob.length; // true
 * ```
 *
 * @category Confidence intervals
 */
export type CiTrace = Record<string, number[]>;

/**
 * What `confInterval` returns.
 *
 * @example
 * ```ts
 * import { confInterval, type ConfIntervalResult, Minimizer, Parameters } from "../mod.ts";
 * const x = Float64Array.from({ length: 20 }, (_, i) => i), y = x.map((v) => 2 * v + 1 + Math.sin(3 * v));
 * const p = new Parameters();
 * p.addMany(["m", 1], ["c", 0]);
 * const mini = new Minimizer((q) => x.map((v, i) => q.get("m")!.value * v + q.get("c")!.value - y[i]), p);
 * const r: ConfIntervalResult = await confInterval(mini, await mini.minimize(), { sigmas: [1, 2] });
 * r.ci.c.length; // 5: −2σ, −1σ, best, +1σ, +2σ
 * console.log(r.warnings, r.nfev);
 * ```
 *
 * @category Confidence intervals
 */
export interface ConfIntervalResult {
  /** Per parameter, levels from the lowest to the highest value, best value in the middle. */
  ci: Record<string, CiLevel[]>;
  /** Per profiled parameter, values of every parameter and `prob` at each trial (when `trace`). */
  trace?: Record<string, CiTrace>;
  /** Warnings, e.g. a bound reached before the outermost level. */
  warnings: string[];
  /** Objective evaluations used. */
  nfev: number;
}

function levelProbabilities(sigmas: number[]): number[] {
  return sigmas.map((s) => {
    if (!(s > 0)) throw new RangeError(`sigmas must be positive numbers, got ${s}`);
    return s < 1 ? s : erf(s / Math.SQRT2);
  });
}

/**
 * Computes profile-likelihood confidence intervals for the parameters of a fit. Async.
 *
 * @param minimizer the `Minimizer` holding the objective.
 * @param result the best fit (from `minimizer.minimize()`), with standard errors.
 *
 * @example
 * ```ts
 * import { confInterval, ciReport, Minimizer, Parameters } from "../mod.ts";
 * const x = Float64Array.from({ length: 100 }, (_, i) => 0.3 + i * 0.098);
 * const y = x.map((v) => 1 / (0.1 * v) + 2 + 0.1 * Math.sin(7 * v));
 * const p = new Parameters();
 * p.addMany(["a", 0.1], ["b", 1]);
 * const mini = new Minimizer((q) => x.map((v, i) => 1 / (q.get("a")!.value * v) + q.get("b")!.value - y[i]), p);
 * const result = await mini.minimize();
 * const ci = await confInterval(mini, result);
 * console.log(ciReport(ci));
 * ```
 *
 * @category Confidence intervals
 */
// deno-lint-ignore require-await
export async function confInterval(
  minimizer: Minimizer,
  result: MinimizerResult,
  options: ConfIntervalOptions = {},
): Promise<ConfIntervalResult> {
  return confIntervalSync(minimizer, result, options);
}

/** Synchronous form of `confInterval`. */
export function confIntervalSync(
  minimizer: Minimizer,
  result: MinimizerResult,
  options: ConfIntervalOptions = {},
): ConfIntervalResult {
  checkOptions(options, CONF_INTERVAL_KEYS, "confInterval");
  const params = result.params;
  const varNames = [...params.values()].filter((p) => p.vary).map((p) => p.name);
  const pNames = options.pNames ?? varNames;
  for (const name of pNames) {
    const p = params.get(name);
    if (!p) throw new RangeError(`confInterval: no parameter named '${name}'`);
    if (!p.vary) throw new RangeError(`confInterval: parameter '${name}' is not varied in the fit`);
    if (p.stderr === null || Number.isNaN(p.stderr)) {
      throw new RangeError(
        `confInterval: parameter '${name}' has no standard error; the fit must estimate uncertainties first (result.errorbars was ${result.errorbars})`,
      );
    }
  }
  if (varNames.length < 2) {
    throw new RangeError(
      "confInterval: cannot determine confidence intervals with fewer than 2 varied parameters",
    );
  }
  const sigmas = [...(options.sigmas ?? [1, 2, 3])].sort((a, b) => a - b);
  const probs = levelProbabilities(sigmas);
  const maxProb = Math.max(...probs);
  const probFunc = options.probFunc ?? fCompare;
  const maxiter = options.maxiter ?? 200;
  const best: FitStatistics = {
    chisqr: result.chisqr,
    nvarys: result.nvarys,
    nfree: result.nfree,
    ndata: result.ndata,
  };
  const warnings: string[] = [];
  const traces: Record<string, CiTrace> = {};
  const allNames = [...params.keys()];
  let nfev = 0;
  const out: Record<string, CiLevel[]> = {};
  let done = 0;

  for (const name of pNames) {
    const profile = new ProfileFit(minimizer, result, [name]);
    const bestValue = params.get(name)!.value;
    const stderr = params.get(name)!.stderr!;
    const trace: number[][] = [];
    if (options.trace) trace.push([...allNames.map((n) => params.get(n)!.value), 0]);
    const cache = new Map<number, number>();
    const probAt = (val: number): number => {
      const hit = cache.get(val);
      if (hit !== undefined) return hit;
      const fit = profile.fit([val]);
      const prob = probFunc(best, fit.stats);
      cache.set(val, prob);
      if (options.trace) trace.push([...fit.values, prob]);
      if (options.verbose) console.log(`P(${name}=${val}) = ${prob}`);
      return prob;
    };
    const p = params.get(name)!;
    const sides: CiLevel[][] = [];
    for (const direction of [-1, 1]) {
      if (options.verbose) console.log(`Calculating CI for ${name}`);
      // Search outward until the outermost level is passed (as lmfit's find_limit).
      const step = stderr > 0 && stderr < Math.abs(bestValue)
        ? stderr
        : Math.max(Math.abs(bestValue) * 0.2, 0.001);
      let limit = bestValue;
      const steps: [number, number][] = [[bestValue, 0]]; // (value, probability) on the way out
      let oldProb = 0;
      let newProb = 0;
      let boundReached = false;
      for (let i = 1;; i++) {
        limit += step * direction;
        if (limit > p.max) {
          limit = p.max;
          boundReached = true;
        } else if (limit < p.min) {
          limit = p.min;
          boundReached = true;
        }
        newProb = probAt(limit);
        steps.push([limit, newProb]);
        const relChange = (newProb - oldProb) / Math.max(newProb, oldProb, 1e-12);
        oldProb = newProb;
        if (newProb >= maxProb) break;
        if (boundReached) {
          warnings.push(
            `${name}: bound reached at ${limit} with probability ${formatF(newProb, 4)} < ${
              formatF(maxProb, 4)
            }; levels beyond it are reported at the bound`,
          );
          break;
        }
        if (i > maxiter) {
          warnings.push(
            `${name}: maxiter=${maxiter} reached at ${limit} with probability ${
              formatF(newProb, 4)
            } < ${formatF(maxProb, 4)}`,
          );
          break;
        }
        if (relChange < 1e-5) {
          warnings.push(
            `${name}: probability stopped rising (${
              formatF(newProb, 4)
            }) at ${limit} before reaching ${formatF(maxProb, 4)}`,
          );
          break;
        }
      }
      const ret: CiLevel[] = [];
      let aLimit = bestValue;
      for (const prob of probs) {
        if (prob > newProb) {
          // Not reached within the search: at a bound, report the bound; otherwise ±inf as lmfit.
          ret.push([prob, boundReached ? limit : direction * Infinity]);
          continue;
        }
        // lmfit brackets each level between the previous level and the outermost step; the
        // outward steps already bracket it more tightly, which saves root-finder iterations.
        let inner = aLimit, outer = limit;
        for (let k = 1; k < steps.length; k++) {
          if (steps[k][1] >= prob && steps[k - 1][1] < prob) {
            outer = steps[k][0];
            if (Math.abs(steps[k - 1][0] - bestValue) > Math.abs(aLimit - bestValue)) {
              inner = steps[k - 1][0];
            }
            break;
          }
        }
        const lo = Math.min(outer, inner), hi = Math.max(outer, inner);
        let sol = brentRoot((v) => probAt(v) - prob, lo, hi, {
          xtol: 1e-12 * Math.max(1, Math.abs(bestValue)),
          rtol: 5e-5,
        });
        if (!sol.converged && aLimit !== bestValue) {
          // Probability not monotonic between levels: restart the bracket from the best value.
          sol = brentRoot(
            (v) => probAt(v) - prob,
            Math.min(limit, bestValue),
            Math.max(limit, bestValue),
            {
              xtol: 1e-12 * Math.max(1, Math.abs(bestValue)),
              rtol: 5e-5,
            },
          );
        }
        if (!sol.converged) {
          warnings.push(
            `${name}: could not bracket the ${formatF(prob * 100, 2)}% level (${sol.message})`,
          );
          ret.push([prob, NaN]);
          continue;
        }
        aLimit = sol.root;
        ret.push([prob, sol.root]);
      }
      sides.push(ret);
      done++;
      options.onProgress?.({ parameter: name, done, total: 2 * pNames.length });
    }
    out[name] = [...sides[0].reverse(), [0, bestValue], ...sides[1]];
    nfev += profile.nfev;
    if (options.trace) {
      const cols: CiTrace = {};
      allNames.forEach((n, j) => (cols[n] = trace.map((row) => row[j])));
      cols.prob = trace.map((row) => row[allNames.length]);
      traces[name] = cols;
    }
  }
  const ci = { ci: out, trace: options.trace ? traces : undefined, warnings, nfev };
  return withCiDisplay(ci, ciReport); // a table in Jupyter
}

const PROFILE_LM = Object.freeze({ ftol: 3e-6, xtol: 3e-6, polish: false });

/**
 * Re-optimises the other parameters with some parameters fixed at given values, starting from
 * the best fit each time. One fit context is prepared up front and reused.
 */
export class ProfileFit {
  readonly #adapter: ObjectiveAdapter;
  readonly #fixedSlots: number[];
  readonly #x0: Float64Array;
  readonly #m: number;
  readonly #nvarys: number;
  readonly #ndata: number;

  constructor(minimizer: Minimizer, result: MinimizerResult, fixed: string[]) {
    const params = result.params.copy();
    for (const n of fixed) params.get(n)!.set({ vary: false });
    const ctx = prepareContext(params);
    this.#adapter = new ObjectiveAdapter(minimizer.userfcn, ctx, {
      args: minimizer.options.fcnArgs ?? [],
      kws: minimizer.options.fcnKws,
      nanPolicy: minimizer.options.nanPolicy ?? "raise",
      transform: true,
    });
    this.#fixedSlots = fixed.map((n) => ctx.program.names.indexOf(n));
    this.#x0 = internalStart(ctx);
    this.#m = result.residual.length;
    this.#nvarys = ctx.varNames.length;
    this.#ndata = result.ndata;
  }

  /** Objective evaluations so far. */
  get nfev(): number {
    return this.#adapter.nfev;
  }

  /** Fits with the fixed parameters at `values`; returns statistics and all parameter values. */
  fit(values: number[]): { stats: FitStatistics; values: number[] } {
    const ctx = this.#adapter.ctx;
    this.#fixedSlots.forEach((s, k) => (ctx.program.slots[s] = values[k]));
    let chisqr: number;
    let x: Float64Array;
    if (this.#nvarys === 0) {
      x = this.#x0;
      const r = new Float64Array(this.#m);
      this.#adapter.residual(x, r);
      chisqr = r.reduce((s, v) => s + v * v, 0);
    } else {
      // Profile fits need chi-square to ~1e-10 relative, not the last digits of the values:
      // lmfit-like tolerances and no polish phase keep each re-optimisation short.
      // Every re-optimisation starts from the best fit, as lmfit's: warm starts from a
      // neighbouring profile point were tried and follow a different valley far out (they move
      // the two-exponential example's upper 3-sigma limit of a1 from 9.83 to 9.98), so the
      // answer would depend on the path.
      const lm = levenbergMarquardt(this.#adapter.residual, this.#x0, this.#m, PROFILE_LM);
      x = lm.x;
      chisqr = lm.fun;
    }
    const ext = externalValues(ctx, x);
    const { program, varSlots } = ctx;
    for (let k = 0; k < varSlots.length; k++) program.slots[varSlots[k]] = ext[k];
    program.evaluate();
    return {
      stats: {
        chisqr,
        nvarys: this.#nvarys,
        nfree: this.#ndata - this.#nvarys,
        ndata: this.#ndata,
      },
      values: Array.from(program.slots),
    };
  }
}

/** The keys of `ConfIntervalOptions`. */
export const CONF_INTERVAL_KEYS: readonly string[] = optionKeys<ConfIntervalOptions>({
  pNames: true,
  sigmas: true,
  trace: true,
  maxiter: true,
  verbose: true,
  probFunc: true,
  onProgress: true,
});

/**
 * Options of `confInterval2d`.
 *
 * @example
 * ```ts
 * import { confInterval2d, type ConfInterval2dOptions, Minimizer, Parameters } from "../mod.ts";
 * const x = Float64Array.from({ length: 20 }, (_, i) => i), y = x.map((v) => 2 * v + 1 + Math.sin(3 * v));
 * const p = new Parameters();
 * p.addMany(["m", 1], ["c", 0]);
 * const mini = new Minimizer((q) => x.map((v, i) => q.get("m")!.value * v + q.get("c")!.value - y[i]), p);
 * const options: ConfInterval2dOptions = { limits: [[2.2, 1.8], [2, 0]], onProgress: ({ done, total }) => console.log(`${done}/${total}`) };
 * const { x: ms, y: cs } = await confInterval2d(mini, await mini.minimize(), "m", "c", 5, 3, options);
 * [ms[0], ms[4], cs[0], cs[2]]; // [1.8, 2.2, 0, 2]
 * ```
 *
 * @category Confidence intervals
 */
export interface ConfInterval2dOptions {
  /** `[[xUpper, xLower], [yUpper, yLower]]`. @default best ± 5 standard errors */
  limits?: [[number, number], [number, number]];
  /** Probability from the best fit and a fit with fixed parameters. @default fCompare */
  probFunc?: ProbFunc;
  /** Progress callback, after each grid row. */
  onProgress?: (info: { done: number; total: number }) => void;
}

/**
 * What `confInterval2d` returns: axes and the probability grid `grid[iy][ix]`.
 *
 * @example
 * ```ts
 * import { confInterval2d, type ConfInterval2dResult, Minimizer, Parameters } from "../mod.ts";
 * const x = Float64Array.from({ length: 20 }, (_, i) => i), y = x.map((v) => 2 * v + 1 + Math.sin(3 * v));
 * const p = new Parameters();
 * p.addMany(["m", 1], ["c", 0]);
 * const mini = new Minimizer((q) => x.map((v, i) => q.get("m")!.value * v + q.get("c")!.value - y[i]), p);
 * const r: ConfInterval2dResult = await confInterval2d(mini, await mini.minimize(), "m", "c", 4, 3);
 * [r.x.length, r.y.length, r.grid.length, r.grid[0].length]; // [4, 3, 3, 4]: grid[iy][ix]
 * ```
 *
 * @category Confidence intervals
 */
export interface ConfInterval2dResult {
  /** Grid values of the x parameter. */
  x: Float64Array;
  /** Grid values of the y parameter. */
  y: Float64Array;
  /** Probabilities, `grid[iy][ix]`. */
  grid: number[][];
}

/** The keys of `ConfInterval2dOptions`. */
const CONF_INTERVAL_2D_KEYS = optionKeys<ConfInterval2dOptions>({
  limits: true,
  probFunc: true,
  onProgress: true,
});

/**
 * Probabilities on an `nx × ny` grid of two fixed parameters, the others re-optimised at each
 * point: a 2-D confidence region. Async.
 *
 * @example
 * ```ts
 * import { confInterval2d, Minimizer, Parameters } from "../mod.ts";
 * const x = Float64Array.from({ length: 100 }, (_, i) => 0.3 + i * 0.098);
 * const y = x.map((v) => 1 / (0.1 * v) + 2 + 0.1 * Math.sin(7 * v));
 * const p = new Parameters();
 * p.addMany(["a", 0.1], ["b", 1], ["c", 0]);
 * const mini = new Minimizer((q) => x.map((v, i) => 1 / (q.get("a")!.value * v) + q.get("b")!.value + q.get("c")!.value * v - y[i]), p);
 * const result = await mini.minimize();
 * const { grid } = await confInterval2d(mini, result, "a", "b", 5, 5);
 * grid.length; // 5
 * ```
 *
 * @category Confidence intervals
 */
// deno-lint-ignore require-await
export async function confInterval2d(
  minimizer: Minimizer,
  result: MinimizerResult,
  xName: string,
  yName: string,
  nx = 10,
  ny = 10,
  options: ConfInterval2dOptions = {},
): Promise<ConfInterval2dResult> {
  checkOptions(options, CONF_INTERVAL_2D_KEYS, "confInterval2d");
  const px = result.params.get(xName), py = result.params.get(yName);
  if (!px || !py) {
    throw new RangeError(`confInterval2d: no parameter named '${!px ? xName : yName}'`);
  }
  for (const p of [px, py]) {
    if (!p.vary) {
      throw new RangeError(`confInterval2d: parameter '${p.name}' is not varied in the fit`);
    }
  }
  let xl: [number, number], yl: [number, number];
  if (options.limits) [xl, yl] = options.limits;
  else {
    if (px.stderr === null || py.stderr === null) {
      throw new RangeError("confInterval2d: the fit has no standard errors; pass options.limits");
    }
    xl = [px.value + 5 * px.stderr, px.value - 5 * px.stderr];
    yl = [py.value + 5 * py.stderr, py.value - 5 * py.stderr];
  }
  const linspace = (lo: number, hi: number, n: number) =>
    Float64Array.from({ length: n }, (_, i) => (n === 1 ? lo : lo + ((hi - lo) * i) / (n - 1)));
  const xs = linspace(xl[1], xl[0], nx);
  const ys = linspace(yl[1], yl[0], ny);
  const probFunc = options.probFunc ?? fCompare;
  const best: FitStatistics = {
    chisqr: result.chisqr,
    nvarys: result.nvarys,
    nfree: result.nfree,
    ndata: result.ndata,
  };
  const profile = new ProfileFit(minimizer, result, [xName, yName]);
  const grid: number[][] = [];
  for (let j = 0; j < ny; j++) {
    const row: number[] = [];
    for (let i = 0; i < nx; i++) row.push(probFunc(best, profile.fit([xs[i], ys[j]]).stats));
    grid.push(row);
    options.onProgress?.({ done: j + 1, total: ny });
  }
  return { x: xs, y: ys, grid };
}

/**
 * Options of `ciReport`.
 *
 * @example
 * ```ts
 * import { ciReport, type CiReportOptions } from "./confidence.ts";
 * const ci = { a: [[0.6827, 0.9], [0, 1], [0.6827, 1.1]] as [number, number][] };
 * const options: CiReportOptions = { withOffset: false, ndigits: 2 };
 * console.log(ciReport(ci, options)); // absolute limits: 0.90, 1.00, 1.10
 * ```
 *
 * @category Confidence intervals
 */
export interface CiReportOptions {
  /** Show values relative to the best value. @default true */
  withOffset?: boolean;
  /** Digits after the decimal point. @default 5 */
  ndigits?: number;
}

/** The keys of `CiReportOptions`. */
export const CI_REPORT_KEYS: readonly string[] = optionKeys<CiReportOptions>({
  withOffset: true,
  ndigits: true,
});

/**
 * The confidence-interval table in lmfit's `ci_report` layout.
 *
 * @example
 * ```ts
 * import { ciReport } from "./confidence.ts";
 * console.log(ciReport({ a: [[0.6827, 0.9], [0, 1], [0.6827, 1.1]] }));
 * ```
 *
 * @category Confidence intervals
 */
export function ciReport(
  ci: ConfIntervalResult | Record<string, CiLevel[]>,
  options: CiReportOptions = {},
): string {
  checkOptions(options, CI_REPORT_KEYS, "ciReport");
  const table = (("ci" in ci && !Array.isArray(ci.ci)) ? ci.ci : ci) as Record<string, CiLevel[]>;
  const withOffset = options.withOffset ?? true;
  const ndigits = options.ndigits ?? 5;
  const names = Object.keys(table);
  const maxlen = Math.max(...names.map((n) => n.length));
  const convp = (l: CiLevel) => (Math.abs(l[0]) < 1e-2 ? "_BEST_" : `${formatF(l[0] * 100, 2)}%`);
  const lines: string[] = [];
  let titleShown = false;
  for (const name of names) {
    const row = table[name];
    if (!titleShown) {
      lines.push("".padStart(maxlen + 1) + row.map((l) => convp(l).padStart(ndigits + 5)).join(""));
      titleShown = true;
    }
    let offset = 0;
    if (withOffset) { for (const [c, v] of row) if (Math.abs(c) < 1e-2) offset = v; }
    const cells = row.map(([c, v]) => {
      let s: string;
      if (c < 1e-2) s = formatF(v, ndigits);
      else {
        const d = v - offset;
        s = withOffset
          ? (d >= 0 || Number.isNaN(d) ? "+" : "") + formatF(d, ndigits)
          : formatF(v, ndigits);
      }
      return s.padStart(ndigits + 5);
    });
    lines.push(` ${name.padEnd(maxlen)}:` + cells.join(""));
  }
  return lines.join("\n");
}

/**
 * Prints `ciReport(ci, options)`.
 *
 * @example
 * ```ts
 * import { reportCi } from "./confidence.ts";
 * reportCi({ a: [[0.6827, 0.9], [0, 1], [0.6827, 1.1]] }, { ndigits: 3 });
 * //     68.27%  _BEST_  68.27%
 * //  a:  -0.100   1.000  +0.100
 * ```
 *
 * @category Confidence intervals
 */
export function reportCi(
  ci: ConfIntervalResult | Record<string, CiLevel[]>,
  options: CiReportOptions = {},
): void {
  console.log(ciReport(ci, options));
}

/**
 * Values and standard errors of parameters by name, as `copyVals` saves them (lmfit's
 * `{name: (value, stderr)}`).
 *
 * @example
 * ```ts
 * import type { SavedValues } from "../mod.ts";
 * const saved: SavedValues = { a: [0.1, null], b: [1.0, 0.02] };
 * ```
 *
 * @category Confidence intervals
 */
export type SavedValues = Record<string, [value: number, stderr: number | null]>;

/**
 * lmfit's `confidence.copy_vals`: the value and standard error of every parameter, by name, to
 * put back later with `restoreVals` (as `confInterval` does around its profile fits).
 *
 * @param params The parameters (not changed).
 * @returns `{ name: [value, stderr] }`.
 * @example
 * ```ts
 * import { copyVals, Parameters, restoreVals } from "../mod.ts";
 * const p = new Parameters();
 * p.addMany(["a", 0.1], ["b", 1]);
 * const saved = copyVals(p); // { a: [0.1, null], b: [1, null] }
 * p.get("a")!.value = 5;
 * restoreVals(saved, p);
 * p.get("a")!.value; // 0.1
 * ```
 *
 * @category Confidence intervals
 */
export function copyVals(params: Parameters): SavedValues {
  const saved: SavedValues = {};
  for (const [name, p] of params) saved[name] = [p.value, p.stderr];
  return saved;
}

/**
 * lmfit's `confidence.restore_vals`: sets the value and standard error of every parameter of
 * `params` from `saved` (made by `copyVals`), in place. A constrained parameter gets its standard
 * error back; its value follows its expression. A parameter that `saved` lacks is an error.
 *
 * @param saved Values and standard errors by name.
 * @param params The parameters to restore (changed in place).
 * @example
 * ```ts
 * import { copyVals, Parameters, restoreVals } from "../mod.ts";
 * const p = new Parameters();
 * p.add("a", { value: 2 });
 * p.get("a")!.stderr = 0.5;
 * const saved = copyVals(p);
 * p.get("a")!.set({ value: 3 });
 * p.get("a")!.stderr = null;
 * restoreVals(saved, p);
 * [p.get("a")!.value, p.get("a")!.stderr]; // [2, 0.5]
 * ```
 *
 * @category Confidence intervals
 */
export function restoreVals(saved: SavedValues, params: Parameters): void {
  for (const [name, p] of params) {
    const entry = saved[name];
    if (!entry) {
      throw new RangeError(
        `restoreVals: no saved value for parameter '${name}'; save it with copyVals(params) first`,
      );
    }
    if (p.expr === null) p.value = entry[0];
    p.stderr = entry[1];
  }
}
