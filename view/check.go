package view

import (
	"github.com/ratecycle/ratecycle/engine"
	"github.com/ratecycle/ratecycle/output"
	"github.com/ratecycle/ratecycle/thesis"
)

type proxyJSON struct {
	Proxy     string              `json:"proxy"`
	Verdict   string              `json:"verdict"`
	Reason    string              `json:"reason"`
	Value     output.Num          `json:"value"`
	N         int                 `json:"n"`
	Inference bool                `json:"inference"`
	P         output.Num          `json:"p"`
	Lo        output.Num          `json:"lo"`
	Hi        output.Num          `json:"hi"`
	Level     float64             `json:"level,omitempty"`
	Sources   []string            `json:"sources"`
	From      string              `json:"from"`
	To        string              `json:"to"`
	Detail    string              `json:"detail"`
	Nearest   *thesis.Alternative `json:"nearest,omitempty"`
}

type claimJSON struct {
	ID       string      `json:"id"`
	Text     string      `json:"text"`
	Type     string      `json:"type"`
	Check    string      `json:"check"`
	Expect   string      `json:"expect"`
	Verdict  string      `json:"verdict"`
	Reason   string      `json:"reason"`
	DateNote string      `json:"date_note,omitempty"`
	Error    string      `json:"error,omitempty"`
	Proxies  []proxyJSON `json:"proxies"`
}

// CheckJSON is the shape of `ratecycle check --format json` and POST /api/v1/check.
type CheckJSON struct {
	File   string         `json:"file"`
	Title  string         `json:"title"`
	Source string         `json:"source,omitempty"`
	Counts map[string]int `json:"counts"`
	Claims []claimJSON    `json:"claims"`
}

// Check converts the verdicts of a claims file.
func Check(res *engine.ThesisResult) CheckJSON {
	out := CheckJSON{File: res.File, Title: res.Title, Source: res.Source, Counts: res.Counts, Claims: []claimJSON{}}
	for _, c := range res.Results {
		cj := claimJSON{ID: c.ID, Text: c.Text, Type: c.Type, Check: c.Check, Expect: c.Expect, Verdict: c.Verdict, Reason: c.Reason,
			DateNote: c.DateNote, Error: c.Error, Proxies: []proxyJSON{}}
		for _, p := range c.Proxies {
			cj.Proxies = append(cj.Proxies, proxyJSON{Proxy: p.Proxy, Verdict: p.Verdict, Reason: p.Reason, Value: output.Num(p.Value), N: p.N,
				Inference: p.Inference, P: output.Num(p.P), Lo: output.Num(p.Lo), Hi: output.Num(p.Hi), Level: p.Level,
				Sources: p.Sources, From: p.From.String(), To: p.To.String(), Detail: p.Detail, Nearest: p.Nearest})
		}
		out.Claims = append(out.Claims, cj)
	}
	return out
}
