package render

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aymerick/raymond/parser"
)

func exec(t *testing.T, src string, req *Request) string {
	t.Helper()
	tpl, err := Compile("test.hbs", src)
	if err != nil {
		t.Fatalf("Compile(%q): %v", src, err)
	}
	out, err := tpl.Exec(req)
	if err != nil {
		t.Fatalf("Exec(%q): %v", src, err)
	}
	return out
}

func formRequest(body string) *Request {
	return &Request{Method: "POST", Body: []byte(body), ContentType: "application/x-www-form-urlencoded"}
}

func TestHelpers(t *testing.T) {
	now := time.Date(2026, 8, 26, 12, 0, 0, 0, time.UTC)
	req := &Request{
		Method: "POST",
		Path:   "/v1/customers/cus_ABC",
		Params: map[string]string{"customer": "cus_ABC"},
		Query:  url.Values{"limit": {"3"}, "expand[0]": {"data.customer"}},
		Header: http.Header{"Stripe-Account": {"acct_1"}},
		Body:   []byte("email=jenny%40example.com&amount=2000&capture=false&metadata[order_id]=6735&metadata[note]=a%22b&address[city]=Paris"),
		Now:    now,
	}
	tests := []struct {
		src, want string
	}{
		{`{{urlParam 'customer'}}`, `cus_ABC`},
		{`{{urlParam 'missing'}}`, ``},
		{`{{queryParam 'limit'}}`, `3`},
		{`{{queryParam 'starting_after' 'none'}}`, `none`},
		{`{{queryParam 'expand.0'}}`, `data.customer`},
		{`{{body 'email'}}`, `jenny@example.com`},
		{`{{body 'metadata.order_id'}}`, `6735`},
		{`{{body 'address.city' 'x'}}`, `Paris`},
		{`{{body 'nope' 'fallback'}}`, `fallback`},
		{`{{header 'Stripe-Account'}}`, `acct_1`},
		{`{{header 'Idempotency-Key' 'none'}}`, `none`},
		{`{{now}}`, `1787745600`},
		{`{{now 'iso'}}`, `2026-08-26T12:00:00Z`},
		{`{{now 'unix+86400'}}`, `1787832000`},
		{`{{#reflect 'expires_at' 'integer'}}{{now 'unix+3600'}}{{/reflect}}`, `1787749200`},
		{`{{#reflect 'amount' 'integer'}}100{{/reflect}}`, `2000`},
		{`{{#reflect 'email' 'string'}}null{{/reflect}}`, `"jenny@example.com"`},
		{`{{#reflect 'capture' 'boolean'}}true{{/reflect}}`, `false`},
		{`{{#reflect 'email' 'integer'}}7{{/reflect}}`, `7`},
		{`{{#reflect 'currency' 'string'}}"usd"{{/reflect}}`, `"usd"`},
		{`{{#reflect 'metadata' 'map'}}{}{{/reflect}}`, `{"note": "a\"b", "order_id": "6735"}`},
		{`{{#reflect 'shipping' 'map'}}null{{/reflect}}`, `null`},
		{`{{oneOf (array 'a')}}`, `a`},
		{`{{json 'x"y'}}`, `"x\"y"`},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			if got := exec(t, tt.src, req); got != tt.want {
				t.Errorf("got %q; want %q", got, tt.want)
			}
		})
	}
}

func TestJSONBody(t *testing.T) {
	req := &Request{Body: []byte(`{"email": "a\"b", "amount": 42, "metadata": {"k": "v", "n": 3}, "nested": {"x": [1, {"y": "z"}]}}`), ContentType: "application/json"}
	for src, want := range map[string]string{
		`{{body 'email'}}`:                             `a\"b`,
		`{{body 'nested.x.1.y'}}`:                      `z`,
		`{{#reflect 'amount' 'integer'}}0{{/reflect}}`: `42`,
		`{{#reflect 'metadata' 'map'}}{}{{/reflect}}`:  `{"k": "v", "n": "3"}`,
	} {
		if got := exec(t, src, req); got != want {
			t.Errorf("%s: got %q; want %q", src, got, want)
		}
	}
}

