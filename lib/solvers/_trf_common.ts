/**
 * Kernels of the trust-region-reflective least-squares solver, after scipy's
 * `optimize/_lsq/common.py`: the exact trust-region subproblem on an SVD (Moré 1978, sec. 4),
 * quadratic models along a line, step lengths to bounds, the Coleman–Li scaling vector, and the
 * termination test. Vectors are `Float64Array`s of length n (variables) or m (residuals);
 * matrices are column-major m×n.
 *
 * @module
 */

const EPS = 2.220446049250313e-16;

/** Euclidean norm of `x[0..n)`. */
export function norm2(x: Float64Array, n: number = x.length): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i] * x[i];
  return Math.sqrt(s);
}

/** Dot product of `a[0..n)` and `b[0..n)`. */
export function dot(a: Float64Array, b: Float64Array, n: number = a.length): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i] * b[i];
  return s;
}

/** `out = J·s` for column-major m×n `J`. */
export function matvec(
  j: Float64Array,
  m: number,
  n: number,
  s: Float64Array,
  out: Float64Array,
): Float64Array {
  out.fill(0, 0, m);
  for (let c = 0; c < n; c++) {
    const sc = s[c];
    if (sc === 0) continue;
    const o = c * m;
    for (let i = 0; i < m; i++) out[i] += j[o + i] * sc;
  }
  return out;
}

/**
 * Solves `min ‖J p + f‖` subject to `‖p‖ ≤ Δ` from the SVD `J = U diag(s) Vᵀ` (given
 * `uf = Uᵀf`), by Newton's method on the secular equation (Moré 1978). Writes `p` and returns
 * the Levenberg–Marquardt parameter α used. `suf` and `tmp` are length-n workspaces.
 */
export function solveLsqTrustRegion(
  n: number,
  m: number,
  uf: Float64Array,
  s: Float64Array,
  v: Float64Array,
  delta: number,
  initialAlpha: number,
  p: Float64Array,
  suf: Float64Array,
  tmp: Float64Array,
): number {
  for (let i = 0; i < n; i++) suf[i] = s[i] * uf[i];
  const fullRank = m >= n && s[n - 1] > EPS * m * s[0];
  if (fullRank) {
    for (let i = 0; i < n; i++) tmp[i] = uf[i] / s[i];
    vecFromV(v, n, tmp, p, -1);
    if (norm2(p, n) <= delta) return 0;
  }
  // phi(alpha) = ‖suf/(s²+α)‖ − Δ and its derivative.
  let phi = 0, phiPrime = 0;
  const phiAt = (alpha: number) => {
    let pn = 0, d3 = 0;
    for (let i = 0; i < n; i++) {
      const den = s[i] * s[i] + alpha;
      const q = suf[i] / den;
      pn += q * q;
      d3 += (suf[i] * suf[i]) / (den * den * den);
    }
    pn = Math.sqrt(pn);
    phi = pn - delta;
    phiPrime = -d3 / pn;
  };
  let alphaUpper = norm2(suf, n) / delta;
  let alphaLower = 0;
  if (fullRank) {
    phiAt(0);
    alphaLower = -phi / phiPrime;
  }
  let alpha = !fullRank && initialAlpha === 0
    ? Math.max(0.001 * alphaUpper, Math.sqrt(alphaLower * alphaUpper))
    : initialAlpha;
  for (let it = 0; it < 10; it++) {
    if (alpha < alphaLower || alpha > alphaUpper) {
      alpha = Math.max(0.001 * alphaUpper, Math.sqrt(alphaLower * alphaUpper));
    }
    phiAt(alpha);
    if (phi < 0) alphaUpper = alpha;
    const ratio = phi / phiPrime;
    alphaLower = Math.max(alphaLower, alpha - ratio);
    alpha -= ((phi + delta) * ratio) / delta;
    if (Math.abs(phi) < 0.01 * delta) break;
  }
  for (let i = 0; i < n; i++) tmp[i] = suf[i] / (s[i] * s[i] + alpha);
  vecFromV(v, n, tmp, p, -1);
  const pn = norm2(p, n);
  if (pn > 0) { for (let i = 0; i < n; i++) p[i] *= delta / pn; }
  return alpha;
}

/** `out = sign · V·c` for column-major n×n `V`. */
function vecFromV(v: Float64Array, n: number, c: Float64Array, out: Float64Array, sign: number) {
  out.fill(0, 0, n);
  for (let k = 0; k < n; k++) {
    const ck = sign * c[k];
    const o = k * n;
    for (let i = 0; i < n; i++) out[i] += v[o + i] * ck;
  }
}

