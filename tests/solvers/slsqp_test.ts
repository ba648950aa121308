import assert from "node:assert/strict";
import { slsqp } from "../../lib/solvers/slsqp.ts";
import { boundedTests, HS071, SCIPY, TUTORIAL } from "./_bounded_checks.ts";
import { dist } from "./_local_problems.ts";

boundedTests("slsqp", "slsqp", slsqp, { statusMaxfev: 10, rosenXtol: 1e-3, twoExpRtol: 1e-6 });

Deno.test("slsqp: scipy's tutorial problem with three inequality constraints reaches (1.4, 1.7)", () => {
  const r = slsqp(TUTORIAL.f, Float64Array.from(TUTORIAL.x0), {
    lower: TUTORIAL.lower,
    constraints: TUTORIAL.constraints,
  });
  assert.equal(r.status, 0, r.message);
  assert.ok(dist(r.x, [1.4, 1.7]) < 1e-7, `x = ${r.x}`);
  assert.ok(r.nfev <= SCIPY["slsqp/tutorial"].nfev + 5);
});

Deno.test("slsqp: Hock–Schittkowski 71 (an inequality, an equality, bounds) like scipy", () => {
  const r = slsqp(HS071.f, Float64Array.from(HS071.x0), {
    lower: HS071.lower,
    upper: HS071.upper,
    constraints: HS071.constraints,
  });
  assert.equal(r.status, 0, r.message);
  assert.ok(Math.abs(r.fun - HS071.fstar) < 1e-6, `f = ${r.fun}`);
  assert.ok(dist(r.x, HS071.xstar) < 1e-4, `x = ${r.x}`);
  assert.ok(Math.abs(HS071.constraints[1].fun(r.x)) < 1e-6, "equality holds");
  assert.equal(r.nfev, SCIPY["slsqp/hs071"].nfev);
});

Deno.test("slsqp: incompatible linearized constraints are status 4", () => {
  const r = slsqp((x) => x[0] ** 2, Float64Array.of(0), {
    constraints: [{ type: "ineq", fun: (x) => x[0] - 1 }, { type: "ineq", fun: (x) => -x[0] - 1 }],
  });
  assert.equal(r.status, 4, r.message);
  assert.equal(r.success, false);
});

Deno.test("slsqp: a malformed constraint throws a TypeError naming it", () => {
  assert.throws(
    () =>
      slsqp((x) => x[0] ** 2, Float64Array.of(0), {
        constraints: [{ type: "le" as unknown as "ineq", fun: (x) => x[0] }],
      }),
    (e: unknown) => e instanceof TypeError && /constraints\[0\]/.test(e.message),
  );
});
