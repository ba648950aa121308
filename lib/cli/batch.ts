/**
 * `cli.ts --batch`: fits every row (or, with `--columns`, every column) of a matrix in a CSV or
 * NumPy `.npy` file against shared x values through `fitBatch`, in blocks (with a progress bar
 * when stderr is a terminal), and writes one results row per dataset: values, standard errors,
 * χ² and status, as CSV (stdout or `--out FILE.csv`) or `.npy` (`--out FILE.npy`, status as
 * 0 converged, 1 max-iter, 2 singular).
 *
 * @module
 */

import { parseFlags } from "./parse_flags.ts";
import { readCsv } from "../io/csv.ts";
import { readNpy, writeNpy } from "../io/npy.ts";
import { modelFromSpec } from "../model/model_spec.ts";
import { fitBatch } from "../batch/route.ts";

/**
 * The `--batch` help text: usage and the options of the batch command. `cli.ts --batch --help`
 * prints it.
 *
 * @example
 * ```ts
 * import { BATCH_HELP } from "./batch.ts";
 * BATCH_HELP.includes("--columns"); // true
 * ```
 *
 * @category Command line
 */
export const BATCH_HELP: string = `Batch fitting: one fit per row (or column) of a matrix.

  deno run -A --unstable-webgpu cli.ts --batch DATA.(csv|npy) --model SPEC [options]

  --columns          one dataset per column instead of per row
  --x SPEC           shared x values: "a:b" (evenly spaced from a to b) or "v1,v2,..."
                     (default 0, 1, ..., points-1)
  --init NAME=VALUE  start value (repeatable; default: the model's parameter hints)
  --device D         auto, gpu or cpu (default auto)
  --block N          datasets per fitBatch call (default 100000)
  --out FILE         results as FILE.csv or FILE.npy (default: CSV on stdout)
`;

const STATUS_CODE = { "converged": 0, "max-iter": 1, "singular": 2 } as const;

function parseX(spec: string | undefined, n: number): Float64Array {
  if (spec === undefined) return Float64Array.from({ length: n }, (_, i) => i);
  const range = /^\s*([^:]+):([^:]+)\s*$/.exec(spec);
  if (range) {
    const a = Number(range[1]), b = Number(range[2]);
    if (!Number.isFinite(a) || !Number.isFinite(b)) {
      throw new TypeError(`--x ${spec}: expected "a:b" with numbers a and b`);
    }
    return Float64Array.from({ length: n }, (_, i) => (n === 1 ? a : a + ((b - a) * i) / (n - 1)));
  }
  const xs = Float64Array.from(spec.split(",").map(Number));
  if (xs.some((v) => !Number.isFinite(v))) {
    throw new TypeError(`--x ${spec}: expected "a:b" or a comma-separated list of numbers`);
  }
  if (xs.length !== n) {
    throw new RangeError(`--x has ${xs.length} values but each dataset has ${n} points`);
  }
  return xs;
}

/**
 * Runs `--batch` with the other arguments; returns the exit code. Async. Throws a `TypeError`
 * or `RangeError` naming a bad option or value.
 *
 * @param argv the command-line arguments after `--batch`.
 * @returns 0 on success.
 *
 * @example
 * ```ts
 * import { runBatchCli } from "./batch.ts";
 * import { readNpy, writeNpy } from "../io/npy.ts";
 * // Three lines y = a*x + b on x = 0..4, one per row.
 * const rows = [[1, 0], [2, 1], [-1, 3]].flatMap(([a, b]) => [0, 1, 2, 3, 4].map((x) => a * x + b));
 * await Deno.writeFile("/tmp/batch_example.npy", writeNpy(Float64Array.from(rows), [3, 5]));
 * const argv = ["/tmp/batch_example.npy", "--model", "linear", "--x", "0:4", "--device", "cpu"];
 * await runBatchCli([...argv, "--out", "/tmp/batch_example_fits.npy"]); // 0
 * readNpy(await Deno.readFile("/tmp/batch_example_fits.npy")).shape[0]; // 3: one row per line
 * ```
 *
 * @category Command line
 */
