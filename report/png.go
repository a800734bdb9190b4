package report

import (
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/ratecycle/ratecycle/series"
)

var pngPalette = []color.RGBA{
	{0x1f, 0x5f, 0xbf, 0xff}, {0xd9, 0x82, 0x2b, 0xff}, {0x1a, 0x7f, 0x4b, 0xff}, {0xb3, 0x26, 0x1e, 0xff},
	{0x7a, 0x4c, 0xc2, 0xff}, {0x0f, 0x8b, 0x8d, 0xff}, {0x8c, 0x6d, 0x1f, 0xff}, {0xc2, 0x18, 0x5b, 0xff},
}

// WritePNGs draws every chart of the document as dir/<chart id>.png (static charts for
// slides and Markdown) and returns the file names.
func WritePNGs(d *Document, dir string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var files []string
	for _, s := range d.Sections {
		for _, c := range s.Charts {
			p, err := plotChart(c)
			if err != nil {
				return files, fmt.Errorf("chart %s: %w", c.ID, err)
			}
			name := filepath.Join(dir, c.ID+".png")
			if err := p.Save(10*vg.Inch, 4.2*vg.Inch, name); err != nil {
				return files, fmt.Errorf("chart %s: %w", c.ID, err)
			}
			files = append(files, name)
		}
	}
	return files, nil
}

func plotChart(c Chart) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = c.Title
	p.Y.Label.Text = c.YLabel
	p.Legend.Top = true
	p.Legend.Left = true
	p.Legend.YOffs = -vg.Points(6)
	p.Legend.XOffs = vg.Points(8)
	p.Title.Padding = vg.Points(8)
	scale := 1.0
	if c.YPct {
		scale = 100
		if c.YLabel == "" {
			p.Y.Label.Text = "percent"
		}
	}
	xs := make([]float64, len(c.X))
	if c.Kind == "time" {
		for i, s := range c.X {
			d, err := series.ParseDate(s)
			if err != nil {
				return nil, err
			}
			xs[i] = float64(d)
		}
		p.X.Tick.Marker = yearTicks{}
	} else {
		for i := range xs {
			xs[i] = float64(i)
		}
		p.NominalX(c.X...)
	}
	// Shades first so lines draw over them.
	if len(c.Shades) > 0 {
		lo, hi := yRange(c)
		for _, sh := range c.Shades {
			a, err1 := series.ParseDate(sh.From)
			b, err2 := series.ParseDate(sh.To)
			if err1 != nil || err2 != nil {
				continue
			}
			if b == a {
				b = a + 7
			}
			poly, err := plotter.NewPolygon(plotter.XYs{{X: float64(a), Y: lo * scale}, {X: float64(b), Y: lo * scale},
				{X: float64(b), Y: hi * scale}, {X: float64(a), Y: hi * scale}})
			if err != nil {
				return nil, err
			}
			poly.Color = color.NRGBA{R: 0x1f, G: 0x5f, B: 0xbf, A: 0x2a}
			poly.LineStyle.Width = 0
			p.Add(poly)
		}
	}
	nbars := 0
	for _, s := range c.Series {
		if s.Type == "bar" {
			nbars++
		}
	}
	bar := 0
	for i, s := range c.Series {
		col := pngPalette[i%len(pngPalette)]
		switch s.Type {
		case "bar":
			vals := make(plotter.Values, len(s.Y))
			for j, v := range s.Y {
				if math.IsNaN(v) {
					v = 0
				}
				vals[j] = v * scale
			}
			w := vg.Points(math.Max(4, 36/float64(max(nbars, 1))))
			b, err := plotter.NewBarChart(vals, w)
			if err != nil {
				return nil, err
			}
			b.Color = col
			b.LineStyle.Width = 0
			b.Offset = w * vg.Length(float64(bar)-float64(nbars-1)/2)
			bar++
			p.Add(b)
			p.Legend.Add(s.Name, b)
		case "band":
			var pts plotter.XYs
			for j := range xs {
				if !math.IsNaN(s.Lower[j]) && !math.IsNaN(s.Upper[j]) {
					pts = append(pts, plotter.XY{X: xs[j], Y: s.Upper[j] * scale})
				}
			}
			for j := len(xs) - 1; j >= 0; j-- {
				if !math.IsNaN(s.Lower[j]) && !math.IsNaN(s.Upper[j]) {
					pts = append(pts, plotter.XY{X: xs[j], Y: s.Lower[j] * scale})
				}
			}
			if len(pts) < 3 {
				continue
			}
			poly, err := plotter.NewPolygon(pts)
			if err != nil {
				return nil, err
			}
			poly.Color = color.NRGBA{R: col.R, G: col.G, B: col.B, A: 0x48}
			poly.LineStyle.Width = 0
			p.Add(poly)
			p.Legend.Add(s.Name, poly)
		default:
			// Split at gaps so NaN never draws a line across missing data.
			var seg plotter.XYs
			var lines []plotter.XYs
			for j := range xs {
				if j >= len(s.Y) || math.IsNaN(s.Y[j]) {
					if len(seg) > 0 {
						lines = append(lines, seg)
						seg = nil
					}
					continue
				}
				seg = append(seg, plotter.XY{X: xs[j], Y: s.Y[j] * scale})
			}
			if len(seg) > 0 {
				lines = append(lines, seg)
			}
			for k, pts := range lines {
				if s.Type == "scatter" {
					sc, err := plotter.NewScatter(pts)
					if err != nil {
						return nil, err
					}
					sc.GlyphStyle.Color = col
					sc.GlyphStyle.Shape = draw.CircleGlyph{}
					p.Add(sc)
					if k == 0 {
						p.Legend.Add(s.Name, sc)
					}
					continue
				}
				l, err := plotter.NewLine(pts)
				if err != nil {
					return nil, err
				}
				l.Color = col
				l.Width = vg.Points(1.2)
				if s.Type == "step" {
					l.StepStyle = plotter.PostStep
				}
				p.Add(l)
				if k == 0 {
					p.Legend.Add(s.Name, l)
				}
			}
		}
	}
	p.Add(plotter.NewGrid())
	return p, nil
}

func yRange(c Chart) (float64, float64) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range c.Series {
		for _, arr := range [][]float64{s.Y, s.Lower, s.Upper} {
			for _, v := range arr {
				if !math.IsNaN(v) {
					lo, hi = math.Min(lo, v), math.Max(hi, v)
				}
			}
		}
	}
	if math.IsInf(lo, 0) {
		return 0, 1
	}
	if lo > 0 {
		lo = 0
	}
	return lo, hi
}

// yearTicks labels a day-number axis with years.
type yearTicks struct{}

func (yearTicks) Ticks(min, max float64) []plot.Tick {
	a, b := series.Date(min), series.Date(max)
	span := b.Year() - a.Year()
	step := 1
	for _, s := range []int{1, 2, 5, 10, 20, 25, 50} {
		step = s
		if span/s <= 12 {
			break
		}
	}
	var ticks []plot.Tick
	for y := (a.Year()/step + 1) * step; y <= b.Year(); y += step {
		d := series.NewDate(y, 1, 1)
		ticks = append(ticks, plot.Tick{Value: float64(d), Label: fmt.Sprint(y)})
	}
	return ticks
}
