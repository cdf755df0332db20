package catalog

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// fixture builds a small catalog FS from "METHOD /path" keys.
func fixture(t testing.TB, keys ...string) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	m := Manifest{Name: "Test"}
	for i, key := range keys {
		method, path, _ := strings.Cut(key, " ")
		success := fmt.Sprintf("r%d.success.hbs", i)
		errFile := fmt.Sprintf("r%d.error.hbs", i)
		fsys[success] = &fstest.MapFile{Data: []byte(fmt.Sprintf(`{"route": %q}`, key))}
		fsys[errFile] = &fstest.MapFile{Data: []byte(`{"error": {"type": "invalid_request_error", "message": "no"}}`)}
		m.Routes = append(m.Routes, ManifestRoute{Method: method, Path: path, Variants: []ManifestVariant{
			{Kind: "success", Status: 200, File: success},
			{Kind: "error", Status: 404, File: errFile},
		}})
	}
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	fsys[ManifestName] = &fstest.MapFile{Data: data}
	return fsys
}

func TestMatch(t *testing.T) {
	cat, err := Load(fixture(t,
		"GET /v1/invoices/:invoice",
		"GET /v1/invoices/upcoming",
		"GET /v1/invoices/upcoming/lines",
		"POST /v1/invoices/:invoice/pay",
		"GET /v1/invoices/:invoice/lines",
		"GET /v1/customers/:customer/sources/:id",
		"DELETE /v1/customers/:customer",
		"GET /v1/credit_notes/preview",
		"GET /v1/credit_notes/:id",
		"GET /v1/customers",
		"GET /v1/charges/search",
		"POST /v1/charges/:charge",
		"GET /v1/charges/:charge/refunds",
	), Options{Eager: true})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		method, path string
		want         string
		params       map[string]string
	}{
		{"GET", "/v1/invoices/in_123", "GET /v1/invoices/:invoice", map[string]string{"invoice": "in_123"}},
		{"GET", "/v1/invoices/upcoming", "GET /v1/invoices/upcoming", map[string]string{}},
		{"GET", "/v1/invoices/upcoming/lines", "GET /v1/invoices/upcoming/lines", map[string]string{}},
		{"GET", "/v1/invoices/in_1/lines", "GET /v1/invoices/:invoice/lines", map[string]string{"invoice": "in_1"}},
		// Literal segments always beat parameters: "upcoming" is never an invoice id.
		{"POST", "/v1/invoices/upcoming/pay", "", nil},
		{"GET", "/v1/credit_notes/preview", "GET /v1/credit_notes/preview", map[string]string{}},
		{"GET", "/v1/credit_notes/cn_1", "GET /v1/credit_notes/:id", map[string]string{"id": "cn_1"}},
		{"GET", "/v1/customers/cus_1/sources/card_2", "GET /v1/customers/:customer/sources/:id", map[string]string{"customer": "cus_1", "id": "card_2"}},
		{"DELETE", "/v1/customers/cus_1/", "DELETE /v1/customers/:customer", map[string]string{"customer": "cus_1"}},
		{"GET", "/v1/customers/", "GET /v1/customers", map[string]string{}},
		{"GET", "//v1//customers", "GET /v1/customers", map[string]string{}},
		{"GET", "/v1/foo", "", nil},
		{"POST", "/v1/customers/cus_1", "", nil},
		{"GET", "/v1/invoices/in_1/lines/extra", "", nil},
		{"GET", "/", "", nil},
		// A literal path that lacks the method is not an id, nor are its
		// unknown sub-paths: 404, never a 200 of the wrong type.
		{"GET", "/v1/charges/search", "GET /v1/charges/search", map[string]string{}},
		{"POST", "/v1/charges/search", "", nil},
		{"POST", "/v1/charges/search/", "", nil},
		{"POST", "/v1/charges/ch_1", "POST /v1/charges/:charge", map[string]string{"charge": "ch_1"}},
		{"GET", "/v1/charges/search/refunds", "", nil},
		{"GET", "/v1/charges/search/foo", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			r, params, ok := cat.Match(tt.method, tt.path)
			if tt.want == "" {
				if ok {
					t.Fatalf("got %s; want no match", r.Key())
				}
				return
			}
			if !ok {
				t.Fatalf("got no match; want %s", tt.want)
			}
			if r.Key() != tt.want {
				t.Errorf("got %s; want %s", r.Key(), tt.want)
			}
			if fmt.Sprint(params) != fmt.Sprint(tt.params) {
				t.Errorf("params: got %v; want %v", params, tt.params)
			}
		})
	}
}

