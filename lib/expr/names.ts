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
 * without the built-in constants (`e pi inf nan True False`) unless `includeConstants` (for
 * a table where a parameter named `e` or `pi` shadows the constant).
 *
 * @example
 * ```ts
 * import { freeNames } from "./names.ts";
 * import { parse } from "./parser.ts";
 * freeNames(parse("amp * exp(-(x - cen)**2) + pi")); // ["amp", "x", "cen"]
 * ```
 *
 * @category Expressions
 */
export function freeNames(node: Node, includeConstants = false): string[] {
  const seen = new Set<string>();
  walk(node, (n) => {
    if (n.type === "Name" && (includeConstants || !(n.id in BUILTIN_CONSTANTS))) seen.add(n.id);
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
 *
 * @category Expressions
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

/**
 * The node with `f` applied to each of its direct children; the node itself when no child
 * changed (subtrees are shared, nothing is copied needlessly).
 *
 * @example
 * ```ts
 * import { mapChildren } from "./names.ts";
 * import { parse } from "./parser.ts";
 * import { print } from "./printer.ts";
 * const node = parse("f(a, b)");
 * print(mapChildren(node, (c) => c.type === "Name" ? { ...c, id: c.id.toUpperCase() } : c)); // "f(A, B)"
 * mapChildren(node, (c) => c) === node; // true
 * ```
 */
export function mapChildren(node: Node, f: (child: Node) => Node): Node {
  const all = (nodes: readonly Node[]): readonly Node[] => {
    const out = nodes.map(f);
    return out.every((n, i) => n === nodes[i]) ? nodes : out;
  };
  switch (node.type) {
    case "Num":
    case "Name":
      return node;
    case "Tuple": {
      const items = all(node.items);
      return items === node.items ? node : { ...node, items };
    }
    case "Unary": {
      const arg = f(node.arg);
      return arg === node.arg ? node : { ...node, arg };
    }
    case "Binary": {
      const left = f(node.left), right = f(node.right);
      return left === node.left && right === node.right ? node : { ...node, left, right };
    }
    case "BoolOp": {
      const values = all(node.values);
      return values === node.values ? node : { ...node, values };
    }
    case "Compare": {
      const left = f(node.left), comparators = all(node.comparators);
      return left === node.left && comparators === node.comparators
        ? node
        : { ...node, left, comparators };
    }
    case "IfExp": {
      const test = f(node.test), body = f(node.body), orelse = f(node.orelse);
      return test === node.test && body === node.body && orelse === node.orelse
        ? node
        : { ...node, test, body, orelse };
    }
    case "Call": {
      const args = all(node.args);
      return args === node.args ? node : { ...node, args };
    }
    case "Subscript": {
      const value = f(node.value), index = f(node.index);
      return value === node.value && index === node.index ? node : { ...node, value, index };
    }
  }
}
