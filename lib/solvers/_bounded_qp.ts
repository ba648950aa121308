/**
 * Dense convex quadratic programs for SLSQP and COBYLA, solved the way Kraft's SLSQP does
 * (D. Kraft, "A software package for sequential quadratic programming", DFVLR-FB 88-28, 1988):
 * equality constraints are eliminated by a QR factorization of their matrix, the reduced problem
 * is written as a least-distance program through the Cholesky factor of the reduced Hessian, and
 * the LDP is solved through non-negative least squares (C. L. Lawson and R. J. Hanson, "Solving
 * Least Squares Problems", 1974, ch. 23: NNLS and LDP).
 *
 * @module
 */

import { cholesky } from "../linalg/cholesky.ts";

/**
 * Lawson–Hanson NNLS: minimises ‖E·u − f‖₂ subject to u ≥ 0 for E m×k (column-major).
 * Returns u, or null when the iteration limit (3k) is hit.
 *
 * @example
 * ```ts
 * import { nnls } from "./_bounded_qp.ts";
 * nnls(Float64Array.of(1, 0, 0, 1), 2, 2, Float64Array.of(1, -1)); // [1, 0]
 * ```
 */
export function nnls(E: Float64Array, m: number, k: number, f: Float64Array): Float64Array | null {
  const u = new Float64Array(k), z = new Float64Array(k), w = new Float64Array(k);
  const passive = new Uint8Array(k);
  const res = new Float64Array(m);
  const cols = new Int32Array(k);
  let enorm = 0;
  for (let i = 0; i < m * k; i++) enorm = Math.max(enorm, Math.abs(E[i]));
  const tol = 1e-13 * Math.max(1, enorm);
  const gradient = () => {
    for (let i = 0; i < m; i++) {
      let s = f[i];
      for (let j = 0; j < k; j++) s -= E[i + j * m] * u[j];
      res[i] = s;
    }
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let i = 0; i < m; i++) s += E[i + j * m] * res[i];
      w[j] = s;
    }
  };
  gradient();
  let iter = 0;
  const maxIter = 3 * k + 10;
  while (true) {
    let t = -1, best = tol;
    for (let j = 0; j < k; j++) {
      if (!passive[j] && w[j] > best) {
        best = w[j];
        t = j;
      }
    }
    if (t < 0) return u;
    passive[t] = 1;
    while (true) {
      if (++iter > maxIter) return null;
      let np = 0;
      for (let j = 0; j < k; j++) if (passive[j]) cols[np++] = j;
      if (!leastSquaresColumns(E, m, cols, np, f, z)) {
        // Dependent column: drop the newcomer and stop growing.
        passive[t] = 0;
        return u;
      }
      let allPos = true;
      for (let a = 0; a < np; a++) if (z[cols[a]] <= tol) allPos = false;
      if (allPos) {
        for (let a = 0; a < np; a++) u[cols[a]] = z[cols[a]];
        break;
      }
      let alpha = Infinity;
      for (let a = 0; a < np; a++) {
        const j = cols[a];
        if (z[j] <= tol) alpha = Math.min(alpha, u[j] / (u[j] - z[j]));
      }
      for (let a = 0; a < np; a++) {
        const j = cols[a];
        u[j] += alpha * (z[j] - u[j]);
        if (u[j] <= tol) {
          u[j] = 0;
          passive[j] = 0;
        }
      }
    }
    gradient();
  }
}

/** Least squares on the columns `cols[0..np)` of E by Householder QR; solution into z[cols]. */
function leastSquaresColumns(
  E: Float64Array,
  m: number,
  cols: Int32Array,
  np: number,
  f: Float64Array,
  z: Float64Array,
): boolean {
  if (np > m) return false;
  const A = new Float64Array(m * np), b = Float64Array.from(f);
  for (let a = 0; a < np; a++) A.set(E.subarray(cols[a] * m, cols[a] * m + m), a * m);
  let amax = 0;
  for (let i = 0; i < A.length; i++) amax = Math.max(amax, Math.abs(A[i]));
  for (let j = 0; j < np; j++) {
    let s = 0;
    for (let i = j; i < m; i++) s += A[i + j * m] ** 2;
    let alpha = Math.sqrt(s);
    if (!(alpha > 1e-12 * amax)) return false;
    if (A[j + j * m] > 0) alpha = -alpha;
    A[j + j * m] -= alpha; // v = a − alpha·e_j stored in place
    const vnorm2 = s - 2 * alpha * (A[j + j * m] + alpha) + alpha * alpha;
    // Apply H = I − 2vvᵀ/vᵀv to remaining columns and b.
    for (let c = j + 1; c < np; c++) {
      let dot = 0;
      for (let i = j; i < m; i++) dot += A[i + j * m] * A[i + c * m];
      const sc = 2 * dot / vnorm2;
      for (let i = j; i < m; i++) A[i + c * m] -= sc * A[i + j * m];
    }
    let dot = 0;
    for (let i = j; i < m; i++) dot += A[i + j * m] * b[i];
    const sc = 2 * dot / vnorm2;
    for (let i = j; i < m; i++) b[i] -= sc * A[i + j * m];
    A[j + j * m] = alpha; // R_jj
  }
  for (let j = np - 1; j >= 0; j--) {
    let s = b[j];
    for (let c = j + 1; c < np; c++) s -= A[j + c * m] * z[cols[c]];
    z[cols[j]] = s / A[j + j * m];
  }
  return true;
}

