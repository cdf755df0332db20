package stripe

import (
	"encoding/json"
	"reflect"
	"strconv"
	"testing"

	"github.com/routedeck/routedeck/store"
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

// The charge and balance writers write what json.Marshal writes for
// their structs, and hand the store where the members lie as the store
// itself reads them, for plain values and for values that need escaping.
func TestChargeAndBalanceWritersAreMarshalsBytesAndLayout(t *testing.T) {
	visa := TestCard{Card: Card{Number: "4242424242424242", Brand: "visa", ExpMonth: 12, ExpYear: 2030, Funding: "credit", Country: "US"}}
	odd := TestCard{Card: Card{Number: "4000000000009995", Brand: "vi\"sa", ExpMonth: 1, ExpYear: 99999, Funding: "<credit>", Country: "é\u2028"}}
	decline := &Decline{Code: "card_declined", DeclineCode: "insufficient_funds", Message: "Your card has <insufficient> funds & more."}
	txn, oddTxn := "txn_1", "txn_\"\\\n\xff"
	records := []struct {
		c       chargeRecord
		balance *string
	}{
		{chargeRecord{id: "ch_1", intent: "pi_1", pm: "pm_card_visa", amount: 2000, currency: "usd", card: visa}, &txn},
		{chargeRecord{id: "ch_2", intent: "pi_2", pm: "pm_2", amount: 2000, currency: "eur", card: visa, uncaptured: true}, nil},
		{chargeRecord{id: "ch_3", intent: "pi_3", pm: "pm_3", amount: 5, currency: "usd", card: odd, failed: decline, customer: "cus_1"}, nil},
		{chargeRecord{id: "ch_4", pm: "pm_4", amount: 100, currency: "usd", card: visa, customer: "cus_2", invoice: "in_1"}, &txn},
		{chargeRecord{id: "ch_\"5", intent: "pi_<5>", pm: "tok_&\u00e9\t", amount: -1, currency: "u\\sd", card: odd, customer: "cus_\u2029"}, &oddTxn},
		{chargeRecord{id: "ch_6", intent: "", pm: "", amount: 0, currency: "", card: TestCard{Card: Card{Number: "0000"}}}, nil},
	}
	check := func(what string, got []byte, ms []store.Member, v any) {
		t.Helper()
		want, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("%s:\n got %s\nwant %s", what, got, want)
			return
		}
		given, err := store.MembersLayout(string(got), ms)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		read, err := store.ScanLayout(string(got))
		if err != nil || !reflect.DeepEqual(given, read) {
			t.Errorf("%s: the writer's layout %+v; the store reads %+v %v", what, given, read, err)
		}
	}
	for _, r := range records {
		ch := r.c.object(r.balance, 1700000000)
		var w topWriter
		ch.writeTo(&w)
		check("charge "+r.c.id, w.b, w.members(), ch)
	}
	for _, b := range []struct {
		typ, currency string
		amount        int64
	}{{"charge", "usd", 2000}, {"charge", "usd", 0}, {"refund", "usd", -500}, {"charge", "<é\">", 7}} {
		bt := balanceOf("txn_2", "ch_1", b.typ, b.amount, b.currency, 1700000000)
		var w topWriter
		bt.writeTo(&w)
		check("balance of a "+b.typ, w.b, w.members(), bt)
	}
}

