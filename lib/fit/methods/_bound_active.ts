/**
 * Optima on a bound for the internal-space least-squares method (`leastsq`).
 *
 * Through a MINUIT transform a bound is a stationary point of the internal variable: the
 * Jacobian column of a parameter that wants to leave the box shrinks to zero as it nears the
 * bound, so Gauss-Newton steps crawl towards it (hundreds of evaluations) and the end point looks
 * like a plateau. The optimality conditions of a box (KKT in user coordinates) decide instead: a
 * parameter close to a bound is *active* when the sum of squares at the bound rises on the
 * inward side (its projected gradient is zero). Active parameters are then held exactly on the
 * bound while the others are refitted, which converges as an unbounded fit does.
 *
 * @module
 */

import { externalValues, type FitContext } from "../objective.ts";
import { toInternal } from "../../solvers/bounds.ts";

/** Relative distance to a bound within which the optimality test is made. */
const NEAR = 1e-3;

/** The bound a parameter is near, or 0 (as a side: -1 lower, +1 upper). */
export function nearBoundSide(ctx: FitContext, k: number, value: number): -1 | 0 | 1 {
  const lo = ctx.mins[k], hi = ctx.maxs[k];
  const width = Number.isFinite(lo) && Number.isFinite(hi) ? hi - lo : Infinity;
  const scale = (b: number) => NEAR * Math.min(width, Math.max(1, Math.abs(b)));
  if (Number.isFinite(lo) && value - lo <= scale(lo)) return -1;
  if (Number.isFinite(hi) && hi - value <= scale(hi)) return 1;
  return 0;
}

/** The internal value that maps exactly onto a bound (the transform's stationary point). */
export function internalAtBound(ctx: FitContext, k: number, side: -1 | 1): number {
  const lo = ctx.mins[k], hi = ctx.maxs[k];
  if (Number.isFinite(lo) && Number.isFinite(hi)) return side < 0 ? -Math.PI / 2 : Math.PI / 2;
  return 0;
}

/**
 * An internal value just inside a bound, off the transform's stationary point, for a parameter
 * released from it (its Jacobian column is no longer zero there).
 */
export function insideBound(ctx: FitContext, k: number, side: -1 | 1): number {
  const lo = ctx.mins[k], hi = ctx.maxs[k];
  if (Number.isFinite(lo) && Number.isFinite(hi)) return side * (Math.PI / 2 - 0.05);
  return 0.05;
}

/**
 * Which varied parameters sit on an active bound at internal point `x`: near a bound, with a sum
 * of squares that rises from the bound inwards. Returns the side per parameter (0: free). Costs
 * one evaluation at the projected point plus one per candidate.
 */
export function activeBounds(
  ctx: FitContext,
  residual: (x: Float64Array, out: Float64Array) => void,
  x: Float64Array,
  m: number,
): Int8Array {
  const n = x.length;
  const ext = externalValues(ctx, x);
  const side = new Int8Array(n);
  for (let k = 0; k < n; k++) side[k] = nearBoundSide(ctx, k, ext[k]);
  if (!side.some((s) => s !== 0)) return side;
  const base = Float64Array.from(x);
  for (let k = 0; k < n; k++) if (side[k]) base[k] = internalAtBound(ctx, k, side[k] as -1 | 1);
  const r = new Float64Array(m);
  const ss = () => {
    let s = 0;
    for (let i = 0; i < m; i++) s += r[i] * r[i];
    return s;
  };
  residual(base, r);
  const f0 = ss();
  const baseExt = externalValues(ctx, base);
  for (let k = 0; k < n; k++) {
    if (!side[k]) continue;
    const b = baseExt[k];
    const lo = ctx.mins[k], hi = ctx.maxs[k];
    const width = Number.isFinite(lo) && Number.isFinite(hi) ? hi - lo : Infinity;
    const h = Math.min(1e-7 * Math.max(1, Math.abs(b)), 1e-3 * width);
    const probe = Float64Array.from(base);
    probe[k] = toInternal(b - side[k] * h, lo, hi);
    residual(probe, r);
    // Active when moving inwards does not lower the sum of squares (projected gradient zero).
    if (!(Number.isFinite(f0) && ss() >= f0)) side[k] = 0;
  }
  return side;
}

/**
 * An iteration callback for the solver that stops it as soon as a parameter creeping towards a
 * bound is found on an active one (instead of the hundreds of shrinking steps the transform's
 * flat Jacobian column costs). Each parameter is tested again only once its distance to the
 * bound has shrunk tenfold since the last test.
 */
export class BoundWatch {
  /** Whether the callback stopped the solver for an active bound. */
  stopped = false;
  /** Parameters held on a bound now (nonzero): not watched. */
  held: Int8Array = new Int8Array(0);
  #last: Float64Array;
  #ctx: FitContext;
  #residual: (x: Float64Array, out: Float64Array) => void;
  #m: number;

  /** Watches the fit `ctx` whose residual (internal variables, `m` values) is `residual`. */
  constructor(
    ctx: FitContext,
    residual: (x: Float64Array, out: Float64Array) => void,
    m: number,
  ) {
    this.#ctx = ctx;
    this.#residual = residual;
    this.#m = m;
    this.#last = new Float64Array(ctx.varNames.length).fill(Infinity);
  }

  /** The solver callback: true stops the solver (an active bound was found). */
  callback = (x: Float64Array): boolean => {
    const ctx = this.#ctx;
    const ext = externalValues(ctx, x);
    let test = false;
    for (let k = 0; k < x.length; k++) {
      if (this.held[k]) continue;
      const side = nearBoundSide(ctx, k, ext[k]);
      if (!side) continue;
      const d = Math.abs(ext[k] - (side < 0 ? ctx.mins[k] : ctx.maxs[k]));
      if (d <= 0.1 * this.#last[k]) {
        this.#last[k] = d;
        test = true;
      }
    }
    if (!test) return false;
    const active = activeBounds(ctx, this.#residual, x, this.#m);
    this.stopped = active.some((s, k) => s !== 0 && !this.held[k]);
    return this.stopped;
  };
}
