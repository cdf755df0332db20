package stripe_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	stripego "github.com/stripe/stripe-go/v82"
)

func monthlyPrice(t *testing.T, sc *stripego.Client, amount int64) *stripego.Price {
	t.Helper()
	p, err := sc.V1Prices.Create(context.Background(), &stripego.PriceCreateParams{Currency: stripego.String("usd"), UnitAmount: stripego.Int64(amount),
		Recurring: &stripego.PriceCreateRecurringParams{Interval: stripego.String("month")}, ProductData: &stripego.PriceCreateProductDataParams{Name: stripego.String("Plan")}})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func subscribe(t *testing.T, sc *stripego.Client, customer, price string, quantity int64, trialDays int64) *stripego.Subscription {
	t.Helper()
	p := &stripego.SubscriptionCreateParams{Customer: stripego.String(customer),
		Items: []*stripego.SubscriptionCreateItemParams{{Price: stripego.String(price), Quantity: stripego.Int64(quantity)}}}
	if trialDays > 0 {
		p.TrialPeriodDays = stripego.Int64(trialDays)
	}
	p.AddExpand("latest_invoice")
	s, err := sc.V1Subscriptions.Create(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Items → active with its first invoice paid for the prices' amount;
// update; cancel at period end; cancel.
func TestFlowSubscriptionActiveUpdateCancel(t *testing.T) {
	sc, ts := paymentsFlow(t)
	ctx := context.Background()
	c := customerPaying(t, sc, "pm_card_visa")
	price := monthlyPrice(t, sc, 1500)
	s := subscribe(t, sc, c.ID, price.ID, 2, 0)
	if s.Status != stripego.SubscriptionStatusActive || s.LatestInvoice == nil {
		t.Fatalf("created %s with latest_invoice %v, want active with an invoice", s.Status, s.LatestInvoice)
	}
	inv, err := sc.V1Invoices.Retrieve(ctx, s.LatestInvoice.ID, nil)
	if err != nil || inv.Status != stripego.InvoiceStatusPaid || inv.AmountPaid != 3000 || inv.Customer == nil || inv.Customer.ID != c.ID {
		t.Fatalf("first invoice %+v %v, want paid 2 × 1500", inv, err)
	}
	if len(s.Items.Data) != 1 || s.Items.Data[0].Price.ID != price.ID || s.Items.Data[0].Price.UnitAmount != 1500 || s.Items.Data[0].Quantity != 2 {
		t.Fatalf("items %+v, want the one price asked for, twice", s.Items.Data)
	}
	// The upcoming invoice is a period of the items at their prices.
	preview, err := sc.V1Invoices.CreatePreview(ctx, &stripego.InvoiceCreatePreviewParams{Subscription: stripego.String(s.ID)})
	if err != nil || preview.AmountDue != 3000 || preview.Total != 3000 || preview.Customer == nil || preview.Customer.ID != c.ID {
		t.Fatalf("create_preview: %+v %v, want 3000 due for the customer", preview, err)
	}
	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/v1/invoices/upcoming?subscription="+s.ID, nil)
	req.Header.Set("Authorization", "Bearer sk_test_123")
	res, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var upcoming struct {
		AmountDue    int64  `json:"amount_due"`
		Subscription string `json:"subscription"`
	}
	err = json.NewDecoder(res.Body).Decode(&upcoming)
	res.Body.Close()
	if err != nil || res.StatusCode != 200 || upcoming.AmountDue != 3000 || upcoming.Subscription != s.ID {
		t.Fatalf("GET /v1/invoices/upcoming: %d %+v %v", res.StatusCode, upcoming, err)
	}
	other := monthlyPrice(t, sc, 400)
	s, err = sc.V1Subscriptions.Update(ctx, s.ID, &stripego.SubscriptionUpdateParams{Items: []*stripego.SubscriptionUpdateItemParams{
		{ID: stripego.String(s.Items.Data[0].ID), Quantity: stripego.Int64(3)}, {Price: stripego.String(other.ID)}}})
	if err != nil || len(s.Items.Data) != 2 || s.Items.Data[0].Quantity != 3 || s.Items.Data[1].Price.ID != other.ID || s.Items.Data[1].Quantity != 1 {
		t.Fatalf("updating the items: %+v %v, want 3 of the first price and one of the other", s, err)
	}
	preview, err = sc.V1Invoices.CreatePreview(ctx, &stripego.InvoiceCreatePreviewParams{Subscription: stripego.String(s.ID)})
	if err != nil || preview.AmountDue != 3*1500+400 {
		t.Fatalf("create_preview after the update: %+v %v, want 4900", preview, err)
	}
	_, err = sc.V1Subscriptions.Update(ctx, s.ID, &stripego.SubscriptionUpdateParams{Items: []*stripego.SubscriptionUpdateItemParams{{ID: stripego.String("si_missing"), Quantity: stripego.Int64(1)}}})
	if se := stripeErrorOf(t, err); se.Code != "resource_missing" {
		t.Fatalf("updating an unknown item: %+v", se)
	}
	s, err = sc.V1Subscriptions.Update(ctx, s.ID, &stripego.SubscriptionUpdateParams{CancelAtPeriodEnd: stripego.Bool(true)})
	if err != nil || !s.CancelAtPeriodEnd || s.Status != stripego.SubscriptionStatusActive {
		t.Fatalf("cancel at period end: %+v %v", s, err)
	}
	got, err := sc.V1Subscriptions.Retrieve(ctx, s.ID, nil)
	if err != nil || !got.CancelAtPeriodEnd {
		t.Fatalf("stored subscription %+v %v", got, err)
	}
	s, err = sc.V1Subscriptions.Cancel(ctx, s.ID, nil)
	if err != nil || s.Status != stripego.SubscriptionStatusCanceled {
		t.Fatalf("cancel: %+v %v", s, err)
	}
	got, err = sc.V1Subscriptions.Retrieve(ctx, s.ID, nil)
	if err != nil || got.Status != stripego.SubscriptionStatusCanceled || got.CanceledAt < time.Now().Add(-time.Minute).Unix() {
		t.Fatalf("stored after cancel %+v %v", got, err)
	}
	_, err = sc.V1Subscriptions.Cancel(ctx, s.ID, nil)
	if se := stripeErrorOf(t, err); se.HTTPStatusCode != 400 {
		t.Fatalf("canceling a canceled subscription: %+v", se)
	}
	_, err = sc.V1Subscriptions.Update(ctx, s.ID, &stripego.SubscriptionUpdateParams{CancelAtPeriodEnd: stripego.Bool(false)})
	if se := stripeErrorOf(t, err); se.HTTPStatusCode != 400 {
		t.Fatalf("updating a canceled subscription: %+v", se)
	}
	up := &stripego.SubscriptionUpdateParams{}
	up.AddMetadata("note", "kept")
	if got, err := sc.V1Subscriptions.Update(ctx, s.ID, up); err != nil || got.Metadata["note"] != "kept" {
		t.Fatalf("updating a canceled subscription's metadata: %+v %v", got, err)
	}
	_, err = sc.V1Invoices.CreatePreview(ctx, &stripego.InvoiceCreatePreviewParams{Subscription: stripego.String(s.ID)})
	if se := stripeErrorOf(t, err); se.Code != "invoice_upcoming_none" {
		t.Fatalf("previewing a canceled subscription's invoice: %+v", se)
	}
}

// A trial: trialing, nothing charged (the declining default card is not
// tried); without one, the declining default card leaves it incomplete
// with its invoice open.
func TestFlowSubscriptionTrialThenIncomplete(t *testing.T) {
	sc, _ := paymentsFlow(t)
	ctx := context.Background()
	c := customerPaying(t, sc, "pm_card_chargeCustomerFail")
	price := monthlyPrice(t, sc, 1500)
	s := subscribe(t, sc, c.ID, price.ID, 1, 14)
	if s.Status != stripego.SubscriptionStatusTrialing || s.TrialEnd < time.Now().Add(13*24*time.Hour).Unix() {
		t.Fatalf("with a trial: %s trial_end %d, want trialing for 14 days", s.Status, s.TrialEnd)
	}
	inv, err := sc.V1Invoices.Retrieve(ctx, s.LatestInvoice.ID, nil)
	if err != nil || inv.Status != stripego.InvoiceStatusPaid || inv.AmountPaid != 0 {
		t.Fatalf("trial invoice %+v %v, want paid with 0", inv, err)
	}
	s = subscribe(t, sc, c.ID, price.ID, 1, 0)
	if s.Status != stripego.SubscriptionStatusIncomplete {
		t.Fatalf("with a declining default card: %s, want incomplete", s.Status)
	}
	inv, err = sc.V1Invoices.Retrieve(ctx, s.LatestInvoice.ID, nil)
	if err != nil || inv.Status != stripego.InvoiceStatusOpen || inv.AmountRemaining != 1500 || inv.AttemptCount != 1 {
		t.Fatalf("first invoice %+v %v, want open with 1500 due after one attempt", inv, err)
	}
	// Paying it with a good card is what makes Stripe's subscription active.
	if inv, err = sc.V1Invoices.Pay(ctx, inv.ID, &stripego.InvoicePayParams{PaymentMethod: stripego.String("pm_card_visa")}); err != nil || inv.Status != stripego.InvoiceStatusPaid {
		t.Fatalf("paying the open invoice: %+v %v", inv, err)
	}
	p := &stripego.SubscriptionCreateParams{Customer: stripego.String(c.ID), PaymentBehavior: stripego.String("error_if_incomplete"),
		Items: []*stripego.SubscriptionCreateItemParams{{Price: stripego.String(price.ID)}}}
	_, err = sc.V1Subscriptions.Create(ctx, p)
	if se := stripeErrorOf(t, err); se.HTTPStatusCode != 402 || se.Code != "card_declined" {
		t.Fatalf("error_if_incomplete with a declining card: %+v", se)
	}
}
