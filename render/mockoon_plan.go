package render

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"

	"github.com/aymerick/raymond"
	"github.com/aymerick/raymond/ast"
)

// A mockoonPlan runs the common shape of Mockoon template without
// raymond's evaluator: text, and mustaches whose helpers need nothing but
// their arguments and the request (faker, oneOf, array, urlParam...) with
// literal arguments or such calls as arguments. The helpers are Mockoon's
// own, called with the arguments raymond would pass, so the output is the
// same; walking raymond's AST per request costs reflection and allocations
// per call, which a faker-heavy body pays fifty times. Anything else
// (blocks, variables, the body helpers that cache in raymond's data frame,
// context paths) runs through raymond, and so does any request on which a
// helper panics, so that its error reads as raymond reports it.
type mockoonPlan struct {
	planSteps[mockoonWriter]
	// bufs keeps output buffers between requests.
	bufs sync.Pool
}

// A mockoonWriter appends a mustache's value as Handlebars prints it.
type mockoonWriter = func(b []byte, req *Request) []byte

// mockoonPure are the Mockoon helpers a plan may call: they read only
// their arguments, their hash and the request, never raymond's options.
var mockoonPure = map[string]bool{
	"faker": true, "array": true, "oneOf": true, "someOf": true, "object": true, "concat": true,
	"int": true, "float": true, "boolean": true, "uuid": true, "guid": true, "objectId": true,
	"newline": true, "now": true, "date": true, "dateFormat": true, "dateTimeShift": true,
	"urlParam": true, "queryParam": true, "queryParamRaw": true, "header": true, "cookie": true,
	"method": true, "lowercase": true, "uppercase": true, "includes": true, "split": true,
	"join": true, "len": true, "add": true, "subtract": true, "multiply": true, "divide": true,
	"modulo": true, "ceil": true, "floor": true, "round": true, "toFixed": true, "eq": true,
	"gt": true, "gte": true, "lt": true, "lte": true, "and": true, "or": true, "not": true,
	"stringify": true, "jsonParse": true, "objectPath": true, "jsonPath": true,
	printHelper: true, printHelper + "Raw": true, missingHelper: true,
}

// compileMockoonPlan returns a plan for a rewritten Mockoon template, or
// nil when it needs raymond.
func compileMockoonPlan(source string, prog *ast.Program, used map[string]mockoonCall) *mockoonPlan {
	steps, ok := compileSteps(source, prog, func(n *ast.MustacheStatement) (mockoonWriter, bool) {
		return planMustache(n, used)
	}, nil)
	if !ok {
		return nil
	}
	return &mockoonPlan{planSteps: steps}
}

// planCall compiles a helper call whose arguments are literals or calls
// of the same kind.
func planCall(e *ast.Expression, used map[string]mockoonCall) (func(*Request) any, bool) {
	path, ok := e.Path.(*ast.PathExpression)
	if !ok || path.Data || len(path.Parts) != 1 {
		return nil, false
	}
	name := path.Parts[0]
	c, ok := used[name]
	base := name
	if i := strings.LastIndex(name, "__"); i > 0 {
		base = name[:i]
	}
	if !ok || !mockoonPure[base] || len(e.Params) != c.arity {
		return nil, false
	}
	params := make([]func(*Request) any, len(e.Params))
	for i, n := range e.Params {
		if params[i], ok = planValue(n, used); !ok {
			return nil, false
		}
	}
	if base == "oneOf" && len(params) > 0 {
		// oneOf (array 'a' 'b'...) picks from a list it never changes:
		// a list of literals is built once.
		if list, ok := literalArray(e.Params[0], used); ok {
			params[0] = func(*Request) any { return list }
		}
	}
	var keys []string
	var values []func(*Request) any
	// A hash of literals (faker's count=3) is built once: no helper
	// writes to its hash.
	var literal map[string]any
	if e.Hash != nil {
		literal = map[string]any{}
		for _, pair := range e.Hash.Pairs {
			v, ok := planValue(pair.Val, used)
			if !ok {
				return nil, false
			}
			keys, values = append(keys, pair.Key), append(values, v)
			if _, sub := pair.Val.(*ast.SubExpression); sub {
				literal = nil
			} else if literal != nil {
				if x := v(nil); x != nil {
					literal[pair.Key] = x
				}
			}
		}
	}
	hasHash, fn := e.Hash != nil, c.fn
	return func(req *Request) any {
		// As raymond passes them: nil without parameters, a hash only
		// with a hash node, and no pair whose value is nil.
		var args []any
		if len(params) > 0 {
			args = make([]any, len(params))
			for i, p := range params {
				args[i] = p(req)
			}
		}
		hash := literal
		if hasHash && hash == nil {
			hash = make(map[string]any, len(keys))
			for i, v := range values {
				if x := v(req); x != nil {
					hash[keys[i]] = x
				}
			}
		}
		return fn(&mcall{args: args, hash: hash, req: req})
	}, true
}

