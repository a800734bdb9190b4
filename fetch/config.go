package fetch

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
	"golang.org/x/time/rate"
)

// URLs are the providers' base URLs: scheme, host and an optional path prefix.
// Every one can be pointed at a mirror, a proxy or a local test server.
type URLs struct {
	FRED    string `yaml:"fred"`     // https://fred.stlouisfed.org (+ /graph/fredgraph.csv?id=DFF)
	FREDAPI string `yaml:"fred_api"` // https://api.stlouisfed.org (+ /fred/series/observations?...)
	French  string `yaml:"french"`   // .../ken.french/ftp (+ /F-F_Research_Data_Factors_daily_CSV.zip)
	Stooq   string `yaml:"stooq"`    // https://stooq.com (+ /q/d/l/?s=iwm.us&i=d)
	Yahoo   string `yaml:"yahoo"`    // https://query1.finance.yahoo.com (+ /v8/finance/chart/IWM?...)
	SEC     string `yaml:"sec"`      // https://www.sec.gov (+ /files/company_tickers.json)
	SECData string `yaml:"sec_data"` // https://data.sec.gov (+ /api/xbrl/...)
	IShares string `yaml:"ishares"`  // https://www.ishares.com (+ /us/products/239710/...)
}

// DefaultURLs are the live providers.
var DefaultURLs = URLs{
	FRED:    "https://fred.stlouisfed.org",
	FREDAPI: "https://api.stlouisfed.org",
	French:  "https://mba.tuck.dartmouth.edu/pages/faculty/ken.french/ftp",
	Stooq:   "https://stooq.com",
	Yahoo:   "https://query1.finance.yahoo.com",
	SEC:     "https://www.sec.gov",
	SECData: "https://data.sec.gov",
	IShares: "https://www.ishares.com",
}

// HTTP tunes the client (see Client for what each does).
type HTTP struct {
	Timeout       time.Duration `yaml:"timeout"`
	Attempts      int           `yaml:"attempts"`
	BaseDelay     time.Duration `yaml:"base_delay"`
	MaxDelay      time.Duration `yaml:"max_delay"`
	MaxRetryAfter time.Duration `yaml:"max_retry_after"`
	// Rate is the default request rate per host (per second).
	Rate float64 `yaml:"rate"`
	// SECRate is SEC EDGAR's request rate (at most 10 per second by SEC's fair-access
	// policy; values above 10 are lowered to 10).
	SECRate float64 `yaml:"sec_rate"`
}

// Config is what an update needs to know beyond the command line.
type Config struct {
	URLs URLs `yaml:"urls"`
	HTTP HTTP `yaml:"http"`
	// SECUserAgent is sent to SEC EDGAR, which requires a name and a contact address:
	// "Jane Doe jane@example.com".
	SECUserAgent string `yaml:"sec_user_agent"`
	// FREDAPIKey switches FRED downloads from the keyless fredgraph CSV to the JSON API.
	FREDAPIKey string `yaml:"fred_api_key"`
	// IShares maps a fund ticker to its iShares product page, the number (and
	// optionally the slug) in its URL: "239774" or "239774/ishares-core-sp-smallcap-etf"
	// for www.ishares.com/us/products/239774/ishares-core-sp-smallcap-etf. IWM and IVV
	// are built in.
	IShares map[string]string `yaml:"ishares_products"`
	// File is where the configuration was read from ("" when no file was found).
	File string `yaml:"-"`
}

// DefaultConfig returns the built-in configuration.
func DefaultConfig() Config {
	return Config{URLs: DefaultURLs, HTTP: HTTP{Timeout: 60 * time.Second, Attempts: 4, BaseDelay: time.Second,
		MaxDelay: 30 * time.Second, MaxRetryAfter: 5 * time.Minute, Rate: 5, SECRate: 10}}
}

// ConfigPath returns the configuration file's path: $RATECYCLE_CONFIG when set,
// otherwise config.yaml in the ratecycle data directory (home).
func ConfigPath(home string, getenv func(string) string) string {
	if p := getenv("RATECYCLE_CONFIG"); p != "" {
		return p
	}
	return filepath.Join(home, "config.yaml")
}

