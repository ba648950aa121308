/**
 * What a fit result needs of its model, below both `model.ts` (which builds results) and
 * `model_result.ts` (which evaluates the model again): independent variables and the model's
 * evaluation interface.
 *
 * @module
 */

import type { Parameters } from "../parameters.ts";

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
 */
export type IndependentVars = Record<string, ArrayLike<number>>;

/** Converts independent-variable inputs to Float64Arrays, checking that all are present. */
export function toVars(
  names: readonly string[],
  given: Record<string, unknown>,
): Record<string, Float64Array> {
  const vars: Record<string, Float64Array> = {};
  for (const n of names) {
    const v = given[n];
    if (v === undefined) {
      throw new TypeError(`missing independent variable '${n}': pass it as { ${n}: [...] }`);
    }
    vars[n] = v instanceof Float64Array ? v : Float64Array.from(v as ArrayLike<number>);
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
 */
export interface FittedComponent {
  /** The component's name. */
  readonly name: string;
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
 */
export interface FittedModel {
  /** The model's name. */
  readonly name: string;
  /** Names of the independent variables, the first being `x`. */
  readonly independentVars: string[];
  /** The single models it is made of. */
  readonly components: FittedComponent[];
  /** The model at the given parameter values, for Float64Array independent variables. */
  evalWith(vars: Record<string, Float64Array>, values: Record<string, number>): Float64Array;
  /** Each component at `params`, keyed by prefix. */
  evalComponents(
    params: Parameters | Record<string, number>,
    vars: IndependentVars,
  ): Record<string, Float64Array>;
  /** lmfit's description, e.g. `Model(gaussian, prefix='g_')`. */
  toString(): string;
}