func TestRandomHelpersAreWellFormed(t *testing.T) {
	checks := map[string]func(string) bool{
		`{{id 'cus'}}`:                  func(s string) bool { return strings.HasPrefix(s, "cus_") && len(s) == 18 },
		`{{uuid}}`:                      func(s string) bool { return len(s) == 36 && s[14] == '4' },
		`{{int 5 7}}`:                   func(s string) bool { return s == "5" || s == "6" || s == "7" },
		`{{int}}`:                       func(s string) bool { return len(s) > 0 && len(s) <= 3 },
		`{{float 1 2}}`:                 func(s string) bool { return strings.HasPrefix(s, "1.") || s == "2.00" },
		`{{boolean}}`:                   func(s string) bool { return s == "true" || s == "false" },
		`{{faker 'person.firstName'}}`:  func(s string) bool { return s != "" },
		`{{oneOf (array 'x' 'y' 'z')}}`: func(s string) bool { return s == "x" || s == "y" || s == "z" },
	}
	for src, ok := range checks {
		for i := 0; i < 20; i++ {
			if got := exec(t, src, nil); !ok(got) {
				t.Errorf("%s gave %q", src, got)
				break
			}
		}
	}
}

// Everything a request inserts must keep the body valid JSON.
func TestEscaping(t *testing.T) {
	src := `{"a": "{{urlParam 'p'}}", "b": "{{body 'b'}}", "c": {{#reflect 'c' 'string'}}null{{/reflect}}, "d": "{{header 'X-D'}}", "e": "{{queryParam 'e'}}", "m": {{#reflect 'metadata' 'map'}}{}{{/reflect}} }`
	nasty := []string{`"`, `\`, "\n\r\t", "\x00\x1f", "'", "</script>", "héllo ✓ 🎉", "\xff\xfe", "\u2028", `{{urlParam 'p'}}`, strings.Repeat("x\"", 5000)}
	for _, s := range nasty {
		form := url.Values{"b": {s}, "c": {s}, "metadata[" + s + "]": {s}}
		req := &Request{
			Params: map[string]string{"p": s}, Body: []byte(form.Encode()),
			ContentType: "application/x-www-form-urlencoded",
			Header:      http.Header{"X-D": {s}}, Query: url.Values{"e": {s}},
		}
		out := exec(t, src, req)
		var v map[string]any
		if err := json.Unmarshal([]byte(out), &v); err != nil {
			t.Fatalf("input %q gave invalid JSON %q: %v", s, out, err)
		}
		if s == `"` && v["a"] != `"` {
			t.Errorf("round trip: got %q", v["a"])
		}
	}
}

func TestArityRewrite(t *testing.T) {
	src := `a {{queryParam 'x'}} {{queryParam "y z" 'd'}} {{#if (body 'a' 'b')}}{{now}}{{/if}} {{! {{body}} }} {{{body 'q'}}} {{queryParam "a\" 'b'\""}} {{#each (array (body 'x') 'y') }}{{this}}{{/each}} \{{body 'not a call'}}`
	prog, err := parser.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := rewriteArity(src, prog, defaultHelpers)
	if err != nil {
		t.Fatal(err)
	}
	want := `a {{queryParam__1 'x'}} {{queryParam__2 "y z" 'd'}} {{#if (body__2 'a' 'b')}}{{now__0}}{{/if}} {{! {{body}} }} {{{body__1 'q'}}} {{queryParam__1 "a\" 'b'\""}} {{#each (array__2 (body__1 'x') 'y') }}{{this}}{{/each}} \{{body 'not a call'}}`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestCompileErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"{\n  \"a\": \"{{queryParam 'a' 'b' 'c'}}\"\n}", `line 2: helper "queryParam" takes 1 to 2 argument(s), not 3`},
		{"{{#if x}}", "test.hbs"},
		{"{{body 'unterminated}}", "test.hbs: line 1: Unterminated string"},
		{"{\n{{oneOf (array 'a'}}", "test.hbs: line 2: Expecting CloseSexpr"},
		{"{{#if x}}\n{{else}}\n", "test.hbs: line 1: {{#if}} is never closed"},
	}
	for _, tt := range tests {
		_, err := Compile("test.hbs", tt.src)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Compile(%q) = %v; want an error containing %q", tt.src, err, tt.want)
		}
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("Compile(%q): error spans lines: %q", tt.src, err)
		}
	}
}

