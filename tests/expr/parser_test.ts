import assert from "node:assert/strict";
import fc from "fast-check";
import {
  type Binding,
  calledFunctions,
  compile,
  compileMany,
  derivative,
  ExprNameError,
  ExprSyntaxError,
  freeNames,
  MAX_DEPTH,
  MAX_TREE_DEPTH,
  type Node,
  parse,
  print,
  structurallyEqual,
} from "../../lib/expr/mod.ts";

Deno.test("syntax errors show the position with a caret", () => {
  try {
    parse("amp * (cen + ) / 2");
    assert.fail("should throw");
  } catch (e) {
    assert.ok(e instanceof ExprSyntaxError);
    assert.equal(e.pos, 13);
    const lines = e.message.split("\n");
    assert.match(lines[0], /unexpected '\)' at position 13/);
    assert.equal(lines[1], "  amp * (cen + ) / 2");
    assert.equal(lines[2], "  " + " ".repeat(13) + "^");
  }
});

Deno.test("only expressions of the language are accepted", () => {
  const rejected: [string, RegExp][] = [
    ["a.b", /attribute access is not allowed/],
    ["x.__class__", /attribute access is not allowed/],
    ["x = 1", /assignment is not allowed/],
    ["x += 1", /assignment is not allowed/],
    ["(y := 2)", /assignment|unexpected/],
    ["lambda x: x", /lambda expressions are not supported/],
    ["[i for i in y]", /comprehensions are not supported/],
    ["'abc'", /strings are not supported/],
    ['__import__("os")', /strings are not supported/],
    ["import os", /import is not allowed/],
    ["{1: 2}", /dicts and sets are not supported/],
    ["f(x=1)", /keyword arguments are not supported/],
    ["f(*a)", /unpacking is not supported/],
    ["a[1:2]", /slices are not supported/],
    ["1j", /complex numbers are not supported/],
    ["a # comment", /comments are not supported/],
    ["(a + b)(c)", /only named functions can be called/],
    ["", /empty expression/],
    ["a b", /unexpected 'b'/],
    ["None", /None is not supported/],
  ];
  for (const [src, re] of rejected) assert.throws(() => parse(src), re, src);
});

Deno.test("calls outside the table and unknown names are all listed", () => {
  const ast = parse("evil(x) + a * b + sin(c)");
  assert.deepEqual(freeNames(ast), ["x", "a", "b", "c"]);
  assert.deepEqual(calledFunctions(ast), ["evil", "sin"]);
  try {
    compile(ast, (n) => (n === "a" ? { kind: "slot", index: 0 } : undefined));
    assert.fail("should throw");
  } catch (e) {
    assert.ok(e instanceof ExprNameError);
    assert.deepEqual(e.names.sort(), ["b", "c", "evil", "x"]);
  }
});

Deno.test("over-long and over-nested input is rejected, never a stack overflow", () => {
  assert.throws(() => parse("a+".repeat(6000) + "a"), /too long \(12001 > 10000 characters\)/);
  // The case: 10,000 nested parentheses (over-long as well as over-nested).
  assert.throws(() => parse("(".repeat(10000) + "a" + ")".repeat(10000)), ExprSyntaxError);
  assert.throws(() => parse("(".repeat(4000) + "a" + ")".repeat(4000)), /nested too deeply/);
  assert.throws(() => parse("[".repeat(4000) + "a" + "]".repeat(4000)), /nested too deeply/);
  assert.throws(() => parse("-".repeat(3000) + "a"), /nested too deeply/);
  assert.throws(() => parse("not ".repeat(2000) + "a"), /nested too deeply/);
  assert.throws(() => parse("2**".repeat(1000) + "2"), /nested too deeply/);
  assert.throws(() => parse("sin(".repeat(300) + "a" + ")".repeat(300)), /nested too deeply/);
  assert.throws(() => parse("a[".repeat(300) + "0" + "]".repeat(300)), /nested too deeply/);
  assert.throws(
    () => parse("1 if a else ".repeat(300) + "0"),
    /nested too deeply/,
  );
  // Operator chains nest in the tree, not in the text: bounded by MAX_TREE_DEPTH.
  assert.throws(() => parse("a+".repeat(MAX_TREE_DEPTH) + "a"), /too deep .* 1000 levels/);
  assert.throws(() => parse("a*b-".repeat(MAX_TREE_DEPTH) + "a"), /too deep/);
  // Within the limits everything is accepted.
  assert.equal(parse("a+".repeat(MAX_TREE_DEPTH - 1) + "a").type, "Binary");
  assert.equal(parse("(".repeat(MAX_DEPTH - 1) + "a" + ")".repeat(MAX_DEPTH - 1)).type, "Name");
});

