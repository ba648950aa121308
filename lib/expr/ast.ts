/**
 * The abstract syntax tree of the lmfit-ts expression language.
 *
 * One AST serves constraint expressions, model expressions, symbolic derivatives and WGSL
 * emission. Nodes are plain immutable objects; `pos` is the 0-based character offset of the
 * node's first character in the source (for error messages), or -1 for synthesized nodes.
 *
 * @module
 */

/** Binary arithmetic and bitwise operators, with Python semantics. */
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

/** Unary operators: negation, identity, bitwise invert and logical not. */
export type UnaryOp = "-" | "+" | "~" | "not";

/** Comparison operators; chains such as `a < b < c` hold several. */
export type CompareOp = "<" | "<=" | ">" | ">=" | "==" | "!=" | "is" | "is not" | "in" | "not in";

/** A numeric literal (`1`, `2.5e-3`, `0x1f`); `True`/`False` parse to 1/0. */
export interface NumNode {
  readonly type: "Num";
  readonly value: number;
  readonly pos: number;
}

/** A name: a parameter, an independent variable, a constant (`pi`) or a user symbol. */
export interface NameNode {
  readonly type: "Name";
  readonly id: string;
  readonly pos: number;
}

/** A tuple `(a, b)` or list `[a, b]` literal. */
export interface TupleNode {
  readonly type: "Tuple";
  readonly kind: "tuple" | "list";
  readonly items: readonly Node[];
  readonly pos: number;
}

/** A unary operation. */
export interface UnaryNode {
  readonly type: "Unary";
  readonly op: UnaryOp;
  readonly arg: Node;
  readonly pos: number;
}

/** A binary operation. */
export interface BinaryNode {
  readonly type: "Binary";
  readonly op: BinaryOp;
  readonly left: Node;
  readonly right: Node;
  readonly pos: number;
}

/** `a and b and c` / `a or b`: returns an operand, as Python does. */
export interface BoolOpNode {
  readonly type: "BoolOp";
  readonly op: "and" | "or";
  readonly values: readonly Node[];
  readonly pos: number;
}

/** A (possibly chained) comparison `left ops[0] comparators[0] ops[1] comparators[1] ...`. */
export interface CompareNode {
  readonly type: "Compare";
  readonly left: Node;
  readonly ops: readonly CompareOp[];
  readonly comparators: readonly Node[];
  readonly pos: number;
}

/** `body if test else orelse`. */
export interface IfExpNode {
  readonly type: "IfExp";
  readonly test: Node;
  readonly body: Node;
  readonly orelse: Node;
  readonly pos: number;
}

/** A call of a whitelisted builtin or a user function from the symbol table: `func(args...)`. */
export interface CallNode {
  readonly type: "Call";
  readonly func: string;
  readonly args: readonly Node[];
  readonly pos: number;
}

/** Indexing a tuple value: `frexp(x)[0]`. */
export interface SubscriptNode {
  readonly type: "Subscript";
  readonly value: Node;
  readonly index: Node;
  readonly pos: number;
}

/** Any expression node. */
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
