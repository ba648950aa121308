"""Reference fixture for emcee, nelder and brute as Python lmfit 1.1.0 runs them.

Writes tests/testdata/lmfit_emcee_brute.json. Run: /usr/bin/python3 scripts/gen_emcee_brute_fixture.py
(needs lmfit 1.1.0, scipy 1.10 and emcee 3: `apt-get install python3-lmfit python3-emcee`).

- doc: lmfit's manual example for `Minimizer.emcee` (two exponentials, 250 points, noise 0.1,
  numpy seed 0): nelder with scipy's defaults (and with adaptive=True, for contrast), then emcee
  with is_weighted=False, burn=300, steps=1000, thin=20 from nelder's values plus __lnsigma.
  Seeded runs are not bit-comparable with ours, so several seeds are run and the tests compare
  posterior quantiles with a tolerance taken from their spread.
- posterior / chi2: a Gaussian peak whose objective returns a scalar: the log-posterior
  (float_behavior 'posterior', lmfit's default) and the chi-square (float_behavior 'chi2');
  both describe the same posterior.
- shapes: chain shapes for burn/thin (emcee 3's get_chain(discard=burn, thin=thin)) and for a
  reused sampler, and nfev.
- brute: grids from brute_step on unbounded / half-bounded parameters and the statistics of a
  scalar objective (chisqr is its square, as lmfit's _calculate_statistics on a 1-element array).
"""
import json
import numpy as np
import lmfit

SEEDS = [1, 2, 3, 4, 5]
out = {"source": "scripts/gen_emcee_brute_fixture.py, lmfit " + lmfit.__version__}

# --- the manual's two-exponential example -------------------------------------------------
x = np.linspace(1, 10, 250)
np.random.seed(0)
y = 3.0 * np.exp(-x / 2) - 5.0 * np.exp(-(x - 0.1) / 10.0) + 0.1 * np.random.randn(x.size)


def residual(p):
    v = p.valuesdict()
    return v["a1"] * np.exp(-x / v["t1"]) + v["a2"] * np.exp(-(x - 0.1) / v["t2"]) - y


p = lmfit.Parameters()
p.add_many(("a1", 4.0), ("a2", 4.0), ("t1", 3.0), ("t2", 3.0, True))
mi = lmfit.minimize(residual, p, method="nelder", nan_policy="omit")
ad = lmfit.minimize(residual, p, method="nelder", nan_policy="omit", options={"adaptive": True})
doc = {
    "x": x.tolist(),
    "y": y.tolist(),
    "start": {"a1": 4.0, "a2": 4.0, "t1": 3.0, "t2": 3.0},
    "nelder": {"chisqr": mi.chisqr, "nfev": mi.nfev, "values": mi.params.valuesdict()},
    "nelder_adaptive": {"chisqr": ad.chisqr, "nfev": ad.nfev},
    "emcee": [],
}
mi.params.add("__lnsigma", value=np.log(0.1), min=np.log(0.001), max=np.log(2))
for seed in SEEDS:
    res = lmfit.minimize(residual, method="emcee", nan_policy="omit", burn=300, steps=1000,
                         thin=20, params=mi.params, is_weighted=False, progress=False, seed=seed)
    names = res.var_names
    fc = res.chain.reshape((-1, res.chain.shape[-1]))
    q = np.percentile(fc, [2.275, 15.87, 50, 84.13, 97.725], axis=0)
    doc["emcee"].append({
        "seed": seed,
        "names": names,
        "quantiles": {n: q[:, i].tolist() for i, n in enumerate(names)},
        "values": {n: res.params[n].value for n in names},
        "stderr": {n: res.params[n].stderr for n in names},
        "chain_shape": list(res.chain.shape),
        "nfev": res.nfev,
        "chisqr": res.chisqr,
        "acceptance_mean": float(np.mean(res.acceptance_fraction)),
    })
out["doc"] = doc

# --- a scalar objective: log-posterior (default) or chi-square ----------------------------
rng = np.random.RandomState(11)
xg = np.linspace(-5, 5, 41)
sig = 0.5
yg = 14.0 * np.exp(-(xg - 0.3) ** 2 / (2 * 1.2 ** 2)) + sig * rng.randn(xg.size)


def gauss_chi2(p):
    v = p.valuesdict()
    r = (v["amp"] * np.exp(-(xg - v["cen"]) ** 2 / (2 * v["wid"] ** 2)) - yg) / sig
    return float((r * r).sum())


def gauss_lnpost(p):
    return -0.5 * gauss_chi2(p)


