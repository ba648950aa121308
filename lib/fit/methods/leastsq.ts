/**
 * `leastsq`, the default: Levenberg-Marquardt (MINPACK lmdif) on the internal variables, with an
 * optional user Jacobian (`Dfun`). Uncertainties from the Jacobian at the solution.
 *
 * @module
 */

import {
  AbortFitError,
  applyValues,
  externalValues,
  type FitContext,
  internalStart,
  transformGradient,
} from "../objective.ts";
import type { Parameters } from "../../parameters.ts";
import { levenbergMarquardt } from "../../solvers/levenberg_marquardt.ts";
import { defineMethod } from "./_common.ts";
import type { MethodEntry, MethodOutcome } from "./types.ts";

/** The user's `Dfun` as the solver's column-major Jacobian in internal variables. */
function wrapDfun(
  ctx: FitContext,
  userArgs: readonly unknown[],
  // deno-lint-ignore no-explicit-any
  dfun: (params: Parameters, ...args: any[]) => ArrayLike<ArrayLike<number>>,
  colDeriv: boolean,
  m: number,
): (x: Float64Array, out: Float64Array) => void {
  const n = ctx.varNames.length;
  const ext = new Float64Array(n);
  return (x, out) => {
    externalValues(ctx, x, ext);
    applyValues(ctx, ext);
    const d = dfun(ctx.params, ...userArgs);
    const g = transformGradient(ctx, x);
    if (colDeriv) {
      if (d.length !== n) {
        throw new RangeError(
          `Dfun with colDeriv must return ${n} rows (one per varied parameter), got ${d.length}`,
        );
      }
      for (let j = 0; j < n; j++) {
        const row = d[j];
        for (let i = 0; i < m; i++) out[i + j * m] = row[i] * g[j];
      }
    } else {
      if (d.length !== m) {
        throw new RangeError(`Dfun must return ${m} rows (one per residual), got ${d.length}`);
      }
      for (let i = 0; i < m; i++) {
        const row = d[i];
        for (let j = 0; j < n; j++) out[i + j * m] = row[j] * g[j];
      }
    }
  };
}

/** Levenberg-Marquardt least squares (`leastsq`). */
export const LEASTSQ: MethodEntry = defineMethod({
  name: "leastsq",
  aliases: [],
  kind: "local",
  optionKeys: ["ftol", "xtol", "gtol", "epsfcn", "factor", "polish", "Dfun", "colDeriv"],
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
      ? wrapDfun(fit, ctx.userArgs, options.Dfun, !!options.colDeriv, m)
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
        aborted: lm.aborted,
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
