package ui

import (
	"testing"

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
