package stats

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat/distuv"
)

// Design returns the n×k design matrix whose columns are, in order, a column of ones when
// constant is true, then cols. It copies the data. Columns of different lengths, or no
// column at all, are a programming error and make Design panic.
func Design(constant bool, cols ...[]float64) *mat.Dense {
	k := len(cols)
	if constant {
		k++
	}
	if k == 0 {
		panic("stats: Design: no columns")
	}
	n := -1
	for j, c := range cols {
		if n >= 0 && len(c) != n {
			panic(fmt.Sprintf("stats: Design: column %d has length %d, column 0 has %d", j, len(c), n))
		}
		n = len(c)
	}
	if n < 0 {
		panic("stats: Design: a constant alone needs a length; pass a column")
	}
	if n == 0 {
		panic("stats: Design: columns are empty")
	}
	x := mat.NewDense(n, k, nil)
	for i := range n {
		row := x.RawRowView(i)
		j := 0
		if constant {
			row[0] = 1
			j = 1
		}
		for _, c := range cols {
			row[j] = c[i]
			j++
		}
	}
	return x
}

// Fit is an ordinary least squares fit of y on the columns of a design matrix X, as
// statsmodels' OLS(y, X).fit(). Covariances and inference come from its methods Nonrobust
// and HAC. A Fit is immutable after OLS returns it and safe for concurrent use.
type Fit struct {
	Params []float64 // b = argmin ||y - Xb||², in the column order of X
	Resid  []float64 // u = y - Xb
	NObs   int       // n, number of observations (rows of X)
	K      int       // k, number of parameters (columns of X)

	// DFResid is n - k, the residual degrees of freedom (statsmodels' df_resid).
	DFResid int
	// HasConstant reports whether the column space of X contains the constant vector,
	// either as an explicit column of ones or implicitly (one dummy per regime).
	// It decides between the centred and the uncentred R², as statsmodels' k_constant.
	HasConstant bool
	// RSquared is 1 - SSR/TSS with TSS = Σ(y - ȳ)² when HasConstant, Σy² otherwise.
	RSquared float64
	// RSquaredAdj is 1 - (n - c)/(n - k)·(1 - R²), c = 1 if HasConstant else 0.
	RSquaredAdj float64
	SSR         float64 // Σu², the sum of squared residuals
	Sigma2      float64 // SSR / (n - k), statsmodels' scale; √Sigma2 is R's residual standard error

	x      *mat.Dense    // the design, owned by the fit
	xtxInv *mat.SymDense // (X'X)⁻¹ = R⁻¹R⁻ᵀ from X = QR
}

