/**
 * Writes files in Python lmfit's layout with lmfit-ts (Parameters.dump, saveModel,
 * saveModelResult) plus the values lmfit must reproduce from them, for
 * scripts/check_lmfit_ts_files.py to load in Python lmfit 1.1.0.
 *
 * Run: deno run --allow-write scripts/make_lmfit_ts_files.ts [outdir]
 *      /usr/bin/python3 scripts/check_lmfit_ts_files.py [outdir]
 * The default outdir is tests/testdata/lmfit_ts_files (committed; tests/model/lmfit_files_test.ts
 * checks that the writer still produces exactly these files).
 *
 * @module
 */
import {
  ExpressionModel,
  GaussianModel,
  LinearModel,
  LorentzianModel,
  Parameters,
  saveModel,
  saveModelResult,
  StepModel,
} from "../mod.ts";

/** The files and expected values, by file name. */
export async function lmfitTsFiles(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const expected: Record<string, unknown> = {};

  const p = new Parameters();
  p.symtable.set("scale", 2.5);
  p.add("amp", { value: 10.5, min: 0, bruteStep: 0.5 });
  p.add("cen", { value: -1.25, min: -5, max: 5 });
  p.add("e", { value: 2, vary: false });
  p.add("half", { expr: "amp / 2 + e * scale" });
  p.get("amp")!.stderr = 0.25;
  p.get("amp")!.correl = { cen: 0.125 };
  p.get("cen")!.userData = { unit: "s" };
  out["params.json"] = p.dumps();
  expected.params = Object.fromEntries(
    [...p.values()].map((q) => [q.name, {
      value: q.value,
      min: q.min,
      max: q.max,
      vary: q.vary,
      expr: q.expr,
      stderr: q.stderr,
      brute_step: q.bruteStep,
    }]),
  );

  const x = Float64Array.from({ length: 41 }, (_, i) => -4 + i / 5);
  const models = {
    gaussian: new GaussianModel({ prefix: "g_" }).setParamHint("sigma", { min: 0.1, max: 4 }),
    step: new StepModel({ prefix: "s_", form: "erf" }),
    expression: new ExpressionModel("a * exp(-b * x) + c"),
    composite: new GaussianModel({ prefix: "p1_" }).add(
      new LorentzianModel({ prefix: "p2_" }).mul(new LinearModel({ prefix: "bg_" })),
    ),
    // A composite's own hint: lmfit 1.1.0 saves none (it loads this file without it).
    composite_hints: new GaussianModel({ prefix: "h1_" }).add(new GaussianModel({ prefix: "h2_" }))
      .setParamHint("ratio", { expr: "h1_amplitude / h2_amplitude" }),
  };
  const values: Record<string, Record<string, number>> = {
    gaussian: { g_amplitude: 3, g_center: 0.5, g_sigma: 1.2 },
    step: { s_amplitude: 2, s_center: 0.3, s_sigma: 0.7 },
    expression: { a: 2, b: 0.3, c: 0.1 },
    composite: {
      p1_amplitude: 4,
      p1_center: -1,
      p1_sigma: 0.8,
      p2_amplitude: 2,
      p2_center: 1.5,
      p2_sigma: 0.6,
      bg_slope: 0.1,
      bg_intercept: 1,
    },
    composite_hints: {
      h1_amplitude: 6,
      h1_center: -1,
      h1_sigma: 0.8,
      h2_amplitude: 2,
      h2_center: 1.5,
      h2_sigma: 0.6,
    },
  };
  for (const [name, model] of Object.entries(models)) {
    out[`model_${name}.json`] = saveModel(model);
    expected[`model_${name}`] = {
      param_names: model.paramNames,
      values: values[name],
      eval: Array.from(model.eval(values[name], { x })),
    };
  }
  expected.x = Array.from(x);

  const model = new GaussianModel({ prefix: "g_" }).add(new LinearModel({ prefix: "bg_" }));
  const y = x.map((v, i) =>
    5 * Math.exp(-((v - 0.4) ** 2) / 2.42) + 0.2 * v + 0.5 + 0.03 * Math.sin(7 * i)
  );
  const result = await model.fit(y, undefined, {
    x,
    g_amplitude: 4,
    g_center: 0,
    g_sigma: 1,
    bg_slope: 0,
    bg_intercept: 0,
  });
  out["modelresult.json"] = saveModelResult(result);
  expected.modelresult = {
    values: result.bestValues,
    chisqr: result.chisqr,
    redchi: result.redchi,
    aic: result.aic,
    bic: result.bic,
    nfev: result.nfev,
    ndata: result.ndata,
    nvarys: result.nvarys,
    stderr: Object.fromEntries([...result.params.values()].map((q) => [q.name, q.stderr])),
    best_fit: Array.from(result.bestFit),
  };
  out["expected.json"] = JSON.stringify(
    expected,
    (_k, v) => typeof v === "number" && !Number.isFinite(v) ? String(v) : v,
    1,
  );
  return out;
}

if (import.meta.main) {
  const dir = Deno.args[0] ??
    new URL("../tests/testdata/lmfit_ts_files/", import.meta.url).pathname;
  Deno.mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(await lmfitTsFiles())) {
    Deno.writeTextFileSync(`${dir}/${name}`, text);
  }
  console.log(`wrote ${dir}`);
}
