// Package webhook turns events into signed deliveries, the way Stripe sends
// them: an Event (Stripe's shape) is POSTed as JSON to every enabled
// Endpoint that listens for its type, signed with the endpoint's whsec_
// secret in a Stripe-Signature header. A Sender delivers off the caller's
// path through a bounded queue, retries failures on a short schedule, counts
// what it drops and keeps a delivery log; it never prints, and reports each
// attempt to subscribers instead.
package webhook

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"time"
)

// Event is a Stripe event, field for field as Stripe sends it.
type Event struct {
	// ID is "evt_" and 24 random letters and digits.
	ID string `json:"id"`
	// Object is always "event".
	Object string `json:"object"`
	// APIVersion is the version the event's object is rendered for.
	APIVersion string `json:"api_version"`
	// Created is when the event happened, in Unix seconds.
	Created int64 `json:"created"`
	// Data is the object the event is about.
	Data EventData `json:"data"`
	// Livemode is always false: routedeck is test mode.
	Livemode bool `json:"livemode"`
	// PendingWebhooks is how many endpoints the event was sent to and has
	// not yet reached; a Sender sets it when the event is queued.
	PendingWebhooks int `json:"pending_webhooks"`
	// Request names the API request that caused the event.
	Request EventRequest `json:"request"`
	// Type is the event type, such as "payment_intent.succeeded".
	Type string `json:"type"`
}

// EventData is an event's object and, on updates, the previous values of
// the fields that changed.
type EventData struct {
	// Object is the object as it is after the event.
	Object json.RawMessage `json:"object"`
	// PreviousAttributes holds the changed fields' earlier values; only
	// *.updated events (and the like) have it.
	PreviousAttributes json.RawMessage `json:"previous_attributes,omitempty"`
}

// EventRequest names the request behind an event. Both fields are null
// when no API request caused it (as for events sent by `routedeck trigger`).
type EventRequest struct {
	// ID is the request's Request-Id (req_...).
	ID *string `json:"id"`
	// IdempotencyKey is the request's Idempotency-Key header.
	IdempotencyKey *string `json:"idempotency_key"`
}

// EventParams is what NewEvent needs.
type EventParams struct {
	// Type is the event type; required.
	Type string
	// Object is data.object: a JSON object; required.
	Object json.RawMessage
	// PreviousAttributes is data.previous_attributes: a JSON object, or
	// empty for none.
	PreviousAttributes json.RawMessage
	// APIVersion is the request's Stripe-Version if it had one, else the
	// catalog's version; required.
	APIVersion string
	// RequestID and IdempotencyKey name the request that caused the event;
	// empty means none (null in the event).
	RequestID, IdempotencyKey string
	// Created is when the event happened; zero means now.
	Created time.Time
}

// NewEvent makes an event with a fresh evt_ id.
func NewEvent(p EventParams) (Event, error) {
	if p.Type == "" {
		return Event{}, fmt.Errorf("event: no type")
	}
	if p.APIVersion == "" {
		return Event{}, fmt.Errorf("event %s: no API version", p.Type)
	}
	if !isJSONObject(p.Object) {
		return Event{}, fmt.Errorf("event %s: data.object is not a JSON object", p.Type)
	}
	if len(p.PreviousAttributes) > 0 && !isJSONObject(p.PreviousAttributes) {
		return Event{}, fmt.Errorf("event %s: data.previous_attributes is not a JSON object", p.Type)
	}
	created := p.Created
	if created.IsZero() {
		created = time.Now()
	}
	e := Event{
		ID:         "evt_" + randomString(24),
		Object:     "event",
		APIVersion: p.APIVersion,
		Created:    created.Unix(),
		Data:       EventData{Object: p.Object, PreviousAttributes: p.PreviousAttributes},
		Type:       p.Type,
	}
	if p.RequestID != "" {
		id := p.RequestID
		e.Request.ID = &id
	}
	if p.IdempotencyKey != "" {
		k := p.IdempotencyKey
		e.Request.IdempotencyKey = &k
	}
	return e, nil
}

// isJSONObject reports whether b is one valid JSON object. It does not
// allocate: NewEvent runs on the request path.
func isJSONObject(b json.RawMessage) bool {
	b = bytes.TrimLeft(b, " \t\r\n")
	return len(b) > 0 && b[0] == '{' && json.Valid(b)
}

const alphanumerics = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// randomString is n random letters and digits.
func randomString(n int) string {
	out := make([]byte, 0, n)
	buf := make([]byte, n+n/4+4)
	for len(out) < n {
		rand.Read(buf) // never fails (crypto/rand)
		for _, c := range buf {
			// 248 = 4*62: rejecting the bytes above keeps every
			// character equally likely.
			if c < 248 && len(out) < n {
				out = append(out, alphanumerics[c%62])
			}
		}
	}
	return string(out)
}
