/**
 * Shared checks for the bounded local solvers (lbfgsb, tnc, slsqp, cobyla, trust_constr):
 * Rosenbrock 2-D/5-D with and without bounds, a quadratic whose minimum lies on two bounds, the
 * two-exponential chi-square with bounds, maxfev, callback abort, NaN regions; scipy's results
 * from tests/testdata/bounded_solvers.json (scripts/gen_bounded_solvers_fixture.py).
 */
import assert from "node:assert/strict";
import { loadFixture } from "../_fixtures.ts";
import type { IterationCallback, ScalarFunction, SolverResult } from "../../lib/solvers/types.ts";
import { BEST, chisqr, LOWER, START, UPPER } from "./_two_exponential.ts";
import { dist, nanRegion, rosen } from "./_local_problems.ts";

/** A bounded solver under test. */
export type BoundedSolver = (
  fun: ScalarFunction,
  x0: Float64Array,
  options?: {
    lower?: Float64Array;
    upper?: Float64Array;
    maxfev?: number;
    callback?: IterationCallback;
  },
) => SolverResult;

/** scipy.optimize.minimize results keyed "method/problem". */
export const SCIPY: Record<
  string,
  { x0: number[]; x: number[]; fun: number; nfev: number; success: boolean }
> = loadFixture("bounded_solvers.json").results;

/** Expectations that differ per solver. */
export interface BoundedExpectations {
  /** Status code for "maxfev reached". */
  statusMaxfev: number;
  /** Max-norm tolerance on x at the Rosenbrock minimum. */
  rosenXtol: number;
  /** Relative tolerance on the two-exponential chi-square. */
  twoExpRtol: number;
  /** maxfev for the Rosenbrock runs. */
  rosenMaxfev?: number;
  /** Skip the 5-D Rosenbrock and two-exponential checks (derivative-free COBYLA tests them itself). */
  slow?: boolean;
}

