/**
 * The Sobol' low-discrepancy sequence (Sobol' 1967) with the direction numbers of Joe & Kuo
 * (2008, "Constructing Sobol sequences with better two-dimensional projections", SIAM J. Sci.
 * Comput. 30, 2635; their table `new-joe-kuo-6.21201`), generated in Gray-code order with 30-bit
 * integers (Antonov & Saleev 1979), unscrambled: the same points as scipy's
 * `qmc.Sobol(d, scramble=False)`, which shgo's `sampling_method="sobol"` uses. The first point
 * is the origin; any prefix of 2^m points is a (t, m, d)-net.
 *
 * Supports up to `SOBOL_MAX_DIM` = 37 variables (the first 36 rows of Joe & Kuo's table, dimension
 * 1 being the van der Corput sequence).
 *
 * @module
 */

/**
 * Joe & Kuo's `new-joe-kuo-6.21201`, dimensions 2–37: degree s, coefficients a, initial m_1 … m_s.
 */
const JOE_KUO: readonly (readonly number[])[] = [
  [1, 0, 1],
  [2, 1, 1, 3],
  [3, 1, 1, 3, 1],
  [3, 2, 1, 1, 1],
  [4, 1, 1, 1, 3, 3],
  [4, 4, 1, 3, 5, 13],
  [5, 2, 1, 1, 5, 5, 17],
  [5, 4, 1, 1, 5, 5, 5],
  [5, 7, 1, 1, 7, 11, 19],
  [5, 11, 1, 1, 5, 1, 1],
  [5, 13, 1, 1, 1, 3, 11],
  [5, 14, 1, 3, 5, 5, 31],
  [6, 1, 1, 3, 3, 9, 7, 49],
  [6, 13, 1, 1, 1, 15, 21, 21],
  [6, 16, 1, 3, 1, 13, 27, 49],
  [6, 19, 1, 1, 1, 15, 7, 5],
  [6, 22, 1, 3, 1, 15, 13, 25],
  [6, 25, 1, 1, 5, 5, 19, 61],
  [7, 1, 1, 3, 7, 11, 23, 15, 103],
  [7, 4, 1, 3, 7, 13, 13, 15, 69],
  [7, 7, 1, 1, 3, 13, 7, 35, 63],
  [7, 8, 1, 3, 5, 9, 1, 25, 53],
  [7, 14, 1, 3, 1, 13, 9, 35, 107],
  [7, 19, 1, 3, 1, 5, 27, 61, 31],
  [7, 21, 1, 1, 5, 11, 19, 41, 61],
  [7, 28, 1, 3, 5, 3, 3, 13, 69],
  [7, 31, 1, 1, 7, 13, 1, 19, 1],
  [7, 32, 1, 3, 7, 5, 13, 19, 59],
  [7, 37, 1, 1, 3, 9, 25, 29, 41],
  [7, 41, 1, 3, 5, 13, 23, 1, 55],
  [7, 42, 1, 3, 7, 3, 13, 59, 17],
  [7, 50, 1, 3, 1, 3, 5, 53, 69],
  [7, 55, 1, 1, 5, 5, 23, 33, 13],
  [7, 56, 1, 1, 7, 7, 1, 61, 123],
  [7, 59, 1, 1, 7, 9, 13, 61, 49],
  [7, 62, 1, 3, 3, 5, 3, 55, 33],
];

/** Bits of each coordinate (scipy's MAXBIT): at most 2^30 points. */
const BITS = 30;

/**
 * Largest dimension `SobolSequence` supports.
 *
 * @category Solvers
 */
export const SOBOL_MAX_DIM: number = JOE_KUO.length + 1;

/** Direction numbers V[d·BITS + k] (k-th bit, most significant first) for d < dim. */
function directionNumbers(dim: number): Int32Array {
  const v = new Int32Array(dim * BITS);
  for (let k = 0; k < BITS; k++) v[k] = 1 << (BITS - 1 - k);
  for (let d = 1; d < dim; d++) {
    const [s, a, ...m] = JOE_KUO[d - 1];
    const o = d * BITS;
    for (let k = 0; k < s; k++) v[o + k] = m[k] << (BITS - 1 - k);
    for (let k = s; k < BITS; k++) {
      let x = v[o + k - s] ^ (v[o + k - s] >> s);
      for (let j = 1; j < s; j++) {
        if ((a >> (s - 1 - j)) & 1) x ^= v[o + k - j];
      }
      v[o + k] = x;
    }
  }
  return v;
}

/**
 * An unscrambled Sobol' sequence in [0, 1)^dim, drawn in order (scipy's
 * `qmc.Sobol(dim, scramble=False)`): the first point is the origin.
 *
 * @example
 * ```ts
 * import { SobolSequence } from "./sobol.ts";
 * const s = new SobolSequence(2);
 * s.next(); // [0, 0]
 * s.next(); // [0.5, 0.5]
 * s.next(); // [0.75, 0.25]
 * s.next(); // [0.25, 0.75]
 * ```
 *
 * @category Solvers
 */
export class SobolSequence {
  /** Number of coordinates. */
  readonly dim: number;
  #v: Int32Array;
  #x: Int32Array;
  #index = 0;

  /**
   * Starts the sequence at its first point, the origin.
   *
   * @param dim Number of coordinates, 1 to `SOBOL_MAX_DIM`.
   * @example
   * ```ts
   * import { SobolSequence } from "./sobol.ts";
   * new SobolSequence(3).next(); // [0, 0, 0]
   * ```
   */
  constructor(dim: number) {
    if (!Number.isInteger(dim) || dim < 1 || dim > SOBOL_MAX_DIM) {
      throw new RangeError(
        `Sobol sequence: dim must be an integer in [1, ${SOBOL_MAX_DIM}], got ${dim}; use Halton sampling for more variables`,
      );
    }
    this.dim = dim;
    this.#v = directionNumbers(dim);
    this.#x = new Int32Array(dim);
  }

  /** Points drawn so far. */
  get index(): number {
    return this.#index;
  }

  /**
   * The next point (a new array).
   *
   * @returns The point in [0, 1)^dim.
   * @example
   * ```ts
   * import { SobolSequence } from "./sobol.ts";
   * const s = new SobolSequence(1);
   * [s.next()[0], s.next()[0], s.next()[0], s.next()[0]]; // [0, 0.5, 0.75, 0.25]
   * ```
   */
  next(): Float64Array {
    const out = new Float64Array(this.dim);
    const n = this.#index;
    if (n >= 2 ** BITS) throw new RangeError(`Sobol sequence: at most 2^${BITS} points`);
    if (n > 0) {
      // Gray code: flip the direction number of the lowest zero bit of n − 1.
      let c = 0, m = n - 1;
      while (m & 1) {
        m >>>= 1;
        c++;
      }
      for (let d = 0; d < this.dim; d++) this.#x[d] ^= this.#v[d * BITS + c];
    }
    for (let d = 0; d < this.dim; d++) out[d] = this.#x[d] / 2 ** BITS;
    this.#index++;
    return out;
  }
}
