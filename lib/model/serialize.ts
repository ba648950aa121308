/**
 * Saving and loading models and model results as JSON (lmfit's `save_model`/`load_model`,
 * `save_modelresult`/`load_modelresult`). Built-in, expression, spline and composite models are
 * stored by description; a TypeScript function model by name, to be supplied again on loading.
 *
 * @module
 */

import { Parameters } from "../parameters.ts";
import { Minimizer } from "../fit/minimizer.ts";
import { MinimizerResult } from "../fit/result.ts";
import type { UserFunction } from "../symtable.ts";
import {
  type BaseModel,
  CompositeModel,
  Model,
  type ModelFunction,
  type ModelOperator,
} from "./model.ts";
import { ExpressionModel } from "./expression_model.ts";
import { BUILTIN_MODELS, BuiltinModel } from "./models.ts";
import { SplineModel } from "./spline.ts";
import { ModelResult } from "./model_result.ts";

/**
 * The JSON description of a model.
 *
 * @example
 * ```ts
 * import { describeModel, GaussianModel, LinearModel, type ModelDescription, modelFromDescription } from "../../mod.ts";
 * const d: ModelDescription = describeModel(new GaussianModel().add(new LinearModel({ prefix: "b_" })));
 * d.type; // "composite"
 * const line: ModelDescription = { type: "expression", expr: "a * x", prefix: "", independentVars: ["x"], paramNames: ["a"] };
 * modelFromDescription(line).paramNames; // ["a"]
 * ```
 */
export type ModelDescription =
  | { type: "builtin"; name: string; options: Record<string, unknown> }
  | {
    type: "expression";
    expr: string;
    prefix: string;
    independentVars: string[];
    paramNames: string[];
  }
  | { type: "spline"; xknots: number[]; prefix: string; independentVars: string[] }
  | {
    type: "function";
    name: string;
    paramNames: string[];
    prefix: string;
    independentVars: string[];
    defaults: Record<string, number>;
  }
  | { type: "composite"; op: ModelOperator; left: ModelDescription; right: ModelDescription };

function hintsOf(model: BaseModel): Record<string, unknown> {
  return model.paramHints;
}

/**
 * The JSON-ready description of a model (hints included).
 *
 * @example
 * ```ts
 * import { describeModel, GaussianModel } from "../../mod.ts";
 * describeModel(new GaussianModel({ prefix: "g_" })); // { type: "builtin", name: "gaussian", ... }
 * ```
 */
export function describeModel(
  model: BaseModel,
): ModelDescription & { hints?: Record<string, unknown> } {
  if (model instanceof CompositeModel) {
    return {
      type: "composite",
      op: model.op,
      left: describeModel(model.left),
      right: describeModel(model.right),
    };
  }
  const hints = hintsOf(model);
  if (model instanceof BuiltinModel) {
    return { type: "builtin", name: model.name, options: { ...model.builtinOptions }, hints };
  }
  if (model instanceof ExpressionModel) {
    return {
      type: "expression",
      expr: model.source,
      prefix: model.prefix,
      independentVars: model.independentVars,
      paramNames: model.baseParamNames,
      hints,
    };
  }
  if (model instanceof SplineModel) {
    return {
      type: "spline",
      xknots: Array.from(model.xknots),
      prefix: model.prefix,
      independentVars: model.independentVars,
      hints,
    };
  }
  const m = model as Model;
  return {
    type: "function",
    name: m.name,
    paramNames: m.baseParamNames,
    prefix: m.prefix,
    independentVars: m.independentVars,
    defaults: { ...m.defaults },
    hints,
  };
}

/**
 * Options of `modelFromDescription` / `loadModel` / `ModelResult` loading.
 *
 * @example
 * ```ts
 * import { type LoadModelOptions, loadModel, Model, saveModel } from "../../mod.ts";
 * function decay(t: Float64Array, p: Record<string, number>) {
 *   return t.map((v) => p.amp * Math.exp(-v / p.tau));
 * }
 * const json = saveModel(new Model(decay, { paramNames: ["amp", "tau"] })); // stores the name "decay"
 * const options: LoadModelOptions = { functions: { decay } };
 * loadModel(json, options).eval({ amp: 2, tau: 1 }, { x: [0] })[0]; // 2
 * ```
 */
