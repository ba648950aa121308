"""scipy.optimize.minimize references for the bounded local solvers (lbfgsb, tnc, slsqp, cobyla,
trust-constr): writes tests/testdata/bounded_solvers.json. Run: python3 scripts/gen_bounded_solvers_fixture.py
"""
import json
import os

import numpy as np
from scipy.optimize import minimize, rosen

here = os.path.dirname(os.path.abspath(__file__))
two = json.load(open(os.path.join(here, "..", "tests", "testdata", "two_exponential.json")))
tx, ty = np.array(two["x"]), np.array(two["y"])


def chisqr(p):
    r = p[0] * np.exp(-tx / p[2]) + p[1] * np.exp(-tx / p[3]) - ty
    return float(r @ r)


problems = {
    "rosen2": (rosen, [-1.2, 1.0], None, []),
    "rosen5": (rosen, [1.3, 0.7, 0.8, 1.9, 1.2], None, []),
    # minimum on the bound x0 = 0.8 (x1 = 0.64)
    "rosen2_bounded": (rosen, [-1.2, 1.0], [(-2, 0.8), (-2, 2)], []),
    "two_exponential": (chisqr, [5, -5, 2, 5], [(0, 10), (-10, 0), (0.5, 5), (5, 20)], []),
    # scipy's tutorial problem with three inequality constraints, solution (1.4, 1.7)
    "tutorial": (
        lambda x: (x[0] - 1) ** 2 + (x[1] - 2.5) ** 2,
        [2, 0],
        [(0, None), (0, None)],
        [
            {"type": "ineq", "fun": lambda x: x[0] - 2 * x[1] + 2},
            {"type": "ineq", "fun": lambda x: -x[0] - 2 * x[1] + 6},
            {"type": "ineq", "fun": lambda x: -x[0] + 2 * x[1] + 2},
        ],
    ),
    # Hock-Schittkowski 71: f* = 17.0140173
    "hs071": (
        lambda x: x[0] * x[3] * (x[0] + x[1] + x[2]) + x[2],
        [1, 5, 5, 1],
        [(1, 5)] * 4,
        [
            {"type": "ineq", "fun": lambda x: x[0] * x[1] * x[2] * x[3] - 25},
            {"type": "eq", "fun": lambda x: x @ x - 40},
        ],
    ),
}

methods = {"lbfgsb": "L-BFGS-B", "tnc": "TNC", "slsqp": "SLSQP", "cobyla": "COBYLA", "trust_constr": "trust-constr"}
out = {}
for mname, smethod in methods.items():
    for pname, (f, x0, bounds, cons) in problems.items():
        if cons and mname not in ("slsqp", "cobyla", "trust_constr"):
            continue
        kw = {}
        if bounds is not None:
            kw["bounds"] = bounds
        if cons:
            kw["constraints"] = cons
        if mname == "cobyla":
            kw["options"] = {"maxiter": 20000}
        r = minimize(f, np.array(x0, float), method=smethod, **kw)
        out[f"{mname}/{pname}"] = {
            "x0": x0,
            "x": [float(v) for v in r.x],
            "fun": float(r.fun),
            "nfev": int(r.nfev),
            "success": bool(r.success),
        }
        print(mname, pname, r.fun, r.nfev, r.success)
import scipy

json.dump(
    {"scipy": scipy.__version__, "results": out},
    open(os.path.join(here, "..", "tests", "testdata", "bounded_solvers.json"), "w"),
    indent=1,
)
