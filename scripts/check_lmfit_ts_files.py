"""Loads the files lmfit-ts writes (scripts/make_lmfit_ts_files.ts) in Python lmfit 1.1.0 and
checks that lmfit reproduces lmfit-ts's values from them.

Run: /usr/bin/python3 scripts/check_lmfit_ts_files.py [dir]   (default tests/testdata/lmfit_ts_files)
"""
import json
import math
import os
import sys

import numpy as np
import lmfit
from lmfit import Parameters
from lmfit.model import load_model, load_modelresult

DIR = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(__file__), "..", "tests", "testdata", "lmfit_ts_files")


def num(v):
    return float(v) if isinstance(v, str) else v


with open(os.path.join(DIR, "expected.json")) as fh:
    expected = json.load(fh)
failures = []


def check(what, ok):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


p = Parameters()
with open(os.path.join(DIR, "params.json")) as fh:
    p.load(fh)
for name, e in expected["params"].items():
    q = p[name]
    check(f"params {name}", math.isclose(q.value, e["value"], rel_tol=1e-14)
          and q.min == num(e["min"]) and q.max == num(e["max"]) and q.vary == e["vary"]
          and q.expr == e["expr"] and q.stderr == e["stderr"] and q.brute_step == e["brute_step"])
check("params user symbol", p._asteval.symtable["scale"] == 2.5)

x = np.array(expected["x"])
for name in ("gaussian", "step", "expression", "composite", "composite_hints"):
    m = load_model(os.path.join(DIR, f"model_{name}.json"))
    e = expected[f"model_{name}"]
    y = m.eval(m.make_params(**e["values"]), x=x)
    check(f"model {name}: {m.name}", np.allclose(y, e["eval"], rtol=1e-12, atol=1e-14)
          and all(n in m.param_names for n in e["param_names"]))
m = load_model(os.path.join(DIR, "model_gaussian.json"))
sig = m.make_params()["g_sigma"]
check("model gaussian: hint on sigma", (sig.min, sig.max) == (0.1, 4))

r = load_modelresult(os.path.join(DIR, "modelresult.json"))
e = expected["modelresult"]
check("modelresult best values", all(math.isclose(r.best_values[k], v, rel_tol=1e-12)
                                     for k, v in e["values"].items()))
check("modelresult statistics", all(math.isclose(getattr(r, k), e[k], rel_tol=1e-12)
                                    for k in ("chisqr", "redchi", "aic", "bic"))
      and r.nfev == e["nfev"] and r.ndata == e["ndata"] and r.nvarys == e["nvarys"])
check("modelresult stderr", all(math.isclose(r.params[k].stderr, v, rel_tol=1e-12)
                                for k, v in e["stderr"].items() if v is not None))
check("modelresult best fit", np.allclose(r.best_fit, e["best_fit"], rtol=1e-12))
# A refit in Python from the loaded result's data reaches the same optimum.
refit = r.model.fit(r.data, r.init_params, x=r.userkws["x"])
check("modelresult refit in lmfit", all(math.isclose(refit.best_values[k], v, rel_tol=1e-6)
                                        for k, v in e["values"].items()))
print(f"lmfit {lmfit.__version__}: {'all files load' if not failures else failures}")
sys.exit(1 if failures else 0)
