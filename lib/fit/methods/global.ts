/**
 * Global methods: basin-hopping (internal variables), differential evolution, dual annealing
 * (and the seeds' `anneal`, which modern lmfit maps to it), AMPGO and SHGO (the parameters' own
 * values within their bounds). Uncertainties come from the Minimizer's Hessian at the solution.
 *
 * @module
 */

import {
  type AmpgoMethodOptions,
  type BasinhoppingMethodOptions,
  type DifferentialEvolutionMethodOptions,
  type DualAnnealingMethodOptions,
  methodKeys,
  type ShgoMethodOptions,
} from "./options.ts";
import { externalValues, internalStart } from "../objective.ts";
import { basinhopping, BASINHOPPING_DEFAULTS as BH } from "../../solvers/basinhopping.ts";
import {
  DIFFERENTIAL_EVOLUTION_DEFAULTS as DE,
  differentialEvolution,
} from "../../solvers/differential_evolution.ts";
import { DUAL_ANNEALING_DEFAULTS as DA, dualAnnealing } from "../../solvers/dual_annealing.ts";
import { nelderMead } from "../../solvers/nelder_mead.ts";
import { ampgo, AMPGO_DEFAULTS as AG, AMPGO_SEARCH_KEYS } from "../../solvers/ampgo.ts";
import { shgo, SHGO_DEFAULTS } from "../../solvers/shgo.ts";
import { defineMethod, guarded, outcomeOf, scipyFields } from "./_common.ts";
import { localMinimizerFor, localMinimizerFromKwargs } from "./_local_minimizer.ts";
import type { AmpgoResult } from "../../solvers/ampgo.ts";
import type { ShgoResult } from "../../solvers/shgo.ts";
import { nativeBoundsMethod } from "./bounded.ts";
import type { MethodEntry } from "./types.ts";
import { checkOptions } from "../../util/options.ts";

/**
 * Whether differential evolution polishes its best member, unless told (lmfit's `polish=True`):
 * this method's own option, the solver takes a polish function or none.
 */
const DIFFERENTIAL_EVOLUTION_POLISH = true;

/**
 * AMPGO's local method, unless told, in lmfit's spelling: the solver's own bounded Nelder-Mead
 * (`localMinimizerFor` gives it for `localOpts` without `local`).
 */
const AMPGO_LOCAL = "Nelder-Mead";

/** Basin-hopping (`basinhopping`), on the internal variables. */
export const BASINHOPPING: MethodEntry = defineMethod({
  name: "basinhopping",
  aliases: [],
  kind: "global",
  optionKeys: methodKeys<BasinhoppingMethodOptions>({
    niter: true,
    T: true,
    stepsize: true,
    interval: true,
    niterSuccess: true,
    seed: true,
    minimizerKwargs: true,
    targetAcceptRate: true,
    stepwiseFactor: true,
  }),
  // The solver's defaults, in lmfit's names (the same ones); minimizerKwargs: none, the solver's
  // own local search.
  callDefaults: Object.freeze({
    niter: BH.niter,
    T: BH.T,
    stepsize: BH.stepsize,
    minimizerKwargs: null,
    interval: BH.interval,
    niterSuccess: BH.niterSuccess,
    seed: BH.seed,
    targetAcceptRate: BH.targetAcceptRate,
    stepwiseFactor: BH.stepwiseFactor,
  }),
  space: "internal",
  usesReduceFcn: true,
  gradientSafeStart: false,
  needsFiniteBounds: false,
  maxNfevPerParam: 200000,
  run: (ctx) => {
    const o = ctx.options;
    const localMinimizer = localMinimizerFromKwargs(
      o.minimizerKwargs,
      "basinhopping minimizerKwargs",
    );
    const sol = guarded(ctx, () =>
      basinhopping(ctx.objective.scalar, ctx.x0, {
        localMinimizer,
        niter: o.niter,
        T: o.T,
        stepsize: o.stepsize,
        interval: o.interval,
        niterSuccess: o.niterSuccess,
        targetAcceptRate: o.targetAcceptRate,
        stepwiseFactor: o.stepwiseFactor,
        maxfev: ctx.maxNfev,
        seed: o.seed,
      }));
    return outcomeOf(sol, { kind: "hessian" });
  },
});

/**
 * Differential evolution (`differential_evolution`) within finite bounds. lmfit runs it through
 * `scalar_minimize`, so its default budget is a local method's 2000·(n+1) evaluations.
 */
