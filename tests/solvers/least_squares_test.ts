import assert from "node:assert/strict";
import { leastSquares, type LeastSquaresLoss } from "../../lib/solvers/least_squares.ts";
import type { VectorFunction } from "../../lib/solvers/types.ts";
import { loadNist, lre } from "../_nist.ts";
import { NIST_NAMES } from "../_nist_api.ts";
import { compileMany, parse } from "../../mod.ts";
import { loadFixture } from "../_fixtures.ts";

const fx = loadFixture("least_squares.json");

/** Residual closures for the NIST formulas the fixture uses. */
const formulas: Record<string, (b: Float64Array, x: number) => number> = {
  Misra1a: (b, x) => b[0] * (1 - Math.exp(-b[1] * x)),
  BoxBOD: (b, x) => b[0] * (1 - Math.exp(-b[1] * x)),
  MGH09: (b, x) => (b[0] * (x * x + x * b[1])) / (x * x + x * b[2] + b[3]),
  Rat43: (b, x) => b[0] / (1 + Math.exp(b[1] - b[2] * x)) ** (1 / b[3]),
  Eckerle4: (b, x) => (b[0] / b[1]) * Math.exp(-0.5 * ((x - b[2]) / b[1]) ** 2),
  Thurber: (b, x) =>
    (b[0] + b[1] * x + b[2] * x * x + b[3] * x ** 3) /
    (1 + b[4] * x + b[5] * x * x + b[6] * x ** 3),
  Chwirut2: (b, x) => Math.exp(-b[0] * x) / (b[1] + b[2] * x),
  Lanczos3: (b, x) =>
    b[0] * Math.exp(-b[1] * x) + b[2] * Math.exp(-b[3] * x) + b[4] * Math.exp(-b[5] * x),
};

function nistResidual(name: string): { fun: VectorFunction; m: number } {
  const p = loadNist(name);
  const xs = p.x[0], y = p.y, model = formulas[name];
  return {
    fun: (b, out) => {
      for (let i = 0; i < y.length; i++) out[i] = model(b, xs[i]) - y[i];
    },
    m: y.length,
  };
}

function assertClose(actual: number, expected: number, rtol: number, what: string) {
  const err = Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);
  assert.ok(err <= rtol, `${what}: ${actual} vs ${expected} (rel ${err.toExponential(2)})`);
}

const bnd = (v: (number | null)[] | null, fill: number) =>
  v ? Float64Array.from(v, (e) => (e === null ? fill : e)) : undefined;

for (const c of fx.nist) {
  const label = `${c.problem}${c.lower ? " with bounds" : ""}${
    c.options.x_scale ? " xScale=jac" : ""
  }`;
  Deno.test(`leastSquares matches scipy trf on NIST ${label}`, () => {
    const { fun, m } = nistResidual(c.problem);
    const r = leastSquares(fun, Float64Array.from(c.x0), m, {
      lower: bnd(c.lower, -Infinity),
      upper: bnd(c.upper, Infinity),
      xScale: c.options.x_scale === "jac" ? "jac" : undefined,
    });
    assert.equal(r.status, c.status, r.message);
    assert.equal(r.success, true);
    assertClose(r.cost, c.cost, 1e-8, "cost");
    // Lanczos3's parameters are determined to ~5 digits only (cond(J) ~ 1e9): looser on x.
    const xtol = c.problem === "Lanczos3" ? 1e-4 : 1e-6;
    for (let i = 0; i < c.x.length; i++) assertClose(r.x[i], c.x[i], xtol, `x[${i}]`);
    assert.deepEqual(Array.from(r.activeMask), c.active_mask);
    assert.ok(
      Math.abs(r.nfevSteps - c.nfev) <= Math.max(2, 0.1 * c.nfev),
      `nfev ${r.nfevSteps} vs scipy ${c.nfev}`,
    );
    assertClose(r.fun, 2 * r.cost, 1e-12, "fun = 2·cost for the linear loss");
  });
}

