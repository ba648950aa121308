"""Values of lmfit 1.1.0's built-in models on grids, for tests/model/lineshapes_test.ts.

Run: /usr/bin/python3 scripts/gen_lineshape_fixture.py -> tests/testdata/lineshapes.json
Each case: model name (as lmfit-ts's BUILTIN_MODELS key), constructor options, parameter values,
x (and y for 2-D), and lmfit's `model.eval(params, x=...)`.
"""
import json
import numpy as np
import lmfit.models as M

x = np.linspace(-6, 9, 61)
xpos = np.linspace(0.05, 12, 61)
cases = []


def add(name, cls, params_list, xs=x, opts=None, **kw):
    opts = opts or {}
    m = cls(**opts)
    for pv in params_list:
        p = m.make_params(**pv)
        for k, v in pv.items():
            p[k].set(value=v, expr="")  # explicit values, no hint expressions
        y = m.eval(p, x=xs, **kw)
        cases.append({"name": name, "opts": opts, "params": {k: p[k].value for k in m.param_names},
                      "x": xs.tolist(), "y": np.asarray(y, dtype=float).tolist(), **({"y2d": kw["y"].tolist()} if "y" in kw else {})})


peak = [dict(amplitude=3.0, center=1.2, sigma=0.8), dict(amplitude=-1.5, center=-2.0, sigma=2.5)]
add("gaussian", M.GaussianModel, peak)
add("lorentzian", M.LorentzianModel, peak)
add("split_lorentzian", M.SplitLorentzianModel, [dict(amplitude=3.0, center=1.2, sigma=0.8, sigma_r=1.7)])
add("voigt", M.VoigtModel, [dict(amplitude=3.0, center=1.2, sigma=0.8, gamma=0.8), dict(amplitude=2.0, center=0.5, sigma=0.5, gamma=1.3)])
add("pvoigt", M.PseudoVoigtModel, [dict(amplitude=3.0, center=1.2, sigma=0.8, fraction=0.3)])
add("moffat", M.MoffatModel, [dict(amplitude=3.0, center=1.2, sigma=0.8, beta=1.7)])
add("pearson4", M.Pearson4Model, [dict(amplitude=3.0, center=1.2, sigma=0.8, expon=1.7, skew=0.6)])
add("pearson7", M.Pearson7Model, [dict(amplitude=3.0, center=1.2, sigma=0.8, expon=1.7)])
add("students_t", M.StudentsTModel, [dict(amplitude=3.0, center=1.2, sigma=2.5)])
add("breit_wigner", M.BreitWignerModel, [dict(amplitude=3.0, center=1.2, sigma=0.8, q=1.5)])
add("lognormal", M.LognormalModel, [dict(amplitude=3.0, center=0.7, sigma=0.6)], xs=xpos)
add("damped_oscillator", M.DampedOscillatorModel, [dict(amplitude=3.0, center=2.2, sigma=0.3)], xs=xpos)
add("dho", M.DampedHarmonicOscillatorModel, [dict(amplitude=3.0, center=2.2, sigma=0.8, gamma=1.5)])
add("expgaussian", M.ExponentialGaussianModel, [dict(amplitude=3.0, center=1.2, sigma=0.8, gamma=1.1)])
add("skewed_gaussian", M.SkewedGaussianModel, [dict(amplitude=3.0, center=1.2, sigma=0.8, gamma=1.5)])
add("skewed_voigt", M.SkewedVoigtModel, [dict(amplitude=3.0, center=1.2, sigma=0.8, gamma=0.6, skew=1.5)])
for form in ("bose", "maxwell", "fermi"):
    add("thermal_distribution", M.ThermalDistributionModel, [dict(amplitude=1.3, center=0.5, kt=1.4)], xs=xpos, opts={"form": form})
add("doniach", M.DoniachModel, [dict(amplitude=3.0, center=1.2, sigma=0.8, gamma=0.3)])
for form in ("linear", "atan", "erf", "logistic"):
    add("step", M.StepModel, [dict(amplitude=2.0, center=1.2, sigma=1.8)], opts={"form": form})
    add("rectangle", M.RectangleModel, [dict(amplitude=2.0, center1=-1.0, sigma1=1.2, center2=4.0, sigma2=0.7)], opts={"form": form})
