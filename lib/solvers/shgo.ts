/**
 * SHGO, simplicial homology global optimization (Endres, Sandrock & Focke 2018, "A simplicial
 * homology algorithm for Lipschitz optimisation", J. Global Optim. 72, 181), in the form of
 * scipy's `shgo`: sample the box, connect the samples into a graph, take as the minimizer pool
 * every sample whose value is below that of all its neighbours (the vertices whose star is a
 * local minimum of the sampled surface), and run a local minimisation from each, best first.
 * The distinct local minima are returned sorted as `xl`/`funl`; `x`/`fun` is the best.
 *
 * Sampling methods:
 * - `"simplicial"` (default): a regular grid of k points per axis, `k = ⌈n^(1/d)⌉` rounded up to
 *   an odd number so that the grid holds the centre of the box as scipy's complex does (k = 2
 *   when `n^(1/d) ≤ 2`), so at least `n` points; triangulated by the Freudenthal (Kuhn)
 *   subdivision, in which grid point g
 *   is joined to g ± s for every non-zero s ∈ {0,1}^d. Each further iteration (`iters` > 1)
 *   bisects every cell, keeping the values already computed. scipy's default "simplicial" starts
 *   from the 2^d + 1 points of one hypercube and refines it with a different subdivision; with
 *   `iters = 1` it samples only those corners and the centre, so it finds fewer minima
 *   (1 of Himmelblau's 4, where this sampling finds all 4).
 * - `"halton"`: `n` new points of the Halton sequence per iteration (unscrambled, from index 1),
 *   joined to their k = max(2, d(d+1)) nearest neighbours in unit-cube coordinates (a k-nearest
 *   neighbour graph in place of scipy's Delaunay triangulation).
 * - `"sobol"`: as `"halton"` with the unscrambled Sobol' sequence of `./sobol.ts` (Joe-Kuo
 *   direction numbers, from the origin, up to 37 variables), `n` rounded up to a power of two
 *   per iteration as scipy does; the same sample points as scipy's `sampling_method="sobol"`.
 *
 * Finite bounds are required (RangeError naming the variable otherwise). The method is
 * deterministic. Two local minima are the same when every coordinate differs by at most
 * `distinctTol` times the width of its bounds; the lower one is kept.
 *
 * | status | meaning |
 * |---|---|
 * | 0 | sampling and every local minimisation completed |
 * | 1 | `maxfev` reached (the local minima found so far are returned) |
 * | 2 | the objective was not finite at any sampling point |
 * | -1 | aborted by the callback |
 *
 * @module
 */

import type { IterationCallback, ScalarFunction, SolverResult } from "./types.ts";
import { SOBOL_MAX_DIM, SobolSequence } from "./sobol.ts";
import { formatG } from "../util/format.ts";
// Pinned inline, as acorn in lib/model/js_function.ts, so a script importing the library by path
// resolves it without our deno.json. Delaunator: the 2-D Delaunay triangulation (mapbox).
// deno-lint-ignore no-import-prefix
import Delaunator from "npm:delaunator@5.1.0";
import {
  checkStart,
  defaultLocalMinimizer,
  type LocalMinimizer,
  requireFiniteBounds,
} from "./_global_local.ts";
import { checkOptions, optionKeys } from "../util/options.ts";

/**
 * Sampling of the box by `shgo`.
 *
 * @example
 * ```ts
 * import { shgo, type ShgoSamplingMethod } from "./shgo.ts";
 * const samplingMethod: ShgoSamplingMethod = "halton";
 * const r = shgo((x) => (x[0] - 1) ** 2 + (x[1] + 1) ** 2, Float64Array.of(0, 0), {
 *   lower: Float64Array.of(-3, -3), upper: Float64Array.of(3, 3), samplingMethod, n: 32,
 * });
 * r.x; // ≈ [1, -1]
 * ```
 *
 * @category Solvers
 */
export type ShgoSamplingMethod = "simplicial" | "halton" | "sobol";

