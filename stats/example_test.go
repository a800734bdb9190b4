package stats_test

import (
	"fmt"

	"github.com/ratecycle/ratecycle/stats"
)

// Monthly SMB (small minus big, Ken French Data Library, decimal) 2019-01..2024-12, and the
// fed-funds regime of each month: E easing, H hold, T tightening, from the change in
// FEDFUNDS over the six months before (testdata/regime_ols.py).
var (
	smb = []float64{
		0.0288, 0.0206, -0.0305, -0.0172, -0.0131, 0.0028, -0.0193, -0.0239, -0.0097, 0.0029, 0.0078, 0.0073,
		-0.0313, 0.0107, -0.0479, 0.0245, 0.0249, 0.0269, -0.023, -0.0028, -0.0003, 0.0427, 0.0572, 0.0479,
		0.075, 0.0207, -0.0228, -0.032, -0.0027, 0.016, -0.0394, -0.0046, 0.0067, -0.0237, -0.0132, -0.0164,
		-0.0596, 0.0219, -0.0166, -0.0138, -0.0196, 0.0218, 0.028, 0.014, -0.0082, 0.0007, -0.0351, -0.0069,
		0.0501, 0.0117, -0.0551, -0.0336, 0.016, 0.0155, 0.0205, -0.032, -0.0249, -0.0388, -0.0003, 0.0636,
		-0.0502, -0.0022, -0.0251, -0.0239, 0.0078, -0.0306, 0.068, -0.0355, -0.0017, -0.0101, 0.0463, -0.0273,
	}
	regimeCodes = "TTTTHHHHEEEE" + "EEEEEEEEEEHH" + "HHHHHHHHHHHH" + "HHHHTTTTTTTT" + "TTTTTTTTTTTT" + "THHHHHHHHHEE"
)

func regimeLabels() []string {
	names := map[rune]string{'E': "easing", 'H': "hold", 'T': "tightening"}
	var out []string
	for _, c := range regimeCodes {
		out = append(out, names[c])
	}
	return out
}

// Is SMB higher while the Fed eases? Regime means with Newey-West errors at the
// rule-of-thumb lag, and the easing-minus-tightening difference.
func ExampleRegimeOLS() {
	lags := stats.NeweyWestLags(len(smb)) // floor(4·(72/100)^(2/9)) = 3
	r, err := stats.RegimeOLS(smb, regimeLabels(), lags, false)
	if err != nil {
		panic(err)
	}
	fmt.Printf("HAC maxlags=%d\n", lags)
	for _, m := range r.Means {
		fmt.Printf("%-10s n=%2d mean=%+.4f se=%.4f t=%+.2f p=%.3f\n", m.Label, m.N, m.Mean, m.SE, m.T, m.P)
	}
	d, err := r.Difference("easing", "tightening")
	if err != nil {
		panic(err)
	}
	lo, hi := d.ConfInt(0.90)
	fmt.Printf("easing-tightening %+.4f se=%.4f t=%+.2f p=%.3f 90%% CI [%+.4f, %+.4f]\n", d.Estimate, d.SE, d.T, d.P, lo, hi)
	// Output:
	// HAC maxlags=3
	// easing     n=16 mean=+0.0032 se=0.0044 t=+0.74 p=0.458
	// hold       n=31 mean=-0.0034 se=0.0065 t=-0.53 p=0.598
	// tightening n=25 mean=-0.0024 se=0.0042 t=-0.59 p=0.557
	// easing-tightening +0.0057 se=0.0060 t=+0.94 p=0.346 90% CI [-0.0042, +0.0156]
}

// The same difference by the stationary block bootstrap, each regime resampled on its own.
func ExampleBootstrapMeanDiff() {
	var easing, tightening []float64
	for i, l := range regimeLabels() {
		switch l {
		case "easing":
			easing = append(easing, smb[i])
		case "tightening":
			tightening = append(tightening, smb[i])
		}
	}
	b, err := stats.BootstrapMeanDiff(easing, tightening, stats.BootstrapOptions{Resamples: 10000, Seed: 1})
	if err != nil {
		panic(err)
	}
	fmt.Printf("diff %+.4f  bootstrap se %.4f  90%% [%+.4f, %+.4f]  p %.3f  (B=%d, b=%.2f/%.2f)\n",
		b.Estimate, b.SE, b.Lo, b.Hi, b.P, b.Resamples, b.BlockLength[0], b.BlockLength[1])
	// Output:
	// diff +0.0057  bootstrap se 0.0071  90% [-0.0061, +0.0172]  p 0.430  (B=10000, b=2.52/2.92)
}

// A CAPM regression with Newey-West errors: HAM1 excess returns on S&P 500 excess returns,
// 2005-2006 (PerformanceAnalytics' managers data).
func ExampleOLS() {
	ham1 := []float64{-0.00157, 0.01988, -0.02313, -0.02315, 0.00171, 0.0138, 0.00675, 0.0084, 0.02311, -0.02134, 0.01981, 0.02286,
		0.06611, 0.01125, 0.03585, -0.00476, -0.03074, 0.01776, -0.01863, 0.01169, 0.00224, 0.03889, 0.0074, 0.00709}
	sp500 := []float64{-0.026045, 0.01942, -0.02014, -0.02125, 0.02923, -0.00088, 0.03485, -0.012, 0.00511, -0.01934, 0.03451, -0.00294,
		0.02341, -0.00055, 0.00865, 0.00974, -0.03284, -0.00244, 0.00197, 0.01939, 0.02124, 0.02879, 0.0147, 0.00962}
	fit, err := stats.OLS(ham1, stats.Design(true, sp500))
	if err != nil {
		panic(err)
	}
	in := fit.HAC(stats.NeweyWestLags(fit.NObs), false)
	lo, hi := in.ConfInt(0.95)
	fmt.Printf("n=%d R²=%.3f  %s\n", fit.NObs, fit.RSquared, in.Method)
	for j, name := range []string{"alpha", "beta"} {
		fmt.Printf("%-5s %+.4f se=%.4f t=%+.2f p=%.3f 95%% [%+.4f, %+.4f]\n", name, in.Params[j], in.SE[j], in.T[j], in.P[j], lo[j], hi[j])
	}
	// Output:
	// n=24 R²=0.362  HAC (Newey-West, Bartlett kernel, maxlags=2, no small-sample correction; normal p-values)
	// alpha +0.0045 se=0.0035 t=+1.29 p=0.197 95% [-0.0023, +0.0114]
	// beta  +0.6801 se=0.1603 t=+4.24 p=0.000 95% [+0.3659, +0.9943]
}

func ExampleDescribe() {
	s := stats.Describe(smb)
	fmt.Printf("n=%d mean=%+.4f median=%+.4f sd=%.4f min=%+.4f max=%+.4f\n", s.N, s.Mean, s.Median, s.SD, s.Min, s.Max)
	fmt.Printf("skew=%+.3f excess kurtosis=%+.3f hit rate=%.3f t=%+.2f\n", s.Skewness, s.ExcessKurtosis, s.HitRate, s.TStat)
	fmt.Printf("5%% quantile %+.4f, 95%% quantile %+.4f (type 7)\n", stats.Quantile(0.05, smb), stats.Quantile(0.95, smb))
	// Output:
	// n=72 mean=-0.0016 median=-0.0027 sd=0.0299 min=-0.0596 max=+0.0750
	// skew=+0.472 excess kurtosis=-0.169 hit rate=0.431 t=-0.46
	// 5% quantile -0.0432, 95% quantile +0.0533 (type 7)
}