add("constant", M.ConstantModel, [dict(c=2.5)])
add("linear", M.LinearModel, [dict(slope=-0.7, intercept=2.0)])
add("quadratic", M.QuadraticModel, [dict(a=0.3, b=-0.7, c=2.0)])
add("exponential", M.ExponentialModel, [dict(amplitude=3.0, decay=2.2), dict(amplitude=1.0, decay=-4.0)])
add("powerlaw", M.PowerLawModel, [dict(amplitude=3.0, exponent=-1.3)], xs=xpos)
add("sine", M.SineModel, [dict(amplitude=3.0, frequency=1.3, shift=0.4)])
m2 = M.Gaussian2dModel()
gx, gy = np.meshgrid(np.linspace(-3, 3, 9), np.linspace(-2, 4, 9))
p2 = m2.make_params(amplitude=5.0, centerx=0.3, centery=1.1, sigmax=0.9, sigmay=1.4)
cases.append({"name": "gaussian2d", "opts": {}, "params": {k: p2[k].value for k in m2.param_names},
              "x": gx.ravel().tolist(), "y2d": gy.ravel().tolist(),
              "y": m2.eval(p2, x=gx.ravel(), y=gy.ravel()).tolist()})
# polynomial of degree 3
mp = M.PolynomialModel(degree=3)
pp = mp.make_params(c0=1.0, c1=-0.5, c2=0.25, c3=-0.05)
cases.append({"name": "polynomial", "opts": {"degree": 3}, "params": {k: pp[k].value for k in mp.param_names},
              "x": x.tolist(), "y": mp.eval(pp, x=x).tolist()})

# guesses
guesses = []
rng = np.random.RandomState(3)
xg = np.linspace(-5, 5, 101)
for name, cls in (("gaussian", M.GaussianModel), ("lorentzian", M.LorentzianModel), ("voigt", M.VoigtModel),
                  ("pvoigt", M.PseudoVoigtModel), ("moffat", M.MoffatModel), ("pearson7", M.Pearson7Model),
                  ("split_lorentzian", M.SplitLorentzianModel), ("breit_wigner", M.BreitWignerModel),
                  ("doniach", M.DoniachModel), ("skewed_gaussian", M.SkewedGaussianModel),
                  ("expgaussian", M.ExponentialGaussianModel), ("damped_oscillator", M.DampedOscillatorModel)):
    yg = 4 * np.exp(-(xg - 0.7) ** 2 / 2.2) + 0.05 * rng.randn(xg.size)
    g = cls().guess(yg, x=xg)
    guesses.append({"name": name, "x": xg.tolist(), "y": yg.tolist(), "params": {k: v.value for k, v in g.items()}})
yl = 2.5 * xg - 1.0 + 0.1 * rng.randn(xg.size)
for name, cls, kw in (("linear", M.LinearModel, {}), ("quadratic", M.QuadraticModel, {}), ("constant", M.ConstantModel, {}),
                      ("step", M.StepModel, {}), ("rectangle", M.RectangleModel, {})):
    g = cls(**kw).guess(yl, x=xg)
    guesses.append({"name": name, "x": xg.tolist(), "y": yl.tolist(), "params": {k: v.value for k, v in g.items()}})
xe = np.linspace(0.1, 10, 50)
ye = 3.0 * np.exp(-xe / 2.5) * (1 + 0.01 * rng.randn(xe.size))
for name, cls in (("exponential", M.ExponentialModel), ("powerlaw", M.PowerLawModel), ("thermal_distribution", M.ThermalDistributionModel)):
    g = cls().guess(ye, x=xe)
    guesses.append({"name": name, "x": xe.tolist(), "y": ye.tolist(), "params": {k: v.value for k, v in g.items()}})

# More guesses (lib/model/guess.ts): every model lmfit can guess, peaks also with negative=True.
for name, cls in (("pearson4", M.Pearson4Model), ("students_t", M.StudentsTModel), ("skewed_voigt", M.SkewedVoigtModel),
                  ("lognormal", M.LognormalModel), ("dho", M.DampedHarmonicOscillatorModel)):
    yg = 4 * np.exp(-(xg - 0.7) ** 2 / 2.2) + 0.05 * rng.randn(xg.size)
    g = cls().guess(yg, x=xg)
    guesses.append({"name": name, "x": xg.tolist(), "y": yg.tolist(), "params": {k: v.value for k, v in g.items()}})
