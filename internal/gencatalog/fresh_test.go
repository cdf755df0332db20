package main

import (
	"encoding/json"
	"io/fs"
	"strings"
	"testing"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/embed"
	"github.com/routedeck/routedeck/render"
)

// freshen nulls the nullable members that describe what has not happened
// yet, keeps what Stripe fills on a new object and what the request may
// set, nulls sample times even where reflected and makes those that are
// not nullable the time of the create.
func TestFreshenRule(t *testing.T) {
	out, err := parseOrdered([]byte(`{
		"id": "pi_1", "status": "requires_payment_method",
		"canceled_at": 1234567890, "expires_at": 1234567890, "created": 1234567890, "start_date": 1234567890,
		"cancel_at": 1234567890, "confirmed_at": 1700000000,
		"last_payment_error": {"type": "idempotency_error"},
		"next_action": {"type": "type"}, "review": "prv_1",
		"customer_details": {"email": "a@b.c"},
		"client_secret": "pi_1_secret", "description": "kept",
		"metadata": {}
	}`))
	if err != nil {
		t.Fatal(err)
	}
	nullable := map[string]any{"nullable": true}
	props := map[string]any{}
	for _, k := range out.keys {
		props[k] = nullable
	}
	props["created"] = map[string]any{"type": "integer"} // not nullable: the time of the create
	props["start_date"] = map[string]any{"type": "integer"}
	props["review"] = map[string]any{"type": "string"} // not nullable here: kept
	props["customer_details"] = nullable               // nulled only for checkout sessions
	form := map[string]string{"cancel_at": "integer", "description": "string"}
	freshen(out, "payment_intent", props, form, 1234567890)
	want := map[string]string{
		"status": `"requires_payment_method"`, "canceled_at": "null", "expires_at": "1234567890",
		"created": "{{now}}", "start_date": "{{now}}", "cancel_at": "null", "confirmed_at": "1700000000",
		"last_payment_error": "null", "next_action": "null", "review": `"prv_1"`,
		"client_secret": `"pi_1_secret"`, "description": `"kept"`, "metadata": "{}",
	}
	for k, w := range want {
		if got := strings.Join(strings.Fields(out.get(k).pretty()), ""); got != w {
			t.Errorf("%s: %s, want %s", k, got, w)
		}
	}
	if out.get("customer_details").kind == 'z' {
		t.Error("customer_details nulled on a payment_intent; the table names it for checkout.session only")
	}
	freshen(out, "checkout.session", props, form, 1234567890)
	if out.get("customer_details").kind != 'z' {
		t.Error("customer_details kept on a checkout.session")
	}
}

// Every create in the embedded catalog renders a new object: no member
// holds the fixtures' sample time or error, and the objects whose status
// the store and the events follow carry nothing that contradicts it.
func TestEmbeddedCreatesAreFresh(t *testing.T) {
	c, err := catalog.Load(embed.Catalog, catalog.Options{Eager: true})
	if err != nil {
		t.Fatal(err)
	}
	nullIn := map[string][]string{
		"POST /v1/payment_intents":   {"canceled_at", "last_payment_error", "next_action", "processing", "transfer_data", "review", "shipping", "payment_method_configuration_details"},
		"POST /v1/setup_intents":     {"last_setup_error", "next_action", "payment_method_configuration_details"},
		"POST /v1/subscriptions":     {"canceled_at", "ended_at", "cancel_at", "trial_start", "trial_end", "pause_collection", "pending_update", "transfer_data"},
		"POST /v1/invoices":          {"last_finalization_error", "effective_at", "webhooks_delivered_at", "next_payment_attempt", "due_date", "from_invoice", "shipping_details"},
		"POST /v1/checkout/sessions": {"customer_details", "collected_information", "shipping_cost", "payment_method_configuration_details"},
		"POST /v1/charges":           {"transfer_data", "shipping", "review"},
		"POST /v1/payouts":           {"trace_id", "failure_code", "reversed_by"},
	}
	creates := 0
	for _, r := range c.Routes {
		v := r.Variant("success")
		if r.Method != "POST" || v == nil || v.ContentType != "application/json" {
			continue
		}
		render := func() (string, map[string]any) {
			out, err := v.Render(&render.Request{Method: r.Method, Path: r.SamplePath(r.SampleParams()), Params: r.SampleParams()})
			if err != nil {
				t.Fatalf("%s: %v", r.Key(), err)
			}
			var body map[string]any
			if err := json.Unmarshal([]byte(out), &body); err != nil {
				t.Fatalf("%s: %v", r.Key(), err)
			}
			return out, body
		}
		out, body := render()
		_, again := render()
		// A create's id is new each time ({{id}}); others echo or keep one.
		if id, _ := body["id"].(string); id == "" || id == again["id"] {
			continue
		}
		creates++
		tpl, err := fs.ReadFile(embed.Catalog, v.File)
		if err != nil {
			t.Fatal(err)
		}
		for k, val := range body {
			reflected := strings.Contains(string(tpl), "{{#reflect '"+k+"'")
			if f, ok := val.(float64); ok && f == 1234567890 && !futureTimes[k] && !reflected {
				t.Errorf("%s: created %s has the fixtures' sample time in %s", r.Key(), body["object"], k)
			}
		}
		if strings.Contains(out, "idempotency_error") {
			t.Errorf("%s: created %s carries the fixtures' idempotency_error", r.Key(), body["object"])
		}
		for _, k := range nullIn[r.Key()] {
			if val, ok := body[k]; !ok || val != nil {
				t.Errorf("%s: %s is %v, want null on a new %s", r.Key(), k, val, body["object"])
			}
		}
		if r.Key() == "POST /v1/payouts" && body["status"] != "pending" {
			t.Errorf("%s: status %v, want pending", r.Key(), body["status"])
		}
		delete(nullIn, r.Key())
	}
	for k := range nullIn {
		t.Errorf("%s: not a create of the embedded catalog", k)
	}
	if creates < 100 {
		t.Errorf("only %d creates checked", creates)
	}
}
