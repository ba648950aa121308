/**
 * Issue 12 point 1, "no option is ever silently ignored", audited over the whole public API:
 * every function, constructor and method of `mod.ts`, `plot.ts` and `cli.ts` that takes an
 * options object (or settings, hints, independent variables or start values by name) is called
 * with one misspelt key, and must throw a `TypeError` that names the key, the closest valid key
 * and the function. A second test lists the API's option-taking entry points from `deno doc`
 * and fails when one has no row here, so an option bag added later without validation (or
 * without a row) is caught.
 */

import assert from "node:assert/strict";
import {
  allocBatchOutput,
  ampgo,
  type BaseModel,
  basinhopping,
  bfgs,
  brentRoot,
  brute,
  bruteAxis,
  BUILTIN_MODELS,
  BuiltinModel,
  ciReport,
  ciReportHtml,
  cobyla,
  compile,
  confInterval,
  confInterval2d,
  conjugateGradient,
  describeModel,
  differentialEvolution,
  dualAnnealing,
  emcee,
  emceeSample,
  ExpressionModel,
  fitBatch,
  fitLarge,
  fitReport,
  fitReportHtml,
  Gaussian2dModel,
  GaussianModel,
  lbfgsb,
  leastSquares,
  levenbergMarquardt,
  LinearModel,
  loadModel,
  loadModelResult,
  minimize,
  Minimizer,
  Model,
  modelFromDescription,
  ModelResult,
  nelderMead,
  newtonCG,
  numericalHessian,
  ObjectiveAdapter,
  Parameter,
  Parameters,
  parse,
  PolynomialModel,
  powell,
  readCsv,
  readCsvFile,
  reportCi,
  reportFit,
  saveModel,
  saveModelResult,
  shgo,
  slsqp,
  SplineModel,
  StudentsTModel,
  tnc,
  trustConstr,
  VoigtModel,
} from "../mod.ts";
import * as api from "../mod.ts";
import { plotFit } from "../plot.ts";
import { type CliOptions, fitData, parseCli, readData, startParams, writePlot } from "../cli.ts";

/** A misspelt options object: the compiler would reject the key, which is the point. */
// deno-lint-ignore no-explicit-any
const bad = (o: Record<string, unknown>): any => o;

// One small fit of each kind, for the methods of results.
const x = Float64Array.from({ length: 41 }, (_, i) => -4 + i / 5);
const y = x.map((v) => 3 * Math.exp(-((v - 0.5) ** 2) / 2) + 0.01 * Math.sin(7 * v));
const gauss = new GaussianModel();
const result = await gauss.fit(y, gauss.guess(y, { x }), { x });
const lineParams = new Parameters();
lineParams.add("a", { value: 1 });
lineParams.add("b", { value: 0 });
const lineResidual = (p: Parameters) =>
  x.map((v, i) => p.get("a")!.value * v + p.get("b")!.value - y[i]);
const mini = new Minimizer(lineResidual, lineParams);
const mres = await mini.minimize();
const ci = { a: [[0.6827, 0.9], [0, 1], [0.6827, 1.1]] as [number, number][] };
const sq = (v: Float64Array) => v[0] ** 2;
const x0 = () => Float64Array.of(1);
const resid1 = (v: Float64Array, out: Float64Array) => {
  out[0] = v[0] - 1;
};
const lineY = Float64Array.from([1, 2, 3].flatMap((m) => Array.from(x, (v) => m * v + 1)));
const cliOpts = parseCli(["data.csv", "--model", "gaussian()"]) as CliOptions;
const cliData = { xName: "x", yName: "y", x, y, dropped: 0 };
const twoPeaks = new GaussianModel({ prefix: "a_" }).add(new GaussianModel({ prefix: "b_" }));

interface Row {
  /** The entry point as `deno doc` names it (`fn`, `Class.method`, `Class.constructor`). */
  entry: string;
  /** The misspelt key. */
  key: string;
  /** The suggestion the error must make. */
  want: string;
  /** Text naming the function, which the message must contain. */
  where: string;
  call: () => unknown;
}

