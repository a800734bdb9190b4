package study

import (
	"github.com/ratecycle/ratecycle/study/marketmodel"
)

// marketModel fits the market model on the rows t0+e1..t0+e2 of the per-period returns
// and measures the event rows t0+w1..t0+w2 with study/marketmodel (r[0] is NaN: returns
// start at row 1, so an estimation window reaching row 0 is an error).
func marketModel(ra, rm []float64, t0, e1, e2, w1, w2 int) (*MMCell, error) {
	r, err := marketmodel.Estimate(ra, rm, t0, marketmodel.Window{From: e1, To: e2}, marketmodel.Window{From: w1, To: w2})
	if err != nil {
		return nil, err
	}
	return &MMCell{Alpha: r.Alpha, Beta: r.Beta, SigmaE: r.SigmaE, NEst: r.NEst, CAR: r.CAR, CART: r.CARTStat,
		BHAR: r.BHAR, Length: r.Event.Len()}, nil
}
