/**
 * AMPGO, Adaptive Memory Programming for Global Optimization (Lasdon, Duarte, Glover, Laguna &
 * Martí 2010, "Adaptive memory programming for constrained global optimization", Computers &
 * Operations Research 37, 1500), as lmfit's `_ampgo.py` (after Andrea Gavana's implementation).
 *
 * Each of `totaliter` global iterations runs a local minimisation, adds its minimum to a tabu
 * list, then up to `maxiter` tunnelling phases: from a point displaced by
 * `eps2·‖x‖·r/‖r‖` (r uniform in [−1, 1]ⁿ) it minimises the tunnelling function
 * `(f(x) − a)² / Πₜ ‖x − t‖` over the tabu points t, with aspiration `a = f* − eps1·(1 + |f*|)`;
 * a phase whose end point has `f ≤ f* + glbtol` is successful and starts the next iteration.
 * When the tabu list is full, the point farthest from the latest minimum (or the oldest) leaves.
 *
 * Differences from lmfit: the objective value after a tunnelling phase is the objective itself at
 * the end point (lmfit reconstructs `a + |f − a|` from the tunnelling value, which overstates
 * values below the aspiration); a best point that came from a tunnelling phase is polished by one
 * more local minimisation at the end, so the result is always a local minimum; the local
 * minimizer is the caller's (lmfit: scipy's L-BFGS-B); a tunnelling phase is capped at
 * `tunnelMaxfev` evaluations. Seedable.
 *
 * | status | meaning |
 * |---|---|
 * | 0 | `totaliter` global iterations completed |
 * | 1 | `maxfev` reached (checked after each local minimisation) |
 * | -1 | aborted by the callback |
 *
 * @module
 */

import type { IterationCallback, ScalarFunction, SolverResult } from "./types.ts";
import { Random } from "../util/random.ts";
import { formatG } from "../util/format.ts";
import {
  checkBounds,
  checkStart,
  clipInto,
  defaultLocalMinimizer,
  type LocalMinimizer,
} from "./_global_local.ts";
import { checkOptions, optionKeys } from "../util/options.ts";

/**
 * Options of `ampgo`.
 *
 * @example
 * ```ts
 * import { ampgo, type AmpgoOptions } from "./ampgo.ts";
 * const options: AmpgoOptions = {
 *   lower: Float64Array.of(-2), upper: Float64Array.of(2), totaliter: 10, maxiter: 5, seed: 1,
 * };
 * const f = (x: Float64Array) => Math.cos(14.5 * x[0] - 0.3) + (x[0] + 0.2) * x[0];
 * ampgo(f, Float64Array.of(1), options).x; // ≈ [-0.195]
 * ```
 *
 * @category Solvers
 */
export interface AmpgoOptions {
  /** Lower bounds (−Infinity allowed). @default undefined (unbounded) */
  lower?: Float64Array;
  /** Upper bounds (+Infinity allowed). @default undefined (unbounded) */
  upper?: Float64Array;
  /** Local minimizer for the objective and the tunnelling function. @default bounded Nelder-Mead */
  localMinimizer?: LocalMinimizer;
  /** Maximum objective evaluations (lmfit's `maxfunevals`). @default Infinity */
  maxfev?: number;
  /** Global iterations. @default 20 */
  totaliter?: number;
  /** Tunnelling phases per global iteration. @default 5 */
  maxiter?: number;
  /** A tunnelling end point with f ≤ f* + glbtol is accepted. @default 1e-5 */
  glbtol?: number;
  /** Aspiration factor: a = f* − eps1·(1 + |f*|). @default 0.02 */
  eps1?: number;
  /** Relative displacement from the last minimum at the start of a tunnelling phase. @default 0.1 */
  eps2?: number;
  /** Size of the tabu list. @default 5 */
  tabulistsize?: number;
  /** Which tabu point leaves a full list. @default "farthest" */
  tabustrategy?: "farthest" | "oldest";
  /**
   * Objective evaluations per tunnelling phase; beyond them the tunnelling function reads as
   * constant (its lowest value so far) so that any local minimizer stops, and the phase ends at
   * the lowest tunnelling point seen. Without bounds the tunnelling function keeps decreasing
   * away from the tabu points, so a cap is needed. @default 100·(n+1)
   */
  tunnelMaxfev?: number;
  /** Print the phases with `console.log`, in lmfit's words (`Starting MINIMIZATION Phase 1`, ...). @default false */
  disp?: boolean;
  /** Random seed. @default undefined (random) */
  seed?: number;
  /** Called after each global iteration with the best point; `true` aborts. @default undefined */
  callback?: IterationCallback;
}

