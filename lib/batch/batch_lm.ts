/**
 * The batched Levenberg-Marquardt algorithm shared by the CPU and GPU paths of `fitBatch`, here
 * in f64 on the CPU. It is Gpufit's algorithm (Przybylski et al., Sci. Rep. 7, 15722 (2017)):
 * per fit, normal equations `(JᵀJ + λ·diag(JᵀJ)) δ = −Jᵀr` solved by Cholesky, λ divided by 10
 * after a step that lowers chi-square and multiplied by 10 otherwise, steps projected onto the
 * bounds, convergence when a step (taken or rejected, as in Gpufit) changes chi-square by at
 * most `tol` relative. The GPU kernel
 * (`gpu/lm_kernel.wgsl.ts`) is the same loop in WGSL and f32, so both paths give the same
 * answers to float32 precision.
 *
 * Status per fit: 0 converged, 1 reached maxIter, 2 singular normal equations.
 *
 * @module
 */

/** Evaluates the model and its partial derivatives at one point: out = [f, ∂f/∂p_0, …]. */
export type PointKernel = (slots: Float64Array, out: Float64Array, outOffset: number) => void;

/** A batch of independent fits of one model. */
export interface BatchProblem {
  /** Number of fits (datasets). */
  nFits: number;
  /** Points per dataset. */
  nPoints: number;
  /** Parameters of the model (free and fixed). */
  nParams: number;
  /** Independent variables by name: length nPoints (shared) or nFits·nPoints (per fit). */
  vars: Float64Array[];
  /** Whether the independent variables differ per fit. */
  varsPerFit: boolean;
  /** Data, nFits·nPoints. */
  y: ArrayLike<number>;
  /** Weights: none, shared (nPoints) or per fit (nFits·nPoints). */
  weights: ArrayLike<number> | null;
  /** Start values, nFits·nParams. */
  start: Float64Array;
  /**
   * The start values when every fit starts from the same ones (`start` then repeats this row and
   * may be built only when read).
   */
  startRow?: Float64Array | null;
  /** Bounds per parameter (±Infinity for none). */
  lower: Float64Array;
  upper: Float64Array;
  /** 1 for a varied parameter, 0 for a fixed one. */
  free: Uint8Array;
}

/** Settings of the batched LM. */
export interface BatchLmSettings {
  /** Maximum iterations per fit. @default 200 */
  maxIter: number;
  /** Relative chi-square change of a step (taken or rejected) that counts as converged. @default 1e-6 */
  tol: number;
}

/** Per-fit outputs. */
export interface BatchLmOutput {
  /** Fitted values, nFits·nParams. */
  values: Float64Array;
  /** Chi-square per fit. */
  chisqr: Float64Array;
  /** Iterations per fit. */
  nIter: Int32Array;
  /** Status per fit: 0 converged, 1 max-iter, 2 singular (`BatchResult.statusCode`'s codes). */
  statusCode: Int32Array;
}

/** Per-fit outputs with the statistics: what the GPU path and each CPU worker hand back. */
export interface BatchFitArrays extends BatchLmOutput {
  /** Standard errors, nFits × P. */
  stderr: Float64Array;
  /** Correlations, nFits × F(F−1)/2 pairs of free parameters. */
  correl: Float64Array;
}

/** Workspace of one fit, allocated once per batch. */
class Work {
  readonly slots: Float64Array;
  readonly ev: Float64Array;
  readonly H: Float64Array;
  readonly A: Float64Array;
  readonly g: Float64Array;
  readonly delta: Float64Array;
  readonly p: Float64Array;
  readonly pn: Float64Array;
  constructor(P: number, nVars: number) {
    this.slots = new Float64Array(P + nVars);
    this.ev = new Float64Array(P + 1);
    this.H = new Float64Array(P * P);
    this.A = new Float64Array(P * P);
    this.g = new Float64Array(P);
    this.delta = new Float64Array(P);
    this.p = new Float64Array(P);
    this.pn = new Float64Array(P);
  }
}

/**
 * Chi-square at `p` for fit `b`, and (with `withJ`) JᵀJ and Jᵀr over the free parameters.
 * Returns chi-square (NaN when the model is not finite).
 */
