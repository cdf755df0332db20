package stripe_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	stripego "github.com/stripe/stripe-go/v82"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/embed"
	"github.com/routedeck/routedeck/server"
	"github.com/routedeck/routedeck/stripe"
)

// newPaymentsServer serves the embedded catalog with the Stripe rules and
// test cards, as `routedeck serve` does.
func newPaymentsServer(t *testing.T) (*server.Server, *httptest.Server, *stripego.Client) {
	t.Helper()
	cat, err := embeddedCatalog()
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(cat, server.Options{
		Rules:      stripe.New(cat, embed.Stripe, stripe.Options{}),
		TestValues: stripe.NewPayments(cat, nil),
	})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() {
		ts.Close()
		srv.Close()
	})
	sc := clientFor(ts)
	return srv, ts, sc
}

// want is a test value's documented outcome.
type want struct {
	code, declineCode, param string
	message                  string
	action                   bool   // requires_action (3-D Secure) on intents
	chargeAuth               bool   // the Charges API declines it: authentication_required
	chargeOnly               bool   // only charging declines (…0341)
	refused                  bool   // no card is made from it: nothing embedded, no charge
	brand, last4             string // for successes
}

var (
	generic      = want{code: "card_declined", declineCode: "generic_decline", message: "Your card was declined."}
	insufficient = want{code: "card_declined", declineCode: "insufficient_funds", message: "Your card has insufficient funds."}
	lost         = want{code: "card_declined", declineCode: "lost_card", message: "Your card was declined."}
	stolen       = want{code: "card_declined", declineCode: "stolen_card", message: "Your card was declined."}
	expired      = want{code: "expired_card", declineCode: "expired_card", param: "exp_month", message: "Your card has expired."}
	cvc          = want{code: "incorrect_cvc", declineCode: "incorrect_cvc", param: "cvc", message: "Your card's security code is incorrect."}
	processing   = want{code: "processing_error", declineCode: "processing_error", message: "An error occurred while processing your card. Try again in a little bit."}
	number       = want{code: "incorrect_number", param: "number", message: "Your card number is incorrect.", refused: true}
	invalidNum   = want{code: "invalid_number", param: "number", message: "Your card number is not a valid credit card number.", refused: true}
	liveCard     = want{code: "card_declined", declineCode: "test_mode_live_card", refused: true,
		message: "Your card was declined. Your request was in test mode, but used a non test (live) card. For a list of valid test cards, visit: https://stripe.com/docs/testing."}
	threeDS = want{action: true, chargeAuth: true}
)

