package stripe_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"

	stripego "github.com/stripe/stripe-go/v82"

	"github.com/routedeck/routedeck/stripe"
)

// clientFor is Stripe's official Go client pointed at ts, with no retries
// (a retry would hide a bad answer).
func clientFor(ts *httptest.Server) *stripego.Client {
	backend := stripego.GetBackendWithConfig(stripego.APIBackend, &stripego.BackendConfig{
		URL:               stripego.String(ts.URL),
		HTTPClient:        ts.Client(),
		MaxNetworkRetries: stripego.Int64(0),
		LeveledLogger:     &stripego.LeveledLogger{Level: stripego.LevelNull},
	})
	return stripego.NewClient("sk_test_123", stripego.WithBackends(&stripego.Backends{
		API: backend, Connect: backend, Uploads: backend, MeterEvents: backend,
	}))
}

// stripeGoClient is Stripe's official Go client pointed at a server with
// the Stripe rules, with no retries (a retry would hide a bad answer).
func stripeGoClient(t *testing.T, opts stripe.Options) *stripego.Client {
	t.Helper()
	_, ts := newServer(t, opts)
	return clientFor(ts)
}

// The call stripe-go's own TestCheckoutSessionNew makes: it reads
// session.LineItems.Data[0], which panics unless line_items is expanded.
func TestStripeGoCheckoutSessionExpandLineItems(t *testing.T) {
	sc := stripeGoClient(t, stripe.Options{Strict: true})
	params := &stripego.CheckoutSessionCreateParams{
		CancelURL:         stripego.String("https://stripe.com/cancel"),
		ClientReferenceID: stripego.String("1234"),
		LineItems:         []*stripego.CheckoutSessionCreateLineItemParams{{Quantity: stripego.Int64(2)}},
		PaymentIntentData: &stripego.CheckoutSessionCreatePaymentIntentDataParams{
			Description: stripego.String("description"),
			Metadata:    map[string]string{"attr1": "val1"},
			Shipping: &stripego.ShippingDetailsParams{
				Address: &stripego.AddressParams{Line1: stripego.String("line1"), City: stripego.String("city")},
				Carrier: stripego.String("carrier"),
				Name:    stripego.String("name"),
			},
		},
		PaymentMethodTypes: stripego.StringSlice([]string{"card"}),
		SuccessURL:         stripego.String("https://stripe.com/success"),
	}
	params.AddExpand("line_items")
	s, err := sc.V1CheckoutSessions.Create(context.Background(), params)
	if err != nil {
		t.Fatal(err)
	}
	if s.LineItems == nil || len(s.LineItems.Data) == 0 || s.LineItems.Data[0].Object != "item" {
		t.Fatalf("line items: %+v", s.LineItems)
	}
}

func TestStripeGoRetrieveExpandCustomer(t *testing.T) {
	sc := stripeGoClient(t, stripe.Options{Strict: true})
	params := &stripego.PaymentIntentRetrieveParams{}
	params.AddExpand("customer")
	params.AddExpand("latest_charge")
	pi, err := sc.V1PaymentIntents.Retrieve(context.Background(), "pi_123", params)
	if err != nil {
		t.Fatal(err)
	}
	if pi.ID != "pi_123" || pi.Customer == nil || pi.Customer.Object != "customer" || pi.Customer.ID == "" {
		t.Fatalf("customer not expanded: %+v", pi.Customer)
	}
	if pi.LatestCharge == nil || pi.LatestCharge.Object != "charge" {
		t.Fatalf("latest_charge not expanded: %+v", pi.LatestCharge)
	}
}

func TestStripeGoListExpandDataCustomer(t *testing.T) {
	sc := stripeGoClient(t, stripe.Options{Strict: true})
	params := &stripego.ChargeListParams{}
	params.AddExpand("data.customer")
	n := 0
	for ch, err := range sc.V1Charges.List(context.Background(), params) {
		if err != nil {
			t.Fatal(err)
		}
		if ch.Customer == nil || ch.Customer.Object != "customer" {
			t.Fatalf("charge %s: customer not expanded: %+v", ch.ID, ch.Customer)
		}
		n++
	}
	if n == 0 {
		t.Fatal("no charges listed")
	}
}

