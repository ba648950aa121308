/**
 * Result fields and method names lmfit 1.1.0 has (issue 12, point 8), against the reference
 * written by scripts/make_lmfit_parity_fields.py (tests/testdata/lmfit_parity_fields.json):
 * `maxNfev`, `callKws`, `ampgoMsg`, `shgoXl`, brute's `bruteX0`/`bruteFval`/`bruteGrid`/
 * `bruteJout`, and the method names lmfit accepts (`lbfgs`, `nel`, `Newton-CG`, `least_sq`, ...).
 */
import { boundedLine } from "./_bounded_line.ts";
import assert from "node:assert/strict";
import { findMethod, minimize, Minimizer, Parameters } from "../../mod.ts";
import { loadFixture } from "../_fixtures.ts";

const ref = loadFixture("lmfit_parity_fields.json");
const { residual, params } = boundedLine();

Deno.test("brute keeps lmfit's brute_x0, brute_fval, brute_grid and brute_Jout", async () => {
  const b = ref.brute as {
    Ns: number;
    x0: number[];
    fval: number;
    grid: number[][];
    Jout: number[];
  };
  const r = await minimize(residual, params(), { method: "brute", Ns: b.Ns });
  const close = (a: ArrayLike<number>, e: number[], what: string) => {
    assert.equal(a.length, e.length, what);
    for (let i = 0; i < e.length; i++) {
      assert.ok(
        Math.abs(a[i] - e[i]) <= 1e-12 * Math.max(1, Math.abs(e[i])),
        `${what}[${i}]: ${a[i]} vs ${e[i]}`,
      );
    }
  };
  close(r.bruteX0!, b.x0, "bruteX0");
  assert.ok(Math.abs(r.bruteFval! - b.fval) < 1e-12);
  assert.equal(r.bruteGrid!.length, 2);
  close(r.bruteGrid![0], b.grid[0], "bruteGrid[a]");
  close(r.bruteGrid![1], b.grid[1], "bruteGrid[b]");
  close(r.bruteJout!, b.Jout, "bruteJout");
});

Deno.test("callKws records the options of the fit with the maxNfev in force", async () => {
  const r = await minimize(residual, params(), { method: "brute", Ns: 4, keep: 3 });
  assert.deepEqual(r.callKws, { Ns: 4, keep: 3, maxNfev: 600000 });
  const fitter = new Minimizer(residual, params(), { maxNfev: 50 });
  const n = await fitter.minimize("nelder", { xatol: 1e-6 });
  assert.deepEqual(n.callKws, { xatol: 1e-6, maxNfev: 50 });
  assert.equal(n.maxNfev, 50);
});

Deno.test("ampgo reports ampgoMsg (and the other ampgo fields) as lmfit's ampgo_msg", async () => {
  const r = await minimize(residual, params(), { method: "ampgo", totaliter: 2, seed: 1 });
  assert.equal(r.ampgoMsg, "Maximum number of global iterations exceeded"); // lmfit's words
  assert.equal(r.ampgoEval, r.nfev - 1); // all but the Minimizer's first evaluation
  assert.deepEqual(Object.keys(r.ampgoTunnel), ["total", "successful"]);
  assert.ok(Math.abs(r.ampgoFval - r.chisqr) < 1e-12);
});

Deno.test("shgo reports its local minima in shgoXl, best first (lmfit's shgo_xl)", async () => {
  // Two minima in a: a double well in a, a parabola in b.
  const f = (q: Parameters) => {
    const a = q.get("a")!.value, b = q.get("b")!.value;
    return [(a * a - 1) * (a * a - 1) + 0.1 * a, b - 0.2];
  };
  const p = new Parameters();
  p.add("a", { value: 0.5, min: -2, max: 2 });
  p.add("b", { value: 0, min: -1, max: 1 });
  const r = await minimize(f, p, { method: "shgo", n: 64 });
  assert.ok(r.shgoXl!.length >= 2, `${r.shgoXl!.length} local minima`);
  assert.ok(r.shgoXl![0][0] < 0, "the deeper well (a ≈ -1) first");
  assert.ok(r.shgoXl!.some((xl) => xl[0] > 0), "the other well found too");
  assert.ok(r.shgoFunl[0] <= r.shgoFunl[1]);
});

Deno.test("the method names lmfit 1.1.0 accepts select the same method here", async () => {
  const accepted = ref.accepted_names as Record<string, string>;
  // lmfit's result.method holds scipy's name (or the error scipy raised after choosing it).
  const scipyToOurs: Record<string, string> = {
    "L-BFGS-B": "lbfgsb",
    "Nelder-Mead": "nelder",
    "Jacobian is required for Newton-CG method": "newton",
    Powell: "powell",
    BFGS: "bfgs",
    CG: "cg",
    TNC: "tnc",
    COBYLA: "cobyla",
    SLSQP: "slsqp",
    equality_constrained_sqp: "trust-constr",
    leastsq: "leastsq",
    least_squares: "least_squares",
    differential_evolution: "differential_evolution",
  };
  for (const [name, theirs] of Object.entries(accepted)) {
    assert.equal(findMethod(name)?.name, scipyToOurs[theirs], `${name} → ${theirs}`);
  }
  const r = await minimize(residual, params(), { method: "lbfgs" });
  assert.equal(r.method, "lbfgsb");
  // An ambiguous prefix is unknown here (lmfit would take the last match).
  await assert.rejects(
    () => minimize(residual, params(), { method: "t" }),
    /unknown fitting method 't'/,
  );
});
