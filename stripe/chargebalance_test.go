package stripe_test

import (
	"context"
	"testing"

	stripego "github.com/stripe/stripe-go/v82"
)

// wantBalance checks a stored balance transaction, fetched by id as a
// client fetches it: its amount, fee, net, source and type.
func wantBalance(t *testing.T, sc *stripego.Client, id string, amount, fee int64, source, typ string) {
	t.Helper()
	bt, err := sc.V1BalanceTransactions.Retrieve(context.Background(), id, nil)
	if err != nil {
		t.Fatalf("balance transaction %s: %v", id, err)
	}
	src := ""
	if bt.Source != nil {
		src = bt.Source.ID
	}
	if bt.ID != id || bt.Amount != amount || bt.Fee != fee || bt.Net != amount-fee || bt.Currency != "usd" ||
		src != source || string(bt.Type) != typ || bt.Status != "pending" {
		t.Errorf("balance transaction %s: amount %d fee %d net %d currency %s source %q type %s status %s, "+
			"want %d %d %d usd %q %s pending", id, bt.Amount, bt.Fee, bt.Net, bt.Currency, src, bt.Type, bt.Status,
			amount, fee, amount-fee, source, typ)
	}
}

// stripeFee is Stripe's card fee on amount (2.9% + 30 cents), as the
// confirm's charges pay it.
func stripeFee(amount int64) int64 { return (amount*29+500)/1000 + 30 }

