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
import { BUILTIN_FUNCTIONS } from "../expr/builtins.ts";

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

/** Options every built-in takes in a spec, and those that only some take. */
const COMMON_OPTIONS = ["prefix", "nan_policy"];
const EXTRA_OPTIONS: Readonly<Record<string, string[]>> = {
  polynomial: ["degree"],
  thermal_distribution: ["form"],
  step: ["form"],
  rectangle: ["form"],
};

const isBuiltin = (name: string) => Object.hasOwn(BUILTIN_MODELS, name.toLowerCase());
/** A built-in model's name followed by `(`. */
const isBuiltinCall = (t: Tok, i: number, toks: Tok[]) =>
  t.kind === "name" && isBuiltin(t.text) && toks[i + 1]?.kind === "op" && toks[i + 1].text === "(";

/** Levenshtein distance, for "closest name first" in error messages. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/** `names` ordered by closeness to `name` (a name that starts with it counts as closest). */
function closestFirst(name: string, names: readonly string[]): string[] {
  const key = (
    n: string,
  ) => (n.startsWith(name.toLowerCase()) ? 0 : distance(name.toLowerCase(), n));
  return [...names].sort((p, q) => key(p) - key(q) || p.localeCompare(q));
}

/**
 * Builds a model from a specification string.
 *
 * - Built-in models combined with `+ - * /` and parentheses, each with options `prefix`,
 *   `nan_policy` and, for some, `degree` (polynomial) or `form` (step, rectangle,
 *   thermal_distribution): `"gaussian(prefix='g_') + linear(prefix='b_')"`.
 * - An expression in the independent variable: `"a*exp(-x/tau) + c"`.
 * - A sum of both: terms with built-ins are built-in models, the other terms together form one
 *   expression model (`"gaussian() + a*x + b"`). A built-in and an expression cannot be
 *   multiplied or divided: write the whole model as an expression instead.
 *
 * Unknown model names, functions and options are errors that list the valid ones, closest
 * first.
 *
 * @param spec the specification.
 * @param independentVar the independent variable of an expression model. @default "x"
 * @returns the model.
 *
 * @example
 * ```ts
 * import { modelFromSpec } from "./model_spec.ts";
 * modelFromSpec("gaussian(prefix='g_') + linear(prefix='b_')").paramNames;
 * // ["g_amplitude", "g_center", "g_sigma", "b_slope", "b_intercept"]
 * modelFromSpec("a*exp(-x/tau)").paramNames; // ["a", "tau"]
 * modelFromSpec("gaussian() + a*x + b").paramNames; // ["amplitude", "center", "sigma", "a", "b"]
 * try {
 *   modelFromSpec("gauss()");
 * } catch (e) {
 *   (e as Error).message; // "model spec: unknown model or function 'gauss'; built-in models, closest first: gaussian, ..."
 * }
 * ```
 *
 * @category Models
 */
export function modelFromSpec(spec: string, independentVar = "x"): BaseModel {
  const toks = tokenize(spec);
  if (!toks || toks.length === 0) {
    return new ExpressionModel(spec, { independentVars: [independentVar] });
  }
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i], next = toks[i + 1];
    if (t.kind !== "name" || next?.kind !== "op" || next.text !== "(") continue;
    if (isBuiltin(t.text) || Object.hasOwn(BUILTIN_FUNCTIONS, t.text)) continue;
    throw new SyntaxError(
      `model spec: unknown model or function '${t.text}'; built-in models, closest first: ${
        closestFirst(t.text, Object.keys(BUILTIN_MODELS)).join(", ")
      }; functions in expressions: ${
        closestFirst(t.text, Object.keys(BUILTIN_FUNCTIONS)).slice(0, 5).join(", ")
      }, ...`,
    );
  }
  if (toks.some((t) => t.kind === "name" && isBuiltin(t.text))) {
    const whole = tryBuiltins(toks);
    if (whole) return whole;
  }
  if (!toks.some(isBuiltinCall)) {
    return new ExpressionModel(spec, { independentVars: [independentVar] });
  }
  return mixedSum(spec, toks, independentVar);
}

