/**
 * Key checks for the start values of `fitBatch` and `fitLarge`: a misspelt parameter name, a
 * misspelt key of a parameter's settings or of per-fit starts, and a misspelt independent
 * variable are errors naming the closest valid name, never ignored.
 *
 * @module
 */

import { checkOptions } from "../util/options.ts";

const SPEC_KEYS: readonly string[] = ["value", "min", "max", "vary"];
const PER_FIT_KEYS: readonly string[] = ["names", "values", "min", "max", "vary"];

/**
 * Checks `params` (a record of starts, per-fit starts, or a `Parameters`, which passes) against
 * the model's parameter names, and `vars` against its independent variables.
 *
 * @example
 * ```ts
 * import { checkBatchInputs } from "./_check_params.ts";
 * const spec = { paramNames: ["amp", "cen"], independentVars: ["x"] };
 * checkBatchInputs({ amp: 1, cen: { value: 0, min: -1 } }, undefined, spec, "fitBatch"); // fine
 * // checkBatchInputs({ amp: 1, cenn: 0 }, ...) throws "fitBatch: params: unknown option 'cenn'; did you mean cen? ..."
 * ```
 */
export function checkBatchInputs(
  params: unknown,
  vars: object | undefined,
  spec: { readonly paramNames: readonly string[]; readonly independentVars: readonly string[] },
  where: string,
): void {
  checkOptions(vars, spec.independentVars, `${where}: vars`);
  if (params === null || typeof params !== "object") return;
  // A Parameters (a Map-like with valuesdict) may hold more parameters than the model uses.
  if (typeof (params as { valuesdict?: unknown }).valuesdict === "function") return;
  const p = params as Record<string, unknown>;
  if (Array.isArray(p.names) && "values" in p) {
    checkOptions(p, PER_FIT_KEYS, `${where}: params`);
    for (const k of ["min", "max", "vary"]) {
      checkOptions(p[k] as object | undefined, p.names as string[], `${where}: params.${k}`);
    }
    return;
  }
  checkOptions(p, spec.paramNames, `${where}: params`);
  for (const [name, v] of Object.entries(p)) {
    if (v !== null && typeof v === "object") checkOptions(v, SPEC_KEYS, `${where}: params.${name}`);
  }
}
