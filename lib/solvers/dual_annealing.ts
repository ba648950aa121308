/**
 * Dual annealing: generalized simulated annealing (Tsallis & Stariolo 1996, "Generalized
 * simulated annealing", Physica A 233, 395; Xiang et al. 1997, J. Phys. Chem. A 101, 8186)
 * combined with a local search on improvements, following scipy's `dual_annealing` step for step:
 *
 * - temperature `T(t) = T₀ (2^(qv−1) − 1) / ((t + 1)^(qv−1) − 1)`, from `initialTemp` = 5230;
 * - each iteration runs a Markov chain of 2n visits drawn from the Tsallis visiting distribution
 *   (qv = 2.62): n visits move all coordinates at once, n move one coordinate each; visits are
 *   wrapped back into the box;
 * - downhill visits are always taken, uphill ones with the generalized Metropolis probability
 *   `[1 − (1 − qa) ΔE / T_step]^(1/(1−qa))` (qa = −5, `T_step = T/(t+1)`);
 * - a local search from the best point after every iteration that improved it, and from the
 *   chain's best point after 1000 (then n) iterations without improvement;
 * - not in scipy (`recordSearch`, on by default): a local search from each visit that sets a new
 *   record low among the visits more than 5% of the box away from the best point, without
 *   beating it. scipy polishes only improvements of the best, so a visit that lands in a deeper
 *   basin far away is lost unless it happens to be lower than the polished best already; on the
 *   Eggholder function 43 of the 78 failed scipy-algorithm runs (of 100) had visited the global
 *   basin. These searches may cost at most 10% of the other evaluations (on a smooth fit such as
 *   the two-exponential problem they would otherwise double them, finding nothing new).
 * - re-annealing from a random point once `T < initialTemp · restartTempRatio`.
 *
 * Finite bounds are required (RangeError naming the variable otherwise). Seedable. The local
 * search is L-BFGS-B limited to min(max(6n, 100), 1000) iterations, as scipy's
 * `LocalSearchWrapper`, or the caller's `localMinimizer`; its result is used only when it is
 * finite, inside the box and better.
 *
 * Quality against scipy 1.10, measured by `bench/global_quality.ts` in the same run (maxiter
 * 1000, random start): the Eggholder function's global minimum is reached from 51 of seeds 0–99
 * here, 27 with scipy, at 2.5% more evaluations (4,196 against 4,089); with `recordSearch:
 * false` (scipy's algorithm) from 22, with scipy's evaluation counts. Every one of 20 seeds
 * reaches the minimum of Alpine02, Rastrigin, Ackley, Levy, Schwefel and Shubert on both sides
 * (1–5% more evaluations here); 192 against scipy's 191 successes over the 11 problems × 20 seeds.
 *
 * | status | meaning |
 * |---|---|
 * | 0 | `maxiter` iterations completed |
 * | 1 | `maxfev` reached during annealing |
 * | 2 | `maxfev` reached during a local search |
 * | -1 | aborted by the callback |
 *
 * @module
 */

import type { IterationCallback, ScalarFunction, SolverResult } from "./types.ts";
import { Random } from "../util/random.ts";
import { lgamma } from "../special/distributions.ts";
import { lbfgsb } from "./lbfgsb.ts";
import { checkStart, type LocalMinimizer, requireFiniteBounds } from "./_global_local.ts";
import { checkOptions, optionKeys } from "../util/options.ts";

/**
 * Options of `dualAnnealing`.
 *
 * @example
 * ```ts
 * import { dualAnnealing, type DualAnnealingOptions } from "./dual_annealing.ts";
 * const options: DualAnnealingOptions = {
 *   lower: Float64Array.of(-5, -5), upper: Float64Array.of(5, 5), maxiter: 50, seed: 1,
 * };
 * dualAnnealing((x) => (x[0] - 1) ** 2 + (x[1] - 2) ** 2, null, options).x; // ≈ [1, 2]
 * ```
 *
 * @category Solvers
 */