export interface LoadModelOptions {
  /** Functions of function models (and user functions of expressions), by name. */
  functions?: Record<string, ModelFunction | UserFunction>;
}

/**
 * Rebuilds a model from its description.
 *
 * @example
 * ```ts
 * import { describeModel, GaussianModel, modelFromDescription } from "../../mod.ts";
 * const m = modelFromDescription(describeModel(new GaussianModel({ prefix: "g_" })));
 * m.paramNames; // ["g_amplitude", "g_center", "g_sigma"]
 * ```
 */
export function modelFromDescription(
  d: ModelDescription & { hints?: Record<string, unknown> },
  options: LoadModelOptions = {},
): BaseModel {
  let model: BaseModel;
  switch (d.type) {
    case "composite":
      return new CompositeModel(
        modelFromDescription(d.left, options),
        modelFromDescription(d.right, options),
        d.op,
      );
    case "builtin": {
      const make = BUILTIN_MODELS[d.name];
      if (!make) throw new TypeError(`loadModel: unknown built-in model '${d.name}'`);
      model = make(d.options as Record<string, string | number>);
      break;
    }
    case "expression":
      model = new ExpressionModel(d.expr, {
        prefix: d.prefix,
        independentVars: d.independentVars,
        paramNames: d.paramNames,
      });
      break;
    case "spline":
      model = new SplineModel(d.xknots, { prefix: d.prefix, independentVars: d.independentVars });
      break;
    case "function": {
      const fn = options.functions?.[d.name];
      if (typeof fn !== "function") {
        throw new TypeError(
          `loadModel: the model function '${d.name}' is not serialisable; pass it as { functions: { ${d.name}: fn } }`,
        );
      }
      model = new Model(fn as ModelFunction, {
        paramNames: d.paramNames,
        prefix: d.prefix,
        independentVars: d.independentVars,
        defaults: d.defaults,
        name: d.name,
      });
      break;
    }
    default:
      throw new TypeError("loadModel: not a model description");
  }
  for (const [k, h] of Object.entries(d.hints ?? {})) {
    model.setParamHint(k, h as Record<string, number>);
  }
  return model;
}

/**
 * JSON text of a model.
 *
 * @example
 * ```ts
 * import { saveModel } from "./serialize.ts";
 * import { GaussianModel } from "./models.ts";
 * const json = saveModel(new GaussianModel({ prefix: "g1_" }));
 * json.startsWith('{"lmfitTs":"model","model":{"type":"builtin","name":"gaussian"'); // true
 * ```
 */
export function saveModel(model: BaseModel): string {
  return JSON.stringify({ lmfitTs: "model", model: describeModel(model) });
}

/**
 * A model from `saveModel`'s JSON text.
 *
 * @example
 * ```ts
 * import { loadModel, saveModel } from "./serialize.ts";
 * import { GaussianModel } from "./models.ts";
 * const model = loadModel(saveModel(new GaussianModel({ prefix: "g1_" })));
 * model.paramNames; // ["g1_amplitude", "g1_center", "g1_sigma"]
 * String(model); // "Model(gaussian, prefix='g1_')"
 * ```
 */
export function loadModel(json: string, options: LoadModelOptions = {}): BaseModel {
  const data = JSON.parse(json);
  if (data?.lmfitTs !== "model") throw new TypeError("loadModel: not a saved model");
  return modelFromDescription(data.model, options);
}

const num = (v: number) => (Number.isFinite(v) ? v : String(v));
const unnum = (v: unknown) => (typeof v === "string" ? Number(v) : v as number);

/**
 * JSON text of a model result: the model, data, weights, independent variables, start and
 * fitted parameters, statistics and covariance.
 *
 * @example
 * ```ts
 * import { LinearModel, loadModelResult, saveModelResult } from "../../mod.ts";
 * const m = new LinearModel();
 * const r = await m.fit([1, 3, 5.1], m.makeParams({ slope: 1, intercept: 0 }), { x: [0, 1, 2] });
 * const back = loadModelResult(saveModelResult(r));
 * back.params.get("slope")!.value === r.params.get("slope")!.value; // true
 * ```
 */