/**
 * Options of `shgo`.
 *
 * @example
 * ```ts
 * import { shgo, type ShgoOptions } from "./shgo.ts";
 * const options: ShgoOptions = {
 *   lower: Float64Array.of(-3, -3), upper: Float64Array.of(3, 3), n: 64, iters: 1,
 * };
 * shgo((x) => (x[0] - 1) ** 2 + (x[1] + 1) ** 2, Float64Array.of(0, 0), options).x; // ≈ [1, -1]
 * ```
 *
 * @category Solvers
 */
export interface ShgoOptions {
  /** Finite lower bounds (required). @default undefined */
  lower?: Float64Array;
  /** Finite upper bounds (required). @default undefined */
  upper?: Float64Array;
  /** Sampling points per iteration (at least; the simplicial grid rounds up). @default 100 */
  n?: number;
  /** Sampling iterations (grid refinements, or batches of Halton points). @default 1 */
  iters?: number;
  /** How the box is sampled. @default "simplicial" */
  samplingMethod?: ShgoSamplingMethod;
  /** Local minimizer run from every pool point. @default bounded Nelder-Mead */
  localMinimizer?: LocalMinimizer;
  /** Maximum objective evaluations (sampling and local searches). @default Infinity */
  maxfev?: number;
  /** Relative (to the bounds' width) distance below which two minima are one. @default 1e-4 */
  distinctTol?: number;
  /**
   * Print progress with `console.log`, as scipy's `options={"disp": True}` (`Splitting first
   * generation`, each local minimisation's start and result, ...). @default false
   */
  disp?: boolean;
  /** Called after each local minimisation with the best point; `true` aborts. @default undefined */
  callback?: IterationCallback;
}

/**
 * The value `shgo` takes for each option left out, the one place these values are written: the
 * solver resolves its options from it, and the `shgo` method reports it as lmfit's `call_kws`
 * (`result.callKws`; lmfit lists `n` as None, scipy's "the sampler's default", which is this
 * `n`). Without `localMinimizer` the local searches are a bounded Nelder-Mead.
 *
 * @example
 * ```ts
 * import { shgo, SHGO_DEFAULTS as D } from "./shgo.ts";
 * import assert from "node:assert/strict";
 * assert.equal(D.n, 100);
 * assert.equal(D.samplingMethod, "simplicial");
 * assert.ok(Object.isFrozen(D));
 * const f = (x: Float64Array) => (x[0] - 1) ** 2 + (x[1] + 1) ** 2;
 * const box = { lower: Float64Array.of(-2, -2), upper: Float64Array.of(2, 2) };
 * const implicit = shgo(f, Float64Array.of(0, 0), box);
 * const explicit = shgo(f, Float64Array.of(0, 0), { ...box, n: D.n, iters: D.iters });
 * assert.deepEqual([explicit.nfev, ...explicit.x], [implicit.nfev, ...implicit.x]);
 * ```
 *
 * @category Solvers
 */
export const SHGO_DEFAULTS: Readonly<
  Required<Pick<ShgoOptions, "n" | "iters" | "samplingMethod" | "maxfev" | "distinctTol" | "disp">>
> = Object.freeze({
  n: 100,
  iters: 1,
  samplingMethod: "simplicial",
  maxfev: Infinity,
  distinctTol: 1e-4,
  disp: false,
});

/**
 * Result of `shgo`.
 *
 * @example
 * ```ts
 * import { shgo, type ShgoResult } from "./shgo.ts";
 * const himmelblau = (x: Float64Array) => (x[0] ** 2 + x[1] - 11) ** 2 + (x[0] + x[1] ** 2 - 7) ** 2;
 * const r: ShgoResult = shgo(himmelblau, Float64Array.of(0, 0), {
 *   lower: Float64Array.of(-5, -5), upper: Float64Array.of(5, 5),
 * });
 * r.xl.length; // 4 distinct minima, best first
 * r.funl[0]; // ≈ 0
 * console.log(r.nsample, r.nlocal, r.nlfev);
 * ```
 *
 * @category Solvers
 */
