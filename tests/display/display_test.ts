import assert from "node:assert/strict";
import {
  ciReport,
  ciReportHtml,
  confInterval,
  fitReportHtml,
  fitSvg,
  GaussianModel,
  JUPYTER_DISPLAY,
  LinearModel,
  Minimizer,
  Parameters,
  paramsHtml,
} from "../../mod.ts";
import { loadFixture } from "../_fixtures.ts";

const ref = loadFixture("display_html.json"); // scripts/gen_display_fixture.py, lmfit 1.1.0

function lmfitParams(): Parameters {
  const p = new Parameters();
  p.add("amp", { value: 5, min: 0 });
  p.add("cen", { value: 0.25 });
  p.add("half", { expr: "amp/2" });
  p.add("w", { value: 1.5, vary: false, bruteStep: 0.25 });
  return p;
}

function paramsWithStderr(): Parameters {
  const q = new Parameters();
  q.add("amp", { value: 5, min: 0 });
  q.add("cen", { value: -0.0375, max: 10 });
  q.add("sig", { value: 1.25e-7, min: 0 });
  q.add("w", { value: 1.5, vary: false });
  const set = (name: string, stderr: number, correl: Record<string, number>) => {
    const p = q.get(name)!;
    p.stderr = stderr;
    p.correl = correl;
  };
  set("amp", 0.5, { cen: -0.42, sig: 0.953 });
  set("cen", 0.0125, { amp: -0.42, sig: 0.05 });
  set("sig", 3.5e-9, { amp: 0.953, cen: 0.05 });
  return q;
}

Deno.test("Parameters display as lmfit's _repr_html_ table, character for character", () => {
  const p = lmfitParams();
  assert.equal(paramsHtml(p.values()), ref.params_fresh);
  const bundle = p[JUPYTER_DISPLAY]();
  assert.equal(bundle["text/html"], ref.params_fresh);
  assert.equal(bundle["text/plain"], p.prettyTable());
  assert.equal(paramsHtml(paramsWithStderr().values()), ref.params_with_stderr);
});

Deno.test("the HTML fit report matches lmfit's fitreport_html_table", () => {
  const fit = { ...ref.stats, params: paramsWithStderr() };
  // lmfit writes a bare "<" in the correlations heading; ours is escaped.
  const lmfitHtml = (s: string) => s.replace("correlations are < ", "correlations are &lt; ");
  assert.equal(fitReportHtml(fit), lmfitHtml(ref.report));
  assert.equal(
    fitReportHtml({ ...fit, rsquared: 0.99876 }, { minCorrel: 0.5 }),
    lmfitHtml(ref["report_r2_min_correl_0.5"]),
  );
  assert.ok(!fitReportHtml(fit, { showCorrel: false }).includes("Correlations"));
});

Deno.test("HTML cells are escaped: an expression with < shows as text", () => {
  const p = new Parameters();
  p.add("a", { value: 1 });
  p.add("b", { expr: "a if a < 2 else 2" });
  assert.ok(paramsHtml(p.values()).includes("<td> a if a &lt; 2 else 2 </td>"));
});

Deno.test("a MinimizerResult displays lmfit's HTML report and the text fitReport", async () => {
  const x = Float64Array.from({ length: 20 }, (_, i) => i);
  const y = x.map((v) => 2 * v + 1 + Math.sin(3 * v));
  const p = new Parameters();
  p.addMany(["m", 1], ["c", 0]);
  const mini = new Minimizer(
    (q: Parameters) => x.map((v, i) => q.get("m")!.value * v + q.get("c")!.value - y[i]),
    p,
  );
  const result = await mini.minimize();
  const bundle = result[JUPYTER_DISPLAY]();
  assert.equal(bundle["text/html"], fitReportHtml(result));
  assert.ok(bundle["text/html"].includes("<tr><td># data points</td><td>20</td><td></td></tr>"));
  assert.ok(bundle["text/plain"].startsWith("[[Fit Statistics]]"));

  const ci = await confInterval(mini, result, { sigmas: [1, 2] });
  const ciBundle = (ci as typeof ci & { [JUPYTER_DISPLAY](): Record<string, string> })
    [JUPYTER_DISPLAY]();
  assert.equal(ciBundle["text/plain"], ciReport(ci));
  assert.equal(ciBundle["text/html"], ciReportHtml(ci.ci));
  assert.deepEqual(Object.keys(ci), ["ci", "trace", "warnings", "nfev"]); // not enumerable
});

