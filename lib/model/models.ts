/**
 * Built-in models with lmfit's parameterisation, defaults, tiny-guards, derived parameters
 * (`fwhm`, `height`) and `guess()`. Each lineshape is written in the expression language, so
 * it has an analytic Jacobian and can be emitted as WGSL for batched GPU fitting.
 *
 * @module
 */

import type { Parameters } from "../parameters.ts";
import type { NanPolicy } from "../fit/objective.ts";
import { polyfit } from "../linalg/lstsq.ts";
import { ExpressionModel } from "./expression_model.ts";
import { guessSine } from "./guess.ts";
import type { BaseModel, Model } from "./model.ts";
import { checkVarNames, type GuessVars } from "./fitted_model.ts";
import { checkOptions, optionKeys } from "../util/options.ts";

/**
 * Options every built-in model takes.
 *
 * @example
 * ```ts
 * import { type BuiltinModelOptions, LorentzianModel } from "./models.ts";
 * const options: BuiltinModelOptions = { prefix: "l1_", nanPolicy: "omit" };
 * const model = new LorentzianModel(options);
 * model.paramNames; // ["l1_amplitude", "l1_center", "l1_sigma"]
 * model.eval({ l1_amplitude: 1, l1_center: 0, l1_sigma: 1 }, { x: [0] })[0]; // 0.3183… = 1/π
 * ```
 *
 * @category Models
 */
export interface BuiltinModelOptions {
  /** Prefix for parameter names. @default "" */
  prefix?: string;
  /** How non-finite model values are handled. @default "raise" */
  nanPolicy?: NanPolicy;
  /** Independent variable name. @default "x" */
  independentVars?: string[];
  /**
   * The model's name, as lmfit's `name=` (`Model(peak)`); it does not change which lineshape
   * the model is (`kind`). @default the lineshape's name, e.g. "gaussian"
   */
  name?: string;
}

const TINY = "1e-15";

const BUILTIN_OPTION_KEYS = optionKeys<BuiltinModelOptions>({
  prefix: true,
  nanPolicy: true,
  independentVars: true,
  name: true,
});

/** Options some built-ins take besides `BuiltinModelOptions`, by kind. */
const KIND_OPTION_KEYS: Readonly<Record<string, readonly string[]>> = {
  polynomial: ["degree"],
  thermal_distribution: ["form"],
  step: ["form"],
  rectangle: ["form"],
};

/**
 * The lineshape expression with its independent variables (`x`, or `x` and `y`) renamed to
 * the ones given, e.g. `GaussianModel({ independentVars: ["t"] })` as a Gaussian in `t`.
 */
function renameVars(
  where: string,
  expr: string,
  own: readonly string[],
  given: readonly string[] | undefined,
  paramNames: readonly string[],
): string {
  if (given === undefined) return expr;
  if (!Array.isArray(given) || given.length !== own.length) {
    throw new TypeError(
      `${where}: independentVars must name ${own.length} variable${
        own.length > 1 ? "s" : ""
      } (in place of ${own.join(", ")}), got ${JSON.stringify(given)}`,
    );
  }
  for (const v of given) {
    if (typeof v !== "string" || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(v) || paramNames.includes(v)) {
      throw new TypeError(
        `${where}: independent variable ${
          JSON.stringify(v)
        } must be a name that is not a parameter (${paramNames.join(", ")})`,
      );
    }
  }
  if (new Set(given).size !== given.length) {
    throw new TypeError(`${where}: independentVars ${JSON.stringify(given)} repeat a name`);
  }
  const map = new Map(own.map((v, i) => [v, given[i]]));
  return expr.replace(/(?<![A-Za-z0-9_.])([A-Za-z_][A-Za-z0-9_]*)/g, (w) => map.get(w) ?? w);
}

/**
 * lmfit's `guess_from_peak`: amplitude, center and sigma from a peak's half-maximum width.
 *
 * @example
 * ```ts
 * import { guessFromPeak } from "./models.ts";
 * const x = Array.from({ length: 41 }, (_, i) => i / 4 - 5);
 * const y = x.map((v) => 3 * Math.exp(-((v - 1) ** 2) / 2));
 * guessFromPeak(y, x, false); // ≈ { amplitude: 9, center: 1, sigma: 1 }
 * ```
 *
 * @category Models
 */
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

function xOf(model: BaseModel, vars: GuessVars, negative = false): Float64Array {
  checkVarNames(vars, model.independentVars, "guess", negative ? ["negative"] : []);
  const x = vars[model.independentVars[0]] as ArrayLike<number> | undefined;
  if (!x || typeof x !== "object") {
    throw new TypeError(
      `guess: pass the independent variable, e.g. guess(y, { ${model.independentVars[0]}: x })`,
    );
  }
  return Float64Array.from(x);
}

/**
 * A built-in model: an expression model with lmfit's name, defaults, hints and guess.
 *
 * @example
 * ```ts
 * import { BuiltinModel, ExponentialModel } from "./models.ts";
 * const m = new ExponentialModel({ prefix: "e_" });
 * m instanceof BuiltinModel; // true
 * m.builtinOptions; // { prefix: "e_" }
 * m.name; // "Model(exponential, prefix='e_')"
 * m.kind; // "exponential"
 * ```
 *
 * @category Models
 */
export abstract class BuiltinModel extends ExpressionModel {
  /** The options it was made with (prefix, form, degree, ...), for saving and loading. */
  readonly builtinOptions: Readonly<Record<string, unknown>>;
  /** Which built-in this is, by its name in `BUILTIN_MODELS` (`gaussian`), whatever its `name`. */
  readonly kind: string;
  /**
   * Creates the model from its lineshape expression (in `vars`, `["x"]` by default), parameter
   * names and defaults. `options.independentVars` renames the lineshape's variables.
   */
  constructor(
    kind: string,
    expr: string,
    paramNames: string[],
    defaults: Record<string, number>,
    options: BuiltinModelOptions,
    vars: readonly string[] = ["x"],
  ) {
    checkOptions(
      options,
      [...BUILTIN_OPTION_KEYS, ...(KIND_OPTION_KEYS[kind] ?? [])],
      new.target.name,
    );
    super(renameVars(new.target.name, expr, vars, options.independentVars, paramNames), {
      paramNames,
      defaults,
      name: options.name ?? kind,
      prefix: options.prefix,
      nanPolicy: options.nanPolicy,
      independentVars: options.independentVars ?? [...vars],
    });
    this.builtinOptions = Object.freeze({ ...options });
    this.kind = kind;
  }