export interface ShgoResult extends SolverResult {
  /** Distinct local minima, best first. */
  xl: Float64Array[];
  /** Objective at each of `xl`, ascending. */
  funl: Float64Array;
  /** Objective evaluations spent in local minimisations. */
  nlfev: number;
  /** Local minimisations run (the size of the minimizer pools). */
  nlocal: number;
  /** Sampling points evaluated. */
  nsample: number;
}

const MESSAGES: Record<number, string> = {
  0: "Optimization terminated successfully.",
  1: "Maximum number of function evaluations reached.",
  2: "The objective is not finite at any sampling point.",
  [-1]: "Aborted by the iteration callback.",
};

/** Largest number of grid points × neighbours the simplicial sampling will visit. */
const MAX_SIMPLICIAL_WORK = 5e7;

const PRIMES = [
  2,
  3,
  5,
  7,
  11,
  13,
  17,
  19,
  23,
  29,
  31,
  37,
  41,
  43,
  47,
  53,
  59,
  61,
  67,
  71,
  73,
  79,
  83,
  89,
  97,
  101,
  103,
  107,
  109,
  113,
  127,
  131,
  137,
  139,
  149,
  151,
  157,
  163,
  167,
  173,
  179,
  181,
  191,
  193,
  197,
  199,
  211,
  223,
  227,
  229,
];

/**
 * Finds the global minimum of `fun` in a box, and its other local minima, by SHGO.
 *
 * @param fun Objective (non-finite values count as +Infinity).
 * @param x0 A start; only its length is used (SHGO samples the whole box), as in lmfit.
 * @param options See `ShgoOptions`; `lower` and `upper` are required.
 * @returns The best minimum and the sorted list of distinct local minima.
 *
 * @example
 * ```ts
 * import { shgo } from "./shgo.ts";
 * const himmelblau = (x: Float64Array) => (x[0] ** 2 + x[1] - 11) ** 2 + (x[0] + x[1] ** 2 - 7) ** 2;
 * const r = shgo(himmelblau, Float64Array.of(0, 0), { lower: Float64Array.of(-5, -5), upper: Float64Array.of(5, 5) });
 * r.xl.length; // 4
 * ```
 *
 * @category Solvers
 */
