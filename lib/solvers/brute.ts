/**
 * Brute-force grid search with scipy's `optimize.brute` semantics: the objective on every point
 * of a rectangular grid (last axis varying fastest, as numpy's C order), the best point, the
 * `keep` best candidates sorted by value (lmfit's `brute` candidates), and an optional local
 * "finish" polish of the best grid point supplied by the caller.
 *
 * Axes are given per variable as
 * - `[start, stop, step]`: `start, start+step, …` strictly below `stop` (numpy `arange`, as a
 *   scipy slice `slice(start, stop, step)`),
 * - `[low, high]`: `Ns` points from `low` to `high`, both included (scipy's
 *   `slice(low, high, complex(Ns))`: `low + i·(high − low)/(Ns − 1)` as numpy's `mgrid`, so the
 *   last point can differ from `high` by rounding),
 * - a `Float64Array` of explicit values.
 *
 * | status | success | meaning |
 * |---|---|---|
 * | 0 | yes | the grid was searched (and the finish, if any, ran) |
 * | 1 | no | every grid value was NaN or ±Infinity |
 * | -1 | no | aborted by the callback |
 *
 * @module
 */

import type { IterationCallback, ScalarFunction, SolverResult } from "./types.ts";
import { checkOptions, optionKeys } from "../util/options.ts";

/**
 * One grid axis: explicit values.
 *
 * @example
 * ```ts
 * import { type BruteAxis, brute } from "./brute.ts";
 * const axis: BruteAxis = Float64Array.of(-1, 0, 0.5, 2);
 * brute((x) => (x[0] - 0.4) ** 2, [axis]).x; // [0.5]: the best of the listed values
 * ```
 *
 * @category Solvers
 */
export type BruteAxis = Float64Array;

/**
 * One axis specification: `[start, stop, step]`, `[low, high]` (with `Ns`), or explicit values.
 *
 * @example
 * ```ts
 * import { brute, type BruteRange } from "./brute.ts";
 * const ranges: BruteRange[] = [[-1, 1], [0, 2, 0.5], Float64Array.of(3, 4)];
 * const r = brute((x) => (x[0] - 0.5) ** 2 + (x[1] - 1) ** 2 + x[2], ranges, { Ns: 5 });
 * r.axes.map((a) => a.length); // [5, 4, 2]
 * r.x; // [0.5, 1, 3]
 * ```
 *
 * @category Solvers
 */
export type BruteRange =
  | readonly [number, number]
  | readonly [number, number, number]
  | Float64Array;

/**
 * Local polish of the best grid point: returns the polished point, its value and evaluations.
 *
 * @example
 * ```ts
 * import { brute, type BruteFinish } from "./brute.ts";
 * import { nelderMead } from "./nelder_mead.ts";
 * const f = (x: Float64Array) => (x[0] - 0.33) ** 2;
 * const finish: BruteFinish = (x) => nelderMead(f, x);
 * const r = brute(f, [[-1, 1]], { Ns: 5, finish });
 * r.gridX; // [0.5]
 * r.x; // ≈ [0.33] after the polish
 * ```
 *
 * @category Solvers
 */
export type BruteFinish = (x: Float64Array) => { x: Float64Array; fun: number; nfev: number };

/**
 * Options of `brute`.
 *
 * @example
 * ```ts
 * import { brute, type BruteOptions } from "./brute.ts";
 * const options: BruteOptions = { Ns: 11, keep: 3, keepGrid: true };
 * const r = brute((x) => (x[0] - 0.2) ** 2, [[-1, 1]], options);
 * r.candidates.length; // 3
 * r.gridValues?.length; // 11
 * ```
 *
 * @category Solvers
 */
export interface BruteOptions {
  /** Points per `[low, high]` axis. @default 20 */
  Ns?: number;
  /** Number of best grid points kept in `candidates`. @default 50 */
  keep?: number;
  /** Local polish of the best grid point; its result is taken when not worse. @default none */
  finish?: BruteFinish;
  /** Keep every grid value in `gridValues` (C order over `axes`). @default false */
  keepGrid?: boolean;
  /** Called at every grid point with the point, its flat index and value; `true` aborts. */
  callback?: IterationCallback;
}

/**
 * The value `brute` (and `bruteAxis`) takes for each option left out, the one place these
 * values are written: the solver resolves its options from it, and the `brute` method uses it
 * and reports it as lmfit's `call_kws` (`result.callKws`). Without `finish` the best grid point
 * is the result (no polish).
 *
 * @example
 * ```ts
 * import { brute, BRUTE_DEFAULTS } from "./brute.ts";
 * import assert from "node:assert/strict";
 * assert.equal(BRUTE_DEFAULTS.Ns, 20);
 * assert.ok(Object.isFrozen(BRUTE_DEFAULTS));
 * const r = brute((x) => (x[0] - 0.3) ** 2, [[-1, 1]]);
 * assert.equal(r.nfev, BRUTE_DEFAULTS.Ns);
 * assert.equal(r.candidates.length, BRUTE_DEFAULTS.Ns); // fewer points than keep = 50
 * ```
 *
 * @category Solvers
 */
