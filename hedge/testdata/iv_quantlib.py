#!/usr/bin/python3
"""Implied volatilities, prices and greeks from QuantLib for the hedge package's tests.

Run with Debian's interpreter (package quantlib-python, QuantLib 1.29):

    /usr/bin/python3 iv_quantlib.py > iv_quantlib.json

Conventions (the same as black_scholes.py, via the full engine rather than BlackCalculator):
  * VanillaOption + AnalyticEuropeanEngine on a BlackScholesMertonProcess with flat
    continuously compounded r and q and flat volatility, all on Actual/365 Fixed.
  * Evaluation date 2026-07-13; expiry = evaluation date + `days` calendar days, so
    T = days / 365 exactly (no calendar adjustment: NullCalendar).
  * vega per 1.00 of volatility, theta per year (theta_per_day = theta / 365, QuantLib's
    thetaPerDay), rho and dividend_rho per 1.00 of r and q.
  * implied volatility: VanillaOption.impliedVolatility(price, process, accuracy=1e-12,
    maxEvaluations=1000, minVol=1e-7, maxVol=5.0). QuantLib's default accuracy is 1e-4,
    far too loose for a 1e-8 comparison, so it is set explicitly.
  * "iv" cases invert the engine's own NPV at sigma; "market" cases invert a given price;
    "error" cases are prices QuantLib refuses (its message is stored).
"""
import json
import sys

import QuantLib as ql

EVAL = ql.Date(13, 7, 2026)
ql.Settings.instance().evaluationDate = EVAL
DC = ql.Actual365Fixed()
CAL = ql.NullCalendar()

# (type, S, K, r, q, sigma, days, label)
CASES = [
    ("put", 215.0, 193.5, 0.043, 0.012, 0.22, 91, "IWM-like 90% put, 3 months"),
    ("put", 215.0, 204.25, 0.043, 0.012, 0.22, 91, "IWM-like 95% put, 3 months"),
    ("call", 215.0, 236.5, 0.043, 0.012, 0.22, 91, "IWM-like 110% call, 3 months"),
    ("call", 100.0, 40.0, 0.04, 0.01, 0.30, 182, "deep ITM call"),
    ("put", 100.0, 40.0, 0.04, 0.01, 0.30, 182, "deep OTM put"),
    ("put", 100.0, 180.0, 0.04, 0.01, 0.30, 182, "deep ITM put"),
    ("call", 100.0, 160.0, 0.04, 0.01, 0.30, 182, "deep OTM call"),
    ("call", 100.0, 100.0, 0.05, 0.0, 0.20, 2, "two days ATM"),
    ("put", 100.0, 98.0, 0.05, 0.0, 0.35, 3, "three days OTM put"),
    ("call", 100.0, 100.0, 0.03, 0.02, 0.18, 3650, "ten years ATM"),
    ("put", 100.0, 120.0, 0.03, 0.02, 0.18, 7300, "twenty years ITM put"),
    ("call", 100.0, 100.0, 0.01, 0.07, 0.25, 365, "q > r call"),
    ("put", 100.0, 100.0, 0.01, 0.07, 0.25, 365, "q > r put"),
    ("call", 50.0, 55.0, -0.01, 0.0, 0.40, 120, "negative rate call"),
    ("put", 750.0, 675.0, 0.043, 0.013, 0.16, 30, "SPY-like 90% put, 1 month"),
    ("call", 750.0, 825.0, 0.043, 0.013, 0.16, 30, "SPY-like 110% call, 1 month"),
    ("put", 100.0, 100.0, 0.04, 0.0, 1.50, 365, "very high vol put"),
    ("call", 100.0, 100.0, 0.04, 0.0, 0.02, 365, "very low vol call"),
]

