package stripe_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/routedeck/routedeck/stripe"
)

// The charge a paying confirm stores reads alike wherever it is read:
// GET /v1/charges/:id, the charge.succeeded event handed to the webhooks
// (delivered and as JSON), GET /v1/events/:id and the list of charges;
// and it is the charge Stripe answers: succeeded, captured, paid, with
// its balance transaction, payment intent and card. Several confirms:
// the first ones lay the charge out, the rest fill it.
func TestConfirmChargeReadsAlike(t *testing.T) {
	got := &raised{}
	_, ts := statefulServer(t, false, stripe.StateOptions{Events: got.add})
	do := func(method, path string, form url.Values) string {
		t.Helper()
		req, err := http.NewRequest(method, ts.URL+path, strings.NewReader(form.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("User-Agent", "Stripe/v1 GoBindings/82.5.1")
		req.Header.Set("Authorization", "Bearer sk_test_123")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("%s %s: %d %s (%v)", method, path, resp.StatusCode, b, err)
		}
		return string(b)
	}
	for i, pm := range []string{"pm_card_visa", "pm_card_visa", "pm_card_mastercard", "pm_card_amex", "pm_card_visa"} {
		var pi struct {
			ID, Status   string
			LatestCharge string `json:"latest_charge"`
		}
		if err := json.Unmarshal([]byte(do(http.MethodPost, "/v1/payment_intents", url.Values{"amount": {"2000"}, "currency": {"usd"}})), &pi); err != nil {
			t.Fatal(err)
		}
		from := got.len()
		if err := json.Unmarshal([]byte(do(http.MethodPost, "/v1/payment_intents/"+pi.ID+"/confirm", url.Values{"payment_method": {pm}})), &pi); err != nil {
			t.Fatal(err)
		}
		if pi.Status != "succeeded" || pi.LatestCharge == "" {
			t.Fatalf("confirm #%d with %s: %s, charge %q", i, pm, pi.Status, pi.LatestCharge)
		}
		body := do(http.MethodGet, "/v1/charges/"+pi.LatestCharge, nil)
		// Field names as Stripe's (snake case) read through a map.
		var m map[string]any
		if err := json.Unmarshal([]byte(body), &m); err != nil {
			t.Fatal(err)
		}
		card := m["payment_method_details"].(map[string]any)["card"].(map[string]any)
		if m["id"] != pi.LatestCharge || m["status"] != "succeeded" || m["captured"] != true || m["paid"] != true || m["refunded"] != false ||
			m["amount"] != 2000.0 || m["amount_captured"] != 2000.0 || m["payment_intent"] != pi.ID || m["payment_method"] != pm ||
			!strings.HasPrefix(m["balance_transaction"].(string), "txn_") || card["last4"] == "" || card["brand"] == "" ||
			m["refunds"].(map[string]any)["url"] != "/v1/charges/"+pi.LatestCharge+"/refunds" {
			t.Fatalf("confirm #%d stored the charge %s", i, body)
		}
		types, events := got.since(from)
		event := -1
		for k, typ := range types {
			if typ == "charge.succeeded" {
				event = k
			}
		}
		if event < 0 {
			t.Fatalf("confirm #%d raised %v; no charge.succeeded", i, types)
		}
		if obj := string(events[event].Data.Object.JSON()); obj != body {
			t.Fatalf("the webhooks' event holds %.300s; GET answers %.300s", obj, body)
		}
		marshaled, err := json.Marshal(events[event])
		if err != nil || !strings.Contains(string(marshaled), `"object":`+body) {
			t.Fatalf("the event as delivered: %.300s (%v)", marshaled, err)
		}
		var logged struct {
			Data struct{ Object json.RawMessage }
		}
		if err := json.Unmarshal([]byte(do(http.MethodGet, "/v1/events/"+events[event].ID, nil)), &logged); err != nil || string(logged.Data.Object) != body {
			t.Fatalf("GET /v1/events/%s holds %.300s (%v); GET of the charge %.300s", events[event].ID, logged.Data.Object, err, body)
		}
		if list := do(http.MethodGet, "/v1/charges?limit=3", nil); !strings.Contains(list, body) {
			t.Fatalf("the list of charges lacks the charge: %.300s", list)
		}
	}
}
