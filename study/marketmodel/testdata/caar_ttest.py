#!/usr/bin/python3
"""scipy oracle for the cross-sectional t test of a CAAR (marketmodel.Average).

event_study.json (R, base lm) gives each event's CAR and each asset's CAAR but no test of the
CAAR. The standard cross-sectional test treats the N event CARs as a sample:
    t = CAAR / (sd(CAR) / sqrt(N)),  sd with N-1,  p two-sided from Student t(N-1)
which is scipy.stats.ttest_1samp(CARs, 0). For each study this script applies it to the CARs
of event_study.json per asset (4 events each) and pooled over all assets (12 events).
Run from this directory: /usr/bin/python3 caar_ttest.py > caar_ttest.json
"""
import json
import sys

import numpy as np
import scipy
from scipy import stats

doc = json.load(open("event_study.json"))
out = {}
for sid, st in doc["studies"].items():
    groups = {}
    for ev in st["events"]:
        groups.setdefault(ev["asset"], []).append(ev["CAR"])
        groups.setdefault("all", []).append(ev["CAR"])
    res = {}
    for g, cars in groups.items():
        x = np.array(cars)
        t = stats.ttest_1samp(x, 0.0)
        res[g] = {"n": len(x), "CAAR": float(x.mean()), "sd": float(x.std(ddof=1)),
                  "t": float(t.statistic), "p": float(t.pvalue)}
    out[sid] = res
json.dump({"generator": {"script": "caar_ttest.py", "numpy": np.__version__, "scipy": scipy.__version__},
           "conventions": __doc__, "studies": out}, sys.stdout, indent=1)
print()
