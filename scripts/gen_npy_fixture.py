"""Fixtures for `cli.ts --batch`: three Gaussians (amplitude, center, sigma) on 32 points of
x = -4..4, saved by NumPy as float64 C order, float32 Fortran order, the transpose (one dataset
per column) in Fortran order, and the same rows as CSV.

Usage: /usr/bin/python3 scripts/gen_npy_fixture.py
"""
import numpy as np

x = np.linspace(-4, 4, 32)
truth = [(2, 0.5, 1), (3, -1, 0.7), (1, 0.2, 1.3)]
Y = np.array([a * np.exp(-(x - c) ** 2 / (2 * s * s)) / (s * np.sqrt(2 * np.pi)) for a, c, s in truth])
np.save("tests/testdata/batch_rows_f8_c.npy", Y)
np.save("tests/testdata/batch_rows_f4_fortran.npy", np.asfortranarray(Y.astype(np.float32)))
np.save("tests/testdata/batch_cols_f8_fortran.npy", np.asfortranarray(Y.T))
np.savetxt("tests/testdata/batch_rows.csv", Y, delimiter=",")
