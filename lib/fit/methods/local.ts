/**
 * Local scalar methods on the internal (bounds-transformed) variables, as lmfit runs them:
 * Nelder-Mead, Powell, BFGS, nonlinear conjugate gradient and Newton-CG. Uncertainties come
 * from the Minimizer's numerical Hessian at the solution.
 *
 * @module
 */

import type { ScalarFunction, SolverResult } from "../../solvers/types.ts";
import { nelderMead } from "../../solvers/nelder_mead.ts";
import { powell } from "../../solvers/powell.ts";
import { bfgs } from "../../solvers/bfgs.ts";
import { conjugateGradient } from "../../solvers/conjugate_gradient.ts";
import { newtonCG } from "../../solvers/newton_cg.ts";
import { defineMethod, guarded, outcomeOf } from "./_common.ts";
import type { MethodEntry } from "./types.ts";

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
    run: (ctx) =>
      outcomeOf(
        guarded(ctx, () => solve(ctx.objective.scalar, ctx.x0, ctx.maxNfev!, ctx.options)),
        { kind: "hessian" },
      ),
  });
}

/** Nelder-Mead simplex (`nelder`). */
export const NELDER: MethodEntry = localMethod(
  "nelder",
  ["nelder-mead"],
  ["xatol", "fatol", "adaptive"],
  // scipy's (and so lmfit's) standard coefficients unless `adaptive: true`.
  (f, x0, maxfev, o) =>
    nelderMead(f, x0, { maxfev, xatol: o.xatol, fatol: o.fatol, adaptive: o.adaptive }),
);

/** Powell's conjugate directions (`powell`). */
export const POWELL: MethodEntry = localMethod(
  "powell",
  [],
  ["ftol", "xtol"],
  (f, x0, maxfev, o) => powell(f, x0, { maxfev, ftol: o.ftol, xtol: o.xtol }),
);

/** BFGS quasi-Newton (`bfgs`). */
export const BFGS: MethodEntry = localMethod(
  "bfgs",
  [],
  ["gtol"],
  (f, x0, maxfev, o) => bfgs(f, x0, { maxfev, gtol: o.gtol }),
  true,
);

/**
 * Nonlinear conjugate gradient (`cg`). It converges slowly on strongly correlated problems (459
 * iterations on the two-exponential example): its default budget is 10000·(n+1) evaluations.
 */
export const CG: MethodEntry = localMethod(
  "cg",
  [],
  ["gtol"],
  (f, x0, maxfev, o) => conjugateGradient(f, x0, { maxfev, gtol: o.gtol }),
  true,
  10000,
);

/** Newton-CG (`newton`). */
export const NEWTON: MethodEntry = localMethod(
  "newton",
  ["newton-cg"],
  ["gtol"],
  (f, x0, maxfev, o) => newtonCG(f, x0, { maxfev, gtol: o.gtol }),
  true,
);