const rows: Row[] = [
  // Fitting.
  {
    entry: "minimize",
    key: "nan_policy",
    want: "nanPolicy",
    where: "minimize",
    call: () => minimize(lineResidual, lineParams, bad({ nan_policy: "omit" })),
  },
  {
    entry: "minimize",
    key: "xatoll",
    want: "xatol",
    where: "minimize",
    call: () => minimize(lineResidual, lineParams, bad({ method: "nelder", xatoll: 1e-6 })),
  },
  {
    entry: "Minimizer.constructor",
    key: "scale_covar",
    want: "scaleCovar",
    where: "Minimizer",
    call: () => new Minimizer(lineResidual, lineParams, bad({ scale_covar: false })),
  },
  {
    entry: "Minimizer.minimize",
    key: "max_nfev",
    want: "maxNfev",
    where: "leastsq options",
    call: () => mini.minimize("leastsq", bad({ max_nfev: 5 })),
  },
  {
    entry: "Minimizer.minimizeSync",
    key: "max_nfev",
    want: "maxNfev",
    where: "leastsq options",
    call: () => mini.minimizeSync("leastsq", bad({ max_nfev: 5 })),
  },
  {
    entry: "Minimizer.leastsq",
    key: "epsfnc",
    want: "epsfcn",
    where: "leastsq options",
    call: () => mini.leastsq(bad({ epsfnc: 1e-8 })),
  },
  {
    entry: "Minimizer.leastsqSync",
    key: "epsfnc",
    want: "epsfcn",
    where: "leastsq options",
    call: () => mini.leastsqSync(bad({ epsfnc: 1e-8 })),
  },
  {
    entry: "Minimizer.scalarMinimize",
    key: "adaptve",
    want: "adaptive",
    where: "nelder options",
    call: () => mini.scalarMinimize("nelder", bad({ adaptve: true })),
  },
  {
    entry: "Minimizer.scalarMinimizeSync",
    key: "adaptve",
    want: "adaptive",
    where: "nelder options",
    call: () => mini.scalarMinimizeSync("nelder", bad({ adaptve: true })),
  },
  {
    entry: "Minimizer.leastSquares",
    key: "max_nfev",
    want: "maxNfev",
    where: "least_squares options",
    call: () => mini.leastSquares(bad({ max_nfev: 5 })),
  },
  {
    entry: "Minimizer.brute",
    key: "ns",
    want: "Ns",
    where: "brute options",
    call: () => mini.brute(bad({ ns: 5 })),
  },
  {
    entry: "Minimizer.basinhopping",
    key: "niterr",
    want: "niter",
    where: "basinhopping options",
    call: () => mini.basinhopping(bad({ niterr: 5 })),
  },
  {
    entry: "Minimizer.dualAnnealing",
    key: "maxiterr",
    want: "maxiter",
    where: "dual_annealing options",
    call: () => mini.dualAnnealing(bad({ maxiterr: 5 })),
  },
  {
    entry: "Minimizer.shgo",
    key: "iterss",
    want: "iters",
    where: "shgo options",
    call: () => mini.shgo(bad({ iterss: 1 })),
  },
  {
    entry: "Minimizer.ampgo",
    key: "totaliterr",
    want: "totaliter",
    where: "ampgo options",
    call: () => mini.ampgo(bad({ totaliterr: 5 })),
  },
  {
    entry: "Minimizer.emcee",
    key: "nwalker",
    want: "nwalkers",
    where: "emcee options",
    call: () => mini.emcee(bad({ nwalker: 10 })),
  },
  {
    entry: "ObjectiveAdapter.constructor",
    key: "max_nfev",
    want: "maxNfev",
    where: "ObjectiveAdapter",
    call: () =>
      new ObjectiveAdapter(
        lineResidual,
        mini.prepareFit(),
        bad({ args: [], nanPolicy: "raise", transform: false, max_nfev: 3 }),
      ),
  },
  {
    entry: "fitReport",
    key: "show_correl",
    want: "showCorrel",
    where: "fitReport",
    call: () => fitReport(mres, bad({ show_correl: false })),
  },
  {
    entry: "reportFit",
    key: "show_correl",
    want: "showCorrel",
    where: "fitReport",
    call: () => reportFit(mres, bad({ show_correl: false })),
  },
  {
    entry: "fitReportHtml",
    key: "min_correl",
    want: "minCorrel",
    where: "fitReportHtml",
    call: () => fitReportHtml(result, bad({ min_correl: 0.5 })),
  },
  // Confidence intervals.
  {
    entry: "confInterval",
    key: "sigmass",
    want: "sigmas",
    where: "confInterval",
    call: () => confInterval(mini, mres, bad({ sigmass: [1] })),
  },
  {
    entry: "confInterval2d",
    key: "limts",
    want: "limits",
    where: "confInterval2d",
    call: () => confInterval2d(mini, mres, "a", "b", 3, 3, bad({ limts: [[0, 1], [0, 1]] })),
  },
  {
    entry: "ciReport",
    key: "with_offset",
    want: "withOffset",
    where: "ciReport",
    call: () => ciReport(ci, bad({ with_offset: false })),
  },
  {
    entry: "reportCi",
    key: "with_offset",
    want: "withOffset",
    where: "ciReport",
    call: () => reportCi(ci, bad({ with_offset: false })),
  },
  {
    entry: "ciReportHtml",
    key: "ndigit",
    want: "ndigits",
    where: "ciReportHtml",
    call: () => ciReportHtml(ci, bad({ ndigit: 3 })),
  },
  // Parameters.
  {
    entry: "Parameter.constructor",
    key: "vlaue",
    want: "value",
    where: "Parameter 'a'",
    call: () => new Parameter("a", bad({ vlaue: 1 })),
  },
  {
    entry: "Parameter.set",
    key: "exprr",
    want: "expr",
    where: "Parameter 'a'",
    call: () => new Parameter("a").set(bad({ exprr: "" })),
  },
  {
    entry: "Parameters.add",
    key: "mn",
    want: "min",
    where: "Parameter 'c'",
    call: () => new Parameters().add("c", bad({ value: 1, mn: 0 })),
  },
  {
    entry: "Parameters.prettyRepr",
    key: "one_line",
    want: "oneline",
    where: "prettyRepr",
    call: () => lineParams.prettyRepr(bad({ one_line: true })),
  },
  {
    entry: "Parameters.prettyTable",
    key: "col_width",
    want: "colwidth",
    where: "prettyTable",
    call: () => lineParams.prettyTable(bad({ col_width: 8 })),
  },
  {
    entry: "Parameters.prettyPrint",
    key: "precison",
    want: "precision",
    where: "prettyPrint",
    call: () => lineParams.prettyPrint(bad({ precison: 3 })),
  },
  {
    entry: "Parameters.loads",
    key: "function",
    want: "functions",
    where: "loads",
    call: () => new Parameters().loads(lineParams.dumps(), bad({ function: {} })),
  },
  {
    entry: "Parameters.load",
    key: "function",
    want: "functions",
    where: "loads",
    call: async () => {
      const path = await Deno.makeTempFile({ suffix: ".json" });
      try {
        lineParams.dump(path);
        return new Parameters().load(path, bad({ function: {} }));
      } finally {
        await Deno.remove(path);
      }
    },
  },
  // Models.
  {
    entry: "Model.constructor",
    key: "param_names",
    want: "paramNames",
    where: "Model",
    call: () => new Model((v) => v, bad({ param_names: ["a"] })),
  },
  {
    entry: "ExpressionModel.constructor",
    key: "independent_vars",
    want: "independentVars",
    where: "ExpressionModel",
    call: () => new ExpressionModel("a * t", bad({ independent_vars: ["t"] })),
  },
  {
    entry: "SplineModel.constructor",
    key: "prefx",
    want: "prefix",
    where: "SplineModel",
    call: () => new SplineModel([0, 1, 2, 3], bad({ prefx: "s_" })),
  },
  {
    entry: "PolynomialModel.constructor",
    key: "prefx",
    want: "prefix",
    where: "PolynomialModel",
    call: () => new PolynomialModel(2, bad({ prefx: "p_" })),
  },
  {
    entry: "ThermalDistributionModel.constructor",
    key: "frm",
    want: "form",
    where: "ThermalDistributionModel",
    call: () => new api.ThermalDistributionModel(bad({ frm: "fermi" })),
  },
  {
    entry: "StepModel.constructor",
    key: "frm",
    want: "form",
    where: "StepModel",
    call: () => new api.StepModel(bad({ frm: "erf" })),
  },
  {
    entry: "RectangleModel.constructor",
    key: "frm",
    want: "form",
    where: "RectangleModel",
    call: () => new api.RectangleModel(bad({ frm: "erf" })),
  },
  {
    entry: "BUILTIN_MODELS",
    key: "prefx",
    want: "prefix",
    where: "GaussianModel",
    call: () => BUILTIN_MODELS.gaussian(bad({ prefx: "g_" })),
  },
  {
    entry: "Model.setParamHint",
    key: "mn",
    want: "min",
    where: "setParamHint('sigma')",
    call: () => new GaussianModel().setParamHint("sigma", bad({ mn: 0 })),
  },
  {
    entry: "CompositeModel.setParamHint",
    key: "exprr",
    want: "expr",
    where: "setParamHint('ratio')",
    call: () => twoPeaks.copy().setParamHint("ratio", bad({ exprr: "a_amplitude/b_amplitude" })),
  },
  {
    entry: "BaseModel.makeParams",
    key: "mn",
    want: "min",
    where: "makeParams",
    call: () => gauss.makeParams(bad({ sigma: { value: 1, mn: 0 } })),
  },
  {
    entry: "BaseModel.makeParams",
    key: "sigmaa",
    want: "sigma",
    where: "makeParams",
    call: () => gauss.makeParams({ sigmaa: 1 }),
  },
  {
    entry: "BaseModel.eval",
    key: "xx",
    want: "x",
    where: "eval",
    call: () => gauss.eval({ amplitude: 1, center: 0, sigma: 1 }, { xx: x }),
  },
  {
    entry: "BaseModel.evalComponents",
    key: "xx",
    want: "x",
    where: "evalComponents",
    call: () => twoPeaks.evalComponents(twoPeaks.makeParams(), { x, xx: x }),
  },
  {
    entry: "BaseModel.guess",
    key: "xx",
    want: "x",
    where: "guess",
    call: () => new LinearModel().guess(y, { x, xx: x }),
  },
  {
    entry: "PeakModel.guess",
    key: "negatve",
    want: "negative",
    where: "guess",
    call: () => gauss.guess(y, bad({ x, negatve: true })),
  },
  {
    entry: "ShapedPeakModel.guess",
    key: "negatve",
    want: "negative",
    where: "guess",
    call: () => new VoigtModel().guess(y, bad({ x, negatve: true })),
  },
  {
    entry: "StudentsTModel.guess",
    key: "negatve",
    want: "negative",
    where: "guess",
    call: () => new StudentsTModel().guess(y, bad({ x, negatve: true })),
  },
  {
    entry: "Gaussian2dModel.guess",
    key: "negatve",
    want: "negative",
    where: "guess",
    call: () => new Gaussian2dModel().guess(y, bad({ x, y: x, negatve: true })),
  },
  {
    entry: "BaseModel.fit",
    key: "weigths",
    want: "weights",
    where: "fit",
    call: () => gauss.fit(y, result.params, bad({ x, weigths: y })),
  },
  {
    entry: "BaseModel.fit",
    key: "xatoll",
    want: "xatol",
    where: "nelder options",
    call: () => gauss.fit(y, result.params, { x, method: "nelder", fitKws: { xatoll: 1e-6 } }),
  },
  // Model results.
  {
    entry: "ModelResult.constructor",
    key: "methd",
    want: "method",
    where: "ModelResult",
    call: () =>
      new ModelResult(
        gauss,
        result,
        bad({
          data: result.data,
          weights: null,
          vars: result.userVars,
          initParams: result.initParams,
          initFit: result.initFit,
          minimizer: result.minimizer,
          method: "leastsq",
          methd: "leastsq",
        }),
      ),
  },
  {
    entry: "ModelResult.fit",
    key: "methd",
    want: "method",
    where: "fit",
    call: () => result.fit(bad({ methd: "nelder" })),
  },
  {
    entry: "BaseModel.loads",
    key: "function",
    want: "functions",
    where: "loadModel",
    call: () => new GaussianModel().loads(new GaussianModel().dumps(), bad({ function: {} })),
  },
  {
    entry: "ModelResult.eval",
    key: "xx",
    want: "x",
    where: "eval",
    call: () => result.eval(undefined, { xx: x }),
  },
  {
    entry: "ModelResult.evalComponents",
    key: "xx",
    want: "x",
    where: "evalComponents",
    call: () => result.evalComponents(undefined, { xx: x }),
  },
  {
    entry: "ModelResult.evalUncertainty",
    key: "sigm",
    want: "sigma",
    where: "evalUncertainty",
    call: () => result.evalUncertainty(bad({ sigm: 2 })),
  },
  {
    entry: "ModelResult.evalUncertainty",
    key: "xx",
    want: "x",
    where: "evalUncertainty",
    call: () => result.evalUncertainty({ vars: { xx: x } }),
  },
  {
    entry: "ModelResult.confInterval",
    key: "sigmass",
    want: "sigmas",
    where: "confInterval",
    call: () => result.confInterval(bad({ sigmass: [1] })),
  },
  {
    entry: "ModelResult.ciReport",
    key: "ndigit",
    want: "ndigits",
    where: "ciReport",
    call: () => result.ciReport(bad({ ndigit: 3 })),
  },
  {
    entry: "ModelResult.fitReport",
    key: "min_correl",
    want: "minCorrel",
    where: "fitReport",
    call: () => result.fitReport(bad({ min_correl: 0.5 })),
  },
  // Files.
  {
    entry: "loadModel",
    key: "function",
    want: "functions",
    where: "loadModel",
    call: () => loadModel(saveModel(gauss), bad({ function: {} })),
  },
  {
    entry: "loadModelResult",
    key: "function",
    want: "functions",
    where: "loadModelResult",
    call: () => loadModelResult(saveModelResult(result), bad({ function: {} })),
  },
  {
    entry: "modelFromDescription",
    key: "function",
    want: "functions",
    where: "modelFromDescription",
    call: () => modelFromDescription(describeModel(gauss), bad({ function: {} })),
  },
  {
    entry: "readCsv",
    key: "delimeter",
    want: "delimiter",
    where: "readCsv",
    call: () => readCsv("x,y\n1,2\n", bad({ delimeter: "," })),
  },
  {
    entry: "readCsvFile",
    key: "commnt",
    want: "comment",
    where: "readCsvFile",
    call: () => readCsvFile("examples/data/decay.csv", bad({ commnt: "%" })),
  },
  // Batch.
  {
    entry: "fitBatch",
    key: "devce",
    want: "device",
    where: "fitBatch",
    call: () => fitBatch("m*x + c", bad({ x, y: lineY, params: { m: 0, c: 0 }, devce: "cpu" })),
  },
  {
    entry: "fitBatch",
    key: "cc",
    want: "c",
    where: "fitBatch: params",
    call: () => fitBatch("m*x + c", { x, y: lineY, params: { m: 0, cc: 0 }, device: "cpu" }),
  },
  {
    entry: "fitBatch",
    key: "mn",
    want: "min",
    where: "fitBatch: params.c",
    call: () => fitBatch("m*x + c", { x, y: lineY, params: bad({ m: 0, c: { value: 0, mn: 0 } }) }),
  },
  {
    entry: "fitBatch",
    key: "minn",
    want: "min",
    where: "fitBatch: params",
    call: () =>
      fitBatch("m*x + c", {
        x,
        y: lineY,
        params: bad({ names: ["m", "c"], values: [0, 0, 0, 0, 0, 0], minn: { m: 0 } }),
      }),
  },
  {
    entry: "fitBatch",
    key: "xx",
    want: "x",
    where: "fitBatch: vars",
    call: () => fitBatch("m*x + c", { vars: { x, xx: x }, y: lineY, params: { m: 0, c: 0 } }),
  },
  {
    entry: "fitBatch",
    key: "valuez",
    want: "values",
    where: "fitBatch: out",
    call: () =>
      fitBatch("m*x + c", {
        x,
        y: lineY,
        params: { m: 0, c: 0 },
        out: bad({
          ...allocBatchOutput(3, "m*x + c", { m: 0, c: 0 }),
          valuez: new Float64Array(6),
        }),
      }),
  },
  {
    entry: "allocBatchOutput",
    key: "cc",
    want: "c",
    where: "allocBatchOutput: params",
    call: () => allocBatchOutput(3, "m*x + c", { m: 0, cc: 0 }),
  },
  {
    entry: "fitLarge",
    key: "max_iter",
    want: "maxIter",
    where: "fitLarge",
    call: () => fitLarge("m*x + c", bad({ x, y, params: { m: 0, c: 0 }, max_iter: 5 })),
  },
  {
    entry: "fitLarge",
    key: "mm",
    want: "m",
    where: "fitLarge: params",
    call: () => fitLarge("m*x + c", { x, y, params: { mm: 0, c: 0 }, device: "cpu" }),
  },
  // Plotting and the command line.
  {
    entry: "plotFit",
    key: "titel",
    want: "title",
    where: "plotFit",
    call: () => plotFit(result, bad({ titel: "fit" })),
  },
  {
    entry: "parseCli",
    key: "--plto",
    want: "--plot",
    where: "unknown option",
    call: () => parseCli(["data.csv", "--model", "linear", "--plto", "fit.svg"]),
  },
  {
    entry: "readData",
    key: "jsn",
    want: "json",
    where: "readData",
    call: () => readData(bad({ ...cliOpts, jsn: true })),
  },
  {
    entry: "fitData",
    key: "jsn",
    want: "json",
    where: "fitData",
    call: () => fitData(bad({ ...cliOpts, jsn: true }), cliData),
  },
  {
    entry: "startParams",
    key: "jsn",
    want: "json",
    where: "startParams",
    call: () => startParams(gauss, x, y, bad({ ...cliOpts, jsn: true })),
  },
  {
    entry: "writePlot",
    key: "jsn",
    want: "json",
    where: "writePlot",
    call: () => writePlot(bad({ ...cliOpts, jsn: true }), cliData, result),
  },
  // Solvers and numerical tools.
  ...([
    ["ampgo", () => ampgo(sq, x0(), bad({ maxfevv: 10 })), "maxfevv", "maxfev"],
    ["basinhopping", () => basinhopping(sq, x0(), bad({ niterr: 2 })), "niterr", "niter"],
    ["bfgs", () => bfgs(sq, x0(), bad({ gtoll: 1e-6 })), "gtoll", "gtol"],
    ["brentRoot", () => brentRoot((v) => v, -1, 1, bad({ xtoll: 1e-6 })), "xtoll", "xtol"],
    ["brute", () => brute(sq, [[0, 1]], bad({ ns: 3 })), "ns", "Ns"],
    ["bruteAxis", () => bruteAxis(0, 1, bad({ steps: 0.25 })), "steps", "step"],
    ["cobyla", () => cobyla(sq, x0(), bad({ rhobegg: 0.5 })), "rhobegg", "rhobeg"],
    ["conjugateGradient", () => conjugateGradient(sq, x0(), bad({ gtoll: 1 })), "gtoll", "gtol"],
    [
      "differentialEvolution",
      () => differentialEvolution(sq, x0(), Float64Array.of(2), bad({ popsze: 5 })),
      "popsze",
      "popsize",
    ],
    ["dualAnnealing", () => dualAnnealing(sq, x0(), bad({ maxiterr: 5 })), "maxiterr", "maxiter"],
    ["emcee", () => emcee((v) => -sq(v), x0(), bad({ nwalker: 4 })), "nwalker", "nwalkers"],
    [
      "emceeSample",
      () => emceeSample((v) => -sq(v), x0(), bad({ nwalker: 4 })),
      "nwalker",
      "nwalkers",
    ],
    ["lbfgsb", () => lbfgsb(sq, x0(), bad({ ftoll: 1e-6 })), "ftoll", "ftol"],
    ["leastSquares", () => leastSquares(resid1, x0(), 1, bad({ x_scale: 1 })), "x_scale", "xScale"],
    [
      "levenbergMarquardt",
      () => levenbergMarquardt(resid1, x0(), 1, bad({ epsfnc: 1e-8 })),
      "epsfnc",
      "epsfcn",
    ],
    ["nelderMead", () => nelderMead(sq, x0(), bad({ xatoll: 1e-6 })), "xatoll", "xatol"],
    ["newtonCG", () => newtonCG(sq, x0(), bad({ xtoll: 1e-6 })), "xtoll", "xtol"],
    [
      "numericalHessian",
      () => numericalHessian(sq, x0(), bad({ base_step: 0.1 })),
      "base_step",
      "baseStep",
    ],
    ["powell", () => powell(sq, x0(), bad({ ftoll: 1e-6 })), "ftoll", "ftol"],
    ["shgo", () => shgo(sq, x0(), bad({ iter: 2 })), "iter", "iters"],
    ["slsqp", () => slsqp(sq, x0(), bad({ ftoll: 1e-6 })), "ftoll", "ftol"],
    ["tnc", () => tnc(sq, x0(), bad({ pgtoll: 1e-6 })), "pgtoll", "pgtol"],
    ["trustConstr", () => trustConstr(sq, x0(), bad({ gtoll: 1e-6 })), "gtoll", "gtol"],
    [
      "compile",
      () => compile(parse("1"), () => undefined, bad({ strct: true })),
      "strct",
      "strict",
    ],
  ] as const).map(([entry, call, key, want]): Row => ({
    entry,
    call,
    key,
    want,
    where: entry === "emceeSample" ? "emcee" : entry, // emceeSample is emcee by another name
  })),
];

