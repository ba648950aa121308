/**
 * `lmfit-ts` on the command line: fit a model to two columns of a CSV file and print lmfit's
 * report, JSON, confidence intervals or a plot.
 *
 * ## Usage
 *
 * ```sh
 * deno task fit data.csv --x time --y signal \
 *   --model "gaussian(prefix='g_') + linear(prefix='b_')" --plot fit.svg
 * deno run -A cli.ts data.csv --model "a*exp(-x/tau) + c" --init a=5 --init tau=2 --init c=0 --json
 * deno run -A cli.ts mesures.csv --decimal , --nan-policy omit --model "linear()" --plot fit.png
 * npx -y deno@2 run -A cli.ts data.csv --model "a*exp(-x/tau) + c" --json   # with only Node
 * ```
 *
 * `--help` lists every option.
 *
 * ## Models
 *
 * Built-in models combined with `+ - * /`, each with an optional prefix
 * (`"gaussian(prefix='g_') + linear(prefix='b_')"`), an expression in the independent variable
 * (`"a*exp(-x/tau) + c"`), or both added. Built-ins guess their start values from the data;
 * `--init` and `--set` give start values, bounds or fixed parameters.
 *
 * ## Input and output
 *
 * The delimiter is detected, decimal commas and empty cells are options. Output is lmfit's fit
 * report by default, `--json` for values, standard errors, correlations and statistics, `--ci`
 * for confidence intervals, `--plot FILE.svg` or `.png` for a picture of data, fit, components and
 * residuals.
 *
 * ## From code
 *
 * The steps are exported for reuse: `parseCli` → `readData` → `fitData` → `writePlot`; `main`
 * runs them and prints. Plotting (Vega-Lite, resvg) is imported only by `writePlot`.
 *
 * @module
 */

import { parseFlags } from "./lib/cli/parse_flags.ts";
import { checkOptions, optionKeys } from "./lib/util/options.ts";
import { runBatchCli } from "./lib/cli/batch.ts";
import { type CsvNanPolicy, readCsvFile, selectColumns } from "./lib/io/csv.ts";
import { modelFromSpec } from "./lib/model/model_spec.ts";
import type { BaseModel } from "./lib/model/model.ts";
import type { ModelResult } from "./lib/model/model_result.ts";
import { Parameters } from "./lib/parameters.ts";
import { ciReport, type ConfIntervalResult } from "./lib/confidence.ts";
import { METHODS } from "./lib/fit/minimizer.ts";
import { BUILTIN_MODELS } from "./lib/model/models.ts";

/**
 * The `--help` text: usage, the model syntax with the list of built-in models, every option and
 * two examples. `main(["--help"])` prints it.
 *
 * @example
 * ```ts
 * import { HELP } from "./cli.ts";
 * HELP.includes("--nan-policy"); // true
 * ```
 *
 * @category Command line
 */