// OLS fits y = Xb + u by least squares through a Householder QR decomposition of X
// (b = R⁻¹Qᵀy, (X'X)⁻¹ = R⁻¹R⁻ᵀ), which keeps the precision of ill-scaled designs that
// the normal equations would lose. X is not modified; add a constant with Design.
//
// len(y) must equal the number of rows of X (OLS panics otherwise). A NaN or infinite
// value in y or X is an error wrapping ErrMissing (drop incomplete rows before calling:
// for time series the choice matters to HAC lags, so OLS does not make it silently);
// n <= k wraps ErrTooFew; a column that is, to a relative 1e-10 of its norm, a linear
// combination of the columns before it wraps ErrSingular.
func OLS(y []float64, x mat.Matrix) (*Fit, error) {
	n, k := x.Dims()
	if n != len(y) {
		panic(fmt.Sprintf("stats: OLS: len(y) = %d but the design has %d rows", len(y), n))
	}
	for i, v := range y {
		if !isFinite(v) {
			return nil, fmt.Errorf("stats: OLS: y[%d] is %v: %w", i, v, ErrMissing)
		}
	}
	xd := mat.DenseCopyOf(x)
	for i := range n {
		for j, v := range xd.RawRowView(i) {
			if !isFinite(v) {
				return nil, fmt.Errorf("stats: OLS: X[%d, %d] is %v: %w", i, j, v, ErrMissing)
			}
		}
	}
	if n <= k {
		return nil, fmt.Errorf("stats: OLS: %d observations for %d parameters: %w", n, k, ErrTooFew)
	}

	var qr mat.QR
	qr.Factorize(xd)
	var r mat.Dense
	qr.RTo(&r)
	for j := range k {
		norm := mat.Norm(xd.ColView(j), 2)
		if norm == 0 || math.Abs(r.At(j, j)) <= 1e-10*norm {
			return nil, fmt.Errorf("stats: OLS: column %d is a linear combination of the columns before it: %w", j, ErrSingular)
		}
	}
	var b mat.VecDense
	if err := qr.SolveVecTo(&b, false, mat.NewVecDense(n, append([]float64(nil), y...))); err != nil {
		return nil, fmt.Errorf("stats: OLS: %v: %w", err, ErrSingular)
	}

	// R⁻¹ by back substitution (k is small), then (X'X)⁻¹ = R⁻¹R⁻ᵀ.
	rinv := make([]float64, k*k)
	for c := range k {
		for i := c; i >= 0; i-- {
			s := 0.0
			if i == c {
				s = 1
			}
			for m := i + 1; m <= c; m++ {
				s -= r.At(i, m) * rinv[m*k+c]
			}
			rinv[i*k+c] = s / r.At(i, i)
		}
	}
	xtxInv := mat.NewSymDense(k, nil)
	for i := range k {
		for j := i; j < k; j++ {
			s := 0.0
			for m := j; m < k; m++ {
				s += rinv[i*k+m] * rinv[j*k+m]
			}
			xtxInv.SetSym(i, j, s)
		}
	}

	f := &Fit{
		Params:  make([]float64, k),
		Resid:   make([]float64, n),
		NObs:    n,
		K:       k,
		DFResid: n - k,
		x:       xd,
		xtxInv:  xtxInv,
	}
	for j := range k {
		f.Params[j] = b.AtVec(j)
	}
	for i := range n {
		f.Resid[i] = y[i] - dot(xd.RawRowView(i), f.Params)
		f.SSR += f.Resid[i] * f.Resid[i]
	}
	f.Sigma2 = f.SSR / float64(n-k)
	f.HasConstant = spansConstant(xd, xtxInv)

	var tss float64
	if f.HasConstant {
		ybar := Mean(y)
		for _, v := range y {
			tss += (v - ybar) * (v - ybar)
		}
	} else {
		for _, v := range y {
			tss += v * v
		}
	}
	f.RSquared = 1 - f.SSR/tss
	c := 0.0
	if f.HasConstant {
		c = 1
	}
	f.RSquaredAdj = 1 - (float64(n)-c)/float64(n-k)*(1-f.RSquared)
	return f, nil
}

// spansConstant reports whether the vector of ones lies in the column space of x: the
// residual of regressing it on x is zero to a relative 1e-8.
func spansConstant(x *mat.Dense, xtxInv *mat.SymDense) bool {
	n, k := x.Dims()
	xt1 := make([]float64, k)
	for i := range n {
		for j, v := range x.RawRowView(i) {
			xt1[j] += v
		}
	}
	coef := make([]float64, k)
	for i := range k {
		for j := range k {
			coef[i] += xtxInv.At(i, j) * xt1[j]
		}
	}
	ss := 0.0
	for i := range n {
		e := 1 - dot(x.RawRowView(i), coef)
		ss += e * e
	}
	return math.Sqrt(ss) <= 1e-8*math.Sqrt(float64(n))
}

// XTXInv returns a copy of (X'X)⁻¹, statsmodels' normalized_cov_params.
func (f *Fit) XTXInv() *mat.SymDense {
	return mat.NewSymDense(f.K, append([]float64(nil), f.xtxInv.RawSymmetric().Data...))
}

// Nonrobust returns the classical covariance σ̂²(X'X)⁻¹ with σ̂² = SSR/(n - k), and
// inference from Student's t with n - k degrees of freedom: statsmodels' default
// OLS(y, X).fit() (cov_type='nonrobust', use_t=True), R's summary.lm.
func (f *Fit) Nonrobust() *Inference {
	cov := mat.NewSymDense(f.K, nil)
	for i := range f.K {
		for j := i; j < f.K; j++ {
			cov.SetSym(i, j, f.Sigma2*f.xtxInv.At(i, j))
		}
	}
	return newInference("nonrobust", f.Params, cov, f.DFResid)
}