export interface DualAnnealingOptions {
  /** Finite lower bounds (required). @default undefined */
  lower?: Float64Array;
  /** Finite upper bounds (required). @default undefined */
  upper?: Float64Array;
  /** Global iterations. @default 1000 */
  maxiter?: number;
  /** Maximum objective evaluations (local searches included). @default 1e7 */
  maxfev?: number;
  /** Initial temperature, in (0.01, 5e4]. @default 5230 */
  initialTemp?: number;
  /** Re-anneal when the temperature falls below initialTemp times this, in (0, 1). @default 2e-5 */
  restartTempRatio?: number;
  /** Visiting parameter qv, in (1, 3]. @default 2.62 */
  visit?: number;
  /** Acceptance parameter qa, in (−1e4, −5]. @default -5 */
  accept?: number;
  /** Random seed. @default undefined (random) */
  seed?: number;
  /** Local search after improvements. @default L-BFGS-B, min(max(6n, 100), 1000) iterations (scipy's) */
  localMinimizer?: LocalMinimizer;
  /**
   * Also run a local search from each new record low among the visits that lie away from the best
   * point (more than 5% of the box width in some coordinate) without beating it, so a deep basin
   * found by a visit is polished before the annealing moves on; these searches cost at most 10%
   * of the other evaluations. `false` gives scipy's algorithm exactly. @default true
   */
  recordSearch?: boolean;
  /** Skip local searches (pure generalized simulated annealing). @default false */
  noLocalSearch?: boolean;
  /** Called after each iteration with the best point; `true` aborts. @default undefined */
  callback?: IterationCallback;
}

/**
 * The value `dualAnnealing` takes for each option left out, the one place these values are
 * written: the solver resolves its options from it, and the `dual_annealing` method reports it
 * as lmfit's `call_kws` (`result.callKws`). `null` marks a default that is no value: `seed`
 * draws a random stream. Without `localMinimizer` the local search is scipy's, L-BFGS-B with
 * min(max(6n, 100), 1000) iterations for n variables.
 *
 * @example
 * ```ts
 * import { DUAL_ANNEALING_DEFAULTS as D, dualAnnealing } from "./dual_annealing.ts";
 * import assert from "node:assert/strict";
 * assert.equal(D.initialTemp, 5230);
 * assert.ok(Object.isFrozen(D));
 * const f = (x: Float64Array) => (x[0] - 1) ** 2;
 * const box = { lower: Float64Array.of(-4), upper: Float64Array.of(4), seed: 3, maxiter: 20 };
 * const implicit = dualAnnealing(f, null, box);
 * const explicit = dualAnnealing(f, null, { ...box, visit: D.visit, accept: D.accept });
 * assert.deepEqual([explicit.nfev, ...explicit.x], [implicit.nfev, ...implicit.x]);
 * ```
 *
 * @category Solvers
 */
export const DUAL_ANNEALING_DEFAULTS: Readonly<
  & Required<
    Pick<
      DualAnnealingOptions,
      | "maxiter"
      | "maxfev"
      | "initialTemp"
      | "restartTempRatio"
      | "visit"
      | "accept"
      | "recordSearch"
      | "noLocalSearch"
    >
  >
  & { seed: null }
> = Object.freeze({
  maxiter: 1000,
  maxfev: 1e7,
  initialTemp: 5230,
  restartTempRatio: 2e-5,
  visit: 2.62,
  accept: -5,
  seed: null,
  recordSearch: true,
  noLocalSearch: false,
});

const MESSAGES: Record<number, string> = {
  0: "Maximum number of iterations reached.",
  1: "Maximum number of function evaluations reached during annealing.",
  2: "Maximum number of function evaluations reached during local search.",
  [-1]: "Aborted by the iteration callback.",
};

/** Restarts drawn at most this often when the objective is not finite at a random point. */
const MAX_REINIT = 1000;
/** Visits beyond ±TAIL are redrawn uniformly in (0, ±TAIL). */
const TAIL = 1e8;
/** Record searches may cost at most this share of the other evaluations. */
const RECORD_SHARE = 0.1;
/** Points closer than this to a lower bound are moved inside. */
const MIN_VISIT_BOUND = 1e-10;

