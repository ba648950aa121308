/**
 * The scalar and global fitting methods, by lmfit's names, adapted from the solvers in
 * `lib/solvers/` (which know nothing of Parameters) to the minimizer layer.
 *
 * Local methods work on the internal (bounds-transformed) variables, as lmfit's do. After any
 * of them, uncertainties come from a numerical Hessian H of chi-square in those variables
 * (central differences with Richardson extrapolation): covariance = 2·H⁻¹, mapped to user space
 * with the transform's derivative and scaled by reduced chi-square, as modern lmfit does with
 * numdifftools. `brute` reports no uncertainties (as lmfit); `emcee` takes them from the chain.
 *
 * @module
 */

import type { FitContext, ObjectiveAdapter } from "./objective.ts";
import { AbortFitError, externalValues, internalStart, transformGradient } from "./objective.ts";
import type { Minimizer } from "./minimizer.ts";
import { MinimizerResult } from "./result.ts";
import type { ScalarFunction, SolverResult } from "./solvers/types.ts";
import { nelderMead } from "./solvers/nelder_mead.ts";
import { powell } from "./solvers/powell.ts";
import { bfgs } from "./solvers/bfgs.ts";
import { conjugateGradient } from "./solvers/conjugate_gradient.ts";
import { newtonCG } from "./solvers/newton_cg.ts";
import { dualAnnealing } from "./solvers/dual_annealing.ts";
import { leastSquares } from "./solvers/least_squares.ts";
import { covarianceFromJacobian } from "./linalg/covariance.ts";
import { brute, bruteAxis, type BruteCandidate } from "./solvers/brute.ts";
import { differentialEvolution } from "./solvers/differential_evolution.ts";
import { basinhopping } from "./solvers/basinhopping.ts";
import { lbfgsb } from "./solvers/lbfgsb.ts";
import { tnc } from "./solvers/tnc.ts";
import { slsqp } from "./solvers/slsqp.ts";
import { cobyla } from "./solvers/cobyla.ts";
import { trustConstr } from "./solvers/trust_constr.ts";
import { ampgo } from "./solvers/ampgo.ts";
import { shgo } from "./solvers/shgo.ts";
import { columnQuantile, emceeSample } from "./solvers/emcee.ts";
import { numericalHessian } from "./linalg/hessian.ts";
import { applyCovariance } from "./uncertainty.ts";
import { formatG } from "./format.ts";

/** Name of the noise parameter `emcee` adds for unweighted residuals (as lmfit). */
const LNSIGMA = "__lnsigma";
const LN_2PI = Math.log(2 * Math.PI);

/**
 * A method adapter: runs one method on a prepared fit and returns the finished result.
 *
 * @example
 * ```ts
 * import { Minimizer, Parameters } from "../mod.ts";
 * import { type MethodRunner, SCALAR_METHODS } from "./scalar_methods.ts";
 * const params = new Parameters();
 * params.add("a", { value: 0 });
 * const fitter = new Minimizer((p) => [p.get("a")!.value - 3], params);
 * const run: MethodRunner = SCALAR_METHODS.powell;
 * const result = run(fitter, fitter.prepareFit(), {});
 * result.params.get("a")!.value; // ≈ 3
 * ```
 *
 * @category Fitting
 */
export type MethodRunner = (
  minimizer: Minimizer,
  ctx: FitContext,
  // deno-lint-ignore no-explicit-any
  options: Record<string, any>,
) => MinimizerResult;

/** Cholesky inverse of a symmetric positive-definite n×n matrix (row-major); null if not PD. */
function invertSpd(a: Float64Array, n: number): Float64Array | null {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      if (i === j) {
        if (!(s > 0)) return null;
        L[i * n + i] = Math.sqrt(s);
      } else L[i * n + j] = s / L[j * n + j];
    }
  }
  // inv(L) then inv(A) = inv(L)ᵀ inv(L)
  const Li = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    Li[i * n + i] = 1 / L[i * n + i];
    for (let j = 0; j < i; j++) {
      let s = 0;
      for (let k = j; k < i; k++) s -= L[i * n + k] * Li[k * n + j];
      Li[i * n + j] = s / L[i * n + i];
    }
  }
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < n; k++) s += Li[k * n + i] * Li[k * n + j];
      inv[i * n + j] = s;
      inv[j * n + i] = s;
    }
  }
  return inv;
}

