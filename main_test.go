package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/routedeck/routedeck/catalog"
)

func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(args, strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestHelpAndVersionGoToStdout(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"serve", "--help"}, {"export", "-h"}} {
		code, out, errOut := runCmd(t, args...)
		if code != 0 || !strings.Contains(out, "Usage:") || errOut != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
	for _, args := range [][]string{{"version"}, {"--version"}, {"serve", "--version"}, {"list", "--version"}} {
		if code, out, _ := runCmd(t, args...); code != 0 || !strings.HasPrefix(out, "routedeck ") {
			t.Errorf("%v: exit %d, stdout %q", args, code, out)
		}
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		o    options
		want string
	}{
		{"defaults", options{host: "127.0.0.1", port: 12111, variant: "success"}, ""},
		{"error variant", options{host: "127.0.0.1", variant: "Error"}, ""},
		{"bad variant", options{host: "127.0.0.1", variant: "teapot"}, "--variant"},
		{"bad port", options{host: "127.0.0.1", variant: "success", port: 70000}, "--port 70000"},
		{"negative port", options{host: "127.0.0.1", variant: "success", port: -1}, "--port -1"},
		{"bad https port", options{host: "127.0.0.1", variant: "success", port: 1, httpsPort: 65536}, "--https-port 65536"},
		{"empty host", options{host: " ", variant: "success"}, "--host"},
		{"set ok", options{host: "h", variant: "success", sets: multiFlag{"GET /v1/customers/:customer=error"}}, ""},
		{"set without kind", options{host: "h", variant: "success", sets: multiFlag{"GET /v1/customers"}}, "--set"},
		{"set empty name", options{host: "h", variant: "success", sets: multiFlag{"GET /v1/x= "}}, "--set"},
		{"set without method", options{host: "h", variant: "success", sets: multiFlag{"/v1/x=error"}}, "--set"},
		{"param ok", options{host: "h", variant: "success", params: multiFlag{"customer=cus_1"}}, ""},
		{"param bad", options{host: "h", variant: "success", params: multiFlag{"customer"}}, "--param"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.o.validate()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("got %v; want nil", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("got %v; want an error mentioning %q", err, tt.want)
			}
		})
	}
}

func TestExitCodes(t *testing.T) {
	tests := []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"version"}, 0, ""},
		{[]string{"--version"}, 0, ""},
		{[]string{"serve", "--help"}, 0, ""},
		{[]string{"show", "--version"}, 0, ""},
		{[]string{"list", "-h"}, 0, ""},
		{[]string{"bogus"}, 2, `unknown command "bogus"`},
		{[]string{"list", "--nope"}, 2, "-nope"},
		{[]string{"serve", "--port", "abc"}, 2, "-port"},
		{[]string{"serve", "--variant", "teapot"}, 2, "--variant"},
		{[]string{"show"}, 2, "want one route"},
		{[]string{"show", "GET /v1/customers/:customer", "extra"}, 2, "want one route"},
		{[]string{"serve", "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"show", "GET /v1/nope"}, 2, `no route "GET /v1/nope"`},
		{[]string{"list", "--set", "GET /v1/nope=error"}, 2, `no route "GET /v1/nope"`},
		{[]string{"list", "--catalog", "/does/not/exist"}, 1, "/does/not/exist"},
		{[]string{"export"}, 2, "want one folder"},
		// Tests do not run in a terminal: the UI refuses with a pointer to serve and show.
		{[]string{}, 2, "routedeck serve"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, _, stderr := runCmd(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d; want %d (stderr %q)", code, tt.code, stderr)
			}
			if tt.err != "" && !strings.Contains(stderr, tt.err) {
				t.Errorf("stderr %q does not mention %q", stderr, tt.err)
			}
			if tt.code != 0 && strings.Count(strings.TrimSpace(stderr), "\n") > 1 {
				t.Errorf("want a short error, got %q", stderr)
			}
		})
	}
}

func TestListJSON(t *testing.T) {
	code, out, stderr := runCmd(t, "list", "--json", "--set", "GET /v1/customers/:customer=error")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var routes []map[string]any
	if err := json.Unmarshal([]byte(out), &routes); err != nil {
		t.Fatal(err)
	}
	if len(routes) == 0 {
		t.Fatal("no routes")
	}
	found := false
	for _, r := range routes {
		for _, k := range []string{"method", "path", "group", "summary", "active"} {
			if _, ok := r[k]; !ok {
				t.Fatalf("route %v has no %q", r, k)
			}
		}
		if r["method"] == "GET" && r["path"] == "/v1/customers/:customer" {
			found = true
			if r["active"] != "error" {
				t.Errorf("--set did not apply: %v", r)
			}
		} else if r["active"] != "success" {
			t.Errorf("%v: active = %v", r["path"], r["active"])
		}
	}
	if !found {
		t.Error("GET /v1/customers/:customer not listed")
	}
}

