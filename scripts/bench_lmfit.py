"""Times Python lmfit on the same problems as bench/compare.ts, in the same run.

Usage: /usr/bin/python3 scripts/bench_lmfit.py NIST_DIR SEED_FITS_JSON
Prints one JSON object: seconds per task (best of several repeats) and nfev.
"""
import json
import sys
import time
import numpy as np
from numpy import exp, log, cos, sin, arctan as atan, sqrt, pi  # noqa: F401  (used by eval)
import lmfit

nist_dir, seed_path, ci_path = sys.argv[1], sys.argv[2], sys.argv[3]
models = json.load(open(f"{nist_dir}/models.json"))


def load(m):
    lines = open(f"{nist_dir}/{m['file']}").read().splitlines()
    import re
    rng = next(re.search(r"Data\s+\(lines\s+(\d+)\s+to\s+(\d+)\)", l) for l in lines if re.search(r"Data\s+\(lines", l))
    a, b = int(rng.group(1)), int(rng.group(2))
    rows = np.array([[float(t) for t in l.split()] for l in lines[a - 1:b]])
    return rows


def best_of(fn, repeats):
    best = float("inf")
    out = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def nist_suite():
    nfev = 0
    for m in models:
        rows = load(m)
        y = rows[:, 0]
        xs = {name: rows[:, i + 1] for i, name in enumerate(m["xvars"])}
        if m["response"] == "log(y)":
            y = np.log(y)
        code = compile(m["formula"], m["name"], "eval")
        for start in ("start1", "start2"):
            p = lmfit.Parameters()
            for i, v in enumerate(m[start]):
                p.add(f"b{i + 1}", value=v)

            def resid(p):
                env = dict(xs)
                env.update(p.valuesdict())
                return eval(code, globals(), env) - y
            try:
                r = lmfit.minimize(resid, p)
                nfev += r.nfev
            except Exception:
                pass
    return nfev


seed = json.load(open(seed_path))
x = np.array(seed["sine"]["x"])
data = np.array(seed["sine"]["data"])


def sine_resid(pars, x, data):
    v = pars.valuesdict()
    return v["amp"] * sin(v["shift"] + x / v["period"]) * exp(-x * x * v["decay"] * v["decay"]) - data


def sine_fit():
    p = lmfit.Parameters()
    p.add("amp", value=13.0)
    p.add("period", value=2)
    p.add("shift", value=0.0)
    p.add("decay", value=0.02)
    return lmfit.minimize(sine_resid, p, args=(x, data)).nfev


ci = json.load(open(ci_path))
cx = np.array(ci["two_exp"]["x"])
cy = np.array(ci["two_exp"]["y"])
ci_calls = [0]


def two_exp(p):
    ci_calls[0] += 1
    v = p.valuesdict()
    return v["a1"] * np.exp(-cx / v["t1"]) + v["a2"] * np.exp(-cx / v["t2"]) - cy


def ci_run():
    p = lmfit.Parameters()
    p.add_many(("a1", 5), ("a2", -5), ("t1", 2), ("t2", 5))
    mini = lmfit.Minimizer(two_exp, p)
    res = mini.leastsq()
    ci_calls[0] = 0
    lmfit.conf_interval(mini, res, sigmas=[1, 2, 3])
    return ci_calls[0]


from lmfit import Model


def sine_func(x, amp, period, shift, decay):
    return amp * sin(shift + x / period) * exp(-x * x * decay * decay)


sine_model = Model(sine_func)


def sine_model_fit():
    p = sine_model.make_params(amp=13, period=2, shift=0, decay=0.02)
    return sine_model.fit(data, p, x=x).nfev


import warnings
warnings.filterwarnings("ignore")
t_nist, nfev_nist = best_of(nist_suite, 2)
t_sine, nfev_sine = best_of(sine_fit, 20)
t_ci, nfev_ci = best_of(ci_run, 2)  # includes one leastsq fit (a few ms)
t_sm, nfev_sm = best_of(sine_model_fit, 20)
print(json.dumps({"lmfit": lmfit.__version__, "nist_suite_s": t_nist, "nist_nfev": nfev_nist,
                  "sine_fit_s": t_sine, "sine_nfev": nfev_sine, "ci_s": t_ci, "ci_nfev": nfev_ci,
                  "sine_model_s": t_sm, "sine_model_nfev": nfev_sm}))