export function accumulate(
  prob: BatchProblem,
  kernel: PointKernel,
  b: number,
  p: Float64Array,
  w: Work,
  withJ: boolean,
): number {
  const { nPoints: N, nParams: P, vars, varsPerFit, y, weights, free } = prob;
  const { slots, ev, H, g } = w;
  for (let k = 0; k < P; k++) slots[k] = p[k];
  if (withJ) {
    H.fill(0);
    g.fill(0);
  }
  const wPer = weights !== null && weights.length === prob.nFits * N;
  let chi2 = 0;
  const base = b * N;
  for (let i = 0; i < N; i++) {
    const vi = varsPerFit ? base + i : i;
    for (let v = 0; v < vars.length; v++) slots[P + v] = vars[v][vi];
    kernel(slots, ev, 0);
    const wt = weights === null ? 1 : weights[wPer ? base + i : i];
    const r = (ev[0] - y[base + i]) * wt;
    chi2 += r * r;
    if (withJ) {
      for (let a = 0; a < P; a++) {
        if (!free[a]) continue;
        const ja = ev[a + 1] * wt;
        g[a] += ja * r;
        for (let c = 0; c <= a; c++) if (free[c]) H[a * P + c] += ja * ev[c + 1] * wt;
      }
    }
  }
  if (withJ) {
    for (let a = 0; a < P; a++) {
      for (let c = 0; c < a; c++) H[c * P + a] = H[a * P + c];
    }
  }
  return chi2;
}

/** Solves A δ = −g in place by Cholesky over the free parameters; false if not positive definite. */
function choleskySolve(
  A: Float64Array,
  g: Float64Array,
  delta: Float64Array,
  free: Uint8Array,
  P: number,
): boolean {
  for (let a = 0; a < P; a++) {
    if (!free[a]) continue;
    for (let c = 0; c <= a; c++) {
      if (!free[c]) continue;
      let s = A[a * P + c];
      for (let k = 0; k < c; k++) if (free[k]) s -= A[a * P + k] * A[c * P + k];
      if (a === c) {
        if (!(s > 0)) return false;
        A[a * P + a] = Math.sqrt(s);
      } else A[a * P + c] = s / A[c * P + c];
    }
  }
  for (let a = 0; a < P; a++) {
    if (!free[a]) {
      delta[a] = 0;
      continue;
    }
    let s = -g[a];
    for (let k = 0; k < a; k++) if (free[k]) s -= A[a * P + k] * delta[k];
    delta[a] = s / A[a * P + a];
  }
  for (let a = P - 1; a >= 0; a--) {
    if (!free[a]) continue;
    let s = delta[a];
    for (let k = a + 1; k < P; k++) if (free[k]) s -= A[k * P + a] * delta[k];
    delta[a] = s / A[a * P + a];
  }
  return true;
}

/**
 * Fits every dataset of the batch (or the fits `first … last−1`) with the batched LM, into
 * arrays sized for the whole batch (or `into`'s).
 *
 * @example
 * ```ts ignore
 * const out = batchLevenbergMarquardt(problem, kernel, { maxIter: 200, tol: 1e-6 });
 * ```
 */
export function batchLevenbergMarquardt(
  prob: BatchProblem,
  kernel: PointKernel,
  settings: BatchLmSettings,
  first = 0,
  last: number = prob.nFits,
  into?: BatchLmOutput,
): BatchLmOutput {
  const P = prob.nParams;
  const { values, chisqr, nIter, statusCode: status } = into ?? {
    values: new Float64Array(prob.nFits * P),
    chisqr: new Float64Array(prob.nFits),
    nIter: new Int32Array(prob.nFits),
    statusCode: new Int32Array(prob.nFits),
  };
  const w = new Work(P, prob.vars.length);
  const { lower, upper, free } = prob;
  for (let b = first; b < last; b++) {
    const { p, pn, H, A, g, delta } = w;
    for (let k = 0; k < P; k++) {
      p[k] = Math.min(upper[k], Math.max(lower[k], prob.start[b * P + k]));
    }
    let lambda = 1e-3;
    let chi2 = accumulate(prob, kernel, b, p, w, true);
    let st = 1, it = 0;
    for (it = 0; it < settings.maxIter; it++) {
      A.set(H);
      for (let a = 0; a < P; a++) A[a * P + a] = free[a] ? H[a * P + a] * (1 + lambda) : 1;
      if (!choleskySolve(A, g, delta, free, P)) {
        lambda *= 10;
        if (lambda > 1e15) {
          st = 2;
          break;
        }
        continue;
      }
      for (let k = 0; k < P; k++) pn[k] = Math.min(upper[k], Math.max(lower[k], p[k] + delta[k]));
      const chi2n = accumulate(prob, kernel, b, pn, w, false);
      // Gpufit's rule: the step's chi-square change is checked whether the step is taken or
      // not, so a fit whose steps no longer change chi-square beyond the tolerance stops.
      const converged = Math.abs(chi2 - chi2n) <= settings.tol * chi2;
      if (chi2n < chi2) {
        p.set(pn);
        lambda = Math.max(lambda / 10, 1e-15);
        chi2 = accumulate(prob, kernel, b, p, w, true);
        if (converged) {
          st = 0;
          it++;
          break;
        }
      } else {
        // Rejected (including a non-finite chi-square): more damping.
        lambda *= 10;
        if (converged || lambda > 1e15) {
          // No step lowers chi-square beyond the tolerance (or at any damping): at the minimum
          // to working precision.
          st = 0;
          it++;
          break;
        }
      }
    }
    values.set(p, b * P);
    chisqr[b] = chi2;
    nIter[b] = it;
    status[b] = st;
  }
  return { values, chisqr, nIter, statusCode: status };
}

