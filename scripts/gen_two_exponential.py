"""Reference fixture for the seeds' two-exponential example (lmfit 0.7.1 manual, sec. 4.3).

Data: x = linspace(0.3, 10, 100), y = 3 exp(-x/2) - 5 exp(-x/10) + 0.2 N(0,1), numpy seed 7.
Fits it with Python lmfit 1.1.0 leastsq, unbounded and with bounds, and writes
tests/testdata/two_exponential.json. Run: /usr/bin/python3 scripts/gen_two_exponential.py
"""
import json
import numpy as np
import lmfit

rng = np.random.RandomState(7)
x = np.linspace(0.3, 10, 100)
y = 3 * np.exp(-x / 2.0) - 5 * np.exp(-x / 10.0) + 0.2 * rng.randn(x.size)


def residual(p):
    v = p.valuesdict()
    return v["a1"] * np.exp(-x / v["t1"]) + v["a2"] * np.exp(-x / v["t2"]) - y


def fit(bounds):
    p = lmfit.Parameters()
    for name, val in (("a1", 5.0), ("a2", -5.0), ("t1", 2.0), ("t2", 5.0)):
        lo, hi = bounds.get(name, (-np.inf, np.inf))
        p.add(name, value=val, min=lo, max=hi)
    out = lmfit.minimize(residual, p, method="leastsq", xtol=1e-12, ftol=1e-12)
    return {
        "bounds": {k: list(v) for k, v in bounds.items()},
        "values": {n: out.params[n].value for n in out.var_names},
        "stderr": {n: out.params[n].stderr for n in out.var_names},
        "correl": {n: out.params[n].correl for n in out.var_names},
        "chisqr": out.chisqr,
        "redchi": out.redchi,
        "aic": out.aic,
        "bic": out.bic,
        "nfev": out.nfev,
    }


bounds = {"a1": (0.0, 10.0), "a2": (-10.0, 0.0), "t1": (0.5, 5.0), "t2": (5.0, 20.0)}
out = {
    "source": "scripts/gen_two_exponential.py, lmfit " + lmfit.__version__,
    "start": {"a1": 5.0, "a2": -5.0, "t1": 2.0, "t2": 5.0},
    "x": x.tolist(),
    "y": y.tolist(),
    "unbounded": fit({}),
    "bounded": fit(bounds),
}
with open("tests/testdata/two_exponential.json", "w") as fh:
    json.dump(out, fh, indent=1)
print(json.dumps({k: out[k]["values"] for k in ("unbounded", "bounded")}, indent=1))
print(out["unbounded"]["chisqr"], out["bounded"]["chisqr"])
