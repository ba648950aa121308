/**
 * Local methods that honour bounds natively (L-BFGS-B, TNC, SLSQP, COBYLA, trust-constr): the
 * solver works on the parameters' own values with `lower`/`upper` from their bounds, no
 * transform. Uncertainties still come from the Minimizer's Hessian (in internal variables, as
 * lmfit).
 *
 * @module
 */

import {
  type CobylaMethodOptions,
  type LbfgsbMethodOptions,
  methodKeys,
  type SlsqpMethodOptions,
  type TncMethodOptions,
  type TrustConstrMethodOptions,
} from "./options.ts";
import type { ScalarFunction, SolverResult } from "../../solvers/types.ts";
import { lbfgsb } from "../../solvers/lbfgsb.ts";
import { tnc } from "../../solvers/tnc.ts";
import { slsqp } from "../../solvers/slsqp.ts";
import { cobyla } from "../../solvers/cobyla.ts";
import { trustConstr } from "../../solvers/trust_constr.ts";
import { defineMethod, guarded, outcomeOf, scipyFields } from "./_common.ts";
import { optionGradient } from "./_user_derivs.ts";
import type { MethodContext, MethodEntry, MethodKind } from "./types.ts";

/** Options of a native-bounds entry beyond its solver call. */
export interface NativeBoundsSpec {
  /** Budget kind. @default "local" */
  kind?: MethodKind;
  /** Default evaluations per (nvarys+1). @default 2000 */
  budget?: number;
  /** Needs finite bounds on every varied parameter. @default false */
  finiteBounds?: boolean;
  /** Other spellings. @default [] */
  aliases?: readonly string[];
  /** Method-specific result fields from the solver's result (not called after an abort). */
  extras?: (sol: SolverResult) => Record<string, unknown>;
}

/** A registry entry for a solver that takes `lower`/`upper` bounds on the user's values. */
export function nativeBoundsMethod(
  name: string,
  optionKeys: readonly string[],
  solve: (
    f: ScalarFunction,
    x0: Float64Array,
    lower: Float64Array,
    upper: Float64Array,
    maxfev: number,
    // deno-lint-ignore no-explicit-any
    opts: Readonly<Record<string, any>>,
    ctx: MethodContext,
  ) => SolverResult,
  spec: NativeBoundsSpec = {},
): MethodEntry {
  return defineMethod({
    name,
    aliases: spec.aliases ?? [],
    kind: spec.kind ?? "local",
    optionKeys,
    space: "external",
    usesReduceFcn: true,
    gradientSafeStart: false,
    needsFiniteBounds: spec.finiteBounds ?? false,
    maxNfevPerParam: spec.budget ?? 2000,
    run: (ctx) => {
      const sol = guarded(
        ctx,
        () =>
          solve(
            ctx.objective.scalar,
            ctx.x0,
            ctx.fit.mins,
            ctx.fit.maxs,
            ctx.maxNfev!,
            ctx.options,
            ctx,
          ),
      );
      const out = outcomeOf(
        sol,
        { kind: "hessian" },
        sol.aborted ? undefined : {
          // The local ones are scipy.optimize.minimize's in lmfit, which copies fun and x.
          ...((spec.kind ?? "local") === "local" ? scipyFields(ctx, sol, "external") : {}),
          ...spec.extras?.(sol),
        },
      );
      // A solver that stopped early (a failed line search) on the bounds' optimum: the verdict
      // comes from the projected gradient (KKT for a box), not from how the search ended.
      const budget = ctx.maxNfev! - ctx.objective.nfev;
      if (out.success || out.aborted || budget < 2 * sol.x.length + 1) return out;
      const pg = projectedGradientNorm(ctx.objective.scalar, sol.x, ctx.fit.mins, ctx.fit.maxs);
      if (!(pg <= 1e-5)) return out;
      return {
        ...out,
        success: true,
        message: `${out.message} (but the projected gradient is zero there: an optimum)`,
      };
    },
  });
}

