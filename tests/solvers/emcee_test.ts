import assert from "node:assert/strict";
import { chainCorrelation, columnQuantile, emcee, quantiles } from "../../lib/solvers/emcee.ts";

// A correlated 2-D Gaussian: mean (1, −2), sd (1, 2), correlation 0.8.
const MU = [1, -2], SD = [1, 2], RHO = 0.8;
const gauss = (x: Float64Array): number => {
  const u = (x[0] - MU[0]) / SD[0], v = (x[1] - MU[1]) / SD[1];
  return -0.5 * (u * u - 2 * RHO * u * v + v * v) / (1 - RHO * RHO);
};

Deno.test("emcee samples a correlated 2-D Gaussian: means, sds, correlation and quantiles", () => {
  const r = emcee(gauss, Float64Array.of(0.5, -1), {
    nwalkers: 32,
    steps: 3000,
    burn: 500,
    thin: 5,
    seed: 2024,
    initialSpread: 0.5,
  });
  assert.equal(r.nsteps, 500);
  const n = 2, rows = r.flatchain.length / n;
  assert.equal(rows, 500 * 32);
  const mean = [0, 0];
  for (let i = 0; i < rows; i++) {
    for (let d = 0; d < n; d++) mean[d] += r.flatchain[i * n + d] / rows;
  }
  const sd = [0, 0];
  for (let i = 0; i < rows; i++) {
    for (let d = 0; d < n; d++) sd[d] += (r.flatchain[i * n + d] - mean[d]) ** 2 / (rows - 1);
  }
  // Monte-Carlo error: ~2.5e4 independent-ish draws / autocorrelation ~ 1e3 effective → 3% of sd.
  for (let d = 0; d < n; d++) {
    assert.ok(Math.abs(mean[d] - MU[d]) < 0.12 * SD[d], `mean[${d}] = ${mean[d]}`);
    assert.ok(Math.abs(Math.sqrt(sd[d]) / SD[d] - 1) < 0.1, `sd[${d}] = ${Math.sqrt(sd[d])}`);
  }
  const corr = chainCorrelation(r.flatchain, n);
  assert.equal(corr[0], 1);
  assert.equal(corr[3], 1);
  assert.equal(corr[1], corr[2]);
  assert.ok(Math.abs(corr[1] - RHO) < 0.04, `correlation ${corr[1]}`);
  // Gaussian quantiles: median = mean, 15.87/84.13 % = mean ∓ sd.
  const q = quantiles(r.flatchain, n, [0.15865, 0.5, 0.84135]);
  for (let d = 0; d < n; d++) {
    assert.ok(Math.abs(q[d][1] - MU[d]) < 0.12 * SD[d], `median[${d}] = ${q[d][1]}`);
    assert.ok(Math.abs((q[d][2] - q[d][0]) / 2 / SD[d] - 1) < 0.1, `half 68% width [${d}]`);
  }
  // Acceptance fraction of the stretch move on a 2-D Gaussian: ~0.5–0.7.
  for (const f of r.acceptanceFraction) assert.ok(f > 0.3 && f < 0.85, `acceptance ${f}`);
  assert.equal(r.nfev, 3000 * 32); // walkers · steps, as emcee and lmfit count
  assert.ok(r.maxLnprob > -0.01 && r.maxLnprob <= 0);
});

Deno.test("emcee keeps steps as emcee 3's get_chain(discard=burn, thin=thin), as lmfit 1.1.0", () => {
  // emcee 3 keeps steps burn+thin−1, burn+2·thin−1, … (0-based); lmfit 0.9's chain[burn::thin]
  // kept burn, burn+thin, … instead.
  const full = emcee(gauss, Float64Array.of(1, -2), { nwalkers: 6, steps: 10, seed: 1 });
  const r = emcee(gauss, Float64Array.of(1, -2), {
    nwalkers: 6,
    steps: 10,
    burn: 0,
    thin: 3,
    seed: 1,
  });
  assert.equal(r.nsteps, 3); // steps 2, 5, 8
  assert.equal(r.chain.length, 3 * 6 * 2);
  assert.equal(r.lnprob.length, 3 * 6);
  assert.equal(r.flatchain.length, r.chain.length);
  for (const [k, step] of [[0, 2], [1, 5], [2, 8]]) {
    assert.deepEqual(
      r.chain.subarray(k * 12, k * 12 + 12),
      full.chain.subarray(step * 12, step * 12 + 12),
    );
  }
  const b = emcee(gauss, Float64Array.of(1, -2), {
    nwalkers: 6,
    steps: 10,
    burn: 4,
    thin: 2,
    seed: 1,
  });
  assert.equal(b.nsteps, 3); // steps 5, 7, 9
  assert.deepEqual(b.chain.subarray(0, 12), full.chain.subarray(5 * 12, 6 * 12));
  assert.deepEqual(b.lnprob.subarray(6, 12), full.lnprob.subarray(7 * 6, 8 * 6));
  assert.deepEqual(b.state.chain, full.chain, "the state keeps every step");
  // lnprob matches the chain.
  for (let k = 0; k < full.lnprob.length; k++) {
    assert.equal(full.lnprob[k], gauss(full.chain.subarray(k * 2, k * 2 + 2)));
  }
});

