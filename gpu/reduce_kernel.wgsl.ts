/**
 * WGSL kernel for one huge dataset: each invocation walks a strided share of the points and
 * accumulates chi-square, Jᵀr and the upper triangle of JᵀJ with Kahan-compensated f32 sums,
 * writing its partial sums; the host adds the partials in f64 (pairwise) and solves the small
 * LM system in f64.
 *
 * @module
 */

/** What the reduction kernel needs. */
export interface ReduceKernelSpec {
  /** Parameters. */
  P: number;
  /** Independent variables. */
  nVars: number;
  /** Whether weights are given. */
  weighted: boolean;
  /** WGSL model body and outputs (f and ∂f/∂p). */
  modelCode: string;
  outputs: string[];
}

/** Sums per invocation: chi-square, P gradient terms, P(P+1)/2 normal-matrix terms. */
export function reduceTerms(P: number): number {
  return 1 + P + (P * (P + 1)) / 2;
}

/** WGSL source of the reduction kernel (workgroup size 64). */
export function reduceKernelWgsl(spec: ReduceKernelSpec): string {
  const { P, nVars, weighted, modelCode, outputs } = spec;
  const K = reduceTerms(P);
  const NV = Math.max(1, nVars);
  const loads = Array.from({ length: nVars }, (_, v) => `xv[${v}] = xs[${v}u * cfg.n + i];`).join(
    "\n      ",
  );
  return /* wgsl */ `
const P: u32 = ${P}u;
const K: u32 = ${K}u;

struct Cfg {
  n: u32,
  threads: u32,
  withJ: u32,
  pad: u32,
}

@group(0) @binding(0) var<storage, read> ys: array<f32>;
@group(0) @binding(1) var<storage, read> xs: array<f32>;
@group(0) @binding(2) var<storage, read> ws: array<f32>;
@group(0) @binding(3) var<storage, read> pin: array<f32>;
@group(0) @binding(4) var<storage, read_write> partial: array<f32>;
@group(0) @binding(5) var<uniform> cfg: Cfg;

fn model(xv: array<f32, ${NV}>, p: array<f32, ${P}>) -> array<f32, ${P + 1}> {
    ${modelCode}
    return array<f32, ${P + 1}>(${outputs.join(", ")});
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let t = gid.x;
  if (t >= cfg.threads) { return; }
  var p: array<f32, ${P}>;
  for (var k = 0u; k < P; k++) { p[k] = pin[k]; }
  var sum: array<f32, ${K}>;
  var comp: array<f32, ${K}>;
  var xv: array<f32, ${NV}>;
  var term: array<f32, ${K}>;
  for (var i = t; i < cfg.n; i += cfg.threads) {
      ${loads}
      let ev = model(xv, p);
      let wt = ${weighted ? "ws[i]" : "1.0"};
      let r = (ev[0] - ys[i]) * wt;
      term[0] = r * r;
      var q = 1u + P;
      if (cfg.withJ != 0u) {
        for (var a = 0u; a < P; a++) {
          let ja = ev[a + 1u] * wt;
          term[1u + a] = ja * r;
          for (var c = 0u; c <= a; c++) {
            term[q] = ja * ev[c + 1u] * wt;
            q++;
          }
        }
      }
      let nTerms = select(1u, K, cfg.withJ != 0u);
      for (var k = 0u; k < nTerms; k++) {
        // Kahan summation
        let yk = term[k] - comp[k];
        let tk = sum[k] + yk;
        comp[k] = (tk - sum[k]) - yk;
        sum[k] = tk;
      }
  }
  for (var k = 0u; k < K; k++) { partial[t * K + k] = sum[k]; }
}
`;
}
