package stripe_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	stripego "github.com/stripe/stripe-go/v82"

	"github.com/routedeck/routedeck/internal/webhooktest"
	"github.com/routedeck/routedeck/store"
	"github.com/routedeck/routedeck/stripe"
	"github.com/routedeck/routedeck/webhook"
)

// webhookFlow serves the Stripe catalog with its store, an endpoint
// registry and a Sender, as `routedeck serve` does.
func webhookFlow(t *testing.T) *stripego.Client {
	t.Helper()
	st, err := store.New(store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	reg := webhook.NewRegistry()
	sender := webhook.NewSender(reg, webhook.Options{})
	t.Cleanup(sender.Close) // after the server, which statefulServerOn closes first
	sc, _ := statefulServerOn(t, st, false, stripe.StateOptions{Endpoints: reg, Events: func(e webhook.Event) { sender.Send(e) }})
	return sc
}

// registerReceiver starts a receiver and registers it through the API.
func registerReceiver(t *testing.T, sc *stripego.Client, events ...string) (*webhooktest.Receiver, *stripego.WebhookEndpoint) {
	t.Helper()
	rc := webhooktest.New("", false)
	hs := httptest.NewServer(rc)
	t.Cleanup(hs.Close)
	we, err := sc.V1WebhookEndpoints.Create(context.Background(), &stripego.WebhookEndpointCreateParams{
		URL: stripego.String(hs.URL + "/webhook"), EnabledEvents: stripego.StringSlice(events)})
	if err != nil {
		t.Fatal(err)
	}
	if len(we.Secret) < len("whsec_")+8 || we.Secret[:6] != "whsec_" || we.Status != "enabled" {
		t.Fatalf("created endpoint %+v: want a whsec_ secret, enabled", we)
	}
	rc.SetSecret(we.Secret)
	return rc, we
}

// The flow an app's checkout runs: each step's events reach the handler,
// signed so that stripe-go accepts them.
func TestWebhookFlowPaymentIntent(t *testing.T) {
	sc := webhookFlow(t)
	ctx := context.Background()
	rc, _ := registerReceiver(t, sc, "*")

	c, err := sc.V1Customers.Create(ctx, &stripego.CustomerCreateParams{Email: stripego.String("ada@example.com")})
	if err != nil {
		t.Fatal(err)
	}
	if got := rc.Wait(t, 1); !slices.Equal(got, []string{"customer.created"}) {
		t.Fatalf("after the customer: %v", got)
	}
	pi, err := sc.V1PaymentIntents.Create(ctx, &stripego.PaymentIntentCreateParams{Amount: stripego.Int64(2000), Currency: stripego.String("usd"),
		Customer: stripego.String(c.ID), PaymentMethod: stripego.String("pm_card_visa")})
	if err != nil {
		t.Fatal(err)
	}
	if got := rc.Wait(t, 2); !slices.Equal(got[1:], []string{"payment_intent.created"}) {
		t.Fatalf("after the PaymentIntent: %v", got)
	}
	if _, err := sc.V1PaymentIntents.Confirm(ctx, pi.ID, nil); err != nil {
		t.Fatal(err)
	}
	got := rc.Wait(t, 4)
	// One endpoint gets its events in the order they happened.
	if want := []string{"customer.created", "payment_intent.created", "charge.succeeded", "payment_intent.succeeded"}; !slices.Equal(got, want) {
		t.Fatalf("delivered %v; want %v", got, want)
	}
	var logged []string
	for ev, err := range sc.V1Events.List(ctx, &stripego.EventListParams{}) {
		if err != nil {
			t.Fatal(err)
		}
		logged = append(logged, string(ev.Type))
		if ev.PendingWebhooks != 1 {
			t.Errorf("%s: pending_webhooks %d; want 1 (the one endpoint)", ev.Type, ev.PendingWebhooks)
		}
	}
	if want := []string{"payment_intent.succeeded", "charge.succeeded", "payment_intent.created", "customer.created"}; !slices.Equal(logged, want) {
		t.Fatalf("GET /v1/events = %v; want newest first %v", logged, want)
	}
}

// Without waiting between requests, one endpoint still gets every
// request's events in the order they happened: customer.created,
// payment_intent.created, charge.succeeded, payment_intent.succeeded, per
// checkout. Run it with -race -count=20 to see the order hold.
func TestWebhookFlowInOrder(t *testing.T) {
	sc := webhookFlow(t)
	ctx := context.Background()
	rc, _ := registerReceiver(t, sc, "*")
	const rounds = 5
	var want []string
	for range rounds {
		c, err := sc.V1Customers.Create(ctx, &stripego.CustomerCreateParams{Email: stripego.String("ada@example.com")})
		if err != nil {
			t.Fatal(err)
		}
		pi, err := sc.V1PaymentIntents.Create(ctx, &stripego.PaymentIntentCreateParams{Amount: stripego.Int64(2000), Currency: stripego.String("usd"),
			Customer: stripego.String(c.ID), PaymentMethod: stripego.String("pm_card_visa"), Confirm: stripego.Bool(false)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := sc.V1PaymentIntents.Confirm(ctx, pi.ID, nil); err != nil {
			t.Fatal(err)
		}
		want = append(want, "customer.created", "payment_intent.created", "charge.succeeded", "payment_intent.succeeded")
	}
	if got := rc.Wait(t, len(want)); !slices.Equal(got, want) {
		t.Fatalf("delivered\n %v\nwant\n %v", got, want)
	}
}

func TestWebhookFlowDecline(t *testing.T) {
	sc := webhookFlow(t)
	ctx := context.Background()
	rc, _ := registerReceiver(t, sc, "payment_intent.payment_failed", "charge.failed")
	pi, err := sc.V1PaymentIntents.Create(ctx, &stripego.PaymentIntentCreateParams{Amount: stripego.Int64(2000), Currency: stripego.String("usd"),
		PaymentMethod: stripego.String("pm_card_chargeDeclined")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sc.V1PaymentIntents.Confirm(ctx, pi.ID, nil); err == nil {
		t.Fatal("confirm with pm_card_chargeDeclined: want a 402")
	}
	got := rc.Wait(t, 2)
	if want := []string{"charge.failed", "payment_intent.payment_failed"}; !slices.Equal(got, want) {
		t.Fatalf("delivered %v; want %v (and not payment_intent.created, which it does not listen for)", got, want)
	}
}

func TestWebhookEndpointsAPI(t *testing.T) {
	sc := webhookFlow(t)
	ctx := context.Background()
	rc, we := registerReceiver(t, sc, "customer.created")
	got, err := sc.V1WebhookEndpoints.Retrieve(ctx, we.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.URL != we.URL || got.Secret != "" || !slices.Equal(got.EnabledEvents, []string{"customer.created"}) {
		t.Fatalf("retrieve = %+v; want the endpoint without its secret", got)
	}
	n := 0
	for e, err := range sc.V1WebhookEndpoints.List(ctx, &stripego.WebhookEndpointListParams{}) {
		if err != nil {
			t.Fatal(err)
		}
		if e.ID == we.ID {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("list holds the endpoint %d times", n)
	}
	// Disabled: it gets nothing; enabled again: it does.
	up, err := sc.V1WebhookEndpoints.Update(ctx, we.ID, &stripego.WebhookEndpointUpdateParams{Disabled: stripego.Bool(true)})
	if err != nil || up.Status != "disabled" {
		t.Fatalf("disable: %v %+v", err, up)
	}
	if _, err := sc.V1Customers.Create(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := sc.V1WebhookEndpoints.Update(ctx, we.ID, &stripego.WebhookEndpointUpdateParams{Disabled: stripego.Bool(false)}); err != nil {
		t.Fatal(err)
	}
	if _, err := sc.V1Customers.Create(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if got := rc.Wait(t, 1); len(got) != 1 {
		t.Fatalf("delivered %v; want one customer.created (none while disabled)", got)
	}
	time.Sleep(50 * time.Millisecond)
	if got := rc.Wait(t, 1); len(got) != 1 {
		t.Fatalf("delivered %v after a while; want one", got)
	}
	del, err := sc.V1WebhookEndpoints.Delete(ctx, we.ID, nil)
	if err != nil || !del.Deleted {
		t.Fatalf("delete: %v %+v", err, del)
	}
	// Gone from the registry, the id is answered as any id never stored
	// (the catalog's endpoint, the id echoed; a 404 with --strict).
	if got, err := sc.V1WebhookEndpoints.Retrieve(ctx, we.ID, nil); err != nil || got.ID != we.ID || got.URL == we.URL {
		t.Fatalf("retrieve after delete = %+v, %v; want the catalog's endpoint, not the deleted one", got, err)
	}
	if _, err := sc.V1WebhookEndpoints.Create(ctx, &stripego.WebhookEndpointCreateParams{URL: stripego.String("ftp://x"),
		EnabledEvents: stripego.StringSlice([]string{"*"})}); err == nil {
		t.Fatal("an ftp URL: want a 400")
	}
}

// A confirm switched to its error variant (the TUI's toggle, --set, or
// Prefer: example=error) stores the decline and sends its events.
func TestWebhookConfirmErrorVariant(t *testing.T) {
	sc := webhookFlow(t)
	ctx := context.Background()
	rc, _ := registerReceiver(t, sc, "*")
	pi, err := sc.V1PaymentIntents.Create(ctx, &stripego.PaymentIntentCreateParams{Amount: stripego.Int64(2000), Currency: stripego.String("usd"),
		PaymentMethod: stripego.String("pm_card_visa")})
	if err != nil {
		t.Fatal(err)
	}
	rc.Wait(t, 1)
	p := &stripego.PaymentIntentConfirmParams{}
	p.Headers = http.Header{"Prefer": {"example=error"}}
	if _, err := sc.V1PaymentIntents.Confirm(ctx, pi.ID, p); err == nil {
		t.Fatal("confirm with Prefer: example=error: want the error variant")
	}
	got := rc.Wait(t, 3)
	slices.Sort(got[1:])
	if want := []string{"payment_intent.created", "charge.failed", "payment_intent.payment_failed"}; !slices.Equal(got, want) {
		t.Fatalf("delivered %v; want %v", got, want)
	}
	after, err := sc.V1PaymentIntents.Retrieve(ctx, pi.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if after.Status != "requires_payment_method" || after.LastPaymentError == nil || after.LatestCharge == nil {
		t.Fatalf("stored intent: status %s, last_payment_error %v; want the decline stored", after.Status, after.LastPaymentError)
	}
}

// A confirm answered with one of the route's declines stores that decline
// (its decline_code on the intent); a 429 stores nothing and sends nothing.
func TestConfirmDeclineVariantsStoreTheirDecline(t *testing.T) {
	sc := webhookFlow(t)
	ctx := context.Background()
	pi, err := sc.V1PaymentIntents.Create(ctx, &stripego.PaymentIntentCreateParams{Amount: stripego.Int64(2000), Currency: stripego.String("usd"),
		PaymentMethod: stripego.String("pm_card_visa")})
	if err != nil {
		t.Fatal(err)
	}
	confirm := func(prefer string) error {
		p := &stripego.PaymentIntentConfirmParams{}
		p.Headers = http.Header{"Prefer": {prefer}}
		_, err := sc.V1PaymentIntents.Confirm(ctx, pi.ID, p)
		return err
	}
	var se *stripego.Error
	if err := confirm("example=429"); !errors.As(err, &se) || se.HTTPStatusCode != 429 {
		t.Fatalf("confirm with example=429: %v; want the 429", err)
	}
	if after, err := sc.V1PaymentIntents.Retrieve(ctx, pi.ID, nil); err != nil || after.Status != "requires_confirmation" || after.LatestCharge != nil {
		t.Fatalf("after a 429: %v %+v; want the intent unchanged", err, after)
	}
	if err := confirm(`example="card_declined/insufficient_funds"`); !errors.As(err, &se) || se.DeclineCode != "insufficient_funds" {
		t.Fatalf("confirm with the insufficient_funds variant: %v", err)
	}
	after, err := sc.V1PaymentIntents.Retrieve(ctx, pi.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if after.Status != "requires_payment_method" || after.LastPaymentError == nil || after.LastPaymentError.DeclineCode != "insufficient_funds" {
		t.Fatalf("stored intent: status %s, last_payment_error %+v; want insufficient_funds stored", after.Status, after.LastPaymentError)
	}
}
