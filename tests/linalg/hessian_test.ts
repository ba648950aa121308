import assert from "node:assert/strict";
import { numericalHessian } from "../../lib/linalg/hessian.ts";

/** Max over entries of |H − T| / max|T|, and checks that each entry lies within its error bound. */
function check(name: string, H: Float64Array, E: Float64Array, T: number[], rtol: number): void {
  const scale = Math.max(...T.map(Math.abs));
  for (let i = 0; i < T.length; i++) {
    const err = Math.abs(H[i] - T[i]);
    assert.ok(err <= rtol * scale, `${name}[${i}]: ${H[i]} vs ${T[i]} (rel ${err / scale})`);
    assert.ok(
      err <= E[i] + 1e-15 * scale,
      `${name}[${i}]: error ${err} above its estimate ${E[i]}`,
    );
    assert.ok(E[i] <= 1e3 * rtol * scale, `${name}[${i}]: estimate ${E[i]} far too pessimistic`);
  }
  const n = Math.round(Math.sqrt(T.length));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) assert.equal(H[i * n + j], H[j * n + i], "symmetric");
  }
}

Deno.test("numericalHessian: quadratic form is exact to rounding", () => {
  const A = [6, 2, 1, 2, 10, -3, 1, -3, 4];
  const f = (x: Float64Array) => {
    let s = 0;
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) s += 0.5 * A[i * 3 + j] * x[i] * x[j];
    return s + x[0] - 2 * x[2];
  };
  const r = numericalHessian(f, Float64Array.of(1, -2, 0));
  check("quadratic", r.hessian, r.error, A, 1e-10);
  assert.ok(r.nfev < 300, `nfev ${r.nfev}`);
});

Deno.test("numericalHessian: Rosenbrock to 1e-10 relative", () => {
  const rosen = (p: Float64Array) => 100 * (p[1] - p[0] ** 2) ** 2 + (1 - p[0]) ** 2;
  for (const [a, b] of [[1.3, 0.7], [1, 1], [-1.2, 1]]) {
    const T = [1200 * a * a - 400 * b + 2, -400 * a, -400 * a, 200];
    const r = numericalHessian(rosen, Float64Array.of(a, b));
    check(`rosen(${a},${b})`, r.hessian, r.error, T, 1e-10);
  }
});

Deno.test("numericalHessian: exp/log/trig function to 1e-9 relative", () => {
  // f = exp(x·y) + log(1 + x²) + y³ + sin(x·z)
  const f = (p: Float64Array) =>
    Math.exp(p[0] * p[1]) + Math.log(1 + p[0] ** 2) + p[1] ** 3 + Math.sin(p[0] * p[2]);
  const [x, y, z] = [0.7, -1.1, 2.3];
  const e = Math.exp(x * y), s = Math.sin(x * z), c = Math.cos(x * z);
  const T = [
    y * y * e + (2 - 2 * x * x) / (1 + x * x) ** 2 - z * z * s,
    e * (1 + x * y),
    c - x * z * s,
    e * (1 + x * y),
    x * x * e + 6 * y,
    0,
    c - x * z * s,
    0,
    -x * x * s,
  ];
  const r = numericalHessian(f, Float64Array.of(x, y, z));
  check("explog", r.hessian, r.error, T, 1e-9);
});

Deno.test("numericalHessian: ill-scaled variables (1e-6 and 1e6)", () => {
  // f(u, v) = g(u/1e-6, v/1e6) with g(a, b) = exp(a)·cos(b) + a²·b.
  const f = (p: Float64Array) => {
    const a = p[0] / 1e-6, b = p[1] / 1e6;
    return Math.exp(a) * Math.cos(b) + a * a * b;
  };
  const [a, b] = [0.3, 2];
  const haa = Math.exp(a) * Math.cos(b) + 2 * b, hab = -Math.exp(a) * Math.sin(b) + 2 * a;
  const hbb = -Math.exp(a) * Math.cos(b);
  const T = [haa / 1e-12, hab / 1e-6 / 1e6, hab / 1e-6 / 1e6, hbb / 1e12];
  const r = numericalHessian(f, Float64Array.of(a * 1e-6, b * 1e6));
  for (let i = 0; i < 4; i++) {
    const rel = Math.abs(r.hessian[i] - T[i]) / Math.abs(T[i]);
    assert.ok(rel < 1e-9, `entry ${i}: ${r.hessian[i]} vs ${T[i]} (rel ${rel})`);
    assert.ok(Math.abs(r.hessian[i] - T[i]) <= r.error[i], `entry ${i} within its estimate`);
  }
});

Deno.test("numericalHessian: scale option and zero coordinates", () => {
  // At x = 0 the default scale is 1; a function of x/1e-3 needs scale 1e-3.
  const f = (p: Float64Array) => Math.cosh(p[0] / 1e-3);
  const d = numericalHessian(f, Float64Array.of(0));
  const s = numericalHessian(f, Float64Array.of(0), { scale: Float64Array.of(1e-3) });
  assert.ok(Math.abs(s.hessian[0] - 1e6) < 1e-3, `${s.hessian[0]}`);
  assert.ok(
    Math.abs(d.hessian[0] - 1e6) < 1e-3 || d.error[0] > 1,
    "default: accurate or says it is not",
  );
});

Deno.test("numericalHessian: bad options are RangeErrors naming the value", () => {
  const f = (p: Float64Array) => p[0] ** 2;
  assert.throws(() => numericalHessian(f, Float64Array.of(1), { stepRatio: 1 }), RangeError);
  assert.throws(() => numericalHessian(f, Float64Array.of(1), { numSteps: 2 }), /numSteps/);
  assert.throws(
    () => numericalHessian(f, Float64Array.of(1), { scale: Float64Array.of(1, 2) }),
    /scale has length 2/,
  );
});

Deno.test("numericalHessian: NaN region gives NaN entries with infinite error, not a crash", () => {
  const r = numericalHessian(() => NaN, Float64Array.of(1, 2));
  assert.ok(r.hessian.every(Number.isNaN));
  assert.ok(r.error.every((e) => e === Infinity));
});
