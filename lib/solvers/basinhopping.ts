/**
 * Basin hopping (Wales & Doye 1997, "Global optimization by basin-hopping and the lowest energy
 * structures of Lennard-Jones clusters", J. Phys. Chem. A 101, 5111), with the semantics of
 * scipy's `basinhopping`: a local minimisation from `x0`, then `niter` hops, each a uniform random
 * displacement of every coordinate in `[−stepsize, stepsize]` from the current minimum followed by
 * a local minimisation, accepted by the Metropolis criterion `exp(−(f_new − f_old)/T) ≥ U(0,1)`.
 * Every `interval` hops the step size is divided by 0.9 when the overall acceptance rate exceeds
 * 0.5, else multiplied by 0.9. Seedable.
 *
 * Differences from scipy: with `lower`/`upper` the displaced point is clipped into the box and the
 * local minimizer receives the bounds; `maxfev` stops between hops.
 *
 * | status | meaning |
 * |---|---|
 * | 0 | requested number of hops completed |
 * | 1 | no new global minimum for `niterSuccess` hops |
 * | 2 | `maxfev` reached (checked after each local minimisation) |
 * | -1 | aborted by the callback |
 *
 * @module
 */

import type { IterationCallback, ScalarFunction, SolverResult } from "./types.ts";
import { Random } from "../util/random.ts";
import {
  checkBounds,
  checkStart,
  clipInto,
  defaultLocalMinimizer,
  type LocalMinimizer,
} from "./_global_local.ts";
import { checkOptions, optionKeys } from "../util/options.ts";

export type { LocalMinimizer } from "./_global_local.ts";

/**
 * Options of `basinhopping`.
 *
 * @example
 * ```ts
 * import { basinhopping, type BasinhoppingOptions } from "./basinhopping.ts";
 * const options: BasinhoppingOptions = {
 *   niter: 30, stepsize: 0.3, lower: Float64Array.of(-1), upper: Float64Array.of(1), seed: 2,
 * };
 * const f = (x: Float64Array) => Math.cos(14.5 * x[0] - 0.3) + (x[0] + 0.2) * x[0];
 * basinhopping(f, Float64Array.of(1), options).x; // ≈ [-0.195]
 * ```
 *
 * @category Solvers
 */
export interface BasinhoppingOptions {
  /** Number of hops. @default 100 */
  niter?: number;
  /** Metropolis temperature (0: accept downhill hops only). @default 1 */
  T?: number;
  /** Initial maximum displacement per coordinate. @default 0.5 */
  stepsize?: number;
  /** Hops between step-size adjustments. @default 50 */
  interval?: number;
  /** Target acceptance rate of the step-size adjustment. @default 0.5 */
  targetAcceptRate?: number;
  /** Factor by which the step size is multiplied or divided. @default 0.9 */
  stepwiseFactor?: number;
  /** Stop after this many hops without a new global minimum. @default niter + 2 */
  niterSuccess?: number;
  /** Stop once this many objective evaluations are spent. @default Infinity */
  maxfev?: number;
  /** Lower bounds (−Infinity allowed): hops are clipped into the box. @default undefined */
  lower?: Float64Array;
  /** Upper bounds (+Infinity allowed). @default undefined */
  upper?: Float64Array;
  /** Local minimizer run after every hop. @default bounded Nelder-Mead */
  localMinimizer?: LocalMinimizer;
  /** Random seed. @default undefined (random) */
  seed?: number;
  /** Called after each hop with the best point; `true` aborts. @default undefined */
  callback?: IterationCallback;
}

