// Package choose picks a route's response for a request, as Mockoon does:
// response rules (body, query, header, cookie, params, path, method,
// request_number, global_var, data_bucket and templating targets; equals,
// regex, regex_i, null, empty_array, array_includes and valid_json_schema
// operators; invert; AND/OR) and response modes (RANDOM, SEQUENTIAL,
// FALLBACK, DISABLE_RULES). It also keeps what a Mockoon environment
// shares while it serves: per-route request counters, global variables
// and data buckets. Plain Go: the server consults it through
// server.Chooser.
package choose

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/xeipuuv/gojsonschema"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/render"
)

// Chooser picks variants for one catalog. Safe for concurrent use.
type Chooser struct {
	env    *render.MockoonEnv
	counts []atomic.Int64 // requests per route, by route index
	routes []*routeChoice // by route index
	// schemas caches compiled JSON schemas by their JSON text (a bucket
	// may change, so the text is the key).
	schemas sync.Map
}

// routeChoice is a route's variants in the file's order, with their rules
// ready to evaluate.
type routeChoice struct {
	mode     string
	ordered  []*catalog.Variant
	rules    map[*catalog.Variant][]*rule
	fallback *catalog.Variant // the default
}

// rule is a catalog.Rule with its templates compiled.
type rule struct {
	catalog.Rule
	modifier, value *text
}

// text is a rule's modifier or value: literal, or a Mockoon template
// rendered per request (a template that fails reads as its text, as in
// Mockoon).
type text struct {
	literal string
	tpl     *render.Template
}

// New prepares the rules of every route of cat and starts the
// environment's shared state (its data buckets are rendered now).
func New(cat *catalog.Catalog) (*Chooser, error) {
	c := &Chooser{
		env:    render.NewMockoonEnv(cat.DataBuckets),
		counts: make([]atomic.Int64, len(cat.Routes)),
		routes: make([]*routeChoice, len(cat.Routes)),
	}
	for _, r := range cat.Routes {
		rc := &routeChoice{mode: r.ResponseMode, rules: map[*catalog.Variant][]*rule{}}
		// The file's responses in the file's order; a variant of routedeck's
		// own (Order 0 among numbered ones) is no response of the file.
		for _, v := range r.Variants {
			if v.Order > 0 {
				rc.ordered = append(rc.ordered, v)
			}
		}
		if len(rc.ordered) == 0 {
			rc.ordered = slices.Clone(r.Variants)
		}
		slices.SortStableFunc(rc.ordered, func(a, b *catalog.Variant) int { return a.Order - b.Order })
		if len(r.Variants) > 0 {
			rc.fallback = r.Variants[0]
		}
		for _, v := range r.Variants {
			for i, cr := range v.Rules {
				mod, err := compile(cr.Modifier)
				if err != nil {
					return nil, fmt.Errorf("%s: %s: rule %d: modifier: %w", r.Key(), v.Label, i+1, err)
				}
				val, err := compile(cr.Value)
				if err != nil {
					return nil, fmt.Errorf("%s: %s: rule %d: value: %w", r.Key(), v.Label, i+1, err)
				}
				rc.rules[v] = append(rc.rules[v], &rule{Rule: cr, modifier: mod, value: val})
			}
		}
		c.routes[r.Index()] = rc
	}
	return c, nil
}

func compile(s string) (*text, error) {
	if !strings.Contains(s, "{{") {
		return &text{literal: s}, nil
	}
	tpl, err := render.CompileDialect("rule", s, render.Mockoon)
	if err != nil {
		// Mockoon compares a template that does not parse as its text.
		return &text{literal: s}, nil
	}
	return &text{literal: s, tpl: tpl}, nil
}

// Env is the environment's shared state (global variables, data buckets).
func (c *Chooser) Env() *render.MockoonEnv { return c.env }

// Choose sees every request its route matched, before it renders: it
// counts the request and attaches the environment's shared state to req.
// When decide is true it picks the variant: nil for the route's default,
// or passOn true when no variant answers (FALLBACK mode, no rule
// holds): the request is answered as if no route matched.
func (c *Chooser) Choose(route *catalog.Route, req *render.Request, decide bool) (v *catalog.Variant, passOn bool) {
	req.Mockoon = c.env
	i := route.Index()
	if i < 0 || i >= len(c.routes) || c.routes[i] == nil {
		return nil, false
	}
	n := c.counts[i].Add(1)
	if !decide {
		return nil, false
	}
	rc := c.routes[i]
	if len(rc.ordered) == 0 {
		return nil, false
	}
	switch rc.mode {
	case "RANDOM":
		return rc.ordered[rand.IntN(len(rc.ordered))], false
	case "SEQUENTIAL":
		return rc.ordered[int((n-1)%int64(len(rc.ordered)))], false
	case "DISABLE_RULES":
		return rc.fallback, false
	}
	ev := &evaluation{c: c, req: req, number: n}
	for _, v := range rc.ordered {
		rules := rc.rules[v]
		if len(rules) == 0 {
			continue
		}
		if v.RulesOperator == "AND" {
			if !slices.ContainsFunc(rules, func(r *rule) bool { return !ev.holds(r) }) {
				return v, false
			}
		} else if slices.ContainsFunc(rules, ev.holds) {
			return v, false
		}
	}
	if rc.mode == "FALLBACK" {
		// Mockoon counts only the requests a route answers: the next
		// route gets this one.
		c.counts[i].Add(-1)
		return nil, true
	}
	return rc.fallback, false
}

