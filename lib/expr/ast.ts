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
  /** Node kind. */
  readonly type: "Num";
  /** The number. */
  readonly value: number;
  /** 0-based source offset of the node (-1 when synthesized). */
  readonly pos: number;
}

/** A name: a parameter, an independent variable, a constant (`pi`) or a user symbol. */
export interface NameNode {
  /** Node kind. */
  readonly type: "Name";
  /** The name. */
  readonly id: string;
  /** 0-based source offset of the node (-1 when synthesized). */
  readonly pos: number;
}

/** A tuple `(a, b)` or list `[a, b]` literal. */
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

/** A unary operation. */
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

/** A binary operation. */
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

/** `a and b and c` / `a or b`: returns an operand, as Python does. */
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

/** A (possibly chained) comparison `left ops[0] comparators[0] ops[1] comparators[1] ...`. */
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

/** `body if test else orelse`. */
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

/** A call of a whitelisted builtin or a user function from the symbol table: `func(args...)`. */
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

/** Indexing a tuple value: `frexp(x)[0]`. */
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
