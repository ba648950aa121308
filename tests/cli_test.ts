import assert from "node:assert/strict";
import { HELP, main, parseCli } from "../cli.ts";
import { assertClose, loadFixture } from "./_fixtures.ts";
import { decode } from "fast-png";

const csv = new URL("../examples/data/two_peaks.csv", import.meta.url).pathname;
const ref = loadFixture("composite.json");
const spec = "gaussian(prefix='g_') + lorentzian(prefix='l_') + linear(prefix='b_')";

async function capture(
  fn: () => Promise<number>,
): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [], err: string[] = [];
  const log = console.log, error = console.error;
  console.log = (...a: unknown[]) => out.push(a.join(" "));
  console.error = (...a: unknown[]) => err.push(a.join(" "));
  try {
    const code = await fn();
    return { code, out: out.join("\n"), err: err.join("\n") };
  } finally {
    console.log = log;
    console.error = error;
  }
}

Deno.test("cli fits the CSV with guessed starts to lmfit's numbers and prints the report", async () => {
  const { code, out } = await capture(() => main([csv, "--x", "x", "--y", "y", "--model", spec]));
  assert.equal(code, 0, out);
  assert.match(out, /^\[\[Model\]\]/);
  const m = /g_center: +([-0-9.]+) \+\/-/.exec(out)!;
  assertClose(Number(m[1]), ref.values.g_center, 1e-6, "g_center from the report");
});

Deno.test("cli --json parses and carries values, stderr, correlations and statistics", async () => {
  const { code, out } = await capture(() => main([csv, "--model", spec, "--json"]));
  assert.equal(code, 0);
  const j = JSON.parse(out);
  for (const [name, v] of Object.entries(ref.values as Record<string, number>)) {
    assertClose(j.params[name].value, v, 1e-5, name);
    assertClose(j.params[name].stderr, ref.stderr[name], 2e-2, `${name} stderr`);
  }
  assertClose(j.rsquared, ref.rsquared, 1e-6, "rsquared");
  assert.equal(typeof j.params.g_center.correl.g_sigma, "number");
});

Deno.test("cli --plot writes an SVG with data and fit; --init and --set apply", async () => {
  const svgPath = await Deno.makeTempFile({ suffix: ".svg" });
  const { code, out } = await capture(() =>
    main([
      csv,
      "--model",
      "a*exp(-(x-c)**2/(2*s**2)) + b",
      "--init",
      "a=12",
      "--init",
      "c=6",
      "--init",
      "s=1",
      "--init",
      "b=2",
      "--set",
      "s=0:5",
      "--plot",
      svgPath,
    ])
  );
  assert.equal(code, 0, out);
  const svg = await Deno.readTextFile(svgPath);
  assert.ok(svg.startsWith("<svg"));
  assert.match(svg, /best fit/);
  assert.match(out, /s: +[0-9.]+ \+\/- /);
  await Deno.remove(svgPath);
});

Deno.test("cli reports bad input clearly", async () => {
  const bad = await capture(() => main([csv, "--model", spec, "--x", "time"]));
  assert.equal(bad.code, 2);
  assert.match(bad.err, /column 'time' not in .*; columns are x, y/);
  const noModel = await capture(() => main([csv]));
  assert.match(noModel.err, /--model is required/);
  assert.throws(() => parseCli([csv, "--model", "x", "--init", "a=b"]), /expected NAME=NUMBER/);
  assert.throws(() => parseCli([csv, "--model", "x", "--set", "a=1"]), /NAME=MIN:MAX/);
  const tmp = await Deno.makeTempFile({ suffix: ".csv" });
  await Deno.writeTextFile(tmp, "x,y\n1,2\n2,oops\n");
  const malformed = await capture(() => main([tmp, "--model", "linear()"]));
  assert.match(malformed.err, /line 3, column 'y': 'oops' is not a number/);
  await Deno.remove(tmp);
  const help = await capture(() => main(["--help"]));
  assert.equal(help.code, 0);
  assert.equal(help.out, HELP);
  assert.match(HELP, /--model SPEC/);
});

