"""Reference fixtures for the seeds' worked examples, fitted with Python lmfit 1.1.0.

Run: /usr/bin/python3 scripts/gen_seed_fits.py  -> tests/testdata/seed_fits.json
Each case stores data, start values, bounds/expr, and lmfit's leastsq answer with tight
tolerances (xtol=ftol=1e-13, the true minimum) and with lmfit's defaults.
"""
import json
import numpy as np
from numpy import sin, exp, pi, sign
import lmfit

out = {"source": "scripts/gen_seed_fits.py, lmfit " + lmfit.__version__}


def record(params, fcn, args=(), kws=None):
    res = {}
    for label, tol in (("tight", dict(xtol=1e-13, ftol=1e-13)), ("default", {})):
        r = lmfit.minimize(fcn, params, args=args, kws=kws, **tol)
        res[label] = {
            "values": {n: p.value for n, p in r.params.items()},
            "stderr": {n: p.stderr for n, p in r.params.items()},
            "correl": {n: p.correl for n, p in r.params.items()},
            "chisqr": r.chisqr, "redchi": r.redchi, "aic": r.aic, "bic": r.bic,
            "nfev": r.nfev, "ndata": r.ndata, "nvarys": r.nvarys, "success": bool(r.success),
            "report": lmfit.fit_report(r),
        }
    return res


def pdef(params):
    return [[n, p.value, p.vary, None if p.min == -np.inf else p.min,
             None if p.max == np.inf else p.max, p.expr] for n, p in params.items()]


# 1. The decaying sine of the manual's "Getting started" (section 3), n = 2500.
def residual(pars, x, data=None):
    amp = pars['amp'].value
    per = pars['period'].value
    shift = pars['shift'].value
    decay = pars['decay'].value
    if abs(shift) > pi / 2:
        shift = shift - sign(shift) * pi
    model = amp * sin(shift + x / per) * exp(-x * x * decay * decay)
    if data is None:
        return model
    return model - data


rng = np.random.RandomState(2013)
p_true = lmfit.Parameters()
p_true.add('amp', value=14.0)
p_true.add('period', value=5.33)
p_true.add('shift', value=0.123)
p_true.add('decay', value=0.010)
x = np.linspace(0.0, 250.0, 2500)
data = residual(p_true, x) + rng.normal(scale=0.7215, size=x.size)

fit = lmfit.Parameters()
fit.add('amp', value=13.0)
fit.add('period', value=2)
fit.add('shift', value=0.0)
fit.add('decay', value=0.02)
out["sine"] = {"x": x.tolist(), "data": data.tolist(), "params": pdef(fit),
               "fits": record(fit, residual, args=(x,), kws={"data": data})}

# 2. The same data with bounds and a constraint (the manual's bounded/constrained forms).
fitb = lmfit.Parameters()
fitb.add('amp', value=13.0, min=0, max=100)
fitb.add('period', value=2, min=1.0e-10)
fitb.add('shift', value=0.0, min=-pi / 2, max=pi / 2)
fitb.add('decay', value=0.02, min=0.0)
fitb.add('half_amp', expr='amp / 2')
fitb.add('freq', expr='1 / (2 * pi * period)')
out["sine_bounded"] = {"params": pdef(fitb),
                       "fits": record(fitb, residual, args=(x,), kws={"data": data})}

# 3. Fixed parameter: amp held at 14 (vary=False).
fitf = lmfit.Parameters()
fitf.add('amp', value=14.0, vary=False)
fitf.add('period', value=5.0, max=10)
fitf.add('shift', value=0.1)
fitf.add('decay', value=0.02, min=0)
out["sine_fixed"] = {"params": pdef(fitf),
                     "fits": record(fitf, residual, args=(x,), kws={"data": data})}

# 4. The confidence-interval chapter's basic example: y = 1/(0.1 x) + 2 + noise.
rng = np.random.RandomState(7)
xc = np.linspace(0.3, 10, 100)
yc = 1 / (0.1 * xc) + 2 + 0.1 * rng.randn(xc.size)
pc = lmfit.Parameters()
pc.add_many(('a', 0.1), ('b', 1))


def residual_ci(p, x, y):
    return 1 / (p['a'].value * x) + p['b'].value - y


out["ci_basic"] = {"x": xc.tolist(), "data": yc.tolist(), "params": pdef(pc),
                   "fits": record(pc, residual_ci, args=(xc, yc))}

with open("tests/testdata/seed_fits.json", "w") as fh:
    json.dump(out, fh, indent=1)
for k in ("sine", "sine_bounded", "sine_fixed", "ci_basic"):
    print(k, out[k]["fits"]["tight"]["values"], out[k]["fits"]["tight"]["chisqr"], out[k]["fits"]["default"]["nfev"])
print(out["sine_bounded"]["fits"]["default"]["report"])
