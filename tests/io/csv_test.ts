import assert from "node:assert/strict";
import fc from "fast-check";
import { CsvError, readCsv, selectColumns } from "../../lib/io/csv.ts";

const values = (a: Float64Array) => Array.from(a);

Deno.test("readCsv strips a UTF-8 byte-order mark from the first column's name", () => {
  const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode("x,y\n1,2\n")]);
  for (const t of [readCsv(bytes), readCsv("\uFEFFx,y\n1,2\n")]) {
    assert.deepEqual(t.columns, ["x", "y"]);
    assert.deepEqual(values(t.data.x), [1]);
  }
});

Deno.test("readCsv detects comma, semicolon, tab and whitespace delimiters", () => {
  const cases: [string, string][] = [
    ["x,y\n1,2\n3,4\n", ","],
    ["x;y\n1;2\n3;4\n", ";"],
    ["x\ty\n1\t2\n3\t4\n", "\t"],
    ["  x    y\n  1    2\n  3  4\n", "whitespace"],
    ['# comment; with, separators\n"x";"y"\n1;2\n3;4\n', ";"],
  ];
  for (const [text, delimiter] of cases) {
    const t = readCsv(text);
    assert.equal(t.delimiter, delimiter, JSON.stringify(text));
    assert.deepEqual(t.columns, ["x", "y"]);
    assert.deepEqual(values(t.data.y), [2, 4]);
  }
  // An empty leading field in a tab-separated file is a gap, not a shifted row.
  assert.deepEqual(values(readCsv("x\ty\n\t2\n3\t4\n").data.y), [2, 4]);
});

