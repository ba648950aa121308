/**
 * The Levenberg-Marquardt step from the normal equations (pivoted Cholesky of JᵀJ) and its
 * switch to the pivoted QR: the factor against `qrfac`'s, the switch on an ill-conditioned
 * problem, and the NIST StRD suite with analytic Jacobians scored with both factorizations.
 */
import assert from "node:assert/strict";
import { normalEquationsR } from "../../lib/linalg/cholesky.ts";
import { qrfac } from "../../lib/linalg/qr.ts";
import {
  levenbergMarquardt,
  type LevenbergMarquardtOptions,
} from "../../lib/solvers/levenberg_marquardt.ts";
import { covarianceFromJacobian } from "../../lib/linalg/covariance.ts";
import { compileLoop } from "../../lib/expr/codegen.ts";
import { derivative } from "../../lib/expr/derivative.ts";
import { parse } from "../../lib/expr/parser.ts";
import { Random } from "../../mod.ts";
import { loadNist, lre, NIST_PROBLEM_NAMES, type NistProblem } from "../_nist.ts";

Deno.test("normal equations give qrfac's pivots, |R| and |Qᵀf|", () => {
  const rng = new Random(7);
  const m = 40, n = 5;
  const jac = Float64Array.from({ length: m * n }, (_, k) => rng.normal() * (1 + (k % 7)));
  const f = Float64Array.from({ length: m }, () => rng.normal());
  const r = new Float64Array(n * n), ipvt = new Int32Array(n);
  const rdiag = new Float64Array(n), acnorm = new Float64Array(n), qtf = new Float64Array(n);
  assert.ok(
    normalEquationsR(m, n, jac, f, r, ipvt, rdiag, acnorm, qtf, new Float64Array(n * n + n)),
  );
  const a = Float64Array.from(jac);
  const ipvtQ = new Int32Array(n), rdiagQ = new Float64Array(n), acnormQ = new Float64Array(n);
  qrfac(m, n, a, true, ipvtQ, rdiagQ, acnormQ, new Float64Array(n));
  assert.deepEqual([...ipvt], [...ipvtQ]);
  // Qᵀf from the Householder vectors stored in a (as the solver forms it).
  const w = Float64Array.from(f);
  const qtfQ = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const jj = j + j * m;
    if (a[jj] !== 0) {
      let s = 0;
      for (let i = j; i < m; i++) s += a[i + j * m] * w[i];
      for (let i = j; i < m; i++) w[i] -= (s / a[jj]) * a[i + j * m];
    }
    qtfQ[j] = w[j];
  }
  for (let j = 0; j < n; j++) {
    assert.ok(Math.abs(acnorm[j] - acnormQ[j]) <= 1e-13 * acnormQ[j]);
    assert.ok(Math.abs(Math.abs(rdiag[j]) - Math.abs(rdiagQ[j])) <= 1e-12 * Math.abs(rdiagQ[j]));
    // Row signs differ between the two factors; each row of R and its Qᵀf entry flip together.
    const sign = Math.sign(rdiag[j]) * Math.sign(rdiagQ[j]);
    assert.ok(Math.abs(qtf[j] - sign * qtfQ[j]) <= 1e-11 * (1 + Math.abs(qtfQ[j])), `qtf[${j}]`);
    for (let k = j + 1; k < n; k++) {
      const rq = a[j + k * m];
      assert.ok(Math.abs(r[j + k * n] - sign * rq) <= 1e-11 * (1 + Math.abs(rq)), `R[${j},${k}]`);
    }
  }
});

