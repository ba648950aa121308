/**
 * The affine-invariant ensemble sampler of Goodman & Weare (2010, "Ensemble samplers with affine
 * invariance", Comm. App. Math. Comp. Sci. 5(1)) with the stretch move (a = 2), as the `emcee`
 * package (Foreman-Mackey et al. 2013) implements it: the walkers are updated in two halves,
 * each against the other, a proposal `Y = X_j + z (X_k − X_j)` with `z ~ g(z) ∝ 1/√z` on
 * [1/a, a] accepted with probability `min(1, z^(n−1) p(Y)/p(X_k))`. Seedable through `Random`.
 *
 * Walkers start in a Gaussian ball around `x0`; proposals outside `[lower, upper]` have log
 * probability −Infinity (never accepted), as lmfit's emcee wrapper does.
 *
 * @module
 */

import { Random } from "../util/random.ts";
import type { IterationCallback } from "./types.ts";
import { checkOptions, optionKeys } from "../util/options.ts";

/**
 * Everything a sampler run leaves behind to be continued (emcee's sampler state and backend):
 * every step run so far, not only the kept ones. Pass it back as `resume` to go on from the last
 * positions, as lmfit's `reuse_sampler=True`.
 *
 * @example
 * ```ts
 * import { emcee, type EmceeState } from "./emcee.ts";
 * const first = emcee((x) => -0.5 * x[0] ** 2, Float64Array.of(0.1), { nwalkers: 4, steps: 10, seed: 1 });
 * const state: EmceeState = first.state;
 * state.iterations; // 10
 * ```
 *
 * @category Solvers
 */
export interface EmceeState {
  /** Every step run: iterations × walkers × n, row-major. */
  chain: Float64Array;
  /** Log-probabilities of every step: iterations × walkers, row-major. */
  lnprob: Float64Array;
  /** Accepted proposals per walker over all iterations. */
  accepted: Float64Array;
  /** Steps run so far. */
  iterations: number;
  /** Number of walkers. */
  nwalkers: number;
  /** Number of variables. */
  ndim: number;
}

/**
 * Options of `emcee`.
 *
 * @example
 * ```ts
 * import { emcee, type EmceeOptions } from "./emcee.ts";
 * const options: EmceeOptions = {
 *   nwalkers: 10, steps: 100, burn: 20, thin: 2, seed: 1, lower: Float64Array.of(0),
 * };
 * const r = emcee((x) => -0.5 * (x[0] - 1) ** 2, Float64Array.of(1), options);
 * r.nsteps; // 40 = (100 − 20) / 2: steps 21, 23, …, 99 (emcee's get_chain(discard=20, thin=2))
 * ```
 *
 * @category Solvers
 */
export interface EmceeOptions {
  /** Number of walkers (at least 2·n; taken from `pos` or `resume` when given). @default 100 */
  nwalkers?: number;
  /** Steps per walker in this run. @default 1000 */
  steps?: number;
  /**
   * Steps discarded at the start of the whole chain (`resume` included), as emcee 3's
   * `get_chain(discard=burn, thin=thin)`. @default 0
   */
  burn?: number;
  /**
   * Keep every `thin`-th step after `burn`: steps `burn + thin − 1, burn + 2·thin − 1, …`
   * (0-based), emcee 3's `get_chain(discard, thin)` and so lmfit 1.1.0's. @default 1
   */
  thin?: number;
  /** Stretch-move scale `a` (> 1). @default 2 */
  a?: number;
  /** Random seed. @default random */
  seed?: number;
  /**
   * Spread of the initial ball: a number is relative to `|x0_i|` (absolute for a zero
   * component), a `Float64Array` gives absolute standard deviations per variable (e.g. the
   * standard errors of a previous fit). @default 1e-4
   */
  initialSpread?: number | Float64Array;
  /**
   * Initial walker positions, nwalkers × n row-major (lmfit's `pos`), instead of the ball
   * around `x0`. @default undefined
   */
  pos?: Float64Array;
  /**
   * Continue a previous run from its last positions, appending to its chain (lmfit's
   * `reuse_sampler`); the walkers and variables must match. @default undefined
   */
  resume?: EmceeState;
  /** Lower bounds: log probability −Infinity below. @default all −Infinity */
  lower?: Float64Array;
  /** Upper bounds: log probability −Infinity above. @default all +Infinity */
  upper?: Float64Array;
  /** Called after each step with the best point so far, the step and its log-probability; `true` aborts. */
  callback?: IterationCallback;
}

