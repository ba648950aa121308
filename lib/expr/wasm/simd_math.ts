/**
 * `sin`, `cos` and `exp` on both f64 lanes of a `v128`, as WebAssembly instruction sequences.
 *
 * Sine and cosine do what `fastSin`/`fastCos` (../fast_math.ts) do on their common path, op for
 * op, so an in-range lane gets the same double: one Cody–Waite step with π/2 in two parts
 * (k·PIO2_1 is exact for |k| < 2^16), the reduced argument y0 + y1, fdlibm's `__kernel_sin` and
 * `__kernel_cos` polynomials (both computed; the quadrant k mod 4 picks one with `bitselect` and
 * sets the sign). k is rounded with the 1.5·2^52 magic number, whose sum's low bits are k as an
 * integer. The one difference: a tie x·2/π = j + ½ rounds to even here and up in `Math.round`;
 * both reductions are exact, so the two results are each within an ulp.
 *
 * Exponential: fdlibm's `__ieee754_exp` (Remez rational approximation on |r| ≤ ln2/2, error
 * below one ulp): k = nearest(x/ln 2), r = x − k·ln2_hi − k·ln2_lo, and 2^k built from k's bits
 * (`(k + 1023) << 52`). It may differ from `fastExp` (a table method) by an ulp.
 *
 * Natural logarithm: fdlibm's `__ieee754_log` (error below one ulp) op for op for positive normal
 * x, its three branches (|f| < 2^-20, and the two polynomial forms) computed on both lanes and
 * chosen by masks; for k = 0 its shorter formulas are the general ones with k = 0, value for value.
 * It is within an ulp of `Math.log` (in current V8 LLVM libc's, correctly rounded: 0.2% of
 * values differ in the last bit).
 *
 * Lanes outside the common path: |x| ≥ 1e5, NaN or ±Infinity for sine and cosine, a reduced
 * argument that cancels more than 16 bits (near multiples of π/2); |x| ≥ 700 or NaN for the
 * exponential (overflow, subnormal results); for the logarithm, what is not a positive normal
 * finite number (zero, subnormals, negatives, NaN, +Infinity). Where any lane of a pair is one
 * of them, the pair is recomputed by calls of the imported JavaScript `fastSin`/`fastCos`/
 * `fastExp` (`Math.log` for the logarithm), lane by lane, so those lanes get exactly what the
 * JavaScript kernels give.
 *
 * @module
 */

import { type Code, Simd, V128 } from "./binary.ts";

/** Function indices of the imported scalar fallbacks, each `(f64) → f64`. */
export interface ScalarImports {
  /** `Math.log`. */
  log: number;
  /** `fastSin`. */
  sin: number;
  /** `fastCos`. */
  cos: number;
  /** `fastExp`. */
  exp: number;
}

const INVPIO2 = 6.36619772367581382433e-01;
const PIO2_1 = 1.57079632673412561417e+00;
const PIO2_1T = 6.07710050650619224932e-11;
const PIO4 = 7.85398163397448278999e-01;
const LIMIT = 1e5;
const CANCEL = 1.52587890625e-5; // 2^-16
const MAGIC = 6755399441055744; // 1.5·2^52

const S = [
  -1.66666666666666324348e-01,
  8.33333333332248946124e-03,
  -1.98412698298579493134e-04,
  2.75573137070700676789e-06,
  -2.50507602534068634195e-08,
  1.58969099521155010221e-10,
];
const C = [
  4.16666666666666019037e-02,
  -1.38888888888741095749e-03,
  2.48015872894767294178e-05,
  -2.75573143513906633035e-07,
  2.08757232129817482790e-09,
  -1.13596475577881948265e-11,
];

const LOG2E = 1.44269504088896338700e+00;
const LN2_HI = 6.93147180369123816490e-01; // 32 significant bits: k·LN2_HI is exact
const LN2_LO = 1.90821492927058770002e-10;
const P = [
  1.66666666666666019037e-01,
  -2.77777777770155933842e-03,
  6.61375632143793436117e-05,
  -1.65339022054652515390e-06,
  4.13813679705723846039e-08,
];

