package render

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/aymerick/raymond"
	"github.com/aymerick/raymond/parser"
)

// Dialect names the helpers a template may call and how its output is
// printed.
type Dialect string

// The dialects a template can be written in.
const (
	// Routedeck is our own: helpers JSON-escape what they insert, `now` is
	// a Unix timestamp (Stripe's `created`).
	Routedeck Dialect = ""
	// Mockoon is Mockoon's: its helpers with their optional and variadic
	// arguments, values printed as JavaScript prints them and HTML-escaped
	// as Handlebars escapes them, output for output.
	Mockoon Dialect = "mockoon"
	// Literal is no templating at all: the text is the body (Mockoon's
	// disableTemplating).
	Literal Dialect = "none"
)

// ParseDialect accepts "", "routedeck", "mockoon" or "none".
func ParseDialect(s string) (Dialect, error) {
	switch d := Dialect(strings.ToLower(strings.TrimSpace(s))); d {
	case Routedeck, Mockoon, Literal:
		return d, nil
	case "routedeck":
		return Routedeck, nil
	}
	return "", fmt.Errorf("unknown templating %q (want routedeck, mockoon or none)", s)
}

// CompileDialect parses a template written in the given dialect once.
func CompileDialect(name, source string, d Dialect) (*Template, error) {
	switch d {
	case Routedeck:
		return Compile(name, source)
	case Literal:
		p := &plan{}
		p.text(source)
		return &Template{name: name, source: source, plan: p}, nil
	case Mockoon:
		return compileMockoon(name, source)
	}
	return nil, fmt.Errorf("%s: unknown templating %q", name, d)
}

// printHelper is the helper every top-level Mockoon mustache is wrapped in:
// {{x}} becomes {{__print x}}, so values print as Handlebars prints them
// (JavaScript's String(), then Handlebars' HTML escaping) rather than as
// raymond does.
const printHelper = "__print"

// missingHelper stands in for helpers Mockoon has and we do not: like
// Mockoon's helperMissing it prints nothing, and the importer lists them.
const missingHelper = "__missing"

// compileMockoon rewrites a Mockoon template (arity-suffixed helper names,
// the print wrapper), parses it and registers exactly the helper arities it
// uses.
func compileMockoon(name, source string) (*Template, error) {
	if len(source) > MaxTemplateBytes {
		return nil, fmt.Errorf("%s: template is %d bytes; at most %d (1 MiB) are allowed", name, len(source), MaxTemplateBytes)
	}
	if _, err := scanBlocks(source); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	rw := &mockoonRewriter{used: map[string]mockoonCall{}}
	rewritten, err := rw.rewrite(source)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if !strings.Contains(rewritten, "{{") {
		// Plain text (most files' empty and static bodies): nothing to run.
		p := &plan{}
		p.text(rewritten)
		return &Template{name: name, source: source, plan: p}, nil
	}
	// Only inside a block can a block helper called without one recurse.
	// The rewrite saw every call (a second parse costs as much as the first).
	if rw.blockless != "" && strings.Contains(rewritten, "#") {
		return nil, fmt.Errorf("%s: %w", name, errorAt(rw.blocklessLine, "%q needs a block: {{#%s ...}}...{{/%s}}", rw.blockless, rw.blockless, rw.blockless))
	}
	// Parsed once here; raymond parses it again on first need, for a
	// template (or a request) the plan cannot run.
	prog, err := parser.Parse(rewritten)
	if err != nil {
		return nil, fmt.Errorf("%s: %s", name, oneLine(err))
	}
	helpers := make(map[string]any, len(rw.used))
	for callName, c := range rw.used {
		helpers[callName] = mockoonFunc(c)
	}
	t := &Template{name: name, source: rewritten, helpers: helpers}
	t.mplan = compileMockoonPlan(rewritten, prog, rw.used)
	return t, nil
}

// MockoonUnsupported lists the helpers a Mockoon template calls that
// routedeck does not have (they print nothing), sorted, without repeats.
// Templates that do not parse report none: compiling them reports the error.
func MockoonUnsupported(source string) []string {
	rw := &mockoonRewriter{used: map[string]mockoonCall{}}
	if _, err := rw.rewrite(source); err != nil {
		return nil
	}
	return rw.missing
}

// mockoonBlockOnly reports the Mockoon helpers that render their block
// (with this many arguments): called without a block inside another
// block, raymond would render the enclosing block again, without end.
func mockoonBlockOnly(name string, args int) bool {
	if i := strings.LastIndex(name, "__"); i > 0 {
		name = name[:i]
	}
	switch name {
	case "if", "unless", "each", "with", "equal", "case", "default":
		return true
	case "base64", "base64Decode":
		return args == 0
	}
	return false
}

// mockoonCall is one helper at one argument count.
type mockoonCall struct {
	fn    mockoonHelper
	arity int
}