/**
 * Samples: chain (kept steps × walkers × n), log-probabilities, acceptance per walker.
 *
 * @example
 * ```ts
 * import { emcee, type EmceeResult } from "./emcee.ts";
 * const r: EmceeResult = emcee((x) => -0.5 * x[0] ** 2, Float64Array.of(0.1), {
 *   nwalkers: 8, steps: 200, seed: 1,
 * });
 * r.flatchain.length; // nsteps · nwalkers · ndim = 200·8·1
 * const mean = r.flatchain.reduce((s, v) => s + v, 0) / r.flatchain.length; // near 0, the target's mean
 * console.log(mean, r.acceptanceFraction, r.maxLnprobX);
 * ```
 *
 * @category Solvers
 */
export interface EmceeResult {
  /** Kept steps × walkers × n, row-major. */
  chain: Float64Array;
  /** Kept steps × walkers, row-major. */
  lnprob: Float64Array;
  /** (kept steps · walkers) × n, row-major (the same numbers as `chain`). */
  flatchain: Float64Array;
  /** Fraction of accepted proposals per walker over all steps run (`resume` included). */
  acceptanceFraction: Float64Array;
  /** Number of kept steps. */
  nsteps: number;
  /** Number of walkers. */
  nwalkers: number;
  /** Number of variables. */
  ndim: number;
  /** Walkers × steps of this run (emcee's and lmfit's count; the initial ball is not counted). */
  nfev: number;
  /** Highest log-probability seen in this run. */
  maxLnprob: number;
  /** Where it was seen. */
  maxLnprobX: Float64Array;
  /** Whether the callback aborted sampling. */
  aborted: boolean;
  /** The whole run, to be continued with `resume`. */
  state: EmceeState;
}

/**
 * Samples the distribution with log-density `logProb` from a small ball around `x0` (or from
 * `pos`, or from where `resume` stopped).
 *
 * @param logProb Log probability (up to a constant); NaN counts as −Infinity.
 * @param x0 Centre of the initial ball.
 * @param options Walkers, steps, burn, thin, seed, initial spread or positions, resume, bounds, callback.
 * @returns The chain, log-probabilities and acceptance fractions.
 * @example
 * ```ts
 * import { emcee } from "./emcee.ts";
 * const r = emcee((x) => -0.5 * (x[0] ** 2 + x[1] ** 2), Float64Array.of(0.1, 0.1), { steps: 200, nwalkers: 20, seed: 1 });
 * r.flatchain.length; // 200·20·2
 * const more = emcee((x) => -0.5 * (x[0] ** 2 + x[1] ** 2), Float64Array.of(0.1, 0.1), { steps: 100, resume: r.state });
 * more.nsteps; // 300: the chain goes on
 * ```
 *
 * @category Solvers
 */
