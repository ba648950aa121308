/**
 * Line search satisfying the strong Wolfe conditions (Nocedal & Wright, "Numerical
 * Optimization", 2nd ed., Algorithms 3.5 and 3.6: bracketing with step doubling, then zoom with
 * safeguarded cubic interpolation and bisection). Shared by BFGS, nonlinear conjugate gradients
 * and Newton-CG. A non-finite objective value at a trial step is treated as +∞: the step is too
 * long and the bracket shrinks.
 *
 * @module
 */

import type { GradientSolverOptions, ScalarFunction } from "./types.ts";
import { optionKeys } from "../util/options.ts";

/**
 * Gradient of the objective at `x` written into `out`; `fx = f(x)` is passed so forward
 * differences need not re-evaluate it.
 */
export type GradientAt = (x: Float64Array, out: Float64Array, fx: number) => void;

/** Options of one line search. */
export interface LineSearchOptions {
  /** Sufficient-decrease constant. @default 1e-4 */
  c1?: number;
  /** Curvature constant (0.9 for quasi-Newton, 0.1–0.4 for CG). @default 0.9 */
  c2?: number;
  /** Maximum objective evaluations in this search. @default 40 */
  maxEval?: number;
}

/**
 * A reusable strong-Wolfe line search along `x + a·p` with its workspaces allocated once.
 * After a successful `search`, `a`, `f`, `slope`, `x` (the accepted point) and `g` (its gradient)
 * describe the accepted step.
 *
 * @example
 * ```ts
 * import { WolfeLineSearch } from "./_line_search.ts";
 * const f = (x: Float64Array) => (x[0] - 3) ** 2;
 * const grad = (x: Float64Array, out: Float64Array) => { out[0] = 2 * (x[0] - 3); };
 * const ls = new WolfeLineSearch(f, grad, 1);
 * ls.search(Float64Array.of(0), Float64Array.of(1), 9, -6, 1); // true; ls.x[0] in (0, 6)
 * ```
 */
export class WolfeLineSearch {
  /** Accepted step length. */
  a = 0;
  /** Objective at the accepted step. */
  f = 0;
  /** Directional derivative at the accepted step. */
  slope = 0;
  /** Accepted point (valid after a successful search). */
  readonly x: Float64Array;
  /** Gradient at the accepted point (valid after a successful search). */
  readonly g: Float64Array;
  readonly #fun: ScalarFunction;
  readonly #grad: GradientAt;
  readonly #xt: Float64Array;
  readonly #gt: Float64Array;
  #x0: Float64Array;
  #p: Float64Array;
  #lastA = NaN;
  #lastF = NaN;
  #evals = 0;

  /** Allocates the workspaces for dimension `n`. */
  constructor(fun: ScalarFunction, grad: GradientAt, n: number) {
    this.#fun = fun;
    this.#grad = grad;
    this.x = new Float64Array(n);
    this.g = new Float64Array(n);
    this.#xt = new Float64Array(n);
    this.#gt = new Float64Array(n);
    this.#x0 = this.x;
    this.#p = this.x;
  }

  /** φ(a) = f(x0 + a·p); the point and (for finite φ) its gradient are kept in #xt/#gt. */
  #phi(a: number, withSlope: boolean): number {
    const n = this.#xt.length, xt = this.#xt, x0 = this.#x0, p = this.#p;
    for (let i = 0; i < n; i++) xt[i] = x0[i] + a * p[i];
    this.#evals++;
    const v = this.#fun(xt);
    const f = Number.isFinite(v) ? v : Infinity;
    this.#lastA = a;
    this.#lastF = f;
    if (f === Infinity || !withSlope) return f;
    this.#grad(xt, this.#gt, f);
    let d = 0;
    for (let i = 0; i < n; i++) d += this.#gt[i] * p[i];
    this.slope = d;
    return f;
  }

  #accept(a: number, f: number, slope: number): void {
    this.a = a;
    this.f = f;
    this.slope = slope;
    if (this.#lastA === a && this.#lastF === f) {
      this.x.set(this.#xt);
      this.g.set(this.#gt);
      return;
    }
    const n = this.x.length;
    for (let i = 0; i < n; i++) this.x[i] = this.#x0[i] + a * this.#p[i];
    this.#grad(this.x, this.g, f);
  }

  /**
   * Searches along `p` from `x0` (where f = `f0` and the slope `g0 < 0`) starting with step
   * `a1`. Returns true when a step satisfying the strong Wolfe conditions was found, or failing
   * that a step with a strict decrease; false when no decrease was found.
   */
  search(
    x0: Float64Array,
    p: Float64Array,
    f0: number,
    g0: number,
    a1: number,
    options: LineSearchOptions = {},
  ): boolean {
    const c1 = options.c1 ?? 1e-4, c2 = options.c2 ?? 0.9, maxEval = options.maxEval ?? 40;
    this.#x0 = x0;
    this.#p = p;
    this.#evals = 0;
    this.#lastA = NaN;
    let aPrev = 0, fPrev = f0, gPrev = g0;
    let a = a1;
    for (let i = 0; this.#evals < maxEval; i++) {
      const f = this.#phi(a, true);
      const g = f === Infinity ? NaN : this.slope;
      if (f > f0 + c1 * a * g0 || (i > 0 && f >= fPrev)) {
        return this.#zoom(f0, g0, aPrev, fPrev, gPrev, a, f, g, c1, c2, maxEval);
      }
      if (Math.abs(g) <= -c2 * g0) {
        this.#accept(a, f, g);
        return true;
      }
      if (g >= 0) return this.#zoom(f0, g0, a, f, g, aPrev, fPrev, gPrev, c1, c2, maxEval);
      aPrev = a;
      fPrev = f;
      gPrev = g;
      a *= 2;
    }
    if (fPrev < f0) {
      this.#accept(aPrev, fPrev, gPrev);
      return true;
    }
    return false;
  }

  #zoom(
    f0: number,
    g0: number,
    lo: number,
    flo: number,
    glo: number,
    hi: number,
    fhi: number,
    ghi: number,
    c1: number,
    c2: number,
    maxEval: number,
  ): boolean {
    while (this.#evals < maxEval) {
      const span = hi - lo;
      let a = fhi < Infinity && Number.isFinite(ghi) ? cubicMin(lo, flo, glo, hi, fhi, ghi) : NaN;
      if (!(Math.abs(span) > 0)) break;
      const t = (a - lo) / span;
      if (!(t >= 0.1 && t <= 0.9)) a = lo + 0.5 * span;
      if (a === lo || a === hi) break;
      const f = this.#phi(a, true);
      const g = f === Infinity ? NaN : this.slope;
      if (f > f0 + c1 * a * g0 || f >= flo) {
        hi = a;
        fhi = f;
        ghi = g;
      } else {
        if (Math.abs(g) <= -c2 * g0) {
          this.#accept(a, f, g);
          return true;
        }
        if (g * (hi - lo) >= 0) {
          hi = lo;
          fhi = flo;
          ghi = glo;
        }
        lo = a;
        flo = f;
        glo = g;
      }
    }
    if (lo !== 0 && flo < f0) {
      this.#accept(lo, flo, glo);
      return true;
    }
    return false;
  }
}

