/**
 * Reading numeric columns from CSV files: header row, quoted fields, `#` comments, a UTF-8
 * byte-order mark, the delimiter detected (comma, semicolon, tab or whitespace) or given,
 * decimal commas, and empty cells recorded as gaps. Malformed rows are reported by line.
 *
 * The parser is a hand-written pass over the file's bytes that writes each column straight into
 * a `Float64Array`. Why not a library: `csv-parse` (which this module used before) builds an
 * array of strings for every row, so a 1,000,000-row file took 0.7 GB and several seconds to
 * read; the command line's budget is 400 MB and 15 s for reading, fitting and plotting such a
 * file. Numbers with at most 15 significant digits and a decimal exponent within ±22 are
 * converted exactly (Clinger's fast path: one correctly rounded multiplication or division of
 * two exact doubles); every other field goes through `Number`, so results equal `Number(text)`.
 *
 * @module
 */

import { checkOptions, optionKeys } from "../util/options.ts";

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
 * table.delimiter; // ","
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
  /** The field delimiter used (given or detected): `","`, `";"`, `"\t"` or `"whitespace"`. */
  delimiter: string;
  /** The first empty or `nan` cell of each column that has one, by column name. */
  gaps: Record<string, CsvGap>;
}

/**
 * Where a cell is missing (empty or `nan`).
 *
 * @example
 * ```ts
 * import { type CsvGap, readCsv } from "./csv.ts";
 * const gap: CsvGap = readCsv("x,y\n1,2\n2,\n").gaps.y;
 * gap; // { column: "y", row: 2, line: 3 }
 * ```
 *
 * @category Input/output
 */
export interface CsvGap {
  /** Column name. */
  column: string;
  /** Data row, 1-based (the header is not counted). */
  row: number;
  /** Line of the file, 1-based. */
  line: number;
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
 * const options: ReadCsvOptions = { delimiter: ";", decimal: ",", comment: "%", header: true };
 * const table = readCsv("% spectrum\nenergy;counts\n1,5;10\n2,5;12\n", options);
 * table.data.energy; // Float64Array [1.5, 2.5]
 * ```
 *
 * @category Input/output
 */
export interface ReadCsvOptions {
  /** Whether the first non-comment row holds column names. @default detected: true when any field of it is not a number */
  header?: boolean;
  /**
   * Field delimiter: `","`, `";"`, `"\t"` (or `"tab"`), `"whitespace"` (runs of spaces and tabs),
   * or any other single character.
   * @default detected from the first lines: tab, semicolon or comma (not comma when `decimal` is
   * `","`) when every sampled line has the same number of them, otherwise whitespace
   */
  delimiter?: string;
  /** Decimal separator, `"."` or `","`. @default "." */
  decimal?: "." | ",";
  /** Comment character: from it to the end of the line is ignored. @default "#" */
  comment?: string;
}

const READ_CSV_KEYS = optionKeys<ReadCsvOptions>({
  header: true,
  delimiter: true,
  decimal: true,
  comment: true,
});

const NL = 10, CR = 13, SP = 32, TAB = 9, QUOTE = 34, MINUS = 45, PLUS = 43;
const WHITESPACE = -1;
const DECODER = new TextDecoder();
const POW10 = Float64Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));
/** Largest mantissa for which `m * 10 + 9` stays below 2^53. */
const MANTISSA_LIMIT = 900719925474099;

/** Resolves a `delimiter` option to a byte (or `WHITESPACE`). */
function delimiterCode(d: string): number {
  if (d === "whitespace" || d === " ") return WHITESPACE;
  if (d === "tab" || d === "\\t") return TAB;
  if (d.length !== 1 || d.charCodeAt(0) > 127 || `"\r\n`.includes(d)) {
    throw new TypeError(
      `delimiter '${d}': expected one ASCII character such as ',', ';' or '\\t', or 'whitespace'`,
    );
  }
  return d.charCodeAt(0);
}

function delimiterName(code: number): string {
  return code === WHITESPACE ? "whitespace" : String.fromCharCode(code);
}