/**
 * The options of ampgo's search itself (not its budget, start or local method), as named in
 * `AmpgoOptions`: what lmfit passes through as ampgo's keywords.
 *
 * @example
 * ```ts
 * import type { AmpgoSearchOption } from "./ampgo.ts";
 * const key: AmpgoSearchOption = "totaliter";
 * ```
 *
 * @category Solvers
 */
export type AmpgoSearchOption =
  | "totaliter"
  | "maxiter"
  | "glbtol"
  | "eps1"
  | "eps2"
  | "tabulistsize"
  | "tabustrategy"
  | "disp";

/** `AmpgoSearchOption` as an option-key table, for the option key lists that include it. */
export const AMPGO_SEARCH_KEYS: { readonly [K in AmpgoSearchOption]: true } = Object.freeze({
  totaliter: true,
  maxiter: true,
  glbtol: true,
  eps1: true,
  eps2: true,
  tabulistsize: true,
  tabustrategy: true,
  disp: true,
});

/**
 * The value `ampgo` takes for each option left out, the one place these values are written:
 * the solver resolves its options from it, and the `ampgo` method reports it as lmfit's
 * `call_kws` (`result.callKws`). `null` marks a default computed from the problem or no value:
 * `tunnelMaxfev` is 100·(n+1) evaluations for n variables, `seed` draws a random stream.
 * Without `localMinimizer` the local searches are a bounded Nelder-Mead.
 *
 * @example
 * ```ts
 * import { ampgo, AMPGO_DEFAULTS as D } from "./ampgo.ts";
 * import assert from "node:assert/strict";
 * assert.equal(D.totaliter, 20);
 * assert.equal(D.tabustrategy, "farthest");
 * assert.ok(Object.isFrozen(D));
 * const f = (x: Float64Array) => Math.cos(14.5 * x[0] - 0.3) + (x[0] + 0.2) * x[0];
 * const implicit = ampgo(f, Float64Array.of(1), { seed: 1, totaliter: 2 });
 * const explicit = ampgo(f, Float64Array.of(1), { seed: 1, totaliter: 2, eps1: D.eps1, tunnelMaxfev: 200 });
 * assert.deepEqual([explicit.nfev, ...explicit.x], [implicit.nfev, ...implicit.x]);
 * ```
 *
 * @category Solvers
 */
export const AMPGO_DEFAULTS: Readonly<
  & Required<
    Pick<AmpgoOptions, "maxfev" | AmpgoSearchOption>
  >
  & { tunnelMaxfev: null; seed: null }
> = Object.freeze({
  maxfev: Infinity,
  totaliter: 20,
  maxiter: 5,
  glbtol: 1e-5,
  eps1: 0.02,
  eps2: 0.1,
  tabulistsize: 5,
  tabustrategy: "farthest",
  tunnelMaxfev: null,
  disp: false,
  seed: null,
});

/**
 * Result of `ampgo`.
 *
 * @example
 * ```ts
 * import { ampgo, type AmpgoResult } from "./ampgo.ts";
 * const f = (x: Float64Array) => Math.cos(14.5 * x[0] - 0.3) + (x[0] + 0.2) * x[0];
 * const r: AmpgoResult = ampgo(f, Float64Array.of(1), {
 *   lower: Float64Array.of(-2), upper: Float64Array.of(2), totaliter: 10, seed: 1,
 * });
 * r.fun; // ≈ -1.0009
 * console.log(`${r.tunnel.successful} of ${r.tunnel.total} tunnelling phases succeeded`);
 * ```
 *
 * @category Solvers
 */
export interface AmpgoResult extends SolverResult {
  /** Tunnelling phases run (`total`) and successful (`successful`), as lmfit's `tunnel_info`. */
  tunnel: { total: number; successful: number };
}

/** The rule lmfit prints around each phase with `disp`. */
const RULE = "=".repeat(72);

const MESSAGES: Record<number, string> = {
  0: "Maximum number of global iterations exceeded",
  1: "Maximum number of function evaluations exceeded",
  [-1]: "Aborted by the iteration callback.",
};

/** Πₜ ‖x − t‖ over the tabu points t (a number t stands for the point (t, t, …), as numpy broadcasts it). */
function tabuDistanceProduct(
  x: ArrayLike<number>,
  tabulist: Iterable<ArrayLike<number> | number>,
): number {
  let den = 1;
  for (const t of tabulist) {
    let s = 0;
    if (typeof t === "number") { for (let k = 0; k < x.length; k++) s += (x[k] - t) ** 2; }
    else for (let k = 0; k < x.length; k++) s += (x[k] - t[k]) ** 2;
    den *= Math.sqrt(s);
  }
  return den;
}

