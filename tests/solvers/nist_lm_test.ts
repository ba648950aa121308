/**
 * The NIST StRD nonlinear-regression suite at solver level: `levenbergMarquardt` with default
 * settings and its forward-difference Jacobian, on the 27 problems from both starts. Values are
 * scored against the certified ones; standard errors come from `covarianceFromJacobian` of the
 * returned `fjac`, scaled by s² = SSR/(n−p), as NIST defines them.
 *
 * Bar: ≥ 48 of 54 cases reach 6 digits in every value, ≥ 46 reach 4 digits in every standard
 * error (Python lmfit 1.1.0 leastsq: 30 and 45), and no case reports success at a wrong minimum.
 */
import assert from "node:assert/strict";
import {
  levenbergMarquardt,
  type LevenbergMarquardtOptions,
} from "../../lib/solvers/levenberg_marquardt.ts";
import { covarianceFromJacobian } from "../../lib/linalg/covariance.ts";
import {
  loadNist,
  lre,
  NIST_PROBLEM_NAMES,
  nistResidual,
  type NistScoreRow,
  scoreTable,
} from "../_nist.ts";

/** Solves every NIST case with `levenbergMarquardt(options)` and scores it. */
export function scoreNistLm(options: LevenbergMarquardtOptions = {}): NistScoreRow[] {
  const rows: NistScoreRow[] = [];
  for (const name of NIST_PROBLEM_NAMES) {
    const prob = loadNist(name);
    const fcn = nistResidual(prob);
    const m = prob.y.length, n = prob.nparams;
    for (const start of [1, 2] as const) {
      const x0 = Float64Array.from(start === 1 ? prob.start1 : prob.start2);
      const r = levenbergMarquardt(fcn, x0, m, options);
      const cov = covarianceFromJacobian(r.fjac, m, n);
      const s2 = r.fun / (m - n);
      let lv = 11, ls = 11;
      for (let k = 0; k < n; k++) {
        lv = Math.min(lv, lre(r.x[k], prob.certified[k]));
        const se = cov ? Math.sqrt(cov[k * n + k] * s2) : NaN;
        ls = Math.min(ls, lre(se, prob.certifiedStderr[k]));
      }
      rows.push({
        name,
        start,
        success: r.success,
        lreValues: lv,
        lreStderr: ls,
        nfev: r.nfev,
        message: r.message,
      });
    }
  }
  return rows;
}

Deno.test("NIST StRD at solver level: >= 48/54 values to 6 digits, >= 46/54 stderr to 4, no false success", () => {
  const rows = scoreNistLm();
  console.log(scoreTable(rows));
  assert.equal(rows.length, 54);
  const values6 = rows.filter((s) => s.lreValues >= 6).length;
  const stderr4 = rows.filter((s) => s.lreStderr >= 4).length;
  assert.deepEqual(
    rows.filter((s) => s.success && s.lreValues < 4).map((s) => `${s.name} start ${s.start}`),
    [],
    "success reported at a wrong minimum",
  );
  assert.ok(values6 >= 48, `only ${values6}/54 cases reach 6 digits in the values`);
  assert.ok(stderr4 >= 46, `only ${stderr4}/54 cases reach 4 digits in the standard errors`);
});

Deno.test("NIST loader: formulas reproduce the certified SSR at the certified values", () => {
  for (const name of NIST_PROBLEM_NAMES) {
    if (name === "Lanczos1") continue; // SSR 1.4e-25: rounding of the certified values dominates
    const p = loadNist(name);
    const out = new Float64Array(p.y.length);
    nistResidual(p)(Float64Array.from(p.certified), out);
    let ssr = 0;
    for (const v of out) ssr += v * v;
    assert.ok(lre(ssr, p.certifiedSsr) >= 8, `${name}: SSR ${ssr} vs ${p.certifiedSsr}`);
  }
});
