// Mirrors lmfit 1.1.0 tests/test_basicfit.py.
import { minimize } from "../../mod.ts";
import { assert, assertAllclose, decayingSineFit, normalNoise, parityTest } from "./_parity.ts";

const F = "test_basicfit";

parityTest(F, "test_basic", async () => {
  const { x, data, fcn2min, params } = decayingSineFit(normalNoise(301, 0.2, 1));
  const result = await minimize(fcn2min, params, { args: [x, data] });
  assert.ok(result.nfev > 5);
  assert.ok(result.nfev < 500);
  assert.ok(result.chisqr > 1);
  assert.equal(result.nvarys, 4);
  assertAllclose(result.params.get("amp")!, 5.03, { rtol: 0.05 });
  assertAllclose(result.params.get("omega")!, 2.0, { rtol: 0.05 });
});
