"""scipy 1.10 results that lmfit 1.1.0's tests compare lmfit against (test_shgo,
test_dual_annealing, test_basinhopping: `*_scipy_vs_lmfit`), for the parity suite.
Writes tests/testdata/lmfit_parity/scipy_global.json.

    /usr/bin/python3 scripts/gen_parity_scipy.py
"""
import json
import os

import numpy as np
import scipy
from scipy.optimize import basinhopping, dual_annealing, shgo


def eggholder(x):
    return (-(x[1] + 47.0) * np.sin(np.sqrt(abs(x[0]/2.0 + (x[1] + 47.0))))
            - x[0] * np.sin(np.sqrt(abs(x[0] - (x[1] + 47.0)))))


bounds = [(-512, 512), (-512, 512)]
out = {'scipy': scipy.__version__}
r = shgo(eggholder, bounds, n=30, sampling_method='sobol')
out['shgo_1'] = {'fun': float(r.fun), 'funl': r.funl.tolist(), 'xl': r.xl.tolist(),
                 'x': r.x.tolist()}
r = shgo(eggholder, bounds, n=60, iters=5, sampling_method='sobol')
out['shgo_2'] = {'fun': float(r.fun), 'funl': r.funl.tolist(), 'xl': r.xl.tolist(),
                 'x': r.x.tolist()}
r = dual_annealing(eggholder, bounds, seed=7)
out['da'] = {'fun': float(r.fun), 'x': r.x.tolist()}
r = basinhopping(lambda x: np.cos(14.5*x - 0.3) + (x+0.2) * x, [1.],
                 minimizer_kwargs={'method': 'L-BFGS-B'}, seed=7)
out['bh_1d'] = {'fun': float(np.atleast_1d(r.fun)[0]), 'x': r.x.tolist()}
r = basinhopping(lambda x: np.cos(14.5*x[0] - 0.3) + (x[1]+0.2) * x[1] + (x[0]+0.2) * x[0],
                 [1.0, 1.0], minimizer_kwargs={'method': 'L-BFGS-B'}, seed=7)
out['bh_2d'] = {'fun': float(r.fun), 'x': r.x.tolist()}

path = os.path.join(os.path.dirname(__file__), '..', 'tests', 'testdata', 'lmfit_parity',
                    'scipy_global.json')
with open(path, 'w') as fh:
    json.dump(out, fh, indent=1)
