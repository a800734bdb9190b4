"""Reference for sector rate betas: statsmodels OLS with Newey-West (HAC) errors.

Reads the embedded raw files directly (not through ratecycle):
  kenfrench/12_Industry_Portfolios.CSV   first section, value-weighted monthly, percent
  kenfrench/F-F_Research_Data_Factors.CSV  Mkt-RF and RF, percent
  fred-bendsbeforethebreak/DGS2.csv        daily 2-year yield, percent (empty = holiday)
y = industry - (Mkt-RF + RF) as decimals; x = change of the last daily DGS2 of each month,
months 1976-07 .. 2024-12; OLS(y, [1, x]).fit(cov_type='HAC', cov_kwds={'maxlags': L})
with L = floor(4 (n/100)^(2/9)) and statsmodels' default use_correction=False.

Run from this directory with Debian's python3 (statsmodels 0.13.5, pandas 1.5.3):
  /usr/bin/python3 statsmodels_beta.py > statsmodels_beta.json
"""
import io
import json
import math

import pandas as pd
import statsmodels.api as sm

DATA = "../../snapshot/data/"


def first_section(path, skip_to_header):
    lines = open(path, encoding="utf-8").read().splitlines()
    start = next(i for i, l in enumerate(lines) if l.startswith(skip_to_header))
    rows = [lines[start]]
    for l in lines[start + 1:]:
        if not l.strip() or not l.split(",")[0].strip().isdigit():
            break
        rows.append(l)
    df = pd.read_csv(io.StringIO("\n".join(rows)), skipinitialspace=True)
    df.columns = ["ym"] + [c.strip() for c in df.columns[1:]]
    df["ym"] = df["ym"].astype(str).str.strip()
    return df.set_index("ym") / 100.0


ind = first_section(DATA + "kenfrench/12_Industry_Portfolios.CSV", ",NoDur")
ff = first_section(DATA + "kenfrench/F-F_Research_Data_Factors.CSV", ",Mkt-RF")
mkt = ff["Mkt-RF"] + ff["RF"]

d = pd.read_csv(DATA + "fred-bendsbeforethebreak/DGS2.csv")
d["observation_date"] = pd.to_datetime(d["observation_date"])
d = d.dropna()
d["ym"] = d["observation_date"].dt.strftime("%Y%m")
lv = d.groupby("ym")["dgs2"].last()
dy = lv.diff().dropna()

out = {}
for name in ["Shops", "Enrgy", "Utils", "Hlth"]:
    y = (ind[name] - mkt).rename("y")
    df = pd.concat([y, dy.rename("x")], axis=1, join="inner").dropna()
    df = df[(df.index >= "197607") & (df.index <= "202412")]
    n = len(df)
    lags = int(math.floor(4 * (n / 100.0) ** (2.0 / 9.0)))
    fit = sm.OLS(df["y"].values, sm.add_constant(df["x"].values)).fit(
        cov_type="HAC", cov_kwds={"maxlags": lags})
    out[name] = {"beta": fit.params[1], "t": fit.tvalues[1], "n": n, "lags": lags,
                 "from": df.index[0], "to": df.index[-1]}
print(json.dumps(out, indent=1))
