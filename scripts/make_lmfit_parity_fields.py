"""Reference values for tests/fit/result_fields_test.ts, from Python lmfit 1.1.0:
the evaluation limit each method uses by default (result.max_nfev with two varied parameters),
brute's grid and values, and the method names lmfit accepts.
Run: /usr/bin/python3 scripts/make_lmfit_parity_fields.py > tests/testdata/lmfit_parity_fields.json
"""
import json
import warnings

import numpy as np
import lmfit

warnings.simplefilter("ignore")


def residual(p):
    a, b = p["a"].value, p["b"].value
    x = np.linspace(0, 1, 5)
    return a * x + b - (2 * x + 0.5)


def params():
    p = lmfit.Parameters()
    p.add("a", value=1.0, min=0, max=3)
    p.add("b", value=0.0, min=-1, max=1)
    return p


out = {"max_nfev": {}, "accepted_names": {}}
for method in ["leastsq", "least_squares", "nelder", "powell", "cg", "bfgs", "lbfgsb", "tnc",
               "slsqp", "cobyla", "trust-constr", "differential_evolution", "brute",
               "basinhopping", "ampgo", "shgo", "dual_annealing"]:
    kws = {}
    if method == "basinhopping":
        kws = {"niter": 2}
    if method == "ampgo":
        kws = {"totaliter": 1}
    if method == "dual_annealing":
        kws = {"maxiter": 2}
    if method == "brute":
        kws = {"Ns": 3}
    mini = lmfit.Minimizer(residual, params())
    r = mini.minimize(method=method, **kws)
    out["max_nfev"][method] = int(mini.max_nfev)

r = lmfit.minimize(residual, params(), method="brute", Ns=4)
out["brute"] = {
    "Ns": 4,
    "x0": r.brute_x0.tolist(),
    "fval": float(r.brute_fval),
    "grid": [g.ravel().tolist() for g in r.brute_grid],
    "Jout": r.brute_Jout.ravel().tolist(),
}

for name in ["lbfgs", "L-BFGS-B", "l-bfgsb", "Nelder-Mead", "nel", "Newton-CG", "newton",
             "Powell", "BFGS", "CG", "TNC", "COBYLA", "SLSQP", "trust-constr", "leastsq",
             "least_squares", "least_sq", "leastsquare", "differential_evolution"]:
    mini = lmfit.Minimizer(residual, params())
    try:
        r = mini.minimize(method=name, **({"seed": 1} if name.startswith("diff") else {}))
        out["accepted_names"][name] = r.method
    except ValueError as e:  # scipy's Newton-CG needs a gradient: the name was accepted
        out["accepted_names"][name] = str(e)

print(json.dumps(out, indent=1))