// envURLs names the environment variable that overrides each base URL.
var envURLs = []struct {
	name string
	dst  func(*URLs) *string
}{
	{"RATECYCLE_FRED_URL", func(u *URLs) *string { return &u.FRED }},
	{"RATECYCLE_FRED_API_URL", func(u *URLs) *string { return &u.FREDAPI }},
	{"RATECYCLE_FRENCH_URL", func(u *URLs) *string { return &u.French }},
	{"RATECYCLE_STOOQ_URL", func(u *URLs) *string { return &u.Stooq }},
	{"RATECYCLE_YAHOO_URL", func(u *URLs) *string { return &u.Yahoo }},
	{"RATECYCLE_SEC_URL", func(u *URLs) *string { return &u.SEC }},
	{"RATECYCLE_SEC_DATA_URL", func(u *URLs) *string { return &u.SECData }},
	{"RATECYCLE_ISHARES_URL", func(u *URLs) *string { return &u.IShares }},
}

// LoadConfig builds the configuration in three layers, later ones winning: the
// defaults, the YAML file at ConfigPath (optional; unknown keys are an error), and
// the environment: RATECYCLE_<PROVIDER>_URL for each base URL,
// RATECYCLE_SEC_USER_AGENT, FRED_API_KEY, RATECYCLE_HTTP_TIMEOUT (a Go duration),
// RATECYCLE_HTTP_ATTEMPTS, RATECYCLE_HTTP_BASE_DELAY and RATECYCLE_HTTP_RATE. getenv is os.Getenv in
// the program.
func LoadConfig(home string, getenv func(string) string) (Config, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	cfg := DefaultConfig()
	p := ConfigPath(home, getenv)
	b, err := os.ReadFile(p)
	switch {
	case err == nil:
		var file Config
		dec := yaml.NewDecoder(bytes.NewReader(b))
		dec.KnownFields(true)
		if err := dec.Decode(&file); err != nil && !errors.Is(err, io.EOF) {
			return cfg, fmt.Errorf("config %s: %w", p, err)
		}
		merge(&cfg, file)
		cfg.File = p
	case errors.Is(err, os.ErrNotExist) && getenv("RATECYCLE_CONFIG") == "":
	default:
		return cfg, fmt.Errorf("config: %w", err)
	}
	for _, e := range envURLs {
		if v := getenv(e.name); v != "" {
			*e.dst(&cfg.URLs) = v
		}
	}
	if v := getenv("RATECYCLE_SEC_USER_AGENT"); v != "" {
		cfg.SECUserAgent = v
	}
	if v := getenv("FRED_API_KEY"); v != "" {
		cfg.FREDAPIKey = v
	}
	if v := getenv("RATECYCLE_HTTP_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return cfg, fmt.Errorf("RATECYCLE_HTTP_TIMEOUT=%q: want a duration such as 30s", v)
		}
		cfg.HTTP.Timeout = d
	}
	if v := getenv("RATECYCLE_HTTP_BASE_DELAY"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return cfg, fmt.Errorf("RATECYCLE_HTTP_BASE_DELAY=%q: want a duration such as 1s", v)
		}
		cfg.HTTP.BaseDelay = d
	}
	if v := getenv("RATECYCLE_HTTP_RATE"); v != "" {
		r, err := strconv.ParseFloat(v, 64)
		if err != nil || r <= 0 {
			return cfg, fmt.Errorf("RATECYCLE_HTTP_RATE=%q: want requests per second, such as 5", v)
		}
		cfg.HTTP.Rate = r
	}
	if v := getenv("RATECYCLE_HTTP_ATTEMPTS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return cfg, fmt.Errorf("RATECYCLE_HTTP_ATTEMPTS=%q: want a whole number of at least 1", v)
		}
		cfg.HTTP.Attempts = n
	}
	return cfg, cfg.validate()
}

