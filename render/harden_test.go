package render

import (
	"encoding/json"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aymerick/raymond/ast"
	"github.com/aymerick/raymond/parser"
)

// sameBytes renders tpl through its plan and through raymond with one
// request, with deterministic ids, and reports any difference.
func sameBytes(t *testing.T, tpl *Template, req *Request) {
	t.Helper()
	if tpl.plan == nil {
		return
	}
	ids := func() func(string) string {
		n := 0
		return func(prefix string) string { n++; return prefix + "_" + strconv.Itoa(n) }
	}
	r1, r2 := *req, *req
	r1.ids, r2.ids = ids(), ids()
	fast, err := tpl.Exec(&r1)
	if err != nil {
		t.Fatalf("plan: %v", err)
	}
	rt, err := tpl.raymond()
	if err != nil {
		t.Fatalf("raymond cannot parse what the plan runs: %v", err)
	}
	slow, err := tpl.execRaymond(rt, &r2)
	if err != nil {
		t.Fatalf("raymond: %v (plan gave %q)", err, fast)
	}
	if fast != slow {
		t.Fatalf("the plan and raymond differ for %q:\nplan    %q\nraymond %q", tpl.source, fast, slow)
	}
}

// Defect: an escaped quote inside a string argument made the arity rewrite
// count two arguments where raymond sees one; the plan then indexed past
// its arguments and panicked.
func TestEscapedQuoteInArgument(t *testing.T) {
	src := `{"q": "{{queryParam "a\" 'b'\""}}"}`
	tpl, err := Compile("q.hbs", src)
	if err != nil {
		t.Fatal(err)
	}
	req := &Request{Query: url.Values{`a" 'b'"`: {`x"y`}}}
	out, err := tpl.Exec(req)
	if err != nil {
		t.Fatal(err)
	}
	if out != `{"q": "x\"y"}` {
		t.Errorf("got %s", out)
	}
	sameBytes(t, tpl, req)
	// And with no such parameter: the empty string, not a panic.
	if out, err := tpl.Exec(nil); err != nil || out != `{"q": ""}` {
		t.Errorf("no query: got %q, %v", out, err)
	}
}

// Calls raymond sees differently from a whitespace split: sub expressions,
// hash arguments, escaped quotes, strings with parentheses.
func TestArgumentCountsFollowRaymond(t *testing.T) {
	req := &Request{
		Query:  url.Values{"a b": {"1"}, "(x)": {"2"}, `it's`: {"3"}},
		Header: http.Header{"X-A": {"h"}},
		Body:   []byte("k=v"), ContentType: "application/x-www-form-urlencoded",
		Now: time.Unix(1700000000, 0),
	}
	for src, want := range map[string]string{
		`{{queryParam 'a b'}}`:                       `1`,
		`{{queryParam '(x)' 'd'}}`:                   `2`,
		`{{queryParam 'it\'s'}}`:                     `3`,
		`{{queryParam "it's" "x"}}`:                  `3`,
		`{{queryParam 'zz' ')'}}`:                    `)`,
		`{{queryParam 'zz' "a\"b"}}`:                 `a\"b`,
		`{{body (header 'X-A' 'k') 'none'}}`:         `none`,
		`{{body (queryParam 'q' 'k')}}`:              `v`,
		`{{#if (body 'k')}}yes{{else}}no{{/if}}`:     `yes`,
		`{{json (queryParam 'a b' 'c') }}`:           `"1"`,
		`{{#each (array 'p' 'q')}}{{this}}{{/each}}`: `pq`,
	} {
		tpl, err := Compile("t.hbs", src)
		if err != nil {
			t.Errorf("%s: %v", src, err)
			continue
		}
		out, err := tpl.Exec(req)
		if err != nil || out != want {
			t.Errorf("%s: got %q, %v; want %q", src, out, err, want)
		}
		sameBytes(t, tpl, req)
	}
}