// testValues are Stripe's test values and their outcomes (DESIGN.md §8).
var testValues = []struct {
	value string
	want  want
}{
	{"pm_card_visa", want{brand: "visa", last4: "4242"}},
	{"pm_card_mastercard", want{brand: "mastercard", last4: "4444"}},
	{"tok_visa", want{brand: "visa", last4: "4242"}},
	{"4242424242424242", want{brand: "visa", last4: "4242"}},
	{"5555555555554444", want{brand: "mastercard", last4: "4444"}},

	{"4000000000000002", generic},
	{"pm_card_visa_chargeDeclined", generic},
	{"pm_card_chargeDeclined", generic},
	{"tok_visa_chargeDeclined", generic},
	{"tok_chargeDeclined", generic},
	{"4000000000009995", insufficient},
	{"pm_card_visa_chargeDeclinedInsufficientFunds", insufficient},
	{"pm_card_chargeDeclinedInsufficientFunds", insufficient},
	{"tok_chargeDeclinedInsufficientFunds", insufficient},
	{"4000000000009987", lost},
	{"pm_card_chargeDeclinedLostCard", lost},
	{"tok_visa_chargeDeclinedLostCard", lost},
	{"4000000000009979", stolen},
	{"pm_card_chargeDeclinedStolenCard", stolen},
	{"4000000000000069", expired},
	{"pm_card_chargeDeclinedExpiredCard", expired},
	{"tok_chargeDeclinedExpiredCard", expired},
	{"4000000000000127", cvc},
	{"pm_card_chargeDeclinedIncorrectCvc", cvc},
	{"4000000000000119", processing},
	{"pm_card_chargeDeclinedProcessingError", processing},
	{"4242424242424241", number},
	// Numbers that are not test cards, refused as Stripe's test mode
	// refuses them.
	{"4242424242424243", number},
	{"4000 0000 0000 0003", number},
	{"42", invalidNum},
	{"42424242424", invalidNum},
	{"42424242424242424242", invalidNum},
	{"4111111111111111", liveCard},
	{"4532015112830366", liveCard},
	// More of Stripe's test cards by brand.
	{"2223003122003222", want{brand: "mastercard", last4: "3222"}},
	{"371449635398431", want{brand: "amex", last4: "8431"}},
	{"3566002020360505", want{brand: "jcb", last4: "0505"}},
	{"6205500000000000004", want{brand: "unionpay", last4: "0004"}},
	{"4000000000000341", want{code: "card_declined", declineCode: "generic_decline", message: "Your card was declined.", chargeOnly: true}},
	{"pm_card_chargeCustomerFail", want{code: "card_declined", declineCode: "generic_decline", message: "Your card was declined.", chargeOnly: true}},

	{"4000002500003155", threeDS},
	{"4000002760003184", threeDS},
	{"4000000000003220", threeDS},
	{"pm_card_authenticationRequired", threeDS},
	{"pm_card_threeDSecure2Required", threeDS},
}

// setCard puts a test value where a client sends it: a PaymentMethod id
// as payment_method, a token or number as payment method data.
func setCard(p *stripego.Params, pm **string, value string) {
	switch {
	case strings.HasPrefix(value, "pm_"):
		*pm = stripego.String(value)
	case strings.HasPrefix(value, "tok_"):
		p.AddExtra("payment_method_data[type]", "card")
		p.AddExtra("payment_method_data[card][token]", value)
	default:
		p.AddExtra("payment_method_data[type]", "card")
		p.AddExtra("payment_method_data[card][number]", value)
		p.AddExtra("payment_method_data[card][exp_month]", "12")
		p.AddExtra("payment_method_data[card][exp_year]", "2034")
	}
}

// checkDecline checks a *stripe.Error against the documented outcome.
func checkDecline(t *testing.T, err error, w want, embedsIntent bool, amount int64) {
	t.Helper()
	var se *stripego.Error
	if !errors.As(err, &se) {
		t.Fatalf("want a *stripe.Error, got %v", err)
	}
	if se.HTTPStatusCode != http.StatusPaymentRequired || se.Type != stripego.ErrorTypeCard {
		t.Errorf("status %d type %q, want 402 card_error", se.HTTPStatusCode, se.Type)
	}
	if string(se.Code) != w.code || string(se.DeclineCode) != w.declineCode || se.Param != w.param || se.Msg != w.message {
		t.Errorf("code %q decline_code %q param %q message %q, want %q %q %q %q",
			se.Code, se.DeclineCode, se.Param, se.Msg, w.code, w.declineCode, w.param, w.message)
	}
	if se.DocURL != "https://stripe.com/docs/error-codes/"+strings.ReplaceAll(w.code, "_", "-") {
		t.Errorf("doc_url %q", se.DocURL)
	}
	if !embedsIntent {
		return
	}
	pi := se.PaymentIntent
	if pi == nil {
		t.Fatal("error.payment_intent missing")
	}
	if pi.Status != stripego.PaymentIntentStatusRequiresPaymentMethod || pi.LastPaymentError == nil ||
		pi.LastPaymentError.Code != se.Code || pi.LastPaymentError.DeclineCode != se.DeclineCode {
		t.Errorf("embedded PaymentIntent: status %q last_payment_error %+v", pi.Status, pi.LastPaymentError)
	}
	if amount != 0 && pi.Amount != amount {
		t.Errorf("embedded PaymentIntent amount %d, want %d", pi.Amount, amount)
	}
	if se.ChargeID == "" || pi.LatestCharge == nil || pi.LatestCharge.ID != se.ChargeID {
		t.Errorf("error.charge %q, latest_charge %+v: want the declined charge", se.ChargeID, pi.LatestCharge)
	}
	if se.PaymentMethod == nil || se.PaymentMethod.Card == nil || se.PaymentMethod.Card.Last4 == "" {
		t.Errorf("error.payment_method %+v: want the card", se.PaymentMethod)
	}
}

