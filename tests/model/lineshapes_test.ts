/**
 * lmfit 1.1.0's lineshapes, derived parameters and guesses against lmfit's own values
 * (tests/testdata/lineshapes.json, made by scripts/gen_lineshape_fixture.py):
 * - the TypeScript lineshape functions (lib/model/lineshapes.ts) and their expression-language
 *   forms, on grids with tiny-guard edge cases (sigma = 0, kt = 0, x = 0, ...);
 * - DERIVED_PARAMS (verbatim lmfit text) and DERIVED_PARAMS_EXPR (our language, same values);
 * - the pure guess functions (lib/model/guess.ts), and the built-in models' eval and guess().
 */
import assert from "node:assert/strict";
import { BUILTIN_MODELS } from "../../mod.ts";
import {
  DERIVED_PARAMS,
  DERIVED_PARAMS_EXPR,
  gaussian,
  LINESHAPES,
  polynomial,
  step,
  thermalDistribution,
  voigt,
  withPrefix,
} from "../../lib/model/lineshapes.ts";
import * as G from "../../lib/model/guess.ts";
import { parse } from "../../lib/expr/parser.ts";
import { compile } from "../../lib/expr/compile.ts";
import { loadFixture } from "../_fixtures.ts";

const fx = loadFixture("lineshapes.json");

/** Relative 1e-10, or 1e-13 of the curve's largest value where the curve is near zero. */
function assertCurve(got: ArrayLike<number>, want: (number | null)[], label: string, xs: number[]) {
  const finite = want.filter((v): v is number => v !== null);
  const scale = Math.max(0, ...finite.map(Math.abs));
  want.forEach((w, i) => {
    if (w === null) {
      assert.ok(!Number.isFinite(got[i]), `${label} at x=${xs[i]}: ${got[i]} vs lmfit non-finite`);
      return;
    }
    const tol = Math.max(1e-10 * Math.abs(w), 1e-13 * scale);
    assert.ok(Math.abs(got[i] - w) <= tol, `${label} at x=${xs[i]}: ${got[i]} vs lmfit ${w}`);
  });
}

/** Compiles an expression over slots [x, y, ...params] with our parser and compiler. */
function compileExpr(expr: string, names: string[]): (slots: Float64Array) => number {
  return compile(parse(expr), (n) => {
    const i = names.indexOf(n);
    return i >= 0 ? { kind: "slot", index: i } : undefined;
  });
}

const keysCovered = new Set<string>();
for (const c of fx.functions) {
  keysCovered.add(c.key);
  const spec = LINESHAPES[c.key];
  const label = `${c.key}(${Object.entries(c.params).map(([k, v]) => `${k}=${v}`).join(", ")})`;
  Deno.test(`lineshape ${label} matches lmfit, as a function and as an expression`, () => {
    assert.ok(spec, `no LINESHAPES entry '${c.key}'`);
    const vars: Record<string, Float64Array> = { x: Float64Array.from(c.x) };
    if (c.y2d) vars.y = Float64Array.from(c.y2d);
    const got = spec.evaluate(vars, c.params);
    assertCurve(got, c.y, label, c.x);
    // Writing into a caller's out array gives the same numbers and returns that array.
    const out = new Float64Array(c.x.length);
    assert.equal(spec.evaluate(vars, c.params, out), out);
    assert.deepEqual(Array.from(out), Array.from(got));
    // The expression-language form gives the same values on the grid.
    const names = ["x", "y", ...spec.paramNames];
    const f = compileExpr(spec.expression!, names);
    const slots = new Float64Array(names.length);
    spec.paramNames.forEach((n, j) => (slots[2 + j] = c.params[n] ?? spec.defaults[n]));
    const viaExpr = c.x.map((xv: number, i: number) => {
      slots[0] = xv;
      slots[1] = c.y2d ? c.y2d[i] : 0;
      return f(slots);
    });
    assertCurve(viaExpr, c.y, `${label} (expression)`, c.x);
  });
}