Deno.test("leastSquares reaches NIST certified values on unbounded Thurber and Rat43", () => {
  for (const name of ["Thurber", "Rat43"]) {
    const p = loadNist(name);
    const { fun, m } = nistResidual(name);
    const r = leastSquares(fun, Float64Array.from(p.start1), m, { ftol: 1e-12, xtol: 1e-12 });
    assertClose(r.fun, p.certifiedSsr, 1e-8, `${name} SSR`);
    for (let i = 0; i < p.nparams; i++) {
      assertClose(r.x[i], p.certified[i], 1e-5, `${name} b${i + 1}`);
    }
  }
});

Deno.test("leastSquares reaches the best chi-square of the two-exponential problem with bounds", () => {
  const two = loadFixture("two_exponential.json");
  const x = Float64Array.from(two.x), y = Float64Array.from(two.y);
  const fun: VectorFunction = (p, out) => {
    for (let i = 0; i < x.length; i++) {
      out[i] = p[0] * Math.exp(-x[i] / p[2]) + p[1] * Math.exp(-x[i] / p[3]) - y[i];
    }
  };
  const c = fx.two_exponential;
  const r = leastSquares(fun, Float64Array.from(c.x0), x.length, {
    lower: Float64Array.from(c.lower),
    upper: Float64Array.from(c.upper),
  });
  assert.equal(r.success, true);
  assertClose(r.fun, two.unbounded.chisqr, 1e-6, "chisqr");
  for (let i = 0; i < 4; i++) assertClose(r.x[i], c.x[i], 1e-6, `x[${i}]`);
  assert.equal(r.nfevSteps, c.nfev);
});

Deno.test("leastSquares robust losses match scipy on a line with outliers", () => {
  const lx = Float64Array.from(fx.line.x), ly = Float64Array.from(fx.line.y);
  const fun: VectorFunction = (p, out) => {
    for (let i = 0; i < lx.length; i++) out[i] = p[0] * lx[i] + p[1] - ly[i];
  };
  for (const c of fx.line.cases) {
    const what = `${c.loss} fScale=${c.f_scale}${c.lower ? " bounded" : ""}`;
    const r = leastSquares(fun, Float64Array.of(1, 0), lx.length, {
      loss: c.loss as LeastSquaresLoss,
      fScale: c.f_scale,
      lower: c.lower ? Float64Array.from(c.lower) : undefined,
      upper: c.upper ? Float64Array.from(c.upper) : undefined,
    });
    // linear and huber (quadratic near the solution): the last step's actual/predicted reduction
    // is rounding noise, so "xtol" (3) and "ftol and xtol" (4) swap; both are convergence.
    if (r.status !== c.status) assert.ok(r.status >= 3 && c.status >= 3, `${what}: ${r.message}`);
    assert.equal(r.nfevSteps, c.nfev, `${what} nfev`);
    assertClose(r.cost, c.cost, 1e-9, `${what} cost`);
    for (let i = 0; i < 2; i++) {
      assert.ok(
        Math.abs(r.x[i] - c.x[i]) <= 1e-6 * Math.max(1, Math.abs(c.x[i])),
        `${what} x[${i}]: ${r.x[i]} vs ${c.x[i]}`,
      );
    }
    assert.deepEqual(Array.from(r.activeMask), c.active_mask, what);
  }
});

Deno.test("leastSquares returns the unrobustified residuals and Jacobian", () => {
  const lx = Float64Array.from(fx.line.x), ly = Float64Array.from(fx.line.y);
  const m = lx.length;
  const fun: VectorFunction = (p, out) => {
    for (let i = 0; i < m; i++) out[i] = p[0] * lx[i] + p[1] - ly[i];
  };
  const r = leastSquares(fun, Float64Array.of(1, 0), m, { loss: "cauchy" });
  for (let i = 0; i < m; i++) {
    assert.ok(Math.abs(r.fvec[i] - (r.x[0] * lx[i] + r.x[1] - ly[i])) < 1e-12);
    assert.ok(Math.abs(r.jac[i] - lx[i]) < 1e-6, `dr/da at ${i}`);
    assert.ok(Math.abs(r.jac[i + m] - 1) < 1e-6, `dr/db at ${i}`);
  }
  let ss = 0;
  for (const v of r.fvec) ss += v * v;
  assertClose(r.fun, ss, 1e-14, "fun = Σf²");
  assert.ok(r.cost < 0.5 * ss, "robust cost is below the linear one with outliers");
});

