/**
 * COBYLA: Constrained Optimization BY Linear Approximations (M. J. D. Powell, "A direct search
 * optimization method that models the objective and constraint functions by linear
 * interpolation", in Advances in Optimization and Numerical Analysis, Kluwer, 1994), the method
 * behind scipy's `minimize(method="COBYLA")`.
 *
 * The objective and each constraint cᵢ(x) ≥ 0 (bounds become constraints) are interpolated
 * linearly on a simplex of n+1 points. Each iteration minimizes the linear model of f subject to
 * the linearized constraints within the trust region ‖d‖ ≤ ρ, or — when the linearized
 * constraints cannot all be met in the region — moves towards feasibility; the merit function
 * Φ = f + μ·max(0, −minᵢ cᵢ) decides acceptance, with μ raised as Powell prescribes
 * (μ ← 2·μ̄ when μ < 1.5·μ̄). The new point replaces the vertex chosen by Powell's volume and
 * distance rules; when the simplex degenerates (a vertex too far: > 2.1ρ, or too close to the
 * opposite face: < ¼ρ) a geometry step restores it; when steps stop paying, ρ is halved, from
 * `rhobeg` down to `rhoend`.
 *
 * Differences from Powell's Fortran: the trust-region subproblem is solved exactly — as the
 * parametric QP min ν‖d‖² + ∇fᵀd under the linearized constraints with ν chosen so that ‖d‖ = ρ,
 * each QP by NNLS/LDP — instead of by Powell's `trstlp` active-set method; and by default the
 * solve is restarted from its result (`restarts`) with the trust region reopened to ten times
 * the last step, until a restart no longer improves f by more than `ftolRestart`, which makes
 * the method reach the minimum on curved valleys where one pass stalls. A final point outside
 * the box is projected onto it (and re-evaluated).
 *
 * | status | meaning |
 * |---|---|
 * | 0 | converged: ρ reached rhoend (after the restarts) |
 * | 2 | maxfev reached |
 * | 4 | the constraints could not be satisfied (final point infeasible by more than `catol`) |
 * | 5 | the objective is not finite at the start |
 * | -1 | aborted by the callback |
 *
 * @module
 */

import type { IterationCallback, ScalarFunction, SolverResult } from "./types.ts";
import { gaussSolve, project, resolveBox } from "./_bounded_common.ts";
import { ldp, solveQp } from "./_bounded_qp.ts";

/** A general inequality constraint `fun(x) ≥ 0` (an equality becomes two inequalities). */
export interface CobylaConstraint {
  /** "ineq": fun(x) ≥ 0; "eq": fun(x) = 0. */
  type: "ineq" | "eq";
  /** The constraint function. */
  fun: (x: Float64Array) => number;
}

/** Options of `cobyla`. */
export interface CobylaOptions {
  /** Lower bounds (−Infinity for none). @default all −Infinity */
  lower?: Float64Array;
  /** Upper bounds (+Infinity for none). @default all +Infinity */
  upper?: Float64Array;
  /** General constraints. @default [] */
  constraints?: CobylaConstraint[];
  /** Initial trust-region radius (initial simplex edge). @default 1 */
  rhobeg?: number;
  /** Final trust-region radius (accuracy in x). @default 1e-8 */
  rhoend?: number;
  /** Maximum restarts from the result (0 = Powell's single pass). @default 4 */
  restarts?: number;
  /** A restart must improve f by more than ftolRestart·max(1, |f|) to go on. @default 1e-12 */
  ftolRestart?: number;
  /** Constraint violation tolerated in the final point. @default 2e-4 */
  catol?: number;
  /** Maximum objective evaluations. @default 20000 */
  maxfev?: number;
  /** Called each iteration with the best point; `true` aborts. @default undefined */
  callback?: IterationCallback;
}

/** Status messages of `cobyla`, by status code. */
export const COBYLA_MESSAGES: Readonly<Record<number, string>> = Object.freeze({
  0: "Optimization terminated successfully.",
  2: "Maximum number of function evaluations has been exceeded.",
  4: "Did not converge to a solution satisfying the constraints.",
  5: "The objective is not finite at the starting point.",
  [-1]: "Aborted by the iteration callback.",
});

