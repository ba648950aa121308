import assert from "node:assert/strict";
import { conjugateGradient } from "../../lib/solvers/conjugate_gradient.ts";
import { bfgs as bfgsFromBfgs, conjugateGradient as reexported } from "../../lib/solvers/bfgs.ts";
import { bowl, commonTests, dist, rosen, rosenGrad, STARTS } from "./_local_problems.ts";

commonTests("conjugateGradient", "cg", conjugateGradient, 3);

Deno.test("conjugateGradient: analytic gradient", () => {
  const r = conjugateGradient(rosen, Float64Array.from(STARTS.rosen2), { grad: rosenGrad });
  assert.equal(r.status, 0);
  assert.ok(r.njev > 0);
  assert.ok(dist(r.x, [1, 1]) < 1e-6);
});

Deno.test("conjugateGradient: maxiter status; re-exported from bfgs.ts", () => {
  const r = conjugateGradient(bowl, new Float64Array(6), { maxiter: 3 });
  assert.equal(r.status, 1);
  assert.equal(r.nit, 3);
  assert.equal(reexported, conjugateGradient);
  assert.equal(typeof bfgsFromBfgs, "function");
});