/** The scalar objective for a method: chi-square (or the reduced value) of the adapter. */
function scalarOf(adapter: ObjectiveAdapter): ScalarFunction {
  return adapter.scalar;
}

/** Runs a solver with abort handling; returns the solver result or the best point so far. */
function guarded(
  adapter: ObjectiveAdapter,
  run: () => SolverResult,
  start: Float64Array,
): SolverResult & { abortedByCb?: boolean } {
  try {
    return run();
  } catch (e) {
    if (!(e instanceof AbortFitError)) throw e;
    const x = Number.isNaN(adapter.bestX[0] ?? NaN) ? start : Float64Array.from(adapter.bestX);
    return {
      x,
      fun: adapter.bestChisqr,
      success: false,
      status: -1,
      message: "Fit aborted by user callback.",
      nfev: adapter.nfev,
      njev: 0,
      nit: 0,
      aborted: true,
    };
  }
}

/** Residual length: evaluates once at the start (tracked by the callback like any evaluation). */
function ndataOf(minimizer: Minimizer, adapter: ObjectiveAdapter, x: Float64Array): number {
  const r = adapter.evaluate(x, true);
  void minimizer;
  return typeof r === "number" ? 1 : r.length;
}

/** Turns a solver answer into the result: values, statistics, uncertainties from the Hessian. */
function finish(
  minimizer: Minimizer,
  ctx: FitContext,
  adapter: ObjectiveAdapter,
  method: string,
  sol: SolverResult,
  internal: boolean,
  m: number,
  hessian: boolean,
): MinimizerResult {
  const result = new MinimizerResult(ctx.params, method);
  result.success = sol.success && !sol.aborted;
  result.aborted = sol.aborted;
  result.ier = sol.status;
  result.message = sol.aborted ? "Fit aborted by user callback." : sol.message;
  result.nit = sol.nit;
  minimizer.finishResult(result, ctx, adapter, sol.x, m);
  result.nfev = adapter.nfev;
  if (sol.aborted) return result;
  if (!hessian || !(minimizer.options.calcCovar ?? true)) {
    result.uncertaintyMethod = hessian
      ? "none: calcCovar is false"
      : `none: ${method} does not estimate uncertainties`;
    return result;
  }
  const xInt = internal ? Float64Array.from(sol.x) : internalStart(ctx, sol.x);
  const n = xInt.length;
  const f = (xi: Float64Array) => adapter.scalar(xi);
  // The Hessian is taken in internal variables: the adapter must see internal vectors.
  let H: Float64Array;
  try {
    const hAdapter = internal ? f : (xi: Float64Array) => adapter.scalar(externalValues(ctx, xi));
    H = numericalHessian(hAdapter, xInt).hessian;
  } catch (e) {
    if (e instanceof AbortFitError) return result;
    throw e;
  }
  const covInt = invertSpd(H, n);
  if (!covInt) {
    minimizer.finishResult(result, ctx, adapter, sol.x, m);
    result.nfev = adapter.nfev;
    minimizer.setCovariance(result, ctx, null, "hessian");
    result.uncertaintyMethod =
      "none: the Hessian of chi-square at the solution is not positive definite";
    return result;
  }
  const g = transformGradient(ctx, xInt);
  const cov = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) cov[i * n + j] = 2 * covInt[i * n + j] * g[i] * g[j];
  }
  // The Hessian probes moved the parameters: restore the best point before propagating errors.
  minimizer.finishResult(result, ctx, adapter, sol.x, m);
  result.nfev = adapter.nfev;
  minimizer.setCovariance(result, ctx, cov, "hessian");
  return result;
}

function maxNfev(minimizer: Minimizer, n: number, fallback: number): number {
  return minimizer.options.maxNfev ?? fallback * (n + 1);
}

