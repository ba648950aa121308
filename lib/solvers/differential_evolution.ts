/**
 * Differential evolution (Storn & Price 1997) with scipy's defaults: strategy best1bin,
 * population 15·n, mutation dithered in [0.5, 1) per generation, recombination 0.7, Latin
 * hypercube initialisation, convergence when std(f) ≤ atol + tol·|mean(f)|, then an optional
 * local polish supplied by the caller. Finite bounds are required. Seedable.
 *
 * | status | meaning |
 * |---|---|
 * | 0 | converged (population spread within tolerance) |
 * | 1 | maxiter generations reached |
 * | 2 | maxfev reached |
 * | -1 | aborted by the callback |
 *
 * @module
 */

import type { IterationCallback, ScalarFunction, SolverResult } from "./types.ts";
import { Random } from "../random.ts";

/** Options of `differentialEvolution`. */
export interface DifferentialEvolutionOptions {
  /** Population size factor (population = popsize·n). @default 15 (population = popsize·n) */
  popsize?: number;
  /** Dither range of the mutation constant. @default [0.5, 1] */
  mutation?: number | [number, number];
  /** Crossover probability. @default 0.7 */
  recombination?: number;
  /** Relative convergence tolerance. @default 0.01 */
  tol?: number;
  /** Absolute convergence tolerance. @default 0 */
  atol?: number;
  /** Maximum iterations. @default 1000 */
  maxiter?: number;
  /** Maximum objective evaluations. @default (maxiter + 1)·popsize·n */
  maxfev?: number;
  /** Random seed. */
  seed?: number;
  /** Local polish of the best member (e.g. a bounded local minimiser). */
  polish?: (x: Float64Array) => { x: Float64Array; fun: number; nfev: number };
  /** Called each generation with the best member; `true` aborts. */
  callback?: IterationCallback;
}

/**
 * Minimises `fun` within `[lower, upper]` by differential evolution.
 *
 * @example
 * ```ts
 * import { differentialEvolution } from "./differential_evolution.ts";
 * const r = differentialEvolution((x) => (x[0] - 1) ** 2 + (x[1] + 1) ** 2, Float64Array.of(-5, -5), Float64Array.of(5, 5), { seed: 1 });
 * r.x; // ≈ [1, -1]
 * ```
 */
export function differentialEvolution(
  fun: ScalarFunction,
  lower: Float64Array,
  upper: Float64Array,
  options: DifferentialEvolutionOptions = {},
): SolverResult {
  const n = lower.length;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(lower[i]) || !Number.isFinite(upper[i]) || !(upper[i] > lower[i])) {
      throw new RangeError(
        `differential_evolution needs finite bounds with min < max; variable ${i} has [${
          lower[i]
        }, ${upper[i]}]`,
      );
    }
  }
  const rng = new Random(options.seed);
  const npop = Math.max(5, (options.popsize ?? 15) * n);
  const mut = options.mutation ?? [0.5, 1];
  const cr = options.recombination ?? 0.7;
  const tol = options.tol ?? 0.01, atol = options.atol ?? 0;
  const maxiter = options.maxiter ?? 1000;
  const maxfev = options.maxfev ?? (maxiter + 1) * npop;
  let nfev = 0;
  const f = (x: Float64Array) => {
    nfev++;
    const v = fun(x);
    return Number.isNaN(v) ? Infinity : v;
  };
  // Population in the unit cube, Latin hypercube initialisation.
  const pop = Array.from({ length: npop }, () => new Float64Array(n));
  for (let d = 0; d < n; d++) {
    const perm = rng.shuffle(Array.from({ length: npop }, (_, i) => i));
    for (let i = 0; i < npop; i++) pop[i][d] = (perm[i] + rng.uniform()) / npop;
  }
  const scaled = new Float64Array(n);
  const toX = (u: Float64Array, out: Float64Array) => {
    for (let d = 0; d < n; d++) out[d] = lower[d] + u[d] * (upper[d] - lower[d]);
    return out;
  };
  const energies = pop.map((u) => f(toX(u, scaled)));
  let bestI = 0;
  for (let i = 1; i < npop; i++) if (energies[i] < energies[bestI]) bestI = i;
  const trial = new Float64Array(n);
  let status = 1, nit = 0, aborted = false;
  for (nit = 1; nit <= maxiter; nit++) {
    const F = typeof mut === "number" ? mut : mut[0] + rng.uniform() * (mut[1] - mut[0]);
    for (let i = 0; i < npop; i++) {
      let r1: number, r2: number;
      do r1 = rng.integer(npop); while (r1 === i);
      do r2 = rng.integer(npop); while (r2 === i || r2 === r1);
      const jrand = rng.integer(n);
      const b = pop[bestI];
      for (let d = 0; d < n; d++) {
        if (d === jrand || rng.uniform() < cr) {
          let v = b[d] + F * (pop[r1][d] - pop[r2][d]);
          if (v < 0 || v > 1) v = rng.uniform();
          trial[d] = v;
        } else trial[d] = pop[i][d];
      }
      const e = f(toX(trial, scaled));
      if (e <= energies[i]) {
        pop[i].set(trial);
        energies[i] = e;
        if (e < energies[bestI]) bestI = i;
      }
      if (nfev >= maxfev) break;
    }
    if (
      options.callback &&
      options.callback(toX(pop[bestI], new Float64Array(n)), nit, energies[bestI]) === true
    ) {
      aborted = true;
      break;
    }
    if (nfev >= maxfev) {
      status = 2;
      break;
    }
    let mean = 0;
    for (const e of energies) mean += e;
    mean /= npop;
    let sd = 0;
    for (const e of energies) sd += (e - mean) ** 2;
    sd = Math.sqrt(sd / npop);
    if (Number.isFinite(mean) && sd <= atol + tol * Math.abs(mean)) {
      status = 0;
      break;
    }
  }
  let x = toX(pop[bestI], new Float64Array(n));
  let fx = energies[bestI];
  if (!aborted && options.polish) {
    const p = options.polish(x);
    nfev += p.nfev;
    if (p.fun < fx) {
      x = p.x;
      fx = p.fun;
    }
  }
  const messages: Record<number, string> = {
    0: "Optimization terminated successfully.",
    1: "Maximum number of iterations has been exceeded.",
    2: "Maximum number of function evaluations has been exceeded.",
    [-1]: "Aborted by the iteration callback.",
  };
  const st = aborted ? -1 : status;
  return {
    x,
    fun: fx,
    success: st === 0,
    status: st,
    message: messages[st],
    nfev,
    njev: 0,
    nit,
    aborted,
  };
}
