"""A noisy two-peak dataset (examples/data/two_peaks.csv) and lmfit 1.1.0's fit of
Gaussian + Lorentzian + linear to it (tests/testdata/composite.json).

Run: /usr/bin/python3 scripts/gen_composite_fixture.py
"""
import json
import numpy as np
from lmfit.models import GaussianModel, LorentzianModel, LinearModel

rng = np.random.RandomState(11)
x = np.linspace(0, 20, 201)
y = (GaussianModel().eval(x=x, amplitude=30, center=6.5, sigma=0.9)
     + LorentzianModel().eval(x=x, amplitude=22, center=13.2, sigma=0.7)
     + 0.15 * x + 1.0 + 0.35 * rng.randn(x.size))
with open("examples/data/two_peaks.csv", "w") as fh:
    fh.write("# two peaks on a sloping background: gaussian at 6.5, lorentzian at 13.2\n")
    fh.write("x,y\n")
    for a, b in zip(x, y):
        fh.write(f"{a!r},{b!r}\n")

model = GaussianModel(prefix="g_") + LorentzianModel(prefix="l_") + LinearModel(prefix="b_")
params = model.make_params(g_amplitude=20, g_center=6, g_sigma=1, l_amplitude=15, l_center=13, l_sigma=1,
                           b_slope=0, b_intercept=0)
out = model.fit(y, params, x=x, fit_kws={"xtol": 1e-13, "ftol": 1e-13})
json.dump({
    "source": "scripts/gen_composite_fixture.py, lmfit " + __import__("lmfit").__version__,
    "start": {k: p.value for k, p in params.items() if p.expr is None},
    "values": {k: p.value for k, p in out.params.items()},
    "stderr": {k: p.stderr for k, p in out.params.items()},
    "rsquared": out.rsquared, "chisqr": out.chisqr, "redchi": out.redchi, "aic": out.aic, "bic": out.bic,
    "nfev": out.nfev, "ndata": out.ndata,
    "report": out.fit_report(),
    "dely2": out.eval_uncertainty(sigma=2).tolist(),
}, open("tests/testdata/composite.json", "w"), indent=1)
print(out.fit_report())
