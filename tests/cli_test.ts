import assert from "node:assert/strict";
import { HELP, main, parseCli } from "../cli.ts";
import { assertClose, loadFixture } from "./_fixtures.ts";

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
