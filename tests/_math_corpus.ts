/**
 * Deterministic argument corpora for the accuracy tests of the math kernels (the JavaScript
 * `fastSin`/`fastCos` and their WebAssembly SIMD versions).
 *
 * @module
 */

/**
 * A xorshift32 generator of numbers in [0, 1), the same sequence for the same seed.
 *
 * @example
 * ```ts
 * import { xorshift } from "./_math_corpus.ts";
 * const next = xorshift(7);
 * const a = next(), b = next(); // two numbers in [0, 1)
 * ```
 */
export function xorshift(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

/**
 * Arguments for sine and cosine: random ones at every scale from 1e-300 to 1e20, points at and
 * next to multiples of π/2 (where the argument reduction cancels most bits), and the special
 * values (±0, subnormals, the fast range's edge 1e5, ±MAX_VALUE, NaN, ±Infinity).
 *
 * @example
 * ```ts
 * import { trigCorpus } from "./_math_corpus.ts";
 * trigCorpus().length > 300_000; // true
 * ```
 */
export function trigCorpus(): number[] {
  const r = xorshift(12345);
  const xs: number[] = [];
  for (const scale of [1e-300, 1e-20, 1e-9, 1e-3, 0.5, 1, 3, 10, 100, 1e3, 1e4, 99999, 1e6, 1e20]) {
    for (let i = 0; i < 20000; i++) xs.push((r() * 2 - 1) * scale);
  }
  for (let k = -60000; k <= 60000; k += 7) {
    const c = k * Math.PI / 2;
    xs.push(c, c * (1 + 2 ** -52), c * (1 - 2 ** -52), c + 1e-6, c - 1e-9);
  }
  xs.push(0, -0, 5e-324, -5e-324, Math.PI / 4, -Math.PI / 4, Math.PI / 2, Math.PI, 99999.99);
  xs.push(1e5, -1e5, Number.MAX_VALUE, -Number.MAX_VALUE, NaN, Infinity, -Infinity, 7);
  return xs;
}