/**
 * Trust-region radius update: returns `[newDelta, ratio]` from actual vs predicted reduction.
 */
export function updateTrRadius(
  delta: number,
  actual: number,
  predicted: number,
  stepNorm: number,
  boundHit: boolean,
): [number, number] {
  let ratio: number;
  if (predicted > 0) ratio = actual / predicted;
  else if (predicted === actual && actual === 0) ratio = 1;
  else ratio = 0;
  if (ratio < 0.25) delta = 0.25 * stepNorm;
  else if (ratio > 0.75 && boundHit) delta *= 2;
  return [delta, ratio];
}

/**
 * Value of the quadratic model `½‖J s‖² + ½ sᵀ diag(d) s + gᵀ s` (J column-major m×n; `diag`
 * may be null). `js` is a length-m workspace.
 */
export function evaluateQuadratic(
  j: Float64Array,
  m: number,
  n: number,
  g: Float64Array,
  s: Float64Array,
  diag: Float64Array | null,
  js: Float64Array,
): number {
  matvec(j, m, n, s, js);
  let q = dot(js, js, m);
  if (diag) { for (let i = 0; i < n; i++) q += s[i] * diag[i] * s[i]; }
  return 0.5 * q + dot(s, g, n);
}

/**
 * Coefficients `[a, b, c]` of the 1-D quadratic `a t² + b t + c` of the model along
 * `s0 + t·s` (`s0` may be null: then c = 0). `u`, `w` are length-m workspaces.
 */
export function buildQuadratic1d(
  j: Float64Array,
  m: number,
  n: number,
  g: Float64Array,
  s: Float64Array,
  diag: Float64Array | null,
  s0: Float64Array | null,
  u: Float64Array,
  w: Float64Array,
): [number, number, number] {
  matvec(j, m, n, s, w);
  let a = dot(w, w, m);
  if (diag) { for (let i = 0; i < n; i++) a += s[i] * diag[i] * s[i]; }
  a *= 0.5;
  let b = dot(g, s, n);
  let c = 0;
  if (s0) {
    matvec(j, m, n, s0, u);
    b += dot(u, w, m);
    c = 0.5 * dot(u, u, m) + dot(g, s0, n);
    if (diag) {
      for (let i = 0; i < n; i++) {
        b += s0[i] * diag[i] * s[i];
        c += 0.5 * s0[i] * diag[i] * s0[i];
      }
    }
  }
  return [a, b, c];
}

/** Minimises `a t² + b t + c` on `[lb, ub]`: returns `[t, value]`. */
export function minimizeQuadratic1d(
  a: number,
  b: number,
  lb: number,
  ub: number,
  c = 0,
): [number, number] {
  let bestT = lb, bestY = lb * (a * lb + b) + c;
  const yu = ub * (a * ub + b) + c;
  if (yu < bestY) {
    bestT = ub;
    bestY = yu;
  }
  if (a !== 0) {
    const ext = (-0.5 * b) / a;
    if (lb < ext && ext < ub) {
      const ye = ext * (a * ext + b) + c;
      if (ye < bestY) {
        bestT = ext;
        bestY = ye;
      }
    }
  }
  return [bestT, bestY];
}

/**
 * The two roots `t1 ≤ t2` of `‖x + t s‖ = Δ` (x inside the region).
 */
export function intersectTrustRegion(
  x: Float64Array,
  s: Float64Array,
  delta: number,
  n: number,
): [number, number] {
  const a = dot(s, s, n);
  if (a === 0) throw new RangeError("intersectTrustRegion: the direction s is zero");
  const b = dot(x, s, n);
  const c = dot(x, x, n) - delta * delta;
  const d = Math.sqrt(Math.max(0, b * b - a * c));
  const q = -(b + (b >= 0 ? d : -d));
  const t1 = q / a, t2 = c / q;
  return t1 < t2 ? [t1, t2] : [t2, t1];
}

/** Whether `lb ≤ x ≤ ub` componentwise. */
export function inBounds(x: Float64Array, lb: Float64Array, ub: Float64Array, n: number): boolean {
  for (let i = 0; i < n; i++) if (!(x[i] >= lb[i] && x[i] <= ub[i])) return false;
  return true;
}

/**
 * Smallest step `t` along `s` from `x` to reach a bound; `hits[i]` gets sign(s_i) for the
 * components that reach it at `t` and 0 otherwise.
 */
