package stripe

import (
	"reflect"
	"testing"

	"github.com/routedeck/routedeck/store"
)

// A confirm's succeeded charge kept as a fill is the writer's text byte
// for byte (and so json.Marshal's), with the store's own reading of it as
// its layout, whether its values keep the last one's lengths or not; any
// other charge (failed, uncaptured, an invoice's, a customer's, an
// escape) is left to the writer.
func TestChargeFillIsTheWritersText(t *testing.T) {
	visa := TestCard{Card: Card{Number: "4242424242424242", Brand: "visa", ExpMonth: 12, ExpYear: 2034, Funding: "credit", Country: "US"}}
	amex := TestCard{Card: Card{Number: "378282246310005", Brand: "amex", ExpMonth: 3, ExpYear: 2031, Funding: "debit", Country: "GB"}}
	decline := Decline{Code: "card_declined", DeclineCode: "generic_decline", Message: "Your card was declined."}
	txn := "txn_1234567890abcd"
	var cf chargeFills
	for _, c := range []struct {
		name    string
		rec     chargeRecord
		balance *string
		fill    bool
	}{
		{"visa", chargeRecord{id: "ch_1234567890abcd", intent: "pi_1234567890abcd", pm: "pm_card_visa", amount: 2000, currency: "usd", card: visa}, &txn, true},
		{"same lengths", chargeRecord{id: "ch_abcdefghij1234", intent: "pi_abcdefghij1234", pm: "pm_card_amex", amount: 3000, currency: "eur", card: amex}, &txn, true},
		{"other lengths", chargeRecord{id: "ch_1", intent: "pi_1", pm: "pm_1", amount: 7, currency: "usd", card: amex}, &txn, true},
		{"failed", chargeRecord{id: "ch_2", intent: "pi_2", pm: "pm_1", amount: 7, currency: "usd", card: visa, failed: &decline}, nil, false},
		{"uncaptured", chargeRecord{id: "ch_3", intent: "pi_3", pm: "pm_1", amount: 7, currency: "usd", card: visa, uncaptured: true}, nil, false},
		{"customer's", chargeRecord{id: "ch_4", intent: "pi_4", pm: "pm_1", amount: 7, currency: "usd", card: visa, customer: "cus_1"}, &txn, false},
		{"invoice's", chargeRecord{id: "ch_5", pm: "pm_1", amount: 7, currency: "usd", card: visa, customer: "cus_1", invoice: "in_1"}, &txn, false},
		{"escaped", chargeRecord{id: "ch_6", intent: "pi_6", pm: `pm_<"é">`, amount: 7, currency: "usd", card: visa}, &txn, false},
		{"no balance", chargeRecord{id: "ch_7", intent: "pi_7", pm: "pm_1", amount: 7, currency: "usd", card: visa}, nil, false},
	} {
		ch := c.rec.object(c.balance, 1700000000)
		other := ch
		other.Refunds.URL = "/v1/charges/ch_other/refunds"
		if _, ok := cf.object(&other); ok {
			t.Errorf("%s: a charge whose refunds are another's is filled", c.name)
		}
		obj, ok := cf.object(&ch)
		if ok != c.fill {
			t.Errorf("%s: filled %v, want %v", c.name, ok, c.fill)
			continue
		}
		if !ok {
			continue
		}
		var w topWriter
		ch.writeTo(&w)
		if got := obj.Filled.String(); got != string(w.b) {
			t.Errorf("%s:\n  fill %s\nwriter %s", c.name, got, w.b)
		}
		if obj.ID != c.rec.id || obj.Type != "charge" || obj.JSON != "" {
			t.Errorf("%s: object %q %q (JSON %q)", c.name, obj.ID, obj.Type, obj.JSON)
		}
		read, err := store.ScanLayout(string(w.b))
		if err != nil || !reflect.DeepEqual(obj.Layout, read) {
			t.Errorf("%s: the layout %+v; the store reads %+v %v", c.name, obj.Layout, read, err)
		}
	}
}