/** L-BFGS-B (`lbfgsb`). */
export const LBFGSB: MethodEntry = nativeBoundsMethod(
  "lbfgsb",
  methodKeys<LbfgsbMethodOptions>({ m: true, ftol: true, gtol: true, maxiter: true, Dfun: true }),
  (f, x0, lower, upper, maxfev, o, ctx) =>
    lbfgsb(f, x0, {
      lower,
      upper,
      maxfev,
      m: o.m,
      ftol: o.ftol,
      gtol: o.gtol,
      maxiter: o.maxiter,
      grad: optionGradient(ctx, false),
    }),
  { aliases: ["l-bfgs-b", "l-bfgsb", "lbfgs", "l-bfgs"] },
);

/** Truncated Newton (`tnc`). */
export const TNC: MethodEntry = nativeBoundsMethod(
  "tnc",
  methodKeys<TncMethodOptions>({ ftol: true, xtol: true, pgtol: true, maxiter: true, Dfun: true }),
  (f, x0, lower, upper, maxfev, o, ctx) =>
    tnc(f, x0, {
      lower,
      upper,
      maxfev,
      ftol: o.ftol,
      xtol: o.xtol,
      pgtol: o.pgtol,
      maxiter: o.maxiter,
      grad: optionGradient(ctx, false),
    }),
);

/** Sequential least-squares programming (`slsqp`). */
export const SLSQP: MethodEntry = nativeBoundsMethod(
  "slsqp",
  methodKeys<SlsqpMethodOptions>({ ftol: true, maxiter: true, Dfun: true }),
  (f, x0, lower, upper, maxfev, o, ctx) =>
    slsqp(f, x0, {
      lower,
      upper,
      maxfev,
      ftol: o.ftol,
      maxiter: o.maxiter,
      grad: optionGradient(ctx, false),
    }),
);

/** COBYLA (`cobyla`). */
export const COBYLA: MethodEntry = nativeBoundsMethod(
  "cobyla",
  methodKeys<CobylaMethodOptions>({ rhobeg: true, rhoend: true }),
  (f, x0, lower, upper, maxfev, o) =>
    cobyla(f, x0, { lower, upper, maxfev, rhobeg: o.rhobeg, rhoend: o.rhoend }),
);

/** Trust-region constrained (`trust-constr`). */
export const TRUST_CONSTR: MethodEntry = nativeBoundsMethod(
  "trust-constr",
  methodKeys<TrustConstrMethodOptions>({ gtol: true, xtol: true, maxiter: true, Dfun: true }),
  (f, x0, lower, upper, maxfev, o, ctx) =>
    trustConstr(f, x0, {
      lower,
      upper,
      maxfev,
      gtol: o.gtol,
      xtol: o.xtol,
      maxiter: o.maxiter,
      grad: optionGradient(ctx, false),
    }),
  { aliases: ["trust_constr"] },
);

/**
 * The largest relative projected-gradient component of `f` at `x` in the box: for each variable,
 * |∂f/∂x_j|·max(1, |x_j|)/max(|f|, tiny), with a component that points out of the box at an
 * active bound counted as 0 (the optimality conditions of a box). Central differences inside the
 * box, one-sided at a bound; costs 1 + 2n evaluations.
 */
export function projectedGradientNorm(
  f: ScalarFunction,
  x: Float64Array,
  lower: Float64Array,
  upper: Float64Array,
): number {
  const n = x.length;
  const p = Float64Array.from(x);
  const f0 = f(p);
  if (!Number.isFinite(f0)) return Infinity;
  let worst = 0;
  for (let j = 0; j < n; j++) {
    const xj = x[j];
    const h = 1e-7 * Math.max(1, Math.abs(xj));
    const up = Math.min(upper[j], xj + h), down = Math.max(lower[j], xj - h);
    p[j] = up;
    const fp = up > xj ? f(p) : f0;
    p[j] = down;
    const fm = down < xj ? f(p) : f0;
    p[j] = xj;
    const span = up - down;
    if (!(span > 0) || !Number.isFinite(fp) || !Number.isFinite(fm)) return Infinity;
    let g = (fp - fm) / span;
    if (up === xj && g < 0) g = 0; // at the upper bound, pushing outward: active
    if (down === xj && g > 0) g = 0; // at the lower bound, pushing outward: active
    worst = Math.max(
      worst,
      Math.abs(g) * Math.max(1, Math.abs(xj)) / Math.max(Math.abs(f0), 1e-300),
    );
  }
  return worst;
}