function reduceFor(minimizer: Minimizer): ((r: Float64Array) => number) | undefined {
  const rf = minimizer.options.reduceFcn;
  if (!rf || rf === "sum") return undefined;
  if (typeof rf === "function") return rf;
  if (rf === "negentropy") {
    return (r) => {
      let s = 0;
      for (let i = 0; i < r.length; i++) {
        const rho = Math.exp((-r[i] * r[i]) / 2) / Math.sqrt(2 * Math.PI);
        s += rho * Math.log(rho);
      }
      return s;
    };
  }
  if (rf === "neglogcauchy") {
    return (r) => {
      let s = 0;
      for (let i = 0; i < r.length; i++) s -= Math.log(1 / (Math.PI * (1 + r[i] * r[i])));
      return s;
    };
  }
  throw new RangeError(
    `reduceFcn must be "sum", "negentropy", "neglogcauchy" or a function, got "${rf}"`,
  );
}

/** Local methods on the internal variables. */
/**
 * Starting internal values for gradient methods: a parameter starting exactly at a bound sits at
 * the stationary point of its sine transform, where the gradient vanishes and a gradient method
 * could never move it; such values are moved a little inside.
 */
function gradientSafeStart(ctx: FitContext): Float64Array {
  const x0 = internalStart(ctx);
  const g = transformGradient(ctx, x0);
  for (let k = 0; k < x0.length; k++) {
    if (ctx.bounded[k] && Math.abs(g[k]) < 1e-8) {
      x0[k] += x0[k] < 0 || Object.is(x0[k], -0) ? 1e-3 : x0[k] > 0 ? -1e-3 : 1e-3;
    }
  }
  return x0;
}

function localMethod(
  method: string,
  solve: (
    f: ScalarFunction,
    x0: Float64Array,
    maxfev: number,
    opts: Record<string, number | undefined>,
  ) => SolverResult,
  gradient = false,
  budget = 2000,
): MethodRunner {
  return (minimizer, ctx, options) => {
    const adapter = minimizer.makeAdapter(ctx, true, reduceFor(minimizer));
    const x0 = gradient ? gradientSafeStart(ctx) : internalStart(ctx);
    const m = ndataOf(minimizer, adapter, x0);
    const n = x0.length;
    const sol = guarded(
      adapter,
      () => solve(scalarOf(adapter), x0, maxNfev(minimizer, n, budget), options),
      x0,
    );
    return finish(minimizer, ctx, adapter, method, sol, true, m, true);
  };
}

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
      return bruteAxis(v - half * step, v + half * step + step / 2, { step });
    }
    throw new RangeError(
      `brute: parameter '${name}' needs finite min and max, or a bruteStep (params.get('${name}').set({ bruteStep: ... }))`,
    );
  });
}

/** Dual annealing (and the seeds' `anneal`, which modern lmfit maps to it). */
function dualAnnealingMethod(name: string): MethodRunner {
  return (minimizer, ctx, options) => {
    requireFiniteBounds(ctx, name);
    const adapter = minimizer.makeAdapter(ctx, false, reduceFor(minimizer));
    const m = ndataOf(minimizer, adapter, ctx.initValues);
    const sol = guarded(adapter, () =>
      dualAnnealing(adapter.scalar, ctx.initValues, {
        lower: ctx.mins,
        upper: ctx.maxs,
        seed: options.seed,
        maxiter: options.maxiter ?? 1000,
        maxfev: maxNfev(minimizer, ctx.varNames.length, 200000),
        initialTemp: options.initialTemp,
        restartTempRatio: options.restartTempRatio,
        visit: options.visit,
        accept: options.accept,
        noLocalSearch: options.noLocalSearch,
      }), ctx.initValues);
    return finish(minimizer, ctx, adapter, name, sol, false, m, true);
  };
}

/**
 * Methods that honour bounds natively (L-BFGS-B, TNC, SLSQP, COBYLA, trust-constr, AMPGO,
 * SHGO): the solver works on the user's values with `lower`/`upper` from the parameters, no
 * transform. Uncertainties still come from the Hessian (in the internal variables, as lmfit).
 */
