/**
 * The adapter between the user's objective `(params, ...args) => residuals` and the solvers'
 * `(x: Float64Array, out: Float64Array) => void`: bounds transforms, constraint updates,
 * NaN policy, iteration callback, best-so-far tracking and error context. Built once per fit.
 *
 * @module
 */

import type { ConstraintProgram, Parameters } from "../parameters.ts";
import { boundsKind, fromInternal, gradient, toInternal } from "../solvers/bounds.ts";
import { formatG } from "../util/format.ts";
import { checkOptions, optionKeys } from "../util/options.ts";

/**
 * The user's objective: returns the residual array to be minimised in the least-squares sense,
 * or a scalar for scalar minimisers.
 *
 * @example
 * ```ts
 * import { minimize, type ObjectiveFunction, Parameters } from "../../mod.ts";
 * const residual: ObjectiveFunction = (p: Parameters, x: number[], y: number[]) =>
 *   x.map((v, i) => p.get("m")!.value * v + p.get("c")!.value - y[i]);
 * const params = new Parameters();
 * params.addMany(["m", 1], ["c", 0]);
 * const result = await minimize(residual, params, { args: [[0, 1, 2, 3], [1, 3, 5, 7]] });
 * result.params.valuesdict(); // ≈ { m: 2, c: 1 }
 * ```
 *
 * @category Fitting
 */
export type ObjectiveFunction = (
  params: Parameters,
  // deno-lint-ignore no-explicit-any
  ...args: any[]
) => ArrayLike<number> | number;

/**
 * Called after every objective evaluation with the current parameters, the evaluation count,
 * the residual and the user arguments; returning `true` aborts the fit.
 *
 * @example
 * ```ts
 * import { type IterationCallbackFn, minimize, Parameters } from "../../mod.ts";
 * const seen: number[] = [];
 * const iterCb: IterationCallbackFn = (params, iter) => {
 *   seen.push(params.get("tau")!.value);
 *   return iter >= 5; // stop after five evaluations
 * };
 * const params = new Parameters();
 * params.add("tau", { value: 1 });
 * const result = await minimize((p) => [0, 1, 2].map((t) => Math.exp(-t / p.get("tau")!.value) - Math.exp(-t / 3)), params, { iterCb });
 * [result.aborted, seen.length]; // [true, 5]
 * ```
 *
 * @category Fitting
 */
export type IterationCallbackFn = (
  params: Parameters,
  iter: number,
  resid: ArrayLike<number> | number,
  // deno-lint-ignore no-explicit-any
  ...args: any[]
) => boolean | void;

/**
 * How non-finite residuals are handled.
 *
 * @example
 * ```ts
 * import { minimize, type NanPolicy, Parameters } from "../../mod.ts";
 * const y = [1, NaN, 3, 4];
 * const params = new Parameters();
 * params.add("c", { value: 0 });
 * const nanPolicy: NanPolicy = "omit"; // "raise" (the default) would throw on the NaN
 * const result = await minimize((p) => y.map((v) => v - p.get("c")!.value), params, { nanPolicy });
 * result.params.get("c")!.value; // ≈ 2.667: the mean of the finite points
 * ```
 *
 * @category Fitting
 */
export type NanPolicy = "raise" | "propagate" | "omit";

/**
 * Why a fit was stopped from inside the objective: the callback, or the evaluation limit.
 *
 * @example
 * ```ts
 * import { minimize, Parameters, type StopReason } from "../../mod.ts";
 * const params = new Parameters();
 * params.add("a", { value: 0 });
 * const r = await minimize((p) => [p.get("a")!.value - 1, 0], params, { maxNfev: 3 });
 * const why: StopReason = r.aborted && /maxNfev/.test(r.message) ? "maxNfev" : "iterCb"; // "maxNfev"
 * ```
 *
 * @category Fitting
 */
export type StopReason = "iterCb" | "maxNfev";

/**
 * Thrown inside the objective adapter when the iteration callback asks to stop or the evaluation
 * limit is reached; the method adapters and the Minimizer catch it and return an aborted result,
 * so a user never sees it from `minimize`. A custom method adapter may throw or catch it.
 *
 * @example
 * ```ts
 * import { AbortFitError } from "../../mod.ts";
 * const e = new AbortFitError("maxNfev");
 * [e.reason, e instanceof Error]; // ["maxNfev", true]
 * ```
 *
 * @category Fitting
 */
export class AbortFitError extends Error {
  /** Why the fit stopped. */
  readonly reason: StopReason;
  /** Creates the error. @param reason why the fit stopped. */
  constructor(reason: StopReason = "iterCb") {
    super(reason === "iterCb" ? "fit aborted by iterCb" : "fit aborted: maxNfev reached");
    this.name = "AbortFitError";
    this.reason = reason;
  }
}