export const HELP: string =
  `lmfit-ts: fit a model to two columns of a CSV file and print lmfit's report.

Usage:
  deno run -A cli.ts DATA.csv --model SPEC [options]

Model (--model, required):
  Built-in models combined with + - * /, each with optional prefix:
    --model "gaussian(prefix='g_') + linear(prefix='b_')"
  or an expression in the independent variable x, or in the --x column's name
  (Python syntax):
    --model "a*exp(-x/tau) + c"    --x time --model "a*exp(-time/tau) + c"
  or both added: --model "gaussian(prefix='g_') + a*x + b"
  Built-ins: ${Object.keys(BUILTIN_MODELS).join(", ")}
  Options of a built-in: prefix, nan_policy; degree (polynomial); form (step,
  rectangle, thermal_distribution)

Options:
  --x COL            column of the independent variable (default: first column)
  --y COL            column of the data (default: second column)
  --weights COL      column of weights (residual = (model - data) * weight)
  --delimiter D      field delimiter: , ; tab whitespace or another character
                     (default: detected from the first lines)
  --decimal C        decimal separator, . or , (default .)
  --nan-policy P     empty or nan cells in the used columns: raise (default; the error
                     names the row and column of the first), omit (drop those rows) or
                     propagate (keep NaN); also passed on to the fit
  --init NAME=VALUE  start value of a parameter (repeatable); the others are guessed from
                     the data for built-in models and start at 1 in expressions
  --set NAME=MIN:MAX bounds for a parameter (either side may be empty), or
  --set NAME=fixed   keep a parameter at its start value (repeatable)
  --method M         fitting method (default leastsq): ${METHODS.join(", ")}
  --json             print JSON (values, stderr, correlations, statistics) instead of the report
  --plot FILE        write a plot of data, fit, components and residuals: FILE.svg (SVG)
                     or FILE.png (PNG); large data are drawn min/max-decimated per pixel
  --ci               also compute confidence intervals (with a progress bar when stderr
                     is a terminal)
  --batch            fit every row of a CSV/.npy matrix (see --batch --help)
  -h, --help         show this help

Examples:
  deno run -A cli.ts examples/data/two_peaks.csv --x x --y y \\
    --model "gaussian(prefix='g_') + lorentzian(prefix='l_') + linear(prefix='b_')" --plot fit.png
  deno run -A cli.ts examples/data/decay.csv --x time --y signal \\
    --model "a*exp(-time/tau) + c" --init a=5 --init tau=1 --init c=0 --set tau=0:
`;

/**
 * Parsed command-line options, as `parseCli` returns them: the input of `readData`, `fitData`,
 * `startParams` and `writePlot` (which reject a key not listed here).
 *
 * @example
 * ```ts
 * import { type CliOptions, parseCli } from "./cli.ts";
 * const opts = parseCli(["data.csv", "--model", "linear()", "--set", "slope=0:"]) as CliOptions;
 * [opts.file, opts.method, opts.nanPolicy]; // ["data.csv", "leastsq", "raise"]
 * opts.set; // { slope: { min: 0, max: undefined } }
 * ```
 *
 * @category Command line
 */
export interface CliOptions {
  /** Path of the CSV file (the one positional argument). */
  file: string;
  /** `--x`: column of the independent variable; the first column when absent. */
  x?: string;
  /** `--y`: column of the data; the second column when absent. */
  y?: string;
  /** `--weights`: column of weights (residual = (model - data) * weight); none when absent. */
  weights?: string;
  /** `--delimiter`: field delimiter; detected from the first lines when absent. */
  delimiter?: string;
  /** `--decimal`: decimal separator (default `"."`). */
  decimal: "." | ",";
  /**
   * `--nan-policy`: what to do with empty or nan cells in the used columns (default `"raise"`);
   * also passed on to the fit.
   */
  nanPolicy: CsvNanPolicy;
  /** `--model`: the model specification, built-ins and/or an expression (see `HELP`). */
  model: string;
  /** `--init NAME=VALUE`: start values by parameter name; the others are guessed or start at 1. */
  init: Record<string, number>;
  /**
   * `--set NAME=MIN:MAX` / `--set NAME=fixed`: bounds (either side may be absent) or a fixed
   * parameter, by parameter name.
   */
  set: Record<string, { min?: number; max?: number; fixed?: boolean }>;
  /** `--method`: the fitting method (default `"leastsq"`). */
  method: string;
  /** `--json`: print JSON instead of the fit report. */
  json: boolean;
  /** `--plot`: path of the plot to write, ending in `.svg` or `.png`; no plot when absent. */
  plot?: string;
  /** `--ci`: also compute confidence intervals. */
  ci: boolean;
}

const CLI_OPTION_KEYS = optionKeys<CliOptions>({
  file: true,
  x: true,
  y: true,
  weights: true,
  delimiter: true,
  decimal: true,
  nanPolicy: true,
  model: true,
  init: true,
  set: true,
  method: true,
  json: true,
  plot: true,
  ci: true,
});