func TestStripeGoMissingAmount(t *testing.T) {
	sc := stripeGoClient(t, stripe.Options{})
	_, err := sc.V1PaymentIntents.Create(context.Background(), &stripego.PaymentIntentCreateParams{
		Currency: stripego.String("usd"),
	})
	var se *stripego.Error
	if !errors.As(err, &se) {
		t.Fatalf("err %v (%T); want *stripe.Error", err, err)
	}
	if se.HTTPStatusCode != 400 || se.Code != stripego.ErrorCodeParameterMissing || se.Param != "amount" ||
		se.Msg != "Missing required param: amount." || se.Type != stripego.ErrorTypeInvalidRequest {
		t.Errorf("error %d %s %q %q %s", se.HTTPStatusCode, se.Code, se.Param, se.Msg, se.Type)
	}
}

func TestStripeGoStrictUnknownParameter(t *testing.T) {
	sc := stripeGoClient(t, stripe.Options{Strict: true})
	params := &stripego.CustomerCreateParams{Email: stripego.String("jenny@example.com")}
	params.AddExtra("nickname", "jj")
	_, err := sc.V1Customers.Create(context.Background(), params)
	var se *stripego.Error
	if !errors.As(err, &se) || se.Code != stripego.ErrorCodeParameterUnknown || se.Param != "nickname" ||
		se.Msg != "Received unknown parameter: nickname" {
		t.Fatalf("err %v; want parameter_unknown for nickname", err)
	}
	// The same request without --strict succeeds.
	lenient := stripeGoClient(t, stripe.Options{})
	c, err := lenient.V1Customers.Create(context.Background(), params)
	if err != nil || c.Email != "jenny@example.com" {
		t.Fatalf("lenient: %v %+v", err, c)
	}
}

// Parameters of the API version stripe-go v82 pins (2025-08-27.basil)
// that the current spec no longer lists are accepted, even with Strict:
// stripe-go's own suite sends them (TestPromotionCodeNew, TestAccountNew).
func TestStripeGoOlderAPIVersionParams(t *testing.T) {
	sc := stripeGoClient(t, stripe.Options{Strict: true})
	ctx := context.Background()
	pc, err := sc.V1PromotionCodes.Create(ctx, &stripego.PromotionCodeCreateParams{
		Code: stripego.String("MYCODE"), Coupon: stripego.String("co_123"), Customer: stripego.String("cus_123"),
	})
	if err != nil || pc.Object != "promotion_code" {
		t.Errorf("promotion code with coupon: %v", err)
	}
	acct, err := sc.V1Accounts.Create(ctx, &stripego.AccountCreateParams{
		Country:         stripego.String("CA"),
		ExternalAccount: &stripego.AccountExternalAccountParams{Token: stripego.String("tok_123")},
	})
	if err != nil || acct.Object != "account" {
		t.Errorf("account with an external_account hash: %v", err)
	}
	pm, err := sc.V1PaymentMethods.Create(ctx, &stripego.PaymentMethodCreateParams{
		Type: stripego.String("card"),
		Card: &stripego.PaymentMethodCreateCardParams{Token: stripego.String("tok_visa")},
	})
	if err != nil || pm.Object != "payment_method" {
		t.Errorf("payment method from a card token: %v", err)
	}
	sub, err := sc.V1Subscriptions.Create(ctx, &stripego.SubscriptionCreateParams{
		Customer: stripego.String("cus_123"),
		Items:    []*stripego.SubscriptionCreateItemParams{{Plan: stripego.String("plan_123")}},
	})
	if err != nil || sub.Object != "subscription" {
		t.Errorf("subscription with a plan: %v", err)
	}
}