export function emcee(
  logProb: (x: Float64Array) => number,
  x0: Float64Array,
  options: EmceeOptions = {},
): EmceeResult {
  checkOptions(options, EMCEE_OPTION_KEYS, "emcee");
  const n = x0.length;
  if (n < 1) throw new RangeError("emcee: x0 must have at least one variable");
  const resume = options.resume;
  if (resume && options.pos) {
    throw new RangeError(
      "emcee: give either pos or resume, not both (resume goes on from its last positions)",
    );
  }
  if (resume && resume.ndim !== n) {
    throw new RangeError(
      `emcee: cannot resume a run over ${resume.ndim} variables with ${n}; the varying parameters must stay the same`,
    );
  }
  let nw = options.nwalkers ?? 100;
  if (resume) nw = resume.nwalkers;
  else if (options.pos) {
    if (options.pos.length % n !== 0) {
      throw new RangeError(
        `emcee: pos has ${options.pos.length} numbers, not a multiple of n = ${n}; give nwalkers × n positions`,
      );
    }
    const fromPos = options.pos.length / n;
    if (options.nwalkers !== undefined && options.nwalkers !== fromPos) {
      throw new RangeError(
        `emcee: pos holds ${fromPos} walkers but nwalkers is ${options.nwalkers}; pos should have shape (nwalkers, n)`,
      );
    }
    nw = fromPos;
  }
  if (!Number.isInteger(nw) || nw < 2 * n) {
    throw new RangeError(`emcee needs an integer number of walkers >= 2·n = ${2 * n}, got ${nw}`);
  }
  const steps = options.steps ?? 1000;
  const burn = options.burn ?? 0;
  const thin = options.thin ?? 1;
  if (!Number.isInteger(steps) || steps < 1) {
    throw new RangeError(`emcee: steps must be a positive integer, got ${steps}`);
  }
  const prior = resume ? resume.iterations : 0;
  const total = prior + steps;
  if (!Number.isInteger(thin) || thin < 1) {
    throw new RangeError(`emcee: thin must be a positive integer, got ${thin}`);
  }
  if (!Number.isInteger(burn) || burn < 0 || Math.floor((total - burn) / thin) < 1) {
    throw new RangeError(
      `emcee: burn (${burn}) and thin (${thin}) keep no step of ${total}; burn must be an integer >= 0 with burn + thin <= ${total}`,
    );
  }
  const a = options.a ?? 2;
  if (!(a > 1)) throw new RangeError(`emcee: the stretch scale a must be > 1, got ${a}`);
  const lower = options.lower, upper = options.upper;
  if ((lower && lower.length !== n) || (upper && upper.length !== n)) {
    throw new RangeError(`emcee: lower/upper must have length ${n} (x0.length)`);
  }
  const spread = options.initialSpread ?? 1e-4;
  if (spread instanceof Float64Array && spread.length !== n) {
    throw new RangeError(`emcee: initialSpread must have length ${n}, got ${spread.length}`);
  }
  const rng = new Random(options.seed);
  const lp = (x: Float64Array): number => {
    for (let d = 0; d < n; d++) {
      if ((lower && x[d] < lower[d]) || (upper && x[d] > upper[d])) return -Infinity;
    }
    const v = logProb(x);
    return Number.isNaN(v) ? -Infinity : v;
  };

  const pos = new Float64Array(nw * n);
  const logp = new Float64Array(nw);
  const w = new Float64Array(n);
  if (resume) {
    // Go on from the last step of the previous run.
    pos.set(resume.chain.subarray((prior - 1) * nw * n, prior * nw * n));
    logp.set(resume.lnprob.subarray((prior - 1) * nw, prior * nw));
  } else if (options.pos) {
    pos.set(options.pos);
    for (let k = 0; k < nw; k++) logp[k] = lp(pos.subarray(k * n, k * n + n));
  } else {
    // Initial ball: redraw a walker (up to 100 times) until its log probability is finite.
    for (let k = 0; k < nw; k++) {
      let v = -Infinity;
      for (let tries = 0; tries < 100 && v === -Infinity; tries++) {
        for (let d = 0; d < n; d++) {
          const sd = typeof spread === "number"
            ? (x0[d] !== 0 ? spread * Math.abs(x0[d]) : spread)
            : spread[d];
          w[d] = x0[d] + sd * rng.normal();
        }
        v = lp(w);
      }
      if (v === -Infinity) {
        throw new RangeError(
          `emcee: could not place walker ${k} where the log probability is finite near x0 = [${
            Array.from(x0)
          }]; start inside the support or reduce initialSpread`,
        );
      }
      pos.set(w, k * n);
      logp[k] = v;
    }
  }
  if (!logp.some((v) => v > -Infinity)) {
    throw new RangeError(
      "emcee: every initial walker has log probability −Infinity (outside the bounds or the support); move pos inside",
    );
  }

  // The whole chain, the previous run's first.
  const chainAll = new Float64Array(total * nw * n);
  const lnpAll = new Float64Array(total * nw);
  const accepted = new Float64Array(nw);
  if (resume) {
    chainAll.set(resume.chain.subarray(0, prior * nw * n));
    lnpAll.set(resume.lnprob.subarray(0, prior * nw));
    accepted.set(resume.accepted);
  }
  const prop = new Float64Array(n);
  let maxLnprob = -Infinity;
  const maxX = Float64Array.from(x0);
  for (let k = 0; k < nw; k++) {
    if (logp[k] > maxLnprob) {
      maxLnprob = logp[k];
      maxX.set(pos.subarray(k * n, k * n + n));
    }
  }
  let aborted = false, done = prior;
  const half = Math.floor(nw / 2);
  for (let s = 0; s < steps; s++) {
    for (let h = 0; h < 2; h++) {
      const start = h === 0 ? 0 : half, end = h === 0 ? half : nw;
      const oStart = h === 0 ? half : 0, oLen = h === 0 ? nw - half : half;
      for (let i = start; i < end; i++) {
        const j = oStart + rng.integer(oLen);
        const u = (a - 1) * rng.uniform() + 1;
        const z = (u * u) / a;
        const oi = i * n, oj = j * n;
        for (let d = 0; d < n; d++) prop[d] = pos[oj + d] + z * (pos[oi + d] - pos[oj + d]);
        const lpNew = lp(prop);
        const logAccept = (n - 1) * Math.log(z) + lpNew - logp[i];
        if (Math.log(rng.uniform()) < logAccept) {
          pos.set(prop, oi);
          logp[i] = lpNew;
          accepted[i]++;
          if (lpNew > maxLnprob) {
            maxLnprob = lpNew;
            maxX.set(prop);
          }
        }
      }
    }
    chainAll.set(pos, done * nw * n);
    lnpAll.set(logp, done * nw);
    done++;
    if (options.callback && options.callback(maxX, s, maxLnprob) === true) {
      aborted = true;
      break;
    }
  }
  // emcee 3's get_chain(discard=burn, thin=thin): steps burn+thin−1, burn+2·thin−1, … < done.
  const kept = Math.max(0, Math.floor((done - burn) / thin));
  const chain = new Float64Array(kept * nw * n);
  const lnp = new Float64Array(kept * nw);
  for (let k = 0; k < kept; k++) {
    const step = burn + thin - 1 + k * thin;
    chain.set(chainAll.subarray(step * nw * n, (step + 1) * nw * n), k * nw * n);
    lnp.set(lnpAll.subarray(step * nw, (step + 1) * nw), k * nw);
  }
  return {
    chain,
    lnprob: lnp,
    flatchain: chain,
    acceptanceFraction: accepted.map((v) => v / done),
    nsteps: kept,
    nwalkers: nw,
    ndim: n,
    nfev: nw * (done - prior),
    maxLnprob,
    maxLnprobX: maxX,
    aborted,
    state: {
      chain: chainAll.subarray(0, done * nw * n),
      lnprob: lnpAll.subarray(0, done * nw),
      accepted,
      iterations: done,
      nwalkers: nw,
      ndim: n,
    },
  };
}