function nativeBoundsMethod(
  method: string,
  solve: (
    f: ScalarFunction,
    x0: Float64Array,
    lower: Float64Array,
    upper: Float64Array,
    maxfev: number,
    // deno-lint-ignore no-explicit-any
    opts: Record<string, any>,
  ) => SolverResult,
  budget = 2000,
  finiteBounds = false,
): MethodRunner {
  return (minimizer, ctx, options) => {
    if (finiteBounds) requireFiniteBounds(ctx, method);
    const adapter = minimizer.makeAdapter(ctx, false, reduceFor(minimizer));
    const x0 = Float64Array.from(ctx.initValues);
    const m = ndataOf(minimizer, adapter, x0);
    const n = x0.length;
    const sol = guarded(
      adapter,
      () => solve(adapter.scalar, x0, ctx.mins, ctx.maxs, maxNfev(minimizer, n, budget), options),
      x0,
    );
    return finish(minimizer, ctx, adapter, method, sol, false, m, true);
  };
}

function requireFiniteBounds(ctx: FitContext, method: string): void {
  for (let k = 0; k < ctx.varNames.length; k++) {
    if (!Number.isFinite(ctx.mins[k]) || !Number.isFinite(ctx.maxs[k])) {
      throw new RangeError(
        `${method} needs finite bounds for every varied parameter; '${ctx.varNames[k]}' has [${
          ctx.mins[k]
        }, ${ctx.maxs[k]}]`,
      );
    }
  }
}

/**
 * Every scalar/global method name that `minimize` accepts besides `leastsq`.
 *
 * @example
 * ```ts
 * import { SCALAR_METHODS } from "./scalar_methods.ts";
 * "nelder" in SCALAR_METHODS; // true
 * "leastsq" in SCALAR_METHODS; // false: leastsq is the Minimizer's own method
 * Object.keys(SCALAR_METHODS).length > 10; // true
 * ```
 *
 * @category Fitting
 */
