import assert from "node:assert/strict";
import { levenbergMarquardt } from "../../mod.ts";

const t = Float64Array.from({ length: 30 }, (_, i) => i / 3);
const y = t.map((v, i) => 2 * Math.exp(-0.3 * v) + 0.5 + 0.01 * Math.sin(7 * i));
const resid = (p: Float64Array, out: Float64Array) => {
  for (let i = 0; i < t.length; i++) out[i] = p[0] * Math.exp(-p[1] * t[i]) + p[2] - y[i];
};

Deno.test("converges with the documented status codes and messages", () => {
  const r = levenbergMarquardt(resid, Float64Array.of(1, 1, 0), t.length);
  assert.equal(r.success, true);
  assert.ok([1, 2, 3, 4].includes(r.info), `info ${r.info}`);
  [2, 0.3, 0.5].forEach((v, k) => assert.ok(Math.abs(r.x[k] - v) < 2e-2));
  assert.equal(r.fjac.length, t.length * 3);
  const loose = levenbergMarquardt(resid, Float64Array.of(1, 1, 0), t.length, {
    ftol: 1e-3,
    xtol: 1e-30,
    polish: false,
  });
  assert.equal(loose.info, 1);
  assert.match(loose.message, /reductions in the sum of squares are at most ftol/);
  const xt = levenbergMarquardt(resid, Float64Array.of(1, 1, 0), t.length, {
    ftol: 1e-30,
    xtol: 1e-4,
    polish: false,
  });
  assert.equal(xt.info, 2);
  const gt = levenbergMarquardt(resid, Float64Array.of(1, 1, 0), t.length, {
    ftol: 1e-30,
    xtol: 1e-30,
    gtol: 1e-3,
    polish: false,
  });
  assert.equal(gt.info, 4);
});

Deno.test("maxfev ends with info 5 and success false; callback abort with -1", () => {
  const r = levenbergMarquardt(resid, Float64Array.of(1, 1, 0), t.length, { maxfev: 12 });
  assert.equal(r.info, 5);
  assert.equal(r.success, false);
  assert.ok(r.nfev <= 12, `nfev ${r.nfev}`);
  const a = levenbergMarquardt(resid, Float64Array.of(1, 1, 0), t.length, {
    callback: (_x, it) => it >= 3,
  });
  assert.equal(a.info, -1);
  assert.equal(a.aborted, true);
});

Deno.test("a trial step with non-finite residuals is rejected, not a crash", () => {
  // sqrt of a negative parameter is NaN: the solver must shrink its steps and stay where it is defined.
  const yy = t.map((v) => Math.sqrt(0.04) * v + 1);
  const f = (p: Float64Array, out: Float64Array) => {
    for (let i = 0; i < t.length; i++) out[i] = Math.sqrt(p[0]) * t[i] + p[1] - yy[i];
  };
  const r = levenbergMarquardt(f, Float64Array.of(3, 0), t.length, { factor: 1000 });
  assert.equal(r.success, true, r.message);
  assert.ok(Math.abs(r.x[0] - 0.04) < 1e-9);
  const bad = levenbergMarquardt(() => {}, Float64Array.of(1, 2), 1);
  assert.equal(bad.info, 0, "m < n is improper input");
  const nanStart = levenbergMarquardt((_p, out) => out.fill(NaN), Float64Array.of(1), 3);
  assert.equal(nanStart.info, 0);
  assert.match(nanStart.message, /not finite/);
});

Deno.test("user Jacobians in either orientation give the answer with fewer evaluations", () => {
  const jac = (p: Float64Array, j: Float64Array) => {
    const m = t.length;
    for (let i = 0; i < m; i++) {
      const e = Math.exp(-p[1] * t[i]);
      j[i] = e;
      j[i + m] = -p[0] * t[i] * e;
      j[i + 2 * m] = 1;
    }
  };
  const jacRows = (p: Float64Array, j: Float64Array) => {
    const m = t.length;
    for (let i = 0; i < m; i++) {
      const e = Math.exp(-p[1] * t[i]);
      j[i] = e;
      j[m + i] = -p[0] * t[i] * e;
      j[2 * m + i] = 1;
    }
  };
  const fd = levenbergMarquardt(resid, Float64Array.of(1, 1, 0), t.length);
  const an = levenbergMarquardt(resid, Float64Array.of(1, 1, 0), t.length, { jac });
  const rows = levenbergMarquardt(resid, Float64Array.of(1, 1, 0), t.length, {
    jac: jacRows,
    colDeriv: true,
  });
  for (const r of [an, rows]) {
    for (let k = 0; k < 3; k++) {
      assert.ok(Math.abs(r.x[k] - fd.x[k]) < 1e-8 * Math.max(1, Math.abs(fd.x[k])));
    }
    assert.ok(r.nfev < fd.nfev && r.njev > 0);
  }
});