const EMCEE_OPTION_KEYS = optionKeys<EmceeOptions>({
  nwalkers: true,
  steps: true,
  burn: true,
  thin: true,
  a: true,
  seed: true,
  initialSpread: true,
  pos: true,
  resume: true,
  lower: true,
  upper: true,
  callback: true,
});

/**
 * The same sampler under its earlier name.
 *
 * @example
 * ```ts
 * import { emceeSample } from "./emcee.ts";
 * const r = emceeSample((x) => -0.5 * x[0] ** 2, Float64Array.of(0.1), { steps: 10, nwalkers: 4, seed: 1 });
 * r.nsteps; // 10
 * ```
 *
 * @category Solvers
 */
export const emceeSample: (
  logProb: (x: Float64Array) => number,
  x0: Float64Array,
  options?: EmceeOptions,
) => EmceeResult = emcee;

/**
 * Quantile `q` (0..1) of column `d` of a row-major samples × n array (linear interpolation, as
 * numpy's default).
 *
 * @example
 * ```ts
 * import { columnQuantile } from "./emcee.ts";
 * columnQuantile(Float64Array.of(1, 10, 2, 20, 3, 30), 2, 1, 0.5); // 20
 * ```
 *
 * @category Solvers
 */
export function columnQuantile(samples: Float64Array, n: number, d: number, q: number): number {
  return quantiles(samples, n, [q])[d][0];
}

