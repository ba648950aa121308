"""Python lmfit looping over the batch-benchmark datasets (bench/batch_bench.ts), same run.

Usage: /usr/bin/python3 scripts/bench_batch_lmfit.py DATA.json -> JSON timings
DATA.json holds x (and y for 2-D) and the first datasets of each benchmark.
"""
import json
import sys
import time
import numpy as np
from lmfit.models import GaussianModel, Gaussian2dModel

d = json.load(open(sys.argv[1]))
out = {}
x = np.array(d["g1"]["x"])
ys = np.array(d["g1"]["y"]).reshape(-1, len(x))
m = GaussianModel()
t0 = time.perf_counter()
for y in ys:
    m.fit(y, m.make_params(amplitude=3, center=0, sigma=1), x=x)
out["g1_fits_per_s"] = len(ys) / (time.perf_counter() - t0)
gx = np.array(d["g2"]["x"])
gy = np.array(d["g2"]["y2"])
zs = np.array(d["g2"]["z"]).reshape(-1, len(gx))
m2 = Gaussian2dModel()
t0 = time.perf_counter()
for z in zs:
    m2.fit(z, m2.make_params(amplitude=40, centerx=0, centery=0, sigmax=1, sigmay=1), x=gx, y=gy)
out["g2_fits_per_s"] = len(zs) / (time.perf_counter() - t0)
print(json.dumps(out))