/** Writes `text` (or bytes) to a temporary file with `suffix`; returns its path. */
async function tempFile(content: string | Uint8Array, suffix = ".csv"): Promise<string> {
  const path = await Deno.makeTempFile({ suffix });
  if (typeof content === "string") await Deno.writeTextFile(path, content);
  else await Deno.writeFile(path, content);
  return path;
}

/** A straight line y = 2x + 1 with small deterministic noise, as CSV rows "x<d>y". */
function lineRows(n: number, d: string, decimal = "."): string[] {
  return Array.from({ length: n }, (_, i) => {
    const y = 2 * i + 1 + 0.01 * Math.sin(i * 7.3);
    return `${String(i / 2).replace(".", decimal)}${d}${String(y).replace(".", decimal)}`;
  });
}

Deno.test("cli reads a CSV with a byte-order mark by its first column's name", async () => {
  const path = await tempFile(
    new Uint8Array([
      0xef,
      0xbb,
      0xbf,
      ...new TextEncoder().encode(`x,y\n${lineRows(20, ",").join("\n")}\n`),
    ]),
  );
  const { code, out, err } = await capture(() =>
    main([path, "--x", "x", "--y", "y", "--model", "linear()", "--json"])
  );
  assert.equal(code, 0, err);
  assertClose(JSON.parse(out).params.slope.value, 4, 1e-3, "slope");
  await Deno.remove(path);
});

