/**
 * `least_squares`: trust-region reflective with native bounds on the parameters' own values (no
 * transform), as scipy's `least_squares`. Uncertainties from its Jacobian at the solution.
 *
 * @module
 */

import { type LeastSquaresMethodOptions, methodKeys } from "./options.ts";
import { LEAST_SQUARES_DEFAULTS as LS, leastSquares } from "../../solvers/least_squares.ts";
import { defineMethod, guarded, outcomeOf } from "./_common.ts";
import { userJacobian } from "./_user_derivs.ts";
import type { MethodEntry } from "./types.ts";

/** Trust-region reflective least squares (`least_squares`). */
export const LEAST_SQUARES: MethodEntry = defineMethod({
  name: "least_squares",
  aliases: ["least-squares"],
  kind: "local",
  optionKeys: methodKeys<LeastSquaresMethodOptions>({
    loss: true,
    fScale: true,
    xScale: true,
    ftol: true,
    xtol: true,
    gtol: true,
    jac: true,
    verbose: true,
  }),
  // The solver's defaults, in lmfit's names (the same ones); jac "2-point" is scipy's name for
  // the forward differences the solver takes without one.
  callDefaults: Object.freeze({
    jac: "2-point",
    ftol: LS.ftol,
    xtol: LS.xtol,
    gtol: LS.gtol,
    xScale: LS.xScale,
    loss: LS.loss,
    fScale: LS.fScale,
    verbose: LS.verbose,
  }),
  space: "external",
  usesReduceFcn: false,
  gradientSafeStart: false,
  needsFiniteBounds: false,
  maxNfevPerParam: 2000,
  run: (ctx) => {
    const { fit, ndata: m, options: o } = ctx;
    const n = fit.varNames.length;
    if (m < n) {
      throw new RangeError(
        `least_squares needs at least as many residuals (${m}) as varied parameters (${n})`,
      );
    }
    if (o.jac !== undefined && o.jac !== "2-point" && typeof o.jac !== "function") {
      throw new TypeError(
        `least_squares: jac must be a function (params, ...args) => rows (one per residual) or "2-point", got ${
          typeof o.jac === "string" ? `"${o.jac}"` : typeof o.jac
        }`,
      );
    }
    const userJac = typeof o.jac === "function"
      ? userJacobian(fit, ctx.userArgs, o.jac, false, m, false, "least_squares jac")
      : undefined;
    let jac: Float64Array | null = null;
    const sol = guarded(ctx, () => {
      const r = leastSquares(ctx.objective.residual, ctx.x0, m, {
        lower: fit.mins,
        upper: fit.maxs,
        jac: userJac,
        loss: o.loss,
        fScale: o.fScale,
        xScale: o.xScale,
        ftol: o.ftol,
        xtol: o.xtol,
        gtol: o.gtol,
        verbose: o.verbose,
        maxfev: ctx.maxNfev,
      });
      jac = r.jac;
      return r;
    });
    return outcomeOf(sol, { kind: "jacobian", space: "external", jac });
  },
});
