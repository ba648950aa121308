"""Reference for tests/model/nan_omit_test.ts (issue 12 point 9): lmfit 1.1.0 fits of a Gaussian
with 2 NaNs in 101 points under nan_policy='omit', a fixed parameter's stderr, and dely_comps
of a one-component model.

Run: /usr/bin/python3 scripts/nan_omit_fixture.py > tests/testdata/nan_omit_lmfit.json
"""
import json
import numpy as np
import lmfit

x = np.linspace(-5, 5, 101)
y = 3.0 * np.exp(-(x - 0.3) ** 2 / (2 * 1.2**2)) + 0.1 * np.sin(7 * x) + 0.05 * np.cos(13 * x)
y[[17, 60]] = np.nan
model = lmfit.models.GaussianModel()
pars = model.make_params(amplitude=5, center=0, sigma=1)
r = model.fit(y, pars, x=x, nan_policy="omit")

# a fixed parameter
pars2 = model.make_params(amplitude=5, center=0.3, sigma=1)
pars2["center"].vary = False
y2 = np.where(np.isnan(y), 0.0, y)
r2 = model.fit(y2, pars2, x=x)
r2.eval_uncertainty(sigma=1)


def stats(res):
    return {
        "ndata": res.ndata, "nfree": res.nfree, "chisqr": res.chisqr, "redchi": res.redchi,
        "aic": res.aic, "bic": res.bic, "nfev": res.nfev,
        "values": {k: p.value for k, p in res.params.items()},
        "stderr": {k: p.stderr for k, p in res.params.items()},
        "covar": None if res.covar is None else res.covar.tolist(),
        "residual_len": len(res.residual),
    }


print(json.dumps({
    "lmfit": lmfit.__version__, "x": x.tolist(), "y": [None if np.isnan(v) else v for v in y],
    "omit": stats(r),
    "fixed": stats(r2),
    "fixed_dely": r2.dely.tolist(),
    "fixed_dely_comps": {k: v.tolist() for k, v in r2.dely_comps.items()},
}, indent=1))
