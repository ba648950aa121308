/**
 * COBYLA: Constrained Optimization BY Linear Approximations (M. J. D. Powell, "A direct search
 * optimization method that models the objective and constraint functions by linear
 * interpolation", in Advances in Optimization and Numerical Analysis, Kluwer, 1994), the method
 * behind scipy's `minimize(method="COBYLA")`, with the refinements of Zhang's PRIMA
 * reimplementation (Z. Zhang, "PRIMA: Reference Implementation for Powell's Methods with
 * Modernization and Amelioration", 2023): a trust-region radius Δ separate from the resolution ρ,
 * and bounds that are honoured at every evaluation.
 *
 * The objective and each general constraint cᵢ(x) ≥ 0 are interpolated linearly on a simplex of
 * n+1 points. Each iteration minimizes the linear model of f subject to the linearized
 * constraints and the bounds within the trust region ‖d‖ ≤ Δ, or — when the linearized
 * constraints cannot all be met in the region — moves towards feasibility; the merit function
 * Φ = f + μ·max(0, −minᵢ cᵢ) decides acceptance, with μ raised as Powell prescribes
 * (μ ← 2·μ̄ when μ < 1.5·μ̄) and lowered when ρ is. Δ grows (to 2‖d‖) after a step whose actual
 * reduction of Φ is at least 0.7 of the predicted one and shrinks after a poor one, never below
 * ρ; the new point replaces the vertex that keeps the simplex largest relative to its distance
 * (Powell's volume and distance rules); when a step fails and the simplex is degenerate (a vertex
 * further than 2.1Δ, or nearer than ¼Δ to the opposite face) a geometry step restores it; when
 * steps fail with a sound simplex and Δ = ρ, ρ is reduced (×0.1, then geometrically) from
 * `rhobeg` down to `rhoend`.
 *
 * **Scaling.** By default (`scale: true` when there are no general constraints) the solver works in internal variables
 * uⱼ = (xⱼ − oⱼ)/sⱼ: a variable with both bounds finite (and a box no wider than 100·max(1, |x0ⱼ|))
 * is mapped to [0, 1] (sⱼ = upperⱼ − lowerⱼ), any other one is scaled by sⱼ = max(1, |x0ⱼ|). So
 * `rhobeg` and `rhoend` are fractions of each variable's scale — rhobeg = 0.1 (the default) is a
 * first simplex spanning a tenth of each box — not absolute lengths as in scipy; `scale: false`
 * keeps the unscaled variables (sⱼ = 1). Variables with lowerⱼ = upperⱼ are held fixed.
 *
 * **Bounds** are not interpolated: every point evaluated lies in the box (the trust-region
 * subproblem includes the bounds exactly, geometry steps are shortened or turned to stay inside),
 * so a bound value is hit exactly and the objective is never called outside the box. Without
 * general constraints the subproblem min gᵀd, ‖d‖ ≤ Δ, ℓ ≤ d ≤ u is solved in closed form
 * (d = clip(−λg) with λ found over the sorted breakpoints); with them it is solved as the
 * parametric QP min ν‖d‖² + gᵀd under the linearized constraints with ν chosen so that ‖d‖ = Δ
 * (each QP by NNLS/LDP), instead of by Powell's `trstlp`.
 *
 * **Variable metric** (bound-only problems, `metric: true`, the default). Linear models step
 * along −g, which crawls down narrow valleys (scipy's COBYLA does not reach the two-exponential
 * fit's optimum in 10000 evaluations). Every max((n+1)(n+2)/2, 2n) iterations a quadratic is
 * fitted by least squares to the last 3·(n+1)(n+2)/2 evaluations and, when its curvature stands
 * above the rounding of f, M = |H|/‖H‖ (eigenvalues floored at 1e-10) becomes the metric: Δ, ρ,
 * the simplex-geometry tests, the geometry steps and the vertex-drop distances are measured in
 * ‖d‖_M = √(dᵀMd), and the trust-region step is the better (by the linear model) of the
 * Euclidean box step and the projected step −t·M⁻¹g on the free variables. The models stay
 * linear and M only shapes the region, so a poor M costs steps, not correctness. With general
 * constraints the metric and (by default) the scaling are off, as in Powell's method.
 *
 * By default the solve is restarted from its result (`restarts`) with a fresh simplex of
 * radius min(rhobeg, 10·ρ of the previous start), until a restart no longer improves f by more
 * than `ftolRestart`. Objective values that are NaN or ±Infinity are never put into the simplex:
 * such a step counts as a failed one and a starting vertex there is moved to the other side or
 * closer.
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
import { project, resolveBox } from "./_bounded_common.ts";
import { ldp, solveQp } from "./_bounded_qp.ts";
import { lstsq } from "../linalg/lstsq.ts";
import { svd } from "../linalg/svd.ts";
import { checkOptions, optionKeys } from "../util/options.ts";

/**
 * A general inequality constraint `fun(x) ≥ 0` (an equality becomes two inequalities).
 *
 * @example
 * ```ts
 * import { cobyla, type CobylaConstraint } from "./cobyla.ts";
 * // stay inside the unit disc: 1 - x² - y² ≥ 0
 * const inDisc: CobylaConstraint = { type: "ineq", fun: (x) => 1 - x[0] ** 2 - x[1] ** 2 };
 * const r = cobyla((x) => -(x[0] + x[1]), Float64Array.of(0, 0), { constraints: [inDisc] });
 * r.x; // ≈ [0.7071, 0.7071]
 * ```
 *
 * @category Solvers
 */
