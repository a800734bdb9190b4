package marketmodel_test

import (
	"fmt"

	"github.com/ratecycle/ratecycle/study/marketmodel"
)

// HAM1 around the August 1998 crisis (PerformanceAnalytics' managers data, monthly returns
// 1996-06..1998-10 against the S&P 500 total return): market model over months -26..-3,
// abnormal returns over -2..+2. The values are those of testdata/event_study.json.
func ExampleEstimate() {
	ham1 := []float64{-0.0039, -0.0231, 0.0395, 0.0147, 0.0288, 0.0156, 0.0176, 0.0212, 0.0022, 0.0094, 0.0126, 0.0438, 0.0231,
		0.0154, 0.0237, 0.0219, -0.0207, 0.025, 0.011, 0.0056, 0.0429, 0.0362, 0.0078, -0.0231, 0.0121, -0.0215, -0.0944, 0.0248, 0.0558}
	sp500 := []float64{0.0038, -0.0442, 0.0211, 0.0563, 0.0276, 0.0756, -0.0198, 0.0625, 0.0078, -0.0411, 0.0597, 0.0609, 0.0448,
		0.0796, -0.056, 0.0548, -0.0334, 0.0463, 0.0172, 0.0111, 0.0721, 0.0512, 0.0101, -0.0172, 0.0406, -0.0106, -0.1446, 0.0641, 0.0813}
	event := 26 // 1998-08-31
	r, err := marketmodel.Estimate(ham1, sp500, event, marketmodel.Window{From: -26, To: -3}, marketmodel.Window{From: -2, To: 2})
	if err != nil {
		panic(err)
	}
	fmt.Printf("alpha %.5f  beta %.4f  sigma_e %.5f  (n_est %d)\n", r.Alpha, r.Beta, r.SigmaE, r.NEst)
	for k, t := range r.RelativeTimes() {
		fmt.Printf("t=%+d  AR %+.4f  CAR %+.4f\n", t, r.AR[k], r.CARPath[k])
	}
	fmt.Printf("CAR %+.4f (t %.2f)  BHAR %+.4f\n", r.CAR, r.CARTStat, r.BHAR)
	// Output:
	// alpha 0.00839  beta 0.2648  sigma_e 0.01556  (n_est 24)
	// t=-2  AR -0.0070  CAR -0.0070
	// t=-1  AR -0.0271  CAR -0.0341
	// t=+0  AR -0.0645  CAR -0.0986
	// t=+1  AR -0.0006  CAR -0.0992
	// t=+2  AR +0.0259  CAR -0.0733
	// CAR -0.0733 (t -2.11)  BHAR -0.0430
}

// The CAAR over events and its cross-sectional t test.
func ExampleAverageCARs() {
	// HAM1's CARs at four events (testdata/event_study.json).
	cars := []float64{-0.07330742301469305, 0.1264023470559007, -0.0076330150426616415, -0.16945538735158355}
	c := marketmodel.AverageCARs(cars)
	fmt.Printf("N=%d CAAR %+.4f sd %.4f t %+.2f p %.3f\n", c.N, c.CAAR, c.SD, c.T, c.P)
	// Output:
	// N=4 CAAR -0.0310 sd 0.1242 t -0.50 p 0.652
}
