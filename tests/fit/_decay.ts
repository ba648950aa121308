/**
 * The starting parameters the fit-layer tests share for the decay `amp·exp(−x/tau) + off`:
 * bounded, and away from the data's values (amp 3, tau 1.2, off 0.5).
 */
import { Parameters } from "../../mod.ts";

/** A fresh set of `amp`, `tau` and `off` at their starting values and bounds. */
export function decayParams(): Parameters {
  const p = new Parameters();
  p.add("amp", { value: 1, min: 0, max: 10 });
  p.add("tau", { value: 0.5, min: 0.1, max: 5 });
  p.add("off", { value: 0, min: -2, max: 2 });
  return p;
}
