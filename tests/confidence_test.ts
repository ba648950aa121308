import assert from "node:assert/strict";
import {
  ciReport,
  confInterval,
  confInterval2d,
  fCompare,
  Minimizer,
  type Parameters,
} from "../mod.ts";
import { assertClose, loadFixture, paramsFrom } from "./_fixtures.ts";
import { twoExpResidual } from "./_two_exp.ts";

const ref = loadFixture("confidence.json");
const x = Float64Array.from(ref.two_exp.x as number[]);
const y = Float64Array.from(ref.two_exp.y as number[]);

const residual = twoExpResidual(x, y);

function twoExp(bounds: Record<string, [number, number]> = {}) {
  const start: [string, number][] = [["a1", 5], ["a2", -5], ["t1", 2], ["t2", 5]];
  return paramsFrom(
    start.map(([n, v]) => [n, v, true, bounds[n]?.[0] ?? null, bounds[n]?.[1] ?? null, null]),
  );
}

function compareCi(
  actual: Record<string, [number, number][]>,
  expected: Record<string, [number, number][]>,
  rtol: number,
) {
  for (const [name, rows] of Object.entries(expected)) {
    assert.equal(actual[name].length, rows.length, name);
    rows.forEach(([prob, value], k) => {
      assertClose(actual[name][k][0], prob, 1e-9, `${name} level ${k} prob`);
      if (Number.isFinite(value)) {
        assertClose(actual[name][k][1], value, rtol, `${name} level ${k} value`);
      } else assert.equal(actual[name][k][1], value, `${name} level ${k}`);
    });
  }
}

Deno.test("two-exponential example: every 1/2/3-sigma limit matches lmfit to 2e-3", async () => {
  const mini = new Minimizer(residual, twoExp());
  const result = await mini.minimize();
  for (const [n, v] of Object.entries(ref.two_exp.best as Record<string, number>)) {
    assertClose(result.params.get(n)!.value, v, 1e-6, n);
  }
  const out = await confInterval(mini, result, { sigmas: [1, 2, 3] });
  compareCi(out.ci, ref.two_exp.ci, 2e-3);
  assert.deepEqual(out.warnings, []);
});

Deno.test("sigmas given as probabilities (the manual's 0.68, 0.95) and trace", async () => {
  const mini = new Minimizer(residual, twoExp());
  const result = await mini.minimize();
  const out = await confInterval(mini, result, { sigmas: [0.68, 0.95], trace: true });
  compareCi(out.ci, ref.two_exp.ci_prob, 2e-3);
  const tr = out.trace!.a1;
  assert.deepEqual(Object.keys(tr), ["a1", "a2", "t1", "t2", "prob"]);
  assert.ok(tr.a1.length > 10);
  assert.equal(tr.a1.length, tr.prob.length);
  // While a1 is profiled, the others are re-optimised: t2 moves with a1.
  assert.ok(new Set(tr.t2.map((v: number) => v.toFixed(6))).size > 5);
  assert.ok(tr.prob.every((p: number) => p >= 0 && p <= 1));
});

Deno.test("the manual's basic example matches lmfit and reports in its layout", async () => {
  const xb = Float64Array.from(loadFixture("seed_fits.json").ci_basic.x as number[]);
  const yb = Float64Array.from(loadFixture("seed_fits.json").ci_basic.data as number[]);
  const mini = new Minimizer(
    (p: Parameters) => xb.map((v, i) => 1 / (p.get("a")!.value * v) + p.get("b")!.value - yb[i]),
    paramsFrom([["a", 0.1, true, null, null, null], ["b", 1, true, null, null, null]]),
  );
  const result = await mini.minimize();
  const out = await confInterval(mini, result);
  compareCi(out.ci, ref.basic.ci, 2e-3);
  const lines = ciReport(out).split("\n");
  const refLines = (ref.basic.report as string).split("\n");
  assert.equal(lines[0], refLines[0]);
  assert.equal(lines.length, refLines.length);
});

Deno.test("a limit beyond a bound is reported at the bound with a warning, not a failure", async () => {
  const mini = new Minimizer(residual, twoExp({ t1: [0.5, 2.6] }));
  const result = await mini.minimize();
  const out = await confInterval(mini, result);
  const t1 = out.ci.t1;
  assert.equal(t1[5][1], 2.6, "2-sigma upper limit at the bound");
  assert.equal(t1[6][1], 2.6, "3-sigma upper limit at the bound");
  assert.ok(
    out.warnings.some((w: string) => /t1: bound reached at 2\.6/.test(w)),
    out.warnings.join("\n"),
  );
  // Levels inside the bound agree with lmfit.
  compareCi({ t1: t1.slice(0, 5) }, { t1: ref.bounded.ci.t1.slice(0, 5) }, 2e-3);
});

Deno.test("confInterval2d returns the probability grid and agrees with lmfit on 10x10", async () => {
  const mini = new Minimizer(residual, twoExp());
  const result = await mini.minimize();
  const r = ref.two_exp.ci2d;
  // Default axes: best value ± 5 standard errors (ours agree with lmfit's to ~1e-5).
  const auto = await confInterval2d(mini, result, "a1", "t2", 10, 10);
  auto.x.forEach((v: number, i: number) => assertClose(v, r.x[i], 1e-4, `x[${i}]`));
  auto.y.forEach((v: number, j: number) => assertClose(v, r.y[j], 1e-4, `y[${j}]`));
  // On exactly lmfit's grid the probabilities agree.
  const out = await confInterval2d(mini, result, "a1", "t2", 10, 10, {
    limits: [[r.x[9], r.x[0]], [r.y[9], r.y[0]]],
  });
  for (let j = 0; j < 10; j++) {
    for (let i = 0; i < 10; i++) {
      assertClose(out.grid[j][i], r.grid[j][i], 2e-3, `grid[${j}][${i}]`, 1e-6);
    }
  }
});

Deno.test("fCompare is the F-test of the manual", () => {
  // dchi = 0.1, nfree = 96, nfix = 1: F = 9.6; P(F(1,96) < 9.6) ≈ 0.99743.
  const p = fCompare({ chisqr: 10, nvarys: 4, nfree: 96, ndata: 100 }, {
    chisqr: 11,
    nvarys: 3,
    nfree: 97,
    ndata: 100,
  });
  assertClose(p, 0.9974475712839628, 1e-12, "F cdf (scipy.stats.f.cdf(9.6, 1, 96))");
});

Deno.test("confInterval rejects fits without standard errors or with one variable", async () => {
  const mini = new Minimizer(
    (p: Parameters) => [p.get("a")!.value - 1, p.get("a")!.value + 1],
    paramsFrom([["a", 0, true, null, null, null]]),
  );
  const result = await mini.minimize();
  await assert.rejects(() => confInterval(mini, result), /fewer than 2 varied parameters/);
});