yn = -3 * np.exp(-(xg + 1.1) ** 2 / 1.3) + 0.5 + 0.05 * rng.randn(xg.size)
for name, cls in (("gaussian", M.GaussianModel), ("lorentzian", M.LorentzianModel), ("voigt", M.VoigtModel), ("moffat", M.MoffatModel)):
    g = cls().guess(yn, x=xg, negative=True)
    guesses.append({"name": name, "negative": True, "x": xg.tolist(), "y": yn.tolist(), "params": {k: v.value for k, v in g.items()}})
# unsorted x, as lmfit sorts it
perm = rng.permutation(xg.size)
yu = (4 * np.exp(-(xg - 0.7) ** 2 / 2.2))[perm]
g = M.GaussianModel().guess(yu, x=xg[perm])
guesses.append({"name": "gaussian", "x": xg[perm].tolist(), "y": yu.tolist(), "params": {k: v.value for k, v in g.items()}})
yp = 0.3 * xg ** 3 - xg ** 2 + 2 * xg - 1 + 0.2 * rng.randn(xg.size)
for deg in (0, 3, 5):
    g = M.PolynomialModel(degree=deg).guess(yp, x=xg)
    guesses.append({"name": "polynomial", "degree": deg, "x": xg.tolist(), "y": yp.tolist(), "params": {k: v.value for k, v in g.items()}})
xs_ = np.linspace(0, 12, 97)
ys_ = 2.2 * np.sin(1.7 * xs_ + 0.9) + 0.3 + 0.1 * rng.randn(xs_.size)
g = M.SineModel().guess(ys_, x=xs_)
guesses.append({"name": "sine", "x": xs_.tolist(), "y": ys_.tolist(), "params": {k: v.value for k, v in g.items()}})
gx2, gy2 = np.meshgrid(np.linspace(-3, 3, 13), np.linspace(-2, 4, 11))
gx2, gy2 = gx2.ravel(), gy2.ravel()
z2 = 5 * np.exp(-(gx2 - 0.4) ** 2 / 1.5 - (gy2 - 1.2) ** 2 / 2.5) + 0.05 * rng.randn(gx2.size)
for neg in (False, True):
    zz = -z2 if neg else z2
    g = M.Gaussian2dModel().guess(zz, x=gx2, y=gy2, negative=neg)
    guesses.append({"name": "gaussian2d", "negative": neg, "x": gx2.tolist(), "y2d": gy2.tolist(), "y": zz.tolist(), "params": {k: v.value for k, v in g.items()}})

# Raw lineshape functions (lib/model/lineshapes.ts), including tiny-guard edge cases.
import lmfit.lineshapes as L
xr = np.linspace(-7, 9, 41)
xp = np.linspace(0.0, 12, 41)  # includes x = 0 (lognormal/dho guards)
functions = []


def fcase(key, fname, params, xs=xr, form=None, y=None):
    f = getattr(L, fname)
    kw = dict(params)
    if form is not None:
        kw["form"] = form
    args = (xs.copy(),) if y is None else (xs.copy(), y.copy())
    with np.errstate(all="ignore"):
        v = np.asarray(f(*args, **kw), dtype=float) * np.ones_like(xs)
    functions.append({"key": key, "params": params, "x": xs.tolist(), **({"y2d": y.tolist()} if y is not None else {}),
                      "y": [None if not np.isfinite(t) else t for t in v.tolist()]})


pk = dict(amplitude=2.5, center=0.7, sigma=1.3)
for key in ("gaussian", "lorentzian", "logistic", "students_t"):
    fcase(key, key, pk)
    fcase(key, key, dict(amplitude=2.5, center=0.7, sigma=0.0))  # sigma -> 0 guard
fcase("students_t", "students_t", dict(amplitude=1.5, center=-1.0, sigma=7.5))
fcase("split_lorentzian", "split_lorentzian", dict(pk, sigma_r=0.4))
fcase("split_lorentzian", "split_lorentzian", dict(pk, sigma=0.0, sigma_r=0.0))
for g in (0.0, 0.05, 1.1, 6.0):
    fcase("voigt", "voigt", dict(pk, gamma=g))