/** Solution of a QP or LDP. */
export interface QpSolution {
  /** The step d. */
  d: Float64Array;
  /** Multipliers of the inequality constraints (≥ 0). */
  lambda: Float64Array;
  /** Multipliers of the equality constraints. */
  mu: Float64Array;
  /** False when the constraints are inconsistent (or the reduced Hessian is not PD). */
  feasible: boolean;
}

/**
 * Least-distance program: min ½‖z‖² subject to G·z ≥ h (G mc×n, row-major). Returns z and the
 * multipliers λ ≥ 0 (z = Gᵀλ), or `feasible: false` when no z satisfies the constraints.
 *
 * @example
 * ```ts
 * import { ldp } from "./_bounded_qp.ts";
 * ldp(Float64Array.of(1, 1), Float64Array.of(2), 1, 2).d; // [1, 1]
 * ```
 */
export function ldp(G: Float64Array, h: Float64Array, mc: number, n: number): QpSolution {
  const out: QpSolution = {
    d: new Float64Array(n),
    lambda: new Float64Array(mc),
    mu: new Float64Array(0),
    feasible: true,
  };
  if (mc === 0) return out;
  let pos = false;
  for (let i = 0; i < mc; i++) if (h[i] > 0) pos = true;
  if (!pos) return out; // z = 0 is feasible and optimal
  const m = n + 1;
  const E = new Float64Array(m * mc), f = new Float64Array(m);
  let scale = 0;
  for (let i = 0; i < mc; i++) scale = Math.max(scale, Math.abs(h[i]));
  // Scale h so that the NNLS problem is well balanced; z scales with it.
  for (let i = 0; i < mc; i++) {
    for (let j = 0; j < n; j++) E[j + i * m] = G[i * n + j];
    E[n + i * m] = h[i] / scale;
  }
  f[n] = 1;
  const u = nnls(E, m, mc, f);
  if (!u) {
    out.feasible = false;
    return out;
  }
  const r = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = -f[i];
    for (let j = 0; j < mc; j++) s += E[i + j * m] * u[j];
    r[i] = s;
  }
  const den = -r[n];
  if (!(den > 1e-14)) {
    out.feasible = false;
    return out;
  }
  for (let j = 0; j < n; j++) out.d[j] = scale * r[j] / den;
  for (let i = 0; i < mc; i++) out.lambda[i] = scale * u[i] / den;
  // Verify feasibility (NNLS can stop short on degenerate problems).
  for (let i = 0; i < mc; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += G[i * n + j] * out.d[j];
    if (s < h[i] - 1e-8 * (Math.abs(h[i]) + scale)) out.feasible = false;
  }
  return out;
}

/**
 * Strictly convex QP: min ½dᵀBd + gᵀd subject to Aeq·d = beq, Ain·d ≥ bin (B n×n symmetric
 * positive definite; Aeq me×n and Ain mi×n row-major).
 *
 * @example
 * ```ts
 * import { solveQp } from "./_bounded_qp.ts";
 * // min ½|d|² − d₀ − d₁ s.t. d₀ + d₁ = 1 → d = (0.5, 0.5)
 * solveQp(Float64Array.of(1, 0, 0, 1), Float64Array.of(-1, -1), Float64Array.of(1, 1), Float64Array.of(1), new Float64Array(0), new Float64Array(0), 2).d;
 * ```
 */