// HAC returns the Newey-West heteroskedasticity and autocorrelation consistent covariance
// with the Bartlett kernel, exactly as statsmodels 0.13
// OLS(y, X).fit(cov_type='HAC', cov_kwds={'maxlags': L, 'use_correction': correction})
// and R sandwich::NeweyWest(fit, lag = L, prewhite = FALSE, adjust = correction):
//
//	g_t  = x_t u_t                                  (score of observation t)
//	Γ_j  = Σ_{t=j+1..n} g_t g_{t-j}'
//	S    = Γ_0 + Σ_{j=1..L} w_j (Γ_j + Γ_j'),  w_j = 1 - j/(L+1)
//	V    = (X'X)⁻¹ S (X'X)⁻¹                     (no 1/n or 1/(n-k) factor)
//	V   *= n/(n-k)                               only when correction is true
//
// statsmodels' default is correction = false; L = 0 gives White's HC0 (HC1 with the
// correction). Like statsmodels (use_t=False for robust covariances), p-values and
// confidence intervals use the standard normal distribution; Inference.WithDF switches
// to Student's t. When the user gives no lag, callers pass NeweyWestLags(n).
// A negative maxlags panics.
func (f *Fit) HAC(maxlags int, correction bool) *Inference {
	if maxlags < 0 {
		panic(fmt.Sprintf("stats: HAC: maxlags = %d < 0", maxlags))
	}
	n, k := f.NObs, f.K
	g := make([]float64, n*k)
	for t := range n {
		u := f.Resid[t]
		for j, v := range f.x.RawRowView(t) {
			g[t*k+j] = v * u
		}
	}
	s := make([]float64, k*k)
	gam := make([]float64, k*k)
	for lag := 0; lag <= min(maxlags, n-1); lag++ {
		clear(gam)
		for t := lag; t < n; t++ {
			gt, gl := g[t*k:t*k+k], g[(t-lag)*k:(t-lag)*k+k]
			for a, ga := range gt {
				row := gam[a*k : a*k+k]
				for c, gc := range gl {
					row[c] += ga * gc
				}
			}
		}
		if lag == 0 {
			copy(s, gam)
			continue
		}
		w := 1 - float64(lag)/float64(maxlags+1)
		for a := range k {
			for c := range k {
				s[a*k+c] += w * (gam[a*k+c] + gam[c*k+a])
			}
		}
	}
	scale := 1.0
	if correction {
		scale = float64(n) / float64(n-k)
	}
	cov := sandwich(f.xtxInv, s, scale)
	method := fmt.Sprintf("HAC (Newey-West, Bartlett kernel, maxlags=%d, no small-sample correction; normal p-values)", maxlags)
	if correction {
		method = fmt.Sprintf("HAC (Newey-West, Bartlett kernel, maxlags=%d, small-sample correction n/(n-k); normal p-values)", maxlags)
	}
	in := newInference(method, f.Params, cov, 0)
	return in
}

// sandwich returns scale·B S B for symmetric B and S (S row-major k×k).
func sandwich(b *mat.SymDense, s []float64, scale float64) *mat.SymDense {
	k := b.SymmetricDim()
	bs := make([]float64, k*k)
	for i := range k {
		for j := range k {
			v := 0.0
			for m := range k {
				v += b.At(i, m) * s[m*k+j]
			}
			bs[i*k+j] = v
		}
	}
	cov := mat.NewSymDense(k, nil)
	for i := range k {
		for j := i; j < k; j++ {
			v := 0.0
			for m := range k {
				v += bs[i*k+m] * b.At(m, j)
			}
			cov.SetSym(i, j, scale*v)
		}
	}
	return cov
}

// Inference is a coefficient vector with a covariance matrix and the standard errors,
// t statistics and two-sided p-values that follow from them.
type Inference struct {
	// Method names the covariance and its options, for output ("nonrobust", "HAC (...)").
	Method string
	Params []float64     // the estimates
	Cov    *mat.SymDense // their covariance matrix
	SE     []float64     // √diag(Cov)
	T      []float64     // Params / SE
	P      []float64     // two-sided p-values of T under the reference distribution
	// DF selects the reference distribution of T: 0 means the standard normal (statsmodels'
	// use_t=False, its default for HAC), DF > 0 Student's t with DF degrees of freedom.
	DF int
}

func newInference(method string, params []float64, cov *mat.SymDense, df int) *Inference {
	k := len(params)
	in := &Inference{
		Method: method,
		Params: append([]float64(nil), params...),
		Cov:    cov,
		SE:     make([]float64, k),
		T:      make([]float64, k),
		P:      make([]float64, k),
		DF:     df,
	}
	for j := range k {
		in.SE[j] = math.Sqrt(cov.At(j, j))
		in.T[j] = params[j] / in.SE[j]
		in.P[j] = TwoSidedP(in.T[j], df)
	}
	return in
}

// WithDF returns a copy of in whose p-values (and confidence intervals) use Student's t
// with df degrees of freedom, or the standard normal when df <= 0. The covariance is
// unchanged. fit.HAC(L, c).WithDF(fit.DFResid) is statsmodels' HAC fit with use_t=True.
func (in *Inference) WithDF(df int) *Inference {
	if df < 0 {
		df = 0
	}
	return newInference(in.Method, in.Params, in.Cov, df)
}