/**
 * The value `basinhopping` takes for each option left out, the one place these values are
 * written: the solver resolves its options from it, and the `basinhopping` method reports it as
 * lmfit's `call_kws` (`result.callKws`). `null` marks a default that is no value: `seed` draws
 * a random stream, `niterSuccess` never stops early (it counts as niter + 2). Without
 * `localMinimizer` each hop ends in a bounded Nelder-Mead.
 *
 * @example
 * ```ts
 * import { basinhopping, BASINHOPPING_DEFAULTS as D } from "./basinhopping.ts";
 * import assert from "node:assert/strict";
 * assert.equal(D.niter, 100);
 * assert.equal(D.seed, null);
 * assert.ok(Object.isFrozen(D));
 * const f = (x: Float64Array) => Math.cos(14.5 * x[0] - 0.3) + (x[0] + 0.2) * x[0];
 * const implicit = basinhopping(f, Float64Array.of(1), { seed: 2, niter: 5 });
 * const explicit = basinhopping(f, Float64Array.of(1), { seed: 2, niter: 5, T: D.T, stepsize: D.stepsize });
 * assert.deepEqual([explicit.nfev, ...explicit.x], [implicit.nfev, ...implicit.x]);
 * ```
 *
 * @category Solvers
 */
export const BASINHOPPING_DEFAULTS: Readonly<
  & Required<
    Pick<
      BasinhoppingOptions,
      "niter" | "T" | "stepsize" | "interval" | "targetAcceptRate" | "stepwiseFactor" | "maxfev"
    >
  >
  & { niterSuccess: null; seed: null }
> = Object.freeze({
  niter: 100,
  T: 1,
  stepsize: 0.5,
  interval: 50,
  niterSuccess: null,
  seed: null,
  targetAcceptRate: 0.5,
  stepwiseFactor: 0.9,
  maxfev: Infinity,
});

/**
 * Result of `basinhopping`.
 *
 * @example
 * ```ts
 * import { basinhopping, type BasinhoppingResult } from "./basinhopping.ts";
 * const f = (x: Float64Array) => Math.cos(14.5 * x[0] - 0.3) + (x[0] + 0.2) * x[0];
 * const r: BasinhoppingResult = basinhopping(f, Float64Array.of(1), { seed: 2, niter: 20 });
 * r.x; // ≈ [-0.195]
 * console.log(r.naccept, r.minimizationFailures, r.stepsize);
 * ```
 *
 * @category Solvers
 */
export interface BasinhoppingResult extends SolverResult {
  /** Local minimisations whose own `success` was false. */
  minimizationFailures: number;
  /** Hops accepted by the Metropolis test. */
  naccept: number;
  /** Step size at the end (after the adaptive adjustments). */
  stepsize: number;
}

const MESSAGES: Record<number, string> = {
  0: "Requested number of basinhopping iterations completed successfully.",
  1: "Success condition satisfied: no new global minimum for niterSuccess hops.",
  2: "Maximum number of function evaluations reached.",
  [-1]: "Aborted by the iteration callback.",
};

/**
 * Minimises `fun` from `x0` by basin hopping.
 *
 * @param fun Objective.
 * @param x0 Start.
 * @param options See `BasinhoppingOptions`.
 * @returns The lowest local minimum found, with hop statistics.
 *
 * @example
 * ```ts
 * import { basinhopping } from "./basinhopping.ts";
 * const f = (x: Float64Array) => Math.cos(14.5 * x[0] - 0.3) + (x[0] + 0.2) * x[0];
 * basinhopping(f, Float64Array.of(1), { seed: 2, niter: 50 }).x; // ≈ [-0.195]
 * ```
 *
 * @category Solvers
 */