// A failing helper is an error value naming the template, not a panic.
func TestExecErrors(t *testing.T) {
	for _, src := range []string{`{{faker (queryParam 'k' 'no.such')}}`, `{{#reflect 'a' (queryParam 'k' 'weird')}}x{{/reflect}}`} {
		tpl, err := Compile("route.hbs", src)
		if err != nil {
			t.Fatal(err)
		}
		_, err = tpl.Exec(nil)
		if err == nil || !strings.Contains(err.Error(), "route.hbs") {
			t.Errorf("Exec(%q) = %v; want an error naming route.hbs", src, err)
		}
	}
}

func TestStaticTemplateSkipsRaymond(t *testing.T) {
	src := `{"object": "balance", "available": []}`
	if got := exec(t, src, nil); got != src {
		t.Errorf("got %q", got)
	}
}

func TestBodyValueForm(t *testing.T) {
	r := formRequest("a=1&a=2&b%5Bc%5D=3")
	if v, ok := r.BodyValue("a"); !ok || v != "1" {
		t.Errorf("a = %q, %v", v, ok)
	}
	if v, ok := r.BodyValue("b.c"); !ok || v != "3" {
		t.Errorf("b.c = %q, %v", v, ok)
	}
	if _, ok := r.BodyValue("z"); ok {
		t.Error("z found")
	}
}

// TestBodyDecodedByContentType checks how a body is read for each content
// type: JSON when it says so or, untyped, when it starts with a brace
// after white space; otherwise a form.
func TestBodyDecodedByContentType(t *testing.T) {
	cases := []struct{ ct, body, want string }{
		{"application/x-www-form-urlencoded", "b%5Bc%5D=form", "form"},
		{"application/x-www-form-urlencoded; charset=utf-8", "b%5Bc%5D=form", "form"},
		{"APPLICATION/X-WWW-FORM-URLENCODED", "b%5Bc%5D=form", "form"},
		{"", "b%5Bc%5D=form", "form"},
		{"application/json", `{"b":{"c":"json"}}`, "json"},
		{"Application/JSON; charset=utf-8", `{"b":{"c":"json"}}`, "json"},
		{"", " \n\t{\"b\":{\"c\":\"json\"}}", "json"},
		{"application/x-www-form-urlencoded", `{"b":{"c":"json"}}`, ""},
	}
	for _, c := range cases {
		r := &Request{Body: []byte(c.body), ContentType: c.ct}
		if v, _ := r.BodyValue("b.c"); v != c.want {
			t.Errorf("%q body %q: b.c = %q, want %q", c.ct, c.body, v, c.want)
		}
	}
}

func FuzzRender(f *testing.F) {
	tpl, err := Compile("fuzz.hbs", `{"id": "{{urlParam 'id'}}", "email": {{#reflect 'email' 'string'}}null{{/reflect}}, "amount": {{#reflect 'amount' 'integer'}}1{{/reflect}}, "paid": {{#reflect 'paid' 'boolean'}}false{{/reflect}}, "n": {{#reflect 'n' 'number'}}0{{/reflect}}, "metadata": {{#reflect 'metadata' 'map'}}{}{{/reflect}}, "q": "{{queryParam 'q'}}", "b": "{{body 'b.c'}}"}`)
	if err != nil {
		f.Fatal(err)
	}
	f.Add("cus_1", "email=a%40b.c&amount=10&metadata[k]=v", "application/x-www-form-urlencoded", "q=1")
	f.Add("\"\\", `{"email": "\u0000", "amount": 1e99, "n": 1e400, "b": {"c": [1]}}`, "application/json", "q=%ff")
	f.Add("x", "paid=maybe&n=NaN&amount=9999999999999999999999", "", "")
	f.Fuzz(func(t *testing.T, id, body, contentType, query string) {
		q, _ := url.ParseQuery(query)
		out, err := tpl.Exec(&Request{Params: map[string]string{"id": id}, Body: []byte(body), ContentType: contentType, Query: q})
		if err != nil {
			t.Fatalf("Exec: %v", err)
		}
		if !json.Valid([]byte(out)) {
			t.Fatalf("invalid JSON: %s", out)
		}
	})
}