/**
 * Minimises `fun` from `x0` subject to bounds and inequality constraints by COBYLA.
 *
 * @example
 * ```ts
 * import { cobyla } from "./cobyla.ts";
 * const f = (x: Float64Array) => (x[0] - 1) ** 2 + (x[1] - 2.5) ** 2;
 * const r = cobyla(f, Float64Array.of(2, 0), {
 *   lower: Float64Array.of(0, 0),
 *   constraints: [{ type: "ineq", fun: (x) => x[0] - 2 * x[1] + 2 }],
 * });
 * r.x; // ≈ [1.4, 1.7]
 * ```
 */
export function cobyla(
  fun: ScalarFunction,
  x0: Float64Array,
  options: CobylaOptions = {},
): SolverResult {
  const n = x0.length;
  const { lower, upper } = resolveBox(n, options.lower, options.upper);
  const rhobeg = options.rhobeg ?? 1;
  const rhoend = options.rhoend ?? 1e-8;
  if (!(rhobeg > 0) || !(rhoend > 0) || rhoend > rhobeg) {
    throw new RangeError(`rhobeg = ${rhobeg}, rhoend = ${rhoend}: need 0 < rhoend ≤ rhobeg`);
  }
  const restarts = options.restarts ?? 4;
  const ftolRestart = options.ftolRestart ?? 1e-12;
  const catol = options.catol ?? 2e-4;
  const maxfev = options.maxfev ?? 20000;
  const user = options.constraints ?? [];
  const cfun: ((x: Float64Array) => number)[] = [];
  user.forEach((c, i) => {
    if (!c || typeof c.fun !== "function" || (c.type !== "ineq" && c.type !== "eq")) {
      throw new TypeError(`constraints[${i}] must be {type: "ineq" | "eq", fun: (x) => number}`);
    }
    cfun.push(c.fun);
    if (c.type === "eq") cfun.push((x) => -c.fun(x));
  });
  for (let j = 0; j < n; j++) {
    if (lower[j] > -Infinity) cfun.push((x) => x[j] - lower[j]);
    if (upper[j] < Infinity) cfun.push((x) => upper[j] - x[j]);
  }
  const m = cfun.length;
  const mp = m + 1; // rows of a data column: m constraints then f

  let nfev = 0, nit = 0, aborted = false;
  const x = Float64Array.from(x0);
  /** Evaluates f and the constraints at xx into col (length mp); returns the violation. */
  const evaluate = (xx: Float64Array, col: Float64Array): number => {
    nfev++;
    let v = fun(xx);
    if (Number.isNaN(v)) v = Infinity;
    col[m] = v;
    let res = 0;
    for (let k = 0; k < m; k++) {
      let c = cfun[k](xx);
      if (Number.isNaN(c)) c = -Infinity;
      col[k] = c;
      res = Math.max(res, -c);
    }
    return res;
  };

  // Workspaces.
  const D = new Float64Array(n * n); // column j: vertex j − optimal vertex (column-major)
  const simi = new Float64Array(n * n); // D⁻¹, row-major
  const xopt = new Float64Array(n);
  const dat = new Float64Array(mp * (n + 1)); // column j (0..n−1) vertex j, column n optimal
  const res = new Float64Array(n + 1);
  const grads = new Float64Array(mp * n); // row k: gradient of model k
  const xt = new Float64Array(n), colT = new Float64Array(mp), dx = new Float64Array(n);
  const vsig = new Float64Array(n), veta = new Float64Array(n), sigbar = new Float64Array(n);
  const Aw = new Float64Array(n * n), bw = new Float64Array(n);
  const G = new Float64Array(m * n), h = new Float64Array(m);
  const B2 = new Float64Array(n * n);
  for (let i = 0; i < n; i++) B2[i * n + i] = 2;
  const empty = new Float64Array(0);
  const gq = new Float64Array(n);

  let bestF = Infinity, bestRes = Infinity;
  const bestX = Float64Array.from(x);

  const invertD = (): boolean => {
    for (let col = 0; col < n; col++) {
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) Aw[i * n + j] = D[i + j * n];
      bw.fill(0);
      bw[col] = 1;
      if (!gaussSolve(Aw, bw, n)) return false;
      // Column col of D⁻¹.
      for (let i = 0; i < n; i++) simi[i * n + col] = bw[i];
    }
    return true;
  };

  /** One pass of Powell's method from x with radius rho0; false when stopped (budget/abort). */
  const pass = (rho0: number): number => {
    const st = passInner(rho0);
    if (st !== 5) {
      bestX.set(xopt);
      bestF = dat[n * mp + m];
      bestRes = res[n];
    }
    return st;
  };
  const passInner = (rho0: number): number => {
    let rho = rho0, parmu = 0;
    const colOpt = dat.subarray(n * mp, n * mp + mp);
    res[n] = evaluate(x, colOpt);
    xopt.set(x);
    if (colOpt[m] === Infinity && nit === 0) return 5;
    D.fill(0);
    for (let j = 0; j < n; j++) {
      if (nfev >= maxfev) return 2;
      xt.set(xopt);
      xt[j] += rho;
      const colj = dat.subarray(j * mp, j * mp + mp);
      res[j] = evaluate(xt, colj);
      D[j + j * n] = rho;
      if (colj[m] < colOpt[m]) {
        // The new point becomes the optimal vertex; the old one sits at −ρ·e_j from it.
        colT.set(colj);
        colj.set(colOpt);
        colOpt.set(colT);
        const rt = res[j];
        res[j] = res[n];
        res[n] = rt;
        xopt[j] += rho;
        D[j + j * n] = -rho;
      }
    }
    if (!invertD()) return 2;
    const phi = (j: number) => dat[j * mp + m] + parmu * res[j];
    let badSteps = 0;
    while (true) {
      if (nfev >= maxfev) return 2;
      // Make the vertex with the least merit the optimal one.
      let l = n, phimin = phi(n);
      for (let j = 0; j < n; j++) {
        const pj = phi(j);
        if (pj < phimin || (pj === phimin && res[j] < res[l])) {
          l = j;
          phimin = pj;
        }
      }
      if (l !== n) {
        const colL = dat.subarray(l * mp, l * mp + mp);
        colT.set(colL);
        colL.set(colOpt);
        colOpt.set(colT);
        const rt = res[l];
        res[l] = res[n];
        res[n] = rt;
        for (let i = 0; i < n; i++) {
          const shift = D[i + l * n];
          xopt[i] += shift;
          for (let j = 0; j < n; j++) if (j !== l) D[i + j * n] -= shift;
          D[i + l * n] = -shift;
        }
        if (!invertD()) return 2;
      }
      // Linear models: grad_k = simiᵀ·(values − value at the optimal vertex).
      for (let k = 0; k < mp; k++) {
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let j = 0; j < n; j++) s += simi[j * n + i] * (dat[j * mp + k] - colOpt[k]);
          grads[k * n + i] = s;
        }
      }
      // Simplex geometry.
      const parsig = 0.25 * rho, pareta = 2.1 * rho;
      let geomBad = false;
      for (let j = 0; j < n; j++) {
        let ss = 0, ee = 0;
        for (let i = 0; i < n; i++) {
          ss += simi[j * n + i] ** 2;
          ee += D[i + j * n] ** 2;
        }
        vsig[j] = 1 / Math.sqrt(ss);
        veta[j] = Math.sqrt(ee);
        if (vsig[j] < parsig || veta[j] > pareta) geomBad = true;
      }
      // Trust-region step.
      const stepOk = trustStep(rho);
      let dnorm = 0;
      for (let i = 0; i < n; i++) dnorm += dx[i] * dx[i];
      dnorm = Math.sqrt(dnorm);
      let improveGeometry = false, reduceRho = false;
      if (!stepOk || dnorm < 0.5 * rho) {
        if (geomBad) improveGeometry = true;
        else reduceRho = true;
      } else {
        // Predicted reductions; raise μ as Powell does.
        let resnew = 0;
        for (let k = 0; k < m; k++) {
          let c = colOpt[k];
          for (let i = 0; i < n; i++) c += grads[k * n + i] * dx[i];
          resnew = Math.max(resnew, -c);
        }
        let fdx = 0;
        for (let i = 0; i < n; i++) fdx += grads[m * n + i] * dx[i];
        const prerec = res[n] - resnew;
        const barmu = prerec > 0 ? fdx / prerec : 0;
        if (parmu < 1.5 * barmu) {
          parmu = 2 * barmu;
          let better = false;
          for (let j = 0; j < n; j++) {
            if (phi(j) < phi(n) || (phi(j) === phi(n) && res[j] < res[n])) better = true;
          }
          if (better) continue;
        }
        const prerem = parmu * prerec - fdx;
        for (let i = 0; i < n; i++) xt[i] = xopt[i] + dx[i];
        const rnew = evaluate(xt, colT);
        const trured = phi(n) - (colT[m] + parmu * rnew);
        // Vertex to drop: Powell's rules.
        let ratio = trured <= 0 ? 1 : 0, jdrop = -1;
        for (let j = 0; j < n; j++) {
          let t = 0;
          for (let i = 0; i < n; i++) t += simi[j * n + i] * dx[i];
          t = Math.abs(t);
          if (t > ratio) {
            jdrop = j;
            ratio = t;
          }
          sigbar[j] = t * vsig[j];
        }
        let edgmax = 1.1 * rho, lpick = -1;
        for (let j = 0; j < n; j++) {
          if (sigbar[j] >= parsig || sigbar[j] >= vsig[j]) {
            let t = veta[j];
            if (trured > 0) {
              t = 0;
              for (let i = 0; i < n; i++) t += (dx[i] - D[i + j * n]) ** 2;
              t = Math.sqrt(t);
            }
            if (t > edgmax) {
              lpick = j;
              edgmax = t;
            }
          }
        }
        if (lpick >= 0) jdrop = lpick;
        if (jdrop >= 0) {
          for (let i = 0; i < n; i++) D[i + jdrop * n] = dx[i];
          dat.set(colT, jdrop * mp);
          res[jdrop] = rnew;
          if (!invertD()) return 2;
        }
        nit++;
        if (options.callback && options.callback(xopt, nit, colOpt[m]) === true) {
          aborted = true;
          return -1;
        }
        if (!(trured > 0 && trured >= 0.1 * prerem) || jdrop < 0) {
          if (geomBad) improveGeometry = true;
          else reduceRho = true;
        }
        badSteps = 0;
      }
      if (improveGeometry) {
        let jdrop = 0;
        let worst = -1;
        for (let j = 0; j < n; j++) {
          if (veta[j] > pareta && veta[j] > worst) {
            worst = veta[j];
            jdrop = j;
          }
        }
        if (worst < 0) {
          let small = Infinity;
          for (let j = 0; j < n; j++) {
            if (vsig[j] < small) {
              small = vsig[j];
              jdrop = j;
            }
          }
        }
        let ss = 0;
        for (let i = 0; i < n; i++) ss += simi[jdrop * n + i] ** 2;
        const scale = 0.5 * rho / Math.sqrt(ss);
        for (let i = 0; i < n; i++) dx[i] = scale * simi[jdrop * n + i];
        let cvp = 0, cvm = 0, fdx = 0;
        for (let k = 0; k < m; k++) {
          let t = 0;
          for (let i = 0; i < n; i++) t += grads[k * n + i] * dx[i];
          cvp = Math.max(cvp, -(colOpt[k] + t));
          cvm = Math.max(cvm, -(colOpt[k] - t));
        }
        for (let i = 0; i < n; i++) fdx += grads[m * n + i] * dx[i];
        const sign = parmu * (cvp - cvm) > 2 * fdx ? -1 : 1;
        for (let i = 0; i < n; i++) {
          dx[i] *= sign;
          xt[i] = xopt[i] + dx[i];
          D[i + jdrop * n] = dx[i];
        }
        const rnew = evaluate(xt, colT);
        dat.set(colT, jdrop * mp);
        res[jdrop] = rnew;
        if (!invertD()) return 2;
        if (++badSteps > 10 * n) reduceRho = true;
        else continue;
      }
      if (reduceRho) {
        badSteps = 0;
        if (rho <= rhoend) return 0;
        rho *= 0.5;
        if (rho <= 1.5 * rhoend) rho = rhoend;
      }
    }
  };

  /** Trust-region subproblem at the optimal vertex into dx; false when no step was found. */
  const trustStep = (rho: number): boolean => {
    const gf = grads.subarray(m * n, m * n + n);
    for (let k = 0; k < m; k++) {
      for (let i = 0; i < n; i++) G[k * n + i] = grads[k * n + i];
      h[k] = -dat[n * mp + k];
    }
    const base = ldp(G, h, m, n);
    let bn = 0;
    for (let i = 0; i < n; i++) bn += base.d[i] ** 2;
    bn = Math.sqrt(bn);
    if (!base.feasible || bn >= rho) {
      // Phase 1: move towards feasibility within the region.
      if (base.feasible && bn > 0) {
        for (let i = 0; i < n; i++) dx[i] = base.d[i] * rho / bn;
        return true;
      }
      let kmax = -1, worst = 0;
      for (let k = 0; k < m; k++) {
        if (h[k] > worst) {
          worst = h[k];
          kmax = k;
        }
      }
      if (kmax < 0) return false;
      let gn = 0;
      for (let i = 0; i < n; i++) gn += G[kmax * n + i] ** 2;
      gn = Math.sqrt(gn);
      if (!(gn > 0)) return false;
      for (let i = 0; i < n; i++) dx[i] = rho * G[kmax * n + i] / gn;
      return true;
    }
    let gfn = 0;
    for (let i = 0; i < n; i++) gfn += gf[i] * gf[i];
    gfn = Math.sqrt(gfn);
    if (!(gfn > 0)) {
      dx.set(base.d);
      return true;
    }
    // ‖d(ν)‖ for min ‖d‖² + ∇fᵀd/ν under the constraints decreases with ν: find ‖d‖ = ρ.
    const solveAt = (nu: number): number => {
      for (let i = 0; i < n; i++) gq[i] = gf[i] / nu;
      const q = solveQp(B2, gq, empty, empty, G, h, n);
      if (!q.feasible) return NaN;
      dx.set(q.d);
      let s = 0;
      for (let i = 0; i < n; i++) s += q.d[i] ** 2;
      return Math.sqrt(s);
    };
    let nuHi = gfn / (2 * rho), nuLo = nuHi;
    let nrm = solveAt(nuHi);
    if (Number.isNaN(nrm)) return false;
    if (nrm <= rho) {
      // Decrease ν until the step reaches the boundary (or the LP minimum is interior).
      let lastGood = nuHi;
      for (let it = 0; it < 60; it++) {
        nuLo = lastGood / 4;
        nrm = solveAt(nuLo);
        if (Number.isNaN(nrm)) break;
        if (nrm > rho) break;
        lastGood = nuLo;
        if (nrm < 0.999 * rho && it > 40) break;
      }
      nuHi = lastGood;
      if (!(nrm > rho)) {
        solveAt(nuHi);
        return true;
      }
    } else {
      while (nrm > rho) {
        nuLo = nuHi;
        nuHi *= 4;
        nrm = solveAt(nuHi);
        if (Number.isNaN(nrm)) return false;
      }
    }
    for (let it = 0; it < 40; it++) {
      const mid = Math.sqrt(nuLo * nuHi);
      const v = solveAt(mid);
      if (Number.isNaN(v)) break;
      if (v > rho) nuLo = mid;
      else {
        nuHi = mid;
        if (v >= 0.99 * rho) return true;
      }
    }
    solveAt(nuHi);
    return true;
  };

  let status = pass(rhobeg);
  let rhoStart = rhobeg;
  for (let rs = 0; rs < restarts && status === 0; rs++) {
    const fBefore = bestF;
    x.set(bestX);
    // Reopen the region: ten times the final radius of the last pass, but not above rhobeg.
    rhoStart = Math.min(rhobeg, Math.max(1e3 * rhoend, rhoStart * 0.1));
    status = pass(rhoStart);
    if (!(fBefore - bestF > ftolRestart * Math.max(1, Math.abs(bestF)))) break;
  }
  if (status !== 5) {
    x.set(bestX);
    let out = false;
    for (let i = 0; i < n; i++) if (x[i] < lower[i] || x[i] > upper[i]) out = true;
    if (out) {
      project(x, lower, upper);
      bestRes = evaluate(x, colT);
      bestF = colT[m];
    }
    if (status === 0 && bestRes > catol) status = 4;
  }
  const st = aborted ? -1 : status;
  return {
    x,
    fun: st === 5 ? Infinity : bestF,
    success: st === 0,
    status: st,
    message: COBYLA_MESSAGES[st],
    nfev,
    njev: 0,
    nit,
    aborted,
  };
}
