// Mirrors lmfit 1.1.0 tests/test_custom_independentvar.py.
import { lineshapes, Model } from "../../mod.ts";
import { assert, linspace, loose, normalNoise, parityTest } from "./_parity.ts";

const F = "test_custom_independentvar";

class Stepper {
  constructor(readonly start: number, readonly stop: number, readonly npts: number) {}
  getX(): Float64Array {
    return linspace(this.start, this.stop, this.npts);
  }
}

parityTest(F, "test_custom_independentvar", async () => {
  const npts = 501, xmin = 1, xmax = 21, cen = 8;
  const obj = new Stepper(xmin, xmax, npts);
  const noise = normalNoise(npts, 0.2, 3);
  const y = lineshapes.gaussian(obj.getX(), 3.0, cen, 2.5).map((v, i) => v + noise[i]);
  // A model whose independent variable is an object, not an array (lmfit passes it through).
  const gmod = new Model(
    (_x, p, vars) =>
      lineshapes.gaussian(loose(vars).obj.getX() as Float64Array, p.amplitude, p.center, p.sigma),
    { paramNames: ["amplitude", "center", "sigma"], independentVars: ["obj"] },
  );
  const params = gmod.makeParams({ amplitude: 2, center: 5, sigma: 8 });
  const out = await gmod.fit(y, params, loose({ obj }));
  assert.equal(out.nvarys, 3);
  assert.ok(out.nfev > 10);
  assert.ok(out.chisqr > 1);
  assert.ok(out.chisqr < 100);
  const v = out.params.valuesdict();
  assert.ok(v.sigma < 3 && v.sigma > 2);
  assert.ok(v.center > xmin && v.center < xmax);
  assert.ok(v.amplitude > 1 && v.amplitude < 5);
});
