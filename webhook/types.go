package webhook

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/routedeck/routedeck/internal/editdist"
)

// eventType is one event type routedeck sends: the resource its
// data.object is (a fixture name: "payment_intent", "checkout.session")
// and how a sample object for it differs from the resource's fixture.
type eventType struct {
	resource string
	// change edits the fixture into the object as it is after the event;
	// s gives it other fixtures' ids and the time.
	change func(obj map[string]any, s sampler)
	// previous is data.previous_attributes of a sample event; nil for none.
	previous map[string]any
}

// sampler is what a change can draw on.
type sampler struct {
	now       time.Time
	fixtureID func(resource string) any
}

func set(fields map[string]any) func(map[string]any, sampler) {
	return func(obj map[string]any, _ sampler) {
		for k, v := range fields {
			obj[k] = v
		}
	}
}

// updatedMetadata is the sample change of an *.updated event: metadata
// gained a key.
var updatedMetadata = map[string]any{"metadata": map[string]any{"order_id": "6735"}}

// updated is an *.updated type of resource.
func updated(resource string) eventType {
	return eventType{resource: resource, change: set(updatedMetadata), previous: map[string]any{"metadata": map[string]any{}}}
}

func plain(resource string) eventType { return eventType{resource: resource} }

var cardDeclined = map[string]any{
	"type":         "card_error",
	"code":         "card_declined",
	"decline_code": "generic_decline",
	"message":      "Your card was declined.",
	"doc_url":      "https://stripe.com/docs/error-codes/card-declined",
}

