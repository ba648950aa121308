/**
 * Local scalar methods on the internal (bounds-transformed) variables, as lmfit runs them:
 * Nelder-Mead, Powell, BFGS, nonlinear conjugate gradient and Newton-CG. Uncertainties come
 * from the Minimizer's numerical Hessian at the solution.
 *
 * @module
 */

import {
  type BfgsMethodOptions,
  type CgMethodOptions,
  methodKeys,
  type NelderMethodOptions,
  type NewtonMethodOptions,
  type PowellMethodOptions,
} from "./options.ts";
import type { ScalarFunction, SolverResult } from "../../solvers/types.ts";
import { nelderMead } from "../../solvers/nelder_mead.ts";
import { powell } from "../../solvers/powell.ts";
import { bfgs } from "../../solvers/bfgs.ts";
import { conjugateGradient } from "../../solvers/conjugate_gradient.ts";
import { newtonCG } from "../../solvers/newton_cg.ts";
import { defineMethod, guarded, outcomeOf, scipyFields } from "./_common.ts";
import { optionGradient } from "./_user_derivs.ts";
import type { MethodContext, MethodEntry } from "./types.ts";

function localMethod(
  name: string,
  aliases: readonly string[],
  optionKeys: readonly string[],
  solve: (
    f: ScalarFunction,
    x0: Float64Array,
    maxfev: number,
    // deno-lint-ignore no-explicit-any
    opts: Readonly<Record<string, any>>,
    ctx: MethodContext,
  ) => SolverResult,
  gradient = false,
  budget = 2000,
): MethodEntry {
  return defineMethod({
    name,
    aliases,
    kind: "local",
    optionKeys,
    space: "internal",
    usesReduceFcn: true,
    gradientSafeStart: gradient,
    needsFiniteBounds: false,
    maxNfevPerParam: budget,
    run: (ctx) => {
      const sol = guarded(
        ctx,
        () => solve(ctx.objective.scalar, ctx.x0, ctx.maxNfev!, ctx.options, ctx),
      );
      return outcomeOf(sol, { kind: "hessian" }, scipyFields(ctx, sol, "internal"));
    },
  });
}

/** Nelder-Mead simplex (`nelder`). */
export const NELDER: MethodEntry = localMethod(
  "nelder",
  ["nelder-mead"],
  methodKeys<NelderMethodOptions>({ xatol: true, fatol: true, maxiter: true, adaptive: true }),
  // scipy's (and so lmfit's) standard coefficients unless `adaptive: true`.
  (f, x0, maxfev, o) =>
    nelderMead(f, x0, {
      maxfev,
      xatol: o.xatol,
      fatol: o.fatol,
      maxiter: o.maxiter,
      adaptive: o.adaptive,
    }),
);

/** Powell's conjugate directions (`powell`). */
export const POWELL: MethodEntry = localMethod(
  "powell",
  [],
  methodKeys<PowellMethodOptions>({ ftol: true, xtol: true, maxiter: true }),
  (f, x0, maxfev, o) => powell(f, x0, { maxfev, ftol: o.ftol, xtol: o.xtol, maxiter: o.maxiter }),
);

/** BFGS quasi-Newton (`bfgs`). */
export const BFGS: MethodEntry = localMethod(
  "bfgs",
  [],
  methodKeys<BfgsMethodOptions>({ gtol: true, maxiter: true, Dfun: true }),
  (f, x0, maxfev, o, ctx) =>
    bfgs(f, x0, { maxfev, gtol: o.gtol, maxiter: o.maxiter, grad: optionGradient(ctx, true) }),
  true,
);

/**
 * Nonlinear conjugate gradient (`cg`). It converges slowly on strongly correlated problems (459
 * iterations on the two-exponential example), within lmfit's default budget of 2000·(n+1).
 */
export const CG: MethodEntry = localMethod(
  "cg",
  [],
  methodKeys<CgMethodOptions>({ gtol: true, maxiter: true, Dfun: true }),
  (f, x0, maxfev, o, ctx) =>
    conjugateGradient(f, x0, {
      maxfev,
      gtol: o.gtol,
      maxiter: o.maxiter,
      grad: optionGradient(ctx, true),
    }),
  true,
);

/** Newton-CG (`newton`). */
export const NEWTON: MethodEntry = localMethod(
  "newton",
  ["newton-cg"],
  methodKeys<NewtonMethodOptions>({ gtol: true, maxiter: true, Dfun: true }),
  (f, x0, maxfev, o, ctx) =>
    newtonCG(f, x0, { maxfev, gtol: o.gtol, maxiter: o.maxiter, grad: optionGradient(ctx, true) }),
  true,
);
