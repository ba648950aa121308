/**
 * MINUIT-style bounds transforms (lmfit manual, "Bounds Implementation").
 *
 * A bounded parameter is fitted through an unbounded internal variable:
 *
 * | bounds        | external from internal               | internal from external                       |
 * |---------------|--------------------------------------|----------------------------------------------|
 * | none          | `P = P_int`                          | `P_int = P`                                  |
 * | lower only    | `P = min - 1 + sqrt(P_int² + 1)`     | `P_int = sqrt((P - min + 1)² - 1)`           |
 * | upper only    | `P = max + 1 - sqrt(P_int² + 1)`     | `P_int = sqrt((max - P + 1)² - 1)`           |
 * | both          | `P = min + (sin(P_int) + 1)(max - min)/2` | `P_int = asin(2(P - min)/(max - min) - 1)` |
 *
 * `gradient` is `dP/dP_int`, used to map the covariance back to user space.
 *
 * @module
 */

/** Which transform a parameter uses. */
export type BoundsKind = 0 | 1 | 2 | 3; // none, lower, upper, both

/** The kind of transform for a pair of bounds. */
export function boundsKind(min: number, max: number): BoundsKind {
  const lo = min !== -Infinity;
  const hi = max !== Infinity;
  return lo ? (hi ? 3 : 1) : (hi ? 2 : 0);
}

/**
 * External (user) value from the internal, unbounded one.
 *
 * @example
 * ```ts
 * import { fromInternal, toInternal } from "./bounds.ts";
 * const x = toInternal(0.25, 0, 1);
 * fromInternal(x, 0, 1); // 0.25
 * ```
 */
export function fromInternal(value: number, min: number, max: number): number {
  switch (boundsKind(min, max)) {
    case 0:
      return value;
    case 1:
      return min - 1 + Math.sqrt(value * value + 1);
    case 2:
      return max + 1 - Math.sqrt(value * value + 1);
    default:
      return min + (Math.sin(value) + 1) * (max - min) / 2;
  }
}

/**
 * Internal, unbounded value from the external one (which should lie within bounds).
 * Values at a bound map to the transform's stationary point, as lmfit's do.
 */
export function toInternal(value: number, min: number, max: number): number {
  let v: number;
  switch (boundsKind(min, max)) {
    case 0:
      return value;
    case 1:
      v = Math.sqrt(Math.max(0, (value - min + 1) ** 2 - 1));
      break;
    case 2:
      v = Math.sqrt(Math.max(0, (max - value + 1) ** 2 - 1));
      break;
    default: {
      const s = 2 * (value - min) / (max - min) - 1;
      v = Math.asin(Math.min(1, Math.max(-1, s)));
    }
  }
  return Math.abs(v) < 1e-15 ? 0 : v;
}

/** `dP/dP_int` at the internal value: the factor that maps internal uncertainties to user space. */
export function gradient(internal: number, min: number, max: number): number {
  switch (boundsKind(min, max)) {
    case 0:
      return 1;
    case 1:
      return internal / Math.sqrt(internal * internal + 1);
    case 2:
      return -internal / Math.sqrt(internal * internal + 1);
    default:
      return Math.cos(internal) * (max - min) / 2;
  }
}
