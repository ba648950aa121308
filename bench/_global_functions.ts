/**
 * scipy's global-optimisation test functions (scipy `benchmarks/go_benchmark_functions`, the set
 * its dual_annealing and shgo are measured on), with their boxes and global minima; the same
 * definitions in Python live in `scripts/global_quality_scipy.py`.
 */

/** A test problem: objective, box and known global minimum. */
export interface GlobalProblem {
  /** Name as in scipy's benchmark suite, with the dimension. */
  name: string;
  /** Objective. */
  f: (x: Float64Array) => number;
  /** Lower bounds. */
  lower: Float64Array;
  /** Upper bounds. */
  upper: Float64Array;
  /** Global minimum value. */
  fglob: number;
}

const box = (n: number, lo: number, hi: number) => ({
  lower: new Float64Array(n).fill(lo),
  upper: new Float64Array(n).fill(hi),
});

const eggholder = (x: Float64Array) =>
  -(x[1] + 47) * Math.sin(Math.sqrt(Math.abs(x[1] + x[0] / 2 + 47))) -
  x[0] * Math.sin(Math.sqrt(Math.abs(x[0] - (x[1] + 47))));
const alpine02 = (x: Float64Array) => {
  let p = 1;
  for (const v of x) p *= Math.sqrt(v) * Math.sin(v);
  return p;
};
const rastrigin = (x: Float64Array) => {
  let s = 10 * x.length;
  for (const v of x) s += v * v - 10 * Math.cos(2 * Math.PI * v);
  return s;
};
const ackley = (x: Float64Array) => {
  let a = 0, b = 0;
  for (const v of x) {
    a += v * v;
    b += Math.cos(2 * Math.PI * v);
  }
  const n = x.length;
  return -20 * Math.exp(-0.2 * Math.sqrt(a / n)) - Math.exp(b / n) + 20 + Math.E;
};
// scipy's Levy03 (n-dimensional Levy function).
const levy = (x: Float64Array) => {
  const n = x.length;
  const w = (v: number) => 1 + (v - 1) / 4;
  let s = Math.sin(Math.PI * w(x[0])) ** 2;
  for (let i = 0; i < n - 1; i++) {
    const wi = w(x[i]);
    s += (wi - 1) ** 2 * (1 + 10 * Math.sin(Math.PI * wi + 1) ** 2);
  }
  const wn = w(x[n - 1]);
  return s + (wn - 1) ** 2 * (1 + Math.sin(2 * Math.PI * wn) ** 2);
};
// scipy's Schwefel26.
const schwefel = (x: Float64Array) => {
  let s = 418.982887 * x.length;
  for (const v of x) s -= v * Math.sin(Math.sqrt(Math.abs(v)));
  return s;
};
const griewank = (x: Float64Array) => {
  let s = 0, p = 1;
  for (let i = 0; i < x.length; i++) {
    s += x[i] * x[i] / 4000;
    p *= Math.cos(x[i] / Math.sqrt(i + 1));
  }
  return s - p + 1;
};
// scipy's Shubert01 (2-D, 18 global minima).
const shubert = (x: Float64Array) => {
  let p = 1;
  for (const v of x) {
    let s = 0;
    for (let j = 1; j <= 5; j++) s += j * Math.cos((j + 1) * v + j);
    p *= s;
  }
  return p;
};

/** The problems, in the order the bench prints them. */
export const PROBLEMS: GlobalProblem[] = [
  { name: "Eggholder 2-D", f: eggholder, ...box(2, -512, 512), fglob: -959.640662711 },
  { name: "Alpine02 2-D", f: alpine02, ...box(2, 0, 10), fglob: -6.1295059 },
  { name: "Rastrigin 2-D", f: rastrigin, ...box(2, -5.12, 5.12), fglob: 0 },
  { name: "Rastrigin 5-D", f: rastrigin, ...box(5, -5.12, 5.12), fglob: 0 },
  { name: "Ackley01 2-D", f: ackley, ...box(2, -35, 35), fglob: 0 },
  { name: "Ackley01 5-D", f: ackley, ...box(5, -35, 35), fglob: 0 },
  { name: "Levy03 4-D", f: levy, ...box(4, -10, 10), fglob: 0 },
  { name: "Schwefel26 2-D", f: schwefel, ...box(2, -500, 500), fglob: 2.545567e-5 },
  { name: "Schwefel26 4-D", f: schwefel, ...box(4, -500, 500), fglob: 5.091134e-5 },
  { name: "Griewank 4-D", f: griewank, ...box(4, -100, 100), fglob: 0 },
  { name: "Shubert01 2-D", f: shubert, ...box(2, -10, 10), fglob: -186.7309 },
];

/** Whether `f` reaches the global minimum: within 1e-4·max(1, |fglob|) of it (scipy's bench rule). */
export function reached(p: GlobalProblem, f: number): boolean {
  return f <= p.fglob + 1e-4 * Math.max(1, Math.abs(p.fglob));
}
