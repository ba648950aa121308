/**
 * Moré–Thuente line search (MINPACK-2 `dcsrch`/`dcstep`; J. J. Moré and D. J. Thuente, "Line
 * search algorithms with guaranteed sufficient decrease", ACM TOMS 20, 1994), with a maximum
 * step so that bounded solvers stay inside their box. Used by L-BFGS-B exactly as its
 * `lnsrlb` does (ftol = 1e-3, gtol = 0.9, xtol = 0.1). Non-finite values shrink the step.
 *
 * @module
 */

/** Evaluates φ(stp) and φ'(stp); returns false to stop (budget exhausted). */
export type StepEvaluator = (stp: number, out: { f: number; g: number }) => boolean;

/** Outcome of `moreThuente`. */
export interface MoreThuenteResult {
  /** Accepted step (the best one tried when the search did not converge). */
  stp: number;
  /** φ at `stp`. */
  f: number;
  /** φ' at `stp`. */
  g: number;
  /** 0: strong Wolfe conditions hold; 1: warning (rounding, xtol, stpmax, stpmin, maxls);
   * 2: stopped by the evaluator; 3: not a descent direction. */
  info: number;
  /** Evaluations made. */
  nfg: number;
}

interface StepState {
  stx: number;
  fx: number;
  dx: number;
  sty: number;
  fy: number;
  dy: number;
  brackt: boolean;
}

/** MINPACK-2 dcstep: safeguarded cubic/quadratic step; updates the interval `s`. */
function dcstep(
  s: StepState,
  stp: number,
  fp: number,
  dp: number,
  stpmin: number,
  stpmax: number,
): number {
  const { stx, fx, dx, sty, fy, dy } = s;
  const sgnd = dp * Math.sign(dx);
  let stpf: number;
  if (fp > fx) {
    const theta = 3 * (fx - fp) / (stp - stx) + dx + dp;
    const sc = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
    let gamma = sc * Math.sqrt(Math.max(0, (theta / sc) ** 2 - (dx / sc) * (dp / sc)));
    if (stp < stx) gamma = -gamma;
    const p = gamma - dx + theta, q = gamma - dx + gamma + dp;
    const stpc = stx + (p / q) * (stp - stx);
    const stpq = stx + (dx / ((fx - fp) / (stp - stx) + dx)) / 2 * (stp - stx);
    stpf = Math.abs(stpc - stx) < Math.abs(stpq - stx) ? stpc : stpc + (stpq - stpc) / 2;
    s.brackt = true;
  } else if (sgnd < 0) {
    const theta = 3 * (fx - fp) / (stp - stx) + dx + dp;
    const sc = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
    let gamma = sc * Math.sqrt(Math.max(0, (theta / sc) ** 2 - (dx / sc) * (dp / sc)));
    if (stp > stx) gamma = -gamma;
    const p = gamma - dp + theta, q = gamma - dp + gamma + dx;
    const stpc = stp + (p / q) * (stx - stp);
    const stpq = stp + (dp / (dp - dx)) * (stx - stp);
    stpf = Math.abs(stpc - stp) > Math.abs(stpq - stp) ? stpc : stpq;
    s.brackt = true;
  } else if (Math.abs(dp) < Math.abs(dx)) {
    const theta = 3 * (fx - fp) / (stp - stx) + dx + dp;
    const sc = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
    let gamma = sc * Math.sqrt(Math.max(0, (theta / sc) ** 2 - (dx / sc) * (dp / sc)));
    if (stp > stx) gamma = -gamma;
    const p = gamma - dp + theta, q = gamma + (dx - dp) + gamma;
    const r = p / q;
    const stpc = r < 0 && gamma !== 0 ? stp + r * (stx - stp) : stp > stx ? stpmax : stpmin;
    const stpq = stp + (dp / (dp - dx)) * (stx - stp);
    if (s.brackt) {
      stpf = Math.abs(stpc - stp) < Math.abs(stpq - stp) ? stpc : stpq;
      stpf = stp > stx
        ? Math.min(stp + 0.66 * (sty - stp), stpf)
        : Math.max(stp + 0.66 * (sty - stp), stpf);
    } else {
      stpf = Math.abs(stpc - stp) > Math.abs(stpq - stp) ? stpc : stpq;
      stpf = Math.max(stpmin, Math.min(stpmax, stpf));
    }
  } else if (s.brackt) {
    const theta = 3 * (fp - fy) / (sty - stp) + dy + dp;
    const sc = Math.max(Math.abs(theta), Math.abs(dy), Math.abs(dp));
    let gamma = sc * Math.sqrt(Math.max(0, (theta / sc) ** 2 - (dy / sc) * (dp / sc)));
    if (stp > sty) gamma = -gamma;
    const p = gamma - dp + theta, q = gamma - dp + gamma + dy;
    stpf = stp + (p / q) * (sty - stp);
  } else {
    stpf = stp > stx ? stpmax : stpmin;
  }
  if (fp > fx) {
    s.sty = stp;
    s.fy = fp;
    s.dy = dp;
  } else {
    if (sgnd < 0) {
      s.sty = stx;
      s.fy = fx;
      s.dy = dx;
    }
    s.stx = stp;
    s.fx = fp;
    s.dx = dp;
  }
  return stpf;
}

