package stripe_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	stripego "github.com/stripe/stripe-go/v82"

	"github.com/routedeck/routedeck/embed"
	"github.com/routedeck/routedeck/server"
	"github.com/routedeck/routedeck/store"
	"github.com/routedeck/routedeck/stripe"
)

// paymentsFlow is the server `routedeck serve` runs (rules, store, test
// cards) and stripe-go pointed at it.
func paymentsFlow(t *testing.T) (*stripego.Client, *httptest.Server) {
	t.Helper()
	return statefulServer(t, false, stripe.StateOptions{})
}

// statefulServer is the embedded catalog served as `serve` does (rules,
// store, test cards), with strict and sopts as given, and stripe-go
// pointed at it.
func statefulServer(t *testing.T, strict bool, sopts stripe.StateOptions) (*stripego.Client, *httptest.Server) {
	t.Helper()
	st, err := store.New(store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return statefulServerOn(t, st, strict, sopts)
}

// statefulServerOn is statefulServer keeping its objects in st.
func statefulServerOn(t *testing.T, st store.Store, strict bool, sopts stripe.StateOptions) (*stripego.Client, *httptest.Server) {
	t.Helper()
	cat, err := embeddedCatalog()
	if err != nil {
		t.Fatal(err)
	}
	rules := stripe.New(cat, embed.Stripe, stripe.Options{Objects: stripe.StoreObjects(st), Strict: strict})
	sopts.Strict = strict
	state := stripe.NewState(cat, rules, st, sopts)
	srv, err := server.New(cat, server.Options{Rules: rules, TestValues: state.Payments(),
		Keeper: state, Own: state.Own()})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() {
		ts.Close()
		srv.Close()
	})
	return clientFor(ts), ts
}