/**
 * Parses argv into `CliOptions`; throws a `TypeError` with a user-facing message on bad input.
 *
 * @param argv the command-line arguments (without the program name).
 * @returns the options, or `"help"` when `--help`/`-h` is given.
 *
 * @example
 * ```ts
 * import { type CliOptions, parseCli } from "./cli.ts";
 * const argv = ["decay.csv", "--model", "a*exp(-x/tau) + c", "--init", "tau=2", "--set", "c=fixed"];
 * const opts = parseCli(argv) as CliOptions;
 * [opts.init, opts.set]; // [{ tau: 2 }, { c: { fixed: true } }]
 * parseCli(["--help"]); // "help"
 * try {
 *   parseCli(["decay.csv", "--model", "linear()", "--decimal", ";"]);
 * } catch (e) {
 *   (e as Error).message; // "--decimal ;: expected . or ,"
 * }
 * ```
 *
 * @category Command line
 */
export function parseCli(argv: string[]): CliOptions | "help" {
  const { values, positionals } = parseFlags({
    args: argv,
    allowPositionals: true,
    options: {
      x: { type: "string" },
      y: { type: "string" },
      weights: { type: "string" },
      delimiter: { type: "string" },
      decimal: { type: "string" },
      "nan-policy": { type: "string" },
      model: { type: "string" },
      init: { type: "string", multiple: true },
      set: { type: "string", multiple: true },
      method: { type: "string" },
      json: { type: "boolean" },
      plot: { type: "string" },
      ci: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return "help";
  if (positionals.length !== 1) throw new TypeError("give exactly one CSV file (see --help)");
  if (!values.model) throw new TypeError("--model is required (see --help)");
  const decimal = values.decimal ?? ".";
  if (decimal !== "." && decimal !== ",") {
    throw new TypeError(`--decimal ${decimal}: expected . or ,`);
  }
  const nanPolicy = values["nan-policy"] ?? "raise";
  if (nanPolicy !== "raise" && nanPolicy !== "omit" && nanPolicy !== "propagate") {
    throw new TypeError(`--nan-policy ${nanPolicy}: expected raise, omit or propagate`);
  }
  if (values.plot !== undefined && !/\.(svg|png)$/i.test(values.plot)) {
    throw new TypeError(
      `--plot ${values.plot}: unknown file type; the name must end in .svg or .png`,
    );
  }
  const init: Record<string, number> = {};
  for (const s of values.init ?? []) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(s);
    const v = m ? Number(m[2]) : NaN;
    if (!m || !Number.isFinite(v)) {
      throw new TypeError(`--init ${s}: expected NAME=NUMBER, e.g. --init amp=5`);
    }
    init[m[1]] = v;
  }
  const set: CliOptions["set"] = {};
  for (const s of values.set ?? []) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(s);
    if (!m) throw new TypeError(`--set ${s}: expected NAME=MIN:MAX or NAME=fixed`);
    if (m[2] === "fixed") set[m[1]] = { fixed: true };
    else {
      const b = /^([^:]*):([^:]*)$/.exec(m[2]);
      const lo = b && b[1] !== "" ? Number(b[1]) : undefined;
      const hi = b && b[2] !== "" ? Number(b[2]) : undefined;
      if (!b || (lo !== undefined && Number.isNaN(lo)) || (hi !== undefined && Number.isNaN(hi))) {
        throw new TypeError(
          `--set ${s}: expected NAME=MIN:MAX (e.g. sigma=0:5, or amp=0: for a lower bound only) or NAME=fixed`,
        );
      }
      set[m[1]] = { min: lo, max: hi };
    }
  }
  return {
    file: positionals[0],
    x: values.x,
    y: values.y,
    weights: values.weights,
    delimiter: values.delimiter,
    decimal,
    nanPolicy,
    model: values.model,
    init,
    set,
    method: values.method ?? "leastsq",
    json: !!values.json,
    plot: values.plot,
    ci: !!values.ci,
  };
}

/** Most rows that start-value guesses look at. */
const GUESS_ROWS = 20000;

/**
 * Start parameters: each built-in component guesses its own from what the earlier components
 * leave unexplained; expression parameters start at 1; `--init` values replace either, and
 * `--set` bounds or fixes them. Guesses look at most 20,000 evenly strided rows with finite x
 * and y. Throws a `TypeError` naming an `--init` or `--set` parameter the model lacks.
 *
 * @param model the model built from `opts.model`.
 * @param x the independent variable.
 * @param y the data.
 * @param opts the options (`init` and `set` are used).
 * @returns new parameters, one per parameter of the model (derived ones included).
 *
 * @example
 * ```ts
 * import { type CliOptions, parseCli, readData, startParams } from "./cli.ts";
 * import { modelFromSpec } from "./mod.ts";
 * const argv = ["examples/data/two_peaks.csv", "--model", "linear()", "--set", "slope=fixed"];
 * const opts = parseCli(argv) as CliOptions;
 * const { x, y } = await readData(opts);
 * const params = startParams(modelFromSpec(opts.model), x, y, opts);
 * [...params.keys()]; // ["slope", "intercept"]
 * params.get("slope")!.vary; // false
 * ```
 *
 * @category Command line
 */
export function startParams(
  model: BaseModel,
  x: Float64Array,
  y: Float64Array,
  opts: CliOptions,
): Parameters {
  checkOptions(opts, CLI_OPTION_KEYS, "startParams");
  const xName = model.independentVars[0];
  const unknown = Object.keys(opts.init).filter((k) => !model.paramNames.includes(k));
  if (unknown.length) {
    throw new TypeError(
      `--init: unknown parameter(s) ${unknown.join(", ")}; the model has ${
        model.paramNames.join(", ")
      }`,
    );
  }
  const params = new Parameters();
  // Start values need no million points: guesses see at most GUESS_ROWS evenly strided rows
  // (the fit uses all of them). Guessing on all rows of a 1,000,000-row file took 3 s and 200 MB.
  // Rows with a missing value (kept by --nan-policy propagate) are left out of the guesses.
  const stride = Math.ceil(x.length / GUESS_ROWS);
  const use = (i: number) => i % stride === 0 && Number.isFinite(x[i]) && Number.isFinite(y[i]);
  const xs = x.filter((_, i) => use(i));
  let remaining = y.filter((_, i) => use(i));
  for (const c of model.components) {
    let p: Parameters;
    if (canGuess(c)) {
      p = c.guess(remaining, { [xName]: xs });
      const curve = c.eval(p, { [xName]: xs });
      remaining = remaining.map((v, i) => v - curve[i]);
    } else {
      p = c.makeParams(Object.fromEntries(c.paramNames.map((n) => [n, 1])));
    }
    // Derived parameters (fwhm, height, ...) of composites come with each component.
    for (const q of p.values()) params.add(q);
  }
  for (const [name, value] of Object.entries(opts.init)) params.get(name)!.set({ value });
  for (const [name, s] of Object.entries(opts.set)) {
    const p = params.get(name);
    if (!p) {
      throw new TypeError(
        `--set: unknown parameter '${name}'; the model has ${[...params.keys()].join(", ")}`,
      );
    }
    if (s.fixed) p.set({ vary: false });
    else p.set({ min: s.min ?? -Infinity, max: s.max ?? Infinity });
  }
  return params;
}

function canGuess(m: BaseModel): boolean {
  try {
    m.guess(Float64Array.of(0, 1, 0), { x: Float64Array.of(0, 1, 2) });
    return true;
  } catch {
    return false;
  }
}

/** Draws the confidence-interval progress bar on stderr; only called when it is a terminal. */
function progressBar(done: number, total: number): void {
  const width = 30;
  const filled = Math.round((done / total) * width);
  const line = `\r[${"#".repeat(filled)}${
    "-".repeat(width - filled)
  }] ${done}/${total} confidence limits`;
  Deno.stderr.writeSync(new TextEncoder().encode(line + (done === total ? "\n" : "")));
}

/**
 * The data of a fit: x, y and weights columns of the CSV file, missing cells handled.
 *
 * @example
 * ```ts
 * import { type CliData, type CliOptions, parseCli, readData } from "./cli.ts";
 * const opts = parseCli(["examples/data/decay.csv", "--model", "a*exp(-time/tau) + c"]) as CliOptions;
 * const data: CliData = await readData(opts);
 * [data.xName, data.yName, data.x.length]; // ["time", "signal", 121]
 * ```
 *
 * @category Command line
 */
export interface CliData {
  /** Name of the x column (`--x`, or the first column). */
  xName: string;
  /** Name of the y column (`--y`, or the second column). */
  yName: string;
  /** The independent variable, one value per kept row. */
  x: Float64Array;
  /** The data, one value per kept row. */
  y: Float64Array;
  /** The `--weights` column, one value per kept row; absent without `--weights`. */
  weights?: Float64Array;
  /** Rows dropped by `--nan-policy omit`. */
  dropped: number;
}

/**
 * Reads the columns `opts` names from the CSV file, applying `--nan-policy`. Async. Throws a
 * `TypeError` naming a column the file lacks.
 *
 * @param opts the options (`file`, `x`, `y`, `weights`, `delimiter`, `decimal`, `nanPolicy`).
 * @returns the columns, and how many rows were dropped.
 *
 * @example
 * ```ts
 * import { type CliOptions, parseCli, readData } from "./cli.ts";
 * const opts = parseCli(["examples/data/two_peaks.csv", "--model", "linear()"]) as CliOptions;
 * (await readData(opts)).y.length; // 201
 * ```
 *
 * @category Command line
 */
export async function readData(opts: CliOptions): Promise<CliData> {
  checkOptions(opts, CLI_OPTION_KEYS, "readData");
  const table = await readCsvFile(opts.file, { delimiter: opts.delimiter, decimal: opts.decimal });
  const xName = opts.x ?? table.columns[0];
  const yName = opts.y ?? table.columns[1];
  if (yName === undefined) {
    throw new TypeError(
      `${opts.file} has one column (${xName}) with delimiter '${table.delimiter}'; ` +
        `give --delimiter if the file uses another`,
    );
  }
  const names = [xName, yName, ...(opts.weights ? [opts.weights] : [])];
  for (const c of names) {
    if (!(c in table.data)) {
      throw new TypeError(
        `column '${c}' not in ${opts.file}; columns are ${table.columns.join(", ")}`,
      );
    }
  }
  const { columns, dropped } = selectColumns(table, names, opts.nanPolicy);
  return { xName, yName, x: columns[0], y: columns[1], weights: columns[2], dropped };
}

/**
 * The independent variable of an expression: `x` when the expression uses it, otherwise the
 * name of the x column when the expression uses that (`--x time --model "a*exp(-time/tau)"`).
 */
function independentVariable(spec: string, xColumn: string): string {
  const uses = (name: string) =>
    /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) &&
    new RegExp(`(^|[^\\w'"])${name}($|[^\\w'"(])`).test(spec);
  return !uses("x") && uses(xColumn) ? xColumn : "x";
}