export function saveModelResult(result: ModelResult<BaseModel>): string {
  return JSON.stringify({
    lmfitTs: "modelresult",
    model: describeModel(result.model),
    method: result.method,
    data: Array.from(result.data, num),
    weights: result.weights ? Array.from(result.weights, num) : null,
    vars: Object.fromEntries(
      Object.entries(result.userVars).map(([k, v]) => [k, Array.from(v, num)]),
    ),
    initParams: result.initParams.dumps(),
    params: result.params.dumps(),
    stats: {
      success: result.success,
      message: result.message,
      ier: result.ier,
      nfev: result.nfev,
      nvarys: result.nvarys,
      ndata: result.ndata,
      nfree: result.nfree,
      chisqr: num(result.chisqr),
      redchi: num(result.redchi),
      aic: num(result.aic),
      bic: num(result.bic),
      errorbars: result.errorbars,
      varNames: result.varNames,
      covar: result.covar,
      residual: Array.from(result.residual, num),
      uncertaintyMethod: result.uncertaintyMethod,
    },
  });
}

/**
 * A model result from `saveModelResult`'s JSON text (with a minimizer ready for `confInterval`).
 *
 * @example
 * ```ts
 * import { loadModelResult, saveModelResult } from "./serialize.ts";
 * import { LinearModel } from "./models.ts";
 * const m = new LinearModel();
 * const r = await m.fit([1, 3, 5], m.makeParams({ slope: 1, intercept: 0 }), { x: [0, 1, 2] });
 * const back = loadModelResult(saveModelResult(r));
 * back.params.get("slope")!.value; // ≈ 2
 * back.chisqr === r.chisqr; // true
 * ```
 */
export function loadModelResult(json: string, options: LoadModelOptions = {}): ModelResult {
  const d = JSON.parse(json);
  if (d?.lmfitTs !== "modelresult") {
    throw new TypeError("loadModelResult: not a saved model result");
  }
  const model = modelFromDescription(d.model, options);
  const fns = Object.fromEntries(Object.entries(options.functions ?? {})) as Record<
    string,
    UserFunction
  >;
  const params = new Parameters().loads(d.params, { functions: fns });
  const initParams = new Parameters().loads(d.initParams, { functions: fns });
  const data = Float64Array.from(d.data, unnum);
  const weights = d.weights ? Float64Array.from(d.weights, unnum) : null;
  const vars: Record<string, Float64Array> = {};
  for (const [k, v] of Object.entries(d.vars as Record<string, unknown[]>)) {
    vars[k] = Float64Array.from(v, unnum);
  }
  const names = model.paramNames;
  const values: Record<string, number> = {};
  const residual = (q: Parameters) => {
    for (const n of names) values[n] = q.get(n)!.value;
    const f = model.evalWith(vars, values);
    return f.map((v, i) => (v - data[i]) * (weights ? weights[i] : 1));
  };
  const minimizer = new Minimizer(residual, initParams, { nanPolicy: model.nanPolicy });
  const out = new MinimizerResult(params, d.method);
  const s = d.stats;
  Object.assign(out, {
    success: s.success,
    message: s.message,
    ier: s.ier,
    nfev: s.nfev,
    nvarys: s.nvarys,
    ndata: s.ndata,
    nfree: s.nfree,
    chisqr: unnum(s.chisqr),
    redchi: unnum(s.redchi),
    aic: unnum(s.aic),
    bic: unnum(s.bic),
    errorbars: s.errorbars,
    varNames: s.varNames,
    covar: s.covar,
    residual: Float64Array.from(s.residual, unnum),
    uncertaintyMethod: s.uncertaintyMethod,
  });
  return new ModelResult(model, out, {
    data,
    weights,
    vars,
    initParams,
    initFit: model.evalWith(vars, initParams.valuesdict()),
    minimizer,
    method: d.method,
  });
}
