/**
 * `lmfit-ts` on the command line: fit a model to columns of a CSV file.
 *
 * ```sh
 * deno run -A cli.ts data.csv --x time --y signal \
 *   --model "gaussian(prefix='g_') + linear(prefix='b_')" --plot fit.svg
 * deno run -A cli.ts data.csv --model "a*exp(-x/tau) + c" --init a=5 --init tau=2 --init c=0 --json
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";
import { runBatchCli } from "./lib/cli/batch.ts";
import { readCsvFile } from "./lib/io/csv.ts";
import { modelFromSpec } from "./lib/model/model_spec.ts";
import type { BaseModel } from "./lib/model/model.ts";
import type { ModelResult } from "./lib/model/model_result.ts";
import { Parameters } from "./lib/parameters.ts";
import { plotFit } from "./lib/plot/plot_fit.ts";
import { ciReport } from "./lib/confidence.ts";
import { METHODS } from "./lib/fit/minimizer.ts";
import { BUILTIN_MODELS } from "./lib/model/models.ts";

/** The `--help` text. */
export const HELP: string =
  `lmfit-ts: fit a model to two columns of a CSV file and print lmfit's report.

Usage:
  deno run -A cli.ts DATA.csv --model SPEC [options]

Model (--model, required):
  Built-in models combined with + - * /, each with optional prefix:
    --model "gaussian(prefix='g_') + linear(prefix='b_')"
  or an expression in the independent variable (Python syntax):
    --model "a*exp(-x/tau) + c"
  Built-ins: ${Object.keys(BUILTIN_MODELS).join(", ")}

Options:
  --x COL            column of the independent variable (default: first column)
  --y COL            column of the data (default: second column)
  --weights COL      column of weights (residual = (model - data) * weight)
  --init NAME=VALUE  start value of a parameter (repeatable); without any, built-in
                     models guess start values from the data, expression parameters start at 1
  --set NAME=MIN:MAX bounds for a parameter (either side may be empty), or
  --set NAME=fixed   keep a parameter at its start value (repeatable)
  --method M         fitting method (default leastsq): ${METHODS.join(", ")}
  --json             print JSON (values, stderr, correlations, statistics) instead of the report
  --plot FILE.svg    write an SVG plot of data, fit, components and residuals
  --ci               also compute confidence intervals (shows a progress bar on stderr)
  --batch            fit every row of a CSV/.npy matrix (see --batch --help)
  -h, --help         show this help

Example:
  deno run -A cli.ts examples/data/two_peaks.csv --x x --y y \\
    --model "gaussian(prefix='g_') + lorentzian(prefix='l_') + linear(prefix='b_')" --plot fit.svg
`;

/** Parsed command-line options. */
export interface CliOptions {
  file: string;
  x?: string;
  y?: string;
  weights?: string;
  model: string;
  init: Record<string, number>;
  set: Record<string, { min?: number; max?: number; fixed?: boolean }>;
  method: string;
  json: boolean;
  plot?: string;
  ci: boolean;
}

/** Parses argv into `CliOptions`; throws a `TypeError` with a user-facing message on bad input. */
export function parseCli(argv: string[]): CliOptions | "help" {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      x: { type: "string" },
      y: { type: "string" },
      weights: { type: "string" },
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
    model: values.model,
    init,
    set,
    method: values.method ?? "leastsq",
    json: !!values.json,
    plot: values.plot,
    ci: !!values.ci,
  };
}

/**
 * Start parameters: `--init` values when given; otherwise guesses for built-ins (components
 * of a sum are guessed one after another on what the earlier ones leave unexplained).
 */
export function startParams(
  model: BaseModel,
  x: Float64Array,
  y: Float64Array,
  opts: CliOptions,
): Parameters {
  const xName = model.independentVars[0];
  let params: Parameters;
  if (
    Object.keys(opts.init).length > 0 ||
    model.components.some((c) => c.expression() !== null && !canGuess(c))
  ) {
    const values: Record<string, number> = {};
    for (const n of model.paramNames) values[n] = opts.init[n] ?? 1;
    const unknown = Object.keys(opts.init).filter((k) => !model.paramNames.includes(k));
    if (unknown.length) {
      throw new TypeError(
        `--init: unknown parameter(s) ${unknown.join(", ")}; the model has ${
          model.paramNames.join(", ")
        }`,
      );
    }
    params = model.makeParams(values);
  } else {
    params = new Parameters();
    let remaining = Float64Array.from(y);
    for (const c of model.components) {
      const g = c.guess(remaining, { [xName]: x });
      const curve = c.eval(g, { [xName]: x });
      remaining = remaining.map((v, i) => v - curve[i]);
      for (const p of g.values()) params.add(p);
    }
    // Derived parameters (fwhm, height, ...) of composites come with each component's guess.
  }
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

function progressBar(done: number, total: number): void {
  const width = 30;
  const filled = Math.round((done / total) * width);
  const line = `\r[${"#".repeat(filled)}${
    "-".repeat(width - filled)
  }] ${done}/${total} confidence limits`;
  Deno.stderr.writeSync(new TextEncoder().encode(line + (done === total ? "\n" : "")));
}

/** Runs the command; returns the text it printed (also printed). */
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
    const table = await readCsvFile(opts.file);
    const xCol = opts.x ?? table.columns[0];
    const yCol = opts.y ?? table.columns[1];
    for (const c of [xCol, yCol, opts.weights].filter((c): c is string => !!c)) {
      if (!(c in table.data)) {
        throw new TypeError(
          `column '${c}' not in ${opts.file}; columns are ${table.columns.join(", ")}`,
        );
      }
    }
    const model = modelFromSpec(opts.model);
    const x = table.data[xCol];
    const y = table.data[yCol];
    const params = startParams(model, x, y, opts);
    const result: ModelResult = await model.fit(y, params, {
      [model.independentVars[0]]: x,
      weights: opts.weights ? table.data[opts.weights] : undefined,
      method: opts.method,
    });
    let ciText = "";
    // deno-lint-ignore no-explicit-any
    let ciJson: any = null;
    if (opts.ci) {
      const ci = await result.confInterval({
        onProgress: ({ done, total }) => progressBar(done, total),
      });
      ciText = ciReport(ci);
      ciJson = ci.ci;
    }
    if (opts.json) {
      console.log(
        JSON.stringify(
          { ...result.summary(), ci: ciJson },
          (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v),
          2,
        ),
      );
    } else {
      console.log(result.fitReport());
      if (ciText) console.log(`[[Confidence Intervals]]\n${ciText}`);
    }
    if (opts.plot) {
      await Deno.writeTextFile(
        opts.plot,
        await plotFit(result, { title: opts.model, xLabel: xCol, yLabel: yCol }),
      );
      if (!opts.json) console.log(`wrote ${opts.plot}`);
    }
    return result.success ? 0 : 1;
  } catch (e) {
    console.error(`error: ${(e as Error).message}`);
    return 2;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
