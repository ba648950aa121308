import assert from "node:assert/strict";
import { trustConstr } from "../../lib/solvers/trust_constr.ts";
import { boundedTests } from "./_bounded_checks.ts";
import { rosen, rosenGrad } from "./_local_problems.ts";

boundedTests("trustConstr", "trust_constr", trustConstr, {
  statusMaxfev: 0,
  rosenXtol: 1e-4,
  twoExpRtol: 1e-6,
});

Deno.test("trustConstr: analytic gradient on Rosenbrock 10-D ends on gtol", () => {
  const r = trustConstr(rosen, new Float64Array(10).fill(-1), { grad: rosenGrad });
  assert.equal(r.status, 1, r.message);
  assert.ok(r.fun < 1e-12, `f = ${r.fun}`);
});

Deno.test("trustConstr: a non-positive initial radius throws", () => {
  assert.throws(
    () => trustConstr(rosen, Float64Array.of(0, 0), { initialTrRadius: 0 }),
    RangeError,
  );
});
