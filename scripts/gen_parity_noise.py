"""Random draws that lmfit 1.1.0's tests make after np.random.seed(...), so the parity suite
(tests/lmfit_parity) fits the same data. numpy's legacy RandomState stream is stable across
versions. Stored as unit draws (numpy's normal(scale=s) is s times the same
stream); the tests multiply by lmfit's scale. Writes tests/testdata/lmfit_parity/noise.json.

    /usr/bin/python3 scripts/gen_parity_noise.py
"""
import json
import os

import numpy as np

out = {}


def draw(key, seed, fn):
    if seed is not None:
        np.random.seed(seed)
    out[key] = [float(v) for v in np.atleast_1d(fn())]


# test_bounds / test_least_squares: seed(0), normal(scale=2.8, size=1500)
draw('bounds', 0, lambda: np.random.normal(size=1500))
# test_stepmodel: seed(2021), randn(201)
draw('stepmodel', 2021, lambda: np.random.randn(201))
# test_itercb / test_max_nfev: seed(7), normal(scale=0.23, size=401)
draw('itercb', 7, lambda: np.random.normal(size=401))
# test_least_squares_jacobian_types: seed(42) and seed(43), normal(0, 1, 50)
draw('lsq_a', 42, lambda: np.random.normal(0, 1, 50))
draw('lsq_b', 43, lambda: np.random.normal(0, 1, 50))
# test_confidence: seed(0), randn(x.size) for x = linspace(1, 10, 100)
draw('confidence', 0, lambda: np.random.randn(100))
# test_covariance_matrix: seed(1) normal(0.2, 1001); seed(7) normal(0.25, 101);
# seed(78281) normal(0.05, 101)
draw('covar_1', 1, lambda: np.random.normal(size=301))
draw('covar_7', 7, lambda: np.random.normal(size=50))
draw('covar_78281', 78281, lambda: np.random.normal(size=10))
# test_model_uncertainties: seed(88) and seed(7392), normal(scale=noise, size=...) (unit scale)
draw('mu_88', 88, lambda: np.random.normal(size=101))
draw('mu_7392', 7392, lambda: np.random.normal(size=201))
# test_nose: seed(1) normal(0.2, 1001)
draw('nose_1', 1, lambda: np.random.normal(size=1001))
# test_parameters_usersyms: seed(2020), normal(scale=0.002, size=10)
draw('params_2020', 2020, lambda: np.random.normal(size=10))
# test_nose: unseeded draws in lmfit; numpy draws here so the data are reproducible
draw('nose_lbfgsb', 11, lambda: np.random.normal(size=2500))
draw('nose_derive', 12, lambda: np.random.normal(size=50))
draw('nose_peakfit', 13, lambda: np.random.normal(size=601))
# test_scalar_minimize_reduce_fcn: seed(2) normal(0.25, 101), then randint and random outliers
np.random.seed(2)
out['nose_reduce_noise'] = np.random.normal(size=101, scale=0.250).tolist()
idx = np.random.randint(int(101/3.0), 101, int(101/12))
out['nose_reduce_outlier_idx'] = [float(i) for i in idx]
out['nose_reduce_outlier_val'] = (5*np.random.random(len(idx))).tolist()
# test_algebraic_constraint: unseeded normal(scale=0.23, size=601); numpy draws with a seed here
draw('algebraic', 14, lambda: np.random.normal(size=601))
# test_model CommonTests: seed(1), 0.0001*randn(1000); test_symmetric_boundss: seed(0), 51;
# test_unprefixed_name_collisions: seed(0), 201
draw('model_common', 1, lambda: np.random.randn(1000))
draw('model_sym', 0, lambda: np.random.normal(size=51))
draw('model_unprefixed', 0, lambda: np.random.normal(size=201))
# test_model_saveload: seed(2020) normal(0.01, 201); seed(20) normal(0.025, 501); unseeded 201
draw('saveload_2020', 2020, lambda: np.random.normal(size=201))
draw('saveload_20', 20, lambda: np.random.normal(size=501))
draw('saveload_expr', 15, lambda: np.random.normal(size=201))
# test_builtin_models.test_guess_modelparams: unseeded normal(scale=0.004, size=501)
draw('builtin_guess', 16, lambda: np.random.normal(size=501))

path = os.path.join(os.path.dirname(__file__), '..', 'tests', 'testdata', 'lmfit_parity',
                    'noise.json')
with open(path, 'w') as fh:
    json.dump(out, fh)
