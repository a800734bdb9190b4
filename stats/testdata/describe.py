#!/usr/bin/python3
"""numpy/scipy oracle for stats.Describe, Quantile and the single-statistic functions.

Samples (real data already in this directory): monthly SMB 1955-02..2024-12 (regime_smb.csv),
every column of reg_edhec_fof.csv (EDHEC hedge-fund indices), RealInv of
reg_investment_greene.csv (19 annual values).
Conventions:
    mean = numpy.mean;  sd = numpy.std(ddof=1);  median = numpy.median
    skewness = scipy.stats.skew(bias=True)               (g1 = m3/m2^1.5, PA method="moment")
    excess_kurtosis = scipy.stats.kurtosis(fisher=True, bias=True)   (g2 = m4/m2^2 - 3)
    hit_rate = mean(x > 0);  tstat = mean / (sd/sqrt(n))
    quantiles = numpy.quantile(x, p, method="linear")   (R type 7)
Run: /usr/bin/python3 describe.py > describe.json
"""
import csv
import json
import sys

import numpy as np
import scipy
from scipy import stats


def cols(path):
    with open(path) as f:
        rows = list(csv.reader(f))
    return {h: [r[j] for r in rows[1:]] for j, h in enumerate(rows[0])}


samples = []
c = cols("regime_smb.csv")
samples.append(("regime_smb.csv", "smb", c["smb"]))
c = cols("reg_edhec_fof.csv")
for h in list(c)[1:]:
    samples.append(("reg_edhec_fof.csv", h, c[h]))
c = cols("reg_investment_greene.csv")
samples.append(("reg_investment_greene.csv", "RealInv", c["RealInv"]))

ps = [0, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1]
out = []
for f, h, v in samples:
    x = np.array([float(s) for s in v])
    n = len(x)
    sd = float(np.std(x, ddof=1))
    out.append({
        "file": f, "column": h, "n": n,
        "mean": float(np.mean(x)), "median": float(np.median(x)), "sd": sd,
        "min": float(x.min()), "max": float(x.max()),
        "skewness": float(stats.skew(x, bias=True)),
        "excess_kurtosis": float(stats.kurtosis(x, fisher=True, bias=True)),
        "hit_rate": float(np.mean(x > 0)), "tstat": float(np.mean(x) / (sd / np.sqrt(n))),
        "quantile_p": ps, "quantile_type7": [float(q) for q in np.quantile(x, ps, method="linear")],
    })
json.dump({"generator": {"script": "describe.py", "numpy": np.__version__, "scipy": scipy.__version__},
           "conventions": __doc__, "samples": out}, sys.stdout, indent=1)
print()