// types returns the event types routedeck knows. It is a function, not a
// package variable, so that no caller can change the table.
func types() map[string]eventType {
	return map[string]eventType{
		"customer.created": plain("customer"),
		"customer.updated": updated("customer"),
		"customer.deleted": plain("customer"),

		"payment_method.attached": {resource: "payment_method", change: func(o map[string]any, s sampler) {
			o["customer"] = s.fixtureID("customer")
		}},
		"payment_method.detached": {resource: "payment_method", change: set(map[string]any{"customer": nil})},
		"payment_method.updated":  updated("payment_method"),

		"payment_intent.created": plain("payment_intent"),
		"payment_intent.updated": updated("payment_intent"),
		"payment_intent.succeeded": {resource: "payment_intent", change: func(o map[string]any, _ sampler) {
			o["status"] = "succeeded"
			o["amount_received"] = o["amount"]
			o["last_payment_error"] = nil
		}},
		"payment_intent.payment_failed": {resource: "payment_intent", change: set(map[string]any{
			"status":             "requires_payment_method",
			"last_payment_error": cardDeclined,
		})},
		"payment_intent.requires_action": {resource: "payment_intent", change: set(map[string]any{
			"status":      "requires_action",
			"next_action": map[string]any{"type": "use_stripe_sdk", "use_stripe_sdk": map[string]any{"type": "three_d_secure_redirect"}},
		})},
		"payment_intent.canceled": {resource: "payment_intent", change: func(o map[string]any, s sampler) {
			o["status"] = "canceled"
			o["canceled_at"] = s.now.Unix()
			o["cancellation_reason"] = "requested_by_customer"
		}},
		"payment_intent.amount_capturable_updated": {resource: "payment_intent", change: func(o map[string]any, _ sampler) {
			o["status"] = "requires_capture"
			o["capture_method"] = "manual"
			o["amount_capturable"] = o["amount"]
		}},
		"payment_intent.processing": {resource: "payment_intent", change: set(map[string]any{"status": "processing"})},

		"charge.succeeded": {resource: "charge", change: set(map[string]any{"status": "succeeded", "paid": true, "captured": true})},
		"charge.failed": {resource: "charge", change: set(map[string]any{
			"status": "failed", "paid": false, "captured": false,
			"failure_code": "card_declined", "failure_message": "Your card was declined.",
		})},
		"charge.pending": {resource: "charge", change: set(map[string]any{"status": "pending", "paid": false})},
		"charge.captured": {resource: "charge", change: func(o map[string]any, _ sampler) {
			o["captured"] = true
			o["amount_captured"] = o["amount"]
		}},
		"charge.refunded": {resource: "charge", change: func(o map[string]any, _ sampler) {
			o["refunded"] = true
			o["amount_refunded"] = o["amount"]
		}},
		"charge.updated": updated("charge"),

		"setup_intent.created":   plain("setup_intent"),
		"setup_intent.succeeded": {resource: "setup_intent", change: set(map[string]any{"status": "succeeded"})},
		"setup_intent.setup_failed": {resource: "setup_intent", change: set(map[string]any{
			"status":           "requires_payment_method",
			"last_setup_error": cardDeclined,
		})},
		"setup_intent.requires_action": {resource: "setup_intent", change: set(map[string]any{
			"status":      "requires_action",
			"next_action": map[string]any{"type": "use_stripe_sdk", "use_stripe_sdk": map[string]any{"type": "three_d_secure_redirect"}},
		})},
		"setup_intent.canceled": {resource: "setup_intent", change: set(map[string]any{"status": "canceled", "cancellation_reason": "requested_by_customer"})},

		"customer.subscription.created": plain("subscription"),
		"customer.subscription.updated": updated("subscription"),
		"customer.subscription.deleted": {resource: "subscription", change: func(o map[string]any, s sampler) {
			o["status"] = "canceled"
			o["canceled_at"] = s.now.Unix()
			o["ended_at"] = s.now.Unix()
		}},
		"customer.subscription.trial_will_end": {resource: "subscription", change: func(o map[string]any, s sampler) {
			o["status"] = "trialing"
			o["trial_start"] = s.now.Add(-11 * 24 * time.Hour).Unix()
			o["trial_end"] = s.now.Add(3 * 24 * time.Hour).Unix()
		}},
		"customer.subscription.paused":  {resource: "subscription", change: set(map[string]any{"status": "paused"})},
		"customer.subscription.resumed": {resource: "subscription", change: set(map[string]any{"status": "active"})},

		"invoice.created":           plain("invoice"),
		"invoice.updated":           updated("invoice"),
		"invoice.finalized":         {resource: "invoice", change: set(map[string]any{"status": "open"})},
		"invoice.paid":              {resource: "invoice", change: invoicePaid},
		"invoice.payment_succeeded": {resource: "invoice", change: invoicePaid},
		"invoice.payment_failed": {resource: "invoice", change: set(map[string]any{
			"status": "open", "attempted": true, "attempt_count": 1,
		})},
		"invoice.upcoming": {resource: "invoice", change: func(o map[string]any, _ sampler) {
			// An upcoming invoice does not exist yet: it has no id.
			delete(o, "id")
			o["status"] = "draft"
		}},
		"invoice.voided":               {resource: "invoice", change: set(map[string]any{"status": "void"})},
		"invoice.marked_uncollectible": {resource: "invoice", change: set(map[string]any{"status": "uncollectible"})},
		"invoice.payment_action_required": {resource: "invoice", change: set(map[string]any{
			"status": "open", "attempted": true, "attempt_count": 1,
		})},

		"checkout.session.created":                 plain("checkout.session"),
		"checkout.session.completed":               {resource: "checkout.session", change: set(map[string]any{"status": "complete", "payment_status": "paid"})},
		"checkout.session.expired":                 {resource: "checkout.session", change: set(map[string]any{"status": "expired"})},
		"checkout.session.async_payment_succeeded": {resource: "checkout.session", change: set(map[string]any{"status": "complete", "payment_status": "paid"})},
		"checkout.session.async_payment_failed":    {resource: "checkout.session", change: set(map[string]any{"status": "complete", "payment_status": "unpaid"})},

		"product.created": plain("product"),
		"product.updated": updated("product"),
		"product.deleted": {resource: "product", change: set(map[string]any{"active": false})},
		"price.created":   plain("price"),
		"price.updated":   updated("price"),
		"price.deleted":   {resource: "price", change: set(map[string]any{"active": false})},
	}
}