// mockoonFunc builds a raymond helper taking exactly c.arity arguments and
// the options. raymond insists on exact arities; the arguments themselves
// are read from the options, so one body serves every count.
func mockoonFunc(c mockoonCall) any {
	in := make([]reflect.Type, c.arity+1)
	for i := range c.arity {
		in[i] = anyType
	}
	in[c.arity] = optionsType
	ft := reflect.FuncOf(in, []reflect.Type{anyType}, false)
	return reflect.MakeFunc(ft, func(args []reflect.Value) []reflect.Value {
		opts := args[len(args)-1].Interface().(*raymond.Options)
		out := c.fn(&mcall{args: opts.Params(), hash: opts.Hash(), opts: opts})
		v := reflect.New(anyType).Elem()
		if out != nil {
			v.Set(reflect.ValueOf(out))
		}
		return []reflect.Value{v}
	}).Interface()
}

var (
	anyType     = reflect.TypeFor[any]()
	optionsType = reflect.TypeFor[*raymond.Options]()
)

// mockoonRewriter renames every Mockoon helper call to "name__N" (N its
// positional argument count), wraps top-level mustaches in the print
// helper, and records which arities the template uses.
type mockoonRewriter struct {
	used    map[string]mockoonCall
	missing []string
	blocks  []string // open block names, renamed, to rename their closes
	// blockless is the first helper that renders a block called without
	// one, and its line.
	blockless     string
	blocklessLine int
	line          int // of the mustache being rewritten
}

func (rw *mockoonRewriter) rewrite(src string) (string, error) {
	if !strings.Contains(src, "{{") {
		return src, nil
	}
	var out strings.Builder
	out.Grow(len(src) + len(src)/8)
	i, line, counted := 0, 1, 0
	for {
		start := strings.Index(src[i:], "{{")
		if start < 0 {
			out.WriteString(src[i:])
			break
		}
		start += i
		// "\{{" is an escaped mustache: Handlebars prints it as text.
		if start > 0 && src[start-1] == '\\' {
			out.WriteString(src[i : start+2])
			i = start + 2
			continue
		}
		out.WriteString(src[i:start])
		if strings.HasPrefix(src[start:], "{{!") {
			end := commentEnd(src, start)
			if end < 0 {
				out.WriteString(src[start:])
				break
			}
			out.WriteString(src[start:end])
			i = end
			continue
		}
		if strings.HasPrefix(src[start:], "{{{{") {
			// Raw blocks pass through: the parser handles them.
			out.WriteString(src[start:])
			break
		}
		end, ok := mustacheEnd(src, start)
		if !ok {
			// Let the parser report the unclosed mustache.
			out.WriteString(src[start:])
			break
		}
		// Lines are counted as the scan moves on, not from the start each time.
		line += strings.Count(src[counted:start], "\n")
		counted, rw.line = start, line
		m, err := rw.mustache(src[start:end])
		if err != nil {
			return "", fmt.Errorf("line %d: %w", line, err)
		}
		out.WriteString(m)
		i = end
	}
	slices.Sort(rw.missing)
	rw.missing = slices.Compact(rw.missing)
	return out.String(), nil
}

// mustacheEnd finds the end of the mustache at start, skipping quoted
// strings, so "}}" inside a string does not end it.
func mustacheEnd(src string, start int) (int, bool) {
	k := start + 2
	for k < len(src) {
		c := src[k]
		switch {
		case c == '"' || c == '\'':
			e := stringEnd(src, k)
			if e < 0 {
				return 0, false
			}
			k = e + 1
		case c == '}' && k+1 < len(src) && src[k+1] == '}':
			end := k + 2
			if strings.HasPrefix(src[start:], "{{{") && end < len(src) && src[end] == '}' {
				end++
			}
			return end, true
		default:
			k++
		}
	}
	return 0, false
}

// mustache rewrites one "{{...}}" with its braces.
func (rw *mockoonRewriter) mustache(m string) (string, error) {
	open := 2
	triple := strings.HasPrefix(m, "{{{")
	if triple {
		open = 3
	}
	if open < len(m) && m[open] == '~' {
		open++
	}
	closeAt := len(m) - 2
	if triple {
		closeAt--
	}
	if closeAt > open && m[closeAt-1] == '~' {
		closeAt--
	}
	if closeAt < open {
		return m, nil
	}
	head, body, tail := m[:open], m[open:closeAt], m[closeAt:]
	trimmed := strings.TrimSpace(body)
	if trimmed == "" {
		return m, nil
	}
	switch trimmed[0] {
	case '#':
		inner, name, err := rw.call(trimmed[1:], false, false, true)
		if err != nil {
			return "", err
		}
		rw.blocks = append(rw.blocks, name)
		return head + "#" + inner + tail, nil
	case '/':
		if n := len(rw.blocks); n > 0 {
			name := rw.blocks[n-1]
			rw.blocks = rw.blocks[:n-1]
			return head + "/" + name + tail, nil
		}
		return m, nil
	case '^', '>':
		return m, nil
	case '&':
		trimmed = strings.TrimSpace(trimmed[1:])
		triple = true
	}
	if trimmed == "else" || strings.HasPrefix(trimmed, "else ") {
		return m, nil
	}
	inner, _, err := rw.call(trimmed, true, triple || trimmed[0] == '&', false)
	if err != nil {
		return "", err
	}
	return head + inner + tail, nil
}

