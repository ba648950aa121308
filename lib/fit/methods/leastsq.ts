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
import { activeBounds, BoundWatch, internalAtBound } from "./_bound_active.ts";
import type { LevenbergMarquardtResult } from "../../solvers/levenberg_marquardt.ts";
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
  gradientSafeStart: true,
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
    const watch = new BoundWatch(fit, adapter.residual, m);
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
          callback: watch.callback,
        });
      let lm = run(x0);
      if (watch.stopped) lm = { ...lm, aborted: false, info: 1, status: 1, success: true };
      // The sine transform of a doubly bounded parameter is periodic: the solver may wander to
      // an internal value far from the principal branch, where difference steps relative to
      // |x| are too coarse and xtol stops early. Re-centre on the principal branch and finish.
      const canon = internalStart(fit, externalValues(fit, lm.x));
      let recentred = false;
      for (let k = 0; k < n; k++) {
        if (Math.abs(canon[k] - lm.x[k]) > 1e-6 * Math.max(1, Math.abs(canon[k]))) recentred = true;
      }
      if (recentred && !lm.aborted && lm.info >= 1 && lm.info <= 4) {
        watch.stopped = false;
        const again = run(canon);
        if (watch.stopped) lm = { ...lm, aborted: false, info: 1, status: 1, success: true };
        if (again.fun <= lm.fun || !Number.isFinite(lm.fun)) lm = again;
      }
      // An optimum on a bound: hold the active parameters on it and refit the others.
      let active: Int8Array = new Int8Array(n);
      if (!lm.aborted && (lm.info >= 1 && lm.info <= 4 || lm.info === 9)) {
        active = activeBounds(fit, adapter.residual, lm.x, m);
        if (active.some((s) => s !== 0)) {
          lm = refitWithActive(
            lm.x,
            active,
            (f, s, mm, k) =>
              levenbergMarquardt(f, s, mm, {
                ftol: options.ftol,
                xtol: options.xtol,
                gtol: options.gtol,
                epsfcn: options.epsfcn,
                factor: options.factor,
                polish: options.polish,
                maxfev: Math.max(1, maxNfev - adapter.nfev - k),
              }),
            adapter.residual,
            fit,
            m,
          );
        }
      }
      const atBound = fit.varNames.filter((_, k) => active[k] !== 0);
      return {
        x: lm.x,
        success: lm.success,
        status: lm.info,
        message: lm.success ? "Fit succeeded." : messageNamed(lm, fit, !!jac),
        nit: lm.nit,
        aborted: lm.aborted,
        covariance: { kind: "jacobian", space: "internal", jac: lm.fjac },
        extras: { lmdifMessage: messageNamed(lm, fit, !!jac) },
        ...(atBound.length ? { atBound } : {}),
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

/** The solver's message with the parameter named in user terms instead of `x[k]`. */
function messageNamed(lm: LevenbergMarquardtResult, fit: FitContext, userJac = false): string {
  if (lm.column < 0) return lm.message;
  const k = lm.column;
  const value = externalValues(fit, lm.x)[k];
  const name = fit.varNames[k];
  if (lm.info === 9) {
    return `Stopped on a plateau, not at a minimum: parameter ${name} = ${value} has no effect on the residual (changing it leaves the sum of squares unchanged). Try other starting values or bounds, or fix ${name}.`;
  }
  if (userJac) {
    return `The Jacobian is not finite at the current point: the derivatives with respect to parameter ${name} = ${value} (from Dfun, or the model's analytic derivatives) contain NaN or infinity. Check the derivative function or the model where it is undefined, or use bounds.`;
  }
  return `The Jacobian is not finite at the current point: the residual is not finite on either side of parameter ${name} = ${value} within the difference step. Check the model for values where it is undefined, or use bounds.`;
}

/**
 * Refits with the parameters marked in `active` held exactly on their bound (their Jacobian
 * columns are zero in the result, so the covariance drops them). If a held parameter then wants
 * back inside, it is released and the whole fit resumes from there (at most twice).
 */
function refitWithActive(
  xStart: Float64Array,
  active: Int8Array,
  solve: (
    f: (x: Float64Array, out: Float64Array) => void,
    x0: Float64Array,
    m: number,
    spent: number,
  ) => LevenbergMarquardtResult,
  residual: (x: Float64Array, out: Float64Array) => void,
  fit: FitContext,
  m: number,
): LevenbergMarquardtResult {
  const n = xStart.length;
  const full = Float64Array.from(xStart);
  for (let k = 0; k < n; k++) {
    if (active[k]) full[k] = internalAtBound(fit, k, active[k] as -1 | 1);
  }
  const free: number[] = [];
  for (let k = 0; k < n; k++) if (!active[k]) free.push(k);
  const fjac = new Float64Array(m * n);
  if (free.length === 0 || free.length > m) {
    const fvec = new Float64Array(m);
    residual(full, fvec);
    let ss = 0;
    for (let i = 0; i < m; i++) ss += fvec[i] * fvec[i];
    return {
      x: full,
      fun: ss,
      success: Number.isFinite(ss),
      status: 2,
      info: 2,
      message: "every varied parameter is on an active bound",
      nfev: 1,
      njev: 0,
      nit: 0,
      aborted: false,
      fvec,
      fjac,
      column: -1,
    };
  }
  const sub = new Float64Array(free.length);
  const f = (xs: Float64Array, out: Float64Array) => {
    for (let j = 0; j < free.length; j++) full[free[j]] = xs[j];
    residual(full, out);
  };
  for (let j = 0; j < free.length; j++) sub[j] = full[free[j]];
  const r = solve(f, sub, m, 0);
  for (let j = 0; j < free.length; j++) full[free[j]] = r.x[j];
  for (let j = 0; j < free.length; j++) {
    fjac.set(r.fjac.subarray(j * m, j * m + m), free[j] * m);
  }
  return { ...r, x: Float64Array.from(full), fjac, column: r.column < 0 ? -1 : free[r.column] };
}