// evaluation is one request's rule checks; targets are read once.
type evaluation struct {
	c      *Chooser
	req    *render.Request
	number int64

	bodyOnce   bool
	body       any
	bodyParsed bool
}

func (e *evaluation) render(t *text) string {
	if t.tpl == nil {
		return t.literal
	}
	out, err := t.tpl.Exec(e.req)
	if err != nil {
		return t.literal
	}
	return out
}

func (e *evaluation) parsedBody() (any, bool) {
	if !e.bodyOnce {
		e.body, e.bodyParsed = render.MockoonRuleBody(e.req)
		e.bodyOnce = true
	}
	return e.body, e.bodyParsed
}

// undefined is JavaScript's undefined: no value at all (nil is null).
type undefinedValue struct{}

var undefined any = undefinedValue{}

// holds is Mockoon's isValid: the rule, inverted if it says so.
func (e *evaluation) holds(r *rule) bool {
	return e.check(r) != r.Invert
}

// check is Mockoon's isValidRule.
func (e *evaluation) check(r *rule) bool {
	mod := e.render(r.modifier)
	var value any = undefined
	switch r.Target {
	case "request_number":
		value = float64(e.number)
	case "cookie":
		if mod == "" {
			return false
		}
		hr := http.Request{Header: e.req.Header}
		if ck, err := hr.Cookie(mod); err == nil {
			value = ck.Value
		}
	case "path":
		url := e.req.Path
		if e.req.RawQuery != "" {
			url += "?" + e.req.RawQuery
		}
		// Mockoon compares the URL as requested and the path alone.
		value = []any{url, e.req.Path}
	case "method":
		value = strings.ToLower(e.req.Method)
	case "header":
		if mod == "" {
			value = ""
		} else if vs := e.req.Header.Values(mod); len(vs) > 0 {
			value = strings.Join(vs, ", ")
		}
	case "templating":
		value = mod
	default:
		if mod != "" {
			if found, ok := render.MockoonPath(e.target(r.Target), mod); ok {
				value = found
			}
			break
		}
		switch r.Target {
		case "body":
			body, parsed := e.parsedBody()
			if !parsed || r.Operator == "equals" || r.Operator == "regex" || r.Operator == "regex_i" {
				body = string(e.req.Body)
			}
			value = body
		case "query":
			value = render.MockoonQuery(e.req)
		}
	}
	switch r.Operator {
	case "null":
		return value == undefined || value == nil || value == ""
	case "empty_array":
		arr, ok := value.([]any)
		return ok && len(arr) == 0
	}
	if value == undefined {
		return false
	}
	if value == nil {
		value = ""
	}
	want := e.render(r.value)
	switch r.Operator {
	case "valid_json_schema":
		return e.c.validSchema(e.req, r.Value, value)
	case "array_includes":
		arr, ok := value.([]any)
		return ok && r.Modifier != "" && slices.ContainsFunc(arr, func(x any) bool { return render.JSString(x) == want })
	case "regex", "regex_i":
		pattern := want
		if r.Operator == "regex_i" {
			pattern = "(?i)" + pattern
		}
		re, err := regexp.Compile(pattern)
		if err != nil {
			return false
		}
		if arr, ok := value.([]any); ok {
			return slices.ContainsFunc(arr, func(x any) bool { return re.MatchString(render.JSString(x)) })
		}
		return re.MatchString(render.JSString(value))
	}
	if arr, ok := value.([]any); ok {
		return slices.ContainsFunc(arr, func(x any) bool { return render.JSString(x) == want })
	}
	return render.JSString(value) == want
}

// target is the value a path-taking rule target reads.
func (e *evaluation) target(name string) any {
	switch name {
	case "body":
		body, _ := e.parsedBody()
		return body
	case "query":
		return render.MockoonQuery(e.req)
	case "params":
		return render.MockoonParams(e.req)
	case "global_var":
		return e.c.env.Globals()
	case "data_bucket":
		return e.c.env.Buckets(e.req)
	}
	return nil
}

// validSchema checks value against the JSON schema found in the data
// buckets at path (a bucket's id or name, then a path inside it).
func (c *Chooser) validSchema(req *render.Request, path string, value any) bool {
	found, ok := render.MockoonPath(c.env.Buckets(req), path)
	if !ok {
		return false
	}
	schema := render.Plain(found)
	if _, isObj := schema.(map[string]any); !isObj {
		if b, isBool := schema.(bool); !isBool || !b {
			return false
		}
	}
	text, err := json.Marshal(schema)
	if err != nil {
		return false
	}
	compiled, ok := c.schemas.Load(string(text))
	if !ok {
		// gojsonschema: draft-07 (Ajv's default) with formats asserted, as
		// Mockoon's ajv-formats does. Its package initialisation costs a
		// tenth of a millisecond; the compilers that load their
		// meta-schemas at init cost 4-5 ms of every start-up.
		sch, err := gojsonschema.NewSchema(gojsonschema.NewBytesLoader(text))
		if err != nil {
			sch = nil
		}
		compiled, _ = c.schemas.LoadOrStore(string(text), sch)
	}
	sch, _ := compiled.(*gojsonschema.Schema)
	if sch == nil {
		return false
	}
	res, err := sch.Validate(gojsonschema.NewGoLoader(render.Plain(value)))
	return err == nil && res.Valid()
}

// Count is how many requests route has had (its request_number so far).
func (c *Chooser) Count(route *catalog.Route) int {
	i := route.Index()
	if i < 0 || i >= len(c.counts) {
		return 0
	}
	return int(c.counts[i].Load())
}
