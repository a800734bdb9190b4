package study

import (
	"fmt"
	"math"
)

// marketModel fits R_a = alpha + beta R_m + e on the rows t0+e1..t0+e2 of the per-period
// returns and measures the event rows t0+w1..t0+w2 (r[0] is NaN: returns start at row 1).
func marketModel(ra, rm []float64, t0, e1, e2, w1, w2 int) (*MMCell, error) {
	if e2 >= w1 {
		return nil, fmt.Errorf("estimation window ends at %d, not before the event window starts at %d", e2, w1)
	}
	if t0+e1 < 1 {
		return nil, fmt.Errorf("estimation window starts before the data")
	}
	if t0+w2 >= len(ra) {
		return nil, fmt.Errorf("window ends after the data")
	}
	n := e2 - e1 + 1
	var mx, my float64
	for t := t0 + e1; t <= t0+e2; t++ {
		mx += rm[t]
		my += ra[t]
	}
	mx /= float64(n)
	my /= float64(n)
	var sxx, sxy float64
	for t := t0 + e1; t <= t0+e2; t++ {
		dx := rm[t] - mx
		sxx += dx * dx
		sxy += dx * (ra[t] - my)
	}
	if sxx == 0 {
		return nil, fmt.Errorf("benchmark constant over the estimation window")
	}
	beta := sxy / sxx
	alpha := my - beta*mx
	var ssr float64
	for t := t0 + e1; t <= t0+e2; t++ {
		u := ra[t] - alpha - beta*rm[t]
		ssr += u * u
	}
	sig := math.Sqrt(ssr / float64(n-2))
	c := &MMCell{Alpha: alpha, Beta: beta, SigmaE: sig, NEst: n, Length: w2 - w1 + 1}
	pa, pm := 1.0, 1.0
	for t := t0 + w1; t <= t0+w2; t++ {
		c.CAR += ra[t] - alpha - beta*rm[t]
		pa *= 1 + ra[t]
		pm *= 1 + rm[t]
	}
	c.CART = c.CAR / (sig * math.Sqrt(float64(c.Length)))
	c.BHAR = pa - pm
	return c, nil
}