/**
 * Fits the model of `opts` to the data; `--ci` adds confidence intervals. Async.
 *
 * @param opts the options (`model`, `init`, `set`, `method`, `nanPolicy`, `ci` are used).
 * @param data the columns `readData` read.
 * @returns the fit result, and the confidence intervals (`null` without `--ci`).
 *
 * @example
 * ```ts
 * import { type CliOptions, fitData, parseCli, readData } from "./cli.ts";
 * const argv = ["examples/data/decay.csv", "--model", "a*exp(-time/tau) + c", "--init", "a=5"];
 * const opts = parseCli(argv) as CliOptions;
 * const { result } = await fitData(opts, await readData(opts));
 * result.params.get("tau")!.value; // ≈ 2.52
 * ```
 *
 * @category Command line
 */
export async function fitData(
  opts: CliOptions,
  data: CliData,
): Promise<{ result: ModelResult; ci: ConfIntervalResult | null }> {
  checkOptions(opts, CLI_OPTION_KEYS, "fitData");
  const model = modelFromSpec(opts.model, independentVariable(opts.model, data.xName));
  const params = startParams(model, data.x, data.y, opts);
  const result: ModelResult = await model.fit(data.y, params, {
    [model.independentVars[0]]: data.x,
    weights: data.weights,
    method: opts.method,
    nanPolicy: opts.nanPolicy,
  });
  if (!opts.ci) return { result, ci: null };
  const terminal = Deno.stderr.isTerminal();
  const ci = await result.confInterval({
    onProgress: terminal ? ({ done, total }) => progressBar(done, total) : undefined,
  });
  return { result, ci };
}

