/**
 * Line search satisfying the strong Wolfe conditions (Nocedal & Wright, "Numerical
 * Optimization", 2nd ed., Algorithms 3.5 and 3.6: bracketing, then zoom with cubic
 * interpolation, safeguarded by bisection). Shared by BFGS and nonlinear conjugate gradients.
 *
 * @module
 */

/** The objective along the line: value and directional derivative at step `a`. */
export type LineFunction = (a: number) => { f: number; g: number };

/** Result of a line search; `ok` false when no acceptable step was found. */
export interface LineSearchResult {
  a: number;
  f: number;
  g: number;
  ok: boolean;
}

function cubicMin(a: number, fa: number, ga: number, b: number, fb: number, gb: number): number {
  const d1 = ga + gb - 3 * (fa - fb) / (a - b);
  const disc = d1 * d1 - ga * gb;
  if (disc < 0) return NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  return b - (b - a) * ((gb + d2 - d1) / (gb - ga + 2 * d2));
}

/**
 * Strong-Wolfe line search from `f0`, `g0` (< 0) with first trial step `a1`.
 *
 * @param c1 sufficient-decrease constant. @param c2 curvature constant.
 */
export function strongWolfe(
  phi: LineFunction,
  f0: number,
  g0: number,
  a1 = 1,
  c1 = 1e-4,
  c2 = 0.9,
  maxIter = 30,
): LineSearchResult {
  let aPrev = 0, fPrev = f0, gPrev = g0;
  let a = a1;
  for (let i = 0; i < maxIter; i++) {
    const { f, g } = phi(a);
    if (!Number.isFinite(f) || f > f0 + c1 * a * g0 || (i > 0 && f >= fPrev)) {
      return zoom(
        phi,
        f0,
        g0,
        aPrev,
        fPrev,
        gPrev,
        a,
        Number.isFinite(f) ? f : Infinity,
        g,
        c1,
        c2,
      );
    }
    if (Math.abs(g) <= -c2 * g0) return { a, f, g, ok: true };
    if (g >= 0) return zoom(phi, f0, g0, a, f, g, aPrev, fPrev, gPrev, c1, c2);
    aPrev = a;
    fPrev = f;
    gPrev = g;
    a *= 2;
  }
  return { a: aPrev, f: fPrev, g: gPrev, ok: fPrev < f0 };
}

function zoom(
  phi: LineFunction,
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
): LineSearchResult {
  for (let i = 0; i < 40; i++) {
    let a = Number.isFinite(fhi) ? cubicMin(lo, flo, glo, hi, fhi, ghi) : NaN;
    const span = hi - lo;
    if (!Number.isFinite(a) || (a - lo) / span < 0.1 || (a - lo) / span > 0.9) a = lo + 0.5 * span;
    const { f, g } = phi(a);
    if (!Number.isFinite(f) || f > f0 + c1 * a * g0 || f >= flo) {
      hi = a;
      fhi = Number.isFinite(f) ? f : Infinity;
      ghi = g;
    } else {
      if (Math.abs(g) <= -c2 * g0) return { a, f, g, ok: true };
      if (g * (hi - lo) >= 0) {
        hi = lo;
        fhi = flo;
        ghi = glo;
      }
      lo = a;
      flo = f;
      glo = g;
    }
    if (Math.abs(hi - lo) < 1e-16 * Math.max(1, Math.abs(lo))) break;
  }
  return { a: lo, f: flo, g: glo, ok: flo < f0 };
}

/**
 * The objective along `x + a·p` for `strongWolfe`: value and directional derivative, writing
 * the trial point into `xNew` and its gradient into `gNew` (workspaces owned by the caller).
 */
export function alongDirection(
  f: (x: Float64Array) => number,
  grad: (x: Float64Array, out: Float64Array) => void,
  x: Float64Array,
  p: Float64Array,
  xNew: Float64Array,
  gNew: Float64Array,
): LineFunction {
  const n = x.length;
  return (a: number) => {
    for (let i = 0; i < n; i++) xNew[i] = x[i] + a * p[i];
    const fv = f(xNew);
    if (!Number.isFinite(fv)) return { f: fv, g: NaN };
    grad(xNew, gNew);
    let d = 0;
    for (let i = 0; i < n; i++) d += gNew[i] * p[i];
    return { f: fv, g: d };
  };
}
