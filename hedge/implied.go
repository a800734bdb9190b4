package hedge

import (
	"errors"
	"fmt"
	"math"
)

// The volatility bracket ImpliedVol searches.
const (
	MinVol = 1e-6
	MaxVol = 5.0
)

// ErrNoVolatility is wrapped by every ImpliedVol error that means "no volatility in
// [MinVol, MaxVol] reproduces this price", as opposed to an invalid option.
var ErrNoVolatility = errors.New("no volatility fits the price")

// Bounds returns the no-arbitrage range of a European option's price, whatever its
// volatility: lower is the discounted intrinsic value on the forward,
// max(S e^{-qT} - K e^{-rT}, 0) for a call and max(K e^{-rT} - S e^{-qT}, 0) for a put;
// upper is S e^{-qT} for a call and K e^{-rT} for a put.
func Bounds(o Option) (lower, upper float64) {
	sdf := o.Spot * math.Exp(-o.Yield*o.Expiry)
	kdf := o.Strike * math.Exp(-o.Rate*o.Expiry)
	if o.Kind == Call {
		return math.Max(sdf-kdf, 0), sdf
	}
	return math.Max(kdf-sdf, 0), kdf
}

// ImpliedVol returns the volatility at which o (o.Vol is ignored) is worth price.
//
// It solves Price(sigma) = price with Brent's method on [MinVol, MaxVol]; the price is
// increasing in sigma, so the bracket holds a root exactly when price lies between the
// prices at its ends, and the method cannot diverge. The result is accurate to about
// 1e-14 in sigma where vega is not negligible.
//
// The error wraps ErrNoVolatility and names the bound when price is outside the
// no-arbitrage range (see Bounds) or needs a volatility outside the bracket.
func ImpliedVol(o Option, price float64) (float64, error) {
	o.Vol = MinVol
	if err := o.Validate(); err != nil {
		return 0, err
	}
	if o.Expiry == 0 {
		return 0, fmt.Errorf("implied volatility of a %s at expiry: %w (its price does not depend on volatility)", o.Kind, ErrNoVolatility)
	}
	if math.IsNaN(price) || math.IsInf(price, 0) {
		return 0, fmt.Errorf("implied volatility: price %v is not finite", price)
	}
	lo, hi := Bounds(o)
	name := "S e^{-qT}"
	lname := "max(S e^{-qT} - K e^{-rT}, 0)"
	if o.Kind == Put {
		name = "K e^{-rT}"
		lname = "max(K e^{-rT} - S e^{-qT}, 0)"
	}
	if price < lo {
		return 0, fmt.Errorf("%s price %.10g is below the no-arbitrage lower bound %s = %.10g: %w", o.Kind, price, lname, lo, ErrNoVolatility)
	}
	if price >= hi {
		return 0, fmt.Errorf("%s price %.10g is at or above the no-arbitrage upper bound %s = %.10g: %w", o.Kind, price, name, hi, ErrNoVolatility)
	}
	f := func(v float64) float64 { o.Vol = v; return o.Price() - price }
	flo, fhi := f(MinVol), f(MaxVol)
	if flo > 0 {
		return 0, fmt.Errorf("%s price %.10g is below the price %.10g at the minimum volatility %g: %w", o.Kind, price, flo+price, MinVol, ErrNoVolatility)
	}
	if fhi < 0 {
		return 0, fmt.Errorf("%s price %.10g is above the price %.10g at the maximum volatility %g: %w", o.Kind, price, fhi+price, MaxVol, ErrNoVolatility)
	}
	return brent(f, MinVol, MaxVol, flo, fhi, 1e-15), nil
}

// brent finds a root of f in [a, b], given fa = f(a) and fb = f(b) of opposite signs (or
// one of them zero), by Brent's method (R. P. Brent, Algorithms for Minimization without
// Derivatives, 1973, ch. 4: zero). It keeps a bracket at every step, so it always
// converges; tol is the absolute tolerance on x.
func brent(f func(float64) float64, a, b, fa, fb, tol float64) float64 {
	if fa == 0 {
		return a
	}
	if fb == 0 {
		return b
	}
	c, fc := a, fa
	d := b - a
	e := d
	for range 200 {
		if (fb > 0) == (fc > 0) {
			c, fc = a, fa
			d = b - a
			e = d
		}
		if math.Abs(fc) < math.Abs(fb) {
			a, b, c = b, c, b
			fa, fb, fc = fb, fc, fb
		}
		tol1 := 2*0x1p-52*math.Abs(b) + 0.5*tol
		m := 0.5 * (c - b)
		if math.Abs(m) <= tol1 || fb == 0 {
			return b
		}
		if math.Abs(e) >= tol1 && math.Abs(fa) > math.Abs(fb) {
			// Inverse quadratic interpolation, or the secant when only two points differ.
			var p, q float64
			s := fb / fa
			if a == c {
				p = 2 * m * s
				q = 1 - s
			} else {
				qq := fa / fc
				r := fb / fc
				p = s * (2*m*qq*(qq-r) - (b-a)*(r-1))
				q = (qq - 1) * (r - 1) * (s - 1)
			}
			if p > 0 {
				q = -q
			} else {
				p = -p
			}
			if 2*p < math.Min(3*m*q-math.Abs(tol1*q), math.Abs(e*q)) {
				e = d
				d = p / q
			} else {
				d = m
				e = m
			}
		} else {
			d = m
			e = m
		}
		a, fa = b, fb
		if math.Abs(d) > tol1 {
			b += d
		} else if m > 0 {
			b += tol1
		} else {
			b -= tol1
		}
		fb = f(b)
	}
	return b
}
