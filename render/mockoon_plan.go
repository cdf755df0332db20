package render

import (
	"strings"

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
	steps []mockoonStep
	size  int
}

type mockoonStep struct {
	text string
	// call is nil for text; raw prints without HTML escaping ({{{...}}}).
	call func(*Request) any
	raw  bool
}

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
	if strings.Contains(source, "~") {
		// Whitespace control: leave it to raymond.
		return nil
	}
	p := &mockoonPlan{}
	for _, n := range prog.Body {
		switch n := n.(type) {
		case *ast.ContentStatement:
			p.text(n.Value)
		case *ast.CommentStatement:
		case *ast.MustacheStatement:
			call, ok := planCall(n.Expression, used)
			if !ok {
				return nil
			}
			p.steps = append(p.steps, mockoonStep{call: call, raw: n.Unescaped})
		default:
			return nil
		}
	}
	return p
}

func (p *mockoonPlan) text(s string) {
	if s == "" {
		return
	}
	p.size += len(s)
	if k := len(p.steps); k > 0 && p.steps[k-1].call == nil {
		p.steps[k-1].text += s
		return
	}
	p.steps = append(p.steps, mockoonStep{text: s})
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
	var b strings.Builder
	b.Grow(p.size + 256)
	for _, s := range p.steps {
		if s.call == nil {
			b.WriteString(s.text)
			continue
		}
		// As raymond prints a mustache's value.
		v := s.call(req)
		if safe, isSafe := v.(raymond.SafeString); isSafe {
			b.WriteString(string(safe))
		} else if s.raw {
			b.WriteString(raymond.Str(v))
		} else {
			b.WriteString(raymond.Escape(raymond.Str(v)))
		}
	}
	return b.String(), true
}