export function basinhopping(
  fun: ScalarFunction,
  x0: Float64Array,
  options: BasinhoppingOptions = {},
): BasinhoppingResult {
  checkOptions(options, BASINHOPPING_OPTION_KEYS, "basinhopping");
  checkStart("basinhopping", x0);
  const n = x0.length;
  const { lower, upper } = options;
  checkBounds("basinhopping", n, lower, upper);
  const D = BASINHOPPING_DEFAULTS;
  const niter = options.niter ?? D.niter;
  const T = options.T ?? D.T;
  const interval = options.interval ?? D.interval;
  const target = options.targetAcceptRate ?? D.targetAcceptRate;
  const factor = options.stepwiseFactor ?? D.stepwiseFactor;
  const niterSuccess = options.niterSuccess ?? niter + 2; // D.niterSuccess: null, never
  const maxfev = options.maxfev ?? D.maxfev;
  let stepsize = options.stepsize ?? D.stepsize;
  if (!(niter >= 0) || !Number.isInteger(niter)) {
    throw new RangeError(`basinhopping: niter must be a non-negative integer, got ${niter}`);
  }
  if (!(T >= 0)) throw new RangeError(`basinhopping: T must be ≥ 0, got ${T}`);
  if (!(stepsize > 0)) throw new RangeError(`basinhopping: stepsize must be > 0, got ${stepsize}`);
  if (!(interval >= 1)) throw new RangeError(`basinhopping: interval must be ≥ 1, got ${interval}`);
  if (!(target > 0 && target < 1)) {
    throw new RangeError(`basinhopping: targetAcceptRate must be in (0, 1), got ${target}`);
  }
  if (!(factor > 0 && factor < 1)) {
    throw new RangeError(`basinhopping: stepwiseFactor must be in (0, 1), got ${factor}`);
  }
  const local = options.localMinimizer ?? defaultLocalMinimizer;
  const rng = new Random(options.seed);
  const value = (v: number) => (Number.isNaN(v) ? Infinity : v);

  const start = Float64Array.from(x0);
  clipInto(start, lower, upper);
  const first = local(fun, start, lower, upper);
  let nfev = first.nfev, njev = first.njev;
  let failures = first.success ? 0 : 1;
  const cur = Float64Array.from(first.x);
  let fcur = value(first.fun);
  const best = Float64Array.from(first.x);
  let fbest = fcur, bestSuccess = first.success;
  const trial = new Float64Array(n);
  let nstep = 0, naccept = 0, count = 0, nit = 0, status = 0;
  if (nfev >= maxfev) status = 2;
  for (let i = 0; i < niter && status === 0; i++) {
    nit = i + 1;
    // Adaptive step size (scipy's AdaptiveStepsize: cumulative acceptance rate).
    nstep++;
    if (nstep % interval === 0) {
      stepsize = naccept / nstep > target ? stepsize / factor : stepsize * factor;
    }
    for (let k = 0; k < n; k++) trial[k] = cur[k] + stepsize * (2 * rng.uniform() - 1);
    clipInto(trial, lower, upper);
    const r = local(fun, trial, lower, upper);
    nfev += r.nfev;
    njev += r.njev;
    if (!r.success) failures++;
    const fnew = value(r.fun);
    // Metropolis: w = exp(min(0, −Δf/T)) ≥ U.
    const u = rng.uniform();
    const w = fnew <= fcur ? 1 : T > 0 ? Math.exp(-(fnew - fcur) / T) : 0;
    const accept = w >= u && fnew < Infinity;
    let newGlobal = false;
    if (accept) {
      naccept++;
      cur.set(r.x);
      fcur = fnew;
      if (fnew < fbest) {
        best.set(r.x);
        fbest = fnew;
        bestSuccess = r.success;
        newGlobal = true;
      }
    }
    if (options.callback && options.callback(best, nit, fbest) === true) {
      status = -1;
      break;
    }
    count++;
    if (newGlobal) count = 0;
    else if (count > niterSuccess) status = 1;
    if (status === 0 && nfev >= maxfev) status = 2;
  }
  return {
    x: best,
    fun: fbest,
    success: (status === 0 || status === 1) && bestSuccess && fbest < Infinity,
    status,
    message: MESSAGES[status],
    nfev,
    njev,
    nit,
    aborted: status === -1,
    minimizationFailures: failures,
    naccept,
    stepsize,
  };
}

const BASINHOPPING_OPTION_KEYS = optionKeys<BasinhoppingOptions>({
  niter: true,
  T: true,
  stepsize: true,
  interval: true,
  targetAcceptRate: true,
  stepwiseFactor: true,
  niterSuccess: true,
  maxfev: true,
  lower: true,
  upper: true,
  localMinimizer: true,
  seed: true,
  callback: true,
});