// Every built-in model class: `new XModel({ prefx })` names the class and suggests prefix.
const BUILTIN_CLASSES = Object.entries(api).filter(([, v]) =>
  typeof v === "function" && v.prototype instanceof BuiltinModel &&
  !["PeakModel", "ShapedPeakModel"].includes(v.name)
) as [string, new (o: unknown) => BaseModel][];
for (const [name, Cls] of BUILTIN_CLASSES) {
  if (name === "PolynomialModel") continue; // takes the degree first: its own row above
  rows.push({
    entry: `${name}.constructor`,
    key: "prefx",
    want: "prefix",
    where: name,
    call: () => new Cls(bad({ prefx: "p_" })),
  });
}

for (const row of rows) {
  Deno.test(`${row.entry}: a misspelt '${row.key}' names it and suggests ${row.want}`, async () => {
    let error: unknown = null;
    try {
      await row.call();
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof TypeError, `no TypeError: ${error}`);
    const msg = error.message;
    assert.ok(msg.includes(`'${row.key}'`), `the key is not named: ${msg}`);
    assert.ok(msg.includes(`did you mean ${row.want}?`), `no suggestion of ${row.want}: ${msg}`);
    assert.ok(msg.includes(row.where), `'${row.where}' is not named: ${msg}`);
  });
}

