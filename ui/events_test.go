package ui

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/routedeck/routedeck/webhook"
)

// The events pane shows a real sender's log: w opens it, enter shows the
// payload and the endpoint's answer, r sends the event again.
func TestEventsPane(t *testing.T) {
	var hits atomic.Int32
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		_, _ = w.Write([]byte(`{"received":true}`))
	}))
	defer hs.Close()
	reg := webhook.NewRegistry()
	if _, err := reg.Add(webhook.EndpointParams{URL: hs.URL + "/hook"}); err != nil {
		t.Fatal(err)
	}
	sender := webhook.NewSender(reg, webhook.Options{})
	defer sender.Close()
	for _, typ := range []string{"customer.created", "payment_intent.succeeded"} {
		ev, err := webhook.NewEvent(webhook.EventParams{Type: typ, Object: json.RawMessage(`{"id":"x_1","object":"thing"}`), APIVersion: "2025-08-27.basil"})
		if err != nil {
			t.Fatal(err)
		}
		sender.Send(ev)
	}
	waitFor(t, func() bool { return hits.Load() == 2 })

	m, _ := newFixtureWith(t, 140, 30, func(c *Config) { c.Webhooks = sender })
	m = press(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("w")})
	view := m.View()
	pi, cus := strings.Index(view, "payment_intent.succeeded"), strings.Index(view, "customer.created")
	if pi < 0 || cus < 0 || pi > cus {
		t.Fatalf("want both events, newest first:\n%s", view)
	}
	if !strings.Contains(view, "delivered (1 attempts)") {
		t.Fatalf("want each event's delivery:\n%s", view)
	}
	m = press(t, m, tea.KeyMsg{Type: tea.KeyEnter})
	view = m.View()
	if !strings.Contains(view, `"type": "payment_intent.succeeded"`) || !strings.Contains(view, `{"received":true}`) || !strings.Contains(view, hs.URL+"/hook") {
		t.Fatalf("enter: want the payload, the endpoint and its answer:\n%s", view)
	}
	m = press(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("r")})
	waitFor(t, func() bool { return hits.Load() == 3 })
	m = press(t, m, tea.KeyMsg{Type: tea.KeyEsc}, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("w")})
	if m.focus == focusEvents {
		t.Fatal("esc then w: want the pane closed")
	}
}

// waitFor polls cond for up to 5 s.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