/**
 * Minimises `fun` within `[options.lower, options.upper]` by dual annealing from `x0`.
 *
 * @param fun Objective (non-finite values count as +Infinity).
 * @param x0 Start, inside the bounds; `null` starts at a random point (as scipy's `x0=None`).
 * @param options See `DualAnnealingOptions`; `lower` and `upper` are required.
 * @returns The best point found.
 *
 * @example
 * ```ts
 * import { dualAnnealing } from "./dual_annealing.ts";
 * const rastrigin = (x: Float64Array) => 20 + x.reduce((s, v) => s + v * v - 10 * Math.cos(2 * Math.PI * v), 0);
 * const r = dualAnnealing(rastrigin, Float64Array.of(3, -4), {
 *   lower: Float64Array.of(-5.12, -5.12), upper: Float64Array.of(5.12, 5.12), seed: 3, maxiter: 100,
 * });
 * r.fun; // ≈ 0
 * ```
 *
 * @category Solvers
 */
export function dualAnnealing(
  fun: ScalarFunction,
  x0: Float64Array | null,
  options: DualAnnealingOptions,
): SolverResult {
  checkOptions(options, DUAL_ANNEALING_OPTION_KEYS, "dualAnnealing");
  if (x0 !== null) checkStart("dual_annealing", x0);
  return anneal(fun, x0, options);
}

const DUAL_ANNEALING_OPTION_KEYS = optionKeys<DualAnnealingOptions>({
  lower: true,
  upper: true,
  maxiter: true,
  maxfev: true,
  initialTemp: true,
  restartTempRatio: true,
  visit: true,
  accept: true,
  seed: true,
  localMinimizer: true,
  recordSearch: true,
  noLocalSearch: true,
  callback: true,
});

