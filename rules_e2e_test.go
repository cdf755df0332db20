//go:build unix

package main

import (
	"strings"
	"testing"
)

// serve warns about unknown parameters on the request's log line (escaped
// for the terminal); serve --strict refuses them as Stripe does.
func TestServeUnknownParameters(t *testing.T) {
	_, url, lines := startServe(t)
	code, body := get(t, url+"/v1/customers?limit=2&nickname=jj&x%1b%5b31m=1")
	if code != 200 {
		t.Fatalf("got %d %s", code, body)
	}
	if !lines.Scan() {
		t.Fatal("no log line")
	}
	line := lines.Text()
	if !strings.Contains(line, "warning: unknown parameter nickname; unknown parameter x") || strings.Contains(line, "\x1b") {
		t.Errorf("log line %q; want the unknown parameters as an escaped warning", line)
	}

	_, strictURL, _ := startServe(t, "--strict")
	code, body = get(t, strictURL+"/v1/customers?nickname=jj")
	if code != 400 || !strings.Contains(body, `"code": "parameter_unknown"`) || !strings.Contains(body, "Received unknown parameter: nickname") {
		t.Errorf("--strict: got %d %s", code, body)
	}
	// --strict answers an id never stored as Stripe does.
	code, body = get(t, strictURL+"/v1/customers/cus_1")
	if code != 404 || !strings.Contains(body, `"code": "resource_missing"`) || !strings.Contains(body, "No such customer: 'cus_1'") {
		t.Errorf("--strict, an id never stored: got %d %.300s", code, body)
	}
	code, body = get(t, strictURL+"/v1/charges?limit=1&expand[]=data.customer")
	if code != 200 || !strings.Contains(strings.ReplaceAll(body, " ", ""), `"customer":{`) {
		t.Errorf("expand: got %d %.300s", code, body)
	}
}

// A catalog that is not Stripe's gets no Stripe rules.
func TestServeRulesOnlyForStripeCatalog(t *testing.T) {
	_, url, _ := startServe(t, "--strict", "--catalog", "ui/testdata/catalog")
	code, body := get(t, url+"/v1/customers/cus_1?nickname=jj")
	if code != 200 {
		t.Errorf("got %d %s", code, body)
	}
}
