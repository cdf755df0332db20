package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stripe/stripe-go/v82"

	"github.com/routedeck/routedeck/catalog"
)

// A body speaks of the ids in the request's path, never of the fixture's:
// asked with other ids than the catalog's samples (which are the fixtures'
// ids), no string anywhere in the success body names a sample id.
func TestNestedIDsNameTheRequestedIDs(t *testing.T) {
	cat := stripeGoCatalog(t)
	_, _, backend := stripeGoServer(t, cat)
	for _, r := range cat.Routes {
		if len(r.Params) == 0 || r.Variant(catalog.Success).ContentType != "application/json" {
			continue
		}
		params := map[string]string{}
		for _, p := range r.Params {
			params[p] = "xx_" + p + "_REQUESTED"
		}
		path := r.SamplePath(params)
		var raw map[string]any
		var v probe
		if err := backend.Call(r.Method, path, stripeGoKey, nil, &v); err != nil {
			t.Errorf("%s: %v", r.Key(), err)
			continue
		}
		if err := json.Unmarshal(v.LastResponse.RawJSON, &raw); err != nil {
			t.Fatal(err)
		}
		for _, p := range r.Params {
			sample := r.Samples[p]
			if sample == "" || !strings.Contains(sample, "_") || len(sample) < 8 {
				continue
			}
			if where := findString(raw, sample, ""); where != "" {
				t.Errorf("%s: %s names the fixture's %s %q, not the requested %q", r.Key(), where, p, sample, params[p])
			}
		}
	}
}

// findString returns the JSON path of the first string holding s.
func findString(v any, s, at string) string {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if w := findString(e, s, at+"."+k); w != "" {
				return w
			}
		}
	case []any:
		for _, e := range x {
			if w := findString(e, s, at+"[]"); w != "" {
				return w
			}
		}
	case string:
		if strings.Contains(x, s) {
			return strings.TrimPrefix(at, ".")
		}
	}
	return ""
}

// The examples the issue names: nested urls and parent ids follow the
// path, and the path decides between objects the spec allows.
func TestNestedIDExamples(t *testing.T) {
	cat := stripeGoCatalog(t)
	_, _, backend := stripeGoServer(t, cat)
	sc := stripeGoClient(backend)
	ctx := t.Context()

	ch, err := sc.V1Charges.Retrieve(ctx, "ch_123", nil)
	if err != nil {
		t.Fatal(err)
	}
	if ch.ID != "ch_123" || ch.Refunds == nil || ch.Refunds.URL != "/v1/charges/ch_123/refunds" {
		t.Errorf("charge %q refunds.url %+v; want ch_123 and /v1/charges/ch_123/refunds", ch.ID, ch.Refunds)
	}

	card, err := sc.V1Cards.Retrieve(ctx, "card_9", &stripe.CardRetrieveParams{Customer: stripe.String("cus_1")})
	if err != nil {
		t.Fatal(err)
	}
	if card.Object != "card" || card.ID != "card_9" || card.Customer == nil || card.Customer.ID != "cus_1" {
		t.Errorf("card: %s %q of customer %+v; want card card_9 of cus_1", card.Object, card.ID, card.Customer)
	}

	for _, c := range []struct{ method, path, object string }{
		{http.MethodGet, "/v1/customers/cus_1/cards/card_9", "card"},
		{http.MethodPost, "/v1/customers/cus_1/cards/card_9", "card"},
		{http.MethodDelete, "/v1/customers/cus_1/cards/card_9", "card"},
		{http.MethodGet, "/v1/customers/cus_1/bank_accounts/ba_9", "bank_account"},
		{http.MethodPost, "/v1/customers/cus_1/bank_accounts/ba_9", "bank_account"},
		{http.MethodDelete, "/v1/customers/cus_1/bank_accounts/ba_9", "bank_account"},
		{http.MethodPost, "/v1/customers/cus_1/bank_accounts/ba_9/verify", "bank_account"},
		{http.MethodGet, "/v1/accounts/acct_1/external_accounts/ba_9", "bank_account"},
	} {
		var body struct {
			stripe.APIResource
			ID, Object, Customer string
			Deleted              bool
		}
		if err := backend.Call(c.method, c.path, stripeGoKey, nil, &body); err != nil {
			t.Errorf("%s %s: %v", c.method, c.path, err)
			continue
		}
		id := c.path[strings.LastIndex(c.path, "/")+1:]
		if strings.HasSuffix(c.path, "/verify") {
			id = "ba_9"
		}
		if body.Object != c.object || body.ID != id || body.Deleted != (c.method == http.MethodDelete) {
			t.Errorf("%s %s: %s %q deleted=%v; want %s %q", c.method, c.path, body.Object, body.ID, body.Deleted, c.object, id)
		}
		if strings.HasPrefix(c.path, "/v1/customers/") && c.method != http.MethodDelete && body.Customer != "cus_1" {
			t.Errorf("%s %s: customer %q; want cus_1", c.method, c.path, body.Customer)
		}
	}
}
