import assert from "node:assert/strict";
import { brute, bruteAxis, type BruteRange } from "../../lib/solvers/brute.ts";
import { leastSquares } from "../../lib/solvers/least_squares.ts";
import type { ScalarFunction } from "../../lib/solvers/types.ts";
import { loadFixture } from "../_fixtures.ts";
import { BEST, chisqr, LOWER, M, residual, UPPER } from "./_two_exponential.ts";

const fx = loadFixture("global1.json");

const funcs: Record<string, ScalarFunction> = {
  camel: ([a, b]) => (4 - 2.1 * a ** 2 + a ** 4 / 3) * a ** 2 + a * b + (-4 + 4 * b ** 2) * b ** 2,
  rosen: ([a, b]) => 100 * (b - a * a) ** 2 + (1 - a) ** 2,
  quad3: (x) =>
    (x[0] - 0.33) ** 2 + 2 * (x[1] + 1.21) ** 2 + 0.5 * (x[2] - 2.5) ** 2 + 0.1 * x[0] * x[1],
};

for (const c of fx.brute) {
  Deno.test(`brute reproduces scipy's grid and minimum: ${c.fun} ${JSON.stringify(c.ranges)} Ns=${c.Ns}`, () => {
    const r = brute(funcs[c.fun], c.ranges as BruteRange[], { Ns: c.Ns, keep: 5 });
    assert.equal(r.axes.length, c.axes.length);
    r.axes.forEach((a, d) => assert.deepEqual(Array.from(a), c.axes[d], `axis ${d}`));
    assert.deepEqual(Array.from(r.x), c.x);
    assert.ok(Math.abs(r.fun - c.fval) <= 1e-15 * Math.max(1, Math.abs(c.fval)));
    const total = c.axes.reduce((p: number, a: number[]) => p * a.length, 1);
    assert.equal(r.nfev, total);
    assert.equal(r.status, 0);
    assert.equal(r.success, true);
    assert.equal(r.candidates.length, 5);
    r.candidates.forEach((k, i) =>
      assert.ok(Math.abs(k.fun - c.jout_sorted5[i]) <= 1e-14 * Math.max(1, Math.abs(k.fun)))
    );
  });
}

Deno.test("bruteAxis follows numpy: arange excludes stop, Ns includes both ends", () => {
  assert.deepEqual(Array.from(bruteAxis(0, 0.3, { step: 0.1 })), [0, 0.1, 0.2]);
  assert.deepEqual(Array.from(bruteAxis(0, 1, { Ns: 5 })), [0, 0.25, 0.5, 0.75, 1]);
  assert.deepEqual(Array.from(bruteAxis(3, 1, { step: -1 })), [3, 2]);
  assert.deepEqual(Array.from(bruteAxis(2, 5, { Ns: 1 })), [2]);
  assert.throws(() => bruteAxis(0, 1, { step: 0 }), /step must be finite and non-zero, got 0/);
  assert.throws(() => bruteAxis(1, 0, { step: 0.5 }), /is empty/);
  assert.throws(() => bruteAxis(0, 1, { Ns: 0 }), /Ns must be a positive integer/);
  assert.throws(
    () => brute(funcs.rosen, [[0, 1, 2, 3] as unknown as BruteRange]),
    /range 0 must be/,
  );
});

Deno.test("brute keeps the best candidates sorted, ties in grid order, and the full grid on request", () => {
  // |x| on a symmetric grid: ties between ±v must come out negative first (grid order).
  const r = brute((x) => Math.abs(x[0]), [[-2, 2]], { Ns: 5, keep: 3, keepGrid: true });
  assert.deepEqual(r.candidates.map((c) => c.x[0]), [0, -1, 1]);
  assert.deepEqual(Array.from(r.gridValues!), [2, 1, 0, 1, 2]);
  // NaN counts as +Infinity and never wins.
  const n = brute((x) => (x[0] === 0 ? NaN : x[0] * x[0]), [[-1, 1]], { Ns: 3 });
  assert.equal(n.x[0], -1);
  const bad = brute(() => NaN, [[0, 1]], { Ns: 3 });
  assert.equal(bad.status, 1);
  assert.equal(bad.success, false);
});

Deno.test("brute stops when the callback returns true", () => {
  let seen = 0;
  const r = brute((x) => x[0] + x[1], [[0, 1], [0, 1]], {
    Ns: 10,
    callback: (_x, k) => {
      seen++;
      return k === 9;
    },
  });
  assert.equal(r.aborted, true);
  assert.equal(r.status, -1);
  assert.equal(r.nfev, 10);
  assert.equal(seen, 10);
});

Deno.test("brute with a finish polish reaches the two-exponential best chi-square with bounds", () => {
  const t0 = performance.now();
  const r = brute(chisqr, Array.from(LOWER, (lo, i) => [lo, UPPER[i]] as const), {
    Ns: 8,
    finish: (x) => {
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
  assert.ok(r.gridFun > r.fun, "the polish improved the grid point");
  console.log(`brute+finish two-exponential: nfev ${r.nfev}, ${ms.toFixed(1)} ms, chisqr ${r.fun}`);
});
