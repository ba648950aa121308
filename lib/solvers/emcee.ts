/**
 * The affine-invariant ensemble sampler of Goodman & Weare (2010) with the stretch move
 * (a = 2), as the `emcee` package (Foreman-Mackey et al. 2013) implements it: walkers are
 * updated in two halves, each against the other. Seedable.
 *
 * @module
 */

import { Random } from "../random.ts";
import type { IterationCallback } from "./types.ts";

/** Options of `emceeSample`. */
export interface EmceeOptions {
  /** Number of walkers (at least 2·n). @default 100 */
  nwalkers?: number;
  /** Steps per walker. @default 1000 */
  steps?: number;
  /** Steps discarded at the start. @default 0 */
  burn?: number;
  /** Keep every `thin`-th step. @default 1 */
  thin?: number;
  /** Stretch-move scale. @default 2 */
  a?: number;
  /** Random seed. */
  seed?: number;
  /** Relative spread of the initial ball around `x0` (absolute 1e-4 for zeros). @default 1e-4 */
  initialSpread?: number;
  /** Called each step with the best walker so far; `true` aborts. */
  callback?: IterationCallback;
}

/** Samples: chain (kept steps × walkers × n), log-probabilities, acceptance per walker. */
export interface EmceeResult {
  /** Kept steps × walkers × n, row-major. */
  chain: Float64Array;
  /** Kept steps × walkers. */
  lnprob: Float64Array;
  /** (kept steps · walkers) × n, row-major. */
  flatchain: Float64Array;
  /** Fraction of accepted proposals per walker. */
  acceptanceFraction: Float64Array;
  /** Number of kept steps. */
  nsteps: number;
  /** Number of walkers. */
  nwalkers: number;
  /** Log-probability evaluations. */
  nfev: number;
  /** Highest log-probability seen and where. */
  maxLnprob: number;
  /** Where it was seen. */
  maxLnprobX: Float64Array;
  /** Whether the callback aborted sampling. */
  aborted: boolean;
}

/**
 * Samples the distribution with log-density `lnprob` from a small ball around `x0`.
 *
 * @example
 * ```ts
 * import { emceeSample } from "./emcee.ts";
 * const r = emceeSample((x) => -0.5 * (x[0] ** 2 + x[1] ** 2), Float64Array.of(0.1, 0.1), { steps: 200, nwalkers: 20, seed: 1 });
 * r.flatchain.length; // 200·20·2
 * ```
 */
export function emceeSample(
  lnprob: (x: Float64Array) => number,
  x0: Float64Array,
  options: EmceeOptions = {},
): EmceeResult {
  const n = x0.length;
  const nw = options.nwalkers ?? 100;
  if (nw < 2 * n) throw new RangeError(`emcee needs at least 2·n = ${2 * n} walkers, got ${nw}`);
  const steps = options.steps ?? 1000;
  const burn = options.burn ?? 0;
  const thin = Math.max(1, options.thin ?? 1);
  if (burn >= steps) throw new RangeError(`burn (${burn}) must be less than steps (${steps})`);
  const a = options.a ?? 2;
  const rng = new Random(options.seed);
  const spread = options.initialSpread ?? 1e-4;
  const pos = Array.from({ length: nw }, () => {
    const w = new Float64Array(n);
    for (let d = 0; d < n; d++) {
      w[d] = x0[d] + (x0[d] !== 0 ? spread * Math.abs(x0[d]) : 1e-4) * rng.normal();
    }
    return w;
  });
  let nfev = 0;
  const lp = (x: Float64Array) => {
    nfev++;
    const v = lnprob(x);
    return Number.isNaN(v) ? -Infinity : v;
  };
  const logp = Float64Array.from(pos, lp);
  const kept = Math.floor((steps - burn) / thin);
  const chain = new Float64Array(kept * nw * n);
  const lnp = new Float64Array(kept * nw);
  const accepted = new Float64Array(nw);
  const prop = new Float64Array(n);
  let maxLnprob = -Infinity;
  const maxX = Float64Array.from(x0);
  let k = 0, aborted = false;
  const half = Math.floor(nw / 2);
  for (let s = 0; s < steps; s++) {
    for (const [start, end, oStart, oEnd] of [[0, half, half, nw], [half, nw, 0, half]]) {
      for (let i = start; i < end; i++) {
        const j = oStart + rng.integer(oEnd - oStart);
        const z = ((a - 1) * rng.uniform() + 1) ** 2 / a;
        for (let d = 0; d < n; d++) prop[d] = pos[j][d] + z * (pos[i][d] - pos[j][d]);
        const lpNew = lp(prop);
        const logAccept = (n - 1) * Math.log(z) + lpNew - logp[i];
        if (Math.log(rng.uniform()) < logAccept) {
          pos[i].set(prop);
          logp[i] = lpNew;
          accepted[i]++;
        }
        if (logp[i] > maxLnprob) {
          maxLnprob = logp[i];
          maxX.set(pos[i]);
        }
      }
    }
    if (s >= burn && (s - burn) % thin === 0 && k < kept) {
      for (let w = 0; w < nw; w++) {
        chain.set(pos[w], (k * nw + w) * n);
        lnp[k * nw + w] = logp[w];
      }
      k++;
    }
    if (options.callback && options.callback(maxX, s, maxLnprob) === true) {
      aborted = true;
      break;
    }
  }
  return {
    chain: chain.subarray(0, k * nw * n),
    lnprob: lnp.subarray(0, k * nw),
    flatchain: chain.subarray(0, k * nw * n),
    acceptanceFraction: accepted.map((v) => v / steps),
    nsteps: k,
    nwalkers: nw,
    nfev,
    maxLnprob,
    maxLnprobX: maxX,
    aborted,
  };
}

/** Quantile `q` (0..1) of column `d` of a row-major samples × n array (linear interpolation, as numpy). */
export function columnQuantile(samples: Float64Array, n: number, d: number, q: number): number {
  const m = samples.length / n;
  const col = new Float64Array(m);
  for (let i = 0; i < m; i++) col[i] = samples[i * n + d];
  col.sort();
  const pos = q * (m - 1);
  const lo = Math.floor(pos), hi = Math.ceil(pos);
  return col[lo] + (col[hi] - col[lo]) * (pos - lo);
}