Deno.test("every LINESHAPES entry is checked against lmfit and has an expression", () => {
  for (const [key, spec] of Object.entries(LINESHAPES)) {
    assert.ok(keysCovered.has(key), `${key} has no lmfit fixture case`);
    assert.ok(spec.expression, `${key} has no expression`);
    assert.deepEqual(Object.keys(spec.defaults), [...spec.paramNames]);
  }
  // lmfit's function list, every form included
  for (
    const name of [
      "gaussian",
      "gaussian2d",
      "lorentzian",
      "voigt",
      "pvoigt",
      "moffat",
      "pearson4",
      "pearson7",
      "breit_wigner",
      "damped_oscillator",
      "dho",
      "logistic",
      "lognormal",
      "students_t",
      "expgaussian",
      "doniach",
      "skewed_gaussian",
      "skewed_voigt",
      "thermal_distribution",
      "step",
      "rectangle",
      "exponential",
      "powerlaw",
      "linear",
      "parabolic",
      "sine",
      "expsine",
      "split_lorentzian",
      "constant",
      "polynomial",
    ]
  ) assert.ok(LINESHAPES[name], name);
});

Deno.test("lineshape functions take lmfit's positional defaults and reject bad input", () => {
  const x = Float64Array.of(-1, 0, 2);
  assert.deepEqual(Array.from(gaussian(x)), Array.from(gaussian(x, 1, 0, 1)));
  // voigt's gamma defaults to sigma (lmfit's gamma=None)
  assert.deepEqual(Array.from(voigt(x, 2, 0.5, 0.7)), Array.from(voigt(x, 2, 0.5, 0.7, 0.7)));
  assert.deepEqual(Array.from(polynomial(x, [1, 2])), [-1, 1, 5]);
  assert.throws(() => step(x, 1, 0, 1, "cubic" as "linear"), RangeError);
  assert.throws(() => thermalDistribution(x, 1, 0, 1, "boltzmann"), /invalid form 'boltzmann'/);
  assert.throws(() => gaussian(x, 1, 0, 1, new Float64Array(2)), RangeError);
  assert.throws(() => polynomial(x, new Array(9).fill(1)), RangeError);
  assert.throws(() => LINESHAPES.gaussian2d.evaluate({ x }, {}), TypeError);
});

Deno.test("DERIVED_PARAMS is lmfit's text and DERIVED_PARAMS_EXPR gives lmfit's values", () => {
  for (const d of fx.derived) {
    assert.deepEqual(DERIVED_PARAMS[d.model], d.exprs, `${d.model}: hint expressions`);
    const exprs = DERIVED_PARAMS_EXPR[d.model];
    // Evaluate in dependency order: voigt's fwhm/height use gamma, itself derived.
    const values: Record<string, number> = { ...d.params };
    for (const [name, template] of Object.entries(exprs)) {
      const expr = withPrefix(template, d.prefix);
      const names = Object.keys(values);
      const f = compileExpr(expr, names);
      const got = f(Float64Array.from(names.map((n) => values[n])));
      values[d.prefix + name] = got;
      const want = d.values[name];
      assert.ok(
        Math.abs(got - want) <= 1e-12 * Math.max(1, Math.abs(want)),
        `${d.model}.${name} = ${expr}: ${got} vs lmfit ${want}`,
      );
    }
  }
  assert.equal(Object.keys(DERIVED_PARAMS).length, fx.derived.length);
});

type Guess = (y: number[], x: number[], negative?: boolean) => object;
const GUESSERS: Record<string, Guess> = {
  gaussian: G.guessGaussian,
  lorentzian: G.guessLorentzian,
  voigt: G.guessVoigt,
  pvoigt: G.guessPseudoVoigt,
  moffat: G.guessMoffat,
  pearson4: G.guessPearson4,
  pearson7: G.guessPearson7,
  students_t: G.guessStudentsT,
  split_lorentzian: G.guessSplitLorentzian,
  breit_wigner: G.guessBreitWigner,
  lognormal: G.guessLognormal,
  doniach: G.guessDoniach,
  skewed_gaussian: G.guessSkewedGaussian,
  skewed_voigt: G.guessSkewedVoigt,
  expgaussian: G.guessExponentialGaussian,
  damped_oscillator: G.guessDampedOscillator,
  dho: G.guessDampedHarmonicOscillator,
  linear: G.guessLinear,
  quadratic: G.guessQuadratic,
  constant: (y) => G.guessConstant(y),
  step: G.guessStep,
  rectangle: G.guessRectangle,
  exponential: G.guessExponential,
  powerlaw: G.guessPowerLaw,
  thermal_distribution: G.guessThermalDistribution,
  sine: G.guessSine,
};