Deno.test("a guess without a 'negative' option refuses one instead of ignoring it", () => {
  assert.throws(
    () => new LinearModel().guess(y, bad({ x, negative: true })),
    /guess: unknown option 'negative'/,
  );
  // Peak models take it.
  assert.ok(gauss.guess(y.map((v) => -v), { x, negative: true }).get("amplitude")!.value < 0);
});

/** Entry points that `deno doc` lists but no row calls directly, each with the reason. */
const COVERED_ELSEWHERE: Readonly<Record<string, string>> = {
  "BuiltinModel.constructor": "abstract: every concrete built-in has a row",
  "PeakModel.constructor": "abstract: GaussianModel, LorentzianModel, ... have rows",
  "ShapedPeakModel.constructor": "abstract: VoigtModel, MoffatModel, ... have rows",
  "BaseModel.setParamHint": "abstract: Model.setParamHint and CompositeModel.setParamHint",
};

Deno.test({
  name: "every option-taking entry point of mod.ts, plot.ts and cli.ts has a row above",
  ignore: (await Deno.permissions.query({ name: "run" })).state !== "granted",
  async fn() {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["doc", "--json", "mod.ts", "plot.ts", "cli.ts"],
      cwd: new URL("../", import.meta.url),
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.ok(out.success, new TextDecoder().decode(out.stderr));
    const doc = JSON.parse(new TextDecoder().decode(out.stdout));
    const found = optionEntries(doc);
    assert.ok(found.size > 80, `only ${found.size} option-taking entry points found`);
    const covered = new Set([...rows.map((r) => r.entry), ...Object.keys(COVERED_ELSEWHERE)]);
    const missing = [...found].filter((e) => !covered.has(e)).sort();
    assert.deepEqual(missing, [], "entry points that take options but have no row");
  },
});

