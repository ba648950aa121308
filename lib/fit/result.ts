/**
 * `MinimizerResult`: the outcome of a fit, with modern lmfit's fields and statistics.
 *
 * @module
 */

import type { Parameters } from "../parameters.ts";
import { fitReport } from "./report.ts";
import { JUPYTER_DISPLAY, type MimeBundle } from "../display/mime.ts";
import { fitResultBundle } from "../display/fit_html.ts";

/**
 * The result of `minimize` / `Minimizer.minimize`.
 *
 * Statistics follow lmfit: `chisqr = Σ r²`, `redchi = chisqr / max(1, nfree)`,
 * `aic = n ln(chisqr/n) + 2 nvarys`, `bic = n ln(chisqr/n) + ln(n) nvarys`.
 *
 * @example
 * ```ts
 * import { minimize, Parameters } from "../../mod.ts";
 * const x = Float64Array.from({ length: 20 }, (_, i) => i);
 * const y = x.map((v) => 3 * v + 1);
 * const p = new Parameters();
 * p.add("a", { value: 1 });
 * p.add("b", { value: 0 });
 * const r = await minimize((q) => x.map((v, i) => q.get("a")!.value * v + q.get("b")!.value - y[i]), p);
 * r.success; // true
 * r.params.get("a")!.value; // ≈ 3
 * ```
 *
 * @category Fitting
 */
export class MinimizerResult {
  /** The fitted copy of the parameters, with `stderr` and `correl`. */
  params: Parameters;
  /** Fitting method used. */
  method: string;
  /** Whether the fit converged (the solver's own test passed and it was not aborted). */
  success = false;
  /** Why the fit stopped, in words. */
  message = "";
  /** Solver status code (for `leastsq`, MINPACK's `info`). */
  ier = 0;
  /** For `leastsq`, the MINPACK message for `ier`. */
  lmdifMessage = "";
  /** Number of objective evaluations. */
  nfev = 0;
  /** Number of solver iterations, where the solver counts them. */
  nit = 0;
  /** Number of varied parameters. */
  nvarys = 0;
  /** Number of data points (residuals). */
  ndata = 0;
  /** Degrees of freedom: `ndata - nvarys`. */
  nfree = 0;
  /** Residual at the best fit (a length-1 array for a scalar objective). */
  residual: Float64Array = new Float64Array(0);
  /** Chi-square, Σ residual². */
  chisqr: number = NaN;
  /** Reduced chi-square, `chisqr / max(1, nfree)`. */
  redchi: number = NaN;
  /** Akaike information criterion. */
  aic: number = NaN;
  /** Bayesian information criterion. */
  bic: number = NaN;
  /** Covariance of the varied parameters (user space, scaled by `redchi` unless `scaleCovar: false`). */
  covar: number[][] | null = null;
  /** Names of the varied parameters, in covariance order. */
  varNames: string[] = [];
  /** Starting values of the varied parameters, in `varNames` order. */
  initVals: number[] = [];
  /** Starting values of every parameter by name. */
  initValues: Record<string, number> = {};
  /** Whether uncertainties were estimated. */
  errorbars = false;
  /** Whether the iteration callback aborted the fit. */
  aborted = false;
  /** How uncertainties were estimated: "jacobian", "hessian", "emcee", or "none" with a reason. */
  uncertaintyMethod = "none";
  /**
   * Why a varied parameter has no standard error while the others have one, by name: e.g.
   * `{ a: "at bound: the upper bound 2 is active" }`. Such a parameter sits on an active bound;
   * the others' standard errors are computed with it held fixed there (its row and column of
   * `covar` are 0), and `fitReport` prints "at bound" for it.
   */
  stderrNotes: Record<string, string> = {};
  /**
   * The evaluation limit in force for this fit (the method option, else the Minimizer's, else
   * lmfit's default: 2000·(nvarys+1) for local methods, 200000·(nvarys+1) for global ones,
   * brute and emcee), as lmfit's `max_nfev`.
   */
  maxNfev: number = NaN;
  /**
   * The method options of this fit (lmfit's `call_kws`): those given, over the method's defaults
   * for the rest (global methods, brute, least_squares and leastsq; `null` for "the solver's own
   * default", as lmfit's `None`; the local scalar methods list only those given), with the
   * `maxNfev` in force.
   */
  callKws: Readonly<Record<string, unknown>> = {};
  /**
   * The scalar objective at the solution, for the methods lmfit runs through scipy's `minimize`
   * (`nelder`, `powell`, `bfgs`, `cg`, `newton`, `lbfgsb`, `tnc`, `slsqp`, `cobyla`,
   * `trust-constr`) and `differential_evolution`: the objective's value when it returns a number,
   * else the reduced residual (`reduceFcn`, sum of squares by default). As lmfit, which copies
   * scipy's `OptimizeResult.fun`; undefined for other methods and after an abort.
   */
  declare fun?: number;
  /**
   * The solution of those same methods in the internal, MINUIT-transformed variables (in
   * `varNames` order), lmfit's copy of scipy's `OptimizeResult.x`; undefined for other methods
   * and after an abort.
   */
  declare x?: Float64Array;
  /** `ampgo`: the solver's stop message (lmfit's `ampgo_msg`); also `ampgoX0`, `ampgoFval`, `ampgoEval`, `ampgoTunnel`. */
  ampgoMsg?: string;
  /** `shgo`: the distinct local minima found, best first (lmfit's `shgo_xl`); also `shgoFunl`, `shgoX`, `shgoFun`, `shgoNlfev`. */
  shgoXl?: Float64Array[];
  /** `brute`: the best grid point (lmfit's `brute_x0`). */
  bruteX0?: Float64Array;
  /** `brute`: the objective at `bruteX0` (lmfit's `brute_fval`). */
  bruteFval?: number;
  /**
   * `brute`: lmfit's `brute_grid`: for each varied parameter (in `varNames` order), its value at
   * every grid point, flat in C order (last parameter fastest); null after an abort.
   */
  bruteGrid?: Float64Array[] | null;
  /** `brute`: the objective at every grid point, in the order of `bruteGrid` (lmfit's `brute_Jout`); null after an abort. */
  bruteJout?: Float64Array | null;
  /** Extra method-specific outputs (e.g. `candidates` for brute, `chain` for emcee). */
  // deno-lint-ignore no-explicit-any
  [extra: string]: any;