/** Pushes c[0] + z·(c[1] + z·(… + z·c[last])) (Horner, in fdlibm's order). */
function horner(code: Code, z: number, c: readonly number[]): void {
  code.f64x2Const(c[c.length - 1]);
  for (let i = c.length - 2; i >= 0; i--) {
    code.get(z).simd(Simd.f64x2Mul).f64x2Const(c[i]).simd(Simd.f64x2Add);
  }
}

/** Where any lane of `bad` is set, replaces the lanes of `result` by `fn` of the lanes of `x`. */
function scalarFallback(code: Code, bad: number, x: number, pairs: [number, number][]): void {
  code.get(bad).simd(Simd.anyTrue).op(0x04, 0x40); // if (no result)
  for (const [result, fn] of pairs) {
    code.get(result);
    for (const lane of [0, 1]) {
      code.get(x).lane(Simd.f64x2ExtractLane, lane).call(fn).lane(Simd.f64x2ReplaceLane, lane);
    }
    code.set(result);
  }
  code.op(0x0b); // end
}

/**
 * Emits sin and/or cos of the `v128` local `x` (one shared reduction); returns the locals that
 * hold them.
 *
 * @example
 * ```ts
 * import { Code, V128 } from "./binary.ts";
 * import { emitSinCos } from "./simd_math.ts";
 * const code = new Code([V128]);
 * const { sin, cos } = emitSinCos(code, 0, true, true, { sin: 0, cos: 1, exp: 2, log: 3 });
 * ```
 */
