/**
 * Dual annealing: generalized simulated annealing (Tsallis & Stariolo 1996; Xiang et al. 1997)
 * with a local search on improvements, following scipy's `dual_annealing`: Tsallis visiting
 * distribution (qv = 2.62) for all coordinates then one at a time, generalized Metropolis
 * acceptance (qa = −5), temperature T(t) = T₀(2^(qv−1) − 1)/((1 + t)^(qv−1) − 1) from 5230,
 * re-annealing from a random point below T₀·2e-5. Finite bounds required. Seedable.
 *
 * @module
 */

import type { IterationCallback, ScalarFunction, SolverResult } from "./types.ts";
import { Random } from "../random.ts";
import { lgamma } from "../special/distributions.ts";

/** Local search used after improvements: minimise `fun` from `x0` within the bounds. */
export type BoundedLocalSearch = (
  fun: ScalarFunction,
  x0: Float64Array,
) => { x: Float64Array; fun: number; nfev: number };

/** Options of `dualAnnealing`. */
export interface DualAnnealingOptions {
  /** Global iterations. @default 1000 */
  maxiter?: number;
  /** Maximum objective evaluations. @default 10⁷ */
  maxfev?: number;
  /** @default 5230 */
  initialTemp?: number;
  /** @default 2e-5 */
  restartTempRatio?: number;
  /** Visiting parameter qv. @default 2.62 */
  visit?: number;
  /** Acceptance parameter qa. @default -5 */
  accept?: number;
  /** Random seed. */
  seed?: number;
  /** Local search after improvements; none when absent (or with `noLocalSearch`). */
  localSearch?: BoundedLocalSearch;
  /** Skip local searches (pure generalized simulated annealing). @default false */
  noLocalSearch?: boolean;
  /** Called each iteration with the best point; `true` aborts. */
  callback?: IterationCallback;
}

/**
 * Minimises `fun` within `[lower, upper]` by dual annealing.
 *
 * @example
 * ```ts
 * import { dualAnnealing } from "./dual_annealing.ts";
 * const rastrigin = (x: Float64Array) => 20 + x.reduce((s, v) => s + v * v - 10 * Math.cos(2 * Math.PI * v), 0);
 * dualAnnealing(rastrigin, Float64Array.of(-5, -5), Float64Array.of(5, 5), { seed: 3, maxiter: 200 }).fun; // ≈ 0
 * ```
 */
