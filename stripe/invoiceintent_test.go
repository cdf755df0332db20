package stripe_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	stripego "github.com/stripe/stripe-go/v82"

	"github.com/routedeck/routedeck/stripe"
)

// eventsServer is eventsFlow with the test server, for routedeck's own
// endpoints.
func eventsServer(t *testing.T) (*stripego.Client, *raised, string, *http.Client) {
	t.Helper()
	got := &raised{}
	sc, ts := statefulServer(t, false, stripe.StateOptions{Events: got.add})
	return sc, got, ts.URL, ts.Client()
}

// invoiceIntent is the PaymentIntent an invoice's payments name.
func invoiceIntent(t *testing.T, sc *stripego.Client, inv *stripego.Invoice) *stripego.PaymentIntent {
	t.Helper()
	if inv.Payments == nil || len(inv.Payments.Data) != 1 || inv.Payments.Data[0].Payment == nil || inv.Payments.Data[0].Payment.PaymentIntent == nil {
		t.Fatalf("invoice %s names no PaymentIntent in its payments: %+v", inv.ID, inv.Payments)
	}
	pi, err := sc.V1PaymentIntents.Retrieve(context.Background(), inv.Payments.Data[0].Payment.PaymentIntent.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	return pi
}

// eventOf is the last event of type typ, nil if none.
func eventOf(got *raised, typ string) map[string]any {
	_, events := got.since(0)
	for i := len(events) - 1; i >= 0; i-- {
		if events[i].Type == typ {
			b, _ := json.Marshal(events[i])
			var m map[string]any
			_ = json.Unmarshal(b, &m)
			return m
		}
	}
	return nil
}

// Finalizing an invoice that owes something creates its PaymentIntent
// (amount due, customer, the client secret in confirmation_secret); a
// declined payment is a 402 with the PaymentIntent embedded, the invoice
// stays open with its attempt counted and invoice.payment_failed is
// raised; paying with a good card confirms the same PaymentIntent.
func TestFlowInvoicePaymentIntent(t *testing.T) {
	sc, got := eventsFlow(t)
	ctx := context.Background()
	c := customerPaying(t, sc, "pm_card_visa")
	inv := draftInvoice(t, sc, c.ID)
	inv, err := sc.V1Invoices.FinalizeInvoice(ctx, inv.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	pi := invoiceIntent(t, sc, inv)
	if pi.Amount != 1000 || pi.Currency != "usd" || pi.Customer == nil || pi.Customer.ID != c.ID || pi.Status != stripego.PaymentIntentStatusRequiresPaymentMethod {
		t.Fatalf("the invoice's PaymentIntent: %+v, want 1000 usd for %s waiting for a payment method", pi, c.ID)
	}
	if inv.ConfirmationSecret == nil || inv.ConfirmationSecret.ClientSecret != pi.ClientSecret || pi.ClientSecret == "" {
		t.Fatalf("confirmation_secret %+v, want the PaymentIntent's client secret %q", inv.ConfirmationSecret, pi.ClientSecret)
	}

	from := got.len()
	_, err = sc.V1Invoices.Pay(ctx, inv.ID, &stripego.InvoicePayParams{PaymentMethod: stripego.String("pm_card_chargeDeclinedInsufficientFunds")})
	se := stripeErrorOf(t, err)
	if se.HTTPStatusCode != http.StatusPaymentRequired || se.DeclineCode != "insufficient_funds" || se.PaymentIntent == nil || se.PaymentIntent.ID != pi.ID ||
		se.PaymentIntent.Status != stripego.PaymentIntentStatusRequiresPaymentMethod {
		t.Fatalf("a declined payment: %+v", se)
	}
	after, err := sc.V1Invoices.Retrieve(ctx, inv.ID, nil)
	if err != nil || after.Status != stripego.InvoiceStatusOpen || after.AttemptCount != 1 || !after.Attempted {
		t.Fatalf("after the decline: %+v %v, want open after one attempt", after, err)
	}
	types, _ := got.since(from)
	if want := []string{"charge.failed", "payment_intent.payment_failed", "invoice.payment_failed"}; !slices.Equal(types, want) {
		t.Errorf("a declined invoice payment raised %v; want %v", types, want)
	}
	if ev := eventOf(got, "invoice.payment_failed"); ev == nil || ev["data"].(map[string]any)["previous_attributes"].(map[string]any)["attempt_count"] != 0.0 {
		t.Errorf("invoice.payment_failed %v, want previous_attributes.attempt_count 0", ev)
	}

	paid, err := sc.V1Invoices.Pay(ctx, inv.ID, &stripego.InvoicePayParams{PaymentMethod: stripego.String("pm_card_visa")})
	if err != nil || paid.Status != stripego.InvoiceStatusPaid || paid.AmountPaid != 1000 || paid.AttemptCount != 2 || paid.StatusTransitions.PaidAt == 0 {
		t.Fatalf("paying with pm_card_visa: %+v %v", paid, err)
	}
	pi, err = sc.V1PaymentIntents.Retrieve(ctx, pi.ID, nil)
	if err != nil || pi.Status != stripego.PaymentIntentStatusSucceeded || pi.AmountReceived != 1000 || pi.LatestCharge == nil {
		t.Fatalf("the invoice's PaymentIntent after paying: %+v %v", pi, err)
	}
	ch, err := sc.V1Charges.Retrieve(ctx, pi.LatestCharge.ID, nil)
	if err != nil || ch.Status != "succeeded" || ch.Amount != 1000 || ch.Customer == nil || ch.Customer.ID != c.ID {
		t.Fatalf("the charge: %+v %v", ch, err)
	}
	if paid.Payments == nil || len(paid.Payments.Data) != 1 || paid.Payments.Data[0].Status != "paid" || paid.Payments.Data[0].AmountPaid != 1000 {
		t.Fatalf("the invoice's payment after paying: %+v", paid.Payments)
	}
}

// A subscription left incomplete by a declined first payment becomes
// active when its first invoice is paid, by paying the invoice or by the
// app confirming the invoice's PaymentIntent (its confirmation_secret),
// and customer.subscription.updated says it was incomplete.
func TestFlowSubscriptionIncompleteThenActive(t *testing.T) {
	sc, got := eventsFlow(t)
	ctx := context.Background()
	price := monthlyPrice(t, sc, 1500)

	t.Run("pay the invoice", func(t *testing.T) {
		c := customerPaying(t, sc, "pm_card_chargeCustomerFail")
		from := got.len()
		s := subscribe(t, sc, c.ID, price.ID, 1, 0)
		if s.Status != stripego.SubscriptionStatusIncomplete {
			t.Fatalf("with a declining default card: %s, want incomplete", s.Status)
		}
		types, _ := got.since(from)
		if !slices.Contains(types, "invoice.payment_failed") || !slices.Contains(types, "payment_intent.payment_failed") || !slices.Contains(types, "invoice.created") {
			t.Errorf("creating an incomplete subscription raised %v; want invoice.created, payment_intent.payment_failed, invoice.payment_failed", types)
		}
		from = got.len()
		if _, err := sc.V1Invoices.Pay(ctx, s.LatestInvoice.ID, &stripego.InvoicePayParams{PaymentMethod: stripego.String("pm_card_visa")}); err != nil {
			t.Fatal(err)
		}
		s, err := sc.V1Subscriptions.Retrieve(ctx, s.ID, nil)
		if err != nil || s.Status != stripego.SubscriptionStatusActive {
			t.Fatalf("after paying its invoice: %+v %v, want active", s, err)
		}
		types, _ = got.since(from)
		if !slices.Contains(types, "customer.subscription.updated") || !slices.Contains(types, "invoice.paid") {
			t.Errorf("paying raised %v; want invoice.paid and customer.subscription.updated", types)
		}
		ev := eventOf(got, "customer.subscription.updated")
		data := ev["data"].(map[string]any)
		if data["object"].(map[string]any)["status"] != "active" || data["previous_attributes"].(map[string]any)["status"] != "incomplete" {
			t.Errorf("customer.subscription.updated %v, want active, previously incomplete", data)
		}
	})

	t.Run("confirm its PaymentIntent", func(t *testing.T) {
		c, err := sc.V1Customers.Create(ctx, &stripego.CustomerCreateParams{})
		if err != nil {
			t.Fatal(err)
		}
		p := &stripego.SubscriptionCreateParams{Customer: stripego.String(c.ID), PaymentBehavior: stripego.String("default_incomplete"),
			Items: []*stripego.SubscriptionCreateItemParams{{Price: stripego.String(price.ID)}}}
		p.AddExpand("latest_invoice")
		s, err := sc.V1Subscriptions.Create(ctx, p)
		if err != nil || s.Status != stripego.SubscriptionStatusIncomplete {
			t.Fatalf("default_incomplete: %+v %v", s, err)
		}
		inv, err := sc.V1Invoices.Retrieve(ctx, s.LatestInvoice.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		pi := invoiceIntent(t, sc, inv)
		if pi.Amount != 1500 {
			t.Fatalf("the first invoice's PaymentIntent: %d, want 1500", pi.Amount)
		}
		if _, err := sc.V1PaymentIntents.Confirm(ctx, pi.ID, &stripego.PaymentIntentConfirmParams{PaymentMethod: stripego.String("pm_card_chargeDeclined")}); err == nil {
			t.Fatal("confirming with pm_card_chargeDeclined succeeded")
		}
		if inv, err = sc.V1Invoices.Retrieve(ctx, inv.ID, nil); err != nil || inv.Status != stripego.InvoiceStatusOpen || inv.AttemptCount != 1 {
			t.Fatalf("after a declined confirm: %+v %v, want open after one attempt", inv, err)
		}
		if _, err := sc.V1PaymentIntents.Confirm(ctx, pi.ID, &stripego.PaymentIntentConfirmParams{PaymentMethod: stripego.String("pm_card_visa")}); err != nil {
			t.Fatal(err)
		}
		if inv, err = sc.V1Invoices.Retrieve(ctx, inv.ID, nil); err != nil || inv.Status != stripego.InvoiceStatusPaid {
			t.Fatalf("after confirming its PaymentIntent: %+v %v, want paid", inv, err)
		}
		if s, err = sc.V1Subscriptions.Retrieve(ctx, s.ID, nil); err != nil || s.Status != stripego.SubscriptionStatusActive {
			t.Fatalf("after confirming its PaymentIntent: %+v %v, want active", s, err)
		}
	})
}

// A 3-D Secure card leaves the first invoice's PaymentIntent in
// requires_action (the subscription incomplete); completing it by
// routedeck's own call pays the invoice and makes the subscription active,
// with the events a request would raise.
func TestFlowSubscription3DSThenActive(t *testing.T) {
	sc, got, url, client := eventsServer(t)
	ctx := context.Background()
	price := monthlyPrice(t, sc, 900)
	c := customerPaying(t, sc, "pm_card_authenticationRequired")
	s := subscribe(t, sc, c.ID, price.ID, 1, 0)
	if s.Status != stripego.SubscriptionStatusIncomplete {
		t.Fatalf("with a 3-D Secure card: %s, want incomplete", s.Status)
	}
	inv, err := sc.V1Invoices.Retrieve(ctx, s.LatestInvoice.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	pi := invoiceIntent(t, sc, inv)
	if pi.Status != stripego.PaymentIntentStatusRequiresAction {
		t.Fatalf("the invoice's PaymentIntent: %s, want requires_action", pi.Status)
	}
	if ev := eventOf(got, "invoice.payment_action_required"); ev == nil {
		t.Error("no invoice.payment_action_required")
	}
	from := got.len()
	res, err := client.Post(url+"/_routedeck/payment_intents/"+pi.ID+"/3ds/complete", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("completing 3-D Secure: %d", res.StatusCode)
	}
	if s, err = sc.V1Subscriptions.Retrieve(ctx, s.ID, nil); err != nil || s.Status != stripego.SubscriptionStatusActive {
		t.Fatalf("after 3-D Secure: %+v %v, want active", s, err)
	}
	types, _ := got.since(from)
	if want := []string{"charge.succeeded", "payment_intent.succeeded", "invoice.paid", "invoice.payment_succeeded", "customer.subscription.updated"}; !slices.Equal(types, want) {
		t.Errorf("completing 3-D Secure raised %v; want %v", types, want)
	}
}

// Stripe's subscription guide creates the subscription with
// expand[]=latest_invoice.confirmation_secret and hands the client secret
// to Stripe.js: accepted with --strict too, and the secret is the first
// invoice's PaymentIntent's.
func TestStrictExpandConfirmationSecret(t *testing.T) {
	sc, _ := statefulServer(t, true, stripe.StateOptions{})
	ctx := context.Background()
	price := monthlyPrice(t, sc, 1100)
	c, err := sc.V1Customers.Create(ctx, &stripego.CustomerCreateParams{})
	if err != nil {
		t.Fatal(err)
	}
	p := &stripego.SubscriptionCreateParams{Customer: stripego.String(c.ID), PaymentBehavior: stripego.String("default_incomplete"),
		Items: []*stripego.SubscriptionCreateItemParams{{Price: stripego.String(price.ID)}}}
	p.AddExpand("latest_invoice.confirmation_secret")
	s, err := sc.V1Subscriptions.Create(ctx, p)
	if err != nil {
		t.Fatalf("expand[]=latest_invoice.confirmation_secret with --strict: %v", err)
	}
	if s.LatestInvoice == nil || s.LatestInvoice.ConfirmationSecret == nil {
		t.Fatalf("latest_invoice %+v, want its confirmation_secret", s.LatestInvoice)
	}
	pi := invoiceIntent(t, sc, s.LatestInvoice)
	if s.LatestInvoice.ConfirmationSecret.ClientSecret != pi.ClientSecret || pi.Amount != 1100 {
		t.Fatalf("confirmation_secret %q, PaymentIntent %s (%d) with %q", s.LatestInvoice.ConfirmationSecret.ClientSecret, pi.ID, pi.Amount, pi.ClientSecret)
	}
	p2 := &stripego.InvoiceRetrieveParams{}
	p2.AddExpand("confirmation_secret.nope")
	if _, err := sc.V1Invoices.Retrieve(ctx, s.LatestInvoice.ID, p2); err == nil {
		t.Fatal("expand[]=confirmation_secret.nope accepted with --strict")
	}
}

// Voiding an open invoice cancels its PaymentIntent (void_invoice), as
// Stripe does, so the app cannot confirm it any more.
func TestFlowInvoiceVoidCancelsIntent(t *testing.T) {
	sc, got := eventsFlow(t)
	ctx := context.Background()
	c := customerPaying(t, sc, "pm_card_visa")
	inv, err := sc.V1Invoices.FinalizeInvoice(ctx, draftInvoice(t, sc, c.ID).ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	pi := invoiceIntent(t, sc, inv)
	from := got.len()
	if _, err := sc.V1Invoices.VoidInvoice(ctx, inv.ID, nil); err != nil {
		t.Fatal(err)
	}
	types, _ := got.since(from)
	if want := []string{"invoice.voided", "payment_intent.canceled"}; !slices.Equal(types, want) {
		t.Errorf("voiding raised %v; want %v", types, want)
	}
	if pi, err = sc.V1PaymentIntents.Retrieve(ctx, pi.ID, nil); err != nil || pi.Status != stripego.PaymentIntentStatusCanceled ||
		pi.CancellationReason != stripego.PaymentIntentCancellationReasonVoidInvoice {
		t.Fatalf("the voided invoice's PaymentIntent %+v %v, want canceled (void_invoice)", pi, err)
	}
	_, err = sc.V1PaymentIntents.Confirm(ctx, pi.ID, &stripego.PaymentIntentConfirmParams{PaymentMethod: stripego.String("pm_card_visa")})
	if se := stripeErrorOf(t, err); se.Code != "payment_intent_unexpected_state" {
		t.Fatalf("confirming it: %+v", se)
	}
}
