/**
 * The local minimiser of a global method chosen by name with its options: basinhopping's and
 * shgo's `minimizerKwargs` (`{ method, options }`, as scipy's `minimizer_kwargs`) and AMPGO's
 * `local`/`localOpts`. Unknown names and option keys are errors naming the closest valid one.
 *
 * @module
 */

import type { LocalMinimizer } from "../../solvers/_global_local.ts";
import { boundedNelderMead } from "../../solvers/_global_local.ts";
import type { ScalarFunction, SolverResult } from "../../solvers/types.ts";
import { fromInternal, toInternal } from "../../solvers/bounds.ts";
import { lbfgsb } from "../../solvers/lbfgsb.ts";
import { tnc } from "../../solvers/tnc.ts";
import { slsqp } from "../../solvers/slsqp.ts";
import { cobyla } from "../../solvers/cobyla.ts";
import { powell } from "../../solvers/powell.ts";
import { bfgs } from "../../solvers/bfgs.ts";
import { conjugateGradient } from "../../solvers/conjugate_gradient.ts";
import { checkOptions, closestName } from "../../util/options.ts";
import type { MinimizerKwargs } from "./options.ts";

// deno-lint-ignore no-explicit-any
type Opts = Record<string, any>;
type Bounded = (
  f: ScalarFunction,
  x0: Float64Array,
  lo: Float64Array | undefined,
  hi: Float64Array | undefined,
  o: Opts,
) => SolverResult;

/** An unbounded solver run on the MINUIT-transformed variables when bounds are given. */
function viaTransform(
  solve: (f: ScalarFunction, x0: Float64Array, o: Opts) => SolverResult,
): Bounded {
  return (f, x0, lo, hi, o) => {
    if (!lo && !hi) return solve(f, Float64Array.from(x0), o);
    const n = x0.length;
    const l = lo ?? new Float64Array(n).fill(-Infinity);
    const h = hi ?? new Float64Array(n).fill(Infinity);
    const u0 = Float64Array.from(
      x0,
      (v, k) => toInternal(Math.min(h[k], Math.max(l[k], v)), l[k], h[k]),
    );
    const ext = new Float64Array(n);
    const g = (u: Float64Array) => {
      for (let k = 0; k < n; k++) ext[k] = fromInternal(u[k], l[k], h[k]);
      return f(ext);
    };
    const r = solve(g, u0, o);
    return { ...r, x: Float64Array.from(r.x, (u, k) => fromInternal(u, l[k], h[k])) };
  };
}

/**
 * The local methods and the options each accepts: our solver's own names, plus scipy's names
 * for the same thing (the options lmfit hands to `scipy.optimize.minimize`), mapped here in this
 * one table, so lmfit's `local_opts`/`minimizer_kwargs.options` carry over:
 *
 * | scipy option | our meaning |
 * |---|---|
 * | `maxiter` | iteration limit (COBYLA: scipy counts evaluations, so → `maxfev`) |
 * | `maxfev`, `maxfun` | evaluation limit (`maxfev`) |
 * | `maxcor` (L-BFGS-B) | corrections kept (`m`) |
 * | `gtol` (TNC) | projected-gradient tolerance (`pgtol`) |
 * | `tol` (COBYLA) | final trust-region radius (`rhoend`) |
 * | `disp` | `true`: after each local search, print scipy's summary (message, current function value, iterations, function evaluations) with `console.log` |
 *
 * Numbers must be numbers (counts: positive integers) and `disp`/`adaptive` booleans, else a
 * TypeError/RangeError naming the option, as scipy refuses `maxiter: "string"`.
 */
const LOCALS: Readonly<
  Record<string, { keys: readonly string[]; scipy?: Record<string, string>; run: Bounded }>
> = {
  nelder: {
    keys: ["xatol", "fatol", "restarts", "maxiter", "maxfev", "adaptive"],
    run: (f, x0, lo, hi, o) => boundedNelderMead(f, x0, lo, hi, o),
  },
  lbfgsb: {
    keys: ["m", "ftol", "gtol", "maxiter", "maxfev", "maxls"],
    scipy: { maxcor: "m", maxfun: "maxfev" },
    run: (f, x0, lower, upper, o) => lbfgsb(f, x0, { ...o, lower, upper }),
  },
  tnc: {
    keys: ["ftol", "xtol", "pgtol", "maxiter", "maxfev"],
    scipy: { gtol: "pgtol", maxfun: "maxfev" },
    run: (f, x0, lower, upper, o) => tnc(f, x0, { ...o, lower, upper }),
  },
  slsqp: {
    keys: ["ftol", "maxiter", "maxfev"],
    run: (f, x0, lower, upper, o) => slsqp(f, x0, { ...o, lower, upper }),
  },
  cobyla: {
    keys: ["rhobeg", "rhoend", "maxfev"],
    scipy: { maxiter: "maxfev", tol: "rhoend" },
    run: (f, x0, lower, upper, o) => cobyla(f, x0, { ...o, lower, upper }),
  },
  powell: {
    keys: ["ftol", "xtol", "maxiter", "maxfev"],
    run: viaTransform((f, x, o) => powell(f, x, o)),
  },
  bfgs: { keys: ["gtol", "maxiter", "maxfev"], run: viaTransform((f, x, o) => bfgs(f, x, o)) },
  cg: {
    keys: ["gtol", "maxiter", "maxfev"],
    run: viaTransform((f, x, o) => conjugateGradient(f, x, o)),
  },
};