// literalArray is the value of (array ...) with literal arguments.
func literalArray(n ast.Node, used map[string]mockoonCall) (any, bool) {
	sub, ok := n.(*ast.SubExpression)
	if !ok {
		return nil, false
	}
	path, ok := sub.Expression.Path.(*ast.PathExpression)
	if !ok || len(path.Parts) != 1 || !strings.HasPrefix(path.Parts[0], "array__") || sub.Expression.Hash != nil {
		return nil, false
	}
	c, ok := used[path.Parts[0]]
	if !ok {
		return nil, false
	}
	var args []any
	for _, p := range sub.Expression.Params {
		switch p := p.(type) {
		case *ast.StringLiteral, *ast.NumberLiteral, *ast.BooleanLiteral:
			v, _ := planValue(p, used)
			args = append(args, v(nil))
		default:
			return nil, false
		}
	}
	return c.fn(&mcall{args: args, req: &Request{}}), true
}

// planValue compiles an argument: a literal, or a call in parentheses.
func planValue(n ast.Node, used map[string]mockoonCall) (func(*Request) any, bool) {
	var v any
	switch n := n.(type) {
	case *ast.StringLiteral:
		v = n.Value
	case *ast.NumberLiteral:
		v = n.Number()
	case *ast.BooleanLiteral:
		v = n.Value
	case *ast.SubExpression:
		return planCall(n.Expression, used)
	default:
		return nil, false
	}
	return func(*Request) any { return v }, true
}

// exec renders the plan; ok is false when a helper panicked (the caller
// renders with raymond, whose error names the node).
func (p *mockoonPlan) exec(req *Request) (out string, ok bool) {
	defer func() {
		if recover() != nil {
			out, ok = "", false
		}
	}()
	bp, _ := p.bufs.Get().(*[]byte)
	if bp == nil {
		b := make([]byte, 0, p.size+p.size/2+256)
		bp = &b
	}
	b := (*bp)[:0]
	for _, s := range p.steps {
		if s.write == nil {
			b = append(b, s.text...)
		} else {
			b = s.write(b, req)
		}
	}
	out = string(b)
	if cap(b) <= maxPooledBuffer {
		*bp = b
		p.bufs.Put(bp)
	}
	return out, true
}

// maxPooledBuffer is the largest output buffer a plan keeps for the next
// request: a body that once repeated itself into megabytes does not hold
// them.
const maxPooledBuffer = 64 << 10

// planMustache compiles a top-level mustache: planPrint's writer where it
// is the print helper around a call (as the rewrite makes every helper
// call), else the expression, printed as raymond prints a value.
func planMustache(n *ast.MustacheStatement, used map[string]mockoonCall) (mockoonWriter, bool) {
	if write := planPrint(n.Expression, used); write != nil {
		return write, true
	}
	call, ok := planCall(n.Expression, used)
	if !ok {
		return nil, false
	}
	raw := n.Unescaped
	return func(b []byte, req *Request) []byte {
		v := call(req)
		if safe, isSafe := v.(raymond.SafeString); isSafe {
			return append(b, safe...)
		}
		if raw {
			return append(b, raymond.Str(v)...)
		}
		return append(b, raymond.Escape(raymond.Str(v))...)
	}, true
}

// planPrint compiles {{__print (call ...)}}, the shape of every top-level
// helper call, into a writer that appends the printed value straight into
// the output. faker and oneOf (array ...) with literal arguments are
// resolved here, once, rather than per request (the method looked up, the
// arguments read), and most of their values are written without an
// intermediate string; where the arguments are for the call to judge (an
// unknown method, a range a faker refuses), the call runs as planCall
// compiles it. It returns nil for any other mustache.
func planPrint(e *ast.Expression, used map[string]mockoonCall) mockoonWriter {
	path, ok := e.Path.(*ast.PathExpression)
	if !ok || len(path.Parts) != 1 || len(e.Params) != 1 || e.Hash != nil {
		return nil
	}
	var escape bool
	switch path.Parts[0] {
	case printHelper + "__1":
		escape = true
	case printHelper + "Raw__1":
	default:
		return nil
	}
	sub, ok := e.Params[0].(*ast.SubExpression)
	if !ok {
		return nil
	}
	callee, ok := sub.Expression.Path.(*ast.PathExpression)
	if !ok || len(callee.Parts) != 1 || callee.Data {
		return nil
	}
	if _, ok := used[callee.Parts[0]]; !ok {
		return nil
	}
	var write func([]byte) []byte
	switch base, _, _ := strings.Cut(callee.Parts[0], "__"); base {
	case "faker":
		write = planFaker(sub.Expression, escape)
	case "oneOf":
		write = planOneOf(sub.Expression, used, escape)
	}
	if write != nil {
		return func(b []byte, _ *Request) []byte { return write(b) }
	}
	// Any other call: its value printed into the output as the print
	// helper prints it, without the helper's own call and string.
	call, ok := planCall(sub.Expression, used)
	if !ok {
		return nil
	}
	return func(b []byte, req *Request) []byte { return appendPrinted(b, call(req), escape) }
}

