/**
 * Brute-force grid search (scipy's `optimize.brute`): the objective on every point of a grid,
 * the best point, and the `keep` best candidates sorted by value.
 *
 * @module
 */

import type { IterationCallback, ScalarFunction, SolverResult } from "./types.ts";

/** One grid axis: explicit values. */
export type BruteAxis = Float64Array;

/** Options of `brute`. */
export interface BruteOptions {
  /** Number of best grid points kept in `candidates`. @default 50 */
  keep?: number;
  /** Called every grid point with the point, its index and value; `true` aborts. */
  callback?: IterationCallback;
}

/** A grid point and its objective value. */
export interface BruteCandidate {
  /** The point. */
  x: Float64Array;
  /** Its objective value. */
  fun: number;
}

/** Result of `brute`. */
export interface BruteResult extends SolverResult {
  /** The `keep` best points, best first. */
  candidates: BruteCandidate[];
}

/**
 * Grid axis from `[low, high]` with `Ns` points (endpoints included, as scipy's brute with a
 * complex step), or from a step (values from `low` up to but excluding `high`, as `arange`).
 *
 * @example
 * ```ts
 * import { bruteAxis } from "./brute.ts";
 * bruteAxis(0, 1, { Ns: 3 }); // [0, 0.5, 1]
 * bruteAxis(0, 1, { step: 0.25 }); // [0, 0.25, 0.5, 0.75]
 * ```
 */
export function bruteAxis(
  low: number,
  high: number,
  spec: { Ns?: number; step?: number },
): Float64Array {
  if (spec.step !== undefined && spec.step > 0) {
    const n = Math.ceil((high - low) / spec.step);
    return Float64Array.from({ length: Math.max(n, 1) }, (_, i) => low + i * spec.step!);
  }
  const ns = spec.Ns ?? 20;
  return Float64Array.from(
    { length: ns },
    (_, i) => (ns === 1 ? low : low + ((high - low) * i) / (ns - 1)),
  );
}

/**
 * Evaluates `fun` on the grid spanned by `axes` and returns the best point and candidates.
 *
 * @example
 * ```ts
 * import { brute, bruteAxis } from "./brute.ts";
 * const r = brute((x) => (x[0] - 0.3) ** 2 + (x[1] + 0.5) ** 2, [bruteAxis(-1, 1, { Ns: 21 }), bruteAxis(-1, 1, { Ns: 21 })]);
 * r.x; // [0.3, -0.5] (to grid precision)
 * ```
 */
export function brute(
  fun: ScalarFunction,
  axes: BruteAxis[],
  options: BruteOptions = {},
): BruteResult {
  const n = axes.length;
  const keep = options.keep ?? 50;
  const idx = new Int32Array(n);
  const x = new Float64Array(n);
  const best: BruteCandidate[] = [];
  let total = 1;
  for (const a of axes) total *= a.length;
  let nfev = 0, aborted = false;
  for (let k = 0; k < total; k++) {
    let rem = k;
    for (let d = n - 1; d >= 0; d--) {
      idx[d] = rem % axes[d].length;
      rem = Math.floor(rem / axes[d].length);
      x[d] = axes[d][idx[d]];
    }
    let v = fun(x);
    nfev++;
    if (Number.isNaN(v)) v = Infinity;
    if (best.length < keep || v < best[best.length - 1].fun) {
      const c = { x: Float64Array.from(x), fun: v };
      let pos = best.length;
      while (pos > 0 && best[pos - 1].fun > v) pos--;
      best.splice(pos, 0, c);
      if (best.length > keep) best.pop();
    }
    if (options.callback && options.callback(x, k, v) === true) {
      aborted = true;
      break;
    }
  }
  const top = best[0] ?? { x: Float64Array.from(x), fun: NaN };
  return {
    x: Float64Array.from(top.x),
    fun: top.fun,
    success: !aborted && Number.isFinite(top.fun),
    status: aborted ? -1 : 0,
    message: aborted
      ? "Aborted by the iteration callback."
      : `Grid search over ${total} points completed.`,
    nfev,
    njev: 0,
    nit: nfev,
    aborted,
    candidates: best,
  };
}
