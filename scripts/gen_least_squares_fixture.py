"""Reference fixture for lib/solvers/least_squares.ts: scipy.optimize.least_squares(method="trf").

Cases: NIST StRD problems (tests/testdata/nist) from start 1, unbounded and with bounds (some
active at the solution); the seeds' two-exponential problem with bounds; a straight line with
outliers under every robust loss; x_scale="jac". Writes tests/testdata/least_squares.json.
Run: /usr/bin/python3 (scipy 1.10.1) scripts/gen_least_squares_fixture.py
"""
import json
import pathlib
import re

import numpy as np
import scipy
from numpy import exp, cos, sin, arctan as atan, pi  # noqa: F401 (used by eval of formulas)
from scipy.optimize import least_squares

root = pathlib.Path(__file__).resolve().parent.parent
nist_dir = root / "tests" / "testdata" / "nist"
models = {m["name"]: m for m in json.loads((nist_dir / "models.json").read_text())}


def load_nist(name):
    m = models[name]
    lines = (nist_dir / m["file"]).read_text().splitlines()
    a, b = next(map(int, r.groups()) for r in (re.search(r"Data\s+\(lines\s+(\d+)\s+to\s+(\d+)\)", l) for l in lines) if r)
    rows = np.array([[float(t) for t in l.split()] for l in lines[a - 1:b]])
    y = rows[:, 0]
    if m["response"] == "log(y)":
        y = np.log(y)
    return m, rows[:, 1:], y


def nist_case(name, bounds=None, start="start1", **kw):
    m, X, y = load_nist(name)
    xs = {v: X[:, j] for j, v in enumerate(m["xvars"])}
    formula = m["formula"]

    def fun(b):
        env = dict(xs, exp=exp, cos=cos, sin=sin, atan=atan, pi=pi)
        env.update({f"b{i + 1}": b[i] for i in range(len(b))})
        return eval(formula, env) - y

    lb, ub = bounds if bounds else (-np.inf, np.inf)
    x0 = m[start] if isinstance(start, str) else start
    res = least_squares(fun, np.array(x0, float), bounds=(lb, ub), method="trf", **kw)
    return {
        "problem": name,
        "x0": list(map(float, x0)),
        "lower": None if bounds is None else list(np.broadcast_to(lb, len(x0)).astype(float)),
        "upper": None if bounds is None else list(np.broadcast_to(ub, len(x0)).astype(float)),
        "options": kw,
        **result(res),
    }


def result(res):
    return {
        "x": res.x.tolist(),
        "cost": float(res.cost),
        "status": int(res.status),
        "nfev": int(res.nfev),
        "njev": int(res.njev),
        "optimality": float(res.optimality),
        "active_mask": [int(v) for v in res.active_mask],
    }


cases = [
    nist_case("Misra1a"),
    nist_case("Misra1a", ([0, 0], [230, 1e-3]), start=[200, 1e-4]),  # b1 upper bound active
    nist_case("BoxBOD", ([0, 0], [500, 2])),
    nist_case("MGH09", ([0, 0, 0, 0], [1, 1, 1, 1]), start="start2"),
    nist_case("Rat43"),
    nist_case("Eckerle4", ([0, 0, 440], [10, 10, 460]), start="start2"),
    nist_case("Thurber"),
    nist_case("Thurber", ([900, 900, 300, 30, 0.5, 0.2, 0.0], [1300, 1500, 600, 70, 1.0, 0.5, 0.05])),
    nist_case("Chwirut2", None, x_scale="jac"),
    nist_case("Lanczos3", ([0] * 6, [np.inf] * 6)),
]

two = json.loads((root / "tests" / "testdata" / "two_exponential.json").read_text())
tx, ty = np.array(two["x"]), np.array(two["y"])


def two_exp(p):
    return p[0] * np.exp(-tx / p[2]) + p[1] * np.exp(-tx / p[3]) - ty


b = two["bounded"]["bounds"]
lb2 = [b[k][0] for k in ("a1", "a2", "t1", "t2")]
ub2 = [b[k][1] for k in ("a1", "a2", "t1", "t2")]
res = least_squares(two_exp, [5.0, -5.0, 2.0, 5.0], bounds=(lb2, ub2), method="trf")
two_case = {"lower": lb2, "upper": ub2, "x0": [5.0, -5.0, 2.0, 5.0], **result(res)}

# A line with outliers.
rng = np.random.RandomState(3)
lx = np.linspace(0, 10, 40)
ly = 2.5 * lx - 1.0 + 0.3 * rng.randn(lx.size)
ly[[4, 13, 27, 33]] += np.array([12.0, -9.0, 15.0, -20.0])


def line(p):
    return p[0] * lx + p[1] - ly


robust = []
for loss in ("linear", "soft_l1", "huber", "cauchy", "arctan"):
    for f_scale in (1.0, 0.5):
        r = least_squares(line, [1.0, 0.0], loss=loss, f_scale=f_scale, method="trf")
        robust.append({"loss": loss, "f_scale": f_scale, **result(r)})
# A bounded robust case.
r = least_squares(line, [1.0, 0.0], loss="soft_l1", f_scale=0.5, bounds=([0, 0], [2.0, 10]), method="trf")
robust.append({"loss": "soft_l1", "f_scale": 0.5, "lower": [0, 0], "upper": [2.0, 10], **result(r)})

out = {
    "source": f"scripts/gen_least_squares_fixture.py, scipy {scipy.__version__}",
    "nist": cases,
    "two_exponential": two_case,
    "line": {"x": lx.tolist(), "y": ly.tolist(), "cases": robust},
}
(root / "tests" / "testdata" / "least_squares.json").write_text(json.dumps(out, indent=1))
for c in cases:
    print(c["problem"], c["status"], c["nfev"], c["cost"], c["active_mask"])
print("two_exp", two_case["cost"] * 2, two_case["nfev"], two_case["status"])
for c in robust:
    print(c["loss"], c["f_scale"], c["x"], c["nfev"], c["status"])
