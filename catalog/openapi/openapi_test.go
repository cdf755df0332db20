package openapi_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/catalog/openapi"
	"github.com/routedeck/routedeck/catalog/source"
	"github.com/routedeck/routedeck/server"
)

// fetch sends one request to the served catalog.
func fetch(t *testing.T, base, method, path string, prefer string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if prefer != "" {
		req.Header.Set("Prefer", prefer)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, body
}

func serve(t *testing.T, cat *catalog.Catalog) string {
	t.Helper()
	srv, err := server.New(cat, server.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return ts.URL
}

var (
	uuidRE  = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	emailRE = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[a-z]+$`)
)

// TestOpenAPI31Document opens a small 3.1 document through source.Open
// (as the commands do) and serves it over HTTP.
func TestOpenAPI31Document(t *testing.T) {
	cat, err := source.Open("testdata/pets-3.1.json")
	if err != nil {
		t.Fatal(err)
	}
	if cat.Imported != "OpenAPI" || cat.Name != "Pets" || cat.Version != "2.1.0" {
		t.Fatalf("catalog %q %q imported %q; want Pets 2.1.0 from OpenAPI", cat.Name, cat.Version, cat.Imported)
	}
	var keys []string
	for _, r := range cat.Routes {
		keys = append(keys, r.Key())
	}
	want := []string{"GET /api/v2/pets", "POST /api/v2/pets", "GET /api/v2/pets/:pet_id", "DELETE /api/v2/pets/:pet_id", "GET /api/v2/owners/:owner/avatar.:format"}
	if strings.Join(keys, "|") != strings.Join(want, "|") {
		t.Fatalf("routes %q; want %q (server base path, {param} as :param, document order)", keys, want)
	}
	list, _ := cat.Lookup("GET /api/v2/pets")
	if list.Group != "pets" || list.Summary != "List pets" || !strings.Contains(list.Docs, "Paged by cursor.") {
		t.Errorf("GET /pets: group %q summary %q docs %q; want the tag, the summary, the description", list.Group, list.Summary, list.Docs)
	}
	show, _ := cat.Lookup("GET /api/v2/pets/:pet_id")
	if show.Group != "pets" || show.SampleParams()["pet_id"] != "42" {
		t.Errorf("GET /pets/{pet-id}: group %q (want the first segment, pets), sample %v (want the schema's example 42)", show.Group, show.SampleParams())
	}
	// Every response is a variant, each named example one of its own; the
	// first 2xx is the default.
	add, _ := cat.Lookup("POST /api/v2/pets")
	var names []string
	for _, v := range add.Variants {
		names = append(names, fmt.Sprintf("%s=%d", v.Name, v.Status))
	}
	if got := strings.Join(names, " "); got != "201 dog=201 201 cat=201 400=400 409=409" {
		t.Errorf("POST /pets variants: %s; want 201 dog=201 201 cat=201 400=400 409=409", got)
	}
	if get, _ := cat.Lookup("GET /api/v2/pets"); len(get.Variants) != 2 || get.Variants[1].Name != "default" || get.Variants[1].Status != 500 {
		t.Errorf("GET /pets: want 200 and default (500)")
	}
	if w := strings.Join(cat.Warnings, "\n"); strings.Contains(w, "not served") {
		t.Errorf("warnings say something is not served:\n%s", w)
	}

	base := serve(t, cat)
	status, hdr, body := fetch(t, base, "GET", "/api/v2/pets/42", "")
	if status != 200 {
		t.Fatalf("GET /pets/42: %d %s", status, body)
	}
	var pet map[string]any
	if err := json.Unmarshal(body, &pet); err != nil {
		t.Fatalf("GET /pets/42: %v\n%s", err, body)
	}
	str := func(k string) string { s, _ := pet[k].(string); return s }
	if !uuidRE.MatchString(str("id")) || str("name") != "Rex" || str("kind") != "dog" || !emailRE.MatchString(str("owner_email")) || str("tag") != "good" {
		t.Errorf("generated pet: want a uuid id, the example name, the first enum, an email, oneOf's first (const): %s", body)
	}
	if _, err := time.Parse(time.DateOnly, str("born")); err != nil {
		t.Errorf("born %q: %v", str("born"), err)
	}
	if _, err := time.Parse(time.RFC3339, str("updated")); err != nil {
		t.Errorf("updated %q: %v", str("updated"), err)
	}
	if !strings.HasPrefix(str("homepage"), "http") {
		t.Errorf("homepage %q: want a URL", str("homepage"))
	}
	details, _ := pet["details"].(map[string]any)
	if w, _ := details["weight_kg"].(float64); w < 1 || w > 80 || details["color"] != "brown" || details["legs"] == nil {
		t.Errorf("details (allOf of a $ref and an object): %v", details)
	}
	if _, ok := pet["parent"].(map[string]any); !ok {
		t.Errorf("parent (a cycle back to Pet): %v; want an object cut short", pet["parent"])
	}

	// The first 2xx, the first error, default as the error, examples first.
	status, hdr, body = fetch(t, base, "POST", "/api/v2/pets", "")
	if status != 201 || hdr.Get("Location") != "https://pets.example.com/api/v2/pets/7" || !jsonEq(body, `{"id":7,"name":"Rex","kind":"dog"}`) {
		t.Errorf("POST /pets: %d Location %q %s; want 201, the header's example, the first named example", status, hdr.Get("Location"), body)
	}
	status, _, body = fetch(t, base, "POST", "/api/v2/pets", `example="201 cat"`)
	if status != 201 || !jsonEq(body, `{"id":8,"name":"Tom","kind":"cat"}`) {
		t.Errorf("POST /pets, the example named cat: %d %s", status, body)
	}
	if status, _, body = fetch(t, base, "POST", "/api/v2/pets", "code=409"); status != 409 || len(body) != 0 {
		t.Errorf("POST /pets 409: %d %q; want 409 and no body", status, body)
	}
	status, hdr, body = fetch(t, base, "POST", "/api/v2/pets", "example=error")
	if status != 400 || hdr.Get("Content-Type") != "application/problem+json" || !jsonEq(body, `{"title":"Invalid pet","status":400}`) {
		t.Errorf("POST /pets error variant: %d %q %s; want the 400 example", status, hdr.Get("Content-Type"), body)
	}
	status, _, body = fetch(t, base, "GET", "/api/v2/pets", "example=error")
	if status != 500 || !json.Valid(body) || !strings.Contains(string(body), `"code": 404`) {
		t.Errorf("GET /pets error variant: %d %s; want default as 500 with Error's schema example", status, body)
	}
	status, _, body = fetch(t, base, "DELETE", "/api/v2/pets/42", "")
	if status != 204 || len(body) != 0 {
		t.Errorf("DELETE: %d %q; want 204 and no body", status, body)
	}
	status, hdr, body = fetch(t, base, "GET", "/api/v2/owners/ann/avatar.png", "")
	if status != 200 || !strings.HasPrefix(hdr.Get("Content-Type"), "text/plain") || !strings.HasPrefix(string(body), "http") {
		t.Errorf("avatar: %d %q %q; want a plain-text URL", status, hdr.Get("Content-Type"), body)
	}
	status, _, body = fetch(t, base, "GET", "/api/v2/pets/42", "example=error")
	if status != 404 || !json.Valid(body) {
		t.Errorf("GET /pets/42 error: %d %s", status, body)
	}
}

func jsonEq(got []byte, want string) bool {
	var a, b any
	if json.Unmarshal(got, &a) != nil || json.Unmarshal([]byte(want), &b) != nil {
		return false
	}
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// TestGeneratedBodiesAreDeterministic imports the same document twice:
// every body is the same, route by route.
func TestGeneratedBodiesAreDeterministic(t *testing.T) {
	data, err := os.ReadFile("testdata/pets-3.1.json")
	if err != nil {
		t.Fatal(err)
	}
	a, err := openapi.Import(data, "pets.json")
	if err != nil {
		t.Fatal(err)
	}
	b, err := openapi.Import(data, "pets.json")
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range a.Routes {
		for j, v := range r.Variants {
			x, _ := v.Source()
			y, _ := b.Routes[i].Variants[j].Source()
			if x != y {
				t.Errorf("%s %s: bodies differ between imports:\n%s\n%s", r.Key(), v.Kind, x, y)
			}
		}
	}
	one, _ := a.Lookup("GET /api/v2/pets/:pet_id")
	other, _ := a.Lookup("GET /api/v2/pets")
	x, _ := one.Variants[0].Source()
	y, _ := other.Variants[0].Source()
	if strings.Contains(y, x[:40]) {
		t.Errorf("two routes generated the same Pet; want values seeded per route")
	}
}

// TestYAMLDocument opens a 3.0 document written in YAML.
func TestYAMLDocument(t *testing.T) {
	cat, err := source.Open("testdata/todo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	r, ok := cat.Lookup("GET /v1/todos/:id")
	if !ok || r.SampleParams()["id"] != "td_123" || r.Summary != "Get a todo" || r.Group != "todos" {
		t.Fatalf("GET /v1/todos/:id: found %v, %+v", ok, r)
	}
	base := serve(t, cat)
	status, _, body := fetch(t, base, "GET", "/v1/todos/td_123", "")
	if status != 200 || !jsonEq(body, `{"id":"td_123","title":"Buy milk","done":false,"due":"2024-05-01"}`) {
		t.Errorf("GET /v1/todos/td_123: %d %s; want the YAML example as JSON", status, body)
	}
	if i, j := strings.Index(string(body), `"id"`), strings.Index(string(body), `"due"`); i > j {
		t.Errorf("example keys out of the document's order: %s", body)
	}
	status, _, body = fetch(t, base, "GET", "/v1/todos/td_123", "example=error")
	if status != 404 || !jsonEq(body, `{"error":"not_found"}`) {
		t.Errorf("error variant: %d %s", status, body)
	}
	status, _, body = fetch(t, base, "GET", "/v1/todos", "")
	var todos []map[string]any
	if status != 200 || json.Unmarshal(body, &todos) != nil || len(todos) != 1 {
		t.Fatalf("GET /v1/todos: %d %s", status, body)
	}
	if _, ok := todos[0]["note"].(string); !ok {
		t.Errorf("note (nullable string at the top): %v; want a string", todos[0]["note"])
	}
	a, _ := todos[0]["assignee"].(map[string]any)
	if !emailRE.MatchString(a["email"].(string)) {
		t.Errorf("assignee (nullable allOf $ref): %v; want a user with an email", todos[0]["assignee"])
	}
	if status, _, _ := fetch(t, base, "GET", "/todos", ""); status != 404 {
		t.Errorf("GET /todos without the base path: %d; want 404", status)
	}
}

// TestBadDocuments: clear one-line errors naming the file, no panics.
func TestBadDocuments(t *testing.T) {
	dir := t.TempDir()
	cases := map[string]struct{ body, want string }{
		"swagger.yaml": {"swagger: \"2.0\"\ninfo: {title: x, version: '1'}\npaths: {}\n", "Swagger 2.0 documents are not supported"},
		"other.json":   {`{"name": "x"}`, "not a routedeck catalog folder, a Mockoon environment or an OpenAPI 3 document"},
		"empty.json":   {`{"openapi": "3.0.0", "info": {"title": "x", "version": "1"}, "paths": {}}`, "no operations"},
		"old.json":     {`{"openapi": "2.5", "paths": {}}`, `OpenAPI version "2.5" is not supported`},
		"broken.yaml":  {"openapi: 3.1.0\npaths: [\n", "empty.json"},
	}
	for name, c := range cases {
		file := dir + "/" + name
		if err := os.WriteFile(file, []byte(c.body), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := source.Open(file)
		if err == nil {
			t.Errorf("%s: opened; want an error", name)
			continue
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, file+": ") || strings.Contains(msg, "\n") || name != "broken.yaml" && !strings.Contains(msg, c.want) {
			t.Errorf("%s: %q; want one line naming the file and %q", name, msg, c.want)
		}
	}
}
