/**
 * The user symbol table: extra values and functions usable in constraint and model
 * expressions, as lmfit's `params._asteval.symtable` / `Minimizer.symtable`.
 *
 * @module
 */

import type { Value } from "./expr/builtins.ts";
import type { Binding } from "./expr/compile.ts";

/**
 * A user function callable from expressions.
 *
 * @example
 * ```ts
 * import { Parameters } from "../mod.ts";
 * import type { UserFunction } from "./symtable.ts";
 * const clamp: UserFunction = (x, lo, hi) => Math.min(Math.max(x as number, lo as number), hi as number);
 * const params = new Parameters();
 * params.symtable.set("clamp", clamp);
 * params.add("a", { value: 7 });
 * params.add("b", { expr: "clamp(a, 0, 5)" });
 * params.get("b")!.value; // 5
 * ```
 *
 * @category Parameters
 */
export type UserFunction = (...args: Value[]) => Value;

/**
 * What a user symbol may hold.
 *
 * @example
 * ```ts
 * import { Parameters } from "../mod.ts";
 * import type { SymbolValue } from "./symtable.ts";
 * const symbols: [string, SymbolValue][] = [
 *   ["g", 9.81], // a number
 *   ["offsets", [0.5, 1.5]], // a tuple
 *   ["twice", (v) => 2 * (v as number)], // a function
 * ];
 * const params = new Parameters();
 * for (const [name, value] of symbols) params.symtable.set(name, value);
 * params.add("h", { expr: "twice(g) + offsets[1]" }).value; // 21.12
 * ```
 *
 * @category Parameters
 */
export type SymbolValue = Value | UserFunction;

/**
 * An ordered table of user symbols. Changing it notifies its owner so that compiled
 * constraints are rebuilt.
 *
 * @example
 * ```ts
 * import { Parameters } from "../mod.ts";
 * const params = new Parameters();
 * params.symtable.set("scale", 2.5);
 * params.symtable.set("sq", (v) => (v as number) ** 2);
 * params.add("a", { value: 3 });
 * params.add("b", { expr: "scale * sq(a)" });
 * params.get("b")!.value; // 22.5
 * ```
 *
 * @category Parameters
 */
export class SymbolTable implements Iterable<[string, SymbolValue]> {
  #entries = new Map<string, SymbolValue>();
  #onChange: () => void;

  /** Creates an empty table; `onChange` runs after every change. @param onChange called after every change (the owner rebuilds its constraints). */
  constructor(onChange: () => void = () => {}) {
    this.#onChange = onChange;
  }

  /**
   * Defines or replaces a symbol.
   *
   * @param name A valid identifier.
   * @param value A number, a (nested) array of numbers, or a function.
   */
  set(name: string, value: SymbolValue): this {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new TypeError(`symtable: '${name}' is not a valid identifier`);
    }
    if (typeof value !== "function" && !isValue(value)) {
      throw new TypeError(
        `symtable: '${name}' must be a number, an array of numbers, or a function`,
      );
    }
    this.#entries.set(name, value);
    this.#onChange();
    return this;
  }

  /** The symbol's value, or `undefined`. */
  get(name: string): SymbolValue | undefined {
    return this.#entries.get(name);
  }

  /** Whether the symbol is defined. */
  has(name: string): boolean {
    return this.#entries.has(name);
  }

  /** Removes a symbol; returns whether it existed. */
  delete(name: string): boolean {
    const had = this.#entries.delete(name);
    if (had) this.#onChange();
    return had;
  }

  /** Number of symbols. */
  get size(): number {
    return this.#entries.size;
  }

  /** Iterates `[name, value]` pairs in insertion order. */
  [Symbol.iterator](): IterableIterator<[string, SymbolValue]> {
    return this.#entries.entries();
  }

  /** Copies every symbol of `other` into this table. */
  assign(other: SymbolTable): this {
    for (const [k, v] of other) this.#entries.set(k, v);
    this.#onChange();
    return this;
  }
}

function isValue(v: unknown): v is Value {
  if (typeof v === "number") return true;
  return Array.isArray(v) && v.every(isValue);
}

/**
 * How the expression compiler binds `name`: its slot where `slots` gives one, else the symbol
 * `symbols` holds (a user function or a value), else `undefined` (an unknown name).
 *
 * @example
 * ```ts
 * import { bindSymbol, SymbolTable } from "./symtable.ts";
 * const symbols = new SymbolTable().set("g", 9.81);
 * const slots = new Map([["a", 0]]);
 * bindSymbol("a", slots, symbols); // { kind: "slot", index: 0 }
 * bindSymbol("g", slots, symbols); // { kind: "value", value: 9.81 }
 * bindSymbol("h", slots, symbols); // undefined
 * ```
 */
export function bindSymbol(
  name: string,
  slots: ReadonlyMap<string, number>,
  symbols: { get(name: string): SymbolValue | undefined },
): Binding | undefined {
  const i = slots.get(name);
  if (i !== undefined) return { kind: "slot", index: i };
  const s = symbols.get(name);
  if (s === undefined) return undefined;
  return typeof s === "function" ? { kind: "function", fn: s } : { kind: "value", value: s };
}
