"""scipy.optimize.brute results that lmfit 1.1.0's tests/test_brute.py compares lmfit's brute
method against (TEST 1-4), for the parity suite. Writes
tests/testdata/lmfit_parity/scipy_brute.json.

    /usr/bin/python3 scripts/gen_parity_brute.py
"""
import json
import os

import numpy as np
from scipy import optimize


def func_scipy(z, *params):
    x, y = z
    a, b, c, d, e, f, g, h, i, j, k, l, scale = params
    f1 = a * x**2 + b*x*y + c * y**2 + d*x + e*y + f
    f2 = -g*np.exp(-((x-h)**2 + (y-i)**2) / scale)
    f3 = -j*np.exp(-((x-k)**2 + (y-l)**2) / scale)
    return f1 + f2 + f3


params = (2, 3, 7, 8, 9, 10, 44, -1, 2, 26, 1, -2, 0.5)
cases = {
    'default': (((-4, 4), (-2, 2)), 20),
    'Ns': (((-4, 4), (-2, 2)), 40),
    'stepsize': ((slice(-4, 4, 0.25), slice(-2, 2, 0.25)), 20),
    'Ns_stepsize': ((slice(-4, 4, 0.15), (-2, 2)), 10),
}
out = {}
for name, (rranges, Ns) in cases.items():
    x0, fval, grid, jout = optimize.brute(func_scipy, rranges, args=params, full_output=True,
                                          Ns=Ns, finish=None)
    out[name] = {'x0': x0.tolist(), 'fval': float(fval), 'grid': grid.tolist(),
                 'Jout': jout.tolist()}
path = os.path.join(os.path.dirname(__file__), '..', 'tests', 'testdata', 'lmfit_parity',
                    'scipy_brute.json')
with open(path, 'w') as fh:
    json.dump(out, fh)
