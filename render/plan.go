package render

import (
	"strings"

	"github.com/aymerick/raymond/ast"
)

// A plan is a fast way to execute the common shape of body template: text,
// request helpers with literal arguments, and {{#reflect}} blocks whose
// default is plain text. raymond still parses every template (so syntax
// and arity errors are its own), but walking its AST per request costs
// allocations and reflection; a plan writes the same bytes into one buffer.
// Templates using anything else (#each, #if, paths, sub expressions,
// faker...) run through raymond.
type plan struct {
	planSteps[stepWriter]
	// headers is whether a step reads the request's headers.
	headers bool
}

// stepWriter writes a plan's dynamic step.
type stepWriter = func(req *Request, b *strings.Builder)

// fastHelper is a helper a plan calls directly: its argument count and a
// maker of the step for literal arguments.
type fastHelper struct {
	arity int
	make  func(args []string) stepWriter
}

// fastHelpers are the helpers a plan can call directly, by raymond name
// (after rewriteArity). A call whose argument count is not the helper's
// arity is left to raymond, so a plan never indexes past its arguments.
var fastHelpers = map[string]fastHelper{
	"urlParam": {1, func(a []string) stepWriter {
		return func(r *Request, b *strings.Builder) { b.WriteString(urlParamCore(r, a[0])) }
	}},
	"queryParam__1": {1, func(a []string) stepWriter {
		return func(r *Request, b *strings.Builder) { b.WriteString(queryParamCore(r, a[0], "")) }
	}},
	"queryParam__2": {2, func(a []string) stepWriter {
		return func(r *Request, b *strings.Builder) { b.WriteString(queryParamCore(r, a[0], a[1])) }
	}},
	"body__1": {1, func(a []string) stepWriter {
		return func(r *Request, b *strings.Builder) { b.WriteString(bodyCore(r, a[0], "")) }
	}},
	"body__2": {2, func(a []string) stepWriter {
		return func(r *Request, b *strings.Builder) { b.WriteString(bodyCore(r, a[0], a[1])) }
	}},
	"header__1": {1, func(a []string) stepWriter {
		return func(r *Request, b *strings.Builder) { b.WriteString(headerCore(r, a[0], "")) }
	}},
	"header__2": {2, func(a []string) stepWriter {
		return func(r *Request, b *strings.Builder) { b.WriteString(headerCore(r, a[0], a[1])) }
	}},
	"now__0": {0, func(a []string) stepWriter {
		return func(r *Request, b *strings.Builder) { b.WriteString(nowCore(r, "")) }
	}},
	"now__1": {1, func(a []string) stepWriter {
		return func(r *Request, b *strings.Builder) { b.WriteString(nowCore(r, a[0])) }
	}},
	"id": {1, func(a []string) stepWriter {
		return func(r *Request, b *strings.Builder) { b.WriteString(escapeJSON(r.newID(a[0]))) }
	}},
	"sameId": {1, func(a []string) stepWriter {
		return func(r *Request, b *strings.Builder) { b.WriteString(escapeJSON(r.sameID(a[0]))) }
	}},
}

// compilePlan returns a plan for a parsed template (source already
// rewritten by rewriteArity), or nil when the template needs raymond.
func compilePlan(source string, prog *ast.Program) *plan {
	p := &plan{}
	steps, ok := compileSteps(source, prog, func(n *ast.MustacheStatement) (stepWriter, bool) {
		name, args, ok := literalCall(n.Expression)
		if !ok {
			return nil, false
		}
		h, ok := fastHelpers[name]
		if !ok || len(args) != h.arity {
			return nil, false
		}
		p.headers = p.headers || strings.HasPrefix(name, "header")
		return h.make(args), true
	}, planReflect)
	if !ok {
		return nil
	}
	p.planSteps = steps
	return p
}

// planReflect compiles a {{#reflect 'param' 'kind'}} block whose default
// is plain text.
func planReflect(n *ast.BlockStatement) (stepWriter, bool) {
	name, args, ok := literalCall(n.Expression)
	if !ok || name != "reflect" || len(args) != 2 || !reflectKinds[args[1]] || n.Inverse != nil || n.Program == nil {
		return nil, false
	}
	def, ok := plainText(n.Program)
	if !ok {
		return nil, false
	}
	param, kind := args[0], args[1]
	return func(r *Request, b *strings.Builder) {
		if v, ok := reflectCore(r, param, kind); ok {
			b.WriteString(v)
		} else {
			b.WriteString(def)
		}
	}, true
}

func (p *plan) exec(req *Request) string {
	var b strings.Builder
	b.Grow(p.size + 64)
	for _, s := range p.steps {
		if s.write == nil {
			b.WriteString(s.text)
		} else {
			s.write(req, &b)
		}
	}
	return b.String()
}

// literalCall accepts "name 'a' 2" with no hash and literal arguments only.
func literalCall(e *ast.Expression) (string, []string, bool) {
	if e == nil || e.Hash != nil {
		return "", nil, false
	}
	path, ok := e.Path.(*ast.PathExpression)
	if !ok || path.Data || path.Scoped || path.Depth != 0 || len(path.Parts) != 1 {
		return "", nil, false
	}
	args := make([]string, 0, len(e.Params))
	for _, p := range e.Params {
		switch lit := p.(type) {
		case *ast.StringLiteral:
			args = append(args, lit.Value)
		case *ast.NumberLiteral:
			args = append(args, lit.Original)
		default:
			return "", nil, false
		}
	}
	return path.Parts[0], args, true
}

func plainText(prog *ast.Program) (string, bool) {
	var b strings.Builder
	for _, n := range prog.Body {
		c, ok := n.(*ast.ContentStatement)
		if !ok {
			return "", false
		}
		b.WriteString(c.Value)
	}
	return b.String(), true
}