export const DIFFERENTIAL_EVOLUTION: MethodEntry = defineMethod({
  name: "differential_evolution",
  aliases: ["differential-evolution"],
  kind: "global",
  optionKeys: methodKeys<DifferentialEvolutionMethodOptions>({
    seed: true,
    popsize: true,
    tol: true,
    maxiter: true,
    polish: true,
  }),
  // The solver's defaults, in lmfit's names (the same ones); polish is this method's own option
  // (the solver takes a polish function).
  callDefaults: Object.freeze({
    seed: DE.seed,
    popsize: DE.popsize,
    tol: DE.tol,
    maxiter: DE.maxiter,
    polish: DIFFERENTIAL_EVOLUTION_POLISH,
  }),
  space: "external",
  usesReduceFcn: true,
  gradientSafeStart: false,
  needsFiniteBounds: true,
  maxNfevPerParam: 2000,
  run: (ctx) => {
    const { fit, objective, options: o } = ctx;
    const internalF = (xi: Float64Array) => objective.scalar(externalValues(fit, xi));
    const sol = guarded(ctx, () =>
      differentialEvolution(objective.scalar, fit.mins, fit.maxs, {
        seed: o.seed,
        popsize: o.popsize,
        tol: o.tol,
        maxiter: o.maxiter,
        maxfev: ctx.maxNfev,
        polish: (o.polish ?? DIFFERENTIAL_EVOLUTION_POLISH) === false ? undefined : (x) => {
          // Polish within the bounds through the transform.
          const r = nelderMead(internalF, internalStart(fit, x), { restarts: 1 });
          return { x: externalValues(fit, r.x), fun: r.fun, nfev: r.nfev };
        },
      }));
    return outcomeOf(sol, { kind: "hessian" }, scipyFields(ctx, sol, "external"));
  },
});

function dualAnnealingMethod(name: string, aliases: readonly string[]): MethodEntry {
  return defineMethod({
    name,
    aliases,
    kind: "global",
    optionKeys: methodKeys<DualAnnealingMethodOptions>({
      seed: true,
      maxiter: true,
      initialTemp: true,
      restartTempRatio: true,
      visit: true,
      accept: true,
      noLocalSearch: true,
      recordSearch: true,
      x0: true,
      minimizerKwargs: true,
    }),
    // The solver's defaults, in lmfit's names (the same ones); minimizerKwargs: none, the
    // solver's own local search; x0: none, a random start.
    callDefaults: Object.freeze({
      maxiter: DA.maxiter,
      minimizerKwargs: null,
      initialTemp: DA.initialTemp,
      restartTempRatio: DA.restartTempRatio,
      visit: DA.visit,
      accept: DA.accept,
      seed: DA.seed,
      noLocalSearch: DA.noLocalSearch,
      recordSearch: DA.recordSearch,
      x0: null,
    }),
    space: "external",
    usesReduceFcn: true,
    gradientSafeStart: false,
    needsFiniteBounds: true,
    maxNfevPerParam: 200000,
    run: (ctx) => {
      const { fit, options: o } = ctx;
      const sol = guarded(ctx, () =>
        // lmfit passes x0=None: a random start, unless `x0` is given.
        dualAnnealing(ctx.objective.scalar, o.x0 === undefined ? null : Float64Array.from(o.x0), {
          lower: fit.mins,
          upper: fit.maxs,
          seed: o.seed,
          maxiter: o.maxiter,
          maxfev: ctx.maxNfev,
          initialTemp: o.initialTemp,
          restartTempRatio: o.restartTempRatio,
          visit: o.visit,
          accept: o.accept,
          noLocalSearch: o.noLocalSearch,
          recordSearch: o.recordSearch,
          localMinimizer: localMinimizerFromKwargs(
            o.minimizerKwargs,
            `${name} minimizerKwargs`,
          ),
        }));
      return outcomeOf(sol, { kind: "hessian" });
    },
  });
}

/** Dual annealing (`dual_annealing`) within finite bounds. */
export const DUAL_ANNEALING: MethodEntry = dualAnnealingMethod("dual_annealing", [
  "dual-annealing",
]);

/** The seeds' `anneal`: modern lmfit runs dual annealing under this name. */
export const ANNEAL: MethodEntry = dualAnnealingMethod("anneal", []);

/**
 * Adaptive memory programming for global optimisation (`ampgo`). `local`/`localOpts` choose the
 * local minimiser (default: a bounded Nelder-Mead); `maxfunevals` is lmfit's budget of the
 * algorithm itself, a graceful stop (the hard limit is `maxNfev`).
 */
