/**
 * The abstract syntax tree of the lmfit-ts expression language.
 *
 * One AST serves constraint expressions, model expressions, symbolic derivatives and WGSL
 * emission. Nodes are plain immutable objects; `pos` is the 0-based character offset of the
 * node's first character in the source (for error messages), or -1 for synthesized nodes.
 *
 * @module
 */

/**
 * Binary arithmetic and bitwise operators, with Python semantics.
 *
 * @example
 * ```ts
 * import type { BinaryNode, BinaryOp } from "./ast.ts";
 * import { parse } from "./parser.ts";
 * const node = parse("a // 2") as BinaryNode;
 * const op: BinaryOp = node.op; // "//" (Python's floor division)
 * ```
 *
 * @category Expressions
 */
export type BinaryOp =
  | "+"
  | "-"
  | "*"
  | "/"
  | "//"
  | "%"
  | "**"
  | "&"
  | "|"
  | "^"
  | "<<"
  | ">>";

/**
 * Unary operators: negation, identity, bitwise invert and logical not.
 *
 * @example
 * ```ts
 * import type { UnaryOp } from "./ast.ts";
 * import { parse } from "./parser.ts";
 * const node = parse("not x");
 * const op: UnaryOp | undefined = node.type === "Unary" ? node.op : undefined; // "not"
 * ```
 *
 * @category Expressions
 */
export type UnaryOp = "-" | "+" | "~" | "not";

/**
 * Comparison operators; chains such as `a < b < c` hold several.
 *
 * @example
 * ```ts
 * import type { CompareOp } from "./ast.ts";
 * import { parse } from "./parser.ts";
 * const node = parse("0 <= x < 1");
 * const ops: readonly CompareOp[] = node.type === "Compare" ? node.ops : []; // ["<=", "<"]
 * ```
 *
 * @category Expressions
 */
export type CompareOp = "<" | "<=" | ">" | ">=" | "==" | "!=" | "is" | "is not" | "in" | "not in";

/**
 * A numeric literal (`1`, `2.5e-3`, `0x1f`); `True`/`False` parse to 1/0.
 *
 * @example
 * ```ts
 * import type { NumNode } from "./ast.ts";
 * import { parse } from "./parser.ts";
 * const node = parse("0x1f");
 * if (node.type === "Num") {
 *   const num: NumNode = node;
 *   num.value; // 31
 * }
 * ```
 *
 * @category Expressions
 */
export interface NumNode {
  /** Node kind. */
  readonly type: "Num";
  /** The number. */
  readonly value: number;
  /** 0-based source offset of the node (-1 when synthesized). */
  readonly pos: number;
}

/**
 * A name: a parameter, an independent variable, a constant (`pi`) or a user symbol.
 *
 * @example
 * ```ts
 * import type { NameNode } from "./ast.ts";
 * import { parse } from "./parser.ts";
 * const node = parse("1 + amp");
 * if (node.type === "Binary" && node.right.type === "Name") {
 *   const name: NameNode = node.right;
 *   [name.id, name.pos]; // ["amp", 4]
 * }
 * ```
 *
 * @category Expressions
 */
export interface NameNode {
  /** Node kind. */
  readonly type: "Name";
  /** The name. */
  readonly id: string;
  /** 0-based source offset of the node (-1 when synthesized). */
  readonly pos: number;
}

/**
 * A tuple `(a, b)` or list `[a, b]` literal.
 *
 * @example
 * ```ts
 * import type { TupleNode } from "./ast.ts";
 * import { parse } from "./parser.ts";
 * const node = parse("[a, b, 3]");
 * if (node.type === "Tuple") {
 *   const tuple: TupleNode = node;
 *   [tuple.kind, tuple.items.length]; // ["list", 3]
 * }
 * ```
 *
 * @category Expressions
 */
export interface TupleNode {
  /** Node kind. */
  readonly type: "Tuple";
  /** Tuple or list literal. */
  readonly kind: "tuple" | "list";
  /** The elements. */
  readonly items: readonly Node[];
  /** 0-based source offset of the node (-1 when synthesized). */
  readonly pos: number;
}

/**
 * A unary operation.
 *
 * @example
 * ```ts
 * import type { UnaryNode } from "./ast.ts";
 * import { parse } from "./parser.ts";
 * const node = parse("-sigma");
 * if (node.type === "Unary") {
 *   const neg: UnaryNode = node;
 *   [neg.op, neg.arg.type]; // ["-", "Name"]
 * }
 * ```
 *
 * @category Expressions
 */
export interface UnaryNode {
  /** Node kind. */
  readonly type: "Unary";
  /** The operator. */
  readonly op: UnaryOp;
  /** The operand. */
  readonly arg: Node;
  /** 0-based source offset of the node (-1 when synthesized). */
  readonly pos: number;
}

/**
 * A binary operation.
 *
 * @example
 * ```ts
 * import type { BinaryNode } from "./ast.ts";
 * import { parse } from "./parser.ts";
 * const node = parse("a - b - c"); // left-associative: (a - b) - c
 * if (node.type === "Binary") {
 *   const sub: BinaryNode = node;
 *   [sub.op, sub.left.type, sub.right.type]; // ["-", "Binary", "Name"]
 * }
 * ```
 *
 * @category Expressions
 */
