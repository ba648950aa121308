/**
 * NIST StRD nonlinear-regression problems (tests/testdata/nist): loading per the README's
 * rules, residual functions for solver-level tests, and scoring by LRE (log relative error =
 * matching significant digits). Test-only helper shared by the solver, minimizer and benchmark
 * suites.
 *
 * @module
 */

import type { VectorFunction } from "../lib/solvers/types.ts";

const dir = new URL("./testdata/nist/", import.meta.url);

/** One NIST problem. */
export interface NistProblem {
  /** Problem name, e.g. `"Misra1a"`. */
  name: string;
  /** NIST level of difficulty: `"lower"`, `"average"` or `"higher"`. */
  difficulty: string;
  /** Predictor columns (one, or two for Nelson: x1, x2). */
  x: Float64Array[];
  /** Response the formula predicts (log(y) for Nelson). */
  y: Float64Array;
  /** JavaScript/Python expression of the model in `x` (or `x1`, `x2`) and `b1..bN`. */
  formula: string;
  /** Number of parameters. */
  nparams: number;
  /** Start 1 (the far one). */
  start1: number[];
  /** Start 2 (the near one). */
  start2: number[];
  /** Certified parameter values. */
  certified: number[];
  /** Certified standard deviations `sqrt(diag(s²(JᵀJ)⁻¹))`, s² = SSR/(n−p). */
  certifiedStderr: number[];
  /** Certified residual sum of squares. */
  certifiedSsr: number;
  /** `"y"`, or `"log(y)"` for Nelson. */
  response: string;
}

interface ModelEntry {
  name: string;
  difficulty: string;
  file: string;
  formula: string;
  nparams: number;
  nobs: number;
  xvars: string[];
  response: string;
  start1: number[];
  start2: number[];
  certified: number[];
  certified_stderr: number[];
  certified_ssr: number;
}

const models: ModelEntry[] = JSON.parse(Deno.readTextFileSync(new URL("models.json", dir)));

/** The 27 problem names, in models.json order (alphabetical). */
export const NIST_PROBLEM_NAMES: readonly string[] = Object.freeze(models.map((m) => m.name));

/** Relative agreement of two numbers written to ~11 digits in different places. */
function agrees(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
}

/**
 * Loads a problem by name. The data block, the parameter rows and the statistics are parsed
 * from the `.dat` file (data range from the `Data (lines A to B)` header, parameter rows
 * `bK = start1 start2 certified stderr`, statistics from lines that start with their label) and
 * cross-checked against models.json, which supplies the formula.
 *
 * @example
 * ```ts
 * const p = loadNist("Misra1a");
 * p.y.length; // 14
 * ```
 */
export function loadNist(name: string): NistProblem {
  const m = models.find((e) => e.name === name);
  if (!m) {
    throw new RangeError(
      `no NIST problem '${name}'; choose one of ${NIST_PROBLEM_NAMES.join(", ")}`,
    );
  }
  const lines = Deno.readTextFileSync(new URL(m.file, dir)).split(/\r?\n/);
  const range = lines.map((l) => /Data\s+\(lines\s+(\d+)\s+to\s+(\d+)\)/.exec(l)).find((r) => r);
  if (!range) throw new Error(`${m.file}: no 'Data (lines A to B)' header`);
  const first = Number(range[1]) - 1, last = Number(range[2]);
  const rows = lines.slice(first, last).map((l) => l.trim().split(/\s+/).map(Number));
  const stat = (label: string): number => {
    const line = lines.slice(0, first).find((l) => l.startsWith(label));
    if (!line) throw new Error(`${m.file}: no '${label}' line`);
    return Number(line.slice(line.indexOf(":") + 1).trim());
  };
  const nobs = stat("Number of Observations");
  if (rows.length !== nobs || nobs !== m.nobs) {
    throw new Error(`${m.file}: ${rows.length} data rows, header says ${nobs}`);
  }
  if (rows.some((r) => r.length !== m.xvars.length + 1 || r.some((v) => !Number.isFinite(v)))) {
    throw new Error(`${m.file}: a data row is not ${m.xvars.length + 1} numbers`);
  }
  const params = lines.slice(0, first).map((l) => /^\s*b(\d+)\s*=\s*(.*)$/.exec(l)).filter((r) =>
    r !== null
  ).map((r) => r[2].trim().split(/\s+/).map(Number));
  if (params.length !== m.nparams || params.some((p) => p.length !== 4)) {
    throw new Error(`${m.file}: expected ${m.nparams} parameter rows of 4 numbers`);
  }
  const col = (k: number) => params.map((p) => p[k]);
  const certified = col(2),
    certifiedStderr = col(3),
    certifiedSsr = stat("Residual Sum of Squares");
  const check = (what: string, a: number[], b: number[]) => {
    if (!a.every((v, i) => agrees(v, b[i]))) {
      throw new Error(`${m.file}: ${what} [${a}] disagrees with models.json [${b}]`);
    }
  };
  check("start 1", col(0), m.start1);
  check("start 2", col(1), m.start2);
  check("certified values", certified, m.certified);
  check("certified stderr", certifiedStderr, m.certified_stderr);
  check("certified SSR", [certifiedSsr], [m.certified_ssr]);
  let y = Float64Array.from(rows, (r) => r[0]);
  if (m.response === "log(y)") y = y.map(Math.log);
  else if (m.response !== "y") throw new Error(`${m.file}: unknown response '${m.response}'`);
  const x = m.xvars.map((_, j) => Float64Array.from(rows, (r) => r[j + 1]));
  return {
    name: m.name,
    difficulty: m.difficulty,
    x,
    y,
    formula: m.formula,
    nparams: m.nparams,
    start1: col(0),
    start2: col(1),
    certified,
    certifiedStderr,
    certifiedSsr,
    response: m.response,
  };
}

