package backtest

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
)

// Expr is a number or an arithmetic expression over the strategy's parameters, as
// written in the strategy file: 0.5, tilt, "1 - tilt", "tilt / 2", "(1 - tilt) * 0.5".
// Grammar: sums and differences of products and quotients of numbers, parameter
// names, parenthesised expressions and unary minus. It is compiled once when the file
// is read and evaluated for each trial.
type Expr struct {
	Src  string
	Line int
	code []op // postfix
}

type op struct {
	kind  byte // 'n' number, 'p' parameter, '+', '-', '*', '/', '~' (negate)
	num   float64
	param int
}

// Const reports whether e has no parameter, and its value.
func (e Expr) Const() (float64, bool) {
	for _, o := range e.code {
		if o.kind == 'p' {
			return 0, false
		}
	}
	return e.Eval(nil), true
}

// IsZero reports whether the expression is unset.
func (e Expr) IsZero() bool { return len(e.code) == 0 }

// Params lists the indices of the parameters e reads.
func (e Expr) Params() []int {
	var out []int
	for _, o := range e.code {
		if o.kind == 'p' {
			out = append(out, o.param)
		}
	}
	return out
}

// Eval evaluates e with params[i] the value of parameter i. An unset Expr is 0.
func (e Expr) Eval(params []float64) float64 {
	var stack [16]float64
	sp := 0
	for _, o := range e.code {
		switch o.kind {
		case 'n':
			stack[sp] = o.num
			sp++
		case 'p':
			stack[sp] = params[o.param]
			sp++
		case '~':
			stack[sp-1] = -stack[sp-1]
		default:
			a, b := stack[sp-2], stack[sp-1]
			sp--
			switch o.kind {
			case '+':
				stack[sp-1] = a + b
			case '-':
				stack[sp-1] = a - b
			case '*':
				stack[sp-1] = a * b
			case '/':
				stack[sp-1] = a / b
			}
		}
	}
	if sp == 0 {
		return 0
	}
	return stack[0]
}

// parseExpr compiles src; lookup maps a parameter name to its index.
func parseExpr(src string, line int, lookup func(string) (int, bool)) (Expr, error) {
	p := &exprParser{src: src, lookup: lookup}
	p.next()
	if err := p.sum(); err != nil {
		return Expr{}, fmt.Errorf("expression %q: %w", src, err)
	}
	if p.tok != "" {
		return Expr{}, fmt.Errorf("expression %q: unexpected %q", src, p.tok)
	}
	depth, maxDepth := 0, 0
	for _, o := range p.code {
		switch o.kind {
		case 'n', 'p':
			depth++
		case '+', '-', '*', '/':
			depth--
		}
		maxDepth = max(maxDepth, depth)
	}
	if maxDepth > 16 {
		return Expr{}, fmt.Errorf("expression %q is too deeply nested", src)
	}
	return Expr{Src: src, Line: line, code: p.code}, nil
}

type exprParser struct {
	src    string
	pos    int
	tok    string
	code   []op
	lookup func(string) (int, bool)
}

func (p *exprParser) next() {
	for p.pos < len(p.src) && p.src[p.pos] == ' ' {
		p.pos++
	}
	if p.pos >= len(p.src) {
		p.tok = ""
		return
	}
	c := rune(p.src[p.pos])
	start := p.pos
	switch {
	case strings.ContainsRune("+-*/()", c):
		p.pos++
	case unicode.IsDigit(c) || c == '.':
		for p.pos < len(p.src) && (unicode.IsDigit(rune(p.src[p.pos])) || p.src[p.pos] == '.' || p.src[p.pos] == 'e' || p.src[p.pos] == 'E' ||
			((p.src[p.pos] == '-' || p.src[p.pos] == '+') && (p.src[p.pos-1] == 'e' || p.src[p.pos-1] == 'E'))) {
			p.pos++
		}
	case unicode.IsLetter(c) || c == '_':
		for p.pos < len(p.src) && (unicode.IsLetter(rune(p.src[p.pos])) || unicode.IsDigit(rune(p.src[p.pos])) || p.src[p.pos] == '_') {
			p.pos++
		}
	default:
		p.pos++
	}
	p.tok = p.src[start:p.pos]
}

func (p *exprParser) sum() error {
	if err := p.product(); err != nil {
		return err
	}
	for p.tok == "+" || p.tok == "-" {
		k := p.tok[0]
		p.next()
		if err := p.product(); err != nil {
			return err
		}
		p.code = append(p.code, op{kind: k})
	}
	return nil
}

func (p *exprParser) product() error {
	if err := p.factor(); err != nil {
		return err
	}
	for p.tok == "*" || p.tok == "/" {
		k := p.tok[0]
		p.next()
		if err := p.factor(); err != nil {
			return err
		}
		p.code = append(p.code, op{kind: k})
	}
	return nil
}

func (p *exprParser) factor() error {
	t := p.tok
	switch {
	case t == "":
		return fmt.Errorf("unexpected end")
	case t == "-":
		p.next()
		if err := p.factor(); err != nil {
			return err
		}
		p.code = append(p.code, op{kind: '~'})
		return nil
	case t == "(":
		p.next()
		if err := p.sum(); err != nil {
			return err
		}
		if p.tok != ")" {
			return fmt.Errorf("missing )")
		}
		p.next()
		return nil
	case unicode.IsDigit(rune(t[0])) || t[0] == '.':
		v, err := strconv.ParseFloat(t, 64)
		if err != nil || math.IsInf(v, 0) {
			return fmt.Errorf("%q is not a number", t)
		}
		p.code = append(p.code, op{kind: 'n', num: v})
		p.next()
		return nil
	case unicode.IsLetter(rune(t[0])) || t[0] == '_':
		i, ok := p.lookup(t)
		if !ok {
			return fmt.Errorf("unknown parameter %q (declare it under params:)", t)
		}
		p.code = append(p.code, op{kind: 'p', param: i})
		p.next()
		return nil
	}
	return fmt.Errorf("unexpected %q", t)
}
