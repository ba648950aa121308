/**
 * L-BFGS-B: limited-memory BFGS with bounds (R. H. Byrd, P. Lu, J. Nocedal and C. Zhu, "A limited
 * memory algorithm for bound constrained optimization", SIAM J. Sci. Comput. 16, 1995; with the
 * subspace-step projection of J. L. Morales and J. Nocedal, ACM TOMS 38, 2011 — "L-BFGS-B 3.0",
 * the version behind scipy's `minimize(method="L-BFGS-B")`).
 *
 * Each iteration
 * 1. finds the generalized Cauchy point: the first local minimizer of the quadratic model
 *    m(x) = gᵀ(x−xₖ) + ½(x−xₖ)ᵀB(x−xₖ) along the projected steepest-descent path, visiting
 *    the breakpoints in order with the compact representation B = θI − W M Wᵀ (W = [Y θS]);
 * 2. minimizes the model over the variables that are free at the Cauchy point (direct primal
 *    method, Sherman–Morrison–Woodbury on the compact form); the result is projected onto the
 *    box, and truncated instead when the projection is not a descent direction;
 * 3. runs a Moré–Thuente line search along the step with the largest feasible step as maximum;
 * 4. updates the m most recent correction pairs (skipped when sᵀy ≤ ε·(−stp·gᵀd)).
 *
 * A failed line search discards the memory and retries once from steepest descent, as the
 * Fortran code does. Gradients by box-respecting forward differences unless `grad` is given.
 *
 * | status | meaning |
 * |---|---|
 * | 0 | converged: projected gradient ∞-norm ≤ pgtol, or relative reduction of f ≤ ftol |
 * | 1 | maxfev or maxiter reached |
 * | 2 | abnormal termination in the line search (twice in a row) |
 * | 3 | the objective is not finite at the start |
 * | -1 | aborted by the callback |
 *
 * @module
 */

import type { GradientFunction, IterationCallback, ScalarFunction, SolverResult } from "./types.ts";
import {
  boundedObjective,
  gaussSolve,
  project,
  projectedGradientNorm,
  resolveBox,
} from "./_bounded_common.ts";
import { moreThuente } from "./_bounded_line_search.ts";
import { checkOptions, optionKeys } from "../util/options.ts";

/**
 * Options of `lbfgsb`.
 *
 * @example
 * ```ts
 * import { lbfgsb, type LbfgsbOptions } from "./lbfgsb.ts";
 * const options: LbfgsbOptions = {
 *   lower: Float64Array.of(-2, 0), upper: Float64Array.of(2, 2), m: 5, gtol: 1e-8,
 * };
 * lbfgsb((x) => (x[0] - 3) ** 2 + (x[1] + 1) ** 2, Float64Array.of(0, 0), options).x; // ≈ [2, 0]
 * ```
 *
 * @category Solvers
 */
export interface LbfgsbOptions {
  /** Lower bounds (−Infinity for none). @default all −Infinity */
  lower?: Float64Array;
  /** Upper bounds (+Infinity for none). @default all +Infinity */
  upper?: Float64Array;
  /** Gradient of the objective; box-respecting finite differences when absent. @default undefined */
  grad?: GradientFunction;
  /** Finite-difference scheme when `grad` is absent. @default "forward" */
  fdMethod?: "forward" | "central";
  /** Number of correction pairs kept (scipy's `maxcor`). @default 10 */
  m?: number;
  /** Stop when (f_k − f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) ≤ ftol (factr·ε). @default 2.220446049250313e-9 */
  ftol?: number;
  /** Stop when the projected gradient's ∞-norm ≤ gtol (scipy's `pgtol`). @default 1e-5 */
  gtol?: number;
  /** Maximum iterations. @default 15000 */
  maxiter?: number;
  /** Maximum objective evaluations (finite differences included). @default 15000 */
  maxfev?: number;
  /** Maximum evaluations per line search. @default 20 */
  maxls?: number;
  /** Called each iteration with the current point; `true` aborts. @default undefined */
  callback?: IterationCallback;
}

