package ui

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/embed"
	"github.com/routedeck/routedeck/internal/webhooktest"
	"github.com/routedeck/routedeck/server"
	"github.com/routedeck/routedeck/store"
	"github.com/routedeck/routedeck/stripe"
	"github.com/routedeck/routedeck/webhook"
)

// stripeEvents is the Stripe catalog's server with a store, an endpoint
// registry and a sender, as `routedeck` runs them, and a TriggerEvent as
// the TUI gets it.
func stripeEvents(t *testing.T, reg *webhook.Registry) (*server.Server, *webhook.Sender, func(string) (webhook.Event, error)) {
	t.Helper()
	cat, err := catalog.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.New(store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sender := webhook.NewSender(reg, webhook.Options{})
	rules := stripe.New(cat, embed.Stripe, stripe.Options{Objects: stripe.StoreObjects(st)})
	state := stripe.NewState(cat, rules, st, stripe.StateOptions{Endpoints: reg, Events: func(e webhook.Event) { sender.Send(e) }})
	srv, err := server.New(cat, server.Options{Rules: rules, Keeper: state})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		srv.Close()
		sender.Close()
		_ = st.Close()
	})
	return srv, sender, func(typ string) (webhook.Event, error) { return state.Trigger(context.Background(), typ) }
}

func runes(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

// n in the events pane opens a picker of the event types routedeck knows;
// typing filters it, enter raises an event of the chosen type from the
// catalog's sample object: kept in /v1/events, delivered signed to the
// endpoint, named in the status line and listed first in the pane.
func TestEventsPaneNewEvent(t *testing.T) {
	rc := webhooktest.New("", true)
	hs := httptest.NewServer(rc)
	defer hs.Close()
	reg := webhook.NewRegistry()
	ep, err := reg.Add(webhook.EndpointParams{URL: hs.URL + "/webhook"})
	if err != nil {
		t.Fatal(err)
	}
	rc.SetSecret(ep.Secret)
	srv, sender, trigger := stripeEvents(t, reg)
	m, _ := newFixtureWith(t, 140, 30, func(c *Config) { c.Webhooks, c.TriggerEvent = sender, trigger })

	m = press(t, m, runes("w"))
	if !strings.Contains(m.View(), "n new event") {
		t.Fatalf("the events pane should name n:\n%s", m.View())
	}
	m = press(t, m, runes("?"))
	if view := m.View(); !strings.Contains(view, "new event (trigger)") || strings.Contains(view, "redeliver event") {
		t.Fatalf("? in the events pane, no event yet: want n in help, not r:\n%s", view)
	}
	m = press(t, m, runes("?"), runes("n"))
	view := m.View()
	all := len(webhook.Types())
	if !strings.Contains(view, "type: ") || !strings.Contains(view, "of "+strconv.Itoa(all)+" types") {
		t.Fatalf("n: want the picker with all %d types:\n%s", all, view)
	}
	m = typeText(t, m, "intent succ")
	view = m.View()
	if !strings.Contains(view, "> payment_intent.succeeded") || !strings.Contains(view, "setup_intent.succeeded") ||
		strings.Contains(view, "customer.created") || !strings.Contains(view, "2 of "+strconv.Itoa(all)+" types") {
		t.Fatalf("filter \"intent succ\": want payment_intent.succeeded chosen and setup_intent.succeeded:\n%s", view)
	}
	m = press(t, m, tea.KeyMsg{Type: tea.KeyDown}, tea.KeyMsg{Type: tea.KeyUp}, tea.KeyMsg{Type: tea.KeyEnter})
	view = m.View()
	if m.events.picking || !strings.Contains(view, "raised payment_intent.succeeded evt_") || !strings.Contains(view, "delivering to 1 endpoint(s)") {
		t.Fatalf("enter: want the picker closed and the event named in the status line:\n%s", view)
	}
	if len(m.events.records) != 1 || m.events.records[0].Event.Type != "payment_intent.succeeded" {
		t.Fatalf("the pane lists %d events; want the new one", len(m.events.records))
	}
	id := m.events.records[0].Event.ID
	m = press(t, m, runes("?"))
	if view := m.View(); !strings.Contains(view, "redeliver event") {
		t.Fatalf("? with an event: want r in help:\n%s", view)
	}
	m = press(t, m, runes("?"))
	if got := rc.Wait(t, 1); len(got) != 1 || got[0] != "payment_intent.succeeded" {
		t.Fatalf("the endpoint got %v; want payment_intent.succeeded, verified", got)
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/v1/events/"+id, nil))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"type":"payment_intent.succeeded"`) ||
		!strings.Contains(rec.Body.String(), `"status":"succeeded"`) {
		t.Fatalf("GET /v1/events/%s: %d %s", id, rec.Code, rec.Body)
	}

	// A filter that matches nothing says so; esc closes the picker.
	m = press(t, m, runes("n"))
	m = typeText(t, m, "nosuch")
	if !strings.Contains(m.View(), `No event type contains "nosuch"`) {
		t.Fatalf("want the empty filter said:\n%s", m.View())
	}
	m = press(t, m, tea.KeyMsg{Type: tea.KeyEnter})
	if !m.events.picking || len(m.events.records) != 1 {
		t.Fatal("enter with nothing to choose: want the picker kept and no event raised")
	}
	m = press(t, m, tea.KeyMsg{Type: tea.KeyEsc})
	if m.events.picking || m.focus != focusEvents {
		t.Fatal("esc: want the picker closed, the pane kept")
	}
}

// Without an endpoint the event is still raised and stored, and the
// status line says no endpoint wants it; without a store, n says why not.
func TestEventsPaneNewEventNoEndpoint(t *testing.T) {
	_, sender, trigger := stripeEvents(t, webhook.NewRegistry())
	m, _ := newFixtureWith(t, 140, 30, func(c *Config) { c.Webhooks, c.TriggerEvent = sender, trigger })
	m = press(t, m, runes("w"), runes("n"))
	m = typeText(t, m, "customer.created")
	m = press(t, m, tea.KeyMsg{Type: tea.KeyEnter})
	if view := m.View(); !strings.Contains(view, "raised customer.created evt_") || !strings.Contains(view, "no webhook endpoint wants it") {
		t.Fatalf("want the event raised and no endpoint said:\n%s", view)
	}
	if len(m.events.records) != 1 || len(m.events.records[0].Deliveries) != 0 {
		t.Fatalf("want one event with no deliveries; got %d events", len(m.events.records))
	}

	m, _ = newFixtureWith(t, 140, 30, func(c *Config) { c.Webhooks = sender })
	m = press(t, m, runes("w"), runes("n"))
	if m.events.picking || !strings.Contains(m.View(), "raising events needs the Stripe catalog's store") {
		t.Fatalf("n without a store: want the reason:\n%s", m.View())
	}
}
