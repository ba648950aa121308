/**
 * `compileLoop`: the per-point loop in generated code must give the numbers of `compileMany`
 * evaluated point by point (sin and cos within an ulp: they use the fast kernels), with the
 * same evaluation rules (short circuits, user functions per point) and the exact rewrites of
 * `canonical.ts`.
 */
import assert from "node:assert/strict";
import {
  type Binding,
  compileLoop,
  compileMany,
  compileValue,
  fastCos,
  fastSin,
  LoopMemo,
  parse,
  print,
  type Value,
} from "../../lib/expr/mod.ts";
import { pullNegations } from "../../lib/expr/canonical.ts";
import { ulps } from "../_ulps.ts";

const fixture = JSON.parse(
  Deno.readTextFileSync(new URL("../testdata/expr_python_values.json", import.meta.url)),
);
const env: Record<string, number> = fixture.env;
const names = Object.keys(env);
const slots = Float64Array.from(names.map((n) => env[n]));
const bind = (n: string): Binding | undefined =>
  names.includes(n) ? { kind: "slot", index: names.indexOf(n) } : undefined;

function close(got: number, want: number): boolean {
  return Object.is(got, want) || ulps(got, want) <= 1 ||
    Math.abs(got - want) <= 4e-16 * Math.abs(want);
}

Deno.test("compileLoop agrees with compileMany on every numeric fixture case", () => {
  const n = 3;
  let checked = 0;
  for (const src of Object.keys(fixture.cases)) {
    let want: Value;
    try {
      want = compileValue(parse(src), bind)(slots);
    } catch {
      continue;
    }
    if (typeof want !== "number") continue;
    const ast = parse(src);
    const ref = new Float64Array(3);
    compileMany([ast, ast, parse(`-(${src}) * 2`)], bind)(slots, ref, 0);
    // Every name a column (each point holds the environment), then no column at all.
    for (const columns of [names.map((_, k) => k), []]) {
      const cols = columns.map((k) => new Float64Array(n).fill(slots[k]));
      const outs = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
      const kernel = compileLoop([ast, ast, parse(`-(${src}) * 2`)], bind, columns);
      kernel(Float64Array.from(slots), cols, outs, n);
      for (let e = 0; e < 3; e++) {
        for (let i = 0; i < n; i++) {
          assert.ok(
            close(outs[e][i], ref[e]),
            `${src} [${columns.length ? "columns" : "invariant"}] output ${e}: loop ${
              outs[e][i]
            }, compileMany ${ref[e]}`,
          );
        }
      }
    }
    checked++;
  }
  assert.ok(checked > 180, `only ${checked} cases checked`);
});

Deno.test("compileLoop evaluates per point, hoists what does not depend on the columns", () => {
  const idx: Record<string, number> = { a: 0, b: 1, x: 2, y: 3 };
  const b = (n: string): Binding | undefined =>
    n in idx ? { kind: "slot", index: idx[n] } : undefined;
  const src = "a*sin(b*x) + cos(b*x)*exp(-x*x*b*b) - y + (x if a > 1 else b) + max(a, x)";
  const kernel = compileLoop([parse(src)], b, [2, 3]);
  const x = Float64Array.from({ length: 50 }, (_, i) => i * 0.37 - 5);
  const y = Float64Array.from({ length: 50 }, (_, i) => Math.cos(i));
  const out = new Float64Array(50);
  const s = Float64Array.of(1.5, 0.7, 0, 0);
  kernel(s, [x, y], [out], 50);
  const per = compileMany([parse(src)], b);
  const ref = new Float64Array(1);
  for (let i = 0; i < 50; i++) {
    per(Float64Array.of(1.5, 0.7, x[i], y[i]), ref, 0);
    assert.ok(close(out[i], ref[0]), `point ${i}: ${out[i]} vs ${ref[0]}`);
  }
});