func TestTestValuesOnPaymentIntentCreate(t *testing.T) {
	_, _, sc := newPaymentsServer(t)
	ctx := context.Background()
	for _, tv := range testValues {
		t.Run(tv.value, func(t *testing.T) {
			p := &stripego.PaymentIntentCreateParams{Amount: stripego.Int64(2000), Currency: stripego.String("usd"), Confirm: stripego.Bool(true)}
			setCard(&p.Params, &p.PaymentMethod, tv.value)
			pi, err := sc.V1PaymentIntents.Create(ctx, p)
			checkIntent(t, tv.value, tv.want, pi, err, 2000)
		})
	}
}

func TestTestValuesOnPaymentIntentConfirm(t *testing.T) {
	_, _, sc := newPaymentsServer(t)
	ctx := context.Background()
	for _, tv := range testValues {
		t.Run(tv.value, func(t *testing.T) {
			p := &stripego.PaymentIntentConfirmParams{}
			setCard(&p.Params, &p.PaymentMethod, tv.value)
			pi, err := sc.V1PaymentIntents.Confirm(ctx, "pi_123", p)
			checkIntent(t, tv.value, tv.want, pi, err, 0)
		})
	}
}

func checkIntent(t *testing.T, value string, w want, pi *stripego.PaymentIntent, err error, amount int64) {
	t.Helper()
	switch {
	case w.action:
		if err != nil {
			t.Fatal(err)
		}
		if pi.Status != stripego.PaymentIntentStatusRequiresAction || pi.NextAction == nil || pi.NextAction.Type != "use_stripe_sdk" {
			t.Errorf("status %q next_action %+v, want requires_action with use_stripe_sdk", pi.Status, pi.NextAction)
		}
	case w.code != "":
		if err == nil {
			t.Fatalf("%s: want a decline, got status %q", value, pi.Status)
		}
		checkDecline(t, err, w, !w.refused, amount)
	default:
		if err != nil {
			t.Fatal(err)
		}
		if pi.Status != stripego.PaymentIntentStatusSucceeded || pi.LatestCharge == nil || pi.PaymentMethod == nil {
			t.Errorf("status %q latest_charge %v payment_method %v, want succeeded with both", pi.Status, pi.LatestCharge, pi.PaymentMethod)
		}
		if amount != 0 && (pi.Amount != amount || pi.AmountReceived != amount) {
			t.Errorf("amount %d received %d, want %d", pi.Amount, pi.AmountReceived, amount)
		}
	}
}

func TestTestValuesOnChargeCreate(t *testing.T) {
	_, _, sc := newPaymentsServer(t)
	ctx := context.Background()
	for _, tv := range testValues {
		if strings.HasPrefix(tv.value, "pm_") {
			continue // the Charges API takes tokens, sources and numbers
		}
		t.Run(tv.value, func(t *testing.T) {
			p := &stripego.ChargeCreateParams{Amount: stripego.Int64(2000), Currency: stripego.String("usd")}
			if strings.HasPrefix(tv.value, "tok_") {
				p.Source = &stripego.PaymentSourceSourceParams{Token: stripego.String(tv.value)}
			} else {
				p.AddExtra("card[number]", tv.value)
				p.AddExtra("card[exp_month]", "12")
				p.AddExtra("card[exp_year]", "2034")
			}
			ch, err := sc.V1Charges.Create(ctx, p)
			w := tv.want
			if w.chargeAuth {
				w = want{code: "card_declined", declineCode: "authentication_required", message: "Your card was declined. This transaction requires authentication."}
			}
			if w.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				card := ch.PaymentMethodDetails.Card
				if ch.Status != "succeeded" || !ch.Paid || card == nil || string(card.Brand) != w.brand || card.Last4 != w.last4 {
					t.Errorf("status %q paid %v card %+v, want succeeded with %s %s", ch.Status, ch.Paid, card, w.brand, w.last4)
				}
				return
			}
			checkDecline(t, err, w, false, 0)
			var se *stripego.Error
			if errors.As(err, &se) && !w.refused && !strings.HasPrefix(se.ChargeID, "ch_") {
				t.Errorf("error.charge %q, want the declined charge's id", se.ChargeID)
			}
		})
	}
}