/** Status messages of `lbfgsb`, by status code. */
export const LBFGSB_MESSAGES: Readonly<Record<number, string>> = Object.freeze({
  0: "CONVERGENCE: NORM OF PROJECTED GRADIENT <= PGTOL",
  1: "STOP: TOTAL NO. OF FUNCTION EVALUATIONS OR ITERATIONS EXCEEDS LIMIT",
  2: "ABNORMAL TERMINATION IN LNSRCH",
  3: "The objective is not finite at the starting point.",
  [-1]: "Aborted by the iteration callback.",
});

/** Message of a status-0 stop on the relative reduction of f. */
export const LBFGSB_FTOL_MESSAGE = "CONVERGENCE: RELATIVE REDUCTION OF F <= FACTR*EPSMCH";

const EPS = 2.220446049250313e-16;

/**
 * Minimises `fun` from `x0` within `[lower, upper]` by L-BFGS-B. A start outside the box is
 * projected onto it first.
 *
 * @example
 * ```ts
 * import { lbfgsb } from "./lbfgsb.ts";
 * const f = (x: Float64Array) => (x[0] - 3) ** 2 + (x[1] + 1) ** 2;
 * const r = lbfgsb(f, Float64Array.of(0, 0), { lower: Float64Array.of(-2, 0), upper: Float64Array.of(2, 2) });
 * r.x; // ≈ [2, 0]: both bounds active
 * ```
 *
 * @category Solvers
 */
