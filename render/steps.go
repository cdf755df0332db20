package render

import (
	"strings"

	"github.com/aymerick/raymond/ast"
)

// A planWriter writes a plan's dynamic step: plan's into a
// strings.Builder, mockoonPlan's appended to a byte buffer.
type planWriter interface {
	~func(*Request, *strings.Builder) | ~func([]byte, *Request) []byte
}

// A planStep is text, or a writer (nil for text).
type planStep[W planWriter] struct {
	text  string
	write W
}

// planSteps are a compiled template's steps in order, with adjacent text
// joined into one step.
type planSteps[W planWriter] struct {
	steps []planStep[W]
	size  int // static bytes, to size the output buffer
}

func (p *planSteps[W]) text(s string) {
	if s == "" {
		return
	}
	p.size += len(s)
	if k := len(p.steps); k > 0 && p.steps[k-1].write == nil {
		p.steps[k-1].text += s
		return
	}
	p.steps = append(p.steps, planStep[W]{text: s})
}

// compileSteps walks the top level of a parsed template: text becomes
// text, comments nothing, and each mustache (and block, where block is
// not nil) the writer its compiler returns. ok is false when a compiler
// refuses a node, for any other node, and for whitespace control ("~"),
// all of which raymond runs.
func compileSteps[W planWriter](source string, prog *ast.Program, mustache func(*ast.MustacheStatement) (W, bool), block func(*ast.BlockStatement) (W, bool)) (p planSteps[W], ok bool) {
	if strings.Contains(source, "~") {
		return p, false
	}
	for _, n := range prog.Body {
		var w W
		switch n := n.(type) {
		case *ast.ContentStatement:
			p.text(n.Value)
			continue
		case *ast.CommentStatement:
			continue
		case *ast.MustacheStatement:
			w, ok = mustache(n)
		case *ast.BlockStatement:
			if block == nil {
				return p, false
			}
			w, ok = block(n)
		default:
			return p, false
		}
		if !ok {
			return p, false
		}
		p.steps = append(p.steps, planStep[W]{write: w})
	}
	return p, true
}
