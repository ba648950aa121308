"""scipy.special reference values for tests/special/special_test.ts.

Run: /usr/bin/python3 scripts/gen_special_fixture.py -> tests/testdata/special.json
"""
import json
import numpy as np
from scipy import special, stats

xs = [-6.0, -3.3, -2.0, -1.0, -0.5, -1e-3, 0.0, 1e-8, 0.3, 0.5, 1.0, 1.7, 2.0, 2.5, 3.0, 4.5, 6.0, 9.0, 26.0]
pos = [1e-3, 0.1, 0.5, 1.0, 1.5, 2.5, 3.7, 7.2, 10.0, 25.5, 70.3, 150.2]
wz = [(x, y) for x in (-8.0, -2.0, -0.3, 0.0, 0.7, 1.0, 3.0, 5.5, 12.0, 40.0) for y in (0.0, 1e-6, 0.01, 0.3, 1.0, 2.5, 8.0, 30.0)]
out = {
    "erf": [[x, float(special.erf(x))] for x in xs],
    "erfc": [[x, float(special.erfc(x))] for x in xs],
    "gamma": [[x, float(special.gamma(x))] for x in pos + [-0.5, -1.5, -2.7]],
    "lgamma": [[x, float(special.gammaln(x))] for x in pos],
    "digamma": [[x, float(special.digamma(x))] for x in pos + [-0.5, -2.7]],
    "wofz": [[x, y, float(special.wofz(x + 1j * y).real), float(special.wofz(x + 1j * y).imag)] for x, y in wz],
    "loggamma_complex": [[a, b, float(special.loggamma(a + 1j * b).real)] for a in (0.6, 1.0, 2.5, 7.0) for b in (-3.0, -0.5, 0.2, 1.0, 4.0)],
    "betainc": [[a, b, x, float(special.betainc(a, b, x))] for a in (0.5, 1.0, 2.5, 10.0) for b in (0.5, 3.0, 48.0) for x in (0.01, 0.3, 0.5, 0.9)],
    "fcdf": [[x, d1, d2, float(stats.f.cdf(x, d1, d2))] for x in (0.1, 1.0, 3.5, 9.6, 40.0) for d1, d2 in ((1, 96), (2, 10), (5, 200))],
    # Dense Faddeeva grid over the region lmfit's Voigt uses (z = (x - c + i*gamma)/(sigma*sqrt(2)))
    # and beyond: both near the real axis and far out, both signs of x, and the lower half plane.
    "wofz_dense": [[x, y, float(special.wofz(x + 1j * y).real), float(special.wofz(x + 1j * y).imag)]
                   for x in np.concatenate([np.linspace(-30, 30, 121), [1e-9, 3e-4, 0.02, 6.3, 7.9, 8.2, 9.99, 10.5, 27.5, 1e4, 3e8]])
                   for y in (0.0, 1e-12, 1e-6, 1e-3, 0.05, 0.3, 1.0, 2.5, 6.0, 7.5, 15.0, 50.0, 2e3, 1e9)],
    "wofz_lower": [[x, y, float(special.wofz(x + 1j * y).real), float(special.wofz(x + 1j * y).imag)]
                   for x in (-4.0, -0.5, 0.0, 0.7, 3.0, 12.0) for y in (-0.2, -1.0, -3.0)],
    "erfcx": [[x, float(special.erfcx(x))] for x in [-20.0, -5.0, -1.0, -0.5, -0.1, 0.0, 0.2, 0.74, 0.76, 1.3, 2.0, 5.0, 12.0, 26.0, 100.0, 1e5, 1e10]],
    "beta": [[a, b, float(special.beta(a, b))] for a in (0.5, 1.0, 2.5, 10.0, 90.0) for b in (0.5, 3.0, 48.0, 120.0)],
    "gammainc": [[a, x, float(special.gammainc(a, x)), float(special.gammaincc(a, x))] for a in (0.5, 1.0, 2.5, 10.0, 60.0) for x in (0.01, 0.5, 2.0, 9.0, 30.0, 80.0)],
    "chi2cdf": [[x, k, float(stats.chi2.cdf(x, k))] for x in (0.05, 1.0, 3.841458820694124, 12.0, 60.0) for k in (1, 2, 5, 30)],
    "normcdf": [[x, float(stats.norm.cdf(x))] for x in (-38.0, -20.0, -8.0, -3.0, -1.0, -1e-3, 0.0, 0.5, 1.96, 4.0, 8.0)],
    "normppf": [[p, float(stats.norm.ppf(p))] for p in (1e-300, 1e-100, 1e-20, 1e-8, 1e-3, 0.02, 0.02425, 0.1, 0.3, 0.5, 0.6, 0.8413447460685429, 0.975, 0.999, 1 - 1e-10)],
    "tcdf": [[t, nu, float(stats.t.cdf(t, nu))] for t in (-30.0, -4.0, -1.0, 0.0, 0.3, 2.0, 7.5) for nu in (1, 2.5, 10, 200)],
    "tppf": [[p, nu, float(stats.t.ppf(p, nu))] for p in (0.6, 0.8413447460685429, 0.975, 0.99865) for nu in (1, 3, 30, 500)],
}
json.dump(out, open("tests/testdata/special.json", "w"))
print({k: len(v) for k, v in out.items()})
