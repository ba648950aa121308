/**
 * Shared pieces of the global optimizers (basinhopping, dual annealing, AMPGO, SHGO): the
 * local-minimizer hook they call and its default, a bounded Nelder-Mead.
 *
 * The default runs `nelderMead` on internal variables mapped to the box by the MINUIT transforms
 * of `lib/solvers/bounds.ts` (`x = lo + (hi − lo)(sin u + 1)/2` for two finite bounds, square-root maps
 * for one), so every evaluated point lies within the bounds and a minimum on a bound is reached
 * as a stationary point of the transform.
 *
 * @module
 */

import type { ScalarFunction, SolverResult } from "./types.ts";
import { nelderMead } from "./nelder_mead.ts";
import { fromInternal, toInternal } from "./bounds.ts";

/**
 * A local minimizer used by the global methods: minimises `fun` from `x0` within the optional
 * bounds (±Infinity allowed) and returns its best point. The minimizer layer passes L-BFGS-B or
 * Nelder-Mead; the default is `boundedNelderMead`.
 *
 * @example
 * ```ts
 * import type { LocalMinimizer } from "./_global_local.ts";
 * import { basinhopping } from "./basinhopping.ts";
 * import { lbfgsb } from "./lbfgsb.ts";
 * const local: LocalMinimizer = (fun, x0, lower, upper) => lbfgsb(fun, x0, { lower, upper });
 * const f = (x: Float64Array) => Math.cos(14.5 * x[0] - 0.3) + (x[0] + 0.2) * x[0];
 * basinhopping(f, Float64Array.of(1), { localMinimizer: local, seed: 2, niter: 20 }).x; // ≈ [-0.195]
 * ```
 *
 * @category Solvers
 */
export type LocalMinimizer = (
  fun: ScalarFunction,
  x0: Float64Array,
  lower?: Float64Array,
  upper?: Float64Array,
) => SolverResult;

/** Options of `boundedNelderMead`. */
export interface BoundedNelderMeadOptions {
  /** Simplex size tolerance in the internal variables. @default 1e-8 */
  xatol?: number;
  /** Relative tolerance on the simplex values. @default 1e-12 */
  fatol?: number;
  /** Restarts of the simplex around the best point. @default 1 */
  restarts?: number;
  /** Maximum objective evaluations. @default 2000·(n+1) */
  maxfev?: number;
  /** Maximum iterations (restarts included). @default 1000·n·(restarts+1) */
  maxiter?: number;
  /** Gao-Han adaptive coefficients (scipy's `adaptive`). @default false */
  adaptive?: boolean;
}

/**
 * Nelder-Mead within bounds through the MINUIT transforms; the default `LocalMinimizer` of the
 * global methods. The returned `x` is in the user's (bounded) variables; `x0` is clipped into the
 * box first.
 *
 * @example
 * ```ts
 * import { boundedNelderMead } from "./_global_local.ts";
 * const f = (x: Float64Array) => (x[0] - 3) ** 2 + (x[1] + 1) ** 2;
 * boundedNelderMead(f, Float64Array.of(0, 0), Float64Array.of(-1, -1), Float64Array.of(2, 2)).x; // ≈ [2, -1]
 * ```
 */
export function boundedNelderMead(
  fun: ScalarFunction,
  x0: Float64Array,
  lower?: Float64Array,
  upper?: Float64Array,
  options: BoundedNelderMeadOptions = {},
): SolverResult {
  const n = x0.length;
  const opts = {
    xatol: options.xatol ?? 1e-8,
    fatol: options.fatol ?? 1e-12,
    restarts: options.restarts ?? 1,
    maxfev: options.maxfev ?? 2000 * (n + 1),
    maxiter: options.maxiter,
    adaptive: options.adaptive,
  };
  if (!lower && !upper) return nelderMead(fun, Float64Array.from(x0), opts);
  const lo = lower ?? new Float64Array(n).fill(-Infinity);
  const hi = upper ?? new Float64Array(n).fill(Infinity);
  const u0 = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    u0[i] = toInternal(Math.min(hi[i], Math.max(lo[i], x0[i])), lo[i], hi[i]);
  }
  const x = new Float64Array(n);
  const toExternal = (u: Float64Array, out: Float64Array): Float64Array => {
    for (let i = 0; i < n; i++) out[i] = fromInternal(u[i], lo[i], hi[i]);
    return out;
  };
  const r = nelderMead((u) => fun(toExternal(u, x)), u0, opts);
  return { ...r, x: toExternal(r.x, new Float64Array(n)) };
}

/** The default local minimizer of the global methods (`boundedNelderMead` with its defaults). */
export const defaultLocalMinimizer: LocalMinimizer = (fun, x0, lower, upper) =>
  boundedNelderMead(fun, x0, lower, upper);

/**
 * Checks that `lower`/`upper` are present, finite, of length `n` and ordered; throws a
 * RangeError naming the method and the first offending index otherwise.
 */
export function requireFiniteBounds(
  method: string,
  n: number,
  lower: Float64Array | undefined,
  upper: Float64Array | undefined,
): void {
  if (!lower || !upper) {
    throw new RangeError(
      `${method} needs finite bounds: pass options.lower and options.upper (length ${n})`,
    );
  }
  checkBounds(method, n, lower, upper);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(lower[i]) || !Number.isFinite(upper[i])) {
      throw new RangeError(
        `${method} needs finite bounds; variable ${i} has [${lower[i]}, ${
          upper[i]
        }]: give it a finite lower and upper bound`,
      );
    }
  }
}

/** Checks optional bounds: lengths equal `n`, no NaN, lower < upper; RangeError otherwise. */
export function checkBounds(
  method: string,
  n: number,
  lower: Float64Array | undefined,
  upper: Float64Array | undefined,
): void {
  for (const [name, b] of [["lower", lower], ["upper", upper]] as const) {
    if (b && b.length !== n) {
      throw new RangeError(`${method}: options.${name} has length ${b.length}, x0 has ${n}`);
    }
  }
  for (let i = 0; i < n; i++) {
    const lo = lower ? lower[i] : -Infinity, hi = upper ? upper[i] : Infinity;
    if (Number.isNaN(lo) || Number.isNaN(hi) || !(hi > lo)) {
      throw new RangeError(
        `${method}: variable ${i} has bounds [${lo}, ${hi}]; the lower bound must be below the upper`,
      );
    }
  }
}

/** Checks that `x0` is a non-empty Float64Array of finite numbers. */
export function checkStart(method: string, x0: Float64Array): void {
  if (!(x0 instanceof Float64Array) || x0.length === 0) {
    throw new TypeError(`${method}: x0 must be a non-empty Float64Array`);
  }
  for (let i = 0; i < x0.length; i++) {
    if (!Number.isFinite(x0[i])) {
      throw new RangeError(`${method}: x0[${i}] is ${x0[i]}; start from finite values`);
    }
  }
}

/** Clips `x` into `[lower, upper]` in place (either bound may be absent). */
export function clipInto(x: Float64Array, lower?: Float64Array, upper?: Float64Array): void {
  for (let i = 0; i < x.length; i++) {
    if (lower && x[i] < lower[i]) x[i] = lower[i];
    if (upper && x[i] > upper[i]) x[i] = upper[i];
  }
}