export const SCALAR_METHODS: Readonly<Record<string, MethodRunner>> = Object.freeze({
  nelder: localMethod(
    "nelder",
    (f, x0, maxfev, o) => nelderMead(f, x0, { maxfev, xatol: o.xatol, fatol: o.fatol }),
  ),
  powell: localMethod(
    "powell",
    (f, x0, maxfev, o) => powell(f, x0, { maxfev, ftol: o.ftol, xtol: o.xtol }),
  ),
  bfgs: localMethod("bfgs", (f, x0, maxfev, o) => bfgs(f, x0, { maxfev, gtol: o.gtol }), true),
  // Nonlinear CG converges slowly on strongly correlated problems (459 iterations on the
  // two-exponential example): its default budget is 10000·(n+1) evaluations, not 2000·(n+1).
  cg: localMethod(
    "cg",
    (f, x0, maxfev, o) => conjugateGradient(f, x0, { maxfev, gtol: o.gtol }),
    true,
    10000,
  ),
  newton: localMethod(
    "newton",
    (f, x0, maxfev, o) => newtonCG(f, x0, { maxfev, gtol: o.gtol }),
    true,
  ),
  basinhopping: (minimizer, ctx, options) => {
    const adapter = minimizer.makeAdapter(ctx, true, reduceFor(minimizer));
    const x0 = internalStart(ctx);
    const m = ndataOf(minimizer, adapter, x0);
    const sol = guarded(
      adapter,
      () =>
        basinhopping(adapter.scalar, x0, {
          niter: options.niter,
          T: options.T,
          stepsize: options.stepsize,
          interval: options.interval,
          niterSuccess: options.niterSuccess,
          maxfev: maxNfev(minimizer, x0.length, 200000),
          seed: options.seed,
        }),
      x0,
    );
    return finish(minimizer, ctx, adapter, "basinhopping", sol, true, m, true);
  },
  differential_evolution: (minimizer, ctx, options) => {
    for (let k = 0; k < ctx.varNames.length; k++) {
      if (!Number.isFinite(ctx.mins[k]) || !Number.isFinite(ctx.maxs[k])) {
        throw new RangeError(
          `differential_evolution needs finite bounds for every varied parameter; '${
            ctx.varNames[k]
          }' has [${ctx.mins[k]}, ${ctx.maxs[k]}]`,
        );
      }
    }
    const adapter = minimizer.makeAdapter(ctx, false, reduceFor(minimizer));
    const m = ndataOf(minimizer, adapter, ctx.initValues);
    const internalF = (xi: Float64Array) => adapter.scalar(externalValues(ctx, xi));
    const sol = guarded(adapter, () =>
      differentialEvolution(adapter.scalar, ctx.mins, ctx.maxs, {
        seed: options.seed,
        popsize: options.popsize,
        tol: options.tol,
        maxiter: options.maxiter,
        // lmfit runs differential_evolution through scalar_minimize: 2000·(n+1) evaluations.
        maxfev: maxNfev(minimizer, ctx.varNames.length, 2000),
        polish: options.polish === false ? undefined : (x) => {
          // Polish within the bounds through the transform.
          const r = nelderMead(internalF, internalStart(ctx, x), { restarts: 1 });
          return { x: externalValues(ctx, r.x), fun: r.fun, nfev: r.nfev };
        },
      }), ctx.initValues);
    return finish(minimizer, ctx, adapter, "differential_evolution", sol, false, m, true);
  },
  least_squares: (minimizer, ctx, options) => {
    // Trust-region reflective with native bounds, on the user's values (no transform).
    const adapter = minimizer.makeAdapter(ctx, false);
    const m = ndataOf(minimizer, adapter, ctx.initValues);
    const n = ctx.varNames.length;
    if (m < n) {
      throw new RangeError(
        `least_squares needs at least as many residuals (${m}) as varied parameters (${n})`,
      );
    }
    let jac: Float64Array | null = null;
    const sol = guarded(adapter, () => {
      const r = leastSquares(adapter.residual, ctx.initValues, m, {
        lower: ctx.mins,
        upper: ctx.maxs,
        loss: options.loss,
        fScale: options.fScale,
        xScale: options.xScale,
        ftol: options.ftol,
        xtol: options.xtol,
        gtol: options.gtol,
        maxfev: options.maxNfev ?? minimizer.options.maxNfev,
      });
      jac = r.jac;
      return r;
    }, ctx.initValues);
    const result = finish(minimizer, ctx, adapter, "least_squares", sol, false, m, false);
    if (!sol.aborted && jac && (minimizer.options.calcCovar ?? true)) {
      minimizer.setCovariance(result, ctx, covarianceFromJacobian(jac, m, n), "jacobian");
    }
    return result;
  },
  lbfgsb: nativeBoundsMethod(
    "lbfgsb",
    (f, x0, lower, upper, maxfev, o) =>
      lbfgsb(f, x0, { lower, upper, maxfev, m: o.m, ftol: o.ftol, gtol: o.gtol }),
  ),
  tnc: nativeBoundsMethod(
    "tnc",
    (f, x0, lower, upper, maxfev, o) =>
      tnc(f, x0, { lower, upper, maxfev, ftol: o.ftol, xtol: o.xtol, pgtol: o.pgtol }),
  ),
  slsqp: nativeBoundsMethod(
    "slsqp",
    (f, x0, lower, upper, maxfev, o) =>
      slsqp(f, x0, { lower, upper, maxfev, ftol: o.ftol, maxiter: o.maxiter }),
  ),
  cobyla: nativeBoundsMethod(
    "cobyla",
    (f, x0, lower, upper, maxfev, o) =>
      cobyla(f, x0, { lower, upper, maxfev, rhobeg: o.rhobeg, rhoend: o.rhoend }),
  ),
  "trust-constr": nativeBoundsMethod(
    "trust-constr",
    (f, x0, lower, upper, maxfev, o) =>
      trustConstr(f, x0, { lower, upper, maxfev, gtol: o.gtol, xtol: o.xtol }),
  ),
  ampgo: nativeBoundsMethod(
    "ampgo",
    (f, x0, lower, upper, maxfev, o) =>
      ampgo(f, x0, {
        lower,
        upper,
        maxfev,
        totaliter: o.totaliter,
        maxiter: o.maxiter,
        glbtol: o.glbtol,
        eps1: o.eps1,
        eps2: o.eps2,
        tabulistsize: o.tabulistsize,
        tabustrategy: o.tabustrategy,
        seed: o.seed,
      }),
    200000,
  ),
  shgo: nativeBoundsMethod(
    "shgo",
    (f, x0, lower, upper, maxfev, o) =>
      shgo(f, x0, {
        lower,
        upper,
        maxfev,
        n: o.n,
        iters: o.iters,
        samplingMethod: o.samplingMethod ?? o.sampling_method,
      }),
    200000,
    true,
  ),
  dual_annealing: dualAnnealingMethod("dual_annealing"),
  anneal: dualAnnealingMethod("anneal"),
  brute: (minimizer, ctx, options) => {
    const adapter = minimizer.makeAdapter(ctx, false, reduceFor(minimizer));
    const m = ndataOf(minimizer, adapter, ctx.initValues);
    const axes = bruteRanges(ctx, options.Ns ?? 20);
    const sol = guarded(
      adapter,
      () => brute(adapter.scalar, axes, { keep: options.keep ?? 50 }),
      ctx.initValues,
    );
    const result = finish(minimizer, ctx, adapter, "brute", sol, false, m, false);
    const cands = (sol as { candidates?: BruteCandidate[] }).candidates ?? [];
    result.brute_x0 = sol.x;
    result.brute_fval = sol.fun;
    result.candidates = cands.map((c) => {
      const params = ctx.params.copy();
      ctx.varNames.forEach((name, k) => params.get(name)!.set({ value: c.x[k] }));
      return { params, score: c.fun };
    });
    result.showCandidates = (index?: number): string => {
      const list = index === undefined ? result.candidates : [result.candidates[index]];
      return list.map((
        c: { params: { valuesdict(): Record<string, number> }; score: number },
        i: number,
      ) =>
        `Candidate #${index ?? i + 1}, chi-square = ${formatG(c.score, 6)}: ${
          Object.entries(c.params.valuesdict()).map(([k, v]) => `${k}=${formatG(v, 7)}`).join(", ")
        }`
      ).join("\n");
    };
    return result;
  },
  emcee: (minimizer, ctxIn, options) => {
    const isWeighted = options.isWeighted ?? true;
    let ctx = ctxIn;
    let adapter = minimizer.makeAdapter(ctx, false);
    const m = ndataOf(minimizer, adapter, ctx.initValues);
    if (!isWeighted && m > 1 && !ctx.params.has(LNSIGMA)) {
      // Unweighted residuals: sample the noise level too, as lmfit does, through an added
      // parameter `__lnsigma` (ln of a constant data uncertainty) that starts at 0.01.
      const withNoise = ctx.params.copy();
      withNoise.add(LNSIGMA, { value: 0.01 });
      ctx = minimizer.prepareFit(withNoise);
      adapter = minimizer.makeAdapter(ctx, false);
    }
    const n = ctx.varNames.length;
    const noiseAt = isWeighted || m <= 1 ? -1 : ctx.varNames.indexOf(LNSIGMA);
    const r = new Float64Array(m);
    const lnprob = (x: Float64Array): number => {
      for (let k = 0; k < n; k++) if (x[k] < ctx.mins[k] || x[k] > ctx.maxs[k]) return -Infinity;
      if (noiseAt < 0) return -0.5 * adapter.scalar(x);
      // Gaussian likelihood with σ = exp(__lnsigma): −½ Σ (r/σ)² + ln(2π) + 2 ln σ.
      adapter.residual(x, r);
      const lnsigma = x[noiseAt];
      const inv = Math.exp(-2 * lnsigma);
      let s = 0;
      for (let i = 0; i < r.length; i++) s += r[i] * r[i] * inv;
      return -0.5 * (s + r.length * (LN_2PI + 2 * lnsigma));
    };
    const run = () => {
      const s = emceeSample(lnprob, ctx.initValues, {
        nwalkers: options.nwalkers,
        steps: options.steps,
        burn: options.burn,
        thin: options.thin,
        seed: options.seed,
      });
      return s;
    };
    let sample: ReturnType<typeof emceeSample>;
    try {
      sample = run();
    } catch (e) {
      if (!(e instanceof AbortFitError)) throw e;
      const r = new MinimizerResult(ctx.params, "emcee");
      r.aborted = true;
      r.message = "Fit aborted by user callback.";
      minimizer.finishResult(r, ctx, adapter, ctx.initValues, m);
      return r;
    }
    const med = Float64Array.from(
      { length: n },
      (_, d) => columnQuantile(sample.flatchain, n, d, 0.5),
    );
    const sol: SolverResult = {
      x: med,
      fun: NaN,
      success: true,
      status: 0,
      message: "Sampling completed.",
      nfev: sample.nfev,
      njev: 0,
      nit: sample.nsteps,
      aborted: false,
    };
    const result = finish(minimizer, ctx, adapter, "emcee", sol, false, m, false);
    if (noiseAt >= 0) {
      // Statistics of the residual weighted by the sampled noise level, as lmfit reports them.
      const sigma = Math.exp(med[noiseAt]);
      for (let i = 0; i < result.residual.length; i++) result.residual[i] /= sigma;
      result.calculateStatistics(false);
    }
    // Values are posterior medians; stderr half the 15.87–84.13 percentile range; correlations
    // from the sample covariance.
    const rows = sample.flatchain.length / n;
    const mean = new Float64Array(n);
    for (let i = 0; i < rows; i++) {
      for (let d = 0; d < n; d++) mean[d] += sample.flatchain[i * n + d] / rows;
    }
    const cov = new Float64Array(n * n);
    for (let i = 0; i < rows; i++) {
      for (let a = 0; a < n; a++) {
        for (let b = 0; b < n; b++) {
          cov[a * n + b] += (sample.flatchain[i * n + a] - mean[a]) *
            (sample.flatchain[i * n + b] - mean[b]) / (rows - 1);
        }
      }
    }
    applyCovariance(ctx.params, ctx.varNames, cov);
    ctx.varNames.forEach((name, d) => {
      const q1 = columnQuantile(sample.flatchain, n, d, 0.15865),
        q2 = columnQuantile(sample.flatchain, n, d, 0.84135);
      ctx.params.get(name)!.stderr = (q2 - q1) / 2;
    });
    result.covar = Array.from({ length: n }, (_, i) => Array.from(cov.subarray(i * n, i * n + n)));
    result.errorbars = true;
    result.uncertaintyMethod = "emcee";
    result.chain = sample.chain;
    result.flatchain = sample.flatchain;
    result.lnprob = sample.lnprob;
    result.acceptanceFraction = sample.acceptanceFraction;
    result.nwalkers = sample.nwalkers;
    result.nsteps = sample.nsteps;
    return result;
  },
});