/** A cursor over the bytes of a CSV file that splits it into fields without allocating. */
class Scanner {
  pos: number;
  /** Line of `pos`, 1-based. */
  line = 1;
  /** Start and end (exclusive) of the last field read, trimmed; quotes excluded. */
  start = 0;
  end = 0;
  /** The last field was quoted and holds doubled quotes to undo. */
  escaped = false;
  /** The last field ended its row. */
  rowEnd = false;

  constructor(
    readonly b: Uint8Array,
    readonly delim: number,
    readonly comment: number,
  ) {
    this.pos = b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  }

  /** Skips blank and comment lines; false at the end of the input. `pos` must be a line start. */
  nextRow(): boolean {
    const b = this.b, n = b.length;
    let p = this.pos;
    while (p < n) {
      let q = p;
      while (q < n && (b[q] === SP || b[q] === TAB || b[q] === CR)) q++;
      if (q >= n) break;
      if (b[q] === NL) {
        p = q + 1;
        this.line++;
      } else if (b[q] === this.comment) {
        while (q < n && b[q] !== NL) q++;
        p = q;
      } else {
        this.pos = p;
        return true;
      }
    }
    this.pos = n;
    return false;
  }

  /** Reads one field at `pos` and the delimiter or line end after it. */
  field(): void {
    const b = this.b, n = b.length, delim = this.delim;
    let p = this.pos;
    while (p < n && (b[p] === SP || (b[p] === TAB && delim !== TAB))) p++;
    this.escaped = false;
    if (p < n && b[p] === QUOTE) {
      p++;
      this.start = p;
      for (;;) {
        if (p >= n) {
          throw new CsvError(`line ${this.line}: a quoted field is not closed`, this.line);
        }
        const c = b[p];
        if (c === QUOTE) {
          if (p + 1 < n && b[p + 1] === QUOTE) {
            this.escaped = true;
            p += 2;
            continue;
          }
          break;
        }
        if (c === NL) this.line++;
        p++;
      }
      this.end = p++;
      while (p < n && (b[p] === SP || (b[p] === TAB && delim !== TAB))) p++;
    } else {
      this.start = p;
      while (p < n) {
        const c = b[p];
        if (
          c === delim || c === NL || c === CR || c === this.comment ||
          (delim === WHITESPACE && (c === SP || c === TAB))
        ) break;
        p++;
      }
      let e = p;
      while (e > this.start && (b[e - 1] === SP || b[e - 1] === TAB)) e--;
      this.end = e;
    }
    if (delim === WHITESPACE) { while (p < n && (b[p] === SP || b[p] === TAB)) p++; }
    if (p >= n) {
      this.rowEnd = true;
    } else {
      const c = b[p];
      if (c === delim) {
        p++;
        this.rowEnd = false;
      } else if (c === NL || c === CR || c === this.comment) {
        while (p < n && b[p] !== NL) p++;
        if (p < n) {
          p++;
          this.line++;
        }
        this.rowEnd = true;
      } else if (delim === WHITESPACE) {
        this.rowEnd = false;
      } else {
        throw new CsvError(
          `line ${this.line}: unexpected text after a quoted field: '${this.text()}'`,
          this.line,
        );
      }
    }
    this.pos = p;
  }

  /** The last field as a string. */
  text(): string {
    const s = DECODER.decode(this.b.subarray(this.start, this.end));
    return this.escaped ? s.replaceAll('""', '"') : s;
  }

  /** The fields of the row at `pos`, as strings. */
  row(): string[] {
    const out: string[] = [];
    do {
      this.field();
      out.push(this.text());
    } while (!this.rowEnd);
    return out;
  }
}

/**
 * Converts the bytes `b[s..e)` to a number. Empty, `nan` → NaN; `inf`, `-infinity` → ±Infinity;
 * returns `undefined` for text that is not a number.
 */
