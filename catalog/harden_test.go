package catalog

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// exported writes a two-route fixture catalog to a folder and returns it.
func exported(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "cat")
	if err := Export(fixture(t, "GET /v1/a", "GET /v1/b/:id"), dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

// Defect: a .hbs symlinked to /etc/passwd was served. Links that leave
// the catalog folder are refused, naming the file; links inside it work.
func TestSymlinksLeavingTheFolderAreRefused(t *testing.T) {
	secret := filepath.Join(t.TempDir(), "secret.txt")
	if err := os.WriteFile(secret, []byte(`{"secret": "sk_live_123"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, file := range []string{"r0.success.hbs", ManifestName} {
		t.Run(file, func(t *testing.T) {
			dir := exported(t)
			target := secret
			if file == ManifestName {
				// A manifest outside the folder, valid and otherwise loadable.
				data, err := os.ReadFile(filepath.Join(dir, ManifestName))
				if err != nil {
					t.Fatal(err)
				}
				target = filepath.Join(t.TempDir(), ManifestName)
				if err := os.WriteFile(target, data, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			link := filepath.Join(dir, file)
			if err := os.Remove(link); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(target, link); err != nil {
				t.Skip("symlinks not available:", err)
			}
			_, err := LoadDir(dir)
			if err == nil {
				t.Fatal("a link leaving the catalog folder loaded")
			}
			if !strings.Contains(err.Error(), link) || !strings.Contains(err.Error(), "outside the catalog folder") {
				t.Errorf("error %q; want it to name %s and say it leads outside the folder", err, link)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans lines: %q", err)
			}
		})
	}
	t.Run("a link inside the folder", func(t *testing.T) {
		dir := exported(t)
		if err := os.Remove(filepath.Join(dir, "r0.error.hbs")); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink("r1.error.hbs", filepath.Join(dir, "r0.error.hbs")); err != nil {
			t.Skip("symlinks not available:", err)
		}
		if _, err := LoadDir(dir); err != nil {
			t.Errorf("LoadDir: %v", err)
		}
	})
}

// Defect: templates that load but fail at request time (unknown helper,
// unknown faker path, invalid JSON, an unclosed block reported at the end
// of the file). Loading a catalog from disk rejects each, naming the file
// and the line.
func TestLoadRejectsTemplatesThatWouldFail(t *testing.T) {
	tests := []struct {
		name, src string
		line      string
		want      string
	}{
		{"unknown helper", "{\n  \"email\": \"{{bodyy 'email'}}\"\n}", ":2:", `unknown helper "bodyy"`},
		{"unknown faker path", "{\n\n  \"name\": \"{{faker 'person.frstName'}}\"\n}", ":3:", `unknown faker path "person.frstName"`},
		{"missing comma", "{\n  \"id\": \"{{urlParam 'id'}}\"\n  \"object\": \"thing\"\n}", ":3:", "renders invalid JSON"},
		{"unclosed each", "{\n  \"data\": [{{#each (array 'a' 'b')}}\"{{this}}\"\n  ]\n}\n\n\n", ":2:", "{{#each}} is never closed"},
		{"fails at render", "{\"n\": \"{{faker (queryParam 'kind' 'no.such.path')}}\"}", ":", "no.such.path"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := exported(t)
			file := filepath.Join(dir, "r1.success.hbs")
			if err := os.WriteFile(file, []byte(tt.src), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := LoadDir(dir)
			if err == nil {
				t.Fatal("loaded")
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, file+tt.line) || !strings.Contains(msg, tt.want) || !strings.Contains(msg, "GET /v1/b/:id") {
				t.Errorf("error %q; want %s%s ... GET /v1/b/:id ... %s", msg, file, tt.line, tt.want)
			}
		})
	}
	// A variant that is not JSON is not held to JSON.
	dir := exported(t)
	if err := os.WriteFile(filepath.Join(dir, "r1.success.hbs"), []byte("plain {{urlParam 'id'}}"), 0o644); err != nil {
		t.Fatal(err)
	}
	rewriteManifestFile(t, dir, func(m *Manifest) { m.Routes[1].Variants[0].ContentType = "text/plain" })
	if _, err := LoadDir(dir); err != nil {
		t.Errorf("text/plain variant: %v", err)
	}
	rewriteManifestFile(t, dir, func(m *Manifest) { m.Routes[1].Variants[0].ContentType = "application/problem+json" })
	if _, err := LoadDir(dir); err == nil || !strings.Contains(err.Error(), "renders invalid JSON") {
		t.Errorf("+json variant: %v", err)
	}
}

func rewriteManifestFile(t *testing.T, dir string, edit func(*Manifest)) {
	t.Helper()
	f := fstest.MapFS{}
	data, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	f[ManifestName] = &fstest.MapFile{Data: data}
	rewriteManifest(t, f, edit)
	if err := os.WriteFile(filepath.Join(dir, ManifestName), f[ManifestName].Data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// Manifest errors speak of the manifest's fields and lines, never of Go
// types; a duplicate route names the line of the route it repeats.
func TestManifestErrorsAreWordedForUsers(t *testing.T) {
	manifest := func(routes string) fstest.MapFS {
		f := fixture(t, "GET /v1/a")
		f[ManifestName] = &fstest.MapFile{Data: []byte("{\n  \"name\": \"x\",\n  \"routes\": [\n" + routes + "\n  ]\n}")}
		return f
	}
	const ok = `{"kind": "error", "status": 404, "file": "r0.error.hbs"}`
	tests := []struct {
		name, routes, want string
	}{
		{"status as a string", "    {\"method\": \"GET\", \"path\": \"/x\",\n     \"variants\": [{\"kind\": \"success\", \"status\": \"200\", \"file\": \"r0.success.hbs\"}, " + ok + "]}",
			`cat/catalog.json:5: route "GET /x": variant status must be a number, not a string`},
		{"status as a fraction", "    {\"method\": \"GET\", \"path\": \"/x\", \"variants\": [{\"kind\": \"success\", \"status\": 200.5}, " + ok + "]}",
			`cat/catalog.json:4: route "GET /x": variant status must be a number, not 200.5`},
		{"path as a number", "    {\"method\": \"GET\",\n     \"path\": 7, \"variants\": []}",
			`cat/catalog.json:5: route 1: path must be a string, not a number`},
		{"headers as a list", "    {\"method\": \"POST\", \"path\": \"/y\", \"variants\": [{\"kind\": \"success\", \"status\": 200, \"headers\": [\"a\"]}]}",
			`cat/catalog.json:4: route "POST /y": variant headers must be an object, not an array`},
		{"routes as an object", `    "a": 1`, `cat/catalog.json:`},
		{"misspelt field", "    {\"method\": \"GET\", \"path\": \"/x\",\n     \"variants\": [{\"kind\": \"success\", \"stauts\": 200}, " + ok + "]}",
			`cat/catalog.json:5: route "GET /x": unknown field "stauts"`},
		{"trailing text", "    {\"method\": \"GET\", \"path\": \"/v1/a\", \"variants\": [{\"kind\": \"success\", \"status\": 200, \"file\": \"r0.success.hbs\"}, " + ok + "]}\n  ]\n}\n}",
			`cat/catalog.json:7: unexpected text after`},
		{"name as a number", "", ``},
		{"duplicate", "    {\"method\": \"GET\", \"path\": \"/v1/a\", \"variants\": [{\"kind\": \"success\", \"status\": 200, \"file\": \"r0.success.hbs\"}, " + ok + "]},\n\n" +
			"    {\"method\": \"GET\", \"path\": \"/v1/a/\", \"variants\": [{\"kind\": \"success\", \"status\": 200, \"file\": \"r0.success.hbs\"}, " + ok + "]}",
			`cat/catalog.json:6: route GET /v1/a/: duplicate of the route on line 4`},
		{"conflict", "    {\"method\": \"GET\", \"path\": \"/v1/a/:x\", \"variants\": [{\"kind\": \"success\", \"status\": 200, \"file\": \"r0.success.hbs\"}, " + ok + "]},\n" +
			"    {\"method\": \"GET\", \"path\": \"/v1/a/:y\", \"variants\": [{\"kind\": \"success\", \"status\": 200, \"file\": \"r0.success.hbs\"}, " + ok + "]}",
			`cat/catalog.json:5: route GET /v1/a/:y: conflicts with the route on line 4 (GET /v1/a/:x)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := manifest(tt.routes)
			if tt.name == "routes as an object" {
				f[ManifestName] = &fstest.MapFile{Data: []byte("{\n  \"routes\": {\n  \"a\": 1}\n}")}
				tt.want = `cat/catalog.json:2: routes must be an array, not an object`
			}
			if tt.name == "name as a number" {
				f[ManifestName] = &fstest.MapFile{Data: []byte("{\n  \"name\": 3,\n  \"routes\": []\n}")}
				tt.want = `cat/catalog.json:2: name must be a string, not a number`
			}
			_, err := Load(f, Options{Eager: true, Source: "cat"})
			if err == nil {
				t.Fatal("loaded")
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, filepath.FromSlash(tt.want)) {
				t.Errorf("got  %s\nwant %s", msg, tt.want)
			}
			for _, leak := range []string{"Manifest", "Go ", "of type", "int", "json: "} {
				if strings.Contains(msg, leak) {
					t.Errorf("error %q leaks %q", msg, leak)
				}
			}
		})
	}
}

