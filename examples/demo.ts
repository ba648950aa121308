/**
 * `deno task demo`: the CSV file in examples/data fitted end to end.
 *
 * Reads two peaks on a sloping background, builds Gaussian + Lorentzian + linear from built-in
 * models, guesses start values from the data, fits, prints lmfit's report and the 1σ/2σ/3σ
 * confidence intervals of the peak centres, and writes an SVG plot of data, fit, components and
 * residuals to examples/out/two_peaks.svg.
 */
import { fileURLToPath } from "node:url";
import { GaussianModel, LinearModel, LorentzianModel, Parameters, readCsvFile } from "../mod.ts";
import { plotFit } from "../plot.ts";

const here = new URL(".", import.meta.url);
const table = await readCsvFile(fileURLToPath(new URL("data/two_peaks.csv", here)));
const { x, y } = table.data;

const gauss = new GaussianModel({ prefix: "g_" });
const lorentz = new LorentzianModel({ prefix: "l_" });
const line = new LinearModel({ prefix: "b_" });
const model = gauss.add(lorentz).add(line);

// Guess each peak on what the previous guesses leave unexplained.
const params = new Parameters();
let rest = Float64Array.from(y);
for (const component of [gauss, lorentz, line]) {
  const guess = component.guess(rest, { x });
  const curve = component.eval(guess, { x });
  rest = rest.map((v, i) => v - curve[i]);
  for (const p of guess.values()) params.add(p);
}

const t0 = performance.now();
const result = await model.fit(y, params, { x });
const ms = performance.now() - t0;
console.log(result.fitReport());
console.log(
  `\nfitted ${x.length} points in ${
    ms.toFixed(1)
  } ms (${result.nfev} evaluations): ${result.message}\n`,
);

console.log("[[Confidence intervals]]");
console.log(await result.ciReport({ pNames: ["g_center", "l_center"] }));

const outDir = new URL("out/", here);
await Deno.mkdir(outDir, { recursive: true });
const svgPath = fileURLToPath(new URL("two_peaks.svg", outDir));
await Deno.writeTextFile(
  svgPath,
  await plotFit(result, { title: "Gaussian + Lorentzian + linear" }),
);
console.log(`\nwrote ${svgPath}`);
