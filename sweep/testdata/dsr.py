#!/usr/bin/python3
"""Reference values for sweep.ExpectedMaxSharpe, ProbabilisticSharpe and DeflatedSharpe.

Bailey, D. H. and M. Lopez de Prado (2014), "The Deflated Sharpe Ratio: Correcting for
Selection Bias, Backtest Overfitting and Non-Normality", Journal of Portfolio
Management 40(5), eqs. 8-10:

  SR0 = sqrt(V[SR]) * ((1 - gamma) * Z^-1(1 - 1/N) + gamma * Z^-1(1 - 1/(N e)))
  DSR = Z( (SR - SR0) sqrt(T - 1) / sqrt(1 - g3 SR + (g4 - 1)/4 SR^2) )

computed with SciPy (norm.ppf, norm.cdf, stats.skew, stats.kurtosis(fisher=False),
numpy var ddof=1). Run: /usr/bin/python3 dsr.py > dsr.json
"""
import json, math
import numpy as np
import scipy
from scipy import stats

GAMMA = 0.5772156649015329

def sr0(n, v):
    return math.sqrt(v) * ((1 - GAMMA) * stats.norm.ppf(1 - 1 / n) + GAMMA * stats.norm.ppf(1 - 1 / (n * math.e)))

def psr(sr, sr_star, t, g3, g4):
    return stats.norm.cdf((sr - sr_star) * math.sqrt(t - 1) / math.sqrt(1 - g3 * sr + (g4 - 1) / 4 * sr * sr))

# A deterministic, skewed, fat-tailed monthly excess-return series for the best trial
# (no random generator, so Go can rebuild it exactly): t = 1..600.
T = 600
r = np.array([0.008 + 0.04 * math.sin(1.7 * t) + 0.03 * (math.cos(0.37 * t) ** 3) - (0.09 if t % 97 == 0 else 0.0)
              for t in range(1, T + 1)])
sr = r.mean() / r.std(ddof=1)
g3 = float(stats.skew(r))                    # population moments, as the paper
g4 = float(stats.kurtosis(r, fisher=False))  # non-excess
# Per-period Sharpe ratios of the N trials the best one was chosen from.
trial_srs = [0.02 + 0.003 * k - 0.0001 * k * k for k in range(40)]
n = len(trial_srs)
v = float(np.var(trial_srs, ddof=1))

cases = []
for (nn, vv) in [(n, v), (10, 0.001), (1000, 0.0025), (2, 0.01), (100000, 0.0004), (100000, 0.01), (500, 0.004)]:
    s0 = sr0(nn, vv)
    cases.append({"n": nn, "v": vv, "sr0": s0, "psr_at_sr0": float(psr(sr, s0, T, g3, g4))})

print(json.dumps({
    "scipy": scipy.__version__,
    "numpy": np.__version__,
    "T": T, "sr": sr, "skew": g3, "kurt": g4,
    "trial_srs_var": v,
    "psr_zero": float(psr(sr, 0.0, T, g3, g4)),
    "cases": cases,
}, indent=2))