export function shgo(
  fun: ScalarFunction,
  x0: Float64Array,
  options: ShgoOptions,
): ShgoResult {
  checkOptions(options, SHGO_OPTION_KEYS, "shgo");
  checkStart("shgo", x0);
  const d = x0.length;
  const { lower, upper } = options ?? {};
  requireFiniteBounds("shgo", d, lower, upper);
  const lo = lower!, hi = upper!;
  const D = SHGO_DEFAULTS;
  const nPer = options.n ?? D.n;
  const iters = options.iters ?? D.iters;
  const method = options.samplingMethod ?? D.samplingMethod;
  const maxfev = options.maxfev ?? D.maxfev;
  const distinctTol = options.distinctTol ?? D.distinctTol;
  if (!Number.isInteger(nPer) || nPer < 1) {
    throw new RangeError(`shgo: n must be a positive integer, got ${nPer}`);
  }
  if (!Number.isInteger(iters) || iters < 1) {
    throw new RangeError(`shgo: iters must be a positive integer, got ${iters}`);
  }
  if (method !== "simplicial" && method !== "halton" && method !== "sobol") {
    throw new RangeError(
      `shgo: samplingMethod must be "simplicial", "halton" or "sobol", got ${method}`,
    );
  }
  if (method === "sobol" && d > SOBOL_MAX_DIM) {
    throw new RangeError(
      `shgo: sobol sampling supports up to ${SOBOL_MAX_DIM} variables, got ${d}; use "simplicial"`,
    );
  }
  if (method === "halton" && d > PRIMES.length) {
    throw new RangeError(
      `shgo: halton sampling supports up to ${PRIMES.length} variables, got ${d}`,
    );
  }
  const local = options.localMinimizer ?? defaultLocalMinimizer;
  const log = (options.disp ?? D.disp) ? (s: string) => console.log(s) : () => {};
  const width = new Float64Array(d);
  for (let i = 0; i < d; i++) width[i] = hi[i] - lo[i];

  let nfev = 0, nlfev = 0, njev = 0, nlocal = 0, status = 0;
  const xl: Float64Array[] = [];
  const fl: number[] = [];
  const value = (v: number) => (Number.isNaN(v) ? Infinity : v);
  const addMinimum = (x: Float64Array, fx: number) => {
    for (let m = 0; m < xl.length; m++) {
      let same = true;
      for (let i = 0; i < d && same; i++) {
        same = Math.abs(x[i] - xl[m][i]) <= distinctTol * width[i];
      }
      if (same) {
        if (fx < fl[m]) {
          xl[m] = Float64Array.from(x);
          fl[m] = fx;
        }
        return;
      }
    }
    xl.push(Float64Array.from(x));
    fl.push(fx);
  };
  const best = new Float64Array(d);
  let fbest = Infinity;
  // Starts already minimised from (as keys), so refinements do not repeat them.
  const started = new Set<string>();
  // Runs the local minimisations from a pool (sorted best first); false when stopped.
  const minimisePool = (pool: Float64Array[]): boolean => {
    for (const p of pool) {
      const key = Array.from(p).join(",");
      if (started.has(key)) continue;
      started.add(key);
      log(`Starting minimization at [${Array.from(p, (v) => formatG(v)).join(" ")}]...`);
      const r = local(fun, Float64Array.from(p), lo, hi);
      log(
        `lres = fun: ${formatG(r.fun)}, x: [${
          Array.from(r.x, (v) => formatG(v)).join(" ")
        }], nfev: ${r.nfev}, success: ${r.success}, message: ${r.message}`,
      );
      nlocal++;
      nfev += r.nfev;
      nlfev += r.nfev;
      njev += r.njev;
      const fr = value(r.fun);
      if (fr < Infinity) {
        addMinimum(r.x, fr);
        if (fr < fbest) {
          fbest = fr;
          best.set(r.x);
        }
      }
      if (options.callback && options.callback(best, nlocal, fbest) === true) {
        status = -1;
        return false;
      }
      if (nfev >= maxfev) {
        status = 1;
        return false;
      }
    }
    return true;
  };
  const evaluate = (x: Float64Array): number => {
    nfev++;
    return value(fun(x));
  };

  let nsample = 0;
  let anyFinite = false;
  let sampler: Sampler;
  if (method === "simplicial") sampler = simplicialSampler(d, nPer, lo, width, evaluate);
  else if (method === "halton") {
    // Unscrambled Halton from index 1.
    const halton = (index: number) =>
      Float64Array.from({ length: d }, (_, i) => radicalInverse(index + 1, PRIMES[i]));
    sampler = sequenceSampler(d, nPer, lo, width, evaluate, halton);
  } else {
    // scipy: n rounded up to a power of two, the sequence continued from its origin.
    const sobol = new SobolSequence(d);
    const nPow2 = 2 ** Math.ceil(Math.log2(nPer));
    sampler = sequenceSampler(d, nPow2, lo, width, evaluate, () => sobol.next());
  }
  log("Splitting first generation");
  for (let it = 0; it < iters && status === 0; it++) {
    if (method !== "simplicial") log("Generating sampling points");
    const s = sampler(maxfev - nfev);
    log(
      `Sampled ${s.nsample} points; building the minimizer pool (${s.pool.points.length} points)`,
    );
    nsample = s.nsample;
    if (s.anyFinite) anyFinite = true;
    if (s.pool.values.length > 0 && s.pool.values[0] < fbest) {
      fbest = s.pool.values[0];
      best.set(s.pool.points[0]);
    }
    if (s.stopped) {
      status = 1;
      break;
    }
    if (!minimisePool(s.pool.points)) break;
  }
  if (status === 0 && !anyFinite) status = 2;
  log(status === 0 ? "Successfully completed construction of complex." : MESSAGES[status]);
  const order = fl.map((_, i) => i).sort((a, b) => fl[a] - fl[b]);
  return {
    x: best,
    fun: fbest,
    success: status === 0,
    status,
    message: MESSAGES[status],
    nfev,
    njev,
    nit: iters,
    aborted: status === -1,
    xl: order.map((i) => xl[i]),
    funl: Float64Array.from(order, (i) => fl[i]),
    nlfev,
    nlocal,
    nsample,
  };
}

