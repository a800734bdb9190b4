// Package hedge prices European options with Black-Scholes-Merton (continuous dividend
// yield), inverts prices to implied volatilities, and quotes the hedges ratecycle
// proposes for a rotation: protective puts, put spreads, collars and zero-cost collars
// on an index ETF such as IWM, sized from the portfolio's beta.
//
// Units follow QuantLib's BlackCalculator and AnalyticEuropeanEngine, so numbers can be
// compared with it digit for digit:
//
//   - rates r and q are continuously compounded, annual, as decimals (0.05 = 5%);
//   - the expiry T is in years, with no day-count rounding;
//   - vega is per 1.00 of volatility (divide by 100 for one vol point);
//   - theta is dV/dt per year of calendar time (divide by 365 for one day);
//   - rho and dividend rho are per 1.00 of r and q (divide by 100 for one point).
//
// hedge never reads files, touches the network or looks at the clock: it is given
// spot, rates, volatility and time to expiry.
package hedge

import (
	"fmt"
	"math"
)

// Kind is the right an option gives: to buy (Call) or to sell (Put).
type Kind int

// The option kinds.
const (
	Call Kind = iota + 1
	Put
)

// String returns "call" or "put".
func (k Kind) String() string {
	switch k {
	case Call:
		return "call"
	case Put:
		return "put"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Option is a European option on an underlying paying a continuous dividend yield.
type Option struct {
	Kind   Kind
	Spot   float64 // S, price of the underlying
	Strike float64 // K
	Rate   float64 // r, continuously compounded risk-free rate, decimal per year
	Yield  float64 // q, continuous dividend yield, decimal per year
	Vol    float64 // sigma, annual volatility, decimal
	Expiry float64 // T, years to expiry
}

// Greeks holds an option's value and sensitivities in QuantLib's units (see the
// package comment).
type Greeks struct {
	Price       float64
	Delta       float64 // dV/dS
	Gamma       float64 // d2V/dS2
	Vega        float64 // dV/dsigma, per 1.00 of volatility
	Theta       float64 // dV/dt, per year of calendar time (= -dV/dT)
	Rho         float64 // dV/dr, per 1.00 of rate
	DividendRho float64 // dV/dq, per 1.00 of yield
}

// Validate reports the first argument that makes o unpriceable: a spot or strike that
// is not positive, a negative volatility or expiry, a non-finite rate, or an unknown kind.
func (o Option) Validate() error {
	switch {
	case o.Kind != Call && o.Kind != Put:
		return fmt.Errorf("option kind %d is neither call nor put", int(o.Kind))
	case !(o.Spot > 0) || math.IsInf(o.Spot, 0):
		return fmt.Errorf("spot %v is not a positive number", o.Spot)
	case !(o.Strike > 0) || math.IsInf(o.Strike, 0):
		return fmt.Errorf("strike %v is not a positive number", o.Strike)
	case !(o.Vol >= 0) || math.IsInf(o.Vol, 0):
		return fmt.Errorf("volatility %v is not a finite number >= 0", o.Vol)
	case !(o.Expiry >= 0) || math.IsInf(o.Expiry, 0):
		return fmt.Errorf("expiry %v years is not a finite number >= 0", o.Expiry)
	case math.IsNaN(o.Rate) || math.IsInf(o.Rate, 0):
		return fmt.Errorf("rate %v is not finite", o.Rate)
	case math.IsNaN(o.Yield) || math.IsInf(o.Yield, 0):
		return fmt.Errorf("dividend yield %v is not finite", o.Yield)
	}
	return nil
}

// normCDF is the standard normal distribution function. Writing it with Erfc keeps full
// relative precision in the lower tail, where 1+erf(x) would cancel.
func normCDF(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }

// normPDF is the standard normal density.
func normPDF(x float64) float64 { return math.Exp(-0.5*x*x) / math.Sqrt(2*math.Pi) }

// Price returns the Black-Scholes-Merton value of o:
//
//	call = S e^{-qT} N(d1) - K e^{-rT} N(d2),  put = K e^{-rT} N(-d2) - S e^{-qT} N(-d1)
//	d1 = (ln(S/K) + (r - q + sigma^2/2) T) / (sigma sqrt T),  d2 = d1 - sigma sqrt T
//
// With sigma sqrt T = 0 it is the discounted payoff on the forward. Price does not check
// its argument; call Validate on data from users.
func (o Option) Price() float64 {
	sdf := o.Spot * math.Exp(-o.Yield*o.Expiry)  // S e^{-qT}
	kdf := o.Strike * math.Exp(-o.Rate*o.Expiry) // K e^{-rT}
	sd := o.Vol * math.Sqrt(o.Expiry)
	if sd == 0 {
		if o.Kind == Call {
			return math.Max(sdf-kdf, 0)
		}
		return math.Max(kdf-sdf, 0)
	}
	d1 := (math.Log(o.Spot/o.Strike)+(o.Rate-o.Yield)*o.Expiry)/sd + 0.5*sd
	d2 := d1 - sd
	if o.Kind == Call {
		return sdf*normCDF(d1) - kdf*normCDF(d2)
	}
	return kdf*normCDF(-d2) - sdf*normCDF(-d1)
}

// Greeks returns o's value and sensitivities (formulas as in QuantLib's BlackCalculator):
//
//	delta   call e^{-qT} N(d1)                 put -e^{-qT} N(-d1)
//	gamma   e^{-qT} n(d1) / (S sigma sqrt T)
//	vega    S e^{-qT} n(d1) sqrt T
//	theta   -S e^{-qT} n(d1) sigma / (2 sqrt T) - r K e^{-rT} N(d2) + q S e^{-qT} N(d1)   (call)
//	        -S e^{-qT} n(d1) sigma / (2 sqrt T) + r K e^{-rT} N(-d2) - q S e^{-qT} N(-d1) (put)
//	rho     call K T e^{-rT} N(d2)             put -K T e^{-rT} N(-d2)
//	div rho call -S T e^{-qT} N(d1)            put S T e^{-qT} N(-d1)
//
// With sigma sqrt T = 0 the option is its discounted forward payoff: gamma and vega are
// zero and the other sensitivities are those of that payoff.
func (o Option) Greeks() Greeks {
	dq := math.Exp(-o.Yield * o.Expiry)
	dr := math.Exp(-o.Rate * o.Expiry)
	sdf, kdf := o.Spot*dq, o.Strike*dr
	T := o.Expiry
	sqT := math.Sqrt(T)
	sd := o.Vol * sqT
	var nd1, nd2, pdf1 float64 // N(d1), N(d2) for a call; N(-d1), N(-d2) for a put
	if sd == 0 {
		// Deterministic forward: the option is exercised iff it is in the money forward.
		if (o.Kind == Call && sdf > kdf) || (o.Kind == Put && kdf > sdf) {
			nd1, nd2 = 1, 1
		}
	} else {
		d1 := (math.Log(o.Spot/o.Strike)+(o.Rate-o.Yield)*T)/sd + 0.5*sd
		d2 := d1 - sd
		pdf1 = normPDF(d1)
		if o.Kind == Call {
			nd1, nd2 = normCDF(d1), normCDF(d2)
		} else {
			nd1, nd2 = normCDF(-d1), normCDF(-d2)
		}
	}
	g := Greeks{
		Vega: sdf * pdf1 * sqT,
	}
	if sd != 0 {
		g.Gamma = dq * pdf1 / (o.Spot * sd)
	}
	decay := 0.0
	if T > 0 {
		decay = -sdf * pdf1 * o.Vol / (2 * sqT)
	}
	if o.Kind == Call {
		g.Price = sdf*nd1 - kdf*nd2
		g.Delta = dq * nd1
		g.Theta = decay - o.Rate*kdf*nd2 + o.Yield*sdf*nd1
		g.Rho = T * kdf * nd2
		g.DividendRho = -T * sdf * nd1
	} else {
		g.Price = kdf*nd2 - sdf*nd1
		g.Delta = -dq * nd1
		g.Theta = decay + o.Rate*kdf*nd2 - o.Yield*sdf*nd1
		g.Rho = -T * kdf * nd2
		g.DividendRho = T * sdf * nd1
	}
	return g
}