// A charge or balance transaction laid out like the last one stored
// takes its layout; every layout the cache hands out is the store's own
// reading of the object, whether the values keep their lengths and kinds
// or not, escape or not.
func TestLayoutCacheGivesTheStoresReading(t *testing.T) {
	visa := TestCard{Card: Card{Number: "4242424242424242", Brand: "visa", ExpMonth: 12, ExpYear: 2030, Funding: "credit", Country: "US"}}
	amex := TestCard{Card: Card{Number: "378282246310005", Brand: "amex", ExpMonth: 1, ExpYear: 2031, Funding: "credit", Country: "US"}}
	decline := &Decline{Code: "card_declined", DeclineCode: "generic_decline", Message: "Your card was declined."}
	txn, txn2, quoted, short := "txn_1234567890abcd", "txn_abcdefghij1234", "txn_\"123456789012", "t2"
	var charges, balances layoutCache
	reused := 0
	for i, r := range []struct {
		c       chargeRecord
		balance *string
	}{
		{chargeRecord{id: "ch_1234567890abcd", intent: "pi_1234567890abcd", pm: "pm_card_visa", amount: 2000, currency: "usd", card: visa}, &txn},
		// The same lengths and kinds: the last layout.
		{chargeRecord{id: "ch_abcdefghij1234", intent: "pi_abcdefghij1234", pm: "pm_card_visa", amount: 3000, currency: "eur", card: visa}, &txn2},
		// A null, then a string of the null's length: the members lie
		// where they lay, but a value's kind differs.
		{chargeRecord{id: "ch_abcdefghij1235", intent: "pi_abcdefghij1234", pm: "pm_card_visa", amount: 3000, currency: "eur", card: visa}, nil},
		{chargeRecord{id: "ch_abcdefghij1236", intent: "pi_abcdefghij1234", pm: "pm_card_visa", amount: 3000, currency: "eur", card: visa}, &short},
		{chargeRecord{id: "ch_abcdefghij1236", intent: "pi_abcdefghij1234", pm: "pm_card_visa", amount: 3000, currency: "eur", card: visa}, &txn2},
		// An escape in a value of the same length.
		{chargeRecord{id: "ch_abcdefghij1237", intent: "pi_abcdefghij1234", pm: "pm_card_visa", amount: 3000, currency: "eur", card: visa}, &quoted},
		{chargeRecord{id: "ch_abcdefghij1238", intent: "pi_abcdefghij1234", pm: "pm_card_visa", amount: 3000, currency: "eur", card: visa}, &txn2},
		// Other lengths, another card, a decline, a customer.
		{chargeRecord{id: "ch_1", intent: "pi_1", pm: "pm_card_amex", amount: 5, currency: "usd", card: amex}, &txn},
		{chargeRecord{id: "ch_2", intent: "pi_2", pm: "pm_card_amex", amount: 5, currency: "usd", card: amex, failed: decline, customer: "cus_1"}, nil},
		{chargeRecord{id: "ch_3", intent: "pi_3", pm: "pm_card_amex", amount: 5, currency: "usd", card: amex, failed: decline, customer: "cus_2"}, nil},
		{chargeRecord{id: "ch_4", intent: "pi_4", pm: "pm_card_amex", amount: 5, currency: "usd", card: amex, customer: "cus_2"}, &txn},
	} {
		ch := r.c.object(r.balance, 1700000000+int64(i))
		var w topWriter
		ch.writeTo(&w)
		last := charges.last.Load()
		obj := charges.object(r.c.id, "charge", w.b, w.members())
		if last != nil && obj.Layout == last.layout {
			reused++
		}
		read, err := store.ScanLayout(obj.JSON)
		if err != nil || !reflect.DeepEqual(obj.Layout, read) {
			t.Errorf("charge %d: the layout %+v; the store reads %+v %v", i, obj.Layout, read, err)
		}
		bt := balanceOf(txn, r.c.id, "charge", r.c.amount, r.c.currency, 1700000000+int64(i))
		w = topWriter{}
		bt.writeTo(&w)
		obj = balances.object(txn, "balance_transaction", w.b, w.members())
		if read, err := store.ScanLayout(obj.JSON); err != nil || !reflect.DeepEqual(obj.Layout, read) {
			t.Errorf("balance %d: the layout %+v; the store reads %+v %v", i, obj.Layout, read, err)
		}
	}
	// The second, the seventh (like the fifth: the escaped sixth is not
	// kept), the tenth (like the ninth): the rest are laid out anew.
	if reused != 3 {
		t.Errorf("%d charges took the last layout; want 3", reused)
	}
}

// An object with more members than a topWriter notes goes to the store
// without a layout (the store reads it), never with a partial one.
func TestTopWriterPastItsMembers(t *testing.T) {
	var w topWriter
	w.start(nil)
	for i := range maxTop + 1 {
		w.integer("m"+strconv.Itoa(100+i), int64(i))
	}
	w.close()
	if w.members() != nil {
		t.Fatalf("%d members noted of %d", len(w.members()), maxTop+1)
	}
	var c layoutCache
	if obj := c.object("x_1", "x", w.b, w.members()); obj.Layout != nil || !json.Valid([]byte(obj.JSON)) {
		t.Errorf("object %s with layout %+v; want valid JSON and none", obj.JSON, obj.Layout)
	}
}
