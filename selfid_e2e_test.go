//go:build unix

package main

import (
	"strings"
	"testing"

	stripego "github.com/stripe/stripe-go/v82"
)

// What a created object says of itself names the id it was given: a
// PaymentIntent's or SetupIntent's client_secret begins with its id (as
// Stripe.js reads it), a charge's refunds url and a checkout session's url
// name the charge and the session, on the create and on a retrieve.
func TestCreatedObjectsNameTheirOwnID(t *testing.T) {
	sc := serveClient(t)
	ctx := t.Context()
	pi, err := sc.V1PaymentIntents.Create(ctx, &stripego.PaymentIntentCreateParams{Amount: stripego.Int64(2000), Currency: stripego.String("usd")})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(pi.ClientSecret, pi.ID+"_secret_") {
		t.Errorf("PaymentIntent %s has client_secret %s", pi.ID, pi.ClientSecret)
	}
	paid, err := sc.V1PaymentIntents.Create(ctx, &stripego.PaymentIntentCreateParams{
		Amount: stripego.Int64(900), Currency: stripego.String("usd"),
		PaymentMethod: stripego.String("pm_card_visa"), Confirm: stripego.Bool(true),
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := sc.V1PaymentIntents.Retrieve(ctx, paid.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != stripego.PaymentIntentStatusSucceeded || !strings.HasPrefix(got.ClientSecret, paid.ID+"_secret_") {
		t.Errorf("confirmed PaymentIntent %s: status %s, client_secret %s", paid.ID, got.Status, got.ClientSecret)
	}
	si, err := sc.V1SetupIntents.Create(ctx, &stripego.SetupIntentCreateParams{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(si.ClientSecret, si.ID+"_secret_") {
		t.Errorf("SetupIntent %s has client_secret %s", si.ID, si.ClientSecret)
	}
	ch, err := sc.V1Charges.Create(ctx, &stripego.ChargeCreateParams{Amount: stripego.Int64(500), Currency: stripego.String("usd"), Source: &stripego.PaymentSourceSourceParams{Token: stripego.String("tok_visa")}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []*stripego.Charge{ch, must(sc.V1Charges.Retrieve(ctx, ch.ID, nil))(t)} {
		if c.Refunds == nil || c.Refunds.URL != "/v1/charges/"+ch.ID+"/refunds" {
			t.Errorf("charge %s: refunds %+v", ch.ID, c.Refunds)
		}
	}
	cs, err := sc.V1CheckoutSessions.Create(ctx, &stripego.CheckoutSessionCreateParams{
		Mode: stripego.String("payment"), SuccessURL: stripego.String("https://example.com/ok"),
		LineItems: []*stripego.CheckoutSessionCreateLineItemParams{{Price: stripego.String("price_123"), Quantity: stripego.Int64(1)}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(cs.URL, "/"+cs.ID) {
		t.Errorf("checkout session %s has url %s", cs.ID, cs.URL)
	}
}

// must is v, failing t on err (for a call inside an expression).
func must[T any](v T, err error) func(*testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}
