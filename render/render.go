// Package render turns a variant's Handlebars body template into the bytes
// a response carries. Templates are parsed once (Compile) and executed per
// request (Exec) with the request's parameters; everything a helper inserts
// from a request is JSON-escaped, so no request can break a JSON body.
//
// Helpers are registered per template, never globally, and may have several
// arities (Mockoon's `queryParam 'x'` and `queryParam 'x' 'default'`): a
// call is renamed by its argument count, found on raymond's own parse of the
// template, because raymond requires every helper to have exactly one arity.
package render

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
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
	// variadic are the helpers this template calls with an argument count
	// of their own (array), by the name the rewrite gave each call.
	variadic map[string]any
	// mplan runs a Mockoon template of the common shape; helpers are the
	// Mockoon helpers raymond runs the others (and mplan's failures) with.
	mplan   *mockoonPlan
	helpers map[string]any

	once    sync.Once
	rtpl    *raymond.Template
	rtplErr error
}

// Compile parses a template once. name appears in errors (a file or route).
// Everything that can be known before a request is checked here, with the
// line: syntax, nesting depth and size, unknown helpers and faker paths,
// argument counts.
func Compile(name, source string) (t *Template, err error) {
	defer func() {
		// raymond's parser re-panics its own runtime errors: a template
		// that trips one is an error like any other, not a crash.
		if p := recover(); p != nil {
			t, err = nil, fmt.Errorf("%s: template could not be parsed: %v", name, p)
		}
	}()
	if len(source) > MaxTemplateBytes {
		return nil, fmt.Errorf("%s: template is %d bytes; at most %d (1 MiB) are allowed", name, len(source), MaxTemplateBytes)
	}
	scan, err := scanBlocks(source)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	prog, err := parser.Parse(source)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, parseError(err, scan))
	}
	rewritten, variadic, err := rewriteArity(source, prog, defaultHelpers)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	t = &Template{name: name, source: rewritten, variadic: variadic}
	if t.plan = compilePlan(rewritten, prog); t.plan == nil {
		if t.tpl, err = t.raymond(); err != nil {
			return nil, fmt.Errorf("%s: %s", name, oneLine(err))
		}
	}
	return t, nil
}

// parseError words raymond's parse error. A block left open is reported
// where it opens, not at the end of the file where the parser noticed.
func parseError(err error, scan scanResult) error {
	switch {
	case scan.mismatch != "":
		return errorAt(scan.mismatchLine, "%s", scan.mismatch)
	case scan.unclosed != nil:
		b := scan.unclosed
		return errorAt(b.line, "{{#%s}} is never closed (no {{/%s}})", b.name, b.name)
	}
	msg := oneLine(err)
	if m := raymondParseError.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		msg = m[2]
		if l := raymondLexerError.FindStringSubmatch(msg); l != nil {
			msg = l[1]
		}
		return errorAt(line, "%s", msg)
	}
	return errors.New(msg)
}

var (
	raymondParseError = regexp.MustCompile(`^Parse error on line (\d+): (.*)$`)
	raymondLexerError = regexp.MustCompile(`^Lexer error Token: Error\{"(.*)"\}$`)
)

// oneLine flattens raymond's two-line parse errors ("Parse error on line
// 2:\nExpecting ...") so command-line errors stay on one line.
func oneLine(err error) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), ":\n", ": ")), " ")
}

// raymond returns the template parsed by raymond, with our helpers.
func (t *Template) raymond() (*raymond.Template, error) {
	t.once.Do(func() {
		t.rtpl, t.rtplErr = raymond.Parse(t.source)
		switch {
		case t.rtplErr != nil:
		case t.helpers != nil:
			t.rtpl.RegisterHelpers(t.helpers)
		default:
			defaultHelpers.register(t.rtpl)
			t.rtpl.RegisterHelpers(t.variadic)
		}
	})
	return t.rtpl, t.rtplErr
}

// Name is the name the template was compiled with.
func (t *Template) Name() string { return t.name }

// FromParams reports whether the template's output is a function of the
// request's method, path, query and body (its content type included),
// its time and the ids the `id` helper makes, and of nothing else: no
// header, no random value, no shared state. Two requests alike in those
// get the same bytes but for their ids and times.
func (t *Template) FromParams() bool { return t.plan != nil && !t.plan.headers }

// Exec renders the template for one request. A helper's failure (an unknown
// faker, a bad argument) and any panic while rendering are returned as an
// error naming the template, never a panic.
func (t *Template) Exec(req *Request) (out string, err error) {
	if req == nil {
		req = &Request{}
	}
	defer func() {
		if p := recover(); p != nil {
			out, err = "", fmt.Errorf("%s: template failed: %v", t.name, p)
		}
	}()
	if t.plan != nil {
		return t.plan.exec(req), nil
	}
	if t.mplan != nil {
		if out, ok := t.mplan.exec(req); ok {
			return out, nil
		}
	}
	tpl := t.tpl
	if tpl == nil {
		// A Mockoon template is handed to raymond on first need.
		var err error
		if tpl, err = t.raymond(); err != nil {
			return "", fmt.Errorf("%s: %s", t.name, oneLine(err))
		}
	}
	return t.execRaymond(tpl, req)
}

func (t *Template) execRaymond(tpl *raymond.Template, req *Request) (out string, err error) {
	defer func() {
		if p := recover(); p != nil {
			out, err = "", fmt.Errorf("%s: template failed: %v", t.name, p)
		}
	}()
	frame := raymond.NewDataFrame()
	frame.Set(requestKey, req)
	out, err = tpl.ExecWith(emptyContext, frame)
	if err != nil {
		// raymond adds the node on further lines: keep errors on one line.
		return "", fmt.Errorf("%s: %s", t.name, oneLine(err))
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
