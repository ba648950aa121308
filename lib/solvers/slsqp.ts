/**
 * SLSQP: Sequential Least SQuares Programming (D. Kraft, "A software package for sequential
 * quadratic programming", DFVLR-FB 88-28, 1988), as scipy's `minimize(method="SLSQP")`.
 *
 * Each iteration solves the quadratic subproblem
 * min ½dᵀBd + ∇fᵀd subject to the linearized constraints (cᵢ + ∇cᵢᵀd = 0 or ≥ 0) and the box
 * lower − x ≤ d ≤ upper − x, by Kraft's route (equality elimination by QR, the rest as a least
 * distance program solved by NNLS; see `_bounded_qp.ts`). The step is taken with a line search on
 * the L1 merit function φ = f + Σ ρᵢ|cᵢ| (equalities) + Σ ρᵢ max(0, −cᵢ) (inequalities), with
 * ρᵢ = max(|λᵢ|, ½(ρᵢ + |λᵢ|)); B is the BFGS approximation of the Lagrangian's Hessian with
 * Powell's damping (kept positive definite), reset to the identity when a line search fails.
 * Gradients (objective and constraints) by box-respecting forward differences unless given.
 *
 * | status | meaning |
 * |---|---|
 * | 0 | converged: \|Δf\| < ftol or ‖d‖ < ftol, with constraint violation < ftol |
 * | 4 | the linearized constraints are incompatible (the QP subproblem is infeasible) |
 * | 8 | positive directional derivative in the line search (no decrease of the merit function) |
 * | 9 | maxiter reached |
 * | 10 | maxfev reached |
 * | 11 | the objective is not finite at the start |
 * | -1 | aborted by the callback |
 *
 * @module
 */

import type { GradientFunction, IterationCallback, ScalarFunction, SolverResult } from "./types.ts";
import { boundedGradient, boundedObjective, project, resolveBox } from "./_bounded_common.ts";
import { solveQp } from "./_bounded_qp.ts";
import { checkOptions, optionKeys } from "../util/options.ts";

/**
 * A general constraint: `fun(x) ≥ 0` ("ineq") or `fun(x) = 0` ("eq").
 *
 * @example
 * ```ts
 * import { type Constraint, slsqp } from "./slsqp.ts";
 * // Stay on the line x0 + x1 = 1, with an analytic constraint gradient.
 * const onLine: Constraint = {
 *   type: "eq",
 *   fun: (x) => x[0] + x[1] - 1,
 *   jac: (_x, out) => out.fill(1),
 * };
 * slsqp((x) => x[0] ** 2 + x[1] ** 2, Float64Array.of(1, 0), { constraints: [onLine] }).x; // ≈ [0.5, 0.5]
 * ```
 *
 * @category Solvers
 */
export interface Constraint {
  /** Inequality (fun ≥ 0) or equality (fun = 0). */
  type: "ineq" | "eq";
  /** The constraint function. */
  fun: (x: Float64Array) => number;
  /** Its gradient; forward differences when absent. */
  jac?: GradientFunction;
}

/**
 * Options of `slsqp`.
 *
 * @example
 * ```ts
 * import { slsqp, type SlsqpOptions } from "./slsqp.ts";
 * const options: SlsqpOptions = {
 *   lower: Float64Array.of(0, 0),
 *   constraints: [{ type: "ineq", fun: (x) => 1 - x[0] - x[1] }],
 *   ftol: 1e-9,
 * };
 * slsqp((x) => (x[0] - 1) ** 2 + (x[1] - 1) ** 2, Float64Array.of(0, 0), options).x; // ≈ [0.5, 0.5]
 * ```
 *
 * @category Solvers
 */
