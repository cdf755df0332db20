package main

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// mockoonFile is one of the real Mockoon environments in the shared test data.
const mockoonFile = "../shared/testdata/mockoon/environments/googleapiscom-vision.json"

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(args, strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestCommandsOpenMockoonFiles(t *testing.T) {
	if _, err := os.Stat(mockoonFile); err != nil {
		t.Skipf("Mockoon test data not found: %v", err)
	}
	code, out, errOut := runCLI(t, "list", "--json", "--catalog", mockoonFile)
	if code != 0 {
		t.Fatalf("list exited %d: %s", code, errOut)
	}
	var routes []struct{ Method, Path string }
	if err := json.Unmarshal([]byte(out), &routes); err != nil {
		t.Fatalf("list --json: %v\n%s", err, out)
	}
	if len(routes) != 8 || routes[0].Method != "POST" || routes[0].Path != "/v1p2beta1/files:annotate" {
		t.Fatalf("list: %d routes, first %+v; want the file's 8, first POST /v1p2beta1/files:annotate", len(routes), routes[0])
	}
	// The file's routes have no error responses: the warnings do not say
	// so (the 500 is labelled), but nothing they list is silent either.
	if strings.Contains(errOut, "panic") {
		t.Fatalf("stderr: %s", errOut)
	}

	code, out, errOut = runCLI(t, "show", "POST /v1p2beta1/projects/files:annotate", "--catalog", mockoonFile)
	if code != 0 || !json.Valid([]byte(out)) {
		t.Fatalf("show exited %d, stdout %.200q, stderr %s; want a JSON body", code, out, errOut)
	}

	dir := filepath.Join(t.TempDir(), "vision")
	code, out, errOut = runCLI(t, "export", dir, "--catalog", mockoonFile)
	if code != 0 || !strings.Contains(out, "wrote the catalog of "+mockoonFile) {
		t.Fatalf("export exited %d: %s %s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, "list", "--catalog", dir)
	if code != 0 || strings.Count(out, "\n") < 8 {
		t.Fatalf("list of the exported folder exited %d: %s %s", code, out, errOut)
	}
}

func TestMockoonWarningsOnStderr(t *testing.T) {
	file := "../shared/testdata/mockoon/environments/tutorial-simulate-webhooks-and-callbacks.json"
	if _, err := os.Stat(file); err != nil {
		t.Skipf("Mockoon test data not found: %v", err)
	}
	code, out, errOut := runCLI(t, "list", "--catalog", file)
	if code != 0 {
		t.Fatalf("list exited %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "routedeck: "+file+": callbacks are not supported") || strings.Contains(out, "callbacks") {
		t.Fatalf("want the warnings on stderr only:\nstdout %s\nstderr %s", out, errOut)
	}
}

func TestMockoonStripeFileIsServedAsWritten(t *testing.T) {
	file := "../shared/reference/mockoon-stripe.json"
	if _, err := os.Stat(file); err != nil {
		t.Skipf("Mockoon test data not found: %v", err)
	}
	o := &options{catalogDir: file, variant: "success", serving: true, strict: true}
	srv, err := o.newServer()
	if err != nil {
		t.Fatal(err)
	}
	// The file's own answer, not Stripe's validation (--strict refuses unknown parameters).
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("POST", "/v1/charges", strings.NewReader("not_a_stripe_param=1"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	srv.ServeHTTP(rec, req)
	if rec.Code != 200 {
		t.Fatalf("POST /v1/charges: %d %.300s; want the file's 200", rec.Code, rec.Body)
	}
}

// list marks the routes that do not answer as the others: behind an
// earlier route (reached through FALLBACK, or never) and disabled ones;
// --json says the same in fields, and export keeps them.
func TestListMarksShadowedAndDisabledRoutes(t *testing.T) {
	const file = "catalog/mockoon/testdata/disabled.json"
	code, out, errOut := runCLI(t, "list", "--catalog", file)
	if code != 0 {
		t.Fatalf("list exited %d: %s", code, errOut)
	}
	for _, want := range []string{"(disabled, not served) Disabled", "(after GET /x passes a request on) Answers what"} {
		if !strings.Contains(out, want) {
			t.Errorf("list lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errOut, "disabled in the file: listed, not served") {
		t.Errorf("stderr does not list the disabled routes: %s", errOut)
	}
	dir := filepath.Join(t.TempDir(), "disabled")
	if code, _, errOut := runCLI(t, "export", dir, "--catalog", file); code != 0 {
		t.Fatalf("export exited %d: %s", code, errOut)
	}
	code, out, errOut = runCLI(t, "list", "--json", "--catalog", dir)
	if code != 0 {
		t.Fatalf("list --json of the export exited %d: %s", code, errOut)
	}
	var routes []struct {
		Path       string
		ShadowedBy string `json:"shadowed_by"`
		Reached    *bool
		Disabled   bool
	}
	if err := json.Unmarshal([]byte(out), &routes); err != nil || len(routes) != 4 {
		t.Fatalf("list --json: %v, %d routes\n%s", err, len(routes), out)
	}
	if !routes[1].Disabled || !routes[3].Disabled || routes[0].Disabled {
		t.Errorf("disabled: %+v", routes)
	}
	if routes[2].ShadowedBy != "GET /x" || routes[2].Reached == nil || !*routes[2].Reached || routes[0].Reached != nil {
		t.Errorf("shadowed: %+v", routes)
	}
}