export function emitSinCos(
  code: Code,
  x: number,
  wantSin: boolean,
  wantCos: boolean,
  imports: ScalarImports,
): { sin: number; cos: number } {
  const t = code.local(V128), k = code.local(V128), r = code.local(V128), w = code.local(V128);
  const y0 = code.local(V128), y1 = code.local(V128), z = code.local(V128);
  const s = code.local(V128), c = code.local(V128), bad = code.local(V128);
  const odd = code.local(V128);
  // t = x·2/π + MAGIC; k = t − MAGIC (x·2/π rounded to the nearest integer)
  code.get(x).f64x2Const(INVPIO2).simd(Simd.f64x2Mul).f64x2Const(MAGIC).simd(Simd.f64x2Add)
    .set(t);
  code.get(t).f64x2Const(MAGIC).simd(Simd.f64x2Sub).set(k);
  // r = x − k·PIO2_1; w = k·PIO2_1T; y0 = r − w; y1 = (r − y0) − w
  code.get(x).get(k).f64x2Const(PIO2_1).simd(Simd.f64x2Mul).simd(Simd.f64x2Sub).set(r);
  code.get(k).f64x2Const(PIO2_1T).simd(Simd.f64x2Mul).set(w);
  code.get(r).get(w).simd(Simd.f64x2Sub).set(y0);
  code.get(r).get(y0).simd(Simd.f64x2Sub).get(w).simd(Simd.f64x2Sub).set(y1);
  // bad = !(|x| < LIMIT) | (|x| > π/4 & |y0| < |x|·2^-16)
  code.get(x).simd(Simd.f64x2Abs).f64x2Const(LIMIT).simd(Simd.f64x2Lt).simd(Simd.not);
  code.get(x).simd(Simd.f64x2Abs).f64x2Const(PIO4).simd(Simd.f64x2Gt);
  code.get(y0).simd(Simd.f64x2Abs).get(x).simd(Simd.f64x2Abs).f64x2Const(CANCEL)
    .simd(Simd.f64x2Mul).simd(Simd.f64x2Lt);
  code.simd(Simd.and).simd(Simd.or).set(bad);
  code.get(y0).get(y0).simd(Simd.f64x2Mul).set(z);
  // __kernel_sin: y0 − ((z·(0.5·y1 − v·r) − y1) − v·S1), v = z·y0, r = S2 + z·(…)
  const v = w; // w is no longer needed
  code.get(z).get(y0).simd(Simd.f64x2Mul).set(v);
  code.get(y0);
  code.get(z);
  code.f64x2Const(0.5).get(y1).simd(Simd.f64x2Mul);
  code.get(v);
  horner(code, z, S.slice(1));
  code.simd(Simd.f64x2Mul).simd(Simd.f64x2Sub).simd(Simd.f64x2Mul);
  code.get(y1).simd(Simd.f64x2Sub);
  code.get(v).f64x2Const(S[0]).simd(Simd.f64x2Mul).simd(Simd.f64x2Sub);
  code.simd(Simd.f64x2Sub).set(s);
  // __kernel_cos: u + (((1 − u) − hz) + (z·r − y0·y1)), hz = z/2, u = 1 − hz,
  // r = z·(C1 + z·(C2 + z·C3)) + (w·w)·(C4 + z·(C5 + z·C6)), w = z·z
  const hz = r, u = v, w2 = k; // reused
  code.get(z).get(z).simd(Simd.f64x2Mul).set(w2);
  code.get(z);
  horner(code, z, C.slice(0, 3));
  code.simd(Simd.f64x2Mul);
  code.get(w2).get(w2).simd(Simd.f64x2Mul);
  horner(code, z, C.slice(3));
  code.simd(Simd.f64x2Mul).simd(Simd.f64x2Add).set(c); // c holds r for now
  code.f64x2Const(0.5).get(z).simd(Simd.f64x2Mul).set(hz);
  code.f64x2Const(1).get(hz).simd(Simd.f64x2Sub).set(u);
  code.get(u);
  code.f64x2Const(1).get(u).simd(Simd.f64x2Sub).get(hz).simd(Simd.f64x2Sub);
  code.get(z).get(c).simd(Simd.f64x2Mul).get(y0).get(y1).simd(Simd.f64x2Mul).simd(Simd.f64x2Sub);
  code.simd(Simd.f64x2Add).simd(Simd.f64x2Add).set(c);
  // Quadrant q = k mod 4 from t's low bits: odd q swaps sin and cos; the sign of sin is bit 1
  // of q, that of cos bit 1 of q + 1.
  code.get(t).i32Const(63).simd(Simd.i64x2Shl).i32Const(63).simd(Simd.i64x2ShrS).set(odd);
  const sin = code.local(V128), cos = code.local(V128);
  if (wantSin) {
    code.get(c).get(s).get(odd).simd(Simd.bitselect);
    code.get(t).i32Const(1).simd(Simd.i64x2ShrU).i32Const(63).simd(Simd.i64x2Shl);
    code.simd(Simd.xor).set(sin);
  }
  if (wantCos) {
    code.get(s).get(c).get(odd).simd(Simd.bitselect);
    code.get(t).i64x2Const(1).simd(Simd.i64x2Add).i32Const(1).simd(Simd.i64x2ShrU)
      .i32Const(63).simd(Simd.i64x2Shl);
    code.simd(Simd.xor).set(cos);
  }
  const pairs: [number, number][] = [];
  if (wantSin) pairs.push([sin, imports.sin]);
  if (wantCos) pairs.push([cos, imports.cos]);
  scalarFallback(code, bad, x, pairs);
  return { sin, cos };
}

/**
 * Emits exp of the `v128` local `x`; returns the local that holds it.
 *
 * @example
 * ```ts
 * import { Code, V128 } from "./binary.ts";
 * import { emitExp } from "./simd_math.ts";
 * const code = new Code([V128]);
 * const result: number = emitExp(code, 0, { sin: 0, cos: 1, exp: 2, log: 3 });
 * ```
 */
