// Mirrors lmfit 1.1.0 tests/test_algebraic_constraint.py. lmfit's
// `minimizer.params._asteval.symtable['wfun'] = f` is `minimizer.symtable.set('wfun', f)` here.
import { lineshapes, Minimizer, Model, Parameters } from "../../mod.ts";
import { assert, linspace, type Loose, parityTest, seededNoise } from "./_parity.ts";

const F = "test_algebraic_constraint";

function minimizer(): Minimizer {
  const residual = (
    pars: Parameters,
    x: Float64Array,
    kws: { sigma?: number; data?: Float64Array } = {},
  ) => {
    const v = pars.valuesdict();
    const yg = lineshapes.gaussian(x, v.amp_g, v.cen_g, v.wid_g);
    const yl = lineshapes.lorentzian(x, v.amp_l, v.cen_l, v.wid_l);
    const model = x.map((xi, i) => yg[i] + yl[i] + v.line_off + xi * v.line_slope);
    const { sigma, data } = kws;
    if (!data) return model;
    return model.map((m, i) => (m - data[i]) / (sigma ?? 1));
  };
  const x = linspace(0, 20, 601);
  const noise = seededNoise("algebraic", 0.23);
  const g = lineshapes.gaussian(x, 21, 8.1, 1.2), l = lineshapes.lorentzian(x, 10, 9.6, 2.4);
  const data = x.map((xi, i) => g[i] + l[i] + noise[i] + xi * 0.5);
  const pars = new Parameters();
  pars.add("amp_g", { value: 10 });
  pars.add("cen_g", { value: 9 });
  pars.add("wid_g", { value: 1 });
  pars.add("amp_tot", { value: 20 });
  pars.add("amp_l", { expr: "amp_tot - amp_g" });
  pars.add("cen_l", { expr: "1.5+cen_g" });
  pars.add("wid_l", { expr: "2*wid_g" });
  pars.add("line_slope", { value: 0.0 });
  pars.add("line_off", { value: 0.0 });
  return new Minimizer(residual, pars, { fcnArgs: [x], fcnKws: { sigma: 0.021, data } });
}

parityTest(F, "test_algebraic_constraints", async () => {
  const pfit = (await minimizer().minimize("leastsq")).params.valuesdict();
  assert.equal(pfit.cen_l, 1.5 + pfit.cen_g);
  assert.equal(pfit.amp_l, pfit.amp_tot - pfit.amp_g);
  assert.equal(pfit.wid_l, 2.0 * pfit.wid_g);
});

parityTest(F, "test_algebraic_constraints_function", async () => {
  const mini = minimizer();
  mini.symtable.set("wfun", (w: Loose) => 2.5 * w);
  mini.params.add("wid_l", { expr: "wfun(wid_g)" });
  const pfit = (await mini.minimize("leastsq")).params.valuesdict();
  assert.equal(pfit.cen_l, 1.5 + pfit.cen_g);
  assert.equal(pfit.amp_l, pfit.amp_tot - pfit.amp_g);
  assert.equal(pfit.wid_l, 2.5 * pfit.wid_g);
});

parityTest(F, "test_constraints_function_call", async () => {
  const x = [
    1723,
    1773,
    1823,
    1523,
    1773,
    1033.03078,
    1042.98077,
    1047.90937,
    1053.95899,
    1057.94906,
    1063.13788,
    1075.74218,
    1086.03102,
  ];
  const y = [
    0.79934,
    -0.31876,
    -0.46852,
    0.05,
    -0.21,
    11.1708,
    10.31844,
    9.73069,
    9.21319,
    9.12457,
    9.05243,
    8.66407,
    8.29664,
  ];
  // def VFT(T, ninf=-3, A=5e3, T0=800): return ninf + A/(T-T0)
  const vftModel = new Model((T, p) => T.map((t) => p.ninf + p.A / (t - p.T0)), {
    paramNames: ["ninf", "A", "T0"],
    independentVars: ["T"],
    defaults: { ninf: -3, A: 5e3, T0: 800 },
    name: "VFT",
  });
  vftModel.setParamHint("D", { vary: false, expr: "A*log(10)/T0" });
  const result = await vftModel.fit(y, undefined, { T: x } as Loose);
  const A = result.params.get("A")!.value, D = result.params.get("D")!.value;
  assert.ok(A > 2600.0 && A < 2650.0, `A = ${A}`);
  assert.ok(D > 7.0 && D < 7.5, `D = ${D}`);
});

parityTest(F, "test_constraints", async () => {
  const mini = minimizer();
  let pfit = (await mini.minimize("leastsq")).params.valuesdict();
  assert.equal(pfit.cen_l, 1.5 + pfit.cen_g);
  assert.equal(pfit.amp_l, pfit.amp_tot - pfit.amp_g);
  assert.equal(pfit.wid_l, 2.0 * pfit.wid_g);
  mini.params.get("wid_l")!.expr = "1.25*wid_g";
  pfit = (await mini.minimize("leastsq")).params.valuesdict();
  assert.equal(pfit.cen_l, 1.5 + pfit.cen_g);
  assert.equal(pfit.amp_l, pfit.amp_tot - pfit.amp_g);
  assert.equal(pfit.wid_l, 1.25 * pfit.wid_g);
});