fcase("voigt", "voigt", dict(amplitude=1.0, center=0.0, sigma=0.05, gamma=0.01))  # far tails
fcase("pvoigt", "pvoigt", dict(pk, fraction=0.35))
fcase("moffat", "moffat", dict(pk, beta=2.7))
fcase("moffat", "moffat", dict(pk, sigma=0.0, beta=1.0))
fcase("pearson4", "pearson4", dict(pk, expon=1.9, skew=-2.3))
fcase("pearson4", "pearson4", dict(pk, expon=0.8, skew=4.0))
fcase("pearson7", "pearson7", dict(pk, expon=2.6))
fcase("pearson7", "pearson7", dict(pk, expon=0.9))
fcase("breit_wigner", "breit_wigner", dict(pk, q=-2.1))
fcase("damped_oscillator", "damped_oscillator", dict(amplitude=2.0, center=3.1, sigma=0.2), xs=xp)
fcase("damped_oscillator", "damped_oscillator", dict(amplitude=2.0, center=0.0, sigma=0.2), xs=xp)
fcase("dho", "dho", dict(amplitude=2.0, center=3.1, sigma=0.7, gamma=1.3), xs=xr)
fcase("dho", "dho", dict(amplitude=2.0, center=3.1, sigma=0.7, gamma=0.0), xs=xr)
fcase("lognormal", "lognormal", dict(amplitude=2.0, center=0.6, sigma=0.5), xs=xp)
fcase("lognormal", "lognormal", dict(amplitude=2.0, center=0.6, sigma=0.0), xs=xp)
fcase("expgaussian", "expgaussian", dict(pk, gamma=0.6))
fcase("expgaussian", "expgaussian", dict(amplitude=1.0, center=0.5, sigma=0.4, gamma=3.0))
fcase("doniach", "doniach", dict(pk, gamma=0.25))
fcase("doniach", "doniach", dict(pk, sigma=0.0, gamma=0.25))
fcase("skewed_gaussian", "skewed_gaussian", dict(pk, gamma=-2.5))
fcase("skewed_voigt", "skewed_voigt", dict(pk, gamma=0.4, skew=3.0))
fcase("sine", "sine", dict(amplitude=1.7, frequency=0.8, shift=-0.3))
fcase("expsine", "expsine", dict(amplitude=1.7, frequency=0.8, shift=-0.3, decay=0.15))
for form, key in (("bose", "thermal_distribution"), ("maxwell", "thermal_distribution_maxwell"), ("fermi", "thermal_distribution_fermi")):
    fcase(key, "thermal_distribution", dict(amplitude=1.2, center=0.5, kt=0.9), xs=xp, form=form)
    fcase(key, "thermal_distribution", dict(amplitude=1.2, center=0.5, kt=-0.9), xs=xp, form=form)
    fcase(key, "thermal_distribution", dict(amplitude=1.0, center=0.0, kt=0.0), xs=xr, form=form)
for form in ("linear", "atan", "erf", "logistic"):
    sfx = "" if form == "linear" else "_" + form
    fcase("step" + sfx, "step", dict(amplitude=2.0, center=0.5, sigma=2.0), form=form)
    fcase("step" + sfx, "step", dict(amplitude=2.0, center=0.5, sigma=0.0), form=form)
    fcase("rectangle" + sfx, "rectangle", dict(amplitude=2.0, center1=-2.0, sigma1=1.5, center2=4.0, sigma2=0.6), form=form)
fcase("exponential", "exponential", dict(amplitude=2.0, decay=3.0))
fcase("exponential", "exponential", dict(amplitude=2.0, decay=0.0), xs=xp)
fcase("powerlaw", "powerlaw", dict(amplitude=2.0, exponent=-0.7), xs=xp[1:])
fcase("powerlaw", "powerlaw", dict(amplitude=2.0, exponent=3.0))
fcase("linear", "linear", dict(slope=-1.3, intercept=0.4))
fcase("parabolic", "parabolic", dict(a=0.2, b=-1.3, c=0.4))
fcase("gaussian2d", "gaussian2d", dict(amplitude=3.0, centerx=0.5, centery=-0.4, sigmax=1.2, sigmay=2.1),
      xs=np.linspace(-3, 3, 41), y=np.linspace(4, -2, 41))
xq = np.linspace(-2, 2, 41)
functions.append({"key": "polynomial", "params": dict(c0=1.0, c1=-0.5, c2=0.25, c3=-0.05, c4=0.01, c5=0.3, c6=-0.2, c7=0.04),
                  "x": xq.tolist(), "y": np.polyval([0.04, -0.2, 0.3, 0.01, -0.05, 0.25, -0.5, 1.0], xq).tolist()})
