/**
 * Structural equality, canonical keys and hash-consing of ASTs (positions ignored).
 *
 * A negative literal and the negation of the same positive literal (`Num -2` and
 * `Unary - (Num 2)`) are the same structure: they are the same float, and the printer writes
 * both as `-2`.
 *
 * @module
 */

import type { Node } from "./ast.ts";

/** The literal value of a node that is a number or the negation of one, else undefined. */
function literal(node: Node): number | undefined {
  if (node.type === "Num") return node.value;
  if (node.type === "Unary" && node.op === "-" && node.arg.type === "Num") return -node.arg.value;
  return undefined;
}

function numKey(v: number): string {
  return Object.is(v, -0) ? "N-0" : `N${v}`;
}

/**
 * Whether two ASTs have the same structure and values (positions ignored; NaN equals NaN;
 * `-2` as a literal equals the negation of `2`).
 *
 * @example
 * ```ts
 * import { parse } from "./parser.ts";
 * import { structurallyEqual } from "./equal.ts";
 * structurallyEqual(parse("a+b"), parse("a + b")); // true
 * ```
 *
 * @category Expressions
 */
export function structurallyEqual(a: Node, b: Node): boolean {
  const intern = createInterner();
  return intern(a) === intern(b);
}

/**
 * A canonical string of a node's structure (positions ignored). Its length grows with the
 * size of the tree; for many lookups in one tree use {@link createInterner}.
 *
 * @example
 * ```ts
 * import { parse } from "./parser.ts";
 * import { key } from "./equal.ts";
 * key(parse("a * 2")) === key(parse("a*2")); // true
 * ```
 */
export function key(node: Node): string {
  const lit = literal(node);
  if (lit !== undefined) return numKey(lit);
  switch (node.type) {
    case "Num":
      return numKey(node.value);
    case "Name":
      return `V${node.id}`;
    case "Tuple":
      return `T${node.kind}(${node.items.map(key).join(",")})`;
    case "Unary":
      return `U${node.op}(${key(node.arg)})`;
    case "Binary":
      return `B${node.op}(${key(node.left)},${key(node.right)})`;
    case "BoolOp":
      return `O${node.op}(${node.values.map(key).join(",")})`;
    case "Compare":
      return `C(${key(node.left)},${
        node.ops.map((o, i) => `${o}:${key(node.comparators[i])}`).join(",")
      })`;
    case "IfExp":
      return `I(${key(node.test)},${key(node.body)},${key(node.orelse)})`;
    case "Call":
      return `F${node.func}(${node.args.map(key).join(",")})`;
    case "Subscript":
      return `S(${key(node.value)},${key(node.index)})`;
  }
}

/**
 * A hash-consing function: structurally equal nodes get the same small integer id. Each
 * node's id is computed once from its children's ids (memoized per node object), so a whole
 * tree — or a DAG with shared subtrees, as derivatives are — costs time linear in its number
 * of distinct node objects, unlike {@link key}, whose strings grow with subtree size.
 *
 * @returns a function from a node to its id, valid for the nodes given to it.
 *
 * @example
 * ```ts
 * import { parse } from "./parser.ts";
 * import { createInterner } from "./equal.ts";
 * const id = createInterner();
 * id(parse("x**2 + 1")) === id(parse("x ** 2+1")); // true
 * ```
 *
 * @category Expressions
 */
export function createInterner(): (node: Node) => number {
  const ids = new WeakMap<Node, number>();
  const table = new Map<string, number>();
  const intern = (node: Node): number => {
    const known = ids.get(node);
    if (known !== undefined) return known;
    let sig: string;
    const lit = literal(node);
    if (lit !== undefined) sig = numKey(lit);
    else {
      switch (node.type) {
        case "Num": // handled by literal()
          sig = numKey(node.value);
          break;
        case "Name":
          sig = `V${node.id}`;
          break;
        case "Tuple":
          sig = `T${node.kind}(${node.items.map(intern).join(",")})`;
          break;
        case "Unary":
          sig = `U${node.op}(${intern(node.arg)})`;
          break;
        case "Binary":
          sig = `B${node.op}(${intern(node.left)},${intern(node.right)})`;
          break;
        case "BoolOp":
          sig = `O${node.op}(${node.values.map(intern).join(",")})`;
          break;
        case "Compare":
          sig = `C(${intern(node.left)},${
            node.ops.map((o, i) => `${o}:${intern(node.comparators[i])}`).join(",")
          })`;
          break;
        case "IfExp":
          sig = `I(${intern(node.test)},${intern(node.body)},${intern(node.orelse)})`;
          break;
        case "Call":
          sig = `F${node.func}(${node.args.map(intern).join(",")})`;
          break;
        case "Subscript":
          sig = `S(${intern(node.value)},${intern(node.index)})`;
          break;
      }
    }
    let id = table.get(sig);
    if (id === undefined) {
      id = table.size;
      table.set(sig, id);
    }
    ids.set(node, id);
    return id;
  };
  return intern;
}