/**
 * The state of one fit: which parameters vary, their bounds, and the compiled program.
 *
 * @example
 * ```ts
 * import { Parameters } from "../../mod.ts";
 * import { type FitContext, prepareContext } from "./objective.ts";
 * const params = new Parameters();
 * params.add("a", { value: 1, min: 0 });
 * params.add("b", { value: 2, vary: false });
 * params.add("c", { expr: "a + b" });
 * const ctx: FitContext = prepareContext(params);
 * ctx.varNames; // ["a"]: only free, unconstrained parameters vary
 * [ctx.mins[0], ctx.maxs[0], ctx.bounded[0]]; // [0, Infinity, true]
 * ```
 *
 * @category Fitting
 */
export interface FitContext {
  /** The fitted copy of the user's parameters (becomes `result.params`). */
  readonly params: Parameters;
  /** The compiled constraint program of `params`. */
  readonly program: ConstraintProgram;
  /** Names of the varied parameters, in order. */
  readonly varNames: string[];
  /** Slot index of each varied parameter. */
  readonly varSlots: Int32Array;
  /** Lower bounds of the varied parameters. */
  readonly mins: Float64Array;
  /** Upper bounds of the varied parameters. */
  readonly maxs: Float64Array;
  /** Which varied parameters have a bounds transform. */
  readonly bounded: boolean[];
  /** Starting values (external). */
  readonly initValues: Float64Array;
}

/** Prepares a fit: copies the parameters, compiles constraints, finds the varied ones. */
export function prepareContext(params: Parameters): FitContext {
  const fitted = params.copy();
  const program = fitted.compileConstraints();
  const varNames: string[] = [];
  const slots: number[] = [];
  program.params.forEach((p, i) => {
    if (p.vary && p.expr === null) {
      if (!Number.isFinite(p.value)) {
        throw new TypeError(
          `Parameter '${p.name}' has no finite starting value (${p.value}): give it one, e.g. params.add('${p.name}', { value: 1 })`,
        );
      }
      varNames.push(p.name);
      slots.push(i);
    }
  });
  const n = varNames.length;
  const mins = new Float64Array(n);
  const maxs = new Float64Array(n);
  const initValues = new Float64Array(n);
  const bounded: boolean[] = [];
  slots.forEach((s, k) => {
    const p = program.params[s];
    mins[k] = p.min;
    maxs[k] = p.max;
    initValues[k] = p.value;
    bounded.push(boundsKind(p.min, p.max) !== 0);
    p.initValue = p.value;
  });
  for (const p of program.params) {
    p.stderr = null;
    p.correl = null;
  }
  return {
    params: fitted,
    program,
    varNames,
    varSlots: Int32Array.from(slots),
    mins,
    maxs,
    bounded,
    initValues,
  };
}

/** Internal (unbounded) starting vector. */
export function internalStart(
  ctx: FitContext,
  values: Float64Array = ctx.initValues,
): Float64Array {
  const x = new Float64Array(values.length);
  for (let k = 0; k < x.length; k++) x[k] = toInternal(values[k], ctx.mins[k], ctx.maxs[k]);
  return x;
}

/** External values from an internal vector. */
export function externalValues(
  ctx: FitContext,
  xInt: Float64Array,
  out?: Float64Array,
): Float64Array {
  const v = out ?? new Float64Array(xInt.length);
  for (let k = 0; k < v.length; k++) v[k] = fromInternal(xInt[k], ctx.mins[k], ctx.maxs[k]);
  return v;
}

/** dP/dP_int for every varied parameter at the internal vector. */
export function transformGradient(ctx: FitContext, xInt: Float64Array): Float64Array {
  const g = new Float64Array(xInt.length);
  for (let k = 0; k < g.length; k++) g[k] = gradient(xInt[k], ctx.mins[k], ctx.maxs[k]);
  return g;
}

/** Sets the fitted copy's parameters to the given external values and updates constraints. */
export function applyValues(ctx: FitContext, values: Float64Array): void {
  const { program, varSlots } = ctx;
  for (let k = 0; k < varSlots.length; k++) program.slots[varSlots[k]] = values[k];
  program.evaluate();
  program.writeBack();
}

const OBJECTIVE_ADAPTER_KEYS = optionKeys<ObjectiveAdapterOptions>({
  args: true,
  kws: true,
  nanPolicy: true,
  iterCb: true,
  transform: true,
  maxNfev: true,
});

