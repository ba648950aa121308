import assert from "node:assert/strict";
import { basinhopping } from "../../lib/solvers/basinhopping.ts";
import type { LocalMinimizer } from "../../lib/solvers/_global_local.ts";
import { loadFixture } from "../_fixtures.ts";
import { BEST, chisqr, LOWER, START, UPPER } from "./_two_exponential.ts";
import { func1d, func2d, relDiff, rosen, watched } from "./_global2_problems.ts";

const fx = loadFixture("global2.json").basinhopping;

Deno.test("basinhopping finds scipy's global minimum of the 1-D cosine example", () => {
  const r = basinhopping(func1d, Float64Array.of(1), { niter: 30, seed: 2 });
  assert.ok(relDiff(r.fun, fx.func1d.fun) < 1e-9, `f = ${r.fun}`);
  assert.ok(Math.abs(r.x[0] - fx.func1d.x[0]) < 1e-6, `x = ${r.x}`);
  assert.equal(r.status, 0);
  assert.equal(r.success, true);
  assert.equal(r.nit, 30);
});

Deno.test("basinhopping finds scipy's global minimum of the 2-D cosine example", () => {
  const r = basinhopping(func2d, Float64Array.of(1, 1), { niter: 40, seed: 3 });
  assert.ok(relDiff(r.fun, fx.func2d.fun) < 1e-9, `f = ${r.fun}`);
  for (let i = 0; i < 2; i++) assert.ok(Math.abs(r.x[i] - fx.func2d.x[i]) < 1e-6, `x = ${r.x}`);
});

Deno.test("basinhopping minimises the 4-D Rosenbrock function", () => {
  const r = basinhopping(rosen, Float64Array.of(-1.2, 1, -1.2, 1), { niter: 5, seed: 1 });
  assert.ok(r.fun < 1e-12, `f = ${r.fun}`);
  for (const v of r.x) assert.ok(Math.abs(v - 1) < 1e-5, `x = ${r.x}`);
});

Deno.test("basinhopping reaches the best chi-square of the two-exponential problem with bounds", () => {
  const w = watched(chisqr, LOWER, UPPER);
  const r = basinhopping(w.f, START, { lower: LOWER, upper: UPPER, niter: 5, seed: 1 });
  assert.ok(relDiff(r.fun, BEST) < 1e-6, `chisqr = ${r.fun}`);
  assert.equal(w.outside(), 0, "every evaluated point lies in the box");
  assert.equal(r.nfev, w.calls());
});

Deno.test("basinhopping ends on a bound when the minimum lies there", () => {
  const f = (x: Float64Array) => (x[0] - 3) ** 2 + (x[1] + 4) ** 2;
  const lower = Float64Array.of(-1, -1), upper = Float64Array.of(2, 2);
  const w = watched(f, lower, upper);
  const r = basinhopping(w.f, Float64Array.of(0, 0), { lower, upper, niter: 5, seed: 4 });
  assert.ok(Math.abs(r.x[0] - 2) < 1e-6 && Math.abs(r.x[1] + 1) < 1e-6, `x = ${r.x}`);
  assert.equal(w.outside(), 0);
});

Deno.test("basinhopping with the same seed repeats itself exactly, another seed does not", () => {
  const run = (seed: number) => basinhopping(func2d, Float64Array.of(1, 1), { niter: 10, seed });
  const a = run(7), b = run(7), c = run(8);
  assert.deepEqual(Array.from(a.x), Array.from(b.x));
  assert.equal(a.nfev, b.nfev);
  assert.equal(a.naccept, b.naccept);
  assert.notEqual(a.nfev, c.nfev);
});

// A local minimizer that ignores the landscape: each call returns a value `delta` from the last.
function stepper(delta: number): LocalMinimizer {
  let v = 0;
  return (_f, x0) => ({
    x: Float64Array.from(x0),
    fun: v += delta,
    success: true,
    status: 0,
    message: "",
    nfev: 1,
    njev: 0,
    nit: 1,
    aborted: false,
  });
}

Deno.test("basinhopping shrinks the step by 0.9 every interval when hops are rejected", () => {
  const r = basinhopping(func1d, Float64Array.of(0), {
    niter: 10,
    interval: 5,
    T: 0,
    localMinimizer: stepper(1),
    seed: 1,
  });
  assert.equal(r.naccept, 0);
  assert.ok(Math.abs(r.stepsize - 0.5 * 0.9 * 0.9) < 1e-15, `stepsize ${r.stepsize}`);
});

Deno.test("basinhopping grows the step by 1/0.9 every interval when hops are accepted", () => {
  const r = basinhopping(func1d, Float64Array.of(0), {
    niter: 10,
    interval: 5,
    localMinimizer: stepper(-1),
    seed: 1,
  });
  assert.equal(r.naccept, 10);
  assert.ok(Math.abs(r.stepsize - 0.5 / 0.9 / 0.9) < 1e-15, `stepsize ${r.stepsize}`);
  assert.equal(r.fun, -11);
});

Deno.test("basinhopping accepts every uphill hop at a very high temperature", () => {
  const hot = basinhopping(func1d, Float64Array.of(0), {
    niter: 20,
    T: 1e6,
    localMinimizer: stepper(1),
    seed: 1,
  });
  assert.equal(hot.naccept, 20);
  assert.equal(hot.fun, 1, "the best stays the first minimum");
});

Deno.test("basinhopping stops with status 1 after niterSuccess hops without a new minimum", () => {
  const r = basinhopping(func1d, Float64Array.of(0), {
    niter: 100,
    niterSuccess: 3,
    T: 0,
    localMinimizer: stepper(1),
    seed: 1,
  });
  assert.equal(r.status, 1);
  assert.equal(r.success, true);
  assert.equal(r.nit, 4);
});

Deno.test("basinhopping stops with status 2 when maxfev is spent", () => {
  const r = basinhopping(func2d, Float64Array.of(1, 1), { niter: 100, maxfev: 500, seed: 1 });
  assert.equal(r.status, 2);
  assert.equal(r.success, false);
  assert.match(r.message, /function evaluations/);
  assert.ok(r.nfev >= 500 && r.nit < 100, `nfev ${r.nfev}, nit ${r.nit}`);
});

Deno.test("basinhopping returns the best point so far when the callback aborts", () => {
  const seen: number[] = [];
  const r = basinhopping(func2d, Float64Array.of(1, 1), {
    niter: 50,
    seed: 1,
    callback: (x, it, f) => {
      seen.push(f);
      assert.equal(f, func2d(x));
      return it === 3;
    },
  });
  assert.equal(r.aborted, true);
  assert.equal(r.success, false);
  assert.equal(r.status, -1);
  assert.equal(r.nit, 3);
  assert.deepEqual(seen.length, 3);
  assert.equal(r.fun, seen[2]);
});

Deno.test("basinhopping rejects bad input, naming the value", () => {
  const x0 = Float64Array.of(0, 0);
  assert.throws(
    () => basinhopping(func2d, x0, { lower: Float64Array.of(0, 1), upper: Float64Array.of(1, 1) }),
    /variable 1 has bounds \[1, 1\]/,
  );
  assert.throws(() => basinhopping(func2d, x0, { T: -1 }), /T must be ≥ 0, got -1/);
  assert.throws(() => basinhopping(func2d, x0, { stepsize: 0 }), /stepsize/);
  assert.throws(() => basinhopping(func2d, Float64Array.of(NaN, 0)), /x0\[0\] is NaN/);
  assert.throws(() => basinhopping(func2d, x0, { lower: Float64Array.of(0) }), /length 1/);
});
