/**
 * Lexer and recursive-descent parser for the expression language: Python expression syntax
 * (operators, precedence and associativity as Python's grammar), restricted to numbers, names,
 * tuples/lists, calls of named functions and indexing. Everything else (attribute access,
 * strings, assignment, lambda, comprehensions, imports) is a syntax error that says so.
 *
 * @module
 */

import type { BinaryOp, CompareOp, Node } from "./ast.ts";

/**
 * Longest accepted source text, in characters.
 *
 * @example
 * ```ts
 * import { MAX_SOURCE_LENGTH, parse } from "./parser.ts";
 * const long = Array.from({ length: MAX_SOURCE_LENGTH / 4 + 1 }, () => "x").join(" + ");
 * let message = "";
 * try {
 *   parse(long);
 * } catch (e) {
 *   message = (e as Error).message;
 * }
 * message.startsWith("expression too long (10001 > 10000 characters)"); // true
 * ```
 *
 * @category Expressions
 */
export const MAX_SOURCE_LENGTH = 10_000;
/**
 * Deepest accepted nesting of sub-expressions (parentheses, calls, unary operators, `**`).
 *
 * @example
 * ```ts
 * import { ExprSyntaxError, MAX_DEPTH, parse } from "./parser.ts";
 * parse("(".repeat(MAX_DEPTH - 1) + "x" + ")".repeat(MAX_DEPTH - 1)); // fine
 * try {
 *   parse("(".repeat(MAX_DEPTH + 1) + "x" + ")".repeat(MAX_DEPTH + 1));
 * } catch (e) {
 *   e instanceof ExprSyntaxError; // true: "expression nested too deeply (more than 200 levels)"
 * }
 * ```
 *
 * @category Expressions
 */
export const MAX_DEPTH = 200;
/**
 * Deepest accepted syntax tree, operator chains included (`a + b + c` is a tree of depth 3),
 * so that every recursive pass over an AST stays far from the JavaScript stack limit.
 *
 * @example
 * ```ts
 * import { MAX_TREE_DEPTH, parse } from "./parser.ts";
 * const terms = Array.from({ length: MAX_TREE_DEPTH + 1 }, (_, i) => `x${i}`);
 * try {
 *   parse(terms.join(" + ")); // a left-leaning chain deeper than MAX_TREE_DEPTH
 * } catch (e) {
 *   (e as Error).message; // "expression too deep (its tree has more than 1000 levels; split …"
 * }
 * ```
 *
 * @category Expressions
 */
export const MAX_TREE_DEPTH = 1000;

/**
 * A syntax error with its position; the message shows the source line and a caret.
 *
 * @example
 * ```ts
 * import { ExprSyntaxError, parse } from "./parser.ts";
 * try {
 *   parse("a + * b");
 * } catch (e) {
 *   (e as ExprSyntaxError).pos; // 4
 * }
 * ```
 *
 * @category Expressions
 */
export class ExprSyntaxError extends SyntaxError {
  /** 0-based character offset of the problem. */
  readonly pos: number;
  /** The source text. */
  readonly source: string;
  /** Creates the error; the message shows the source with a caret under `pos`. @param what the problem. @param source the text. @param pos where. */
  constructor(what: string, source: string, pos: number) {
    const shown = source.length > 200 ? source.slice(Math.max(0, pos - 100), pos + 100) : source;
    const caretAt = source.length > 200 ? Math.min(pos, 100) : pos;
    super(
      `${what} at position ${pos}\n  ${shown.replace(/\n/g, " ")}\n  ${
        " ".repeat(Math.max(0, caretAt))
      }^`,
    );
    this.name = "ExprSyntaxError";
    this.pos = pos;
    this.source = source;
  }
}

type TokKind = "num" | "name" | "op" | "end";
interface Tok {
  kind: TokKind;
  text: string;
  value: number;
  pos: number;
}

const KEYWORDS_OPS = new Set(["and", "or", "not", "in", "is", "if", "else"]);
const FORBIDDEN_KEYWORDS: Record<string, string> = {
  __proto__: null as unknown as string, // a lookup table: no inherited names
  lambda: "lambda expressions are not supported",
  for: "comprehensions are not supported",
  import: "import is not allowed",
  from: "import is not allowed",
  def: "definitions are not allowed",
  class: "class definitions are not allowed",
  return: "statements are not allowed",
  yield: "yield is not allowed",
  await: "await is not allowed",
  async: "async is not allowed",
  del: "statements are not allowed",
  global: "statements are not allowed",
  nonlocal: "statements are not allowed",
  while: "statements are not allowed",
  with: "statements are not allowed",
  assert: "statements are not allowed",
  raise: "statements are not allowed",
  try: "statements are not allowed",
  except: "statements are not allowed",
  finally: "statements are not allowed",
  pass: "statements are not allowed",
  break: "statements are not allowed",
  continue: "statements are not allowed",
  elif: "statements are not allowed",
  None: "None is not supported: the language has numbers and tuples only",
};
const THREE = ["**=", "//=", ">>=", "<<="];
const TWO = [
  "**",
  "//",
  "<<",
  ">>",
  "<=",
  ">=",
  "==",
  "!=",
  "+=",
  "-=",
  "*=",
  "/=",
  "%=",
  "&=",
  "|=",
  "^=",
  ":=",
  "->",
];
const ONE = "+-*/%&|^~<>()[],.=:;@!{}";