export const BRUTE_DEFAULTS: Readonly<Required<Pick<BruteOptions, "Ns" | "keep" | "keepGrid">>> =
  Object.freeze({ Ns: 20, keep: 50, keepGrid: false });

/**
 * A grid point and its objective value.
 *
 * @example
 * ```ts
 * import { brute, type BruteCandidate } from "./brute.ts";
 * const r = brute((x) => Math.cos(3 * x[0]), [[-2, 2]], { Ns: 41, keep: 2 });
 * const [best, second]: BruteCandidate[] = r.candidates;
 * best.fun <= second.fun; // true: best first
 * console.log(best.x[0], second.x[0]); // -1 and 1: the grid points nearest ±π/3
 * ```
 *
 * @category Solvers
 */
export interface BruteCandidate {
  /** The point. */
  x: Float64Array;
  /** Its objective value (NaN counted as +Infinity). */
  fun: number;
}

/**
 * Result of `brute`.
 *
 * @example
 * ```ts
 * import { brute, type BruteResult } from "./brute.ts";
 * const r: BruteResult = brute((x) => (x[0] - 1) ** 2 + (x[1] + 1) ** 2, [[-2, 2], [-2, 2]], { Ns: 5 });
 * r.x; // [1, -1]
 * r.nfev; // 25 grid points
 * r.candidates[0].fun; // 0
 * ```
 *
 * @category Solvers
 */
export interface BruteResult extends SolverResult {
  /** The `keep` best grid points, best first (ties in grid order). */
  candidates: BruteCandidate[];
  /** The grid axes actually searched. */
  axes: Float64Array[];
  /** Every grid value in C order (last axis fastest) when `keepGrid`, else null. */
  gridValues: Float64Array | null;
  /** Best grid point before the finish polish. */
  gridX: Float64Array;
  /** Objective at `gridX`. */
  gridFun: number;
}

/**
 * Grid axis from `[low, high]` with `Ns` points (endpoints included, as scipy's brute with a
 * complex step), or from a step (values from `low` up to but excluding `high`, as `arange`).
 *
 * @param low First value.
 * @param high Last value (`Ns`) or exclusive end (`step`).
 * @param spec `{ Ns }` or `{ step }`.
 * @returns The axis values.
 * @example
 * ```ts
 * import { bruteAxis } from "./brute.ts";
 * bruteAxis(0, 1, { Ns: 3 }); // [0, 0.5, 1]
 * bruteAxis(0, 1, { step: 0.25 }); // [0, 0.25, 0.5, 0.75]
 * ```
 *
 * @category Solvers
 */
export function bruteAxis(
  low: number,
  high: number,
  spec: { Ns?: number; step?: number },
): Float64Array {
  checkOptions(spec, ["Ns", "step"], "bruteAxis");
  if (!Number.isFinite(low) || !Number.isFinite(high)) {
    throw new RangeError(`brute: axis ends must be finite, got [${low}, ${high}]`);
  }
  if (spec.step !== undefined) {
    const step = spec.step;
    if (!(step !== 0 && Number.isFinite(step))) {
      throw new RangeError(`brute: step must be finite and non-zero, got ${step}`);
    }
    const n = Math.ceil((high - low) / step);
    if (!(n >= 1)) {
      throw new RangeError(
        `brute: the range [${low}, ${high}) with step ${step} is empty; swap the ends or the step sign`,
      );
    }
    return Float64Array.from({ length: n }, (_, i) => low + i * step);
  }
  const ns = spec.Ns ?? BRUTE_DEFAULTS.Ns;
  if (!Number.isInteger(ns) || ns < 1) {
    throw new RangeError(`brute: Ns must be a positive integer, got ${ns}`);
  }
  const stepL = ns === 1 ? 0 : (high - low) / (ns - 1);
  return Float64Array.from(
    { length: ns },
    (_, i) => low + i * stepL,
  );
}

/** Resolves one axis specification to its values. */
function resolveAxis(r: BruteRange, ns: number, d: number): Float64Array {
  if (r instanceof Float64Array) {
    if (r.length === 0) throw new RangeError(`brute: axis ${d} has no values`);
    return r;
  }
  if (r.length === 2) return bruteAxis(r[0], r[1], { Ns: ns });
  if (r.length === 3) return bruteAxis(r[0], r[1], { step: r[2] });
  throw new RangeError(
    `brute: range ${d} must be [low, high], [start, stop, step] or a Float64Array, got ${
      JSON.stringify(r)
    }`,
  );
}

