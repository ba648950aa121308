import assert from "node:assert/strict";
import { fastCos, fastExp, fastSin } from "../../../lib/expr/fast_math.ts";
import type { Binding } from "../../../lib/expr/compile.ts";
import { parse } from "../../../lib/expr/parser.ts";
import { compileSimdLoop } from "../../../lib/expr/wasm/simd_kernel.ts";
import { simdSupported } from "../../../lib/expr/wasm/simd_support.ts";
import { ulps } from "../../_ulps.ts";
import { trigCorpus, xorshift } from "../../_math_corpus.ts";

const skip = !simdSupported();

const bind = (n: string): Binding | undefined => n === "x" ? { kind: "slot", index: 0 } : undefined;

/** The SIMD kernel's values of each expression at every x (an odd count: the padded tail too). */
function simd(exprs: string[], xs: readonly number[]): Float64Array[] {
  const k = compileSimdLoop(exprs.map((e) => parse(e)), bind, [0]);
  assert(k !== null, `${exprs} is in the SIMD subset`);
  const outs = exprs.map(() => new Float64Array(xs.length));
  k(new Float64Array(1), [Float64Array.from(xs)], outs, xs.length);
  return outs;
}

function expPoints(): number[] {
  const r = xorshift(777);
  const xs: number[] = [];
  for (
    const scale of [1e-300, 1e-17, 1e-9, 1e-3, 0.3, 1, 10, 100, 699.9, 700, 705, 720, 745, 1e4]
  ) {
    for (let i = 0; i < 30000; i++) xs.push((r() * 2 - 1) * scale);
  }
  // Near the reduction's boundaries x = (k ± ½)·ln 2 and its knots.
  for (let k = -1010; k <= 1010; k++) {
    const c = k * Math.LN2;
    xs.push(c, c * (1 + 2 ** -52), c + Math.LN2 / 2, c - Math.LN2 / 2, c + 1e-12);
  }
  // Subnormal results, overflow and the special values.
  for (let x = -745.2; x < -707; x += 0.0137) xs.push(x);
  xs.push(0, -0, 5e-324, -5e-324, 1, -1, 709.78, 709.79, -708.39, -745.2, -746, 711);
  xs.push(NaN, Infinity, -Infinity, 3);
  return xs;
}

Deno.test({
  name: "SIMD sin and cos agree with Math.sin/Math.cos to within 1 ulp on a wide corpus",
  ignore: skip,
  fn() {
    const xs = trigCorpus();
    const [s, c] = simd(["sin(x)", "cos(x)"], xs);
    let worstSin = 0, worstCos = 0, atSin = 0, atCos = 0;
    xs.forEach((x, i) => {
      const es = ulps(s[i], Math.sin(x)), ec = ulps(c[i], Math.cos(x));
      if (es > worstSin) [worstSin, atSin] = [es, x];
      if (ec > worstCos) [worstCos, atCos] = [ec, x];
    });
    assert(worstSin <= 1, `sin: ${worstSin} ulp at ${atSin}`);
    assert(worstCos <= 1, `cos: ${worstCos} ulp at ${atCos}`);
  },
});

Deno.test({
  name: "SIMD sin and cos give fastSin/fastCos's doubles (bit for bit but at rounding ties)",
  ignore: skip,
  fn() {
    const xs = trigCorpus();
    // Alone and together (one shared reduction): the same values either way.
    const [sinAlone] = simd(["sin(x)"], xs);
    const [cosAlone] = simd(["cos(x)"], xs);
    const [s, c] = simd(["sin(x)", "cos(x)"], xs);
    const same = (a: number, b: number) => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
    let differ = 0;
    xs.forEach((x, i) => {
      assert(same(s[i], sinAlone[i]) && same(c[i], cosAlone[i]), `shared reduction at ${x}`);
      if (!same(s[i], fastSin(x)) || !same(c[i], fastCos(x))) {
        differ++;
        assert(ulps(s[i], fastSin(x)) <= 1 && ulps(c[i], fastCos(x)) <= 1, `at ${x}`);
      }
    });
    assert(differ <= 2, `${differ} of ${xs.length} values differ from fastSin/fastCos`);
  },
});

