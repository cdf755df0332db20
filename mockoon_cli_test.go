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