/**
 * Evaluates `fun` on the grid spanned by `ranges` and returns the best point and the `keep`
 * best candidates; with `finish`, the best grid point is then polished locally.
 *
 * @param fun Objective.
 * @param ranges One axis per variable: `[start, stop, step]`, `[low, high]` (with `Ns`), or values.
 * @param options Ns, keep, finish, keepGrid, callback.
 * @returns Best point, candidates, and the grid.
 * @example
 * ```ts
 * import { brute } from "./brute.ts";
 * const r = brute((x) => (x[0] - 0.3) ** 2 + (x[1] + 0.5) ** 2, [[-1, 1], [-1, 1, 0.25]], { Ns: 21 });
 * r.x; // [0.3, -0.5] (to grid precision)
 * ```
 *
 * @category Solvers
 */
export function brute(
  fun: ScalarFunction,
  ranges: BruteRange[],
  options: BruteOptions = {},
): BruteResult {
  checkOptions(options, BRUTE_OPTION_KEYS, "brute");
  const n = ranges.length;
  if (n < 1) throw new RangeError("brute: give at least one range");
  const ns = options.Ns ?? BRUTE_DEFAULTS.Ns;
  const keep = options.keep ?? BRUTE_DEFAULTS.keep;
  if (!Number.isInteger(keep) || keep < 1) {
    throw new RangeError(`brute: keep must be a positive integer, got ${keep}`);
  }
  const axes = ranges.map((r, d) => resolveAxis(r, ns, d));
  let total = 1;
  for (const a of axes) total *= a.length;
  const gridValues = (options.keepGrid ?? BRUTE_DEFAULTS.keepGrid) ? new Float64Array(total) : null;
  const idx = new Int32Array(n);
  const x = new Float64Array(n);
  for (let d = 0; d < n; d++) x[d] = axes[d][0];
  // Candidates: the `keep` best, sorted; values and points in preallocated slots.
  const cap = Math.min(keep, total);
  const candFun = new Float64Array(cap);
  const candX = Array.from({ length: cap }, () => new Float64Array(n));
  let count = 0, nfev = 0, aborted = false;
  for (let k = 0; k < total; k++) {
    let v = fun(x);
    nfev++;
    if (Number.isNaN(v)) v = Infinity;
    if (gridValues) gridValues[k] = v;
    if (count < cap || v < candFun[count - 1]) {
      // Insert after equal values so that ties keep grid order (numpy's argmin picks the first).
      let pos = count < cap ? count : cap - 1;
      const spare = candX[pos];
      while (pos > 0 && candFun[pos - 1] > v) {
        candFun[pos] = candFun[pos - 1];
        candX[pos] = candX[pos - 1];
        pos--;
      }
      candFun[pos] = v;
      spare.set(x);
      candX[pos] = spare;
      if (count < cap) count++;
    }
    if (options.callback && options.callback(x, k, v) === true) {
      aborted = true;
      break;
    }
    // Advance the multi-index, last axis fastest.
    for (let d = n - 1; d >= 0; d--) {
      if (++idx[d] < axes[d].length) {
        x[d] = axes[d][idx[d]];
        break;
      }
      idx[d] = 0;
      x[d] = axes[d][0];
    }
  }
  const candidates: BruteCandidate[] = [];
  for (let i = 0; i < count; i++) candidates.push({ x: candX[i], fun: candFun[i] });
  const gridX = Float64Array.from(candidates[0].x);
  const gridFun = candidates[0].fun;
  let bestX = Float64Array.from(gridX), bestF = gridFun;
  const finite = Number.isFinite(gridFun);
  if (!aborted && finite && options.finish) {
    const p = options.finish(Float64Array.from(gridX));
    nfev += p.nfev;
    if (p.fun <= bestF) {
      bestX = Float64Array.from(p.x);
      bestF = p.fun;
    }
  }
  const status = aborted ? -1 : finite ? 0 : 1;
  const messages: Record<number, string> = {
    [-1]: "Aborted by the iteration callback.",
    0: `Grid search over ${total} points completed${
      options.finish && !aborted ? " and polished" : ""
    }.`,
    1: `Every one of the ${nfev} grid values is NaN or infinite.`,
  };
  return {
    x: bestX,
    fun: bestF,
    success: status === 0,
    status,
    message: messages[status],
    nfev,
    njev: 0,
    nit: aborted ? nfev : total,
    aborted,
    candidates,
    axes,
    gridValues,
    gridX,
    gridFun,
  };
}

const BRUTE_OPTION_KEYS = optionKeys<BruteOptions>({
  Ns: true,
  keep: true,
  finish: true,
  keepGrid: true,
  callback: true,
});