/**
 * Searches φ(stp) = f(x + stp·d) on [0, stpmax] from `stp0` for a point satisfying the strong
 * Wolfe conditions φ(stp) ≤ φ(0) + ftol·stp·φ'(0), |φ'(stp)| ≤ gtol·|φ'(0)|.
 *
 * @example
 * ```ts
 * import { moreThuente } from "./_bounded_line_search.ts";
 * // φ(t) = (t − 2)², φ'(t) = 2(t − 2)
 * const r = moreThuente((t, o) => { o.f = (t - 2) ** 2; o.g = 2 * (t - 2); return true; }, 4, -4, 1, 10, 1e-3, 0.9, 0.1, 20);
 * r.info; // 0
 * ```
 */
export function moreThuente(
  evaluate: StepEvaluator,
  finit: number,
  ginit: number,
  stp0: number,
  stpmax: number,
  ftol: number,
  gtol: number,
  xtol: number,
  maxls: number,
): MoreThuenteResult {
  const stpmin = 0;
  const res: MoreThuenteResult = { stp: 0, f: finit, g: ginit, info: 0, nfg: 0 };
  if (!(ginit < 0)) {
    res.info = 3;
    return res;
  }
  const xtrapl = 1.1, xtrapu = 4;
  const s: StepState = {
    stx: 0,
    fx: finit,
    dx: ginit,
    sty: 0,
    fy: finit,
    dy: ginit,
    brackt: false,
  };
  let stp = Math.min(stp0, stpmax);
  let stage = 1;
  const gtest = ftol * ginit;
  let width = stpmax - stpmin, width1 = width / 0.5;
  let stmin = 0, stmax = stp + xtrapu * stp;
  const out = { f: 0, g: 0 };
  let bestStp = 0, bestF = finit, bestG = ginit;
  while (true) {
    if (res.nfg >= maxls) {
      res.info = 1;
      break;
    }
    if (!evaluate(stp, out)) {
      res.info = 2;
      break;
    }
    res.nfg++;
    const f = out.f, g = out.g;
    if (!Number.isFinite(f) || !Number.isFinite(g)) {
      // A non-finite value: shrink towards the best point and bracket.
      s.brackt = true;
      s.sty = stp;
      s.fy = Infinity;
      stp = s.stx + 0.25 * (stp - s.stx);
      stmax = Math.max(s.stx, stp);
      stmin = Math.min(s.stx, stp);
      continue;
    }
    if (f < bestF) {
      bestStp = stp;
      bestF = f;
      bestG = g;
    }
    const ftest = finit + stp * gtest;
    if (stage === 1 && f <= ftest && g >= 0) stage = 2;
    let stop = false;
    if (s.brackt && (stp <= stmin || stp >= stmax)) stop = true;
    if (s.brackt && stmax - stmin <= xtol * stmax) stop = true;
    if (stp === stpmax && f <= ftest && g <= gtest) stop = true;
    if (stp === stpmin && (f > ftest || g >= gtest)) stop = true;
    if (f <= ftest && Math.abs(g) <= gtol * -ginit) {
      res.stp = stp;
      res.f = f;
      res.g = g;
      res.info = 0;
      return res;
    }
    if (stop) {
      res.info = 1;
      res.stp = stp;
      res.f = f;
      res.g = g;
      if (f > bestF) {
        res.stp = bestStp;
        res.f = bestF;
        res.g = bestG;
      }
      return res;
    }
    if (!Number.isFinite(s.fy)) {
      // The upper end was non-finite: bisect between the best point and it.
      if (f > s.fx) {
        s.sty = stp;
        s.fy = Infinity;
      } else {
        s.stx = stp;
        s.fx = f;
        s.dx = g;
      }
      stp = s.stx + 0.5 * (s.sty - s.stx);
      stmin = Math.min(s.stx, s.sty);
      stmax = Math.max(s.stx, s.sty);
      continue;
    }
    if (stage === 1 && f <= s.fx && f > ftest) {
      const st: StepState = {
        stx: s.stx,
        fx: s.fx - s.stx * gtest,
        dx: s.dx - gtest,
        sty: s.sty,
        fy: s.fy - s.sty * gtest,
        dy: s.dy - gtest,
        brackt: s.brackt,
      };
      stp = dcstep(st, stp, f - stp * gtest, g - gtest, stmin, stmax);
      s.stx = st.stx;
      s.sty = st.sty;
      s.brackt = st.brackt;
      s.fx = st.fx + st.stx * gtest;
      s.fy = st.fy + st.sty * gtest;
      s.dx = st.dx + gtest;
      s.dy = st.dy + gtest;
    } else {
      stp = dcstep(s, stp, f, g, stmin, stmax);
    }
    if (s.brackt) {
      if (Math.abs(s.sty - s.stx) >= 0.66 * width1) stp = s.stx + 0.5 * (s.sty - s.stx);
      width1 = width;
      width = Math.abs(s.sty - s.stx);
      stmin = Math.min(s.stx, s.sty);
      stmax = Math.max(s.stx, s.sty);
    } else {
      stmin = stp + xtrapl * (stp - s.stx);
      stmax = stp + xtrapu * (stp - s.stx);
    }
    stp = Math.max(stpmin, Math.min(stpmax, stp));
    if (
      (s.brackt && (stp <= stmin || stp >= stmax)) || (s.brackt && stmax - stmin <= xtol * stmax)
    ) {
      stp = s.stx;
    }
  }
  res.stp = bestStp;
  res.f = bestF;
  res.g = bestG;
  return res;
}