// FuzzLoadManifest feeds any manifest (and one template) to the loader:
// it never panics, its errors are one line, and a catalog that loads is
// whole: every route has its default variant (and an error variant, if
// any, of status 400 or more) and its sample path matches it.
func FuzzLoadManifest(f *testing.F) {
	seed := string(fixture(f, "GET /v1/a", "POST /v1/b/:id")[ManifestName].Data)
	f.Add(seed, `{"a": "{{urlParam 'id'}}"}`)
	f.Add(`{"name": "x", "routes": [{"method": "get", "path": "/v1/x/:id/", "samples": {"id": "x_1"}, "variants": [{"kind": "error", "status": 404, "file": "t.hbs", "headers": {"X": "y"}}, {"kind": "Success", "status": 200, "file": "t.hbs", "contentType": "text/plain"}]}]}`, `{{body 'a'}}`)
	f.Add(`{"routes": [{"method": "GET", "path": "/v1/{id}", "variants": [{"kind": "success", "status": "200"}]}]}`, `{{#each}}`)
	f.Add(`{"routes": [{"method": "GET", "path": "/", "variants": [{"kind": "success", "status": 200, "file": "../t.hbs"}, {"kind": "error", "status": 600, "file": "t.hbs"}]}]}`, `[`)
	f.Add("{\n\"routes\": [\n1,\n{\"path\": 7}]}", "")
	f.Add(`{"routes": [{"method": "GET", "path": "/a/:id", "responseMode": "FALLBACK", "variants": [{"status": 200, "file": "t.hbs"}]}, {"method": "GET", "path": "/a/:x", "shadowedBy": "GET /a/:id", "variants": [{"status": 200, "file": "t.hbs"}]}, {"method": "GET", "path": "/a/b", "disabled": true, "variants": [{"status": 200, "file": "t.hbs"}]}]}`, `{}`)
	f.Fuzz(func(t *testing.T, manifest, tmpl string) {
		fsys := fstest.MapFS{ManifestName: {Data: []byte(manifest)}, "t.hbs": {Data: []byte(tmpl)}}
		for name, file := range fixture(t, "GET /v1/a", "POST /v1/b/:id") {
			if name != ManifestName {
				fsys[name] = file
			}
		}
		cat, err := Load(fsys, Options{Eager: true, Source: "cat"})
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error spans lines: %q", err)
			}
			for _, leak := range []string{"Go struct", "of type", "catalog.Manifest"} {
				if strings.Contains(err.Error(), leak) {
					t.Fatalf("error leaks Go types: %q", err)
				}
			}
			return
		}
		for _, r := range cat.Routes {
			// A route has its default; an error variant is optional, and
			// when there is one it is a status of 400 or more.
			if len(r.Variants) == 0 || r.Variant(Success) != r.Variants[0] {
				t.Fatalf("%s lacks its default variant", r.Key())
			}
			if e := r.Variant(Error); e != nil && e.Status < 400 {
				t.Fatalf("%s: its error variant has status %d", r.Key(), e.Status)
			}
			// Its sample path matches it, or (a shadowed route) a route
			// before it that passes requests on to it; a disabled route
			// never matches.
			path := r.SamplePath(r.SampleParams())
			got, _, ok := cat.Match(r.Method, path)
			for ok && got != r && r.Shadowed && got.Index() < r.Index() {
				got, _, ok = cat.Next(r.Method, path, got)
			}
			if r.Disabled == (ok && got == r) {
				t.Fatalf("%s (disabled %v): its sample path %q finds %v", r.Key(), r.Disabled, path, got)
			}
		}
	})
}