/**
 * Quantiles `q` (each in [0, 1]) of every column of a row-major samples × n array, with numpy's
 * linear interpolation: result[d][k] is quantile q[k] of variable d.
 *
 * @param flatchain Samples × n, row-major.
 * @param n Number of variables.
 * @param q Quantile levels in [0, 1].
 * @returns One `Float64Array` of `q.length` values per variable.
 * @example
 * ```ts
 * import { quantiles } from "./emcee.ts";
 * quantiles(Float64Array.of(1, 2, 3, 4, 5), 1, [0.25, 0.5]); // [[2, 3]]
 * ```
 *
 * @category Solvers
 */
export function quantiles(
  flatchain: Float64Array,
  n: number,
  q: readonly number[],
): Float64Array[] {
  if (!(n >= 1) || flatchain.length === 0 || flatchain.length % n !== 0) {
    throw new RangeError(
      `quantiles: flatchain length ${flatchain.length} is not a positive multiple of n = ${n}`,
    );
  }
  for (const v of q) {
    if (!(v >= 0 && v <= 1)) throw new RangeError(`quantiles: levels must be in [0, 1], got ${v}`);
  }
  const m = flatchain.length / n;
  const col = new Float64Array(m);
  const out: Float64Array[] = [];
  for (let d = 0; d < n; d++) {
    for (let i = 0; i < m; i++) col[i] = flatchain[i * n + d];
    col.sort();
    const res = new Float64Array(q.length);
    q.forEach((level, k) => {
      const p = level * (m - 1);
      const lo = Math.floor(p), hi = Math.min(lo + 1, m - 1);
      res[k] = col[lo] + (col[hi] - col[lo]) * (p - lo);
    });
    out.push(res);
  }
  return out;
}

/**
 * Sample correlation matrix (n×n, row-major) of the columns of a row-major samples × n array.
 *
 * @param flatchain Samples × n, row-major.
 * @param n Number of variables.
 * @returns Correlation coefficients, 1 on the diagonal (NaN for a constant column).
 * @example
 * ```ts
 * import { chainCorrelation } from "./emcee.ts";
 * chainCorrelation(Float64Array.of(1, 2, 2, 4, 3, 6), 2); // [1, 1, 1, 1]
 * ```
 *
 * @category Solvers
 */
export function chainCorrelation(flatchain: Float64Array, n: number): Float64Array {
  if (!(n >= 1) || flatchain.length < 2 * n || flatchain.length % n !== 0) {
    throw new RangeError(
      `chainCorrelation: flatchain length ${flatchain.length} must be a multiple of n = ${n} with at least two samples`,
    );
  }
  const m = flatchain.length / n;
  const mean = new Float64Array(n);
  for (let i = 0; i < m; i++) for (let d = 0; d < n; d++) mean[d] += flatchain[i * n + d];
  for (let d = 0; d < n; d++) mean[d] /= m;
  const cov = new Float64Array(n * n);
  for (let i = 0; i < m; i++) {
    const o = i * n;
    for (let p = 0; p < n; p++) {
      const dp = flatchain[o + p] - mean[p];
      for (let q = p; q < n; q++) cov[p * n + q] += dp * (flatchain[o + q] - mean[q]);
    }
  }
  const out = new Float64Array(n * n);
  for (let p = 0; p < n; p++) {
    for (let q = p; q < n; q++) {
      const c = cov[p * n + q] / Math.sqrt(cov[p * n + p] * cov[q * n + q]);
      out[p * n + q] = c;
      out[q * n + p] = c;
    }
  }
  return out;
}