export function emitExp(code: Code, x: number, imports: ScalarImports): number {
  const t = code.local(V128), k = code.local(V128), hi = code.local(V128), lo = code.local(V128);
  const r = code.local(V128), z = code.local(V128), c = code.local(V128), bad = code.local(V128);
  const out = code.local(V128);
  code.get(x).simd(Simd.f64x2Abs).f64x2Const(700).simd(Simd.f64x2Lt).simd(Simd.not).set(bad);
  // t = x·log2(e) + MAGIC; k = t − MAGIC
  code.get(x).f64x2Const(LOG2E).simd(Simd.f64x2Mul).f64x2Const(MAGIC).simd(Simd.f64x2Add).set(t);
  code.get(t).f64x2Const(MAGIC).simd(Simd.f64x2Sub).set(k);
  // hi = x − k·ln2_hi; lo = k·ln2_lo; r = hi − lo
  code.get(x).get(k).f64x2Const(LN2_HI).simd(Simd.f64x2Mul).simd(Simd.f64x2Sub).set(hi);
  code.get(k).f64x2Const(LN2_LO).simd(Simd.f64x2Mul).set(lo);
  code.get(hi).get(lo).simd(Simd.f64x2Sub).set(r);
  // c = r − z·(P1 + z·(P2 + …)), z = r²
  code.get(r).get(r).simd(Simd.f64x2Mul).set(z);
  code.get(r).get(z);
  horner(code, z, P);
  code.simd(Simd.f64x2Mul).simd(Simd.f64x2Sub).set(c);
  // y = 1 − ((lo − r·c/(2 − c)) − hi)
  code.f64x2Const(1);
  code.get(lo);
  code.get(r).get(c).simd(Simd.f64x2Mul);
  code.f64x2Const(2).get(c).simd(Simd.f64x2Sub).simd(Simd.f64x2Div);
  code.simd(Simd.f64x2Sub).get(hi).simd(Simd.f64x2Sub).simd(Simd.f64x2Sub);
  // · 2^k, from k's bits in t
  code.get(t).i64x2Const(1023).simd(Simd.i64x2Add).i32Const(52).simd(Simd.i64x2Shl);
  code.simd(Simd.f64x2Mul).set(out);
  scalarFallback(code, bad, x, [[out, imports.exp]]);
  return out;
}

const LG = [
  6.666666666666735130e-01,
  3.999999999940941908e-01,
  2.857142874366239149e-01,
  2.222219843214978396e-01,
  1.818357216161805012e-01,
  1.531383769920937332e-01,
  1.479819860511658591e-01,
];
const MIN_NORMAL = 2.2250738585072014e-308;
const MAGIC_BITS = 0x4338000000000000; // the bits of MAGIC (exact as a double)

/**
 * Emits the natural logarithm of the `v128` local `x`; returns the local that holds it.
 *
 * @example
 * ```ts
 * import { Code, V128 } from "./binary.ts";
 * import { emitLog } from "./simd_math.ts";
 * const code = new Code([V128]);
 * const result: number = emitLog(code, 0, { sin: 0, cos: 1, exp: 2, log: 3 });
 * ```
 */
