//go:build unix

package main

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

// curl gets indented JSON whoever stored the object: a customer an SDK
// created (kept compact, as the SDK got it), and a charge's balance
// transaction and a confirm's charge (written compact), read back with
// curl, come indented two spaces, as the catalog's bodies do; the SDK
// reading what curl created gets it whole either way.
func TestCurlGetsIndentedJSONOfStoredObjects(t *testing.T) {
	_, url, _ := startServe(t)
	const sdk, curl = "Stripe/v1 GoBindings/82.5.1", "curl/8.5.0"
	auth := []string{"Authorization", "Bearer sk_test_123", "Content-Type", "application/x-www-form-urlencoded"}
	id := regexp.MustCompile(`"id":\s*"([^"]+)"`)
	created := func(path, form, agent string) string {
		t.Helper()
		code, body := request(t, "POST", url+path, form, append(auth, "User-Agent", agent)...)
		m := id.FindStringSubmatch(body)
		if code != 200 || m == nil {
			t.Fatalf("POST %s: %d %s", path, code, body)
		}
		return body
	}
	field := func(body, name string) string {
		t.Helper()
		var v map[string]any
		if err := json.Unmarshal([]byte(body), &v); err != nil {
			t.Fatalf("%v in %s", err, body)
		}
		s, _ := v[name].(string)
		return s
	}
	cus := field(created("/v1/customers", "email=a%40b.c", sdk), "id")
	ch := created("/v1/charges", "amount=777&currency=usd&source=tok_visa", curl)
	pi := created("/v1/payment_intents", "amount=555&currency=usd&payment_method=pm_card_visa&confirm=true", sdk)
	for _, path := range []string{
		"/v1/customers/" + cus,
		"/v1/balance_transactions/" + field(ch, "balance_transaction"),
		"/v1/charges/" + field(pi, "latest_charge"),
	} {
		code, body := get(t, url+path, "User-Agent", curl)
		if code != 200 || !strings.HasPrefix(body, "{\n  \"") || !strings.HasSuffix(body, "\n}\n") {
			t.Errorf("curl GET %s: %d, not indented:\n%.200s", path, code, body)
		}
		code, body = get(t, url+path, "User-Agent", sdk)
		if code != 200 || !json.Valid([]byte(body)) {
			t.Errorf("SDK GET %s: %d %.200s", path, code, body)
		}
	}
}
