"""Python lmfit on the same file as bench/cli_large.ts: numpy.loadtxt, then a Gaussian plus a
line, each guessed as the command line guesses (the line on what the Gaussian leaves), fitted
with leastsq. Prints the fitted values as JSON. No plot (the TypeScript side also writes a PNG).
Usage: /usr/bin/python3 bench/cli_large_lmfit.py FILE.csv"""
import json
import sys

import numpy as np
from lmfit.models import GaussianModel, LinearModel

x, y = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1, unpack=True)
gauss, line = GaussianModel(prefix="g_"), LinearModel(prefix="b_")
params = gauss.guess(y, x=x)
params.update(line.guess(y - gauss.eval(params, x=x), x=x))
result = (gauss + line).fit(y, params, x=x)
out = {name: p.value for name, p in result.params.items()}
out.update(rsquared=result.rsquared, nfev=result.nfev, ndata=result.ndata)
print(json.dumps(out))