// The plan checks each call's argument count against the helper's arity
// and leaves a mismatch to raymond instead of indexing past the arguments.
func TestPlanChecksArity(t *testing.T) {
	for _, src := range []string{`{{queryParam__2 'a'}}`, `{{urlParam}}`, `{{id 'a' 'b'}}`, `{{now__0 'x'}}`} {
		prog, err := parser.Parse(src)
		if err != nil {
			t.Fatal(err)
		}
		if p := compilePlan(src, prog); p != nil {
			t.Errorf("%s: got a plan; want raymond", src)
		}
	}
}

// A panic anywhere in rendering is an error naming the template.
func TestExecRecoversPanics(t *testing.T) {
	tpl := &Template{name: "routes/x.hbs", plan: &plan{planSteps: planSteps[stepWriter]{steps: []planStep[stepWriter]{{write: func(*Request, *strings.Builder) {
		var a []string
		_ = a[1]
	}}}}}}
	out, err := tpl.Exec(nil)
	if err == nil || !strings.Contains(err.Error(), "routes/x.hbs") || out != "" {
		t.Fatalf("got %q, %v; want an error naming the template", out, err)
	}
}

// deepTemplate is a million nested {{#if 1}}, the template that once took
// 20 s and 2 GB to load.
func deepTemplate() string {
	return "{\n" + strings.Repeat("{{#if 1}}", 1_000_000) + strings.Repeat("{{/if}}", 1_000_000) + "\n}"
}

// BenchmarkRejectDeepNesting measures how long refusing deepTemplate takes.
func BenchmarkRejectDeepNesting(b *testing.B) {
	deep := deepTemplate()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile("deep.hbs", deep); err == nil {
			b.Fatal("accepted")
		}
	}
}

// Defect: a million nested {{#if 1}} took 20 s and 2 GB to load, and the
// first request overflowed the stack. Deep nesting and huge templates are
// refused at once, with the line.
func TestNestingAndSizeLimits(t *testing.T) {
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	deep := deepTemplate()
	_, err := Compile("deep.hbs", deep)
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "deep.hbs") {
		t.Fatalf("got %v; want an error naming deep.hbs", err)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 256<<20 {
		t.Errorf("rejecting allocated %d MB", grew>>20)
	}

	tests := []struct{ src, want string }{
		{"{\n\n" + strings.Repeat("{{#if 1}}", MaxDepth+1) + strings.Repeat("{{/if}}", MaxDepth+1), "line 3: blocks nested more than"},
		{"{{#if 1}}\n" + strings.Repeat("{{else if 1}}", MaxDepth+1) + "{{/if}}", "line 2: blocks nested more than"},
		{"{{body " + strings.Repeat("(body ", MaxDepth+1) + "'x'" + strings.Repeat(")", MaxDepth+1) + "}}", "line 1: blocks and sub expressions nested"},
		{strings.Repeat(" ", MaxTemplateBytes+1), "at most 1048576"},
		// Raw blocks close themselves, not the blocks around them.
		{strings.Repeat("{{#if 1}}{{{{raw}}}}x{{{{/raw}}}}", MaxDepth+1) + strings.Repeat("{{/if}}", MaxDepth+1), "nested more than"},
		// A quote inside a path literal starts no string.
		{"{{[it's]}}\n" + strings.Repeat("{{#if 1}}", MaxDepth+1) + strings.Repeat("{{/if}}", MaxDepth+1), "line 2: blocks nested more than"},
	}
	for _, tt := range tests {
		_, err := Compile("t.hbs", tt.src)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Compile(%.40q...) = %v; want %q", tt.src, err, tt.want)
		}
	}
	// Nesting up to the limit, and braces in strings and comments, are fine.
	ok := []string{
		strings.Repeat("{{#if 1}}", MaxDepth) + "x" + strings.Repeat("{{/if}}", MaxDepth),
		`{{! {{#if 1}} }}{{!-- {{#if}} --}}{{body '{{#if'}}\{{#if}}{{queryParam "}}{{#if\"" '{{#x'}}`,
	}
	for _, src := range ok {
		if _, err := Compile("t.hbs", src); err != nil {
			t.Errorf("Compile(%.60q) = %v", src, err)
		}
	}
}

