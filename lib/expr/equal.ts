/**
 * Structural equality and hashing of ASTs (positions ignored).
 *
 * @module
 */

import type { Node } from "./ast.ts";

/**
 * Whether two ASTs have the same structure and values (positions ignored; NaN equals NaN).
 *
 * @example
 * ```ts
 * import { parse } from "./parser.ts";
 * import { structurallyEqual } from "./equal.ts";
 * structurallyEqual(parse("a+b"), parse("a + b")); // true
 * ```
 */
export function structurallyEqual(a: Node, b: Node): boolean {
  return key(a) === key(b);
}

/** A canonical string of a node's structure, used for equality and common-subexpression reuse. */
export function key(node: Node): string {
  switch (node.type) {
    case "Num":
      return Object.is(node.value, -0) ? "N-0" : `N${node.value}`;
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
