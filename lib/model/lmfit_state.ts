/**
 * Models in Python lmfit's saved layout (`Model._get_state`, encoded by `jsonutils.encode4js`):
 * a single model is `((fname, funcdef, name, prefix, independent_vars, param_root_names,
 * param_hints, nan_policy, opts), None, None)`, a composite `(left, right, opname)`. Built-in
 * models are stored by their lineshape function's name (`gaussian`), expression models as
 * `_eval` with the expression, composites with `add`/`sub`/`mul`/`truediv`. Files written
 * here load in Python lmfit 1.1.0 (`load_model`) and files written there load here.
 *
 * One addition: lmfit 1.1.0 saves no hints of a composite itself (`CompositeModel._get_state`
 * keeps only both sides and the operator, so a derived parameter such as
 * `model.set_param_hint("ratio", expr="g1_amplitude/g2_amplitude")` is lost on saving). Here a
 * composite with such hints carries them as an extra `param_hints` key (an encoded dict keyed by
 * name, as a single model's hints) on its `Tuple` object. lmfit's `decode4js` reads a `Tuple`'s
 * `value` only, so Python lmfit still loads the file (without those hints, as it would have
 * saved it), and `loadModel` here restores them.
 *
 * @module
 */

import { CompositeModel, Model, type ModelFunction, type ModelOperatorFunction } from "./model.ts";
import type { BaseModel, ModelOperator, ParamHint } from "./model.ts";
import { ExpressionModel } from "./expression_model.ts";
import { BUILTIN_MODELS, BuiltinModel } from "./models.ts";
import { SplineModel } from "./spline.ts";
import type { NanPolicy } from "../fit/objective.ts";
import type { UserFunction } from "../symtable.ts";

const OP_NAMES: Readonly<Record<ModelOperator, string>> = {
  "+": "add",
  "-": "sub",
  "*": "mul",
  "/": "truediv",
};
const OPS_BY_NAME: Readonly<Record<string, ModelOperator>> = Object.assign(
  Object.create(null),
  { add: "+", sub: "-", mul: "*", truediv: "/", div: "/" },
);

/** A value in `encode4js`'s form: tuples, lists and dicts tagged with `__class__`. */
export type Encoded = unknown;

/**
 * A value in `encode4js`'s form: arrays become `List`, objects `Dict`, typed arrays `NDArray`.
 *
 * @example
 * ```ts
 * import { encode4js } from "./lmfit_state.ts";
 * encode4js({ a: [1, 2] }); // { __class__: "Dict", a: { __class__: "List", value: [1, 2] } }
 * ```
 */
export function encode4js(v: unknown, tuple = false): Encoded {
  if (v instanceof Float64Array) {
    return { __class__: "NDArray", __shape__: [v.length], __dtype__: "float64", value: [...v] };
  }
  if (Array.isArray(v)) {
    return { __class__: tuple ? "Tuple" : "List", value: v.map((x) => encode4js(x)) };
  }
  if (v && typeof v === "object") {
    if ("__class__" in v) return v; // already encoded
    const out: Record<string, unknown> = { __class__: "Dict" };
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = encode4js(x);
    return out;
  }
  return v === undefined ? null : v;
}

/**
 * The plain value of an `encode4js` encoding (tuples and lists as arrays, `NDArray` as a
 * Float64Array when numeric, `Callable` as `{ callable: name }`).
 *
 * @example
 * ```ts
 * import { decode4js } from "./lmfit_state.ts";
 * decode4js({ __class__: "Tuple", value: [1, { __class__: "Dict", a: 2 }] }); // [1, { a: 2 }]
 * ```
 */
export function decode4js(v: Encoded): unknown {
  if (Array.isArray(v)) return v.map(decode4js);
  if (!v || typeof v !== "object") return v;
  const o = v as Record<string, unknown>;
  switch (o.__class__) {
    case undefined:
    case "Dict":
    case "dict": {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(o)) if (k !== "__class__") out[k] = decode4js(x);
      return out;
    }
    case "List":
    case "Tuple":
      return (o.value as unknown[]).map(decode4js);
    case "NDArray": {
      const dtype = String(o.__dtype__);
      if (/^(float|int|uint)/.test(dtype)) return Float64Array.from(o.value as number[]);
      return (o.value as unknown[]).map(decode4js);
    }
    case "Callable":
      return { callable: String(o.__name__) };
    case "Complex":
      throw new TypeError("lmfit file: complex values are not supported here");
    default:
      throw new TypeError(`lmfit file: cannot decode a value of class '${o.__class__}'`);
  }
}