// Defect: an unknown helper rendered nothing, an unknown faker path failed
// every request, an unclosed {{#each}} was reported at the end of the file.
func TestLoadTimeChecks(t *testing.T) {
	tests := []struct{ src, want string }{
		{"{\n  \"email\": \"{{bodyy 'email'}}\"\n}", `line 2: unknown helper "bodyy" (did you mean "body"?)`},
		{"{\n\n  \"n\": \"{{faker 'person.frstName'}}\"\n}", `line 3: unknown faker path "person.frstName"`},
		{"{\n  \"d\": [{{#each (array 'a' 'b')}}\n    \"{{this}}\"\n  ]\n}\n\n", `line 2: {{#each}} is never closed`},
		{"{{#if 1}}\n{{#each (array 'a')}}\n{{/if}}\n", `line 3: {{/if}} closes {{#each}} opened on line 2`},
		{"{\"a\": \"{{emial}}\"}", `line 1: unknown helper "emial"`},
		{"\n{{urlParm 'id'}}", `line 2: unknown helper "urlParm" (did you mean "urlParam"?)`},
		{"{{#reflect 'a' 'int'}}1{{/reflect}}", `reflect: unknown type "int"`},
		{"{{> card}}", "partials"},
		{"{{foo.bar 'x'}}", `"foo.bar" is not a helper`},
		{"{{log 'x'}}", `unknown helper "log"`},
		{"{{#reflect '' 'integer'}}\n{{reflect '' 'map'}}{{/reflect}}", `line 2: "reflect" needs a block`},
		{"{{#if 1}}{{if 1}}{{/if}}", `"if" needs a block`},
		{"{{body (each 1)}}", `"each" needs a block`},
		{strings.Repeat("{{#each (array 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16)}}", 8) + "x" + strings.Repeat("{{/each}}", 8), "{{#each}} blocks nested more than 3 deep"},
	}
	for _, tt := range tests {
		_, err := Compile("t.hbs", tt.src)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "t.hbs: ") {
			t.Errorf("Compile(%q) = %v; want %q", tt.src, err, tt.want)
		}
	}
	// Values inside {{#each}} and {{#with}} are not helpers.
	for _, src := range []string{
		`{{#each (array 'a')}}{{this}}{{@index}}{{length}}{{/each}}`,
		`{{#with (array 'a')}}{{first}}{{/with}}`,
		`{{faker (queryParam 'kind' 'person.firstName')}}`,
	} {
		if _, err := Compile("t.hbs", src); err != nil {
			t.Errorf("Compile(%q) = %v", src, err)
		}
	}
}

// FuzzPlanMatchesRaymond is the differential check: whatever the template
// and request, Compile and Exec never panic, and wherever the fast plan
// runs, raymond writes the same bytes.
func FuzzPlanMatchesRaymond(f *testing.F) {
	f.Add(`{"q": "{{queryParam "a\" 'b'\""}}"}`, "a%22+%27b%27%22=1", "k=v", "application/x-www-form-urlencoded", "v")
	f.Add(`{"id": "{{urlParam 'id'}}", "c": {{now}}, "i": "{{now 'iso'}}", "x": "{{id 'cus'}}"}`, "", "", "", "")
	f.Add(`{{#reflect 'amount' 'integer'}}1{{/reflect}} {{#reflect 'metadata' 'map'}}{}{{/reflect}}`, "", "amount=5&metadata[a]=b", "", "")
	f.Add(`{{queryParam 'x' 'd'}}{{body 'b.c' "e\"f"}}{{header 'X-A'}}{{header 'X-B' 'z'}}`, "x=1", `{"b": {"c": 2}}`, "application/json", "hv")
	f.Add("{{! c }}{{!-- {{x}} --}}\\{{body 'a'}}{{body '\\'' '\\\\'}}", "", "'=q", "", "")
	f.Add(`{{~body 'a'~}} {{{queryParam 'q'}}} {{&header 'X-A'}}`, "q=%22", "a=1", "", "x")
	f.Fuzz(func(t *testing.T, src, query, body, contentType, header string) {
		tpl, err := Compile("fuzz.hbs", src)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error spans lines: %q", err)
			}
			return
		}
		q, _ := url.ParseQuery(query)
		req := &Request{
			Params: map[string]string{"id": header}, Query: q,
			Header: http.Header{"X-A": {header}},
			Body:   []byte(body), ContentType: contentType,
			Now: time.Unix(1700000000, 0),
		}
		if _, err := tpl.Exec(req); err != nil && tpl.plan != nil {
			t.Fatalf("plan failed: %v", err)
		}
		sameBytes(t, tpl, req)
	})
}

