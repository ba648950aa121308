"""scipy's side of bench/global_quality.ts: runs scipy.optimize.dual_annealing (and shgo) on
the test functions of bench/_global_functions.ts with the budgets given on stdin (JSON) and
prints, per problem and seed, the best value and the evaluations as JSON.

Run by the bench: /usr/bin/python3 scripts/global_quality_scipy.py < spec.json
"""
import json
import sys
import numpy as np
from scipy.optimize import dual_annealing, shgo


def eggholder(x):
    return (-(x[1] + 47) * np.sin(np.sqrt(abs(x[1] + x[0] / 2 + 47)))
            - x[0] * np.sin(np.sqrt(abs(x[0] - (x[1] + 47)))))


def alpine02(x):
    return np.prod(np.sqrt(x) * np.sin(x))


def rastrigin(x):
    return 10 * len(x) + np.sum(x ** 2 - 10 * np.cos(2 * np.pi * x))


def ackley(x):
    n = len(x)
    return (-20 * np.exp(-0.2 * np.sqrt(np.sum(x ** 2) / n))
            - np.exp(np.sum(np.cos(2 * np.pi * x)) / n) + 20 + np.e)


def levy(x):
    w = 1 + (x - 1) / 4
    s = np.sin(np.pi * w[0]) ** 2
    s += np.sum((w[:-1] - 1) ** 2 * (1 + 10 * np.sin(np.pi * w[:-1] + 1) ** 2))
    return s + (w[-1] - 1) ** 2 * (1 + np.sin(2 * np.pi * w[-1]) ** 2)


def schwefel(x):
    return 418.982887 * len(x) - np.sum(x * np.sin(np.sqrt(abs(x))))


def griewank(x):
    i = np.arange(1, len(x) + 1)
    return np.sum(x ** 2) / 4000 - np.prod(np.cos(x / np.sqrt(i))) + 1


def shubert(x):
    j = np.arange(1, 6)
    return np.prod([np.sum(j * np.cos((j + 1) * v + j)) for v in x])


FUNS = {"Eggholder": eggholder, "Alpine02": alpine02, "Rastrigin": rastrigin,
        "Ackley01": ackley, "Levy03": levy, "Schwefel26": schwefel, "Griewank": griewank,
        "Shubert01": shubert}

spec = json.load(sys.stdin)
out = []
for p in spec["problems"]:
    f = FUNS[p["name"].split(" ")[0]]
    bounds = list(zip(p["lower"], p["upper"]))
    runs = []
    for seed in spec["seeds"]:
        if spec["method"] == "dual_annealing":
            r = dual_annealing(f, bounds, seed=seed, maxiter=spec["maxiter"])
        else:
            r = shgo(f, bounds, n=spec["n"], iters=spec["iters"], sampling_method=spec["sampling"])
        runs.append({"fun": float(r.fun), "nfev": int(r.nfev)})
    out.append({"name": p["name"], "runs": runs})
print(json.dumps(out))