const rosen: VectorFunction = (x, out) => {
  out[0] = 10 * (x[1] - x[0] * x[0]);
  out[1] = 1 - x[0];
};

Deno.test("leastSquares solves Rosenbrock with and without an analytic Jacobian", () => {
  const jac = (x: Float64Array, j: Float64Array) => {
    j[0] = -20 * x[0];
    j[1] = -1;
    j[2] = 10;
    j[3] = 0;
  };
  for (const opts of [{}, { jac }, { xScale: "jac" as const }]) {
    const r = leastSquares(rosen, Float64Array.of(-1.2, 1), 2, opts);
    assert.equal(r.success, true, r.message);
    assert.ok(Math.abs(r.x[0] - 1) < 1e-7 && Math.abs(r.x[1] - 1) < 1e-7, `x = ${r.x}`);
    assert.ok(r.fun < 1e-20);
  }
  const rj = leastSquares(rosen, Float64Array.of(-1.2, 1), 2, { jac });
  assert.ok(rj.njev > 0);
  assert.equal(rj.nfev, rj.nfevSteps, "no finite-difference evaluations with an analytic Jacobian");
});

Deno.test("leastSquares finds a minimum on a bound and marks it active", () => {
  const r = leastSquares(rosen, Float64Array.of(-1, 1), 2, {
    lower: Float64Array.of(-Infinity, -Infinity),
    upper: Float64Array.of(0.5, Infinity),
  });
  assert.equal(r.success, true);
  assert.ok(Math.abs(r.x[0] - 0.5) < 1e-8 && Math.abs(r.x[1] - 0.25) < 1e-6, `x = ${r.x}`);
  assert.deepEqual(Array.from(r.activeMask), [1, 0]);
  // A quadratic bowl centred outside the box at (-2, 3), box [0,1]²: solution (0, 1).
  const bowl: VectorFunction = (x, out) => {
    out[0] = x[0] + 2;
    out[1] = x[1] - 3;
  };
  const b = leastSquares(bowl, Float64Array.of(0.5, 0.5), 2, {
    lower: Float64Array.of(0, 0),
    upper: Float64Array.of(1, 1),
  });
  assert.ok(Math.abs(b.x[0]) < 1e-8 && Math.abs(b.x[1] - 1) < 1e-8, `x = ${b.x}`);
  assert.deepEqual(Array.from(b.activeMask), [-1, 1]);
});

Deno.test("leastSquares reports maxfev (status 0), gtol (status 1) and callback abort", () => {
  const r = leastSquares(rosen, Float64Array.of(-1.2, 1), 2, { maxfev: 3 });
  assert.equal(r.status, 0);
  assert.equal(r.success, false);
  assert.equal(r.nfevSteps, 3);
  assert.match(r.message, /maximum number of function evaluations/);
  const line: VectorFunction = (x, out) => {
    out[0] = x[0] - 1;
    out[1] = x[0] - 1;
  };
  const g = leastSquares(line, Float64Array.of(1), 2);
  assert.equal(g.status, 1);
  assert.equal(g.nit, 0);
  let calls = 0;
  const a = leastSquares(rosen, Float64Array.of(-1.2, 1), 2, {
    callback: (_x, it) => {
      calls++;
      return it >= 2;
    },
  });
  assert.equal(a.aborted, true);
  assert.equal(a.success, false);
  assert.equal(a.status, -1);
  assert.equal(calls, 2);
  assert.equal(a.nit, 2);
});

Deno.test("leastSquares rejects bad input with RangeErrors that name the value", () => {
  assert.throws(
    () => leastSquares(rosen, Float64Array.of(2, 1), 2, { upper: Float64Array.of(1, 5) }),
    /x0\[0\] = 2/,
  );
  assert.throws(
    () =>
      leastSquares(rosen, Float64Array.of(0, 1), 2, {
        lower: Float64Array.of(1, 0),
        upper: Float64Array.of(1, 5),
      }),
    /variable 0/,
  );
  assert.throws(
    () => leastSquares(rosen, Float64Array.of(0, 1), 2, { loss: "l2" as LeastSquaresLoss }),
    /unknown loss 'l2'/,
  );
  assert.throws(() => leastSquares(rosen, Float64Array.of(0, 1), 0), /m \(number of residuals\)/);
  assert.throws(
    () => leastSquares((_x, o) => o.fill(NaN), Float64Array.of(0, 1), 2),
    /residual 0 is NaN/,
  );
  assert.throws(
    () => leastSquares(rosen, Float64Array.of(0, 1), 2, { xScale: Float64Array.of(1, 0) }),
    /xScale\[1\]/,
  );
});

