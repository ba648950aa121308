import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const root = new URL("../", import.meta.url);
const decoder = new TextDecoder();

/** Runs `deno ARGS` in `cwd` (a folder with no deno.json above it) and returns stdout. */
async function deno(cwd: string, ...args: string[]): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    cwd,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const stdout = decoder.decode(out.stdout), stderr = decoder.decode(out.stderr);
  assert.ok(out.success, `deno ${args.join(" ")} failed:\n${stdout}\n${stderr}`);
  return stdout;
}

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "lmfit entry " }); // a space in the path
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a script outside the checkout imports mod.ts by path and fits, without our deno.json", async () => {
  await withTempDir(async (dir) => {
    const script = `${dir}/fit.ts`;
    await Deno.writeTextFile(
      script,
      `import { GaussianModel, readCsv } from ${JSON.stringify(new URL("mod.ts", root).href)};
const table = readCsv("x,y\\n" + Array.from({ length: 61 }, (_, i) => {
  const x = -3 + i / 10;
  return x + "," + 2 * Math.exp(-((x - 0.25) ** 2) / (2 * 0.5 ** 2));
}).join("\\n"));
const { x, y } = table.data;
const model = new GaussianModel();
const result = await model.fit(y, model.guess(y, { x }), { x });
console.log(JSON.stringify(result.params.valuesdict()));
`,
    );
    const values = JSON.parse(await deno(dir, "run", "--quiet", "--allow-read", script));
    assert.ok(Math.abs(values.center - 0.25) < 1e-6, `center ${values.center}`);
    assert.ok(Math.abs(values.sigma - 0.5) < 1e-6, `sigma ${values.sigma}`);
  });
});

Deno.test("a script outside the checkout imports plot.ts by path and draws an SVG", async () => {
  await withTempDir(async (dir) => {
    const script = `${dir}/plot.ts`;
    await Deno.writeTextFile(
      script,
      `import { GaussianModel } from ${JSON.stringify(new URL("mod.ts", root).href)};
import { plotFit } from ${JSON.stringify(new URL("plot.ts", root).href)};
const x = Float64Array.from({ length: 41 }, (_, i) => -4 + i / 5);
const y = x.map((v) => Math.exp(-v * v / 2));
const model = new GaussianModel();
const result = await model.fit(y, model.guess(y, { x }), { x });
console.log((await plotFit(result, { title: "outside" })).slice(0, 4));
`,
    );
    assert.equal((await deno(dir, "run", "--quiet", script)).trim(), "<svg");
  });
});

Deno.test("mod.ts has no plotting library (vega, vega-lite, d3) in its module graph", async () => {
  const info = JSON.parse(
    await deno(fileURLToPath(root), "info", "--json", fileURLToPath(new URL("mod.ts", root))),
  );
  // Only the modules the graph reaches: npmPackages lists every package in the lockfile.
  const specifiers: string[] = info.modules.map((m: { specifier: string }) => m.specifier);
  assert.ok(specifiers.length > 50, `the graph has ${specifiers.length} modules`);
  const plotting = specifiers.filter((s) => /vega|(^|[/:@])d3-/.test(s));
  assert.deepEqual(plotting, []);
  const plot = JSON.parse(
    await deno(fileURLToPath(root), "info", "--json", fileURLToPath(new URL("plot.ts", root))),
  );
  assert.ok(
    plot.modules.some((m: { specifier: string }) => m.specifier.startsWith("npm:/vega-lite@")),
  );
});

Deno.test("the demo runs from a path with spaces and writes its SVG there", async () => {
  await withTempDir(async (dir) => {
    // A copy of examples/ beside entry points that re-export the checkout's.
    const project = `${dir}/my project`;
    await Deno.mkdir(`${project}/examples/data`, { recursive: true });
    await Deno.copyFile(new URL("examples/demo.ts", root), `${project}/examples/demo.ts`);
    await Deno.copyFile(
      new URL("examples/data/two_peaks.csv", root),
      `${project}/examples/data/two_peaks.csv`,
    );
    for (const entry of ["mod.ts", "plot.ts"]) {
      await Deno.writeTextFile(
        `${project}/${entry}`,
        `export * from ${JSON.stringify(new URL(entry, root).href)};\n`,
      );
    }
    const out = await deno(
      project,
      "run",
      "--quiet",
      "--allow-read",
      "--allow-write",
      "examples/demo.ts",
    );
    const svgPath = `${project}/examples/out/two_peaks.svg`;
    assert.ok(out.includes(`wrote ${svgPath}`), out.slice(-300));
    assert.ok((await Deno.readTextFile(svgPath)).startsWith("<svg"));
  });
});
