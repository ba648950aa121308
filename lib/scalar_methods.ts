/**
 * The scalar and global fitting methods, by lmfit's names, adapted from the solvers in
 * `lib/solvers/` (which know nothing of Parameters) to the minimizer layer.
 *
 * @module
 */

import type { FitContext } from "./objective.ts";
import type { Minimizer } from "./minimizer.ts";
import type { MinimizerResult } from "./result.ts";

/** A method adapter: runs one method on a prepared fit and returns the finished result. */
export type MethodRunner = (
  minimizer: Minimizer,
  ctx: FitContext,
  // deno-lint-ignore no-explicit-any
  options: Record<string, any>,
) => MinimizerResult;

/** Every scalar/global method name that `minimize` accepts besides `leastsq`. */
export const SCALAR_METHODS: Readonly<Record<string, MethodRunner>> = {};

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