const COUNTS = new Set(["maxiter", "maxfev", "m", "maxls", "restarts"]);
/** Counts that may be zero. */
const ZERO_OK = new Set(["restarts"]);
const FLAGS = new Set(["disp", "adaptive"]);

/** Checks the option values and renames scipy's names to ours (see `LOCALS`). */
function resolveLocalOptions(
  given: Opts,
  local: { keys: readonly string[]; scipy?: Record<string, string> },
  where: string,
): { opts: Opts; disp: boolean } {
  const scipy = local.scipy ?? {};
  checkOptions(given, [...local.keys, ...Object.keys(scipy), "disp"], where);
  const opts: Opts = {};
  let disp = false;
  for (const [key, value] of Object.entries(given)) {
    if (value === undefined) continue;
    const name = scipy[key] ?? key;
    if (FLAGS.has(name)) {
      if (typeof value !== "boolean") {
        throw new TypeError(`${where}: option '${key}' must be true or false, got ${value}`);
      }
    } else if (typeof value !== "number" || Number.isNaN(value)) {
      throw new TypeError(
        `${where}: option '${key}' must be a number, got ${JSON.stringify(value)}`,
      );
    } else if (
      COUNTS.has(name) && value !== Infinity &&
      !(Number.isInteger(value) && value >= (ZERO_OK.has(name) ? 0 : 1))
    ) {
      const what = ZERO_OK.has(name) ? "a non-negative" : "a positive";
      throw new RangeError(`${where}: option '${key}' must be ${what} integer, got ${value}`);
    } else if (!COUNTS.has(name) && !(value >= 0)) {
      throw new RangeError(`${where}: option '${key}' must be ≥ 0, got ${value}`);
    }
    if (name === "disp") disp = value as boolean;
    else if (name in opts && opts[name] !== value) {
      throw new RangeError(`${where}: '${key}' and another name for '${name}' are both given`);
    } else opts[name] = value;
  }
  return { opts, disp };
}

/** scipy's end-of-search summary (`disp=True` of Nelder-Mead, Powell, BFGS, CG). */
function printSummary(r: SolverResult): void {
  const pad = " ".repeat(9);
  console.log(
    [
      r.success ? "Optimization terminated successfully." : `Warning: ${r.message}`,
      `${pad}Current function value: ${r.fun.toFixed(6)}`,
      `${pad}Iterations: ${r.nit}`,
      `${pad}Function evaluations: ${r.nfev}`,
    ].join("\n"),
  );
}

const SPELLINGS: Readonly<Record<string, string>> = {
  "nelder-mead": "nelder",
  "l-bfgs-b": "lbfgsb",
  "l-bfgsb": "lbfgsb",
  "lbfgs": "lbfgsb",
};

/** Local method names accepted by `localMinimizerFor` (canonical). */
export const LOCAL_METHODS: readonly string[] = Object.freeze(Object.keys(LOCALS));

/**
 * The `LocalMinimizer` for a method name and its options; `undefined` when neither is given (the
 * global solver's default, a bounded Nelder-Mead). `where` names the option for messages.
 */
export function localMinimizerFor(
  method: string | undefined,
  options: Opts | undefined,
  where: string,
): LocalMinimizer | undefined {
  if (method === undefined && options === undefined) return undefined;
  if (method !== undefined && typeof method !== "string") {
    throw new TypeError(`${where}: the local method must be a name, got ${typeof method}`);
  }
  const lower = (method ?? "nelder").toLowerCase();
  const name = SPELLINGS[lower] ?? lower;
  const local = LOCALS[name];
  if (!local) {
    const near = closestName(name, [...LOCAL_METHODS, ...Object.keys(SPELLINGS)]);
    throw new RangeError(
      `${where}: unknown local method '${method}'${
        near ? `; did you mean ${near}?` : ""
      } Choose one of: ${LOCAL_METHODS.join(", ")}`,
    );
  }
  const { opts, disp } = resolveLocalOptions({ ...(options ?? {}) }, local, `${where} (${name})`);
  return (fun, x0, lo, hi) => {
    const r = local.run(fun, x0, lo, hi, opts);
    if (disp) printSummary(r);
    return r;
  };
}

/** `localMinimizerFor` from scipy-style `{ method, options }`. */
export function localMinimizerFromKwargs(
  kw: MinimizerKwargs | undefined,
  where: string,
): LocalMinimizer | undefined {
  if (kw === undefined) return undefined;
  checkOptions(kw, ["method", "options"], where);
  return localMinimizerFor(kw.method, kw.options as Opts | undefined, where);
}
