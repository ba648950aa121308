/**
 * `brute`: the objective on a grid over each varied parameter's range (its bounds with `Ns`
 * points, or `bruteStep`), keeping the best `keep` candidates. No uncertainties, as lmfit.
 *
 * @module
 */

import { type BruteMethodOptions, methodKeys } from "./options.ts";
import { applyValues, type FitContext } from "../objective.ts";
import {
  brute,
  BRUTE_DEFAULTS,
  bruteAxis,
  type BruteCandidate,
  type BruteResult,
} from "../../solvers/brute.ts";
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

/**
 * lmfit's `brute_grid` (numpy's `mgrid`): for each varied parameter, its value at every grid
 * point, flat in C order (last parameter fastest), as `bruteJout` holds the objective there.
 */
function bruteGridOf(axes: Float64Array[]): Float64Array[] {
  const total = axes.reduce((p, a) => p * a.length, 1);
  return axes.map((axis, d) => {
    let inner = 1;
    for (let e = d + 1; e < axes.length; e++) inner *= axes[e].length;
    return Float64Array.from(
      { length: total },
      (_, k) => axis[Math.floor(k / inner) % axis.length],
    );
  });
}

/** Grid search (`brute`). */
export const BRUTE: MethodEntry = defineMethod({
  name: "brute",
  aliases: [],
  kind: "global",
  optionKeys: methodKeys<BruteMethodOptions>({ Ns: true, keep: true }),
  callDefaults: Object.freeze({ Ns: BRUTE_DEFAULTS.Ns, keep: BRUTE_DEFAULTS.keep }),
  space: "external",
  usesReduceFcn: true,
  gradientSafeStart: false,
  needsFiniteBounds: false,
  maxNfevPerParam: 200000,
  run: (ctx) => {
    const { fit, options: o } = ctx;
    const axes = bruteRanges(fit, o.Ns ?? BRUTE_DEFAULTS.Ns);
    if (typeof o.keep === "string" && o.keep !== "all") {
      throw new RangeError(`brute: keep must be a positive integer or "all", got "${o.keep}"`);
    }
    // lmfit's keep: "all": every grid point is a candidate.
    const keep = o.keep === "all" ? axes.reduce((p, a) => p * a.length, 1) : o.keep;
    const sol = guarded(ctx, () => brute(ctx.objective.scalar, axes, { keep, keepGrid: true }));
    const found = (sol as { candidates?: BruteCandidate[] }).candidates ?? [];
    // Each candidate is a copy of the parameters at the best point with its own values.
    applyValues(fit, sol.x);
    const candidates = found.map((c) => {
      const params = fit.params.copy();
      fit.varNames.forEach((name, k) => params.get(name)!.set({ value: c.x[k] }));
      return { params, score: c.fun };
    });
    // lmfit's show_candidates(candidate_nmb): "all", or a candidate number from 1.
    const showCandidates = (index: number | "all" = "all"): string => {
      if (
        index !== "all" && !(Number.isInteger(index) && index >= 1 && index <= candidates.length)
      ) {
        throw new RangeError(
          `showCandidates: the candidate number should be between 1 and ${candidates.length}, got ${index}`,
        );
      }
      const list = index === "all" ? candidates : [candidates[index - 1]];
      return list.map((c: { params: Parameters; score: number }, i: number) =>
        `Candidate #${index === "all" ? i + 1 : index}, chi-square = ${formatG(c.score, 6)}: ${
          Object.entries(c.params.valuesdict()).map(([k, v]) => `${k}=${formatG(v, 7)}`).join(", ")
        }`
      ).join("\n");
    };
    const grid = sol.aborted ? null : bruteGridOf(axes);
    return {
      ...outcomeOf(sol, { kind: "none" }, {
        bruteX0: sol.x,
        bruteFval: sol.fun,
        bruteGrid: grid,
        bruteJout: sol.aborted ? null : (sol as BruteResult).gridValues,
        candidates,
        showCandidates,
      }),
      // lmfit counts the grid points.
      nfev: sol.aborted ? undefined : sol.nfev,
    };
  },
});
