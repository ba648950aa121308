/** fitBatch's choice of route by batch shape (no device needed). */
import assert from "node:assert/strict";
import { batchRoute, fitBatch } from "../../mod.ts";
import { LARGE_ROUTE_MAX_FITS, LARGE_ROUTE_MIN_POINTS } from "../../lib/batch/route.ts";

Deno.test("batchRoute: few fits of many points go to the large route, everything else per fit", () => {
  assert.equal(batchRoute(100, 1_000_000), "large");
  assert.equal(batchRoute(1, LARGE_ROUTE_MIN_POINTS), "large");
  assert.equal(batchRoute(LARGE_ROUTE_MAX_FITS, LARGE_ROUTE_MIN_POINTS), "large");
  assert.equal(batchRoute(LARGE_ROUTE_MAX_FITS + 1, LARGE_ROUTE_MIN_POINTS), "per-fit");
  assert.equal(batchRoute(1, LARGE_ROUTE_MIN_POINTS - 1), "per-fit");
  assert.equal(batchRoute(1_000_000, 25), "per-fit");
});

Deno.test("on the CPU a few huge fits run per fit across all workers, not one", async () => {
  const N = LARGE_ROUTE_MIN_POINTS;
  const x = Float64Array.from({ length: N }, (_, i) => i / N);
  const y = Float64Array.from([1, 2, 3, 4].flatMap((m) => Array.from(x, (v) => m * v + 1)));
  const r = await fitBatch("m*x + c", { x, y, params: { m: 0, c: 0 }, device: "cpu" });
  assert.equal(r.route, "per-fit");
  const cores = Math.max(1, navigator.hardwareConcurrency ?? 1);
  if (Math.min(cores, 4) > 1) {
    assert.match(r.reason, new RegExp(`\\(${Math.min(cores, 4)} workers\\)`));
  }
  r.get("m").forEach((m, b) => assert.ok(Math.abs(m - (b + 1)) < 1e-9));
});