export interface CobylaConstraint {
  /** "ineq": fun(x) ≥ 0; "eq": fun(x) = 0. */
  type: "ineq" | "eq";
  /** The constraint function. */
  fun: (x: Float64Array) => number;
}

/**
 * Options of `cobyla`.
 *
 * @example
 * ```ts
 * import { cobyla, type CobylaOptions } from "./cobyla.ts";
 * const options: CobylaOptions = {
 *   lower: Float64Array.of(-2, -2),
 *   upper: Float64Array.of(0.8, 2),
 *   rhobeg: 0.1, // a tenth of each variable's box width
 *   maxfev: 5000,
 * };
 * const rosen = (x: Float64Array) => 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2;
 * const r = cobyla(rosen, Float64Array.of(-1.2, 1), options);
 * r.x; // ≈ [0.8, 0.64]: on the upper bound of x[0]
 * ```
 *
 * @category Solvers
 */
export interface CobylaOptions {
  /** Lower bounds (−Infinity for none). @default all −Infinity */
  lower?: Float64Array;
  /** Upper bounds (+Infinity for none). @default all +Infinity */
  upper?: Float64Array;
  /** General constraints. @default [] */
  constraints?: CobylaConstraint[];
  /**
   * Initial resolution ρ (first simplex edge), in the internal variables: a fraction of each
   * variable's scale (see the module doc), or absolute when `scale` is false. @default 0.1
   */
  rhobeg?: number;
  /** Final resolution ρ (accuracy in the internal variables). @default 1e-8 */
  rhoend?: number;
  /**
   * Work in variables scaled by the box widths or max(1, |x0|) (see the module doc).
   * @default true without general constraints, false with them
   */
  scale?: boolean;
  /**
   * Without general constraints, measure steps in a variable metric fitted to the history (see the
   * module doc); false for Powell's Euclidean trust region. @default true
   */
  metric?: boolean;
  /** Maximum restarts from the result (0 = a single pass). @default 4 */
  restarts?: number;
  /** A restart must improve f by more than ftolRestart·max(1, |f|) to go on. @default 1e-12 */
  ftolRestart?: number;
  /** Constraint violation tolerated in the final point. @default 2e-4 */
  catol?: number;
  /** Maximum objective evaluations. @default 20000 */
  maxfev?: number;
  /** Called after each trust-region step with the best point; `true` aborts. @default undefined */
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
 *
 * @category Solvers
 */
export function cobyla(
  fun: ScalarFunction,
  x0: Float64Array,
  options: CobylaOptions = {},
): SolverResult {
  checkOptions(options, COBYLA_OPTION_KEYS, "cobyla");
  const nAll = x0.length;
  const { lower, upper } = resolveBox(nAll, options.lower, options.upper);
  const rhobeg = options.rhobeg ?? 0.1;
  const rhoend = Math.min(options.rhoend ?? 1e-8, rhobeg);
  if (!(rhobeg > 0) || !(rhoend > 0) || (options.rhoend ?? 0) > rhobeg) {
    throw new RangeError(`rhobeg = ${rhobeg}, rhoend = ${rhoend}: need 0 < rhoend ≤ rhobeg`);
  }
  const scaled = options.scale ?? !(options.constraints && options.constraints.length > 0);
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
  const m = cfun.length;
  const mp = m + 1; // rows of a data column: m constraints then f

  // Internal variables: the free ones, shifted and scaled; x = off + sc·u inside [ul, uu].
  const xe = Float64Array.from(x0);
  project(xe, lower, upper);
  const freeIdx: number[] = [];
  for (let j = 0; j < nAll; j++) if (lower[j] < upper[j]) freeIdx.push(j);
  const n = freeIdx.length;
  const off = new Float64Array(n), sc = new Float64Array(n);
  const ul = new Float64Array(n), uu = new Float64Array(n);
  const ustart = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const j = freeIdx[k], lo = lower[j], hi = upper[j];
    const mag = Math.max(1, Math.abs(xe[j]));
    if (scaled && hi - lo <= 100 * mag) {
      off[k] = lo;
      sc[k] = hi - lo;
      ul[k] = 0;
      uu[k] = 1;
      ustart[k] = xe[j] === hi ? 1 : (xe[j] - lo) / sc[k];
    } else {
      off[k] = xe[j];
      sc[k] = scaled ? mag : 1;
      ul[k] = (lo - off[k]) / sc[k];
      uu[k] = (hi - off[k]) / sc[k];
      ustart[k] = 0;
    }
  }
  /** Maps internal u to x (into out); bound values are reproduced exactly. */
  const toX = (u: Float64Array, out: Float64Array): void => {
    for (let k = 0; k < n; k++) {
      const j = freeIdx[k];
      let v: number;
      if (u[k] <= ul[k]) v = lower[j];
      else if (u[k] >= uu[k]) v = upper[j];
      else v = Math.min(upper[j], Math.max(lower[j], off[k] + sc[k] * u[k]));
      out[j] = v;
    }
  };