// The body parsers never panic, and what they find is consistent.
func FuzzBodyForm(f *testing.F) {
	f.Add("email=a%40b.c&metadata[k]=v&a[b][c]=1", "metadata", "a.b.c")
	f.Add("%zz=&&=&a=1&a=2", "a", "")
	f.Add("k[=1&k[]]=2&k[a[b]]=3", "k", "k.a")
	f.Fuzz(func(t *testing.T, body, mapName, path string) {
		r := &Request{Body: []byte(body), ContentType: "application/x-www-form-urlencoded"}
		v, ok := r.BodyValue(path)
		if !ok && v != "" {
			t.Fatalf("BodyValue(%q) = %q but not found", path, v)
		}
		m, ok := r.BodyMap(mapName)
		if ok != (m != nil) {
			t.Fatalf("BodyMap(%q) = %v, %v", mapName, m, ok)
		}
		if ok {
			// Every member is the form's value of name[key].
			form, _ := url.ParseQuery(body)
			for k, val := range m {
				if vs := form[mapName+"["+k+"]"]; len(vs) == 0 || vs[0] != val {
					t.Fatalf("BodyMap(%q)[%q] = %q; the form says %q", mapName, k, val, vs)
				}
			}
		}
		// The pairs decode as url.ParseQuery does.
		checkFormLikeParseQuery(t, body, []string{path}, []string{mapName})
		// What a body helper inserts keeps a JSON string valid.
		if s := `"` + bodyCore(r, path, "") + `"`; !json.Valid([]byte(s)) {
			t.Fatalf("bodyCore gave invalid JSON %s", s)
		}
	})
}

// FuzzBodyJSON feeds JSON bodies (valid or not) to the same lookups.
func FuzzBodyJSON(f *testing.F) {
	f.Add(`{"a": {"b": [1, {"c": "d"}]}, "metadata": {"k": "v", "n": 1, "o": {}}}`, "metadata", "a.b.1.c")
	f.Add(`{"a": null, "b": 1e400, "c": "\ud800"}`, "a", "b")
	f.Add(`[1, 2]`, "0", "0")
	f.Add(`{"x": `, "x", "x")
	f.Fuzz(func(t *testing.T, body, mapName, path string) {
		r := &Request{Body: []byte(body), ContentType: "application/json"}
		v, ok := r.BodyValue(path)
		if !ok && v != "" {
			t.Fatalf("BodyValue(%q) = %q but not found", path, v)
		}
		if m, ok := r.BodyMap(mapName); ok {
			var doc any
			if err := json.Unmarshal([]byte(body), &doc); err != nil {
				t.Fatalf("BodyMap found %v in invalid JSON", m)
			}
		}
		for _, kind := range []string{"string", "integer", "number", "boolean", "map"} {
			if s, ok := reflectCore(r, path, kind); ok && !json.Valid([]byte(s)) {
				t.Fatalf("reflect %s gave invalid JSON %s", kind, s)
			}
		}
	})
}

// Block helpers called without a block overflowed the stack in the
// Mockoon dialect too; deep nesting is refused there as well.
func TestMockoonDialectLimits(t *testing.T) {
	for src, want := range map[string]string{
		"{{#if 1}}\n{{if 1}}{{/if}}":                                                    `line 2: "if" needs a block`,
		"{{#each (array 1 2)}}{{base64}}{{/each}}":                                      `"base64" needs a block`,
		"{{#switch 'a'}}{{case 'a'}}{{/switch}}":                                        `"case" needs a block`,
		strings.Repeat("{{#if 1}}", MaxDepth+1) + strings.Repeat("{{/if}}", MaxDepth+1): "nested more than",
	} {
		_, err := CompileDialect("m.hbs", src, Mockoon)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("CompileDialect(%.50q) = %v; want %q", src, err, want)
		}
	}
	tpl, err := CompileDialect("m.hbs", "{{#if 1}}{{base64 'x'}}{{/if}}", Mockoon)
	if err != nil {
		t.Fatal(err)
	}
	if out, err := tpl.Exec(nil); err != nil || out != "eA==" {
		t.Errorf("got %q, %v", out, err)
	}
}

