/**
 * Named, bounded and constrained fit parameters: `Parameter` and the ordered collection
 * `Parameters` (lmfit manual, chapters "Parameters" and "Using Mathematical Constraints").
 *
 * Constraint expressions are parsed once, compiled to closures over a slot vector, and
 * evaluated in dependency order; nothing is re-parsed when values change.
 *
 * @module
 */

import type { Node } from "./expr/ast.ts";
import { parse } from "./expr/parser.ts";
import { freeNames } from "./expr/names.ts";
import { type Binding, compile, type CompiledExpr, ExprNameError } from "./expr/compile.ts";
import { BUILTIN_FUNCTIONS, RESERVED_NAMES } from "./expr/builtins.ts";
import { pyJsonParse, pyJsonStringify } from "./_pyjson.ts";
import { bindSymbol, SymbolTable, type SymbolValue, type UserFunction } from "./symtable.ts";
import { formatE, formatF, formatG, pyRepr } from "./util/format.ts";
import { checkOptions, closestName, optionKeys } from "./util/options.ts";
import { fromInternal, gradient, toInternal } from "./solvers/bounds.ts";
import { JUPYTER_DISPLAY, type MimeBundle } from "./display/mime.ts";
import { paramsHtml } from "./display/params_html.ts";

/**
 * Options accepted by `Parameters.add` and `Parameter.set`. `null` means "not given".
 *
 * @example
 * ```ts
 * import { type ParameterOptions, Parameters } from "../mod.ts";
 * const options: ParameterOptions = { value: 12, min: 0, max: 10, bruteStep: 0.5 };
 * const params = new Parameters();
 * const amp = params.add("amp", options);
 * amp.value; // 10: clipped into [min, max]
 * amp.set({ vary: false, userData: { unit: "V" } });
 * params.add("half", { expr: "amp / 2" }).value; // 5
 * ```
 *
 * @category Parameters
 */
export interface ParameterOptions {
  /**
   * Starting (or fixed) value. Clipped into `[min, max]`.
   * @default -Infinity, as lmfit's `None` (so `min` when a lower bound is given); a fit refuses
   * a varied parameter without a finite value, naming it
   */
  value?: number | null;
  /**
   * Whether the parameter is varied in a fit. With `expr` given, a detached `Parameter` keeps
   * the flag given (as lmfit); once it is in a `Parameters` collection it is `false`.
   * @default true
   */
  vary?: boolean | null;
  /**
   * Lower bound. Given above `max` when a parameter is created, the two are swapped (as
   * lmfit); in `set` that is an error, since one of them is then likely a typo. `null` in the
   * constructor or in `set` leaves it as it is; assigning `param.min = null` removes the
   * bound (as lmfit's `None`).
   * @default -Infinity
   */
  min?: number | null;
  /**
   * Upper bound (`param.max = null` removes it).
   * @default Infinity
   */
  max?: number | null;
  /** Constraint expression; the parameter then never varies. `""` removes it in `set`. */
  expr?: string | null;
  /** Grid step for the `brute` method; `0` removes it in `set`. */
  bruteStep?: number | null;
  /** Any user data carried along (and through `dumps`/`loads` when JSON-serialisable). */
  userData?: unknown;
}

const PARAMETER_OPTION_KEYS = optionKeys<ParameterOptions>({
  value: true,
  vary: true,
  min: true,
  max: true,
  expr: true,
  bruteStep: true,
  userData: true,
});

/** Rejects options that are not an object or that have an unknown key, naming the parameter. */
function checkParameterOptions(name: string, options: unknown): void {
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new ParameterError(
      name,
      `Parameter '${name}': options must be an object such as { value: 1, min: 0 }, got ${
        options === null ? "null" : Array.isArray(options) ? "an array" : typeof options
      }${typeof options === "string" ? ` '${options}'` : ""}`,
    );
  }
  checkOptions(options, PARAMETER_OPTION_KEYS, `Parameter '${name}'`);
}

/**
 * One row of `Parameters.addMany`, in the seeds' order:
 * `[name, value, vary, min, max, expr, bruteStep]` (trailing entries optional, `null` = default).
 *
 * @example
 * ```ts
 * import { Parameters, type ParameterTuple } from "../mod.ts";
 * const rows: ParameterTuple[] = [
 *   ["amp", 10, true, 0], // name, value, vary, min
 *   ["cen", 5],
 *   ["wid", null, false, null, null, "amp / 10"], // constrained: expr in 6th place
 * ];
 * const params = new Parameters();
 * params.addMany(...rows);
 * params.valuesdict(); // { amp: 10, cen: 5, wid: 1 }
 * ```
 *
 * @category Parameters
 */
export type ParameterTuple = readonly [
  name: string,
  value?: number | null,
  vary?: boolean | null,
  min?: number | null,
  max?: number | null,
  expr?: string | null,
  bruteStep?: number | null,
];

/**
 * Thrown for invalid parameter definitions; names the parameter and the fix.
 *
 * @example
 * ```ts
 * import { Parameter, ParameterError } from "./parameters.ts";
 * const amp = new Parameter("amp", { value: 3, min: 0, max: 10 });
 * try {
 *   amp.set({ min: 5, max: 1 });
 * } catch (e) {
 *   e instanceof ParameterError; // true
 *   (e as ParameterError).parameter; // "amp"
 *   (e as ParameterError).message; // "Parameter 'amp': min (5) > max (1); swap them or fix the bounds"
 * }
 * ```
 *
 * @category Parameters
 */
export class ParameterError extends TypeError {
  /** The parameter concerned. */
  readonly parameter: string;
  /** Creates the error for a parameter. @param parameter the parameter's name. @param message what is wrong and what to do. */
  constructor(parameter: string, message: string) {
    super(message);
    this.name = "ParameterError";
    this.parameter = parameter;
  }
}

// Module-private accessors, set in the classes' static blocks.
let setRawValue: (p: Parameter, v: number) => void;
let getRawValue: (p: Parameter) => number;
let setOwner: (p: Parameter, owner: Parameters | null) => void;
let getAst: (p: Parameter) => Node | null;
let fixConstrained: (p: Parameter) => void;
let ownerChanged: (owner: Parameters, p: Parameter) => void;
let ownerValueChanged: (owner: Parameters) => void;
let ownerEnsureCurrent: (owner: Parameters) => void;

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Names a parameter may not take: Python's keywords and the words asteval reserves, as lmfit
 * 1.1.0. Names of built-in constants and functions (`e`, `pi`, `max`) are allowed and shadow
 * the built-in in expressions, as in lmfit.
 */
const RESERVED_PARAMETER_NAMES: ReadonlySet<string> = new Set([
  ...[...RESERVED_NAMES].filter((n) => !(n in BUILTIN_FUNCTIONS) && !/^(e|pi|inf|nan)$/.test(n)),
  "print",
  "eval",
  "exec",
  "execfile",
  "__import__",
  "__package__",
]);

function checkName(name: string): void {
  if (typeof name !== "string" || !NAME_RE.test(name)) {
    throw new ParameterError(
      String(name),
      `'${name}' is not a valid parameter name: use letters, digits and '_', not starting with a digit`,
    );
  }
  if (RESERVED_PARAMETER_NAMES.has(name)) {
    throw new ParameterError(
      name,
      `'${name}' is a reserved name (a Python keyword): choose another name, e.g. '${name}_'`,
    );
  }
  if (name === "__proto__") {
    throw new ParameterError(
      name,
      "'__proto__' cannot be a parameter name here (JavaScript gives it a special meaning in objects): choose another name, e.g. 'proto_'",
    );
  }
}

