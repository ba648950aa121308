/**
 * A small, seedable pseudo-random number generator shared by the stochastic solvers
 * (differential evolution, basin hopping, dual annealing, AMPGO, emcee) so that a `seed`
 * makes every result reproducible.
 *
 * The generator is xoshiro128** (Blackman & Vigna), seeded through splitmix32; uniform doubles
 * use 53 random bits, normals use the Marsaglia polar method.
 *
 * @module
 */

function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * Seedable random number generator.
 *
 * @example
 * ```ts
 * import { Random } from "./random.ts";
 * const rng = new Random(42);
 * const u = rng.uniform(); // in [0, 1)
 * const z = rng.normal(); // standard normal
 * ```
 *
 * @category Fitting
 */
export class Random {
  #a: number;
  #b: number;
  #c: number;
  #d: number;
  #spare = NaN;

  /**
   * Seeds the generator (any finite number; `undefined` seeds from `Math.random()`).
   * @param seed Any finite number; `undefined` seeds from `Math.random()`.
   */
  constructor(seed?: number) {
    const s = seed === undefined ? Math.floor(Math.random() * 2 ** 32) : seed;
    if (!Number.isFinite(s)) throw new RangeError(`seed must be a finite number, got ${seed}`);
    const state = { s: (Math.floor(s) ^ Math.floor(s / 2 ** 32)) | 0 };
    this.#a = splitmix32(state);
    this.#b = splitmix32(state);
    this.#c = splitmix32(state);
    this.#d = splitmix32(state);
  }

  /** Next raw 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.#b, 5), 7), 9) >>> 0;
    const t = this.#b << 9;
    this.#c ^= this.#a;
    this.#d ^= this.#b;
    this.#b ^= this.#c;
    this.#a ^= this.#d;
    this.#c ^= t;
    this.#d = rotl(this.#d, 11);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform double in [low, high). */
  uniformRange(low: number, high: number): number {
    return low + (high - low) * this.uniform();
  }

  /** Uniform integer in [0, n). */
  integer(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Standard normal deviate (Marsaglia polar method). */
  normal(): number {
    if (!Number.isNaN(this.#spare)) {
      const z = this.#spare;
      this.#spare = NaN;
      return z;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.#spare = v * f;
    return u * f;
  }

  /** Fisher-Yates shuffle of `array` in place; returns it. */
  shuffle<T extends { length: number; [i: number]: unknown }>(array: T): T {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.integer(i + 1);
      const tmp = array[i];
      array[i] = array[j];
      array[j] = tmp;
    }
    return array;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