func merge(dst *Config, f Config) {
	set := func(d *string, v string) {
		if v != "" {
			*d = v
		}
	}
	set(&dst.URLs.FRED, f.URLs.FRED)
	set(&dst.URLs.FREDAPI, f.URLs.FREDAPI)
	set(&dst.URLs.French, f.URLs.French)
	set(&dst.URLs.Stooq, f.URLs.Stooq)
	set(&dst.URLs.Yahoo, f.URLs.Yahoo)
	set(&dst.URLs.SEC, f.URLs.SEC)
	set(&dst.URLs.SECData, f.URLs.SECData)
	set(&dst.URLs.IShares, f.URLs.IShares)
	set(&dst.SECUserAgent, f.SECUserAgent)
	set(&dst.FREDAPIKey, f.FREDAPIKey)
	if f.HTTP.Timeout > 0 {
		dst.HTTP.Timeout = f.HTTP.Timeout
	}
	if f.HTTP.Attempts > 0 {
		dst.HTTP.Attempts = f.HTTP.Attempts
	}
	if f.HTTP.BaseDelay > 0 {
		dst.HTTP.BaseDelay = f.HTTP.BaseDelay
	}
	if f.HTTP.MaxDelay > 0 {
		dst.HTTP.MaxDelay = f.HTTP.MaxDelay
	}
	if f.HTTP.MaxRetryAfter > 0 {
		dst.HTTP.MaxRetryAfter = f.HTTP.MaxRetryAfter
	}
	if f.HTTP.Rate > 0 {
		dst.HTTP.Rate = f.HTTP.Rate
	}
	if f.HTTP.SECRate > 0 {
		dst.HTTP.SECRate = f.HTTP.SECRate
	}
	if len(f.IShares) > 0 {
		dst.IShares = f.IShares
	}
}

func (c *Config) validate() error {
	for _, u := range []struct{ name, v string }{{"fred", c.URLs.FRED}, {"fred_api", c.URLs.FREDAPI}, {"french", c.URLs.French},
		{"stooq", c.URLs.Stooq}, {"yahoo", c.URLs.Yahoo}, {"sec", c.URLs.SEC}, {"sec_data", c.URLs.SECData}, {"ishares", c.URLs.IShares}} {
		p, err := url.Parse(u.v)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			return fmt.Errorf("config: %s base URL %q: want http(s)://host[/path]", u.name, u.v)
		}
	}
	if c.HTTP.SECRate > 10 {
		c.HTTP.SECRate = 10
	}
	return nil
}

var contactRE = regexp.MustCompile(`[^@\s]+@[^@\s]+\.[^@\s]+`)

// CheckSECUserAgent reports whether the configured SEC User-Agent names a contact
// address, which SEC requires of automated clients.
func (c *Config) CheckSECUserAgent() error {
	ua := strings.TrimSpace(c.SECUserAgent)
	where := "set RATECYCLE_SEC_USER_AGENT=\"Your Name you@example.com\" or sec_user_agent in the config file"
	if c.File != "" {
		where += " (" + c.File + ")"
	}
	if ua == "" {
		return fmt.Errorf("%w: %s", ErrNoUserAgent, where)
	}
	if !contactRE.MatchString(ua) {
		return fmt.Errorf("%w: %q has no e-mail address; %s", ErrNoUserAgent, ua, where)
	}
	return nil
}

// join appends a path and query to a base URL, keeping the base's own path prefix.
func join(base, pathAndQuery string) string {
	return strings.TrimRight(base, "/") + pathAndQuery
}

// NewClient returns a client configured from c.HTTP.
func (c Config) NewClient() *Client {
	cl := NewClient()
	cl.AttemptTimeout = c.HTTP.Timeout
	cl.Attempts = c.HTTP.Attempts
	cl.BaseDelay = c.HTTP.BaseDelay
	cl.MaxDelay = c.HTTP.MaxDelay
	cl.MaxRetryAfter = c.HTTP.MaxRetryAfter
	if c.HTTP.Rate > 0 {
		cl.DefaultLimit = rate.Limit(c.HTTP.Rate)
	}
	return cl
}
