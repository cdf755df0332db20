package render

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/aymerick/raymond/ast"

	"github.com/routedeck/routedeck/internal/editdist"
)

// builtins are raymond's own helpers, which templates may call. Its `log`
// is left out: it writes to the process's log, under the terminal UI.
var builtins = map[string]bool{"if": true, "unless": true, "with": true, "each": true, "lookup": true, "equal": true}

// MaxEachDepth is how deeply {{#each}} blocks may nest, and MaxEachRepeat
// how many times nested {{#each}} blocks may repeat the innermost body in
// all: each level repeats its body once per item of its `array`, so
// nesting multiplies the output.
const (
	MaxEachDepth  = 3
	MaxEachRepeat = 4096
)

// blockOnly are the helpers that render their block: called without one,
// raymond renders the enclosing block instead, recursing without end.
var blockOnly = map[string]bool{"reflect": true, "if": true, "unless": true, "each": true, "with": true, "equal": true}

// checker walks a template's AST (raymond's own, so quotes, escapes, sub
// expressions and hash arguments count exactly as raymond counts them). It
// rejects what would fail or render nothing at request time (unknown
// helpers, wrong argument counts, unknown faker paths, partials) with the
// line, and renames every call of a helper that has several arities to the
// name registered for its argument count ("queryParam 'a' 'b'" becomes
// "queryParam__2 'a' 'b'"), in the AST and, through edits, in the source.
type checker struct {
	src   string
	hs    helperSet
	edits []edit
	// variadic are the calls of helpers that take any number of arguments,
	// by the name they were renamed to, built for their argument count.
	variadic map[string]any
	// repeat is how many times the enclosing {{#each}} blocks repeat the
	// statement being checked.
	repeat int
}

// edit inserts text at a byte offset of the source.
type edit struct {
	at   int
	text string
}

// rewriteArity checks prog (parsed from src) and returns src with the
// renames applied; prog is renamed in place to match it.
//
// Calls of helpers that take any number of arguments (`array`) are
// returned as the raymond helpers to register, by their renamed names.
func rewriteArity(src string, prog *ast.Program, hs helperSet) (string, map[string]any, error) {
	c := &checker{src: src, hs: hs, repeat: 1}
	if err := c.program(prog, false, 0); err != nil {
		return "", nil, err
	}
	if len(c.edits) == 0 {
		return src, c.variadic, nil
	}
	sort.Slice(c.edits, func(i, j int) bool { return c.edits[i].at < c.edits[j].at })
	var b strings.Builder
	b.Grow(len(src) + 4*len(c.edits))
	last := 0
	for _, e := range c.edits {
		b.WriteString(src[last:e.at])
		b.WriteString(e.text)
		last = e.at
	}
	b.WriteString(src[last:])
	return b.String(), c.variadic, nil
}

// program checks statements; scoped is true inside {{#each}} and {{#with}},
// where a bare name is a value of the current item, and eachs counts the
// {{#each}} blocks around p.
func (c *checker) program(p *ast.Program, scoped bool, eachs int) error {
	if p == nil {
		return nil
	}
	for _, n := range p.Body {
		switch n := n.(type) {
		case *ast.MustacheStatement:
			if err := c.call(n.Expression, false, scoped); err != nil {
				return err
			}
		case *ast.BlockStatement:
			if err := c.call(n.Expression, true, scoped); err != nil {
				return err
			}
			name := n.Expression.HelperName()
			inner, innerEachs := scoped || name == "each" || name == "with", eachs
			outer := c.repeat
			if name == "each" {
				if innerEachs++; innerEachs > MaxEachDepth {
					return errorAt(n.Line, "{{#each}} blocks nested more than %d deep", MaxEachDepth)
				}
				if c.repeat *= eachCount(n.Expression); c.repeat > MaxEachRepeat {
					return errorAt(n.Line, "nested {{#each}} blocks repeat their body %d times; at most %d", c.repeat, MaxEachRepeat)
				}
			}
			err := c.program(n.Program, inner, innerEachs)
			c.repeat = outer
			if err != nil {
				return err
			}
			if err := c.program(n.Inverse, scoped, eachs); err != nil {
				return err
			}
		case *ast.PartialStatement:
			return errorAt(n.Line, "partials ({{> name}}) are not supported")
		}
	}
	return nil
}

