/**
 * Prints an AST back to Python source with minimal parentheses, such that
 * `parse(print(node))` is structurally equal to `node`. Numbers print as JavaScript's shortest
 * round-trip decimal (`0.1`, `1e+21`), infinite literals as `1e309` (as Python's `ast.unparse`);
 * a NaN literal, which no source text produces, prints as the constant `nan`.
 *
 * @module
 */

import type { Node } from "./ast.ts";

const BIN_PREC: Record<string, number> = {
  "|": 6,
  "^": 7,
  "&": 8,
  "<<": 9,
  ">>": 9,
  "+": 10,
  "-": 10,
  "*": 11,
  "/": 11,
  "//": 11,
  "%": 11,
  "**": 13,
};

function numberText(v: number): string {
  if (Number.isNaN(v)) return "nan";
  // As Python's ast.unparse: a literal that overflows to inf (`inf` would be a name).
  if (v === Infinity) return "1e309";
  if (v === -Infinity) return "-1e309";
  if (Object.is(v, -0)) return "-0.0";
  return String(v);
}

/** Precedence of a node as Python's grammar ranks it (higher binds tighter). */
function prec(node: Node): number {
  switch (node.type) {
    case "IfExp":
      return 1;
    case "BoolOp":
      return node.op === "or" ? 2 : 3;
    case "Unary":
      return node.op === "not" ? 4 : 12;
    case "Compare":
      return 5;
    case "Binary":
      return BIN_PREC[node.op];
    case "Num":
      return node.value < 0 || Object.is(node.value, -0) ? 12 : 14; // `-2` prints as unary minus
    default:
      return 14;
  }
}

function wrap(node: Node, min: number): string {
  const s = print(node);
  return prec(node) < min ? `(${s})` : s;
}

/**
 * Python source text for an AST.
 *
 * @example
 * ```ts
 * import { parse } from "./parser.ts";
 * import { print } from "./printer.ts";
 * print(parse("(a + b) * c ** (2)")); // "(a + b) * c**2"
 * ```
 *
 * @category Expressions
 */
export function print(node: Node): string {
  switch (node.type) {
    case "Num":
      return numberText(node.value);
    case "Name":
      return node.id;
    case "Tuple": {
      const items = node.items.map((i) => wrap(i, 1));
      if (node.kind === "list") return `[${items.join(", ")}]`;
      return items.length === 1 ? `(${items[0]},)` : `(${items.join(", ")})`;
    }
    case "Unary":
      return node.op === "not" ? `not ${wrap(node.arg, 4)}` : `${node.op}${wrap(node.arg, 12)}`;
    case "Binary": {
      const p = BIN_PREC[node.op];
      if (node.op === "**") return `${wrap(node.left, 14)}**${wrap(node.right, 12)}`;
      return `${wrap(node.left, p)} ${node.op} ${wrap(node.right, p + 1)}`;
    }
    case "BoolOp": {
      const p = node.op === "or" ? 2 : 3;
      return node.values.map((v) => wrap(v, p + 1)).join(` ${node.op} `);
    }
    case "Compare": {
      let s = wrap(node.left, 6);
      node.ops.forEach((op, i) => (s += ` ${op} ${wrap(node.comparators[i], 6)}`));
      return s;
    }
    case "IfExp":
      return `${wrap(node.body, 2)} if ${wrap(node.test, 2)} else ${wrap(node.orelse, 1)}`;
    case "Call":
      return `${node.func}(${node.args.map((a) => wrap(a, 1)).join(", ")})`;
    case "Subscript":
      return `${wrap(node.value, 14)}[${wrap(node.index, 1)}]`;
  }
}
