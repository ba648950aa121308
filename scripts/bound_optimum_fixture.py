"""Reference for tests/fit/bound_verdicts_test.ts: an exponential decay whose amplitude wants 3
but is bounded by max=2, fitted by lmfit 1.1.0 from starts inside, outside and on the bound,
with a two-sided and a one-sided bound, for several methods.

Run: /usr/bin/python3 scripts/bound_optimum_fixture.py > tests/testdata/bound_optimum_lmfit.json
"""
import json
import numpy as np
import lmfit

x = np.arange(50) * 0.2
y = 3 * np.exp(-x / 2) + 0.01 * np.sin(7 * x)


def residual(p):
    return p["a"].value * np.exp(-x / p["tau"].value) - y


out = {"lmfit": lmfit.__version__, "cases": []}
for method in ["leastsq", "least_squares", "lbfgsb", "nelder", "powell", "tnc", "slsqp", "trust-constr", "cobyla"]:
    for start in [1.0, 50.0, 2.0]:
        for amin in [0.0, -np.inf]:
            p = lmfit.Parameters()
            p.add("a", value=start, min=amin, max=2)
            p.add("tau", value=1, min=0.01)
            r = lmfit.minimize(residual, p, method=method)
            out["cases"].append({
                "method": method, "start": start, "min": None if np.isinf(amin) else amin,
                "success": bool(r.success), "nfev": int(r.nfev), "a": r.params["a"].value,
                "tau": r.params["tau"].value, "chisqr": float(r.chisqr),
                "errorbars": bool(r.errorbars),
                "tau_stderr": None if r.params["tau"].stderr is None else float(r.params["tau"].stderr),
                "a_stderr": None if r.params["a"].stderr is None else float(r.params["a"].stderr),
                "message": str(r.message),
            })
print(json.dumps(out, indent=1))
