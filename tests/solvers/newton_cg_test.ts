import assert from "node:assert/strict";
import { newtonCG } from "../../lib/solvers/newton_cg.ts";
import { bowl, BOWL_C, commonTests, dist, rosen, rosenGrad, STARTS } from "./_local_problems.ts";

commonTests("newtonCG", "newton_cg", newtonCG, 3);

Deno.test("newtonCG: analytic gradient and Hessian-vector product", () => {
  const hessp = (x: Float64Array, v: Float64Array, out: Float64Array) => {
    // Rosenbrock 2-D Hessian times v.
    const h00 = 1200 * x[0] * x[0] - 400 * x[1] + 2, h01 = -400 * x[0], h11 = 200;
    out[0] = h00 * v[0] + h01 * v[1];
    out[1] = h01 * v[0] + h11 * v[1];
  };
  const r = newtonCG(rosen, Float64Array.from(STARTS.rosen2), { grad: rosenGrad, hessp });
  assert.equal(r.status, 0, r.message);
  assert.ok(dist(r.x, [1, 1]) < 1e-8);
  const fd = newtonCG(rosen, Float64Array.from(STARTS.rosen2), { grad: rosenGrad });
  assert.ok(dist(fd.x, [1, 1]) < 1e-6);
  assert.ok(r.nfev <= fd.nfev, `exact hessp needs no extra evaluations: ${r.nfev} vs ${fd.nfev}`);
});

Deno.test("newtonCG: a quadratic converges in a few truncated-Newton steps", () => {
  // The inner CG stops at the forcing tolerance min(0.5, √‖g‖₁)·‖g‖₁, so a quadratic takes a
  // few outer steps (scipy's behaviour), each far cheaper than a CG or BFGS run.
  const r = newtonCG(bowl, new Float64Array(6));
  assert.equal(r.status, 0);
  assert.ok(r.nit <= 8, `nit ${r.nit}`);
  assert.ok(dist(r.x, BOWL_C) < 1e-8, `${r.x}`);
});

Deno.test("newtonCG: maxiter status", () => {
  const r = newtonCG(rosen, Float64Array.from(STARTS.rosen2), { maxiter: 2 });
  assert.equal(r.status, 1);
  assert.equal(r.success, false);
});
