/**
 * `emcee`: affine-invariant ensemble sampling of the posterior ∝ exp(−χ²/2) within the bounds, as
 * lmfit 1.1.0 runs emcee 3. Values are posterior medians; standard errors half the 15.87–84.13
 * percentile range; correlations from the sample covariance. For unweighted residuals
 * (`isWeighted: false`) the noise level is sampled too, through an added parameter `__lnsigma`.
 * An objective that returns a number gives the log-posterior itself (`floatBehavior:
 * "posterior"`, lmfit's default) or a chi-square (`"chi2"`). `burn`/`thin` keep the steps of
 * emcee 3's `get_chain(discard=burn, thin=thin)`, `nfev` is walkers · steps, `pos` gives the
 * initial walker positions and `reuseSampler` continues the last run on the same Minimizer.
 *
 * @module
 */

import { AbortFitError } from "../objective.ts";
import { columnQuantile, emceeSample, type EmceeState } from "../../solvers/emcee.ts";
import { defineMethod } from "./_common.ts";
import type { MethodEntry } from "./types.ts";

/** Key of the last sampler state in the Minimizer's method memory (`reuseSampler`). */
const SAMPLER_KEY = "emcee.sampler";

/**
 * lmfit's `pos`: nwalkers × n positions as rows or one flat row-major array, or a previous chain
 * (steps × walkers × n, nested, or flat with `nwalkers` given) whose last step is taken.
 */
function walkerPositions(pos: unknown, n: number, nwalkers: number | undefined): Float64Array {
  const shape = `pos should have shape (nwalkers, nvarys = ${n}), or be a previous chain`;
  const fail = (why: string): never => {
    throw new RangeError(`emcee: ${why}; ${shape}`);
  };
  const isArray = (v: unknown): v is ArrayLike<unknown> =>
    Array.isArray(v) || v instanceof Float64Array;
  let depth = 0;
  for (let v: unknown = pos; isArray(v); depth++) v = v[0];
  if (depth < 1 || depth > 3) fail("pos is not an array of numbers");
  const rows: ArrayLike<unknown>[] = depth === 3
    ? Array.from(
      (pos as ArrayLike<ArrayLike<unknown>>)[(pos as ArrayLike<unknown>).length - 1] as ArrayLike<
        ArrayLike<unknown>
      >,
    )
    : depth === 2
    ? Array.from(pos as ArrayLike<ArrayLike<unknown>>)
    : [pos as ArrayLike<unknown>];
  const flat: number[] = [];
  for (const row of rows) {
    if (!isArray(row)) fail("pos mixes numbers and rows");
    if (depth > 1 && row.length !== n) fail(`every row of pos must have ${n} values`);
    for (let d = 0; d < row.length; d++) {
      const v = row[d];
      if (typeof v !== "number" || !Number.isFinite(v)) fail(`pos holds ${String(v)}`);
      flat.push(v as number);
    }
  }
  if (flat.length === 0 || flat.length % n !== 0) fail(`pos has ${flat.length} numbers`);
  if (depth === 1 && nwalkers !== undefined && flat.length > nwalkers * n) {
    // A flat previous chain (e.g. result.chain): its last step.
    if (flat.length % (nwalkers * n) !== 0) {
      fail(`${flat.length} numbers are not steps × ${nwalkers} walkers × ${n}`);
    }
    return Float64Array.from(flat.slice(flat.length - nwalkers * n));
  }
  if (nwalkers !== undefined && flat.length !== nwalkers * n) {
    fail(`pos holds ${flat.length / n} walkers but nwalkers is ${nwalkers}`);
  }
  return Float64Array.from(flat);
}

/** Name of the noise parameter `emcee` adds for unweighted residuals (as lmfit). */
const LNSIGMA = "__lnsigma";
const LN_2PI = Math.log(2 * Math.PI);

/** Ensemble MCMC sampling (`emcee`). */
export const EMCEE: MethodEntry = defineMethod({
  name: "emcee",
  aliases: [],
  kind: "sampling",
  optionKeys: [
    "isWeighted",
    "nwalkers",
    "steps",
    "burn",
    "thin",
    "seed",
    "floatBehavior",
    "pos",
    "reuseSampler",
  ],
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
    const floatBehavior = o.floatBehavior ?? "posterior";
    if (floatBehavior !== "posterior" && floatBehavior !== "chi2") {
      throw new RangeError(
        `emcee: floatBehavior must be "posterior" or "chi2", got "${floatBehavior}"`,
      );
    }
    const n = fit.varNames.length;
    const previous = o.reuseSampler
      ? ctx.memory?.get(SAMPLER_KEY) as EmceeState | undefined
      : undefined;
    if (o.reuseSampler && !previous) {
      throw new RangeError(
        "emcee: reuseSampler is true but there is no previous emcee run on this Minimizer to continue; run emcee once first (with new Minimizer(...).minimize('emcee', ...))",
      );
    }
    if (previous && o.pos !== undefined) {
      throw new RangeError(
        "emcee: pos cannot be given with reuseSampler (the sampler continues from its last positions)",
      );
    }
    if (previous && previous.ndim !== n) {
      throw new RangeError(
        `emcee: cannot reuse the sampler: it ran over ${previous.ndim} varying parameters, this fit has ${n}`,
      );
    }
    const scalar = objective.isScalar;
    const pos = o.pos === undefined ? undefined : walkerPositions(o.pos, n, o.nwalkers);
    const noiseAt = isWeighted || m <= 1 ? -1 : fit.varNames.indexOf(LNSIGMA);
    const r = new Float64Array(m);
    const lnprob = (x: Float64Array): number => {
      for (let k = 0; k < n; k++) if (x[k] < fit.mins[k] || x[k] > fit.maxs[k]) return -Infinity;
      if (scalar) {
        // lmfit's float_behavior: the number is the log-posterior, or a chi-square.
        const v = objective.scalar(x);
        return floatBehavior === "chi2" ? -0.5 * v : v;
      }
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
        nwalkers: pos ? pos.length / n : o.nwalkers,
        steps: o.steps,
        burn: o.burn,
        thin: o.thin,
        seed: o.seed,
        pos,
        resume: previous,
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
    ctx.memory?.set(SAMPLER_KEY, sample.state);
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
      nfev: sample.nfev,
      scalarStatistics: scalar ? floatBehavior : undefined,
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
