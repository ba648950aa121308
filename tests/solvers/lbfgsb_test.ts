import assert from "node:assert/strict";
import { lbfgsb } from "../../lib/solvers/lbfgsb.ts";
import { boundedTests, SCIPY } from "./_bounded_checks.ts";
import { rosen, rosenGrad } from "./_local_problems.ts";
import { chisqr, LOWER, START, UPPER } from "./_two_exponential.ts";

boundedTests("lbfgsb", "lbfgsb", lbfgsb, { statusMaxfev: 1, rosenXtol: 1e-4, twoExpRtol: 1e-6 });

Deno.test("lbfgsb: follows scipy's L-BFGS-B path (same nfev and f on Rosenbrock and two-exponential)", () => {
  const cases: [
    string,
    number[],
    Float64Array | undefined,
    Float64Array | undefined,
    typeof rosen,
  ][] = [
    ["rosen2", [-1.2, 1], undefined, undefined, rosen],
    ["rosen5", [1.3, 0.7, 0.8, 1.9, 1.2], undefined, undefined, rosen],
    ["two_exponential", Array.from(START), LOWER, UPPER, chisqr],
  ];
  for (const [key, x0, lower, upper, f] of cases) {
    const ref = SCIPY[`lbfgsb/${key}`];
    const r = lbfgsb(f, Float64Array.from(x0), { lower, upper });
    assert.equal(r.status, 0, r.message);
    assert.equal(r.nfev, ref.nfev, `${key}: nfev ${r.nfev} vs scipy ${ref.nfev}`);
    assert.ok(
      Math.abs(r.fun - ref.fun) <= 1e-6 * Math.max(ref.fun, 1e-4),
      `${key}: f ${r.fun} vs ${ref.fun}`,
    );
  }
});

Deno.test("lbfgsb: with an analytic gradient, Rosenbrock 10-D converges on the projected gradient", () => {
  const r = lbfgsb(rosen, new Float64Array(10).fill(-1), { grad: rosenGrad, gtol: 1e-8, ftol: 0 });
  assert.equal(r.status, 0);
  assert.match(r.message, /PROJECTED GRADIENT/);
  assert.ok(r.njev > 0 && r.fun < 1e-12, `f = ${r.fun}`);
});

Deno.test("lbfgsb: a start outside the box is projected and a fixed variable stays fixed", () => {
  const f = (x: Float64Array) => (x[0] - 1) ** 2 + (x[1] - 1) ** 2;
  const r = lbfgsb(f, Float64Array.of(5, 7), {
    lower: Float64Array.of(0, 0.25),
    upper: Float64Array.of(2, 0.25),
  });
  assert.equal(r.x[1], 0.25);
  assert.ok(Math.abs(r.x[0] - 1) < 1e-6);
});

Deno.test("lbfgsb: a non-finite start is status 3", () => {
  const r = lbfgsb(() => NaN, Float64Array.of(1));
  assert.equal(r.status, 3);
  assert.equal(r.success, false);
});