Deno.test("compileLoop: sin and cos of one argument are fastSin and fastCos exactly", () => {
  const b = (n: string): Binding | undefined =>
    n === "x" ? { kind: "slot", index: 0 } : n === "w" ? { kind: "slot", index: 1 } : undefined;
  const kernel = compileLoop([parse("sin(w*x)"), parse("cos(w*x)")], b, [0]);
  const x = Float64Array.from({ length: 1000 }, (_, i) => (i - 500) * 91.3);
  const s = new Float64Array(1000), c = new Float64Array(1000);
  kernel(Float64Array.of(0, 1.7), [x], [s, c], 1000);
  for (let i = 0; i < 1000; i++) {
    assert.ok(Object.is(s[i], fastSin(1.7 * x[i])), `sin at ${x[i]}`);
    assert.ok(Object.is(c[i], fastCos(1.7 * x[i])), `cos at ${x[i]}`);
  }
});

Deno.test("compileLoop keeps Python's evaluation rules per point; n = 0 evaluates nothing", () => {
  let calls = 0;
  const spy = (v: Value) => {
    calls++;
    return v;
  };
  const b = (n: string): Binding | undefined =>
    n === "f" ? { kind: "function", fn: spy } : n === "x" ? { kind: "slot", index: 0 } : undefined;
  const x = Float64Array.of(0, 1, 2);
  const cases: [string, number[], number][] = [
    ["1 < x < f(5)", [0, 0, 1], 1], // only x = 2 reaches f
    ["x and f(3)", [0, 3, 3], 2],
    ["x or f(3)", [3, 1, 2], 1],
    ["f(2) if x else 7", [7, 2, 2], 2],
    ["f(x) + f(1)", [1, 2, 3], 6], // user functions run per point, even constant calls
  ];
  for (const [src, want, wantCalls] of cases) {
    calls = 0;
    const out = new Float64Array(3);
    compileLoop([parse(src)], b, [0])(new Float64Array(1), [x], [out], 3);
    assert.deepEqual(Array.from(out), want, src);
    assert.equal(calls, wantCalls, `${src}: f called ${calls} times`);
    calls = 0;
    compileLoop([parse(src)], b, [0])(new Float64Array(1), [x], [out], 0);
    assert.equal(calls, 0, `${src} with n = 0`);
  }
});

Deno.test("compileLoop falls back to closures for tuples and indexing", () => {
  const b = (n: string): Binding | undefined => n === "x" ? { kind: "slot", index: 0 } : undefined;
  const x = Float64Array.of(1, 2, 3);
  const out = new Float64Array(3);
  compileLoop([parse("(x, 2*x, 3)[1] + max((x, 4))")], b, [0])(new Float64Array(1), [x], [out], 3);
  assert.deepEqual(Array.from(out), [6, 8, 10]);
});

Deno.test("pullNegations moves signs out of products exactly, never across tuples", () => {
  assert.equal(print(pullNegations(parse("-x*y/z"), () => true)), print(parse("-(x*y/z)")));
  assert.equal(print(pullNegations(parse("x*(-y)"), () => true)), print(parse("-(x*y)")));
  assert.equal(print(pullNegations(parse("(-x)*(-y)"), () => true)), print(parse("x*y")));
  assert.equal(print(pullNegations(parse("-(-x)"), () => true)), "x");
  const notNumeric = (n: { type: string }) => n.type !== "Tuple";
  assert.equal(
    print(pullNegations(parse("-n*(1, 2)"), notNumeric)),
    print(parse("-n*(1, 2)")),
  );
  // The rewrite is exact for every sign, zero, infinity and NaN.
  const vals = [0, -0, 1.5, -2.25, 1e-310, -1e308, Infinity, -Infinity, NaN, 3e-17];
  const idx: Record<string, number> = { x: 0, y: 1, z: 2 };
  const b = (n: string): Binding | undefined =>
    n in idx ? { kind: "slot", index: idx[n] } : undefined;
  const k1 = compileMany([parse("(-x)*y/z"), parse("x*(-y)"), parse("-(-x)*z")], b);
  const k2 = compileLoop([parse("(-x)*y/z"), parse("x*(-y)"), parse("-(-x)*z")], b, [0, 1, 2]);
  const o1 = new Float64Array(3);
  const outs = [new Float64Array(1), new Float64Array(1), new Float64Array(1)];
  for (const x of vals) {
    for (const y of vals) {
      for (const z of [1, -3, 0, -0]) {
        k1(Float64Array.of(x, y, z), o1, 0);
        k2(
          new Float64Array(3),
          [Float64Array.of(x), Float64Array.of(y), Float64Array.of(z)],
          outs,
          1,
        );
        for (let e = 0; e < 3; e++) {
          assert.ok(
            Object.is(outs[e][0], o1[e]) || (Number.isNaN(outs[e][0]) && Number.isNaN(o1[e])),
            `${x}, ${y}, ${z} output ${e}: ${outs[e][0]} vs ${o1[e]}`,
          );
        }
      }
    }
  }
});