for (const g of fx.guesses) {
  const label = `${g.name}${g.degree !== undefined ? `(degree ${g.degree})` : ""}${
    g.negative ? " negative" : ""
  }`;
  Deno.test(`guess for ${label} gives lmfit's start values`, () => {
    let got: Record<string, number>;
    if (g.name === "polynomial") got = G.guessPolynomial(g.y, g.x, g.degree);
    else if (g.name === "gaussian2d") {
      got = { ...G.guessGaussian2d(g.y, g.x, g.y2d, g.negative) };
    } else got = GUESSERS[g.name](g.y, g.x, !!g.negative) as Record<string, number>;
    for (const [name, v] of Object.entries(got)) {
      const want = g.params[name];
      assert.ok(want !== undefined, `${label}: lmfit has no parameter ${name}`);
      assert.ok(
        Math.abs(v - want) <= 1e-10 * Math.max(1, Math.abs(want)),
        `${label} ${name}: ${v} vs lmfit ${want}`,
      );
    }
    // every lineshape parameter lmfit returns (not the derived fwhm/height) is guessed
    const derived = new Set(["fwhm", "height", "fwhmx", "fwhmy", "midpoint", "position"]);
    for (const name of Object.keys(g.params)) {
      if (!derived.has(name)) assert.ok(name in got, `${label}: ${name} missing from our guess`);
    }
  });
}

Deno.test("guess functions name the bad input", () => {
  assert.throws(() => G.guessGaussian([1, 2], [1]), /2 points but x has 1/);
  assert.throws(() => G.guessPolynomial([1], [1], 8), RangeError);
  assert.throws(() => G.guessPowerLaw([1, -2], [1, 2]), /point 1/);
  assert.throws(() => G.guessConstant([]), RangeError);
});

// The built-in expression models (lib/model/models.ts) against the same lmfit values.
for (const c of fx.cases) {
  const label = `${c.name}${c.opts.form ? `(${c.opts.form})` : ""}`;
  Deno.test(`${label} model matches lmfit's values to 1e-10 relative`, () => {
    const model = BUILTIN_MODELS[c.name](c.opts);
    const vars: Record<string, number[]> = { x: c.x };
    if (c.y2d) vars.y = c.y2d;
    const got = model.eval(c.params, vars);
    const want = typeof c.y === "number" ? c.x.map(() => c.y) : c.y; // lmfit's constant is a scalar
    assertCurve(got, want, label, c.x);
  });
}

const MODEL_GUESS_CHECKED = new Set([
  "gaussian",
  "lorentzian",
  "voigt",
  "pvoigt",
  "moffat",
  "pearson7",
  "split_lorentzian",
  "breit_wigner",
  "doniach",
  "skewed_gaussian",
  "expgaussian",
  "damped_oscillator",
  "linear",
  "quadratic",
  "constant",
  "step",
  "rectangle",
  "exponential",
  "powerlaw",
  "thermal_distribution",
]);
for (const g of fx.guesses) {
  if (!MODEL_GUESS_CHECKED.has(g.name) || g.negative !== undefined) continue;
  Deno.test(`${g.name}.guess() gives lmfit's start values`, () => {
    const model = BUILTIN_MODELS[g.name]({});
    const params = model.guess(g.y, { x: g.x });
    for (const [name, want] of Object.entries(g.params as Record<string, number>)) {
      const got = params.get(name)!.value;
      assert.ok(
        Math.abs(got - want) <= 1e-10 * Math.max(1, Math.abs(want)),
        `${g.name} ${name}: ${got} vs lmfit ${want}`,
      );
    }
  });
}
