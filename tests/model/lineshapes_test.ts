/**
 * Every built-in model against lmfit 1.1.0's values on grids (tests/testdata/lineshapes.json,
 * made by scripts/gen_lineshape_fixture.py), and lmfit's guess() results.
 */
import assert from "node:assert/strict";
import { BUILTIN_MODELS } from "../../mod.ts";
import { loadFixture } from "../_fixtures.ts";

const fx = loadFixture("lineshapes.json");

for (const c of fx.cases) {
  const label = `${c.name}${c.opts.form ? `(${c.opts.form})` : ""}`;
  Deno.test(`${label} matches lmfit's values to 1e-10 relative`, () => {
    const model = BUILTIN_MODELS[c.name](c.opts);
    const vars: Record<string, number[]> = { x: c.x };
    if (c.y2d) vars.y = c.y2d;
    const got = model.eval(c.params, vars);
    if (typeof c.y === "number") c.y = c.x.map(() => c.y); // lmfit's constant returns a scalar
    const scale = Math.max(...c.y.map((v: number) => Math.abs(v)));
    c.y.forEach((want: number, i: number) => {
      // Relative 1e-10, or 1e-13 of the curve's largest value where the curve is near zero.
      const tol = Math.max(1e-10 * Math.abs(want), 1e-13 * scale);
      assert.ok(
        Math.abs(got[i] - want) <= tol,
        `${label} at x=${c.x[i]}: ${got[i]} vs lmfit ${want}`,
      );
    });
  });
}

for (const g of fx.guesses) {
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
