import assert from "node:assert/strict";
import { tnc } from "../../lib/solvers/tnc.ts";
import { boundedTests, SCIPY } from "./_bounded_checks.ts";
import { rosen, rosenGrad } from "./_local_problems.ts";
import { chisqr, LOWER, START, UPPER } from "./_two_exponential.ts";

boundedTests("tnc", "tnc", tnc, { statusMaxfev: 3, rosenXtol: 1e-4, twoExpRtol: 1e-6 });

Deno.test("tnc: the two-exponential problem beats scipy's TNC (which stops at maxfun)", () => {
  const r = tnc(chisqr, Float64Array.from(START), { lower: LOWER, upper: UPPER });
  assert.equal(r.success, true, r.message);
  assert.ok(r.fun < SCIPY["tnc/two_exponential"].fun);
});

Deno.test("tnc: analytic gradient on Rosenbrock 10-D", () => {
  const r = tnc(rosen, new Float64Array(10).fill(-1), { grad: rosenGrad });
  assert.equal(r.success, true, r.message);
  assert.ok(r.fun < 1e-10, `f = ${r.fun}`);
  assert.ok(r.njev > 0);
});

Deno.test("tnc: all variables fixed by their bounds is status 5", () => {
  const r = tnc(rosen, Float64Array.of(1, 2), {
    lower: Float64Array.of(1, 2),
    upper: Float64Array.of(1, 2),
  });
  assert.equal(r.status, 5);
});