export function stepSizeToBound(
  x: Float64Array,
  s: Float64Array,
  lb: Float64Array,
  ub: Float64Array,
  n: number,
  hits: Int8Array | null,
  steps: Float64Array,
): number {
  let min = Infinity;
  for (let i = 0; i < n; i++) {
    if (s[i] === 0) steps[i] = Infinity;
    else steps[i] = Math.max((lb[i] - x[i]) / s[i], (ub[i] - x[i]) / s[i]);
    if (steps[i] < min) min = steps[i];
  }
  if (hits) {
    for (let i = 0; i < n; i++) hits[i] = steps[i] === min ? (s[i] > 0 ? 1 : s[i] < 0 ? -1 : 0) : 0;
  }
  return min;
}

/** Active-constraint mask: -1 on the lower bound, 1 on the upper, 0 free (scipy's rule). */
export function findActiveConstraints(
  x: Float64Array,
  lb: Float64Array,
  ub: Float64Array,
  rtol: number,
  out: Int8Array,
): Int8Array {
  for (let i = 0; i < x.length; i++) {
    out[i] = 0;
    if (rtol === 0) {
      if (x[i] <= lb[i]) out[i] = -1;
      if (x[i] >= ub[i]) out[i] = 1;
      continue;
    }
    const ld = x[i] - lb[i], ud = ub[i] - x[i];
    const lt = rtol * Math.max(1, Math.abs(lb[i])), ut = rtol * Math.max(1, Math.abs(ub[i]));
    if (Number.isFinite(lb[i]) && ld <= Math.min(ud, lt)) out[i] = -1;
    if (Number.isFinite(ub[i]) && ud <= Math.min(ld, ut)) out[i] = 1;
  }
  return out;
}

/** Moves `x` (in place) strictly inside the bounds, as scipy's `make_strictly_feasible`. */
export function makeStrictlyFeasible(
  x: Float64Array,
  lb: Float64Array,
  ub: Float64Array,
  rstep: number,
  active: Int8Array,
): void {
  findActiveConstraints(x, lb, ub, rstep, active);
  for (let i = 0; i < x.length; i++) {
    if (active[i] === -1) {
      x[i] = rstep === 0 ? nextAfter(lb[i], ub[i]) : lb[i] + rstep * Math.max(1, Math.abs(lb[i]));
    } else if (active[i] === 1) {
      x[i] = rstep === 0 ? nextAfter(ub[i], lb[i]) : ub[i] - rstep * Math.max(1, Math.abs(ub[i]));
    }
    if (x[i] < lb[i] || x[i] > ub[i]) x[i] = 0.5 * (lb[i] + ub[i]);
  }
}

const f64 = new Float64Array(1);
const u64 = new BigInt64Array(f64.buffer);

/** The next double after `x` in the direction of `toward` (C's `nextafter`). */
export function nextAfter(x: number, toward: number): number {
  if (Number.isNaN(x) || Number.isNaN(toward)) return NaN;
  if (x === toward) return toward;
  if (x === 0) return toward > 0 ? 5e-324 : -5e-324;
  f64[0] = x;
  if ((toward > x) === (x > 0)) u64[0] += 1n;
  else u64[0] -= 1n;
  return f64[0];
}

/**
 * Coleman–Li scaling vector `v` and its derivative sign `dv` (both length n).
 */
export function clScalingVector(
  x: Float64Array,
  g: Float64Array,
  lb: Float64Array,
  ub: Float64Array,
  v: Float64Array,
  dv: Float64Array,
): void {
  for (let i = 0; i < x.length; i++) {
    v[i] = 1;
    dv[i] = 0;
    if (g[i] < 0 && Number.isFinite(ub[i])) {
      v[i] = ub[i] - x[i];
      dv[i] = -1;
    }
    if (g[i] > 0 && Number.isFinite(lb[i])) {
      v[i] = x[i] - lb[i];
      dv[i] = 1;
    }
  }
}

/** scipy's `check_termination`: 4 both, 2 ftol, 3 xtol, 0 none. */
export function checkTermination(
  dF: number,
  F: number,
  dxNorm: number,
  xNorm: number,
  ratio: number,
  ftol: number,
  xtol: number,
): number {
  const fOk = dF < ftol * F && ratio > 0.25;
  const xOk = dxNorm < xtol * (xtol + xNorm);
  return fOk && xOk ? 4 : fOk ? 2 : xOk ? 3 : 0;
}