export const AMPGO: MethodEntry = defineMethod({
  ...nativeBoundsMethod(
    "ampgo",
    methodKeys<AmpgoMethodOptions>({
      ...AMPGO_SEARCH_KEYS,
      seed: true,
      local: true,
      localOpts: true,
      maxfunevals: true,
    }),
    (f, x0, lower, upper, maxfev, o) => {
      if (o.disp !== undefined && typeof o.disp !== "boolean") {
        throw new TypeError(`ampgo: disp must be true or false, got ${o.disp}`);
      }
      if (o.maxfunevals !== undefined && !(o.maxfunevals >= 1)) {
        throw new RangeError(`ampgo: maxfunevals must be a positive number, got ${o.maxfunevals}`);
      }
      const r: AmpgoResult = ampgo(f, x0, {
        lower,
        upper,
        maxfev: Math.min(maxfev, o.maxfunevals ?? Infinity),
        // As lmfit, the local searches print too with `disp`, unless `localOpts` say otherwise.
        localMinimizer: localMinimizerFor(
          o.local,
          o.disp === true ? { disp: true, ...o.localOpts } : o.localOpts,
          "ampgo local",
        ),
        totaliter: o.totaliter,
        maxiter: o.maxiter,
        glbtol: o.glbtol,
        eps1: o.eps1,
        eps2: o.eps2,
        tabulistsize: o.tabulistsize,
        tabustrategy: o.tabustrategy,
        seed: o.seed,
        disp: o.disp,
      });
      return r;
    },
    {
      kind: "global",
      budget: 200000,
      extras: (sol) => {
        const r = sol as AmpgoResult;
        return {
          ampgoX0: r.x,
          ampgoFval: r.fun,
          ampgoEval: r.nfev,
          ampgoMsg: r.message,
          ampgoTunnel: r.tunnel,
        };
      },
    },
  ),
  // The solver's defaults, in lmfit's names (the same ones); local, localOpts and maxfunevals
  // are this method's own (maxfunevals: none, only maxNfev limits).
  callDefaults: Object.freeze({
    local: AMPGO_LOCAL,
    localOpts: null,
    maxfunevals: null,
    totaliter: AG.totaliter,
    maxiter: AG.maxiter,
    glbtol: AG.glbtol,
    eps1: AG.eps1,
    eps2: AG.eps2,
    tabulistsize: AG.tabulistsize,
    tabustrategy: AG.tabustrategy,
    disp: AG.disp,
    seed: AG.seed,
  }),
  // lmfit: "ampgo, with L-BFGS-B as local solver", the local method as the user spelt it.
  label: (o) => `ampgo, with ${o.local ?? AMPGO_LOCAL} as local solver`,
});

/** Simplicial homology global optimisation (`shgo`) within finite bounds. */
export const SHGO: MethodEntry = defineMethod({
  ...nativeBoundsMethod(
    "shgo",
    methodKeys<ShgoMethodOptions>({
      n: true,
      iters: true,
      samplingMethod: true,
      minimizerKwargs: true,
      options: true,
    }),
    (f, x0, lower, upper, maxfev, o) => {
      const solverOptions: NonNullable<ShgoMethodOptions["options"]> = o.options ?? {};
      // scipy's shgo `options` dict: only the keys honoured here are accepted.
      checkOptions(solverOptions, ["disp"], "shgo options");
      if (solverOptions.disp !== undefined && typeof solverOptions.disp !== "boolean") {
        throw new TypeError(`shgo options: disp must be true or false, got ${solverOptions.disp}`);
      }
      return shgo(f, x0, {
        lower,
        upper,
        maxfev,
        n: o.n,
        iters: o.iters,
        samplingMethod: o.samplingMethod,
        localMinimizer: localMinimizerFromKwargs(o.minimizerKwargs, "shgo minimizerKwargs"),
        disp: solverOptions.disp,
      });
    },
    {
      kind: "global",
      budget: 200000,
      finiteBounds: true,
      extras: (sol) => {
        const r = sol as ShgoResult;
        return {
          shgoX: r.x,
          shgoFun: r.fun,
          shgoXl: r.xl,
          shgoFunl: r.funl,
          shgoNfev: r.nfev,
          shgoNit: r.nit,
          shgoNlfev: r.nlfev,
        };
      },
    },
  ),
  // The solver's defaults, in lmfit's names (the same ones). n: lmfit's None (scipy ≥ 1.7: the
  // sampler's default, SHGO_DEFAULTS.n); minimizerKwargs and options: none.
  callDefaults: Object.freeze({
    n: null,
    iters: SHGO_DEFAULTS.iters,
    minimizerKwargs: null,
    options: null,
    samplingMethod: SHGO_DEFAULTS.samplingMethod,
  }),
});
