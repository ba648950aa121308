/**
 * fitBatch's `out` option on the CPU path: results written into caller-provided buffers are the
 * normal results exactly, the buffers are reused across calls (views of their first rows for a
 * shorter call), and wrong buffers are errors that name the array and the length needed.
 */
import assert from "node:assert/strict";
import {
  allocBatchOutput,
  BATCH_STATUS_CODES,
  fitBatch,
  GaussianModel,
  Random,
} from "../../mod.ts";
import { assertArraysAreOut, assertSameResult } from "./_batch_output_checks.ts";

const N = 40;
const x = Float64Array.from({ length: N }, (_, i) => -4 + (8 * i) / (N - 1));
function peaks(B: number, seed: number): Float64Array {
  const rng = new Random(seed), y = new Float64Array(B * N);
  for (let b = 0; b < B; b++) {
    const a = 2 + 3 * rng.uniform(), c = rng.uniformRange(-1, 1), s = 0.5 + rng.uniform();
    for (let i = 0; i < N; i++) {
      y[b * N + i] = (a / (Math.sqrt(2 * Math.PI) * s)) *
          Math.exp(-((x[i] - c) ** 2) / (2 * s * s)) + 0.01 * rng.normal();
    }
  }
  return y;
}
const model = new GaussianModel();
const params = { amplitude: 3, center: 0, sigma: { value: 1, min: 0.05 } };

for (const workers of [1, 2]) {
  Deno.test(`CPU (${workers} worker${workers > 1 ? "s" : ""}): results written into out equal the normal results, reused across calls`, async () => {
    const out = allocBatchOutput(50, model, params);
    assert.equal(out.values.length, 150);
    assert.equal(out.correl.length, 150);
    const y1 = peaks(50, 1);
    const ref1 = await fitBatch(model, { x, y: y1, params, device: "cpu", workers });
    const r1 = await fitBatch(model, { x, y: y1, params, device: "cpu", workers, out });
    assertSameResult(r1, ref1);
    // The result's arrays are the buffers themselves.
    assertArraysAreOut(r1, out);
    const kept = Float64Array.from(r1.values);
    // A second, shorter block: views of the buffers' first rows, overwritten.
    const y2 = peaks(30, 2);
    const ref2 = await fitBatch(model, { x, y: y2, params, device: "cpu", workers });
    const r2 = await fitBatch(model, { x, y: y2, params, device: "cpu", workers, out });
    assertSameResult(r2, ref2);
    assert.equal(r2.values.buffer, out.values.buffer);
    assert.equal(r2.values.length, 90);
    assert.equal(r2.nIter.buffer, out.nIter.buffer);
    assert.deepEqual(out.values.subarray(0, 90), ref2.values);
    assert.deepEqual(out.values.subarray(90), kept.subarray(90)); // rows past the block untouched
    assert.deepEqual(r2.get("center"), ref2.get("center"));
  });
}

Deno.test("CPU: derived parameters of a Parameters input go into out.derived", async () => {
  const p = model.makeParams({ amplitude: 3, center: 0, sigma: 1 });
  const out = allocBatchOutput(10, model, p);
  assert.deepEqual(Object.keys(out.derived!).sort(), ["fwhm", "height"]);
  const y = peaks(10, 3);
  const ref = await fitBatch(model, { x, y, params: p, device: "cpu" });
  const r = await fitBatch(model, { x, y, params: p, device: "cpu", out });
  assertSameResult(r, ref);
  assert.equal(r.derived.fwhm, out.derived!.fwhm);
  assert.deepEqual(r.get("fwhm"), ref.get("fwhm"));
});

Deno.test("statusCode holds the codes and status is built from them on first read", async () => {
  const y = peaks(5, 4);
  const r = await fitBatch(model, { x, y, params, device: "cpu", maxIter: 1 });
  assert.ok(r.statusCode instanceof Int32Array);
  assert.deepEqual(r.status, Array.from(r.statusCode, (c) => BATCH_STATUS_CODES[c]));
  assert.ok(r.status.includes("max-iter"));
  assert.equal(r.status, r.status); // built once
});

Deno.test("out: fixed parameters narrow correl; wrong buffers are named with the length needed", async () => {
  const fixed = { ...params, center: { value: 0, vary: false } };
  assert.equal(allocBatchOutput(4, model, fixed).correl.length, 4); // one pair per fit
  assert.equal(
    allocBatchOutput(4, model, {
      names: ["amplitude", "center", "sigma"],
      values: [],
      vary: { sigma: false },
    })
      .correl.length,
    4,
  );
  assert.throws(() => allocBatchOutput(-1, model, params), /nFits must be a whole number/);
  const y = peaks(4, 5);
  const call = (out: object) => fitBatch(model, { x, y, params, device: "cpu", out: out as never });
  const good = allocBatchOutput(4, model, params);
  await assert.rejects(
    call({ ...good, values: new Float64Array(11) }),
    (e: Error) =>
      e instanceof RangeError &&
      /out\.values has 11 elements; the batch needs 12 \(4 fits × 3\)/.test(e.message),
  );
  await assert.rejects(
    call({ ...good, nIter: new Float64Array(4) }),
    (e: Error) =>
      e instanceof TypeError &&
      /out\.nIter must be an Int32Array of at least 4 elements, got Float64Array/.test(e.message),
  );
  await assert.rejects(
    call({ ...good, statusCode: undefined }),
    /out\.statusCode must be an Int32Array of at least 4 elements, got nothing/,
  );
  await assert.rejects(
    call({ ...good, chisqr: new Float64Array(3) }),
    /out\.chisqr has 3 elements; the batch needs 4 \(4 fits\)/,
  );
  await assert.rejects(
    call({ ...good, correl: new Float64Array(2) }),
    /out\.correl has 2 elements; the batch needs 12/,
  );
  await assert.rejects(
    call({ ...good, valuez: good.values }),
    /fitBatch: out: unknown option 'valuez'; did you mean values\?/,
  );
  await assert.rejects(
    call({ ...good, derived: { fwhm: new Float64Array(4) } }),
    /out\.derived\.fwhm is not a constrained parameter/,
  );
  const p = model.makeParams({ amplitude: 3, center: 0, sigma: 1 });
  await assert.rejects(
    fitBatch(model, { x, y, params: p, device: "cpu", out: allocBatchOutput(4, model, params) }),
    /out\.derived\.(fwhm|height) must be a Float64Array of at least 4 elements/,
  );
  // Nothing was written by a refused call.
  assert.ok(good.values.every((v) => v === 0));
});
