// Mirrors lmfit 1.1.0 tests/test_parameter.py. Python-only machinery is left out: pickling
// (test_getstate, test_setstate, test_parameter_pickle_). Python's numeric magic methods
// (__add__, __lt__, __int__, ...) are mirrored as JavaScript arithmetic, which works on a
// Parameter through valueOf().
import { Parameter } from "../../mod.ts";
import {
  abParameters,
  assert,
  assertAllclose,
  assertParAttrs,
  assertRaises,
  type Loose,
  loose,
  type ParAttrs,
  parityTest,
} from "./_parity.ts";

const F = "test_parameter";

type Attrs = ParAttrs;
const assertAttrs = assertParAttrs;

const parameters = abParameters;

function parameter(): [Loose, Attrs] {
  const par = new Parameter("a", {
    value: 10.0,
    vary: true,
    min: -100.0,
    max: 100.0,
    expr: null,
    bruteStep: 5.0,
    userData: 1,
  });
  const expected: Attrs = ["a", 10.0, true, -100.0, 100.0, null, 5.0, 1];
  assertAttrs(par, expected);
  return [par, expected];
}

const inf = Infinity;
const inOut: [() => Parameter, Attrs][] = [
  [() => new Parameter("a"), ["a", -inf, true, -inf, inf, null, null, null]],
  [() => new Parameter("a", { value: 10.0 }), ["a", 10.0, true, -inf, inf, null, null, null]],
  [() => new Parameter("a", { vary: false }), ["a", -inf, false, -inf, inf, null, null, null]],
  [() => new Parameter("a", { min: -10.0 }), ["a", -10.0, true, -10.0, inf, null, null, null]],
  [
    () => new Parameter("a", { value: -5.0, min: -10.0 }),
    ["a", -5.0, true, -10.0, inf, null, null, null],
  ],
  [() => new Parameter("a", { max: 10.0 }), ["a", -inf, true, -inf, 10.0, null, null, null]],
  [
    () => new Parameter("a", { value: 25.0, max: 10.0 }),
    ["a", 10.0, true, -inf, 10.0, null, null, null],
  ],
  [
    () => new Parameter("a", { expr: "2.0*10.0" }),
    ["a", -inf, true, -inf, inf, "2.0*10.0", null, null],
  ],
  [() => new Parameter("a", { bruteStep: 0.1 }), ["a", -inf, true, -inf, inf, null, 0.1, null]],
  [
    () => new Parameter("a", { userData: { b: {} } }),
    ["a", -inf, true, -inf, inf, null, null, { b: {} }],
  ],
];
inOut.forEach(([make, attrs], i) => {
  parityTest(F, `test_initialize_Parameter[par${i}-attr_values${i}]`, () => {
    const par = make();
    assertAttrs(par, attrs);
    for (const attribute of ["expr", "stderr", "correl", "value"]) assert.ok(attribute in par);
  });
});

parityTest(F, "test_Parameter_no_name", async () => {
  await assertRaises(() => new (Parameter as Loose)(), /name/);
});

parityTest(F, "test_init_bounds", async () => {
  // min > max: lmfit swaps them
  const par = new Parameter("a", { value: 0.0, min: 10.0, max: -10.0 });
  assert.equal(par.min, -10.0);
  assert.equal(par.max, 10.0);
  await assertRaises(
    () => new Parameter("a", { value: 0.0, min: 10.0, max: 10.0 }),
    /Parameter 'a'.*min == max/,
  );
  // min/max set to null: no bound
  loose(par).min = null;
  assert.equal(par.min, -Infinity);
  loose(par).max = null;
  assert.equal(par.max, Infinity);
});

parityTest(F, "test_parameter_set_value", () => {
  const [par, init] = parameter();
  par.set({ value: null });
  assertAttrs(par, init);
  par.set({ value: 5.0 });
  assertAttrs(par, ["a", 5.0, true, -100.0, 100.0, null, 5.0, 1]);
  par.set({ value: 500.0, min: 400, max: 600 });
  assertAttrs(par, ["a", 500.0, true, 400.0, 600.0, null, 5.0, 1]);
});

parityTest(F, "test_parameter_set_vary", () => {
  const [par, init] = parameter();
  par.set({ vary: null });
  assertAttrs(par, init);
  par.set({ vary: false });
  assertAttrs(par, ["a", 10.0, false, -100.0, 100.0, null, 5.0, 1]);
});

parityTest(F, "test_parameter_set_min", () => {
  const [par, init] = parameter();
  par.set({ min: null });
  assertAttrs(par, init);
  par.set({ min: -50.0 });
  assertAttrs(par, ["a", 10.0, true, -50.0, 100.0, null, 5.0, 1]);
});

parityTest(F, "test_parameter_set_max", () => {
  const [par, init] = parameter();
  par.set({ max: null });
  assertAttrs(par, init);
  par.set({ max: 50.0 });
  assertAttrs(par, ["a", 10.0, true, -100.0, 50.0, null, 5.0, 1]);
});

