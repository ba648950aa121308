import assert from "node:assert/strict";
import { fastCos, fastExp, fastSin, fastSinCos } from "../../lib/expr/fast_math.ts";
import { compileLoop, compileMany, parse } from "../../lib/expr/mod.ts";
import type { Binding } from "../../lib/expr/mod.ts";
import { pyPow } from "../../lib/expr/ops.ts";
import { ulps } from "../_ulps.ts";
import { trigCorpus, xorshift } from "../_math_corpus.ts";

Deno.test("fastSin/fastCos agree with Math.sin/Math.cos to within 1 ulp", () => {
  let worstSin = 0, worstCos = 0, xs = 0, xc = 0;
  for (const x of trigCorpus()) {
    const es = ulps(fastSin(x), Math.sin(x));
    const ec = ulps(fastCos(x), Math.cos(x));
    if (es > worstSin) [worstSin, xs] = [es, x];
    if (ec > worstCos) [worstCos, xc] = [ec, x];
  }
  assert(worstSin <= 1, `sin: ${worstSin} ulp at ${xs}`);
  assert(worstCos <= 1, `cos: ${worstCos} ulp at ${xc}`);
});

Deno.test("fastSin/fastCos special values", () => {
  assert(Object.is(fastSin(-0), -0));
  assert(Object.is(fastSin(0), 0));
  assert.equal(fastCos(-0), 1);
  assert.equal(fastSin(5e-324), 5e-324);
  for (const v of [NaN, Infinity, -Infinity]) {
    assert(Number.isNaN(fastSin(v)));
    assert(Number.isNaN(fastCos(v)));
  }
});

Deno.test("fastSinCos gives exactly fastSin and fastCos", () => {
  const sc = new Float64Array(2);
  for (const x of trigCorpus()) {
    fastSinCos(x, sc);
    assert(
      Object.is(sc[0], fastSin(x)) || (Number.isNaN(sc[0]) && Number.isNaN(fastSin(x))),
      `sin ${x}`,
    );
    assert(
      Object.is(sc[1], fastCos(x)) || (Number.isNaN(sc[1]) && Number.isNaN(fastCos(x))),
      `cos ${x}`,
    );
  }
});

Deno.test("fastExp agrees with Math.exp to within 1 ulp", () => {
  const r = xorshift(777);
  const xs: number[] = [];
  for (
    const scale of [1e-300, 1e-17, 1e-9, 1e-3, 0.3, 1, 10, 100, 699.9, 700, 705, 720, 745, 1e4]
  ) {
    for (let i = 0; i < 30000; i++) xs.push((r() * 2 - 1) * scale);
  }
  // Near the table's knots and the reduction's boundaries: x = (k/128)·ln 2 and halfway.
  for (let k = -129000; k <= 129000; k += 37) {
    const c = (k / 128) * Math.LN2;
    xs.push(c, c * (1 + 2 ** -52), c + Math.LN2 / 256, c - Math.LN2 / 256);
  }
  xs.push(0, -0, 5e-324, -5e-324, 1, -1, 709.78, -708.39, -745.2, NaN, Infinity, -Infinity);
  let worst = 0, at = 0;
  for (const x of xs) {
    const e = ulps(fastExp(x), Math.exp(x));
    if (e > worst) [worst, at] = [e, x];
  }
  assert(worst <= 1, `exp: ${worst} ulp at ${at}`);
  assert.equal(fastExp(0), 1);
  assert.equal(fastExp(-0), 1);
  assert.equal(fastExp(Infinity), Infinity);
  assert.equal(fastExp(-Infinity), 0);
  assert(Number.isNaN(fastExp(NaN)));
});

Deno.test("generated ** 0.5 and ** -0.5 (loop and kernel) are pyPow exactly", () => {
  const r = xorshift(4242);
  const xs: number[] = [];
  for (let i = 0; i < 100000; i++) xs.push(Math.pow(10, -300 + 600 * r()));
  for (let e = -200; e <= 200; e += 3) {
    for (let d = 1; d < 50; d++) xs.push(4 ** e * (1 + d * 2 ** -52), 4 ** e * (1 - d * 2 ** -53));
  }
  xs.push(0, -0, -1, -2.5, Infinity, -Infinity, NaN, 5e-324, 2 ** -1022, Number.MAX_VALUE);
  const bind = (n: string): Binding | undefined =>
    n === "x" ? { kind: "slot", index: 0 } : undefined;
  const col = Float64Array.from(xs);
  const same = (a: number, b: number) => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
  for (const e of [0.5, -0.5]) {
    const node = parse(`x ** ${e}`);
    const loop = compileLoop([node], bind, [0]);
    const res = new Float64Array(xs.length);
    loop(new Float64Array(1), [col], [res], xs.length);
    const many = compileMany([node], bind);
    const one = new Float64Array(1);
    xs.forEach((x, i) => {
      const want = pyPow(x, e);
      many(Float64Array.of(x), one, 0);
      assert(same(one[0], want), `compileMany: ${x} ** ${e} = ${one[0]}, pyPow ${want}`);
      assert(same(res[i], want), `compileLoop: ${x} ** ${e} = ${res[i]}, pyPow ${want}`);
    });
  }
});