Deno.test("ciReportHtml has ci_report's columns and offsets", () => {
  const html = ciReportHtml({
    a: [[0.9545, 0.8], [0.6827, 0.9], [0, 1], [0.6827, 1.1], [
      0.9545,
      1.25,
    ]],
  });
  assert.equal(
    html,
    "<table><tr><th></th><th>95.45%</th><th>68.27%</th><th>_BEST_</th><th>68.27%</th><th>95.45%</th></tr>" +
      "<tr><th>a</th><td>-0.20000</td><td>-0.10000</td><td>1.00000</td><td>+0.10000</td><td>+0.25000</td></tr></table>",
  );
  assert.ok(
    ciReportHtml({ a: [[0.6827, 0.9], [0, 1], [0.6827, 1.1]] }, { withOffset: false, ndigits: 2 })
      .includes("<td>0.90</td><td>1.00</td><td>1.10</td>"),
  );
});

Deno.test("a ModelResult displays the model, the report and an SVG of data, fit, components and residuals", async () => {
  const x = Float64Array.from({ length: 81 }, (_, i) => -4 + i / 10);
  const y = x.map((v, i) =>
    3 * Math.exp(-((v - 0.4) ** 2) / 2) + 0.2 * v + 1 + 0.01 * Math.sin(9 * i)
  );
  const model = new GaussianModel({ prefix: "g_" }).add(new LinearModel({ prefix: "b_" }));
  const params = model.makeParams({
    g_amplitude: 5,
    g_center: 0,
    g_sigma: 1,
    b_slope: 0,
    b_intercept: 0,
  });
  const result = await model.fit(y, params, { x });
  const { "text/html": html, "text/plain": text } = result[JUPYTER_DISPLAY]();
  assert.equal(text, result.fitReport());
  assert.ok(
    html.startsWith(
      `<h2> Model</h2> (Model(gaussian, prefix=&#39;g_&#39;) + Model(linear, prefix=&#39;b_&#39;)) <h2>Fit Statistics</h2>`,
    ),
    html.slice(0, 200),
  );
  assert.ok(html.includes(fitReportHtml(result)));
  const svg = html.slice(html.indexOf("<svg"));
  assert.ok(svg.endsWith("</svg>"));
  // 81 data points and 81 residuals, a line for the fit and one per component, a legend entry each.
  assert.equal(svg.match(/<circle cx=/g)!.length, 81 + 81 + 1);
  assert.equal(svg.match(/<polyline /g)!.length, 3);
  for (const label of ["data", "best fit", "g_", "b_", "residual", ">x<"]) {
    assert.ok(svg.includes(label), label);
  }
});

Deno.test("a model of two independent variables displays its report without a plot", async () => {
  const { Gaussian2dModel } = await import("../../mod.ts");
  const n = 7;
  const x = Float64Array.from({ length: n * n }, (_, i) => (i % n) - 3);
  const yv = Float64Array.from({ length: n * n }, (_, i) => Math.floor(i / n) - 3);
  const model = new Gaussian2dModel();
  const truth = model.makeParams({
    amplitude: 10,
    centerx: 0.2,
    centery: -0.1,
    sigmax: 1.2,
    sigmay: 0.9,
  });
  const z = model.eval(truth, { x, y: yv });
  const result = await model.fit(
    z,
    model.makeParams({ amplitude: 8, centerx: 0, centery: 0, sigmax: 1, sigmay: 1 }),
    { x, y: yv },
  );
  const html = result[JUPYTER_DISPLAY]()["text/html"];
  assert.ok(html.includes("<h2>Variables</h2>"));
  assert.ok(!html.includes("<svg"));
});

Deno.test("fitSvg skips non-finite values and sorts by x", () => {
  const x = Float64Array.of(3, 1, 2, 0);
  const fit = Float64Array.of(3, 1, NaN, 0);
  const svg = fitSvg({ x, data: Float64Array.of(3.1, 0.9, 2, 0), bestFit: fit, residuals: false });
  // The NaN at x = 2 splits the line in two: x = 0, 1 and x = 3.
  assert.equal(svg.match(/<polyline /g)!.length, 2);
  assert.equal(svg.match(/<circle cx=/g)!.length, 4 + 1); // data and the legend's marker
  assert.ok(!svg.includes("NaN"));
  assert.ok(!svg.includes("residual"));
});
