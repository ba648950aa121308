/**
 * Local methods that honour bounds natively (L-BFGS-B, TNC, SLSQP, COBYLA, trust-constr): the
 * solver works on the parameters' own values with `lower`/`upper` from their bounds, no
 * transform. Uncertainties still come from the Minimizer's Hessian (in internal variables, as
 * lmfit).
 *
 * @module
 */

import type { ScalarFunction, SolverResult } from "../../solvers/types.ts";
import { lbfgsb } from "../../solvers/lbfgsb.ts";
import { tnc } from "../../solvers/tnc.ts";
import { slsqp } from "../../solvers/slsqp.ts";
import { cobyla } from "../../solvers/cobyla.ts";
import { trustConstr } from "../../solvers/trust_constr.ts";
import { defineMethod, guarded, outcomeOf } from "./_common.ts";
import type { MethodEntry, MethodKind } from "./types.ts";

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
    run: (ctx) =>
      outcomeOf(
        guarded(
          ctx,
          () =>
            solve(
              ctx.objective.scalar,
              ctx.x0,
              ctx.fit.mins,
              ctx.fit.maxs,
              ctx.maxNfev!,
              ctx.options,
            ),
        ),
        { kind: "hessian" },
      ),
  });
}

/** L-BFGS-B (`lbfgsb`). */
export const LBFGSB: MethodEntry = nativeBoundsMethod(
  "lbfgsb",
  ["m", "ftol", "gtol"],
  (f, x0, lower, upper, maxfev, o) =>
    lbfgsb(f, x0, { lower, upper, maxfev, m: o.m, ftol: o.ftol, gtol: o.gtol }),
  { aliases: ["l-bfgs-b", "l-bfgsb"] },
);

/** Truncated Newton (`tnc`). */
export const TNC: MethodEntry = nativeBoundsMethod(
  "tnc",
  ["ftol", "xtol", "pgtol"],
  (f, x0, lower, upper, maxfev, o) =>
    tnc(f, x0, { lower, upper, maxfev, ftol: o.ftol, xtol: o.xtol, pgtol: o.pgtol }),
);

/** Sequential least-squares programming (`slsqp`). */
export const SLSQP: MethodEntry = nativeBoundsMethod(
  "slsqp",
  ["ftol", "maxiter"],
  (f, x0, lower, upper, maxfev, o) =>
    slsqp(f, x0, { lower, upper, maxfev, ftol: o.ftol, maxiter: o.maxiter }),
);

/** COBYLA (`cobyla`). */
export const COBYLA: MethodEntry = nativeBoundsMethod(
  "cobyla",
  ["rhobeg", "rhoend"],
  (f, x0, lower, upper, maxfev, o) =>
    cobyla(f, x0, { lower, upper, maxfev, rhobeg: o.rhobeg, rhoend: o.rhoend }),
);

/** Trust-region constrained (`trust-constr`). */
export const TRUST_CONSTR: MethodEntry = nativeBoundsMethod(
  "trust-constr",
  ["gtol", "xtol"],
  (f, x0, lower, upper, maxfev, o) =>
    trustConstr(f, x0, { lower, upper, maxfev, gtol: o.gtol, xtol: o.xtol }),
  { aliases: ["trust_constr"] },
);