// Every captured charge has its own stored balance transaction: a charge
// created captured, one captured later (for the amount captured), each
// refund (negative); expand[] gives the stored one, and the list shows
// them.
func TestChargeBalanceTransactions(t *testing.T) {
	sc, _ := paymentsFlow(t)
	ctx := context.Background()
	var seen []string
	for _, amount := range []int64{777, 778} {
		ch, err := sc.V1Charges.Create(ctx, &stripego.ChargeCreateParams{Amount: stripego.Int64(amount), Currency: stripego.String("usd"),
			Source: &stripego.PaymentSourceSourceParams{Token: stripego.String("tok_visa")}})
		if err != nil {
			t.Fatal(err)
		}
		if ch.BalanceTransaction == nil || ch.BalanceTransaction.ID == "" {
			t.Fatalf("captured charge %s: no balance_transaction", ch.ID)
		}
		txn := ch.BalanceTransaction.ID
		for _, s := range seen {
			if s == txn {
				t.Errorf("charge %s names balance transaction %s, as an earlier charge does", ch.ID, txn)
			}
		}
		seen = append(seen, txn)
		wantBalance(t, sc, txn, amount, stripeFee(amount), ch.ID, "charge")

		p := &stripego.ChargeRetrieveParams{}
		p.AddExpand("balance_transaction")
		got, err := sc.V1Charges.Retrieve(ctx, ch.ID, p)
		if err != nil {
			t.Fatal(err)
		}
		if bt := got.BalanceTransaction; bt == nil || bt.ID != txn || bt.Amount != amount || bt.Fee != stripeFee(amount) {
			t.Errorf("expand[]=balance_transaction on %s: %+v, want the stored %s of %d", ch.ID, bt, txn, amount)
		}
	}

	// expand[] on the create itself.
	cp := &stripego.ChargeCreateParams{Amount: stripego.Int64(1234), Currency: stripego.String("usd"),
		Source: &stripego.PaymentSourceSourceParams{Token: stripego.String("tok_mastercard")}}
	cp.AddExpand("balance_transaction")
	ch, err := sc.V1Charges.Create(ctx, cp)
	if err != nil {
		t.Fatal(err)
	}
	if bt := ch.BalanceTransaction; bt == nil || bt.Amount != 1234 || bt.Source == nil || bt.Source.ID != ch.ID {
		t.Errorf("create with expand[]=balance_transaction: %+v, want the stored one of 1234", bt)
	}

	// A charge of no test value (a source of the app's own) has its own too.
	plain, err := sc.V1Charges.Create(ctx, &stripego.ChargeCreateParams{Amount: stripego.Int64(4321), Currency: stripego.String("usd"),
		Source: &stripego.PaymentSourceSourceParams{Token: stripego.String("card_1")}})
	if err != nil {
		t.Fatal(err)
	}
	if plain.BalanceTransaction == nil {
		t.Fatal("charge of source card_1: no balance_transaction")
	}
	wantBalance(t, sc, plain.BalanceTransaction.ID, 4321, stripeFee(4321), plain.ID, "charge")

	// Uncaptured: none until captured, then one for the amount captured.
	auth, err := sc.V1Charges.Create(ctx, &stripego.ChargeCreateParams{Amount: stripego.Int64(2000), Currency: stripego.String("usd"),
		Capture: stripego.Bool(false), Source: &stripego.PaymentSourceSourceParams{Token: stripego.String("tok_visa")}})
	if err != nil {
		t.Fatal(err)
	}
	if auth.BalanceTransaction != nil {
		t.Errorf("uncaptured charge names balance transaction %s, want null", auth.BalanceTransaction.ID)
	}
	auth, err = sc.V1Charges.Capture(ctx, auth.ID, &stripego.ChargeCaptureParams{Amount: stripego.Int64(1500)})
	if err != nil {
		t.Fatal(err)
	}
	if auth.BalanceTransaction == nil {
		t.Fatal("captured charge: no balance_transaction")
	}
	wantBalance(t, sc, auth.BalanceTransaction.ID, 1500, stripeFee(1500), auth.ID, "charge")

	// Each refund has its own, negative, its source the refund.
	re, err := sc.V1Refunds.Create(ctx, &stripego.RefundCreateParams{Charge: stripego.String(auth.ID), Amount: stripego.Int64(500)})
	if err != nil {
		t.Fatal(err)
	}
	if re.BalanceTransaction == nil {
		t.Fatal("refund: no balance_transaction")
	}
	wantBalance(t, sc, re.BalanceTransaction.ID, -500, 0, re.ID, "refund")
	re2, err := sc.V1Refunds.Create(ctx, &stripego.RefundCreateParams{Charge: stripego.String(auth.ID)})
	if err != nil {
		t.Fatal(err)
	}
	if re2.BalanceTransaction == nil || re2.BalanceTransaction.ID == re.BalanceTransaction.ID {
		t.Fatalf("second refund's balance transaction %+v, want one of its own", re2.BalanceTransaction)
	}
	wantBalance(t, sc, re2.BalanceTransaction.ID, -1000, 0, re2.ID, "refund")

	// A PaymentIntent captured later: its charge gets one too.
	pi := createIntent(t, sc, "pm_card_visa", "manual")
	pi, err = sc.V1PaymentIntents.Confirm(ctx, pi.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	pi, err = sc.V1PaymentIntents.Capture(ctx, pi.ID, &stripego.PaymentIntentCaptureParams{AmountToCapture: stripego.Int64(900)})
	if err != nil {
		t.Fatal(err)
	}
	piCharge, err := sc.V1Charges.Retrieve(ctx, pi.LatestCharge.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if piCharge.BalanceTransaction == nil {
		t.Fatal("captured PaymentIntent's charge: no balance_transaction")
	}
	wantBalance(t, sc, piCharge.BalanceTransaction.ID, 900, stripeFee(900), piCharge.ID, "charge")

	// The list shows each of them.
	listed := map[string]bool{}
	for bt, err := range sc.V1BalanceTransactions.List(ctx, &stripego.BalanceTransactionListParams{}) {
		if err != nil {
			t.Fatal(err)
		}
		listed[bt.ID] = true
	}
	for _, id := range append(seen, auth.BalanceTransaction.ID, re.BalanceTransaction.ID, re2.BalanceTransaction.ID, piCharge.BalanceTransaction.ID) {
		if !listed[id] {
			t.Errorf("GET /v1/balance_transactions does not list %s", id)
		}
	}
}