// deno-lint-ignore no-explicit-any
type Json = any;

/**
 * `fn`, `Class.constructor` and `Class.method` of every exported function, class and function
 * constant with a parameter that is an options bag: named `options`/`opts`/`init`/`hint`, typed
 * `...Options`/`...Init`/`...Hint`, or an object type written in place.
 */
function optionEntries(doc: Json): Set<string> {
  const takesOptions = (params: Json[]) =>
    params.some((p) => {
      const q = p.kind === "assign" ? p.left : p;
      const t = q.tsType ?? {};
      return /^(options|opts|init|hint)$/.test(q.name ?? "") ||
        /(Options|Init|Hint)$/.test(t.repr ?? "") ||
        t.kind === "typeLiteral" || t.kind === "intersection";
    });
  const out = new Set<string>();
  for (const mod of Object.values(doc.nodes) as Json[]) {
    for (const s of mod.symbols) {
      for (const d of s.declarations) {
        if (d.kind === "function" && takesOptions(d.def.params)) out.add(s.name);
        if (d.kind === "variable" && d.def.tsType?.kind === "fnOrConstructor") {
          if (takesOptions(d.def.tsType.value.params ?? [])) out.add(s.name);
        }
        if (d.kind !== "class") continue;
        for (const c of d.def.constructors ?? []) {
          if (takesOptions(c.params)) out.add(`${s.name}.constructor`);
        }
        for (const m of d.def.methods ?? []) {
          if (takesOptions(m.functionDef.params)) out.add(`${s.name}.${m.name}`);
        }
      }
    }
  }
  return out;
}

