package stripe_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	stripego "github.com/stripe/stripe-go/v82"

	"github.com/routedeck/routedeck/stripe"
	"github.com/routedeck/routedeck/webhook"
)

// raised collects the events a State hands on.
type raised struct {
	mu     sync.Mutex
	events []webhook.Event
}

func (r *raised) add(e webhook.Event) {
	r.mu.Lock()
	r.events = append(r.events, e)
	r.mu.Unlock()
}

// since returns the types raised from index i on, and the new length.
func (r *raised) since(i int) ([]string, []webhook.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var types []string
	for _, e := range r.events[i:] {
		types = append(types, e.Type)
	}
	return types, slices.Clone(r.events[i:])
}

func (r *raised) len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.events)
}

// eventsFlow is paymentsFlow with the events a State raises collected.
func eventsFlow(t *testing.T) (*stripego.Client, *raised) {
	t.Helper()
	got := &raised{}
	sc, _ := statefulServer(t, false, stripe.StateOptions{Events: got.add})
	return sc, got
}

func TestEventsCustomerLifecycle(t *testing.T) {
	sc, got := eventsFlow(t)
	ctx := context.Background()
	p := &stripego.CustomerCreateParams{Name: stripego.String("Ada")}
	p.SetIdempotencyKey("key-create-ada")
	c, err := sc.V1Customers.Create(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sc.V1Customers.Update(ctx, c.ID, &stripego.CustomerUpdateParams{Name: stripego.String("Grace")}); err != nil {
		t.Fatal(err)
	}
	if _, err := sc.V1Customers.Delete(ctx, c.ID, nil); err != nil {
		t.Fatal(err)
	}
	types, evs := got.since(0)
	if want := []string{"customer.created", "customer.updated", "customer.deleted"}; !slices.Equal(types, want) {
		t.Fatalf("events %v; want %v", types, want)
	}
	created := evs[0]
	if created.Request.ID == nil || *created.Request.ID == "" || created.Request.IdempotencyKey == nil || *created.Request.IdempotencyKey != "key-create-ada" {
		t.Errorf("customer.created request = %+v; want its Request-Id and idempotency key", created.Request)
	}
	var prev map[string]any
	if err := json.Unmarshal(evs[1].Data.PreviousAttributes, &prev); err != nil || prev["name"] != "Ada" {
		t.Errorf("customer.updated previous_attributes = %s; want name Ada", evs[1].Data.PreviousAttributes)
	}
	if _, ok := prev["email"]; ok {
		t.Errorf("previous_attributes names a field that did not change: %s", evs[1].Data.PreviousAttributes)
	}

	// Served by the API, as stripe-go reads them.
	e, err := sc.V1Events.Retrieve(ctx, evs[1].ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if e.Type != "customer.updated" || e.Data.Object["name"] != "Grace" || e.Data.PreviousAttributes["name"] != "Ada" {
		t.Errorf("GET /v1/events/%s = %s %v prev %v", evs[1].ID, e.Type, e.Data.Object["name"], e.Data.PreviousAttributes)
	}
	// An id never stored is answered as stripe-mock answers it (the
	// catalog's event, the id echoed), so suites written for it pass;
	// --strict makes it a 404 (TestStrictEventsAndEndpointsAre404).
	if e, err := sc.V1Events.Retrieve(ctx, "evt_missing", nil); err != nil || e.ID != "evt_missing" {
		t.Errorf("GET /v1/events/evt_missing = %v, %v; want the catalog's event named evt_missing", e, err)
	}
	var listed []string
	for ev, err := range sc.V1Events.List(ctx, &stripego.EventListParams{}) {
		if err != nil {
			t.Fatal(err)
		}
		listed = append(listed, string(ev.Type))
	}
	if want := []string{"customer.deleted", "customer.updated", "customer.created"}; !slices.Equal(listed, want) {
		t.Errorf("GET /v1/events = %v; want newest first %v", listed, want)
	}
	listed = nil
	for ev, err := range sc.V1Events.List(ctx, &stripego.EventListParams{Types: stripego.StringSlice([]string{"customer.created", "customer.deleted"})}) {
		if err != nil {
			t.Fatal(err)
		}
		listed = append(listed, string(ev.Type))
	}
	if want := []string{"customer.deleted", "customer.created"}; !slices.Equal(listed, want) {
		t.Errorf("GET /v1/events?types[]= = %v; want %v", listed, want)
	}
	listed = nil
	for ev, err := range sc.V1Events.List(ctx, &stripego.EventListParams{Type: stripego.String("customer.updated")}) {
		if err != nil {
			t.Fatal(err)
		}
		listed = append(listed, string(ev.Type))
	}
	if want := []string{"customer.updated"}; !slices.Equal(listed, want) {
		t.Errorf("GET /v1/events?type= = %v; want %v", listed, want)
	}
}

func TestEventsPaymentIntentConfirm(t *testing.T) {
	sc, got := eventsFlow(t)
	ctx := context.Background()
	for _, tc := range []struct {
		pm   string
		want []string
	}{
		{"pm_card_visa", []string{"payment_intent.created", "charge.succeeded", "payment_intent.succeeded"}},
		{"pm_card_chargeDeclined", []string{"payment_intent.created", "charge.failed", "payment_intent.payment_failed"}},
		{"pm_card_authenticationRequired", []string{"payment_intent.created", "payment_intent.requires_action"}},
	} {
		t.Run(tc.pm, func(t *testing.T) {
			from := got.len()
			pi, err := sc.V1PaymentIntents.Create(ctx, &stripego.PaymentIntentCreateParams{Amount: stripego.Int64(2000),
				Currency: stripego.String("usd"), PaymentMethod: stripego.String(tc.pm)})
			if err != nil {
				t.Fatal(err)
			}
			_, _ = sc.V1PaymentIntents.Confirm(ctx, pi.ID, nil) // a decline is a 402
			types, _ := got.since(from)
			if !slices.Equal(types, tc.want) {
				t.Errorf("events %v; want %v", types, tc.want)
			}
		})
	}
	t.Run("manual capture", func(t *testing.T) {
		from := got.len()
		pi, err := sc.V1PaymentIntents.Create(ctx, &stripego.PaymentIntentCreateParams{Amount: stripego.Int64(2000),
			Currency: stripego.String("usd"), PaymentMethod: stripego.String("pm_card_visa"), CaptureMethod: stripego.String("manual"),
			Confirm: stripego.Bool(true)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := sc.V1PaymentIntents.Capture(ctx, pi.ID, nil); err != nil {
			t.Fatal(err)
		}
		types, _ := got.since(from)
		want := []string{"payment_intent.created", "charge.succeeded", "payment_intent.amount_capturable_updated", "charge.captured", "payment_intent.succeeded"}
		if !slices.Equal(types, want) {
			t.Errorf("events %v; want %v", types, want)
		}
	})
}

// draft → finalize → pay: invoice.created, invoice.updated (items),
// invoice.finalized (with its PaymentIntent), invoice.paid and
// invoice.payment_succeeded.
func TestEventsInvoice(t *testing.T) {
	sc, got := eventsFlow(t)
	ctx := context.Background()
	c := customerPaying(t, sc, "pm_card_visa")
	inv := draftInvoice(t, sc, c.ID)
	if _, err := sc.V1Invoices.FinalizeInvoice(ctx, inv.ID, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := sc.V1Invoices.Pay(ctx, inv.ID, nil); err != nil {
		t.Fatal(err)
	}
	types, _ := got.since(0)
	var invoices []string
	for _, typ := range types {
		if strings.HasPrefix(typ, "invoice.") {
			invoices = append(invoices, typ)
		}
	}
	// Each item added to the draft changes what it owes (invoice.updated).
	if want := []string{"invoice.created", "invoice.updated", "invoice.updated", "invoice.finalized", "invoice.paid", "invoice.payment_succeeded"}; !slices.Equal(invoices, want) {
		t.Errorf("invoice events %v; want %v (all: %v)", invoices, want, types)
	}
	// Finalizing creates the PaymentIntent that pays it; paying confirms it.
	if want := []string{"payment_intent.created", "invoice.finalized", "charge.succeeded", "payment_intent.succeeded", "invoice.paid", "invoice.payment_succeeded"}; len(types) < len(want) || !slices.Equal(types[len(types)-len(want):], want) {
		t.Errorf("finalize and pay raised %v; want it to end with %v", types, want)
	}
}

// A subscription's events are customer.subscription.*, as Stripe names them.
func TestEventsSubscription(t *testing.T) {
	sc, got := eventsFlow(t)
	ctx := context.Background()
	c := customerPaying(t, sc, "pm_card_visa")
	price := monthlyPrice(t, sc, 1500)
	from := got.len()
	s := subscribe(t, sc, c.ID, price.ID, 1, 0)
	if _, err := sc.V1Subscriptions.Cancel(ctx, s.ID, nil); err != nil {
		t.Fatal(err)
	}
	types, _ := got.since(from)
	var subs []string
	for _, typ := range types {
		if strings.Contains(typ, "subscription") {
			subs = append(subs, typ)
		}
	}
	if want := []string{"customer.subscription.created", "customer.subscription.deleted"}; !slices.Equal(subs, want) {
		t.Errorf("subscription events %v; want %v (all: %v)", subs, want, types)
	}
}

func TestEventsCheckoutSessionExpired(t *testing.T) {
	sc, got := eventsFlow(t)
	price := monthlyPrice(t, sc, 700)
	from := got.len()
	s := openSession(t, sc, price.ID)
	if _, err := sc.V1CheckoutSessions.Expire(context.Background(), s.ID, nil); err != nil {
		t.Fatal(err)
	}
	types, _ := got.since(from)
	if want := []string{"checkout.session.created", "checkout.session.expired"}; !slices.Equal(types, want) {
		t.Errorf("events %v; want %v", types, want)
	}
}

// TestStrictEventsAndEndpointsAre404: with --strict, an event or webhook
// endpoint never stored is 404 resource_missing, as Stripe answers.
func TestStrictEventsAndEndpointsAre404(t *testing.T) {
	_, ts := statefulServer(t, true, stripe.StateOptions{Endpoints: webhook.NewRegistry()})
	for _, path := range []string{"/v1/events/evt_missing", "/v1/webhook_endpoints/we_missing"} {
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound || !strings.Contains(string(body), "resource_missing") {
			t.Errorf("GET %s with --strict = %d %s; want 404 resource_missing", path, resp.StatusCode, body)
		}
	}
}

// A charge created by POST /v1/charges is announced as Stripe announces
// it: charge.succeeded (Stripe has no charge.created), captured or not,
// with a test card or without one; capturing it later is charge.captured.
func TestEventsChargeCreate(t *testing.T) {
	sc, got := eventsFlow(t)
	ctx := context.Background()
	for _, p := range []*stripego.ChargeCreateParams{
		{Amount: stripego.Int64(300), Currency: stripego.String("usd"), Source: &stripego.PaymentSourceSourceParams{Token: stripego.String("tok_visa")}},
		{Amount: stripego.Int64(400), Currency: stripego.String("usd")},
		{Amount: stripego.Int64(500), Currency: stripego.String("usd"), Capture: stripego.Bool(false), Source: &stripego.PaymentSourceSourceParams{Token: stripego.String("tok_visa")}},
	} {
		from := got.len()
		ch, err := sc.V1Charges.Create(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		types, events := got.since(from)
		if want := []string{"charge.succeeded"}; !slices.Equal(types, want) {
			t.Errorf("charge %d created: %v; want %v", *p.Amount, types, want)
			continue
		}
		var obj struct{ ID string }
		if err := json.Unmarshal(events[0].Data.Object.JSON(), &obj); err != nil || obj.ID != ch.ID {
			t.Errorf("charge.succeeded names %q (%v); want %s", obj.ID, err, ch.ID)
		}
		if !ch.Captured {
			from = got.len()
			if _, err := sc.V1Charges.Capture(ctx, ch.ID, nil); err != nil {
				t.Fatal(err)
			}
			if types, _ := got.since(from); !slices.Contains(types, "charge.captured") {
				t.Errorf("capture raised %v; want charge.captured", types)
			}
		}
	}
}