export function solveQp(
  B: Float64Array,
  g: Float64Array,
  Aeq: Float64Array,
  beq: Float64Array,
  Ain: Float64Array,
  bin: Float64Array,
  n: number,
): QpSolution {
  const me = beq.length, mi = bin.length;
  const fail: QpSolution = {
    d: new Float64Array(n),
    lambda: new Float64Array(mi),
    mu: new Float64Array(me),
    feasible: false,
  };
  if (me > n) return fail;
  // QR of Aeqᵀ (n×me) by Householder: Q (n×n, column-major), R1 (me×me upper).
  const Q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) Q[i + i * n] = 1;
  const A = new Float64Array(n * me);
  for (let r = 0; r < me; r++) for (let j = 0; j < n; j++) A[j + r * n] = Aeq[r * n + j];
  const v = new Float64Array(n);
  for (let k = 0; k < me; k++) {
    let s = 0;
    for (let i = k; i < n; i++) s += A[i + k * n] ** 2;
    let alpha = Math.sqrt(s);
    if (!(alpha > 1e-14)) return fail; // dependent equality constraints
    if (A[k + k * n] > 0) alpha = -alpha;
    v.fill(0);
    for (let i = k; i < n; i++) v[i] = A[i + k * n];
    v[k] -= alpha;
    let vv = 0;
    for (let i = k; i < n; i++) vv += v[i] * v[i];
    for (let c = k; c < me; c++) {
      let dot = 0;
      for (let i = k; i < n; i++) dot += v[i] * A[i + c * n];
      const sc = 2 * dot / vv;
      for (let i = k; i < n; i++) A[i + c * n] -= sc * v[i];
    }
    // Q ← Q·H (accumulate columns).
    for (let r = 0; r < n; r++) {
      let dot = 0;
      for (let i = k; i < n; i++) dot += Q[r + i * n] * v[i];
      const sc = 2 * dot / vv;
      for (let i = k; i < n; i++) Q[r + i * n] -= sc * v[i];
    }
  }
  // y1 from R1ᵀ y1 = beq (forward substitution; R1[i][j] = A[i + j n]).
  const y1 = new Float64Array(me);
  for (let i = 0; i < me; i++) {
    let s = beq[i];
    for (let j = 0; j < i; j++) s -= A[j + i * n] * y1[j];
    y1[i] = s / A[i + i * n];
  }
  const nr = n - me;
  const d1 = new Float64Array(n); // Q1 y1
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < me; j++) s += Q[i + j * n] * y1[j];
    d1[i] = s;
  }
  const y2 = new Float64Array(nr);
  const lambda = new Float64Array(mi);
  if (nr > 0) {
    // Reduced Hessian H = Q2ᵀ B Q2 and gradient q = Q2ᵀ (B d1 + g).
    const BQ2 = new Float64Array(n * nr);
    for (let c = 0; c < nr; c++) {
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += B[i * n + j] * Q[j + (me + c) * n];
        BQ2[i + c * n] = s;
      }
    }
    const H = new Float64Array(nr * nr);
    for (let a = 0; a < nr; a++) {
      for (let b = 0; b < nr; b++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += Q[i + (me + a) * n] * BQ2[i + b * n];
        H[a + b * nr] = s;
      }
    }
    for (let a = 0; a < nr; a++) {
      for (let b = 0; b < a; b++) {
        H[a + b * nr] = H[b + a * nr] = 0.5 * (H[a + b * nr] + H[b + a * nr]);
      }
    }
    const q = new Float64Array(nr);
    const bd = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = g[i];
      for (let j = 0; j < n; j++) s += B[i * n + j] * d1[j];
      bd[i] = s;
    }
    for (let a = 0; a < nr; a++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += Q[i + (me + a) * n] * bd[i];
      q[a] = s;
    }
    const L = cholesky(H, nr);
    if (!L) return fail;
    const forward = (x: Float64Array) => {
      for (let i = 0; i < nr; i++) {
        let s = x[i];
        for (let j = 0; j < i; j++) s -= L[i + j * nr] * x[j];
        x[i] = s / L[i + i * nr];
      }
    };
    forward(q); // q̃ = L⁻¹ q
    // G̃ = (Ain Q2) L⁻ᵀ, h̃ = bin − Ain d1 + G̃ q̃.
    const Gt = new Float64Array(mi * nr), ht = new Float64Array(mi), row = new Float64Array(nr);
    for (let r = 0; r < mi; r++) {
      let ad1 = 0;
      for (let j = 0; j < n; j++) ad1 += Ain[r * n + j] * d1[j];
      for (let a = 0; a < nr; a++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += Ain[r * n + j] * Q[j + (me + a) * n];
        row[a] = s;
      }
      forward(row);
      let gq = 0;
      for (let a = 0; a < nr; a++) {
        Gt[r * nr + a] = row[a];
        gq += row[a] * q[a];
      }
      ht[r] = bin[r] - ad1 + gq;
    }
    const sol = ldp(Gt, ht, mi, nr);
    if (!sol.feasible) return fail;
    lambda.set(sol.lambda);
    // y2 = L⁻ᵀ (z − q̃)
    for (let a = 0; a < nr; a++) y2[a] = sol.d[a] - q[a];
    for (let i = nr - 1; i >= 0; i--) {
      let s = y2[i];
      for (let j = i + 1; j < nr; j++) s -= L[j + i * nr] * y2[j];
      y2[i] = s / L[i + i * nr];
    }
  } else {
    for (let r = 0; r < mi; r++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += Ain[r * n + j] * d1[j];
      if (s < bin[r] - 1e-10 * (1 + Math.abs(bin[r]))) return fail;
    }
  }
  const d = Float64Array.from(d1);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let a = 0; a < nr; a++) s += Q[i + (me + a) * n] * y2[a];
    d[i] += s;
  }
  // μ from R1 μ = Q1ᵀ (B d + g − Ainᵀ λ).
  const mu = new Float64Array(me);
  if (me > 0) {
    const t = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = g[i];
      for (let j = 0; j < n; j++) s += B[i * n + j] * d[j];
      for (let r = 0; r < mi; r++) s -= Ain[r * n + i] * lambda[r];
      t[i] = s;
    }
    for (let a = 0; a < me; a++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += Q[i + a * n] * t[i];
      mu[a] = s;
    }
    for (let i = me - 1; i >= 0; i--) {
      let s = mu[i];
      for (let j = i + 1; j < me; j++) s -= A[i + j * n] * mu[j];
      mu[i] = s / A[i + i * n];
    }
  }
  return { d, lambda, mu, feasible: true };
}