const SHGO_OPTION_KEYS = optionKeys<ShgoOptions>({
  lower: true,
  upper: true,
  n: true,
  iters: true,
  samplingMethod: true,
  localMinimizer: true,
  maxfev: true,
  distinctTol: true,
  disp: true,
  callback: true,
});

/** Minimizer pool of one sampling iteration: points sorted by value, best first. */
interface Pool {
  points: Float64Array[];
  values: number[];
}

/** One sampling iteration: the pool, whether maxfev stopped it, and the samples so far. */
type Sampler = (budget: number) => {
  pool: Pool;
  stopped: boolean;
  nsample: number;
  anyFinite: boolean;
};

/** Sorts candidate indices into a pool, best first. */
function makePool(
  idx: number[],
  value: (i: number) => number,
  point: (i: number) => Float64Array,
): Pool {
  idx.sort((a, b) => value(a) - value(b) || a - b);
  return { points: idx.map(point), values: idx.map(value) };
}

/** Freudenthal-triangulated grid, bisected at every iteration after the first. */
function simplicialSampler(
  d: number,
  n: number,
  lo: Float64Array,
  width: Float64Array,
  evaluate: (x: Float64Array) => number,
): Sampler {
  let k = Math.max(2, Math.ceil(Math.pow(n, 1 / d) - 1e-9));
  if (k > 2 && k % 2 === 0) k++;
  let first = true;
  let values = new Float64Array(0);
  let nsample = 0;
  const x = new Float64Array(d);
  const coord = new Int32Array(d);
  return (budget) => {
    if (!first) k = 2 * k - 1;
    const total = Math.pow(k, d);
    const neighbours = 2 * (Math.pow(2, d) - 1);
    if (total * neighbours > MAX_SIMPLICIAL_WORK) {
      throw new RangeError(
        `shgo: a simplicial grid of ${k}^${d} points is too large; use samplingMethod "halton", fewer iters or a smaller n`,
      );
    }
    const next = new Float64Array(total).fill(NaN);
    if (!first) {
      // Old grid point (i1..id) is new point (2·i1..2·id).
      const kOld = (k + 1) / 2;
      const nOld = values.length;
      for (let o = 0; o < nOld; o++) {
        let r = o, idx = 0, stride = 1;
        for (let i = 0; i < d; i++) {
          idx += 2 * (r % kOld) * stride;
          r = Math.floor(r / kOld);
          stride *= k;
        }
        next[idx] = values[o];
      }
    }
    values = next;
    let stopped = false, anyFinite = false;
    const point = (p: number): Float64Array => {
      let r = p;
      const out = new Float64Array(d);
      for (let i = 0; i < d; i++) {
        out[i] = lo[i] + width[i] * ((r % k) / (k - 1));
        r = Math.floor(r / k);
      }
      return out;
    };
    let spent = 0;
    for (let p = 0; p < total; p++) {
      if (!Number.isNaN(values[p])) continue;
      if (spent >= budget) {
        stopped = true;
        values[p] = Infinity;
        continue;
      }
      let r = p;
      for (let i = 0; i < d; i++) {
        x[i] = lo[i] + width[i] * ((r % k) / (k - 1));
        r = Math.floor(r / k);
      }
      values[p] = evaluate(x);
      spent++;
      nsample++;
    }
    // Pool: vertices below all their Freudenthal neighbours (ties broken by index).
    const candidates: number[] = [];
    const nMasks = 1 << d;
    for (let p = 0; p < total; p++) {
      const fp = values[p];
      if (fp === Infinity) continue;
      anyFinite = true;
      let r = p;
      for (let i = 0; i < d; i++) {
        coord[i] = r % k;
        r = Math.floor(r / k);
      }
      let isMin = true;
      for (let mask = 1; mask < nMasks && isMin; mask++) {
        for (let sign = -1; sign <= 1 && isMin; sign += 2) {
          let q = 0, stride = 1, inside = true;
          for (let i = 0; i < d; i++) {
            const c = coord[i] + ((mask >> i) & 1) * sign;
            if (c < 0 || c >= k) {
              inside = false;
              break;
            }
            q += c * stride;
            stride *= k;
          }
          if (!inside) continue;
          const fq = values[q];
          if (fq < fp || (fq === fp && q < p)) isMin = false;
        }
      }
      if (isMin) candidates.push(p);
    }
    first = false;
    return { pool: makePool(candidates, (i) => values[i], point), stopped, nsample, anyFinite };
  };
}

