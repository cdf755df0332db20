package mockoon_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/catalog/mockoon"
	"github.com/routedeck/routedeck/catalog/source"
	"github.com/routedeck/routedeck/internal/bigenv"
	"github.com/routedeck/routedeck/internal/cputime"
	"github.com/routedeck/routedeck/internal/mockoontest"
)

// A current environment with what the importer maps and what it lists.
const modern = `{
  "uuid": "e1", "lastMigration": 33, "name": "Shop", "endpointPrefix": "api/v2", "latency": 0,
  "port": 3000, "proxyMode": false, "cors": true,
  "headers": [{"key": "Content-Type", "value": "application/json"}, {"key": "X-Env", "value": "env"}],
  "data": [{"uuid": "b1", "id": "abcd", "name": "users", "value": "[{\"id\": 1}]"}],
  "routes": [
    {"uuid": "r1", "type": "http", "method": "get", "endpoint": "users/:id", "documentation": "Get a user\nwith details",
     "responseMode": null, "responses": [
      {"uuid": "a", "statusCode": 404, "body": "{\"error\": \"no {{urlParam 'id'}}\"}", "headers": [], "default": false, "rules": [{"target": "params"}], "bodyType": "INLINE"},
      {"uuid": "b", "statusCode": 200, "label": "OK", "body": "{\"id\": \"{{urlParam 'id'}}\"}", "headers": [{"key": "X-Env", "value": "route"}, {"key": "Location", "value": "/users/{{urlParam 'id'}}"}], "default": true, "rules": [], "bodyType": "INLINE"},
      {"uuid": "c", "statusCode": 500, "body": "{}", "headers": [], "default": false, "rules": [], "bodyType": "INLINE"}
    ]},
    {"uuid": "r2", "type": "http", "method": "post", "endpoint": "files:annotate", "responseMode": "RANDOM", "responses": [
      {"uuid": "d", "statusCode": 201, "body": "{{body}}", "headers": [], "default": true, "rules": [], "disableTemplating": true, "bodyType": "INLINE", "latency": 300}
    ]},
    {"uuid": "r3", "type": "http", "method": "get", "endpoint": "Users/:other", "responses": [
      {"uuid": "e", "statusCode": 200, "body": "shadowed", "headers": [], "default": true, "rules": []}
    ]},
    {"uuid": "r4", "type": "ws", "method": "get", "endpoint": "live", "responses": [
      {"uuid": "f", "statusCode": 101, "body": "", "headers": [], "default": true, "rules": []}
    ]},
    {"uuid": "r5", "type": "http", "method": "get", "endpoint": "doc", "responses": [
      {"uuid": "g", "statusCode": 200, "bodyType": "FILE", "filePath": "doc.json", "body": "", "headers": [], "default": true, "rules": []}
    ]},
    {"uuid": "r6", "type": "http", "method": "get", "endpoint": "secret", "responses": [
      {"uuid": "h", "statusCode": 200, "bodyType": "FILE", "filePath": "../outside.json", "body": "", "headers": [], "default": true, "rules": []}
    ]},
    {"uuid": "r7", "type": "crud", "method": "get", "endpoint": "people", "responses": [
      {"uuid": "i", "statusCode": 200, "bodyType": "DATABUCKET", "databucketID": "abcd", "body": "", "headers": [], "default": true, "rules": []}
    ]}
  ]
}`

// The seed's format: Mockoon 1.15's export wrapper, lastMigration 17,
// Faker v5 names, string statuses, no default flags, no body types.
const legacy = `{"source": "mockoon:1.15.0", "data": [{"type": "environment", "item": {
  "uuid": "e2", "lastMigration": 17, "name": "Old", "endpointPrefix": "", "latency": 0, "port": 3001,
  "routes": [{"uuid": "r", "documentation": "", "method": "get", "endpoint": "v1/things",
    "randomResponse": false, "sequentialResponse": true,
    "responses": [{"uuid": "x", "body": "{\"n\": {{faker 'random.number' max = 5}}, \"u\": \"{{faker 'random.uuid'}}\"}",
      "latency": 0, "statusCode": "200", "label": "", "headers": [], "filePath": "", "sendFileAsBody": false,
      "rules": [], "rulesOperator": "OR", "disableTemplating": false, "fallbackTo404": false}]}],
  "proxyMode": true, "proxyHost": "https://example.com", "https": false, "cors": true, "headers": []
}}]}`