Deno.test({
  name: "SIMD sin and cos special values: signed zero, tiny, NaN and infinities",
  ignore: skip,
  fn() {
    const xs = [-0, 0, 5e-324, -1e-300, NaN, Infinity, -Infinity];
    const [s, c] = simd(["sin(x)", "cos(x)"], xs);
    assert(Object.is(s[0], -0) && Object.is(s[1], 0));
    assert.equal(c[0], 1);
    assert.equal(s[2], 5e-324);
    assert.equal(s[3], -1e-300);
    for (let i = 4; i < 7; i++) assert(Number.isNaN(s[i]) && Number.isNaN(c[i]));
  },
});

Deno.test({
  name: "SIMD exp agrees with Math.exp to within 1 ulp, subnormal results and overflow included",
  ignore: skip,
  fn() {
    const xs = expPoints();
    const [e] = simd(["exp(x)"], xs);
    let worst = 0, at = 0, worstFast = 0;
    xs.forEach((x, i) => {
      const d = ulps(e[i], Math.exp(x));
      if (d > worst) [worst, at] = [d, x];
      worstFast = Math.max(worstFast, ulps(e[i], fastExp(x)));
      // Outside |x| < 700 the lanes are fastExp's own values.
      if (!(Math.abs(x) < 700)) assert(Object.is(e[i], fastExp(x)) || Number.isNaN(x), `${x}`);
    });
    assert(worst <= 1, `exp: ${worst} ulp at ${at}`);
    assert(worstFast <= 2, `${worstFast} ulp from fastExp`);
    const [special] = simd(["exp(x)"], [0, -0, Infinity, -Infinity, NaN, -1000, 1000]);
    assert.deepEqual([...special.subarray(0, 4)], [1, 1, Infinity, 0]);
    assert(Number.isNaN(special[4]));
    assert.deepEqual([...special.subarray(5)], [0, Infinity]);
  },
});

Deno.test({
  name: "SIMD log agrees with Math.log to within 1 ulp, its JavaScript lanes exactly",
  ignore: skip,
  fn() {
    const r = xorshift(99);
    const xs: number[] = [];
    for (let i = 0; i < 200000; i++) xs.push(Math.pow(10, -307 + 615 * r()));
    // Near 1 (the |f| < 2^-20 branch and both polynomial forms), near powers of two and √2.
    for (let d = -3000; d <= 3000; d++) xs.push(1 + d * 2 ** -40, 1 + d * 2 ** -20, 1 + d * 1e-4);
    for (let e = -1020; e <= 1020; e += 3) {
      for (const m of [1, 1 + 2 ** -52, 1 - 2 ** -53, Math.SQRT2, 1.3, 1.45, 1.5, 1.9]) {
        xs.push(m * 2 ** e);
      }
    }
    // The JavaScript lanes: zero, subnormal, negative, NaN, infinities; and the largest double.
    xs.push(0, -0, 5e-324, 1e-310, -1, -Infinity, Infinity, NaN, Number.MAX_VALUE, 2 ** -1022);
    const [l] = simd(["log(x)"], xs);
    let differ = 0, worst = 0, at = 0;
    xs.forEach((x, i) => {
      if (!Object.is(l[i], Math.log(x))) differ++;
      const d = ulps(l[i], Math.log(x));
      if (d > worst) [worst, at] = [d, x];
      // Zero, subnormals, negatives, NaN and +Infinity are Math.log's own values.
      if (!(x >= 2 ** -1022 && x < Infinity)) {
        assert(Object.is(l[i], Math.log(x)), `${x}`);
      }
    });
    assert(worst <= 1, `log: ${worst} ulp at ${at}`);
    // fdlibm's log is not correctly rounded: a few values in a thousand differ by that ulp.
    assert(differ < xs.length / 100, `${differ} of ${xs.length} values differ from Math.log`);
  },
});