/** The options `bfgs` and `conjugateGradient` accept (both take `GradientSolverOptions`). */
export const GRADIENT_SOLVER_OPTION_KEYS: readonly string[] = optionKeys<GradientSolverOptions>({
  grad: true,
  fdMethod: true,
  gtol: true,
  maxiter: true,
  maxfev: true,
  callback: true,
});

/**
 * Status messages of the gradient-based solvers (BFGS, CG, Newton-CG), by status code.
 *
 * @example
 * ```ts
 * import { GRADIENT_MESSAGES } from "./_line_search.ts";
 * GRADIENT_MESSAGES[0]; // "Optimization terminated successfully."
 * ```
 */
export const GRADIENT_MESSAGES: Readonly<Record<number, string>> = Object.freeze({
  0: "Optimization terminated successfully.",
  1: "Maximum number of iterations has been exceeded.",
  2: "Desired error not necessarily achieved due to precision loss (line search failed).",
  3: "Maximum number of function evaluations has been exceeded.",
  4: "The objective is not finite at the starting point.",
  [-1]: "Aborted by the iteration callback.",
});

/**
 * Max-norm of a vector.
 *
 * @example
 * ```ts
 * import { infNorm } from "./_line_search.ts";
 * infNorm(Float64Array.of(1, -3)); // 3
 * ```
 */
export function infNorm(v: Float64Array): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) {
    const a = Math.abs(v[i]);
    if (a > m) m = a;
  }
  return m;
}

/** Minimiser of the cubic interpolating (a, fa, ga) and (b, fb, gb); NaN if none. */
function cubicMin(a: number, fa: number, ga: number, b: number, fb: number, gb: number): number {
  const d1 = ga + gb - 3 * (fa - fb) / (a - b);
  const disc = d1 * d1 - ga * gb;
  if (!(disc >= 0)) return NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  return b - (b - a) * ((gb + d2 - d1) / (gb - ga + 2 * d2));
}

/**
 * Stagnation test of the gradient-based solvers: true once `window` consecutive iterations each
 * decreased f by at most `rtol`·max(|f|, |f_start|). With finite-difference gradients the
 * gradient has an error floor; near a zero minimum the iterates then creep along a biased
 * direction with decreases far below the problem's scale, which this ends.
 *
 * @example
 * ```ts
 * import { StallDetector } from "./_line_search.ts";
 * const s = new StallDetector(100, 2);
 * s.update(1, 0.5); // false
 * s.update(1e-20, 1e-20 - 1e-40); // false
 * s.update(1e-20 - 1e-40, 1e-20 - 2e-40); // true
 * ```
 */
export class StallDetector {
  #scale: number;
  #count = 0;
  readonly #window: number;
  readonly #rtol: number;
  /** `fStart` is the objective at the start; `window` @default 5, `rtol` @default 1e-16. */
  constructor(fStart: number, window = 5, rtol = 1e-16) {
    this.#scale = Math.abs(fStart);
    this.#window = window;
    this.#rtol = rtol;
  }
  /** Records one iteration from `fPrev` to `f`; true when the solve has stalled. */
  update(fPrev: number, f: number): boolean {
    const tiny = fPrev - f <= this.#rtol * Math.max(Math.abs(f), this.#scale);
    this.#count = tiny ? this.#count + 1 : 0;
    return this.#count >= this.#window;
  }
}
