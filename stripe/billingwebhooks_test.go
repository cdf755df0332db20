package stripe_test

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"time"

	stripego "github.com/stripe/stripe-go/v82"

	"github.com/routedeck/routedeck/stripe"
	"github.com/routedeck/routedeck/webhook"
)

// The events of the billing flows reach an app's handler signed, and
// stripe-go's webhook.ConstructEvent accepts each: a declined invoice
// payment (invoice.payment_failed), a test clock nearing a trial's end
// (customer.subscription.trial_will_end, invoice.upcoming, an invoice
// with no id) and a Checkout Session completed by routedeck's own call.
func TestWebhookFlowBillingEvents(t *testing.T) {
	reg := webhook.NewRegistry()
	sender := webhook.NewSender(reg, webhook.Options{})
	t.Cleanup(sender.Close)
	sc, ts := statefulServer(t, false, stripe.StateOptions{Endpoints: reg, Events: func(e webhook.Event) { sender.Send(e) }})
	ctx := context.Background()
	rc, _ := registerReceiver(t, sc, "invoice.payment_failed", "customer.subscription.trial_will_end", "invoice.upcoming", "checkout.session.completed")

	c := customerPaying(t, sc, "pm_card_chargeCustomerFail")
	inv := draftInvoice(t, sc, c.ID)
	if _, err := sc.V1Invoices.Pay(ctx, inv.ID, nil); err == nil {
		t.Fatal("paying with a declining card succeeded")
	}
	if got := rc.Wait(t, 1); !slices.Equal(got, []string{"invoice.payment_failed"}) {
		t.Fatalf("after a declined payment: %v", got)
	}

	start := time.Date(2027, 9, 1, 0, 0, 0, 0, time.UTC)
	clock, err := sc.V1TestHelpersTestClocks.Create(ctx, &stripego.TestHelpersTestClockCreateParams{FrozenTime: stripego.Int64(start.Unix())})
	if err != nil {
		t.Fatal(err)
	}
	cc, err := sc.V1Customers.Create(ctx, &stripego.CustomerCreateParams{TestClock: stripego.String(clock.ID),
		InvoiceSettings: &stripego.CustomerCreateInvoiceSettingsParams{DefaultPaymentMethod: stripego.String("pm_card_visa")}})
	if err != nil {
		t.Fatal(err)
	}
	price := monthlyPrice(t, sc, 800)
	subscribe(t, sc, cc.ID, price.ID, 1, 7)
	if _, err := sc.V1TestHelpersTestClocks.Advance(ctx, clock.ID, &stripego.TestHelpersTestClockAdvanceParams{
		FrozenTime: stripego.Int64(start.AddDate(0, 0, 5).Unix())}); err != nil {
		t.Fatal(err)
	}
	if got := rc.Wait(t, 3); !slices.Equal(got[1:], []string{"customer.subscription.trial_will_end", "invoice.upcoming"}) {
		t.Fatalf("after advancing the clock: %v", got)
	}

	s := openSession(t, sc, price.ID)
	res, err := ts.Client().Post(ts.URL+"/_routedeck/checkout/sessions/"+s.ID+"/complete", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("completing the session: %d", res.StatusCode)
	}
	if got := rc.Wait(t, 4); !slices.Equal(got[3:], []string{"checkout.session.completed"}) {
		t.Fatalf("after completing the session: %v", got)
	}
}
