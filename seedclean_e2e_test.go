//go:build unix

package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/stripe"
)

// selfNamed lists the members of v whose string value is the member's own
// name ({"type": "type"}): stripe-mock's placeholders.
func selfNamed(v any, where string) []string {
	var out []string
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			out = append(out, selfNamed(e, where+"[]")...)
		}
	case map[string]any:
		for k, m := range x {
			if s, ok := m.(string); ok && s == k {
				out = append(out, where+"."+k)
			}
			out = append(out, selfNamed(m, where+"."+k)...)
		}
	}
	return out
}

// What a user sees first from the served catalog, over HTTP, says what
// each object's status says: the seed PaymentIntent (and a retrieve of an
// id never stored, answered with the sample) has not been canceled, has
// not failed and waits for no action; the seed subscription is active
// with a billing period that ends after it starts and no cancellation;
// a new Checkout Session expires after it is created; and no body holds
// a placeholder.
func TestServedSamplesFollowTheirStatus(t *testing.T) {
	cat, err := catalog.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	seedID := map[string]string{}
	for _, o := range stripe.Seed(cat) {
		seedID[o.Type] = o.ID
	}
	if seedID["payment_intent"] == "" || seedID["subscription"] == "" {
		t.Fatalf("the seed has no PaymentIntent or subscription: %v", seedID)
	}
	checkout, ok := cat.Lookup("POST /v1/checkout/sessions")
	if !ok {
		t.Fatal("no POST /v1/checkout/sessions in the catalog")
	}
	_, url, _ := startServe(t, "--quiet")
	object := func(method, path, body string) map[string]any {
		t.Helper()
		code, answer := request(t, method, url+path, body, "Authorization", "Bearer sk_test_123",
			"Content-Type", "application/x-www-form-urlencoded")
		if code != 200 {
			t.Fatalf("%s %s: %d %.300s", method, path, code, answer)
		}
		var o map[string]any
		if err := json.Unmarshal([]byte(answer), &o); err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		for _, p := range selfNamed(o, method+" "+path) {
			t.Errorf("%s holds a placeholder", p)
		}
		return o
	}
	for _, path := range []string{"/v1/payment_intents/" + seedID["payment_intent"], "/v1/payment_intents/pi_123"} {
		pi := object("GET", path, "")
		if pi["status"] != "requires_payment_method" {
			t.Errorf("GET %s: status %v", path, pi["status"])
		}
		for _, k := range []string{"canceled_at", "cancellation_reason", "last_payment_error", "next_action", "processing"} {
			if v, ok := pi[k]; !ok || v != nil {
				t.Errorf("GET %s: %s is %v, want null on a PaymentIntent in requires_payment_method", path, k, v)
			}
		}
	}
	subs := object("GET", "/v1/subscriptions?limit=100", "")
	found := false
	for _, s := range subs["data"].([]any) {
		sub := s.(map[string]any)
		if sub["id"] != seedID["subscription"] {
			continue
		}
		found = true
		if sub["status"] != "active" {
			t.Errorf("seed subscription: status %v", sub["status"])
		}
		for _, k := range []string{"canceled_at", "ended_at", "cancel_at", "trial_start", "trial_end", "pause_collection", "pending_update"} {
			if sub[k] != nil {
				t.Errorf("active seed subscription: %s is %v, want null", k, sub[k])
			}
		}
		if sub["cancel_at_period_end"] != false {
			t.Errorf("active seed subscription: cancel_at_period_end %v without a cancel_at", sub["cancel_at_period_end"])
		}
		for _, it := range sub["items"].(map[string]any)["data"].([]any) {
			item := it.(map[string]any)
			start, end := item["current_period_start"].(float64), item["current_period_end"].(float64)
			if end <= start || end-start > 31*24*3600 {
				t.Errorf("seed subscription item %v: period %v to %v, want one month", item["id"], start, end)
			}
		}
	}
	if !found {
		t.Errorf("GET /v1/subscriptions does not list the seed subscription %s", seedID["subscription"])
	}
	cs := object("POST", "/v1/checkout/sessions", checkout.SampleBody)
	created, expires := cs["created"].(float64), cs["expires_at"].(float64)
	if got := expires - created; got != 24*3600 {
		t.Errorf("new Checkout Session: expires %v after its creation, want 24 hours (%s)", got, fmt.Sprint(cs["expires_at"]))
	}
	if strings.TrimSpace(checkout.SampleBody) == "" {
		t.Error("POST /v1/checkout/sessions has no sample body")
	}
}
