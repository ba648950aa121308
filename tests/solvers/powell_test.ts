import assert from "node:assert/strict";
import { powell } from "../../lib/solvers/powell.ts";
import { commonTests, rosen, STARTS } from "./_local_problems.ts";

commonTests("powell", "powell", powell, 1);

Deno.test("powell: maxiter status", () => {
  const r = powell(rosen, Float64Array.from(STARTS.rosen2), { maxiter: 2 });
  assert.equal(r.status, 2);
  assert.equal(r.success, false);
  assert.equal(r.nit, 2);
});

Deno.test("powell: a non-finite start is a result", () => {
  const r = powell(() => NaN, Float64Array.of(1, 2));
  assert.equal(r.status, 3);
  assert.equal(r.success, false);
  assert.equal(r.nfev, 1);
});

Deno.test("powell: one-dimensional problem and directions of very different scale", () => {
  const r = powell((x) => Math.cosh(x[0] - 2), Float64Array.of(-3));
  assert.ok(Math.abs(r.x[0] - 2) < 1e-6, `${r.x}`);
  const s = powell(
    (x) => ((x[0] - 3e-6) / 1e-6) ** 2 + ((x[1] - 2e6) / 1e6) ** 2,
    Float64Array.of(1e-6, 1e6),
  );
  assert.ok(Math.abs(s.x[0] - 3e-6) < 1e-11 && Math.abs(s.x[1] - 2e6) < 1e-1, `${s.x}`);
});