function num(x: number | null | undefined, fallback: number): number {
  return x === null || x === undefined ? fallback : x;
}

/**
 * A fit parameter: a value with bounds, a vary flag or a constraint expression, and after a
 * fit its standard error and correlations.
 *
 * @example
 * ```ts
 * import { Parameter } from "../mod.ts";
 * const p = new Parameter("amp", { value: 12, min: 0, max: 10 });
 * p.value; // 10 (clipped into its bounds, as lmfit does)
 * p.set({ max: 20, value: 12 });
 * p.value; // 12
 * ```
 *
 * @category Parameters
 */
export class Parameter {
  /** The parameter's name: a valid identifier, unique within its `Parameters`. */
  readonly name: string;
  #vary = true;
  #value = -Infinity;
  #min = -Infinity;
  #max = Infinity;
  #expr: string | null = null;
  #ast: Node | null = null;
  #owner: Parameters | null = null;
  /** Standard error after a fit, or `null` when not estimated. */
  stderr: number | null = null;
  /** Correlation with each other varied parameter after a fit, or `null`. */
  correl: Record<string, number> | null = null;
  /** Value at the start of the fit that produced this parameter, or `null`. */
  initValue: number | null = null;
  /** Grid step used by the `brute` method, or `null`. */
  bruteStep: number | null = null;
  /** Arbitrary user data. */
  userData: unknown = undefined;

  static {
    setRawValue = (p, v) => {
      p.#value = v;
    };
    getRawValue = (p) => p.#value;
    setOwner = (p, o) => {
      p.#owner = o;
    };
    getAst = (p) => p.#ast;
    fixConstrained = (p) => {
      if (p.#expr !== null) p.#vary = false;
    };
  }

  /**
   * Creates a parameter; throws a `ParameterError` for invalid names, bounds or expressions.
   * @param name A valid identifier that is not reserved.
   * @param options Value, bounds, vary flag, constraint expression and more.
   */
  constructor(name: string, options: ParameterOptions = {}) {
    checkName(name);
    checkParameterOptions(name, options);
    this.name = name;
    let min = num(options.min, -Infinity);
    let max = num(options.max, Infinity);
    if (min > max) [min, max] = [max, min]; // as lmfit: bounds given the wrong way round are swapped
    this.#checkBounds(min, max);
    this.#min = min;
    this.#max = max;
    if (options.expr !== undefined && options.expr !== null && options.expr !== "") {
      this.#setExpr(options.expr);
      // As lmfit: a detached parameter keeps its vary flag; a collection sets it false.
      this.#vary = true;
    }
    if (options.vary !== undefined && options.vary !== null) {
      if (typeof options.vary !== "boolean") {
        throw new ParameterError(name, `Parameter '${name}': vary must be true or false`);
      }
      this.#vary = options.vary;
    }
    // Without a value, lmfit's -inf, clipped to the lower bound when there is one.
    this.#value = this.#clip(
      options.value === undefined || options.value === null
        ? -Infinity
        : this.#checkValue(options.value),
    );
    this.bruteStep = options.bruteStep ? options.bruteStep : null;
    this.userData = options.userData;
  }

