/**
 * Names used by an expression.
 *
 * @module
 */

import type { Node } from "./ast.ts";
import { BUILTIN_CONSTANTS } from "./builtins.ts";

function walk(node: Node, visit: (n: Node) => void): void {
  visit(node);
  switch (node.type) {
    case "Num":
    case "Name":
      return;
    case "Tuple":
      node.items.forEach((c) => walk(c, visit));
      return;
    case "Unary":
      walk(node.arg, visit);
      return;
    case "Binary":
      walk(node.left, visit);
      walk(node.right, visit);
      return;
    case "BoolOp":
      node.values.forEach((c) => walk(c, visit));
      return;
    case "Compare":
      walk(node.left, visit);
      node.comparators.forEach((c) => walk(c, visit));
      return;
    case "IfExp":
      walk(node.test, visit);
      walk(node.body, visit);
      walk(node.orelse, visit);
      return;
    case "Call":
      node.args.forEach((c) => walk(c, visit));
      return;
    case "Subscript":
      walk(node.value, visit);
      walk(node.index, visit);
      return;
  }
}

/**
 * Variable names the expression reads (not called function names), in first-seen order,
 * without the built-in constants (`e pi inf nan True False`).
 *
 * @example
 * ```ts
 * import { freeNames } from "./names.ts";
 * import { parse } from "./parser.ts";
 * freeNames(parse("amp * exp(-(x - cen)**2) + pi")); // ["amp", "x", "cen"]
 * ```
 */
export function freeNames(node: Node): string[] {
  const seen = new Set<string>();
  walk(node, (n) => {
    if (n.type === "Name" && !(n.id in BUILTIN_CONSTANTS)) seen.add(n.id);
  });
  return [...seen];
}

/**
 * Names of the functions the expression calls, in first-seen order.
 *
 * @example
 * ```ts
 * import { calledFunctions } from "./names.ts";
 * import { parse } from "./parser.ts";
 * calledFunctions(parse("sqrt(a) + lor(x)")); // ["sqrt", "lor"]
 * ```
 */
export function calledFunctions(node: Node): string[] {
  const seen = new Set<string>();
  walk(node, (n) => {
    if (n.type === "Call") seen.add(n.func);
  });
  return [...seen];
}

/** Calls `visit` on every node, depth first. */
export function walkNodes(node: Node, visit: (n: Node) => void): void {
  walk(node, visit);
}