functions.append({"key": "constant", "params": dict(c=2.5), "x": xr.tolist(), "y": [2.5] * xr.size})

# Derived parameters: lmfit's values of each expr hint for given parameter values.
derived = []
dsets = {"gaussian": (M.GaussianModel, dict(amplitude=2.5, center=0.7, sigma=1.3)),
         "gaussian2d": (M.Gaussian2dModel, dict(amplitude=3.0, centerx=0.5, centery=-0.4, sigmax=1.2, sigmay=2.1)),
         "lorentzian": (M.LorentzianModel, dict(amplitude=2.5, center=0.7, sigma=1.3)),
         "split_lorentzian": (M.SplitLorentzianModel, dict(amplitude=2.5, center=0.7, sigma=1.3, sigma_r=0.4)),
         "voigt": (M.VoigtModel, dict(amplitude=2.5, center=0.7, sigma=1.3)),
         "pvoigt": (M.PseudoVoigtModel, dict(amplitude=2.5, center=0.7, sigma=1.3, fraction=0.35)),
         "moffat": (M.MoffatModel, dict(amplitude=2.5, center=0.7, sigma=1.3, beta=2.7)),
         "pearson4": (M.Pearson4Model, dict(amplitude=2.5, center=0.7, sigma=1.3, expon=1.9, skew=-2.3)),
         "pearson7": (M.Pearson7Model, dict(amplitude=2.5, center=0.7, sigma=1.3, expon=2.6)),
         "students_t": (M.StudentsTModel, dict(amplitude=2.5, center=0.7, sigma=3.3)),
         "lognormal": (M.LognormalModel, dict(amplitude=2.5, center=0.7, sigma=0.5)),
         "damped_oscillator": (M.DampedOscillatorModel, dict(amplitude=2.5, center=3.1, sigma=0.2)),
         "dho": (M.DampedHarmonicOscillatorModel, dict(amplitude=2.5, center=3.1, sigma=0.7, gamma=1.3)),
         "skewed_voigt": (M.SkewedVoigtModel, dict(amplitude=2.5, center=0.7, sigma=1.3, skew=1.5)),
         "doniach": (M.DoniachModel, dict(amplitude=2.5, center=0.7, sigma=1.3, gamma=0.25)),
         "rectangle": (M.RectangleModel, dict(amplitude=2.0, center1=-2.0, sigma1=1.5, center2=4.0, sigma2=0.6))}
for key, (cls, vals) in dsets.items():
    m = cls(prefix="p1_")
    pars = m.make_params(**vals)
    hints = {n: h["expr"].replace("p1_", "{prefix}") for n, h in m.param_hints.items() if "expr" in h}
    derived.append({"model": key, "prefix": "p1_", "params": {k: pars[k].value for k in pars if pars[k].expr is None},
                    "exprs": hints, "values": {n: pars["p1_" + n].value for n in hints}})

json.dump({"source": "scripts/gen_lineshape_fixture.py, lmfit " + __import__("lmfit").__version__,
           "cases": cases, "guesses": guesses, "functions": functions, "derived": derived},
          open("tests/testdata/lineshapes.json", "w"))
print(len(functions), "function cases", len(derived), "derived sets")
print(len(cases), "cases", len(guesses), "guesses")

# SplineModel (tests/testdata/spline.json)
from lmfit.models import SplineModel
xk = np.array([0, 1.5, 3, 4.5, 6, 8, 10.])
ms = SplineModel(xk, prefix='s_')
ps = ms.make_params()
vals = [1.0, 2.5, -0.5, 3.0, 1.2, 0.3, 2.2]
for i, v in enumerate(vals):
    ps[f's_s{i}'].value = v
xs = np.linspace(-1, 11, 49)
rng = np.random.RandomState(5)
xd = np.linspace(0, 10, 60)
yd = np.sin(xd) + 0.05 * rng.randn(60)
g = ms.guess(yd, x=xd)
json.dump({"xknots": xk.tolist(), "values": vals, "x": xs.tolist(), "y": ms.eval(ps, x=xs).tolist(),
           "gx": xd.tolist(), "gy": yd.tolist(), "guess": {k: v.value for k, v in g.items()}},
          open("tests/testdata/spline.json", "w"))
