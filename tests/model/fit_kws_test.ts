/**
 * `Model.fit` supplies the analytic Jacobian to leastsq itself; `result.callKws` records only
 * the options the caller gave (issue 13 point 10: the supplied Jacobian's closure kept the fit's
 * m×n buffers alive as long as the result).
 */
import assert from "node:assert/strict";
import { GaussianModel } from "../../mod.ts";

const x = Float64Array.from({ length: 41 }, (_, i) => i / 4);
const y = x.map((v) => 3 * Math.exp(-((v - 5) ** 2) / 2) + 0.01 * Math.sin(7 * v));

Deno.test("callKws holds the caller's options, not the analytic Dfun Model.fit supplies", async () => {
  const m = new GaussianModel();
  const r = await m.fit(y, m.makeParams({ amplitude: 5, center: 4.5, sigma: 1.5 }), {
    x,
    fitKws: { xtol: 1e-10 },
  });
  assert.ok(r.success);
  assert.equal(r.params.get("center")!.value.toFixed(3), "5.000");
  assert.equal(r.callKws.xtol, 1e-10);
  assert.ok(!("Dfun" in r.callKws) && !("colDeriv" in r.callKws), JSON.stringify(r.callKws));
  // A caller's own colDeriv is kept (it is theirs, even where the analytic Jacobian is used).
  const r2 = await m.fit(y, m.makeParams({ amplitude: 5, center: 4.5, sigma: 1.5 }), {
    x,
    fitKws: { colDeriv: false },
  });
  assert.equal(r2.callKws.colDeriv, false);
  assert.ok(!("Dfun" in r2.callKws));
  assert.equal(r2.params.get("center")!.value, r.params.get("center")!.value);
});