// Cards and tokens made from test numbers show the card's brand and last4;
// attaching …0341 succeeds, attaching a declining card does not.
func TestTestCardsMakePaymentMethodsAndTokens(t *testing.T) {
	_, _, sc := newPaymentsServer(t)
	ctx := context.Background()
	pm, err := sc.V1PaymentMethods.Create(ctx, &stripego.PaymentMethodCreateParams{
		Type: stripego.String("card"),
		Card: &stripego.PaymentMethodCreateCardParams{Number: stripego.String("5555555555554444"), ExpMonth: stripego.Int64(7), ExpYear: stripego.Int64(2031), CVC: stripego.String("123")},
	})
	if err != nil {
		t.Fatal(err)
	}
	if pm.Card == nil || pm.Card.Brand != "mastercard" || pm.Card.Last4 != "4444" || pm.Card.ExpMonth != 7 || pm.Card.ExpYear != 2031 {
		t.Errorf("payment method card %+v, want mastercard 4444 7/2031", pm.Card)
	}
	tok, err := sc.V1Tokens.Create(ctx, &stripego.TokenCreateParams{Card: &stripego.CardParams{Number: stripego.String("4000000000009995"), ExpMonth: stripego.String("12"), ExpYear: stripego.String("2034")}})
	if err != nil {
		t.Fatal(err)
	}
	if tok.Card == nil || tok.Card.Brand != "Visa" || tok.Card.Last4 != "9995" {
		t.Errorf("token card %+v, want Visa 9995", tok.Card)
	}
	_, err = sc.V1PaymentMethods.Create(ctx, &stripego.PaymentMethodCreateParams{
		Type: stripego.String("card"),
		Card: &stripego.PaymentMethodCreateCardParams{Number: stripego.String("4242424242424241"), ExpMonth: stripego.Int64(7), ExpYear: stripego.Int64(2031)},
	})
	checkDecline(t, err, number, false, 0)

	attached, err := sc.V1PaymentMethods.Attach(ctx, "pm_card_chargeCustomerFail", &stripego.PaymentMethodAttachParams{Customer: stripego.String("cus_1")})
	if err != nil {
		t.Fatalf("attaching pm_card_chargeCustomerFail: %v", err)
	}
	if attached.Card == nil || attached.Card.Last4 != "0341" {
		t.Errorf("attached card %+v, want last4 0341", attached.Card)
	}
	_, err = sc.V1PaymentMethods.Attach(ctx, "pm_card_chargeDeclinedStolenCard", &stripego.PaymentMethodAttachParams{Customer: stripego.String("cus_1")})
	checkDecline(t, err, stolen, false, 0)
}

