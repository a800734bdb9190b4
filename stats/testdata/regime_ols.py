#!/usr/bin/python3
"""statsmodels oracle for stats.RegimeOLS / Regimes.Difference and the OLS inference helpers.

Data (real): monthly SMB from the Ken French Data Library (F-F_Research_Data_Factors.CSV,
percent -> decimal) and the effective fed funds rate (FRED FEDFUNDS, monthly average), both
from ratecycle's embedded snapshot. Each month t gets a regime label from the change in
FEDFUNDS over the six months before it, known at the start of month t:
    d = FEDFUNDS[t-1] - FEDFUNDS[t-7]   (percent points)
    "easing" if d <= -0.25, "tightening" if d >= 0.25, else "hold".
The exact design (date, smb, regime) is written to regime_smb.csv; the Go test reads that file
and never needs Python.

For each (maxlags, use_correction) in {0, 3, 5, 12} x {False, True}:
    X = pandas.get_dummies(regime) (one 0/1 column per regime, sorted labels, NO constant)
    r = sm.OLS(y, X).fit(cov_type='HAC', cov_kwds={'maxlags': L, 'use_correction': c})
    -> params, bse, tvalues, pvalues (normal: statsmodels' default use_t=False for HAC),
       conf_int(alpha=0.10) and (alpha=0.05), cov_params,
       t_test of each difference of two regime means (effect, sd, tvalue, pvalue, conf_int),
       and the same fit with use_t=True (t(df_resid) p-values and intervals).
Plus the nonrobust fit (use_t=True): bse, pvalues, conf_int, rsquared (statsmodels detects the
implicit constant of a full dummy set and reports the CENTRED R^2), rsquared_adj.
5 = floor(4*(n/100)^(2/9)) for n = 839.

Run with Debian's /usr/bin/python3 (python3-statsmodels 0.13.5, python3-pandas):
    /usr/bin/python3 regime_ols.py ../../snapshot/data > regime_ols.json
"""
import csv
import json
import math
import os
import sys

import numpy as np
import pandas as pd
import scipy
import statsmodels
import statsmodels.api as sm

snap = sys.argv[1] if len(sys.argv) > 1 else "../../snapshot/data"
here = os.path.dirname(os.path.abspath(__file__))


def french_monthly(path, col):
    out = {}
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    hdr = [h.strip() for h in rows[0]]
    j = hdr.index(col)
    for r in rows[1:]:
        if not r or not r[0].strip():
            break  # blank line ends the monthly block
        d = r[0].strip()
        if len(d) != 6:
            break
        out[(int(d[:4]), int(d[4:]))] = float(r[j]) / 100.0
    return out


def fred_monthly(path):
    out = {}
    with open(path, newline="") as f:
        rd = csv.reader(f)
        next(rd)
        for d, v in rd:
            if v.strip() in ("", "."):
                continue
            out[(int(d[:4]), int(d[5:7]))] = float(v)
    return out


def prev(ym, k):
    y, m = ym
    i = y * 12 + (m - 1) - k
    return (i // 12, i % 12 + 1)


smb = french_monthly(os.path.join(snap, "kenfrench", "F-F_Research_Data_Factors.CSV"), "SMB")
ff = fred_monthly(os.path.join(snap, "fred", "FEDFUNDS.csv"))

rows = []
for ym in sorted(smb):
    a, b = prev(ym, 1), prev(ym, 7)
    if a not in ff or b not in ff:
        continue
    d = ff[a] - ff[b]
    lab = "easing" if d <= -0.25 else ("tightening" if d >= 0.25 else "hold")
    rows.append(("%04d-%02d" % ym, smb[ym], lab))

design = os.path.join(here, "regime_smb.csv")
with open(design, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["month", "smb", "regime"])
    for d, v, lab in rows:
        w.writerow([d, repr(v), lab])

y = np.array([v for _, v, _ in rows])
lab = pd.Series([l for _, _, l in rows])
X = pd.get_dummies(lab).astype(float)
names = list(X.columns)
n, k = X.shape
pairs = [(a, b) for i, a in enumerate(names) for b in names[i + 1:]]


def fl(v):
    v = float(v)
    return v if math.isfinite(v) else None


def vec(a):
    return [fl(v) for v in np.asarray(a).ravel()]


def mat(a):
    return [vec(r) for r in np.asarray(a)]


def tests(r):
    out = {}
    for a, b in pairs:
        c = np.zeros(k)
        c[names.index(a)], c[names.index(b)] = 1, -1
        t = r.t_test(c)
        out[f"{a}-{b}"] = {
            "effect": fl(np.squeeze(t.effect)), "sd": fl(np.squeeze(t.sd)),
            "tvalue": fl(np.squeeze(t.tvalue)), "pvalue": fl(np.squeeze(t.pvalue)),
            "conf_int_95": vec(t.conf_int(alpha=0.05)),
        }
    return out


def summary(r):
    return {
        "params": vec(r.params), "bse": vec(r.bse), "tvalues": vec(r.tvalues), "pvalues": vec(r.pvalues),
        "conf_int_90": mat(r.conf_int(alpha=0.10)), "conf_int_95": mat(r.conf_int(alpha=0.05)),
        "cov": mat(r.cov_params()), "differences": tests(r),
    }


base = sm.OLS(y, X).fit()
doc = {
    "generator": {"script": "regime_ols.py", "python": sys.version.split()[0], "statsmodels": statsmodels.__version__,
                  "pandas": pd.__version__, "numpy": np.__version__, "scipy": scipy.__version__},
    "conventions": __doc__,
    "design_csv": "regime_smb.csv", "nobs": n, "regimes": names,
    "counts": [int((lab == l).sum()) for l in names],
    "start": rows[0][0], "end": rows[-1][0],
    "nonrobust": dict(summary(base), rsquared=fl(base.rsquared), rsquared_adj=fl(base.rsquared_adj),
                      k_constant=int(base.model.k_constant), df_resid=fl(base.df_resid)),
    "hac": [],
}
for L in (0, 3, 5, 12):
    for c in (False, True):
        r = sm.OLS(y, X).fit(cov_type="HAC", cov_kwds={"maxlags": L, "use_correction": c})
        rt = sm.OLS(y, X).fit(cov_type="HAC", cov_kwds={"maxlags": L, "use_correction": c}, use_t=True)
        doc["hac"].append({"maxlags": L, "use_correction": c, "normal": summary(r), "use_t": summary(rt)})

json.dump(doc, sys.stdout, indent=1)
print()
