package stripe_test

import (
	"context"
	"net/http"
	"testing"

	stripego "github.com/stripe/stripe-go/v82"
)

func customerPaying(t *testing.T, sc *stripego.Client, pm string) *stripego.Customer {
	t.Helper()
	c, err := sc.V1Customers.Create(context.Background(), &stripego.CustomerCreateParams{
		InvoiceSettings: &stripego.CustomerCreateInvoiceSettingsParams{DefaultPaymentMethod: stripego.String(pm)}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func draftInvoice(t *testing.T, sc *stripego.Client, customer string) *stripego.Invoice {
	t.Helper()
	inv, err := sc.V1Invoices.Create(context.Background(), &stripego.InvoiceCreateParams{Customer: stripego.String(customer)})
	if err != nil {
		t.Fatal(err)
	}
	if inv.Status != stripego.InvoiceStatusDraft || inv.AmountDue != 0 {
		t.Fatalf("created invoice %s with %d due, want a draft owing nothing", inv.Status, inv.AmountDue)
	}
	for _, amount := range []int64{700, 300} {
		if _, err := sc.V1InvoiceItems.Create(context.Background(), &stripego.InvoiceItemCreateParams{Customer: stripego.String(customer),
			Invoice: stripego.String(inv.ID), Amount: stripego.Int64(amount), Currency: stripego.String("usd")}); err != nil {
			t.Fatal(err)
		}
	}
	inv, err = sc.V1Invoices.Retrieve(context.Background(), inv.ID, nil)
	if err != nil || inv.AmountDue != 1000 || inv.Total != 1000 {
		t.Fatalf("with items of 700 and 300: %+v %v, want 1000 due", inv, err)
	}
	return inv
}

// draft → finalize (open) → pay (paid through the customer's default
// payment method, with its charge) → paying again is refused.
func TestFlowInvoiceFinalizePay(t *testing.T) {
	sc, _ := paymentsFlow(t)
	ctx := context.Background()
	c := customerPaying(t, sc, "pm_card_visa")
	inv := draftInvoice(t, sc, c.ID)
	due := inv.AmountDue
	inv, err := sc.V1Invoices.FinalizeInvoice(ctx, inv.ID, nil)
	if err != nil || inv.Status != stripego.InvoiceStatusOpen || inv.AmountRemaining != due || inv.StatusTransitions == nil || inv.StatusTransitions.FinalizedAt == 0 {
		t.Fatalf("finalize: %+v %v", inv, err)
	}
	_, err = sc.V1Invoices.FinalizeInvoice(ctx, inv.ID, nil)
	if se := stripeErrorOf(t, err); se.HTTPStatusCode != http.StatusBadRequest || se.Code != "invoice_not_editable" {
		t.Fatalf("finalizing an open invoice: %+v", se)
	}
	_, err = sc.V1InvoiceItems.Create(ctx, &stripego.InvoiceItemCreateParams{Customer: stripego.String(c.ID), Invoice: stripego.String(inv.ID),
		Amount: stripego.Int64(100), Currency: stripego.String("usd")})
	if se := stripeErrorOf(t, err); se.Code != "invoice_not_editable" {
		t.Fatalf("adding an item to an open invoice: %+v", se)
	}
	inv, err = sc.V1Invoices.Pay(ctx, inv.ID, nil)
	if err != nil || inv.Status != stripego.InvoiceStatusPaid || inv.AmountPaid != due || due != 1000 || inv.AmountRemaining != 0 || inv.AttemptCount != 1 || inv.StatusTransitions.PaidAt == 0 {
		t.Fatalf("pay: %+v %v", inv, err)
	}
	got, err := sc.V1Invoices.Retrieve(ctx, inv.ID, nil)
	if err != nil || got.Status != stripego.InvoiceStatusPaid {
		t.Fatalf("stored invoice %+v %v", got, err)
	}
	_, err = sc.V1Invoices.Pay(ctx, inv.ID, nil)
	if se := stripeErrorOf(t, err); se.HTTPStatusCode != http.StatusBadRequest || se.Code != "invoice_already_paid" {
		t.Fatalf("paying a paid invoice: %+v", se)
	}
	_, err = sc.V1Invoices.VoidInvoice(ctx, inv.ID, nil)
	if se := stripeErrorOf(t, err); se.Code != "invoice_already_paid" {
		t.Fatalf("voiding a paid invoice: %+v", se)
	}
}

// A declining card (attaches, then declines charges) answers 402 and the
// invoice stays open; paying with a good payment_method then succeeds; a
// draft is finalized by paying it; the customer's default_source is
// honoured.
func TestFlowInvoiceDeclineThenPay(t *testing.T) {
	sc, _ := paymentsFlow(t)
	ctx := context.Background()
	c := customerPaying(t, sc, "pm_card_chargeCustomerFail")
	inv := draftInvoice(t, sc, c.ID)
	_, err := sc.V1Invoices.Pay(ctx, inv.ID, nil)
	se := stripeErrorOf(t, err)
	if se.HTTPStatusCode != http.StatusPaymentRequired || se.Type != stripego.ErrorTypeCard || se.Code != "card_declined" || se.ChargeID == "" {
		t.Fatalf("paying with a declining default card: %+v", se)
	}
	got, err := sc.V1Invoices.Retrieve(ctx, inv.ID, nil)
	if err != nil || got.Status != stripego.InvoiceStatusOpen || got.AmountPaid != 0 || !got.Attempted || got.AttemptCount != 1 {
		t.Fatalf("after the decline: %+v %v", got, err)
	}
	ch, err := sc.V1Charges.Retrieve(ctx, se.ChargeID, nil)
	if err != nil || ch.Status != "failed" || ch.Customer == nil || ch.Customer.ID != c.ID {
		t.Fatalf("failed charge %+v %v", ch, err)
	}
	got, err = sc.V1Invoices.Pay(ctx, inv.ID, &stripego.InvoicePayParams{PaymentMethod: stripego.String("pm_card_visa")})
	if err != nil || got.Status != stripego.InvoiceStatusPaid || got.AttemptCount != 2 {
		t.Fatalf("paying with pm_card_visa: %+v %v", got, err)
	}

	src, err := sc.V1Customers.Create(ctx, &stripego.CustomerCreateParams{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sc.V1Customers.Update(ctx, src.ID, &stripego.CustomerUpdateParams{DefaultSource: stripego.String("tok_chargeDeclined")}); err != nil {
		t.Fatal(err)
	}
	inv = draftInvoice(t, sc, src.ID)
	_, err = sc.V1Invoices.Pay(ctx, inv.ID, nil)
	if se := stripeErrorOf(t, err); se.HTTPStatusCode != http.StatusPaymentRequired || se.Code != "card_declined" {
		t.Fatalf("paying with a declining default_source: %+v", se)
	}
	if got, err := sc.V1Invoices.Retrieve(ctx, inv.ID, nil); err != nil || got.Status != stripego.InvoiceStatusOpen {
		t.Fatalf("a draft paid with a declining card: %+v %v, want it finalized and open", got, err)
	}
}

// open → void, open → uncollectible → paid; the impossible ones refused.
func TestFlowInvoiceVoidUncollectible(t *testing.T) {
	sc, _ := paymentsFlow(t)
	ctx := context.Background()
	c := customerPaying(t, sc, "pm_card_visa")
	inv := draftInvoice(t, sc, c.ID)
	_, err := sc.V1Invoices.VoidInvoice(ctx, inv.ID, nil)
	if se := stripeErrorOf(t, err); se.Code != "invoice_not_editable" {
		t.Fatalf("voiding a draft: %+v", se)
	}
	if _, err := sc.V1Invoices.FinalizeInvoice(ctx, inv.ID, nil); err != nil {
		t.Fatal(err)
	}
	got, err := sc.V1Invoices.VoidInvoice(ctx, inv.ID, nil)
	if err != nil || got.Status != stripego.InvoiceStatusVoid || got.StatusTransitions.VoidedAt == 0 {
		t.Fatalf("void: %+v %v", got, err)
	}
	_, err = sc.V1Invoices.Pay(ctx, inv.ID, nil)
	if se := stripeErrorOf(t, err); se.Code != "invoice_not_editable" {
		t.Fatalf("paying a void invoice: %+v", se)
	}
	_, err = sc.V1Invoices.MarkUncollectible(ctx, inv.ID, nil)
	if se := stripeErrorOf(t, err); se.Code != "invoice_not_editable" {
		t.Fatalf("marking a void invoice uncollectible: %+v", se)
	}

	other := draftInvoice(t, sc, c.ID)
	if _, err := sc.V1Invoices.FinalizeInvoice(ctx, other.ID, nil); err != nil {
		t.Fatal(err)
	}
	got, err = sc.V1Invoices.MarkUncollectible(ctx, other.ID, nil)
	if err != nil || got.Status != stripego.InvoiceStatusUncollectible {
		t.Fatalf("mark_uncollectible: %+v %v", got, err)
	}
	got, err = sc.V1Invoices.Pay(ctx, other.ID, &stripego.InvoicePayParams{PaidOutOfBand: stripego.Bool(true)})
	if err != nil || got.Status != stripego.InvoiceStatusPaid {
		t.Fatalf("paying an uncollectible invoice out of band: %+v %v", got, err)
	}
}
