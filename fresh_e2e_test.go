//go:build unix

package main

import (
	"testing"

	stripego "github.com/stripe/stripe-go/v82"
)

// serveClient is a stripe-go client of a real `routedeck serve`.
func serveClient(t *testing.T) *stripego.Client {
	t.Helper()
	_, url, _ := startServe(t)
	backend := stripego.GetBackendWithConfig(stripego.APIBackend, &stripego.BackendConfig{
		URL:               stripego.String(url),
		MaxNetworkRetries: stripego.Int64(0),
		LeveledLogger:     &stripego.LeveledLogger{Level: stripego.LevelNull},
	})
	return stripego.NewClient("sk_test_123", stripego.WithBackends(&stripego.Backends{
		API: backend, Connect: backend, Uploads: backend, MeterEvents: backend,
	}))
}

// eventTypes lists the types of the event log, newest first.
func eventTypes(t *testing.T, sc *stripego.Client) []string {
	t.Helper()
	var types []string
	for ev, err := range sc.V1Events.List(t.Context(), &stripego.EventListParams{}) {
		if err != nil {
			t.Fatal(err)
		}
		types = append(types, string(ev.Type))
	}
	return types
}

// A created PaymentIntent looks as Stripe makes a new one: nothing has
// happened to it yet (no cancellation, error, next action, processing,
// transfer), and creating it raises only payment_intent.created.
func TestCreatedPaymentIntentIsFresh(t *testing.T) {
	sc := serveClient(t)
	pi, err := sc.V1PaymentIntents.Create(t.Context(), &stripego.PaymentIntentCreateParams{
		Amount: stripego.Int64(2000), Currency: stripego.String("usd"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if pi.Status != stripego.PaymentIntentStatusRequiresPaymentMethod || pi.Amount != 2000 {
		t.Fatalf("status %s amount %d", pi.Status, pi.Amount)
	}
	if pi.CanceledAt != 0 || pi.CancellationReason != "" || pi.LastPaymentError != nil || pi.NextAction != nil ||
		pi.Processing != nil || pi.TransferData != nil || pi.PaymentMethodConfigurationDetails != nil || pi.Review != nil ||
		pi.Shipping != nil || pi.LatestCharge != nil {
		t.Errorf("created intent carries what has not happened: canceled_at %d, last_payment_error %+v, next_action %+v, processing %+v, transfer_data %+v, payment_method_configuration_details %+v, shipping %+v",
			pi.CanceledAt, pi.LastPaymentError, pi.NextAction, pi.Processing, pi.TransferData, pi.PaymentMethodConfigurationDetails, pi.Shipping)
	}
	got, err := sc.V1PaymentIntents.Retrieve(t.Context(), pi.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.LastPaymentError != nil || got.NextAction != nil || got.CanceledAt != 0 {
		t.Errorf("stored intent carries what has not happened: %+v %+v %d", got.LastPaymentError, got.NextAction, got.CanceledAt)
	}
	if types := eventTypes(t, sc); len(types) != 1 || types[0] != "payment_intent.created" {
		t.Errorf("event log %v, want only payment_intent.created", types)
	}
}

// A created SetupIntent has no last_setup_error nor next_action, and
// raises only setup_intent.created.
func TestCreatedSetupIntentIsFresh(t *testing.T) {
	sc := serveClient(t)
	si, err := sc.V1SetupIntents.Create(t.Context(), &stripego.SetupIntentCreateParams{Usage: stripego.String("off_session")})
	if err != nil {
		t.Fatal(err)
	}
	if si.Status != stripego.SetupIntentStatusRequiresPaymentMethod {
		t.Fatalf("status %s", si.Status)
	}
	if si.LastSetupError != nil || si.NextAction != nil || si.PaymentMethodConfigurationDetails != nil {
		t.Errorf("created setup intent carries what has not happened: last_setup_error %+v, next_action %+v, payment_method_configuration_details %+v",
			si.LastSetupError, si.NextAction, si.PaymentMethodConfigurationDetails)
	}
	if types := eventTypes(t, sc); len(types) != 1 || types[0] != "setup_intent.created" {
		t.Errorf("event log %v, want only setup_intent.created", types)
	}
}