/** Options of the objective adapter. */
export interface ObjectiveAdapterOptions {
  // deno-lint-ignore no-explicit-any
  args: readonly any[];
  // deno-lint-ignore no-explicit-any
  kws?: Record<string, any>;
  nanPolicy: NanPolicy;
  iterCb?: IterationCallbackFn;
  /** Whether solver vectors are internal (bounds-transformed) or external values. */
  transform: boolean;
  /** Hard evaluation limit: an evaluation beyond it throws `AbortFitError("maxNfev")`. @default Infinity */
  maxNfev?: number;
}

/**
 * The adapted objective. `residual(x, out)` is what least-squares solvers call; `scalar(x)`
 * returns chi-square (or the reduced scalar) for scalar solvers. Both track the best point.
 *
 * @example
 * ```ts
 * import { Parameters } from "../../mod.ts";
 * import { ObjectiveAdapter, prepareContext } from "./objective.ts";
 * const params = new Parameters();
 * params.add("a", { value: 1 });
 * const fcn = (p: Parameters) => [p.get("a")!.value - 3, 2];
 * const adapter = new ObjectiveAdapter(fcn, prepareContext(params), { args: [], nanPolicy: "raise", transform: false });
 * const out = new Float64Array(2);
 * adapter.residual(Float64Array.of(5), out); // out = [2, 2]
 * adapter.scalar(Float64Array.of(3)); // 4 = 0² + 2²
 * adapter.nfev; // 2
 * ```
 *
 * @category Fitting
 */
export class ObjectiveAdapter {
  /** The fit this adapter evaluates. */
  readonly ctx: FitContext;
  /** Objective evaluations so far. */
  nfev: number = 0;
  /**
   * The first evaluation's point and output (the minimizer makes it to learn the residual
   * length): the solver's first `residual` call, at that same point, uses it instead of calling
   * the objective again.
   */
  #primed: { x: Float64Array; out: ArrayLike<number> } | null = null;
  /** Residual length, fixed by the first evaluation (null for a scalar objective). */
  ndata: number | null = null;
  /** Whether the user's function returned a scalar. */
  isScalar: boolean = false;
  /** Lowest chi-square (or scalar) seen so far. */
  bestChisqr: number = Infinity;
  /** Solver vector of the lowest value seen so far. */
  readonly bestX: Float64Array;
  /**
   * Hard evaluation limit, the single choke point of every method: an evaluation that would
   * make `nfev` exceed it is refused (`AbortFitError("maxNfev")`), so no solver can overrun it.
   */
  maxNfev: number;
  /** Set when a fit was stopped from inside the objective (callback or limit). */
  stopReason: StopReason | null = null;
  #fcn: ObjectiveFunction;
  #opts: ObjectiveAdapterOptions;
  // deno-lint-ignore no-explicit-any
  #callArgs: any[];
  #ext: Float64Array;
  #reduce: (r: Float64Array) => number;

  /** Adapts `fcn` for the fit `ctx`. */
  constructor(
    fcn: ObjectiveFunction,
    ctx: FitContext,
    opts: ObjectiveAdapterOptions,
    reduce?: (r: Float64Array) => number,
  ) {
    checkOptions(opts, OBJECTIVE_ADAPTER_KEYS, "ObjectiveAdapter");
    this.ctx = ctx;
    this.#fcn = fcn;
    this.#opts = opts;
    this.#callArgs = opts.kws ? [...opts.args, opts.kws] : [...opts.args];
    this.#ext = new Float64Array(ctx.varNames.length);
    this.bestX = new Float64Array(ctx.varNames.length).fill(NaN);
    this.#reduce = reduce ?? sumOfSquares;
    this.maxNfev = opts.maxNfev ?? Infinity;
  }