Deno.test("a built-in's independentVars renames its variable (it was accepted and then broke or was ignored)", () => {
  const t = new GaussianModel({ prefix: "g_", independentVars: ["t"] });
  assert.deepEqual(t.independentVars, ["t"]);
  const values = { g_amplitude: 2, g_center: 0.5, g_sigma: 0.7 };
  assert.deepEqual(
    t.eval(values, { t: x }),
    new GaussianModel({ prefix: "g_" }).eval(values, { x }),
  );
  assert.ok(Math.abs(t.guess(y, { t: x }).get("g_center")!.value - 0.5) < 0.1);
  const back = loadModel(saveModel(t));
  assert.deepEqual(back.independentVars, ["t"]);
  assert.deepEqual(back.eval(values, { t: x }), t.eval(values, { t: x }));
  const plane = new Gaussian2dModel({ independentVars: ["u", "v"] });
  assert.deepEqual(plane.independentVars, ["u", "v"]);
  assert.throws(() => new LinearModel({ independentVars: ["x", "y"] }), /must name 1 variable/);
  assert.throws(() => new GaussianModel({ independentVars: ["sigma"] }), /not a parameter/);
});

Deno.test("ModelResult.ciReport computes the intervals again when confInterval options are given", async () => {
  const m = new LinearModel();
  const r = await m.fit(y, m.makeParams({ slope: 0, intercept: 1 }), { x });
  const all = await r.ciReport();
  assert.ok(all.includes("99.73%"), all);
  const one = await r.ciReport({ sigmas: [1] });
  assert.ok(!one.includes("99.73%") && one.includes("68.27%"), one);
  assert.equal(
    await r.ciReport({ ndigits: 5 }),
    one,
    "no confInterval options: the stored intervals",
  );
});
