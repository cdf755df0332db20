package stripe_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"

	stripego "github.com/stripe/stripe-go/v82"
)

// A subscription on a test clock's customer lives on the clock's time:
// advancing past 3 days before its trial ends raises trial_will_end and
// invoice.upcoming; past the trial's end it becomes active with a paid
// invoice; past the period's end with a declining card it renews with an
// invoice that fails (invoice.payment_failed) and becomes past_due.
// Moving a clock back, or more than two intervals ahead, is refused.
func TestFlowTestClockSubscription(t *testing.T) {
	sc, got := eventsFlow(t)
	ctx := context.Background()
	start := time.Date(2027, 1, 10, 12, 0, 0, 0, time.UTC)
	clock, err := sc.V1TestHelpersTestClocks.Create(ctx, &stripego.TestHelpersTestClockCreateParams{FrozenTime: stripego.Int64(start.Unix())})
	if err != nil {
		t.Fatal(err)
	}
	c, err := sc.V1Customers.Create(ctx, &stripego.CustomerCreateParams{TestClock: stripego.String(clock.ID),
		InvoiceSettings: &stripego.CustomerCreateInvoiceSettingsParams{DefaultPaymentMethod: stripego.String("pm_card_visa")}})
	if err != nil {
		t.Fatal(err)
	}
	price := monthlyPrice(t, sc, 1500)
	s := subscribe(t, sc, c.ID, price.ID, 1, 14)
	trialEnd := start.AddDate(0, 0, 14)
	if s.Status != stripego.SubscriptionStatusTrialing || s.TrialEnd != trialEnd.Unix() || s.StartDate != start.Unix() {
		t.Fatalf("created %s, trial_end %d start %d; want trialing on the clock's time, to %d", s.Status, s.TrialEnd, s.StartDate, trialEnd.Unix())
	}
	advance := func(to time.Time) []string {
		t.Helper()
		from := got.len()
		ck, err := sc.V1TestHelpersTestClocks.Advance(ctx, clock.ID, &stripego.TestHelpersTestClockAdvanceParams{FrozenTime: stripego.Int64(to.Unix())})
		if err != nil {
			t.Fatalf("advance to %s: %v", to, err)
		}
		if ck.FrozenTime != to.Unix() || ck.Status != stripego.TestHelpersTestClockStatusReady {
			t.Fatalf("advanced clock %+v, want ready at %d", ck, to.Unix())
		}
		types, _ := got.since(from)
		return types
	}

	types := advance(trialEnd.AddDate(0, 0, -3).Add(time.Hour))
	if want := []string{"customer.subscription.trial_will_end", "invoice.upcoming", "test_helpers.test_clock.ready"}; !slices.Equal(types, want) {
		t.Errorf("3 days before the trial ends: %v; want %v", types, want)
	}
	if ev := eventOf(got, "invoice.upcoming"); ev == nil || ev["data"].(map[string]any)["object"].(map[string]any)["amount_due"] != 1500.0 {
		t.Errorf("invoice.upcoming %v, want 1500 due", ev)
	}
	if s, err = sc.V1Subscriptions.Retrieve(ctx, s.ID, nil); err != nil || s.Status != stripego.SubscriptionStatusTrialing {
		t.Fatalf("before the trial ends: %+v %v", s, err)
	}

	types = advance(trialEnd.Add(time.Hour))
	for _, want := range []string{"invoice.created", "invoice.finalized", "charge.succeeded", "invoice.paid", "customer.subscription.updated"} {
		if !slices.Contains(types, want) {
			t.Errorf("the trial ending raised %v; want %s among them", types, want)
		}
	}
	p := &stripego.SubscriptionRetrieveParams{}
	p.AddExpand("latest_invoice")
	s, err = sc.V1Subscriptions.Retrieve(ctx, s.ID, p)
	if err != nil || s.Status != stripego.SubscriptionStatusActive || s.LatestInvoice == nil || s.LatestInvoice.Status != stripego.InvoiceStatusPaid ||
		s.LatestInvoice.AmountPaid != 1500 || s.LatestInvoice.BillingReason != "subscription_cycle" || s.LatestInvoice.Created != trialEnd.Unix() {
		t.Fatalf("after the trial: %+v %v, want active with a paid 1500 cycle invoice made at the trial's end", s, err)
	}
	periodEnd := trialEnd.AddDate(0, 1, 0)
	if s.Items == nil || len(s.Items.Data) != 1 || s.Items.Data[0].CurrentPeriodStart != trialEnd.Unix() || s.Items.Data[0].CurrentPeriodEnd != periodEnd.Unix() {
		t.Fatalf("items after the trial %+v, want a period from the trial's end for a month", s.Items)
	}
	ev := eventOf(got, "customer.subscription.updated")
	if prev := ev["data"].(map[string]any)["previous_attributes"].(map[string]any); prev["status"] != "trialing" {
		t.Errorf("customer.subscription.updated previous_attributes %v, want status trialing", prev)
	}

	if _, err := sc.V1Customers.Update(ctx, c.ID, &stripego.CustomerUpdateParams{InvoiceSettings: &stripego.CustomerUpdateInvoiceSettingsParams{
		DefaultPaymentMethod: stripego.String("pm_card_chargeCustomerFail")}}); err != nil {
		t.Fatal(err)
	}
	types = advance(periodEnd.Add(time.Hour))
	for _, want := range []string{"invoice.upcoming", "invoice.created", "charge.failed", "invoice.payment_failed", "customer.subscription.updated"} {
		if !slices.Contains(types, want) {
			t.Errorf("renewing with a declining card raised %v; want %s among them", types, want)
		}
	}
	if s, err = sc.V1Subscriptions.Retrieve(ctx, s.ID, p); err != nil || s.Status != stripego.SubscriptionStatusPastDue ||
		s.LatestInvoice.Status != stripego.InvoiceStatusOpen || s.LatestInvoice.AttemptCount != 1 {
		t.Fatalf("after a declined renewal: %+v %v, want past_due with its invoice open", s, err)
	}

	for _, to := range []time.Time{start, periodEnd.AddDate(0, 3, 0)} {
		_, err := sc.V1TestHelpersTestClocks.Advance(ctx, clock.ID, &stripego.TestHelpersTestClockAdvanceParams{FrozenTime: stripego.Int64(to.Unix())})
		if se := stripeErrorOf(t, err); se.HTTPStatusCode != http.StatusBadRequest || se.Param != "frozen_time" {
			t.Errorf("advancing to %s: %+v, want 400 on frozen_time", to, se)
		}
	}
}