Deno.test("the deepest accepted trees compile, print, differentiate and generate code", () => {
  const bind = (n: string): Binding | undefined =>
    n === "a" ? { kind: "slot", index: 0 } : undefined;
  const s = Float64Array.of(1.0001);
  const srcs = [
    "a+".repeat(MAX_TREE_DEPTH - 1) + "a",
    "a*".repeat(MAX_TREE_DEPTH - 1) + "a",
    "(a*1.5-1)*".repeat(MAX_DEPTH - 2) + "a",
    "sin(".repeat(MAX_DEPTH - 2) + "a" + ")".repeat(MAX_DEPTH - 2),
    "a**".repeat(MAX_DEPTH - 2) + "a",
  ];
  for (const src of srcs) {
    const ast = parse(src);
    const value = compile(ast, bind)(s);
    assert.ok(structurallyEqual(parse(print(ast)), ast));
    const d = derivative(ast, "a");
    const out = new Float64Array(2);
    compileMany([ast, d], bind)(s, out, 0);
    assert.equal(out[0], value);
    assert.ok(Math.abs(out[1] - compile(d, bind)(s)) <= 1e-12 * Math.abs(out[1]), src.slice(0, 20));
  }
  // d/da a**n = n a**(n-1): the product chain's derivative (a DAG) is linear to build.
  const t0 = performance.now();
  const dProd = derivative(parse("a*".repeat(MAX_TREE_DEPTH - 1) + "a"), "a");
  assert.ok(performance.now() - t0 < 2000);
  const want = MAX_TREE_DEPTH * 1.0001 ** (MAX_TREE_DEPTH - 1);
  assert.ok(Math.abs(compile(dProd, bind)(s) - want) <= 1e-9 * want);
});

Deno.test("the lexer handles the longest accepted input in linear time", () => {
  const src = "amp_1*x + 0x1F - 2.5e-3 ".repeat(400).slice(0, 9990) + "+ 1";
  const t0 = performance.now();
  try {
    parse(src);
  } catch (e) {
    assert.ok(e instanceof ExprSyntaxError);
  }
  assert.ok(performance.now() - t0 < 500, `${performance.now() - t0} ms`);
});

Deno.test("negative literals and infinities print so that they parse back to the same tree", () => {
  const ast = derivative(parse("x**-3 + 1e309*x - 2.5*x"), "x");
  assert.equal(print(ast), "-3 * x**-4 + 1e309 - 2.5");
  assert.ok(structurallyEqual(parse(print(ast)), ast));
  assert.equal(print(parse("(-2)**x + -(2**x) + 2**-x")), "(-2)**x + -2**x + 2**-x");
  assert.deepEqual(parse("-2.5"), { type: "Num", value: -2.5, pos: 0 });
  assert.equal(parse("-2**2").type, "Unary"); // -(2**2) == -4, as Python
  const neg: Node = { type: "Unary", op: "-", arg: { type: "Num", value: 2, pos: -1 }, pos: -1 };
  assert.ok(structurallyEqual(neg, parse("-2")));
  assert.ok(!structurallyEqual(parse("a + b"), parse("b + a")));
  assert.ok(structurallyEqual(parse("nan"), parse(" nan")));
});

Deno.test("freeNames skips constants and called names; calledFunctions lists calls once", () => {
  const ast = parse("f(x, pi) + g(f(e), y) * x if True else inf");
  assert.deepEqual(freeNames(ast), ["x", "y"]);
  assert.deepEqual(calledFunctions(ast), ["f", "g"]);
});

