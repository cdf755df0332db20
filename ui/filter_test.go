package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/list"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/routedeck/routedeck/catalog"
)

func TestFilterRanksExactRouteFirst(t *testing.T) {
	routes := []*catalog.Route{
		{Method: "GET", Path: "/v1/customers/:customer/discount", Summary: "Retrieve a customer's discount"},
		{Method: "GET", Path: "/v1/customers/:customer/sources", Summary: "List sources"},
		{Method: "GET", Path: "/v1/customers/:customer", Summary: "Retrieve a customer"},
		{Method: "DELETE", Path: "/v1/customers/:customer", Summary: "Delete a customer", Docs: "<p>Permanently deletes a <code>customer</code>.</p>"},
		{Method: "POST", Path: "/v1/charges", Summary: "Create a charge", Docs: "<p>Use the Payment Intents API &amp; more.</p>"},
	}
	targets := make([]string, len(routes))
	for i, r := range routes {
		targets[i] = filterValue(r)
	}
	tests := []struct {
		term  string
		first int
		n     int
	}{
		{"GET /v1/customers/:customer", 2, 3},
		{"get /v1/customers/:customer/", 2, 3},
		{"/v1/customers/:customer", 2, 4}, // GET and DELETE match the path exactly; the shorter key first
		{"permanently", 3, 1},             // docs text
		{"intents & more", 4, 1},          // entities decoded, words in any place
		{"pchg", 4, 1},                    // fuzzy on the key
		{"zzz", -1, 0},
	}
	for _, tt := range tests {
		ranks := filterRoutes(tt.term, targets)
		if len(ranks) != tt.n {
			t.Errorf("%q: %d matches; want %d", tt.term, len(ranks), tt.n)
			continue
		}
		if tt.first >= 0 && ranks[0].Index != tt.first {
			t.Errorf("%q: first is %s; want %s", tt.term, routes[ranks[0].Index].Key(), routes[tt.first].Key())
		}
	}
}

// collectFilterResults runs a tagged list command and returns the filter
// results it produced, still tagged.
func collectFilterResults(t *testing.T, cmd tea.Cmd) []listMsg {
	t.Helper()
	var out []listMsg
	var visit func(tea.Cmd)
	visit = func(c tea.Cmd) {
		if c == nil {
			return
		}
		done := make(chan tea.Msg, 1)
		go func() { done <- c() }()
		select {
		case msg := <-done:
			lm, ok := msg.(listMsg)
			if !ok {
				return
			}
			switch inner := lm.msg.(type) {
			case tea.BatchMsg:
				for _, sub := range inner {
					visit(tagListCmd(lm.seq, sub))
				}
			case list.FilterMatchesMsg:
				out = append(out, lm)
			}
		case <-time.After(300 * time.Millisecond): // a cursor blink
		}
	}
	visit(cmd)
	return out
}

// A filter result for an older text that arrives last must not replace
// the result for what the user typed.
func TestFilterDropsStaleResults(t *testing.T) {
	m, _ := newFixture(t, 120, 40)
	m = press(t, m, keyRunes("/"))
	m1, cmd1 := m.updateList(keyRunes("c"))
	m2, cmd2 := m1.updateList(keyRunes("h"))
	stale, fresh := collectFilterResults(t, cmd1), collectFilterResults(t, cmd2)
	if len(stale) == 0 || len(fresh) == 0 {
		t.Fatalf("got %d and %d filter results; want some of each", len(stale), len(fresh))
	}
	for _, msg := range append(fresh, stale...) {
		next, _ := m2.Update(msg)
		m2 = next.(Model)
	}
	var keys []string
	for _, it := range m2.list.VisibleItems() {
		keys = append(keys, it.(routeItem).route.Key())
	}
	if len(keys) != 1 || keys[0] != "GET /v1/charges" {
		t.Errorf("visible after a late stale result: %v; want [GET /v1/charges]", keys)
	}
}

// The filter finds what people type into the real catalog.
func TestFilterFindsWhatPeopleType(t *testing.T) {
	cat, err := catalog.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	targets := make([]string, len(cat.Routes))
	for i, r := range cat.Routes {
		targets[i] = filterValue(r)
	}
	tests := []struct{ term, first string }{
		{"/v1/customers/cus_ABC", "GET /v1/customers/:customer"},
		{"GET /v1/payment_intents/pi_123/confirm", "POST /v1/payment_intents/:intent/confirm"},
		{"POST /v1/payment_intents/pi_123/confirm", "POST /v1/payment_intents/:intent/confirm"},
		{"payment_intents confirm", "POST /v1/payment_intents/:intent/confirm"},
		{"delete customer", "DELETE /v1/customers/:customer"},
		{"/v1/invoices/upcoming", "GET /v1/invoices/upcoming"},
	}
	for _, tt := range tests {
		ranks := filterRoutes(tt.term, targets)
		if len(ranks) == 0 {
			t.Errorf("%q matched nothing", tt.term)
			continue
		}
		if got := cat.Routes[ranks[0].Index].Key(); got != tt.first {
			t.Errorf("%q: first is %s; want %s", tt.term, got, tt.first)
		}
	}
	// An id prefix finds the routes of its object, and nothing unrelated.
	for _, tt := range []struct{ term, want string }{{"cus_", "/:customer"}, {"pi_", "/:intent"}, {"cus_ delete", "/:customer"}} {
		ranks := filterRoutes(tt.term, targets)
		if len(ranks) == 0 {
			t.Errorf("%q matched nothing", tt.term)
		}
		for _, r := range ranks {
			if k := cat.Routes[r.Index].Key(); !strings.Contains(k, tt.want) {
				t.Errorf("%q matched %s, which has no %s", tt.term, k, tt.want)
			}
		}
	}
	if ranks := filterRoutes("cus_ delete", targets); len(ranks) == 0 || cat.Routes[ranks[0].Index].Method != "DELETE" {
		t.Errorf("cus_ delete: first is not a DELETE")
	}
}