// planFaker compiles {{faker 'module.method' literals... key=literal...}}.
func planFaker(e *ast.Expression, escape bool) func([]byte) []byte {
	if len(e.Params) == 0 {
		return nil
	}
	vals := make([]any, len(e.Params))
	for i, p := range e.Params {
		v, ok := literalValue(p)
		if !ok {
			return nil
		}
		vals[i] = v
	}
	name, ok := vals[0].(string)
	if !ok {
		return nil
	}
	fn, ok := fakerMethods[name]
	if !ok {
		return nil
	}
	// As mFaker hands them over: positional arguments as JavaScript
	// values, the hash as raymond passes it (no nil values).
	args := fakerArgs{}
	for _, v := range vals[1:] {
		args.pos = append(args.pos, toJS(v))
	}
	if e.Hash != nil {
		args.hash = map[string]any{}
		for _, pair := range e.Hash.Pairs {
			v, ok := literalValue(pair.Val)
			if !ok {
				return nil
			}
			if v != nil {
				args.hash[pair.Key] = v
			}
		}
	}
	if write := fakerWriter(name, args, escape); write != nil {
		return write
	}
	return func(b []byte) []byte { return appendPrinted(b, fn(args), escape) }
}

// planOneOf compiles {{oneOf (array literals...)}}: each item is printed
// once, here, and a request picks one.
func planOneOf(e *ast.Expression, used map[string]mockoonCall, escape bool) func([]byte) []byte {
	if len(e.Params) != 1 || e.Hash != nil {
		return nil
	}
	list, ok := literalArray(e.Params[0], used)
	if !ok {
		return nil
	}
	items, ok := list.([]any)
	if !ok {
		return nil
	}
	if len(items) == 0 {
		// oneOf of an empty list is undefined, printed as nothing.
		return func(b []byte) []byte { return b }
	}
	printed := make([]string, len(items))
	for i, item := range items {
		printed[i] = string(appendPrinted(nil, item, escape))
	}
	return func(b []byte) []byte { return append(b, printed[rand.IntN(len(printed))]...) }
}

// literalValue is the value of a string, number or boolean literal, as
// raymond passes it to a helper.
func literalValue(n ast.Node) (any, bool) {
	switch n := n.(type) {
	case *ast.StringLiteral:
		return n.Value, true
	case *ast.NumberLiteral:
		return n.Number(), true
	case *ast.BooleanLiteral:
		return n.Value, true
	}
	return nil, false
}

// appendPrinted appends a helper's value as Mockoon's print helper prints
// it (printEscaped, or printRaw when escape is false): String(value),
// HTML-escaped unless it is a SafeString or escape is false.
func appendPrinted(b []byte, v any, escape bool) []byte {
	var s string
	switch x := v.(type) {
	case raymond.SafeString:
		return append(b, x...)
	case string:
		s = x
	case bool:
		return strconv.AppendBool(b, x)
	case float64:
		// Digits, signs, points and letters: nothing to escape.
		return appendJSNumber(b, x)
	default:
		s = jsString(v)
	}
	if !escape {
		return append(b, s...)
	}
	return appendHTMLEscaped(b, s)
}

// appendHTMLEscaped appends s escaped as htmlEscape escapes it.
func appendHTMLEscaped(b []byte, s string) []byte {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '"':
			esc = "&quot;"
		case '\'':
			esc = "&#x27;"
		case '`':
			esc = "&#x60;"
		case '=':
			esc = "&#x3D;"
		default:
			continue
		}
		b = append(b, s[last:i]...)
		b = append(b, esc...)
		last = i + 1
	}
	return append(b, s[last:]...)
}

// appendJSNumber appends f as jsNumber prints it.
func appendJSNumber(b []byte, f float64) []byte {
	if abs := math.Abs(f); f != 0 && abs >= 1e-6 && abs < 1e21 {
		return strconv.AppendFloat(b, f, 'f', -1, 64)
	}
	return append(b, jsNumber(f)...)
}
