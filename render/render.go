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

	"github.com/aymerick/raymond"
)

// Template is a compiled body template, safe for concurrent use.
type Template struct {
	name string
	tpl  *raymond.Template
	// static is the whole body when the template has no expressions at all:
	// such bodies are served without running raymond.
	static   string
	isStatic bool
}

// Compile parses a template once. name appears in errors (a file or route).
func Compile(name, source string) (*Template, error) {
	rewritten, err := rewriteArity(source, defaultHelpers)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	tpl, err := raymond.Parse(rewritten)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	t := &Template{name: name, tpl: tpl}
	if !hasExpression(source) {
		t.static, t.isStatic = source, true
	}
	defaultHelpers.register(tpl)
	return t, nil
}

// Name is the name the template was compiled with.
func (t *Template) Name() string { return t.name }

// Exec renders the template for one request. A helper's failure (an unknown
// faker, a bad argument) is returned as an error naming the template, never a panic.
func (t *Template) Exec(req *Request) (out string, err error) {
	if t.isStatic {
		return t.static, nil
	}
	if req == nil {
		req = &Request{}
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%s: template failed: %v", t.name, p)
		}
	}()
	frame := raymond.NewDataFrame()
	frame.Set(requestKey, req)
	out, err = t.tpl.ExecWith(emptyContext, frame)
	if err != nil {
		return "", fmt.Errorf("%s: %w", t.name, err)
	}
	return out, nil
}

const requestKey = "routedeckRequest"

var emptyContext = map[string]any{}

// hasExpression reports whether source holds a Handlebars mustache.
func hasExpression(source string) bool {
	for i := 0; i+1 < len(source); i++ {
		if source[i] == '{' && source[i+1] == '{' {
			return true
		}
	}
	return false
}

func requestOf(options *raymond.Options) *Request {
	if r, ok := options.Data(requestKey).(*Request); ok && r != nil {
		return r
	}
	return &Request{}
}