function anneal(
  fun: ScalarFunction,
  x0: Float64Array | null,
  options: DualAnnealingOptions,
): SolverResult {
  const { lower, upper } = options;
  const n = lower ? lower.length : (x0?.length ?? 0);
  requireFiniteBounds("dual_annealing", n, lower, upper);
  const lo = lower!, hi = upper!;
  if (x0 && x0.length !== n) {
    throw new RangeError(`dual_annealing: x0 has length ${x0.length}, the bounds ${n}`);
  }
  if (x0) {
    for (let i = 0; i < n; i++) {
      if (!(x0[i] >= lo[i] && x0[i] <= hi[i])) {
        throw new RangeError(
          `dual_annealing: x0[${i}] = ${x0[i]} lies outside [${lo[i]}, ${
            hi[i]
          }]; start inside the bounds`,
        );
      }
    }
  }
  const D = DUAL_ANNEALING_DEFAULTS;
  const qv = options.visit ?? D.visit, qa = options.accept ?? D.accept;
  const maxiter = options.maxiter ?? D.maxiter, maxfev = options.maxfev ?? D.maxfev;
  const T0 = options.initialTemp ?? D.initialTemp;
  const ratio = options.restartTempRatio ?? D.restartTempRatio;
  if (!(qv > 1 && qv <= 3)) {
    throw new RangeError(`dual_annealing: visit must be in (1, 3], got ${qv}`);
  }
  if (!(qa <= -5 && qa > -1e4)) {
    throw new RangeError(`dual_annealing: accept must be in (-1e4, -5], got ${qa}`);
  }
  if (!(T0 > 0.01 && T0 <= 5e4)) {
    throw new RangeError(`dual_annealing: initialTemp must be in (0.01, 5e4], got ${T0}`);
  }
  if (!(ratio > 0 && ratio < 1)) {
    throw new RangeError(`dual_annealing: restartTempRatio must be in (0, 1), got ${ratio}`);
  }
  const tRestart = T0 * ratio;
  const rng = new Random(options.seed);
  const lsMaxiter = Math.min(Math.max(6 * n, 100), 1000);
  const noLocalSearch = options.noLocalSearch ?? D.noLocalSearch;
  const local: LocalMinimizer | null = noLocalSearch ? null : (options.localMinimizer ??
    ((fn, x, l, u) =>
      lbfgsb(fn, x, {
        lower: l,
        upper: u,
        maxiter: lsMaxiter,
        maxfev: Math.max(1, Math.min(15000, maxfev - nfev)),
      })));
  const range = new Float64Array(n);
  for (let i = 0; i < n; i++) range[i] = hi[i] - lo[i];
  let nfev = 0, njev = 0;
  const f = (x: Float64Array) => {
    nfev++;
    const v = fun(x);
    return Number.isNaN(v) ? Infinity : v;
  };

  // Visiting distribution constants (scipy's VisitingDistribution).
  const factor2 = Math.exp((4 - qv) * Math.log(qv - 1));
  const factor3 = Math.exp(((2 - qv) * Math.log(2)) / (qv - 1));
  const factor4p = (Math.sqrt(Math.PI) * factor2) / (factor3 * (3 - qv));
  const factor5 = 1 / (qv - 1) - 0.5;
  const d1 = 2 - factor5;
  const factor6 = (Math.PI * (1 - factor5)) / Math.sin(Math.PI * (1 - factor5)) /
    Math.exp(lgamma(d1));
  const visitFn = (T: number): number => {
    const x = rng.normal(), y = rng.normal();
    const factor4 = factor4p * Math.exp(Math.log(T) / (qv - 1));
    const sx = x * Math.exp((-(qv - 1) * Math.log(factor6 / factor4)) / (3 - qv));
    return sx / Math.exp(((qv - 1) * Math.log(Math.abs(y))) / (3 - qv));
  };
  const wrap = (v: number, i: number) => {
    const b = ((v - lo[i]) % range[i]) + range[i];
    let w = (b % range[i]) + lo[i];
    if (Math.abs(w - lo[i]) < MIN_VISIT_BOUND) w += MIN_VISIT_BOUND;
    return w;
  };

  // Energy state.
  const cur = new Float64Array(n);
  let ecur = Infinity;
  const reset = (start: Float64Array | null) => {
    for (let k = 0; k <= MAX_REINIT; k++) {
      if (start && k === 0) cur.set(start);
      else for (let i = 0; i < n; i++) cur[i] = lo[i] + rng.uniform() * range[i];
      ecur = f(cur);
      if (ecur < Infinity) return;
    }
  };
  reset(x0);
  const best = Float64Array.from(cur);
  let ebest = ecur;
  // Strategy chain state.
  const xmin = Float64Array.from(cur);
  let emin = ecur;
  let notImproved = 0, notImprovedMax = 1000;
  const K = 100 * n;
  const visit = new Float64Array(n);
  // Record low among the visits away from the best point (recordSearch).
  const recordSearch = options.recordSearch ?? D.recordSearch;
  const recordX = new Float64Array(n);
  let recordE = Infinity, haveRecord = false, recordNfev = 0;

  // Local search wrapper (scipy's LocalSearchWrapper): keep the result only if valid and better.
  const localSearch = (x: Float64Array, e: number): { x: Float64Array; e: number } => {
    const r = local!(fun, Float64Array.from(x), lo, hi);
    nfev += r.nfev;
    njev += r.njev;
    let valid = r.fun < e;
    for (let i = 0; i < n && valid; i++) {
      valid = Number.isFinite(r.x[i]) && r.x[i] >= lo[i] && r.x[i] <= hi[i];
    }
    return valid ? { x: r.x, e: r.fun } : { x, e };
  };
  // A local search that beats the best point moves both the best and the current point there.
  const adoptIfBest = (r: { x: Float64Array; e: number }): void => {
    if (r.e < ebest) {
      notImproved = 0;
      best.set(r.x);
      ebest = r.e;
      cur.set(r.x);
      ecur = r.e;
    }
  };

  const t1 = Math.exp((qv - 1) * Math.log(2)) - 1;
  let iteration = 0, status = 0, done = false;
  while (!done) {
    for (let i = 0; i < maxiter; i++) {
      const T = (T0 * t1) / (Math.exp((qv - 1) * Math.log(i + 2)) - 1);
      if (iteration >= maxiter) {
        done = true;
        break;
      }
      if (T < tRestart) {
        reset(null);
        break;
      }
      // Strategy chain: 2n visits.
      const Tstep = T / (i + 1);
      notImproved++;
      let improved = i === 0;
      for (let j = 0; j < 2 * n; j++) {
        if (j < n) {
          for (let d = 0; d < n; d++) visit[d] = visitFn(T);
          const upperSample = rng.uniform(), lowerSample = rng.uniform();
          for (let d = 0; d < n; d++) {
            let v = visit[d];
            if (v > TAIL) v = TAIL * upperSample;
            else if (v < -TAIL) v = -TAIL * lowerSample;
            visit[d] = wrap(cur[d] + v, d);
          }
        } else {
          visit.set(cur);
          const d = j - n;
          let v = visitFn(T);
          if (v > TAIL) v = TAIL * rng.uniform();
          else if (v < -TAIL) v = -TAIL * rng.uniform();
          visit[d] = wrap(cur[d] + v, d);
        }
        const e = f(visit);
        if (recordSearch && local && e >= ebest && e < recordE) {
          let far = false;
          for (let d = 0; d < n && !far; d++) far = Math.abs(visit[d] - best[d]) > 0.05 * range[d];
          if (far) {
            recordE = e;
            recordX.set(visit);
            haveRecord = true;
          }
        }
        if (e < ecur) {
          cur.set(visit);
          ecur = e;
          if (e < ebest) {
            best.set(visit);
            ebest = e;
            improved = true;
            notImproved = 0;
          }
        } else {
          const r = rng.uniform();
          const p = 1 - ((1 - qa) * (e - ecur)) / Tstep;
          const pqv = p <= 0 ? 0 : Math.exp(Math.log(p) / (1 - qa));
          if (r <= pqv) {
            cur.set(visit);
            ecur = e;
            xmin.set(cur);
          }
          if (notImproved >= notImprovedMax && (j === 0 || ecur < emin)) {
            emin = ecur;
            xmin.set(cur);
          }
        }
        if (nfev >= maxfev) {
          status = 1;
          break;
        }
      }
      if (status !== 0) {
        done = true;
        break;
      }
      if (local && haveRecord && recordNfev <= RECORD_SHARE * (nfev - recordNfev)) {
        // A visit far from the best set a new record low: polish it (not in scipy), while these
        // searches have cost at most RECORD_SHARE of the other evaluations.
        haveRecord = false;
        const before = nfev;
        const r = localSearch(recordX, recordE);
        recordNfev += nfev - before;
        adoptIfBest(r);
        if (nfev >= maxfev) {
          status = 2;
          done = true;
          break;
        }
      }
      if (local) {
        if (improved) {
          adoptIfBest(localSearch(best, ebest));
          if (nfev >= maxfev) status = 2;
        }
        let doLs = false;
        // scipy's probabilistic local search; K = 100n makes it inactive, as in scipy.
        if (status === 0 && K < 90 * n) {
          if (Math.exp((K * (ebest - ecur)) / Tstep) >= rng.uniform()) doLs = true;
        }
        if (status === 0 && notImproved >= notImprovedMax) doLs = true;
        if (doLs) {
          const r = localSearch(xmin, emin);
          xmin.set(r.x);
          emin = r.e;
          notImproved = 0;
          notImprovedMax = n;
          adoptIfBest(r); // notImproved is already 0 here
          if (nfev >= maxfev) status = 2;
        }
        if (status !== 0) {
          done = true;
          break;
        }
      }
      iteration++;
      if (options.callback && options.callback(best, iteration, ebest) === true) {
        status = -1;
        done = true;
        break;
      }
    }
  }
  return {
    x: best,
    fun: ebest,
    success: status === 0 && ebest < Infinity,
    status,
    message: MESSAGES[status],
    nfev,
    njev,
    nit: iteration,
    aborted: status === -1,
  };
}