def scalar_runs(fcn, behavior):
    runs = []
    for seed in SEEDS:
        g = lmfit.Parameters()
        g.add("amp", value=12.0, min=0, max=100)
        g.add("cen", value=0.2, min=-5, max=5)
        g.add("wid", value=1.0, min=0.01, max=10)
        kws = {} if behavior is None else {"float_behavior": behavior}
        res = lmfit.minimize(fcn, g, method="emcee", steps=600, nwalkers=40, burn=100, thin=5,
                             progress=False, seed=seed, **kws)
        fc = res.chain.reshape((-1, res.chain.shape[-1]))
        q = np.percentile(fc, [2.275, 15.87, 50, 84.13, 97.725], axis=0)
        runs.append({
            "seed": seed,
            "quantiles": {n: q[:, i].tolist() for i, n in enumerate(res.var_names)},
            "chain_shape": list(res.chain.shape),
            "nfev": res.nfev,
            "ndata": res.ndata,
            "nfree": res.nfree,
            "chisqr": res.chisqr,
            "aic": res.aic,
            "bic": res.bic,
            "residual": np.atleast_1d(res.residual).tolist(),
        })
    return runs


out["gauss"] = {
    "x": xg.tolist(),
    "y": yg.tolist(),
    "sigma": sig,
    "start": {"amp": 12.0, "cen": 0.2, "wid": 1.0},
    "bounds": {"amp": [0, 100], "cen": [-5, 5], "wid": [0.01, 10]},
    "options": {"steps": 600, "nwalkers": 40, "burn": 100, "thin": 5},
    "posterior": scalar_runs(gauss_lnpost, None),
    "chi2": scalar_runs(gauss_chi2, "chi2"),
}

# --- chain shapes: burn/thin and a reused sampler ------------------------------------------
g = lmfit.Parameters()
g.add("amp", value=12.0, min=0, max=100)
g.add("cen", value=0.2, min=-5, max=5)
g.add("wid", value=1.0, min=0.01, max=10)
mz = lmfit.Minimizer(gauss_lnpost, g)
first = mz.emcee(steps=50, nwalkers=10, burn=5, thin=3, progress=False, seed=1)
second = mz.emcee(steps=30, burn=5, thin=3, reuse_sampler=True, progress=False, seed=1)
out["shapes"] = {
    "first": {"steps": 50, "nwalkers": 10, "burn": 5, "thin": 3,
              "chain_shape": list(first.chain.shape), "nfev": first.nfev},
    "reused": {"steps": 30, "burn": 5, "thin": 3,
               "chain_shape": list(second.chain.shape), "nfev": second.nfev},
}

# --- brute: brute_step grids and a scalar objective ----------------------------------------


def bowl(p):
    v = p.valuesdict()
    return (v["a"] - 1.3) ** 2 + (v["b"] + 0.4) ** 2 + 0.1


def bowl_res(p):
    v = p.valuesdict()
    return np.array([v["a"] - 1.3, v["b"] + 0.4, 0.3])


brute = []
for Ns in (4, 5, 6):
    for kind in ("free", "lower", "upper", "both"):
        b = lmfit.Parameters()
        if kind == "free":
            b.add("a", value=1.0, brute_step=0.25)
        elif kind == "lower":
            b.add("a", value=1.0, min=0.2, brute_step=0.25)
        elif kind == "upper":
            b.add("a", value=1.0, max=2.1, brute_step=0.25)
        else:
            b.add("a", value=1.0, min=0.2, max=2.1, brute_step=0.25)
        b.add("b", value=0.0, brute_step=0.3)
        for obj, fcn in (("scalar", bowl), ("residual", bowl_res)):
            r = lmfit.minimize(fcn, b, method="brute", Ns=Ns)
            brute.append({
                "Ns": Ns, "kind": kind, "objective": obj,
                "axes": [np.unique(r.brute_grid[0]).tolist(), np.unique(r.brute_grid[1]).tolist()],
                "brute_x0": np.atleast_1d(r.brute_x0).tolist(),
                "brute_fval": float(r.brute_fval),
                "nfev": r.nfev,
                "chisqr": r.chisqr, "redchi": r.redchi, "ndata": r.ndata, "nfree": r.nfree,
                "aic": r.aic, "bic": r.bic,
            })
out["brute"] = brute

with open("tests/testdata/lmfit_emcee_brute.json", "w") as fh:
    json.dump(out, fh, indent=1)
print(json.dumps({k: out["doc"][k] for k in ("nelder", "nelder_adaptive")}, indent=1))
print(json.dumps(out["doc"]["emcee"][0]["quantiles"], indent=1))
print(json.dumps(out["gauss"]["posterior"][0]["quantiles"], indent=1))
print(json.dumps(out["gauss"]["chi2"][0]["quantiles"], indent=1))
print(out["shapes"])
print(json.dumps(brute[:4], indent=0))