export function emitLog(code: Code, x: number, imports: ScalarImports): number {
  const hx = code.local(V128), k = code.local(V128), i = code.local(V128), f = code.local(V128);
  const dk = code.local(V128), s = code.local(V128), z = code.local(V128), w = code.local(V128);
  const r = code.local(V128), hfsq = code.local(V128), sel = code.local(V128);
  const out = code.local(V128), bad = code.local(V128);
  const F64_ = { mul: Simd.f64x2Mul, add: Simd.f64x2Add, sub: Simd.f64x2Sub };
  // bad = !(x ≥ smallest normal and x < ∞)
  code.get(x).f64x2Const(MIN_NORMAL).simd(Simd.f64x2Ge).get(x).f64x2Const(Infinity)
    .simd(Simd.f64x2Lt).simd(Simd.and).simd(Simd.not).set(bad);
  // hx = high word; k = (hx >> 20) − 1023; hx &= 0xfffff
  code.get(x).i32Const(32).simd(Simd.i64x2ShrU).set(hx);
  code.get(hx).i32Const(20).simd(Simd.i64x2ShrU).i64x2Const(1023).simd(Simd.i64x2Sub).set(k);
  code.get(hx).i64x2Const(0xfffff).simd(Simd.and).set(hx);
  // i = (hx + 0x95f64) & 0x100000; x with high word hx | (i ^ 0x3ff00000); k += i >> 20
  code.get(hx).i64x2Const(0x95f64).simd(Simd.i64x2Add).i64x2Const(0x100000).simd(Simd.and)
    .set(i);
  code.get(hx).get(i).i64x2Const(0x3ff00000).simd(Simd.xor).simd(Simd.or).i32Const(32)
    .simd(Simd.i64x2Shl);
  code.get(x).i64x2Const(0xffffffff).simd(Simd.and).simd(Simd.or);
  code.f64x2Const(1).simd(F64_.sub).set(f); // f = x − 1
  code.get(k).get(i).i32Const(20).simd(Simd.i64x2ShrU).simd(Simd.i64x2Add);
  code.i64x2Const(MAGIC_BITS).simd(Simd.i64x2Add).f64x2Const(MAGIC).simd(F64_.sub).set(dk);
  // s = f/(2 + f); z = s²; w = z²;
  // R = z·(Lg1 + w·(Lg3 + w·(Lg5 + w·Lg7))) + w·(Lg2 + w·(Lg4 + w·Lg6))
  code.get(f).f64x2Const(2).get(f).simd(F64_.add).simd(Simd.f64x2Div).set(s);
  code.get(s).get(s).simd(F64_.mul).set(z);
  code.get(z).get(z).simd(F64_.mul).set(w);
  code.get(z);
  horner(code, w, [LG[0], LG[2], LG[4], LG[6]]);
  code.simd(F64_.mul);
  code.get(w);
  horner(code, w, [LG[1], LG[3], LG[5]]);
  code.simd(F64_.mul).simd(F64_.add).set(r);
  code.f64x2Const(0.5).get(f).simd(F64_.mul).get(f).simd(F64_.mul).set(hfsq);
  // Each branch leaves t on the stack for dk·ln2_hi − ((t − dk·ln2_lo) − f) or a variant:
  // (i > 0): dk·ln2_hi − ((hfsq − (s·(hfsq + R) + dk·ln2_lo)) − f)
  code.get(dk).f64x2Const(LN2_HI).simd(F64_.mul);
  code.get(hfsq).get(s).get(hfsq).get(r).simd(F64_.add).simd(F64_.mul);
  code.get(dk).f64x2Const(LN2_LO).simd(F64_.mul).simd(F64_.add).simd(F64_.sub);
  code.get(f).simd(F64_.sub).simd(F64_.sub);
  // (i ≤ 0): dk·ln2_hi − ((s·(f − R) − dk·ln2_lo) − f)
  code.get(dk).f64x2Const(LN2_HI).simd(F64_.mul);
  code.get(s).get(f).get(r).simd(F64_.sub).simd(F64_.mul);
  code.get(dk).f64x2Const(LN2_LO).simd(F64_.mul).simd(F64_.sub);
  code.get(f).simd(F64_.sub).simd(F64_.sub);
  // i = (hx − 0x6147a) | (0x6b851 − hx) > 0 picks the first
  code.get(hx).i64x2Const(0x6147a).simd(Simd.i64x2Sub);
  code.i64x2Const(0x6b851).get(hx).simd(Simd.i64x2Sub).simd(Simd.or);
  code.i64x2Const(0).simd(Simd.i64x2GtS).simd(Simd.bitselect).set(sel);
  // |f| < 2^-20 ((2 + hx) & 0xfffff < 3): dk·ln2_hi − ((f²·(0.5 − f/3) − dk·ln2_lo) − f)
  code.get(dk).f64x2Const(LN2_HI).simd(F64_.mul);
  code.get(f).get(f).simd(F64_.mul);
  code.f64x2Const(0.5).f64x2Const(0.33333333333333333).get(f).simd(F64_.mul).simd(F64_.sub);
  code.simd(F64_.mul);
  code.get(dk).f64x2Const(LN2_LO).simd(F64_.mul).simd(F64_.sub);
  code.get(f).simd(F64_.sub).simd(F64_.sub);
  code.get(sel);
  code.get(hx).i64x2Const(2).simd(Simd.i64x2Add).i64x2Const(0xfffff).simd(Simd.and);
  code.i64x2Const(3).simd(Simd.i64x2LtS).simd(Simd.bitselect).set(out);
  scalarFallback(code, bad, x, [[out, imports.log]]);
  return out;
}
