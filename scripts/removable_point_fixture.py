"""Reference for tests/model/removable_point_test.ts: ExpressionModel("a*x**b") on data with
x = 0, where d(x**b)/db = x**b*log(x) is 0*(-inf) (lmfit 1.1.0 uses finite differences).

Run: /usr/bin/python3 scripts/removable_point_fixture.py > tests/testdata/removable_point_lmfit.json
"""
import json
import numpy as np
import lmfit

x = np.arange(21) / 4
y = 2 * x**1.5 + 0.01 * np.sin(5 * x)
r = lmfit.models.ExpressionModel("a*x**b").fit(y, x=x, a=1, b=1)
print(json.dumps({
    "lmfit": lmfit.__version__, "success": bool(r.success), "chisqr": r.chisqr,
    "values": {k: p.value for k, p in r.params.items()},
    "stderr": {k: p.stderr for k, p in r.params.items()},
}, indent=1))
