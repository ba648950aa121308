/**
 * Saving and loading models and model results as JSON (lmfit's `save_model`/`load_model`,
 * `save_modelresult`/`load_modelresult`), in Python lmfit 1.1.0's layout: files written here
 * load in Python lmfit and files written there load here (built-in, expression and composite
 * models; see `lmfit_state.ts`). A TypeScript function model or user operator is stored by
 * name, to be supplied again on loading. `describeModel`/`modelFromDescription` give a plain
 * description of a model, and files in lmfit-ts's earlier layout still load.
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
  type LoadModelOptions,
  Model,
  type ModelFunction,
  type ModelOperator,
  type ModelOperatorFunction,
  toFloat64,
} from "./model.ts";
import { ExpressionModel } from "./expression_model.ts";
import { BUILTIN_MODELS, BuiltinModel } from "./models.ts";
import { SplineModel } from "./spline.ts";
import { ModelResult } from "./model_result.ts";
import {
  decode4js,
  encode4js,
  modelFromEncoded,
  modelState,
  type ModelStateOptions,
} from "./lmfit_state.ts";
import { pyJsonParse, pyJsonStringify } from "../_pyjson.ts";
import { installModelCodec } from "./_model_codec.ts";
import { checkOptions, optionKeys } from "../util/options.ts";

export type { LoadModelOptions };

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
 *
 * @category Models
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
  | {
    type: "composite";
    /** The operator, or a user operator function by name (supplied again on loading). */
    op: ModelOperator | { function: string };
    left: ModelDescription;
    right: ModelDescription;
  };

/** A single model's hints by prefixed name (the layout files have always used). */
function hintsOf(model: BaseModel): Record<string, unknown> {
  const prefix = model.components[0]?.prefix ?? "";
  return Object.fromEntries(Object.entries(model.paramHints).map(([k, h]) => [prefix + k, h]));
}

/**
 * The JSON-ready description of a model (hints included).
 *
 * @example
 * ```ts
 * import { describeModel, GaussianModel } from "../../mod.ts";
 * describeModel(new GaussianModel({ prefix: "g_" })); // { type: "builtin", name: "gaussian", ... }
 * ```
 *
 * @category Models
 */
export function describeModel(
  model: BaseModel,
): ModelDescription & { hints?: Record<string, unknown> } {
  if (model instanceof CompositeModel) {
    const own = model.paramHints;
    return {
      type: "composite",
      op: typeof model.op === "function" ? { function: model.opName } : model.op,
      left: describeModel(model.left),
      right: describeModel(model.right),
      ...(Object.keys(own).length ? { hints: own } : {}),
    };
  }
  const hints = hintsOf(model);
  if (model instanceof BuiltinModel) {
    return {
      type: "builtin",
      name: model.kind,
      options: {
        ...model.builtinOptions,
        prefix: model.prefix,
        name: model.funcName === model.kind ? undefined : model.funcName,
      },
      hints,
    };
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
    name: m.funcName,
    paramNames: m.baseParamNames,
    prefix: m.prefix,
    independentVars: m.independentVars,
    defaults: { ...m.defaults },
    hints,
  };
}

const LOAD_MODEL_KEYS = optionKeys<LoadModelOptions>({ functions: true });

/**
 * Rebuilds a model from its description.
 *
 * @example
 * ```ts
 * import { describeModel, GaussianModel, modelFromDescription } from "../../mod.ts";
 * const m = modelFromDescription(describeModel(new GaussianModel({ prefix: "g_" })));
 * m.paramNames; // ["g_amplitude", "g_center", "g_sigma"]
 * ```
 *
 * @category Models
 */
