import assert from "node:assert/strict";
import {
  differentialEvolution,
  type DifferentialEvolutionStrategy,
} from "../../lib/solvers/differential_evolution.ts";
import { leastSquares } from "../../lib/solvers/least_squares.ts";
import { nelderMead } from "../../lib/solvers/nelder_mead.ts";
import type { ScalarFunction } from "../../lib/solvers/types.ts";
import { loadFixture } from "../_fixtures.ts";
import { BEST, chisqr, LOWER, M, residual, UPPER } from "./_two_exponential.ts";

const fx = loadFixture("global1.json");

const ackley: ScalarFunction = (x) => {
  let s = 0, c = 0;
  for (const v of x) {
    s += v * v;
    c += Math.cos(2 * Math.PI * v);
  }
  return -20 * Math.exp(-0.2 * Math.sqrt(s / x.length)) - Math.exp(c / x.length) + 20 + Math.E;
};
const rastrigin: ScalarFunction = (x) => {
  let s = 10 * x.length;
  for (const v of x) s += v * v - 10 * Math.cos(2 * Math.PI * v);
  return s;
};
const rosen: ScalarFunction = (x) => {
  let s = 0;
  for (let i = 0; i < x.length - 1; i++) s += 100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2;
  return s;
};
const funcs: Record<string, ScalarFunction> = { ackley, rastrigin, rosen };
const nmPolish = (f: ScalarFunction) => (x: Float64Array) => {
  const r = nelderMead(f, x, { xatol: 1e-12, fatol: 1e-14 });
  return { x: r.x, fun: r.fun, nfev: r.nfev };
};

for (const c of fx.de) {
  Deno.test(`differentialEvolution finds scipy's global minimum of ${c.fun} in ${c.bounds.length}-D`, () => {
    const f = funcs[c.fun];
    const lo = Float64Array.from(c.bounds, (b: number[]) => b[0]);
    const hi = Float64Array.from(c.bounds, (b: number[]) => b[1]);
    const r = differentialEvolution(f, lo, hi, { seed: 7, tol: 1e-8, polish: nmPolish(f) });
    assert.equal(r.success, true, r.message);
    assert.ok(Math.abs(r.fun - c.f) < 1e-8, `f ${r.fun} vs scipy ${c.f}`);
    for (let i = 0; i < c.x.length; i++) {
      assert.ok(Math.abs(r.x[i] - c.x[i]) < 1e-4, `x[${i}] ${r.x[i]}`);
    }
    console.log(`${c.fun}: nfev ${r.nfev} (scipy ${c.nfev}), f ${r.fun.toExponential(2)}`);
  });
}

Deno.test("differentialEvolution without polish converges to the population tolerance (status 0)", () => {
  const r = differentialEvolution(
    (x) => (x[0] - 1) ** 2 + (x[1] + 2) ** 2 + 3,
    Float64Array.of(-5, -5),
    Float64Array.of(5, 5),
    { seed: 3 },
  );
  assert.equal(r.status, 0);
  assert.equal(r.polished, false);
  // tol 0.01 on the spread of a function with minimum 3: the best is within ~0.1 of (1, -2).
  assert.ok(Math.abs(r.x[0] - 1) < 0.1 && Math.abs(r.x[1] + 2) < 0.1, `x = ${r.x}`);
  assert.ok(r.fun < 3.01);
});

Deno.test("differentialEvolution finds a minimum that lies on a bound", () => {
  // Bowl centred at (2, -3), box [-1, 1]²: minimum at the corner (1, -1).
  const f: ScalarFunction = (x) => (x[0] - 2) ** 2 + (x[1] + 3) ** 2;
  const r = differentialEvolution(f, Float64Array.of(-1, -1), Float64Array.of(1, 1), {
    seed: 5,
    tol: 1e-10,
  });
  assert.ok(1 - r.x[0] < 1e-5 && r.x[1] + 1 < 1e-5, `x = ${r.x}`);
  assert.ok(r.x[0] <= 1 && r.x[1] >= -1, "stays inside the bounds");
});