/**
 * Writes the plot `--plot` asks for: SVG, or PNG rendered from it. Loads the plotting modules
 * on demand (dynamic import), so a run without `--plot` never loads Vega or resvg. Async.
 *
 * @param opts the options (`plot` names the file, `model` titles the plot).
 * @param data the columns the fit used (their names label the axes).
 * @param result the fit to draw: data, best fit, components and residuals.
 *
 * @example
 * ```ts
 * import { type CliOptions, fitData, parseCli, readData, writePlot } from "./cli.ts";
 * const opts = parseCli(["examples/data/two_peaks.csv", "--model", "gaussian(prefix='g_') + linear(prefix='b_')",
 *   "--plot", "/tmp/cli_example.png"]) as CliOptions;
 * const data = await readData(opts);
 * await writePlot(opts, data, (await fitData(opts, data)).result);
 * ```
 *
 * @category Command line
 */
export async function writePlot(
  opts: CliOptions,
  data: CliData,
  result: ModelResult,
): Promise<void> {
  checkOptions(opts, CLI_OPTION_KEYS, "writePlot");
  const { plotFit } = await import("./lib/plot/plot_fit.ts");
  const svg = await plotFit(result, { title: opts.model, xLabel: data.xName, yLabel: data.yName });
  if (/\.png$/i.test(opts.plot!)) {
    const { svgToPng } = await import("./lib/plot/png.ts");
    await Deno.writeFile(opts.plot!, await svgToPng(svg));
  } else {
    await Deno.writeTextFile(opts.plot!, svg);
  }
}