// Sticky patterns, matched in place (no copy of the rest of the source per token).
const NUMBER =
  /0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|(?:\d(?:_?\d)*)?\.?(?:\d(?:_?\d)*)?(?:[eE][+-]?\d(?:_?\d)*)?/y;
const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;

function lex(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src[i];
    if (c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\f") {
      i++;
      continue;
    }
    if (c === "\\" && (src[i + 1] === "\n" || src[i + 1] === "\r")) {
      i += 2;
      continue;
    }
    const start = i;
    if ((c >= "0" && c <= "9") || (c === "." && src[i + 1] >= "0" && src[i + 1] <= "9")) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(src);
      let text = m ? m[0] : "";
      if (text === "" || text === ".") throw new ExprSyntaxError("invalid number", src, start);
      i += text.length;
      if (src[i] === "j" || src[i] === "J") {
        throw new ExprSyntaxError("complex numbers are not supported", src, start);
      }
      if (/[A-Za-z_0-9]/.test(src[i] ?? "")) {
        throw new ExprSyntaxError("invalid number", src, start);
      }
      text = text.replace(/_/g, "");
      let value: number;
      if (/^0[xX]/.test(text)) value = parseInt(text.slice(2), 16);
      else if (/^0[oO]/.test(text)) value = parseInt(text.slice(2), 8);
      else if (/^0[bB]/.test(text)) value = parseInt(text.slice(2), 2);
      else {
        if (/^0\d/.test(text) && /^\d+$/.test(text) && !/^0+$/.test(text)) {
          throw new ExprSyntaxError(
            "leading zeros in decimal integers are not permitted (use 0o for octal)",
            src,
            start,
          );
        }
        value = Number(text);
      }
      toks.push({ kind: "num", text, value, pos: start });
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      IDENT.lastIndex = i;
      const m = IDENT.exec(src)!;
      i += m[0].length;
      const word = m[0];
      if ((src[i] === "'" || src[i] === '"') && /^[rRbBuUfF]{1,2}$/.test(word)) {
        throw new ExprSyntaxError("strings are not supported", src, start);
      }
      if (word in FORBIDDEN_KEYWORDS) {
        throw new ExprSyntaxError(FORBIDDEN_KEYWORDS[word], src, start);
      }
      if (word === "True" || word === "False") {
        toks.push({ kind: "num", text: word, value: word === "True" ? 1 : 0, pos: start });
      } else {
        toks.push({
          kind: KEYWORDS_OPS.has(word) ? "op" : "name",
          text: word,
          value: NaN,
          pos: start,
        });
      }
      continue;
    }
    if (c === "'" || c === '"') throw new ExprSyntaxError("strings are not supported", src, start);
    if (c === "#") throw new ExprSyntaxError("comments are not supported", src, start);
    const three = src.slice(i, i + 3), two = src.slice(i, i + 2);
    let op = "";
    if (THREE.includes(three)) op = three;
    else if (TWO.includes(two)) op = two;
    else if (ONE.includes(c)) op = c;
    else throw new ExprSyntaxError(`unexpected character '${c}'`, src, start);
    i += op.length;
    toks.push({ kind: "op", text: op, value: NaN, pos: start });
  }
  toks.push({ kind: "end", text: "", value: NaN, pos: n });
  return toks;
}

const COMPARE_OPS = new Set(["<", "<=", ">", ">=", "==", "!=", "in", "not", "is"]);

/**
 * Parses an expression into an AST.
 *
 * @throws {ExprSyntaxError} for invalid or unsupported syntax, over-long or over-nested input.
 *
 * @example
 * ```ts
 * import { parse } from "./parser.ts";
 * parse("-2**2").type; // "Unary"
 * ```
 *
 * @category Expressions
 */