export function modelFromDescription(
  d: ModelDescription & { hints?: Record<string, unknown> },
  options: LoadModelOptions = {},
): BaseModel {
  checkOptions(options, LOAD_MODEL_KEYS, "modelFromDescription");
  let model: BaseModel;
  switch (d.type) {
    case "composite":
      model = new CompositeModel(
        modelFromDescription(d.left, options),
        modelFromDescription(d.right, options),
        typeof d.op === "string" ? d.op : userOperator(d.op.function, options),
      );
      break;
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

function userOperator(name: string, options: LoadModelOptions): ModelOperatorFunction {
  const fn = options.functions?.[name];
  if (typeof fn !== "function") {
    throw new TypeError(
      `loadModel: the composite's operator '${name}' is a user function; pass it as { functions: { ${name}: fn } }`,
    );
  }
  return fn as unknown as ModelOperatorFunction;
}

/**
 * JSON text of a model, in Python lmfit's `save_model` layout: `load_model` in lmfit 1.1.0
 * reads it (built-in, expression and composite models; a TypeScript function model needs
 * `funcdefs` there, as a Python function model does), and `loadModel` reads lmfit's files.
 *
 * @example
 * ```ts
 * import { saveModel } from "./serialize.ts";
 * import { GaussianModel } from "./models.ts";
 * const json = saveModel(new GaussianModel({ prefix: "g1_" }));
 * json.startsWith('{"__class__":"Tuple","value":[{"__class__":"Tuple","value":["gaussian",null,"gaussian","g1_"'); // true
 * ```
 *
 * @category Models
 */
export function saveModel(model: BaseModel): string {
  return pyJsonStringify(modelState(model));
}

/**
 * A model from `saveModel`'s JSON text, from Python lmfit's `save_model`/`Model.dumps`, or
 * from lmfit-ts's earlier layout.
 *
 * @example
 * ```ts
 * import { loadModel, saveModel } from "./serialize.ts";
 * import { GaussianModel } from "./models.ts";
 * const model = loadModel(saveModel(new GaussianModel({ prefix: "g1_" })));
 * model.paramNames; // ["g1_amplitude", "g1_center", "g1_sigma"]
 * model.name; // "Model(gaussian, prefix='g1_')"
 * ```
 *
 * @category Models
 */
export function loadModel(json: string, options: LoadModelOptions = {}): BaseModel {
  checkOptions(options, LOAD_MODEL_KEYS, "loadModel");
  const data = parseJson(json, "loadModel") as { lmfitTs?: string; model?: ModelDescription };
  if (data?.lmfitTs === "model") return modelFromDescription(data.model!, options);
  if (data?.lmfitTs !== undefined) throw new TypeError("loadModel: not a saved model");
  return modelFromEncoded(data, stateOptions(options));
}

// `BaseModel.dumps`/`loads` (model.ts cannot import this module: it builds every model class).
installModelCodec({
  save: (model) => saveModel(model as BaseModel),
  load: (json, options) => loadModel(json, options as LoadModelOptions),
});

function parseJson(json: string, what: string): unknown {
  try {
    return pyJsonParse(json);
  } catch (e) {
    throw new SyntaxError(`${what}: not JSON: ${(e as Error).message}`);
  }
}

function stateOptions(options: LoadModelOptions): ModelStateOptions {
  return { functions: options.functions as ModelStateOptions["functions"] };
}

/**
 * JSON text of a model result in Python lmfit's `save_modelresult` layout (the model, data,
 * weights, independent variables, start and fitted parameters, statistics and covariance):
 * `load_modelresult` in lmfit 1.1.0 reads it, and `loadModelResult` reads lmfit's files.
 *
 * @example
 * ```ts
 * import { LinearModel, loadModelResult, saveModelResult } from "../../mod.ts";
 * const m = new LinearModel();
 * const r = await m.fit([1, 3, 5.1], m.makeParams({ slope: 1, intercept: 0 }), { x: [0, 1, 2] });
 * const back = loadModelResult(saveModelResult(r));
 * back.params.get("slope")!.value === r.params.get("slope")!.value; // true
 * ```
 *
 * @category Models
 */
export function saveModelResult(result: ModelResult<BaseModel>): string {
  const params = pyJsonParse(result.params.dumps()) as {
    unique_symbols: Record<string, unknown>;
    params: unknown[][];
  };
  const vars: Record<string, unknown> = { ...result.userVars };
  const out = {
    __class__: "lmfit.ModelResult",
    __version__: "1",
    model: modelState(result.model),
    params: params.params,
    unique_symbols: params.unique_symbols,
    aborted: result.aborted,
    aic: result.aic,
    best_values: encode4js(result.bestValues),
    bic: result.bic,
    chisqr: result.chisqr,
    ci_out: null,
    col_deriv: false,
    covar: result.covar
      ? {
        __class__: "NDArray",
        __shape__: [result.covar.length, result.covar.length],
        __dtype__: "float64",
        value: result.covar.flat(),
      }
      : null,
    errorbars: result.errorbars,
    flatchain: null,
    ier: result.ier,
    init_values: encode4js(result.initValues),
    lmdif_message: "",
    message: result.message,
    method: result.method,
    nan_policy: result.model.nanPolicy,
    ndata: result.ndata,
    nfev: result.nfev,
    nfree: result.nfree,
    nvarys: result.nvarys,
    redchi: result.redchi,
    rsquared: result.rsquared ?? null,
    scale_covar: true,
    calc_covar: true,
    success: result.success,
    userargs: encode4js([result.data, result.weights], true),
    userkws: encode4js(vars),
    values: encode4js(result.params.valuesdict()),
    var_names: encode4js(result.varNames),
    weights: result.weights ? encode4js(result.weights) : null,
    user_options: null,
    // lmfit-ts's own fields (Python lmfit ignores them).
    lmfit_ts: {
      residual: Array.from(result.residual),
      uncertainty_method: result.uncertaintyMethod,
      init_params: result.initParams.dumps(),
    },
  };
  return pyJsonStringify(out);
}

/**
 * A model result from `saveModelResult`'s JSON text or Python lmfit's `save_modelresult`
 * (with a minimizer ready for `confInterval`).
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
 *
 * @category Models
 */
export function loadModelResult(
  json: string,
  options: LoadModelOptions = {},
): ModelResult<BaseModel> {
  checkOptions(options, LOAD_MODEL_KEYS, "loadModelResult");
  const d = parseJson(json, "loadModelResult") as Record<string, unknown>;
  if (d?.lmfitTs === "modelresult") return loadOwnLayout(d, options);
  if (typeof d?.__class__ !== "string" || !/modelresult/i.test(d.__class__)) {
    throw new TypeError("loadModelResult: not a saved model result");
  }
  const model = modelFromEncoded(d.model, stateOptions(options));
  const fns = (options.functions ?? {}) as Record<string, UserFunction>;
  const paramsText = pyJsonStringify({ unique_symbols: d.unique_symbols ?? {}, params: d.params });
  const params = new Parameters().loads(paramsText, { functions: fns });
  const own = d.lmfit_ts as {
    residual?: number[];
    uncertainty_method?: string;
    init_params?: string;
  } | undefined;
  let initParams: Parameters;
  if (own?.init_params) initParams = new Parameters().loads(own.init_params, { functions: fns });
  else {
    initParams = new Parameters().loads(paramsText, { functions: fns });
    const initValues = decode4js(d.init_values ?? {}) as Record<string, number>;
    for (const [k, v] of Object.entries(initValues)) {
      const p = initParams.get(k);
      if (!p) continue;
      p.stderr = null;
      p.correl = null;
      if (p.expr === null) p.value = v;
      p.initValue = v;
    }
  }
  const [data, weights] = decode4js(d.userargs) as [Float64Array, Float64Array | null];
  if (!(data instanceof Float64Array)) {
    throw new TypeError("loadModelResult: the file holds no data array (userargs)");
  }
  const userkws = decode4js(d.userkws ?? {}) as Record<string, unknown>;
  const vars: Record<string, Float64Array> = {};
  for (const n of model.independentVars) {
    const v = userkws[n];
    if (v === undefined) {
      throw new TypeError(`loadModelResult: the file holds no independent variable '${n}'`);
    }
    vars[n] = v instanceof Float64Array ? v : toFloat64(n, v as ArrayLike<number>);
  }
  const w = weights instanceof Float64Array ? weights : null;
  const minimizer = residualMinimizer(model, data, w, vars, initParams);
  const out = new MinimizerResult(params, String(d.method));
  const covar = d.covar ? decode4js(d.covar) as Float64Array : null;
  const nv = covar ? Math.round(Math.sqrt(covar.length)) : 0;
  const num = (v: unknown) => (v === null || v === undefined ? NaN : Number(v));
  const residual = own?.residual ? Float64Array.from(own.residual) : (() => {
    const f = model.evalWith(vars, params.valuesdict());
    return f.map((v, i) => (v - data[i]) * (w ? w[i] : 1));
  })();
  Object.assign(out, {
    success: !!d.success,
    message: String(d.message ?? ""),
    ier: num(d.ier),
    nfev: num(d.nfev),
    nvarys: num(d.nvarys),
    ndata: num(d.ndata),
    nfree: num(d.nfree),
    chisqr: num(d.chisqr),
    redchi: num(d.redchi),
    aic: num(d.aic),
    bic: num(d.bic),
    aborted: !!d.aborted,
    errorbars: !!d.errorbars,
    varNames: decode4js(d.var_names ?? []) as string[],
    covar: covar
      ? Array.from({ length: nv }, (_, i) => Array.from(covar.subarray(i * nv, (i + 1) * nv)))
      : null,
    residual,
    uncertaintyMethod: own?.uncertainty_method ?? out.uncertaintyMethod,
  });
  return new ModelResult(model, out, {
    data,
    weights: w,
    vars,
    initParams,
    initFit: model.evalWith(vars, initParams.valuesdict()),
    minimizer,
    method: String(d.method),
  });
}

function residualMinimizer(
  model: BaseModel,
  data: Float64Array,
  weights: Float64Array | null,
  vars: Record<string, Float64Array>,
  initParams: Parameters,
): Minimizer {
  const names = model.paramNames;
  const values: Record<string, number> = {};
  const residual = (q: Parameters) => {
    for (const n of names) values[n] = q.get(n)!.value;
    const f = model.evalWith(vars, values);
    return f.map((v, i) => (v - data[i]) * (weights ? weights[i] : 1));
  };
  return new Minimizer(residual, initParams, { nanPolicy: model.nanPolicy });
}

const unnum = (v: unknown) => (typeof v === "string" ? Number(v) : v as number);

/** lmfit-ts's earlier layout (`{"lmfitTs": "modelresult", ...}`). */
// deno-lint-ignore no-explicit-any
function loadOwnLayout(d: any, options: LoadModelOptions): ModelResult<BaseModel> {
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
  const minimizer = residualMinimizer(model, data, weights, vars, initParams);
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
