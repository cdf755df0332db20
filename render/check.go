package render

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/aymerick/raymond/ast"
	"github.com/aymerick/raymond/parser"
)

// LineError is a template error at a line of the template's source.
type LineError struct {
	Line int
	Msg  string
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

func errorAt(line int, format string, args ...any) error {
	return &LineError{Line: line, Msg: fmt.Sprintf(format, args...)}
}

// CheckJSON renders the template once with req and returns an error when
// rendering fails or the output is not valid JSON; the error names the
// template line the JSON error comes from (a *LineError) when it can be
// found.
func (t *Template) CheckJSON(req *Request) error {
	out, err := t.Exec(req)
	if err != nil {
		return err
	}
	if json.Valid([]byte(out)) {
		return nil
	}
	var v any
	jerr := json.Unmarshal([]byte(out), &v)
	msg := "renders invalid JSON: " + jsonMessage(jerr)
	if line := t.jsonErrorLine(req); line > 0 {
		return fmt.Errorf("%s: %w", t.name, &LineError{Line: line, Msg: msg})
	}
	return fmt.Errorf("%s: %s", t.name, msg)
}

func jsonMessage(err error) string {
	if err == nil {
		return "unknown error"
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

// lineMark brackets the line numbers jsonErrorLine writes into a copy of
// the template: a NUL byte, which helpers never insert raw (they
// JSON-escape control characters) and JSON text never holds.
const lineMark = "\x00"

// jsonErrorLine finds the template line a JSON error comes from. It
// renders a copy of the template whose text carries a mark with the line
// number at the start of every line, removes the marks from the output
// while noting where each stood, and looks up the last mark before the
// JSON error. It returns 0 when it cannot tell.
func (t *Template) jsonErrorLine(req *Request) int {
	if strings.Contains(t.source, lineMark) {
		return 0
	}
	prog, err := parser.Parse(t.source)
	if err != nil {
		return 0
	}
	// Marks go after each newline of text (never inside a mustache).
	var at []int
	var collect func(p *ast.Program)
	collect = func(p *ast.Program) {
		if p == nil {
			return
		}
		for _, n := range p.Body {
			switch n := n.(type) {
			case *ast.ContentStatement:
				for i := 0; i < len(n.Original); i++ {
					if n.Original[i] == '\n' {
						at = append(at, n.Pos+i+1)
					}
				}
			case *ast.BlockStatement:
				collect(n.Program)
				collect(n.Inverse)
			}
		}
	}
	collect(prog)
	if len(at) == 0 {
		return 0
	}
	var b strings.Builder
	last := 0
	for _, pos := range at {
		if pos > len(t.source) || pos < last {
			return 0
		}
		b.WriteString(t.source[last:pos])
		b.WriteString(lineMark + strconv.Itoa(1+strings.Count(t.source[:pos], "\n")) + lineMark)
		last = pos
	}
	b.WriteString(t.source[last:])
	marked, err := parser.Parse(b.String())
	if err != nil {
		return 0
	}
	tagged := &Template{name: t.name, source: b.String(), variadic: t.variadic}
	if tagged.plan = compilePlan(tagged.source, marked); tagged.plan == nil {
		if tagged.tpl, err = tagged.raymond(); err != nil {
			return 0
		}
	}
	out, err := tagged.Exec(req)
	if err != nil {
		return 0
	}
	// Strip the marks, remembering the line in force at each output byte.
	type mark struct{ off, line int }
	var marks []mark
	var clean strings.Builder
	for {
		i := strings.Index(out, lineMark)
		if i < 0 {
			clean.WriteString(out)
			break
		}
		clean.WriteString(out[:i])
		rest := out[i+1:]
		j := strings.Index(rest, lineMark)
		if j < 0 {
			return 0
		}
		n, err := strconv.Atoi(rest[:j])
		if err != nil {
			return 0
		}
		marks = append(marks, mark{clean.Len(), n})
		out = rest[j+1:]
	}
	var v any
	var se *json.SyntaxError
	if err := json.Unmarshal([]byte(clean.String()), &v); !errors.As(err, &se) {
		return 0 // the copy rendered differently (random helpers)
	}
	// Offset counts the bytes read, the offending one included.
	off := int(se.Offset) - 1
	line := 1
	for _, m := range marks {
		if m.off > off {
			break
		}
		line = m.line
	}
	return line
}