/**
 * Other spellings lmfit and scipy accept for the same methods (matched case-insensitively).
 *
 * @example
 * ```ts
 * import { METHOD_ALIASES } from "./scalar_methods.ts";
 * METHOD_ALIASES["l-bfgs-b"]; // "lbfgsb"
 * ```
 *
 * @category Fitting
 */
export const METHOD_ALIASES: Readonly<Record<string, string>> = Object.freeze({
  "nelder-mead": "nelder",
  "l-bfgs-b": "lbfgsb",
  "l-bfgsb": "lbfgsb",
  "newton-cg": "newton",
  "trust_constr": "trust-constr",
  "differential-evolution": "differential_evolution",
  "dual-annealing": "dual_annealing",
  "least-squares": "least_squares",
});

/**
 * The canonical method name for `method` (lower case, aliases resolved), or the lower-cased
 * name itself when it is not an alias.
 *
 * @example
 * ```ts
 * import { canonicalMethod } from "./scalar_methods.ts";
 * canonicalMethod("Nelder-Mead"); // "nelder"
 * canonicalMethod("L-BFGS-B"); // "lbfgsb"
 * canonicalMethod("powell"); // "powell": not an alias, returned lower-cased
 * ```
 *
 * @category Fitting
 */
export function canonicalMethod(method: string): string {
  const name = method.toLowerCase();
  return METHOD_ALIASES[name] ?? name;
}

/** Runs a scalar method by name. */
export function runScalarMethod(
  minimizer: Minimizer,
  ctx: FitContext,
  name: string,
  // deno-lint-ignore no-explicit-any
  options: Record<string, any>,
): MinimizerResult {
  const run = SCALAR_METHODS[name];
  if (!run) throw new RangeError(`unknown scalar method '${name}'`);
  return run(minimizer, ctx, options);
}