export function lbfgsb(
  fun: ScalarFunction,
  x0: Float64Array,
  options: LbfgsbOptions = {},
): SolverResult {
  checkOptions(options, LBFGSB_OPTION_KEYS, "lbfgsb");
  const n = x0.length;
  const { lower, upper, bounded } = resolveBox(n, options.lower, options.upper);
  const mMax = options.m ?? 10;
  if (!(mMax >= 1 && Number.isInteger(mMax))) {
    throw new RangeError(`m = ${mMax}: give a positive integer`);
  }
  const ftol = options.ftol ?? 2.220446049250313e-9;
  const gtol = options.gtol ?? 1e-5;
  const maxiter = options.maxiter ?? 15000;
  const maxfev = options.maxfev ?? 15000;
  const maxls = options.maxls ?? 20;
  const obj = boundedObjective(fun, n, options.grad, options.fdMethod ?? "forward", lower, upper);
  let boxed = true;
  for (let i = 0; i < n; i++) if (!(lower[i] > -Infinity && upper[i] < Infinity)) boxed = false;

  // Workspaces, allocated once.
  const x = Float64Array.from(x0);
  project(x, lower, upper);
  const g = new Float64Array(n), xcp = new Float64Array(n), xbar = new Float64Array(n);
  const d = new Float64Array(n), dcp = new Float64Array(n), tbrk = new Float64Array(n);
  const xt = new Float64Array(n), gt = new Float64Array(n), r = new Float64Array(n);
  const order = new Int32Array(n), freeIdx = new Int32Array(n);
  const S = new Float64Array(n * mMax), Y = new Float64Array(n * mMax); // column k at k·n
  const m2 = 2 * mMax;
  const K = new Float64Array(m2 * m2),
    M = new Float64Array(m2 * m2),
    Kw = new Float64Array(m2 * m2);
  const colv = new Float64Array(m2), p = new Float64Array(m2), c = new Float64Array(m2);
  const Mp = new Float64Array(m2),
    Mc = new Float64Array(m2),
    wb = new Float64Array(m2),
    Mwb = new Float64Array(m2);
  const Nmat = new Float64Array(m2 * m2), v = new Float64Array(m2), WtW = new Float64Array(m2 * m2);
  let col = 0, theta = 1;

  const row = (i: number, out: Float64Array) => {
    for (let k = 0; k < col; k++) {
      out[k] = Y[k * n + i];
      out[col + k] = theta * S[k * n + i];
    }
  };
  const matvec = (A: Float64Array, vin: Float64Array, vout: Float64Array, size: number) => {
    for (let i = 0; i < size; i++) {
      let s = 0;
      for (let j = 0; j < size; j++) s += A[i * size + j] * vin[j];
      vout[i] = s;
    }
  };
  /** Rebuilds M = [[−D, Lᵀ], [L, θSᵀS]]⁻¹ (2col × 2col, row-major). False if singular. */
  const formM = (): boolean => {
    const s2 = 2 * col;
    for (let i = 0; i < col; i++) {
      for (let j = 0; j < col; j++) {
        let sy = 0, ss = 0;
        for (let t = 0; t < n; t++) {
          sy += S[i * n + t] * Y[j * n + t];
          ss += S[i * n + t] * S[j * n + t];
        }
        K[i * s2 + j] = i === j ? -sy : 0; // −D
        K[(col + i) * s2 + col + j] = theta * ss;
        // L_ij = s_iᵀy_j for i > j; block (2,1) is L, block (1,2) is Lᵀ.
        const lij = i > j ? sy : 0;
        K[(col + i) * s2 + j] = lij;
        K[j * s2 + col + i] = lij;
      }
    }
    for (let jc = 0; jc < s2; jc++) {
      Kw.set(K.subarray(0, s2 * s2));
      colv.fill(0, 0, s2);
      colv[jc] = 1;
      if (!gaussSolve(Kw, colv, s2)) return false;
      for (let i = 0; i < s2; i++) M[i * s2 + jc] = colv[i];
    }
    return true;
  };

  /** Generalized Cauchy point into xcp, and c = Wᵀ(xcp − x). */
  const cauchy = () => {
    const s2 = 2 * col;
    let nbrk = 0;
    let fp = 0;
    for (let i = 0; i < n; i++) {
      const gi = g[i];
      let ti = Infinity;
      if (gi < 0 && upper[i] < Infinity) ti = (x[i] - upper[i]) / gi;
      else if (gi > 0 && lower[i] > -Infinity) ti = (x[i] - lower[i]) / gi;
      tbrk[i] = ti;
      dcp[i] = ti === 0 ? 0 : -gi;
      xcp[i] = x[i];
      fp -= dcp[i] * dcp[i];
      if (ti > 0 && ti < Infinity) order[nbrk++] = i;
    }
    // Sort breakpoints ascending (insertion sort: n is small).
    for (let a = 1; a < nbrk; a++) {
      const idx = order[a];
      let b = a - 1;
      while (b >= 0 && tbrk[order[b]] > tbrk[idx]) {
        order[b + 1] = order[b];
        b--;
      }
      order[b + 1] = idx;
    }
    p.fill(0, 0, s2);
    c.fill(0, 0, s2);
    for (let i = 0; i < n; i++) {
      if (dcp[i] === 0) continue;
      for (let k = 0; k < col; k++) {
        p[k] += Y[k * n + i] * dcp[i];
        p[col + k] += theta * S[k * n + i] * dcp[i];
      }
    }
    matvec(M, p, Mp, s2);
    let pMp = 0;
    for (let k = 0; k < s2; k++) pMp += p[k] * Mp[k];
    let fpp = -theta * fp - pMp;
    const fppOrg = fpp;
    fpp = Math.max(EPS * fppOrg, fpp);
    if (fp >= 0) return; // x is its own Cauchy point (projected gradient zero)
    let dtm = -fp / fpp;
    let told = 0;
    let a = 0;
    while (a < nbrk) {
      const b = order[a];
      const tb = tbrk[b];
      const dt = tb - told;
      if (dtm < dt) break;
      // Variable b reaches its bound.
      const xb = dcp[b] > 0 ? upper[b] : lower[b];
      const zb = xb - x[b];
      xcp[b] = xb;
      for (let k = 0; k < s2; k++) c[k] += dt * p[k];
      const gb = g[b];
      row(b, wb);
      matvec(M, wb, Mwb, s2);
      let wMc = 0, wMp = 0, wMw = 0;
      for (let k = 0; k < s2; k++) {
        wMc += c[k] * Mwb[k];
        wMp += p[k] * Mwb[k];
        wMw += wb[k] * Mwb[k];
      }
      fp += dt * fpp + gb * gb + theta * gb * zb - gb * wMc;
      fpp -= theta * gb * gb + 2 * gb * wMp + gb * gb * wMw;
      fpp = Math.max(EPS * fppOrg, fpp);
      for (let k = 0; k < s2; k++) p[k] += gb * wb[k];
      dcp[b] = 0;
      told = tb;
      a++;
      if (fp >= 0) {
        dtm = 0;
        break;
      }
      dtm = -fp / fpp;
    }
    dtm = Math.max(dtm, 0);
    told += dtm;
    for (let i = 0; i < n; i++) {
      if (dcp[i] !== 0) xcp[i] = x[i] + told * dcp[i];
    }
    project(xcp, lower, upper);
    for (let k = 0; k < s2; k++) c[k] += dtm * p[k];
  };

  /** Subspace minimization from xcp over the free variables; result into xbar. */
  const subspace = () => {
    xbar.set(xcp);
    let nf = 0;
    for (let i = 0; i < n; i++) if (xcp[i] > lower[i] && xcp[i] < upper[i]) freeIdx[nf++] = i;
    if (nf === 0) return;
    const s2 = 2 * col;
    matvec(M, c, Mc, s2);
    for (let a = 0; a < nf; a++) {
      const i = freeIdx[a];
      let wMc = 0;
      for (let k = 0; k < col; k++) {
        wMc += Y[k * n + i] * Mc[k] + theta * S[k * n + i] * Mc[col + k];
      }
      r[i] = g[i] + theta * (xcp[i] - x[i]) - wMc;
    }
    if (col > 0) {
      // v = M W_Fᵀ r; N = I − (1/θ) M W_FᵀW_F; solve N u = v.
      colv.fill(0, 0, s2);
      WtW.fill(0, 0, s2 * s2);
      for (let a = 0; a < nf; a++) {
        const i = freeIdx[a];
        row(i, wb);
        for (let k = 0; k < s2; k++) {
          colv[k] += wb[k] * r[i];
          for (let l = 0; l < s2; l++) WtW[k * s2 + l] += wb[k] * wb[l];
        }
      }
      matvec(M, colv, v, s2);
      for (let k = 0; k < s2; k++) {
        for (let l = 0; l < s2; l++) {
          let s = 0;
          for (let t = 0; t < s2; t++) s += M[k * s2 + t] * WtW[t * s2 + l];
          Nmat[k * s2 + l] = (k === l ? 1 : 0) - s / theta;
        }
      }
      if (!gaussSolve(Nmat, v, s2)) v.fill(0, 0, s2);
    }
    for (let a = 0; a < nf; a++) {
      const i = freeIdx[a];
      let wu = 0;
      if (col > 0) {
        row(i, wb);
        for (let k = 0; k < s2; k++) wu += wb[k] * v[k];
      }
      const du = -(r[i] / theta + wu / (theta * theta));
      r[i] = du; // keep du for a possible truncation
      xbar[i] = xcp[i] + du;
    }
    project(xbar, lower, upper);
    let slope = 0;
    for (let i = 0; i < n; i++) slope += (xbar[i] - x[i]) * g[i];
    if (slope < 0) return;
    // Projection is not a descent direction: truncate the subspace step to the box instead.
    let alpha = 1;
    for (let a = 0; a < nf; a++) {
      const i = freeIdx[a], du = r[i];
      if (du < 0 && lower[i] > -Infinity) alpha = Math.min(alpha, (lower[i] - xcp[i]) / du);
      else if (du > 0 && upper[i] < Infinity) alpha = Math.min(alpha, (upper[i] - xcp[i]) / du);
    }
    alpha = Math.max(alpha, 0);
    xbar.set(xcp);
    for (let a = 0; a < nf; a++) {
      const i = freeIdx[a];
      xbar[i] = xcp[i] + alpha * r[i];
    }
    project(xbar, lower, upper);
  };

  let fx = obj.f(x);
  let status = 1, nit = 0, aborted = false, message = "";
  let resets = 0;
  if (fx === Infinity) status = 3;
  else {
    obj.grad(x, g, fx);
    if (projectedGradientNorm(x, g, lower, upper) <= gtol) {
      status = 0;
      message = LBFGSB_MESSAGES[0];
    }
  }
  const lsOut = { f: 0, g: 0 };
  let budget = true;
  while (status === 1 && message === "" && nit < maxiter) {
    if (obj.nfev >= maxfev) break;
    cauchy();
    subspace();
    let gd = 0, dnorm = 0;
    for (let i = 0; i < n; i++) {
      d[i] = xbar[i] - x[i];
      gd += d[i] * g[i];
      dnorm += d[i] * d[i];
    }
    dnorm = Math.sqrt(dnorm);
    let ok = gd < 0;
    let stp = 0;
    if (ok) {
      let stpmx = 1e10;
      if (bounded) {
        if (nit === 0) stpmx = 1;
        else {
          for (let i = 0; i < n; i++) {
            if (d[i] < 0 && lower[i] > -Infinity) stpmx = Math.min(stpmx, (lower[i] - x[i]) / d[i]);
            else if (d[i] > 0 && upper[i] < Infinity) {
              stpmx = Math.min(stpmx, (upper[i] - x[i]) / d[i]);
            }
          }
        }
      }
      const stp0 = nit === 0 && !boxed ? Math.min(1 / dnorm, stpmx) : 1;
      let lastStp = NaN;
      const ls = moreThuente(
        (t, out) => {
          if (obj.nfev >= maxfev) {
            budget = false;
            return false;
          }
          for (let i = 0; i < n; i++) xt[i] = t === 1 ? xbar[i] : x[i] + t * d[i];
          project(xt, lower, upper);
          out.f = obj.f(xt);
          if (out.f === Infinity) {
            out.g = NaN;
          } else {
            obj.grad(xt, gt, out.f);
            let s = 0;
            for (let i = 0; i < n; i++) s += gt[i] * d[i];
            out.g = s;
          }
          lastStp = t;
          lsOut.f = out.f;
          return true;
        },
        fx,
        gd,
        stp0,
        stpmx,
        1e-3,
        0.9,
        0.1,
        maxls,
      );
      ok = (ls.info === 0 || ls.info === 1) && ls.f < fx && ls.stp > 0;
      if (ok) {
        stp = ls.stp;
        if (ls.stp !== lastStp) {
          for (let i = 0; i < n; i++) xt[i] = stp === 1 ? xbar[i] : x[i] + stp * d[i];
          project(xt, lower, upper);
          lsOut.f = obj.f(xt);
          obj.grad(xt, gt, lsOut.f);
        }
      } else if (!budget) break;
    }
    if (!ok) {
      // Discard the memory and retry from steepest descent; give up on a second failure.
      if (col === 0 || resets > 0) {
        status = 2;
        break;
      }
      col = 0;
      theta = 1;
      resets++;
      continue;
    }
    resets = 0;
    const fPrev = fx;
    // Correction pair s = xt − x, y = gt − g.
    let sy = 0, yy = 0;
    for (let i = 0; i < n; i++) {
      const si = xt[i] - x[i], yi = gt[i] - g[i];
      sy += si * yi;
      yy += yi * yi;
      d[i] = si;
      r[i] = yi;
    }
    x.set(xt);
    g.set(gt);
    fx = lsOut.f;
    nit++;
    if (options.callback && options.callback(x, nit, fx) === true) {
      aborted = true;
      break;
    }
    if (projectedGradientNorm(x, g, lower, upper) <= gtol) {
      status = 0;
      message = LBFGSB_MESSAGES[0];
      break;
    }
    if ((fPrev - fx) / Math.max(Math.abs(fPrev), Math.abs(fx), 1) <= ftol) {
      status = 0;
      message = LBFGSB_FTOL_MESSAGE;
      break;
    }
    if (sy > EPS * (-gd * stp)) {
      if (col === mMax) {
        S.copyWithin(0, n);
        Y.copyWithin(0, n);
        col--;
      }
      S.set(d, col * n);
      Y.set(r, col * n);
      col++;
      theta = yy / sy;
      if (!formM()) {
        col = 0;
        theta = 1;
      }
    }
  }
  const st = aborted ? -1 : status;
  return {
    x,
    fun: fx,
    success: st === 0,
    status: st,
    message: message || LBFGSB_MESSAGES[st],
    nfev: obj.nfev,
    njev: obj.njev,
    nit,
    aborted,
  };
}

const LBFGSB_OPTION_KEYS = optionKeys<LbfgsbOptions>({
  lower: true,
  upper: true,
  grad: true,
  fdMethod: true,
  m: true,
  ftol: true,
  gtol: true,
  maxiter: true,
  maxfev: true,
  maxls: true,
  callback: true,
});
