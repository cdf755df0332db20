//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// smallCatalog writes a one-route catalog folder, as export writes them,
// and returns it and the path of its success template.
func smallCatalog(t *testing.T) (dir, file string) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "cat")
	files := map[string]string{
		"catalog.json": `{"name": "Small", "routes": [
{"method": "GET", "path": "/v1/customers/:customer", "variants": [{"kind": "success", "status": 200}, {"kind": "error", "status": 404}]}
]}`,
		"routes/v1/customers/_customer/get.success.hbs": `{"id": "{{urlParam 'customer'}}", "object": "customer"}`,
		"routes/v1/customers/_customer/get.error.hbs":   `{"error": {"type": "invalid_request_error", "message": "No such customer"}}`,
	}
	for name, content := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if code, _, stderr := runCmd(t, "list", "--catalog", dir); code != 0 {
		t.Fatalf("the small catalog does not load: %s", stderr)
	}
	return dir, filepath.Join(dir, "routes", "v1", "customers", "_customer", "get.success.hbs")
}

// Issue 6, defect 3: this template loaded, then `show` panicked and
// `serve` dropped the connection. Both now answer.
func TestEscapedQuoteTemplateServes(t *testing.T) {
	dir, file := smallCatalog(t)
	if err := os.WriteFile(file, []byte(`{"q": "{{queryParam "a\" 'b'\""}}"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCmd(t, "show", "--catalog", dir, "GET /v1/customers/:customer")
	if code != 0 || strings.TrimSpace(stdout) != `{"q": ""}` {
		t.Fatalf("show: %d %q %q", code, stdout, stderr)
	}
	_, url, _ := startServe(t, "--catalog", dir)
	status, body := get(t, url+`/v1/customers/cus_1?a%22+%27b%27%22=x%22y`)
	if status != 200 || body != `{"q": "x\"y"}` {
		t.Errorf("serve: %d %s", status, body)
	}
}

// Issue 6, defects 7 and 8: a catalog whose template leaves the folder, or
// would fail at request time, does not load; the error is one line naming
// the file and, for a template, the line.
func TestCatalogLoadErrorsNameFileAndLine(t *testing.T) {
	secret := filepath.Join(t.TempDir(), "passwd")
	if err := os.WriteFile(secret, []byte("root:x:0:0:root:/root:/bin/bash\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		setup func(file string) error
		want  string
	}{
		{"link outside", func(file string) error {
			if err := os.Remove(file); err != nil {
				return err
			}
			return os.Symlink(secret, file)
		}, "outside the catalog folder"},
		{"missing comma", func(file string) error {
			return os.WriteFile(file, []byte("{\n  \"id\": \"{{urlParam 'customer'}}\"\n  \"object\": \"customer\"\n}"), 0o644)
		}, ":3: route GET /v1/customers/:customer (success variant): renders invalid JSON"},
		{"unknown helper", func(file string) error {
			return os.WriteFile(file, []byte("{\n  \"email\": \"{{bodyy 'email'}}\"\n}"), 0o644)
		}, `:2: route GET /v1/customers/:customer (success variant): unknown helper "bodyy" (did you mean "body"?)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, file := smallCatalog(t)
			if err := tt.setup(file); err != nil {
				t.Skip(err)
			}
			code, stdout, stderr := runCmd(t, "list", "--catalog", dir)
			if code != 1 || stdout != "" || !strings.Contains(stderr, file) || !strings.Contains(stderr, tt.want) || strings.Count(stderr, "\n") != 1 {
				t.Errorf("got %d, stderr %q; want 1 and one line naming %s with %q", code, stderr, file, tt.want)
			}
			if content, _ := os.ReadFile(secret); string(content) != "root:x:0:0:root:/root:/bin/bash\n" {
				t.Errorf("the file outside the folder changed")
			}
		})
	}
}
