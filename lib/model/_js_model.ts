/**
 * How `new Model(fn)` evaluates a plain JavaScript function of numbers: through the expression
 * layer when the body translates and the translation agrees with the function at sample points
 * (analytic Jacobian, generated loops, WGSL), else by calling the function once per point.
 *
 * @module
 */

import type { Binding } from "../expr/compile.ts";
import { ExpressionKernels } from "./expression_kernels.ts";
import { readJsFunction } from "./js_function.ts";

/** The route a function model takes, with everything `Model` needs from it. */
export interface JsModelRoute {
  /** Parameter names (the arguments that are not independent variables), in order. */
  paramNames: string[];
  /** Independent variable names. */
  independentVars: string[];
  /** Default values from the signature, by parameter name. */
  defaults: Record<string, number>;
  /** The compiled kernels, or null for the per-point route. */
  kernels: ExpressionKernels | null;
  /** Which route and why, in words. */
  reason: string;
  /** Model values for parameter values by unprefixed name. */
  evaluate(vars: Record<string, Float64Array>, p: Record<string, number>): Float64Array;
}

/** Parameter values at the check's sample points: varied in size and sign. */
const SAMPLE_VALUES = [1.3, 0.7, 2.1, 0.45, 1.9, 0.85, 3.1, 0.6, 1.15, 2.6];
const SAMPLE_SCALES = [1, 1.7, -0.6];
const SAMPLE_X = [-3.7, -1.9, -0.55, 0, 0.25, 0.8, 1.35, 2.2, 3.9, 6.1, 8.4];

/** Whether two model values agree: equal, both NaN, or within 1e-12 relative (tiny values too). */
function agree(a: number, b: number): boolean {
  if (a === b || (a !== a && b !== b)) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  const scale = Math.max(Math.abs(a), Math.abs(b));
  return Math.abs(a - b) <= 1e-12 * scale || scale < 1e-290;
}

/**
 * Reads `fn`'s signature and chooses its route (see the module doc).
 *
 * @throws {TypeError} when an independent variable is not an argument, no argument is left as a
 * parameter, or the function does not return a number for numbers (a function over whole
 * arrays needs `paramNames`).
 */
export function jsModelRoute(
  fn: (...args: number[]) => number,
  independentVars?: readonly string[],
): JsModelRoute {
  const info = readJsFunction(fn);
  const args = info.args;
  const ivs = independentVars ? [...independentVars] : args.slice(0, 1);
  if (ivs.length === 0) {
    throw new TypeError("Model: the function has no arguments; write it as (x, a, b) => ...");
  }
  for (const v of ivs) {
    if (!args.includes(v)) {
      throw new TypeError(
        `Model: independent variable '${v}' is not an argument of the function (${
          args.join(", ")
        })`,
      );
    }
  }
  const paramNames = args.filter((a) => !ivs.includes(a));
  if (paramNames.length === 0) {
    throw new TypeError(
      `Model: every argument (${
        args.join(", ")
      }) is an independent variable, so the model has no parameters (a function over whole arrays needs { paramNames: [...] })`,
    );
  }
  const defaults: Record<string, number> = {};
  for (const n of paramNames) if (n in info.defaults) defaults[n] = info.defaults[n];

  // Per point: arguments in signature order, independent variables' values filled per point.
  const ivPos = ivs.map((v) => args.indexOf(v));
  const pPos = paramNames.map((n) => args.indexOf(n));
  const callPoints = (vars: Record<string, Float64Array>, p: Record<string, number>) => {
    const cols = ivs.map((v) => vars[v]);
    const n = cols[0].length;
    const a: number[] = new Array(args.length).fill(0);
    for (let k = 0; k < pPos.length; k++) a[pPos[k]] = p[paramNames[k]];
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < ivPos.length; j++) a[ivPos[j]] = cols[j][i];
      let r: unknown = fn.apply(undefined, a);
      if (typeof r === "boolean") r = +r; // a comparison
      if (typeof r !== "number") {
        throw new TypeError(
          `Model: the function returned ${
            r === null ? "null" : Array.isArray(r) ? "an array" : typeof r
          } for numbers (${args.map((name, k) => `${name}=${a[k]}`).join(", ")}); ` +
            "a function over whole arrays needs its parameter names: new Model(fn, { paramNames: [...] })",
        );
      }
      out[i] = r as number;
    }
    return out;
  };

  // Sample points: three parameter sets, eleven points per independent variable (shifted).
  const sampleVars: Record<string, Float64Array> = {};
  ivs.forEach((v, j) => {
    sampleVars[v] = Float64Array.from(SAMPLE_X, (_, i) => SAMPLE_X[(i + 3 * j) % SAMPLE_X.length]);
  });
  const sampleParams = SAMPLE_SCALES.map((s) => {
    const p: Record<string, number> = {};
    paramNames.forEach((n, k) => {
      const d = defaults[n];
      p[n] = (Number.isFinite(d) && d !== 0 ? d : SAMPLE_VALUES[k % SAMPLE_VALUES.length]) * s;
    });
    return p;
  });
  // The function itself must accept numbers (this also rejects array functions early).
  let expected: Float64Array[];
  try {
    expected = sampleParams.map((p) => callPoints(sampleVars, p));
  } catch (e) {
    if (e instanceof TypeError && e.message.startsWith("Model:")) throw e;
    throw new TypeError(
      `Model: calling the function with numbers (${args.join(", ")}) failed: ${
        (e as Error).message
      }; a function over whole arrays needs its parameter names: new Model(fn, { paramNames: [...] })`,
    );
  }

  const route = (kernels: ExpressionKernels | null, reason: string): JsModelRoute => ({
    paramNames,
    independentVars: ivs,
    defaults,
    kernels,
    reason,
    evaluate: kernels ? (vars, p) => kernels.evaluate(vars, p) : callPoints,
  });
  if (info.body === null) {
    return route(null, `called per point with difference derivatives: ${info.reason}`);
  }
  const slotNames = [...paramNames, ...ivs];
  const index = new Map(slotNames.map((n, i) => [n, i]));
  const bind = (name: string): Binding | undefined => {
    const i = index.get(name);
    return i === undefined ? undefined : { kind: "slot", index: i };
  };
  const kernels = new ExpressionKernels(info.body, paramNames, ivs, bind);
  for (let s = 0; s < sampleParams.length; s++) {
    let got: Float64Array;
    try {
      got = kernels.evaluate(sampleVars, sampleParams[s]);
    } catch (e) {
      return route(
        null,
        `called per point with difference derivatives: the translation failed to evaluate (${
          (e as Error).message
        })`,
      );
    }
    for (let i = 0; i < got.length; i++) {
      if (!agree(got[i], expected[s][i])) {
        const at = [
          ...ivs.map((v) => `${v}=${sampleVars[v][i]}`),
          ...paramNames.map((n) => `${n}=${sampleParams[s][n]}`),
        ].join(", ");
        return route(
          null,
          `called per point with difference derivatives: the translation gives ${
            got[i]
          } where the function gives ${expected[s][i]} (at ${at})`,
        );
      }
    }
  }
  return route(
    kernels,
    "compiled to the expression language: analytic Jacobian, generated loops and WGSL for fitBatch",
  );
}
