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
import { BUILTIN_CONSTANTS, BUILTIN_FUNCTIONS, RESERVED_NAMES } from "./expr/builtins.ts";
import { SymbolTable, type SymbolValue, type UserFunction } from "./symtable.ts";
import { formatG } from "./util/format.ts";

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
 */
export interface ParameterOptions {
  /** Starting (or fixed) value. Clipped into `[min, max]`. */
  value?: number | null;
  /**
   * Whether the parameter is varied in a fit.
   * @default true (false when `expr` is given)
   */
  vary?: boolean | null;
  /**
   * Lower bound.
   * @default -Infinity
   */
  min?: number | null;
  /**
   * Upper bound.
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
 * try {
 *   new Parameter("amp", { value: 3, min: 5, max: 1 });
 * } catch (e) {
 *   e instanceof ParameterError; // true
 *   (e as ParameterError).parameter; // "amp"
 *   (e as ParameterError).message; // "Parameter 'amp': min (5) > max (1); swap them or fix the bounds"
 * }
 * ```
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
let ownerChanged: (owner: Parameters, p: Parameter) => void;
let ownerValueChanged: (owner: Parameters) => void;
let ownerEnsureCurrent: (owner: Parameters) => void;

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checkName(name: string): void {
  if (typeof name !== "string" || !NAME_RE.test(name)) {
    throw new ParameterError(
      String(name),
      `'${name}' is not a valid parameter name: use letters, digits and '_', not starting with a digit`,
    );
  }
  if (RESERVED_NAMES.has(name)) {
    throw new ParameterError(
      name,
      `'${name}' is a reserved name (a Python keyword or a built-in of the expression language): choose another name, e.g. '${name}_'`,
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
 */
export class Parameter {
  /** The parameter's name: a valid identifier, unique within its `Parameters`. */
  readonly name: string;
  /** Whether the parameter is varied in a fit (always false while `expr` is set). */
  #vary = true;
  #value = NaN;
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
  }