// call rewrites "name arg k=v (sub ...)". At top level the result is
// wrapped in the print helper (raw: without HTML escaping, for {{{x}}}).
// block says the call opens a block.
// It returns the rewritten text and the callee's new name.
func (rw *mockoonRewriter) call(s string, top, raw, block bool) (string, string, error) {
	toks, err := tokenize(s)
	if err != nil {
		return "", "", err
	}
	toks = joinHashPairs(toks)
	if len(toks) == 0 {
		return s, "", nil
	}
	callee := toks[0].text
	args := 0
	parts := make([]string, 0, len(toks))
	for _, t := range toks[1:] {
		text := t.text
		switch {
		case strings.HasPrefix(text, "("):
			inner, _, err := rw.call(text[1:len(text)-1], false, false, false)
			if err != nil {
				return "", "", err
			}
			text = "(" + inner + ")"
			args++
		case isHashPair(text):
			eq := strings.IndexByte(text, '=')
			if v := text[eq+1:]; strings.HasPrefix(v, "(") && strings.HasSuffix(v, ")") {
				inner, _, err := rw.call(v[1:len(v)-1], false, false, false)
				if err != nil {
					return "", "", err
				}
				text = text[:eq+1] + "(" + inner + ")"
			}
		default:
			args++
		}
		parts = append(parts, text)
	}
	if !block && rw.blockless == "" && mockoonBlockOnly(callee, args) {
		rw.blockless, rw.blocklessLine = callee, rw.line
	}
	name := callee
	fn, isHelper := mockoonHelpers[callee]
	switch {
	case isHelper:
		name = callee + "__" + strconv.Itoa(args)
		rw.used[name] = mockoonCall{fn: fn, arity: args}
	case raymondBuiltins[callee]:
	case len(parts) > 0 && isIdentifier(callee):
		// A call of a helper we lack: Mockoon's helperMissing prints nothing.
		rw.missing = append(rw.missing, callee)
		name = missingHelper + "__" + strconv.Itoa(args)
		rw.used[name] = mockoonCall{fn: func(*mcall) any { return nil }, arity: args}
	}
	if callee == "faker" {
		// Mockoon's faker errors name the template line; the helper cannot
		// see it, so the call carries it.
		parts = append(parts, fakerLineKey+"="+strconv.Itoa(rw.line))
	}
	expr := strings.Join(append([]string{name}, parts...), " ")
	if !top {
		return expr, name, nil
	}
	printName, print := printHelper+"__1", printEscaped
	if raw {
		printName, print = printHelper+"Raw__1", printRaw
	}
	rw.used[printName] = mockoonCall{fn: print, arity: 1}
	if isHelper || len(parts) > 0 || name != callee {
		return printName + " (" + expr + ")", name, nil
	}
	return printName + " " + expr, name, nil
}

// raymondBuiltins are the helpers raymond itself provides; Handlebars has
// the same ones.
var raymondBuiltins = map[string]bool{"if": true, "unless": true, "with": true, "each": true, "lookup": true, "log": true}

// joinHashPairs merges "key", "=", "value" (Handlebars allows spaces around
// the "=") into one "key=value" token.
func joinHashPairs(toks []token) []token {
	out := toks[:0:0]
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch {
		case isIdentifier(t.text) && i+2 < len(toks) && toks[i+1].text == "=":
			t.text += "=" + toks[i+2].text
			i += 2
		case isIdentifier(t.text) && i+1 < len(toks) && strings.HasPrefix(toks[i+1].text, "=") && len(toks[i+1].text) > 1:
			t.text += toks[i+1].text
			i++
		case strings.HasSuffix(t.text, "=") && isIdentifier(strings.TrimSuffix(t.text, "=")) && i+1 < len(toks):
			t.text += toks[i+1].text
			i++
		}
		out = append(out, t)
	}
	return out
}

// isHashPair reports whether a token is "key=value".
func isHashPair(t string) bool {
	eq := strings.IndexByte(t, '=')
	return eq > 0 && isIdentifier(t[:eq])
}

func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '_' || c == '$' || c == '-' && i > 0 || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' && i > 0 {
			continue
		}
		return false
	}
	return true
}