export function parse(source: string): Node {
  if (typeof source !== "string") {
    throw new TypeError(`expression must be a string, got ${typeof source}`);
  }
  if (source.length > MAX_SOURCE_LENGTH) {
    throw new ExprSyntaxError(
      `expression too long (${source.length} > ${MAX_SOURCE_LENGTH} characters)`,
      source,
      MAX_SOURCE_LENGTH,
    );
  }
  const toks = lex(source);
  let k = 0;
  let depth = 0;
  const peek = () => toks[k];
  const isOp = (t: Tok, text: string) => t.kind === "op" && t.text === text;
  const fail = (msg: string, t: Tok = toks[k]): never => {
    // Whatever was expected, an assignment operator here is the real problem.
    if (
      t.kind === "op" &&
      (t.text === "=" || t.text === ":=" || /^(\*\*|\/\/|>>|<<|[-+*/%&|^])=$/.test(t.text))
    ) {
      msg = "assignment is not allowed";
    }
    throw new ExprSyntaxError(msg, source, t.pos);
  };
  const expect = (text: string) => {
    if (!isOp(peek(), text)) {
      fail(`expected '${text}'${peek().kind === "end" ? " before the end" : ""}`);
    }
    k++;
  };
  // Depth of every composite node built so far (leaves are 1). Operator chains (`a+a+...`)
  // nest in the tree without nesting in the text; the tree depth is bounded too, so that every
  // recursive pass over the AST (compile, print, derivative, code generation) stays far from
  // the JavaScript stack limit.
  const treeDepth = new WeakMap<Node, number>();
  const made = <T extends Node>(node: T, ...kids: Node[]): T => {
    let dd = 0;
    for (const c of kids) dd = Math.max(dd, treeDepth.get(c) ?? 1);
    if (dd + 1 > MAX_TREE_DEPTH) {
      fail(
        `expression too deep (its tree has more than ${MAX_TREE_DEPTH} levels; split long sums into parenthesized groups)`,
        toks[k - 1],
      );
    }
    treeDepth.set(node, dd + 1);
    return node;
  };
  const enter = () => {
    if (++depth > MAX_DEPTH) fail(`expression nested too deeply (more than ${MAX_DEPTH} levels)`);
  };

  // test: or_test ['if' or_test 'else' test]
  const test = (): Node => {
    enter();
    const body = orTest();
    let out = body;
    if (isOp(peek(), "if")) {
      const pos = peek().pos;
      k++;
      const cond = orTest();
      if (!isOp(peek(), "else")) fail("expected 'else' in conditional expression");
      k++;
      const orelse = test();
      out = made({ type: "IfExp", test: cond, body, orelse, pos }, cond, body, orelse);
    }
    depth--;
    return out;
  };
  const orTest = (): Node => boolChain("or", andTest);
  const andTest = (): Node => boolChain("and", notTest);
  function boolChain(op: "and" | "or", next: () => Node): Node {
    const first = next();
    if (!isOp(peek(), op)) return first;
    const values = [first];
    while (isOp(peek(), op)) {
      k++;
      values.push(next());
    }
    return made({ type: "BoolOp", op, values, pos: first.pos }, ...values);
  }
  const notTest = (): Node => {
    if (isOp(peek(), "not")) {
      const pos = peek().pos;
      k++;
      enter();
      const arg = notTest();
      depth--;
      return made({ type: "Unary", op: "not", arg, pos }, arg);
    }
    return comparison();
  };
  const comparison = (): Node => {
    const left = bitOr();
    const ops: CompareOp[] = [];
    const comparators: Node[] = [];
    while (peek().kind === "op" && COMPARE_OPS.has(peek().text)) {
      const t = peek();
      let op: CompareOp;
      if (t.text === "not") {
        if (!(toks[k + 1].kind === "op" && toks[k + 1].text === "in")) break;
        k += 2;
        op = "not in";
      } else if (t.text === "is") {
        k++;
        if (isOp(peek(), "not")) {
          k++;
          op = "is not";
        } else op = "is";
      } else {
        k++;
        op = t.text as CompareOp;
      }
      ops.push(op);
      comparators.push(bitOr());
    }
    if (ops.length === 0) return left;
    return made({ type: "Compare", left, ops, comparators, pos: left.pos }, left, ...comparators);
  };
  const binaryLevel = (ops: readonly string[], next: () => Node) => (): Node => {
    let left = next();
    while (peek().kind === "op" && ops.includes(peek().text)) {
      const t = toks[k++];
      const right = next();
      left = made(
        { type: "Binary", op: t.text as BinaryOp, left, right, pos: left.pos },
        left,
        right,
      );
    }
    return left;
  };
  const term = (): Node => binaryLevel(["*", "/", "//", "%"], factor)();
  const arith = binaryLevel(["+", "-"], term);
  const shift = binaryLevel(["<<", ">>"], arith);
  const bitAnd = binaryLevel(["&"], shift);
  const bitXor = binaryLevel(["^"], bitAnd);
  const bitOr = binaryLevel(["|"], bitXor);
  // factor: ('+'|'-'|'~') factor | power
  function factor(): Node {
    const t = peek();
    if (t.kind === "op" && (t.text === "-" || t.text === "+" || t.text === "~")) {
      k++;
      enter();
      const arg = factor();
      depth--;
      // A negated literal is a negative literal (`x**-1`, `(-2)**x`): the same float, and the
      // form the printer writes for negative numbers, so that printing round-trips.
      if (t.text === "-" && arg.type === "Num") {
        return { type: "Num", value: -arg.value, pos: t.pos };
      }
      return made({ type: "Unary", op: t.text as "-" | "+" | "~", arg, pos: t.pos }, arg);
    }
    return power();
  }
  // power: atom_expr ['**' factor]   (right-associative; binds tighter than unary on its left)
  function power(): Node {
    const base = atomExpr();
    if (isOp(peek(), "**")) {
      k++;
      enter();
      const exp = factor();
      depth--;
      return made({ type: "Binary", op: "**", left: base, right: exp, pos: base.pos }, base, exp);
    }
    return base;
  }
  function atomExpr(): Node {
    let node = atom();
    for (;;) {
      const t = peek();
      if (isOp(t, "(")) {
        if (node.type !== "Name") fail("only named functions can be called", t);
        k++;
        const args: Node[] = [];
        while (!isOp(peek(), ")")) {
          if (peek().kind === "name" && isOp(toks[k + 1], "=")) {
            fail("keyword arguments are not supported");
          }
          if (isOp(peek(), "*") || isOp(peek(), "**")) fail("argument unpacking is not supported");
          args.push(test());
          if (isOp(peek(), ",")) k++;
          else if (!isOp(peek(), ")")) fail("expected ',' or ')' in call");
        }
        k++;
        node = made(
          { type: "Call", func: (node as { id: string }).id, args, pos: node.pos },
          ...args,
        );
      } else if (isOp(t, "[")) {
        k++;
        if (isOp(peek(), "]")) fail("empty index");
        const index = test();
        if (isOp(peek(), ":")) fail("slices are not supported");
        if (isOp(peek(), ",")) fail("multiple indices are not supported");
        expect("]");
        node = made({ type: "Subscript", value: node, index, pos: node.pos }, node, index);
      } else if (isOp(t, ".")) {
        fail("attribute access is not allowed", t);
      } else return node;
    }
  }
  function atom(): Node {
    const t = peek();
    if (t.kind === "num") {
      k++;
      return { type: "Num", value: t.value, pos: t.pos };
    }
    if (t.kind === "name") {
      k++;
      return { type: "Name", id: t.text, pos: t.pos };
    }
    if (isOp(t, "(") || isOp(t, "[")) {
      const close = t.text === "(" ? ")" : "]";
      k++;
      const items: Node[] = [];
      let trailingComma = false;
      while (!isOp(peek(), close)) {
        items.push(test());
        if (isOp(peek(), "for")) fail("comprehensions are not supported");
        trailingComma = false;
        if (isOp(peek(), ",")) {
          k++;
          trailingComma = true;
        } else if (!isOp(peek(), close)) fail(`expected ',' or '${close}'`);
      }
      k++;
      if (t.text === "(" && items.length === 1 && !trailingComma) return items[0];
      return made(
        { type: "Tuple", kind: t.text === "(" ? "tuple" : "list", items, pos: t.pos },
        ...items,
      );
    }
    if (t.kind === "end") return fail("unexpected end of expression");
    if (
      isOp(t, "=") || /^.=$/.test(t.text) || t.text === ":=" ||
      t.text.endsWith("=") && t.text.length === 3
    ) {
      return fail("assignment is not allowed");
    }
    if (isOp(t, "{")) return fail("dicts and sets are not supported");
    return fail(`unexpected '${t.text}'`);
  }

  if (toks[0].kind === "end") fail("empty expression");
  const node = test();
  const t = peek();
  if (t.kind !== "end") {
    if (
      isOp(t, "=") || (t.kind === "op" && /^(\*\*|\/\/|>>|<<|[-+*/%&|^])=$/.test(t.text)) ||
      t.text === ":="
    ) {
      fail("assignment is not allowed", t);
    }
    if (isOp(t, ",")) fail("a bare tuple is not an expression here; put it in parentheses", t);
    fail(`unexpected '${t.text}'`, t);
  }
  return node;
}