/** Registers the common checks for solver `name` (scipy key `key`). */
export function boundedTests(
  name: string,
  key: string,
  solve: BoundedSolver,
  ex: BoundedExpectations,
): void {
  const rosenProblems: [string, number[]][] = [["rosen2", [-1.2, 1]], ["rosen5", [
    1.3,
    0.7,
    0.8,
    1.9,
    1.2,
  ]]];
  for (const [p, x0] of ex.slow ? rosenProblems.slice(0, 1) : rosenProblems) {
    Deno.test(`${name}: Rosenbrock ${p} without bounds reaches (1, …, 1)`, () => {
      const r = solve(rosen, Float64Array.from(x0), { maxfev: ex.rosenMaxfev });
      assert.equal(r.success, true, r.message);
      assert.ok(dist(r.x, new Float64Array(x0.length).fill(1)) < ex.rosenXtol, `x = ${r.x}`);
      assert.equal(r.fun, rosen(r.x));
    });
  }
  Deno.test(`${name}: Rosenbrock with x0 ≤ 0.8 ends on the bound at (0.8, 0.64) like scipy`, () => {
    const ref = SCIPY[`${key}/rosen2_bounded`];
    const r = solve(rosen, Float64Array.of(-1.2, 1), {
      lower: Float64Array.of(-2, -2),
      upper: Float64Array.of(0.8, 2),
    });
    assert.equal(r.success, true, r.message);
    assert.equal(r.x[0], 0.8, "the bound is active exactly");
    assert.ok(Math.abs(r.x[1] - 0.64) < 1e-4, `x = ${r.x}`);
    assert.ok(Math.abs(r.fun - 0.04) < 1e-6, `f = ${r.fun}`);
    assert.ok(r.fun <= ref.fun + 1e-6, "no worse than scipy");
  });
  Deno.test(`${name}: quadratic with its minimum outside the box stops on two bounds`, () => {
    const f: ScalarFunction = (x) => (x[0] - 3) ** 2 + (x[1] + 1) ** 2 + (x[2] - 0.5) ** 2;
    const r = solve(f, Float64Array.of(0, 1, 0), {
      lower: Float64Array.of(-2, 0, -1),
      upper: Float64Array.of(2, 2, 1),
    });
    assert.equal(r.success, true, r.message);
    assert.ok(dist(r.x, [2, 0, 0.5]) < 1e-6, `x = ${r.x}`);
    assert.ok(r.x[0] <= 2 && r.x[1] >= 0, "inside the box");
  });
  Deno.test({
    name: `${name}: two-exponential chi-square with bounds from the seed start`,
    ignore: ex.slow,
  }, () => {
    const r = solve(chisqr, Float64Array.from(START), { lower: LOWER, upper: UPPER });
    assert.ok(Math.abs(r.fun - BEST) / BEST < ex.twoExpRtol, `chisqr ${r.fun} vs ${BEST}`);
    assert.ok(Math.abs(r.fun - chisqr(r.x)) <= 1e-15 * r.fun, "fun is f(x)");
    for (let i = 0; i < 4; i++) {
      assert.ok(r.x[i] >= LOWER[i] && r.x[i] <= UPPER[i], "inside the bounds");
    }
  });
  Deno.test(`${name}: maxfev reached is a result, not an exception`, () => {
    const r = solve(rosen, Float64Array.of(-1.2, 1), { maxfev: 40 });
    assert.equal(r.status, ex.statusMaxfev, r.message);
    assert.equal(r.success, false);
    assert.ok(r.nfev >= 40 && r.nfev < 80, `nfev ${r.nfev}`);
    assert.ok(r.fun <= rosen(Float64Array.of(-1.2, 1)));
  });
  Deno.test(`${name}: callback sees each iteration and can abort`, () => {
    const seen: number[] = [];
    const r = solve(rosen, Float64Array.of(-1.2, 1), {
      callback: (x, it, f) => {
        seen.push(it);
        assert.equal(f, rosen(x));
        return it === 3;
      },
    });
    assert.deepEqual(seen, [1, 2, 3]);
    assert.equal(r.aborted, true);
    assert.equal(r.success, false);
    assert.equal(r.status, -1);
    assert.equal(r.fun, rosen(r.x));
  });
  Deno.test(`${name}: NaN values are rejected, not crashes`, () => {
    const r = solve(nanRegion, Float64Array.of(-0.4, 3.9));
    assert.ok(dist(r.x, [1, 2]) < 1e-4, `x = ${r.x}`);
    assert.ok(Number.isFinite(r.fun));
  });
  Deno.test(`${name}: bad bounds throw a RangeError naming the index`, () => {
    assert.throws(
      () =>
        solve(rosen, Float64Array.of(0, 0), {
          lower: Float64Array.of(0, 2),
          upper: Float64Array.of(1, 1),
        }),
      (e: unknown) => e instanceof RangeError && /lower\[1\]/.test(e.message),
    );
  });
}

/** The Hock–Schittkowski 71 problem and scipy's tutorial problem, for the constrained solvers. */
export const HS071 = {
  f: ((x) => x[0] * x[3] * (x[0] + x[1] + x[2]) + x[2]) as ScalarFunction,
  x0: [1, 5, 5, 1],
  lower: new Float64Array(4).fill(1),
  upper: new Float64Array(4).fill(5),
  constraints: [
    { type: "ineq" as const, fun: (x: Float64Array) => x[0] * x[1] * x[2] * x[3] - 25 },
    {
      type: "eq" as const,
      fun: (x: Float64Array) => x[0] ** 2 + x[1] ** 2 + x[2] ** 2 + x[3] ** 2 - 40,
    },
  ],
  /** Best known value and minimizer. */
  fstar: 17.0140172891563,
  xstar: [1, 4.74299963, 3.82114998, 1.37940829],
};

/** scipy's tutorial problem: minimum (1.4, 1.7), f = 0.8. */
export const TUTORIAL = {
  f: ((x) => (x[0] - 1) ** 2 + (x[1] - 2.5) ** 2) as ScalarFunction,
  x0: [2, 0],
  lower: Float64Array.of(0, 0),
  constraints: [
    { type: "ineq" as const, fun: (x: Float64Array) => x[0] - 2 * x[1] + 2 },
    { type: "ineq" as const, fun: (x: Float64Array) => -x[0] - 2 * x[1] + 6 },
    { type: "ineq" as const, fun: (x: Float64Array) => -x[0] + 2 * x[1] + 2 },
  ],
};
