/**
 * Built-in models with lmfit's parameterisation, defaults, tiny-guards, derived parameters
 * (`fwhm`, `height`) and `guess()`. Each lineshape is written in the expression language, so
 * it has an analytic Jacobian and can be emitted as WGSL for batched GPU fitting.
 *
 * @module
 */

import type { Parameters } from "../parameters.ts";
import type { NanPolicy } from "../objective.ts";
import { polyfit } from "../linalg/lstsq.ts";
import { ExpressionModel } from "./expression_model.ts";
import type { BaseModel, IndependentVars } from "./model.ts";

/** Options every built-in model takes. */
export interface BuiltinModelOptions {
  /** Prefix for parameter names. @default "" */
  prefix?: string;
  /** How non-finite model values are handled. @default "raise" */
  nanPolicy?: NanPolicy;
  /** Independent variable name. @default "x" */
  independentVars?: string[];
}

const TINY = "1e-15";

/** lmfit's `guess_from_peak`: amplitude, center and sigma from a peak's half-maximum width. */
export function guessFromPeak(
  y: ArrayLike<number>,
  x: ArrayLike<number>,
  negative: boolean,
  ampscale = 1,
  sigscale = 1,
): { amplitude: number; center: number; sigma: number } {
  const order = Array.from(x, (_, i) => i).sort((a, b) => x[a] - x[b]);
  const xs = order.map((i) => x[i]), ys = order.map((i) => y[i]);
  let maxy = -Infinity, miny = Infinity, imax = 0;
  ys.forEach((v, i) => {
    if (v > maxy) {
      maxy = v;
      imax = i;
    }
    if (v < miny) miny = v;
  });
  const maxx = xs[xs.length - 1], minx = xs[0];
  let cen = xs[imax];
  let height = (maxy - miny) * 3;
  let sig = (maxx - minx) / 6;
  const half = (maxy + miny) / 2;
  let xh = xs.filter((_, i) => ys[i] > half);
  if (negative) {
    height = -(maxy - miny) * 3;
    xh = xs.filter((_, i) => ys[i] < half);
  }
  if (xh.length > 2) {
    sig = (xh[xh.length - 1] - xh[0]) / 2;
    cen = xh.reduce((a, b) => a + b, 0) / xh.length;
  }
  return { amplitude: height * sig * ampscale, center: cen, sigma: sig * sigscale };
}

function xOf(model: BaseModel, vars: IndependentVars): Float64Array {
  const x = vars[model.independentVars[0]];
  if (!x) {
    throw new TypeError(
      `guess: pass the independent variable, e.g. guess(y, { ${model.independentVars[0]}: x })`,
    );
  }
  return Float64Array.from(x);
}

/** A built-in model: an expression model with lmfit's name, defaults, hints and guess. */
export abstract class BuiltinModel extends ExpressionModel {
  /** Creates the model from its lineshape expression, parameter names and defaults. */
  constructor(
    name: string,
    expr: string,
    paramNames: string[],
    defaults: Record<string, number>,
    options: BuiltinModelOptions,
  ) {
    super(expr, {
      paramNames,
      defaults,
      name,
      prefix: options.prefix,
      nanPolicy: options.nanPolicy,
      independentVars: options.independentVars,
    });
  }

  /** lmfit-like representation, e.g. `Model(gaussian, prefix='g1_')`. */
  override toString(): string {
    return this.prefix ? `Model(${this.name}, prefix='${this.prefix}')` : `Model(${this.name})`;
  }
}

/** Peak models with lmfit's `fwhm` and `height` derived parameters and `sigma >= 0`. */
export abstract class PeakModel extends BuiltinModel {
  readonly #ampscale: number;
  /** Creates the peak model with its fwhm and height factors (as lmfit's models.py). */
  constructor(
    name: string,
    expr: string,
    fwhmFactor: number,
    heightFactor: number,
    options: BuiltinModelOptions,
    ampscale = 1,
  ) {
    super(
      name,
      expr,
      ["amplitude", "center", "sigma"],
      { amplitude: 1, center: 0, sigma: 1 },
      options,
    );
    this.#ampscale = ampscale;
    const p = this.prefix;
    this.setParamHint("sigma", { min: 0 });
    this.setParamHint("fwhm", { expr: `${fwhmFactor.toFixed(7)}*${p}sigma` });
    this.setParamHint("height", {
      expr: `${heightFactor.toFixed(7)}*${p}amplitude/max(${TINY}, ${p}sigma)`,
    });
  }

