import assert from "node:assert/strict";
import { cobyla } from "../../lib/solvers/cobyla.ts";
import { boundedTests, HS071, SCIPY, TUTORIAL } from "./_bounded_checks.ts";
import { dist } from "./_local_problems.ts";
import { BEST, chisqr, LOWER, START, UPPER } from "./_two_exponential.ts";

// COBYLA's linear models crawl along curved valleys: 2-D Rosenbrock gets a larger budget and a
// looser x tolerance; the two-exponential problem is checked below against scipy's COBYLA.
boundedTests("cobyla", "cobyla", cobyla, {
  statusMaxfev: 2,
  rosenXtol: 1e-2,
  twoExpRtol: 0,
  rosenMaxfev: 40000,
  slow: true,
});

Deno.test("cobyla: two-exponential with bounds improves on scipy's COBYLA result within 5000 evaluations", () => {
  const r = cobyla(chisqr, Float64Array.from(START), { lower: LOWER, upper: UPPER, maxfev: 5000 });
  assert.equal(r.status, 2, r.message);
  assert.ok(r.fun < chisqr(START) && r.fun < 4.08, `chisqr ${r.fun}`);
  assert.ok((r.fun - BEST) / BEST < 6e-3);
  assert.ok(r.nfev <= 5000);
  assert.ok(
    SCIPY["cobyla/two_exponential"].fun > BEST * (1 + 1e-3),
    "scipy's COBYLA does not reach it either",
  );
  for (let i = 0; i < 4; i++) assert.ok(r.x[i] >= LOWER[i] && r.x[i] <= UPPER[i]);
});

Deno.test("cobyla: scipy's tutorial problem reaches (1.4, 1.7)", () => {
  const r = cobyla(TUTORIAL.f, Float64Array.from(TUTORIAL.x0), {
    lower: TUTORIAL.lower,
    constraints: TUTORIAL.constraints,
  });
  assert.equal(r.status, 0, r.message);
  assert.ok(dist(r.x, [1.4, 1.7]) < 1e-6, `x = ${r.x}`);
});

Deno.test("cobyla: Hock–Schittkowski 71 within rhoend, better than scipy's COBYLA", () => {
  const r = cobyla(HS071.f, Float64Array.from(HS071.x0), HS071);
  assert.equal(r.status, 0, r.message);
  assert.ok(Math.abs(r.fun - HS071.fstar) < 1e-6, `f = ${r.fun}`);
  assert.ok(dist(r.x, HS071.xstar) < 1e-3, `x = ${r.x}`);
  assert.ok(Math.abs(HS071.constraints[1].fun(r.x)) < 1e-7, "equality holds");
  assert.ok(
    Math.abs(r.fun - HS071.fstar) < Math.abs(SCIPY["cobyla/hs071"].fun - HS071.fstar) + 1e-4,
  );
});

Deno.test("cobyla: rhobeg below rhoend throws", () => {
  assert.throws(
    () => cobyla((x) => x[0] ** 2, Float64Array.of(1), { rhobeg: 1e-9, rhoend: 1e-6 }),
    RangeError,
  );
});