Deno.test("emcee starts from pos and goes on from a previous run with resume", () => {
  const pos = Float64Array.from({ length: 8 * 2 }, (_, i) => (i % 2 === 0 ? 1 : -2) + 0.01 * i);
  const a = emcee(gauss, Float64Array.of(0, 0), { pos, steps: 1, seed: 5 });
  assert.equal(a.nwalkers, 8);
  // After one step every walker is either where pos put it or moved along a stretch line.
  let stayed = 0;
  for (let k = 0; k < 8; k++) {
    if (a.chain[2 * k] === pos[2 * k] && a.chain[2 * k + 1] === pos[2 * k + 1]) stayed++;
  }
  assert.equal(stayed, 8 - a.acceptanceFraction.reduce((s, f) => s + f, 0));
  assert.throws(
    () => emcee(gauss, Float64Array.of(0, 0), { pos, nwalkers: 10 }),
    /pos holds 8 walkers/,
  );
  assert.throws(
    () => emcee(gauss, Float64Array.of(0, 0), { pos: pos.subarray(1) }),
    /multiple of n = 2/,
  );

  // resume: the second run continues the first run's chain from its last positions.
  const first = emcee(gauss, Float64Array.of(1, -2), { nwalkers: 6, steps: 20, seed: 7 });
  const second = emcee(gauss, Float64Array.of(1, -2), {
    steps: 10,
    burn: 5,
    thin: 3,
    seed: 8,
    resume: first.state,
  });
  assert.equal(second.nwalkers, 6);
  assert.equal(second.state.iterations, 30);
  assert.equal(second.nsteps, Math.floor((30 - 5) / 3)); // lmfit's reused sampler: 8
  assert.equal(second.nfev, 6 * 10);
  assert.deepEqual(second.state.chain.subarray(0, 20 * 12), first.state.chain);
  assert.deepEqual(second.chain.subarray(0, 12), first.state.chain.subarray(7 * 12, 8 * 12));
  assert.throws(
    () => emcee(gauss, Float64Array.of(1, -2, 0), { resume: first.state, nwalkers: 6 }),
    /cannot resume a run over 2 variables with 3/,
  );
});

Deno.test("emcee is reproducible with a seed and different without the same one", () => {
  const o = { nwalkers: 8, steps: 50, seed: 9 };
  const a = emcee(gauss, Float64Array.of(1, -2), o);
  const b = emcee(gauss, Float64Array.of(1, -2), o);
  const c = emcee(gauss, Float64Array.of(1, -2), { ...o, seed: 10 });
  assert.deepEqual(a.chain, b.chain);
  assert.deepEqual(a.acceptanceFraction, b.acceptanceFraction);
  assert.notDeepEqual(a.chain, c.chain);
});

Deno.test("emcee keeps walkers inside lower/upper bounds", () => {
  // Half-normal on x ≥ 0 via a lower bound: E[x] = sqrt(2/π).
  const r = emcee((x) => -0.5 * x[0] * x[0], Float64Array.of(0.5), {
    nwalkers: 20,
    steps: 2000,
    burn: 200,
    seed: 4,
    initialSpread: Float64Array.of(0.3),
    lower: Float64Array.of(0),
  });
  let mean = 0;
  for (const v of r.flatchain) {
    assert.ok(v >= 0);
    mean += v / r.flatchain.length;
  }
  assert.ok(Math.abs(mean - Math.sqrt(2 / Math.PI)) < 0.05, `mean ${mean}`);
});

Deno.test("emcee callback abort stops sampling with the steps so far", () => {
  const r = emcee(gauss, Float64Array.of(1, -2), {
    nwalkers: 6,
    steps: 100,
    seed: 3,
    callback: (_x, step) => step === 9,
  });
  assert.equal(r.aborted, true);
  assert.equal(r.nsteps, 10);
  assert.equal(r.chain.length, 10 * 6 * 2);
  for (const f of r.acceptanceFraction) assert.ok(f >= 0 && f <= 1);
});

Deno.test("emcee rejects bad input with messages naming the value", () => {
  const x0 = Float64Array.of(1, -2);
  assert.throws(() => emcee(gauss, x0, { nwalkers: 3 }), /walkers >= 2·n = 4, got 3/);
  assert.throws(
    () => emcee(gauss, x0, { steps: 10, burn: 10 }),
    /burn \(10\) and thin \(1\) keep no step of 10/,
  );
  assert.throws(() => emcee(gauss, x0, { thin: 0 }), /thin must be a positive integer, got 0/);
  assert.throws(() => emcee(gauss, x0, { a: 1 }), /a must be > 1/);
  assert.throws(
    () => emcee((x) => (x[0] > 5 ? 0 : -Infinity), x0, { nwalkers: 4, steps: 2 }),
    /could not place walker 0/,
  );
});

Deno.test("quantiles and chainCorrelation follow numpy on small arrays", () => {
  // numpy.percentile([3, 1, 4, 1, 5], [0, 25, 50, 90, 100]) = [1, 1, 3, 4.6, 5]
  const q = quantiles(Float64Array.of(3, 1, 4, 1, 5), 1, [0, 0.25, 0.5, 0.9, 1]);
  const want = [1, 1, 3, 4.6, 5];
  q[0].forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-12, `q${i} ${v}`));
  assert.equal(columnQuantile(Float64Array.of(1, 10, 2, 20, 3, 30), 2, 1, 0.5), 20);
  // numpy.corrcoef([1, 2, 3, 4], [2, 1, 4, 3])[0, 1] = 0.6
  const c = chainCorrelation(Float64Array.of(1, 2, 2, 1, 3, 4, 4, 3), 2);
  assert.ok(Math.abs(c[1] - 0.6) < 1e-12);
  assert.throws(
    () => quantiles(Float64Array.of(1, 2, 3), 2, [0.5]),
    /not a positive multiple of n = 2/,
  );
  assert.throws(
    () => quantiles(Float64Array.of(1, 2), 1, [1.5]),
    /levels must be in \[0, 1\], got 1.5/,
  );
});
