/**
 * The straight-line fit several minimizer tests share (and `scripts/make_lmfit_parity_fields.py`
 * fits in Python lmfit on the default points): y = 2x + 0.5, parameters a (slope, in [0, 3]) and
 * b (intercept, in [−1, 1]) from a = 1, b = 0.
 *
 * @module
 */
import { Parameters } from "../../mod.ts";

/** The points of lmfit's reference fit (`lmfit_parity_fields.json`). */
export const LINE_POINTS: readonly number[] = [0, 0.25, 0.5, 0.75, 1];

/**
 * The residual of the line at `xs` and a fresh copy of its bounded start parameters.
 *
 * @example
 * ```ts
 * import { boundedLine } from "./_bounded_line.ts";
 * const { residual, params } = boundedLine();
 * residual(params()); // [-0.5, -0.25, 0, 0.25, 0.5]
 * ```
 */
export function boundedLine(xs: readonly number[] = LINE_POINTS): {
  residual: (q: Parameters) => number[];
  params: () => Parameters;
} {
  return {
    residual: (q) => xs.map((v) => q.get("a")!.value * v + q.get("b")!.value - (2 * v + 0.5)),
    params: () => {
      const p = new Parameters();
      p.add("a", { value: 1, min: 0, max: 3 });
      p.add("b", { value: 0, min: -1, max: 1 });
      return p;
    },
  };
}
