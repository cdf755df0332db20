package catalog

import (
	"strings"

	"github.com/routedeck/routedeck/render"
)

// compactTemplate is a JSON body template without the whitespace between
// its tokens: spaces, tabs and newlines outside JSON strings and outside
// mustaches go; everything else stays byte for byte. Rendered, it is the
// pretty template's body in compact JSON (TestCompactBodies proves it for
// the embedded catalog).
func compactTemplate(src string) string {
	var b strings.Builder
	b.Grow(len(src))
	inString, afterMustache := false, false
	for i := 0; i < len(src); i++ {
		c := src[i]
		if c == '{' && strings.HasPrefix(src[i:], "{{") {
			end := "}}"
			switch {
			case strings.HasPrefix(src[i:], "{{{"):
				end = "}}}"
			case strings.HasPrefix(src[i:], "{{!--"):
				end = "--}}"
			}
			j := strings.Index(src[i+2:], end)
			if j < 0 {
				b.WriteString(src[i:])
				break
			}
			j += i + 2 + len(end)
			if last := b.Len() - 1; last >= 0 && b.String()[last] == '{' {
				b.WriteByte(' ') // "{" + "{{x}}" would read as "{{{x}}}"
			}
			b.WriteString(src[i:j])
			i = j - 1
			afterMustache = true
			continue
		}
		if inString {
			afterMustache = false
		}
		switch {
		case inString:
			b.WriteByte(c)
			if c == '\\' && i+1 < len(src) {
				i++
				b.WriteByte(src[i])
			} else if c == '"' {
				inString = false
			}
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			continue
		default:
			if c == '"' {
				inString = true
			}
			if c == '}' && afterMustache {
				b.WriteByte(' ') // "{{x}}" + "}" would read as "{{x}}}"
			}
			b.WriteByte(c)
		}
		afterMustache = false
	}
	return b.String()
}

// compactTemplate compiles the variant's compact form once.
func (v *Variant) compactTemplate() (*render.Template, error) {
	b := v.body
	b.compactOnce.Do(func() {
		src, err := v.Source()
		if err != nil {
			b.compactErr = err
			return
		}
		b.compactTpl, b.compactErr = render.CompileDialect(v.File, compactTemplate(src), v.Templating)
	})
	return b.compactTpl, b.compactErr
}

// RenderCompact executes the variant for req as compact JSON, as Stripe's
// clients are served (fewer bytes: a 4 KB charge fits one write). Only the
// embedded catalog's JSON variants, whose templates are generated, have a
// compact form; any other variant renders as Render does.
func (v *Variant) RenderCompact(req *render.Request) (string, error) {
	if !v.compact {
		return v.Render(req)
	}
	tpl, err := v.compactTemplate()
	if err != nil {
		return "", err
	}
	return tpl.Exec(req)
}

// FromParams reports whether the variant's rendering (compact or not) is
// a function of the request's method, path, query and body, its time and
// its ids alone (render.Template.FromParams); false when it cannot be
// compiled.
func (v *Variant) FromParams(compact bool) bool {
	var tpl *render.Template
	var err error
	if compact && v.compact {
		tpl, err = v.compactTemplate()
	} else {
		tpl, err = v.Template()
	}
	return err == nil && tpl.FromParams()
}