func createIntent(t *testing.T, sc *stripego.Client, pm, capture string) *stripego.PaymentIntent {
	t.Helper()
	p := &stripego.PaymentIntentCreateParams{Amount: stripego.Int64(2000), Currency: stripego.String("usd")}
	if pm != "" {
		p.PaymentMethod = stripego.String(pm)
	}
	if capture != "" {
		p.CaptureMethod = stripego.String(capture)
	}
	pi, err := sc.V1PaymentIntents.Create(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	return pi
}

// create → confirm → succeeded with the created amount, and the charge
// is kept.
func TestFlowPaymentIntentConfirmSucceeds(t *testing.T) {
	sc, _ := paymentsFlow(t)
	ctx := context.Background()
	pi := createIntent(t, sc, "pm_card_visa", "")
	pi, err := sc.V1PaymentIntents.Confirm(ctx, pi.ID, &stripego.PaymentIntentConfirmParams{})
	if err != nil {
		t.Fatal(err)
	}
	if pi.Status != stripego.PaymentIntentStatusSucceeded || pi.Amount != 2000 || pi.AmountReceived != 2000 || pi.LatestCharge == nil {
		t.Fatalf("status %q amount %d received %d latest_charge %v, want succeeded 2000/2000 with a charge", pi.Status, pi.Amount, pi.AmountReceived, pi.LatestCharge)
	}
	got, err := sc.V1PaymentIntents.Retrieve(ctx, pi.ID, nil)
	if err != nil || got.Status != stripego.PaymentIntentStatusSucceeded || got.AmountReceived != 2000 {
		t.Fatalf("retrieved %+v %v, want it succeeded", got, err)
	}
	ch, err := sc.V1Charges.Retrieve(ctx, pi.LatestCharge.ID, nil)
	if err != nil || ch.Status != "succeeded" || ch.Amount != 2000 || !ch.Captured || ch.PaymentIntent == nil || ch.PaymentIntent.ID != pi.ID {
		t.Fatalf("charge %+v %v, want the captured charge of the intent", ch, err)
	}
	if ch.BalanceTransaction == nil {
		t.Fatal("the charge has no balance transaction")
	}
	txn, err := sc.V1BalanceTransactions.Retrieve(ctx, ch.BalanceTransaction.ID, nil)
	if err != nil || txn.Amount != 2000 || txn.Fee != 88 || txn.Net != 1912 || txn.Type != "charge" || txn.Source == nil || txn.Source.ID != ch.ID {
		t.Fatalf("balance transaction %+v %v, want 2000 less 88 in fees", txn, err)
	}
	// Refusal: confirming it again.
	_, err = sc.V1PaymentIntents.Confirm(ctx, pi.ID, &stripego.PaymentIntentConfirmParams{})
	if se := stripeErrorOf(t, err); se.HTTPStatusCode != http.StatusBadRequest || se.Code != "payment_intent_unexpected_state" || se.PaymentIntent == nil {
		t.Fatalf("confirming a succeeded intent: %+v", se)
	}
}

// Manual capture: confirm → requires_capture → capture a part.
func TestFlowPaymentIntentManualCapture(t *testing.T) {
	sc, _ := paymentsFlow(t)
	ctx := context.Background()
	pi := createIntent(t, sc, "pm_card_mastercard", "manual")
	pi, err := sc.V1PaymentIntents.Confirm(ctx, pi.ID, &stripego.PaymentIntentConfirmParams{})
	if err != nil {
		t.Fatal(err)
	}
	if pi.Status != stripego.PaymentIntentStatusRequiresCapture || pi.AmountCapturable != 2000 || pi.AmountReceived != 0 {
		t.Fatalf("status %q capturable %d received %d, want requires_capture 2000/0", pi.Status, pi.AmountCapturable, pi.AmountReceived)
	}
	_, err = sc.V1PaymentIntents.Capture(ctx, pi.ID, &stripego.PaymentIntentCaptureParams{AmountToCapture: stripego.Int64(2500)})
	if se := stripeErrorOf(t, err); se.Code != "amount_too_large" {
		t.Fatalf("capturing more than capturable: %+v", se)
	}
	pi, err = sc.V1PaymentIntents.IncrementAuthorization(ctx, pi.ID, &stripego.PaymentIntentIncrementAuthorizationParams{Amount: stripego.Int64(2500)})
	if err != nil || pi.Amount != 2500 || pi.AmountCapturable != 2500 {
		t.Fatalf("increment authorization: %+v %v", pi, err)
	}
	pi, err = sc.V1PaymentIntents.Capture(ctx, pi.ID, &stripego.PaymentIntentCaptureParams{AmountToCapture: stripego.Int64(1500)})
	if err != nil {
		t.Fatal(err)
	}
	if pi.Status != stripego.PaymentIntentStatusSucceeded || pi.AmountReceived != 1500 || pi.AmountCapturable != 0 {
		t.Fatalf("status %q received %d capturable %d, want succeeded 1500/0", pi.Status, pi.AmountReceived, pi.AmountCapturable)
	}
	ch, err := sc.V1Charges.Retrieve(ctx, pi.LatestCharge.ID, nil)
	if err != nil || !ch.Captured || ch.AmountCaptured != 1500 || ch.AmountRefunded != 1000 {
		t.Fatalf("charge %+v %v, want captured 1500 with 1000 refunded", ch, err)
	}
	_, err = sc.V1PaymentIntents.Capture(ctx, pi.ID, nil)
	if se := stripeErrorOf(t, err); se.Code != "payment_intent_unexpected_state" {
		t.Fatalf("capturing a succeeded intent: %+v", se)
	}
	_, err = sc.V1PaymentIntents.Cancel(ctx, pi.ID, nil)
	if se := stripeErrorOf(t, err); se.Code != "payment_intent_unexpected_state" {
		t.Fatalf("canceling a succeeded intent: %+v", se)
	}
}

// A declining card leaves the stored intent in requires_payment_method
// with its last_payment_error, and the failed charge is kept with its
// outcome and failure_code; a canceled intent cannot be confirmed.
func TestFlowPaymentIntentDeclineThenCancel(t *testing.T) {
	sc, _ := paymentsFlow(t)
	ctx := context.Background()
	pi := createIntent(t, sc, "", "")
	_, err := sc.V1PaymentIntents.Confirm(ctx, pi.ID, &stripego.PaymentIntentConfirmParams{PaymentMethod: stripego.String("pm_card_chargeDeclinedInsufficientFunds")})
	se := stripeErrorOf(t, err)
	if se.HTTPStatusCode != 402 || se.DeclineCode != "insufficient_funds" || se.PaymentIntent == nil || se.PaymentIntent.Amount != 2000 || se.ChargeID == "" {
		t.Fatalf("decline %+v", se)
	}
	got, err := sc.V1PaymentIntents.Retrieve(ctx, pi.ID, nil)
	if err != nil || got.Status != stripego.PaymentIntentStatusRequiresPaymentMethod || got.LastPaymentError == nil || got.LastPaymentError.DeclineCode != "insufficient_funds" {
		t.Fatalf("stored intent %+v %v", got, err)
	}
	ch, err := sc.V1Charges.Retrieve(ctx, se.ChargeID, nil)
	if err != nil || ch.Status != "failed" || ch.FailureCode != "card_declined" || ch.Outcome == nil || ch.Outcome.Reason != "insufficient_funds" {
		t.Fatalf("failed charge %+v %v", ch, err)
	}
	// The decline can be retried with a good card.
	got, err = sc.V1PaymentIntents.Confirm(ctx, pi.ID, &stripego.PaymentIntentConfirmParams{PaymentMethod: stripego.String("pm_card_visa")})
	if err != nil || got.Status != stripego.PaymentIntentStatusSucceeded {
		t.Fatalf("retry with pm_card_visa: %+v %v", got, err)
	}
	other := createIntent(t, sc, "pm_card_visa", "")
	if c, err := sc.V1PaymentIntents.Cancel(ctx, other.ID, &stripego.PaymentIntentCancelParams{CancellationReason: stripego.String("abandoned")}); err != nil || c.Status != stripego.PaymentIntentStatusCanceled {
		t.Fatalf("cancel: %+v %v", c, err)
	}
	_, err = sc.V1PaymentIntents.Confirm(ctx, other.ID, &stripego.PaymentIntentConfirmParams{})
	if se := stripeErrorOf(t, err); se.Code != "payment_intent_unexpected_state" {
		t.Fatalf("confirming a canceled intent: %+v", se)
	}
}

// A 3-D Secure card leaves the stored intent in requires_action; the
// README's HTTP call completes it (succeeded) or fails it.
func TestFlowPaymentIntentRequiresAction(t *testing.T) {
	sc, ts := paymentsFlow(t)
	ctx := context.Background()
	pi := createIntent(t, sc, "pm_card_authenticationRequired", "")
	pi, err := sc.V1PaymentIntents.Confirm(ctx, pi.ID, nil)
	if err != nil || pi.Status != stripego.PaymentIntentStatusRequiresAction || pi.NextAction == nil {
		t.Fatalf("confirm: %+v %v", pi, err)
	}
	got, err := sc.V1PaymentIntents.Retrieve(ctx, pi.ID, nil)
	if err != nil || got.Status != stripego.PaymentIntentStatusRequiresAction || got.Amount != 2000 {
		t.Fatalf("stored intent %+v %v", got, err)
	}
	own := func(id, what string) int {
		res, err := ts.Client().Post(ts.URL+"/_routedeck/payment_intents/"+id+"/3ds/"+what, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if code := own(pi.ID, "complete"); code != 200 {
		t.Fatalf("completing 3-D Secure: %d", code)
	}
	got, err = sc.V1PaymentIntents.Retrieve(ctx, pi.ID, nil)
	if err != nil || got.Status != stripego.PaymentIntentStatusSucceeded || got.AmountReceived != 2000 || got.LatestCharge == nil {
		t.Fatalf("after 3-D Secure: %+v %v, want succeeded with 2000 received", got, err)
	}
	if code := own(pi.ID, "complete"); code != 400 {
		t.Errorf("completing a succeeded intent: %d, want 400", code)
	}
	other := createIntent(t, sc, "pm_card_threeDSecure2Required", "")
	if _, err := sc.V1PaymentIntents.Confirm(ctx, other.ID, nil); err != nil {
		t.Fatal(err)
	}
	if code := own(other.ID, "fail"); code != 200 {
		t.Fatalf("failing 3-D Secure: %d", code)
	}
	got, err = sc.V1PaymentIntents.Retrieve(ctx, other.ID, nil)
	if err != nil || got.Status != stripego.PaymentIntentStatusRequiresPaymentMethod || got.LastPaymentError == nil ||
		got.LastPaymentError.Code != "payment_intent_authentication_failure" {
		t.Fatalf("after failed 3-D Secure: %+v %v", got, err)
	}
	if code := own("pi_never", "complete"); code != 404 {
		t.Errorf("unknown intent: %d, want 404", code)
	}
}

// Created with confirm=true and a declining card, the intent is kept as
// the decline left it.
func TestFlowPaymentIntentCreateDeclinedIsKept(t *testing.T) {
	sc, _ := paymentsFlow(t)
	ctx := context.Background()
	_, err := sc.V1PaymentIntents.Create(ctx, &stripego.PaymentIntentCreateParams{Amount: stripego.Int64(700), Currency: stripego.String("usd"),
		Confirm: stripego.Bool(true), PaymentMethod: stripego.String("pm_card_chargeDeclinedLostCard")})
	se := stripeErrorOf(t, err)
	if se.PaymentIntent == nil {
		t.Fatalf("decline %+v", se)
	}
	got, err := sc.V1PaymentIntents.Retrieve(ctx, se.PaymentIntent.ID, nil)
	if err != nil || got.Status != stripego.PaymentIntentStatusRequiresPaymentMethod || got.Amount != 700 {
		t.Fatalf("kept intent %+v %v", got, err)
	}
}

// charge → partial refund → full refund, and the refusals on the way;
// an uncaptured charge captured in part refunds the rest.
func TestFlowChargeRefundsAndCapture(t *testing.T) {
	sc, _ := paymentsFlow(t)
	ctx := context.Background()
	ch, err := sc.V1Charges.Create(ctx, &stripego.ChargeCreateParams{Amount: stripego.Int64(2000), Currency: stripego.String("usd"),
		Source: &stripego.PaymentSourceSourceParams{Token: stripego.String("tok_visa")}})
	if err != nil {
		t.Fatal(err)
	}
	if !ch.Captured || ch.AmountCaptured != 2000 || ch.Refunded {
		t.Fatalf("charge %+v, want captured 2000", ch)
	}
	re, err := sc.V1Refunds.Create(ctx, &stripego.RefundCreateParams{Charge: stripego.String(ch.ID), Amount: stripego.Int64(500)})
	if err != nil || re.Amount != 500 || re.Charge == nil || re.Charge.ID != ch.ID {
		t.Fatalf("partial refund %+v %v", re, err)
	}
	got, err := sc.V1Charges.Retrieve(ctx, ch.ID, nil)
	if err != nil || got.AmountRefunded != 500 || got.Refunded {
		t.Fatalf("after a partial refund: %+v %v", got, err)
	}
	_, err = sc.V1Refunds.Create(ctx, &stripego.RefundCreateParams{Charge: stripego.String(ch.ID), Amount: stripego.Int64(1600)})
	if se := stripeErrorOf(t, err); se.Code != "amount_too_large" {
		t.Fatalf("refunding more than remains: %+v", se)
	}
	re, err = sc.V1Refunds.Create(ctx, &stripego.RefundCreateParams{Charge: stripego.String(ch.ID)})
	if err != nil || re.Amount != 1500 {
		t.Fatalf("refunding the rest: %+v %v", re, err)
	}
	got, err = sc.V1Charges.Retrieve(ctx, ch.ID, nil)
	if err != nil || got.AmountRefunded != 2000 || !got.Refunded {
		t.Fatalf("after a full refund: %+v %v", got, err)
	}
	_, err = sc.V1Refunds.Create(ctx, &stripego.RefundCreateParams{Charge: stripego.String(ch.ID)})
	if se := stripeErrorOf(t, err); se.Code != "charge_already_refunded" {
		t.Fatalf("refunding a refunded charge: %+v", se)
	}

	auth, err := sc.V1Charges.Create(ctx, &stripego.ChargeCreateParams{Amount: stripego.Int64(2000), Currency: stripego.String("usd"),
		Capture: stripego.Bool(false), Source: &stripego.PaymentSourceSourceParams{Token: stripego.String("tok_mastercard")}})
	if err != nil || auth.Captured {
		t.Fatalf("uncaptured charge %+v %v", auth, err)
	}
	auth, err = sc.V1Charges.Capture(ctx, auth.ID, &stripego.ChargeCaptureParams{Amount: stripego.Int64(1500)})
	if err != nil || !auth.Captured || auth.AmountCaptured != 1500 || auth.AmountRefunded != 500 {
		t.Fatalf("partial capture %+v %v", auth, err)
	}
	_, err = sc.V1Charges.Capture(ctx, auth.ID, nil)
	if se := stripeErrorOf(t, err); se.Code != "charge_already_captured" {
		t.Fatalf("capturing a captured charge: %+v", se)
	}
}

// SetupIntent: confirm → succeeded (the PaymentMethod attached to the
// customer), a declining card → 402 with the SetupIntent embedded, a
// 3-D Secure card → requires_action, cancel, and the refusals.
func TestFlowSetupIntent(t *testing.T) {
	sc, _ := paymentsFlow(t)
	ctx := context.Background()
	cus, err := sc.V1Customers.Create(ctx, &stripego.CustomerCreateParams{Email: stripego.String("jenny@example.com")})
	if err != nil {
		t.Fatal(err)
	}
	pm, err := sc.V1PaymentMethods.Create(ctx, &stripego.PaymentMethodCreateParams{Type: stripego.String("card"),
		Card: &stripego.PaymentMethodCreateCardParams{Number: stripego.String("4242424242424242"), ExpMonth: stripego.Int64(12), ExpYear: stripego.Int64(2034)}})
	if err != nil {
		t.Fatal(err)
	}
	newSI := func() *stripego.SetupIntent {
		si, err := sc.V1SetupIntents.Create(ctx, &stripego.SetupIntentCreateParams{Customer: stripego.String(cus.ID)})
		if err != nil {
			t.Fatal(err)
		}
		return si
	}
	si := newSI()
	si, err = sc.V1SetupIntents.Confirm(ctx, si.ID, &stripego.SetupIntentConfirmParams{PaymentMethod: stripego.String(pm.ID)})
	if err != nil || si.Status != stripego.SetupIntentStatusSucceeded || si.PaymentMethod == nil || si.PaymentMethod.ID != pm.ID {
		t.Fatalf("confirm: %+v %v", si, err)
	}
	got, err := sc.V1PaymentMethods.Retrieve(ctx, pm.ID, nil)
	if err != nil || got.Customer == nil || got.Customer.ID != cus.ID {
		t.Fatalf("payment method after setup: %+v %v, want attached to %s", got, err, cus.ID)
	}
	_, err = sc.V1SetupIntents.Confirm(ctx, si.ID, nil)
	if se := stripeErrorOf(t, err); se.Code != "setup_intent_unexpected_state" || se.SetupIntent == nil {
		t.Fatalf("confirming a succeeded SetupIntent: %+v", se)
	}

	declining := newSI()
	_, err = sc.V1SetupIntents.Confirm(ctx, declining.ID, &stripego.SetupIntentConfirmParams{PaymentMethod: stripego.String("pm_card_chargeDeclined")})
	se := stripeErrorOf(t, err)
	if se.HTTPStatusCode != 402 || se.DeclineCode != "generic_decline" || se.SetupIntent == nil || se.SetupIntent.LastSetupError == nil {
		t.Fatalf("decline: %+v", se)
	}
	if got, err := sc.V1SetupIntents.Retrieve(ctx, declining.ID, nil); err != nil || got.Status != stripego.SetupIntentStatusRequiresPaymentMethod {
		t.Fatalf("stored after decline: %+v %v", got, err)
	}
	threeDS := newSI()
	if got, err := sc.V1SetupIntents.Confirm(ctx, threeDS.ID, &stripego.SetupIntentConfirmParams{PaymentMethod: stripego.String("pm_card_authenticationRequired")}); err != nil || got.Status != stripego.SetupIntentStatusRequiresAction {
		t.Fatalf("3-D Secure: %+v %v", got, err)
	}
	if got, err := sc.V1SetupIntents.Cancel(ctx, threeDS.ID, nil); err != nil || got.Status != stripego.SetupIntentStatusCanceled {
		t.Fatalf("cancel: %+v %v", got, err)
	}
	_, err = sc.V1SetupIntents.Cancel(ctx, threeDS.ID, nil)
	if se := stripeErrorOf(t, err); se.Code != "setup_intent_unexpected_state" {
		t.Fatalf("canceling a canceled SetupIntent: %+v", se)
	}
}

// Created with a payment method and not confirmed, an intent waits in
// requires_confirmation; a PaymentMethod attached then detached belongs
// to no customer.
func TestFlowRequiresConfirmationAndDetach(t *testing.T) {
	sc, _ := paymentsFlow(t)
	ctx := context.Background()
	pi := createIntent(t, sc, "pm_card_visa", "")
	if pi.Status != stripego.PaymentIntentStatusRequiresConfirmation {
		t.Fatalf("created with a payment method: %q, want requires_confirmation", pi.Status)
	}
	if bare := createIntent(t, sc, "", ""); bare.Status != stripego.PaymentIntentStatusRequiresPaymentMethod {
		t.Fatalf("created without one: %q", bare.Status)
	}
	pm, err := sc.V1PaymentMethods.Create(ctx, &stripego.PaymentMethodCreateParams{Type: stripego.String("card"),
		Card: &stripego.PaymentMethodCreateCardParams{Number: stripego.String("4242424242424242"), ExpMonth: stripego.Int64(12), ExpYear: stripego.Int64(2034)}})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := sc.V1PaymentMethods.Attach(ctx, pm.ID, &stripego.PaymentMethodAttachParams{Customer: stripego.String("cus_A")}); err != nil || got.Customer == nil || got.Customer.ID != "cus_A" {
		t.Fatalf("attach: %+v %v", got, err)
	}
	if got, err := sc.V1PaymentMethods.Detach(ctx, pm.ID, nil); err != nil || got.Customer != nil {
		t.Fatalf("detach: %+v %v", got, err)
	}
	if got, err := sc.V1PaymentMethods.Retrieve(ctx, pm.ID, nil); err != nil || got.Customer != nil {
		t.Fatalf("retrieved after detach: %+v %v", got, err)
	}
}