export interface BinaryNode {
  /** Node kind. */
  readonly type: "Binary";
  /** The operator. */
  readonly op: BinaryOp;
  /** Left operand. */
  readonly left: Node;
  /** Right operand. */
  readonly right: Node;
  /** 0-based source offset of the node (-1 when synthesized). */
  readonly pos: number;
}

/**
 * `a and b and c` / `a or b`: returns an operand, as Python does.
 *
 * @example
 * ```ts
 * import type { BoolOpNode } from "./ast.ts";
 * import { parse } from "./parser.ts";
 * const node = parse("a and b and c");
 * if (node.type === "BoolOp") {
 *   const and: BoolOpNode = node;
 *   [and.op, and.values.length]; // ["and", 3]
 * }
 * ```
 *
 * @category Expressions
 */
export interface BoolOpNode {
  /** Node kind. */
  readonly type: "BoolOp";
  /** `and` or `or`. */
  readonly op: "and" | "or";
  /** The operands, in order. */
  readonly values: readonly Node[];
  /** 0-based source offset of the node (-1 when synthesized). */
  readonly pos: number;
}

/**
 * A (possibly chained) comparison `left ops[0] comparators[0] ops[1] comparators[1] ...`.
 *
 * @example
 * ```ts
 * import type { CompareNode } from "./ast.ts";
 * import { parse } from "./parser.ts";
 * const node = parse("0 < x <= 1");
 * if (node.type === "Compare") {
 *   const cmp: CompareNode = node;
 *   [cmp.left.type, cmp.ops, cmp.comparators.length]; // ["Num", ["<", "<="], 2]
 * }
 * ```
 *
 * @category Expressions
 */
export interface CompareNode {
  /** Node kind. */
  readonly type: "Compare";
  /** Left operand. */
  readonly left: Node;
  /** The comparison operators, in order. */
  readonly ops: readonly CompareOp[];
  /** Right-hand operands, one per operator. */
  readonly comparators: readonly Node[];
  /** 0-based source offset of the node (-1 when synthesized). */
  readonly pos: number;
}

/**
 * `body if test else orelse`.
 *
 * @example
 * ```ts
 * import type { IfExpNode } from "./ast.ts";
 * import { parse } from "./parser.ts";
 * const node = parse("x if x > 0 else 0");
 * if (node.type === "IfExp") {
 *   const ifExp: IfExpNode = node;
 *   [ifExp.test.type, ifExp.body.type, ifExp.orelse.type]; // ["Compare", "Name", "Num"]
 * }
 * ```
 *
 * @category Expressions
 */
export interface IfExpNode {
  /** Node kind. */
  readonly type: "IfExp";
  /** The condition. */
  readonly test: Node;
  /** Value when the test is true. */
  readonly body: Node;
  /** Value when the test is false. */
  readonly orelse: Node;
  /** 0-based source offset of the node (-1 when synthesized). */
  readonly pos: number;
}

/**
 * A call of a whitelisted builtin or a user function from the symbol table: `func(args...)`.
 *
 * @example
 * ```ts
 * import type { CallNode } from "./ast.ts";
 * import { parse } from "./parser.ts";
 * const node = parse("atan2(y, x)");
 * if (node.type === "Call") {
 *   const call: CallNode = node;
 *   [call.func, call.args.length]; // ["atan2", 2]
 * }
 * ```
 *
 * @category Expressions
 */
export interface CallNode {
  /** Node kind. */
  readonly type: "Call";
  /** The model function. */
  readonly func: string;
  /** The call arguments. */
  readonly args: readonly Node[];
  /** 0-based source offset of the node (-1 when synthesized). */
  readonly pos: number;
}

/**
 * Indexing a tuple value: `frexp(x)[0]`.
 *
 * @example
 * ```ts
 * import type { SubscriptNode } from "./ast.ts";
 * import { parse } from "./parser.ts";
 * const node = parse("frexp(x)[0]");
 * if (node.type === "Subscript") {
 *   const sub: SubscriptNode = node;
 *   [sub.value.type, sub.index.type]; // ["Call", "Num"]
 * }
 * ```
 *
 * @category Expressions
 */
export interface SubscriptNode {
  /** Node kind. */
  readonly type: "Subscript";
  /** The indexed value. */
  readonly value: Node;
  /** The index expression. */
  readonly index: Node;
  /** 0-based source offset of the node (-1 when synthesized). */
  readonly pos: number;
}

/**
 * Any expression node.
 *
 * @example
 * ```ts
 * import type { Node } from "./ast.ts";
 * import { parse } from "./parser.ts";
 * // The `type` field narrows a Node to one node interface.
 * const describe = (n: Node): string =>
 *   n.type === "Num" ? `number ${n.value}` : n.type === "Name" ? `name ${n.id}` : n.type;
 * describe(parse("amp")); // "name amp"
 * describe(parse("2 * x")); // "Binary"
 * ```
 *
 * @category Expressions
 */
export type Node =
  | NumNode
  | NameNode
  | TupleNode
  | UnaryNode
  | BinaryNode
  | BoolOpNode
  | CompareNode
  | IfExpNode
  | CallNode
  | SubscriptNode;