  /** Start values from the data's peak (lmfit's `guess_from_peak`). */
  override guess(
    data: ArrayLike<number>,
    vars: IndependentVars & { negative?: boolean },
  ): Parameters {
    const g = guessFromPeak(data, xOf(this, vars), !!vars.negative, this.#ampscale);
    const params = this.makeParams(g);
    params.get(`${this.prefix}sigma`)!.set({ min: 0 });
    return params;
  }
}

/**
 * Gaussian: `amplitude/(σ√(2π))·exp(-(x-center)²/(2σ²))`, with `fwhm` and `height`.
 *
 * @example
 * ```ts
 * import { GaussianModel } from "./models.ts";
 * const g = new GaussianModel({ prefix: "g1_" });
 * g.paramNames; // ["g1_amplitude", "g1_center", "g1_sigma"]
 * ```
 */
export class GaussianModel extends PeakModel {
  /** Creates the model with lmfit's parameter names, defaults and hints. */
  constructor(options: BuiltinModelOptions = {}) {
    super(
      "gaussian",
      `amplitude/max(${TINY}, sqrt(2*pi)*sigma)*exp(-(x - center)**2/max(${TINY}, 2*sigma**2))`,
      2 * Math.sqrt(2 * Math.log(2)),
      1 / Math.sqrt(2 * Math.PI),
      options,
    );
  }
}

/**
 * Lorentzian: `amplitude/(πσ)/(1 + ((x-center)/σ)²)`, with `fwhm` and `height`.
 *
 * @example
 * ```ts
 * import { LorentzianModel } from "./models.ts";
 * new LorentzianModel().makeParams().get("fwhm")!.expr; // "2.0000000*sigma"
 * ```
 */
export class LorentzianModel extends PeakModel {
  /** Creates the model with lmfit's parameter names, defaults and hints. */
  constructor(options: BuiltinModelOptions = {}) {
    super(
      "lorentzian",
      `amplitude/(1 + ((x - center)/max(${TINY}, sigma))**2)/max(${TINY}, pi*sigma)`,
      2,
      1 / Math.PI,
      options,
      1.25,
    );
  }
}

/**
 * Constant: `c`.
 *
 * @example
 * ```ts
 * import { ConstantModel } from "./models.ts";
 * new ConstantModel().eval({ c: 3 }, { x: [1, 2] }); // [3, 3]
 * ```
 */
export class ConstantModel extends BuiltinModel {
  /** Creates the model with lmfit's parameter names, defaults and hints. */
  constructor(options: BuiltinModelOptions = {}) {
    super("constant", "c + 0*x", ["c"], { c: 0 }, options);
  }
  /** The mean of the data. */
  override guess(data: ArrayLike<number>, _vars: IndependentVars = {}): Parameters {
    let s = 0;
    for (let i = 0; i < data.length; i++) s += data[i];
    return this.makeParams({ c: s / data.length });
  }
}

/**
 * Linear: `slope·x + intercept`.
 *
 * @example
 * ```ts
 * import { LinearModel } from "./models.ts";
 * new LinearModel().guess([1, 3, 5], { x: [0, 1, 2] }).valuesdict(); // { slope: 2, intercept: 1 }
 * ```
 */
export class LinearModel extends BuiltinModel {
  /** Creates the model with lmfit's parameter names, defaults and hints. */
  constructor(options: BuiltinModelOptions = {}) {
    super(
      "linear",
      "slope*x + intercept",
      ["slope", "intercept"],
      { slope: 1, intercept: 0 },
      options,
    );
  }
  /** A straight-line least-squares fit (numpy.polyfit, degree 1). */
  override guess(data: ArrayLike<number>, vars: IndependentVars): Parameters {
    const [slope, intercept] = polyfit(xOf(this, vars), data, 1);
    return this.makeParams({ slope, intercept });
  }
}

/**
 * Quadratic: `a·x² + b·x + c`.
 *
 * @example
 * ```ts
 * import { QuadraticModel } from "./models.ts";
 * new QuadraticModel().paramNames; // ["a", "b", "c"]
 * ```
 */
export class QuadraticModel extends BuiltinModel {
  /** Creates the model with lmfit's parameter names, defaults and hints. */
  constructor(options: BuiltinModelOptions = {}) {
    super("parabolic", "a*x**2 + b*x + c", ["a", "b", "c"], { a: 0, b: 0, c: 0 }, options);
  }
  /** A least-squares parabola (numpy.polyfit, degree 2). */
  override guess(data: ArrayLike<number>, vars: IndependentVars): Parameters {
    const [a, b, c] = polyfit(xOf(this, vars), data, 2);
    return this.makeParams({ a, b, c });
  }
}

/**
 * Polynomial of degree 0–7: `c0 + c1·x + ... + cN·x^N`.
 *
 * @example
 * ```ts
 * import { PolynomialModel } from "./models.ts";
 * new PolynomialModel(3).paramNames; // ["c0", "c1", "c2", "c3"]
 * ```
 */
export class PolynomialModel extends BuiltinModel {
  /** The degree. */
  readonly degree: number;
  /** Creates the model with lmfit's parameter names, defaults and hints. */
  constructor(degree: number, options: BuiltinModelOptions = {}) {
    if (!Number.isInteger(degree) || degree < 0 || degree > 7) {
      throw new RangeError(`PolynomialModel: degree must be an integer from 0 to 7, got ${degree}`);
    }
    const names = Array.from({ length: degree + 1 }, (_, i) => `c${i}`);
    const expr =
      names.map((c, i) => (i === 0 ? c : i === 1 ? `${c}*x` : `${c}*x**${i}`)).join(" + ") +
      (degree === 0 ? " + 0*x" : "");
    super("polynomial", expr, names, Object.fromEntries(names.map((c) => [c, 0])), options);
    this.degree = degree;
  }
  /** A least-squares polynomial (numpy.polyfit). */
  override guess(data: ArrayLike<number>, vars: IndependentVars): Parameters {
    const coefs = polyfit(xOf(this, vars), data, this.degree);
    const values: Record<string, number> = {};
    for (let i = 0; i <= this.degree; i++) values[`c${i}`] = coefs[this.degree - i];
    return this.makeParams(values);
  }
}

/**
 * Exponential decay: `amplitude·exp(-x/decay)`.
 *
 * @example
 * ```ts
 * import { ExponentialModel } from "./models.ts";
 * new ExponentialModel().paramNames; // ["amplitude", "decay"]
 * ```
 */
export class ExponentialModel extends BuiltinModel {
  /** Creates the model with lmfit's parameter names, defaults and hints. */
  constructor(options: BuiltinModelOptions = {}) {
    super(
      "exponential",
      `amplitude*exp(-x/copysign(max(${TINY}, abs(decay)), decay))`,
      ["amplitude", "decay"],
      { amplitude: 1, decay: 1 },
      options,
    );
  }
  /** From a straight-line fit of log|y| (lmfit's guess). */
  override guess(data: ArrayLike<number>, vars: IndependentVars): Parameters {
    const logy = Float64Array.from(data, (v) => Math.log(Math.abs(v) + 1e-15));
    const [s, o] = polyfit(xOf(this, vars), logy, 1);
    return this.makeParams({ amplitude: Math.exp(o), decay: -1 / s });
  }
}

/**
 * Power law: `amplitude·x^exponent`.
 *
 * @example
 * ```ts
 * import { PowerLawModel } from "./models.ts";
 * new PowerLawModel().paramNames; // ["amplitude", "exponent"]
 * ```
 */
export class PowerLawModel extends BuiltinModel {
  /** Creates the model with lmfit's parameter names, defaults and hints. */
  constructor(options: BuiltinModelOptions = {}) {
    super("powerlaw", "amplitude*x**exponent", ["amplitude", "exponent"], {
      amplitude: 1,
      exponent: 1,
    }, options);
  }
  /** From a straight-line fit of log|y| against log|x| (lmfit's guess). */
  override guess(data: ArrayLike<number>, vars: IndependentVars): Parameters {
    const x = xOf(this, vars);
    const lx = x.map((v) => Math.log(Math.abs(v) + 1e-15));
    const ly = Float64Array.from(data, (v) => Math.log(Math.abs(v) + 1e-15));
    const [e, a] = polyfit(lx, ly, 1);
    return this.makeParams({ amplitude: Math.exp(a), exponent: e });
  }
}

/**
 * Sine: `amplitude·sin(frequency·x + shift)`.
 *
 * @example
 * ```ts
 * import { SineModel } from "./models.ts";
 * new SineModel().paramNames; // ["amplitude", "frequency", "shift"]
 * ```
 */
export class SineModel extends BuiltinModel {
  /** Creates the model with lmfit's parameter names, defaults and hints. */
  constructor(options: BuiltinModelOptions = {}) {
    super("sine", "amplitude*sin(frequency*x + shift)", ["amplitude", "frequency", "shift"], {
      amplitude: 1,
      frequency: 1,
      shift: 0,
    }, options);
    this.setParamHint("amplitude", { min: 0 });
    this.setParamHint("frequency", { min: 0 });
    this.setParamHint("shift", { min: -2 * Math.PI - 1e-6, max: 2 * Math.PI + 1e-6 });
  }
}

/** Built-in models by the names the command line accepts. */
export const BUILTIN_MODELS: Readonly<
  Record<string, (options: Record<string, string | number>) => BaseModel>
> = Object.freeze({
  gaussian: (o) => new GaussianModel(o as BuiltinModelOptions),
  lorentzian: (o) => new LorentzianModel(o as BuiltinModelOptions),
  constant: (o) => new ConstantModel(o as BuiltinModelOptions),
  linear: (o) => new LinearModel(o as BuiltinModelOptions),
  quadratic: (o) => new QuadraticModel(o as BuiltinModelOptions),
  parabolic: (o) => new QuadraticModel(o as BuiltinModelOptions),
  polynomial: (o) => new PolynomialModel(Number(o.degree ?? 2), o as BuiltinModelOptions),
  exponential: (o) => new ExponentialModel(o as BuiltinModelOptions),
  powerlaw: (o) => new PowerLawModel(o as BuiltinModelOptions),
  sine: (o) => new SineModel(o as BuiltinModelOptions),
});
