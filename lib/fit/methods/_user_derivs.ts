/**
 * The user's analytic derivatives, adapted to solver vectors: a residual Jacobian (`leastsq`'s
 * `Dfun`, `least_squares`' `jac`) and a scalar gradient (`Dfun` of the gradient methods), both
 * evaluated on the fitted copy of the parameters and scaled by the bounds transform's derivative
 * when the solver works on internal variables (as lmfit's `__jacobian`).
 *
 * @module
 */

import { applyValues, externalValues, type FitContext, transformGradient } from "../objective.ts";
import type { GradientFunction, JacobianFunction } from "../../solvers/types.ts";
import type { ResidualJacobianFunction, ScalarGradientFunction } from "./options.ts";
import type { MethodContext } from "./types.ts";

function setValues(ctx: FitContext, x: Float64Array, ext: Float64Array, internal: boolean): void {
  if (internal) externalValues(ctx, x, ext);
  else ext.set(x);
  applyValues(ctx, ext);
}

function scaleOf(ctx: FitContext, x: Float64Array, internal: boolean): Float64Array {
  return internal ? transformGradient(ctx, x) : new Float64Array(x.length).fill(1);
}

/**
 * The user's residual Jacobian as the solver's column-major `m×n` Jacobian at solver vectors.
 * `colDeriv`: the user returns one row per parameter.
 */
export function userJacobian(
  ctx: FitContext,
  userArgs: readonly unknown[],
  dfun: ResidualJacobianFunction,
  colDeriv: boolean,
  m: number,
  internal: boolean,
  what = "Dfun",
): JacobianFunction {
  if (typeof dfun !== "function") {
    throw new TypeError(`${what} must be a function (params, ...args) => rows, got ${typeof dfun}`);
  }
  const n = ctx.varNames.length;
  const ext = new Float64Array(n);
  return (x, out) => {
    setValues(ctx, x, ext, internal);
    const d = dfun(ctx.params, ...userArgs);
    const g = scaleOf(ctx, x, internal);
    if (colDeriv) {
      if (d.length !== n) {
        throw new RangeError(
          `${what} with colDeriv must return ${n} rows (one per varied parameter), got ${d.length}`,
        );
      }
      for (let j = 0; j < n; j++) {
        const row = d[j];
        const gj = g[j];
        if (gj === 1 && row instanceof Float64Array && row.length === m) out.set(row, j * m);
        else for (let i = 0; i < m; i++) out[i + j * m] = row[i] * gj;
      }
    } else {
      if (d.length !== m) {
        throw new RangeError(`${what} must return ${m} rows (one per residual), got ${d.length}`);
      }
      for (let i = 0; i < m; i++) {
        const row = d[i];
        for (let j = 0; j < n; j++) out[i + j * m] = row[j] * g[j];
      }
    }
  };
}

/** The user's gradient of the scalar objective as the solver's gradient at solver vectors. */
export function userGradient(
  ctx: FitContext,
  userArgs: readonly unknown[],
  dfun: ScalarGradientFunction,
  internal: boolean,
): GradientFunction {
  if (typeof dfun !== "function") {
    throw new TypeError(
      `Dfun must be a function (params, ...args) => gradient, got ${typeof dfun}`,
    );
  }
  const n = ctx.varNames.length;
  const ext = new Float64Array(n);
  return (x, out) => {
    setValues(ctx, x, ext, internal);
    const d = dfun(ctx.params, ...userArgs);
    if (!d || d.length !== n) {
      throw new RangeError(
        `Dfun must return the gradient: ${n} numbers (one per varied parameter: ${
          ctx.varNames.join(", ")
        }), got ${d?.length}`,
      );
    }
    const g = scaleOf(ctx, x, internal);
    for (let j = 0; j < n; j++) out[j] = d[j] * g[j];
  };
}

/**
 * The method's `Dfun` option (gradient of the scalar objective) as the solver's gradient, or
 * `undefined` when the user gave none. `internal`: the solver works on bounds-transformed
 * variables (the local methods) rather than on the parameters' own values (native bounds).
 */
export function optionGradient(
  ctx: MethodContext,
  internal: boolean,
): GradientFunction | undefined {
  return ctx.options.Dfun === undefined
    ? undefined
    : userGradient(ctx.fit, ctx.userArgs, ctx.options.Dfun, internal);
}
