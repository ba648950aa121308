// Mirrors lmfit 1.1.0 tests/test_default_kws.py.
import { GaussianModel, lineshapes } from "../../mod.ts";
import { arange, assert, loose, parityTest } from "./_parity.ts";

const F = "test_default_kws";

parityTest(F, "test_default_inputs_gauss", async () => {
  const x = arange(-3, 3, 0.01);
  const y = lineshapes.gaussian(x, 1, 0, 0.2);
  const g = new GaussianModel();
  // lmfit: g.fit(y, x=x, amplitude=1, center=0, sigma=0.5, max_nfev=5000, fit_kws=...)
  const fit = (xtol: number) =>
    g.fit(
      y,
      undefined,
      loose({ x, amplitude: 1, center: 0, sigma: 0.5, maxNfev: 5000, fitKws: { xtol } }),
    );
  const result1 = await fit(1e-2);
  const result2 = await fit(1e-6);
  assert.notDeepEqual(result1.params.valuesdict(), result2.params.valuesdict());
});
