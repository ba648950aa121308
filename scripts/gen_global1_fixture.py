"""Reference fixture for lib/solvers/brute.ts and differential_evolution.ts (scipy.optimize).

brute: grids from [start, stop, step] slices and [low, high] with Ns (numpy mgrid rules), the
best grid point and value, without finish. differential_evolution: scipy's result on standard
test functions (the minima are what the tests compare; the random streams differ).
Writes tests/testdata/global1.json. Run: /usr/bin/python3 scripts/gen_global1_fixture.py
"""
import json
import pathlib

import numpy as np
import scipy
from scipy.optimize import brute, differential_evolution

root = pathlib.Path(__file__).resolve().parent.parent


def camel(x):
    """Six-hump camel function (two global minima, -1.0316 at (±0.0898, ∓0.7126))."""
    a, b = x
    return (4 - 2.1 * a**2 + a**4 / 3) * a**2 + a * b + (-4 + 4 * b**2) * b**2


def rosen(x):
    return sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)


def quad3(x):
    return (x[0] - 0.33) ** 2 + 2 * (x[1] + 1.21) ** 2 + 0.5 * (x[2] - 2.5) ** 2 + 0.1 * x[0] * x[1]


def ackley(x):
    x = np.asarray(x)
    return (-20 * np.exp(-0.2 * np.sqrt(np.mean(x**2))) - np.exp(np.mean(np.cos(2 * np.pi * x)))
            + 20 + np.e)


def rastrigin(x):
    x = np.asarray(x)
    return 10 * x.size + np.sum(x**2 - 10 * np.cos(2 * np.pi * x))


funcs = {"camel": camel, "rosen": rosen, "quad3": quad3}
brute_cases = []
for name, ranges, Ns in [
    ("camel", [[-2, 2, 0.1], [-1, 1, 0.05]], 20),
    ("camel", [[-2, 2], [-1, 1]], 21),
    ("rosen", [[-1.5, 2.0], [-0.5, 3.0, 0.07]], 13),
    ("quad3", [[-1.3, 2.9], [-2, 0.5], [0, 3, 0.3]], 13),
]:
    rr = tuple(slice(*r) if len(r) == 3 else tuple(r) for r in ranges)
    x0, fval, grid, jout = brute(funcs[name], rr, Ns=Ns, full_output=True, finish=None)
    axes = []
    for d in range(len(ranges)):
        idx = [0] * len(ranges)
        idx[d] = slice(None)
        axes.append(grid[d][tuple(idx)].tolist())
    brute_cases.append({
        "fun": name, "ranges": ranges, "Ns": Ns, "x": np.atleast_1d(x0).tolist(), "fval": float(fval),
        "axes": axes, "jout_sorted5": np.sort(jout.ravel())[:5].tolist(),
    })

de_cases = []
for name, f, bounds in [
    ("ackley", ackley, [(-5, 5)] * 2),
    ("rastrigin", rastrigin, [(-5.12, 5.12)] * 3),
    ("rosen", rosen, [(-2, 2)] * 4),
]:
    r = differential_evolution(f, bounds, seed=1, polish=True, tol=1e-8)
    de_cases.append({"fun": name, "bounds": bounds, "x": r.x.tolist(), "f": float(r.fun), "nfev": int(r.nfev)})

out = {"source": f"scripts/gen_global1_fixture.py, scipy {scipy.__version__}", "brute": brute_cases, "de": de_cases}
(root / "tests" / "testdata" / "global1.json").write_text(json.dumps(out, indent=1))
for c in brute_cases:
    print(c["fun"], c["x"], c["fval"], [len(a) for a in c["axes"]])
for c in de_cases:
    print(c)