export async function runBatchCli(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags({
    args: argv,
    allowPositionals: true,
    options: {
      model: { type: "string" },
      x: { type: "string" },
      init: { type: "string", multiple: true },
      columns: { type: "boolean" },
      device: { type: "string" },
      block: { type: "string" },
      out: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(BATCH_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new TypeError("--batch: give exactly one CSV or .npy file");
  if (!values.model) throw new TypeError("--batch: --model is required");
  const device = values.device ?? "auto";
  if (device !== "auto" && device !== "gpu" && device !== "cpu") {
    throw new TypeError(`--device ${device}: expected auto, gpu or cpu`);
  }
  const block = Number(values.block ?? 100_000);
  if (!(Number.isInteger(block) && block > 0)) {
    throw new TypeError(`--block ${values.block}: expected a positive integer`);
  }
  const file = positionals[0];
  let data: Float64Array, rows: number, cols: number;
  if (/\.npy$/i.test(file)) {
    const m = readNpy(await Deno.readFile(file));
    [data, rows, cols] = [m.data, m.shape[0], m.shape[1]];
  } else {
    const t = readCsv(await Deno.readTextFile(file));
    rows = t.rows;
    cols = t.columns.length;
    data = new Float64Array(rows * cols);
    t.columns.forEach((c, j) => t.data[c].forEach((v, i) => (data[i * cols + j] = v)));
  }
  // Datasets as rows of y (nFits × nPoints).
  let nFits = rows, nPoints = cols, y = data;
  if (values.columns) {
    nFits = cols;
    nPoints = rows;
    y = new Float64Array(data.length);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) y[j * rows + i] = data[i * cols + j];
    }
  }
  const model = modelFromSpec(values.model);
  if (model.independentVars.length !== 1) {
    throw new TypeError(
      `--batch: the model has independent variables ${
        model.independentVars.join(", ")
      }; only one (x) is supported`,
    );
  }
  const x = parseX(values.x, nPoints);
  const params = model.makeParams();
  for (const s of values.init ?? []) {
    const m = /^(\w+)=(.+)$/.exec(s);
    if (!m || !Number.isFinite(Number(m[2]))) {
      throw new TypeError(`--init ${s}: expected NAME=NUMBER, e.g. --init amplitude=5`);
    }
    if (!params.has(m[1])) {
      throw new TypeError(
        `--init ${s}: the model has no parameter '${m[1]}' (it has ${
          [...params.keys()].join(", ")
        })`,
      );
    }
    params.get(m[1])!.set({ value: Number(m[2]) });
  }
  const tty = Deno.stderr.isTerminal();
  const enc = new TextEncoder();
  let names: string[] = [];
  let P = 0;
  const width = () => 2 * P + 2;
  let out = new Float64Array(0);
  let reason = "";
  for (let first = 0; first < nFits; first += block) {
    const count = Math.min(block, nFits - first);
    const r = await fitBatch(model, {
      x,
      y: y.subarray(first * nPoints, (first + count) * nPoints),
      params,
      device: device as "auto" | "gpu" | "cpu",
    });
    if (first === 0) {
      names = r.paramNames;
      P = names.length;
      out = new Float64Array(nFits * width());
      reason = r.reason;
    }
    for (let b = 0; b < count; b++) {
      const o = (first + b) * width();
      out.set(r.values.subarray(b * P, b * P + P), o);
      out.set(r.stderr.subarray(b * P, b * P + P), o + P);
      out[o + 2 * P] = r.chisqr[b];
      out[o + 2 * P + 1] = STATUS_CODE[r.status[b]];
    }
    if (tty) {
      const done = first + count, frac = done / nFits, n = Math.round(30 * frac);
      Deno.stderr.writeSync(
        enc.encode(`\r[${"#".repeat(n)}${" ".repeat(30 - n)}] ${done}/${nFits} fits`),
      );
    }
  }
  if (tty) Deno.stderr.writeSync(enc.encode(`\n${reason}\n`));
  const header = [...names, ...names.map((n) => `${n}_stderr`), "chisqr", "status"];
  if (values.out && /\.npy$/i.test(values.out)) {
    await Deno.writeFile(values.out, writeNpy(out, [nFits, width()]));
    return 0;
  }
  const statusName = ["converged", "max-iter", "singular"];
  const lines = [header.join(",")];
  for (let b = 0; b < nFits; b++) {
    const row = Array.from(out.subarray(b * width(), b * width() + 2 * P + 1), String);
    row.push(statusName[out[b * width() + 2 * P + 1]]);
    lines.push(row.join(","));
  }
  const text = lines.join("\n") + "\n";
  if (values.out) await Deno.writeTextFile(values.out, text);
  else await Deno.stdout.write(enc.encode(text));
  return 0;
}
