/**
 * Shared pieces of the method adapters: running a solver with the abort handling, and the
 * start vector of gradient methods.
 *
 * @module
 */

import { AbortFitError, type FitContext, internalStart, transformGradient } from "../objective.ts";
import type { SolverResult } from "../../solvers/types.ts";
import type {
  CovarianceSource,
  MethodContext,
  MethodEntry,
  MethodOutcome,
  MethodSpace,
} from "./types.ts";

/**
 * Runs a solver; when `iterCb` aborts, returns the best point seen so far (or the start) with
 * `aborted: true`, as a solver that stops itself would.
 */
export function guarded(ctx: MethodContext, run: () => SolverResult): SolverResult {
  try {
    return run();
  } catch (e) {
    if (!(e instanceof AbortFitError)) throw e;
    const best = ctx.objective.bestX;
    const x = Number.isNaN(best[0] ?? NaN) ? ctx.x0 : Float64Array.from(best);
    return {
      x,
      fun: ctx.objective.bestChisqr,
      success: false,
      status: -1,
      message: "Fit aborted by user callback.",
      nfev: ctx.objective.nfev,
      njev: 0,
      nit: 0,
      aborted: true,
    };
  }
}

/** A method outcome from a solver result. */
export function outcomeOf(
  sol: SolverResult,
  covariance: CovarianceSource,
  extras?: Record<string, unknown>,
): MethodOutcome {
  return {
    x: sol.x,
    success: sol.success,
    status: sol.status,
    message: sol.message,
    nit: sol.nit,
    aborted: sol.aborted === true,
    covariance,
    extras,
  };
}

/**
 * The fields lmfit copies onto its result from scipy's `OptimizeResult` for the methods it runs
 * through `scipy.optimize.minimize` and `differential_evolution`: `fun`, the scalar objective
 * at the solution, and `x`, the solution in the internal (MINUIT-transformed) variables, where
 * lmfit runs every such method. None after an abort (lmfit copies them from a finished fit only).
 */
export function scipyFields(
  ctx: MethodContext,
  sol: SolverResult,
  space: MethodSpace,
): Record<string, unknown> | undefined {
  if (sol.aborted) return undefined;
  const x = space === "internal" ? Float64Array.from(sol.x) : internalStart(ctx.fit, sol.x);
  return { fun: sol.fun, x };
}

/**
 * Starting internal values for gradient methods: a parameter starting exactly at a bound sits at
 * the stationary point of its sine transform, where the gradient vanishes and a gradient method
 * could never move it; such values are moved a little inside.
 */
export function gradientSafeStart(ctx: FitContext): Float64Array {
  const x0 = internalStart(ctx);
  const g = transformGradient(ctx, x0);
  for (let k = 0; k < x0.length; k++) {
    if (ctx.bounded[k] && Math.abs(g[k]) < 1e-8) {
      x0[k] += x0[k] < 0 || Object.is(x0[k], -0) ? 1e-3 : x0[k] > 0 ? -1e-3 : 1e-3;
    }
  }
  return x0;
}

/** A registry entry, frozen (typed so that its adapter's context is inferred). */
export function defineMethod(entry: MethodEntry): MethodEntry {
  return Object.freeze({ ...entry, aliases: Object.freeze([...entry.aliases]) });
}