/** f64 statistics of fits at their solutions. */
export interface BatchStatistics {
  /** Chi-square per fit (only the fits first … last−1 are filled). */
  chisqr: Float64Array;
  /** Standard errors, nFits × P, scaled by reduced chi-square as lmfit; 0 for fixed, NaN if singular. */
  stderr: Float64Array;
  /** Correlations, nFits × F(F−1)/2 pairs of free parameters (a < c in free order). */
  correl: Float64Array;
}

/**
 * Chi-square, standard errors and correlations at each solution, in f64: the covariance is
 * (JᵀJ)⁻¹·χ²/(N − F) over the F free parameters (lmfit's scaling), from one Cholesky
 * factorisation of the Jacobi-scaled JᵀJ per fit. Fills the fits `first … last−1` of arrays
 * sized for the whole batch (or of `into`).
 *
 * @example
 * ```ts ignore
 * const stats = batchStatistics(problem, kernel, out.values);
 * ```
 */
export function batchStatistics(
  prob: BatchProblem,
  kernel: PointKernel,
  values: Float64Array,
  first = 0,
  last: number = prob.nFits,
  into?: BatchStatistics,
): BatchStatistics {
  const P = prob.nParams;
  const freeIdx: number[] = [];
  for (let k = 0; k < P; k++) if (prob.free[k]) freeIdx.push(k);
  const F = freeIdx.length, nPairs = (F * (F - 1)) / 2;
  const out = into ?? {
    chisqr: new Float64Array(prob.nFits),
    stderr: new Float64Array(prob.nFits * P),
    correl: new Float64Array(prob.nFits * nPairs),
  };
  const w = new Work(P, prob.vars.length);
  const dof = Math.max(1, prob.nPoints - F);
  const L = new Float64Array(F * F), d = new Float64Array(F), C = new Float64Array(F * F);
  const y = new Float64Array(F);
  for (let b = first; b < last; b++) {
    w.p.set(values.subarray(b * P, b * P + P));
    const chi2 = accumulate(prob, kernel, b, w.p, w, true);
    out.chisqr[b] = chi2;
    let ok = Number.isFinite(chi2);
    for (let a = 0; a < F; a++) {
      d[a] = Math.sqrt(w.H[freeIdx[a] * P + freeIdx[a]]);
      if (!(d[a] > 0)) ok = false;
    }
    // Cholesky of the scaled matrix S = D⁻¹ H D⁻¹ (lower triangle in L).
    for (let a = 0; a < F && ok; a++) {
      for (let c = 0; c <= a && ok; c++) {
        let s = w.H[freeIdx[a] * P + freeIdx[c]] / (d[a] * d[c]);
        for (let k = 0; k < c; k++) s -= L[a * F + k] * L[c * F + k];
        if (a === c) {
          if (!(s > 0)) ok = false;
          else L[a * F + a] = Math.sqrt(s);
        } else L[a * F + c] = s / L[c * F + c];
      }
    }
    if (ok) {
      // C = S⁻¹, column by column.
      for (let col = 0; col < F; col++) {
        for (let a = 0; a < F; a++) {
          let s = a === col ? 1 : 0;
          for (let k = 0; k < a; k++) s -= L[a * F + k] * y[k];
          y[a] = s / L[a * F + a];
        }
        for (let a = F - 1; a >= 0; a--) {
          let s = y[a];
          for (let k = a + 1; k < F; k++) s -= L[k * F + a] * y[k];
          y[a] = s / L[a * F + a];
        }
        for (let a = 0; a < F; a++) C[a * F + col] = y[a];
      }
    }
    const s2 = chi2 / dof;
    for (let k = 0; k < P; k++) out.stderr[b * P + k] = prob.free[k] ? NaN : 0;
    let q = b * nPairs;
    for (let a = 0; a < F; a++) {
      if (ok) out.stderr[b * P + freeIdx[a]] = Math.sqrt(C[a * F + a] * s2) / d[a];
      for (let c = a + 1; c < F; c++) {
        out.correl[q++] = ok ? C[a * F + c] / Math.sqrt(C[a * F + a] * C[c * F + c]) : NaN;
      }
    }
  }
  return out;
}
