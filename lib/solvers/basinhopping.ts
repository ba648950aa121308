/**
 * Basin hopping (Wales & Doye 1997, scipy's `basinhopping`): random displacements of the
 * current minimum followed by a local minimisation, accepted by the Metropolis criterion at
 * temperature T; the step size adapts every 50 steps toward an acceptance rate of 0.5.
 * Seedable.
 *
 * @module
 */

import type { IterationCallback, ScalarFunction, SolverResult } from "./types.ts";
import { Random } from "../random.ts";

/** A local minimiser used between hops. */
export type LocalMinimizer = (fun: ScalarFunction, x0: Float64Array) => SolverResult;

/** Options of `basinhopping`. */
export interface BasinhoppingOptions {
  /** Hops. @default 100 */
  niter?: number;
  /** Metropolis temperature. @default 1 */
  T?: number;
  /** Initial step size. @default 0.5 */
  stepsize?: number;
  /** Steps between step-size adjustments. @default 50 */
  interval?: number;
  /** Stop after this many hops without a new global minimum. @default niter */
  niterSuccess?: number;
  /** Random seed. */
  seed?: number;
  /** Called after each hop with the best point; `true` aborts. */
  callback?: IterationCallback;
}

/**
 * Minimises `fun` from `x0` by basin hopping with `local` minimisations.
 *
 * @example
 * ```ts
 * import { basinhopping } from "./basinhopping.ts";
 * import { nelderMead } from "./nelder_mead.ts";
 * const f = (x: Float64Array) => Math.cos(14.5 * x[0] - 0.3) + (x[0] + 0.2) * x[0];
 * basinhopping(f, Float64Array.of(1), (g, x0) => nelderMead(g, x0), { seed: 2, niter: 50 }).x; // ≈ [-0.195]
 * ```
 */
export function basinhopping(
  fun: ScalarFunction,
  x0: Float64Array,
  local: LocalMinimizer,
  options: BasinhoppingOptions = {},
): SolverResult {
  const n = x0.length;
  const niter = options.niter ?? 100;
  const T = options.T ?? 1;
  let stepsize = options.stepsize ?? 0.5;
  const interval = options.interval ?? 50;
  const niterSuccess = options.niterSuccess ?? niter + 2;
  const rng = new Random(options.seed);
  let nfev = 0;
  const first = local(fun, x0);
  nfev += first.nfev;
  let cur = Float64Array.from(first.x), fcur = first.fun;
  let best = Float64Array.from(cur), fbest = fcur;
  let accepted = 0, sinceBest = 0, aborted = false, nit = 0;
  const trial = new Float64Array(n);
  for (nit = 1; nit <= niter; nit++) {
    for (let i = 0; i < n; i++) trial[i] = cur[i] + stepsize * (2 * rng.uniform() - 1);
    const r = local(fun, trial);
    nfev += r.nfev;
    const accept = r.fun < fcur || rng.uniform() < Math.exp(-(r.fun - fcur) / T);
    if (accept && Number.isFinite(r.fun)) {
      cur = Float64Array.from(r.x);
      fcur = r.fun;
      accepted++;
    }
    if (r.fun < fbest) {
      best = Float64Array.from(r.x);
      fbest = r.fun;
      sinceBest = 0;
    } else sinceBest++;
    if (nit % interval === 0) {
      const rate = accepted / interval;
      stepsize = rate > 0.5 ? stepsize / 0.9 : stepsize * 0.9;
      accepted = 0;
    }
    if (options.callback && options.callback(best, nit, fbest) === true) {
      aborted = true;
      break;
    }
    if (sinceBest >= niterSuccess) break;
  }
  return {
    x: best,
    fun: fbest,
    success: !aborted && Number.isFinite(fbest),
    status: aborted ? -1 : 0,
    message: aborted
      ? "Aborted by the iteration callback."
      : `Basin hopping: ${Math.min(nit, niter)} hops completed.`,
    nfev,
    njev: 0,
    nit: Math.min(nit, niter),
    aborted,
  };
}