/** Hints keyed by unprefixed name, as lmfit stores them (and `paramHints` gives them). */
function rootHints(model: Model): Record<string, ParamHint> {
  return model.paramHints;
}

/**
 * A model's state in lmfit's saved layout (before JSON encoding).
 *
 * @example
 * ```ts
 * import { modelState } from "./lmfit_state.ts";
 * import { GaussianModel } from "./models.ts";
 * const s = modelState(new GaussianModel({ prefix: "g_" })) as { value: { value: unknown[] }[] };
 * s.value[0].value.slice(0, 4); // ["gaussian", null, "gaussian", "g_"]
 * ```
 */
export function modelState(model: BaseModel): Encoded {
  if (model instanceof CompositeModel) {
    const op = typeof model.op === "function" ? model.opName : OP_NAMES[model.op];
    const state = encode4js([modelState(model.left), modelState(model.right), op], true);
    const own = model.paramHints;
    if (Object.keys(own).length === 0) return state;
    return { ...(state as object), param_hints: encode4js(own) };
  }
  const m = model as Model;
  let fname = m instanceof BuiltinModel ? m.kind : m.funcName, funcdef: string | null = null;
  let opts: Record<string, unknown> = {};
  let pnames: string[] | null = m.baseParamNames;
  const hints = rootHints(m);
  if (m instanceof BuiltinModel) {
    for (const [k, v] of Object.entries(m.builtinOptions)) {
      if (k === "form") opts.form = v;
    }
  } else if (m instanceof ExpressionModel) {
    fname = "_eval";
    funcdef = m.source;
    pnames = null; // as lmfit: the expression defines them
  } else if (m instanceof SplineModel) {
    fname = "spline";
    opts = { xknots: Array.from(m.xknots) };
  } else {
    // A function model's defaults travel as value hints (lmfit passes `opts` to the function).
    for (const [k, v] of Object.entries(m.defaults)) hints[k] = { value: v, ...(hints[k] ?? {}) };
  }
  const state = [
    fname,
    funcdef,
    m instanceof BuiltinModel || !(m instanceof ExpressionModel || m instanceof SplineModel)
      ? m.funcName
      : fname,
    m.prefix,
    [...m.independentVars],
    pnames,
    hints,
    m.nanPolicy,
    opts,
  ];
  return encode4js([encode4js(state, true), null, null], true);
}

/**
 * Options for rebuilding models from lmfit's layout.
 *
 * @example
 * ```ts
 * import type { ModelStateOptions } from "./lmfit_state.ts";
 * const product = (a: Float64Array, b: Float64Array) => a.map((v, i) => v * b[i]);
 * const options: ModelStateOptions = { functions: { product } };
 * typeof options.functions!.product; // "function"
 * ```
 */
export interface ModelStateOptions {
  /** Model functions and user operators that a file names but cannot hold, by name. */
  functions?: Record<string, ModelFunction | ModelOperatorFunction | UserFunction>;
}

/**
 * A model from its state in lmfit's saved layout (decoded with `decode4js`).
 *
 * @example
 * ```ts
 * import { decode4js, modelFromState, modelState } from "./lmfit_state.ts";
 * import { GaussianModel } from "./models.ts";
 * const m = modelFromState(decode4js(modelState(new GaussianModel({ prefix: "g_" }))));
 * m.paramNames; // ["g_amplitude", "g_center", "g_sigma"]
 * ```
 */