/**
 * A spec whose top-level terms are built-in models or expressions: the built-ins are combined
 * in order and the expression terms become one `ExpressionModel`, added (or subtracted) as one.
 */
function mixedSum(spec: string, toks: Tok[], independentVar: string): BaseModel {
  const terms: { sign: "+" | "-"; toks: Tok[]; text: string }[] = [];
  let depth = 0, start = 0, sign: "+" | "-" = "+";
  const close = (end: number, endPos: number) => {
    const part = toks.slice(start, end);
    if (part.length) {
      terms.push({ sign, toks: part, text: spec.slice(part[0].pos, endPos).trim() });
    }
  };
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k];
    if (t.kind === "op" && t.text === "(") depth++;
    else if (t.kind === "op" && t.text === ")") depth--;
    else if (depth === 0 && t.kind === "op" && (t.text === "+" || t.text === "-")) {
      const prev = toks[k - 1];
      const binary = prev && (prev.kind !== "op" || prev.text === ")");
      const exponent = prev?.kind === "num" && /[eE]$/.test(prev.text);
      if (k === start || !binary || exponent) continue; // a unary sign belongs to its term
      close(k, t.pos);
      start = k + 1;
      sign = t.text;
    }
  }
  close(toks.length, spec.length);
  const builtinTerm = (toks: Tok[]) => toks.some(isBuiltinCall);
  const exprText = terms.filter((t) => !builtinTerm(t.toks))
    .map((t, i) => (i === 0 ? (t.sign === "-" ? `-${t.text}` : t.text) : `${t.sign} ${t.text}`))
    .join(" ");
  // The expression carries the signs of its own terms; it leads when the spec starts with it.
  let model: BaseModel | null = builtinTerm(terms[0].toks)
    ? null
    : new ExpressionModel(exprText, { independentVars: [independentVar] });
  for (const term of terms.filter((t) => builtinTerm(t.toks))) {
    const negated = term.toks[0].kind === "op" && term.toks[0].text === "-";
    const m = negated ? null : tryBuiltins(term.toks);
    if (!m) {
      throw new SyntaxError(
        `model spec: '${term.text}' mixes a built-in model with an expression (or negates it); ` +
          `built-ins and expressions can only be added or subtracted as whole terms, e.g. ` +
          `"gaussian(prefix='g_') + a*x + b". Write the whole model as an expression instead`,
      );
    }
    model = !model ? m : term.sign === "+" ? model.add(m) : model.sub(m);
  }
  if (builtinTerm(terms[0].toks)) {
    model = model!.add(new ExpressionModel(exprText, { independentVars: [independentVar] }));
  }
  return model!;
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
    if (t?.kind !== "name" || !isBuiltin(t.text)) {
      throw new SyntaxError("not a built-in");
    }
    const modelName = t.text.toLowerCase();
    const valid = [...COMMON_OPTIONS, ...(EXTRA_OPTIONS[modelName] ?? [])];
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
        if (!valid.includes(key.text)) {
          throw new SyntaxError(
            `model spec: ${modelName}() has no option '${key.text}'; its options, closest first: ${
              closestFirst(key.text, valid).join(", ")
            }`,
          );
        }
        k++;
        expectOp("=");
        const v = peek();
        if (!v || (v.kind !== "str" && v.kind !== "num")) {
          throw new SyntaxError(`model spec: expected a value for '${key.text}'`);
        }
        k++;
        opts[key.text === "nan_policy" ? "nanPolicy" : key.text] = v.kind === "num"
          ? Number(v.text)
          : v.text;
        if (peek()?.kind === "op" && peek().text === ",") k++;
      }
      expectOp(")");
    }
    return BUILTIN_MODELS[modelName](opts);
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
