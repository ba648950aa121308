import assert from "node:assert/strict";
import { ExpressionModel, Model } from "../../mod.ts";
import { forceSimdKernels, simdSupported } from "../../lib/expr/wasm/simd_support.ts";
import { loadFixture } from "../_fixtures.ts";

const seed = loadFixture("seed_fits.json");
const x = Float64Array.from(seed.sine.x as number[]);
const data = Float64Array.from(seed.sine.data as number[]);
const SINE = "amp*sin(shift + x/period)*exp(-x*x*decay*decay)";
const start = { amp: 13, period: 2, shift: 0, decay: 0.02 };
const tight = seed.sine.fits.tight as {
  values: Record<string, number>;
  stderr: Record<string, number>;
  chisqr: number;
};

/** Builds a model with the kernels forced to one route (SIMD or JavaScript). */
function withRoute<T>(simd: boolean, build: () => T): T {
  const previous = forceSimdKernels(simd);
  try {
    return build();
  } finally {
    forceSimdKernels(previous);
  }
}

/** Values and Jacobian of a model's analytic route at the seed's x. */
function jacobianOf(model: ExpressionModel | Model, p: Record<string, number>) {
  const jac = model.analyticJacobian()!;
  const value = new Float64Array(x.length);
  const d = new Float64Array(x.length * jac.names.length);
  jac.evaluate({ x }, p, value, d);
  return { value, d };
}

const ignore = !simdSupported();

Deno.test({
  name: "ExpressionModel Jacobians agree between the SIMD and JavaScript kernels to 1e-13",
  ignore,
  fn() {
    const p = { amp: 13.9, period: 5.33, shift: 0.128, decay: 0.0099, cen: 2, sigma: 3, c: 0.5 };
    for (
      const expr of [
        SINE,
        "amp/(sigma*sqrt(2*pi))*exp(-(x-cen)**2/(2*sigma**2))",
        "amp/pi*sigma/((x-cen)**2 + sigma**2) + c",
        "amp*exp(-x*decay) + c*sqrt(abs(x - cen))",
      ]
    ) {
      // Each route compiles when its model's analyticJacobian is first asked for.
      const simd = withRoute(true, () => jacobianOf(new ExpressionModel(expr), p));
      const js = withRoute(false, () => jacobianOf(new ExpressionModel(expr), p));
      // Two routes were taken: the exponentials (fdlibm's in SIMD, a table method in
      // JavaScript) differ in the last bit at some of the 2,500 points.
      if (expr === SINE) assert(simd.d.some((v, i) => v !== js.d[i]));
      for (const [a, b] of [[simd.value, js.value], [simd.d, js.d]]) {
        const scale = b.reduce((s, v) => Math.max(s, Math.abs(v)), 0);
        a.forEach((v, i) =>
          assert(
            Math.abs(v - b[i]) <= 1e-13 * Math.max(Math.abs(b[i]), 1e-6 * scale),
            `${expr} at ${i}: ${v} vs ${b[i]}`,
          )
        );
      }
    }
  },
});

Deno.test({
  name:
    "the seed sine fits to lmfit's values on both kernel routes, as ExpressionModel and Model(fn)",
  ignore,
  async fn() {
    const fn = (x: number, amp: number, period: number, shift: number, decay: number) =>
      amp * Math.sin(shift + x / period) * Math.exp(-x * x * decay * decay);
    const fits = [];
    for (const simd of [true, false]) {
      for (const make of [() => new ExpressionModel(SINE), () => new Model(fn)]) {
        const model = withRoute(simd, () => {
          const m = make();
          m.analyticJacobian(); // compile the kernel on this route
          return m;
        });
        fits.push(await model.fit(data, model.makeParams(start), { x }));
      }
    }
    for (const fit of fits) {
      assert(fit.success);
      assert(Math.abs(fit.chisqr - tight.chisqr) <= 1e-9 * tight.chisqr);
      for (const [name, want] of Object.entries(tight.values)) {
        const p = fit.params.get(name)!;
        assert(Math.abs(p.value - want) <= 1e-6 * Math.abs(want), `${name} = ${p.value}`);
        assert(Math.abs(p.stderr! - tight.stderr[name]) <= 1e-4 * tight.stderr[name]);
      }
    }
    // The routes take the same steps: same evaluations, values to many digits.
    assert.equal(fits[0].nfev, fits[2].nfev);
    for (const name of Object.keys(tight.values)) {
      const a = fits[0].params.get(name)!.value, b = fits[2].params.get(name)!.value;
      assert(Math.abs(a - b) <= 1e-10 * Math.abs(b), `${name}: ${a} vs ${b}`);
    }
  },
});

Deno.test("models outside the SIMD subset keep the JavaScript kernel and their values", () => {
  // A conditional and a modulo: no SIMD kernel, the same Jacobian as with SIMD turned off.
  const expr = "a * (x % 3) + (b * x if x > 1 else b)";
  const p = { a: 2, b: 0.5 };
  const on = withRoute(true, () => jacobianOf(new ExpressionModel(expr), p));
  const off = withRoute(false, () => jacobianOf(new ExpressionModel(expr), p));
  assert.deepEqual(on, off);
});
