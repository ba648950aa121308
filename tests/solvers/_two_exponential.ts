/** The seeds' two-exponential problem with bounds, as residuals and chi-square (test helper). */
import { loadFixture } from "../_fixtures.ts";
import type { ScalarFunction, VectorFunction } from "../../lib/solvers/types.ts";

const two = loadFixture("two_exponential.json");
const x = Float64Array.from(two.x as number[]), y = Float64Array.from(two.y as number[]);

/** Number of residuals. */
export const M: number = x.length;
/** Residuals a1·exp(−x/t1) + a2·exp(−x/t2) − y for p = [a1, a2, t1, t2]. */
export const residual: VectorFunction = (p, out) => {
  for (let i = 0; i < M; i++) {
    out[i] = p[0] * Math.exp(-x[i] / p[2]) + p[1] * Math.exp(-x[i] / p[3]) - y[i];
  }
};
const work = new Float64Array(M);
/** Chi-square Σ r². */
export const chisqr: ScalarFunction = (p) => {
  residual(p, work);
  let s = 0;
  for (let i = 0; i < M; i++) s += work[i] * work[i];
  return s;
};
/** Start a1=5, a2=−5, t1=2, t2=5. */
export const START: Float64Array = Float64Array.of(5, -5, 2, 5);
/** Bounds a1∈[0,10], a2∈[−10,0], t1∈[0.5,5], t2∈[5,20]. */
export const LOWER: Float64Array = Float64Array.of(0, -10, 0.5, 5);
/** Upper bounds. */
export const UPPER: Float64Array = Float64Array.of(10, 0, 5, 20);
/** Best known chi-square (lmfit leastsq, unbounded; the minimum is inside the box). */
export const BEST: number = two.unbounded.chisqr;
