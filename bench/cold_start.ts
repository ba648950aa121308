/**
 * Cold start of a small fitting script (one Gaussian fit), today's entry point against the
 * layout before the split, in the same run: `deno run -A bench/cold_start.ts [runs]`.
 *
 * Each variant is a script in a temporary folder outside the checkout (no deno.json in reach, as
 * for a user's script) that imports the library by path, fits one Gaussian to 101 points and
 * prints the centre. Every run is a fresh `deno run` process (module cache warm, as on any second
 * run); the variants alternate so that load on this shared machine hits both alike.
 *
 * - `mod.ts` (now): parameters, fitting, models, no plotting library in the graph.
 * - `mod.ts + plot.ts + csv-parse` (before): the same graph plus Vega, Vega-Lite and the d3
 *   packages, and the npm CSV parser the CSV reader used then: what importing `mod.ts` loaded
 *   before plotting moved to `plot.ts`.
 * - `plot.ts` import alone, and an empty script: the cost of Vega and of starting Deno at all.
 *
 * Prints the median and best wall time of each and the ratio new / old.
 *
 * Measured on the shared 2-core development machine (Deno 2.9.6, load average 2.5 to 13 from other
 * work), three runs: now / before = 0.41, 0.48 and 0.46 by median wall time (396 vs 965 ms,
 * 492 vs 1018 ms, 612 vs 1320 ms), 0.53, 0.42 and 0.45 by best; an empty script took 178–272 ms.
 * Importing `mod.ts` alone, timed inside the process, took 100–165 ms, of which the npm CSV parser
 * was 40–60 ms before the CSV reader was written in TypeScript.
 */

const runs = Number(Deno.args[0] ?? 15);
const root = new URL("../", import.meta.url);
const dir = await Deno.makeTempDir({ prefix: "lmfit_cold_" });

const fit = `
const x = Float64Array.from({ length: 101 }, (_, i) => -5 + i / 10);
const y = x.map((v) => 3 * Math.exp(-((v - 0.4) ** 2) / 2));
const model = new GaussianModel();
const result = await model.fit(y, model.guess(y, { x }), { x });
console.log(result.params.get("center")!.value.toFixed(6));
`;
const variants: Record<string, string> = {
  "mod.ts (now)": `import { GaussianModel } from "${new URL("mod.ts", root)}";${fit}`,
  "mod.ts + plot.ts + csv-parse (before)": [
    `import { GaussianModel } from "${new URL("mod.ts", root)}";`,
    `import "${new URL("plot.ts", root)}";`,
    `import "npm:csv-parse@6.2.0/sync";${fit}`,
  ].join("\n"),
  "plot.ts alone": `import "${new URL("plot.ts", root)}";`,
  "empty script (Deno itself)": `console.log("0");`,
};

const files: Record<string, string> = {};
let k = 0;
for (const [name, src] of Object.entries(variants)) {
  files[name] = `${dir}/v${k++}.ts`;
  await Deno.writeTextFile(files[name], src);
}

async function once(file: string): Promise<number> {
  const t0 = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", file],
    cwd: dir,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const ms = performance.now() - t0;
  if (!out.success) throw new Error(`${file} failed: ${new TextDecoder().decode(out.stderr)}`);
  return ms;
}

const times: Record<string, number[]> = {};
for (const name of Object.keys(files)) {
  times[name] = [];
  await once(files[name]); // fills the module cache (type stripping, npm resolution)
}
for (let r = 0; r < runs; r++) {
  for (const name of Object.keys(files)) times[name].push(await once(files[name]));
}
await Deno.remove(dir, { recursive: true });

const median = (a: number[]) => {
  const s = [...a].sort((p, q) => p - q);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
console.log(
  `cold start, ${runs} runs each, ${Deno.version.deno}, ${navigator.hardwareConcurrency} cores`,
);
console.log("variant".padEnd(38), "median ms".padStart(10), "best ms".padStart(9));
for (const [name, t] of Object.entries(times)) {
  console.log(
    name.padEnd(38),
    median(t).toFixed(0).padStart(10),
    Math.min(...t).toFixed(0).padStart(9),
  );
}
const names = Object.keys(times);
const ratio = median(times[names[0]]) / median(times[names[1]]);
const bestRatio = Math.min(...times[names[0]]) / Math.min(...times[names[1]]);
console.log(
  `one Gaussian fit, now / before: ${ratio.toFixed(2)} (median), ${bestRatio.toFixed(2)} (best)`,
);