Deno.test("a LoopMemo reuses values exactly: same numbers as without it, whatever changes", () => {
  const idx: Record<string, number> = { a: 0, b: 1, c: 2, x: 3 };
  const b = (n: string): Binding | undefined =>
    n in idx ? { kind: "slot", index: idx[n] } : undefined;
  const srcs = [
    "a*exp(-b*x) + c*sin(2*pi*x/12) + c*cos(2*pi*x/12) + sin(x/b)*cos(x/b)",
    "a*(b + x)**(-1/c) + sqrt(x*x + c) + exp(a) * log(1 + x*x)",
    "(a*exp(-x*b) if x > c else b**x) + atan(c/(x - a))",
  ];
  const x = Float64Array.from({ length: 40 }, (_, i) => i * 0.31 + 0.05);
  let seed = 7;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (const src of srcs) {
    const kernel = compileLoop([parse(src), parse(`-(${src})`)], b, [3]);
    const memo = new LoopMemo();
    const p = Float64Array.of(1.3, 0.7, 2.1, 0);
    const special = [0, -0, NaN, Infinity, 1e-300];
    for (let step = 0; step < 200; step++) {
      // Mostly one parameter at a time (as a difference Jacobian), sometimes all, sometimes none.
      const r = rnd();
      if (r < 0.7) {
        const k = Math.floor(rnd() * 3);
        p[k] = rnd() < 0.1 ? special[Math.floor(rnd() * special.length)] : p[k] * (1 + 1e-8);
      } else if (r < 0.9) { for (let k = 0; k < 3; k++) p[k] = 0.5 + 2 * rnd(); }
      const xs = step % 50 === 49 ? [Float64Array.from(x)] : [x]; // a new array resets the memo
      const got = [new Float64Array(40), new Float64Array(40)];
      const want = [new Float64Array(40), new Float64Array(40)];
      kernel(Float64Array.from(p), xs, got, 40, memo);
      kernel(Float64Array.from(p), xs, want, 40);
      for (let e = 0; e < 2; e++) {
        for (let i = 0; i < 40; i++) {
          assert.ok(
            Object.is(got[e][i], want[e][i]),
            `${src}, step ${step}, point ${i}: ${got[e][i]} vs ${want[e][i]}`,
          );
        }
      }
    }
  }
});

Deno.test("a LoopMemo is not trusted after a call that threw half-way", () => {
  let fail = false;
  const boom = (v: Value) => {
    if (fail && v === 3) throw new Error("boom");
    return v;
  };
  const b = (n: string): Binding | undefined =>
    n === "f"
      ? { kind: "function", fn: boom }
      : n === "a"
      ? { kind: "slot", index: 0 }
      : n === "x"
      ? { kind: "slot", index: 1 }
      : undefined;
  const kernel = compileLoop([parse("exp(a*x) + f(x)")], b, [1]);
  const x = [Float64Array.of(1, 2, 3, 4)];
  const memo = new LoopMemo();
  const out = [new Float64Array(4)];
  kernel(Float64Array.of(0.5, 0), x, out, 4, memo);
  fail = true;
  assert.throws(() => kernel(Float64Array.of(0.25, 0), x, out, 4, memo), /boom/);
  fail = false;
  kernel(Float64Array.of(0.25, 0), x, out, 4, memo);
  assert.deepEqual(Array.from(out[0]), [1, 2, 3, 4].map((v) => Math.exp(0.25 * v) + v));
});
