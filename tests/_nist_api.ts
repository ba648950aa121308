/**
 * NIST StRD problems through the public API: the model formula is compiled by our own
 * expression language (the formulas in models.json are valid Python syntax), and the residual
 * is an ordinary lmfit-style objective `(params) => model - y`.
 */
import type { Parameters } from "../mod.ts";
import { compileMany, parse } from "../mod.ts";
import { loadNist, type NistProblem } from "./_nist.ts";

export { loadNist, type NistProblem };

/** The 27 problem names, from models.json. */
export const NIST_NAMES: string[] = (JSON.parse(
  Deno.readTextFileSync(new URL("./testdata/nist/models.json", import.meta.url)),
) as { name: string }[]).map((m) => m.name);

/** lmfit-style residual `(params) => f(x; b) - y` for a NIST problem. */
export function nistModelResidual(prob: NistProblem): (p: Parameters) => Float64Array {
  const xNames = prob.x.length === 1 ? ["x"] : ["x1", "x2"];
  const np = prob.nparams;
  const slotOf = new Map<string, number>();
  for (let k = 0; k < np; k++) slotOf.set(`b${k + 1}`, k);
  xNames.forEach((n, j) => slotOf.set(n, np + j));
  const f = compileMany([parse(prob.formula)], (name) => {
    const i = slotOf.get(name);
    return i === undefined ? undefined : { kind: "slot", index: i };
  });
  const slots = new Float64Array(np + xNames.length);
  const n = prob.y.length;
  const out = new Float64Array(n);
  const names = Array.from({ length: np }, (_, k) => `b${k + 1}`);
  return (p: Parameters) => {
    for (let k = 0; k < np; k++) slots[k] = p.get(names[k])!.value;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < xNames.length; j++) slots[np + j] = prob.x[j][i];
      f(slots, out, i);
      out[i] -= prob.y[i];
    }
    return out;
  };
}
