/**
 * `brute`: the objective on a grid over each varied parameter's range (its bounds with `Ns`
 * points, or `bruteStep`), keeping the best `keep` candidates. No uncertainties, as lmfit.
 *
 * @module
 */

import { applyValues, type FitContext } from "../objective.ts";
import { brute, bruteAxis, type BruteCandidate } from "../../solvers/brute.ts";
import { formatG } from "../../util/format.ts";
import type { Parameters } from "../../parameters.ts";
import { defineMethod, guarded, outcomeOf } from "./_common.ts";
import type { MethodEntry } from "./types.ts";

function bruteRanges(ctx: FitContext, Ns: number): Float64Array[] {
  return ctx.varNames.map((name, k) => {
    const p = ctx.params.get(name)!;
    const lo = ctx.mins[k], hi = ctx.maxs[k], step = p.bruteStep;
    if (Number.isFinite(lo) && Number.isFinite(hi)) {
      return bruteAxis(lo, hi, step ? { step } : { Ns });
    }
    if (step) {
      if (Number.isFinite(lo)) return bruteAxis(lo, lo + Ns * step, { step });
      if (Number.isFinite(hi)) return bruteAxis(hi - Ns * step, hi, { step });
      const v = ctx.initValues[k], half = Math.floor(Ns / 2);
      // lmfit: arange(value − (Ns//2)·step, value + (Ns//2)·step, step), the end excluded.
      return bruteAxis(v - half * step, v + half * step, { step });
    }
    throw new RangeError(
      `brute: parameter '${name}' needs finite min and max, or a bruteStep (params.get('${name}').set({ bruteStep: ... }))`,
    );
  });
}

/** Grid search (`brute`). */
export const BRUTE: MethodEntry = defineMethod({
  name: "brute",
  aliases: [],
  kind: "global",
  optionKeys: ["Ns", "keep"],
  space: "external",
  usesReduceFcn: true,
  gradientSafeStart: false,
  needsFiniteBounds: false,
  maxNfevPerParam: null,
  run: (ctx) => {
    const { fit, options: o } = ctx;
    const axes = bruteRanges(fit, o.Ns ?? 20);
    const sol = guarded(ctx, () => brute(ctx.objective.scalar, axes, { keep: o.keep ?? 50 }));
    const found = (sol as { candidates?: BruteCandidate[] }).candidates ?? [];
    // Each candidate is a copy of the parameters at the best point with its own values.
    applyValues(fit, sol.x);
    const candidates = found.map((c) => {
      const params = fit.params.copy();
      fit.varNames.forEach((name, k) => params.get(name)!.set({ value: c.x[k] }));
      return { params, score: c.fun };
    });
    const showCandidates = (index?: number): string => {
      const list = index === undefined ? candidates : [candidates[index]];
      return list.map((c: { params: Parameters; score: number }, i: number) =>
        `Candidate #${index ?? i + 1}, chi-square = ${formatG(c.score, 6)}: ${
          Object.entries(c.params.valuesdict()).map(([k, v]) => `${k}=${formatG(v, 7)}`).join(", ")
        }`
      ).join("\n");
    };
    return {
      ...outcomeOf(sol, { kind: "none" }, {
        brute_x0: sol.x,
        brute_fval: sol.fun,
        candidates,
        showCandidates,
      }),
      // lmfit counts the grid points.
      nfev: sol.aborted ? undefined : sol.nfev,
    };
  },
});
