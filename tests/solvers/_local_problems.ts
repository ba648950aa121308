/**
 * Shared test problems and checks for the unconstrained local solvers (nelder_mead, powell,
 * conjugate_gradient, bfgs, newton_cg): Rosenbrock 2-D/5-D/10-D, an ill-conditioned quadratic
 * bowl, a function with a NaN region, and scipy's results from tests/testdata/local_solvers.json
 * (written by scripts/gen_local_solvers_fixture.py).
 */
import assert from "node:assert/strict";
import { loadFixture } from "../_fixtures.ts";
import type { ScalarFunction, SolverResult } from "../../lib/solvers/types.ts";
import { BEST, chisqr, START } from "./_two_exponential.ts";

/** A solver under test, with options common to all local solvers. */
export type LocalSolver = (
  fun: ScalarFunction,
  x0: Float64Array,
  options?: {
    maxfev?: number;
    maxiter?: number;
    callback?: (x: Float64Array, iter: number, f: number) => boolean | void;
  },
) => SolverResult;

/** scipy.optimize.minimize results keyed "method/problem". */
export const SCIPY: Record<
  string,
  { x0: number[]; x: number[]; fun: number; nfev: number; nit: number; success: boolean }
> = loadFixture("local_solvers.json").results;

/** Chained Rosenbrock function Σ 100(x_{i+1} − x_i²)² + (1 − x_i)². */
export const rosen: ScalarFunction = (x) => {
  let s = 0;
  for (let i = 0; i + 1 < x.length; i++) s += 100 * (x[i + 1] - x[i] * x[i]) ** 2 + (1 - x[i]) ** 2;
  return s;
};

/** Analytic gradient of `rosen`. */
export function rosenGrad(x: Float64Array, out: Float64Array): void {
  const n = x.length;
  out.fill(0);
  for (let i = 0; i + 1 < n; i++) {
    const t = x[i + 1] - x[i] * x[i];
    out[i] += -400 * x[i] * t - 2 * (1 - x[i]);
    out[i + 1] += 200 * t;
  }
}

/** Ill-conditioned quadratic bowl Σ w_i (x_i − c_i)² + 0.5 (x_0 − c_0)(x_1 − c_1), w up to 1e4. */
export const BOWL_C: Float64Array = Float64Array.of(1, -2, 3, 0.5, -0.25, 10);
const BOWL_W = Float64Array.of(1, 10, 100, 1000, 1e4, 0.1);
/** The bowl's objective; its minimum value is 0 at `BOWL_C`. */
export const bowl: ScalarFunction = (x) => {
  let s = 0.5 * (x[0] - BOWL_C[0]) * (x[1] - BOWL_C[1]);
  for (let i = 0; i < 6; i++) s += BOWL_W[i] * (x[i] - BOWL_C[i]) ** 2;
  return s;
};

/** (x0 − 1)² + (x1 − 2)², NaN where x0 < −0.5 or x1 > 4 (a rejected region, not a crash). */
export const nanRegion: ScalarFunction = (x) =>
  x[0] < -0.5 || x[1] > 4 ? NaN : (x[0] - 1) ** 2 + (x[1] - 2) ** 2;

