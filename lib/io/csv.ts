/**
 * Reading numeric columns from CSV text (headers, quoted fields, `#` comments), with
 * malformed rows reported by line number. Parsing is done by the `csv-parse` package.
 *
 * @module
 */

// Pinned here rather than in deno.json, so that a script importing this library by path (outside
// the checkout, or in Deno's Jupyter kernel) resolves it without our config.
// deno-lint-ignore no-import-prefix
import { parse } from "npm:csv-parse@6.2.0/sync";

/**
 * A numeric table read from CSV.
 *
 * @example
 * ```ts
 * import { type CsvTable, readCsv } from "./csv.ts";
 * const table: CsvTable = readCsv("1,2\n3,4\n5,6\n");
 * table.columns; // ["col1", "col2"]: no header row
 * table.rows; // 3
 * table.data.col2; // Float64Array [2, 4, 6]
 * ```
 *
 * @category Input/output
 */
export interface CsvTable {
  /** Column names, from the header row (or `col1`, `col2`, ... without one). */
  columns: string[];
  /** Each column as a Float64Array, by name. */
  data: Record<string, Float64Array>;
  /** Number of data rows. */
  rows: number;
}

/**
 * Thrown for malformed CSV; `line` is 1-based.
 *
 * @example
 * ```ts
 * import { CsvError, readCsv } from "./csv.ts";
 * try {
 *   readCsv("x,y\n1,2\n3,abc\n");
 * } catch (e) {
 *   (e as CsvError).line; // 3
 *   (e as CsvError).message; // "line 3, column 'y': 'abc' is not a number"
 * }
 * ```
 *
 * @category Input/output
 */
export class CsvError extends SyntaxError {
  /** Line of the problem (1-based), or 0 when not tied to a line. */
  readonly line: number;
  /** Creates the error with its message and line. */
  constructor(message: string, line: number) {
    super(message);
    this.name = "CsvError";
    this.line = line;
  }
}

/**
 * Options of `readCsv`.
 *
 * @example
 * ```ts
 * import { readCsv, type ReadCsvOptions } from "./csv.ts";
 * const options: ReadCsvOptions = { delimiter: ";", comment: "%", header: true };
 * const table = readCsv("% spectrum\nenergy;counts\n1.5;10\n2.5;12\n", options);
 * table.data.counts; // Float64Array [10, 12]
 * ```
 *
 * @category Input/output
 */
export interface ReadCsvOptions {
  /** Whether the first non-comment row holds column names. @default detected: true when any field of it is not a number */
  header?: boolean;
  /** Field delimiter. @default "," */
  delimiter?: string;
  /** Comment character. @default "#" */
  comment?: string;
}

/**
 * Parses CSV text into numeric columns. Every data field must be a number (`nan`, `inf` and
 * empty fields read as NaN); a row with the wrong number of fields or a non-numeric field
 * throws a `CsvError` naming the line.
 *
 * @example
 * ```ts
 * import { readCsv } from "./csv.ts";
 * const t = readCsv("# my data\nx,y\n1,2\n2,4.5\n");
 * t.columns; // ["x", "y"]
 * t.data.y; // Float64Array [2, 4.5]
 * ```
 *
 * @category Input/output
 */
export function readCsv(text: string, options: ReadCsvOptions = {}): CsvTable {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      delimiter: options.delimiter ?? ",",
      comment: options.comment ?? "#",
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (e) {
    const err = e as { message: string; lines?: number };
    throw new CsvError(`CSV syntax error: ${err.message}`, err.lines ?? 0);
  }
  if (records.length === 0) throw new CsvError("CSV has no rows", 0);
  const first = records[0].record;
  const isNum = (s: string) =>
    s === "" || /^(nan|[+-]?inf(inity)?)$/i.test(s) || Number.isFinite(Number(s));
  const header = options.header ?? first.some((f) => !isNum(f));
  const columns = header
    ? first.map((c, i) => c || `col${i + 1}`)
    : first.map((_, i) => `col${i + 1}`);
  const dupes = columns.filter((c, i) => columns.indexOf(c) !== i);
  if (dupes.length) {
    throw new CsvError(
      `CSV header repeats column name(s): ${[...new Set(dupes)].join(", ")}`,
      records[0].info.lines,
    );
  }
  const body = header ? records.slice(1) : records;
  const cols = columns.map(() => new Float64Array(body.length));
  body.forEach(({ record, info }, r) => {
    if (record.length !== columns.length) {
      throw new CsvError(
        `line ${info.lines}: expected ${columns.length} fields (${
          columns.join(", ")
        }), found ${record.length}`,
        info.lines,
      );
    }
    record.forEach((field, c) => {
      const v = parseNumber(field);
      if (v === null) {
        throw new CsvError(
          `line ${info.lines}, column '${columns[c]}': '${field}' is not a number`,
          info.lines,
        );
      }
      cols[c][r] = v;
    });
  });
  const data: Record<string, Float64Array> = {};
  columns.forEach((c, i) => (data[c] = cols[i]));
  return { columns, data, rows: body.length };
}

function parseNumber(s: string): number | null {
  if (s === "" || /^nan$/i.test(s)) return NaN;
  if (/^[+]?inf(inity)?$/i.test(s)) return Infinity;
  if (/^-inf(inity)?$/i.test(s)) return -Infinity;
  const v = Number(s);
  return Number.isFinite(v) ? v : null;
}

/**
 * Reads a CSV file (see `readCsv`). Async; needs read permission.
 *
 * @example
 * ```ts ignore
 * import { readCsvFile } from "./csv.ts";
 * const table = await readCsvFile("examples/data/two_peaks.csv");
 * ```
 *
 * @category Input/output
 */
export async function readCsvFile(path: string, options: ReadCsvOptions = {}): Promise<CsvTable> {
  return readCsv(await Deno.readTextFile(path), options);
}
