"""Reference results of scipy.optimize.minimize for the unconstrained local solvers' tests.

Runs Nelder-Mead (standard and adaptive), Powell, CG, BFGS and Newton-CG (finite-difference
gradients, scipy defaults otherwise) on Rosenbrock 2-D/5-D/10-D and the two-exponential
chi-square of tests/testdata/two_exponential.json, and writes tests/testdata/local_solvers.json
(x, fun, nfev, nit, success per run; nfev counts every objective call, finite differences
included). Run: /usr/bin/python3 scripts/gen_local_solvers_fixture.py
"""
import json
import numpy as np
import scipy
from scipy.optimize import approx_fprime, minimize, rosen

two = json.load(open("tests/testdata/two_exponential.json"))
tx, ty = np.array(two["x"]), np.array(two["y"])


def chisqr(p):
    r = p[0] * np.exp(-tx / p[2]) + p[1] * np.exp(-tx / p[3]) - ty
    return float(r @ r)


problems = {
    "rosen2": (rosen, [-1.2, 1.0]),
    "rosen5": (rosen, [1.3, 0.7, 0.8, 1.9, 1.2]),
    "rosen10": (rosen, [-1.2, 1.0] * 5),
    "two_exponential": (chisqr, [5.0, -5.0, 2.0, 5.0]),
}
methods = {
    "nelder_mead": ("Nelder-Mead", {}),
    "nelder_mead_adaptive": ("Nelder-Mead", {"options": {"adaptive": True, "maxfev": 100000}}),
    "powell": ("Powell", {}),
    "cg": ("CG", {}),
    "bfgs": ("BFGS", {}),
    "newton_cg": ("Newton-CG", {"jac": "fd"}),
}
out = {"source": f"scipy {scipy.__version__}, numpy {np.__version__}", "results": {}}
for pname, (fun, x0) in problems.items():
    for mname, (method, kw) in methods.items():
        count = [0]

        def counted(p, fun=fun):
            count[0] += 1
            return fun(p)

        kw = dict(kw)
        if kw.get("jac") == "fd":  # Newton-CG needs a callable Jacobian: scipy's forward differences
            kw["jac"] = lambda p: approx_fprime(p, counted, 1.4901161193847656e-08)
        r = minimize(counted, np.array(x0), method=method, **kw)
        out["results"][f"{mname}/{pname}"] = {
            "x0": x0,
            "x": r.x.tolist(),
            "fun": float(r.fun),
            "nfev": count[0],
            "nit": int(r.get("nit", -1)),
            "success": bool(r.success),
        }
        print(f"{mname:22s} {pname:16s} {r.fun:.10g} nfev={r.nfev} success={r.success}")
json.dump(out, open("tests/testdata/local_solvers.json", "w"), indent=1)
