/**
 * `least_squares`: trust-region reflective with native bounds on the parameters' own values (no
 * transform), as scipy's `least_squares`. Uncertainties from its Jacobian at the solution.
 *
 * @module
 */

import { leastSquares } from "../../solvers/least_squares.ts";
import { defineMethod, guarded, outcomeOf } from "./_common.ts";
import type { MethodEntry } from "./types.ts";

/** Trust-region reflective least squares (`least_squares`). */
export const LEAST_SQUARES: MethodEntry = defineMethod({
  name: "least_squares",
  aliases: ["least-squares"],
  kind: "local",
  optionKeys: ["loss", "fScale", "xScale", "ftol", "xtol", "gtol"],
  space: "external",
  usesReduceFcn: false,
  gradientSafeStart: false,
  needsFiniteBounds: false,
  maxNfevPerParam: null,
  run: (ctx) => {
    const { fit, ndata: m, options: o } = ctx;
    const n = fit.varNames.length;
    if (m < n) {
      throw new RangeError(
        `least_squares needs at least as many residuals (${m}) as varied parameters (${n})`,
      );
    }
    let jac: Float64Array | null = null;
    const sol = guarded(ctx, () => {
      const r = leastSquares(ctx.objective.residual, ctx.x0, m, {
        lower: fit.mins,
        upper: fit.maxs,
        loss: o.loss,
        fScale: o.fScale,
        xScale: o.xScale,
        ftol: o.ftol,
        xtol: o.xtol,
        gtol: o.gtol,
        maxfev: ctx.maxNfev,
      });
      jac = r.jac;
      return r;
    });
    return outcomeOf(sol, { kind: "jacobian", space: "external", jac });
  },
});
