package main

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/embed"
	"github.com/routedeck/routedeck/render"
)

// leftovers lists what in v (found at where) is a fixture leftover: a
// string holding its own member's name ({"type": "type"}), and, on an
// object with a status, members that say something happened the status
// says has not (a PaymentIntent in requires_payment_method that was
// canceled, failed and waits for an action), or a sample time in a
// member that records when something happened.
func leftovers(v any, where string) []string {
	var out []string
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			out = append(out, leftovers(e, where+"[]")...)
		}
	case map[string]any:
		for k, m := range x {
			if s, ok := m.(string); ok && s == k {
				out = append(out, fmt.Sprintf("%s.%s is %q", where, k, s))
			}
			// stripe-mock's made-up numbers: an amount of millions of
			// dollars, a count or a time decades away.
			amount := strings.Contains(k, "amount") || strings.Contains(k, "total")
			if f, ok := m.(float64); ok && f >= 1e8 && (amount || f < 1234567890 || f > 1.8e9) && !futureTimes[k] {
				out = append(out, fmt.Sprintf("%s.%s is %v, a made-up number", where, k, int64(f)))
			}
			out = append(out, leftovers(m, where+"."+k)...)
		}
		if object, _ := x["object"].(string); object != "" {
			out = append(out, statusLeftovers(x, object, where)...)
		}
	}
	return out
}

// setOnlyIn are, per object type, members Stripe sets only in the listed
// statuses (none: never on an object a catalog body shows).
var setOnlyIn = map[string]map[string][]string{
	"payment_intent": {
		"next_action": {"requires_action"}, "canceled_at": {"canceled"}, "cancellation_reason": {"canceled"},
		"processing": {"processing"}, "last_payment_error": {},
	},
	"setup_intent": {
		"next_action": {"requires_action"}, "cancellation_reason": {"canceled"}, "last_setup_error": {},
	},
	"subscription": {
		"canceled_at": {"canceled", "incomplete_expired"}, "ended_at": {"canceled", "incomplete_expired"},
		"trial_start": {"trialing"}, "trial_end": {"trialing"}, "pause_collection": {}, "pending_update": {},
	},
	"subscription_schedule": {"current_phase": {"active"}},
	"customer":              {"discount": {}},
}

// nextActions are the next_action types Stripe sends.
var nextActions = map[string]bool{
	"use_stripe_sdk": true, "redirect_to_url": true, "verify_with_microdeposits": true,
	"display_bank_transfer_instructions": true, "alipay_handle_redirect": true,
}

func statusLeftovers(o map[string]any, object, where string) []string {
	var out []string
	status, _ := o["status"].(string)
	for k, statuses := range setOnlyIn[object] {
		val, ok := o[k]
		if !ok || val == nil {
			continue
		}
		allowed := false
		for _, s := range statuses {
			allowed = allowed || s == status
		}
		if !allowed {
			out = append(out, fmt.Sprintf("%s: %s %s has %s %v", where, status, object, k, compact(val)))
		}
	}
	if na, ok := o["next_action"].(map[string]any); ok {
		if t, _ := na["type"].(string); !nextActions[t] {
			out = append(out, fmt.Sprintf("%s: next_action %v is not one Stripe sends", where, compact(na)))
		}
	}
	num := func(k string) float64 { f, _ := o[k].(float64); return f }
	if object == "charge" && o["captured"] == false && o["balance_transaction"] != nil {
		out = append(out, fmt.Sprintf("%s: an uncaptured charge has balance transaction %v", where, o["balance_transaction"]))
	}
	if o["cancel_at_period_end"] == true && o["cancel_at"] == nil {
		out = append(out, fmt.Sprintf("%s: %s cancels at the period's end but has no cancel_at", where, object))
	}
	if _, ok := o["current_period_end"]; ok && num("current_period_end") <= num("current_period_start") {
		out = append(out, fmt.Sprintf("%s: %s's period ends (%v) before it starts (%v)", where, object, o["current_period_end"], o["current_period_start"]))
	}
	if plan, ok := o["plan"].(map[string]any); ok && object == "subscription_item" {
		if price, ok := o["price"].(map[string]any); ok && (plan["id"] != price["id"] || plan["currency"] != price["currency"]) {
			out = append(out, fmt.Sprintf("%s: plan %v in %v is not the price %v in %v", where, plan["id"], plan["currency"], price["id"], price["currency"]))
		}
	}
	if _, ok := o["expires_at"]; ok && (object == "checkout.session" || object == "quote") && num("expires_at") <= num("created") {
		out = append(out, fmt.Sprintf("%s: %s %s expired when it was created", where, status, object))
	}
	for k, val := range o {
		// A member saying when the object reached a status (canceled_at,
		// voided_at...) at the fixtures' sample time, on an object whose
		// status is another.
		f, ok := val.(float64)
		event := strings.TrimSuffix(k, "_at")
		if !ok || f != 1234567890 || !statusEvents[event] {
			continue
		}
		if status == "" || !strings.HasPrefix(event, strings.TrimSuffix(status, "ed")) {
			out = append(out, fmt.Sprintf("%s: %s %s has %s at the fixtures' sample time", where, status, object, k))
		}
	}
	return out
}

