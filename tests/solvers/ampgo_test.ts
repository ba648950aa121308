import assert from "node:assert/strict";
import { ampgo } from "../../lib/solvers/ampgo.ts";
import { nelderMead } from "../../lib/solvers/nelder_mead.ts";
import { loadFixture } from "../_fixtures.ts";
import { BEST, chisqr, LOWER, START, UPPER } from "./_two_exponential.ts";
import {
  ackley,
  box,
  func2d,
  himmelblau,
  HIMMELBLAU_MINIMA,
  relDiff,
  rosen,
  watched,
} from "./_global2_problems.ts";

const fx = loadFixture("global2.json").ampgo;

Deno.test("ampgo finds lmfit's global minimum of the 2-D cosine example without bounds", () => {
  const r = ampgo(func2d, Float64Array.of(1, 1), { seed: 1, totaliter: 5 });
  assert.ok(relDiff(r.fun, fx.func2d.fun) < 1e-9, `f = ${r.fun}`);
  for (let i = 0; i < 2; i++) assert.ok(Math.abs(r.x[i] - fx.func2d.x[i]) < 1e-6, `x = ${r.x}`);
  assert.equal(r.status, 0);
  assert.equal(r.success, true);
  assert.equal(r.nit, 5);
});

Deno.test("ampgo tunnels from a Himmelblau minimum to the others and returns one of the four", () => {
  const r = ampgo(himmelblau, Float64Array.of(0, 0), { ...box(2, -5, 5), seed: 1, totaliter: 10 });
  assert.ok(r.fun < 1e-12, `f = ${r.fun}`);
  assert.ok(
    HIMMELBLAU_MINIMA.some((m) => Math.abs(m[0] - r.x[0]) < 1e-5 && Math.abs(m[1] - r.x[1]) < 1e-5),
    `x = ${r.x}`,
  );
  assert.ok(r.tunnel.successful > 0, "a tunnelling phase reached another zero");
  assert.ok(r.tunnel.total >= r.tunnel.successful && r.tunnel.total <= 10 * 5);
});

Deno.test("ampgo escapes the local minima of Ackley's function", () => {
  const r = ampgo(ackley, Float64Array.of(3.2, -2.1), { ...box(2, -5, 5), seed: 2, totaliter: 10 });
  assert.ok(r.fun < 1e-10, `f = ${r.fun}`);
});

Deno.test("ampgo minimises the 3-D Rosenbrock function", () => {
  const r = ampgo(rosen, Float64Array.of(-1.2, 1, -1.2), { seed: 1, totaliter: 2 });
  assert.ok(r.fun < 1e-12, `f = ${r.fun}`);
});

Deno.test("ampgo reaches the best chi-square of the two-exponential problem with bounds", () => {
  const w = watched(chisqr, LOWER, UPPER);
  const r = ampgo(w.f, START, { lower: LOWER, upper: UPPER, seed: 1, totaliter: 2 });
  assert.ok(relDiff(r.fun, BEST) < 1e-6, `chisqr = ${r.fun}`);
  assert.equal(w.outside(), 0, "every evaluated point lies in the box");
  assert.equal(r.nfev, w.calls());
});

Deno.test("ampgo's value is the objective at its point (lmfit's inverse tunnel value is not)", () => {
  const lower = Float64Array.of(-2), upper = Float64Array.of(2);
  const f1 = (x: Float64Array) => Math.cos(14.5 * x[0] - 0.3) + (x[0] + 0.2) * x[0];
  const r = ampgo(f1, Float64Array.of(1), { lower, upper, seed: 1 });
  assert.equal(r.fun, f1(r.x));
  assert.ok(Math.abs(r.x[0] + 0.19506755) < 1e-6 && Math.abs(r.fun + 1.0008761844) < 1e-9);
});

Deno.test("ampgo counts tunnelling phases and keeps at most maxiter per global iteration", () => {
  let phases = 0;
  const r = ampgo(func2d, Float64Array.of(1, 1), {
    seed: 3,
    totaliter: 3,
    maxiter: 4,
    localMinimizer: (f, x0) => {
      phases++;
      return nelderMead(f, x0, { restarts: 0, maxfev: 300 });
    },
  });
  // 3 minimisation phases, the rest tunnelling (no success: the first minimum is global).
  assert.equal(r.tunnel.successful, 0);
  assert.equal(r.tunnel.total, 12);
  assert.equal(phases, 3 + 12);
});

Deno.test("ampgo's tabu strategies both work and differ", () => {
  const run = (tabustrategy: "farthest" | "oldest") =>
    ampgo(himmelblau, Float64Array.of(0, 0), {
      ...box(2, -5, 5),
      seed: 4,
      totaliter: 6,
      tabulistsize: 2,
      tabustrategy,
    });
  const a = run("farthest"), b = run("oldest");
  assert.ok(a.fun < 1e-12 && b.fun < 1e-12);
  assert.notEqual(a.nfev, b.nfev);
});

Deno.test("ampgo with the same seed repeats itself exactly", () => {
  const run = (seed: number) =>
    ampgo(himmelblau, Float64Array.of(0, 0), { ...box(2, -5, 5), seed, totaliter: 3 });
  const a = run(9), b = run(9), c = run(10);
  assert.deepEqual(Array.from(a.x), Array.from(b.x));
  assert.equal(a.nfev, b.nfev);
  assert.deepEqual(a.tunnel, b.tunnel);
  assert.notEqual(a.nfev, c.nfev);
});

Deno.test("ampgo stops with status 1 when maxfev is spent", () => {
  const r = ampgo(func2d, Float64Array.of(1, 1), { seed: 1, maxfev: 1500 });
  assert.equal(r.status, 1);
  assert.equal(r.success, false);
  assert.match(r.message, /function evaluations/);
  assert.ok(r.nfev >= 1500 && r.nit < 20);
  assert.equal(r.fun, func2d(r.x), "the best point so far is kept");
  assert.ok(r.fun < func2d(Float64Array.of(1, 1)));
});

Deno.test("ampgo returns the best point so far when the callback aborts", () => {
  const r = ampgo(himmelblau, Float64Array.of(0, 0), {
    ...box(2, -5, 5),
    seed: 1,
    callback: (x, it, f) => {
      assert.equal(f, himmelblau(x));
      return it === 2;
    },
  });
  assert.equal(r.aborted, true);
  assert.equal(r.status, -1);
  assert.equal(r.success, false);
  assert.equal(r.nit, 2);
});

Deno.test("ampgo rejects bad options, naming the value", () => {
  const x0 = Float64Array.of(0, 0);
  assert.throws(() => ampgo(himmelblau, x0, { tabulistsize: 0 }), /tabulistsize .* got 0/);
  assert.throws(
    // deno-lint-ignore no-explicit-any
    () => ampgo(himmelblau, x0, { tabustrategy: "newest" as any }),
    /"farthest" or "oldest", got newest/,
  );
  assert.throws(() => ampgo(himmelblau, x0, { totaliter: 0 }), /totaliter/);
  assert.throws(
    () => ampgo(himmelblau, x0, { lower: Float64Array.of(1, 0), upper: Float64Array.of(0, 1) }),
    /variable 0 has bounds \[1, 0\]/,
  );
});
