//go:build unix

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
)

// The OpenAPI documents the import is tested on: a 3.1 one in JSON and a
// 3.0 one in YAML.
const (
	openapiJSON = "catalog/openapi/testdata/pets-3.1.json"
	openapiYAML = "catalog/openapi/testdata/todo.yaml"
)

// TestCommandsOpenOpenAPIDocuments runs list, show, export and serve on
// OpenAPI documents given with --catalog, and lists the exported folder.
func TestCommandsOpenOpenAPIDocuments(t *testing.T) {
	code, out, errOut := runCLI(t, "list", "--json", "--catalog", openapiJSON)
	if code != 0 {
		t.Fatalf("list exited %d: %s", code, errOut)
	}
	var routes []struct{ Method, Path string }
	if err := json.Unmarshal([]byte(out), &routes); err != nil {
		t.Fatalf("list --json: %v\n%s", err, out)
	}
	if len(routes) != 5 || routes[0].Method != "GET" || routes[0].Path != "/api/v2/pets" {
		t.Fatalf("list: %+v; want the document's 5 operations, first GET /api/v2/pets", routes)
	}
	// Every response and named example is served: nothing to warn of.
	if errOut != "" {
		t.Errorf("want no warnings; stderr %s", errOut)
	}
	code, out, errOut = runCLI(t, "show", "POST /api/v2/pets", "--catalog", openapiJSON, "--variant", "201 cat")
	if code != 0 || compact(t, out) != `{"id":8,"name":"Tom","kind":"cat"}` {
		t.Fatalf("show --variant \"201 cat\" exited %d, stdout %q, stderr %s; want the example named cat", code, out, errOut)
	}

	code, out, errOut = runCLI(t, "show", "GET /v1/todos/:id", "--catalog", openapiYAML)
	want := `{"id":"td_123","title":"Buy milk","done":false,"due":"2024-05-01"}`
	if code != 0 || compact(t, out) != want {
		t.Fatalf("show exited %d, stdout %q, stderr %s; want the YAML example as JSON", code, out, errOut)
	}

	dir := filepath.Join(t.TempDir(), "todo")
	code, out, errOut = runCLI(t, "export", dir, "--catalog", openapiYAML)
	if code != 0 || !strings.Contains(out, "wrote the catalog of "+openapiYAML) {
		t.Fatalf("export exited %d: %s %s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, "show", "GET /v1/todos/:id", "--catalog", dir)
	if code != 0 || compact(t, out) != want {
		t.Fatalf("show from the exported folder exited %d: %q %s", code, out, errOut)
	}
	code, out, _ = runCLI(t, "list", "--catalog", dir)
	if code != 0 || !strings.Contains(out, "GET    /v1/todos ") {
		t.Fatalf("list of the exported folder exited %d: %s", code, out)
	}

	o := &options{catalogDir: openapiJSON, variant: "success", serving: true}
	srv, err := o.newServer()
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	if code, body := get(t, ts.URL+"/api/v2/pets/42"); code != 200 || !strings.Contains(body, `"name": "Rex"`) {
		t.Fatalf("serve: GET /api/v2/pets/42: %d %s", code, body)
	}
}

func compact(t *testing.T, s string) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(s)); err != nil {
		return s
	}
	return b.String()
}

// TestTUIOpensOpenAPIFile: `routedeck FILE.yaml` opens the document in the
// terminal UI and serves it.
func TestTUIOpensOpenAPIFile(t *testing.T) {
	port := freePort(t)
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	s := newTmux(t, 120, 30, fmt.Sprintf("%s --port %d %s", binary(t), port, openapiYAML))
	s.waitFor("Get a todo", "● serving "+url)
	if code, body := get(t, url+"/v1/todos/td_123"); code != 200 || compact(t, body) != `{"id":"td_123","title":"Buy milk","done":false,"due":"2024-05-01"}` {
		t.Fatalf("GET /v1/todos/td_123: %d %s", code, body)
	}
	s.keys("q")
}
