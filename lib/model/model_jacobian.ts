/**
 * The shape of a model's analytic derivatives, shared by the models that offer them and the
 * expression kernels that compute them.
 *
 * @module
 */

/**
 * Analytic derivatives a model can supply: `jac[i + k·n]` = ∂f(x_i)/∂p_k for its parameters.
 *
 * @example
 * ```ts
 * import { ExpressionModel, type ModelJacobian } from "../../mod.ts";
 * const jac: ModelJacobian = new ExpressionModel("a * x + b").analyticJacobian()!;
 * jac.names; // ["a", "b"]
 * const value = new Float64Array(2), d = new Float64Array(4);
 * jac.evaluate({ x: Float64Array.of(1, 2) }, { a: 3, b: 1 }, value, d);
 * value; // Float64Array [4, 7]
 * d; // Float64Array [1, 2, 1, 1]: ∂/∂a = x, then ∂/∂b = 1
 * ```
 *
 * @category Models
 */
export interface ModelJacobian {
  /** Prefixed names of the parameters whose derivatives are written, in order. */
  names: readonly string[];
  /**
   * Writes model values into `value` and derivatives into `jac` (column-major n×P), for
   * parameter values by prefixed name.
   */
  evaluate(
    vars: Record<string, Float64Array>,
    params: Record<string, number>,
    value: Float64Array,
    jac: Float64Array,
  ): void;
}
