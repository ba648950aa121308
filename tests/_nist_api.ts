/**
 * NIST StRD problems through the public API: the model formula is compiled by our own
 * expression language (the formulas in models.json are valid Python syntax), and the residual
 * is an ordinary lmfit-style objective `(params) => model - y`.
 */
import type { Parameters } from "../mod.ts";
import { compileLoop, type LoopKernel, LoopMemo, parse } from "../mod.ts";
import { loadNist, type NistProblem } from "./_nist.ts";

export { loadNist, type NistProblem };

/** The 27 problem names, from models.json. */
export const NIST_NAMES: string[] = (JSON.parse(
  Deno.readTextFileSync(new URL("./testdata/nist/models.json", import.meta.url)),
) as { name: string }[]).map((m) => m.name);

const kernels = new Map<string, LoopKernel>();

/**
 * lmfit-style residual `(params) => f(x; b) - y` for a NIST problem: the expression
 * `(formula) - y` compiled once as a loop over the data points (`compileLoop`).
 */
export function nistModelResidual(prob: NistProblem): (p: Parameters) => Float64Array {
  const xNames = prob.x.length === 1 ? ["x"] : ["x1", "x2"];
  const np = prob.nparams;
  const slotOf = new Map<string, number>();
  for (let k = 0; k < np; k++) slotOf.set(`b${k + 1}`, k);
  [...xNames, "y"].forEach((n, j) => slotOf.set(n, np + j));
  // One compiled (and, after a few fits, optimised) kernel per formula, as a user compiles once.
  const key = `${np}|${xNames.length}|${prob.formula}`;
  let f = kernels.get(key);
  if (f === undefined) {
    f = compileLoop(
      [parse(`(${prob.formula}) - y`)],
      (name) => {
        const i = slotOf.get(name);
        return i === undefined ? undefined : { kind: "slot", index: i };
      },
      [...xNames, "y"].map((_, j) => np + j),
    );
    kernels.set(key, f);
  }
  const kernel = f;
  const slots = new Float64Array(np + xNames.length + 1);
  const cols = [...prob.x.slice(0, xNames.length), Float64Array.from(prob.y)];
  const n = prob.y.length;
  const out = new Float64Array(n);
  const outs = [out];
  // The data are fixed for this residual: unchanged parameters' subexpressions are reused.
  const memo = new LoopMemo();
  const names = Array.from({ length: np }, (_, k) => `b${k + 1}`);
  return (p: Parameters) => {
    for (let k = 0; k < np; k++) slots[k] = p.get(names[k])!.value;
    kernel(slots, cols, outs, n, memo);
    return out;
  };
}
