// Mirrors lmfit 1.1.0 tests/test_stepmodel.py.
import { ConstantModel, StepModel } from "../../mod.ts";
import { assert, linspace, parityTest, seededNoise } from "./_parity.ts";

const F = "test_stepmodel";

function getData(): [Float64Array, Float64Array] {
  const x = linspace(0, 10, 201);
  const noise = seededNoise("stepmodel");
  const dat = x.map((_, i) => (i < 48 ? 0 : i < 77 ? (i - 48) / (77 - 48) : 1));
  return [x, dat.map((v, i) => 110.2 * (v + 5e-2 * noise[i]) + 12.0)];
}

// lmfit's test_stepmodel_erf also builds StepModel(form='linear'): mirrored as it is.
for (const name of ["test_stepmodel_linear", "test_stepmodel_erf"]) {
  parityTest(F, name, async () => {
    const [x, y] = getData();
    const stepmod = new StepModel({ form: "linear" });
    const konst = new ConstantModel();
    const pars = stepmod.guess(y, { x });
    // lmfit's `pars + const.make_params(...)`: the union of both sets.
    for (const p of konst.makeParams({ c: 3 * Math.min(...y) }).values()) pars.add(p.clone());
    const mod = stepmod.add(konst);
    const out = await mod.fit(y, pars, { x });
    assert.ok(out.nfev > 5);
    assert.equal(out.nvarys, 4);
    assert.ok(out.chisqr > 1);
    const v = out.params.valuesdict();
    assert.ok(v.c > 3);
    assert.ok(v.center > 1 && v.center < 4);
    assert.ok(v.amplitude > 50);
    if (name === "test_stepmodel_linear") assert.ok(v.sigma > 0.5 && v.sigma < 3.5);
    else assert.ok(v.sigma > 0.2 && v.sigma < 1.5);
  });
}