export interface SlsqpOptions {
  /** Lower bounds (−Infinity for none). @default all −Infinity */
  lower?: Float64Array;
  /** Upper bounds (+Infinity for none). @default all +Infinity */
  upper?: Float64Array;
  /** General constraints. @default [] */
  constraints?: Constraint[];
  /** Gradient of the objective; box-respecting finite differences when absent. @default undefined */
  grad?: GradientFunction;
  /** Finite-difference scheme for the objective when `grad` is absent. @default "forward" */
  fdMethod?: "forward" | "central";
  /** Accuracy goal (Kraft's `acc`, scipy's `ftol`). @default 1e-6 */
  ftol?: number;
  /** Maximum iterations. @default 100 */
  maxiter?: number;
  /** Maximum objective evaluations (finite differences included). @default 20000 */
  maxfev?: number;
  /** Called each iteration with the current point; `true` aborts. @default undefined */
  callback?: IterationCallback;
}

/** Status messages of `slsqp`, by status code. */
export const SLSQP_MESSAGES: Readonly<Record<number, string>> = Object.freeze({
  0: "Optimization terminated successfully",
  4: "Inequality constraints incompatible",
  8: "Positive directional derivative for linesearch",
  9: "Iteration limit reached",
  10: "Maximum number of function evaluations has been exceeded.",
  11: "The objective is not finite at the starting point.",
  [-1]: "Aborted by the iteration callback.",
});

/**
 * Minimises `fun` from `x0` subject to bounds and optional constraints by SLSQP. A start
 * outside the box is projected onto it.
 *
 * @example
 * ```ts
 * import { slsqp } from "./slsqp.ts";
 * const f = (x: Float64Array) => (x[0] - 1) ** 2 + (x[1] - 2.5) ** 2;
 * const r = slsqp(f, Float64Array.of(2, 0), {
 *   lower: Float64Array.of(0, 0),
 *   constraints: [{ type: "ineq", fun: (x) => x[0] - 2 * x[1] + 2 }],
 * });
 * r.x; // ≈ [1.4, 1.7]
 * ```
 *
 * @category Solvers
 */