parityTest(F, "test_parameter_set_expr", () => {
  const [par] = parameter();
  par.set({ expr: "2.0*50.0" });
  const changed: Attrs = ["a", 10.0, false, -100.0, 100.0, "2.0*50.0", 5.0, 1];
  assertAttrs(par, changed);
  par.set({ expr: null });
  assertAttrs(par, changed);
  par.set({ expr: "" });
  assertAttrs(par, ["a", 10.0, false, -100.0, 100.0, null, 5.0, 1]);
});

parityTest(F, "test_parameters_set_value_with_expr", () => {
  const [pars] = parameters();
  pars.get("a")!.set({ value: 5.0 });
  pars.updateConstraints();
  assertAttrs(pars.get("a")!, ["a", 5.0, true, -100.0, 100.0, null, 5.0, 1]);
  assertAttrs(pars.get("b")!, ["b", 10.0, false, -250.0, 250.0, "2.0*a", 25.0, 2.5]);
  // with an expression present, setting a value removes it and leaves vary false
  pars.get("b")!.set({ value: 1.0 });
  pars.updateConstraints();
  assertAttrs(pars.get("a")!, ["a", 5.0, true, -100.0, 100.0, null, 5.0, 1]);
  assertAttrs(pars.get("b")!, ["b", 1.0, false, -250.0, 250.0, null, 25.0, 2.5]);
});

parityTest(F, "test_parameters_set_vary_with_expr", () => {
  const [pars, a] = parameters();
  pars.get("b")!.set({ vary: true });
  pars.updateConstraints();
  assertAttrs(pars.get("a")!, a);
  assertAttrs(pars.get("b")!, ["b", 20.0, true, -250.0, 250.0, null, 25.0, 2.5]);
});

parityTest(F, "test_parameters_set_expr", () => {
  const [pars, a, b] = parameters();
  pars.get("b")!.set({ expr: null });
  pars.updateConstraints();
  assertAttrs(pars.get("a")!, a);
  assertAttrs(pars.get("b")!, b);
  pars.get("b")!.set({ expr: "" });
  pars.updateConstraints();
  assertAttrs(pars.get("a")!, a);
  assertAttrs(pars.get("b")!, ["b", 20.0, false, -250.0, 250.0, null, 25.0, 2.5]);
  pars.get("a")!.set({ expr: "b/4.0" });
  pars.updateConstraints();
  assertAttrs(pars.get("a")!, ["a", 5.0, false, -100.0, 100.0, "b/4.0", 5.0, 1]);
  assertAttrs(pars.get("b")!, ["b", 20.0, false, -250.0, 250.0, null, 25.0, 2.5]);
});

parityTest(F, "test_parameter_set_brute_step", () => {
  const [par, init] = parameter();
  par.set({ bruteStep: null });
  assertAttrs(par, init);
  par.set({ bruteStep: 0.0 });
  assertAttrs(par, ["a", 10.0, true, -100.0, 100.0, null, null, 1]);
  par.set({ bruteStep: 1.0 });
  assertAttrs(par, ["a", 10.0, true, -100.0, 100.0, null, 1.0, 1]);
});

parityTest(F, "test_repr", () => {
  let par: Loose = new Parameter("test", { value: 10.0, min: 0.0, max: 20.0 });
  assert.equal(par.toString(), "<Parameter 'test', value=10.0, bounds=[0.0:20.0]>");
  par = new Parameter("test", { value: 10.0, vary: false });
  assert.equal(par.toString(), "<Parameter 'test', value=10.0 (fixed), bounds=[-inf:inf]>");
  par.set({ vary: true });
  par.stderr = 0.1;
  assert.equal(par.toString(), "<Parameter 'test', value=10.0 +/- 0.1, bounds=[-inf:inf]>");
  par = new Parameter("test", { expr: "10.0*2.5" });
  assert.equal(
    par.toString(),
    "<Parameter 'test', value=-inf, bounds=[-inf:inf], expr='10.0*2.5'>",
  );
  par = new Parameter("test", { bruteStep: 0.1 });
  assert.equal(par.toString(), "<Parameter 'test', value=-inf, bounds=[-inf:inf], brute_step=0.1>");
});

parityTest(F, "test_setup_bounds_and_scale_gradient_methods", () => {
  // lmfit's per-Parameter MINUIT transforms: setup_bounds() and scale_gradient(value).
  let par: Loose = new Parameter("no_bounds", { value: 10.0 });
  assertAllclose(par.setupBounds(), 10.0);
  assertAllclose(par.scaleGradient(par.value), 1.0);
  par = new Parameter("no_bounds", { value: 10.0 });
  par.min = null;
  par.max = null;
  assertAllclose(par.setupBounds(), 10.0);
  assertAllclose(par.scaleGradient(par.value), 1.0);
  par = new Parameter("upper_bound", { value: 10.0, max: 25.0 });
  assertAllclose(par.setupBounds(), 15.968719422671311);
  assertAllclose(par.scaleGradient(par.value), -0.99503719, { rtol: 1e-6 });
  par = new Parameter("upper_bound", { value: 10.0, min: -25.0 });
  assertAllclose(par.setupBounds(), 35.98610843);
  assertAllclose(par.scaleGradient(par.value), 0.995037, { rtol: 1e-6 });
  par = new Parameter("both_bounds", { value: 10.0, min: -25.0, max: 25.0 });
  assertAllclose(par.setupBounds(), 0.4115168460674879);
  assertAllclose(par.scaleGradient(par.value), -20.976788, { rtol: 1e-6 });
});