// ConfInt returns the two-sided confidence interval at level (e.g. 0.95) for each
// parameter: Params ∓ q·SE with q the (1+level)/2 quantile of the reference distribution
// (normal when DF = 0, Student's t(DF) otherwise), as statsmodels' conf_int(alpha=1-level).
// A level outside (0, 1) panics.
func (in *Inference) ConfInt(level float64) (lo, hi []float64) {
	q := criticalValue(level, in.DF)
	lo = make([]float64, len(in.Params))
	hi = make([]float64, len(in.Params))
	for j, b := range in.Params {
		lo[j] = b - q*in.SE[j]
		hi[j] = b + q*in.SE[j]
	}
	return lo, hi
}

// Contrast is a test of one linear combination of parameters, H0: r'b = q.
type Contrast struct {
	Estimate float64 // r'b - q
	SE       float64 // √(r' Cov r)
	T        float64 // Estimate / SE
	P        float64 // two-sided p-value of T under the reference distribution
	DF       int     // 0: standard normal; > 0: Student's t(DF)
}

// Contrast tests H0: r'b = q with the covariance and the reference distribution of in, as
// statsmodels' results.t_test((r, q)). len(r) must equal len(Params); Contrast panics otherwise.
func (in *Inference) Contrast(r []float64, q float64) Contrast {
	if len(r) != len(in.Params) {
		panic(fmt.Sprintf("stats: Contrast: len(r) = %d for %d parameters", len(r), len(in.Params)))
	}
	est := dot(r, in.Params) - q
	v := 0.0
	for i, ri := range r {
		for j, rj := range r {
			v += ri * in.Cov.At(i, j) * rj
		}
	}
	se := math.Sqrt(v)
	t := est / se
	return Contrast{Estimate: est, SE: se, T: t, P: TwoSidedP(t, in.DF), DF: in.DF}
}

// ConfInt returns the two-sided confidence interval at level for the contrast,
// Estimate ∓ q·SE, as Inference.ConfInt.
func (c Contrast) ConfInt(level float64) (lo, hi float64) {
	q := criticalValue(level, c.DF)
	return c.Estimate - q*c.SE, c.Estimate + q*c.SE
}

// TwoSidedP returns P(|Z| >= |t|): with df <= 0 for Z standard normal, erfc(|t|/√2);
// with df > 0 for Z Student's t(df), the regularized incomplete beta I_{df/(df+t²)}(df/2, 1/2)
// (computed as 1 - I_{t²/(df+t²)}(1/2, df/2) when p > 1/2, where that form is the accurate one).
// It returns NaN for a NaN t.
func TwoSidedP(t float64, df int) float64 {
	if math.IsNaN(t) {
		return math.NaN()
	}
	if df <= 0 {
		return math.Erfc(math.Abs(t) / math.Sqrt2)
	}
	nu, t2 := float64(df), t*t
	// I_x(a, b) = 1 - I_{1-x}(b, a). For p near 1 (x = nu/(nu+t²) near 1) the direct form
	// loses digits (2e-10 at p = 0.9999 with gonum's RegIncBeta); 1 minus the complement
	// keeps them. For small p the direct form is the accurate one.
	if c := mathext.RegIncBeta(0.5, nu/2, t2/(nu+t2)); c < 0.5 {
		return 1 - c
	}
	return mathext.RegIncBeta(nu/2, 0.5, nu/(nu+t2))
}

// criticalValue returns the (1+level)/2 quantile of N(0,1) (df <= 0) or t(df).
func criticalValue(level float64, df int) float64 {
	if !(level > 0 && level < 1) {
		panic(fmt.Sprintf("stats: confidence level %v outside (0, 1)", level))
	}
	p := 0.5 + level/2
	if df <= 0 {
		return distuv.UnitNormal.Quantile(p)
	}
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}.Quantile(p)
}

// NeweyWestLags returns the rule-of-thumb HAC lag for n observations,
// floor(4·(n/100)^(2/9)) (Newey and West 1994; the value statsmodels users commonly pass
// as maxlags, and what hac_ols.json records as auto_lag). It is 4 for n = 100, 5 for
// n = 300, 6 for n = 1000, and 0 for n <= 0.
func NeweyWestLags(n int) int {
	if n <= 0 {
		return 0
	}
	return int(math.Floor(4 * math.Pow(float64(n)/100, 2.0/9.0)))
}

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func dot(a, b []float64) float64 {
	s := 0.0
	for i, v := range a {
		s += v * b[i]
	}
	return s
}
