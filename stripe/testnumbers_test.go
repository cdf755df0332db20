package stripe_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
)

// A number that is not one of Stripe's test cards is refused wherever a
// raw number is read (tokens, PaymentMethods, sources on charges and
// customers, payment_method_data), with Stripe's code, unless a Prefer
// header picks the answer; the log says why without writing the number
// out.
func TestNonTestNumbersRefusedWherever(t *testing.T) {
	srv, ts, _ := newPaymentsServer(t)
	events, stop := srv.SubscribeSummary(64)
	defer stop()
	post := func(path string, form url.Values, header ...string) (int, map[string]any) {
		t.Helper()
		code, b := postForm(t, ts, path, form.Encode(), header...)
		var v map[string]any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatalf("%s: %v: %s", path, err, b)
		}
		return code, v
	}
	reason := func() string { return nextReason(t, events) }
	numbers := []struct {
		number, code, declineCode, why string
	}{
		{"42", "invalid_number", "", "declined by card number ending 42 (invalid_number: not 12 to 19 digits)"},
		{"4242424242424243", "incorrect_number", "", "declined by card number ending 4243 (incorrect_number: fails the Luhn check)"},
		{"4111 1111 1111 1111", "card_declined", "test_mode_live_card",
			"declined by card number ending 1111 (test_mode_live_card: not one of Stripe's test cards)"},
	}
	for _, n := range numbers {
		requests := []struct {
			path string
			form url.Values
		}{
			{"/v1/tokens", url.Values{"card[number]": {n.number}, "card[exp_month]": {"12"}, "card[exp_year]": {"2034"}}},
			{"/v1/payment_methods", url.Values{"type": {"card"}, "card[number]": {n.number}, "card[exp_month]": {"12"}, "card[exp_year]": {"2034"}}},
			{"/v1/charges", url.Values{"amount": {"777"}, "currency": {"usd"}, "card[number]": {n.number}, "card[exp_month]": {"12"}, "card[exp_year]": {"2034"}}},
			{"/v1/customers/cus_1/sources", url.Values{"card[object]": {"card"}, "card[number]": {n.number}, "card[exp_month]": {"12"}, "card[exp_year]": {"2034"}}},
			{"/v1/customers/cus_1/cards", url.Values{"card[object]": {"card"}, "card[number]": {n.number}, "card[exp_month]": {"12"}, "card[exp_year]": {"2034"}}},
			{"/v1/payment_intents", url.Values{"amount": {"777"}, "currency": {"usd"}, "confirm": {"true"},
				"payment_method_data[type]": {"card"}, "payment_method_data[card][number]": {n.number}}},
			{"/v1/setup_intents/seti_1/confirm", url.Values{"payment_method_data[type]": {"card"}, "payment_method_data[card][number]": {n.number}}},
		}
		for _, r := range requests {
			status, body := post(r.path, r.form)
			e, _ := body["error"].(map[string]any)
			if status != http.StatusPaymentRequired || e == nil || e["type"] != "card_error" || e["code"] != n.code {
				t.Errorf("%s with %q: %d %v, want 402 card_error %s", r.path, n.number, status, body, n.code)
				reason()
				continue
			}
			if dc, _ := e["decline_code"].(string); dc != n.declineCode {
				t.Errorf("%s with %q: decline_code %q, want %q", r.path, n.number, dc, n.declineCode)
			}
			if _, ok := e["charge"]; ok {
				t.Errorf("%s with %q: error.charge %v: no charge is made from a refused number", r.path, n.number, e["charge"])
			}
			if why := reason(); why != n.why {
				t.Errorf("%s with %q: log reason %q, want %q", r.path, n.number, why, n.why)
			}
		}
		// A Prefer header still wins.
		status, body := post("/v1/charges", url.Values{"amount": {"777"}, "currency": {"usd"}, "card[number]": {n.number},
			"card[exp_month]": {"12"}, "card[exp_year]": {"2034"}}, "Prefer", "example=success")
		if status != http.StatusOK || body["object"] != "charge" {
			t.Errorf("Prefer example=success with %q: %d %v, want the charge", n.number, status, body)
		}
		if why := reason(); why != "" {
			t.Errorf("Prefer example=success with %q: reason %q, want none", n.number, why)
		}
	}
	// Ids are no numbers: they keep passing through.
	if status, body := post("/v1/charges", url.Values{"amount": {"777"}, "currency": {"usd"}, "source": {"card_1"}}); status != http.StatusOK {
		t.Errorf("charge with source=card_1: %d %v", status, body)
	}
}