export function dualAnnealing(
  fun: ScalarFunction,
  lower: Float64Array,
  upper: Float64Array,
  options: DualAnnealingOptions & { x0?: Float64Array } = {},
): SolverResult {
  const n = lower.length;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(lower[i]) || !Number.isFinite(upper[i]) || !(upper[i] > lower[i])) {
      throw new RangeError(
        `dual_annealing needs finite bounds with min < max; variable ${i} has [${lower[i]}, ${
          upper[i]
        }]`,
      );
    }
  }
  const rng = new Random(options.seed);
  const qv = options.visit ?? 2.62, qa = options.accept ?? -5;
  const maxiter = options.maxiter ?? 1000, maxfev = options.maxfev ?? 1e7;
  const T0 = options.initialTemp ?? 5230;
  const tRestart = T0 * (options.restartTempRatio ?? 2e-5);
  const range = Float64Array.from(upper, (u, i) => u - lower[i]);
  let nfev = 0;
  const f = (x: Float64Array) => {
    nfev++;
    const v = fun(x);
    return Number.isFinite(v) ? v : Infinity;
  };
  // Visiting distribution constants (scipy's VisitingDistribution).
  const factor2 = Math.exp((4 - qv) * Math.log(qv - 1));
  const factor3 = Math.exp(((2 - qv) * Math.log(2)) / (qv - 1));
  const factor4p = (Math.sqrt(Math.PI) * factor2) / (factor3 * (3 - qv));
  const factor5 = 1 / (qv - 1) - 0.5;
  const d1 = 2 - factor5;
  const factor6 = (Math.PI * (1 - factor5)) / Math.sin(Math.PI * (1 - factor5)) /
    Math.exp(lgamma(d1));
  const TAIL = 1e8;
  const visitValue = (T: number): number => {
    const x = rng.normal(), y = rng.normal();
    const factor4 = factor4p * Math.exp(Math.log(T) / (qv - 1));
    const sx = x * Math.exp((-(qv - 1) * Math.log(factor6 / factor4)) / (3 - qv));
    const den = Math.exp(((qv - 1) * Math.log(Math.abs(y))) / (3 - qv));
    let v = sx / den;
    if (v > TAIL) v = TAIL * rng.uniform();
    else if (v < -TAIL) v = -TAIL * rng.uniform();
    return v;
  };
  const wrap = (v: number, i: number) => {
    const a = v - lower[i];
    const b = (a % range[i]) + range[i];
    let w = (b % range[i]) + lower[i];
    if (Math.abs(w - lower[i]) < 1e-10) w += 1e-10;
    return w;
  };
  const randomPoint = () => Float64Array.from(lower, (l, i) => l + rng.uniform() * range[i]);
  let cur = options.x0 ? Float64Array.from(options.x0) : randomPoint();
  let ecur = f(cur);
  let best = Float64Array.from(cur), ebest = ecur;
  let xmin = Float64Array.from(cur), emin = ecur;
  let notImproved = 0, notImprovedMax = 1000;
  const K = 100 * n;
  const visit = new Float64Array(n);
  const t1 = Math.exp((qv - 1) * Math.log(2)) - 1;
  let iteration = 0,
    aborted = false,
    stop = false,
    message = "Maximum number of iterations reached.";
  const local = (x: Float64Array, e: number) => {
    if (!options.localSearch || options.noLocalSearch) return { x, fun: e };
    const r = options.localSearch(fun, x);
    nfev += r.nfev;
    return r.fun < e ? { x: r.x, fun: r.fun } : { x, fun: e };
  };
  while (!stop) {
    for (let i = 0; i < maxiter; i++) {
      const t2 = Math.exp((qv - 1) * Math.log(i + 2)) - 1;
      const T = (T0 * t1) / t2;
      if (iteration >= maxiter) {
        stop = true;
        break;
      }
      if (T < tRestart) {
        cur = randomPoint();
        ecur = f(cur);
        break;
      }
      // Strategy chain.
      const Tstep = T / (i + 1);
      notImproved++;
      let improved = i === 0;
      for (let j = 0; j < 2 * n; j++) {
        if (j < n) {
          for (let d = 0; d < n; d++) visit[d] = wrap(cur[d] + visitValue(T), d);
        } else {
          visit.set(cur);
          const d = j - n;
          visit[d] = wrap(cur[d] + visitValue(T), d);
        }
        const e = f(visit);
        if (e < ecur) {
          cur = Float64Array.from(visit);
          ecur = e;
          if (e < ebest) {
            best = Float64Array.from(visit);
            ebest = e;
            improved = true;
            notImproved = 0;
          }
        } else {
          const p = 1 - ((1 - qa) * (e - ecur)) / Tstep;
          const pqv = p <= 0 ? 0 : Math.exp(Math.log(p) / (1 - qa));
          if (rng.uniform() <= pqv) {
            cur = Float64Array.from(visit);
            ecur = e;
            xmin = Float64Array.from(cur);
          }
          if (notImproved >= notImprovedMax && (j === 0 || ecur < emin)) {
            emin = ecur;
            xmin = Float64Array.from(cur);
          }
        }
        if (nfev >= maxfev) {
          stop = true;
          message = "Maximum number of function evaluations reached during annealing.";
          break;
        }
      }
      if (stop) break;
      // Local search.
      if (improved) {
        const r = local(best, ebest);
        if (r.fun < ebest) {
          notImproved = 0;
          best = Float64Array.from(r.x);
          ebest = r.fun;
          cur = Float64Array.from(r.x);
          ecur = r.fun;
        }
      }
      let doLs = false;
      if (K < 90 * n) {
        const pls = Math.exp((K * (ebest - ecur)) / Tstep);
        if (pls >= rng.uniform()) doLs = true;
      }
      if (notImproved >= notImprovedMax) doLs = true;
      if (doLs) {
        const r = local(xmin, emin);
        xmin = Float64Array.from(r.x);
        emin = r.fun;
        notImproved = 0;
        notImprovedMax = n;
        if (r.fun < ebest) {
          best = Float64Array.from(r.x);
          ebest = r.fun;
          cur = Float64Array.from(r.x);
          ecur = r.fun;
        }
      }
      iteration++;
      if (options.callback && options.callback(best, iteration, ebest) === true) {
        aborted = true;
        stop = true;
        break;
      }
      if (nfev >= maxfev) {
        stop = true;
        message = "Maximum number of function evaluations reached.";
        break;
      }
    }
  }
  return {
    x: best,
    fun: ebest,
    success: !aborted && Number.isFinite(ebest) && !message.includes("evaluations"),
    status: aborted ? -1 : message.includes("evaluations") ? 1 : 0,
    message: aborted ? "Aborted by the iteration callback." : message,
    nfev,
    njev: 0,
    nit: iteration,
    aborted,
  };
}
