// Mirrors lmfit 1.1.0 tests/test_bounded_jacobian.py.
import { minimize, Parameters } from "../../mod.ts";
import { assert, assertAllclose, parityTest } from "./_parity.ts";

const F = "test_bounded_jacobian";

function setup() {
  const pars = new Parameters();
  pars.add("x0", { value: 2.0 });
  pars.add("x1", { value: 2.0, min: 1.5 });
  const resid = (params: Parameters) => {
    const { x0, x1 } = params.valuesdict();
    return Float64Array.of(10 * (x1 - x0 * x0), 1 - x0);
  };
  return { pars, resid };
}

parityTest(F, "test_bounded_jacobian", async () => {
  const { pars, resid } = setup();
  let jacCount = 0;
  const jac = (params: Parameters) => {
    jacCount++;
    const x0 = params.get("x0")!.value;
    return [[-20 * x0, 10], [-1, 0]];
  };
  const out0 = await minimize(resid, pars);
  assertAllclose(out0.params.get("x0")!, 1.2243, { rtol: 1e-4 });
  assertAllclose(out0.params.get("x1")!, 1.5, { rtol: 1e-4 });
  assert.equal(jacCount, 0);
  const out1 = await minimize(resid, pars, { Dfun: jac });
  assertAllclose(out1.params.get("x0")!, 1.2243, { rtol: 1e-4 });
  assertAllclose(out1.params.get("x1")!, 1.5, { rtol: 1e-4 });
  assert.ok(jacCount > 5);
});

parityTest(F, "test_bounded_jacobian_CG", async () => {
  const { pars, resid } = setup();
  let jacCount = 0;
  // Gradient of the summed squared residuals.
  const jac = (params: Parameters) => {
    jacCount++;
    const x0 = params.get("x0")!.value;
    const r = resid(params);
    const j = [[-20 * x0, 10], [-1, 0]];
    return [0, 1].map((k) => 2 * (j[0][k] * r[0] + j[1][k] * r[1]));
  };
  const out0 = await minimize(resid, pars, { method: "CG" });
  assertAllclose(out0.params.get("x0")!, 1.2243, { rtol: 1e-4 });
  assertAllclose(out0.params.get("x1")!, 1.5, { rtol: 1e-4 });
  assert.equal(jacCount, 0);
  const out1 = await minimize(resid, pars, { method: "CG", Dfun: jac });
  assertAllclose(out1.params.get("x0")!, 1.2243, { rtol: 1e-4 });
  assertAllclose(out1.params.get("x1")!, 1.5, { rtol: 1e-4 });
  assert.ok(jacCount > 5);
});
