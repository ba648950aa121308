"""Reference runs of MINPACK lmdif (scipy.optimize.leastsq) on the NIST StRD problems.

Writes tests/testdata/lm_minpack.json: for each problem and start, the solution, the number of
residual evaluations, MINPACK's info code and (JᵀJ)⁻¹ from MINPACK's final factorisation, with
lmfit's leastsq defaults (ftol = xtol = 1.5e-8, gtol = 0, epsfcn = machine eps,
maxfev = 2000·(n+1), factor = 100, diag from the Jacobian norms).

Run: python3 scripts/gen_lm_minpack_fixture.py   (scipy only; the tests never call Python)
"""
import json
import os

import numpy as np
import scipy
from scipy.optimize import leastsq

ROOT = os.path.join(os.path.dirname(__file__), "..", "tests", "testdata")
NIST = os.path.join(ROOT, "nist")


def load(entry):
    lines = open(os.path.join(NIST, entry["file"])).read().splitlines()
    import re

    first, last = next(
        map(int, m.groups())
        for m in (re.search(r"Data\s+\(lines\s+(\d+)\s+to\s+(\d+)\)", l) for l in lines)
        if m
    )
    rows = np.array([[float(v) for v in l.split()] for l in lines[first - 1 : last]])
    y = rows[:, 0]
    if entry["response"] == "log(y)":
        y = np.log(y)
    xs = [rows[:, j + 1] for j in range(len(entry["xvars"]))]
    return xs, y


def main():
    models = json.load(open(os.path.join(NIST, "models.json")))
    out = {"scipy": scipy.__version__, "ftol": 1.5e-8, "xtol": 1.5e-8, "cases": []}
    env = {k: getattr(np, k) for k in ("exp", "log", "cos", "sin", "sqrt")}
    env.update(atan=np.arctan, pi=np.pi)
    for e in models:
        xs, y = load(e)
        n = e["nparams"]
        code = compile(e["formula"], e["name"], "eval")

        def resid(b):
            scope = dict(env)
            scope.update({f"b{k + 1}": b[k] for k in range(n)})
            if len(xs) == 1:
                scope["x"] = xs[0]
            else:
                scope["x1"], scope["x2"] = xs
            with np.errstate(all="ignore"):
                return np.asarray(eval(code, {}, scope), dtype=float) - y

        for start in (1, 2):
            x0 = np.array(e[f"start{start}"], dtype=float)
            x, cov, info, msg, ier = leastsq(
                resid, x0, full_output=True, ftol=1.5e-8, xtol=1.5e-8, gtol=0.0,
                maxfev=2000 * (n + 1),
            )
            out["cases"].append({
                "name": e["name"],
                "start": start,
                "x": x.tolist(),
                "nfev": int(info["nfev"]),
                "ier": int(ier),
                "ssr": float(np.sum(resid(x) ** 2)),
                "cov_x": None if cov is None else cov.tolist(),
            })
    with open(os.path.join(ROOT, "lm_minpack.json"), "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
