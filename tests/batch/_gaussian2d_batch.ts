/**
 * Gpufit's benchmark problem, shared by the batch tests and `bench/batch_bench.ts`: 2-D Gaussians
 * on a 5×5 grid (amplitude 50–60, centres within ±0.5, equal widths 0.8–1.2) with Gaussian noise
 * of σ = 0.05.
 */
import type { Random } from "../../mod.ts";

/** The 5×5 grid's coordinates, `x` running fastest, both from −2 to 2. */
export function gaussian2dGrid(): { x: number[]; y: number[] } {
  const x: number[] = [], y: number[] = [];
  for (let j = 0; j < 5; j++) for (let i = 0; i < 5; i++) (x.push(i - 2), y.push(j - 2));
  return { x, y };
}

/**
 * Fills `out` (25 points per curve, `out.length / 25` curves) with noisy 2-D Gaussians drawn
 * from `rng` (`Gaussian2dModel`'s form, amplitude/(2π s²)·exp(−r²/(2 s²)), written out: the
 * benchmark draws 10⁶ of them), and returns the grid they are on.
 */
export function gaussian2dBatch(
  rng: Random,
  out: Float64Array | Float32Array,
): { x: number[]; y: number[] } {
  const grid = gaussian2dGrid();
  const { x, y } = grid;
  for (let b = 0; b < out.length / 25; b++) {
    const a = 50 + 10 * rng.uniform(),
      cx = rng.uniformRange(-0.5, 0.5),
      cy = rng.uniformRange(-0.5, 0.5),
      s = 0.8 + 0.4 * rng.uniform();
    for (let i = 0; i < 25; i++) {
      out[b * 25 + i] = (a / (2 * Math.PI * s * s)) *
          Math.exp(-((x[i] - cx) ** 2 + (y[i] - cy) ** 2) / (2 * s * s)) + 0.05 * rng.normal();
    }
  }
  return grid;
}