  /** A new built-in of the same kind and options (used by `copy`). */
  protected override freshCopy(): Model {
    const make = BUILTIN_MODELS[this.kind];
    return make(
      { ...this.builtinOptions, prefix: this.prefix } as Record<string, string | number>,
    ) as Model;
  }
}

/**
 * Peak models with lmfit's `fwhm` and `height` derived parameters and `sigma >= 0`.
 *
 * @example
 * ```ts
 * import { GaussianModel, PeakModel } from "./models.ts";
 * const g = new GaussianModel();
 * g instanceof PeakModel; // true
 * const x = Array.from({ length: 41 }, (_, i) => i / 4 - 5);
 * const p = g.guess(x.map((v) => 3 * Math.exp(-((v - 1) ** 2) / 2)), { x });
 * p.get("fwhm")!.value; // ≈ 2.3548 (2√(2 ln 2)·sigma)
 * ```
 *
 * @category Models
 */
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
    vars: GuessVars,
  ): Parameters {
    const g = guessFromPeak(data, xOf(this, vars, true), !!vars.negative, this.#ampscale);
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
 *
 * @category Models
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
 *
 * @category Models
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
 *
 * @category Models
 */
export class ConstantModel extends BuiltinModel {
  /** Creates the model with lmfit's parameter names, defaults and hints. */
  constructor(options: BuiltinModelOptions = {}) {
    super("constant", "c + 0*x", ["c"], { c: 0 }, options);
  }
  /** The mean of the data. */
  override guess(data: ArrayLike<number>, vars: GuessVars = {}): Parameters {
    checkVarNames(vars, this.independentVars, "guess");
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
 *
 * @category Models
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
  override guess(data: ArrayLike<number>, vars: GuessVars): Parameters {
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
 *
 * @category Models
 */
export class QuadraticModel extends BuiltinModel {
  /** Creates the model with lmfit's parameter names, defaults and hints. */
  constructor(options: BuiltinModelOptions = {}) {
    super("parabolic", "a*x**2 + b*x + c", ["a", "b", "c"], { a: 0, b: 0, c: 0 }, options);
  }
  /** A least-squares parabola (numpy.polyfit, degree 2). */
  override guess(data: ArrayLike<number>, vars: GuessVars): Parameters {
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
 *
 * @category Models
 */
export class PolynomialModel extends BuiltinModel {
  /** The degree. */
  readonly degree: number;
  /** Creates the model with lmfit's parameter names, defaults and hints. */
  constructor(degree: number, options: BuiltinModelOptions = {}) {
    checkOptions(options, BUILTIN_OPTION_KEYS, "PolynomialModel");
    if (!Number.isInteger(degree) || degree < 0 || degree > 7) {
      throw new RangeError(`PolynomialModel: degree must be an integer from 0 to 7, got ${degree}`);
    }
    const names = Array.from({ length: degree + 1 }, (_, i) => `c${i}`);
    const expr =
      names.map((c, i) => (i === 0 ? c : i === 1 ? `${c}*x` : `${c}*x**${i}`)).join(" + ") +
      (degree === 0 ? " + 0*x" : "");
    super("polynomial", expr, names, Object.fromEntries(names.map((c) => [c, 0])), {
      ...options,
      degree,
    } as BuiltinModelOptions);
    this.degree = degree;
  }
  /** A least-squares polynomial (numpy.polyfit). */
  override guess(data: ArrayLike<number>, vars: GuessVars): Parameters {
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
 *
 * @category Models
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
  override guess(data: ArrayLike<number>, vars: GuessVars): Parameters {
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
 *
 * @category Models
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
  override guess(data: ArrayLike<number>, vars: GuessVars): Parameters {
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
 *
 * @category Models
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

  /**
   * lmfit's guess: amplitude and frequency from the largest DFT magnitude of the mean-removed
   * data (x evenly spaced), then the best of 11 shifts in [0, 2π).
   *
   * @example
   * ```ts
   * import { SineModel } from "./models.ts";
   * const x = Float64Array.from({ length: 201 }, (_, i) => i / 20);
   * const p = new SineModel().guess(x.map((v) => 3 * Math.sin(2 * v + 0.5)), { x });
   * p.get("frequency")!.value; // ≈ 1.876 (the nearest DFT bin, as lmfit)
   * ```
   */
  override guess(data: ArrayLike<number>, vars: GuessVars): Parameters {
    const g = guessSine(data, xOf(this, vars));
    return this.makeParams(g);
  }
}

const S2 = "sqrt(2)";
const GAUSS = (c = "center", sg = "sigma") =>
  `exp(-(x - ${c})**2/max(${TINY}, 2*${sg}**2))/max(${TINY}, sqrt(2*pi)*${sg})`;
const VOIGT =
  `amplitude*wofz_re((x - center)/max(${TINY}, sigma*${S2}), gamma/max(${TINY}, sigma*${S2}))/max(${TINY}, sigma*sqrt(2*pi))`;

/**
 * A peak model from an expression, with lmfit's hints and `guess_from_peak` scalings.
 *
 * @example
 * ```ts
 * import { ShapedPeakModel, VoigtModel } from "./models.ts";
 * const v = new VoigtModel();
 * v instanceof ShapedPeakModel; // true
 * const x = Array.from({ length: 41 }, (_, i) => i / 4 - 5);
 * const p = v.guess(x.map((t) => 3 * Math.exp(-((t - 1) ** 2) / 2)), { x });
 * p.valuesdict(); // ≈ { amplitude: 13.5, center: 1, sigma: 0.65, gamma: 0.65, ... }
 * ```
 *
 * @category Models
 */
export abstract class ShapedPeakModel extends BuiltinModel {
  readonly #ampscale: number;
  readonly #sigscale: number;
  /** Creates the model; `scales` are lmfit's guess amplitude and sigma scalings. */
  constructor(
    name: string,
    expr: string,
    names: string[],
    defaults: Record<string, number>,
    options: BuiltinModelOptions,
    scales: [number, number] = [1, 1],
  ) {
    super(name, expr, names, defaults, options);
    this.#ampscale = scales[0];
    this.#sigscale = scales[1];
  }
  /** Start values from the data's peak (lmfit's `guess_from_peak`), then model-specific ones. */
  override guess(
    data: ArrayLike<number>,
    vars: GuessVars,
  ): Parameters {
    const g = guessFromPeak(
      data,
      xOf(this, vars, true),
      !!vars.negative,
      this.#ampscale,
      this.#sigscale,
    );
    const params = this.makeParams(g);
    params.get(`${this.prefix}sigma`)!.set({ min: 0 });
    this.adjustGuess(params);
    return params;
  }
  /** Model-specific changes to guessed parameters (lmfit sets some shape parameters). */
  protected adjustGuess(_params: Parameters): void {}
}

/**
 * Split Lorentzian: different half widths `sigma` (left) and `sigma_r` (right).
 *
 * @example
 * ```ts
 * import { SplitLorentzianModel } from "./models.ts";
 * new SplitLorentzianModel().paramNames; // ["amplitude", "center", "sigma", "sigma_r"]
 * ```
 *
 * @category Models
 */
export class SplitLorentzianModel extends ShapedPeakModel {
  /** Creates the model with lmfit's hints (fwhm = sigma + sigma_r). */
  constructor(options: BuiltinModelOptions = {}) {
    const s = `max(${TINY}, sigma)`, r = `max(${TINY}, sigma_r)`;
    super(
      "split_lorentzian",
      `2*amplitude/(pi*(${s} + ${r}))*(${s}**2*(x < center)/(${s}**2 + (x - center)**2) + ${r}**2*(x >= center)/(${r}**2 + (x - center)**2))`,
      ["amplitude", "center", "sigma", "sigma_r"],
      { amplitude: 1, center: 0, sigma: 1, sigma_r: 1 },
      options,
      [1.25, 1],
    );
    const p = this.prefix;
    this.setParamHint("sigma", { min: 0 });
    this.setParamHint("sigma_r", { min: 0 });
    this.setParamHint("fwhm", { expr: `${p}sigma+${p}sigma_r` });
    this.setParamHint("height", {
      expr: `2*${p}amplitude/3.1415927/max(0.0000000, (${p}sigma+${p}sigma_r))`,
    });
  }
  /** lmfit sets these shape parameters after the peak guess. */
  protected override adjustGuess(params: Parameters): void {
    const s = params.get(`${this.prefix}sigma`)!;
    params.get(`${this.prefix}sigma_r`)!.set({ value: s.value, min: s.min, max: s.max });
  }
}

/**
 * Voigt: `amplitude·Re[w(z)]/(σ√(2π))`, `z = (x − center + iγ)/(σ√2)`; `gamma` follows `sigma`
 * unless you vary it.
 *
 * @example
 * ```ts
 * import { VoigtModel } from "./models.ts";
 * new VoigtModel().makeParams().get("gamma")!.expr; // "sigma"
 * ```
 *
 * @category Models
 */
export class VoigtModel extends ShapedPeakModel {
  /** Creates the model with lmfit's hints (gamma = sigma, fwhm, height). */
  constructor(options: BuiltinModelOptions = {}) {
    super(
      "voigt",
      VOIGT,
      ["amplitude", "center", "sigma", "gamma"],
      { amplitude: 1, center: 0, sigma: 1, gamma: 1 },
      options,
      [
        1.5,
        0.65,
      ],
    );
    const p = this.prefix;
    this.setParamHint("sigma", { min: 0 });
    this.setParamHint("gamma", { expr: `${p}sigma` });
    this.setParamHint("fwhm", {
      expr: `1.0692*${p}gamma+sqrt(0.8664*${p}gamma**2+5.545083*${p}sigma**2)`,
    });
    this.setParamHint("height", {
      expr:
        `(${p}amplitude/(max(${TINY}, ${p}sigma*sqrt(2*pi))))*wofz_re(0, ${p}gamma/(max(${TINY}, ${p}sigma*sqrt(2))))`,
    });
  }
}

/**
 * Pseudo-Voigt: `(1 − fraction)·Gaussian(σ/√(2 ln 2)) + fraction·Lorentzian(σ)`.
 *
 * @example
 * ```ts
 * import { PseudoVoigtModel } from "./models.ts";
 * new PseudoVoigtModel().makeParams().get("fraction")!.value; // 0.5
 * ```
 *
 * @category Models
 */
export class PseudoVoigtModel extends ShapedPeakModel {
  /** Creates the model with lmfit's hints (fraction in [0, 1], fwhm, height). */
  constructor(options: BuiltinModelOptions = {}) {
    const sg = "(sigma/sqrt(2*log(2)))";
    super(
      "pvoigt",
      `(1 - fraction)*amplitude*${
        GAUSS("center", sg)
      } + fraction*amplitude/(1 + ((x - center)/max(${TINY}, sigma))**2)/max(${TINY}, pi*sigma)`,
      ["amplitude", "center", "sigma", "fraction"],
      { amplitude: 1, center: 0, sigma: 1, fraction: 0.5 },
      options,
      [1.25, 1],
    );
    const p = this.prefix;
    this.setParamHint("sigma", { min: 0 });
    this.setParamHint("fraction", { value: 0.5, min: 0, max: 1 });
    this.setParamHint("fwhm", { expr: `2.0000000*${p}sigma` });
    this.setParamHint("height", {
      expr:
        `(((1-${p}fraction)*${p}amplitude)/max(${TINY}, (${p}sigma*sqrt(pi/log(2))))+(${p}fraction*${p}amplitude)/max(${TINY}, (pi*${p}sigma)))`,
    });
  }
  /** lmfit sets these shape parameters after the peak guess. */
  protected override adjustGuess(params: Parameters): void {
    params.get(`${this.prefix}fraction`)!.set({ value: 0.5, min: 0, max: 1 });
  }
}

/**
 * Moffat: `amplitude/(((x − center)/σ)² + 1)^β`.
 *
 * @example
 * ```ts
 * import { MoffatModel } from "./models.ts";
 * new MoffatModel().paramNames; // ["amplitude", "center", "sigma", "beta"]
 * ```
 *
 * @category Models
 */
export class MoffatModel extends ShapedPeakModel {
  /** Creates the model with lmfit's hints. */
  constructor(options: BuiltinModelOptions = {}) {
    super(
      "moffat",
      `amplitude/(((x - center)/max(${TINY}, sigma))**2 + 1)**beta`,
      ["amplitude", "center", "sigma", "beta"],
      { amplitude: 1, center: 0, sigma: 1, beta: 1 },
      options,
      [0.5, 1],
    );
    const p = this.prefix;
    this.setParamHint("sigma", { min: 0 });
    this.setParamHint("fwhm", { expr: `2*${p}sigma*sqrt(2**(1.0/max(1e-3, ${p}beta))-1)` });
    this.setParamHint("height", { expr: `${p}amplitude` });
  }
}

/**
 * Pearson IV (with skew), normalised with the complex log-gamma function.
 *
 * @example
 * ```ts
 * import { Pearson4Model } from "./models.ts";
 * new Pearson4Model().paramNames; // ["amplitude", "center", "sigma", "expon", "skew"]
 * ```
 *
 * @category Models
 */
export class Pearson4Model extends ShapedPeakModel {
  /** Creates the model with lmfit's hints (expon, skew ranges, fwhm, height, position). */
  constructor(options: BuiltinModelOptions = {}) {
    const e = `max(${TINY}, expon)`, s = `max(${TINY}, sigma)`;
    super(
      "pearson4",
      `(amplitude/${s})*exp(2*(lgamma_cre(${e}, skew*0.5) - lgamma(${e})) - betaln(${e} - 0.5, 0.5) - ${e}*log1p(((x - center)/${s})**2) - skew*atan((x - center)/${s}))`,
      ["amplitude", "center", "sigma", "expon", "skew"],
      { amplitude: 1, center: 0, sigma: 1, expon: 1, skew: 0 },
      options,
    );
    const p = this.prefix;
    this.setParamHint("expon", { value: 1.5, min: 0.5 + 1e-15, max: 1000 });
    this.setParamHint("skew", { value: 0, min: -1000, max: 1000 });
    this.setParamHint("fwhm", {
      expr: `${p}sigma*sqrt(2**(1/${p}expon)-1)*pi/atan2(exp(1)*${p}expon, ${p}skew)`,
    });
    this.setParamHint("height", {
      expr:
        `(${p}amplitude / ${p}sigma) * exp(2 * (lgamma_cre(${p}expon, ${p}skew * 0.5) - lgamma(${p}expon)) - betaln(${p}expon-0.5, 0.5) - ${p}expon * log1p((${p}skew/(2*${p}expon))**2) - ${p}skew * atan(-${p}skew/(2*${p}expon)))`,
    });
    this.setParamHint("position", { expr: `${p}center-${p}sigma*${p}skew/(2*${p}expon)` });
  }
  /** lmfit sets these shape parameters after the peak guess. */
  protected override adjustGuess(params: Parameters): void {
    params.get(`${this.prefix}expon`)!.set({ value: 1.5 });
    params.get(`${this.prefix}skew`)!.set({ value: 0 });
  }
}

/**
 * Pearson VII: `amplitude·Γ(m)/(Γ(½)Γ(m − ½))·(1 + ((x − center)/σ)²)^(−m)/σ`.
 *
 * @example
 * ```ts
 * import { Pearson7Model } from "./models.ts";
 * new Pearson7Model().makeParams().get("expon")!.value; // 1.5
 * ```
 *
 * @category Models
 */
export class Pearson7Model extends ShapedPeakModel {
  /** Creates the model with lmfit's hints. */
  constructor(options: BuiltinModelOptions = {}) {
    const e = `max(${TINY}, expon)`;
    super(
      "pearson7",
      `amplitude*gamfcn(${e})/(gamfcn(0.5)*gamfcn(${e} - 0.5))*(1 + ((x - center)/max(${TINY}, sigma))**2)**(-${e})/max(${TINY}, sigma)`,
      ["amplitude", "center", "sigma", "expon"],
      { amplitude: 1, center: 0, sigma: 1, expon: 1 },
      options,
    );
    const p = this.prefix;
    this.setParamHint("expon", { value: 1.5, max: 100 });
    this.setParamHint("fwhm", { expr: `sqrt(2**(1/${p}expon)-1)*2*${p}sigma` });
    this.setParamHint("height", {
      expr:
        `${p}amplitude * gamfcn(${p}expon)/max(${TINY}, (gamfcn(0.5)*gamfcn(${p}expon-0.5)*${p}sigma))`,
    });
  }
  /** lmfit sets these shape parameters after the peak guess. */
  protected override adjustGuess(params: Parameters): void {
    params.get(`${this.prefix}expon`)!.set({ value: 1.5 });
  }
}

/**
 * Student's t lineshape (sigma is the degrees of freedom).
 *
 * @example
 * ```ts
 * import { StudentsTModel } from "./models.ts";
 * new StudentsTModel().paramNames; // ["amplitude", "center", "sigma"]
 * ```
 *
 * @category Models
 */
export class StudentsTModel extends ShapedPeakModel {
  /** Creates the model with lmfit's hints. */
  constructor(options: BuiltinModelOptions = {}) {
    super(
      "students_t",
      `amplitude*(1 + (x - center)**2/max(${TINY}, sigma))**(-(sigma + 1)/2)*gamfcn((sigma + 1)/2)/max(${TINY}, sqrt(sigma*pi)*gamfcn(max(${TINY}, sigma/2)))`,
      ["amplitude", "center", "sigma"],
      { amplitude: 1, center: 0, sigma: 1 },
      options,
    );
    const p = this.prefix;
    this.setParamHint("sigma", { min: 0, max: 100 });
    this.setParamHint("height", {
      expr: `${p}amplitude*gamfcn((${p}sigma+1)/2)/(sqrt(${p}sigma*pi)*gamfcn(${p}sigma/2))`,
    });
    this.setParamHint("fwhm", { expr: `2*sqrt(2**(2/(${p}sigma+1))*${p}sigma-${p}sigma)` });
  }
  /** Peak guess; sigma (degrees of freedom) gets no lower bound change beyond lmfit's. */
  override guess(
    data: ArrayLike<number>,
    vars: GuessVars,
  ): Parameters {
    const g = guessFromPeak(data, xOf(this, vars, true), !!vars.negative);
    const params = this.makeParams(g);
    params.get(`${this.prefix}sigma`)!.set({ min: 0 });
    return params;
  }
}

/**
 * Breit-Wigner-Fano: `amplitude·(qσ/2 + x − center)²/((σ/2)² + (x − center)²)`.
 *
 * @example
 * ```ts
 * import { BreitWignerModel } from "./models.ts";
 * new BreitWignerModel().paramNames; // ["amplitude", "center", "sigma", "q"]
 * ```
 *
 * @category Models
 */
export class BreitWignerModel extends ShapedPeakModel {
  /** Creates the model with lmfit's hints. */
  constructor(options: BuiltinModelOptions = {}) {
    super(
      "breit_wigner",
      "amplitude*(q*sigma/2 + x - center)**2/((sigma/2)**2 + (x - center)**2)",
      ["amplitude", "center", "sigma", "q"],
      { amplitude: 1, center: 0, sigma: 1, q: 1 },
      options,
    );
    this.setParamHint("sigma", { min: 0 });
  }
  /** lmfit sets these shape parameters after the peak guess. */
  protected override adjustGuess(params: Parameters): void {
    params.get(`${this.prefix}q`)!.set({ value: 1 });
  }
}

/**
 * Log-normal: `amplitude/(xσ√(2π))·exp(−(ln x − center)²/(2σ²))`.
 *
 * @example
 * ```ts
 * import { LognormalModel } from "./models.ts";
 * new LognormalModel().guess([1, 2], { x: [1, 2] }).get("sigma")!.value; // 0.25
 * ```
 *
 * @category Models
 */
export class LognormalModel extends BuiltinModel {
  /** Creates the model with lmfit's hints. */
  constructor(options: BuiltinModelOptions = {}) {
    super(
      "lognormal",
      `amplitude/(max(${TINY}, x)*max(${TINY}, sigma*sqrt(2*pi)))*exp(-(log(max(${TINY}, x)) - center)**2/max(${TINY}, 2*sigma**2))`,
      ["amplitude", "center", "sigma"],
      { amplitude: 1, center: 0, sigma: 1 },
      options,
    );
    const p = this.prefix;
    this.setParamHint("sigma", { min: 0 });
    this.setParamHint("height", {
      expr: `${p}amplitude/max(${TINY}, (${p}sigma*sqrt(2*pi)))*exp(${p}sigma**2/2-${p}center)`,
    });
    this.setParamHint("fwhm", {
      expr:
        `exp(${p}center-${p}sigma**2+${p}sigma*sqrt(2*log(2)))-exp(${p}center-${p}sigma**2-${p}sigma*sqrt(2*log(2)))`,
    });
  }
  /** lmfit's fixed start: amplitude 1, center 0, sigma 0.25. */
  override guess(_data: ArrayLike<number>, vars: GuessVars = {}): Parameters {
    checkVarNames(vars, this.independentVars, "guess");
    const params = this.makeParams({ amplitude: 1, center: 0, sigma: 0.25 });
    params.get(`${this.prefix}sigma`)!.set({ min: 0 });
    return params;
  }
}

/**
 * Damped oscillator amplitude: `amplitude/√((1 − (x/center)²)² + (2σx/center)²)`.
 *
 * @example
 * ```ts
 * import { DampedOscillatorModel } from "./models.ts";
 * new DampedOscillatorModel().paramNames; // ["amplitude", "center", "sigma"]
 * ```
 *
 * @category Models
 */
export class DampedOscillatorModel extends ShapedPeakModel {
  /** Creates the model with lmfit's hints. */
  constructor(options: BuiltinModelOptions = {}) {
    const c = `max(${TINY}, abs(center))`;
    super(
      "damped_oscillator",
      `amplitude/sqrt((1 - (x/${c})**2)**2 + (2*sigma*x/${c})**2)`,
      ["amplitude", "center", "sigma"],
      { amplitude: 1, center: 1, sigma: 0.1 },
      options,
      [0.1, 0.1],
    );
    const p = this.prefix;
    this.setParamHint("sigma", { min: 0 });
    this.setParamHint("height", { expr: `0.5000000*${p}amplitude/max(${TINY}, ${p}sigma)` });
  }
}

/**
 * Damped harmonic oscillator (with Bose factor), lmfit's `dho`.
 *
 * @example
 * ```ts
 * import { DampedHarmonicOscillatorModel } from "./models.ts";
 * new DampedHarmonicOscillatorModel().paramNames; // ["amplitude", "center", "sigma", "gamma"]
 * ```
 *
 * @category Models
 */
export class DampedHarmonicOscillatorModel extends ShapedPeakModel {
  /** Creates the model with lmfit's hints. */
  constructor(options: BuiltinModelOptions = {}) {
    const b = `(1 - exp(-x/max(${TINY}, gamma)))`;
    const bose = `(${TINY} if abs(${b}) <= ${TINY} else ${b})`;
    super(
      "dho",
      `amplitude*sigma/pi*((4*gamma*center/(center**2 + sigma**2)**2) if abs(x) <= 1e-8 else (1/((x - center)**2 + sigma**2) - 1/((x + center)**2 + sigma**2))/${bose})`,
      ["amplitude", "center", "sigma", "gamma"],
      { amplitude: 1, center: 1, sigma: 1, gamma: 1 },
      options,
      [0.1, 0.1],
    );
    const p = this.prefix;
    this.setParamHint("center", { min: 0 });
    this.setParamHint("sigma", { min: 0 });
    this.setParamHint("gamma", { min: 1e-19 });
    this.setParamHint("height", {
      expr:
        `(${p}amplitude*${p}sigma)/max(${TINY}, (pi*(1-exp(-${p}center/max(${TINY}, ${p}gamma)))))*(1/max(${TINY}, ${p}sigma**2)-1/max(${TINY}, (4*${p}center**2+${p}sigma**2)))`,
    });
    this.setParamHint("fwhm", { expr: `2.0000000*${p}sigma` });
  }
  /** lmfit sets these shape parameters after the peak guess. */
  protected override adjustGuess(params: Parameters): void {
    params.get(`${this.prefix}gamma`)!.set({ value: 1, min: 0 });
  }
}

/**
 * Exponentially modified Gaussian.
 *
 * @example
 * ```ts
 * import { ExponentialGaussianModel } from "./models.ts";
 * new ExponentialGaussianModel().paramNames; // ["amplitude", "center", "sigma", "gamma"]
 * ```
 *
 * @category Models
 */
export class ExponentialGaussianModel extends ShapedPeakModel {
  /** Creates the model with lmfit's hints. */
  constructor(options: BuiltinModelOptions = {}) {
    super(
      "expgaussian",
      `amplitude*(gamma/2)*exp(gamma*(center + gamma*sigma**2/2 - x))*erfc((center + gamma*sigma**2 - x)/max(${TINY}, ${S2}*sigma))`,
      ["amplitude", "center", "sigma", "gamma"],
      { amplitude: 1, center: 0, sigma: 1, gamma: 1 },
      options,
    );
    this.setParamHint("sigma", { min: 0 });
    this.setParamHint("gamma", { min: 0, max: 20 });
  }
}

/**
 * Skewed Gaussian: `(1 + erf(γ(x − center)/(σ√2)))·Gaussian`.
 *
 * @example
 * ```ts
 * import { SkewedGaussianModel } from "./models.ts";
 * new SkewedGaussianModel().paramNames; // ["amplitude", "center", "sigma", "gamma"]
 * ```
 *
 * @category Models
 */
export class SkewedGaussianModel extends ShapedPeakModel {
  /** Creates the model with lmfit's hints. */
  constructor(options: BuiltinModelOptions = {}) {
    super(
      "skewed_gaussian",
      `(1 + erf(gamma*(x - center)/max(${TINY}, ${S2}*sigma)))*amplitude*${GAUSS()}`,
      ["amplitude", "center", "sigma", "gamma"],
      { amplitude: 1, center: 0, sigma: 1, gamma: 0 },
      options,
    );
    this.setParamHint("sigma", { min: 0 });
  }
}

/**
 * Skewed Voigt: `(1 + erf(skew(x − center)/(σ√2)))·Voigt`.
 *
 * @example
 * ```ts
 * import { SkewedVoigtModel } from "./models.ts";
 * new SkewedVoigtModel().paramNames; // ["amplitude", "center", "sigma", "gamma", "skew"]
 * ```
 *
 * @category Models
 */
export class SkewedVoigtModel extends ShapedPeakModel {
  /** Creates the model with lmfit's hints (gamma = sigma). */
  constructor(options: BuiltinModelOptions = {}) {
    super(
      "skewed_voigt",
      `(1 + erf(skew/max(${TINY}, ${S2}*sigma)*(x - center)))*${VOIGT}`,
      ["amplitude", "center", "sigma", "gamma", "skew"],
      { amplitude: 1, center: 0, sigma: 1, gamma: 1, skew: 0 },
      options,
    );
    this.setParamHint("sigma", { min: 0 });
    this.setParamHint("gamma", { expr: `${this.prefix}sigma` });
  }
}

/**
 * Forms of the thermal distribution.
 *
 * @example
 * ```ts
 * import { ThermalDistributionModel, type ThermalForm } from "./models.ts";
 * const form: ThermalForm = "fermi";
 * const model = new ThermalDistributionModel({ form });
 * model.eval({ amplitude: 1, center: 0, kt: 1 }, { x: [0] })[0]; // 0.5: half occupied at the Fermi level
 * ```
 *
 * @category Models
 */
export type ThermalForm = "bose" | "maxwell" | "fermi";

/**
 * Thermal distribution `1/(amplitude·exp((x − center)/kT) + offset)`, offset −1 (Bose-Einstein),
 * 0 (Maxwell-Boltzmann) or +1 (Fermi-Dirac).
 *
 * @example
 * ```ts
 * import { ThermalDistributionModel } from "./models.ts";
 * new ThermalDistributionModel({ form: "fermi" }).paramNames; // ["amplitude", "center", "kt"]
 * ```
 *
 * @category Models
 */
export class ThermalDistributionModel extends BuiltinModel {
  /** The form. */
  readonly form: ThermalForm;
  /** Creates the model for the given form (default "bose"). */
  constructor(options: BuiltinModelOptions & { form?: ThermalForm } = {}) {
    const form = (options.form ?? "bose").toLowerCase() as ThermalForm;
    const offset = form.startsWith("bose")
      ? -1
      : form.startsWith("maxwell")
      ? 0
      : form.startsWith("fermi")
      ? 1
      : NaN;
    if (Number.isNaN(offset)) {
      throw new RangeError(
        `ThermalDistributionModel: form must be 'bose', 'maxwell' or 'fermi', got '${options.form}'`,
      );
    }
    // Re[1/(d + i·tiny)] = d/(d² + tiny²), as lmfit's real(1/(d + tiny*1j)).
    const d = `(amplitude*exp((x - center)/copysign(max(${TINY}, abs(kt)), kt)) + ${offset})`;
    super("thermal_distribution", `${d}/(${d}**2 + 1e-30)`, ["amplitude", "center", "kt"], {
      amplitude: 1,
      center: 0,
      kt: 1,
    }, options);
    this.form = form;
  }
  /** lmfit's guess: center at the mean of x, kt a tenth of its range. */
  override guess(_data: ArrayLike<number>, vars: GuessVars): Parameters {
    const x = xOf(this, vars);
    let lo = Infinity, hi = -Infinity, s = 0;
    for (const v of x) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
      s += v;
    }
    return this.makeParams({ center: s / x.length, kt: (hi - lo) / 10 });
  }
}

/**
 * Forms of steps and rectangles.
 *
 * @example
 * ```ts
 * import { type StepForm, StepModel } from "./models.ts";
 * const forms: StepForm[] = ["linear", "erf", "logistic"];
 * const values = { amplitude: 1, center: 0, sigma: 1 };
 * forms.map((form) => new StepModel({ form }).eval(values, { x: [0.25] })[0]); // ≈ [0.75, 0.638, 0.562]
 * ```
 *
 * @category Models
 */
export type StepForm = "linear" | "atan" | "arctan" | "erf" | "logistic";

function stepShape(form: StepForm, arg: string): string {
  switch (form) {
    case "erf":
      return `0.5*(1 + erf(${arg}))`;
    case "logistic":
      return `(1 - 1/(1 + exp(${arg})))`;
    case "atan":
    case "arctan":
      return `(0.5 + atan(${arg})/pi)`;
    case "linear":
      return `min(1, max(0, ${arg} + 0.5))`;
  }
  throw new RangeError(
    `form must be 'linear', 'atan', 'arctan', 'erf' or 'logistic', got '${form}'`,
  );
}

function xRange(x: Float64Array): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const v of x) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return [lo, hi];
}

function dataRange(y: ArrayLike<number>): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < y.length; i++) {
    lo = Math.min(lo, y[i]);
    hi = Math.max(hi, y[i]);
  }
  return [lo, hi];
}

/**
 * A step from 0 to `amplitude` at `center` with width `sigma`, of the given form.
 *
 * @example
 * ```ts
 * import { StepModel } from "./models.ts";
 * new StepModel({ form: "erf" }).eval({ amplitude: 2, center: 0, sigma: 1 }, { x: [0] })[0]; // 1
 * ```
 *
 * @category Models
 */
export class StepModel extends BuiltinModel {
  /** The form. */
  readonly form: StepForm;
  /** Creates the model for the given form (default "linear"). */
  constructor(options: BuiltinModelOptions & { form?: StepForm } = {}) {
    const form = options.form ?? "linear";
    super(
      "step",
      `amplitude*${stepShape(form, `((x - center)/max(${TINY}, sigma))`)}`,
      ["amplitude", "center", "sigma"],
      { amplitude: 1, center: 0, sigma: 1 },
      options,
    );
    this.form = form;
  }
  /** lmfit's guess: data range, x midpoint, a seventh of the x range. */
  override guess(data: ArrayLike<number>, vars: GuessVars): Parameters {
    const [xmin, xmax] = xRange(xOf(this, vars));
    const [ymin, ymax] = dataRange(data);
    const params = this.makeParams({ amplitude: ymax - ymin, center: (xmax + xmin) / 2 });
    params.get(`${this.prefix}sigma`)!.set({ value: (xmax - xmin) / 7, min: 0 });
    return params;
  }
}

/**
 * A rectangle: a step up at `center1` and down at `center2`, of the given form.
 *
 * @example
 * ```ts
 * import { RectangleModel } from "./models.ts";
 * new RectangleModel().makeParams().get("midpoint")!.expr; // "(center1+center2)/2.0"
 * ```
 *
 * @category Models
 */
export class RectangleModel extends BuiltinModel {
  /** The form. */
  readonly form: StepForm;
  /** Creates the model for the given form (default "linear"). */
  constructor(options: BuiltinModelOptions & { form?: StepForm } = {}) {
    const form = options.form ?? "linear";
    const a1 = `((x - center1)/max(${TINY}, sigma1))`, a2 = `((center2 - x)/max(${TINY}, sigma2))`;
    let shape: string;
    switch (form) {
      case "erf":
        shape = `0.5*(erf(${a1}) + erf(${a2}))`;
        break;
      case "logistic":
        shape = `(1 - 1/(1 + exp(${a1})) - 1/(1 + exp(${a2})))`;
        break;
      case "atan":
      case "arctan":
        shape = `((atan(${a1}) + atan(${a2}))/pi)`;
        break;
      case "linear":
        shape = `0.5*(min(1, max(-1, ${a1})) + min(1, max(-1, ${a2})))`;
        break;
      default:
        throw new RangeError(
          `form must be 'linear', 'atan', 'arctan', 'erf' or 'logistic', got '${form}'`,
        );
    }
    super(
      "rectangle",
      `amplitude*${shape}`,
      ["amplitude", "center1", "sigma1", "center2", "sigma2"],
      { amplitude: 1, center1: 0, sigma1: 1, center2: 1, sigma2: 1 },
      options,
    );
    this.form = form;
    this.setParamHint("midpoint", { expr: `(${this.prefix}center1+${this.prefix}center2)/2.0` });
  }
  /** lmfit's guess. */
  override guess(data: ArrayLike<number>, vars: GuessVars): Parameters {
    const [xmin, xmax] = xRange(xOf(this, vars));
    const [ymin, ymax] = dataRange(data);
    const params = this.makeParams({
      amplitude: ymax - ymin,
      center1: (xmax + xmin) / 4,
      center2: (3 * (xmax + xmin)) / 4,
    });
    params.get(`${this.prefix}sigma1`)!.set({ value: (xmax - xmin) / 7, min: 0 });
    params.get(`${this.prefix}sigma2`)!.set({ value: (xmax - xmin) / 7, min: 0 });
    return params;
  }
}

/**
 * Doniach-Sunjic lineshape for photo-emission.
 *
 * @example
 * ```ts
 * import { DoniachModel } from "./models.ts";
 * new DoniachModel().paramNames; // ["amplitude", "center", "sigma", "gamma"]
 * ```
 *
 * @category Models
 */
export class DoniachModel extends ShapedPeakModel {
  /** Creates the model with lmfit's hints. */
  constructor(options: BuiltinModelOptions = {}) {
    const arg = `((x - center)/max(${TINY}, sigma))`;
    super(
      "doniach",
      `amplitude/max(${TINY}, sigma**(1 - gamma))*cos(pi*gamma/2 + (1 - gamma)*atan(${arg}))/(1 + ${arg}**2)**((1 - gamma)/2)`,
      ["amplitude", "center", "sigma", "gamma"],
      { amplitude: 1, center: 0, sigma: 1, gamma: 0 },
      options,
      [0.5, 1],
    );
    const p = this.prefix;
    this.setParamHint("height", {
      expr: `${p}amplitude/max(${TINY}, (${p}sigma**(1-${p}gamma)))*cos(pi*${p}gamma/2)`,
    });
  }
}

/**
 * Two-dimensional Gaussian in independent variables `x` and `y`.
 *
 * @example
 * ```ts
 * import { Gaussian2dModel } from "./models.ts";
 * new Gaussian2dModel().independentVars; // ["x", "y"]
 * ```
 *
 * @category Models
 */
export class Gaussian2dModel extends BuiltinModel {
  /** Creates the model with lmfit's hints (fwhmx, fwhmy, height). */
  constructor(options: BuiltinModelOptions = {}) {
    super(
      "gaussian2d",
      `amplitude*${GAUSS("centerx", "sigmax")}*${
        GAUSS("centery", "sigmay").replaceAll("(x - centery)", "(y - centery)")
      }`,
      ["amplitude", "centerx", "centery", "sigmax", "sigmay"],
      { amplitude: 1, centerx: 0, centery: 0, sigmax: 1, sigmay: 1 },
      options,
      ["x", "y"],
    );
    const p = this.prefix;
    this.setParamHint("sigmax", { min: 0 });
    this.setParamHint("sigmay", { min: 0 });
    this.setParamHint("fwhmx", { expr: `2.3548200*${p}sigmax` });
    this.setParamHint("fwhmy", { expr: `2.3548200*${p}sigmay` });
    this.setParamHint("height", {
      expr: `0.1591549*${p}amplitude/(max(${TINY}, ${p}sigmax)*max(${TINY}, ${p}sigmay))`,
    });
  }
  /** lmfit's `guess_from_peak2d`. */
  override guess(
    data: ArrayLike<number>,
    vars: GuessVars,
  ): Parameters {
    const x = xOf(this, vars, true), yName = this.independentVars[1];
    if (!vars[yName]) {
      throw new TypeError(
        `guess: pass both independent variables, e.g. guess(z, { x, ${yName}: y })`,
      );
    }
    const y = Float64Array.from(vars[yName] as ArrayLike<number>);
    const [xmin, xmax] = xRange(x), [ymin, ymax] = xRange(y);
    let imax = 0, imin = 0;
    for (let i = 1; i < data.length; i++) {
      if (data[i] > data[imax]) imax = i;
      if (data[i] < data[imin]) imin = i;
    }
    const neg = !!vars.negative;
    const height = neg ? data[imin] - data[imax] : data[imax] - data[imin];
    const sx = (xmax - xmin) / 6, sy = (ymax - ymin) / 6;
    const params = this.makeParams({
      amplitude: height * sx * sy,
      centerx: x[neg ? imin : imax],
      centery: y[neg ? imin : imax],
      sigmax: sx,
      sigmay: sy,
    });
    params.get(`${this.prefix}sigmax`)!.set({ min: 0 });
    params.get(`${this.prefix}sigmay`)!.set({ min: 0 });
    return params;
  }
}

/**
 * Built-in models by the names the command line accepts.
 *
 * @example
 * ```ts
 * import { BUILTIN_MODELS } from "./models.ts";
 * BUILTIN_MODELS.gaussian({ prefix: "p1_" }).paramNames; // ["p1_amplitude", "p1_center", "p1_sigma"]
 * BUILTIN_MODELS.polynomial({ degree: 3 }).paramNames; // ["c0", "c1", "c2", "c3"]
 * "voigt" in BUILTIN_MODELS; // true
 * ```
 *
 * @category Models
 */
export const BUILTIN_MODELS: Readonly<
  Record<string, (options: Record<string, string | number>) => BaseModel>
> = Object.freeze({
  gaussian: (o) => new GaussianModel(o as BuiltinModelOptions),
  lorentzian: (o) => new LorentzianModel(o as BuiltinModelOptions),
  constant: (o) => new ConstantModel(o as BuiltinModelOptions),
  linear: (o) => new LinearModel(o as BuiltinModelOptions),
  quadratic: (o) => new QuadraticModel(o as BuiltinModelOptions),
  parabolic: (o) => new QuadraticModel(o as BuiltinModelOptions),
  polynomial: ({ degree, ...o }) =>
    new PolynomialModel(Number(degree ?? 2), o as BuiltinModelOptions),
  exponential: (o) => new ExponentialModel(o as BuiltinModelOptions),
  powerlaw: (o) => new PowerLawModel(o as BuiltinModelOptions),
  sine: (o) => new SineModel(o as BuiltinModelOptions),
  split_lorentzian: (o) => new SplitLorentzianModel(o as BuiltinModelOptions),
  voigt: (o) => new VoigtModel(o as BuiltinModelOptions),
  pvoigt: (o) => new PseudoVoigtModel(o as BuiltinModelOptions),
  pseudovoigt: (o) => new PseudoVoigtModel(o as BuiltinModelOptions),
  moffat: (o) => new MoffatModel(o as BuiltinModelOptions),
  pearson4: (o) => new Pearson4Model(o as BuiltinModelOptions),
  pearson7: (o) => new Pearson7Model(o as BuiltinModelOptions),
  students_t: (o) => new StudentsTModel(o as BuiltinModelOptions),
  breit_wigner: (o) => new BreitWignerModel(o as BuiltinModelOptions),
  lognormal: (o) => new LognormalModel(o as BuiltinModelOptions),
  damped_oscillator: (o) => new DampedOscillatorModel(o as BuiltinModelOptions),
  dho: (o) => new DampedHarmonicOscillatorModel(o as BuiltinModelOptions),
  expgaussian: (o) => new ExponentialGaussianModel(o as BuiltinModelOptions),
  skewed_gaussian: (o) => new SkewedGaussianModel(o as BuiltinModelOptions),
  skewed_voigt: (o) => new SkewedVoigtModel(o as BuiltinModelOptions),
  thermal_distribution: (o) =>
    new ThermalDistributionModel(o as BuiltinModelOptions & { form?: ThermalForm }),
  doniach: (o) => new DoniachModel(o as BuiltinModelOptions),
  step: (o) => new StepModel(o as BuiltinModelOptions & { form?: StepForm }),
  rectangle: (o) => new RectangleModel(o as BuiltinModelOptions & { form?: StepForm }),
  gaussian2d: (o) => new Gaussian2dModel(o as BuiltinModelOptions),
});