/** Max-norm distance between two vectors. */
export function dist(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** The standard starts: Rosenbrock 2-D (−1.2, 1), 5-D scipy's doc start, 10-D (−1.2, 1)×5. */
export const STARTS: Record<string, number[]> = {
  rosen2: SCIPY["bfgs/rosen2"].x0,
  rosen5: SCIPY["bfgs/rosen5"].x0,
  rosen10: SCIPY["bfgs/rosen10"].x0,
};

/**
 * Registers the checks every local solver must pass: Rosenbrock minima, the bowl, the
 * two-exponential best chi-square (and no worse than scipy), maxfev status, callback abort,
 * NaN regions. `statusMaxfev` is the solver's status code for "maxfev reached";
 * `rosen10LocalMinimum` expects the 10-D local minimum from (−1.2, 1)×5 instead of the global one.
 */
export function commonTests(
  name: string,
  scipyName: string,
  solve: LocalSolver,
  statusMaxfev: number,
  rosen10LocalMinimum = false,
): void {
  for (const p of ["rosen2", "rosen5", "rosen10"]) {
    if (p === "rosen10" && rosen10LocalMinimum) {
      Deno.test(`${name}: Rosenbrock rosen10 from (−1.2, 1)×5 ends in the local minimum`, () => {
        // The chained 10-D Rosenbrock has a local minimum near (−0.99, 0.99, 1, …) with
        // f ≈ 3.98657911; scipy's BFGS ends there too from this start.
        const r = solve(rosen, Float64Array.from(STARTS.rosen10));
        const ref = SCIPY["bfgs/rosen10"];
        assert.equal(r.status, 0, r.message);
        assert.ok(Math.abs(r.fun - ref.fun) < 1e-8 * ref.fun, `f = ${r.fun} vs ${ref.fun}`);
        assert.ok(dist(r.x, ref.x) < 1e-4, `x = ${r.x}`);
        const g = new Float64Array(10);
        rosenGrad(r.x, g);
        assert.ok(dist(g, new Float64Array(10)) < 1e-6, "a stationary point");
      });
      continue;
    }
    Deno.test(`${name}: Rosenbrock ${p} from the standard start reaches (1, …, 1)`, () => {
      const r = solve(rosen, Float64Array.from(STARTS[p]));
      assert.equal(r.success, true, r.message);
      assert.equal(r.status, 0);
      assert.ok(r.fun < 1e-12, `f = ${r.fun}`);
      assert.ok(dist(r.x, new Float64Array(r.x.length).fill(1)) < 1e-5, `x = ${r.x}`);
      assert.ok(r.fun <= SCIPY[`${scipyName}/${p}`].fun, "no worse than scipy");
      assert.equal(r.aborted, false);
    });
  }
  Deno.test(`${name}: Rosenbrock 10-D from (1.3, 0.7, 0.8, 1.9, 1.2)×2 reaches (1, …, 1)`, () => {
    const r = solve(rosen, Float64Array.from([...STARTS.rosen5, ...STARTS.rosen5]));
    assert.equal(r.status, 0, r.message);
    assert.ok(r.fun < 1e-12, `f = ${r.fun}`);
    assert.ok(dist(r.x, new Float64Array(10).fill(1)) < 1e-5, `x = ${r.x}`);
  });
  Deno.test(`${name}: ill-conditioned quadratic bowl`, () => {
    const r = solve(bowl, new Float64Array(6));
    assert.equal(r.status, 0, r.message);
    assert.ok(dist(r.x, BOWL_C) < 1e-6, `x = ${r.x}`);
    assert.ok(r.fun < 1e-12);
  });
  Deno.test(`${name}: two-exponential chi-square from the seed start`, () => {
    const r = solve(chisqr, Float64Array.from(START));
    assert.equal(r.success, true, r.message);
    assert.ok(Math.abs(r.fun - BEST) / BEST < 1e-6, `chisqr ${r.fun} vs ${BEST}`);
    assert.ok(r.fun <= SCIPY[`${scipyName}/two_exponential`].fun * (1 + 1e-12));
    assert.ok(Math.abs(r.fun - chisqr(r.x)) <= 1e-15 * r.fun, "fun is f(x)");
  });
  Deno.test(`${name}: maxfev reached is a result, not an exception`, () => {
    const r = solve(rosen, Float64Array.from(STARTS.rosen2), { maxfev: 40 });
    assert.equal(r.status, statusMaxfev);
    assert.equal(r.success, false);
    assert.ok(r.nfev >= 40 && r.nfev < 200, `nfev ${r.nfev}`);
    assert.ok(r.fun <= rosen(Float64Array.from(STARTS.rosen2)));
    assert.ok(r.message.length > 0);
  });
  Deno.test(`${name}: callback sees each iteration and can abort`, () => {
    const seen: number[] = [];
    const r = solve(rosen, Float64Array.from(STARTS.rosen2), {
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
    assert.ok(r.fun < rosen(Float64Array.from(STARTS.rosen2)));
    assert.equal(r.fun, rosen(r.x));
  });
  Deno.test(`${name}: NaN values are rejected steps, not crashes`, () => {
    const r = solve(nanRegion, Float64Array.of(-0.4, 3.9));
    assert.equal(r.success, true, r.message);
    assert.ok(dist(r.x, [1, 2]) < 1e-6, `x = ${r.x}`);
    assert.ok(Number.isFinite(r.fun));
  });
}
