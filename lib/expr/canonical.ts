/**
 * Exact rewrites that let code generation share more subexpressions: negations are pulled out
 * of products and quotients (`(-a)*b` and `a*(-b)` become `-(a*b)`, likewise for `/`) and
 * double negations cancel. Each rewrite gives the same IEEE double in every case (rounding is
 * symmetric, signed zeros and infinities included), so `-x*x*d*d` and `-(x*x*d*d)`, as a
 * model and its symbolic derivative tend to spell the same value, become one computation.
 * Only purely numeric operands are rewritten (Python's `(-n)*tuple` is not `-(n*tuple)`).
 *
 * @module
 */

import type { Node } from "./ast.ts";
import { mapChildren } from "./names.ts";

/**
 * The rewritten tree (unchanged subtrees are shared with the input).
 *
 * @example
 * ```ts
 * import { pullNegations } from "./canonical.ts";
 * import { parse } from "./parser.ts";
 * import { print } from "./printer.ts";
 * print(pullNegations(parse("-x*y/z"), () => true)); // "-(x * y / z)"
 * ```
 */
export function pullNegations(node: Node, isNumeric: (n: Node) => boolean): Node {
  const rec = (n: Node): Node => pullNegations(n, isNumeric);
  switch (node.type) {
    case "Num":
    case "Name":
      return node;
    case "Unary": {
      const arg = rec(node.arg);
      if (node.op === "-" && arg.type === "Unary" && arg.op === "-" && isNumeric(arg.arg)) {
        return arg.arg;
      }
      return arg === node.arg ? node : { ...node, arg };
    }
    case "Binary": {
      let left = rec(node.left), right = rec(node.right);
      if ((node.op === "*" || node.op === "/") && isNumeric(left) && isNumeric(right)) {
        let negate = false;
        if (left.type === "Unary" && left.op === "-" && left.arg.type !== "Num") {
          left = left.arg;
          negate = !negate;
        }
        if (right.type === "Unary" && right.op === "-" && right.arg.type !== "Num") {
          right = right.arg;
          negate = !negate;
        }
        const inner: Node = left === node.left && right === node.right
          ? node
          : { ...node, left, right };
        return negate ? { type: "Unary", op: "-", arg: inner, pos: node.pos } : inner;
      }
      return left === node.left && right === node.right ? node : { ...node, left, right };
    }
    default:
      return mapChildren(node, rec);
  }
}
