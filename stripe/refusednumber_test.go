package stripe_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/routedeck/routedeck/stripe"
)

// TestRefusedNumberMakesNoCharge: a stored PaymentIntent confirmed with a
// card number Stripe's test mode refuses (too short, a Luhn failure, a
// real card's, letters) is refused as the card number's error, and, as
// no card is made from such a number, no charge is made either: the
// error embeds the intent back in requires_payment_method with its
// last_payment_error, neither names a charge, latest_charge stays null
// and the store lists no charge.
func TestRefusedNumberMakesNoCharge(t *testing.T) {
	sc, ts := statefulServer(t, false, stripe.StateOptions{})
	for _, n := range []struct{ number, code string }{
		{"42", "invalid_number"},
		{"4242424242424243", "incorrect_number"},
		{"4111111111111111", "card_declined"},
		{"4242abcd42424242", "invalid_number"},
	} {
		pi := createIntent(t, sc, "", "")
		form := url.Values{"payment_method_data[type]": {"card"}, "payment_method_data[card][number]": {n.number}}
		status, b := postForm(t, ts, "/v1/payment_intents/"+pi.ID+"/confirm", form.Encode())
		var body struct {
			Error struct {
				Type, Code    string
				Charge        *string
				PaymentIntent struct {
					Status           string
					LatestCharge     *string `json:"latest_charge"`
					LastPaymentError struct {
						Code   string
						Charge *string
					} `json:"last_payment_error"`
				} `json:"payment_intent"`
			}
		}
		if err := json.Unmarshal(b, &body); err != nil {
			t.Fatalf("%s: %v: %s", n.number, err, b)
		}
		e := body.Error
		if status != http.StatusPaymentRequired || e.Type != "card_error" || e.Code != n.code {
			t.Errorf("confirm with %q: %d %s, want 402 card_error %s", n.number, status, b, n.code)
			continue
		}
		if e.Charge != nil || e.PaymentIntent.LastPaymentError.Charge != nil || e.PaymentIntent.LatestCharge != nil {
			t.Errorf("confirm with %q names a charge: error.charge %v, last_payment_error.charge %v, latest_charge %v",
				n.number, deref(e.Charge), deref(e.PaymentIntent.LastPaymentError.Charge), deref(e.PaymentIntent.LatestCharge))
		}
		if e.PaymentIntent.Status != "requires_payment_method" || e.PaymentIntent.LastPaymentError.Code != n.code {
			t.Errorf("confirm with %q: embedded intent %q with last_payment_error %q", n.number, e.PaymentIntent.Status, e.PaymentIntent.LastPaymentError.Code)
		}
		got, err := sc.V1PaymentIntents.Retrieve(ctx, pi.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != "requires_payment_method" || got.LatestCharge != nil {
			t.Errorf("after a confirm with %q the intent is %q with latest_charge %v", n.number, got.Status, got.LatestCharge)
		}
	}
	res, err := http.Get(ts.URL + "/v1/charges?limit=100")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var list struct{ Data []struct{ ID string } }
	if err := json.NewDecoder(res.Body).Decode(&list); err != nil {
		t.Fatal(err)
	}
	if len(list.Data) != 0 {
		t.Errorf("the store lists %d charges made from refused numbers: %v", len(list.Data), list.Data)
	}
}

// TestNumberWithLettersIsInvalid: a card number with letters in it is
// Stripe's invalid_number wherever a number is read, not a test value
// let through to the route's success.
func TestNumberWithLettersIsInvalid(t *testing.T) {
	_, ts, _ := newPaymentsServer(t)
	for _, path := range []string{"/v1/tokens", "/v1/payment_methods", "/v1/charges"} {
		form := url.Values{"type": {"card"}, "amount": {"500"}, "currency": {"usd"},
			"card[number]": {"4242abcd42424242"}, "card[exp_month]": {"12"}, "card[exp_year]": {"2034"}}
		if path != "/v1/payment_methods" {
			form.Del("type")
		}
		if path != "/v1/charges" {
			form.Del("amount")
			form.Del("currency")
		}
		status, b := postForm(t, ts, path, form.Encode())
		var body struct {
			Error struct{ Type, Code, Param string }
		}
		_ = json.Unmarshal(b, &body)
		if status != http.StatusPaymentRequired || body.Error.Code != "invalid_number" || body.Error.Param != "number" {
			t.Errorf("%s with letters in card[number]: %d %s, want 402 invalid_number on number", path, status, b)
		}
	}
	// Ids keep passing through: a source or payment method named by id
	// is no card number.
	if status, b := postForm(t, ts, "/v1/charges", "amount=500&currency=usd&source=card_1abc"); status != http.StatusOK {
		t.Errorf("a charge of source=card_1abc: %d %s", status, b)
	}
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}