export function slsqp(
  fun: ScalarFunction,
  x0: Float64Array,
  options: SlsqpOptions = {},
): SolverResult {
  checkOptions(options, SLSQP_OPTION_KEYS, "slsqp");
  const n = x0.length;
  const { lower, upper } = resolveBox(n, options.lower, options.upper);
  const cons = options.constraints ?? [];
  for (let i = 0; i < cons.length; i++) {
    const c = cons[i];
    if (!c || (c.type !== "ineq" && c.type !== "eq") || typeof c.fun !== "function") {
      throw new TypeError(`constraints[${i}] must be {type: "ineq" | "eq", fun: (x) => number}`);
    }
  }
  const acc = options.ftol ?? 1e-6;
  const maxiter = options.maxiter ?? 100;
  const maxfev = options.maxfev ?? 20000;
  const obj = boundedObjective(fun, n, options.grad, options.fdMethod ?? "forward", lower, upper);
  const eqIdx = cons.map((c, i) => c.type === "eq" ? i : -1).filter((i) => i >= 0);
  const inIdx = cons.map((c, i) => c.type === "ineq" ? i : -1).filter((i) => i >= 0);
  const me = eqIdx.length, mg = inIdx.length;
  const boundRows: number[] = []; // +j+1 for lower bound of j, −(j+1) for upper
  for (let j = 0; j < n; j++) {
    if (lower[j] > -Infinity) boundRows.push(j + 1);
    if (upper[j] < Infinity) boundRows.push(-(j + 1));
  }
  const mi = mg + boundRows.length, mc = cons.length;

  const x = Float64Array.from(x0);
  project(x, lower, upper);
  const xn = new Float64Array(n), g = new Float64Array(n), gn = new Float64Array(n);
  const c = new Float64Array(mc), cn = new Float64Array(mc);
  const A = new Float64Array(mc * n), An = new Float64Array(mc * n); // row-major
  const B = new Float64Array(n * n);
  const Aeq = new Float64Array(me * n), beq = new Float64Array(me);
  const Ain = new Float64Array(mi * n), bin = new Float64Array(mi);
  const rho = new Float64Array(mc), lam = new Float64Array(mc);
  const s = new Float64Array(n), yv = new Float64Array(n), bs = new Float64Array(n);
  const work = new Float64Array(n), crow = new Float64Array(n);
  const resetB = () => {
    B.fill(0);
    for (let i = 0; i < n; i++) B[i * n + i] = 1;
  };
  resetB();

  const evalCons = (xx: Float64Array, out: Float64Array) => {
    for (let i = 0; i < mc; i++) out[i] = cons[i].fun(xx);
  };
  const evalJac = (xx: Float64Array, cv: Float64Array, out: Float64Array) => {
    for (let i = 0; i < mc; i++) {
      const ci = cons[i];
      if (ci.jac) ci.jac(xx, crow);
      else boundedGradient(ci.fun, xx, cv[i], crow, work, lower, upper, false);
      out.set(crow, i * n);
    }
  };
  const violation = (cv: Float64Array) => {
    let h = 0;
    for (let i = 0; i < mc; i++) h += cons[i].type === "eq" ? Math.abs(cv[i]) : Math.max(0, -cv[i]);
    return h;
  };
  const merit = (fv: number, cv: Float64Array) => {
    let p = fv;
    for (let i = 0; i < mc; i++) {
      p += rho[i] * (cons[i].type === "eq" ? Math.abs(cv[i]) : Math.max(0, -cv[i]));
    }
    return p;
  };
  /** ∇L = g − Aᵀλ with the current multipliers. */
  const lagGrad = (gg: Float64Array, AA: Float64Array, out: Float64Array) => {
    for (let j = 0; j < n; j++) {
      let v = gg[j];
      for (let i = 0; i < mc; i++) v -= AA[i * n + j] * lam[i];
      out[j] = v;
    }
  };

  let fx = obj.f(x);
  let status = 9, nit = 0, aborted = false;
  if (fx === Infinity) status = 11;
  else {
    obj.grad(x, g, fx);
    evalCons(x, c);
    evalJac(x, c, A);
  }
  let fresh = true; // B is the identity
  while (status === 9 && nit < maxiter) {
    if (obj.nfev >= maxfev) {
      status = 10;
      break;
    }
    // Build the QP.
    for (let a = 0; a < me; a++) {
      const i = eqIdx[a];
      Aeq.set(A.subarray(i * n, i * n + n), a * n);
      beq[a] = -c[i];
    }
    Ain.fill(0);
    for (let a = 0; a < mg; a++) {
      const i = inIdx[a];
      Ain.set(A.subarray(i * n, i * n + n), a * n);
      bin[a] = -c[i];
    }
    for (let b = 0; b < boundRows.length; b++) {
      const code = boundRows[b], j = Math.abs(code) - 1, r = mg + b;
      if (code > 0) {
        Ain[r * n + j] = 1;
        bin[r] = lower[j] - x[j];
      } else {
        Ain[r * n + j] = -1;
        bin[r] = x[j] - upper[j];
      }
    }
    const qp = solveQp(B, g, Aeq, beq, Ain, bin, n);
    if (!qp.feasible) {
      if (!fresh) {
        resetB();
        fresh = true;
        continue;
      }
      status = 4;
      break;
    }
    const d = qp.d;
    for (let a = 0; a < me; a++) lam[eqIdx[a]] = qp.mu[a];
    for (let a = 0; a < mg; a++) lam[inIdx[a]] = qp.lambda[a];
    for (let i = 0; i < mc; i++) {
      const h = Math.abs(lam[i]);
      rho[i] = Math.max(h, 0.5 * (rho[i] + h));
    }
    let gd = 0, dnorm = 0;
    for (let j = 0; j < n; j++) {
      gd += g[j] * d[j];
      dnorm += d[j] * d[j];
    }
    dnorm = Math.sqrt(dnorm);
    const viol = violation(c);
    let lamc = 0;
    for (let i = 0; i < mc; i++) lamc += Math.abs(lam[i] * c[i]);
    if (Math.abs(gd) + lamc < acc && viol < acc) {
      status = 0;
      break;
    }
    const phi0 = merit(fx, c);
    let dphi = gd;
    for (let i = 0; i < mc; i++) {
      dphi -= rho[i] * (cons[i].type === "eq" ? Math.abs(c[i]) : Math.max(0, -c[i]));
    }
    // Line search on the merit function.
    let alpha = 1, fnew = Infinity, accepted = false;
    for (let trial = 0; trial < 10; trial++) {
      if (obj.nfev >= maxfev) break;
      for (let j = 0; j < n; j++) xn[j] = x[j] + alpha * d[j];
      project(xn, lower, upper);
      fnew = obj.f(xn);
      if (fnew < Infinity) evalCons(xn, cn);
      const phi = fnew < Infinity ? merit(fnew, cn) : Infinity;
      if (!(dphi < 0)) {
        accepted = phi <= phi0;
        if (accepted) break;
      } else if (phi - phi0 <= 0.1 * alpha * dphi) {
        accepted = true;
        break;
      }
      const quad = Number.isFinite(phi)
        ? -dphi * alpha * alpha / (2 * (phi - phi0 - dphi * alpha))
        : 0.1 * alpha;
      alpha = Math.min(0.5 * alpha, Math.max(0.1 * alpha, quad));
    }
    if (!accepted) {
      if (obj.nfev >= maxfev) {
        status = 10;
        break;
      }
      if (!fresh) {
        resetB();
        fresh = true;
        continue;
      }
      status = 8;
      break;
    }
    obj.grad(xn, gn, fnew);
    evalJac(xn, cn, An);
    // BFGS update of B with the Lagrangian gradient difference, Powell's damping.
    lagGrad(gn, An, yv);
    lagGrad(g, A, bs);
    let sBs = 0, sy = 0, snorm = 0;
    for (let j = 0; j < n; j++) {
      s[j] = xn[j] - x[j];
      yv[j] -= bs[j];
      snorm += s[j] * s[j];
    }
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let j = 0; j < n; j++) v += B[i * n + j] * s[j];
      bs[i] = v;
      sBs += s[i] * v;
      sy += s[i] * yv[i];
    }
    if (sBs > 0) {
      if (sy < 0.2 * sBs) {
        const th = 0.8 * sBs / (sBs - sy);
        for (let j = 0; j < n; j++) yv[j] = th * yv[j] + (1 - th) * bs[j];
        sy = 0.2 * sBs;
      }
      if (sy > 0) {
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) B[i * n + j] += yv[i] * yv[j] / sy - bs[i] * bs[j] / sBs;
        }
        fresh = false;
      }
    }
    const fPrev = fx;
    x.set(xn);
    g.set(gn);
    c.set(cn);
    A.set(An);
    fx = fnew;
    nit++;
    if (options.callback && options.callback(x, nit, fx) === true) {
      aborted = true;
      break;
    }
    if ((Math.abs(fx - fPrev) < acc || Math.sqrt(snorm) < acc) && violation(c) < acc) {
      status = 0;
      break;
    }
  }
  const st = aborted ? -1 : status;
  return {
    x,
    fun: fx,
    success: st === 0,
    status: st,
    message: SLSQP_MESSAGES[st],
    nfev: obj.nfev,
    njev: obj.njev,
    nit,
    aborted,
  };
}

const SLSQP_OPTION_KEYS = optionKeys<SlsqpOptions>({
  lower: true,
  upper: true,
  constraints: true,
  grad: true,
  fdMethod: true,
  ftol: true,
  maxiter: true,
  maxfev: true,
  callback: true,
});