// statusEvents are the X of members X_at that record when an object
// reached status X.
var statusEvents = map[string]bool{
	"canceled": true, "ended": true, "voided": true, "completed": true, "released": true,
	"delivered": true, "succeeded": true, "failed": true, "confirmed": true, "finalized": true,
	"paid": true, "expired": true, "returned": true, "refunded": true, "closed": true, "cancel": true,
}

func compact(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// Every body the embedded catalog serves (each route's success variant,
// rendered), every object of the store's seed and every fixture expand[]
// inserts is free of fixture leftovers. Error variants are not checked:
// they are Stripe's errors, not objects.
func TestEmbeddedBodiesHaveNoFixtureLeftovers(t *testing.T) {
	c, err := catalog.Load(embed.Catalog, catalog.Options{Eager: true})
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	bodies := 0
	for _, r := range c.Routes {
		v := r.Variant("success")
		if v == nil || v.ContentType != "application/json" {
			continue
		}
		out, err := v.Render(&render.Request{Method: r.Method, Path: r.SamplePath(r.SampleParams()), Params: r.SampleParams()})
		if err != nil {
			t.Fatalf("%s: %v", r.Key(), err)
		}
		var body any
		if err := json.Unmarshal([]byte(out), &body); err != nil {
			t.Fatalf("%s: %v", r.Key(), err)
		}
		bodies++
		found = append(found, leftovers(body, r.Key())...)
	}
	var seed []any
	if err := json.Unmarshal([]byte(embed.Seed), &seed); err != nil {
		t.Fatalf("embed/seed.json: %v", err)
	}
	for i, o := range seed {
		id, _ := o.(map[string]any)["id"].(string)
		found = append(found, leftovers(o, fmt.Sprintf("seed[%d] %s", i, id))...)
	}
	var rules struct {
		Fixtures map[string]any `json:"fixtures"`
	}
	if err := json.Unmarshal(embed.Stripe, &rules); err != nil {
		t.Fatalf("embed/stripe.json: %v", err)
	}
	for name, f := range rules.Fixtures {
		found = append(found, leftovers(f, "expand fixture "+name)...)
	}
	if bodies < 500 || len(seed) < 90 || len(rules.Fixtures) < 60 {
		t.Fatalf("checked only %d bodies, %d seed objects, %d fixtures", bodies, len(seed), len(rules.Fixtures))
	}
	sort.Strings(found)
	for i, f := range found {
		if i == 60 {
			t.Errorf("... and %d more", len(found)-i)
			break
		}
		t.Error(f)
	}
	if len(found) > 0 {
		t.Errorf("%d fixture leftovers", len(found))
	}
}

// The rule on small objects: placeholders become an enum's value (the one
// a sibling names), usd, a sample id or null; what the status has not
// reached is null, and next_action, kept in requires_action, is a real
// one; stand-ins are null; a subscription item's period is one month.
func TestCleanRule(t *testing.T) {
	nullable := map[string]any{"nullable": true}
	sp := &spec{schemas: map[string]any{
		"customer": map[string]any{"x-resourceId": "customer", "properties": map[string]any{}},
		"payment_intent": map[string]any{"x-resourceId": "payment_intent", "properties": map[string]any{
			"status": map[string]any{"type": "string"}, "currency": map[string]any{"type": "string"},
			"next_action": nullable, "last_payment_error": nullable,
			"canceled_at": map[string]any{"type": "integer", "format": "unix-time", "nullable": true},
			"customer": map[string]any{"anyOf": []any{
				map[string]any{"type": "string"}, map[string]any{"$ref": "#/components/schemas/customer"},
			}, "nullable": true},
			"transfer_data": nullable, "description": map[string]any{"type": "string", "nullable": true},
			"payment_method_details": map[string]any{"properties": map[string]any{
				"type": map[string]any{"type": "string", "enum": []any{"ach_debit", "card"}},
				"card": map[string]any{"type": "object"},
			}},
		}},
	}}
	parse := func(s string) *node {
		n, err := parseOrdered([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	fixtures := map[string]*node{"customer": parse(`{"id": "cus_1", "object": "customer"}`)}
	check := func(status string, want map[string]string) {
		t.Helper()
		pi := parse(`{"id": "pi_1", "object": "payment_intent", "status": "` + status + `", "currency": "currency",
			"next_action": {"type": "type"}, "canceled_at": 1234567890, "last_payment_error": {"type": "idempotency_error"},
			"customer": "customer", "description": "description", "transfer_data": {"destination": {"id": "obj_123"}},
			"payment_method_details": {"type": "type", "card": {}}}`)
		c := newCleaner(sp, fixtures)
		c.clean(pi, obj(sp.schemas["payment_intent"]), "payment_intent")
		for k, w := range want {
			if got := strings.Join(strings.Fields(pi.get(k).pretty()), ""); got != w {
				t.Errorf("%s: %s is %s, want %s", status, k, got, w)
			}
		}
		if got := pi.get("payment_method_details").getString("type"); got != "card" {
			t.Errorf("%s: payment_method_details.type %q, want the sibling's card", status, got)
		}
	}
	check("requires_payment_method", map[string]string{
		"currency": `"usd"`, "next_action": "null", "canceled_at": "null", "last_payment_error": "null",
		"customer": `"cus_1"`, "description": "null", "transfer_data": "null",
	})
	check("requires_action", map[string]string{"canceled_at": "null", "last_payment_error": "null"})
	check("canceled", map[string]string{"canceled_at": "1234567890", "next_action": "null"})
	pi := parse(`{"object": "payment_intent", "status": "requires_action", "next_action": {"type": "type"}}`)
	newCleaner(sp, fixtures).clean(pi, obj(sp.schemas["payment_intent"]), "payment_intent")
	if got := pi.get("next_action").getString("type"); got != "use_stripe_sdk" {
		t.Errorf("requires_action: next_action type %q, want use_stripe_sdk", got)
	}

	item := parse(`{"object": "subscription_item", "created": 1234567890, "current_period_start": 1896570518,
		"current_period_end": 976287773, "price": {"id": "price_1", "currency": "usd", "recurring": {"interval": "month", "interval_count": 1}},
		"plan": {"id": "obj_123", "currency": "currency", "interval_count": 797691627}}`)
	settleItem(item)
	if s, _ := item.int("current_period_start"); s != 1234567890 {
		t.Errorf("item period starts %d, want its creation", s)
	}
	if e, _ := item.int("current_period_end"); e != 1236987090 { // 2009-02-13 + 1 month
		t.Errorf("item period ends %d, want 1236987090", e)
	}
	if p := item.get("plan"); p.getString("id") != "price_1" || p.getString("currency") != "usd" {
		t.Errorf("item plan %s, want the price's", strings.Join(strings.Fields(p.pretty()), ""))
	}
}