Deno.test("an ill-conditioned Jacobian makes the step switch from Cholesky to QR", () => {
  // y = a + b·t with t in [1000, 1001]: the columns [1] and [t] are nearly parallel
  // (scaled condition number of JᵀJ ~ 1e13).
  const m = 30;
  const t = Float64Array.from({ length: m }, (_, i) => 1000 + i / (m - 1));
  const y = t.map((v) => 3 + 0.5 * v + 0.01 * Math.sin(7 * v));
  const fcn = (p: Float64Array, out: Float64Array) => {
    for (let i = 0; i < m; i++) out[i] = p[0] + p[1] * t[i] - y[i];
  };
  const jac = (_p: Float64Array, out: Float64Array) => {
    for (let i = 0; i < m; i++) {
      out[i] = 1;
      out[i + m] = t[i];
    }
  };
  const ill = levenbergMarquardt(fcn, Float64Array.of(1, 1), m, { jac });
  assert.equal(ill.factorizations.normal, 0);
  assert.ok(ill.factorizations.qr > 0);
  // Centered, the same line is well-conditioned: every step from the normal equations.
  const fcnC = (p: Float64Array, out: Float64Array) => {
    for (let i = 0; i < m; i++) out[i] = p[0] + p[1] * (t[i] - 1000.5) - y[i];
  };
  const jacC = (_p: Float64Array, out: Float64Array) => {
    for (let i = 0; i < m; i++) {
      out[i] = 1;
      out[i + m] = t[i] - 1000.5;
    }
  };
  const well = levenbergMarquardt(fcnC, Float64Array.of(1, 1), m, { jac: jacC });
  assert.ok(well.factorizations.normal > 0);
  assert.equal(well.factorizations.qr, 0);
  const qr = levenbergMarquardt(fcnC, Float64Array.of(1, 1), m, { jac: jacC, factorization: "qr" });
  assert.equal(qr.factorizations.normal, 0);
  for (let k = 0; k < 2; k++) assert.ok(Math.abs(well.x[k] - qr.x[k]) <= 1e-10 * Math.abs(qr.x[k]));
  assert.ok(Math.abs(ill.x[1] - qr.x[1]) <= 1e-6);
  // Difference Jacobians: the normal equations before the polish phase, the QR in it; with
  // polish off (MINPACK's path) the QR throughout.
  const fd = levenbergMarquardt(fcnC, Float64Array.of(1, 1), m);
  assert.ok(fd.factorizations.normal > 0 && fd.factorizations.qr > 0, JSON.stringify(fd));
  // (The slope is the flat direction: the QR route stops 1.3e-8, this one 1.0e-8 (relative)
  // from the exact least-squares slope 0.49230261336.)
  for (let k = 0; k < 2; k++) assert.ok(Math.abs(fd.x[k] - qr.x[k]) <= 5e-8 * Math.abs(qr.x[k]));
  const minpack = levenbergMarquardt(fcnC, Float64Array.of(1, 1), m, { polish: false });
  assert.equal(minpack.factorizations.normal, 0);
  // Ill-conditioned with differences: the QR, whatever the phase.
  assert.equal(levenbergMarquardt(fcn, Float64Array.of(1, 1), m).factorizations.normal, 0);
  assert.throws(
    () => levenbergMarquardt(fcnC, Float64Array.of(1, 1), m, { factorization: "lu" as "qr" }),
    /factorization = 'lu'/,
  );
});

/** Residual and analytic Jacobian of a NIST problem from its formula's symbolic derivatives. */
function analytic(prob: NistProblem) {
  const xNames = prob.x.length === 1 ? ["x"] : ["x1", "x2"];
  const np = prob.nparams;
  const names = Array.from({ length: np }, (_, k) => `b${k + 1}`);
  const slot = new Map([...names, ...xNames].map((s, i) => [s, i]));
  const bind = (s: string) => {
    const i = slot.get(s);
    return i === undefined ? undefined : { kind: "slot" as const, index: i };
  };
  const ast = parse(prob.formula);
  const kernel = compileLoop(
    [ast, ...names.map((b) => derivative(ast, b))],
    bind,
    xNames.map((_, j) => np + j),
  );
  const m = prob.y.length;
  const slots = new Float64Array(np + xNames.length);
  const cols = prob.x.slice(0, xNames.length);
  const value = new Float64Array(m);
  const jacBuf = new Float64Array(m * np);
  const outs = [value, ...names.map((_, k) => jacBuf.subarray(k * m, (k + 1) * m))];
  const run = (p: Float64Array) => {
    slots.set(p);
    kernel(slots, cols, outs, m);
  };
  return {
    fcn: (p: Float64Array, out: Float64Array) => {
      run(p);
      for (let i = 0; i < m; i++) out[i] = value[i] - prob.y[i];
    },
    jac: (p: Float64Array, out: Float64Array) => {
      run(p);
      out.set(jacBuf);
    },
  };
}

function scoreAnalytic(options: LevenbergMarquardtOptions) {
  let values6 = 0, stderr4 = 0, falseSuccess = 0, normal = 0;
  for (const name of NIST_PROBLEM_NAMES) {
    const prob = loadNist(name);
    const { fcn, jac } = analytic(prob);
    const m = prob.y.length, n = prob.nparams;
    for (const start of [prob.start1, prob.start2]) {
      const r = levenbergMarquardt(fcn, Float64Array.from(start), m, { ...options, jac });
      normal += r.factorizations.normal;
      const cov = covarianceFromJacobian(r.fjac, m, n);
      let lv = 11, ls = 11;
      for (let k = 0; k < n; k++) {
        lv = Math.min(lv, lre(r.x[k], prob.certified[k]));
        const se = cov ? Math.sqrt((cov[k * n + k] * r.fun) / (m - n)) : NaN;
        ls = Math.min(ls, lre(se, prob.certifiedStderr[k]));
      }
      if (lv >= 6) values6++;
      if (ls >= 4) stderr4++;
      if (r.success && lv < 4) falseSuccess++;
    }
  }
  return { values6, stderr4, falseSuccess, normal };
}

Deno.test("NIST StRD with analytic Jacobians: the normal equations lose no digits against QR", () => {
  const qr = scoreAnalytic({ factorization: "qr" });
  const auto = scoreAnalytic({});
  console.log("analytic Jacobians, QR:", qr, "normal equations:", auto);
  assert.equal(qr.normal, 0);
  assert.ok(auto.normal > 0);
  assert.equal(auto.falseSuccess, 0);
  assert.ok(auto.values6 >= qr.values6, `values: ${auto.values6} vs QR ${qr.values6}`);
  assert.ok(auto.stderr4 >= qr.stderr4, `stderr: ${auto.stderr4} vs QR ${qr.stderr4}`);
});
