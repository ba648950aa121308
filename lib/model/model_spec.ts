/**
 * Model specifications as the command line takes them:
 * `"gaussian(prefix='g_') + linear(prefix='b_')"` combines built-in models with `+ - * /`
 * and parentheses; anything else is read as an expression model in the independent variable.
 *
 * @module
 */

import type { BaseModel } from "./model.ts";
import { ExpressionModel } from "./expression_model.ts";
import { BUILTIN_MODELS } from "./models.ts";

type Tok = { kind: "name" | "str" | "num" | "op"; text: string; pos: number };

function tokenize(spec: string): Tok[] | null {
  const toks: Tok[] = [];
  let i = 0;
  while (i < spec.length) {
    const c = spec[i];
    if (/\s/.test(c)) {
      i++;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(spec.slice(i))!;
      toks.push({ kind: "name", text: m[0], pos: i });
      i += m[0].length;
    } else if (c === "'" || c === '"') {
      const end = spec.indexOf(c, i + 1);
      if (end < 0) return null;
      toks.push({ kind: "str", text: spec.slice(i + 1, end), pos: i });
      i = end + 1;
    } else if (/[0-9.]/.test(c)) {
      const m = /^[0-9.]+([eE][+-]?[0-9]+)?/.exec(spec.slice(i))!;
      toks.push({ kind: "num", text: m[0], pos: i });
      i += m[0].length;
    } else if ("+-*/()=,".includes(c)) {
      toks.push({ kind: "op", text: c, pos: i });
      i++;
    } else return null;
  }
  return toks;
}

/**
 * Builds a model from a specification string.
 *
 * @param spec built-in models combined with `+ - * /` (`"gaussian(prefix='g_') + linear()"`),
 *   or an expression such as `"a*exp(-x/tau) + c"`.
 * @param independentVar the independent variable of an expression model. @default "x"
 *
 * @example
 * ```ts
 * import { modelFromSpec } from "./model_spec.ts";
 * modelFromSpec("gaussian(prefix='g_') + linear(prefix='b_')").paramNames;
 * // ["g_amplitude", "g_center", "g_sigma", "b_slope", "b_intercept"]
 * modelFromSpec("a*exp(-x/tau)").paramNames; // ["a", "tau"]
 * ```
 *
 * @category Models
 */
export function modelFromSpec(spec: string, independentVar = "x"): BaseModel {
  const toks = tokenize(spec);
  if (
    toks && toks.length > 0 &&
    toks.some((t) => t.kind === "name" && t.text.toLowerCase() in BUILTIN_MODELS)
  ) {
    const builtin = tryBuiltins(toks);
    if (builtin) return builtin;
  }
  return new ExpressionModel(spec, { independentVars: [independentVar] });
}

function tryBuiltins(toks: Tok[]): BaseModel | null {
  let k = 0;
  const peek = () => toks[k];
  const expectOp = (op: string) => {
    const t = toks[k];
    if (!t || t.kind !== "op" || t.text !== op) {
      throw new SyntaxError(`model spec: expected '${op}' at position ${t?.pos ?? "end"}`);
    }
    k++;
  };
  const factor = (): BaseModel => {
    const t = peek();
    if (t?.kind === "op" && t.text === "(") {
      k++;
      const m = sum();
      expectOp(")");
      return m;
    }
    if (t?.kind !== "name" || !(t.text.toLowerCase() in BUILTIN_MODELS)) {
      throw new SyntaxError("not a built-in");
    }
    k++;
    const opts: Record<string, string | number> = {};
    if (peek()?.kind === "op" && peek().text === "(") {
      k++;
      while (!(peek()?.kind === "op" && peek().text === ")")) {
        const key = peek();
        if (key?.kind !== "name") {
          throw new SyntaxError(
            `model spec: expected an option name at position ${key?.pos ?? "end"}`,
          );
        }
        k++;
        expectOp("=");
        const v = peek();
        if (!v || (v.kind !== "str" && v.kind !== "num")) {
          throw new SyntaxError(`model spec: expected a value for '${key.text}'`);
        }
        k++;
        opts[key.text] = v.kind === "num" ? Number(v.text) : v.text;
        if (peek()?.kind === "op" && peek().text === ",") k++;
      }
      expectOp(")");
    }
    return BUILTIN_MODELS[t.text.toLowerCase()](opts);
  };
  const term = (): BaseModel => {
    let m = factor();
    while (peek()?.kind === "op" && (peek().text === "*" || peek().text === "/")) {
      const op = toks[k++].text;
      const r = factor();
      m = op === "*" ? m.mul(r) : m.div(r);
    }
    return m;
  };
  const sum = (): BaseModel => {
    let m = term();
    while (peek()?.kind === "op" && (peek().text === "+" || peek().text === "-")) {
      const op = toks[k++].text;
      const r = term();
      m = op === "+" ? m.add(r) : m.sub(r);
    }
    return m;
  };
  try {
    const m = sum();
    if (k !== toks.length) return null;
    return m;
  } catch (e) {
    if (e instanceof SyntaxError && e.message === "not a built-in") return null;
    throw e;
  }
}