/**
 * Runs the command with `argv` (`--batch` hands over to the batch command): prints the fit
 * report (or JSON, confidence intervals, `--help`), writes the plot and returns the exit code:
 * 0 for a successful fit, 1 when the fit did not succeed, 2 for an error (printed on stderr).
 *
 * @param argv the command-line arguments (without the program name).
 * @returns the exit code.
 *
 * @example
 * ```ts
 * import { main } from "./cli.ts";
 * const argv = ["examples/data/decay.csv", "--model", "a*exp(-time/tau) + c", "--init", "a=5"];
 * await main([...argv, "--json"]); // 0, after printing the values as JSON
 * await main(["examples/data/decay.csv"]); // 2: "error: --model is required (see --help)"
 * ```
 *
 * @category Command line
 */
export async function main(argv: string[]): Promise<number> {
  if (argv.includes("--batch")) {
    try {
      return await runBatchCli(argv.filter((a) => a !== "--batch"));
    } catch (e) {
      console.error(`error: ${(e as Error).message}`);
      return 2;
    }
  }
  let opts: CliOptions | "help";
  try {
    opts = parseCli(argv);
  } catch (e) {
    console.error(`error: ${(e as Error).message}`);
    return 2;
  }
  if (opts === "help") {
    console.log(HELP);
    return 0;
  }
  try {
    const data = await readData(opts);
    if (data.dropped && !opts.json) {
      console.error(`note: --nan-policy omit dropped ${data.dropped} row(s) with missing cells`);
    }
    const { result, ci } = await fitData(opts, data);
    if (opts.json) {
      console.log(
        JSON.stringify(
          { ...result.summary(), ci: ci?.ci ?? null, dropped: data.dropped },
          (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v),
          2,
        ),
      );
    } else {
      console.log(result.fitReport());
      if (ci) console.log(`[[Confidence Intervals]]\n${ciReport(ci)}`);
    }
    if (opts.plot) {
      await writePlot(opts, data, result);
      if (!opts.json) console.log(`wrote ${opts.plot}`);
    }
    return result.success ? 0 : 1;
  } catch (e) {
    console.error(`error: ${(e as Error).message}`);
    return 2;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
