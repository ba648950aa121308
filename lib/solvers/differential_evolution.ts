/**
 * Differential evolution (Storn & Price 1997, "Differential evolution – a simple and efficient
 * heuristic for global optimization over continuous spaces", J. Global Optim. 11) with scipy's
 * `optimize.differential_evolution` defaults: strategy best1bin, population `max(5, 15·n)`,
 * mutation dithered in [0.5, 1) once per generation, recombination 0.7, Latin hypercube
 * initialisation, immediate updating, trial components outside the box replaced by uniform
 * draws, convergence when `std(E) ≤ atol + tol·|mean(E)|` over the population energies `E`, then
 * an optional local polish supplied by the caller. Finite bounds are required. Seedable through
 * `Random` (so the streams differ from numpy's, not the algorithm).
 *
 * | status | success | meaning |
 * |---|---|---|
 * | 0 | yes | converged (population spread within tolerance) |
 * | 1 | no | maxiter generations reached |
 * | 2 | no | maxfev reached |
 * | -1 | no | aborted by the callback |
 *
 * @module
 */

import type { IterationCallback, ScalarFunction, SolverResult } from "./types.ts";
import { Random } from "../util/random.ts";
import { checkOptions, optionKeys } from "../util/options.ts";

/**
 * Mutation strategies (binomial crossover), as scipy names them.
 *
 * @example
 * ```ts
 * import {
 *   differentialEvolution,
 *   type DifferentialEvolutionStrategy,
 * } from "./differential_evolution.ts";
 * const strategy: DifferentialEvolutionStrategy = "rand1bin";
 * const f = (x: Float64Array) => (x[0] - 1) ** 2 + (x[1] + 1) ** 2;
 * differentialEvolution(f, Float64Array.of(-5, -5), Float64Array.of(5, 5), { strategy, seed: 1 }).x; // ≈ [1, -1]
 * ```
 *
 * @category Solvers
 */
export type DifferentialEvolutionStrategy =
  | "best1bin"
  | "rand1bin"
  | "best2bin"
  | "rand2bin"
  | "currenttobest1bin"
  | "randtobest1bin";

/**
 * Local polish of the best member: returns the polished point, its value and evaluations.
 *
 * @example
 * ```ts
 * import {
 *   differentialEvolution,
 *   type DifferentialEvolutionPolish,
 * } from "./differential_evolution.ts";
 * import { nelderMead } from "./nelder_mead.ts";
 * const f = (x: Float64Array) => (x[0] - 1) ** 2 + (x[1] + 1) ** 2;
 * const polish: DifferentialEvolutionPolish = (x) => nelderMead(f, x);
 * const lo = Float64Array.of(-5, -5), hi = Float64Array.of(5, 5);
 * const r = differentialEvolution(f, lo, hi, { polish, seed: 1, maxiter: 20 });
 * r.polished; // true: the polish refined r.populationBest.x ≈ [1.0002, -0.9999]
 * ```
 *
 * @category Solvers
 */
export type DifferentialEvolutionPolish = (
  x: Float64Array,
) => { x: Float64Array; fun: number; nfev: number };

/**
 * Options of `differentialEvolution`.
 *
 * @example
 * ```ts
 * import {
 *   differentialEvolution,
 *   type DifferentialEvolutionOptions,
 * } from "./differential_evolution.ts";
 * const options: DifferentialEvolutionOptions = { popsize: 10, mutation: 0.7, tol: 1e-6, seed: 4 };
 * const f = (x: Float64Array) => (x[0] - 1) ** 2 + (x[1] + 1) ** 2;
 * differentialEvolution(f, Float64Array.of(-5, -5), Float64Array.of(5, 5), options).x; // ≈ [1, -1]
 * ```
 *
 * @category Solvers
 */