# (type, S, K, r, q, days, price, label): invert a given market price.
MARKET = [
    ("put", 215.0, 200.0, 0.043, 0.012, 63, 3.10, "IWM put quoted 3.10"),
    ("call", 215.0, 230.0, 0.043, 0.012, 63, 2.45, "IWM call quoted 2.45"),
    ("put", 100.0, 100.0, 0.05, 0.0, 365, 5.0, "ATM put at 5.00"),
    ("call", 100.0, 100.0, 0.05, 0.0, 365, 40.0, "ATM call at 40.00 (high vol)"),
]

# Prices with no volatility in QuantLib's bracket.
ERRORS = [
    ("call", 100.0, 80.0, 0.05, 0.0, 365, 15.0, "call below discounted intrinsic 100-80e^-0.05=23.90"),
    ("put", 100.0, 120.0, 0.05, 0.0, 365, 120.0, "put above discounted strike 114.15"),
    ("call", 100.0, 100.0, 0.05, 0.0, 365, 100.0, "call at spot"),
]


def setup(typ, S, K, r, q, sigma, days):
    spot = ql.SimpleQuote(S)
    rts = ql.YieldTermStructureHandle(ql.FlatForward(EVAL, ql.QuoteHandle(ql.SimpleQuote(r)), DC, ql.Continuous))
    qts = ql.YieldTermStructureHandle(ql.FlatForward(EVAL, ql.QuoteHandle(ql.SimpleQuote(q)), DC, ql.Continuous))
    vts = ql.BlackVolTermStructureHandle(ql.BlackConstantVol(EVAL, CAL, ql.QuoteHandle(ql.SimpleQuote(sigma)), DC))
    process = ql.BlackScholesMertonProcess(ql.QuoteHandle(spot), qts, rts, vts)
    kind = ql.Option.Call if typ == "call" else ql.Option.Put
    opt = ql.VanillaOption(ql.PlainVanillaPayoff(kind, K), ql.EuropeanExercise(EVAL + days))
    opt.setPricingEngine(ql.AnalyticEuropeanEngine(process))
    return opt, process


def iv(opt, process, price):
    return opt.impliedVolatility(price, process, 1e-12, 1000, 1e-7, 5.0)


out = {"generator": {"script": "iv_quantlib.py", "QuantLib": ql.__version__, "python": sys.version.split()[0],
                     "evaluation_date": "2026-07-13", "day_count": "Actual365Fixed"},
       "conventions": __doc__, "cases": [], "market": [], "errors": []}
for typ, S, K, r, q, sigma, days, label in CASES:
    opt, process = setup(typ, S, K, r, q, sigma, days)
    npv = opt.NPV()
    T = DC.yearFraction(EVAL, EVAL + days)
    out["cases"].append({"type": typ, "S": S, "K": K, "r": r, "q": q, "sigma": sigma, "days": days, "T": T,
                         "label": label, "price": npv, "delta": opt.delta(), "gamma": opt.gamma(),
                         "vega": opt.vega(), "theta": opt.theta(), "theta_per_day": opt.thetaPerDay(),
                         "rho": opt.rho(), "dividend_rho": opt.dividendRho(), "iv": iv(opt, process, npv)})
for typ, S, K, r, q, days, price, label in MARKET:
    opt, process = setup(typ, S, K, r, q, 0.2, days)
    T = DC.yearFraction(EVAL, EVAL + days)
    out["market"].append({"type": typ, "S": S, "K": K, "r": r, "q": q, "days": days, "T": T, "price": price,
                          "label": label, "iv": iv(opt, process, price)})
for typ, S, K, r, q, days, price, label in ERRORS:
    opt, process = setup(typ, S, K, r, q, 0.2, days)
    T = DC.yearFraction(EVAL, EVAL + days)
    try:
        v = iv(opt, process, price)
        raise SystemExit(f"QuantLib found a volatility {v} for error case {label}")
    except RuntimeError as e:
        msg = str(e)
    out["errors"].append({"type": typ, "S": S, "K": K, "r": r, "q": q, "days": days, "T": T, "price": price,
                          "label": label, "quantlib_error": msg})
json.dump(out, sys.stdout, indent=1)
sys.stdout.write("\n")