// A subscription set to cancel at its period's end is canceled when the
// clock passes it (customer.subscription.deleted), not renewed.
func TestFlowTestClockCancelAtPeriodEnd(t *testing.T) {
	sc, got := eventsFlow(t)
	ctx := context.Background()
	start := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	clock, err := sc.V1TestHelpersTestClocks.Create(ctx, &stripego.TestHelpersTestClockCreateParams{FrozenTime: stripego.Int64(start.Unix())})
	if err != nil {
		t.Fatal(err)
	}
	c, err := sc.V1Customers.Create(ctx, &stripego.CustomerCreateParams{TestClock: stripego.String(clock.ID),
		InvoiceSettings: &stripego.CustomerCreateInvoiceSettingsParams{DefaultPaymentMethod: stripego.String("pm_card_visa")}})
	if err != nil {
		t.Fatal(err)
	}
	s := subscribe(t, sc, c.ID, monthlyPrice(t, sc, 900).ID, 1, 0)
	if s.Status != stripego.SubscriptionStatusActive {
		t.Fatalf("created %s, want active", s.Status)
	}
	if _, err := sc.V1Subscriptions.Update(ctx, s.ID, &stripego.SubscriptionUpdateParams{CancelAtPeriodEnd: stripego.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	from := got.len()
	if _, err := sc.V1TestHelpersTestClocks.Advance(ctx, clock.ID, &stripego.TestHelpersTestClockAdvanceParams{
		FrozenTime: stripego.Int64(start.AddDate(0, 1, 1).Unix())}); err != nil {
		t.Fatal(err)
	}
	types, _ := got.since(from)
	if want := []string{"customer.subscription.deleted", "test_helpers.test_clock.ready"}; !slices.Equal(types, want) {
		t.Errorf("passing the period's end raised %v; want %v", types, want)
	}
	s, err = sc.V1Subscriptions.Retrieve(ctx, s.ID, nil)
	if err != nil || s.Status != stripego.SubscriptionStatusCanceled || s.EndedAt != start.AddDate(0, 1, 0).Unix() {
		t.Fatalf("after the period's end: %+v %v, want canceled at its end", s, err)
	}
}

// An incomplete subscription whose first invoice is still unpaid 23 hours
// after it started expires when the clock passes that: incomplete_expired
// (customer.subscription.updated), its invoice voided (invoice.voided) and
// the invoice's PaymentIntent canceled.
func TestFlowTestClockIncompleteExpires(t *testing.T) {
	sc, got := eventsFlow(t)
	ctx := context.Background()
	start := time.Date(2027, 5, 1, 9, 0, 0, 0, time.UTC)
	clock, err := sc.V1TestHelpersTestClocks.Create(ctx, &stripego.TestHelpersTestClockCreateParams{FrozenTime: stripego.Int64(start.Unix())})
	if err != nil {
		t.Fatal(err)
	}
	c, err := sc.V1Customers.Create(ctx, &stripego.CustomerCreateParams{TestClock: stripego.String(clock.ID),
		InvoiceSettings: &stripego.CustomerCreateInvoiceSettingsParams{DefaultPaymentMethod: stripego.String("pm_card_chargeCustomerFail")}})
	if err != nil {
		t.Fatal(err)
	}
	s := subscribe(t, sc, c.ID, monthlyPrice(t, sc, 900).ID, 1, 0)
	if s.Status != stripego.SubscriptionStatusIncomplete {
		t.Fatalf("created %s, want incomplete", s.Status)
	}
	advance := func(to time.Time) []string {
		t.Helper()
		from := got.len()
		if _, err := sc.V1TestHelpersTestClocks.Advance(ctx, clock.ID, &stripego.TestHelpersTestClockAdvanceParams{FrozenTime: stripego.Int64(to.Unix())}); err != nil {
			t.Fatal(err)
		}
		types, _ := got.since(from)
		return types
	}
	if types := advance(start.Add(22 * time.Hour)); !slices.Equal(types, []string{"test_helpers.test_clock.ready"}) {
		t.Errorf("22 hours on: %v, want nothing but the clock", types)
	}
	types := advance(start.Add(24 * time.Hour))
	if want := []string{"invoice.voided", "payment_intent.canceled", "customer.subscription.updated", "test_helpers.test_clock.ready"}; !slices.Equal(types, want) {
		t.Errorf("24 hours on: %v, want %v", types, want)
	}
	p := &stripego.SubscriptionRetrieveParams{}
	p.AddExpand("latest_invoice")
	s, err = sc.V1Subscriptions.Retrieve(ctx, s.ID, p)
	if err != nil || s.Status != stripego.SubscriptionStatusIncompleteExpired || s.LatestInvoice.Status != stripego.InvoiceStatusVoid ||
		s.EndedAt != start.Add(23*time.Hour).Unix() {
		t.Fatalf("after 24 hours: %+v %v, want incomplete_expired at 23 hours with its invoice void", s, err)
	}
}

// Two subscriptions on one clock move together, in time order: the one
// whose trial ends first is announced and renewed first, whichever was
// created first.
func TestFlowTestClockInterleaves(t *testing.T) {
	sc, got := eventsFlow(t)
	ctx := context.Background()
	start := time.Date(2027, 7, 1, 0, 0, 0, 0, time.UTC)
	clock, err := sc.V1TestHelpersTestClocks.Create(ctx, &stripego.TestHelpersTestClockCreateParams{FrozenTime: stripego.Int64(start.Unix())})
	if err != nil {
		t.Fatal(err)
	}
	c, err := sc.V1Customers.Create(ctx, &stripego.CustomerCreateParams{TestClock: stripego.String(clock.ID),
		InvoiceSettings: &stripego.CustomerCreateInvoiceSettingsParams{DefaultPaymentMethod: stripego.String("pm_card_visa")}})
	if err != nil {
		t.Fatal(err)
	}
	price := monthlyPrice(t, sc, 500)
	long := subscribe(t, sc, c.ID, price.ID, 1, 9)
	short := subscribe(t, sc, c.ID, price.ID, 1, 5)
	from := got.len()
	if _, err := sc.V1TestHelpersTestClocks.Advance(ctx, clock.ID, &stripego.TestHelpersTestClockAdvanceParams{
		FrozenTime: stripego.Int64(start.AddDate(0, 0, 10).Unix())}); err != nil {
		t.Fatal(err)
	}
	_, events := got.since(from)
	var order []string
	for _, e := range events {
		if e.Type != "customer.subscription.trial_will_end" && e.Type != "customer.subscription.updated" {
			continue
		}
		var obj struct{ ID string }
		if err := json.Unmarshal(e.Data.Object.JSON(), &obj); err != nil {
			t.Fatal(err)
		}
		name := map[string]string{long.ID: "long", short.ID: "short"}[obj.ID]
		order = append(order, name+" "+e.Type)
	}
	want := []string{"short customer.subscription.trial_will_end", "short customer.subscription.updated",
		"long customer.subscription.trial_will_end", "long customer.subscription.updated"}
	if !slices.Equal(order, want) {
		t.Errorf("events %v; want %v", order, want)
	}
}
