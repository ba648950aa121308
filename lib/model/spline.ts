/**
 * `SplineModel`: a cubic B-spline through knots at fixed x positions whose values are the
 * parameters `s0 … s(n-1)` (lmfit's SplineModel: scipy's `splrep` knot vector, `splev`
 * evaluation with extrapolation).
 *
 * @module
 */

import type { Parameters } from "../parameters.ts";
import type { NanPolicy } from "../fit/objective.ts";
import { Model } from "./model.ts";
import { checkVarNames, type GuessVars } from "./fitted_model.ts";
import { checkOptions, optionKeys } from "../util/options.ts";

const SPLINE_MODEL_KEYS = optionKeys<SplineModelOptions>({
  prefix: true,
  nanPolicy: true,
  independentVars: true,
});

/**
 * Options of `new SplineModel(xknots, options)`.
 *
 * @example
 * ```ts
 * import { SplineModel, type SplineModelOptions } from "./spline.ts";
 * const options: SplineModelOptions = { prefix: "bkg_", independentVars: ["t"] };
 * const spline = new SplineModel([0, 2, 4, 6], options);
 * spline.paramNames; // ["bkg_s0", "bkg_s1", "bkg_s2", "bkg_s3"]
 * spline.eval({ bkg_s0: 1, bkg_s1: 1, bkg_s2: 1, bkg_s3: 1 }, { t: [3] })[0]; // 1
 * ```
 *
 * @category Models
 */
export interface SplineModelOptions {
  /** Prefix for parameter names. @default "" */
  prefix?: string;
  /** How non-finite values are handled in a fit. @default "raise" */
  nanPolicy?: NanPolicy;
  /** Independent variable name (one only). @default ["x"] */
  independentVars?: string[];
}

/**
 * The not-a-knot cubic knot vector of `splrep(xknots, ..., k=3)`.
 *
 * @example
 * ```ts
 * import { splineKnots } from "./spline.ts";
 * splineKnots([0, 2, 4, 6, 8, 10]); // Float64Array [0, 0, 0, 0, 4, 6, 10, 10, 10, 10]
 * ```
 *
 * @category Models
 */
export function splineKnots(xknots: ArrayLike<number>): Float64Array {
  const n = xknots.length;
  const t = new Float64Array(n + 4);
  for (let i = 0; i < 4; i++) {
    t[i] = xknots[0];
    t[n + i] = xknots[n - 1];
  }
  for (let i = 2; i < n - 2; i++) t[i + 2] = xknots[i];
  return t;
}

/**
 * Evaluates a cubic B-spline (knots `t`, coefficients `c`) at `x` by de Boor's algorithm.
 *
 * @example
 * ```ts
 * import { splev, splineKnots } from "./spline.ts";
 * const t = splineKnots([0, 2, 4, 6, 8, 10]);
 * splev(5, t, [1, 1, 1, 1, 1, 1]); // 1 (the B-splines sum to one)
 * splev(5, t, [0, 1, 2, 3, 4, 5]); // 2.5
 * ```
 *
 * @category Models
 */
export function splev(
  x: number,
  t: Float64Array,
  c: ArrayLike<number>,
  work: Float64Array = new Float64Array(4),
): number {
  const k = 3;
  const n = c.length;
  let l = k;
  while (l < n - 1 && x >= t[l + 1]) l++;
  for (let j = 0; j <= k; j++) work[j] = c[j + l - k];
  for (let r = 1; r <= k; r++) {
    for (let j = k; j >= r; j--) {
      const left = t[j + l - k], right = t[j + 1 + l - r];
      const alpha = right === left ? 0 : (x - left) / (right - left);
      work[j] = (1 - alpha) * work[j - 1] + alpha * work[j];
    }
  }
  return work[k];
}

/**
 * A cubic spline model with a parameter per knot.
 *
 * @example
 * ```ts
 * import { SplineModel } from "./spline.ts";
 * const spline = new SplineModel([0, 2, 4, 6, 8, 10], { prefix: "bkg_" });
 * spline.paramNames; // ["bkg_s0", ..., "bkg_s5"]
 * ```
 *
 * @category Models
 */
export class SplineModel extends Model {
  /** Knot positions. */
  readonly xknots: Float64Array;
  /** The knot vector. */
  readonly knots: Float64Array;

  /** Creates the model; needs at least 4 increasing knots (at most 300, as lmfit). */
  constructor(xknots: ArrayLike<number>, options: SplineModelOptions = {}) {
    checkOptions(options, SPLINE_MODEL_KEYS, "SplineModel");
    const xk = Float64Array.from(xknots);
    if (xk.length < 4) throw new RangeError(`SplineModel needs at least 4 knots, got ${xk.length}`);
    if (xk.length > 300) throw new RangeError("SplineModel supports up to 300 knots");
    for (let i = 1; i < xk.length; i++) {
      if (!(xk[i] > xk[i - 1])) {
        throw new RangeError(`SplineModel: knots must increase (xknots[${i}] = ${xk[i]})`);
      }
    }
    if ((options.independentVars ?? ["x"]).length !== 1) {
      throw new TypeError("SplineModel supports only 1-d spline interpolation");
    }
    const names = Array.from(xk, (_, i) => `s${i}`);
    const knots = splineKnots(xk);
    const work = new Float64Array(4);
    const coefs = new Float64Array(xk.length);
    super((x, p) => {
      for (let i = 0; i < names.length; i++) coefs[i] = p[names[i]];
      return x.map((v) => splev(v, knots, coefs, work));
    }, {
      paramNames: names,
      prefix: options.prefix,
      nanPolicy: options.nanPolicy,
      independentVars: options.independentVars,
      name: "spline_model",
      defaults: Object.fromEntries(names.map((n) => [n, 1])),
    });
    this.xknots = xk;
    this.knots = knots;
  }

  /** A new spline model on the same knots (used by `copy`). */
  protected override freshCopy(): Model {
    return new SplineModel(this.xknots, {
      prefix: this.prefix,
      nanPolicy: this.nanPolicy,
      independentVars: [...this.independentVars],
    });
  }

  /** lmfit's guess: a smoothed data value at the point nearest each knot. */
  override guess(data: ArrayLike<number>, vars: GuessVars): Parameters {
    checkVarNames(vars, this.independentVars, "guess");
    const x = vars[this.independentVars[0]] as ArrayLike<number> | undefined;
    if (!x) {
      throw new TypeError(
        `guess: pass the independent variable, e.g. guess(y, { ${this.independentVars[0]}: x })`,
      );
    }
    const values: Record<string, number> = {};
    this.xknots.forEach((xk, i) => {
      let ix = 0;
      for (let j = 1; j < x.length; j++) if (Math.abs(x[j] - xk) < Math.abs(x[ix] - xk)) ix = j;
      const here = data[ix];
      const pone = ix < x.length - 2 ? data[ix + 1] : here;
      const mone = ix > 0 ? data[ix - 1] : here;
      values[`s${i}`] = (4 * here + pone + mone) / 6;
    });
    return this.makeParams(values);
  }
}
