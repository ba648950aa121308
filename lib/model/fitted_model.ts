/**
 * What a fit result needs of its model, below both `model.ts` (which builds results) and
 * `model_result.ts` (which evaluates the model again): independent variables and the model's
 * evaluation interface.
 *
 * @module
 */

import type { Parameters } from "../parameters.ts";
import type { MinimizerResult } from "../fit/result.ts";
import { checkOptions } from "../util/options.ts";

/**
 * Independent variables by name (`{ x }`, or `{ x, y }` for 2-D models).
 *
 * @example
 * ```ts
 * import { Gaussian2dModel, type IndependentVars } from "../../mod.ts";
 * const model = new Gaussian2dModel();
 * const vars: IndependentVars = { x: [0, 1], y: [0, 0] }; // one entry per independent variable
 * const params = model.makeParams({ amplitude: 1, centerx: 0, centery: 0, sigmax: 1, sigmay: 1 });
 * model.eval(params, vars).length; // 2
 * ```
 *
 * @category Models
 */
export type IndependentVars = Record<string, ArrayLike<number>>;

/**
 * What `guess` takes: the independent variables by name, and for peak models `negative: true`
 * to look for a dip instead of a peak (lmfit's `guess(data, x=x, negative=True)`).
 *
 * @example
 * ```ts
 * import { GaussianModel, type GuessVars } from "../../mod.ts";
 * const x = Array.from({ length: 41 }, (_, i) => i / 4 - 5);
 * const vars: GuessVars = { x, negative: true };
 * const params = new GaussianModel().guess(x.map((v) => -2 * Math.exp(-(v * v) / 2)), vars);
 * params.get("amplitude")!.value < 0; // true
 * ```
 *
 * @category Models
 */
export interface GuessVars {
  /** Peak models: the peak is a dip (negative amplitude). Other models refuse it. */
  negative?: boolean;
  /** The independent variables by name (`x`, or `x` and `y`). */
  [independentVar: string]: ArrayLike<number> | boolean | undefined;
}

/**
 * `values` as a Float64Array; `null`/`undefined` entries (which JavaScript would turn into 0
 * and NaN) are an error naming `what` and the index.
 */
export function toFloat64(what: string, values: ArrayLike<number>): Float64Array {
  if (values instanceof Float64Array) return values;
  const n = values.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i] as number | null | undefined;
    if (v === null || v === undefined) {
      throw new TypeError(
        `${what}[${i}] is ${v}: give a number (NaN for a missing value, with nanPolicy "omit")`,
      );
    }
    out[i] = v;
  }
  return out;
}

function isArrayLike(v: unknown): v is ArrayLike<number> {
  return typeof v === "object" && v !== null &&
    typeof (v as { length?: unknown }).length === "number";
}

/**
 * Rejects a key of `vars` that names no independent variable of the model (nor one of
 * `extra`), naming it and the closest valid name: a misspelt variable is never ignored.
 */
export function checkVarNames(
  vars: object | undefined,
  names: readonly string[],
  where: string,
  extra: readonly string[] = [],
): void {
  checkOptions(vars, [...names, ...extra], where);
}

/**
 * Converts independent-variable inputs to Float64Arrays (other values pass through), checking
 * that all are present and that no array holds `null`/`undefined`.
 */
export function toVars(
  names: readonly string[],
  given: Record<string, unknown>,
  numeric = false,
): Record<string, Float64Array> {
  const vars: Record<string, Float64Array> = {};
  for (const n of names) {
    const v = given[n];
    if (v === undefined) {
      throw new TypeError(`missing independent variable '${n}': pass it as { ${n}: [...] }`);
    }
    // Arrays become Float64Arrays; anything else (a number, an object) goes to the model
    // function as it is, as lmfit passes any object through.
    vars[n] = isArrayLike(v) && typeof v !== "string"
      ? toFloat64(`independent variable '${n}'`, v)
      : v as unknown as Float64Array;
  }
  if (!numeric) return vars;
  // Models compiled from expressions need numbers: a number is broadcast (as numpy does) to
  // the length of the array variables, or evaluated at one point when all are numbers.
  let n = 1;
  for (const v of Object.values(vars)) if (v instanceof Float64Array) n = Math.max(n, v.length);
  for (const k of names) {
    const v = vars[k] as unknown;
    if (typeof v === "number") vars[k] = new Float64Array(n).fill(v);
    else if (!(v instanceof Float64Array)) {
      throw new TypeError(
        `independent variable '${k}' must be a number or an array of numbers for this model, got ${typeof v}`,
      );
    }
  }
  return vars;
}

/**
 * One component of a fitted model (a single model with its prefix).
 *
 * @example
 * ```ts
 * import { GaussianModel } from "../../mod.ts";
 * import type { FittedComponent } from "./fitted_model.ts";
 * const c: FittedComponent = new GaussianModel({ prefix: "g1_" });
 * c.prefix; // "g1_"
 * ```
 *
 * @category Models
 */
export interface FittedComponent {
  /** The component's name. */
  readonly name: string;
  /** The component's function name (`gaussian`), which keys it when it has no prefix. */
  readonly funcName: string;
  /** The component's parameter prefix. */
  readonly prefix: string;
  /** The component at the given (prefixed) parameter values. */
  evalWith(vars: Record<string, Float64Array>, values: Record<string, number>): Float64Array;
}

/**
 * What a `ModelResult` needs of its model; every `BaseModel` is one.
 *
 * @example
 * ```ts
 * import { GaussianModel, LinearModel } from "../../mod.ts";
 * import type { FittedModel } from "./fitted_model.ts";
 * const model: FittedModel = new GaussianModel({ prefix: "g_" }).add(new LinearModel({ prefix: "l_" }));
 * model.components.map((c) => c.prefix); // ["g_", "l_"]
 * ```
 *
 * @category Models
 */
export interface FittedModel {
  /** The model's name. */
  readonly name: string;
  /** Names of the independent variables, the first being `x`. */
  readonly independentVars: string[];
  /** Prefixed names of the model function's parameters, in order. */
  readonly paramNames: string[];
  /** The single models it is made of. */
  readonly components: FittedComponent[];
  /** The model at the given parameter values, for Float64Array independent variables. */
  evalWith(vars: Record<string, Float64Array>, values: Record<string, number>): Float64Array;
  /** Each component at `params`, keyed by prefix. */
  evalComponents(
    params: Parameters | Record<string, number>,
    vars: IndependentVars,
  ): Record<string, Float64Array>;
  /** lmfit's repr, e.g. `<lmfit.Model: Model(gaussian, prefix='g_')>`. */
  toString(): string;
  /**
   * Fits the model to `data` (what `ModelResult.fit` calls to fit again): `options` are the
   * model's fit options (`ModelFitOptions` for every `BaseModel`), the result a `ModelResult`.
   */
  fit(
    data: ArrayLike<number>,
    params?: Parameters,
    options?: Record<string, unknown>,
  ): Promise<MinimizerResult>;
}