Deno.test("differentialEvolution strategies all solve a 3-D Rosenbrock with polish", () => {
  const lo = new Float64Array(3).fill(-2), hi = new Float64Array(3).fill(2);
  for (
    const strategy of [
      "best1bin",
      "rand1bin",
      "best2bin",
      "rand2bin",
      "currenttobest1bin",
      "randtobest1bin",
    ] as DifferentialEvolutionStrategy[]
  ) {
    const r = differentialEvolution(rosen, lo, hi, { seed: 11, strategy, polish: nmPolish(rosen) });
    assert.ok(r.fun < 1e-10, `${strategy}: f = ${r.fun}`);
  }
});

Deno.test("differentialEvolution with a seed is reproducible, and x0 joins the population", () => {
  const lo = Float64Array.of(-5, -5), hi = Float64Array.of(5, 5);
  const bowl: ScalarFunction = (x) => (x[0] - 0.3) ** 2 + (x[1] - 0.7) ** 2 + 1;
  const a = differentialEvolution(bowl, lo, hi, { seed: 42 });
  const b = differentialEvolution(bowl, lo, hi, { seed: 42 });
  const c = differentialEvolution(bowl, lo, hi, { seed: 43 });
  assert.deepEqual(a.x, b.x);
  assert.equal(a.nfev, b.nfev);
  assert.notDeepEqual(a.x, c.x);
  // x0 at the global minimum: the best member is it from generation 0 on.
  const d = differentialEvolution(ackley, lo, hi, {
    seed: 1,
    x0: Float64Array.of(0, 0),
    maxiter: 2,
  });
  assert.deepEqual(Array.from(d.x), [0, 0]);
});

Deno.test("differentialEvolution stops at maxiter (1), maxfev (2) and on callback abort (-1)", () => {
  const lo = new Float64Array(3).fill(-5.12), hi = new Float64Array(3).fill(5.12);
  const it = differentialEvolution(rastrigin, lo, hi, { seed: 1, maxiter: 3 });
  assert.equal(it.status, 1);
  assert.equal(it.success, false);
  assert.equal(it.nit, 3);
  assert.equal(it.nfev, 45 * 4);
  const fe = differentialEvolution(rastrigin, lo, hi, { seed: 1, maxfev: 100 });
  assert.equal(fe.status, 2);
  assert.equal(fe.nfev, 100);
  let gens = 0;
  const ab = differentialEvolution(rastrigin, lo, hi, {
    seed: 1,
    callback: () => ++gens === 4,
    polish: () => {
      throw new Error("no polish after an abort");
    },
  });
  assert.equal(ab.status, -1);
  assert.equal(ab.aborted, true);
  assert.equal(ab.nit, 4);
});

Deno.test("differentialEvolution rejects infinite bounds and bad options, naming them", () => {
  const f: ScalarFunction = (x) => x[0] ** 2;
  assert.throws(
    () => differentialEvolution(f, Float64Array.of(0, -Infinity), Float64Array.of(1, 1)),
    (e: unknown) => e instanceof RangeError && /variable 1 has \[-Infinity, 1\]/.test(e.message),
  );
  assert.throws(
    () => differentialEvolution(f, Float64Array.of(0), Float64Array.of(1), { recombination: 1.5 }),
    /recombination/,
  );
  assert.throws(
    () => differentialEvolution(f, Float64Array.of(0), Float64Array.of(1), { mutation: [0.5, 3] }),
    /mutation/,
  );
  assert.throws(
    () =>
      differentialEvolution(f, Float64Array.of(0), Float64Array.of(1), { x0: Float64Array.of(2) }),
    /x0\[0\] = 2/,
  );
});

Deno.test("differentialEvolution with a least-squares polish reaches the two-exponential best chi-square", () => {
  const t0 = performance.now();
  const r = differentialEvolution(chisqr, LOWER, UPPER, {
    seed: 1,
    polish: (x) => {
      const p = leastSquares(residual, x, M, {
        lower: LOWER,
        upper: UPPER,
        ftol: 1e-12,
        xtol: 1e-12,
      });
      return { x: p.x, fun: p.fun, nfev: p.nfev };
    },
  });
  const ms = performance.now() - t0;
  assert.ok(Math.abs(r.fun - BEST) / BEST < 1e-6, `chisqr ${r.fun} vs ${BEST}`);
  assert.equal(r.polished, true);
  console.log(`DE+polish two-exponential: nfev ${r.nfev}, ${ms.toFixed(1)} ms, chisqr ${r.fun}`);
});