  let nfev = 0, nit = 0, aborted = false;
  /** Evaluates f and the constraints at u into col (length mp); returns the violation. */
  const evaluate = (u: Float64Array, col: Float64Array): number => {
    toX(u, xe);
    nfev++;
    let v = fun(xe);
    if (Number.isNaN(v)) v = Infinity;
    col[m] = v;
    if (histCap > 0 && Number.isFinite(v)) {
      histU.set(u, histPos * n);
      histF[histPos] = v;
      histPos = (histPos + 1) % histCap;
      if (histLen < histCap) histLen++;
    }
    let res = 0;
    for (let k = 0; k < m; k++) {
      let c = cfun[k](xe);
      if (Number.isNaN(c)) c = -Infinity;
      col[k] = c;
      res = Math.max(res, -c);
    }
    return res;
  };

  // Workspaces. Vertex j of the simplex is uopt + D[j·n .. j·n+n); simi = D⁻¹ (row j ↔ vertex j).
  const D = new Float64Array(n * n);
  const simi = new Float64Array(n * n);
  const Mw = new Float64Array(n * n);
  const uopt = new Float64Array(n);
  const dat = new Float64Array(mp * (n + 1)); // column j (0..n−1) vertex j, column n optimal
  const res = new Float64Array(n + 1);
  const grads = new Float64Array(mp * n); // row k: gradient of model k (row m: f)
  const ut = new Float64Array(n), colT = new Float64Array(mp), dx = new Float64Array(n);
  const vsig = new Float64Array(n), veta = new Float64Array(n);
  const lo = new Float64Array(n), hi = new Float64Array(n);
  const order = new Int32Array(n), brk = new Float64Array(n);
  const xcb = new Float64Array(nAll);
  // General-constraint subproblem: model rows then the finite bounds.
  const nb = m > 0 ? 2 * n : 0;
  const G = new Float64Array((m + nb) * n), h = new Float64Array(m + nb);
  const hs = new Float64Array(m);
  const B2 = new Float64Array(n * n);
  for (let i = 0; i < n; i++) B2[i * n + i] = 2;
  const empty = new Float64Array(0);
  const gq = new Float64Array(n);
  // Variable metric (bound-only problems): ‖d‖_M = √(dᵀMd), M from quadratic fits to the history.
  const useMetric = m === 0 && n >= 2 && (options.metric ?? true);
  const Mm = new Float64Array(n * n), Minv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) Mm[i * n + i] = Minv[i * n + i] = 1;
  const nq = ((n + 1) * (n + 2)) / 2;
  const histCap = useMetric ? 3 * nq : 0;
  const histU = new Float64Array(histCap * n), histF = new Float64Array(histCap);
  let histLen = 0, histPos = 0, sinceFit = 0;
  const Lw = new Float64Array(n * n), wv = new Float64Array(n), dm = new Float64Array(n);
  const freeF = new Int32Array(n);
  /** vᵀMv. */
  const mnorm2 = (v: Float64Array, off = 0): number => {
    if (!useMetric) {
      let s = 0;
      for (let i = 0; i < n; i++) s += v[off + i] * v[off + i];
      return s;
    }
    let s = 0;
    for (let i = 0; i < n; i++) {
      let t = 0;
      for (let j = 0; j < n; j++) t += Mm[i * n + j] * v[off + j];
      s += v[off + i] * t;
    }
    return s;
  };

  let bestF = Infinity, bestRes = Infinity;
  const ubest = Float64Array.from(ustart);

  /** simi ← D⁻¹ by Gauss–Jordan with partial pivoting; false when D is singular. */
  const invertD = (): boolean => {
    // Mw[i][j] = D_j[i]: the vertices are the columns.
    for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) Mw[i * n + j] = D[j * n + i];
    simi.fill(0);
    for (let i = 0; i < n; i++) simi[i * n + i] = 1;
    for (let c = 0; c < n; c++) {
      let p = c, big = Math.abs(Mw[c * n + c]);
      for (let r = c + 1; r < n; r++) {
        const v = Math.abs(Mw[r * n + c]);
        if (v > big) {
          big = v;
          p = r;
        }
      }
      if (!(big > 0)) return false;
      if (p !== c) {
        for (let k = 0; k < n; k++) {
          let t = Mw[c * n + k];
          Mw[c * n + k] = Mw[p * n + k];
          Mw[p * n + k] = t;
          t = simi[c * n + k];
          simi[c * n + k] = simi[p * n + k];
          simi[p * n + k] = t;
        }
      }
      const inv = 1 / Mw[c * n + c];
      for (let k = 0; k < n; k++) {
        Mw[c * n + k] *= inv;
        simi[c * n + k] *= inv;
      }
      for (let r = 0; r < n; r++) {
        if (r === c) continue;
        const l = Mw[r * n + c];
        if (l === 0) continue;
        for (let k = 0; k < n; k++) {
          Mw[r * n + k] -= l * Mw[c * n + k];
          simi[r * n + k] -= l * simi[c * n + k];
        }
      }
    }
    return true;
  };

  /** Largest t ≤ len with uopt + t·v inside the box. */
  const room = (v: Float64Array, len: number): number => {
    let t = len;
    for (let i = 0; i < n; i++) {
      if (v[i] > 0) t = Math.min(t, (uu[i] - uopt[i]) / v[i]);
      else if (v[i] < 0) t = Math.min(t, (ul[i] - uopt[i]) / v[i]);
    }
    return Math.max(0, t);
  };

  /** Sets ut = uopt + dx, with components on (or beyond) a bound set to the bound exactly. */
  const trial = (): void => {
    for (let i = 0; i < n; i++) {
      let v = uopt[i] + dx[i];
      if (v <= ul[i]) v = ul[i];
      else if (v >= uu[i]) v = uu[i];
      ut[i] = v;
      dx[i] = v - uopt[i];
    }
  };

  let firstPass = true, passMu = 0;
  /** One pass of the method from ubest with resolution rho0; returns the status. */
  const pass = (rho0: number): number => {
    const st = passInner(rho0);
    firstPass = false;
    if (st === 5) return st;
    // The vertex of least merit under the pass's final μ; it replaces the best point of the
    // earlier passes unless that one has a smaller merit under the same μ.
    let jb = -1, pb = bestF === Infinity ? Infinity : bestF + passMu * bestRes;
    for (let j = n; j >= 0; j--) {
      const f = dat[j * mp + m], r = res[j];
      const p = f + passMu * r;
      if (!Number.isFinite(p)) continue;
      if (p < pb || (p === pb && r < bestRes) || (jb < 0 && j === n && p === pb)) {
        jb = j;
        pb = p;
      }
    }
    if (jb >= 0) {
      bestF = dat[jb * mp + m];
      bestRes = res[jb];
    }
    if (jb === n) ubest.set(uopt);
    else if (jb >= 0) { for (let i = 0; i < n; i++) ubest[i] = uopt[i] + D[jb * n + i]; }
    return st;
  };

  const passInner = (rho0: number): number => {
    let rho = rho0, delta = rho0, mu = 0;
    passMu = 0;
    const colOpt = dat.subarray(n * mp, n * mp + mp);
    uopt.set(ubest);
    res[n] = evaluate(uopt, colOpt);
    if (!Number.isFinite(colOpt[m]) && firstPass) return 5;
    // The first simplex: a step of rho along each axis, inside the box and where f is finite.
    D.fill(0);
    for (let j = 0; j < n; j++) {
      const colj = dat.subarray(j * mp, j * mp + mp);
      let len = rho;
      const up = uu[j] - uopt[j], down = uopt[j] - ul[j];
      let step = up >= rho ? rho : down >= rho ? -rho : up >= down ? up : -down;
      for (let attempt = 0;; attempt++) {
        if (nfev >= maxfev) return 2;
        ut.set(uopt);
        ut[j] += step;
        if (step > 0 && step === up) ut[j] = uu[j];
        if (step < 0 && -step === down) ut[j] = ul[j];
        res[j] = evaluate(ut, colj);
        if (Number.isFinite(colj[m]) || attempt >= 20) break;
        // Not finite: try the other side, then closer.
        if (attempt % 2 === 0 && (step > 0 ? down : up) >= Math.abs(step)) step = -step;
        else {
          len = Math.abs(step) / 4;
          step = step > 0 ? len : -len;
        }
      }
      D[j * n + j] = ut[j] - uopt[j];
      if (colj[m] < colOpt[m]) {
        // The new point becomes the optimal vertex; the old one sits at −step·e_j from it, and
        // the vertices placed before it (k < j) move by −step along axis j relative to it.
        colT.set(colj);
        colj.set(colOpt);
        colOpt.set(colT);
        const rt = res[j];
        res[j] = res[n];
        res[n] = rt;
        const s = D[j * n + j];
        uopt[j] = ut[j];
        D[j * n + j] = -s;
        for (let k = 0; k < j; k++) D[k * n + j] -= s;
      }
    }
    if (!invertD()) return 2;
    const phi = (j: number) => dat[j * mp + m] + mu * res[j];
    let geoSteps = 0, geoStuck = false;
    while (true) {
      passMu = mu;
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
          const shift = D[l * n + i];
          uopt[i] += shift;
          for (let j = 0; j < n; j++) if (j !== l) D[j * n + i] -= shift;
          D[l * n + i] = -shift;
        }
        // The moved vertex must be inside the box exactly (it was evaluated there).
        for (let i = 0; i < n; i++) {
          if (uopt[i] < ul[i]) uopt[i] = ul[i];
          else if (uopt[i] > uu[i]) uopt[i] = uu[i];
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
      // Simplex geometry, judged against the trust-region radius.
      const parsig = 0.25 * delta, pareta = 2.1 * delta;
      let geoGood = true;
      for (let j = 0; j < n; j++) {
        let ss = 0;
        if (useMetric) {
          for (let i = 0; i < n; i++) {
            let t = 0;
            for (let k = 0; k < n; k++) t += Minv[i * n + k] * simi[j * n + k];
            ss += simi[j * n + i] * t;
          }
        } else for (let i = 0; i < n; i++) ss += simi[j * n + i] ** 2;
        vsig[j] = 1 / Math.sqrt(ss);
        veta[j] = Math.sqrt(mnorm2(D, j * n));
        if (vsig[j] < parsig || veta[j] > pareta) geoGood = false;
      }
      // Trust-region step.
      if (useMetric && ++sinceFit >= Math.max(nq, 2 * n) && histLen >= nq + n) {
        sinceFit = 0;
        fitMetric();
      }
      const stepOk = m === 0 ? (useMetric ? metricStep(delta) : boxStep(delta)) : trustStep(delta);
      const dnorm = Math.sqrt(mnorm2(dx));
      let badStep: boolean;
      if (!stepOk || dnorm < 0.5 * rho) {
        delta = 0.1 * delta;
        if (delta <= 1.5 * rho) delta = rho;
        badStep = true;
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
        if (mu < 1.5 * barmu) {
          mu = 2 * barmu;
          let better = false;
          const pn = phi(n);
          for (let j = 0; j < n; j++) {
            const pj = phi(j);
            if (pj < pn || (pj === pn && res[j] < res[n])) better = true;
          }
          if (better) continue;
        }
        const prerem = mu * prerec - fdx;
        const rnew = evaluate(ut, colT);
        const phiNew = colT[m] + mu * rnew;
        const phiOpt = phi(n);
        const finite = Number.isFinite(phiNew);
        const ared = phiOpt - phiNew;
        const ratio = !finite ? -1 : prerem > 0 ? ared / prerem : ared > 0 ? 1 : -1;
        // Trust-region radius.
        if (ratio <= 0.1) delta = 0.5 * dnorm;
        else if (ratio <= 0.7) delta = Math.max(0.5 * delta, dnorm);
        else delta = Math.max(0.5 * delta, 2 * dnorm);
        if (delta <= 1.5 * rho) delta = rho;
        // Vertex to drop: the largest |barycentric weight| scaled by the squared distance.
        const improved = finite && ared > 0;
        let jdrop = -1, score = improved ? 0 : 1;
        if (finite) {
          for (let j = 0; j < n; j++) {
            let sig = 0;
            for (let i = 0; i < n; i++) {
              sig += simi[j * n + i] * dx[i];
              dm[i] = improved ? D[j * n + i] - dx[i] : D[j * n + i];
            }
            const dist2 = mnorm2(dm);
            const w = Math.abs(sig) * Math.max(1, dist2 / (delta * delta));
            if (w > score) {
              score = w;
              jdrop = j;
            }
          }
        }
        if (jdrop >= 0) {
          for (let i = 0; i < n; i++) D[jdrop * n + i] = dx[i];
          dat.set(colT, jdrop * mp);
          res[jdrop] = rnew;
          if (!invertD()) return 2;
        }
        nit++;
        if (options.callback) {
          if (improved) toX(ut, xcb);
          else toX(uopt, xcb);
          if (options.callback(xcb, nit, improved ? colT[m] : colOpt[m]) === true) {
            aborted = true;
            return -1;
          }
        }
        badStep = ratio <= 0.1 || jdrop < 0;
        if (!badStep) geoSteps = 0;
      }
      if (!badStep) {
        geoStuck = false;
        continue;
      }
      if (!geoGood && !geoStuck && geoSteps <= 2 * n) {
        geoSteps++;
        const g = geometryStep(delta, mu);
        if (g === 0) return 2;
        if (g === 2) geoStuck = true;
        continue;
      }
      // Every step is bounded by Δ; only forming uopt + dx can make it longer, by rounding
      // (about ε·|u|/ρ relative, 2e-8 at ρ = 1e-8), so Δ at its floor alone decides.
      if (delta <= rho || geoSteps > 2 * n) {
        geoSteps = 0;
        geoStuck = false;
        if (rho <= rhoend) return 0;
        const r = rho / rhoend;
        const rhoNew = r > 250 ? 0.1 * rho : r > 16 ? Math.sqrt(rho * rhoend) : rhoend;
        delta = Math.max(0.5 * rho, rhoNew);
        rho = rhoNew;
        if (mu > 0) mu = lowerMu(mu);
      }
    }
  };

  /** Powell's reduction of μ when ρ is reduced. */
  const lowerMu = (mu: number): number => {
    let denom = 0;
    let cmin = 0, cmax = 0;
    for (let k = 0; k < mp; k++) {
      cmin = dat[n * mp + k];
      cmax = cmin;
      for (let j = 0; j < n; j++) {
        cmin = Math.min(cmin, dat[j * mp + k]);
        cmax = Math.max(cmax, dat[j * mp + k]);
      }
      if (k < m && cmin < 0.5 * cmax) {
        const t = Math.max(cmax, 0) - cmin;
        denom = denom <= 0 ? t : Math.min(denom, t);
      }
    }
    if (denom === 0) return 0;
    if (cmax - cmin < mu * denom) return (cmax - cmin) / denom;
    return mu;
  };

  /**
   * Replaces the worst-placed vertex by a step of ½Δ from the optimal vertex along the normal of
   * the opposite face, on the side of the smaller predicted merit, kept inside the box and where
   * f is finite. 0 when the budget ran out or the simplex became singular, 1 when the vertex moved
   * away from the opposite face, 2 when the box or the objective did not let it.
   */
  const geometryStep = (delta: number, mu: number): number => {
    let jdrop = -1, worst = 2.1 * delta;
    for (let j = 0; j < n; j++) {
      if (veta[j] > worst) {
        worst = veta[j];
        jdrop = j;
      }
    }
    if (jdrop < 0) {
      let small = Infinity;
      for (let j = 0; j < n; j++) {
        if (vsig[j] < small) {
          small = vsig[j];
          jdrop = j;
        }
      }
    }
    // The normal of the opposite face in the metric: M⁻¹·simiⱼ, of unit M-norm.
    let ss = 0;
    for (let i = 0; i < n; i++) {
      let t = 0;
      if (useMetric) { for (let k = 0; k < n; k++) t += Minv[i * n + k] * simi[jdrop * n + k]; }
      else t = simi[jdrop * n + i];
      gq[i] = t;
      ss += t * simi[jdrop * n + i];
    }
    const nrm = Math.sqrt(ss);
    for (let i = 0; i < n; i++) gq[i] /= nrm;
    const len = 0.5 * delta;
    let cvp = 0, cvm = 0, fdx = 0;
    for (let k = 0; k < m; k++) {
      let t = 0;
      for (let i = 0; i < n; i++) t += grads[k * n + i] * gq[i];
      t *= len;
      cvp = Math.max(cvp, -(dat[n * mp + k] + t));
      cvm = Math.max(cvm, -(dat[n * mp + k] - t));
    }
    for (let i = 0; i < n; i++) fdx += grads[m * n + i] * gq[i];
    fdx *= len;
    let sign = fdx + mu * cvp <= -fdx + mu * cvm ? 1 : -1;
    // Stay in the box: take the preferred side if the whole step fits, else the roomier side.
    const tp = room(gq, len);
    for (let i = 0; i < n; i++) gq[i] = -gq[i];
    const tm = room(gq, len);
    for (let i = 0; i < n; i++) gq[i] = -gq[i];
    let t = sign > 0 ? tp : tm;
    if (t < len) {
      if (tp >= tm) {
        sign = 1;
        t = tp;
      } else {
        sign = -1;
        t = tm;
      }
    }
    for (let i = 0; i < n; i++) dx[i] = sign * t * gq[i];
    if (t < 0.5 * len) {
      // Blocked by the box: the point within (Euclidean) distance len in the box that moves
      // vertex j furthest from the opposite face, i.e. maximizes |simiⱼ·d|.
      const row = simi.subarray(jdrop * n, jdrop * n + n);
      let best = 0;
      for (const sgn of [1, -1]) {
        for (let i = 0; i < n; i++) wv[i] = -sgn * row[i];
        if (!boxSolve(len, wv)) continue;
        let sig = 0;
        for (let i = 0; i < n; i++) sig += row[i] * dx[i];
        if (Math.abs(sig) > best) {
          best = Math.abs(sig);
          dm.set(dx);
        }
      }
      if (best > 0) dx.set(dm);
    }
    for (let attempt = 0;; attempt++) {
      if (nfev >= maxfev) return 0;
      trial();
      const rnew = evaluate(ut, colT);
      if (Number.isFinite(colT[m]) || attempt >= 6) {
        if (!Number.isFinite(colT[m])) return 2; // leave the simplex as it is
        let sig = 0;
        for (let i = 0; i < n; i++) sig += simi[jdrop * n + i] * dx[i];
        for (let i = 0; i < n; i++) D[jdrop * n + i] = dx[i];
        dat.set(colT, jdrop * mp);
        res[jdrop] = rnew;
        if (!invertD()) return 0;
        // The new distance to the opposite face is |σ| times the old one.
        return Math.abs(sig) > 1.01 ? 1 : 2;
      }
      for (let i = 0; i < n; i++) dx[i] *= 0.5;
    }
  };

  /**
   * Bound-only subproblem in the metric: the Euclidean box step of radius Δ (inside the M-ball,
   * as M's largest eigenvalue is 1) or the projected step −t·M_FF⁻¹g_F along the free variables
   * scaled to ‖d‖_M = Δ, whichever the linear model prefers.
   */
  const metricStep = (delta: number): boolean => {
    const gf = grads.subarray(m * n, m * n + n);
    const ok = boxStep(delta);
    let gd1 = Infinity;
    if (ok) {
      gd1 = 0;
      for (let i = 0; i < n; i++) gd1 += gf[i] * dx[i];
    }
    // Free variables: not on a bound that the gradient pushes against.
    let nf = 0;
    for (let i = 0; i < n; i++) {
      if ((uopt[i] <= ul[i] && gf[i] > 0) || (uopt[i] >= uu[i] && gf[i] < 0)) continue;
      freeF[nf++] = i;
    }
    if (nf === 0) return ok;
    // Cholesky of M_FF, solve M_FF·w = g_F.
    for (let a = 0; a < nf; a++) {
      for (let b = 0; b <= a; b++) {
        let s = Mm[freeF[a] * n + freeF[b]];
        for (let k = 0; k < b; k++) s -= Lw[a * n + k] * Lw[b * n + k];
        if (a === b) {
          if (!(s > 0)) return ok;
          Lw[a * n + a] = Math.sqrt(s);
        } else Lw[a * n + b] = s / Lw[b * n + b];
      }
    }
    for (let a = 0; a < nf; a++) {
      let s = gf[freeF[a]];
      for (let k = 0; k < a; k++) s -= Lw[a * n + k] * wv[k];
      wv[a] = s / Lw[a * n + a];
    }
    for (let a = nf - 1; a >= 0; a--) {
      let s = wv[a];
      for (let k = a + 1; k < nf; k++) s -= Lw[k * n + a] * wv[k];
      wv[a] = s / Lw[a * n + a];
    }
    let gw = 0;
    for (let a = 0; a < nf; a++) gw += gf[freeF[a]] * wv[a];
    if (!(gw > 0)) return ok;
    const t = delta / Math.sqrt(gw);
    dm.fill(0);
    for (let a = 0; a < nf; a++) {
      const i = freeF[a];
      const v = -t * wv[a];
      dm[i] = v > hi[i] ? hi[i] : v < lo[i] ? lo[i] : v;
    }
    const nrm = Math.sqrt(mnorm2(dm));
    if (nrm > delta) { for (let i = 0; i < n; i++) dm[i] *= delta / nrm; }
    let gd2 = 0;
    for (let i = 0; i < n; i++) gd2 += gf[i] * dm[i];
    if (!(gd2 < 0) || !(gd2 < gd1)) return ok;
    dx.set(dm);
    trial();
    return true;
  };

  /**
   * Fits a quadratic to the recent evaluations by least squares and, when its curvature is
   * resolved above rounding, sets M = |H|/‖H‖ (eigenvalues floored at 1e-10 of the largest).
   */
  const fitMetric = (): void => {
    const N = histLen;
    let r = 0, fmax = 0;
    for (let k = 0; k < N; k++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += (histU[k * n + i] - uopt[i]) ** 2;
      r = Math.max(r, Math.sqrt(s));
      fmax = Math.max(fmax, Math.abs(histF[k]));
    }
    if (!(r > 0)) return;
    const A = new Float64Array(N * nq), y = new Float64Array(N);
    const f0 = dat[n * mp + m];
    for (let k = 0; k < N; k++) {
      let c = 0;
      A[k + N * c++] = 1;
      for (let i = 0; i < n; i++) A[k + N * c++] = (histU[k * n + i] - uopt[i]) / r;
      for (let i = 0; i < n; i++) {
        const di = (histU[k * n + i] - uopt[i]) / r;
        for (let j = i; j < n; j++) A[k + N * c++] = di * (histU[k * n + j] - uopt[j]) / r;
      }
      y[k] = histF[k] - f0;
    }
    const coef = lstsq(A, y, N, nq);
    for (let c = 0; c < nq; c++) if (!Number.isFinite(coef[c])) return;
    const H = new Float64Array(n * n);
    let c = 1 + n, qmax = 0;
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++, c++) {
        if (i === j) H[i * n + i] = 2 * coef[c];
        else H[i * n + j] = H[j * n + i] = coef[c];
        qmax = Math.max(qmax, Math.abs(coef[c]));
      }
    }
    // The quadratic part must stand well above the rounding of f.
    if (!(qmax > 1e-9 * fmax)) return;
    const { s: sv, v } = svd(H, n, n);
    const smax = sv[0];
    if (!(smax > 0)) return;
    Mm.fill(0);
    Minv.fill(0);
    for (let k = 0; k < n; k++) {
      const lam = Math.max(sv[k], 1e-10 * smax) / smax;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          const vv = v[i + k * n] * v[j + k * n];
          Mm[i * n + j] += lam * vv;
          Minv[i * n + j] += vv / lam;
        }
      }
    }
  };

  /**
   * Bound-only trust-region subproblem into dx (and ut): min gᵀd subject to ‖d‖ ≤ Δ and the box,
   * solved exactly by d = clip(−λg) over the sorted breakpoints of λ.
   */
  const boxStep = (delta: number): boolean => boxSolve(delta, grads.subarray(m * n, m * n + n));

  /** min gvᵀd subject to ‖d‖ ≤ Δ and the box, into dx (and ut); false when gv = 0. */
  const boxSolve = (delta: number, gv: Float64Array): boolean => {
    let nb2 = 0, gg = 0, fixed = 0;
    for (let i = 0; i < n; i++) {
      const g = gv[i];
      lo[i] = ul[i] - uopt[i];
      hi[i] = uu[i] - uopt[i];
      dx[i] = 0;
      if (g === 0) continue;
      // −λg reaches its bound at λ = brk.
      const b = g < 0 ? hi[i] / -g : lo[i] / -g;
      brk[i] = b;
      order[nb2++] = i;
      gg += g * g;
    }
    if (nb2 === 0) return false;
    // Sort the breakpoints (insertion sort: n is small).
    for (let a = 1; a < nb2; a++) {
      const v = order[a];
      let b = a - 1;
      while (b >= 0 && brk[order[b]] > brk[v]) {
        order[b + 1] = order[b];
        b--;
      }
      order[b + 1] = v;
    }
    const d2 = delta * delta;
    let lambda = Infinity, a = 0;
    for (; a < nb2; a++) {
      const i = order[a], bi = brk[i];
      if (fixed + bi * bi * gg >= d2) break;
      const g = gv[i];
      const edge = g < 0 ? hi[i] : lo[i];
      fixed += edge * edge;
      // The free components' Σg², summed afresh: subtracting a large g² from the running sum
      // cancels a small remainder to 0 (a gradient pushing out of the box at a bound beside a
      // nearly stationary variable), which sent that variable to its far bound in one step.
      gg = 0;
      for (let c = a + 1; c < nb2; c++) gg += gv[order[c]] ** 2;
    }
    if (a < nb2) lambda = Math.sqrt(Math.max(0, d2 - fixed) / gg);
    for (let i = 0; i < n; i++) {
      const g = gv[i];
      if (g === 0) continue;
      const v = -lambda * g;
      dx[i] = v > hi[i] ? hi[i] : v < lo[i] ? lo[i] : v;
    }
    trial();
    return true;
  };

  /** General-constraint subproblem into dx (and ut); false when no step was found. */
  const trustStep = (rho: number): boolean => {
    const gf = grads.subarray(m * n, m * n + n);
    let rows = 0;
    for (let k = 0; k < m; k++, rows++) {
      for (let i = 0; i < n; i++) G[rows * n + i] = grads[k * n + i];
      h[rows] = -dat[n * mp + k];
    }
    for (let i = 0; i < n; i++) {
      if (ul[i] > -Infinity) {
        G.fill(0, rows * n, rows * n + n);
        G[rows * n + i] = 1;
        h[rows++] = ul[i] - uopt[i];
      }
      if (uu[i] < Infinity) {
        G.fill(0, rows * n, rows * n + n);
        G[rows * n + i] = -1;
        h[rows++] = uopt[i] - uu[i];
      }
    }
    const Gr = G.subarray(0, rows * n), hr = h.subarray(0, rows);
    let base = ldp(Gr, hr, rows, n);
    const norm = (d: Float64Array): number => {
      let t = 0;
      for (let i = 0; i < n; i++) t += d[i] * d[i];
      return Math.sqrt(t);
    };
    let bn = norm(base.d);
    if (!base.feasible || bn >= rho) {
      // Phase 1 (as Powell's trstlp): the least common relaxation t of the linearized
      // constraints that a step within the region can meet, found by bisection (t = max hₖ
      // admits d = 0); phase 2 below then minimizes the model of f under the relaxed constraints.
      let tmax = 0;
      for (let k = 0; k < m; k++) tmax = Math.max(tmax, h[k]);
      if (!(tmax > 0)) {
        if (!base.feasible || !(bn > 0)) return false;
        for (let i = 0; i < n; i++) dx[i] = base.d[i] * rho / bn;
        trial();
        return true;
      }
      hs.set(h.subarray(0, m));
      let tlo = 0, thi = tmax;
      for (let it = 0; it < 60 && thi - tlo > 1e-13 * tmax; it++) {
        const mid = 0.5 * (tlo + thi);
        for (let k = 0; k < m; k++) h[k] = hs[k] - mid;
        const q = ldp(Gr, hr, rows, n);
        if (q.feasible && norm(q.d) < rho) thi = mid;
        else tlo = mid;
      }
      for (let k = 0; k < m; k++) h[k] = hs[k] - thi;
      base = ldp(Gr, hr, rows, n);
      if (!base.feasible) return false;
      bn = norm(base.d);
      if (bn >= rho) {
        for (let i = 0; i < n; i++) dx[i] = base.d[i] * rho / bn;
        trial();
        return true;
      }
    }
    let gfn = 0;
    for (let i = 0; i < n; i++) gfn += gf[i] * gf[i];
    gfn = Math.sqrt(gfn);
    if (!(gfn > 0)) {
      dx.set(base.d);
      trial();
      return true;
    }
    // ‖d(ν)‖ for min ‖d‖² + ∇fᵀd/ν under the constraints decreases with ν: find ‖d‖ = ρ.
    const solveAt = (nu: number): number => {
      for (let i = 0; i < n; i++) gq[i] = gf[i] / nu;
      const q = solveQp(B2, gq, empty, empty, Gr, hr, n);
      if (!q.feasible) return NaN;
      dx.set(q.d);
      let s = 0;
      for (let i = 0; i < n; i++) s += q.d[i] ** 2;
      return Math.sqrt(s);
    };
    const finish = (): boolean => {
      trial();
      return true;
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
        return finish();
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
        if (v >= 0.99 * rho) return finish();
      }
    }
    solveAt(nuHi);
    return finish();
  };

  let status: number;
  if (n === 0) {
    bestRes = evaluate(ubest, colT);
    bestF = colT[m];
    status = Number.isFinite(bestF) ? 0 : 5;
  } else {
    status = pass(rhobeg);
    let rhoStart = rhobeg;
    for (let rs = 0; rs < restarts && status === 0; rs++) {
      const fBefore = bestF;
      // A fresh simplex at ten times the final resolution of the last start, at most rhobeg.
      rhoStart = Math.min(rhobeg, Math.max(1e3 * rhoend, rhoStart * 0.1));
      status = pass(rhoStart);
      if (!(fBefore - bestF > ftolRestart * Math.max(1, Math.abs(bestF)))) break;
    }
  }
  const x = Float64Array.from(xe);
  toX(ubest, x);
  if (status === 0 && bestRes > catol) status = 4;
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

const COBYLA_OPTION_KEYS = optionKeys<CobylaOptions>({
  lower: true,
  upper: true,
  constraints: true,
  rhobeg: true,
  rhoend: true,
  scale: true,
  metric: true,
  restarts: true,
  ftolRestart: true,
  catol: true,
  maxfev: true,
  callback: true,
});
