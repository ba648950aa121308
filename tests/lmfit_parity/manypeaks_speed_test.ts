// Mirrors lmfit 1.1.0 tests/test_manypeaks_speed.py (its limits are "very conservative").
import { type BaseModel, lineshapes, Model } from "../../mod.ts";
import { assert, parityTest } from "./_parity.ts";

const F = "test_manypeaks_speed";

parityTest(F, "test_manypeaks_speed", () => {
  let model: BaseModel | null = null;
  const t0 = performance.now();
  for (let i = 0; i < 500; i++) {
    const g = new Model(
      (x, p) => lineshapes.gaussian(x, p.amplitude, p.center, p.sigma),
      { paramNames: ["amplitude", "center", "sigma"], prefix: `g${i}`, name: "gaussian" },
    );
    model = model === null ? g : model.add(g);
  }
  const t1 = performance.now();
  const pars = model!.makeParams();
  const t2 = performance.now();
  const cpars = pars.copy();
  const t3 = performance.now();
  assert.equal(cpars.size, 1500);
  assert.ok(t3 - t2 < 500);
  assert.ok(t2 - t1 < 500);
  assert.ok(t1 - t0 < 5000);
});