func BenchmarkExec(b *testing.B) {
	src := strings.Repeat(`"field": "value", `, 60)
	tpl, err := Compile("bench.hbs", `{"id": "{{urlParam 'customer'}}", `+src+`"created": {{now}}, "email": {{#reflect 'email' 'string'}}null{{/reflect}} }`)
	if err != nil {
		b.Fatal(err)
	}
	req := &Request{Params: map[string]string{"customer": "cus_123"}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tpl.Exec(req); err != nil {
			b.Fatal(err)
		}
	}
}

// The fast path and raymond must write the same bytes.
func TestPlanMatchesRaymond(t *testing.T) {
	req := &Request{
		Params: map[string]string{"customer": `cus_"1"`},
		Query:  url.Values{"limit": {"3"}},
		Header: http.Header{"X-A": {"b"}},
		Body:   []byte("amount=12&email=x%40y.z&metadata[a]=b&flag=true&n=1.5"), ContentType: "application/x-www-form-urlencoded",
		Now: time.Unix(1700000000, 0),
	}
	srcs := []string{
		"{\n  \"id\": \"{{urlParam 'customer'}}\",\n  \"created\": {{now}},\n  \"iso\": \"{{now 'iso'}}\"\n}",
		`{"amount": {{#reflect 'amount' 'integer'}}1{{/reflect}}, "email": {{#reflect 'email' 'string'}}null{{/reflect}}, "m": {{#reflect 'metadata' 'map'}}{}{{/reflect}}, "f": {{#reflect 'flag' 'boolean'}}false{{/reflect}}, "n": {{#reflect 'n' 'number'}}0{{/reflect}}, "missing": {{#reflect 'nope' 'integer'}}7{{/reflect}} }`,
		`{"q": "{{queryParam 'limit'}}", "d": "{{queryParam 'x' 'def'}}", "b": "{{body 'email'}}", "h": "{{header 'X-A'}}", "hd": "{{header 'X-B' 'none'}}"}`,
		"{{! a comment }}plain {{urlParam 'customer'}}\n",
		"{\n  \"a\": {{#reflect 'amount' 'integer'}}\n    1\n  {{/reflect}}\n}",
	}
	for _, src := range srcs {
		tpl, err := Compile("t.hbs", src)
		if err != nil {
			t.Fatal(err)
		}
		if tpl.plan == nil {
			t.Errorf("no fast plan for %q", src)
			continue
		}
		fast, _ := tpl.Exec(req)
		rt, err := tpl.raymond()
		if err != nil {
			t.Fatal(err)
		}
		slow, err := tpl.execRaymond(rt, req)
		if err != nil {
			t.Fatal(err)
		}
		if fast != slow {
			t.Errorf("template %q:\nplan    %q\nraymond %q", src, fast, slow)
		}
	}
}

// sameId names the id the rendering last made with its prefix, on the fast
// path and through raymond alike, and a new one where none was made.
func TestSameIDNamesTheIDMade(t *testing.T) {
	src := `{"id": "{{id 'pi'}}", "charge": "{{id 'ch'}}", "secret": "{{sameId 'pi'}}_secret_x", "url": "/v1/charges/{{sameId 'ch'}}/refunds", "other": "{{sameId 'cus'}}"}`
	tpl, err := Compile("t.hbs", src)
	if err != nil {
		t.Fatal(err)
	}
	if tpl.plan == nil {
		t.Fatal("no fast plan")
	}
	rt, err := tpl.raymond()
	if err != nil {
		t.Fatal(err)
	}
	for name, run := range map[string]func(*Request) (string, error){
		"plan":    tpl.Exec,
		"raymond": func(r *Request) (string, error) { return tpl.execRaymond(rt, r) },
	} {
		req, before := &Request{}, ""
		for range 2 { // a request rendered twice names each rendering's own ids
			var got struct{ ID, Charge, Secret, URL, Other string }
			out, err := run(req)
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("%s: %v in %s", name, err, out)
			}
			if got.Secret != got.ID+"_secret_x" || got.URL != "/v1/charges/"+got.Charge+"/refunds" {
				t.Errorf("%s: %s", name, out)
			}
			if !strings.HasPrefix(got.Other, "cus_") || len(got.Other) != 18 {
				t.Errorf("%s: sameId with no id made gave %q", name, got.Other)
			}
			if got.ID == before {
				t.Errorf("%s: the second rendering named the first's id %s", name, before)
			}
			before = got.ID
		}
	}
}