// call checks one expression: a mustache's, a block's or a sub
// expression's. An expression with arguments calls a helper; a bare name is
// a helper call when the helper exists, else a value of the current item.
func (c *checker) call(e *ast.Expression, block, scoped bool) error {
	if e == nil {
		return nil
	}
	for _, p := range e.Params {
		if err := c.param(p, scoped); err != nil {
			return err
		}
	}
	if e.Hash != nil {
		for _, pair := range e.Hash.Pairs {
			if err := c.param(pair.Val, scoped); err != nil {
				return err
			}
		}
	}
	path, isPath := e.Path.(*ast.PathExpression)
	name := e.HelperName()
	isCall := len(e.Params) > 0 || e.Hash != nil
	if name == "" {
		if isCall && isPath {
			return errorAt(path.Line, "%q is not a helper", path.Original)
		}
		return nil
	}
	if blockOnly[name] && !block {
		return errorAt(path.Line, "%q needs a block: {{#%s ...}}...{{/%s}}", name, name, name)
	}
	arities, ours := c.hs[name]
	switch {
	case ours:
	case builtins[name]:
		return nil
	case isCall || !scoped:
		msg := fmt.Sprintf("unknown helper %q", name)
		if near := c.nearest(name); near != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", near)
		}
		if !isCall {
			msg += "; outside {{#each}} and {{#with}} a template has no values to look up"
		}
		return errorAt(path.Line, "%s", msg)
	default:
		return nil // a value of the current item
	}
	args := len(e.Params)
	_, fixed := arities[args]
	variadic, anyArgs := arities[anyCount].(mockoonHelper)
	if !fixed && !anyArgs {
		return errorAt(path.Line, "helper %q takes %s argument(s), not %d", name, arityList(arities), args)
	}
	if err := c.literalArgs(name, e, path.Line); err != nil {
		return err
	}
	call := c.hs.callName(name, args)
	if !fixed {
		if c.variadic == nil {
			c.variadic = map[string]any{}
		}
		c.variadic[call] = mockoonFunc(mockoonCall{fn: variadic, arity: args})
	}
	if call != name {
		if err := c.rename(path, name, call); err != nil {
			return err
		}
	}
	return nil
}

// eachCount is how many items an {{#each}} over a literal (array ...)
// repeats its body: the array's argument count (1 for anything else).
func eachCount(e *ast.Expression) int {
	if e == nil || len(e.Params) != 1 {
		return 1
	}
	sub, ok := e.Params[0].(*ast.SubExpression)
	if !ok || sub.Expression == nil {
		return 1
	}
	name := sub.Expression.HelperName()
	if name != "array" && !strings.HasPrefix(name, "array__") {
		return 1
	}
	return max(1, len(sub.Expression.Params))
}

// literalArgs checks the arguments that can be checked before any request.
func (c *checker) literalArgs(name string, e *ast.Expression, line int) error {
	lit := func(i int) (string, bool) {
		if i >= len(e.Params) {
			return "", false
		}
		s, ok := e.Params[i].(*ast.StringLiteral)
		if !ok {
			return "", false
		}
		return s.Value, true
	}
	switch name {
	case "faker":
		if p, ok := lit(0); ok {
			if _, known := fakers[p]; !known {
				return errorAt(line, "unknown faker path %q", p)
			}
		}
	case "reflect":
		if k, ok := lit(1); ok && !reflectKinds[k] {
			return errorAt(line, "reflect: unknown type %q (want string, integer, number, boolean or map)", k)
		}
	}
	return nil
}

func (c *checker) param(n ast.Node, scoped bool) error {
	if sub, ok := n.(*ast.SubExpression); ok {
		return c.call(sub.Expression, false, scoped)
	}
	return nil
}

// rename makes path call the helper registered as call, in the AST and
// in the source.
func (c *checker) rename(path *ast.PathExpression, name, call string) error {
	at := path.Pos
	switch {
	case strings.HasPrefix(c.src[at:], name):
		at += len(name)
	default:
		return errorAt(path.Line, "cannot read the call of %q", name)
	}
	c.edits = append(c.edits, edit{at: at, text: call[len(name):]})
	path.Parts[0] = call
	path.Original = call
	return nil
}

// nearest suggests a helper whose name is one or two edits away.
func (c *checker) nearest(name string) string {
	best, bestD := "", 3
	for h := range c.hs {
		if d := editdist.Levenshtein(strings.ToLower(name), strings.ToLower(h)); d < bestD || d == bestD && h < best {
			best, bestD = h, d
		}
	}
	return best
}

func arityList(arities map[int]any) string {
	if _, ok := arities[anyCount]; ok {
		return "any number of"
	}
	lo, hi := -1, -1
	for n := range arities {
		if lo < 0 || n < lo {
			lo = n
		}
		if n > hi {
			hi = n
		}
	}
	if lo == hi {
		return strconv.Itoa(lo)
	}
	if hi-lo+1 == len(arities) {
		return fmt.Sprintf("%d to %d", lo, hi)
	}
	var ns []string
	for n := lo; n <= hi; n++ {
		if _, ok := arities[n]; ok {
			ns = append(ns, strconv.Itoa(n))
		}
	}
	return strings.Join(ns, " or ")
}
