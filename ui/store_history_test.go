package ui

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/routedeck/routedeck/store"
	"github.com/routedeck/routedeck/store/history"
)

// histView is memView with histories (a real store/history over a real
// store, as main's adapter has) and a 3-D Secure action that moves the
// stored intent as the Stripe rules do, with a KEY origin.
type histView struct {
	memView
	h     *history.Store
	calls []string
}

func (v *histView) History(id string) []ObjectVersion {
	vs := v.h.History(id)
	out := make([]ObjectVersion, len(vs))
	for i, h := range vs {
		out[i] = ObjectVersion{Time: h.Time, Method: h.Origin.Method, Path: h.Origin.Path, RequestID: h.Origin.RequestID, Deleted: h.Deleted}
		if strings.Contains(h.JSON, `"requires_payment_method"`) {
			out[i].Status = "requires_payment_method"
		}
		if i > 0 {
			for _, c := range history.Changes(vs[i-1].JSON, h.JSON) {
				out[i].Changes = append(out[i].Changes, FieldChange(c))
			}
		}
	}
	return out
}

func (v *histView) Authenticate(id string, complete bool) (string, error) {
	v.calls = append(v.calls, id)
	status := "requires_payment_method"
	if complete {
		status = "succeeded"
	}
	ctx := store.WithOrigin(context.Background(), store.Origin{Method: "KEY", Path: "3-D Secure completed"})
	_, err := v.h.Update(ctx, id, func(o store.Object) (store.Object, error) {
		if !strings.Contains(o.JSON, `"requires_action"`) {
			return o, errors.New("not in requires_action")
		}
		o.JSON = strings.Replace(o.JSON, `"requires_action"`, `"`+status+`"`, 1)
		return o, nil
	})
	return status, err
}

func TestStorePaneHistoryAndThreeDSKeys(t *testing.T) {
	mem, err := store.New(store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	h := history.New(mem, history.Options{})
	v := &histView{memView: memView{mem}, h: h}
	ctx := context.Background()
	req := func(method, path, id string) context.Context {
		return store.WithOrigin(ctx, store.Origin{Method: method, Path: path, RequestID: id})
	}
	if _, err := h.Put(req("POST", "/v1/payment_intents", "req_create"), store.Object{ID: "pi_3ds", Type: "payment_intent", Created: 100,
		JSON: `{"id":"pi_3ds","object":"payment_intent","status":"requires_payment_method","amount":2000}`}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Update(req("POST", "/v1/payment_intents/pi_3ds/confirm", "req_confirm"), "pi_3ds", func(o store.Object) (store.Object, error) {
		o.JSON = `{"id":"pi_3ds","object":"payment_intent","status":"requires_action","amount":2000}`
		return o, nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Put(ctx, store.Object{ID: "cus_1", Type: "customer", Created: 50, JSON: `{"id":"cus_1","object":"customer"}`}); err != nil {
		t.Fatal(err)
	}
	m, _ := newFixtureWith(t, 120, 30, func(c *Config) { c.Store = v })
	m = press(t, m, keyRunes("s"))
	// The footer offers 3-D Secure on the selected intent in requires_action.
	if view := m.View(); !strings.Contains(view, "a complete 3-D Secure") || !strings.Contains(view, "d fail 3-D Secure") {
		t.Fatalf("no 3-D Secure keys in the footer:\n%s", view)
	}
	m = press(t, m, keyEnter, keyRunes("h"))
	view := m.View()
	for _, want := range []string{"pi_3ds › history", "2 versions, oldest first", "POST /v1/payment_intents  req_create", "created: status requires_payment_method",
		"POST /v1/payment_intents/pi_3ds/confirm  req_confirm", "status: requires_payment_method → requires_action", "h object"} {
		if !strings.Contains(view, want) {
			t.Fatalf("history lacks %q:\n%s", want, view)
		}
	}
	// a completes 3-D Secure: the status line says so and the history
	// shows the step with the key that made it.
	m = press(t, m, keyRunes("a"))
	view = m.View()
	if len(v.calls) != 1 || !strings.Contains(view, "3-D Secure completed for pi_3ds: now succeeded") ||
		!strings.Contains(view, "status: requires_action → succeeded") || !strings.Contains(view, "(a key in the store pane)") {
		t.Fatalf("after a (calls %v):\n%s", v.calls, view)
	}
	// The intent is no longer waiting: the keys are gone, and pressing
	// one says why nothing happened.
	if strings.Contains(view, "a complete 3-D Secure") {
		t.Fatalf("3-D Secure still offered on a succeeded intent:\n%s", view)
	}
	m = press(t, m, keyRunes("d"))
	if view = m.View(); len(v.calls) != 1 || !strings.Contains(view, "pi_3ds is not a PaymentIntent in requires_action") {
		t.Fatalf("d on a succeeded intent (calls %v):\n%s", v.calls, view)
	}
	// h goes back to the object, which shows its new status; esc closes it.
	m = press(t, m, keyRunes("h"))
	if view = m.View(); !strings.Contains(view, `"status": "succeeded"`) || strings.Contains(view, "› history") {
		t.Fatalf("h back to the object:\n%s", view)
	}
	m = press(t, m, keyEsc, keyRunes("j"), keyEnter, keyRunes("h"))
	if view = m.View(); !strings.Contains(view, "No history: cus_1") && !strings.Contains(view, "(no request)") {
		t.Fatalf("a customer written without a request:\n%s", view)
	}
	m = press(t, m, keyEsc, keyEsc, keyRunes("d"))
	if view = m.View(); len(v.calls) != 1 || !strings.Contains(view, "cus_1 is not a PaymentIntent in requires_action") {
		t.Fatalf("d on a customer:\n%s", view)
	}
	// Help lists the store pane's keys.
	m = press(t, m, keyRunes("?"))
	if view = m.View(); !strings.Contains(view, "open object") || !strings.Contains(view, "reset store") {
		t.Fatalf("help without the store keys:\n%s", view)
	}
}
