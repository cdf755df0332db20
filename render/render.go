// Package render turns a variant's Handlebars body template into the bytes
// a response carries. Templates are parsed once (Compile) and executed per
// request (Exec) with the request's parameters; everything a helper inserts
// from a request is JSON-escaped, so no request can break a JSON body.
//
// Helpers are registered per template, never globally, and may have several
// arities (Mockoon's `queryParam 'x'` and `queryParam 'x' 'default'`): a
// call is renamed by its argument count before parsing, because raymond
// requires every helper to have exactly one arity.
package render

import (
	"fmt"
	"strings"
	"sync"

	"github.com/aymerick/raymond"
	"github.com/aymerick/raymond/parser"
)

// Template is a compiled body template, safe for concurrent use.
type Template struct {
	name   string
	source string // after rewriteArity
	// plan runs templates of the common shape without raymond's evaluator;
	// tpl runs the others.
	plan *plan
	tpl  *raymond.Template

	once    sync.Once
	rtpl    *raymond.Template
	rtplErr error
}

// Compile parses a template once. name appears in errors (a file or route).
func Compile(name, source string) (*Template, error) {
	rewritten, err := rewriteArity(source, defaultHelpers)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	prog, err := parser.Parse(rewritten)
	if err != nil {
		return nil, fmt.Errorf("%s: %s", name, oneLine(err))
	}
	t := &Template{name: name, source: rewritten}
	if t.plan = compilePlan(rewritten, prog); t.plan == nil {
		if t.tpl, err = t.raymond(); err != nil {
			return nil, fmt.Errorf("%s: %s", name, oneLine(err))
		}
	}
	return t, nil
}

// oneLine flattens raymond's two-line parse errors ("Parse error on line
// 2:\nExpecting ...") so command-line errors stay on one line.
func oneLine(err error) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), ":\n", ": ")), " ")
}

// raymond returns the template parsed by raymond, with our helpers.
func (t *Template) raymond() (*raymond.Template, error) {
	t.once.Do(func() {
		t.rtpl, t.rtplErr = raymond.Parse(t.source)
		if t.rtplErr == nil {
			defaultHelpers.register(t.rtpl)
		}
	})
	return t.rtpl, t.rtplErr
}

// Name is the name the template was compiled with.
func (t *Template) Name() string { return t.name }

// Exec renders the template for one request. A helper's failure (an unknown
// faker, a bad argument) is returned as an error naming the template, never a panic.
func (t *Template) Exec(req *Request) (string, error) {
	if req == nil {
		req = &Request{}
	}
	if t.plan != nil {
		return t.plan.exec(req), nil
	}
	return t.execRaymond(t.tpl, req)
}

func (t *Template) execRaymond(tpl *raymond.Template, req *Request) (out string, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%s: template failed: %v", t.name, p)
		}
	}()
	frame := raymond.NewDataFrame()
	frame.Set(requestKey, req)
	out, err = tpl.ExecWith(emptyContext, frame)
	if err != nil {
		return "", fmt.Errorf("%s: %w", t.name, err)
	}
	return out, nil
}

const requestKey = "routedeckRequest"

var emptyContext = map[string]any{}

func requestOf(options *raymond.Options) *Request {
	if r, ok := options.Data(requestKey).(*Request); ok && r != nil {
		return r
	}
	return &Request{}
}