  /**
   * Creates a parameter; throws a `ParameterError` for invalid names, bounds or expressions.
   * @param name A valid identifier that is not reserved.
   * @param options Value, bounds, vary flag, constraint expression and more.
   */
  constructor(name: string, options: ParameterOptions = {}) {
    checkName(name);
    this.name = name;
    const min = num(options.min, -Infinity);
    const max = num(options.max, Infinity);
    this.#checkBounds(min, max);
    this.#min = min;
    this.#max = max;
    if (options.expr !== undefined && options.expr !== null && options.expr !== "") {
      this.#setExpr(options.expr);
    }
    if (options.vary !== undefined && options.vary !== null) {
      if (typeof options.vary !== "boolean") {
        throw new ParameterError(name, `Parameter '${name}': vary must be true or false`);
      }
      if (this.#expr === null) this.#vary = options.vary;
    }
    if (options.value !== undefined && options.value !== null) {
      this.#value = this.#clip(this.#checkValue(options.value));
    }
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

  /** Whether the parameter varies in a fit. Setting `true` removes a constraint expression. */
  get vary(): boolean {
    return this.#vary;
  }
  set vary(v: boolean) {
    this.set({ vary: v });
  }

  /** Lower bound (`-Infinity` when none). Setting it clips the value. */
  get min(): number {
    return this.#min;
  }
  set min(v: number) {
    this.set({ min: v });
  }

  /** Upper bound (`Infinity` when none). Setting it clips the value. */
  get max(): number {
    return this.#max;
  }
  set max(v: number) {
    this.set({ max: v });
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

  /** lmfit-like one-line representation. */
  toString(): string {
    const v = formatG(this.value, 7);
    const parts = [`value=${v}`];
    if (this.stderr !== null) parts[0] += ` +/- ${formatG(this.stderr, 3)}`;
    parts.push(this.#expr !== null ? `expr='${this.#expr}'` : this.#vary ? "" : "fixed");
    parts.push(`bounds=[${pyNum(this.#min)}:${pyNum(this.#max)}]`);
    return `<Parameter '${this.name}', ${parts.filter((s) => s).join(", ")}>`;
  }
}

function pyNum(x: number): string {
  return x === Infinity ? "inf" : x === -Infinity ? "-inf" : String(x);
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
      if (q !== p && ast && freeNames(ast).includes(name)) {
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

  /** A deep copy: new `Parameter` objects, a copy of the symbol table. */
  copy(): Parameters {
    const out = new Parameters();
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
    const bind = (name: string): Binding | undefined => {
      const i = index.get(name);
      if (i !== undefined) return { kind: "slot", index: i };
      const s = this.symtable.get(name);
      if (s === undefined) return undefined;
      return typeof s === "function"
        ? { kind: "function", fn: s as UserFunction }
        : { kind: "value", value: s };
    };
    const fns: CompiledExpr[] = [];
    const mins = new Float64Array(order.length);
    const maxs = new Float64Array(order.length);
    order.forEach((i, k) => {
      const p = params[i];
      try {
        fns.push(compile(getAst(p)!, bind));
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
          let v = fns[k](slots);
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
   * A table of every parameter (name, value, min, max, stderr, vary, expr, brute step), as
   * lmfit's `pretty_print`; returns the text.
   */
  prettyRepr(options: { precision?: number; colwidth?: number } = {}): string {
    this.#ensureCurrent();
    const colwidth = options.colwidth ?? 8;
    const precision = options.precision ?? 4;
    const cols = ["Value", "Min", "Max", "Stderr", "Vary", "Expr", "Brute_Step"];
    const nameLen = Math.max(4, ...[...this.#params.keys()].map((k) => k.length));
    const lines = [
      `${"Name".padEnd(nameLen)} ${cols.map((c) => c.padStart(colwidth)).join(" ")}`,
    ];
    const g = (x: number) => formatG(x, precision).padStart(colwidth);
    for (const [name, p] of this.#params) {
      lines.push(
        [
          name.padEnd(nameLen),
          g(getRawValue(p)),
          g(p.min),
          g(p.max),
          (p.stderr === null ? "None" : formatG(p.stderr, precision)).padStart(colwidth),
          (p.vary ? "True" : "False").padStart(colwidth),
          (p.expr ?? "None").padStart(colwidth),
          (p.bruteStep === null ? "None" : String(p.bruteStep)).padStart(colwidth),
        ].join(" "),
      );
    }
    return lines.join("\n");
  }

  /** Prints `prettyRepr()` to the console. */
  prettyPrint(options: { precision?: number; colwidth?: number } = {}): void {
    console.log(this.prettyRepr(options));
  }

  /**
   * JSON text of every parameter and the user symbols (numbers and arrays by value; functions
   * by name, to be supplied again to `loads`).
   */
  dumps(): string {
    this.#ensureCurrent();
    const symbols: Record<string, unknown> = {};
    for (const [k, v] of this.symtable) {
      symbols[k] = typeof v === "function" ? { __function__: k } : encodeNum(v);
    }
    const params = [...this.#params.values()].map((p) => ({
      name: p.name,
      value: encodeNum(getRawValue(p)),
      vary: p.vary,
      min: encodeNum(p.min),
      max: encodeNum(p.max),
      expr: p.expr,
      bruteStep: p.bruteStep,
      stderr: p.stderr === null ? null : encodeNum(p.stderr),
      correl: p.correl,
      initValue: p.initValue === null ? null : encodeNum(p.initValue),
      userData: p.userData === undefined ? null : p.userData,
    }));
    return JSON.stringify({ symbols, params });
  }

  /**
   * Replaces this collection's parameters and symbols with those in `json` (from `dumps`).
   * User functions are not serialisable: pass them in `options.functions` (or define them in
   * this collection's `symtable` beforehand).
   *
   * @returns this collection.
   */
  loads(json: string, options: { functions?: Record<string, UserFunction> } = {}): this {
    // deno-lint-ignore no-explicit-any
    const data = JSON.parse(json) as { symbols?: Record<string, any>; params: any[] };
    if (!data || !Array.isArray(data.params)) {
      throw new TypeError("loads: not a Parameters JSON document (no 'params' array)");
    }
    const symtable = new SymbolTable();
    for (const [k, v] of Object.entries(data.symbols ?? {})) {
      if (v && typeof v === "object" && !Array.isArray(v) && "__function__" in v) {
        const fn = options.functions?.[k] ?? this.symtable.get(k);
        if (typeof fn !== "function") {
          throw new TypeError(
            `loads: user function '${k}' is not serialisable; pass it as loads(json, { functions: { ${k} } })`,
          );
        }
        symtable.set(k, fn);
      } else symtable.set(k, decodeNum(v) as SymbolValue);
    }
    const ps = data.params.map((d) => {
      const p = new Parameter(d.name, {
        min: decodeNum(d.min) as number,
        max: decodeNum(d.max) as number,
        bruteStep: d.bruteStep,
        userData: d.userData === null ? undefined : d.userData,
      });
      p.set({ value: decodeNum(d.value) as number });
      if (d.expr) p.set({ expr: d.expr });
      else p.set({ vary: d.vary });
      p.stderr = d.stderr === null ? null : decodeNum(d.stderr) as number;
      p.correl = d.correl ?? null;
      p.initValue = d.initValue === null ? null : decodeNum(d.initValue) as number;
      return p;
    });
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

  /** lmfit-like representation listing every parameter. */
  toString(): string {
    this.#ensureCurrent();
    return `Parameters([${[...this.#params.values()].map((p) => p.toString()).join(", ")}])`;
  }
}

function encodeNum(v: unknown): unknown {
  if (typeof v === "number") {
    if (Number.isNaN(v)) return "nan";
    if (v === Infinity) return "inf";
    if (v === -Infinity) return "-inf";
    return v;
  }
  if (Array.isArray(v)) return v.map(encodeNum);
  return v;
}

function decodeNum(v: unknown): unknown {
  if (v === "nan") return NaN;
  if (v === "inf") return Infinity;
  if (v === "-inf") return -Infinity;
  if (v === null) return undefined;
  if (Array.isArray(v)) return v.map(decodeNum);
  return v;
}

/**
 * Slot indices of the constrained parameters in dependency order. Throws a ParameterError
 * spelling out any cycle, e.g. `a -> b -> a`.
 */
function dependencyOrder(params: Parameter[], index: Map<string, number>): number[] {
  const deps = params.map((p) => {
    const ast = getAst(p);
    return ast ? freeNames(ast).filter((n) => index.has(n)).map((n) => index.get(n)!) : [];
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

/** Names the expression language reserves (exported for error messages and docs). */
export function isReservedName(name: string): boolean {
  return RESERVED_NAMES.has(name) || name in BUILTIN_CONSTANTS || name in BUILTIN_FUNCTIONS;
}
