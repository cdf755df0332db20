//go:build unix

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// manyVariantsDir writes a catalog folder whose POST /v1/pay has five
// variants, and returns the folder.
func manyVariantsDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"catalog.json": `{"name": "Pay", "routes": [
{"method": "POST", "path": "/v1/pay", "variants": [
  {"name": "paid", "status": 200, "file": "paid.hbs"},
  {"name": "pending", "status": 202, "file": "pending.hbs"},
  {"name": "card_declined/insufficient_funds", "status": 402, "file": "declined.hbs"},
  {"name": "rate_limit", "status": 429, "file": "slow.hbs"},
  {"name": "api_error", "status": 500, "file": "broken.hbs"}]},
{"method": "GET", "path": "/v1/ping", "variants": [{"status": 200, "file": "paid.hbs"}]}]}`,
		"paid.hbs":     `{"paid": true}`,
		"pending.hbs":  `{"paid": false}`,
		"declined.hbs": `{"error": {"type": "card_error", "decline_code": "insufficient_funds"}}`,
		"slow.hbs":     `{"error": {"type": "invalid_request_error", "code": "rate_limit"}}`,
		"broken.hbs":   `{"error": {"type": "api_error"}}`,
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestShowVariantByNameAndStatus(t *testing.T) {
	dir := manyVariantsDir(t)
	for _, tt := range []struct{ variant, want string }{
		{"success", `{"paid": true}`},
		{"pending", `{"paid": false}`},
		{"202", `{"paid": false}`},
		{"error", `"insufficient_funds"`},
		{"card_declined/insufficient_funds", `"insufficient_funds"`},
		{"RATE_LIMIT", `"rate_limit"`},
		{"500", `"api_error"`},
	} {
		code, out, stderr := runCmd(t, "show", "POST /v1/pay", "--catalog", dir, "--variant", tt.variant)
		if code != 0 || !strings.Contains(out, tt.want) {
			t.Errorf("show --variant %s: exit %d, %q (stderr %q); want %s", tt.variant, code, out, stderr, tt.want)
		}
	}
	code, out, _ := runCmd(t, "show", "POST /v1/pay", "--catalog", dir, "--set", "POST /v1/pay=rate_limit")
	if code != 0 || !strings.Contains(out, `"rate_limit"`) {
		t.Errorf("show --set =rate_limit: exit %d, %q", code, out)
	}
}

func TestUnknownVariantNamesTheRoutesVariants(t *testing.T) {
	dir := manyVariantsDir(t)
	for _, args := range [][]string{
		{"show", "POST /v1/pay", "--catalog", dir, "--variant", "rate_limt"},
		{"list", "--catalog", dir, "--set", "POST /v1/pay=rate_limt"},
		{"serve", "--port", "0", "--catalog", dir, "--set", "POST /v1/pay=rate_limt"},
	} {
		code, _, stderr := runCmd(t, args...)
		want := `has no variant "rate_limt" (its variants: paid (200), pending (202), card_declined/insufficient_funds (402), rate_limit (429), api_error (500)); did you mean "rate_limit"?`
		if code != 2 || !strings.Contains(stderr, want) || strings.Count(strings.TrimSpace(stderr), "\n") > 1 {
			t.Errorf("%s: exit %d, stderr %q; want a short error with %s", args[0], code, stderr, want)
		}
	}
	code, _, stderr := runCmd(t, "list", "--catalog", dir, "--set", "GET /v1/ping=error")
	if code != 2 || !strings.Contains(stderr, "GET /v1/ping has no error variant (its variants: 200 (200))") {
		t.Errorf("--set error on a route without one: exit %d, %q", code, stderr)
	}
}

func TestListJSONVariants(t *testing.T) {
	dir := manyVariantsDir(t)
	code, out, stderr := runCmd(t, "list", "--json", "--catalog", dir, "--set", "POST /v1/pay=429")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var routes []struct {
		Path     string
		Active   string
		Error    int `json:"error_status"`
		Variants []struct {
			Name   string
			Status int
		}
	}
	if err := json.Unmarshal([]byte(out), &routes); err != nil {
		t.Fatal(err)
	}
	if r := routes[0]; r.Active != "rate_limit" || r.Error != 402 || len(r.Variants) != 5 || r.Variants[2].Name != "card_declined/insufficient_funds" {
		t.Errorf("POST /v1/pay: %+v", r)
	}
	if r := routes[1]; r.Active != "200" || r.Error != 0 || len(r.Variants) != 1 {
		t.Errorf("GET /v1/ping: %+v", r)
	}
}

// The embedded Stripe catalog's extra variants: any route's 401, 429 and
// 500, and a money route's declines.
func TestStripeExtraVariants(t *testing.T) {
	for _, tt := range []struct{ route, variant, want string }{
		{"POST /v1/charges", "card_declined/insufficient_funds", `"decline_code": "insufficient_funds"`},
		{"POST /v1/payment_intents/:intent/confirm", "incorrect_cvc", `"param": "cvc"`},
		{"GET /v1/customers/:customer", "401", `"type": "authentication_error"`},
		{"GET /v1/customers/:customer", "429", `"code": "rate_limit"`},
		{"DELETE /v1/products/:id", "500", `"type": "api_error"`},
	} {
		code, out, stderr := runCmd(t, "show", tt.route, "--variant", tt.variant)
		if code != 0 || !strings.Contains(out, tt.want) {
			t.Errorf("show %s --variant %s: exit %d %q %s; want %s", tt.route, tt.variant, code, out, stderr, tt.want)
		}
	}
	code, _, stderr := runCmd(t, "show", "GET /v1/customers/:customer", "--variant", "card_declined/insufficient_funds")
	if code != 2 || !strings.Contains(stderr, "its variants: success (200), error (404), 401 (401), 429 (429), 500 (500)") {
		t.Errorf("a decline on a route that moves no money: exit %d %s", code, stderr)
	}
}

// serve pins a variant by name with --set, and its log line names the
// variant that answered each request.
func TestServePinsByNameAndLogsIt(t *testing.T) {
	cmd, url, lines := startServe(t, "--set", "GET /v1/customers/:customer=429")
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	code, body := get(t, url+"/v1/customers/cus_ABC")
	if code != 429 || !strings.Contains(body, `"rate_limit"`) {
		t.Fatalf("--set =429: %d %s", code, body)
	}
	if !lines.Scan() || !strings.Contains(lines.Text(), "GET /v1/customers/cus_ABC 429 429 GET /v1/customers/:customer") {
		t.Errorf("log line %q", lines.Text())
	}
	code, _ = get(t, url+"/v1/customers/cus_ABC", "Prefer", `example="401"`)
	if !lines.Scan() || code != 401 || !strings.Contains(lines.Text(), " 401 401 GET /v1/customers/:customer") {
		t.Errorf("Prefer example=401: %d, log line %q", code, lines.Text())
	}
}
