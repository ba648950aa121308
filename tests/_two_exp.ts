/**
 * lmfit's two-exponential example, shared by the method, confidence and benchmark problems:
 * `a1·exp(−x/t1) + a2·exp(−x/t2)`, and the manual's bounded starting parameters.
 */
import { Parameters } from "../mod.ts";

/** The residual `a1·exp(−x/t1) + a2·exp(−x/t2) − y` on the given data. */
export function twoExpResidual(x: Float64Array, y: Float64Array): (p: Parameters) => Float64Array {
  return (p) => {
    const { a1, a2, t1, t2 } = p.valuesdict();
    const out = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) {
      out[i] = a1 * Math.exp(-x[i] / t1) + a2 * Math.exp(-x[i] / t2) - y[i];
    }
    return out;
  };
}

/** A fresh set of `a1`, `a2`, `t1`, `t2` at the manual's starting values and bounds. */
export function twoExpParams(): Parameters {
  const p = new Parameters();
  p.add("a1", { value: 5, min: 0, max: 10 });
  p.add("a2", { value: -5, min: -10, max: 0 });
  p.add("t1", { value: 2, min: 0.5, max: 5 });
  p.add("t2", { value: 5, min: 5, max: 20 });
  return p;
}