/**
 * AMPGO's tunnelling function, lmfit's `_ampgo.tunnel(x0, objfun, aspiration, tabulist,
 * *fun_args)`: `(objfun(x0, ...funArgs) − aspiration)² / Πₜ ‖x0 − t‖` over the tabu points t.
 * It is zero wherever the objective reaches the aspiration level and grows near the tabu points,
 * so minimising it moves away from minima already found. `ampgo` minimises it in each
 * tunnelling phase.
 *
 * @param x0 The point.
 * @param objfun The objective, called as `objfun(x0, ...funArgs)`.
 * @param aspiration The aspiration level.
 * @param tabulist The tabu points; a number t stands for the point (t, t, …) (numpy's broadcast,
 *   as lmfit's `tabulist` may be a flat array of numbers).
 * @param funArgs Further arguments of `objfun`.
 * @returns The tunnelling function's value.
 * @example
 * ```ts
 * import { tunnel } from "../../mod.ts";
 * const f = (x: Float64Array, val: number) => x[0] ** 2 + val * x[1];
 * tunnel(Float64Array.of(10, 5), f, 0.1, [Float64Array.of(1, 1), Float64Array.of(2, 2)], 5); // ≈ 185.386
 * tunnel(Float64Array.of(10, 5), f, 0.1, [], 5); // 124.9² = 15600.01: no tabu point
 * ```
 *
 * @category Solvers
 */
export function tunnel<A extends unknown[]>(
  x0: Float64Array,
  objfun: (x: Float64Array, ...args: A) => number,
  aspiration: number,
  tabulist: Iterable<ArrayLike<number> | number>,
  ...funArgs: A
): number {
  return (objfun(x0, ...funArgs) - aspiration) ** 2 / tabuDistanceProduct(x0, tabulist);
}

/**
 * Minimises `fun` from `x0` by AMPGO with tabu tunnelling.
 *
 * @param fun Objective (NaN counts as +Infinity).
 * @param x0 Start.
 * @param options See `AmpgoOptions`.
 * @returns The best local minimum found and the tunnelling statistics.
 *
 * @example
 * ```ts
 * import { ampgo } from "./ampgo.ts";
 * const f = (x: Float64Array) => Math.cos(14.5 * x[0] - 0.3) + (x[0] + 0.2) * x[0];
 * const r = ampgo(f, Float64Array.of(1), { lower: Float64Array.of(-2), upper: Float64Array.of(2), seed: 1 });
 * r.x; // ≈ [-0.195]
 * ```
 *
 * @category Solvers
 */
