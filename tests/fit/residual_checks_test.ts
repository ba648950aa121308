/**
 * Every method checks the residual at every call (issue 13 point 3): an empty residual, one whose
 * length changes during the fit, and NaN under nanPolicy "raise" are errors for every method in
 * METHODS, not a success.
 */
import assert from "node:assert/strict";
import { METHODS, minimize, Parameters } from "../../mod.ts";

const x = Float64Array.from({ length: 20 }, (_, i) => i / 4);
const y = x.map((t) => 1.5 * t + 0.5);
const params = () => {
  const p = new Parameters();
  p.add("a", { value: 1, min: -10, max: 10 });
  p.add("b", { value: 0, min: -10, max: 10 });
  return p;
};
const small = (method: string) =>
  method === "emcee" ? { steps: 20, nwalkers: 10, seed: 1 } : method === "brute" ? { Ns: 5 } : {};

Deno.test("every method refuses an empty residual", async () => {
  for (const method of METHODS) {
    await assert.rejects(
      () =>
        Promise.resolve(
          minimize(() => new Float64Array(0), params(), { method, ...small(method) }),
        ),
      /empty residual/,
      method,
    );
  }
});

Deno.test("every method refuses a residual whose length changes between calls", async () => {
  for (const method of METHODS) {
    let calls = 0;
    const fcn = (p: Parameters) => {
      calls++;
      const { a, b } = p.valuesdict();
      const r = x.map((t, i) => a * t + b - y[i]);
      return calls > 3 ? r.subarray(0, 10) : r;
    };
    await assert.rejects(
      () => Promise.resolve(minimize(fcn, params(), { method, ...small(method) })),
      /residual length must not change/,
      method,
    );
  }
});

Deno.test("every method applies nanPolicy 'raise' to the residual as leastsq does", async () => {
  for (const method of METHODS) {
    const fcn = (p: Parameters) => {
      const { a, b } = p.valuesdict();
      return x.map((t, i) => (i === 7 ? NaN : a * t + b - y[i]));
    };
    await assert.rejects(
      () => Promise.resolve(minimize(fcn, params(), { method, ...small(method) })),
      /residual\[7\]/,
      method,
    );
  }
});
