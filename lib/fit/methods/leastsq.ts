/**
 * `leastsq`, the default: Levenberg-Marquardt (MINPACK lmdif) on the internal variables, with an
 * optional user Jacobian (`Dfun`). Uncertainties from the Jacobian at the solution.
 *
 * @module
 */

import { type LeastsqOptions, methodKeys } from "./options.ts";
import { AbortFitError, externalValues, internalStart } from "../objective.ts";
import { levenbergMarquardt } from "../../solvers/levenberg_marquardt.ts";
import { defineMethod } from "./_common.ts";
import { userJacobian } from "./_user_derivs.ts";
import type { MethodEntry, MethodOutcome } from "./types.ts";

/** Levenberg-Marquardt least squares (`leastsq`). */
export const LEASTSQ: MethodEntry = defineMethod({
  name: "leastsq",
  aliases: [],
  kind: "local",
  optionKeys: methodKeys<LeastsqOptions>({
    ftol: true,
    xtol: true,
    gtol: true,
    epsfcn: true,
    factor: true,
    polish: true,
    Dfun: true,
    colDeriv: true,
  }),
  space: "internal",
  usesReduceFcn: false,
  gradientSafeStart: false,
  needsFiniteBounds: false,
  maxNfevPerParam: 2000,
  run: (ctx): MethodOutcome => {
    const { fit, objective: adapter, x0, ndata: m, options } = ctx;
    const n = fit.varNames.length;
    if (adapter.isScalar) {
      throw new TypeError(
        "the objective returned a scalar; leastsq needs the residual array (or use a scalar method such as 'nelder')",
      );
    }
    if (m === 0) throw new RangeError("the objective returned an empty residual array");
    if (m < n) {
      throw new RangeError(
        `the objective returned ${m} residual${
          m === 1 ? "" : "s"
        } but ${n} parameters vary: leastsq needs at least as many residuals as varied parameters (${
          fit.varNames.join(", ")
        })`,
      );
    }
    const jac = options.Dfun
      ? userJacobian(fit, ctx.userArgs, options.Dfun, !!options.colDeriv, m, true)
      : undefined;
    const maxNfev = ctx.maxNfev!;
    try {
      const run = (start: Float64Array) =>
        levenbergMarquardt(adapter.residual, start, m, {
          ftol: options.ftol,
          xtol: options.xtol,
          gtol: options.gtol,
          epsfcn: options.epsfcn,
          factor: options.factor,
          polish: options.polish,
          // The solver keeps its total, the Jacobian at the solution included, within this.
          maxfev: Math.max(1, maxNfev - adapter.nfev),
          jac,
        });
      let lm = run(x0);
      // The sine transform of a doubly bounded parameter is periodic: the solver may wander to
      // an internal value far from the principal branch, where difference steps relative to
      // |x| are too coarse and xtol stops early. Re-centre on the principal branch and finish.
      const canon = internalStart(fit, externalValues(fit, lm.x));
      let recentred = false;
      for (let k = 0; k < n; k++) {
        if (Math.abs(canon[k] - lm.x[k]) > 1e-6 * Math.max(1, Math.abs(canon[k]))) recentred = true;
      }
      if (recentred && !lm.aborted && lm.info >= 1 && lm.info <= 4) {
        const again = run(canon);
        if (again.fun <= lm.fun || !Number.isFinite(lm.fun)) lm = again;
      }
      return {
        x: lm.x,
        success: lm.success,
        status: lm.info,
        message: lm.success ? "Fit succeeded." : lm.message,
        nit: lm.nit,
        // The evaluation limit is a hard stop for every method: reaching it aborts the fit.
        aborted: lm.aborted || lm.info === 5,
        covariance: { kind: "jacobian", space: "internal", jac: lm.fjac },
        extras: { lmdifMessage: lm.message },
      };
    } catch (e) {
      if (!(e instanceof AbortFitError)) throw e;
      return {
        x: Number.isNaN(adapter.bestX[0]) ? x0 : Float64Array.from(adapter.bestX),
        success: false,
        status: -1,
        message: "Fit aborted by user callback.",
        nit: 0,
        aborted: true,
        covariance: { kind: "jacobian", space: "internal", jac: null },
        extras: { lmdifMessage: "aborted" },
      };
    }
  },
});
