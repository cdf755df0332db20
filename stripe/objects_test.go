package stripe

import (
	"encoding/json"
	"testing"
)

// The charges and balance transactions routedeck makes are written from
// structs; they must be the bytes the maps they were first written from
// give (encoding/json sorts a map's keys), so that stored objects, their
// events and saved stores read as before.
func TestChargeAndBalanceObjectsKeepTheirBytes(t *testing.T) {
	visa := TestCard{Card: Card{Number: "4242424242424242", Brand: "visa", ExpMonth: 12, ExpYear: 2030, Funding: "credit", Country: "US"}}
	decline := &Decline{Code: "card_declined", DeclineCode: "insufficient_funds", Message: "Your card has <insufficient> funds & more."}
	txn := "txn_1"
	records := []struct {
		c       chargeRecord
		balance *string
	}{
		{chargeRecord{id: "ch_1", intent: "pi_1", pm: "pm_1", amount: 2000, currency: "usd", card: visa}, &txn},
		{chargeRecord{id: "ch_2", intent: "pi_2", pm: "pm_2", amount: 2000, currency: "eur", card: visa, uncaptured: true}, nil},
		{chargeRecord{id: "ch_3", intent: "pi_3", pm: "pm_3", amount: 5, currency: "usd", card: visa, failed: decline, customer: "cus_1"}, nil},
		{chargeRecord{id: "ch_4", pm: "pm_4", amount: 100, currency: "usd", card: visa, customer: "cus_2", invoice: "in_1"}, &txn},
	}
	for _, r := range records {
		got, err := json.Marshal(r.c.object(r.balance, 1700000000))
		if err != nil {
			t.Fatal(err)
		}
		want, err := json.Marshal(chargeMap(r.c, r.balance, 1700000000))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("charge %s:\n got %s\nwant %s", r.c.id, got, want)
		}
	}
	for _, b := range []struct {
		typ    string
		amount int64
	}{{"charge", 2000}, {"charge", 0}, {"refund", -500}} {
		got, err := json.Marshal(balanceOf("txn_2", "ch_1", b.typ, b.amount, "usd", 1700000000))
		if err != nil {
			t.Fatal(err)
		}
		want, err := json.Marshal(balanceMap("txn_2", "ch_1", b.typ, b.amount, "usd", 1700000000))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("balance of a %s of %d:\n got %s\nwant %s", b.typ, b.amount, got, want)
		}
	}
}

// chargeMap is the map storeCharge first wrote a charge from.
func chargeMap(c chargeRecord, balance *string, now int64) map[string]any {
	status, paid := "succeeded", true
	outcome := map[string]any{"network_status": "approved_by_network", "reason": nil, "risk_level": "normal",
		"seller_message": "Payment complete.", "type": "authorized"}
	var failureCode, failureMessage any
	if c.failed != nil {
		status, paid = "failed", false
		outcome = map[string]any{"network_status": "declined_by_network", "reason": c.failed.DeclineCode, "risk_level": "normal",
			"seller_message": "The bank did not return any further details with this decline.", "type": "issuer_declined"}
		failureCode, failureMessage = c.failed.Code, c.failed.Message
	}
	captured := c.failed == nil && !c.uncaptured
	amountCaptured := int64(0)
	if captured {
		amountCaptured = c.amount
	}
	card := c.card.Card
	ch := map[string]any{
		"id": c.id, "object": "charge", "amount": c.amount, "amount_captured": amountCaptured, "amount_refunded": 0,
		"captured": captured, "created": now, "currency": c.currency, "failure_code": failureCode,
		"failure_message": failureMessage, "livemode": false, "metadata": map[string]any{}, "outcome": outcome, "paid": paid,
		"payment_intent": c.intent, "payment_method": c.pm, "refunded": false, "refunds": map[string]any{
			"object": "list", "data": []any{}, "has_more": false, "url": "/v1/charges/" + c.id + "/refunds"},
		"payment_method_details": map[string]any{"type": "card", "card": map[string]any{
			"brand": card.Brand, "last4": card.Last4(), "exp_month": card.ExpMonth, "exp_year": card.ExpYear,
			"funding": card.Funding, "country": card.Country}},
		"status": status, "balance_transaction": nil,
	}
	if c.customer != "" {
		ch["customer"] = c.customer
	}
	if c.invoice != "" {
		ch["description"] = "Payment for Invoice " + c.invoice
		ch["payment_intent"] = nil
	}
	if captured && balance != nil {
		ch["balance_transaction"] = *balance
	}
	return ch
}

// balanceMap is the map storeBalance first wrote a transaction from.
func balanceMap(id, source, typ string, amount int64, currency string, now int64) map[string]any {
	var fee int64
	if typ == "charge" && amount > 0 {
		fee = (amount*29+500)/1000 + 30
	}
	feeDetails := []any{}
	if fee > 0 {
		feeDetails = append(feeDetails, map[string]any{"amount": fee, "application": nil, "currency": currency,
			"description": "Stripe processing fees", "type": "stripe_fee"})
	}
	return map[string]any{
		"id": id, "object": "balance_transaction", "amount": amount, "available_on": now + 2*24*3600, "created": now,
		"currency": currency, "description": nil, "exchange_rate": nil, "fee": fee, "fee_details": feeDetails,
		"net": amount - fee, "reporting_category": typ, "source": source, "status": "pending", "type": typ,
	}
}
