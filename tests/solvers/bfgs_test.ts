import assert from "node:assert/strict";
import { bfgs } from "../../lib/solvers/bfgs.ts";
import { bowl, commonTests, dist, rosen, rosenGrad, STARTS } from "./_local_problems.ts";
import { chisqr, START } from "./_two_exponential.ts";

commonTests("bfgs", "bfgs", bfgs, 3);

Deno.test("bfgs: analytic gradient is used and counted", () => {
  const r = bfgs(rosen, Float64Array.from(STARTS.rosen5), { grad: rosenGrad });
  assert.equal(r.status, 0);
  assert.ok(r.njev > 0 && r.njev <= r.nfev + 5);
  assert.ok(r.nfev < 200, `nfev ${r.nfev}`);
  assert.ok(dist(r.x, [1, 1, 1, 1, 1]) < 1e-7);
});

Deno.test("bfgs: forward differences also converge", () => {
  const r = bfgs(chisqr, Float64Array.from(START), { fdMethod: "forward" });
  assert.equal(r.success, true, r.message);
  const c = bfgs(chisqr, Float64Array.from(START));
  assert.ok(Math.abs(r.fun - c.fun) / c.fun < 1e-9);
});

Deno.test("bfgs: hessInv approximates the inverse Hessian of a quadratic", () => {
  // f = ½ xᵀAx − bᵀx with A SPD 3×3; BFGS with exact gradients recovers A⁻¹.
  const A = [4, 1, 0.5, 1, 3, 0.2, 0.5, 0.2, 2];
  const b = [1, -2, 0.5];
  const f = (x: Float64Array) => {
    let s = 0;
    for (let i = 0; i < 3; i++) {
      let ax = 0;
      for (let j = 0; j < 3; j++) ax += A[i * 3 + j] * x[j];
      s += 0.5 * x[i] * ax - b[i] * x[i];
    }
    return s;
  };
  const grad = (x: Float64Array, out: Float64Array) => {
    for (let i = 0; i < 3; i++) {
      let ax = 0;
      for (let j = 0; j < 3; j++) ax += A[i * 3 + j] * x[j];
      out[i] = ax - b[i];
    }
  };
  const r = bfgs(f, new Float64Array(3), { grad, gtol: 1e-13 });
  assert.equal(r.status, 0);
  // A·hessInv ≈ I
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      let v = 0;
      for (let k = 0; k < 3; k++) v += A[i * 3 + k] * r.hessInv[k * 3 + j];
      assert.ok(Math.abs(v - (i === j ? 1 : 0)) < 0.05, `(A·H)[${i}][${j}] = ${v}`);
    }
  }
});

Deno.test("bfgs: maxiter and non-finite start statuses", () => {
  const r = bfgs(bowl, new Float64Array(6), { maxiter: 2 });
  assert.equal(r.status, 1);
  assert.equal(r.nit, 2);
  assert.equal(r.success, false);
  const s = bfgs(() => NaN, Float64Array.of(1));
  assert.equal(s.status, 4);
  assert.equal(s.success, false);
});
