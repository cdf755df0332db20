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
	Object Object `json:"object"`
	// PreviousAttributes holds the changed fields' earlier values; only
	// *.updated events (and the like) have it.
	PreviousAttributes json.RawMessage `json:"previous_attributes,omitempty"`
}

// Object is an event's data.object, a JSON object: its text (RawObject),
// or text kept in parts (PartsObject: a stored object's template and
// values), joined only when it is read (JSON, or an encoding of the
// event). An event raised by every create thus costs no copy of its
// object until something reads it: a delivery, the event log's reader.
// The zero Object is JSON null.
type Object struct {
	raw   json.RawMessage
	parts Parts
}

// Parts is JSON text kept in parts (store.Filled is one).
type Parts interface {
	// Len is the length of the text.
	Len() int
	// AppendTo appends the text to b.
	AppendTo(b []byte) []byte
}

// RawObject is the Object of the JSON text raw (shared, not copied).
func RawObject(raw json.RawMessage) Object { return Object{raw: raw} }

// PartsObject is the Object of the JSON text p keeps; p must never change.
func PartsObject(p Parts) Object { return Object{parts: p} }

// JSON is the object's text, joined if it is kept in parts (a new copy
// each time), nil for the zero Object.
func (o Object) JSON() json.RawMessage {
	if o.parts != nil {
		return o.parts.AppendTo(make([]byte, 0, o.parts.Len()))
	}
	return o.raw
}

// MarshalJSON writes the object's text, as json.RawMessage does.
func (o Object) MarshalJSON() ([]byte, error) {
	if o.parts == nil && o.raw == nil {
		return []byte("null"), nil
	}
	return o.JSON(), nil
}

// UnmarshalJSON keeps a copy of the text b.
func (o *Object) UnmarshalJSON(b []byte) error {
	*o = Object{raw: bytes.Clone(b)}
	return nil
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
		Data:       EventData{Object: RawObject(p.Object), PreviousAttributes: p.PreviousAttributes},
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
