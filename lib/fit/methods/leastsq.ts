/**
 * `leastsq`, the default: Levenberg-Marquardt (MINPACK lmdif) on the internal variables, with an
 * optional user Jacobian (`Dfun`). Uncertainties from the Jacobian at the solution.
 *
 * @module
 */

import { type LeastsqOptions, methodKeys } from "./options.ts";
import { AbortFitError, externalValues, type FitContext, internalStart } from "../objective.ts";
import {
  LEVENBERG_MARQUARDT_DEFAULTS as LM,
  levenbergMarquardt,
} from "../../solvers/levenberg_marquardt.ts";
import { defineMethod } from "./_common.ts";
import { activeBounds, BoundWatch, insideBound, internalAtBound } from "./_bound_active.ts";
import type { LevenbergMarquardtResult } from "../../solvers/levenberg_marquardt.ts";
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
  // The solver's defaults, in lmfit's names (the same ones). epsfcn: lmfit's None, the solver's
  // machine epsilon. Dfun/colDeriv only when given (Model.fit supplies its own Jacobian).
  callDefaults: Object.freeze({
    ftol: LM.ftol,
    xtol: LM.xtol,
    gtol: LM.gtol,
    epsfcn: null,
    factor: LM.factor,
    polish: LM.polish,
  }),
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
      ? userJacobian(fit, ctx.userArgs, options.Dfun, !!options.colDeriv, m, true)
      : undefined;
    const maxNfev = ctx.maxNfev!;
    const watch = new BoundWatch(fit, adapter.residual, m);
    try {
      const lmOptions = {
        ftol: options.ftol,
        xtol: options.xtol,
        gtol: options.gtol,
        epsfcn: options.epsfcn,
        factor: options.factor,
        polish: options.polish,
        sumOfSquares: true, // the adapter's residual returns it
      };
      /**
       * Solves with the parameters marked in `held` on their bound (none: the whole fit). The
       * watch stops the solver as soon as another parameter proves to sit on an active bound;
       * that counts as converged for now (the caller's loop decides).
       */
      const solve = (start: Float64Array, held: Int8Array) => {
        watch.held = held;
        watch.stopped = false;
        const r = refitWithActive(
          start,
          held,
          (f, s, mm, expand, subJac) =>
            levenbergMarquardt(f, s, mm, {
              ...lmOptions,
              // The solver keeps its total, the Jacobian at the solution included, within this.
              maxfev: Math.max(1, maxNfev - adapter.nfev),
              jac: subJac,
              callback: (xs) => watch.callback(expand(xs)),
            }),
          adapter.residual,
          fit,
          m,
          jac,
        );
        return watch.stopped ? { ...r, aborted: false, info: 1, status: 1, success: true } : r;
      };
      let active: Int8Array = new Int8Array(n);
      let lm = solve(x0, active);
      // The sine transform of a doubly bounded parameter is periodic: the solver may wander to
      // an internal value far from the principal branch, where difference steps relative to
      // |x| are too coarse and xtol stops early. Re-centre on the principal branch and finish.
      const canon = internalStart(fit, externalValues(fit, lm.x));
      let recentred = false;
      for (let k = 0; k < n; k++) {
        if (Math.abs(canon[k] - lm.x[k]) > 1e-6 * Math.max(1, Math.abs(canon[k]))) recentred = true;
      }
      if (recentred && !lm.aborted && lm.info >= 1 && lm.info <= 4) {
        const again = solve(canon, active);
        if (again.fun <= lm.fun || !Number.isFinite(lm.fun)) lm = again;
      }
      // An optimum on a bound (KKT): hold the active parameters on it and refit the others;
      // release one that then wants back inside; until the active set no longer changes.
      const settled = (r: typeof lm) => !r.aborted && (r.info >= 1 && r.info <= 4 || r.info === 9);
      for (let round = 0; round < 2 * n + 2 && settled(lm); round++) {
        const next = activeBounds(fit, adapter.residual, lm.x, m);
        if (next.every((v, k) => v === active[k]) && (round > 0 || !next.some((v) => v))) break;
        const start = Float64Array.from(lm.x);
        for (let k = 0; k < n; k++) {
          if (active[k] && !next[k]) start[k] = insideBound(fit, k, active[k] as -1 | 1);
        }
        active = next;
        lm = solve(start, active);
      }
      const atBound = fit.varNames.filter((_, k) => active[k] !== 0);
      return {
        x: lm.x,
        success: lm.success,
        status: lm.info,
        message: lm.success ? "Fit succeeded." : messageNamed(lm, fit, !!jac),
        nit: lm.nit,
        // The evaluation limit is a hard stop for every method: reaching it aborts the fit.
        aborted: lm.aborted || lm.info === 5,
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
 * columns are zero in the result, so the covariance drops them); with none held, the whole fit.
 */
function refitWithActive(
  xStart: Float64Array,
  active: Int8Array,
  solve: (
    f: (x: Float64Array, out: Float64Array) => void,
    x0: Float64Array,
    m: number,
    expand: (xs: Float64Array) => Float64Array,
    jac: ((x: Float64Array, out: Float64Array) => void) | undefined,
  ) => LevenbergMarquardtResult,
  residual: (x: Float64Array, out: Float64Array) => void,
  fit: FitContext,
  m: number,
  jac?: (x: Float64Array, out: Float64Array) => void,
): LevenbergMarquardtResult {
  const n = xStart.length;
  const full = Float64Array.from(xStart);
  for (let k = 0; k < n; k++) {
    if (active[k]) full[k] = internalAtBound(fit, k, active[k] as -1 | 1);
  }
  const free: number[] = [];
  for (let k = 0; k < n; k++) if (!active[k]) free.push(k);
  if (free.length === 0) {
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
      fjac: new Float64Array(m * n),
      column: -1,
      factorizations: { normal: 0, qr: 0 },
    };
  }
  const sub = new Float64Array(free.length);
  const f = (xs: Float64Array, out: Float64Array) => {
    for (let j = 0; j < free.length; j++) full[free[j]] = xs[j];
    residual(full, out);
  };
  for (let j = 0; j < free.length; j++) sub[j] = full[free[j]];
  if (free.length === n) {
    const r = solve(residual, sub, m, (xs) => xs, jac);
    return { ...r, x: Float64Array.from(r.x) };
  }
  const view = Float64Array.from(full);
  const expand = (xs: Float64Array) => {
    for (let j = 0; j < free.length; j++) view[free[j]] = xs[j];
    return view;
  };
  // The user's Jacobian, its free columns only.
  const whole = jac ? new Float64Array(m * n) : null;
  const subJac = jac
    ? (xs: Float64Array, out: Float64Array) => {
      jac(expand(xs), whole!);
      for (let j = 0; j < free.length; j++) {
        out.set(whole!.subarray(free[j] * m, free[j] * m + m), j * m);
      }
    }
    : undefined;
  const r = solve(f, sub, m, expand, subJac);
  for (let j = 0; j < free.length; j++) full[free[j]] = r.x[j];
  const fjac = new Float64Array(m * n); // allocated only here: the whole fit returns the solver's
  for (let j = 0; j < free.length; j++) {
    fjac.set(r.fjac.subarray(j * m, j * m + m), free[j] * m);
  }
  return { ...r, x: Float64Array.from(full), fjac, column: r.column < 0 ? -1 : free[r.column] };
}
