"""Reference fits for fitBatch: Python lmfit 1.1.0 fitting each dataset of a small batch.

Writes tests/testdata/batch_reference.json: 1-D Gaussians (64 points, amplitude/center/sigma,
sigma bounded below) and 2-D Gaussians on 5x5 points (Gpufit's benchmark, round: sigmay tied
to sigmax is not used; amplitude, centerx, centery, sigmax, sigmay free), with lmfit's values,
standard errors, correlations and chi-square per dataset.

Usage: /usr/bin/python3 scripts/gen_batch_reference.py
"""
import json
import numpy as np
import lmfit
from lmfit.models import GaussianModel, Gaussian2dModel

rng = np.random.default_rng(20240611)


def correl(r, names):
    """Correlations of each pair (a < c in `names` order), as fitBatch's correl columns."""
    return [r.params[a].correl[c] for i, a in enumerate(names) for c in names[i + 1:]]


out = {"lmfit": lmfit.__version__}

# 1-D Gaussians
N, B = 64, 24
x = np.linspace(-4, 4, N)
m = GaussianModel()
ys, fits = [], []
for b in range(B):
    a, c, s = 2 + 3 * rng.uniform(), rng.uniform(-1, 1), 0.5 + rng.uniform()
    y = m.eval(x=x, amplitude=a, center=c, sigma=s) + 0.02 * rng.normal(size=N)
    p = m.make_params(amplitude=3, center=0, sigma=1)
    p["sigma"].set(min=0.05)
    r = m.fit(y, p, x=x, fit_kws={"xtol": 1e-12, "ftol": 1e-12})
    ys.append(y.tolist())
    fits.append({
        "values": [r.params[n].value for n in ("amplitude", "center", "sigma")],
        "stderr": [r.params[n].stderr for n in ("amplitude", "center", "sigma")],
        "correl": correl(r, ("amplitude", "center", "sigma")),
        "chisqr": r.chisqr,
    })
out["gauss1d"] = {"x": x.tolist(), "y": ys, "fits": fits,
                  "start": {"amplitude": 3, "center": 0, "sigma": 1}, "sigmaMin": 0.05}

# 2-D Gaussians on 5x5 points
gx, gy = np.meshgrid(np.arange(5.0) - 2, np.arange(5.0) - 2)
gx, gy = gx.ravel(), gy.ravel()
m2 = Gaussian2dModel()
names2 = ("amplitude", "centerx", "centery", "sigmax", "sigmay")
zs, fits2 = [], []
for b in range(12):
    a = 50 + 10 * rng.uniform()
    cx, cy = rng.uniform(-0.5, 0.5), rng.uniform(-0.5, 0.5)
    s = 0.8 + 0.4 * rng.uniform()
    z = m2.eval(x=gx, y=gy, amplitude=a, centerx=cx, centery=cy, sigmax=s, sigmay=s)
    z = z + 0.05 * rng.normal(size=25)
    p = m2.make_params(amplitude=40, centerx=0, centery=0, sigmax=1, sigmay=1)
    r = m2.fit(z, p, x=gx, y=gy, fit_kws={"xtol": 1e-12, "ftol": 1e-12})
    zs.append(z.tolist())
    fits2.append({
        "values": [r.params[n].value for n in names2],
        "stderr": [r.params[n].stderr for n in names2],
        "correl": correl(r, names2),
        "chisqr": r.chisqr,
    })
out["gauss2d"] = {"x": gx.tolist(), "y": gy.tolist(), "z": zs, "fits": fits2,
                  "start": {"amplitude": 40, "centerx": 0, "centery": 0, "sigmax": 1, "sigmay": 1}}

with open("tests/testdata/batch_reference.json", "w") as f:
    json.dump(out, f)
print("wrote tests/testdata/batch_reference.json")