  /** Creates an empty result for the fitted parameters and method. @param params the fitted copy. @param method the method name. */
  constructor(params: Parameters, method: string) {
    this.params = params;
    this.method = method;
  }

  /**
   * What Deno's Jupyter kernel shows for the result: lmfit's HTML fit report (`fitReportHtml`)
   * and `fitReport` as text.
   *
   * @example
   * ```ts
   * import { JUPYTER_DISPLAY, minimize, Parameters } from "../../mod.ts";
   * const p = new Parameters();
   * p.add("a", { value: 1 });
   * const result = await minimize((q) => [q.get("a")!.value - 3, 0.1], p);
   * result[JUPYTER_DISPLAY]()["text/html"].includes("<h2>Fit Statistics</h2>"); // true
   * ```
   */
  [JUPYTER_DISPLAY](): MimeBundle {
    return fitResultBundle(this, fitReport(this));
  }

  /**
   * Computes chisqr, ndata, nfree, redchi, aic and bic from `residual` and `nvarys`, as lmfit
   * 1.1.0. A scalar objective's value is a one-element residual (`true`: chisqr = value², nfree =
   * 1 − nvarys), or for emcee a chi-square (`"chi2"`) or a log-posterior (`"posterior"`: −2 ln L
   * = −2·value, chisqr = exp(−2·value)), both with ndata = nfree = 1.
   */
  calculateStatistics(scalarObjective: boolean | "chi2" | "posterior" = false): void {
    if (scalarObjective === "chi2" || scalarObjective === "posterior") {
      const v = this.residual[0];
      const neg2LogL = scalarObjective === "chi2" ? Math.log(Math.max(v, 1e-250)) : -2 * v;
      this.ndata = 1;
      this.nfree = 1;
      this.chisqr = scalarObjective === "chi2" ? v : Math.exp(Math.min(650, -2 * v));
      this.redchi = this.chisqr;
      this.aic = neg2LogL + 2 * this.nvarys;
      this.bic = neg2LogL;
      return;
    }
    if (scalarObjective) {
      // As lmfit: the scalar is a one-element residual, so chi-square is its square.
      this.chisqr = this.residual[0] * this.residual[0];
      this.ndata = 1;
      this.nfree = 1 - this.nvarys;
    } else {
      let s = 0;
      for (let i = 0; i < this.residual.length; i++) s += this.residual[i] * this.residual[i];
      this.chisqr = s;
      this.nfree = this.ndata - this.nvarys;
    }
    this.redchi = this.chisqr / Math.max(1, this.nfree);
    const chi = Math.max(this.chisqr, 1e-250 * this.ndata);
    const neg2LogLikel = this.ndata * Math.log(chi / this.ndata);
    this.aic = neg2LogLikel + 2 * this.nvarys;
    this.bic = neg2LogLikel + Math.log(this.ndata) * this.nvarys;
  }
}