/**
 * Residual `f(x; b) − y` of a problem as a solver-level `VectorFunction` of `b`. The formula
 * (trusted reference data, test-only) is compiled with `new Function` as the README describes.
 *
 * @example
 * ```ts
 * const p = loadNist("Misra1a");
 * const out = new Float64Array(p.y.length);
 * nistResidual(p)(Float64Array.from(p.certified), out); // sum of out² ≈ p.certifiedSsr
 * ```
 */
export function nistResidual(problem: NistProblem): VectorFunction {
  const { x, y, nparams, formula } = problem;
  const decl = [
    "const {exp,log,cos,sin,atan,sqrt}=Math; const pi=Math.PI;",
    ...Array.from({ length: nparams }, (_, k) => `const b${k + 1}=b[${k}];`),
    "for (let i = 0; i < Y.length; i++) {",
    x.length === 1 ? "const x=X[0][i];" : "const x1=X[0][i], x2=X[1][i];",
    `out[i] = (${formula}) - Y[i];`,
    "}",
  ].join("\n");
  const loop = new Function("X", "Y", "b", "out", decl) as (
    X: Float64Array[],
    Y: Float64Array,
    b: Float64Array,
    out: Float64Array,
  ) => void;
  return (b: Float64Array, out: Float64Array): void => loop(x, y, b, out);
}

/**
 * Matching significant digits: −log10(|v − c|/|c|), capped at 11; 0 when not even one digit
 * matches or `value` is not finite.
 *
 * @example
 * ```ts
 * lre(1.0000001, 1); // ≈ 7
 * ```
 */
export function lre(value: number, certified: number): number {
  if (!Number.isFinite(value)) return 0;
  if (value === certified) return 11;
  const rel = certified === 0 ? Math.abs(value) : Math.abs(value - certified) / Math.abs(certified);
  const l = -Math.log10(rel);
  return Math.max(0, Math.min(11, l));
}

/** One scored NIST case, as `scoreTable` prints it. */
export interface NistScoreRow {
  /** Problem name. */
  name: string;
  /** Start 1 or 2. */
  start: 1 | 2;
  /** Whether the solver reported success. */
  success: boolean;
  /** Minimum LRE of the values over the parameters. */
  lreValues: number;
  /** Minimum LRE of the standard errors (0 when none could be estimated). */
  lreStderr: number;
  /** Residual evaluations. */
  nfev: number;
  /** The solver's message (printed for failures). */
  message: string;
}

/**
 * Fixed-width table of scored cases plus the two summary counts (values ≥ 6 digits, stderr
 * ≥ 4 digits).
 *
 * @example
 * ```ts
 * scoreTable([{ name: "Misra1a", start: 1, success: true, lreValues: 8.5, lreStderr: 8.3, nfev: 60, message: "" }]);
 * ```
 */
export function scoreTable(rows: readonly NistScoreRow[]): string {
  const v6 = rows.filter((s) => s.lreValues >= 6).length;
  const s4 = rows.filter((s) => s.lreStderr >= 4).length;
  const nfev = rows.reduce((a, s) => a + s.nfev, 0);
  const body = rows.map((s) =>
    `${s.name.padEnd(9)} ${s.start}  values ${s.lreValues.toFixed(1).padStart(4)}  stderr ${
      s.lreStderr.toFixed(1).padStart(4)
    }  nfev ${String(s.nfev).padStart(5)}  ${s.success ? "ok" : "FAILED: " + s.message}`
  );
  return [
    ...body,
    `values >= 6 digits: ${v6}/${rows.length}, stderr >= 4 digits: ${s4}/${rows.length}, ` +
    `total nfev ${nfev}`,
  ].join("\n");
}
