/**
 * fitBatch against Python lmfit 1.1.0 fitting the same datasets one by one
 * (scripts/gen_batch_reference.py → tests/testdata/batch_reference.json): the CPU path to lmfit's
 * precision (values, stderr, correlations, χ²), the GPU path (any adapter, llvmpipe here) to float32
 * tolerance.
 */
import assert from "node:assert/strict";
import { fitBatch, Gaussian2dModel, GaussianModel } from "../../mod.ts";
import { getGpu, gpuUnavailableReason } from "../../gpu/device.ts";

const ref = JSON.parse(
  await Deno.readTextFile(new URL("../testdata/batch_reference.json", import.meta.url)),
);
const gpu = await getGpu();
const hasAdapter = gpu !== null;
if (!hasAdapter) console.log(`GPU tests skipped: ${gpuUnavailableReason()}`);

interface RefFit {
  values: number[];
  stderr: number[];
  correl: number[];
  chisqr: number;
}

function inputs1d() {
  const g = ref.gauss1d;
  return {
    x: g.x as number[],
    y: Float64Array.from((g.y as number[][]).flat()),
    params: {
      amplitude: g.start.amplitude,
      center: g.start.center,
      sigma: { value: g.start.sigma, min: g.sigmaMin },
    },
    fits: g.fits as RefFit[],
  };
}

function inputs2d() {
  const g = ref.gauss2d;
  return {
    vars: { x: g.x as number[], y: g.y as number[] },
    y: Float64Array.from((g.z as number[][]).flat()),
    params: g.start as Record<string, number>,
    fits: g.fits as RefFit[],
  };
}

Deno.test("the CPU path reproduces lmfit's fits of 1-D and 2-D Gaussians: values, stderr, chi-square", async () => {
  // The reference fits are not an option of fitBatch.
  const { fits: fits1, ...one } = inputs1d();
  const r1 = await fitBatch(new GaussianModel(), { ...one, device: "cpu", tol: 1e-12 });
  const { fits: fits2, ...two } = inputs2d();
  const r2 = await fitBatch(new Gaussian2dModel(), { ...two, device: "cpu", tol: 1e-12 });
  for (const [r, fits] of [[r1, fits1], [r2, fits2]] as const) {
    const P = r.paramNames.length;
    fits.forEach((f, b) => {
      assert.equal(r.status[b], "converged");
      for (let k = 0; k < P; k++) {
        const v = r.values[b * P + k], s = r.stderr[b * P + k];
        assert.ok(
          Math.abs(v - f.values[k]) <= 1e-6 * Math.max(1, Math.abs(f.values[k])),
          `fit ${b} ${r.paramNames[k]}: ${v} vs lmfit ${f.values[k]}`,
        );
        assert.ok(
          Math.abs(s - f.stderr[k]) <= 1e-4 * f.stderr[k],
          `fit ${b} ${r.paramNames[k]} stderr: ${s} vs lmfit ${f.stderr[k]}`,
        );
      }
      assert.ok(Math.abs(r.chisqr[b] - f.chisqr) <= 1e-8 * f.chisqr, `fit ${b} chi-square`);
      const nPairs = r.correlNames.length;
      assert.equal(nPairs, f.correl.length);
      f.correl.forEach((c, q) =>
        assert.ok(
          Math.abs(r.correl[b * nPairs + q] - c) <= 1e-5,
          `fit ${b} correl ${r.correlNames[q]}: ${r.correl[b * nPairs + q]} vs lmfit ${c}`,
        )
      );
    });
  }
});

Deno.test({
  name: "the GPU path reproduces lmfit's fits to float32 tolerance",
  ignore: !hasAdapter,
  async fn() {
    // The reference fits are not an option of fitBatch.
    const { fits: fits1, ...one } = inputs1d();
    const r1 = await fitBatch(new GaussianModel(), { ...one, device: "gpu" });
    const { fits: fits2, ...two } = inputs2d();
    const r2 = await fitBatch(new Gaussian2dModel(), { ...two, device: "gpu" });
    for (const [r, fits] of [[r1, fits1], [r2, fits2]] as const) {
      assert.equal(r.device, "gpu", r.reason);
      const P = r.paramNames.length;
      fits.forEach((f, b) => {
        for (let k = 0; k < P; k++) {
          const v = r.values[b * P + k];
          assert.ok(
            Math.abs(v - f.values[k]) <= 0.05 * f.stderr[k] + 1e-5 * Math.abs(f.values[k]),
            `fit ${b} ${r.paramNames[k]}: ${v} vs lmfit ${f.values[k]} ± ${f.stderr[k]}`,
          );
          // stderr computed in f32 on the GPU from JᵀJ at its (f32) solution.
          assert.ok(Math.abs(r.stderr[b * P + k] - f.stderr[k]) <= 1e-3 * f.stderr[k]);
        }
        assert.ok(Math.abs(r.chisqr[b] - f.chisqr) <= 1e-4 * f.chisqr, `fit ${b} chi-square`);
        const nPairs = r.correlNames.length;
        f.correl.forEach((c, q) => assert.ok(Math.abs(r.correl[b * nPairs + q] - c) <= 1e-3));
      });
    }
  },
});
