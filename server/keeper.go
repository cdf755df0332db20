package server

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/render"
	"github.com/routedeck/routedeck/store"
)

// Keeper keeps objects across requests: what a create stores, a retrieve
// returns (package stripe's State over package store). The server asks it
// to answer every request that gets its success variant and passed the
// rules' Check; error variants never reach it. Methods must be safe for
// concurrent use.
type Keeper interface {
	// Answer answers one request. renderVariant renders the route's
	// success variant, for the answers that start from it (a create, an
	// id never stored); a retrieve of a stored object need not call it.
	Answer(route *catalog.Route, req *render.Request, renderVariant func() (string, error)) (Answer, *APIError)
	// Idempotency is where Idempotency-Key records live; nil for none.
	Idempotency() Idempotency
}

// FailureKeeper is a Keeper that also hears of requests answered with a
// 402 variant, a decline (after the rules' Check passed), so that a
// failure Stripe would store (a confirm's decline) changes the store as
// that failure does; a 401, 429 or 500 changes nothing, as at Stripe. The server's answer stays the error
// variant's body.
type FailureKeeper interface {
	Keeper
	Failed(route *catalog.Route, req *render.Request, variant *catalog.Variant)
}

// RenderingKeeper is a Keeper told what its renderVariant renders, so
// that it may keep what one rendering of a request gave and answer the
// same request again without rendering (package stripe's prepared
// creates). The server calls AnswerRendering instead of Answer.
type RenderingKeeper interface {
	Keeper
	AnswerRendering(route *catalog.Route, req *render.Request, from Rendering, renderVariant func() (string, error)) (Answer, *APIError)
}

// Rendering is what a Keeper's renderVariant renders: a variant of the
// route, compact or indented, finished by a test value's outcome (nil for
// none).
type Rendering struct {
	Variant *catalog.Variant
	Compact bool
	Outcome *Outcome
}

// Answer is a Keeper's response and the change it made, if any.
type Answer struct {
	Status int
	Body   Body
	Change Change
}

// Body is an answer's text: a string (Text), or a stored object's JSON
// kept as its template's pieces and its own values (Fill). The server
// writes a fill's pieces straight into the response, so that answering
// a create costs no joined copy of the object; a reader that needs the
// text (indentation, expand[], an idempotency record, the request log)
// gets it from String, which joins a fill. Either way the bytes are the
// same. The zero Body is the empty text.
type Body struct {
	text string
	fill *store.Filled // nil for text
}

// Text is the Body of the text s.
func Text(s string) Body { return Body{text: s} }

// Fill is the Body of the JSON f keeps; nil is the empty text.
func Fill(f *store.Filled) Body { return Body{fill: f} }

// ObjectBody is the Body of a stored object: its fill if it is kept
// filled, else its JSON.
func ObjectBody(obj store.Object) Body {
	if obj.Filled != nil {
		return Fill(obj.Filled)
	}
	return Text(obj.JSON)
}

// String is the body's text, joined if it is a fill.
func (b Body) String() string {
	if b.fill != nil {
		return b.fill.String()
	}
	return b.text
}

// Len is the length of the body's text.
func (b Body) Len() int {
	if b.fill != nil {
		return b.fill.Len()
	}
	return len(b.text)
}

// Filled is the fill the body is, nil when it is text.
func (b Body) Filled() *store.Filled { return b.fill }

// WriteTo writes the body's text to w: a fill piece by piece, unjoined.
func (b Body) WriteTo(w io.Writer) (int64, error) {
	if b.fill != nil {
		return b.fill.WriteTo(w)
	}
	n, err := io.WriteString(w, b.text)
	return int64(n), err
}

// Change names the object a request created, changed or deleted.
type Change struct {
	// Op is "created", "updated" or "deleted"; "" when nothing changed.
	Op   string
	Type string
	ID   string
}

// Idempotency keeps the responses of requests sent with an
// Idempotency-Key (store.Store has these methods).
type Idempotency interface {
	LookupIdempotency(ctx context.Context, key string) (store.IdempotencyRecord, bool, error)
	RecordIdempotency(ctx context.Context, rec store.IdempotencyRecord) (store.IdempotencyRecord, bool, error)
	ForgetIdempotency(ctx context.Context, key string) error
}

// idempotent is one request's use of an Idempotency-Key.
type idempotent struct {
	keys        Idempotency
	key, finger string
	reserved    bool
}

// begin looks the key up. It returns a response to send instead of
// handling the request (a replay or an error), or reserves the key for
// this request (reserved, to be finished by record or forget).
func (s *Server) beginIdempotent(r *http.Request, body []byte) (*idempotent, *store.IdempotencyRecord, *APIError) {
	if s.keeper == nil || r.Method != http.MethodPost {
		return nil, nil, nil
	}
	key := r.Header.Get("Idempotency-Key")
	if key == "" {
		return nil, nil, nil
	}
	keys := s.keeper.Idempotency()
	if keys == nil {
		return nil, nil, nil
	}
	if len(key) > 255 {
		return nil, nil, &APIError{Status: http.StatusBadRequest, Type: "invalid_request_error",
			Message: fmt.Sprintf("Invalid idempotency key: it is %d characters long; the maximum is 255.", len(key))}
	}
	idem := &idempotent{keys: keys, key: key, finger: idempotencyFingerprint(r, body)}
	ctx := r.Context()
	rec, mine, err := keys.RecordIdempotency(ctx, store.IdempotencyRecord{Key: key, Fingerprint: idem.finger})
	if err != nil {
		return nil, nil, &APIError{Status: http.StatusInternalServerError, Type: "api_error",
			Message: "routedeck could not keep the idempotency key: " + err.Error()}
	}
	if mine {
		idem.reserved = true
		return idem, nil, nil
	}
	if rec.Fingerprint != idem.finger {
		return nil, nil, &APIError{Status: http.StatusBadRequest, Type: "idempotency_error",
			Message: fmt.Sprintf("Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '%s' if you meant to execute a different request.", key)}
	}
	if rec.Status == 0 {
		return nil, nil, &APIError{Status: http.StatusConflict, Type: "idempotency_error", Code: "idempotency_key_in_use",
			Message: "There is currently another in-progress request using this Idempotency Key (that probably means you submitted twice, and the other request is still going through): " + key + ". Please try again later."}
	}
	return nil, &rec, nil
}

// finish records the response for the key, or frees the key when the
// request was refused before it ran (Stripe keeps no result then).
func (i *idempotent) finish(ctx context.Context, ran bool, status int, h http.Header, body Body) {
	if i == nil || !i.reserved {
		return
	}
	if !ran || status >= 500 {
		_ = i.keys.ForgetIdempotency(ctx, i.key)
		return
	}
	kept := http.Header{}
	for k, v := range h {
		if k == "Request-Id" || k == "Content-Length" || strings.HasPrefix(k, "Access-Control-") {
			continue
		}
		kept[k] = v
	}
	_, _, _ = i.keys.RecordIdempotency(ctx, store.IdempotencyRecord{Key: i.key, Fingerprint: i.finger, Status: status, Header: kept, Body: body.String()})
}