// The Mockoon dialect reads escaped quotes as raymond does too, and an
// error while rendering stays on one line.
func TestMockoonEscapedQuote(t *testing.T) {
	tpl, err := CompileDialect("m.hbs", `{"q": "{{queryParam "a\" 'b'\""}}"}`, Mockoon)
	if err != nil {
		t.Fatal(err)
	}
	out, err := tpl.Exec(&Request{RawQuery: url.Values{`a" 'b'"`: {"v"}}.Encode()})
	if err != nil || out != `{"q": "v"}` {
		t.Errorf("got %q, %v", out, err)
	}
	tpl, err = Compile("t.hbs", `{{faker (queryParam 'k' 'no.such')}}`)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tpl.Exec(nil); err == nil || strings.Contains(err.Error(), "\n") {
		t.Errorf("Exec error %q; want one line", err)
	}
}

// astDepth is how deeply raymond's parse of a template nests: blocks
// (else-if links included) and sub expressions.
func astDepth(p *ast.Program) int {
	if p == nil {
		return 0
	}
	var expr func(e *ast.Expression) int
	expr = func(e *ast.Expression) int {
		d := 0
		if e == nil {
			return 0
		}
		nodes := e.Params
		if e.Hash != nil {
			for _, pair := range e.Hash.Pairs {
				nodes = append(nodes[:len(nodes):len(nodes)], pair.Val)
			}
		}
		for _, n := range nodes {
			if sub, ok := n.(*ast.SubExpression); ok {
				d = max(d, 1+expr(sub.Expression))
			}
		}
		return d
	}
	d := 0
	for _, n := range p.Body {
		switch n := n.(type) {
		case *ast.MustacheStatement:
			d = max(d, expr(n.Expression))
		case *ast.BlockStatement:
			d = max(d, 1+max(expr(n.Expression), astDepth(n.Program), astDepth(n.Inverse)))
		case *ast.PartialStatement:
			if n.Hash != nil || len(n.Params) > 0 {
				d = max(d, expr(&ast.Expression{Params: n.Params, Hash: n.Hash}))
			}
		}
	}
	return d
}

// FuzzNestingScan checks that the nesting scan, which guards raymond's
// recursive parser, never sees less nesting than raymond parses: whatever
// raymond parses, the scan read to the end and counted at least as deep.
func FuzzNestingScan(f *testing.F) {
	for _, s := range []string{
		"{{#if (a (b))}}{{else if (c)}}{{#each x}}{{/each}}{{/if}}",
		"{{{{raw}}}}{{#if}}{{{{/raw}}}}{{#a}}{{/a}}",
		`{{[it's]}}{{#a "}}{{#b" '\'' x=(y (z))}}{{/a}}`,
		"\\{{#a}}\\\\{{#b}}{{/b}}{{!-- {{#c}} --}}{{! {{#d}} }}{{^e}}{{^}}{{/e}}",
		"{{~#a~}}{{~else b~}}{{~/a~}}{{#> p}}{{/p}}{{#*inline \"x\"}}{{/inline}}",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		res, err := scanBlocks(src)
		if err != nil {
			return // refused as too deep
		}
		prog, err := parser.Parse(src)
		if err != nil {
			return
		}
		if !res.complete {
			t.Fatalf("the scan stopped early, yet raymond parses %q", src)
		}
		if d := astDepth(prog); d > res.maxDepth {
			t.Fatalf("raymond nests %d deep, the scan saw %d: %q", d, res.maxDepth, src)
		}
	})
}