function parseNumber(b: Uint8Array, s: number, e: number, decimal: number): number | undefined {
  if (s === e) return NaN;
  let p = s;
  let neg = false;
  if (b[p] === MINUS) {
    neg = true;
    p++;
  } else if (b[p] === PLUS) p++;
  // One pass checks the shape [digits][.digits][e[+-]digits] and gathers the mantissa while it
  // is exact; `fast` stays true while it is.
  let m = 0, exp = 0, digits = 0, fast = true;
  for (; p < e; p++) {
    const d = b[p] - 48;
    if (d < 0 || d > 9) break;
    if (m < MANTISSA_LIMIT) m = m * 10 + d;
    else fast = false, exp++;
    digits++;
  }
  if (p < e && b[p] === decimal) {
    for (p++; p < e; p++) {
      const d = b[p] - 48;
      if (d < 0 || d > 9) break;
      if (m < MANTISSA_LIMIT) m = m * 10 + d, exp--;
      else fast = false;
      digits++;
    }
  }
  if (digits > 0 && p < e && (b[p] | 32) === 101) {
    p++;
    let eneg = false, ev = 0, ed = 0;
    if (p < e && b[p] === MINUS) {
      eneg = true;
      p++;
    } else if (p < e && b[p] === PLUS) p++;
    for (; p < e && b[p] >= 48 && b[p] <= 57; p++, ed++) if (ev < 100000) ev = ev * 10 + b[p] - 48;
    if (ed === 0) return undefined;
    exp += eneg ? -ev : ev;
  }
  if (digits > 0 && p === e) {
    if (fast && exp >= -22 && exp <= 22) {
      const v = exp >= 0 ? m * POW10[exp] : m / POW10[-exp];
      return neg ? -v : v;
    }
    // More than 15 significant digits or a large exponent: let `Number` round it exactly.
    let text = "";
    for (let i = s; i < e; i++) text += String.fromCharCode(b[i] === decimal ? 46 : b[i]);
    return Number(text);
  }
  if (digits > 0) return undefined;
  const text = DECODER.decode(b.subarray(s, e));
  if (/^[+-]?nan$/i.test(text)) return NaN;
  if (/^[+]?inf(inity)?$/i.test(text)) return Infinity;
  if (/^-inf(inity)?$/i.test(text)) return -Infinity;
  return undefined;
}