/** `n` new points of a low-discrepancy sequence per iteration, joined into a k-nearest-neighbour graph. */
function sequenceSampler(
  d: number,
  n: number,
  lo: Float64Array,
  width: Float64Array,
  evaluate: (x: Float64Array) => number,
  unitPoint: (index: number) => Float64Array,
): Sampler {
  const unit: Float64Array[] = [];
  const values: number[] = [];
  const kNear = Math.max(2, d * (d + 1));
  return (budget) => {
    let stopped = false;
    const start = unit.length;
    for (let j = 0; j < n; j++) {
      if (j >= budget) {
        stopped = true;
        break;
      }
      const u = unitPoint(start + j);
      const x = Float64Array.from(u, (v, i) => lo[i] + width[i] * v);
      unit.push(u);
      values.push(evaluate(x));
    }
    const N = unit.length;
    const adj: Set<number>[] = Array.from({ length: N }, () => new Set<number>());
    if (d === 2 && N >= 4) delaunayNeighbours(unit, adj);
    else knnNeighbours(unit, d, Math.min(N - 1, kNear), adj);
    const candidates: number[] = [];
    let anyFinite = false;
    for (let p = 0; p < N; p++) {
      const fp = values[p];
      if (fp === Infinity) continue;
      anyFinite = true;
      let isMin = true;
      for (const q of adj[p]) {
        if (values[q] < fp || (values[q] === fp && q < p)) {
          isMin = false;
          break;
        }
      }
      if (isMin) candidates.push(p);
    }
    const point = (p: number) => Float64Array.from(unit[p], (v, i) => lo[i] + width[i] * v);
    return {
      pool: makePool(candidates, (i) => values[i], point),
      stopped,
      nsample: N,
      anyFinite,
    };
  };
}

/**
 * Neighbours in the Delaunay triangulation of 2-D points, as scipy's shgo (`spatial.Delaunay`
 * of the sample) joins them; `adj` gets both directions of every edge.
 */
function delaunayNeighbours(unit: Float64Array[], adj: Set<number>[]): void {
  const coords = new Float64Array(2 * unit.length);
  unit.forEach((u, p) => coords.set(u.subarray(0, 2), 2 * p));
  const { triangles } = new Delaunator(coords);
  for (let t = 0; t < triangles.length; t += 3) {
    for (let e = 0; e < 3; e++) {
      const a = triangles[t + e], b = triangles[t + ((e + 1) % 3)];
      adj[a].add(b);
      adj[b].add(a);
    }
  }
}

/** Symmetric k-nearest-neighbour graph of the points (more than two dimensions). */
function knnNeighbours(unit: Float64Array[], d: number, k: number, adj: Set<number>[]): void {
  const N = unit.length;
  const dist = new Float64Array(N);
  const order = new Int32Array(N);
  for (let p = 0; p < N; p++) {
    for (let q = 0; q < N; q++) {
      let s = 0;
      for (let i = 0; i < d; i++) s += (unit[p][i] - unit[q][i]) ** 2;
      dist[q] = q === p ? Infinity : s;
      order[q] = q;
    }
    order.sort((a, b) => dist[a] - dist[b]);
    for (let t = 0; t < k; t++) {
      adj[p].add(order[t]);
      adj[order[t]].add(p);
    }
  }
}

/** Van der Corput radical inverse of `index` in `base`. */
function radicalInverse(index: number, base: number): number {
  let r = 0, f = 1 / base, i = index;
  while (i > 0) {
    r += f * (i % base);
    i = Math.floor(i / base);
    f /= base;
  }
  return r;
}