export function modelFromState(state: unknown, options: ModelStateOptions = {}): BaseModel {
  if (!Array.isArray(state) || state.length !== 3) {
    throw new TypeError("loadModel: not a saved lmfit model state (a triple)");
  }
  const [left, right, op] = state;
  if (right !== null || op !== null) {
    let operator: ModelOperator | ModelOperatorFunction | undefined = OPS_BY_NAME[String(op)];
    if (!operator) {
      const fn = options.functions?.[String(op)];
      if (typeof fn !== "function") {
        throw new TypeError(
          `loadModel: the composite's operator '${op}' is a user function; pass it as { functions: { ${op}: fn } }`,
        );
      }
      operator = fn as ModelOperatorFunction;
    }
    return new CompositeModel(
      modelFromState(left, options),
      modelFromState(right, options),
      operator,
    );
  }
  if (!Array.isArray(left) || left.length < 9) {
    throw new TypeError("loadModel: not a saved lmfit model state");
  }
  const [fname, funcdef, name, prefix, ivars, pnames, hints, nanPolicy, opts] = left as [
    string,
    unknown,
    string,
    string,
    string[],
    string[] | null,
    Record<string, Record<string, unknown>>,
    NanPolicy,
    Record<string, unknown>,
  ];
  const common = {
    prefix: prefix ?? "",
    nanPolicy: nanPolicy ?? "raise",
    independentVars: ivars ?? undefined,
  };
  let model: BaseModel;
  const builtin = builtinFor(fname);
  if (fname === "_eval" && typeof funcdef === "string") {
    model = new ExpressionModel(funcdef, { ...common, paramNames: pnames ?? undefined });
  } else if (fname === "spline" && opts?.xknots) {
    model = new SplineModel(opts.xknots as ArrayLike<number>, common);
  } else if (builtin && !options.functions?.[fname]) {
    const o: Record<string, unknown> = { prefix: common.prefix, nanPolicy: common.nanPolicy };
    if (typeof name === "string" && name !== fname) o.name = name;
    if (opts?.form !== undefined) o.form = opts.form;
    if (fname === "polynomial" && pnames) o.degree = pnames.length - 1;
    if (ivars && ivars.join() !== builtin({}).independentVars.join()) o.independentVars = ivars;
    model = builtin(o as Record<string, string | number>);
  } else {
    const fn = options.functions?.[fname];
    if (typeof fn !== "function") {
      throw new TypeError(
        `loadModel: the model function '${fname}' is not serialisable; pass it as { functions: { ${fname}: fn } }`,
      );
    }
    if (!pnames) throw new TypeError(`loadModel: model '${fname}' has no parameter names`);
    model = new Model(fn as ModelFunction, { ...common, paramNames: pnames, name: name ?? fname });
  }
  for (const [k, h] of Object.entries(hints ?? {})) {
    model.setParamHint(model.components[0].prefix + k, hintOf(h));
  }
  return model;
}

/**
 * A model from its encoded state (`encode4js` form, as in a file): `modelFromState` of the
 * decoded state, then the hints of each composite that carries its own (see the module doc).
 *
 * @example
 * ```ts
 * import { modelFromEncoded, modelState } from "./lmfit_state.ts";
 * import { GaussianModel } from "./models.ts";
 * const m = new GaussianModel({ prefix: "a_" }).add(new GaussianModel({ prefix: "b_" }));
 * m.setParamHint("ratio", { expr: "a_amplitude / b_amplitude" });
 * modelFromEncoded(modelState(m)).paramHints; // { ratio: { expr: "a_amplitude / b_amplitude" } }
 * ```
 */
export function modelFromEncoded(encoded: Encoded, options: ModelStateOptions = {}): BaseModel {
  const model = modelFromState(decode4js(encoded), options);
  // Walk the encoded composites beside the model's, without recursion (deep sums of peaks).
  const stack: [Encoded, BaseModel][] = [[encoded, model]];
  while (stack.length) {
    const [enc, m] = stack.pop()!;
    if (!(m instanceof CompositeModel) || !enc || typeof enc !== "object") continue;
    const e = enc as { value?: unknown[]; param_hints?: Encoded };
    if (e.param_hints !== undefined) {
      const hints = decode4js(e.param_hints) as Record<string, Record<string, unknown>>;
      for (const [name, h] of Object.entries(hints ?? {})) m.setParamHint(name, hintOf(h));
    }
    if (Array.isArray(e.value)) stack.push([e.value[0], m.left], [e.value[1], m.right]);
  }
  return model;
}

/** The hint fields lmfit stores (others, and nulls, left out). */
function hintOf(h: Record<string, unknown>): ParamHint {
  const hint: ParamHint = {};
  for (const key of ["value", "min", "max", "vary", "expr"] as const) {
    const v = h?.[key];
    if (v !== null && v !== undefined) (hint as Record<string, unknown>)[key] = v;
  }
  return hint;
}

/** The built-in whose lineshape function lmfit names `fname`. */
function builtinFor(fname: string): ((o: Record<string, string | number>) => BaseModel) | null {
  if (Object.hasOwn(BUILTIN_MODELS, fname)) return BUILTIN_MODELS[fname];
  for (const make of Object.values(BUILTIN_MODELS)) {
    const m = make({}) as Model;
    if (m instanceof BuiltinModel && m.kind === fname) return make;
  }
  return null;
}
