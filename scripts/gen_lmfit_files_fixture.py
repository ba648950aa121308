"""Files written by Python lmfit 1.1.0 (Parameters.dump, save_model, save_modelresult) for
tests/io/lmfit_files_test.ts: lmfit-ts must load each and reproduce the values recorded in
tests/testdata/lmfit_files/expected.json.

Run: /usr/bin/python3 scripts/gen_lmfit_files_fixture.py
"""
import json
import os

import numpy as np
import lmfit
from lmfit import Parameters
from lmfit.model import save_model, save_modelresult
from lmfit.models import ExpressionModel, GaussianModel, LinearModel, LorentzianModel

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "testdata", "lmfit_files")
os.makedirs(OUT, exist_ok=True)
assert lmfit.__version__ == "1.1.0", lmfit.__version__
expected = {"lmfit": lmfit.__version__}

# Parameters: bounds (infinite ones too), a constraint, stderr/correl, brute step, user data,
# a user symbol, and names that shadow built-ins (e, pi, max).
p = Parameters()
p.add("amp", value=10.5, min=0, brute_step=0.5)
p.add("cen", value=-1.25, min=-5, max=5)
p.add("e", value=2.0, vary=False)
p.add("pi", value=3.0)
p.add("max", value=4.0, max=100)
p._asteval.symtable["scale"] = 2.5
p.add("half", expr="amp / 2 + e * scale")
p["amp"].stderr = 0.25
p["amp"].correl = {"cen": 0.125}
p["cen"].user_data = {"unit": "s"}
with open(os.path.join(OUT, "params.json"), "w") as fh:
    p.dump(fh)
expected["params"] = {
    name: {"value": q.value, "min": q.min, "max": q.max, "vary": q.vary, "expr": q.expr,
           "stderr": q.stderr, "brute_step": q.brute_step}
    for name, q in p.items()
}

# Models: a built-in with prefix and hint, an expression model, a composite of two built-ins.
x = np.linspace(-5, 5, 61)
m1 = GaussianModel(prefix="g_")
m1.set_param_hint("g_sigma", min=0.1, max=4)
save_model(m1, os.path.join(OUT, "model_gaussian.json"))
m2 = ExpressionModel("a * exp(-b * x) + c")
save_model(m2, os.path.join(OUT, "model_expression.json"))
m3 = GaussianModel(prefix="p1_") + LorentzianModel(prefix="p2_") * LinearModel(prefix="bg_")
save_model(m3, os.path.join(OUT, "model_composite.json"))
vals = {"g_amplitude": 3.0, "g_center": 0.5, "g_sigma": 1.2}
expected["model_gaussian"] = {
    "param_names": m1.param_names, "values": vals,
    "x": x.tolist(), "eval": m1.eval(m1.make_params(**vals), x=x).tolist(),
    "hint_sigma": [m1.make_params()["g_sigma"].min, m1.make_params()["g_sigma"].max],
}
vals = {"a": 2.0, "b": 0.3, "c": 0.1}
expected["model_expression"] = {
    "param_names": m2.param_names, "values": vals,
    "eval": m2.eval(m2.make_params(**vals), x=x).tolist(),
}
vals = {"p1_amplitude": 4.0, "p1_center": -1.0, "p1_sigma": 0.8, "p2_amplitude": 2.0,
        "p2_center": 1.5, "p2_sigma": 0.6, "bg_slope": 0.1, "bg_intercept": 1.0}
expected["model_composite"] = {
    "param_names": m3.param_names, "values": vals,
    "eval": m3.eval(m3.make_params(**vals), x=x).tolist(),
}

# A ModelResult: a Gaussian on a line, fitted with leastsq.
rng = np.random.default_rng(7)
y = (lmfit.lineshapes.gaussian(x, 5.0, 0.4, 1.1) + 0.2 * x + 0.5
     + rng.normal(scale=0.05, size=x.size))
model = GaussianModel(prefix="g_") + LinearModel(prefix="bg_")
pars = model.make_params(g_amplitude=4, g_center=0, g_sigma=1, bg_slope=0, bg_intercept=0)
result = model.fit(y, pars, x=x)
save_modelresult(result, os.path.join(OUT, "modelresult.json"))
expected["modelresult"] = {
    "values": result.best_values, "chisqr": result.chisqr, "redchi": result.redchi,
    "aic": result.aic, "bic": result.bic, "nfev": result.nfev, "ndata": result.ndata,
    "nvarys": result.nvarys, "success": bool(result.success),
    "stderr": {k: q.stderr for k, q in result.params.items()},
    "best_fit": result.best_fit.tolist(), "x": x.tolist(), "data": y.tolist(),
}

def plain(v):
    """Non-finite floats as strings ("inf", "-inf", "nan"): expected.json is standard JSON."""
    if isinstance(v, float) and not np.isfinite(v):
        return str(v)
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    return v


with open(os.path.join(OUT, "expected.json"), "w") as fh:
    json.dump(plain(expected), fh, indent=1)
print("wrote", sorted(os.listdir(OUT)))
