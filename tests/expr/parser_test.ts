import assert from "node:assert/strict";
import fc from "fast-check";
import {
  calledFunctions,
  compile,
  ExprNameError,
  ExprSyntaxError,
  freeNames,
  MAX_DEPTH,
  parse,
  print,
  structurallyEqual,
} from "../../mod.ts";

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
  assert.throws(() => parse("a+".repeat(6000) + "a"), /too long/);
  assert.throws(() => parse("(".repeat(4000) + "a" + ")".repeat(4000)), /nested too deeply/);
  assert.throws(() => parse("-".repeat(3000) + "a"), /nested too deeply/);
  assert.throws(() => parse("2**".repeat(1000) + "2"), /nested too deeply/);
  assert.throws(() => parse("sin(".repeat(300) + "a" + ")".repeat(300)), /nested too deeply/);
  // Long flat expressions within the limit are fine.
  assert.equal(parse("a+".repeat(3000) + "a").type, "Binary");
  assert.equal(parse("(".repeat(MAX_DEPTH - 1) + "a" + ")".repeat(MAX_DEPTH - 1)).type, "Name");
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