export interface DifferentialEvolutionOptions {
  /** Mutation strategy. @default "best1bin" */
  strategy?: DifferentialEvolutionStrategy;
  /** Population size factor (population = max(5, popsize·n)). @default 15 */
  popsize?: number;
  /** Mutation constant, or a dither range drawn once per generation. @default [0.5, 1] */
  mutation?: number | [number, number];
  /** Crossover probability in [0, 1]. @default 0.7 */
  recombination?: number;
  /** Relative convergence tolerance. @default 0.01 */
  tol?: number;
  /** Absolute convergence tolerance. @default 0 */
  atol?: number;
  /** Maximum generations. @default 1000 */
  maxiter?: number;
  /** Maximum objective evaluations (polish excluded). @default Infinity (maxiter limits) */
  maxfev?: number;
  /** Random seed. @default random */
  seed?: number;
  /** A starting guess that replaces the first population member. @default none */
  x0?: Float64Array;
  /**
   * Local polish of the best member (e.g. a bounded local minimiser); its result is taken when
   * it is lower and inside the bounds. @default none
   */
  polish?: DifferentialEvolutionPolish;
  /** Called each generation with the best member; `true` aborts. */
  callback?: IterationCallback;
}

/**
 * The value `differentialEvolution` takes for each option left out, the one place these values
 * are written: the solver resolves its options from it, and the `differential_evolution` method
 * reports it as lmfit's `call_kws` (`result.callKws`). `null` marks a default that is no value:
 * `seed` draws a random stream. Without `x0` the whole population is random, without `polish`
 * the best member is the result.
 *
 * @example
 * ```ts
 * import { DIFFERENTIAL_EVOLUTION_DEFAULTS as D, differentialEvolution } from "./differential_evolution.ts";
 * import assert from "node:assert/strict";
 * assert.equal(D.popsize, 15);
 * assert.deepEqual(D.mutation, [0.5, 1]);
 * assert.ok(Object.isFrozen(D) && Object.isFrozen(D.mutation));
 * const f = (x: Float64Array) => (x[0] - 2) ** 2;
 * const [lo, hi] = [Float64Array.of(-5), Float64Array.of(5)];
 * const implicit = differentialEvolution(f, lo, hi, { seed: 1 });
 * const explicit = differentialEvolution(f, lo, hi, { seed: 1, tol: D.tol, mutation: [0.5, 1] });
 * assert.deepEqual([explicit.nfev, ...explicit.x], [implicit.nfev, ...implicit.x]);
 * ```
 *
 * @category Solvers
 */
export const DIFFERENTIAL_EVOLUTION_DEFAULTS: Readonly<
  & Required<
    Pick<
      DifferentialEvolutionOptions,
      "strategy" | "popsize" | "recombination" | "tol" | "atol" | "maxiter" | "maxfev"
    >
  >
  & { mutation: readonly [number, number]; seed: null }
> = Object.freeze({
  strategy: "best1bin",
  popsize: 15,
  mutation: Object.freeze([0.5, 1] as const),
  recombination: 0.7,
  tol: 0.01,
  atol: 0,
  maxiter: 1000,
  maxfev: Infinity,
  seed: null,
});

/**
 * Result of `differentialEvolution`.
 *
 * @example
 * ```ts
 * import {
 *   differentialEvolution,
 *   type DifferentialEvolutionResult,
 * } from "./differential_evolution.ts";
 * const f = (x: Float64Array) => (x[0] - 2) ** 2;
 * const r: DifferentialEvolutionResult = differentialEvolution(f, Float64Array.of(-5), Float64Array.of(5), { seed: 1 });
 * r.populationBest.fun >= r.fun; // true: a polish can only improve on the best member
 * r.x; // ≈ [2]
 * ```
 *
 * @category Solvers
 */
export interface DifferentialEvolutionResult extends SolverResult {
  /** Whether the polish improved the best member (and so set `x`). */
  polished: boolean;
  /** Best member before the polish, and its value. */
  populationBest: { x: Float64Array; fun: number };
}

const MESSAGES: Record<number, string> = {
  0: "Optimization terminated successfully.",
  1: "Maximum number of iterations has been exceeded.",
  2: "Maximum number of function evaluations has been exceeded.",
  [-1]: "Aborted by the iteration callback.",
};

/**
 * Minimises `fun` within `[lower, upper]` by differential evolution.
 *
 * @param fun Objective.
 * @param lower Finite lower bounds.
 * @param upper Finite upper bounds (each above its lower bound).
 * @param options Strategy, population, tolerances, seed, polish, callback.
 * @returns Best point found (polished if a polish was given and improved it).
 * @example
 * ```ts
 * import { differentialEvolution } from "./differential_evolution.ts";
 * const r = differentialEvolution((x) => (x[0] - 1) ** 2 + (x[1] + 1) ** 2, Float64Array.of(-5, -5), Float64Array.of(5, 5), { seed: 1 });
 * r.x; // ≈ [1, -1]
 * ```
 *
 * @category Solvers
 */
