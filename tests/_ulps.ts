/**
 * Floating-point distance for accuracy tests.
 *
 * @module
 */

const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);

/**
 * Distance between two doubles in units in the last place (ordered bit patterns); 0 for two
 * NaNs, Infinity for one NaN.
 *
 * @example
 * ```ts
 * import { ulps } from "./_ulps.ts";
 * ulps(1, 1 + Number.EPSILON); // 1
 * ```
 */
export function ulps(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  const key = (v: number) => {
    f64[0] = v;
    const k = i64[0];
    return k < 0n ? -(k & 0x7fffffffffffffffn) : k;
  };
  const d = key(a) - key(b);
  return Number(d < 0n ? -d : d);
}