// A Prefer header beats the test value, which beats the route's toggle;
// the event says which test value decided.
func TestTestValuePrecedence(t *testing.T) {
	srv, ts, _ := newPaymentsServer(t)
	events, stop := srv.SubscribeSummary(16)
	defer stop()
	route, ok := srv.Catalog().Lookup("POST /v1/payment_intents/:intent/confirm")
	if !ok {
		t.Fatal("no confirm route")
	}
	post := func(form string, header ...string) int {
		code, _ := postForm(t, ts, "/v1/payment_intents/pi_1/confirm", form, header...)
		return code
	}
	reason := func() string { return nextReason(t, events) }
	declined := "payment_method=pm_card_chargeDeclinedInsufficientFunds"
	if got := post(declined); got != 402 {
		t.Errorf("declining card: %d, want 402", got)
	}
	if r := reason(); r != "declined by pm_card_chargeDeclinedInsufficientFunds" {
		t.Errorf("reason %q", r)
	}
	if got := post(declined, "Prefer", "example=success"); got != 200 {
		t.Errorf("Prefer example=success with a declining card: %d, want 200", got)
	}
	if r := reason(); r != "" {
		t.Errorf("reason %q under Prefer, want none", r)
	}
	srv.State().Set(route, catalog.Error)
	if got := post("payment_method=pm_card_visa"); got != 200 {
		t.Errorf("pm_card_visa on a route toggled to error: %d, want 200", got)
	}
	reason()
	if got := post("payment_method=pm_123"); got == 200 {
		t.Errorf("no test value on a route toggled to error: %d, want its error", got)
	}
	reason()
}

func TestCommonDeclines(t *testing.T) {
	var got []string
	for _, d := range stripe.CommonDeclines() {
		got = append(got, d.Code+"/"+d.DeclineCode+"/"+d.Param)
	}
	want := "card_declined/generic_decline/ card_declined/insufficient_funds/ card_declined/lost_card/ card_declined/stolen_card/ " +
		"expired_card/expired_card/exp_month incorrect_cvc/incorrect_cvc/cvc processing_error/processing_error/ incorrect_number//number"
	if strings.Join(got, " ") != want {
		t.Errorf("CommonDeclines:\n got %s\nwant %s", strings.Join(got, " "), want)
	}
	if u := stripe.CommonDeclines()[1].DocURL(); u != "https://stripe.com/docs/error-codes/card-declined" {
		t.Errorf("DocURL %s", u)
	}
}

// postForm posts form to ts at path with the header pairs given, and
// returns the answer's status and body.
func postForm(t *testing.T, ts *httptest.Server, path, form string, header ...string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, ts.URL+path, strings.NewReader(form))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, body
}

// nextReason is the Reason of the next request event, failing t when
// none comes within 2 s.
func nextReason(t *testing.T, events <-chan server.Event) string {
	t.Helper()
	select {
	case e := <-events:
		return e.Reason
	case <-time.After(2 * time.Second):
		t.Fatal("no event")
	}
	return ""
}

// TestTestCardReasons pins the request log's reason for a payment a test
// value makes: "test card" and the value as the request sent it, for a
// card name, a number of the table and one written with spaces.
func TestTestCardReasons(t *testing.T) {
	srv, ts, _ := newPaymentsServer(t)
	events, stop := srv.SubscribeSummary(16)
	defer stop()
	cases := []struct{ path, form, reason string }{
		{"/v1/charges", "amount=2000&currency=usd&source=tok_visa", "test card tok_visa"},
		{"/v1/charges", "amount=2000&currency=usd&source=tok_visa_chargeDeclined", "declined by tok_visa_chargeDeclined"},
		{"/v1/payment_methods", "type=card&card[number]=4242424242424242", "test card 4242424242424242"},
		{"/v1/tokens", "card[number]=4242+4242+4242+4242", "test card 4242 4242 4242 4242"},
		{"/v1/customers", "source=tok_mastercard", "test card tok_mastercard"},
		{"/v1/payment_intents", "amount=500&currency=usd&confirm=true&payment_method=pm_card_amex", "test card pm_card_amex"},
		{"/v1/charges", "amount=2000&currency=usd&source=src_123", ""},
	}
	for _, c := range cases {
		postForm(t, ts, c.path, c.form)
		if r := nextReason(t, events); r != c.reason {
			t.Errorf("POST %s %s: reason %q, want %q", c.path, c.form, r, c.reason)
		}
	}
}
