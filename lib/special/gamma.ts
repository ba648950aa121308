/**
 * The gamma function and its logarithmic derivative (digamma), for real arguments.
 *
 * @module
 */

import { lgamma } from "./distributions.ts";
import { betaln } from "./complex_gamma.ts";

/**
 * Γ(x) for real x (Lanczos for x ≥ 0.5, reflection below; poles give ±Infinity/NaN).
 *
 * @example
 * ```ts
 * import { gamma } from "./gamma.ts";
 * gamma(5); // 24
 * gamma(0.5); // √π
 * ```
 *
 * @category Special functions
 */
export function gamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Math.floor(x) && x <= 0) return NaN;
  if (x < 0.5) return Math.PI / (Math.sin(Math.PI * x) * gamma(1 - x));
  if (x > 171.7) return Infinity;
  if (Number.isInteger(x) && x <= 23) {
    let r = 1;
    for (let i = 2; i < x; i++) r *= i;
    return r;
  }
  return Math.exp(lgamma(x));
}

/**
 * The digamma function ψ(x) = Γ'(x)/Γ(x) (recurrence to x ≥ 10, then the asymptotic series).
 *
 * @example
 * ```ts
 * import { digamma } from "./gamma.ts";
 * digamma(1); // -0.5772156649015329 (minus Euler's constant)
 * ```
 *
 * @category Special functions
 */
export function digamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x <= 0 && x === Math.floor(x)) return NaN;
  let r = 0;
  if (x < 0) {
    // Reflection: ψ(1 - x) - ψ(x) = π cot(πx)
    return digamma(1 - x) - Math.PI / Math.tan(Math.PI * x);
  }
  while (x < 10) {
    r -= 1 / x;
    x += 1;
  }
  const f = 1 / (x * x);
  const t = f *
    (-1 / 12 +
      f *
        (1 / 120 +
          f * (-1 / 252 + f * (1 / 240 + f * (-1 / 132 + f * (691 / 32760 + f * (-1 / 12)))))));
  return r + Math.log(x) - 0.5 / x + t;
}

/**
 * The beta function B(a, b) = Γ(a)Γ(b)/Γ(a + b) for a, b > 0 (products of Γ while they stay
 * finite, exp(ln B) beyond).
 *
 * @param a first argument, > 0.
 * @param b second argument, > 0.
 * @returns B(a, b); NaN unless both arguments are positive.
 * @example
 * ```ts
 * import { beta } from "./gamma.ts";
 * beta(2, 3); // 1/12
 * ```
 *
 * @category Special functions
 */
export function beta(a: number, b: number): number {
  if (!(a > 0) || !(b > 0)) return NaN;
  if (a + b < 170) return (gamma(a) * gamma(b)) / gamma(a + b);
  return Math.exp(betaln(a, b));
}
