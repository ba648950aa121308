/**
 * `emcee`: affine-invariant ensemble sampling of the posterior ∝ exp(−χ²/2) within the bounds.
 * Values are posterior medians; standard errors half the 15.87–84.13 percentile range;
 * correlations from the sample covariance. For unweighted residuals (`isWeighted: false`) the
 * noise level is sampled too, through an added parameter `__lnsigma`, as lmfit does.
 *
 * @module
 */

import { AbortFitError } from "../objective.ts";
import { columnQuantile, emceeSample } from "../../solvers/emcee.ts";
import { defineMethod } from "./_common.ts";
import type { MethodEntry } from "./types.ts";

/** Name of the noise parameter `emcee` adds for unweighted residuals (as lmfit). */
const LNSIGMA = "__lnsigma";
const LN_2PI = Math.log(2 * Math.PI);

/** Ensemble MCMC sampling (`emcee`). */
export const EMCEE: MethodEntry = defineMethod({
  name: "emcee",
  aliases: [],
  kind: "sampling",
  optionKeys: ["isWeighted", "nwalkers", "steps", "burn", "thin", "seed"],
  space: "external",
  usesReduceFcn: false,
  gradientSafeStart: false,
  needsFiniteBounds: false,
  maxNfevPerParam: null,
  augmentParams: (params, options, ndata) => {
    if ((options.isWeighted ?? true) || ndata <= 1 || params.has(LNSIGMA)) return null;
    // Unweighted residuals: sample the noise level too, through `__lnsigma` (ln of a constant
    // data uncertainty) that starts at 0.01.
    const withNoise = params.copy();
    withNoise.add(LNSIGMA, { value: 0.01 });
    return withNoise;
  },
  run: (ctx) => {
    const { fit, objective, ndata: m, options: o } = ctx;
    const isWeighted = o.isWeighted ?? true;
    const n = fit.varNames.length;
    const noiseAt = isWeighted || m <= 1 ? -1 : fit.varNames.indexOf(LNSIGMA);
    const r = new Float64Array(m);
    const lnprob = (x: Float64Array): number => {
      for (let k = 0; k < n; k++) if (x[k] < fit.mins[k] || x[k] > fit.maxs[k]) return -Infinity;
      if (noiseAt < 0) return -0.5 * objective.scalar(x);
      // Gaussian likelihood with σ = exp(__lnsigma): −½ Σ (r/σ)² + ln(2π) + 2 ln σ.
      objective.residual(x, r);
      const lnsigma = x[noiseAt];
      const inv = Math.exp(-2 * lnsigma);
      let s = 0;
      for (let i = 0; i < r.length; i++) s += r[i] * r[i] * inv;
      return -0.5 * (s + r.length * (LN_2PI + 2 * lnsigma));
    };
    let sample: ReturnType<typeof emceeSample>;
    try {
      sample = emceeSample(lnprob, ctx.x0, {
        nwalkers: o.nwalkers,
        steps: o.steps,
        burn: o.burn,
        thin: o.thin,
        seed: o.seed,
      });
    } catch (e) {
      if (!(e instanceof AbortFitError)) throw e;
      return {
        x: ctx.x0,
        success: false,
        status: 0,
        message: "Fit aborted by user callback.",
        nit: 0,
        aborted: true,
        covariance: { kind: "none" },
      };
    }
    const flat = sample.flatchain;
    const med = Float64Array.from({ length: n }, (_, d) => columnQuantile(flat, n, d, 0.5));
    const rows = flat.length / n;
    const mean = new Float64Array(n);
    for (let i = 0; i < rows; i++) {
      for (let d = 0; d < n; d++) mean[d] += flat[i * n + d] / rows;
    }
    const covar = new Float64Array(n * n);
    for (let i = 0; i < rows; i++) {
      for (let a = 0; a < n; a++) {
        for (let b = 0; b < n; b++) {
          covar[a * n + b] += (flat[i * n + a] - mean[a]) * (flat[i * n + b] - mean[b]) /
            (rows - 1);
        }
      }
    }
    const stderr = Float64Array.from(
      { length: n },
      (_, d) => (columnQuantile(flat, n, d, 0.84135) - columnQuantile(flat, n, d, 0.15865)) / 2,
    );
    return {
      x: med,
      success: true,
      status: 0,
      message: "Sampling completed.",
      nit: sample.nsteps,
      aborted: false,
      covariance: { kind: "sample", covar, stderr },
      // Statistics of the residual weighted by the sampled noise level, as lmfit reports them.
      residualScale: noiseAt >= 0 ? Math.exp(med[noiseAt]) : undefined,
      extras: {
        chain: sample.chain,
        flatchain: sample.flatchain,
        lnprob: sample.lnprob,
        acceptanceFraction: sample.acceptanceFraction,
        nwalkers: sample.nwalkers,
        nsteps: sample.nsteps,
      },
    };
  },
});