export function differentialEvolution(
  fun: ScalarFunction,
  lower: Float64Array,
  upper: Float64Array,
  options: DifferentialEvolutionOptions = {},
): DifferentialEvolutionResult {
  checkOptions(options, DIFFERENTIAL_EVOLUTION_OPTION_KEYS, "differentialEvolution");
  const n = lower.length;
  if (upper.length !== n) {
    throw new RangeError(
      `differential_evolution: lower has ${n} values but upper has ${upper.length}`,
    );
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(lower[i]) || !Number.isFinite(upper[i]) || !(upper[i] > lower[i])) {
      throw new RangeError(
        `differential_evolution needs finite bounds with min < max; variable ${i} has [${
          lower[i]
        }, ${upper[i]}]`,
      );
    }
  }
  const D = DIFFERENTIAL_EVOLUTION_DEFAULTS;
  const strategy = options.strategy ?? D.strategy;
  const needs = strategy === "best2bin" || strategy === "rand2bin" ? 5 : 3;
  const popsize = options.popsize ?? D.popsize;
  if (!(popsize > 0)) {
    throw new RangeError(`differential_evolution: popsize must be > 0, got ${popsize}`);
  }
  const npop = Math.max(5, Math.floor(popsize * n));
  if (npop < needs + 1) {
    throw new RangeError(
      `differential_evolution: ${strategy} needs a population of at least ${needs + 1}`,
    );
  }
  const mut: number | readonly [number, number] = options.mutation ?? D.mutation;
  const mutOk = typeof mut === "number"
    ? mut >= 0 && mut <= 2
    : mut.length === 2 && mut[0] >= 0 && mut[1] <= 2 && mut[0] <= mut[1];
  if (!mutOk) {
    throw new RangeError(
      `differential_evolution: mutation must be a number or [low, high] within [0, 2], got ${
        JSON.stringify(mut)
      }`,
    );
  }
  const cr = options.recombination ?? D.recombination;
  if (!(cr >= 0 && cr <= 1)) {
    throw new RangeError(`differential_evolution: recombination must be in [0, 1], got ${cr}`);
  }
  const tol = options.tol ?? D.tol, atol = options.atol ?? D.atol;
  const maxiter = options.maxiter ?? D.maxiter;
  const maxfev = options.maxfev ?? D.maxfev;
  if (!Number.isInteger(maxiter) || maxiter < 1) {
    throw new RangeError(
      `differential_evolution: maxiter must be a positive integer, got ${maxiter}`,
    );
  }
  const rng = new Random(options.seed);

  let nfev = 0;
  const scaled = new Float64Array(n);
  const toX = (u: Float64Array, off: number, out: Float64Array) => {
    for (let d = 0; d < n; d++) out[d] = lower[d] + u[off + d] * (upper[d] - lower[d]);
    return out;
  };
  const energyOf = (u: Float64Array, off: number) => {
    nfev++;
    const v = fun(toX(u, off, scaled));
    return Number.isNaN(v) ? Infinity : v;
  };
  // Population in the unit cube (row-major npop × n), Latin hypercube initialisation.
  const pop = new Float64Array(npop * n);
  const perm = new Int32Array(npop);
  for (let d = 0; d < n; d++) {
    for (let i = 0; i < npop; i++) perm[i] = i;
    for (let i = npop - 1; i > 0; i--) {
      const j = rng.integer(i + 1);
      const t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    for (let i = 0; i < npop; i++) pop[i * n + d] = (perm[i] + rng.uniform()) / npop;
  }
  if (options.x0) {
    if (options.x0.length !== n) {
      throw new RangeError(
        `differential_evolution: x0 must have length ${n}, got ${options.x0.length}`,
      );
    }
    for (let d = 0; d < n; d++) {
      const u = (options.x0[d] - lower[d]) / (upper[d] - lower[d]);
      if (!(u >= 0 && u <= 1)) {
        throw new RangeError(
          `differential_evolution: x0[${d}] = ${options.x0[d]} is outside [${lower[d]}, ${
            upper[d]
          }]`,
        );
      }
      pop[d] = u;
    }
  }
  const energies = new Float64Array(npop);
  for (let i = 0; i < npop; i++) energies[i] = energyOf(pop, i * n);
  let bestI = 0;
  for (let i = 1; i < npop; i++) if (energies[i] < energies[bestI]) bestI = i;

  const trial = new Float64Array(n);
  const bestX = new Float64Array(n);
  const r = new Int32Array(5);
  let status = 1, nit = 0, aborted = false;
  for (nit = 1; nit <= maxiter; nit++) {
    const F = typeof mut === "number" ? mut : mut[0] + rng.uniform() * (mut[1] - mut[0]);
    for (let i = 0; i < npop && nfev < maxfev; i++) {
      // Distinct random members, all different from i.
      for (let k = 0; k < needs - 1; k++) {
        let c: number, clash: boolean;
        do {
          c = rng.integer(npop);
          clash = c === i;
          for (let q = 0; q < k; q++) if (r[q] === c) clash = true;
        } while (clash);
        r[k] = c;
      }
      const jrand = rng.integer(n);
      const o = i * n, ob = bestI * n, o0 = r[0] * n, o1 = r[1] * n, o2 = r[2] * n, o3 = r[3] * n;
      for (let d = 0; d < n; d++) {
        if (d === jrand || rng.uniform() < cr) {
          let v: number;
          switch (strategy) {
            case "rand1bin":
              v = pop[o0 + d] + F * (pop[o1 + d] - pop[o2 + d]);
              break;
            case "best2bin":
              v = pop[ob + d] + F * (pop[o0 + d] + pop[o1 + d] - pop[o2 + d] - pop[o3 + d]);
              break;
            case "rand2bin":
              v = pop[r[4] * n + d] + F * (pop[o0 + d] + pop[o1 + d] - pop[o2 + d] - pop[o3 + d]);
              break;
            case "currenttobest1bin":
              v = pop[o + d] + F * (pop[ob + d] - pop[o + d] + pop[o0 + d] - pop[o1 + d]);
              break;
            case "randtobest1bin":
              v = pop[o0 + d] + F * (pop[ob + d] - pop[o0 + d] + pop[o1 + d] - pop[o2 + d]);
              break;
            default:
              v = pop[ob + d] + F * (pop[o0 + d] - pop[o1 + d]);
          }
          if (!(v >= 0 && v <= 1)) v = rng.uniform();
          trial[d] = v;
        } else trial[d] = pop[o + d];
      }
      const e = energyOf(trial, 0);
      if (e <= energies[i]) {
        pop.set(trial, o);
        energies[i] = e;
        if (e < energies[bestI]) bestI = i;
      }
    }
    if (
      options.callback &&
      options.callback(toX(pop, bestI * n, bestX), nit, energies[bestI]) === true
    ) {
      aborted = true;
      break;
    }
    if (nfev >= maxfev) {
      status = 2;
      break;
    }
    let mean = 0;
    for (let i = 0; i < npop; i++) mean += energies[i];
    mean /= npop;
    let sd = 0;
    for (let i = 0; i < npop; i++) sd += (energies[i] - mean) ** 2;
    sd = Math.sqrt(sd / npop);
    if (Number.isFinite(mean) && sd <= atol + tol * Math.abs(mean)) {
      status = 0;
      break;
    }
  }
  if (nit > maxiter) nit = maxiter;
  let x = toX(pop, bestI * n, new Float64Array(n));
  let fx = energies[bestI];
  const populationBest = { x: Float64Array.from(x), fun: fx };
  let polished = false;
  if (!aborted && options.polish) {
    const p = options.polish(Float64Array.from(x));
    nfev += p.nfev;
    let inside = p.x.length === n;
    for (let d = 0; d < n && inside; d++) inside = p.x[d] >= lower[d] && p.x[d] <= upper[d];
    if (inside && p.fun < fx) {
      x = Float64Array.from(p.x);
      fx = p.fun;
      polished = true;
    }
  }
  const st = aborted ? -1 : status;
  return {
    x,
    fun: fx,
    success: st === 0,
    status: st,
    message: MESSAGES[st],
    nfev,
    njev: 0,
    nit,
    aborted,
    polished,
    populationBest,
  };
}

const DIFFERENTIAL_EVOLUTION_OPTION_KEYS = optionKeys<DifferentialEvolutionOptions>({
  strategy: true,
  popsize: true,
  mutation: true,
  recombination: true,
  tol: true,
  atol: true,
  maxiter: true,
  maxfev: true,
  seed: true,
  x0: true,
  polish: true,
  callback: true,
});