Deno.test("readCsv takes a given delimiter and decimal commas", () => {
  const t = readCsv("a|b\n1.5|2\n", { delimiter: "|" });
  assert.deepEqual(values(t.data.a), [1.5]);
  const eu = readCsv("t;signal\n0,5;1,25e3\n-1,75;-2\n", { decimal: "," });
  assert.equal(eu.delimiter, ";");
  assert.deepEqual(values(eu.data.t), [0.5, -1.75]);
  assert.deepEqual(values(eu.data.signal), [1250, -2]);
  assert.deepEqual(values(readCsv("t\ts\n0,5\t1\n", { decimal: "," }).data.t), [0.5]);
  assert.throws(
    () => readCsv("x;y\n1,5;2\n"),
    /'1,5' is not a number \(for decimal commas use --decimal ,/,
  );
  assert.throws(() => readCsv("x,y\n1,2\n", { decimal: ",", delimiter: "," }), /both ','/);
  assert.throws(() => readCsv("x,y\n", { delimiter: "ab" }), /delimiter 'ab'/);
});

Deno.test("readCsv parses numbers exactly as Number does, with quotes, comments and CRLF", () => {
  const texts = [
    "0.1",
    "-0.30000000000000004",
    "1e-7",
    "6.02214076E+23",
    "123456789012345678",
    "5e-324",
    "1.7976931348623157e308",
    "+.5",
    "7.",
    "-0",
    "0.000001234567890123456789",
    "1e22",
    "1e23",
  ];
  const t = readCsv(`v\n${texts.join("\r\n")}\r\n`);
  assert.deepEqual(values(t.data.v), texts.map(Number));
  assert.ok(Object.is(t.data.v[9], -0));
  const q = readCsv('"a ""quoted"" name",b # trailing comment\n"1.5", 2 \n# skipped\n\n3,inf\n');
  assert.deepEqual(q.columns, ['a "quoted" name', "b"]);
  assert.deepEqual(values(q.data.b), [2, Infinity]);
  // Random doubles in four notations.
  let seed = 7;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const vs: string[] = [];
  for (let i = 0; i < 2000; i++) {
    const v = (rnd() - 0.5) * 10 ** Math.floor(rnd() * 40 - 20);
    vs.push(String(v), v.toPrecision(8), v.toFixed(9), v.toExponential(15));
  }
  assert.deepEqual(values(readCsv(`v\n${vs.join("\n")}\n`).data.v), vs.map(Number));
});

Deno.test("readCsv records the first empty or nan cell of each column", () => {
  const t = readCsv("x,y,w\n1,2,1\n2,,1\n3,nan,\n4,5,1\n");
  assert.deepEqual(t.gaps, {
    y: { column: "y", row: 2, line: 3 },
    w: { column: "w", row: 3, line: 4 },
  });
  assert.ok(Number.isNaN(t.data.y[1]) && Number.isNaN(t.data.y[2]));
});

Deno.test("selectColumns raises at the first gap, omits rows with gaps, or propagates NaN", () => {
  const t = readCsv("x,y,note\n1,2,\n2,,7\n3,6,\n4,8,\n");
  assert.throws(
    () => selectColumns(t, ["x", "y"]),
    (e) =>
      e instanceof CsvError && e.line === 3 &&
      /line 3 \(data row 2\), column 'y': the cell is empty or nan/.test(e.message),
  );
  const omitted = selectColumns(t, ["x", "y"], "omit");
  assert.equal(omitted.dropped, 1);
  assert.deepEqual(omitted.columns.map(values), [[1, 3, 4], [2, 6, 8]]);
  const kept = selectColumns(t, ["x", "y"], "propagate");
  assert.equal(kept.columns[1].length, 4);
  assert.ok(Number.isNaN(kept.columns[1][1]));
  // A gap in a column that is not used does not count.
  assert.equal(selectColumns(readCsv("x,y,z\n1,2,\n"), ["x", "y"]).dropped, 0);
});

Deno.test("readCsv reports malformed rows by line", () => {
  assert.throws(() => readCsv("x,y\n1,2\n3,abc\n"), /line 3, column 'y': 'abc' is not a number/);
  assert.throws(() => readCsv("x,y\n1,2,3\n"), /line 2: expected 2 fields \(x, y\), found 3/);
  assert.throws(() => readCsv('x,y\n"1,2\n'), /quoted field is not closed/);
  assert.throws(() => readCsv("# only a comment\n"), /CSV has no rows/);
});

Deno.test("readCsv reads 200,000 rows into Float64Arrays", () => {
  const n = 200_000;
  const parts = ["x,y\n"];
  for (let i = 0; i < n; i++) parts.push(`${i / 7},${Math.sin(i)}\n`);
  const t = readCsv(parts.join(""));
  assert.equal(t.rows, n);
  assert.ok(t.data.x instanceof Float64Array && t.data.x.length === n);
  assert.equal(t.data.x[n - 1], (n - 1) / 7);
  assert.equal(t.data.y[12345], Math.sin(12345));
});

Deno.test("readCsv reads back any table of doubles, whatever the delimiter, quoting and line ends", () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), {
          minLength: 3,
          maxLength: 3,
        }),
        {
          minLength: 1,
          maxLength: 30,
        },
      ),
      fc.constantFrom(",", ";", "\t", " "),
      fc.constantFrom("\n", "\r\n"),
      fc.boolean(),
      fc.boolean(),
      (table, delimiter, eol, quoted, padded) => {
        const cell = (v: number) => {
          const s = Object.is(v, -0) ? "-0" : String(v);
          return (padded && delimiter !== "\t" ? " " : "") + (quoted ? `"${s}"` : s);
        };
        const text = ["a", "b", "c"].join(delimiter) + eol +
          table.map((row) => row.map(cell).join(delimiter)).join(eol) + eol;
        const t = readCsv(text);
        assert.equal(t.delimiter, delimiter === " " ? "whitespace" : delimiter);
        assert.equal(t.rows, table.length);
        ["a", "b", "c"].forEach((name, j) => {
          // -0 is read back as -0; compare with Object.is through the array.
          assert.deepEqual(Array.from(t.data[name]), table.map((row) => row[j]));
        });
      },
    ),
    { numRuns: 300 },
  );
});
