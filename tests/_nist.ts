/**
 * NIST StRD nonlinear-regression problems (tests/testdata/nist): loading per the README's
 * rules, and scoring by LRE (log relative error = matching significant digits).
 */

const dir = new URL("./testdata/nist/", import.meta.url);

/** One NIST problem. */
export interface NistProblem {
  name: string;
  difficulty: string;
  /** Predictor columns (one, or two for Nelson). */
  x: Float64Array[];
  /** Response (log(y) for Nelson). */
  y: Float64Array;
  formula: string;
  nparams: number;
  start1: number[];
  start2: number[];
  certified: number[];
  certifiedStderr: number[];
  certifiedSsr: number;
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

/** Loads a problem by name; checks the row count against the certified observation count. */
export function loadNist(name: string): NistProblem {
  const m = models.find((e) => e.name === name);
  if (!m) throw new RangeError(`no NIST problem '${name}'`);
  const lines = Deno.readTextFileSync(new URL(m.file, dir)).split(/\r?\n/);
  const range = lines.map((l) => /Data\s+\(lines\s+(\d+)\s+to\s+(\d+)\)/.exec(l)).find((r) => r);
  if (!range) throw new Error(`${m.file}: no data range line`);
  const rows = lines.slice(Number(range[1]) - 1, Number(range[2])).map((l) =>
    l.trim().split(/\s+/).map(Number)
  );
  if (rows.length !== m.nobs) throw new Error(`${m.file}: ${rows.length} rows, expected ${m.nobs}`);
  let y = Float64Array.from(rows, (r) => r[0]);
  if (m.response === "log(y)") y = y.map(Math.log);
  const x = m.xvars.map((_, j) => Float64Array.from(rows, (r) => r[j + 1]));
  return {
    name: m.name,
    difficulty: m.difficulty,
    x,
    y,
    formula: m.formula,
    nparams: m.nparams,
    start1: m.start1,
    start2: m.start2,
    certified: m.certified,
    certifiedStderr: m.certified_stderr,
    certifiedSsr: m.certified_ssr,
  };
}

/** Matching significant digits: −log10(|v − c|/|c|), capped at 11; 0 when not even one digit. */
export function lre(value: number, certified: number): number {
  if (!Number.isFinite(value)) return 0;
  if (value === certified) return 11;
  const rel = certified === 0 ? Math.abs(value) : Math.abs(value - certified) / Math.abs(certified);
  const l = -Math.log10(rel);
  return Math.max(0, Math.min(11, l));
}
