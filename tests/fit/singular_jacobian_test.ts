/**
 * A leastsq fit that converges where the Jacobian is singular (two parameters that only act
 * through their sum) is reported as a stall naming the parameter without effect; the covariance
 * step factors the Jacobian in place and takes that name from the same factorization.
 */
import assert from "node:assert/strict";
import { minimize, Parameters } from "../../mod.ts";

Deno.test("a singular Jacobian at convergence is a stall that names the dependent parameter", async () => {
  const x = Float64Array.from({ length: 20 }, (_, i) => i / 2);
  const y = x.map((v) => 3 * v + 0.05 * Math.sin(5 * v));
  const params = new Parameters();
  params.add("a", { value: 1 });
  params.add("b", { value: 0.5 });
  const r = await minimize((p) => {
    const a = p.get("a")!.value, b = p.get("b")!.value;
    return x.map((v, i) => (a + b) * v - y[i]);
  }, params);
  assert.equal(r.success, false);
  assert.match(
    r.message,
    /^Fit stalled where the Jacobian is singular: b has \(almost\) no effect/,
  );
  assert.equal(r.params.get("a")!.stderr, null);
});
