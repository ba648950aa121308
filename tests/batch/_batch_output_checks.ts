/** Checks the `out`-buffer tests of the CPU path and of the GPU path share. */
import assert from "node:assert/strict";
import type { BatchOutput, BatchResult } from "../../mod.ts";

/** `r` is `ref` exactly: path, route and every per-fit array. */
export function assertSameResult(r: BatchResult, ref: BatchResult): void {
  assert.equal(r.device, ref.device);
  assert.equal(r.route, ref.route);
  assert.deepEqual(r.values, ref.values);
  assert.deepEqual(r.stderr, ref.stderr);
  assert.deepEqual(r.correl, ref.correl);
  assert.deepEqual(r.chisqr, ref.chisqr);
  assert.deepEqual(r.nIter, ref.nIter);
  assert.deepEqual(r.statusCode, ref.statusCode);
  assert.deepEqual(r.status, ref.status);
  assert.deepEqual(r.derived, ref.derived);
}

/** The result's per-fit arrays are the `out` buffers themselves. */
export function assertArraysAreOut(r: BatchResult, out: BatchOutput): void {
  assert.equal(r.values, out.values);
  assert.equal(r.stderr, out.stderr);
  assert.equal(r.correl, out.correl);
  assert.equal(r.chisqr, out.chisqr);
  assert.equal(r.nIter, out.nIter);
  assert.equal(r.statusCode, out.statusCode);
}
