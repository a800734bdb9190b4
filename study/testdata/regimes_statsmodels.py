"""Reference values for study.Regimes from Python statsmodels.

Input: smb_regimes.csv (written by `go run ./study/testdata/genref`): the real monthly
Fama-French SMB factor 1954-08..2024-12 (decimal returns) with each month's Fed regime
(ratecycle's cycle rules) and NBER recession label.

For each labelling and each lag L, fits exactly
    OLS(r, dummies).fit(cov_type='HAC', cov_kwds={'maxlags': L})
with one 0/1 dummy per regime (columns in sorted label order, no constant) and writes the
coefficients, standard errors, t, p, the covariance and every pairwise difference
(results.t_test) to regimes_statsmodels.json.

Run: /usr/bin/python3 study/testdata/regimes_statsmodels.py (Debian python3-statsmodels).
"""
import itertools
import json
import os

import numpy as np
import pandas as pd
import statsmodels
import statsmodels.api as sm

here = os.path.dirname(os.path.abspath(__file__))
df = pd.read_csv(os.path.join(here, "smb_regimes.csv"), dtype={"date": str})
r = df["smb"].to_numpy(dtype=float)
n = len(r)
auto = int(np.floor(4 * (n / 100.0) ** (2.0 / 9.0)))

out = {
    "generator": {
        "script": "regimes_statsmodels.py",
        "statsmodels": statsmodels.__version__,
        "pandas": pd.__version__,
        "numpy": np.__version__,
    },
    "input": "smb_regimes.csv",
    "n": n,
    "auto_lag": auto,
    "fits": [],
}
for col in ["fed", "recession"]:
    labels = sorted(df[col].unique())
    X = np.column_stack([(df[col] == l).astype(float).to_numpy() for l in labels])
    for L in sorted({auto, 0, 12}):
        res = sm.OLS(r, X).fit(cov_type="HAC", cov_kwds={"maxlags": L})
        fit = {
            "labels_by": col,
            "maxlags": L,
            "regimes": labels,
            "n_by_regime": [int((df[col] == l).sum()) for l in labels],
            "params": res.params.tolist(),
            "bse": res.bse.tolist(),
            "tvalues": res.tvalues.tolist(),
            "pvalues": res.pvalues.tolist(),
            "cov": res.cov_params().tolist(),
            "differences": [],
        }
        for a, b in itertools.permutations(range(len(labels)), 2):
            R = np.zeros(len(labels))
            R[a], R[b] = 1.0, -1.0
            tt = res.t_test(R)
            fit["differences"].append({
                "a": labels[a], "b": labels[b],
                "diff": float(np.squeeze(tt.effect)),
                "se": float(np.squeeze(tt.sd)),
                "t": float(np.squeeze(tt.tvalue)),
                "p": float(np.squeeze(tt.pvalue)),
            })
        out["fits"].append(fit)

with open(os.path.join(here, "regimes_statsmodels.json"), "w") as f:
    json.dump(out, f, indent=1)
print("wrote regimes_statsmodels.json:", len(out["fits"]), "fits, n =", n, "auto lag =", auto)