Deno.test("numbers lex as Python's literals", () => {
  const cases: [string, number][] = [
    ["0x1F", 31],
    ["0o17", 15],
    ["0b101", 5],
    ["1_000.5", 1000.5],
    ["1e3", 1000],
    ["2.5E-3", 0.0025],
    [".5", 0.5],
    ["5.", 5],
    ["0", 0],
    ["00", 0],
    ["True", 1],
    ["False", 0],
    ["1e309", Infinity],
  ];
  for (const [src, v] of cases) assert.deepEqual(parse(src), { type: "Num", value: v, pos: 0 });
  for (const bad of ["012", "1__0", "0x", "1e", "1.2.3", "3abc", "0b2"]) {
    assert.throws(() => parse(bad), ExprSyntaxError, bad);
  }
});

Deno.test("printer uses minimal parentheses and keeps Python's precedence", () => {
  const cases: [string, string][] = [
    ["(a + b) * c ** (2)", "(a + b) * c**2"],
    ["-(2 ** 2)", "-2**2"],
    ["(-2) ** 2", "(-2)**2"],
    ["a - (b - c)", "a - (b - c)"],
    ["(a - b) - c", "a - b - c"],
    ["a ** (b ** c)", "a**b**c"],
    ["(a ** b) ** c", "(a**b)**c"],
    ["not (a and b)", "not (a and b)"],
    ["(a if b else c) + 1", "(a if b else c) + 1"],
    ["(1,)", "(1,)"],
    ["frexp(x)[0]", "frexp(x)[0]"],
    ["(a < b) < c", "(a < b) < c"],
    ["a < b < c", "a < b < c"],
  ];
  for (const [src, want] of cases) assert.equal(print(parse(src)), want, src);
});

// A generator of random expression source text in the language.
const names = fc.constantFrom("a", "b", "x", "amp", "cen_1");
const number = fc.oneof(
  fc.integer({ min: 0, max: 1000 }).map(String),
  fc.double({ min: 0, max: 1e6, noNaN: true }).map((v) => String(v)),
);
const { expr } = fc.letrec((tie) => ({
  expr: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    names,
    number,
    fc.tuple(
      tie("expr"),
      fc.constantFrom("+", "-", "*", "/", "**", "//", "%", "<", "==", "and", "or"),
      tie("expr"),
    )
      .map(([l, op, r]) => `(${l}) ${op} (${r})`),
    fc.tuple(fc.constantFrom("-", "+", "not "), tie("expr")).map(([op, e]) => `${op}(${e})`),
    fc.tuple(fc.constantFrom("sin", "exp", "sqrt", "abs", "atan"), tie("expr")).map(([f, e]) =>
      `${f}(${e})`
    ),
    fc.tuple(tie("expr"), tie("expr"), tie("expr")).map(([a, b, c]) =>
      `(${a}) if (${b}) else (${c})`
    ),
  ),
}));

Deno.test("property: parse -> print -> parse is stable", () => {
  fc.assert(
    fc.property(expr, (src) => {
      const ast = parse(src);
      const printed = print(ast);
      const again = parse(printed);
      return structurallyEqual(ast, again) && print(again) === printed;
    }),
    { numRuns: 500 },
  );
});

Deno.test("property: random strings never crash or hang the parser", () => {
  const check = (src: string) => {
    try {
      parse(src);
    } catch (e) {
      if (!(e instanceof ExprSyntaxError)) throw e;
    }
    return true;
  };
  fc.assert(fc.property(fc.string({ maxLength: 200 }), check), { numRuns: 2000 });
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 200 }),
      (bytes) => check(new TextDecoder().decode(bytes)),
    ),
    { numRuns: 2000 },
  );
  // Strings built from the language's own tokens reach deeper into the grammar.
  const token = fc.constantFrom(
    "a",
    "1",
    "(",
    ")",
    "[",
    "]",
    ",",
    "+",
    "-",
    "*",
    "**",
    "//",
    "<",
    "not",
    "and",
    "if",
    "else",
    "in",
    "is",
    "sin",
    ".",
    "=",
    "2.5e3",
    " ",
  );
  fc.assert(fc.property(fc.array(token, { maxLength: 60 }), (ts) => check(ts.join(" "))), {
    numRuns: 3000,
  });
});