func TestLookupAndSamples(t *testing.T) {
	cat, err := Load(fixture(t, "GET /v1/customers/:customer/sources/:id"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, ok := cat.Lookup("get /v1/customers/:customer/sources/:id ")
	if !ok {
		t.Fatal("Lookup failed")
	}
	req := r.SampleRequest()
	if !strings.HasPrefix(req.Params["customer"], "cus_") {
		t.Errorf("sample customer = %q; want cus_...", req.Params["customer"])
	}
	if req.Path != "/v1/customers/"+req.Params["customer"]+"/sources/"+req.Params["id"] {
		t.Errorf("sample path = %q", req.Path)
	}
	got, _, ok := cat.Match("GET", req.Path)
	if !ok || got != r {
		t.Errorf("the sample path does not match its own route")
	}
}

func TestLoadErrors(t *testing.T) {
	base := func() fstest.MapFS { return fixture(t, "GET /v1/a", "GET /v1/b/:id") }
	tests := []struct {
		name   string
		mutate func(fstest.MapFS)
		want   []string
	}{
		{"malformed manifest", func(f fstest.MapFS) {
			f[ManifestName] = &fstest.MapFile{Data: []byte("{\n  \"name\": \"x\",\n  \"routes\": [\n    {\"method\": \"GET\",,}\n  ]\n}")}
		}, []string{"catalog.json:4:", "invalid character"}},
		{"template syntax error", func(f fstest.MapFS) {
			f["r1.error.hbs"] = &fstest.MapFile{Data: []byte("{\n\"a\": \"{{#if x}}\"\n}")}
		}, []string{"r1.error.hbs:2:", "GET /v1/b/:id", "error variant", "never closed"}},
		{"helper arity", func(f fstest.MapFS) {
			f["r0.success.hbs"] = &fstest.MapFile{Data: []byte("{\n\n\"a\": \"{{urlParam}}\"}")}
		}, []string{"r0.success.hbs:3:", "GET /v1/a", "urlParam"}},
		{"duplicate route", func(f fstest.MapFS) {
			rewriteManifest(t, f, func(m *Manifest) { m.Routes[1].Path = "/v1/a" })
		}, []string{"catalog.json:", "GET /v1/a", "duplicate of the route on line 4"}},
		{"conflicting route", func(f fstest.MapFS) {
			rewriteManifest(t, f, func(m *Manifest) {
				m.Routes[0].Path = "/v1/b/:other"
			})
		}, []string{"catalog.json:", "GET /v1/b/:id", "conflicts with the route on line 4"}},
		{"no variants", func(f fstest.MapFS) {
			rewriteManifest(t, f, func(m *Manifest) { m.Routes[1].Variants = nil })
		}, []string{"cat/catalog.json:", "GET /v1/b/:id", "no variants"}},
		{"duplicate variant names", func(f fstest.MapFS) {
			rewriteManifest(t, f, func(m *Manifest) {
				m.Routes[1].Variants[0].Name = "gone"
				m.Routes[1].Variants[1].Name = "gone"
			})
		}, []string{"cat/catalog.json:", "GET /v1/b/:id", `variants 1 and 2 are both named "gone"`}},
		{"a named variant clashes with a derived name", func(f fstest.MapFS) {
			rewriteManifest(t, f, func(m *Manifest) {
				m.Routes[0].Variants[1].Name = "success"
			})
		}, []string{"cat/catalog.json:", "GET /v1/a", `both named "success"`}},
		{"bad status", func(f fstest.MapFS) {
			rewriteManifest(t, f, func(m *Manifest) {
				m.Routes[1].Variants = append(m.Routes[1].Variants, ManifestVariant{Name: "teapot", Status: 4180, File: "r1.error.hbs"})
			})
		}, []string{"cat/catalog.json:", "GET /v1/b/:id", `variant "teapot": status 4180 is not an HTTP status`}},
		{"bad kind", func(f fstest.MapFS) {
			rewriteManifest(t, f, func(m *Manifest) { m.Routes[1].Variants[1].Kind = "failure" })
		}, []string{"cat/catalog.json:", "GET /v1/b/:id", "variant 2: kind", `"failure"`}},
		{"missing file", func(f fstest.MapFS) { delete(f, "r0.error.hbs") }, []string{"r0.error.hbs", "GET /v1/a"}},
		{"bad method", func(f fstest.MapFS) {
			rewriteManifest(t, f, func(m *Manifest) { m.Routes[0].Method = "FETCH" })
		}, []string{"catalog.json:", "FETCH"}},
		{"brace params", func(f fstest.MapFS) {
			rewriteManifest(t, f, func(m *Manifest) { m.Routes[1].Path = "/v1/b/{id}" })
		}, []string{"write parameters as :id"}},
		{"no manifest", func(f fstest.MapFS) { delete(f, ManifestName) }, []string{"catalog.json"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := base()
			tt.mutate(f)
			_, err := Load(f, Options{Eager: true, Source: "cat"})
			if err == nil {
				t.Fatal("got no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

// rewriteManifest edits the manifest and writes it one route per line, so
// line numbers are predictable.
func rewriteManifest(t *testing.T, f fstest.MapFS, edit func(*Manifest)) {
	t.Helper()
	var m Manifest
	if err := json.Unmarshal(f[ManifestName].Data, &m); err != nil {
		t.Fatal(err)
	}
	edit(&m)
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	f[ManifestName] = &fstest.MapFile{Data: data}
}

func TestDuplicateRouteLine(t *testing.T) {
	f := fixture(t, "GET /v1/a", "GET /v1/b")
	rewriteManifest(t, f, func(m *Manifest) { m.Routes[1].Path = "/v1/a" })
	_, err := Load(f, Options{})
	if err == nil {
		t.Fatal("no error")
	}
	// The second route's "{" is the line before its second "method" key.
	lines := strings.Split(string(f[ManifestName].Data), "\n")
	want, seen := 0, 0
	for i, l := range lines {
		if strings.Contains(l, `"method"`) {
			seen++
			if seen == 2 {
				want = i // line numbers are 1-based: i is the line before
			}
		}
	}
	if !strings.Contains(err.Error(), fmt.Sprintf("catalog.json:%d:", want)) {
		t.Errorf("error %q; want line %d", err, want)
	}
}

func TestExportRoundTrip(t *testing.T) {
	dir := t.TempDir()
	if err := Export(fixture(t, "GET /v1/a", "POST /v1/a"), dir); err != nil {
		t.Fatal(err)
	}
	cat, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(cat.Routes) != 2 {
		t.Fatalf("got %d routes; want 2", len(cat.Routes))
	}
	if err := os.WriteFile(filepath.Join(dir, "r1.success.hbs"), []byte(`{"edited": "{{body 'name'}}"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	cat, err = LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	r, _ := cat.Lookup("POST /v1/a")
	out, err := r.Variant(Success).Render(nil)
	if err != nil || out != `{"edited": ""}` {
		t.Errorf("got %q, %v", out, err)
	}
	if err := Export(fixture(t, "GET /v1/a"), dir); err == nil {
		t.Error("export over an existing catalog: got no error")
	}
	if _, err := LoadDir(filepath.Join(dir, "missing")); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("LoadDir(missing) = %v", err)
	}
	if cat, err := LoadDir(filepath.Join(dir, ManifestName)); err != nil || len(cat.Routes) != 2 {
		t.Errorf("LoadDir(the manifest) = %v", err)
	}
}

func FuzzMatch(f *testing.F) {
	cat, err := Load(fixture(f, "GET /v1/invoices/:invoice", "GET /v1/invoices/upcoming", "POST /v1/invoices/:invoice/pay",
		"GET /v1/customers/:customer/sources/:id", "GET /v1/customers"), Options{})
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"/v1/invoices/upcoming", "/v1/invoices/in_1/pay", "//v1/../v1/customers/", "/v1/customers/a/sources/b", "/%zz", ""} {
		f.Add("GET", s)
	}
	f.Fuzz(func(t *testing.T, method, path string) {
		r, params, ok := cat.Match(method, path)
		if !ok {
			return
		}
		if r.Method != method {
			t.Fatalf("%s %s matched %s", method, path, r.Key())
		}
		for _, p := range r.Params {
			if params[p] == "" || strings.Contains(params[p], "/") {
				t.Fatalf("%s %s: param %s = %q", method, path, p, params[p])
			}
		}
		// The route's own path built from these params matches the same route.
		again, _, ok := cat.Match(method, r.SamplePath(params))
		if !ok || again != r {
			t.Fatalf("%s %s: rebuilt path %q does not match %s", method, path, r.SamplePath(params), r.Key())
		}
	})
}

func TestDefaultFile(t *testing.T) {
	if got, want := DefaultFile("GET", "/v1/customers/:customer/sources/:id", "error"), "routes/v1/customers/_customer/sources/_id/get.error.hbs"; got != want {
		t.Errorf("got %q; want %q", got, want)
	}
	if got, want := DefaultFile("POST", "/v1/charges", "card_declined/insufficient funds"), "routes/v1/charges/post.card_declined_insufficient_funds.hbs"; got != want {
		t.Errorf("got %q; want %q", got, want)
	}
	fsys := fstest.MapFS{
		ManifestName:                         {Data: []byte(`{"name": "x", "routes": [{"method": "delete", "path": "/v1/a/:id", "variants": [{"kind": "success", "status": 200}, {"kind": "error", "status": 404}]}]}`)},
		"routes/v1/a/_id/delete.success.hbs": {Data: []byte(`{"deleted": true}`)},
		"routes/v1/a/_id/delete.error.hbs":   {Data: []byte(`{"error": {}}`)},
	}
	cat, err := Load(fsys, Options{Eager: true})
	if err != nil {
		t.Fatal(err)
	}
	out, err := cat.Routes[0].Variant(Success).Render(nil)
	if err != nil || out != `{"deleted": true}` {
		t.Errorf("got %q, %v", out, err)
	}
}

// manyVariants is a catalog whose one route has five variants, two of
// them unnamed, and no 5xx.
func manyVariants(t *testing.T) fstest.MapFS {
	t.Helper()
	return fstest.MapFS{
		ManifestName: {Data: []byte(`{"name": "many", "routes": [{"method": "POST", "path": "/v1/pay", "variants": [
  {"name": "paid", "status": 201, "file": "paid.hbs"},
  {"status": 202, "file": "paid.hbs", "headers": {"Retry-After": "1"}},
  {"name": "card_declined/insufficient_funds", "label": "Declined", "status": 402, "file": "declined.hbs"},
  {"status": 402, "file": "declined.hbs"},
  {"name": "slow down", "status": 429, "contentType": "text/plain", "file": "slow.txt", "templating": "none"}
]}, {"method": "GET", "path": "/v1/ok", "variants": [{"status": 200, "file": "paid.hbs"}]}]}`)},
		"paid.hbs":     {Data: []byte(`{"paid": true}`)},
		"declined.hbs": {Data: []byte(`{"error": {"type": "card_error"}}`)},
		"slow.txt":     {Data: []byte("slow down {{x}}")},
	}
}

func TestManyVariants(t *testing.T) {
	cat, err := Load(manyVariants(t), Options{Eager: true, Source: "many"})
	if err != nil {
		t.Fatal(err)
	}
	r := cat.Routes[0]
	var names []string
	for _, v := range r.Variants {
		names = append(names, fmt.Sprintf("%s=%d/%s", v.Name, v.Status, v.Kind))
	}
	want := "paid=201/success 202=202/success card_declined/insufficient_funds=402/error 402=402/error slow down=429/error"
	if got := strings.Join(names, " "); got != want {
		t.Fatalf("variants %s; want %s", got, want)
	}
	if r.Variant(Success) != r.Variants[0] || r.Variant(Error) != r.Variants[2] {
		t.Errorf("Variant(Success) %s, Variant(Error) %s; want paid and the first 402", r.Variant(Success).Name, r.Variant(Error).Name)
	}
	if ok := cat.Routes[1]; ok.Variant(Error) != nil || ok.FirstError() != -1 || ok.Variant(Success).Name != "200" {
		t.Errorf("a route without errors: Variant(Error) %v, FirstError %d", ok.Variant(Error), ok.FirstError())
	}
	for in, want := range map[string]int{"paid": 0, "success": 0, "error": 2, "402": 2, "202": 1, "SLOW DOWN": 4, "429": 4} {
		if got, err := r.FindVariant(in); got != want || err != nil {
			t.Errorf("FindVariant(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	_, err = r.FindVariant("card_declined/insufficent_funds")
	if err == nil || err.Error() != `route POST /v1/pay has no variant "card_declined/insufficent_funds" (its variants: paid (201), 202 (202), card_declined/insufficient_funds (402), 402 (402), slow down (429)); did you mean "card_declined/insufficient_funds"?` {
		t.Errorf("unknown name: %v", err)
	}
	if _, err := cat.Routes[1].FindVariant("error"); err == nil || !strings.Contains(err.Error(), "GET /v1/ok has no error variant (its variants: 200 (200))") {
		t.Errorf("no error variant: %v", err)
	}
}

// TestExportManyVariants exports a catalog with many variants and loads the
// folder back: the same routes, variants, statuses, headers and bodies.
func TestExportManyVariants(t *testing.T) {
	cat, err := Load(manyVariants(t), Options{Eager: true})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := Export(cat.Files(), dir); err != nil {
		t.Fatal(err)
	}
	back, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	describe := func(c *Catalog) string {
		var b strings.Builder
		for _, r := range c.Routes {
			for _, v := range r.Variants {
				body, err := v.Render(r.SampleRequest())
				fmt.Fprintf(&b, "%s|%s|%s|%d|%s|%s|%v|%s|%q|%v\n", r.Key(), v.Name, v.Label, v.Status, v.Kind, v.ContentType, v.Headers, v.Templating, body, err)
			}
		}
		return b.String()
	}
	if got, want := describe(back), describe(cat); got != want {
		t.Errorf("loaded back:\n%s\nwant:\n%s", got, want)
	}
	if n := len(back.Routes[0].Variants); n != 5 {
		t.Errorf("%d variants loaded back; want 5", n)
	}
}

// Common variants are every route's, after its own; a route's own variant
// of the same name wins; every route shares one parsed template per file.
func TestCommonVariants(t *testing.T) {
	fsys := fstest.MapFS{
		ManifestName: {Data: []byte(`{"name": "c", "commonVariants": [
  {"name": "429", "status": 429, "file": "errors/429.hbs"},
  {"name": "500", "status": 500, "file": "errors/500.hbs"}],
"routes": [
  {"method": "GET", "path": "/a", "variants": [{"status": 200, "file": "ok.hbs"}]},
  {"method": "GET", "path": "/b", "variants": [{"status": 200, "file": "ok.hbs"}, {"name": "500", "status": 503, "file": "down.hbs"}]}]}`)},
		"ok.hbs":         {Data: []byte(`{"ok": "{{urlParam 'x'}}"}`)},
		"down.hbs":       {Data: []byte(`{"down": true}`)},
		"errors/429.hbs": {Data: []byte(`{"error": {"code": "rate_limit"}}`)},
		"errors/500.hbs": {Data: []byte(`{"error": {"type": "api_error"}}`)},
	}
	cat, err := Load(fsys, Options{Eager: true})
	if err != nil {
		t.Fatal(err)
	}
	a, b := cat.Routes[0], cat.Routes[1]
	if got := fmt.Sprintln(len(a.Variants), a.Variants[1].Name, a.Variants[2].Status, len(b.Variants), b.Variants[1].Status, b.Variants[2].Name); got != "3 429 500 3 503 429\n" {
		t.Errorf("variants: %s; want a: 200 429 500, b: 200 503 429", got)
	}
	ta, _ := a.Variants[1].Template()
	tb, _ := b.Variants[2].Template()
	t0, _ := a.Variants[0].Template()
	t1, _ := b.Variants[0].Template()
	if ta == nil || ta != tb || t0 != t1 {
		t.Error("variants naming one file parse it once each")
	}
	fsys[ManifestName] = &fstest.MapFile{Data: []byte(`{"name": "c", "commonVariants": [{"name": "429", "status": 429}], "routes": [{"method": "GET", "path": "/a", "variants": [{"status": 200, "file": "ok.hbs"}]}]}`)}
	if _, err := Load(fsys, Options{Eager: true, Source: "c"}); err == nil || !strings.Contains(err.Error(), "c/catalog.json: commonVariants: variant 1: give it a name and a file") {
		t.Errorf("a common variant without a file: %v", err)
	}
}
