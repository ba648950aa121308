// Mirrors lmfit 1.1.0 tests/test_lineshapes.py over lmfit.lineshapes.functions, with lmfit's
// signatures (parameter names and defaults, as inspect.signature gives them) written out; each
// function is called through LINESHAPES[name].fn, lmfit's positional signature.
import { lineshapes } from "../../mod.ts";
import {
  assert,
  assertAlmostEqual,
  assertRaises,
  linspace,
  type Loose,
  mean,
  parityTest,
} from "./_parity.ts";

const F = "test_lineshapes";
const tiny = 1.0e-15;

/** lmfit.lineshapes.functions with their signatures: [name, [param, default][]] (x first). */
const SIGNATURES: [string, [string, number | string | null][]][] = [
  ["gaussian", [["amplitude", 1], ["center", 0], ["sigma", 1]]],
  ["gaussian2d", [["y", 0], ["amplitude", 1], ["centerx", 0], ["centery", 0], ["sigmax", 1], [
    "sigmay",
    1,
  ]]],
  ["lorentzian", [["amplitude", 1], ["center", 0], ["sigma", 1]]],
  ["voigt", [["amplitude", 1], ["center", 0], ["sigma", 1], ["gamma", null]]],
  ["pvoigt", [["amplitude", 1], ["center", 0], ["sigma", 1], ["fraction", 0.5]]],
  ["moffat", [["amplitude", 1], ["center", 0], ["sigma", 1], ["beta", 1]]],
  ["pearson4", [["amplitude", 1], ["center", 0], ["sigma", 1], ["expon", 1], ["skew", 0]]],
  ["pearson7", [["amplitude", 1], ["center", 0], ["sigma", 1], ["expon", 1]]],
  ["breit_wigner", [["amplitude", 1], ["center", 0], ["sigma", 1], ["q", 1]]],
  ["damped_oscillator", [["amplitude", 1], ["center", 1], ["sigma", 0.1]]],
  ["dho", [["amplitude", 1], ["center", 1], ["sigma", 1], ["gamma", 1]]],
  ["logistic", [["amplitude", 1], ["center", 0], ["sigma", 1]]],
  ["lognormal", [["amplitude", 1], ["center", 0], ["sigma", 1]]],
  ["students_t", [["amplitude", 1], ["center", 0], ["sigma", 1]]],
  ["expgaussian", [["amplitude", 1], ["center", 0], ["sigma", 1], ["gamma", 1]]],
  ["doniach", [["amplitude", 1], ["center", 0], ["sigma", 1], ["gamma", 0]]],
  ["skewed_gaussian", [["amplitude", 1], ["center", 0], ["sigma", 1], ["gamma", 0]]],
  ["skewed_voigt", [["amplitude", 1], ["center", 0], ["sigma", 1], ["gamma", null], ["skew", 0]]],
  ["thermal_distribution", [["amplitude", 1], ["center", 0], ["kt", 1], ["form", "bose"]]],
  ["step", [["amplitude", 1], ["center", 0], ["sigma", 1], ["form", "linear"]]],
  ["rectangle", [["amplitude", 1], ["center1", 0], ["sigma1", 1], ["center2", 1], ["sigma2", 1], [
    "form",
    "linear",
  ]]],
  ["exponential", [["amplitude", 1], ["decay", 1]]],
  ["powerlaw", [["amplitude", 1], ["exponent", 1]]],
  ["linear", [["slope", 1], ["intercept", 0]]],
  ["parabolic", [["a", 0], ["b", 0], ["c", 0]]],
  ["sine", [["amplitude", 1], ["frequency", 1], ["shift", 0]]],
  ["expsine", [["amplitude", 1], ["frequency", 1], ["shift", 0], ["decay", 0]]],
  ["split_lorentzian", [["amplitude", 1], ["center", 0], ["sigma", 1], ["sigma_r", 1]]],
];

const fnOf = (name: string): Loose => {
  const spec = lineshapes.LINESHAPES[name];
  assert.ok(spec, `no lineshape ${name}`);
  return spec.fn;
};
const arg = (v: number | string | null) => (v === null ? undefined : v);

const notZeroCases: [string, number | number[], number][] = [
  ["1-1.0", 1, 1.0],
  ["-1--1.0", -1, -1.0],
  ["0-1e-15", 0, tiny],
  ["0--1e-15", -0, -tiny],
  ["value4-1.0", [1], 1.0],
];
for (const [id, value, expected] of notZeroCases) {
  parityTest(F, `test_not_zero[${id}]`, () => {
    const v = Array.isArray(value) ? Float64Array.from(value) : value;
    assertAlmostEqual(lineshapes.notZero(v), expected);
  });
}

for (const [name, sig] of SIGNATURES) {
  parityTest(F, `test_no_ZeroDivisionError_and_finite_output[${name}]`, () => {
    const xvals = linspace(0, 10, 100);
    const func = fnOf(name);
    assert.equal(typeof func, "function");
    const mid = mean(xvals);
    for (const [parZero] of sig.filter(([p]) => p !== "form")) {
      const args: unknown[] = [xvals];
      for (const [par, dflt] of sig) {
        if (par === "center") args.push(0.5 * mid);
        else if (par === "center1") args.push(0.25 * mid);
        else if (par === "center2") args.push(0.75 * mid);
        else if (par === parZero) args.push(0.0);
        else args.push(arg(dflt));
      }
      const out = func(...args);
      assert.equal(out.length, xvals.length, `${name} with ${parZero} = 0`);
      assert.ok([...out].every(Number.isFinite), `${name} with ${parZero} = 0: not finite`);
    }
  });

  parityTest(F, `test_x_float_value[${name}]`, () => {
    const out = fnOf(name)(7.0, ...sig.map(([, d]) => arg(d)));
    assert.equal(typeof out, "number", `${name}(7.0) gave ${out}`);
  });
}

const risingForm = ["erf", "logistic", "atan", "arctan", "linear", "unknown"];
for (const form of risingForm) {
  for (const name of ["step", "rectangle"]) {
    parityTest(F, `test_form_argument_step_rectangle[${name}-${form}]`, async () => {
      const xvals = linspace(0, 10, 100);
      const sig = SIGNATURES.find(([n]) => n === name)![1];
      const args = [xvals, ...sig.map(([p, d]) => (p === "form" ? form : arg(d)))];
      if (form === "unknown") {
        await assertRaises(() => fnOf(name)(...args), /unknown/);
      } else {
        assert.equal(fnOf(name)(...args).length, xvals.length);
      }
    });
    parityTest(F, `test_value_step_rectangle[${name}-${form}]`, () => {
      const func = fnOf(name);
      assertAlmostEqual(func(0), 0.5);
      if (name === "rectangle") assertAlmostEqual(func(1), 0.5);
    });
  }
}

for (const form of ["bose", "maxwell", "fermi", "Bose-Einstein", "unknown"]) {
  parityTest(F, `test_form_argument_thermal_distribution[${form}]`, async () => {
    const xvals = linspace(0, 10, 100);
    const func = fnOf("thermal_distribution");
    const args = [xvals, 1, 0, 1, form];
    if (form === "unknown") await assertRaises(() => func(...args), /unknown/);
    else assert.equal(func(...args).length, xvals.length);
  });
}