  #checkValue(v: number): number {
    if (typeof v !== "number") {
      throw new ParameterError(
        this.name,
        `Parameter '${this.name}': value must be a number, got ${typeof v}`,
      );
    }
    return v;
  }

  #checkBounds(min: number, max: number): void {
    if (
      typeof min !== "number" || typeof max !== "number" || Number.isNaN(min) || Number.isNaN(max)
    ) {
      throw new ParameterError(
        this.name,
        `Parameter '${this.name}': min and max must be numbers (use ±Infinity for no bound)`,
      );
    }
    if (min > max) {
      throw new ParameterError(
        this.name,
        `Parameter '${this.name}': min (${min}) > max (${max}); swap them or fix the bounds`,
      );
    }
    if (min === max) {
      throw new ParameterError(
        this.name,
        `Parameter '${this.name}': min == max (${min}); to fix the value use { value: ${min}, vary: false }`,
      );
    }
  }

  #clip(v: number): number {
    return v > this.#max ? this.#max : v < this.#min ? this.#min : v;
  }

  #setExpr(expr: string): void {
    if (typeof expr !== "string") {
      throw new ParameterError(this.name, `Parameter '${this.name}': expr must be a string`);
    }
    let ast: Node;
    try {
      ast = parse(expr);
    } catch (e) {
      throw new ParameterError(
        this.name,
        `Parameter '${this.name}': invalid expression: ${(e as Error).message}`,
      );
    }
    this.#expr = expr;
    this.#ast = ast;
    this.#vary = false;
  }

  /** The value, with bounds applied; for a constrained parameter, the evaluated expression. */
  get value(): number {
    if (this.#expr !== null && this.#owner) ownerEnsureCurrent(this.#owner);
    return this.#value;
  }
  set value(v: number) {
    this.#value = this.#clip(this.#checkValue(v));
    if (this.#owner) ownerValueChanged(this.#owner);
  }

  /**
   * Whether the parameter varies in a fit. Setting `true` removes a constraint expression.
   * False for a constrained parameter in a `Parameters` collection.
   */
  get vary(): boolean {
    return this.#vary;
  }
  set vary(v: boolean) {
    this.set({ vary: v });
  }

  /**
   * Lower bound (`-Infinity` when none). Setting it clips the value; setting `null` removes
   * the bound, as lmfit's `None`.
   */
  get min(): number {
    return this.#min;
  }
  set min(v: number | null) {
    this.set({ min: v ?? -Infinity });
  }

  /**
   * Upper bound (`Infinity` when none). Setting it clips the value; setting `null` removes
   * the bound, as lmfit's `None`.
   */
  get max(): number {
    return this.#max;
  }
  set max(v: number | null) {
    this.set({ max: v ?? Infinity });
  }

  /** Constraint expression, or `null`. Setting `null`/`""` removes it. */
  get expr(): string | null {
    return this.#expr;
  }
  set expr(v: string | null) {
    this.set({ expr: v ?? "" });
  }

  /**
   * Updates several attributes at once, with lmfit's semantics: `null`/`undefined` leaves an
   * attribute unchanged; `expr: ""` removes the expression; giving a `value` or `vary: true`
   * also removes the expression; `bruteStep: 0` removes the step. Nothing changes if the
   * update is invalid.
   *
   * @example
   * ```ts
   * import { Parameters } from "../mod.ts";
   * const params = new Parameters();
   * params.add("a", { value: 1 });
   * params.get("a")!.set({ min: 0, max: 5, value: 7 });
   * params.get("a")!.value; // 5
   * ```
   */
  set(options: ParameterOptions): this {
    checkParameterOptions(this.name, options);
    const saved = {
      vary: this.#vary,
      value: this.#value,
      min: this.#min,
      max: this.#max,
      expr: this.#expr,
      ast: this.#ast,
      bruteStep: this.bruteStep,
    };
    try {
      const min = num(options.min, this.#min);
      const max = num(options.max, this.#max);
      this.#checkBounds(min, max);
      this.#min = min;
      this.#max = max;
      if (options.vary !== undefined && options.vary !== null) {
        this.#vary = options.vary;
        if (options.vary) {
          this.#expr = null;
          this.#ast = null;
        }
      }
      if (options.value !== undefined && options.value !== null) {
        this.#value = this.#checkValue(options.value);
        this.#expr = null;
        this.#ast = null;
      }
      this.#value = this.#clip(this.#value);
      if (options.expr !== undefined && options.expr !== null) {
        if (options.expr === "") {
          this.#expr = null;
          this.#ast = null;
        } else this.#setExpr(options.expr);
      }
      if (options.bruteStep !== undefined && options.bruteStep !== null) {
        this.bruteStep = options.bruteStep === 0 ? null : options.bruteStep;
      }
      if (options.userData !== undefined) this.userData = options.userData;
      if (this.#owner) ownerChanged(this.#owner, this);
    } catch (e) {
      this.#vary = saved.vary;
      this.#value = saved.value;
      this.#min = saved.min;
      this.#max = saved.max;
      this.#expr = saved.expr;
      this.#ast = saved.ast;
      this.bruteStep = saved.bruteStep;
      throw e;
    }
    return this;
  }

  /** A detached copy (same attributes, no owner). */
  clone(): Parameter {
    const p = new Parameter(this.name, {
      min: this.#min,
      max: this.#max,
      bruteStep: this.bruteStep,
      userData: structuredCloneSafe(this.userData),
    });
    p.#value = this.#value;
    p.#vary = this.#vary;
    p.#expr = this.#expr;
    p.#ast = this.#ast;
    p.stderr = this.stderr;
    p.correl = this.correl ? { ...this.correl } : null;
    p.initValue = this.initValue;
    return p;
  }

  /**
   * lmfit's `setup_bounds()`: the internal, unbounded value that a fit varies for this
   * parameter, from its value and bounds by the MINUIT-style transform (none, lower only, upper
   * only, or both: `asin(2(value − min)/(max − min) − 1)`); `fromInternal` maps it back. The
   * transforms are the minimizer's own (`lib/solvers/bounds.ts`). Nothing is changed.
   *
   * @returns The internal value.
   * @example
   * ```ts
   * import { Parameter } from "../mod.ts";
   * const par = new Parameter("a", { value: 10, min: -25, max: 25 });
   * par.setupBounds(); // ≈ 0.4115168 = asin(0.4)
   * par.fromInternal(par.setupBounds()); // ≈ 10
   * new Parameter("b", { value: 10 }).setupBounds(); // 10: no bounds, no transform
   * ```
   */
  setupBounds(): number {
    return toInternal(this.value, this.#min, this.#max);
  }

  /**
   * lmfit's `from_internal(val)`: this parameter's value for an internal value `val` under its
   * bounds transform, the inverse of `setupBounds`.
   *
   * @param val An internal value.
   * @returns The value within the bounds.
   * @example
   * ```ts
   * import { Parameter } from "../mod.ts";
   * new Parameter("a", { value: 1, min: 0 }).fromInternal(0); // 0: the lower bound
   * ```
   */
  fromInternal(val: number): number {
    return fromInternal(val, this.#min, this.#max);
  }

  /**
   * lmfit's `scale_gradient(val)`: the derivative of the value with respect to the internal
   * value `val` (1 without bounds; `val/√(val² + 1)` with a lower bound only;
   * `−val/√(val² + 1)` with an upper bound only; `cos(val)·(max − min)/2` with both): the factor
   * that maps gradients and uncertainties between the internal and the user's variables.
   *
   * @param val An internal value.
   * @returns `d value / d internal` at `val`.
   * @example
   * ```ts
   * import { Parameter } from "../mod.ts";
   * const par = new Parameter("a", { value: 10, min: -25, max: 25 });
   * par.scaleGradient(par.setupBounds()); // ≈ 22.91 = cos(asin(0.4))·25
   * ```
   */
  scaleGradient(val: number): number {
    return gradient(val, this.#min, this.#max);
  }

  /**
   * The value, so that a parameter works in JavaScript arithmetic as it does in Python.
   *
   * @example
   * ```ts
   * import { Parameters } from "../mod.ts";
   * const params = new Parameters();
   * const amp = params.add("amp", { value: 3 });
   * +amp * 2; // 6
   * Math.sqrt(+amp); // 1.7320508075688772
   * ```
   */
  valueOf(): number {
    return this.value;
  }

  /**
   * lmfit's `repr(Parameter)`, numbers as Python prints a float (`10.0`, `1e-05`, `-inf`):
   * the value with ` (fixed)` or ` +/- stderr`, the bounds, the expression and the brute step
   * when set. `String(param)` gives the same.
   *
   * @example
   * ```ts
   * import { Parameter } from "../mod.ts";
   * String(new Parameter("a", { value: 10, min: -100, max: 100, bruteStep: 5 }));
   * // "<Parameter 'a', value=10.0, bounds=[-100.0:100.0], brute_step=5.0>"
   * String(new Parameter("b", { value: 2, vary: false })); // "<Parameter 'b', value=2.0 (fixed), bounds=[-inf:inf]>"
   * ```
   */
  toString(): string {
    let value = `value=${pyRepr(this.value)}`;
    if (!this.#vary && this.#expr === null) value += " (fixed)";
    else if (this.stderr !== null) value += ` +/- ${formatG(this.stderr, 3)}`;
    const parts = [value, `bounds=[${pyRepr(this.#min)}:${pyRepr(this.#max)}]`];
    if (this.#expr !== null) parts.push(`expr='${this.#expr}'`);
    if (this.bruteStep !== null) parts.push(`brute_step=${pyRepr(this.bruteStep)}`);
    return `<Parameter '${this.name}', ${parts.join(", ")}>`;
  }
}

/** A short description of a value for an error message. */
function describe(v: unknown): string {
  if (typeof v === "string") return `'${v}'`;
  if (v === null || v === undefined || typeof v === "number" || typeof v === "boolean") {
    return String(v);
  }
  return `a ${typeof v === "object" ? (v.constructor?.name ?? "object") : typeof v}`;
}

function structuredCloneSafe<T>(v: T): T {
  if (v === undefined || v === null || typeof v !== "object") return v;
  try {
    return structuredClone(v);
  } catch {
    return v;
  }
}

/**
 * The compiled form of a `Parameters` object's constraints: every parameter has a slot;
 * constrained ones are evaluated in dependency order by closures over the slot vector.
 * The minimizer writes varied values into `slots` and calls `evaluate()`.
 *
 * @example
 * ```ts
 * import { Parameters } from "../mod.ts";
 * import type { ConstraintProgram } from "./parameters.ts";
 * const params = new Parameters();
 * params.add("a", { value: 2 });
 * params.add("b", { expr: "a ** 2" });
 * const program: ConstraintProgram = params.compileConstraints();
 * program.names; // ["a", "b"]
 * program.slots[0] = 3; // a new value for `a`, as a solver would write it
 * program.evaluate();
 * program.slots; // [3, 9]
 * ```
 *
 * @category Parameters
 */
export interface ConstraintProgram {
  /** Parameter names in slot order (the `Parameters` insertion order). */
  readonly names: readonly string[];
  /** The parameters in slot order. */
  readonly params: readonly Parameter[];
  /** Current values by slot. */
  readonly slots: Float64Array;
  /** Slot indices of constrained parameters, in evaluation (dependency) order. */
  readonly exprOrder: Int32Array;
  /** Evaluates every constraint into `slots` (clipped to each parameter's bounds). */
  evaluate(): void;
  /** Writes `slots` into the `Parameter` objects (no re-evaluation). */
  writeBack(): void;
}

/**
 * Options of `Parameters.prettyRepr`.
 *
 * @example
 * ```ts
 * import { Parameters } from "../mod.ts";
 * import type { PrettyReprOptions } from "./parameters.ts";
 * const options: PrettyReprOptions = { oneline: true };
 * new Parameters().prettyRepr(options); // "Parameters()"
 * ```
 *
 * @category Parameters
 */
export interface PrettyReprOptions {
  /** lmfit's one-line `repr(params)` instead of one parameter per line. @default false */
  oneline?: boolean;
}

/**
 * A column of `Parameters.prettyTable`: a `Parameter` field.
 *
 * @example
 * ```ts
 * import type { TableColumn } from "./parameters.ts";
 * const columns: TableColumn[] = ["value", "stderr", "bruteStep"];
 * columns.length; // 3
 * ```
 *
 * @category Parameters
 */
export type TableColumn =
  | "value"
  | "min"
  | "max"
  | "stderr"
  | "vary"
  | "expr"
  | "bruteStep"
  | "initValue";

/**
 * Options of `Parameters.prettyTable` (and `prettyPrint`), as lmfit's `pretty_print`.
 *
 * @example
 * ```ts
 * import { Parameters } from "../mod.ts";
 * import type { ParametersTableOptions } from "./parameters.ts";
 * const options: ParametersTableOptions = { fmt: "f", precision: 1, columns: ["value"] };
 * const params = new Parameters();
 * params.add("a", { value: 2 });
 * params.prettyTable(options); // "Name     Value\na          2.0"
 * ```
 *
 * @category Parameters
 */
export interface ParametersTableOptions {
  /** Width of each column after the name. @default 8 */
  colwidth?: number;
  /** Digits of the numbers (Python's format precision). @default 4 */
  precision?: number;
  /** Number format, as Python's format type: general, exponent or fixed. @default "g" */
  fmt?: "g" | "e" | "f" | "G" | "E" | "F";
  /**
   * Columns, in order (headers as lmfit's: `Value`, `Brute_Step`, ...).
   * @default ["value", "min", "max", "stderr", "vary", "expr", "bruteStep"]
   */
  columns?: TableColumn[];
}

/**
 * Options of `Parameters.prettyPrint`: the table's options, or `oneline` to print lmfit's
 * one-line `repr` instead.
 *
 * @example
 * ```ts
 * import { Parameters } from "../mod.ts";
 * import type { PrettyPrintOptions } from "./parameters.ts";
 * const options: PrettyPrintOptions = { colwidth: 12, precision: 6 };
 * new Parameters().prettyPrint(options); // prints the header line only
 * ```
 *
 * @category Parameters
 */
export interface PrettyPrintOptions extends ParametersTableOptions {
  /** Print `prettyRepr({ oneline: true })` instead of the table. @default false */
  oneline?: boolean;
}

const PRETTY_REPR_KEYS = optionKeys<PrettyReprOptions>({ oneline: true });
const TABLE_KEYS = optionKeys<ParametersTableOptions>({
  colwidth: true,
  precision: true,
  fmt: true,
  columns: true,
});
const PRETTY_PRINT_KEYS = optionKeys<PrettyPrintOptions>({
  oneline: true,
  colwidth: true,
  precision: true,
  fmt: true,
  columns: true,
});

/** Column headers, as lmfit's `pretty_print` title-cases its attribute names. */
const TABLE_COLUMNS: Readonly<Record<TableColumn, string>> = {
  value: "Value",
  min: "Min",
  max: "Max",
  stderr: "Stderr",
  vary: "Vary",
  expr: "Expr",
  bruteStep: "Brute_Step",
  initValue: "Init_Value",
};

const upper = (s: string) => s.toUpperCase();
/** Python's float format types for the table. */
const NUMBER_FORMATS: Readonly<Record<string, (x: number, p: number) => string>> = {
  g: (x, p) => formatG(x, p),
  e: (x, p) => formatE(x, p),
  f: (x, p) => formatF(x, p),
  G: (x, p) => upper(formatG(x, p)),
  E: (x, p) => upper(formatE(x, p)),
  F: (x, p) => upper(formatF(x, p)),
};

/**
 * An ordered, Map-like collection of `Parameter`s that keeps constraint expressions current.
 *
 * @example
 * ```ts
 * import { Parameters } from "../mod.ts";
 * const params = new Parameters();
 * params.add("amp", { value: 10, min: 0 });
 * params.add("half", { expr: "amp / 2" });
 * params.addMany(["a1", 10, true, null, null, null], ["a2", null, false, null, null, "2*a1/3"]);
 * params.get("half")!.value; // 5
 * params.get("a2")!.value; // 6.666...
 * params.valuesdict(); // { amp: 10, half: 5, a1: 10, a2: 6.666666666666667 }
 * ```
 *
 * @category Parameters
 */
export class Parameters implements Iterable<[string, Parameter]> {
  #params = new Map<string, Parameter>();
  #program: ConstraintProgram | null = null;
  #dirty = false;
  #inUpdate = false;
  /** User values and functions available to constraint expressions. */
  readonly symtable: SymbolTable;

  static {
    ownerChanged = (owner, p) => owner.#structureChanged([p]);
    ownerValueChanged = (owner) => {
      if (!owner.#inUpdate) owner.#dirty = true;
    };
    ownerEnsureCurrent = (owner) => {
      if (owner.#dirty && !owner.#inUpdate) owner.updateConstraints();
    };
  }

  /** Creates an empty collection. */
  constructor() {
    this.symtable = new SymbolTable(() => this.#structureChanged([]));
  }

  /**
   * Adds a parameter, by name and options or as a `Parameter` object, and re-evaluates the
   * constraints. Throws (and adds nothing) if the name is invalid or taken by a different
   * definition, or the expression uses unknown names or forms a cycle.
   *
   * @returns the added parameter.
   */
  add(name: string, options?: ParameterOptions): Parameter;
  /** Adds a copy of a `Parameter` object. */
  add(parameter: Parameter): Parameter;
  add(nameOrParam: string | Parameter, options: ParameterOptions = {}): Parameter {
    if (typeof nameOrParam !== "string" && !(nameOrParam instanceof Parameter)) {
      throw new TypeError(
        `Parameters.add: ${
          describe(nameOrParam)
        } is not a Parameter or a parameter name; give add("name", { value, ... }) or add(new Parameter(...))`,
      );
    }
    const p = typeof nameOrParam === "string"
      ? new Parameter(nameOrParam, options)
      : nameOrParam.clone();
    this.#insert([p]);
    return p;
  }

  /**
   * Adds several parameters at once, as tuples in the seeds' order
   * `[name, value, vary, min, max, expr, bruteStep]` or as `Parameter` objects. Expressions
   * may refer to parameters added later in the same call.
   */
  addMany(...items: (ParameterTuple | Parameter)[]): void {
    const ps = items.map((it) => {
      if (it instanceof Parameter) return it.clone();
      if (!Array.isArray(it) || typeof it[0] !== "string") {
        throw new TypeError(
          "addMany: each item must be a Parameter or a tuple [name, value, vary, min, max, expr, bruteStep]",
        );
      }
      const [name, value, vary, min, max, expr, bruteStep] = it;
      return new Parameter(name, { value, vary, min, max, expr, bruteStep });
    });
    const seen = new Set<string>();
    for (const p of ps) {
      if (seen.has(p.name)) {
        throw new ParameterError(p.name, `addMany: parameter '${p.name}' is given twice`);
      }
      seen.add(p.name);
    }
    this.#insert(ps);
  }

  #insert(ps: Parameter[]): void {
    const previous = ps.map((p) => this.#params.get(p.name));
    for (const p of ps) {
      fixConstrained(p);
      const old = this.#params.get(p.name);
      if (old) setOwner(old, null);
      this.#params.set(p.name, p);
      setOwner(p, this);
    }
    try {
      this.#structureChanged(ps);
    } catch (e) {
      ps.forEach((p, i) => {
        setOwner(p, null);
        const old = previous[i];
        if (old) {
          this.#params.set(p.name, old);
          setOwner(old, this);
        } else this.#params.delete(p.name);
      });
      this.#program = null;
      this.#dirty = true;
      throw e;
    }
  }

  /** The parameter of that name, or `undefined`. */
  get(name: string): Parameter | undefined {
    return this.#params.get(name);
  }

  /** Whether a parameter of that name exists. */
  has(name: string): boolean {
    return this.#params.has(name);
  }

  /**
   * Removes a parameter. Throws if a constraint expression still uses it.
   *
   * @returns whether it existed.
   */
  delete(name: string): boolean {
    const p = this.#params.get(name);
    if (!p) return false;
    for (const q of this.#params.values()) {
      const ast = getAst(q);
      if (q !== p && ast && freeNames(ast, true).includes(name)) {
        throw new ParameterError(
          name,
          `cannot delete '${name}': the expression of '${q.name}' ("${q.expr}") uses it; change that expression first`,
        );
      }
    }
    this.#params.delete(name);
    setOwner(p, null);
    this.#structureChanged([]);
    return true;
  }

  /** Number of parameters. */
  get size(): number {
    return this.#params.size;
  }

  /** Names in insertion order. */
  keys(): IterableIterator<string> {
    return this.#params.keys();
  }

  /** Parameters in insertion order (constraints evaluated first). */
  values(): IterableIterator<Parameter> {
    this.#ensureCurrent();
    return this.#params.values();
  }

  /** `[name, parameter]` pairs in insertion order. */
  entries(): IterableIterator<[string, Parameter]> {
    this.#ensureCurrent();
    return this.#params.entries();
  }

  /** Iterates `[name, parameter]` pairs in insertion order. */
  [Symbol.iterator](): IterableIterator<[string, Parameter]> {
    return this.entries();
  }

  /**
   * `{ name: value }` for every parameter, constraints evaluated.
   *
   * @example
   * ```ts
   * import { Parameters } from "../mod.ts";
   * const p = new Parameters();
   * p.add("a", { value: 2 });
   * p.add("b", { expr: "a**2" });
   * p.valuesdict(); // { a: 2, b: 4 }
   * ```
   */
  valuesdict(): Record<string, number> {
    this.#ensureCurrent();
    const out: Record<string, number> = {};
    for (const [k, p] of this.#params) out[k] = getRawValue(p);
    return out;
  }

  /**
   * A deep copy: new `Parameter` objects, a copy of the symbol table; of the same class as
   * this collection (a subclass stays a subclass, as in lmfit).
   */
  copy(): this {
    const out = new (this.constructor as new () => this)();
    out.symtable.assign(this.symtable);
    out.addMany(...this.#params.values());
    return out;
  }

  /**
   * Re-evaluates every constrained parameter from the current independent values, in
   * dependency order. Called automatically after `add`/`set` and before reading a constrained
   * value that may be stale; the fit loop calls the compiled program directly.
   */
  updateConstraints(): void {
    const prog = this.compileConstraints();
    this.#inUpdate = true;
    try {
      const { params, slots } = prog;
      for (let i = 0; i < params.length; i++) slots[i] = getRawValue(params[i]);
      prog.evaluate();
      prog.writeBack();
      this.#dirty = false;
    } finally {
      this.#inUpdate = false;
    }
  }

  #ensureCurrent(): void {
    if (this.#dirty && !this.#inUpdate) this.updateConstraints();
  }

  #structureChanged(_changed: Parameter[]): void {
    this.#program = null;
    this.#dirty = true;
    if (this.#params.size > 0) this.updateConstraints();
  }

  /**
   * The compiled constraint program (built once per structural change, then cached).
   * Throws a `ParameterError` for unknown names (all listed) or dependency cycles (spelled out).
   */
  compileConstraints(): ConstraintProgram {
    if (this.#program) return this.#program;
    const params = [...this.#params.values()];
    const names = params.map((p) => p.name);
    const index = new Map(names.map((n, i) => [n, i]));
    const order = dependencyOrder(params, index);
    const slots = new Float64Array(params.length);
    const bind = (name: string): Binding | undefined => bindSymbol(name, index, this.symtable);
    const fns: CompiledExpr[] = [];
    const mins = new Float64Array(order.length);
    const maxs = new Float64Array(order.length);
    order.forEach((i, k) => {
      const p = params[i];
      try {
        fns.push(compile(getAst(p)!, bind, { strict: true }));
      } catch (e) {
        if (e instanceof ExprNameError) {
          throw new ParameterError(
            p.name,
            `Parameter '${p.name}': expression "${p.expr}" uses unknown name${
              e.names.length > 1 ? "s" : ""
            } ${e.names.map((n) => `'${n}'`).join(", ")}; add ${
              e.names.length > 1 ? "them" : "it"
            } with params.add(...) or params.symtable.set(...)`,
          );
        }
        throw new ParameterError(p.name, `Parameter '${p.name}': ${(e as Error).message}`);
      }
      mins[k] = p.min;
      maxs[k] = p.max;
    });
    const exprOrder = Int32Array.from(order);
    const nExpr = order.length;
    this.#program = {
      names,
      params,
      slots,
      exprOrder,
      evaluate(): void {
        for (let k = 0; k < nExpr; k++) {
          let v: number;
          try {
            v = fns[k](slots);
          } catch (e) {
            const p = params[exprOrder[k]];
            throw new ParameterError(
              p.name,
              `Parameter '${p.name}': expression "${p.expr}" cannot be evaluated: ${
                (e as Error).message
              }`,
            );
          }
          if (v > maxs[k]) v = maxs[k];
          else if (v < mins[k]) v = mins[k];
          slots[exprOrder[k]] = v;
        }
      },
      writeBack(): void {
        for (let i = 0; i < params.length; i++) setRawValue(params[i], slots[i]);
      },
    };
    return this.#program;
  }

  /**
   * lmfit's `pretty_repr`: the parameters one per line, `Parameters({\n    'a': <Parameter
   * 'a', ...>, \n    })\n`, or with `oneline: true` lmfit's `repr(params)` on one line (as
   * `String(params)`).
   *
   * @example
   * ```ts
   * import { Parameters } from "../mod.ts";
   * const params = new Parameters();
   * params.add("a", { value: 10, min: 0 });
   * params.prettyRepr(); // "Parameters({\n    'a': <Parameter 'a', value=10.0, bounds=[0.0:inf]>, \n    })\n"
   * params.prettyRepr({ oneline: true }); // "Parameters([('a', <Parameter 'a', value=10.0, bounds=[0.0:inf]>)])"
   * ```
   */
  prettyRepr(options: PrettyReprOptions = {}): string {
    checkOptions(options, PRETTY_REPR_KEYS, "prettyRepr");
    if (options.oneline) return this.toString();
    this.#ensureCurrent();
    let s = "Parameters({\n";
    for (const [name, p] of this.#params) s += `    '${name}': ${p.toString()}, \n`;
    return s + "    })\n";
  }

  /**
   * The table lmfit's `pretty_print` prints: a header, then one row per parameter sorted by
   * name, with the chosen `columns`, numbers formatted as Python's `{:>colwidth.precision fmt}`.
   * Unlike lmfit, which formats `brute_step` as a number only while there is no stderr in the
   * table, the brute step is always formatted as a number.
   *
   * @example
   * ```ts
   * import { Parameters } from "../mod.ts";
   * const params = new Parameters();
   * params.add("amp", { value: 10, min: 0 });
   * params.prettyTable({ columns: ["value", "min", "vary"] });
   * // "Name     Value      Min     Vary\namp        10        0     True"
   * ```
   */
  prettyTable(options: ParametersTableOptions = {}): string {
    checkOptions(options, TABLE_KEYS, "prettyTable");
    this.#ensureCurrent();
    const colwidth = options.colwidth ?? 8;
    const precision = options.precision ?? 4;
    const fmt = options.fmt ?? "g";
    const columns = options.columns ??
      ["value", "min", "max", "stderr", "vary", "expr", "bruteStep"];
    if (!Number.isInteger(colwidth) || colwidth < 0) {
      throw new RangeError(`prettyTable: colwidth must be a non-negative integer, got ${colwidth}`);
    }
    if (!Number.isInteger(precision) || precision < 0) {
      throw new RangeError(
        `prettyTable: precision must be a non-negative integer, got ${precision}`,
      );
    }
    const number = NUMBER_FORMATS[fmt];
    if (!number) {
      throw new RangeError(
        `prettyTable: fmt '${fmt}' is not one of ${Object.keys(NUMBER_FORMATS).join(", ")}`,
      );
    }
    if (!Array.isArray(columns)) {
      throw new TypeError(`prettyTable: columns must be an array of column names`);
    }
    for (const c of columns) {
      if (!Object.hasOwn(TABLE_COLUMNS, c)) {
        const near = closestName(String(c), Object.keys(TABLE_COLUMNS));
        throw new RangeError(
          `prettyTable: unknown column '${c}'${near ? `; did you mean ${near}?` : ""} Columns: ${
            Object.keys(TABLE_COLUMNS).join(", ")
          }`,
        );
      }
    }
    const num = (x: number | null) =>
      (x === null ? "None" : number(x, precision)).padStart(colwidth);
    const cell = (p: Parameter, c: TableColumn): string => {
      switch (c) {
        case "value":
          return num(getRawValue(p));
        case "min":
          return num(p.min);
        case "max":
          return num(p.max);
        case "stderr":
          return num(p.stderr);
        case "bruteStep":
          return num(p.bruteStep);
        case "initValue":
          return num(p.initValue);
        case "vary":
          return (p.vary ? "True" : "False").padStart(colwidth);
        case "expr":
          return (p.expr ?? "None").padStart(colwidth);
      }
    };
    const names = [...this.#params.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const nameLen = Math.max(0, ...names.map((n) => n.length));
    const lines = [
      ["Name".padEnd(nameLen) + " ", ...columns.map((c) => TABLE_COLUMNS[c].padStart(colwidth))]
        .join(" "),
    ];
    for (const name of names) {
      const p = this.#params.get(name)!;
      lines.push([name.padEnd(nameLen) + " ", ...columns.map((c) => cell(p, c))].join(" "));
    }
    return lines.join("\n");
  }

  /**
   * Prints `prettyTable(options)` to the console, as lmfit's `pretty_print`; with
   * `oneline: true`, `prettyRepr({ oneline: true })` instead.
   *
   * @example
   * ```ts
   * import { Parameters } from "../mod.ts";
   * const params = new Parameters();
   * params.add("amp", { value: 10, min: 0 });
   * params.prettyPrint({ precision: 2, fmt: "e", columns: ["value", "min"] });
   * // Name     Value      Min
   * // amp  1.00e+01 0.00e+00
   * ```
   */
  prettyPrint(options: PrettyPrintOptions = {}): void {
    checkOptions(options, PRETTY_PRINT_KEYS, "prettyPrint");
    const { oneline, ...table } = options;
    console.log(oneline ? this.prettyRepr({ oneline }) : this.prettyTable(table));
  }

  /**
   * What Deno's Jupyter kernel shows for the parameters: lmfit's HTML table (`paramsHtml`) and
   * `prettyTable()` as text.
   *
   * @example
   * ```ts
   * import { JUPYTER_DISPLAY, Parameters } from "../mod.ts";
   * const params = new Parameters();
   * params.add("amp", { value: 2, min: 0 });
   * params[JUPYTER_DISPLAY]()["text/html"].includes("<td> amp </td>"); // true
   * ```
   */
  [JUPYTER_DISPLAY](): MimeBundle {
    return { "text/html": paramsHtml(this.values()), "text/plain": this.prettyTable() };
  }

  /**
   * JSON text of every parameter and the user symbols, in lmfit's layout
   * (`{"unique_symbols": {...}, "params": [[name, value, vary, expr, min, max, brute_step,
   * stderr, correl, init_value, user_data], ...]}`, infinities as Python writes them), so that
   * Python lmfit's `Parameters().loads(text)` reads it. Numbers and arrays are stored by value;
   * user functions by name, to be supplied again to `loads`.
   *
   * @example
   * ```ts
   * import { Parameters } from "../mod.ts";
   * const params = new Parameters();
   * params.add("amp", { value: 2, min: 0 });
   * params.dumps(); // '{"unique_symbols":{},"params":[["amp",2,true,null,0,Infinity,null,null,null,null,null]]}'
   * ```
   */
  dumps(): string {
    this.#ensureCurrent();
    const symbols: Record<string, unknown> = {};
    for (const [k, v] of this.symtable) {
      symbols[k] = typeof v === "function"
        ? { __class__: "Callable", __name__: k, pyversion: "", value: null, importer: null }
        : v;
    }
    const params = [...this.#params.values()].map((p) => [
      p.name,
      getRawValue(p),
      p.vary,
      p.expr,
      p.min,
      p.max,
      p.bruteStep,
      p.stderr,
      p.correl,
      p.initValue,
      p.userData === undefined ? null : p.userData,
    ]);
    return pyJsonStringify({ unique_symbols: symbols, params });
  }

  /**
   * Replaces this collection's parameters and symbols with those in `json`: text from `dumps`,
   * from Python lmfit's `Parameters.dumps()`/`dump()`, or from lmfit-ts before 0.x (an object
   * per parameter). Symbols that Python lmfit writes for its own built-ins (`pi`, `erf`, ...)
   * and for the parameters themselves are skipped. User functions are not serialisable: pass
   * them in `options.functions` (or define them in this collection's `symtable` beforehand).
   * Nothing changes if the text is invalid.
   *
   * @example
   * ```ts
   * import { Parameters } from "../mod.ts";
   * const text = '{"unique_symbols": {}, "params": [["a", 1.5, true, null, 0, Infinity, null, null, null, null, null]]}';
   * new Parameters().loads(text).get("a")!.max; // Infinity
   * ```
   *
   * @returns this collection.
   */
  loads(json: string, options: { functions?: Record<string, UserFunction> } = {}): this {
    checkOptions(options, optionKeys<typeof options>({ functions: true }), "loads");
    let data: unknown;
    try {
      data = pyJsonParse(json);
    } catch (e) {
      throw new SyntaxError(`loads: not a Parameters JSON document: ${(e as Error).message}`);
    }
    const doc = data as { unique_symbols?: unknown; symbols?: unknown; params?: unknown };
    if (!doc || typeof doc !== "object" || !Array.isArray(doc.params)) {
      throw new TypeError("loads: not a Parameters JSON document (no 'params' array)");
    }
    const rows = doc.params as unknown[];
    const names = new Set(
      rows.map((r) => (Array.isArray(r) ? r[0] : (r as { name: string })?.name)),
    );
    const symtable = new SymbolTable();
    const rawSymbols = (doc.unique_symbols ?? doc.symbols ?? {}) as Record<string, unknown>;
    for (const [k, v] of Object.entries(rawSymbols)) {
      if (names.has(k) || k in PYTHON_DEFAULT_SYMBOLS) continue;
      const fnName = callableName(v);
      if (fnName !== null) {
        const importer = (v as { importer?: unknown }).importer;
        if (typeof importer === "string" && /^(numpy|scipy|math)\b/.test(importer)) continue;
        const fn = options.functions?.[k] ?? this.symtable.get(k);
        if (typeof fn !== "function") {
          throw new TypeError(
            `loads: user function '${k}' is not serialisable; pass it as loads(json, { functions: { ${k} } })`,
          );
        }
        symtable.set(k, fn);
        continue;
      }
      const value = decodeSymbol(v);
      if (value === undefined) {
        throw new TypeError(
          `loads: symbol '${k}' holds a value the expression language cannot use (only numbers, arrays of numbers and functions)`,
        );
      }
      symtable.set(k, value);
    }
    const ps = rows.map((r) => parameterFromState(r));
    const fresh = new Parameters();
    fresh.symtable.assign(symtable);
    fresh.addMany(...ps); // validates before we touch this collection
    for (const p of this.#params.values()) setOwner(p, null);
    this.#params.clear();
    for (const k of [...this.symtable].map(([k]) => k)) this.symtable.delete(k);
    this.symtable.assign(fresh.symtable);
    this.addMany(...fresh.#params.values());
    return this;
  }

  /**
   * Writes `dumps()` to a file (by path or URL; synchronous) or to a writable byte stream
   * (e.g. `Deno.stdout.writable` or an open file's `.writable`; then it returns a promise that
   * settles once written, and the stream is closed). Python lmfit's `Parameters.load` reads
   * the file.
   *
   * @example
   * ```ts
   * import { Parameters } from "../mod.ts";
   * const params = new Parameters();
   * params.add("amp", { value: 2, min: 0 });
   * const path = Deno.makeTempFileSync({ suffix: ".json" });
   * params.dump(path);
   * new Parameters().load(path).get("amp")!.value; // 2
   * ```
   */
  dump(target: string | URL): void;
  /** Writes `dumps()` to a writable byte stream and closes it. */
  dump(target: WritableStream<Uint8Array>): Promise<void>;
  dump(target: string | URL | WritableStream<Uint8Array>): void | Promise<void> {
    const text = this.dumps();
    if (typeof target === "string" || target instanceof URL) {
      Deno.writeTextFileSync(target, text);
      return;
    }
    if (target instanceof WritableStream) {
      return ReadableStream.from([new TextEncoder().encode(text)]).pipeTo(target);
    }
    throw new TypeError("dump: give a file path, a URL or a WritableStream<Uint8Array>");
  }

  /**
   * Replaces this collection's parameters with those in a file (path or URL; synchronous) or
   * a readable byte stream (then it returns a promise), written by `dump` or by Python lmfit's
   * `Parameters.dump`. Options as `loads`.
   *
   * @example
   * ```ts
   * import { Parameters } from "../mod.ts";
   * const text = '{"unique_symbols": {}, "params": [["a", 1.5, true, null, 0, Infinity, null, null, null, null, null]]}';
   * const stream = ReadableStream.from([new TextEncoder().encode(text)]);
   * const params = await new Parameters().load(stream);
   * params.get("a")!.value; // 1.5
   * ```
   */
  load(source: string | URL, options?: { functions?: Record<string, UserFunction> }): this;
  /** Reads a readable byte stream to its end and loads it. */
  load(
    source: ReadableStream<Uint8Array>,
    options?: { functions?: Record<string, UserFunction> },
  ): Promise<this>;
  load(
    source: string | URL | ReadableStream<Uint8Array>,
    options: { functions?: Record<string, UserFunction> } = {},
  ): this | Promise<this> {
    if (typeof source === "string" || source instanceof URL) {
      return this.loads(Deno.readTextFileSync(source), options);
    }
    if (source instanceof ReadableStream) {
      return new Response(source).text().then((text) => this.loads(text, options));
    }
    throw new TypeError("load: give a file path, a URL or a ReadableStream<Uint8Array>");
  }

  /**
   * Adds (or replaces) every parameter of `other`, as copies, and its user symbols, as lmfit's
   * `Parameters.update`. Nothing changes if the result would be invalid.
   *
   * @example
   * ```ts
   * import { Parameters } from "../mod.ts";
   * const a = new Parameters();
   * a.add("amp", { value: 1 });
   * const b = new Parameters();
   * b.add("amp", { value: 5 });
   * b.add("cen", { value: 2 });
   * a.update(b).valuesdict(); // { amp: 5, cen: 2 }
   * ```
   *
   * @returns this collection.
   */
  update(other: Parameters): this {
    if (!(other instanceof Parameters)) {
      throw new TypeError("update: give a Parameters object");
    }
    const trial = this.copy();
    trial.symtable.assign(other.symtable);
    trial.addMany(...other.#params.values()); // throws before this collection changes
    this.symtable.assign(other.symtable);
    this.addMany(...other.#params.values());
    return this;
  }

  /**
   * Evaluates an expression with the current parameter values and user symbols, as lmfit's
   * `Parameters.eval`. Throws a `TypeError` naming unknown names or a failed operation.
   *
   * @example
   * ```ts
   * import { Parameters } from "../mod.ts";
   * const params = new Parameters();
   * params.add("amp", { value: 3 });
   * params.add("wid", { value: 2 });
   * params.eval("amp * sqrt(wid**2)"); // 6
   * ```
   */
  eval(expr: string): number {
    if (typeof expr !== "string") throw new TypeError("eval: give the expression as a string");
    const program = this.compileConstraints();
    this.#ensureCurrent();
    let ast: Node;
    try {
      ast = parse(expr);
    } catch (e) {
      throw new SyntaxError(`eval: invalid expression "${expr}": ${(e as Error).message}`);
    }
    const index = new Map(program.names.map((n, i) => [n, i]));
    const slots = new Float64Array(program.params.length);
    program.params.forEach((p, i) => slots[i] = getRawValue(p));
    try {
      return compile(ast, (name) => bindSymbol(name, index, this.symtable), { strict: true })(
        slots,
      );
    } catch (e) {
      if (e instanceof ExprNameError) {
        throw new TypeError(
          `eval: "${expr}" uses unknown name${e.names.length > 1 ? "s" : ""} ${
            e.names.map((n) => `'${n}'`).join(", ")
          }`,
        );
      }
      throw new TypeError(`eval: "${expr}" cannot be evaluated: ${(e as Error).message}`);
    }
  }

  /**
   * lmfit's `repr(params)`: `Parameters([('a', <Parameter 'a', ...>), ...])`, or
   * `Parameters()` when empty.
   */
  toString(): string {
    this.#ensureCurrent();
    if (this.#params.size === 0) return "Parameters()";
    const items = [...this.#params].map(([name, p]) => `('${name}', ${p.toString()})`);
    return `Parameters([${items.join(", ")}])`;
  }
}

/** Symbols Python lmfit writes into `unique_symbols` for its own built-ins: skipped by `loads`. */
const PYTHON_DEFAULT_SYMBOLS: Readonly<Record<string, true>> = Object.freeze(
  Object.assign(
    Object.create(null),
    Object.fromEntries(
      [
        "inf",
        "Inf",
        "infty",
        "nan",
        "NAN",
        "NaN",
        "pi",
        "e",
        "True",
        "False",
        "None",
        "newaxis",
        "little_endian",
        "loggammafcn",
        "gamfcn",
        "betalnfnc",
        "erf",
        "erfc",
        "wofz",
      ].map((k) => [k, true]),
    ),
  ),
);

/** The function name of an lmfit-encoded callable (`{"__class__": "Callable", ...}`), else null. */
function callableName(v: unknown): string | null {
  if (!v || typeof v !== "object" || Array.isArray(v)) return null;
  const o = v as { __class__?: unknown; __function__?: unknown; __name__?: unknown };
  if (o.__class__ === "Callable") return String(o.__name__);
  if ("__function__" in o) return String(o.__function__); // lmfit-ts's earlier layout
  return null;
}

/** A user symbol's value from lmfit's encoding (numbers, lists, tuples, numeric arrays). */
function decodeSymbol(v: unknown): SymbolValue | undefined {
  const n = decodeNumber(v);
  if (typeof n === "number") return n;
  if (Array.isArray(v)) {
    const items = v.map(decodeSymbol);
    return items.every((x) => x !== undefined && typeof x !== "function")
      ? items as SymbolValue
      : undefined;
  }
  if (v && typeof v === "object") {
    const o = v as { __class__?: unknown; value?: unknown; __dtype__?: unknown };
    if (o.__class__ === "List" || o.__class__ === "Tuple") return decodeSymbol(o.value);
    if (o.__class__ === "NDArray" && !String(o.__dtype__).startsWith("complex")) {
      return decodeSymbol(o.value);
    }
  }
  return undefined;
}

/** Numbers as lmfit-ts once wrote them ("inf", "nan") and as Python writes them. */
function decodeNumber(v: unknown): number | null | undefined {
  if (typeof v === "number") return v;
  if (v === null || v === undefined) return null;
  if (v === "nan") return NaN;
  if (v === "inf") return Infinity;
  if (v === "-inf") return -Infinity;
  return undefined;
}

/** A detached Parameter from one row of lmfit's `params` list (or lmfit-ts's older object). */
function parameterFromState(row: unknown): Parameter {
  let s: {
    name: unknown;
    value: unknown;
    vary: unknown;
    expr: unknown;
    min: unknown;
    max: unknown;
    bruteStep: unknown;
    stderr: unknown;
    correl: unknown;
    initValue: unknown;
    userData: unknown;
  };
  if (Array.isArray(row)) {
    const [name, value, vary, expr, min, max, bruteStep, stderr, correl, initValue, userData] = row;
    s = { name, value, vary, expr, min, max, bruteStep, stderr, correl, initValue, userData };
  } else if (row && typeof row === "object") {
    s = row as typeof s;
  } else {
    throw new TypeError("loads: each entry of 'params' must be a parameter state");
  }
  const name = String(s.name);
  const number = (field: string, v: unknown): number | null => {
    const n = decodeNumber(v);
    if (n === undefined) {
      throw new TypeError(
        `loads: parameter '${name}': ${field} must be a number, got ${JSON.stringify(v)}`,
      );
    }
    return n;
  };
  const p = new Parameter(name, {
    min: number("min", s.min),
    max: number("max", s.max),
    bruteStep: number("brute_step", s.bruteStep),
    userData: s.userData === null ? undefined : s.userData,
  });
  const value = number("value", s.value);
  if (value !== null) p.set({ value });
  if (typeof s.expr === "string" && s.expr !== "") p.set({ expr: s.expr });
  else p.set({ vary: s.vary !== false });
  p.stderr = number("stderr", s.stderr);
  p.correl = s.correl && typeof s.correl === "object"
    ? Object.fromEntries(
      Object.entries(s.correl as Record<string, unknown>).map((
        [k, v],
      ) => [k, number("correl", v)!]),
    )
    : null;
  p.initValue = number("init_value", s.initValue);
  return p;
}

/**
 * Slot indices of the constrained parameters in dependency order. Throws a ParameterError
 * spelling out any cycle, e.g. `a -> b -> a`.
 */
function dependencyOrder(params: Parameter[], index: Map<string, number>): number[] {
  const deps = params.map((p) => {
    const ast = getAst(p);
    return ast ? freeNames(ast, true).filter((n) => index.has(n)).map((n) => index.get(n)!) : [];
  });
  const state = new Uint8Array(params.length); // 0 new, 1 on stack, 2 done
  const order: number[] = [];
  const stack: number[] = [];
  const visit = (i: number): void => {
    if (state[i] === 2) return;
    if (state[i] === 1) {
      const cycle = stack.slice(stack.indexOf(i)).concat(i).map((j) => params[j].name);
      throw new ParameterError(
        params[i].name,
        `constraint expressions form a cycle: ${
          cycle.join(" -> ")
        }; break it by giving one of them a value instead of an expression`,
      );
    }
    state[i] = 1;
    stack.push(i);
    for (const d of deps[i]) if (getAst(params[d])) visit(d);
    stack.pop();
    state[i] = 2;
    if (getAst(params[i])) order.push(i);
  };
  for (let i = 0; i < params.length; i++) if (getAst(params[i])) visit(i);
  return order;
}

/** Whether a parameter may not take this name (a Python keyword, as in lmfit, or `__proto__`). */
export function isReservedName(name: string): boolean {
  return RESERVED_PARAMETER_NAMES.has(name) || name === "__proto__";
}