/** Picks the delimiter from the first lines of the file (see `ReadCsvOptions.delimiter`). */
function detectDelimiter(b: Uint8Array, comment: number, decimal: number): number {
  const sc = new Scanner(b, NL, comment); // NL as delimiter: each field is a whole line
  const lines: string[] = [];
  while (lines.length < 20 && sc.nextRow()) {
    const start = sc.pos;
    let p = start;
    while (p < b.length && b[p] !== NL) p++;
    lines.push(DECODER.decode(b.subarray(start, p)).replace(/"[^"]*"/g, "q"));
    sc.pos = p;
  }
  if (lines.length === 0) return 44;
  const candidates = [TAB, 59, 44].filter((c) => !(c === 44 && decimal === 44));
  const count = (line: string, c: number) => line.split(String.fromCharCode(c)).length - 1;
  for (const c of candidates) {
    const k = count(lines[0], c);
    if (k > 0 && lines.every((l) => count(l, c) === k)) return c;
  }
  if (/\S\s+\S/.test(lines[0].trim())) return WHITESPACE;
  for (const c of candidates) if (count(lines[0], c) > 0) return c;
  return decimal === 44 ? 59 : 44;
}

/**
 * Parses CSV text (a string, or the bytes of a UTF-8 file) into numeric columns. Every data
 * field must be a number; empty fields and `nan` read as NaN and are recorded in `gaps`;
 * `inf`/`-inf` read as ±Infinity. A row with the wrong number of fields or a non-numeric field
 * throws a `CsvError` naming the line. A leading UTF-8 byte-order mark is skipped.
 *
 * @example
 * ```ts
 * import { readCsv } from "./csv.ts";
 * const t = readCsv("\uFEFF# my data\nx;y\n1;2\n2;4.5\n");
 * t.columns; // ["x", "y"]: byte-order mark stripped, delimiter detected
 * t.data.y; // Float64Array [2, 4.5]
 * t.delimiter; // ";"
 * ```
 *
 * @category Input/output
 */
export function readCsv(text: string | Uint8Array, options: ReadCsvOptions = {}): CsvTable {
  checkOptions(options, READ_CSV_KEYS, "readCsv");
  const b = typeof text === "string" ? new TextEncoder().encode(text) : text;
  const comment = options.comment ?? "#";
  if (comment.length !== 1 || comment.charCodeAt(0) > 127) {
    throw new TypeError(`comment '${comment}': expected one ASCII character such as '#'`);
  }
  const decimalOpt = options.decimal ?? ".";
  if (decimalOpt !== "." && decimalOpt !== ",") {
    throw new TypeError(`decimal '${decimalOpt}': expected '.' or ','`);
  }
  const decimal = decimalOpt.charCodeAt(0);
  const commentCode = comment.charCodeAt(0);
  const delim = options.delimiter !== undefined
    ? delimiterCode(options.delimiter)
    : detectDelimiter(b, commentCode, decimal);
  if (delim === decimal) {
    throw new TypeError(
      `the delimiter and the decimal separator are both '${decimalOpt}'; give another --delimiter`,
    );
  }
  const sc = new Scanner(b, delim, commentCode);
  if (!sc.nextRow()) throw new CsvError("CSV has no rows", 0);
  const firstLine = sc.line;
  const rowStart = sc.pos;
  const first = sc.row();
  const encoder = new TextEncoder();
  const isNumber = (f: string) => {
    const bytes = encoder.encode(f);
    return parseNumber(bytes, 0, bytes.length, decimal) !== undefined;
  };
  const header = options.header ?? !first.every(isNumber);
  const columns = header
    ? first.map((c, i) => c || `col${i + 1}`)
    : first.map((_, i) => `col${i + 1}`);
  const dupes = columns.filter((c, i) => columns.indexOf(c) !== i);
  if (dupes.length) {
    throw new CsvError(
      `CSV header repeats column name(s): ${[...new Set(dupes)].join(", ")}`,
      firstLine,
    );
  }
  if (!header) {
    sc.pos = rowStart;
    sc.line = firstLine;
  }
  const ncol = columns.length;
  // Rows are at most the lines left: count them once (native indexOf) instead of growing arrays.
  let capacity = 1;
  for (let p = b.indexOf(NL, sc.pos); p >= 0; p = b.indexOf(NL, p + 1)) capacity++;
  let cols = columns.map(() => new Float64Array(capacity));
  const gapRow = new Int32Array(ncol).fill(-1), gapLine = new Int32Array(ncol);
  let rows = 0;
  while (sc.nextRow()) {
    const line = sc.line;
    if (rows === capacity) {
      capacity *= 2;
      cols = cols.map((c) => {
        const bigger = new Float64Array(capacity);
        bigger.set(c);
        return bigger;
      });
    }
    let c = 0;
    do {
      sc.field();
      if (c < ncol) {
        const v = sc.escaped ? undefined : parseNumber(b, sc.start, sc.end, decimal);
        if (v === undefined) {
          const hint = decimal === 46 && /^[+-]?\d*,\d+$/.test(sc.text())
            ? " (for decimal commas use --decimal , or decimal: ',')"
            : "";
          throw new CsvError(
            `line ${line}, column '${columns[c]}': '${sc.text()}' is not a number${hint}`,
            line,
          );
        }
        if (v !== v && gapRow[c] < 0) {
          gapRow[c] = rows + 1;
          gapLine[c] = line;
        }
        cols[c][rows] = v;
      }
      c++;
    } while (!sc.rowEnd);
    if (c !== ncol) {
      throw new CsvError(
        `line ${line}: expected ${ncol} fields (${columns.join(", ")}), found ${c}` +
          (options.delimiter === undefined
            ? ` (delimiter '${delimiterName(delim)}' detected; set it with --delimiter)`
            : ""),
        line,
      );
    }
    rows++;
  }
  const data: Record<string, Float64Array> = {};
  const gaps: Record<string, CsvGap> = {};
  columns.forEach((name, i) => {
    // Trim the unused tail (comment and blank lines were counted) only when it is worth a copy.
    data[name] = capacity - rows > 1024 ? cols[i].slice(0, rows) : cols[i].subarray(0, rows);
    if (gapRow[i] > 0) gaps[name] = { column: name, row: gapRow[i], line: gapLine[i] };
  });
  return { columns, data, rows, delimiter: delimiterName(delim), gaps };
}

/**
 * What to do with missing cells (empty or `nan`) in the columns a fit uses: `"raise"` throws
 * a `CsvError` naming the row and column of the first, `"omit"` drops every row with one,
 * `"propagate"` keeps them as NaN (as lmfit's `nan_policy`).
 *
 * @example
 * ```ts
 * import type { CsvNanPolicy } from "./csv.ts";
 * const policy: CsvNanPolicy = "omit";
 * ```
 *
 * @category Input/output
 */
export type CsvNanPolicy = "raise" | "omit" | "propagate";

/**
 * The named columns of a table, with missing cells handled by `nanPolicy`.
 *
 * @param table a table from `readCsv`.
 * @param names the columns to take.
 * @param nanPolicy see `CsvNanPolicy`. @default "raise"
 * @returns the columns in the order of `names` (new arrays when rows were omitted) and how many
 *   rows were dropped.
 *
 * @example
 * ```ts
 * import { readCsv, selectColumns } from "./csv.ts";
 * const t = readCsv("x,y,note\n1,2,\n2,,7\n3,6,\n");
 * const { columns, dropped } = selectColumns(t, ["x", "y"], "omit");
 * columns[1]; // Float64Array [2, 6]
 * dropped; // 1
 * try {
 *   selectColumns(t, ["x", "y"]);
 * } catch (e) {
 *   (e as Error).message; // "line 3 (data row 2), column 'y': the cell is empty or nan; ..."
 * }
 * ```
 *
 * @category Input/output
 */
export function selectColumns(
  table: CsvTable,
  names: string[],
  nanPolicy: CsvNanPolicy = "raise",
): { columns: Float64Array[]; dropped: number } {
  for (const n of names) {
    if (!(n in table.data)) {
      throw new TypeError(`column '${n}' not in the file; columns are ${table.columns.join(", ")}`);
    }
  }
  const columns = names.map((n) => table.data[n]);
  const gaps = names.map((n) => table.gaps[n]).filter((g): g is CsvGap => !!g);
  if (gaps.length === 0 || nanPolicy === "propagate") return { columns, dropped: 0 };
  if (nanPolicy === "raise") {
    const g = gaps.reduce((a, b) => (b.row < a.row ? b : a));
    throw new CsvError(
      `line ${g.line} (data row ${g.row}), column '${g.column}': the cell is empty or nan; ` +
        `use --nan-policy omit to drop rows with missing cells, or propagate to keep them as NaN`,
      g.line,
    );
  }
  if (nanPolicy !== "omit") {
    throw new TypeError(`nan policy '${nanPolicy}': expected raise, omit or propagate`);
  }
  const n = table.rows;
  let kept = 0;
  const keep = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let ok = 1;
    for (const c of columns) if (c[i] !== c[i]) ok = 0;
    keep[i] = ok;
    kept += ok;
  }
  const out = columns.map((c) => {
    const o = new Float64Array(kept);
    for (let i = 0, k = 0; i < n; i++) if (keep[i]) o[k++] = c[i];
    return o;
  });
  return { columns: out, dropped: n - kept };
}

/**
 * Reads a CSV file (see `readCsv`) from its bytes, without decoding it to a string first.
 * Async; needs read permission.
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
  checkOptions(options, READ_CSV_KEYS, "readCsvFile");
  return readCsv(await Deno.readFile(path), options);
}