export function ampgo(
  fun: ScalarFunction,
  x0: Float64Array,
  options: AmpgoOptions = {},
): AmpgoResult {
  checkOptions(options, AMPGO_OPTION_KEYS, "ampgo");
  checkStart("ampgo", x0);
  const n = x0.length;
  const { lower, upper } = options;
  checkBounds("ampgo", n, lower, upper);
  const D = AMPGO_DEFAULTS;
  const totaliter = options.totaliter ?? D.totaliter;
  const maxiter = options.maxiter ?? D.maxiter;
  const glbtol = options.glbtol ?? D.glbtol;
  const eps1 = options.eps1 ?? D.eps1;
  const eps2 = options.eps2 ?? D.eps2;
  const tabulistsize = options.tabulistsize ?? D.tabulistsize;
  const strategy = options.tabustrategy ?? D.tabustrategy;
  const maxfev = options.maxfev ?? D.maxfev;
  const tunnelMaxfev = options.tunnelMaxfev ?? 100 * (n + 1); // D.tunnelMaxfev: null, computed here
  if (!(tunnelMaxfev >= 1)) {
    throw new RangeError(`ampgo: tunnelMaxfev must be ≥ 1, got ${tunnelMaxfev}`);
  }
  if (!Number.isInteger(tabulistsize) || tabulistsize < 1) {
    throw new RangeError(
      `ampgo: tabulistsize must be an integer greater than zero, got ${tabulistsize}`,
    );
  }
  if (strategy !== "farthest" && strategy !== "oldest") {
    throw new RangeError(`ampgo: tabustrategy must be "farthest" or "oldest", got ${strategy}`);
  }
  if (!Number.isInteger(totaliter) || totaliter < 1) {
    throw new RangeError(`ampgo: totaliter must be a positive integer, got ${totaliter}`);
  }
  if (!Number.isInteger(maxiter) || maxiter < 0) {
    throw new RangeError(`ampgo: maxiter must be a non-negative integer, got ${maxiter}`);
  }
  const local = options.localMinimizer ?? defaultLocalMinimizer;
  const rng = new Random(options.seed);
  const log = (options.disp ?? D.disp) ? (s: string) => console.log(s) : () => {};
  const value = (v: number) => (Number.isNaN(v) ? Infinity : v);

  let nfev = 0, njev = 0;
  const tabu: Float64Array[] = [];
  const best = Float64Array.from(x0);
  let fbest = Infinity, bestFromTunnel = false;
  let total = 0, successful = 0, status = 0, globalIter = 0;
  const start = Float64Array.from(x0);
  clipInto(start, lower, upper);
  const r = new Float64Array(n);
  // Tunnelling objective; remembers its lowest point and f there (the phase's end point).
  let aspiration = 0;
  const tunnelBestX = new Float64Array(n);
  let tunnelBestT = Infinity, tunnelBestF = Infinity, tunnelEvals = 0;
  const tunnelObjective: ScalarFunction = (x) => {
    if (tunnelEvals >= tunnelMaxfev) return tunnelBestT;
    tunnelEvals++;
    const fx = value(fun(x));
    const v = (fx - aspiration) ** 2 / tabuDistanceProduct(x, tabu);
    if (v < tunnelBestT) {
      tunnelBestT = v;
      tunnelBestF = fx;
      tunnelBestX.set(x);
    }
    return v;
  };
  const dropTabu = (xf: Float64Array) => {
    if (tabu.length < tabulistsize) return;
    if (strategy === "oldest") {
      tabu.shift();
      return;
    }
    let far = 0, dmax = -1;
    for (let t = 0; t < tabu.length; t++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += (tabu[t][k] - xf[k]) ** 2;
      if (s > dmax) {
        dmax = s;
        far = t;
      }
    }
    tabu.splice(far, 1);
  };

  outer: while (true) {
    log(`\n${RULE}\nStarting MINIMIZATION Phase ${globalIter + 1}\n${RULE}`);
    const m = local(fun, start, lower, upper);
    nfev += m.nfev;
    njev += m.njev;
    let xf = Float64Array.from(m.x);
    const yf = value(m.fun);
    if (yf < fbest) {
      fbest = yf;
      best.set(xf);
      bestFromTunnel = false;
    }
    log(`\n\n ==> Reached local minimum: ${formatG(yf, 5)}\n`);
    if (nfev >= maxfev) {
      status = 1;
      log(RULE);
      break;
    }
    dropTabu(xf);
    tabu.push(xf);
    let improve = false;
    for (let i = 0; i < maxiter && !improve; i++) {
      total++;
      log(`${RULE}\nStarting TUNNELING Phase (${globalIter + 1}-${i + 1})\n${RULE}`);
      let rn = 0, xn = 0;
      for (let k = 0; k < n; k++) {
        r[k] = rng.uniformRange(-1, 1);
        rn += r[k] * r[k];
        xn += xf[k] * xf[k];
      }
      let beta = (eps2 * Math.sqrt(xn)) / Math.sqrt(rn);
      if (Math.abs(beta) < 1e-8 || !Number.isFinite(beta)) beta = eps2;
      for (let k = 0; k < n; k++) start[k] = xf[k] + beta * r[k];
      clipInto(start, lower, upper);
      aspiration = fbest - eps1 * (1 + Math.abs(fbest));
      tunnelBestT = Infinity;
      tunnelBestF = Infinity;
      tunnelEvals = 0;
      tunnelBestX.set(start);
      const t = local(tunnelObjective, start, lower, upper);
      nfev += tunnelEvals;
      njev += t.njev;
      xf = Float64Array.from(tunnelBestX);
      const ft = tunnelBestF;
      if (ft <= fbest + glbtol) {
        log(
          `\n\n ==> Successful tunnelling phase. Reached new local minimum: ${formatG(ft, 5)} < ${
            formatG(fbest, 5)
          }\n`,
        );
        if (ft < fbest) {
          fbest = ft;
          best.set(xf);
          bestFromTunnel = true;
        }
        improve = true;
        successful++;
      }
      if (nfev >= maxfev) {
        status = 1;
        break outer;
      }
      dropTabu(xf);
      tabu.push(xf);
    }
    log(RULE);
    globalIter++;
    if (options.callback && options.callback(best, globalIter, fbest) === true) {
      status = -1;
      break;
    }
    start.set(xf);
    if (globalIter >= totaliter) break;
  }
  if (bestFromTunnel && status !== -1) {
    // Polish a tunnelling end point into a local minimum of the objective.
    const p = local(fun, best, lower, upper);
    nfev += p.nfev;
    njev += p.njev;
    if (value(p.fun) <= fbest) {
      fbest = value(p.fun);
      best.set(p.x);
    }
  }
  return {
    x: best,
    fun: fbest,
    success: status === 0 && fbest < Infinity,
    status,
    message: MESSAGES[status],
    nfev,
    njev,
    nit: globalIter,
    aborted: status === -1,
    tunnel: { total, successful },
  };
}

const AMPGO_OPTION_KEYS = optionKeys<AmpgoOptions>({
  lower: true,
  upper: true,
  localMinimizer: true,
  maxfev: true,
  ...AMPGO_SEARCH_KEYS,
  tunnelMaxfev: true,
  seed: true,
  callback: true,
});