  /**
   * Calls the user's function at solver vector `x`; returns its raw output. With `track`, the
   * evaluation also counts for best-so-far tracking and the iteration callback.
   */
  evaluate(x: Float64Array, track = false): ArrayLike<number> | number {
    if (this.nfev >= this.maxNfev) {
      this.stopReason = "maxNfev";
      throw new AbortFitError("maxNfev");
    }
    const ctx = this.ctx;
    const ext = this.#ext;
    if (this.#opts.transform) externalValues(ctx, x, ext);
    else ext.set(x);
    applyValues(ctx, ext);
    let out: ArrayLike<number> | number;
    try {
      out = this.#fcn(ctx.params, ...this.#callArgs);
    } catch (e) {
      throw new Error(
        `the objective function threw at ${describeValues(ctx)}: ${(e as Error)?.message ?? e}`,
        { cause: e },
      );
    }
    this.nfev++;
    if (typeof out === "number") {
      this.isScalar = true;
    } else if (out && typeof (out as { then?: unknown }).then === "function") {
      throw new TypeError(
        "the objective function returned a Promise (is it async?): minimize needs the residuals themselves; compute them synchronously, or await your asynchronous work before the fit and pass the results in",
      );
    } else if (!out || typeof (out as ArrayLike<number>).length !== "number") {
      throw new TypeError(
        `the objective function must return an array of residuals or a number, got ${typeof out}`,
      );
    } else {
      // Every method goes through here: the residual's length is fixed by the first call.
      const len = (out as ArrayLike<number>).length;
      if (len === 0) {
        throw new RangeError(
          `the objective function returned an empty residual array at ${
            describeValues(ctx)
          }; it must return at least one residual`,
        );
      }
      if (this.ndata === null) this.ndata = len;
      else if (len !== this.ndata) {
        throw new RangeError(
          `the objective function returned ${len} residuals, but returned ${this.ndata} on the first call; the residual length must not change during a fit`,
        );
      }
    }
    if (track) {
      let ss = 0;
      if (typeof out === "number") ss = out;
      else for (let i = 0; i < out.length; i++) ss += out[i] * out[i];
      this.#track(x, ss, out);
    }
    this.#primed = track && this.nfev === 1 && typeof out !== "number"
      ? { x: Float64Array.from(x), out }
      : null;
    return out;
  }

  /**
   * Least-squares adapter: writes residuals into `out` (length fixed by the first call); returns
   * their sum of squares, accumulated in index order (the solvers' `sumOfSquares` option).
   */
  residual = (x: Float64Array, out: Float64Array): number => {
    const primed = this.#primed;
    this.#primed = null;
    if (primed && primed.out.length === out.length && primed.x.every((v, j) => v === x[j])) {
      return this.#copyResidual(primed.out, out); // evaluated and tracked already
    }
    const r = this.evaluate(x);
    if (typeof r === "number") {
      throw new TypeError(
        "the objective function returned a scalar, but this method needs the residual array; return the residuals or use a scalar method such as 'nelder'",
      );
    }
    if (r.length !== out.length) {
      throw new RangeError(
        `the objective function returned ${r.length} residuals, but returned ${out.length} on the first call; the residual length must not change during a fit`,
      );
    }
    const ss = this.#copyResidual(r, out);
    this.#track(x, ss, r);
    return ss;
  };

  /** Scalar adapter: chi-square of the residuals (or the reduced value), or the scalar returned. */
  scalar = (x: Float64Array): number => {
    const r = this.evaluate(x);
    let value: number;
    if (typeof r === "number") value = r;
    else {
      const arr = this.#scratch(r.length);
      this.#copyResidual(r, arr);
      value = this.#reduce(arr);
    }
    if (Number.isNaN(value) && this.#opts.nanPolicy === "raise") {
      throw new RangeError(
        `the objective function returned NaN for ${
          describeValues(this.ctx)
        }; pass nanPolicy: "propagate" to let the solver reject such points`,
      );
    }
    this.#track(x, value, r);
    return value;
  };

  /** Copies residuals into `out` applying the NaN policy; returns their sum of squares. */
  #copyResidual(r: ArrayLike<number>, out: Float64Array): number {
    let ss = 0;
    const policy = this.#opts.nanPolicy;
    for (let i = 0; i < out.length; i++) {
      let v = r[i];
      if (!Number.isFinite(v)) {
        if (policy === "raise") {
          throw new RangeError(
            `the objective function returned ${v} at residual[${i}] for ${
              describeValues(this.ctx)
            }; check the model there, or pass nanPolicy: "omit" or "propagate"`,
          );
        }
        if (policy === "omit") v = 0;
      }
      out[i] = v;
      ss += v * v;
    }
    return ss;
  }

  #scratchBuf = new Float64Array(0);
  #scratch(n: number): Float64Array {
    if (this.#scratchBuf.length !== n) this.#scratchBuf = new Float64Array(n);
    return this.#scratchBuf;
  }

  #track(x: Float64Array, value: number, raw: ArrayLike<number> | number): void {
    if (value < this.bestChisqr) {
      this.bestChisqr = value;
      this.bestX.set(x);
    }
    const cb = this.#opts.iterCb;
    if (cb && cb(this.ctx.params, this.nfev, raw, ...this.#callArgs) === true) {
      this.stopReason = "iterCb";
      throw new AbortFitError("iterCb");
    }
  }

  /** External values for a solver vector. */
  external(x: Float64Array): Float64Array {
    return this.#opts.transform ? externalValues(this.ctx, x) : Float64Array.from(x);
  }
}

function sumOfSquares(r: Float64Array): number {
  let s = 0;
  for (let i = 0; i < r.length; i++) s += r[i] * r[i];
  return s;
}

/** `a=1.5, b=2` for error messages. */
export function describeValues(ctx: FitContext): string {
  const parts = ctx.program.names.map((n, i) => `${n}=${formatG(ctx.program.slots[i], 8)}`);
  return `parameter values ${parts.join(", ")}`;
}