parityTest(F, "test_value_setter", () => {
  const [par, init] = parameter();
  assertAttrs(par, init);
  par.value = 200.0;
  assertAllclose(par.value, 100.0);
  par.value = -200.0;
  assertAllclose(par.value, -100.0);
  par.value = 10.0;
  assertAllclose(par.value, 10.0);
});

// Python's magic methods, as JavaScript operators on the Parameter (valueOf).
const magic: [string, (par: Loose) => void][] = [
  ["test__array__", (par) => assert.deepEqual(Float64Array.of(par), Float64Array.of(10.0))],
  [
    "test__str__",
    (par) =>
      assert.equal(
        String(par),
        "<Parameter 'a', value=10.0, bounds=[-100.0:100.0], brute_step=5.0>",
      ),
  ],
  ["test__abs__", (par) => {
    assertAllclose(Math.abs(par), 10.0);
    par.set({ value: -10.0 });
    assertAllclose(Math.abs(par), 10.0);
  }],
  ["test__neg__", (par) => {
    assertAllclose(-par, -10.0);
    par.set({ value: -10.0 });
    assertAllclose(-par, 10.0);
  }],
  ["test__pos__", (par) => {
    assertAllclose(+par, 10.0);
    par.set({ value: -10.0 });
    assertAllclose(+par, -10.0);
  }],
  ["test__bool__", (par) => assert.ok(Boolean(par))],
  ["test__int__", (par) => assertAllclose(Math.trunc(par), 10)],
  ["test__float__", (par) => {
    par.set({ value: 5 });
    assert.equal(typeof Number(par), "number");
    assertAllclose(Number(par), 5.0);
  }],
  ["test__trunc__", (par) => {
    par.set({ value: 10.5 });
    assertAllclose(Math.trunc(par), 10);
  }],
  ["test__add__", (par) => assertAllclose(par + 5.25, 15.25)],
  ["test__sub__", (par) => assertAllclose(par - 5.25, 4.75)],
  ["test__truediv__", (par) => assertAllclose(par / 1.25, 8.0)],
  ["test__floordiv__", (par) => {
    par.set({ value: 5 });
    assertAllclose(Math.floor(par / 2), 2);
  }],
  ["test__divmod__", (par) => assertAllclose([Math.floor(par / 3), par % 3], [3, 1])],
  ["test__mod__", (par) => {
    assertAllclose(par % 2, 0);
    assertAllclose(par % 3, 1);
  }],
  ["test__mul__", (par) => {
    assertAllclose(par * 2.5, 25.0);
    assertAllclose(par * -0.1, -1.0);
  }],
  ["test__pow__", (par) => {
    assertAllclose(par ** 0.5, 3.16227766);
    assertAllclose(par ** 4, 1e4);
  }],
  ["test__gt__", (par) => {
    assert.ok(par < 11);
    assert.ok(!(par < 10));
  }],
  ["test__ge__", (par) => {
    assert.ok(par <= 11);
    assert.ok(par <= 10);
    assert.ok(!(par <= 9));
  }],
  ["test__le__", (par) => {
    assert.ok(par >= 9);
    assert.ok(par >= 10);
    assert.ok(!(par >= 11));
  }],
  ["test__lt__", (par) => {
    assert.ok(par > 9);
    assert.ok(!(par > 10));
  }],
  // deno-lint-ignore eqeqeq
  ["test__eq__", (par) => assert.ok(par == 10 && !(par == 9))],
  // deno-lint-ignore eqeqeq
  ["test__ne__", (par) => assert.ok(par != 9 && !(par != 10))],
  ["test__radd__", (par) => assertAllclose(5.25 + par, 15.25)],
  ["test__rtruediv__", (par) => assertAllclose(1.25 / par, 0.125)],
  ["test__rdivmod__", (par) => assertAllclose([Math.floor(3 / par), 3 % par], [0, 3])],
  ["test__rfloordiv__", (par) => {
    assertAllclose(Math.floor(2 / par), 0);
    assertAllclose(Math.floor(20 / par), 2);
  }],
  ["test__rmod__", (par) => {
    assertAllclose(2 % par, 2);
    assertAllclose(25 % par, 5);
  }],
  ["test__rmul__", (par) => {
    assertAllclose(2.5 * par, 25.0);
    assertAllclose(-0.1 * par, -1.0);
  }],
  ["test__rpow__", (par) => {
    assertAllclose(0.5 ** par, 0.0009765625);
    assertAllclose(4 ** par, 1048576);
  }],
  ["test__rsub__", (par) => assertAllclose(5.25 - par, -4.75)],
];
for (const [name, fn] of magic) parityTest(F, name, () => fn(parameter()[0]));
