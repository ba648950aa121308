"""Reference HTML from Python lmfit 1.1.0 for tests/display/display_test.ts.

Run: /usr/bin/python3 scripts/gen_display_fixture.py > tests/testdata/display_html.json
"""
import json
from types import SimpleNamespace

import lmfit
from lmfit.printfuncs import fitreport_html_table

p = lmfit.Parameters()
p.add("amp", value=5.0, min=0)
p.add("cen", value=0.25)
p.add("half", expr="amp/2")
p.add("w", value=1.5, vary=False, brute_step=0.25)
fresh = p._repr_html_()

q = lmfit.Parameters()
q.add("amp", value=5.0, min=0)
q.add("cen", value=-0.0375, max=10)
q.add("sig", value=1.25e-7, min=0)
q.add("w", value=1.5, vary=False)
q["amp"].stderr = 0.5
q["cen"].stderr = 0.0125
q["sig"].stderr = 3.5e-9
q["amp"].correl = {"cen": -0.42, "sig": 0.953}
q["cen"].correl = {"amp": -0.42, "sig": 0.05}
q["sig"].correl = {"amp": 0.953, "cen": 0.05}
with_stderr = q._repr_html_()

stats = dict(method="leastsq", nfev=17, ndata=101, nvarys=3, chisqr=0.0123456789,
             redchi=1.2470382e-4, aic=-905.123456, bic=-899.87654)
report = fitreport_html_table(SimpleNamespace(params=q, **stats))
report_r2 = fitreport_html_table(SimpleNamespace(params=q, rsquared=0.99876, **stats),
                                 min_correl=0.5)

print(json.dumps({
    "lmfit_version": lmfit.__version__,
    "params_fresh": fresh,
    "params_with_stderr": with_stderr,
    "stats": stats,
    "report": report,
    "report_r2_min_correl_0.5": report_r2,
}, indent=1))