func writeFile(t *testing.T, dir, name, data string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func serve(t *testing.T, cat *catalog.Catalog) *httptest.Server {
	t.Helper()
	ts, _, _ := mockoontest.Serve(t, cat)
	return ts
}

func do(t *testing.T, method, url string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(`{"a": 1}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func TestImportModernEnvironment(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "env")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "outside.json", `{"secret": true}`)
	writeFile(t, sub, "doc.json", `{"doc": "{{urlParam 'x'}}ok"}`)
	file := writeFile(t, sub, "shop.json", modern)

	cat, err := source.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	if cat.Name != "Shop" {
		t.Errorf("Name = %q; want Shop", cat.Name)
	}
	var keys []string
	for _, r := range cat.Routes {
		keys = append(keys, r.Key())
	}
	// A route an earlier one answers entirely stays in the list, behind it.
	wantKeys := "GET /api/v2/users/:id, POST /api/v2/files:annotate, GET /api/v2/Users/:other, GET /api/v2/doc, GET /api/v2/secret, GET /api/v2/people"
	if got := strings.Join(keys, ", "); got != wantKeys {
		t.Errorf("routes:\n got %s\nwant %s", got, wantKeys)
	}

	// Variants: every response, the default first, named by label or
	// status; Variant(Error) is the first >= 400.
	r, _ := cat.Lookup("GET /api/v2/users/:id")
	var names []string
	for _, v := range r.Variants {
		names = append(names, fmt.Sprintf("%s %d", v.Name, v.Status))
	}
	if got := strings.Join(names, ", "); got != "OK 200, 404 404, 500 500" {
		t.Errorf("users variants: %s; want OK 200, 404 404, 500 500", got)
	}
	if s, e := r.Variant(catalog.Success), r.Variant(catalog.Error); s.Status != 200 || s.Label != "OK" || e.Status != 404 {
		t.Errorf("users variants: success %d %q, error %d; want 200 OK, 404", s.Status, s.Label, e.Status)
	}
	r, _ = cat.Lookup("POST /api/v2/files:annotate")
	if len(r.Variants) != 1 || r.Variant(catalog.Error) != nil {
		t.Errorf("a route without an error response has %d variants, error %v; want only its own", len(r.Variants), r.Variant(catalog.Error))
	}

	warnings := strings.Join(cat.Warnings, "\n")
	for _, want := range []string{
		"never answers: an earlier route answers the same requests (listed, marked as shadowed): 1 route (GET /api/v2/Users/:other (after GET /api/v2/users/:id))",
		"not served: WebSocket routes: 1 route (GET /api/v2/live)",
		"CRUD routes answer with their default response",
		"file ../outside.json cannot be read",
	} {
		if !strings.Contains(warnings, want) {
			t.Errorf("warnings lack %q:\n%s", want, warnings)
		}
	}

	ts := serve(t, cat)
	tests := []struct {
		method, path string
		status       int
		header, body string
	}{
		// Case-insensitive, trailing slash optional, route headers win over the environment's.
		{"GET", "/API/V2/USERS/AbC/", 200, "route", `{"id": "AbC"}`},
		// disableTemplating serves the text as written.
		{"POST", "/api/v2/files:annotate", 201, "env", "{{body}}"},
		// FILE bodies are read relative to the file, and templated.
		{"GET", "/api/v2/doc?x=1", 200, "env", `{"doc": "ok"}`},
		// A file outside the environment's folder is refused.
		{"GET", "/api/v2/secret", 200, "env", ""},
		// A data bucket is served as Mockoon serves it: JSON.stringify of its value.
		{"GET", "/api/v2/people", 200, "env", `[{"id":1}]`},
		{"GET", "/api/v2/live", 404, "", ""},
	}
	for _, tt := range tests {
		resp, body := do(t, tt.method, ts.URL+tt.path)
		if resp.StatusCode != tt.status {
			t.Errorf("%s %s: status %d; want %d (%s)", tt.method, tt.path, resp.StatusCode, tt.status, body)
			continue
		}
		if tt.status == 404 {
			continue
		}
		if got := resp.Header.Get("X-Env"); got != tt.header {
			t.Errorf("%s %s: X-Env %q; want %q", tt.method, tt.path, got, tt.header)
		}
		// Header values are templates, rendered per request as Mockoon does.
		if got := resp.Header.Get("Location"); tt.header == "route" && got != "/users/AbC" {
			t.Errorf("%s %s: Location %q; want the rendered /users/AbC", tt.method, tt.path, got)
		}
		if got := resp.Header.Get("Content-Type"); got != "application/json" {
			t.Errorf("%s %s: Content-Type %q; want application/json", tt.method, tt.path, got)
		}
		if body != tt.body {
			t.Errorf("%s %s: body %q; want %q", tt.method, tt.path, body, tt.body)
		}
	}
	// The error variant, picked per request.
	req, _ := http.NewRequest("GET", ts.URL+"/api/v2/users/x", nil)
	req.Header.Set("Prefer", "example=error")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 404 || string(body) != `{"error": "no x"}` {
		t.Errorf("error variant: %d %s; want 404 {\"error\": \"no x\"}", resp.StatusCode, body)
	}
}

func TestImportLegacyExport(t *testing.T) {
	file := writeFile(t, t.TempDir(), "old.json", legacy)
	if !mockoon.Detect([]byte(legacy)) {
		t.Fatal("Detect does not recognise Mockoon's export wrapper")
	}
	cat, err := mockoon.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	warnings := strings.Join(cat.Warnings, "\n")
	for _, want := range []string{"proxy mode (to https://example.com) is not supported"} {
		if !strings.Contains(warnings, want) {
			t.Errorf("warnings lack %q:\n%s", want, warnings)
		}
	}
	ts := serve(t, cat)
	for range 10 {
		resp, body := do(t, "GET", ts.URL+"/v1/things")
		if resp.StatusCode != 200 {
			t.Fatalf("status %d: %s", resp.StatusCode, body)
		}
		// Faker v5's random.number and random.uuid run as today's number.int and string.uuid.
		if !strings.HasPrefix(body, `{"n": `) || len(body) < len(`{"n": 0, "u": ""}`)+36 || strings.Contains(body, "error") {
			t.Fatalf("body %q; want a number up to 5 and a uuid", body)
		}
		n := body[len(`{"n": `)]
		if n < '0' || n > '5' {
			t.Fatalf("body %q: n is not 0 to 5", body)
		}
	}
	if ct := cat.Routes[0].Variant(catalog.Success).ContentType; ct != "text/html; charset=utf-8" {
		t.Errorf("a response without Content-Type: %q; want Express's default text/html; charset=utf-8", ct)
	}
}

func TestImportErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct{ name, data, want string }{
		{"broken.json", `{"uuid": "x", "lastMigration": 33, "routes": [`, "broken.json: "},
		{"status.json", `{"uuid": "x", "lastMigration": 33, "routes": [{"method": "get", "endpoint": "a", "responses": [{"statusCode": 999}]}]}`, "status.json: route 1 (get a): response 1: statusCode 999 is not an HTTP status"},
		{"empty.json", `{"uuid": "x", "lastMigration": 33, "routes": [{"type": "ws", "method": "get", "endpoint": "a", "responses": []}]}`, "no HTTP routes"},
		{"other.json", `{"asyncapi": "3.0.0"}`, "other.json: not a routedeck catalog folder, a Mockoon environment or an OpenAPI 3 document"},
	}
	for _, tt := range tests {
		_, err := source.Open(writeFile(t, dir, tt.name, tt.data))
		if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %v; want one line containing %q", tt.name, err, tt.want)
		}
	}
}

func TestExportedMockoonCatalogLoadsBack(t *testing.T) {
	file := writeFile(t, t.TempDir(), "old.json", legacy)
	cat, err := mockoon.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if err := catalog.Export(cat.Files(), out); err != nil {
		t.Fatal(err)
	}
	back, err := source.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	ts := serve(t, back)
	resp, body := do(t, "GET", ts.URL+"/V1/THINGS")
	if resp.StatusCode != 200 || !strings.HasPrefix(body, `{"n": `) {
		t.Fatalf("the exported catalog answers %d %q", resp.StatusCode, body)
	}
}

// BenchmarkOpenLargest measures opening the largest test environment:
// read, convert, parse every template.
func BenchmarkOpenLargest(b *testing.B) {
	largest, size := "", int64(0)
	files, _ := filepath.Glob(filepath.Join(environments, "*.json"))
	files = append(files, stripeFile)
	for _, f := range files {
		if st, err := os.Stat(f); err == nil && st.Size() > size {
			largest, size = f, st.Size()
		}
	}
	if largest == "" {
		b.Skip("no Mockoon test files")
	}
	b.Logf("%s, %d bytes", filepath.Base(largest), size)
	b.SetBytes(size)
	// CPU time per open, which other processes on a shared machine do not
	// inflate the way they inflate wall time.
	cpu := cputime.Start()
	for b.Loop() {
		if _, err := mockoon.Open(largest); err != nil {
			b.Fatal(err)
		}
	}
	cpu.Report(b, b.N, time.Millisecond, "cpu-ms/op")
}

// BenchmarkOpen4MB opens a 4 MB environment, the size the start-up
// target names, made of the test files' routes (each copy under its own
// prefix so no two routes collide).
func BenchmarkOpen4MB(b *testing.B) {
	file, routes, err := bigenv.Write(environments, b.TempDir())
	if err != nil {
		b.Skip(err)
	}
	st, err := os.Stat(file)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("%d routes, %d bytes", routes, st.Size())
	b.SetBytes(st.Size())
	cpu := cputime.Start()
	for b.Loop() {
		if _, err := mockoon.Open(file); err != nil {
			b.Fatal(err)
		}
	}
	cpu.Report(b, b.N, time.Millisecond, "cpu-ms/op")
}

// Defect: one template raymond cannot parse kept the whole file from
// opening; Mockoon serves the other routes and answers that one with the error.
func TestABrokenTemplateBreaksOnlyItsRoute(t *testing.T) {
	env := `{"uuid": "x", "lastMigration": 33, "routes": [
	  {"method": "get", "endpoint": "ok", "responses": [{"statusCode": 200, "body": "{\"ok\": {{int 1 1}} }"}]},
	  {"method": "get", "endpoint": "broken", "responses": [{"statusCode": 200, "body": "{\"i\": {{@index}}}"}]}]}`
	cat, err := mockoon.Import([]byte(env), "")
	if err != nil {
		t.Fatal(err)
	}
	if w := strings.Join(cat.Warnings, "\n"); !strings.Contains(w, "template error, answers 500: GET /broken (variant \"200\")") {
		t.Fatalf("warnings: %s", w)
	}
	ts := serve(t, cat)
	if resp, body := do(t, "GET", ts.URL+"/ok"); resp.StatusCode != 200 || body != `{"ok": 1 }` {
		t.Fatalf("GET /ok: %d %s", resp.StatusCode, body)
	}
	if resp, body := do(t, "GET", ts.URL+"/broken"); resp.StatusCode != 500 || !strings.Contains(body, "Parse error") && !strings.Contains(body, "line 1") {
		t.Fatalf("GET /broken: %d %s; want 500 naming the template error", resp.StatusCode, body)
	}
}

// Mockoon tries routes in the file's order: a route that an earlier one
// answers entirely is never served; one that only overlaps still is.
func TestRouteOrderAsMockoon(t *testing.T) {
	env := `{"uuid": "x", "lastMigration": 33, "routes": [
	  {"method": "get", "endpoint": "a/:id", "responses": [{"body": "a-param"}]},
	  {"method": "get", "endpoint": "a/me", "responses": [{"body": "a-me"}]},
	  {"method": "get", "endpoint": "b/me", "responses": [{"body": "b-me"}]},
	  {"method": "get", "endpoint": "b/:id", "responses": [{"body": "b-param"}]},
	  {"method": "post", "endpoint": "c/:name:cancel", "responses": [{"body": "c-cancel"}]},
	  {"method": "post", "endpoint": "c/x:cancel", "responses": [{"body": "c-x"}]},
	  {"method": "all", "endpoint": "d", "responses": [{"body": "d-all"}]},
	  {"method": "get", "endpoint": "D", "responses": [{"body": "d-get"}]}]}`
	cat, err := mockoon.Import([]byte(env), "")
	if err != nil {
		t.Fatal(err)
	}
	w := strings.Join(cat.Warnings, "\n")
	for _, want := range []string{"GET /a/me (after GET /a/:id)", "POST /c/x:cancel (after POST /c/:name:cancel)", "GET /D (after GET /d)"} {
		if !strings.Contains(w, want) {
			t.Errorf("warnings lack %q:\n%s", want, w)
		}
	}
	ts := serve(t, cat)
	for path, want := range map[string]string{"/a/me": "a-param", "/a/x": "a-param", "/b/me": "b-me", "/b/x": "b-param", "/d": "d-all"} {
		if _, body := do(t, "GET", ts.URL+path); body != want {
			t.Errorf("GET %s = %q; want %q", path, body, want)
		}
	}
	if _, body := do(t, "POST", ts.URL+"/c/x:cancel"); body != "c-cancel" {
		t.Errorf("POST /c/x:cancel = %q; want c-cancel", body)
	}
}

// ImportLazy (the terminal UI's open) parses no template up front: a
// broken one answers 500 with its error when its route is asked, the
// others serve, and Warm leaves both as they were.
func TestImportLazyParsesOnFirstUse(t *testing.T) {
	env := `{"uuid": "x", "lastMigration": 33, "routes": [
	  {"method": "get", "endpoint": "ok/:id", "responses": [{"statusCode": 200, "body": "{\"id\": \"{{urlParam 'id'}}\"}"}]},
	  {"method": "get", "endpoint": "broken", "responses": [{"statusCode": 200, "body": "{\"i\": {{@index}}}"}]}]}`
	cat, err := mockoon.ImportLazy([]byte(env), "")
	if err != nil {
		t.Fatal(err)
	}
	if w := strings.Join(cat.Warnings, "\n"); strings.Contains(w, "template error") {
		t.Errorf("a lazy import parsed the templates: %s", w)
	}
	cat.Warm(t.Context())
	ts := serve(t, cat)
	if resp, body := do(t, "GET", ts.URL+"/ok/7"); resp.StatusCode != 200 || body != `{"id": "7"}` {
		t.Fatalf("GET /ok/7: %d %s", resp.StatusCode, body)
	}
	if resp, body := do(t, "GET", ts.URL+"/broken"); resp.StatusCode != 500 || !strings.Contains(body, "Parse error") && !strings.Contains(body, "line 1") {
		t.Fatalf("GET /broken: %d %s; want 500 naming the template error", resp.StatusCode, body)
	}
}