Deno.test("cli detects semicolons, tabs and whitespace, and takes --delimiter and --decimal", async () => {
  for (
    const [d, extra] of [[";", []], ["\t", []], ["   ", []], ["|", ["--delimiter", "|"]]] as const
  ) {
    const path = await tempFile(`x${d}y\n${lineRows(20, d).join("\n")}\n`);
    const { code, out, err } = await capture(() =>
      main([path, "--model", "linear()", "--json", ...extra])
    );
    assert.equal(code, 0, `${JSON.stringify(d)}: ${err}`);
    assertClose(JSON.parse(out).params.slope.value, 4, 1e-3, `slope with ${JSON.stringify(d)}`);
    await Deno.remove(path);
  }
  const eu = await tempFile(`x;y\n${lineRows(20, ";", ",").join("\n")}\n`);
  const noDecimal = await capture(() => main([eu, "--model", "linear()"]));
  assert.equal(noDecimal.code, 2);
  assert.match(noDecimal.err, /is not a number \(for decimal commas use --decimal ,/);
  const withDecimal = await capture(() =>
    main([eu, "--model", "linear()", "--decimal", ",", "--json"])
  );
  assert.equal(withDecimal.code, 0, withDecimal.err);
  assertClose(JSON.parse(withDecimal.out).params.slope.value, 4, 1e-3, "slope with decimal commas");
  await Deno.remove(eu);
  assert.throws(
    () => parseCli([csv, "--model", "x", "--decimal", ";"]),
    /--decimal ;: expected \. or ,/,
  );
});

Deno.test("cli --nan-policy: raise names the first gap, omit drops its rows, propagate keeps NaN", async () => {
  const rows = lineRows(20, ",");
  rows[6] = "3,";
  rows[9] = ",19";
  const path = await tempFile(`x,y,note\n${rows.map((r) => r + ",").join("\n")}\n`);
  const raised = await capture(() => main([path, "--model", "linear()"]));
  assert.equal(raised.code, 2);
  assert.match(
    raised.err,
    /line 8 \(data row 7\), column 'y': the cell is empty or nan; use --nan-policy omit/,
  );
  const omitted = await capture(() =>
    main([path, "--model", "linear()", "--nan-policy", "omit", "--json"])
  );
  assert.equal(omitted.code, 0, omitted.err);
  const j = JSON.parse(omitted.out);
  assert.equal(j.ndata, 18);
  assert.equal(j.dropped, 2);
  assertClose(j.params.slope.value, 4, 1e-3, "slope without the gaps");
  const kept = await capture(() =>
    main([path, "--model", "linear()", "--nan-policy", "propagate", "--json"])
  );
  assert.notEqual(kept.code, 2, kept.err); // a fit, whether or not the solver calls it a success
  const k = JSON.parse(kept.out);
  assert.equal(k.ndata, 20);
  assert.equal(k.chisqr, "NaN"); // NaN reached the fit, as lmfit's nan_policy='propagate'
  assert.throws(
    () => parseCli([csv, "--model", "x", "--nan-policy", "drop"]),
    /expected raise, omit or propagate/,
  );
  await Deno.remove(path);
});

Deno.test("cli --plot FILE.png writes a real PNG of the plot's size; other extensions are refused", async () => {
  const png = await Deno.makeTempFile({ suffix: ".png" });
  const svg = await Deno.makeTempFile({ suffix: ".svg" });
  const a = await capture(() => main([csv, "--model", spec, "--plot", png]));
  assert.equal(a.code, 0, a.err);
  const b = await capture(() => main([csv, "--model", spec, "--plot", svg]));
  assert.equal(b.code, 0, b.err);
  const bytes = await Deno.readFile(png);
  assert.deepEqual(Array.from(bytes.subarray(0, 8)), [137, 80, 78, 71, 13, 10, 26, 10]);
  const image = decode(bytes);
  const [, w, h] = /<svg[^>]* width="(\d+)" height="(\d+)"/.exec(await Deno.readTextFile(svg))!;
  assert.deepEqual([image.width, image.height], [Number(w), Number(h)]);
  assert.ok(image.width > 600 && image.height > 400);
  const jpg = await capture(() => main([csv, "--model", spec, "--plot", "/tmp/fit.jpg"]));
  assert.equal(jpg.code, 2);
  assert.match(
    jpg.err,
    /--plot \/tmp\/fit\.jpg: unknown file type; the name must end in \.svg or \.png/,
  );
  await Deno.remove(png);
  await Deno.remove(svg);
});

Deno.test("cli --plot of 100,000 rows writes a small SVG (min/max-decimated) and fits all rows", async () => {
  const n = 100_000;
  const rows = Array.from({ length: n }, (_, i) => {
    const x = (i / n) * 20;
    return `${x},${10 * Math.exp(-((x - 8) ** 2) / 2) + 0.3 * Math.sin(i * 12.9898)}`;
  });
  const path = await tempFile(`x,y\n${rows.join("\n")}\n`);
  const svg = await Deno.makeTempFile({ suffix: ".svg" });
  const { code, out, err } = await capture(() =>
    main([path, "--model", "gaussian()", "--plot", svg, "--json"])
  );
  assert.equal(code, 0, err);
  assert.equal(JSON.parse(out).ndata, n);
  const text = await Deno.readTextFile(svg);
  assert.ok(text.length < 1_500_000, `${text.length} characters of SVG`);
  assert.ok(text.split("<path").length - 1 < 5000, "at most a few thousand marks");
  await Deno.remove(path);
  await Deno.remove(svg);
});

Deno.test("cli --model: unknown models and options name the valid ones, closest first", async () => {
  const gauss = await capture(() => main([csv, "--model", "gauss()"]));
  assert.equal(gauss.code, 2);
  assert.match(
    gauss.err,
    /unknown model or function 'gauss'; built-in models, closest first: gaussian, /,
  );
  const foo = await capture(() => main([csv, "--model", "gaussian(foo=2)"]));
  assert.equal(foo.code, 2);
  assert.match(
    foo.err,
    /gaussian\(\) has no option 'foo'; its options, closest first: prefix, nan_policy/,
  );
  const pfx = await capture(() => main([csv, "--model", "gaussian(prefx='g_')"]));
  assert.match(pfx.err, /its options, closest first: prefix, nan_policy/);
  const deg = await capture(() => main([csv, "--model", "polynomial(degre=2)"]));
  assert.match(
    deg.err,
    /polynomial\(\) has no option 'degre'; its options, closest first: degree, /,
  );
});

Deno.test("cli --model adds built-ins and an expression; a product of both says why not", async () => {
  const mixed = await capture(() =>
    main([
      csv,
      "--model",
      "gaussian(prefix='g_') + lorentzian(prefix='l_') + slope*x + offset",
      "--json",
    ])
  );
  assert.equal(mixed.code, 0, mixed.err);
  const j = JSON.parse(mixed.out);
  // The same model as gaussian + lorentzian + linear: lmfit's numbers for that one.
  assertClose(j.params.g_center.value, ref.values.g_center, 1e-5, "g_center");
  assertClose(j.params.slope.value, ref.values.b_slope, 1e-4, "slope");
  assertClose(j.rsquared, ref.rsquared, 1e-6, "rsquared");
  const product = await capture(() => main([csv, "--model", "gaussian() * exp(-x/t)"]));
  assert.equal(product.code, 2);
  assert.match(
    product.err,
    /mixes a built-in model with an expression .* Write the whole model as an expression/,
  );
});

Deno.test("cli --ci draws its progress bar only when stderr is a terminal", async () => {
  const stderr = Deno.stderr as unknown as {
    isTerminal: () => boolean;
    writeSync: (b: Uint8Array) => number;
  };
  const { isTerminal, writeSync } = stderr;
  const written: string[] = [];
  stderr.writeSync = (b: Uint8Array) => {
    written.push(new TextDecoder().decode(b));
    return b.length;
  };
  try {
    for (const terminal of [false, true]) {
      written.length = 0;
      stderr.isTerminal = () => terminal;
      const { code, err } = await capture(() => main([csv, "--model", "linear()", "--ci"]));
      assert.equal(code, 0, err);
      const drawn = written.join("");
      if (terminal) assert.match(drawn, /\[#+\] 4\/4 confidence limits/);
      else assert.equal(drawn, "", "no progress bar when stderr is a file or pipe");
    }
  } finally {
    stderr.isTerminal = isTerminal;
    stderr.writeSync = writeSync;
  }
});

/** Bare specifiers that loading `entry` imports statically, through its local imports. */
async function staticImports(entry: URL): Promise<Set<string>> {
  const seen = new Set<string>(), bare = new Set<string>();
  const visit = async (url: URL) => {
    if (seen.has(url.href)) return;
    seen.add(url.href);
    const source = await Deno.readTextFile(url);
    const re = /^\s*(?:import|export)(?!\s+type\b)(?:[^'";]*?\bfrom)?\s*["']([^"']+)["']/gm;
    for (const [, spec] of source.matchAll(re)) {
      if (spec.startsWith(".")) await visit(new URL(spec, url));
      else bare.add(spec);
    }
  };
  await visit(entry);
  return bare;
}

Deno.test("cli.ts loads the plotting libraries only when asked to plot", async () => {
  const bare = [...await staticImports(new URL("../cli.ts", import.meta.url))];
  const plotting = bare.filter((s) => /vega|resvg|d3/.test(s));
  assert.deepEqual(plotting, [], `static imports of cli.ts: ${bare.join(", ")}`);
  // ...and the walk does find them behind the plot module.
  const plot = [...await staticImports(new URL("../lib/plot/plot_fit.ts", import.meta.url))];
  assert.ok(plot.some((s) => /vega-lite/.test(s)), plot.join(", "));
});

/** Splits a shell command line (single and double quotes, backslash-newline) into words. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  for (
    const [, dq, sq, plain] of line.replaceAll("\\\n", " ").matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)
  ) {
    words.push(dq ?? sq ?? plain);
  }
  return words;
}

Deno.test("the README's command-line examples run and fit models that suit their data", async () => {
  const readme = await Deno.readTextFile(new URL("../README.md", import.meta.url));
  const block = /### Command line\n+```sh\n([\s\S]*?)```/.exec(readme)![1];
  const commands = block.split(/\n(?=deno run)/).map((c) => shellWords(c.trim()));
  assert.equal(commands.length, 2);
  const root = new URL("../", import.meta.url).pathname;
  for (const words of commands) {
    assert.deepEqual(words.slice(0, 4), ["deno", "run", "-A", "cli.ts"]);
    const args = words.slice(4).map((w, i, a) =>
      a[i - 1] === "--plot" ? `/tmp/readme_fit_${i}.png` : w.startsWith("examples/") ? root + w : w
    );
    const { code, out, err } = await capture(() =>
      main([...args.filter((a) => a !== "--json"), "--json"])
    );
    assert.equal(code, 0, err);
    const rsquared = JSON.parse(out).rsquared;
    assert.ok(rsquared > 0.99, `${words.join(" ")}: R² ${rsquared}`);
  }
});