func invoicePaid(o map[string]any, _ sampler) {
	o["status"] = "paid"
	o["attempted"] = true
	o["amount_paid"] = o["amount_due"]
	o["amount_remaining"] = 0
}

// Types lists the event types routedeck can send, sorted.
func Types() []string {
	t := types()
	names := make([]string, 0, len(t))
	for name := range t {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// Resource is the resource an event type's data.object is ("customer" for
// "customer.updated", "subscription" for "customer.subscription.deleted");
// ok is false for a type routedeck does not know.
func Resource(eventType string) (resource string, ok bool) {
	t, ok := types()[eventType]
	return t.resource, ok
}

// UnknownTypeError is a type routedeck does not know; Close lists known
// types spelled nearly the same (perhaps none).
type UnknownTypeError struct {
	// Type is the type asked for.
	Type string
	// Close are known types spelled nearly the same, closest first.
	Close []string
}

func (e *UnknownTypeError) Error() string {
	msg := fmt.Sprintf("unknown event type %q", e.Type)
	if len(e.Close) > 0 {
		return msg + " (did you mean " + strings.Join(e.Close, ", ") + "?)"
	}
	return msg + " (see the list of event types in 'routedeck trigger --help')"
}

// CheckType returns an *UnknownTypeError, with close matches, for a type
// routedeck does not know, and nil for one it does.
func CheckType(eventType string) error {
	if _, ok := types()[eventType]; !ok {
		return &UnknownTypeError{Type: eventType, Close: closeMatches(eventType, Types())}
	}
	return nil
}

// Sample makes a sample data.object and data.previous_attributes for an
// event type from fixtures, the sample object of each resource by name
// (as in package stripe's Data.Fixtures): the resource's fixture, changed
// to what it is after such an event (payment_intent.succeeded has status
// "succeeded"). previous is nil except on updates. An unknown type is an
// *UnknownTypeError.
func Sample(eventType string, fixtures map[string]json.RawMessage, now time.Time) (object, previous json.RawMessage, err error) {
	t, ok := types()[eventType]
	if !ok {
		return nil, nil, CheckType(eventType)
	}
	raw, ok := fixtures[t.resource]
	if !ok {
		return nil, nil, fmt.Errorf("event type %s: no sample %s object in the catalog", eventType, t.resource)
	}
	var obj map[string]any
	if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
		return nil, nil, fmt.Errorf("event type %s: the sample %s object is not a JSON object", eventType, t.resource)
	}
	obj["created"] = now.Unix()
	if t.change != nil {
		t.change(obj, sampler{now: now, fixtureID: func(resource string) any {
			var o struct {
				ID string `json:"id"`
			}
			if json.Unmarshal(fixtures[resource], &o) != nil || o.ID == "" {
				return nil
			}
			return o.ID
		}})
	}
	if object, err = json.Marshal(obj); err != nil {
		return nil, nil, fmt.Errorf("event type %s: %w", eventType, err)
	}
	if t.previous != nil {
		if previous, err = json.Marshal(t.previous); err != nil {
			return nil, nil, fmt.Errorf("event type %s: %w", eventType, err)
		}
	}
	return object, previous, nil
}

// closeMatches are the known types within a small edit distance of s,
// closest first; when none is that close, those of the same resource
// (the part before the last dot) or containing s. At most five.
func closeMatches(s string, known []string) []string {
	type scored struct {
		name string
		d    int
	}
	var near, related []scored
	limit := max(2, len(s)/6)
	for _, k := range known {
		d := editdist.Levenshtein(s, k)
		switch {
		case d <= limit:
			near = append(near, scored{k, d})
		case strings.Contains(s, ".") && strings.HasPrefix(k, s[:strings.LastIndex(s, ".")+1]),
			len(s) >= 4 && strings.Contains(k, s):
			related = append(related, scored{k, d})
		}
	}
	found := near
	if len(found) == 0 {
		found = related
	}
	sort.SliceStable(found, func(i, j int) bool { return found[i].d < found[j].d })
	var out []string
	for i := 0; i < len(found) && i < 5; i++ {
		out = append(out, found[i].name)
	}
	return out
}