Deno.test("leastSquares treats non-finite trial residuals as a rejected step", () => {
  // log-domain residual: undefined for x <= 0, minimum at x = 0.01 from a far start.
  const fun: VectorFunction = (x, out) => {
    out[0] = x[0] > 0 ? Math.log(x[0]) - Math.log(0.01) : NaN;
  };
  const r = leastSquares(fun, Float64Array.of(5), 1);
  assert.equal(r.success, true, r.message);
  assert.ok(Math.abs(r.x[0] - 0.01) < 1e-8, `x = ${r.x[0]}`);
});

Deno.test("leastSquares with tight tolerances reaches 6 certified digits on 47 of the 54 NIST cases", () => {
  // Through the expression language (as the model layer does). The misses are Hahn1 and Kirby2
  // (forward-difference Jacobian too coarse for their x³ terms), Bennett5 start 1, ENSO start 2
  // and Lanczos3 start 2 (5.3–5.8 digits).
  let ok6 = 0;
  for (const name of NIST_NAMES) {
    const p = loadNist(name);
    const np = p.nparams, xN = p.x.length === 1 ? ["x"] : ["x1", "x2"];
    const f = compileMany([parse(p.formula)], (nm) => {
      const k = /^b\d+$/.test(nm)
        ? Number(nm.slice(1)) - 1
        : xN.indexOf(nm) >= 0
        ? np + xN.indexOf(nm)
        : -1;
      return k >= 0 ? { kind: "slot", index: k } : undefined;
    });
    const slots = new Float64Array(np + xN.length);
    const fun: VectorFunction = (b, out) => {
      slots.set(b);
      for (let i = 0; i < p.y.length; i++) {
        for (let j = 0; j < xN.length; j++) slots[np + j] = p.x[j][i];
        f(slots, out, i);
        out[i] -= p.y[i];
      }
    };
    for (const start of [p.start1, p.start2]) {
      const r = leastSquares(fun, Float64Array.from(start), p.y.length, {
        ftol: 1e-15,
        xtol: 1e-15,
        gtol: 1e-15,
        maxfev: 10000,
      });
      assert.equal(r.success, true, `${name}: ${r.message}`);
      if (Math.min(...p.certified.map((c, k) => lre(r.x[k], c))) >= 6) ok6++;
    }
  }
  assert.ok(ok6 >= 47, `${ok6}/54 cases reach 6 digits`);
});

Deno.test("leastSquares handles fewer residuals than variables and a rank-deficient Jacobian", () => {
  const under = leastSquares(
    (x, out) => {
      out[0] = x[0] + 2 * x[1] - 3;
    },
    Float64Array.of(0, 0),
    1,
  );
  assert.equal(under.success, true, under.message);
  assert.ok(Math.abs(under.x[0] + 2 * under.x[1] - 3) < 1e-8, `x = ${under.x}`);
  // Only a + b is determined: columns of J are equal.
  const t = Float64Array.of(1, 2, 3, 4), y = Float64Array.of(2.1, 3.9, 6.2, 7.8);
  const r = leastSquares(
    (p, out) => {
      for (let i = 0; i < 4; i++) out[i] = (p[0] + p[1]) * t[i] - y[i];
    },
    Float64Array.of(0.5, 0.5),
    4,
    { lower: Float64Array.of(0, 0), upper: Float64Array.of(10, 10) },
  );
  assert.equal(r.success, true, r.message);
  // Least-squares slope Σty/Σt² = 59.7/30.
  assert.ok(Math.abs(r.x[0] + r.x[1] - 59.7 / 30) < 1e-7, `a + b = ${r.x[0] + r.x[1]}`);
});