func TestShow(t *testing.T) {
	code, out, _ := runCmd(t, "show", "GET /v1/customers/:customer", "--param", "customer=cus_ABC")
	if code != 0 || !strings.Contains(out, `"id": "cus_ABC"`) {
		t.Errorf("exit %d: %s", code, out)
	}
	code, out, _ = runCmd(t, "show", "GET /v1/customers/cus_XYZ", "--variant", "error")
	if code != 0 || !strings.Contains(out, "No such customer: 'cus_XYZ'") {
		t.Errorf("exit %d: %s", code, out)
	}
	code, out, _ = runCmd(t, "show", "--variant", "error", "get", "/v1/customers/cus_U", "--param", "customer=cus_P")
	if code != 0 || !strings.Contains(out, "No such customer: 'cus_P'") {
		t.Errorf("unquoted route, flags on both sides: exit %d: %s", code, out)
	}
	code, _, stderr := runCmd(t, "show", "GET /v1/customers/:customer", "--param", "nope=1")
	if code != 2 || !strings.Contains(stderr, ":nope") {
		t.Errorf("exit %d: %s", code, stderr)
	}
}

func TestExportThenLoad(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cat")
	if code, _, stderr := runCmd(t, "export", dir); code != 0 {
		t.Fatalf("export: %s", stderr)
	}
	// Break one template: loading names the file and the route.
	var m struct {
		Routes []struct {
			Method, Path string
			Variants     []struct{ File string }
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, "catalog.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	file := m.Routes[0].Variants[0].File
	if file == "" {
		file = catalog.DefaultFile(m.Routes[0].Method, m.Routes[0].Path, "success")
	}
	if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(file)), []byte("{{#if}}"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCmd(t, "list", "--catalog", dir)
	if code != 1 || !strings.Contains(stderr, filepath.FromSlash(file)) || !strings.Contains(stderr, m.Routes[0].Path) {
		t.Errorf("exit %d: %s", code, stderr)
	}
	if code, _, stderr := runCmd(t, "export", dir); code != 1 || !strings.Contains(stderr, "already exists") {
		t.Errorf("export over a catalog: exit %d: %s", code, stderr)
	}
}

// Every route and variant of the embedded catalog shows as valid JSON (or
// the quote PDF), never empty.
func TestShowEveryRoute(t *testing.T) {
	code, out, stderr := runCmd(t, "list", "--json")
	if code != 0 {
		t.Fatalf("list: %s", stderr)
	}
	var routes []struct{ Method, Path, Source string }
	if err := json.Unmarshal([]byte(out), &routes); err != nil {
		t.Fatal(err)
	}
	// The seed's 384 routes and the spec's operations the seed lacks.
	bySource := map[string]int{}
	for _, r := range routes {
		bySource[r.Source]++
	}
	if bySource["seed"] != 384 || bySource["spec"] < 250 || len(bySource) != 2 {
		t.Fatalf("list --json has routes by source %v; want 384 seed and the spec's others", bySource)
	}
	validBody := func(what, path, variant, body string) {
		t.Helper()
		switch {
		case strings.HasPrefix(body, "%PDF-") && variant == "success" && strings.HasSuffix(path, "/pdf"):
		case !json.Valid([]byte(body)) || len(strings.TrimSpace(body)) < 3:
			t.Errorf("%s --variant %s: not JSON: %.200s", what, variant, body)
		}
	}
	// The show command itself for a spread of routes (each run loads the
	// catalog, which the race detector makes slow)...
	for i := 0; i < len(routes); i += 25 {
		r := routes[i]
		for _, variant := range []string{"success", "error"} {
			key := r.Method + " " + r.Path
			code, body, stderr := runCmd(t, "show", key, "--variant", variant)
			if code != 0 {
				t.Errorf("show %q --variant %s: exit %d: %s", key, variant, code, stderr)
				continue
			}
			validBody(fmt.Sprintf("show %q", key), r.Path, variant, body)
		}
	}
	// ...and every route and variant rendered as show renders it, on one
	// loaded catalog.
	o := &options{variant: "success"}
	srv, err := o.newServer()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Catalog().Routes); n != len(routes) {
		t.Fatalf("list --json has %d routes, the catalog %d", len(routes), n)
	}
	for _, r := range srv.Catalog().Routes {
		for _, kind := range []catalog.Kind{catalog.Success, catalog.Error} {
			body, err := r.Variant(kind).Render(r.SampleRequest())
			if err != nil {
				t.Errorf("%s (%s): %v", r.Key(), kind, err)
				continue
			}
			validBody(r.Key(), r.Path, string(kind), body)
		}
	}
}

// Each command's --help describes that command: its usage line and its own
// flags, not the flags of other commands.
func TestCommandHelpDescribesTheCommand(t *testing.T) {
	tests := []struct {
		cmd     string
		has     []string
		hasNot  []string
		helpArg string
	}{
		{"serve", []string{"routedeck serve [flags]", "--port", "--host", "--quiet", "--https-port", "--set", "Ctrl+C"}, []string{"--param", "--json", "--no-serve", "export DIR"}, "--help"},
		{"list", []string{"routedeck list [flags]", "--json", "--catalog", "--set"}, []string{"--port", "--param", "--quiet"}, "-h"},
		{"show", []string{`routedeck show "METHOD /path" [flags]`, "--param", "--variant"}, []string{"--port", "--json", "--quiet"}, "--help"},
		{"export", []string{"routedeck export DIR", "catalog.json"}, []string{"--port", "--json", "--param", "--variant"}, "--help"},
		{"version", []string{"routedeck version"}, []string{"--port", "--json", "--catalog"}, "--help"},
	}
	for _, tt := range tests {
		t.Run(tt.cmd, func(t *testing.T) {
			code, out, errOut := runCmd(t, tt.cmd, tt.helpArg)
			if code != 0 || errOut != "" || !strings.HasPrefix(out, "Usage:\n") {
				t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
			}
			for _, s := range tt.has {
				if !strings.Contains(out, s) {
					t.Errorf("%s --help lacks %q:\n%s", tt.cmd, s, out)
				}
			}
			for _, s := range tt.hasNot {
				if strings.Contains(out, s) {
					t.Errorf("%s --help mentions %q, which is not this command's:\n%s", tt.cmd, s, out)
				}
			}
			if _, same, _ := runCmd(t, "help", tt.cmd); same != out {
				t.Errorf("routedeck help %s differs from %s --help:\n%s", tt.cmd, tt.cmd, same)
			}
		})
	}
	// The overview names every command.
	_, out, _ := runCmd(t, "--help")
	for _, cmd := range []string{"serve", "list", "show", "export", "version"} {
		if !strings.Contains(out, "routedeck "+cmd) {
			t.Errorf("routedeck --help does not name %s", cmd)
		}
	}
}

// Errors spell flags as the docs do (--port, never -port) and point to the
// command's own help.
func TestFlagErrorsSpellFlagsAsTheDocs(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--port", "abc"}, `serve: --port "abc": want a number`},
		{[]string{"serve", "-port", "abc"}, `serve: --port "abc": want a number`},
		{[]string{"list", "--nope"}, "list: unknown flag --nope"},
		{[]string{"serve", "--port"}, "serve: --port needs a value"},
		{[]string{"list", "--json=maybe"}, `list: --json "maybe": want true or false`},
		{[]string{"--nope"}, "unknown flag --nope"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, _, stderr := runCmd(t, tt.args...)
			if code != 2 || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want %q", code, stderr, tt.want)
			}
			for _, line := range strings.Split(stderr, "\n") {
				if strings.Contains(" "+line, " -") && !strings.Contains(" "+line, " --") {
					t.Errorf("single-dash flag in %q", line)
				}
			}
			cmd := "routedeck"
			if tt.args[0] != "--nope" {
				cmd += " " + tt.args[0]
			}
			if !strings.Contains(stderr, "Run '"+cmd+" --help' for usage.") {
				t.Errorf("stderr %q does not point to %s --help", stderr, cmd)
			}
		})
	}
}

// The README promises only what works: the module is not published, so
// installing it by its path at @latest fails.
func TestReadmeInstallsFromAClone(t *testing.T) {
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "go install github.com/routedeck/routedeck@") {
		t.Error("README tells users to go install the unpublished module by its path")
	}
	if !strings.Contains(string(data), "`go install .`") {
		t.Error("README does not say how to install from a clone")
	}
}
