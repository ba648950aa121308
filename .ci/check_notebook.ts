/**
 * CI: checks a notebook executed by `jupyter nbconvert --execute` (Deno's kernel): no cell failed,
 * and the outputs hold lmfit's HTML parameter table, an HTML fit report with an inline SVG plot,
 * and an HTML confidence-interval table.
 *
 * Usage: deno run --allow-read .ci/check_notebook.ts EXECUTED.ipynb
 */
interface Output {
  output_type: string;
  data?: Record<string, string | string[]>;
  ename?: string;
  evalue?: string;
}
interface Cell {
  cell_type: string;
  source: string | string[];
  outputs?: Output[];
}

const path = Deno.args[0];
if (!path) throw new Error("usage: check_notebook.ts EXECUTED.ipynb");
const nb: { cells: Cell[] } = JSON.parse(await Deno.readTextFile(path));
const text = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join("") : v ?? "");
const code = nb.cells.filter((c) => c.cell_type === "code");
const problems: string[] = [];
const html: string[] = [];
for (const [i, cell] of code.entries()) {
  const outputs = cell.outputs ?? [];
  if (outputs.length === 0) problems.push(`code cell ${i + 1} has no output (was it executed?)`);
  for (const o of outputs) {
    if (o.output_type === "error") {
      problems.push(`code cell ${i + 1} failed: ${o.ename}: ${o.evalue}`);
    }
    const h = text(o.data?.["text/html"]);
    if (h) html.push(h);
  }
}
const expect = (what: string, test: (h: string) => boolean) => {
  if (!html.some(test)) problems.push(`no text/html output with ${what}`);
};
expect(
  "lmfit's parameter table",
  (h) => h.startsWith("<table><tr><th> name </th><th> value </th>"),
);
expect(
  "a fit report",
  (h) => h.includes("<h2>Fit Statistics</h2>") && h.includes("<h2>Variables</h2>"),
);
expect(
  "an inline SVG plot of the fit",
  (h) =>
    /<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/.test(h) && h.includes("<polyline") &&
    h.trimEnd().endsWith("</svg>"),
);
expect("a confidence-interval table", (h) => h.includes("<th>_BEST_</th>"));
if (problems.length) {
  console.error(`${path}:\n  ${problems.join("\n  ")}`);
  Deno.exit(1);
}
console.log(`${path}: ${code.length} code cells ran; HTML tables and the SVG plot are there`);
