/**
 * lmfit 1.1.0 tests that our mirror of them does not pass yet, keyed `"test_file::test_name"`,
 * with what differs. `parityTest` registers these with `ignore: true` unless
 * `LMFIT_PARITY_ALL=1`; `deno run -A scripts/parity_status.ts` runs them all and lists those
 * that now pass, so they can be taken off this table. A reason that starts with "deliberate:" is a
 * difference we keep because our behaviour is better than lmfit's.
 */
export const KNOWN_FAILURES: Readonly<Record<string, string>> = {
  "test_brute::test_brute_lmfit_vs_scipy_Ns":
    "bruteJout differs from scipy's in the last digits (e.g. 7.45565895948749): lmfit asserts exact equality (assert_equal), and V8's Math.exp is not numpy's exp to the last ulp",
  "test_brute::test_brute_lmfit_vs_scipy_Ns_stepsize":
    "bruteJout differs from scipy's in the last digits (e.g. 7.45565895948749): lmfit asserts exact equality (assert_equal), and V8's Math.exp is not numpy's exp to the last ulp",
  "test_brute::test_brute_lmfit_vs_scipy_default":
    "bruteJout differs from scipy's in the last digits (e.g. 7.45565895948749): lmfit asserts exact equality (assert_equal), and V8's Math.exp is not numpy's exp to the last ulp",
  "test_brute::test_brute_lmfit_vs_scipy_stepsize":
    "bruteJout differs from scipy's in the last digits (e.g. 7.45565895948749): lmfit asserts exact equality (assert_equal), and V8's Math.exp is not numpy's exp to the last ulp",
  "test_brute::test_nfev_workers":
    "Minimizer has no workers option (lmfit hands workers=-1 to scipy's brute, which maps the grid over processes): an objective is a JavaScript closure, which cannot be sent to Workers, so parallel evaluation cannot be honoured; rejected as unknown rather than ignored",
  "test_covariance_matrix::test_bounded_parameters":
    "deliberate: covar[1][3] is 7.1910986e-8, lmfit's 7.1910718e-8 (1.7e-6 relative, rtol 1.5e-6): the covariance is the curvature where the iteration stops; lmfit 1.1.0 itself moves it to 7.1910797e-8 (1.9e-6) when its ftol/xtol are tightened to our 1e-13, so the test's rtol is below what its own stopping point decides",
  "test_covariance_matrix::test_bounds_expression":
    "deliberate: fwhm's stderr 0.01327 vs lmfit's 0.00807: we propagate stderr through gamma's constraint (gamma = sigma), lmfit treats the constrained gamma as a constant",
  "test_covariance_matrix::test_final_parameter_values":
    "deliberate: Nelder-Mead reaches the exact least-squares optimum (intercept -4.510570); scipy's Nelder-Mead, which lmfit calls, stops early at -4.511087",
  "test_printfuncs::test_report_fit":
    "on lmfit's fixture the fit ends with amplitude on its bound (100), held fixed for the uncertainties by design (issue 13 point 2); lmfit's only reported correlation is C(amplitude, sigma) = -0.577, and the one free pair left, C(center, sigma) = 5e-5, is below min_correl 0.1, so our report has no [[Correlations]] section",
  "test_printfuncs::test_report_parvalue_non_numeric":
    "deliberate: a Parameter's value is always a number: assigning null (lmfit's par.value = None) is an error naming the parameter, so a report never meets a non-numeric value and has no 'Non Numeric Value?' branch; a parameter without a value holds -inf, as in lmfit, and the report prints that",
  "test_printfuncs::test_reports_created":
    "on lmfit's fixture the fit ends with amplitude on its bound (100), held fixed for the uncertainties by design (issue 13 point 2); lmfit's only reported correlation is C(amplitude, sigma) = -0.577, and the one free pair left, C(center, sigma) = 5e-5, is below min_correl 0.1, so our report has no [[Correlations]] section",
  "test_shgo::test_shgo_scipy_vs_lmfit":
    "deliberate: the same 6 local minima as scipy (funl to 1e-9), but our local searches converge further: shgoXl[0] = (324.9918962, 216.0475644), the exact minimum is (324.991898, 216.047566), scipy's stops at (324.9919196, 216.0475869), 1e-7 relative away; lmfit asserts rtol 1e-7",
  "test_shgo::test_shgo_scipy_vs_lmfit_2":
    "with n=60, iters=5, sobol our shgo reaches the global minimum -959.641 where scipy's reports -955.255 (a better answer, not scipy's)",
};
