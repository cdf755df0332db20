package stripe

import (
	"reflect"
	"testing"

	"github.com/routedeck/routedeck/store"
)

// A charge's balance transaction kept as a fill is the writer's text
// byte for byte (and so json.Marshal's), with the store's own reading of
// it as its layout, whether its values keep the last one's lengths or
// not; any other (a refund's, no fee, an escape) is left to the writer.
func TestBalanceFillIsTheWritersText(t *testing.T) {
	var bf balanceFills
	for i, b := range []struct {
		id, source, typ, currency string
		amount                    int64
		fill                      bool
	}{
		{"txn_1234567890abcd", "ch_1234567890abcd", "charge", "usd", 2000, true},
		{"txn_abcdefghij1234", "ch_abcdefghij1234", "charge", "eur", 3000, true}, // the last one's lengths
		{"txn_1", "ch_1", "charge", "usd", 777, true},
		{"txn_2", "ch_2", "charge", "usd", 123456789, true},
		{"txn_3", "re_3", "refund", "usd", -500, false},
		{"txn_4", "ch_4", "charge", "usd", 0, false},
		{"txn_5", "ch_5", "charge", "<é\">", 7, false},
	} {
		bt := balanceOf(b.id, b.source, b.typ, b.amount, b.currency, 1700000000+int64(i))
		obj, ok := bf.object(&bt)
		if ok != b.fill {
			t.Errorf("%s: filled %v, want %v", b.id, ok, b.fill)
			continue
		}
		if !ok {
			continue
		}
		var w topWriter
		bt.writeTo(&w)
		if got := obj.Filled.String(); got != string(w.b) {
			t.Errorf("%s:\n fill %s\nwriter %s", b.id, got, w.b)
		}
		if obj.ID != b.id || obj.Type != "balance_transaction" || obj.JSON != "" {
			t.Errorf("%s: object %q %q (JSON %q)", b.id, obj.ID, obj.Type, obj.JSON)
		}
		read, err := store.ScanLayout(string(w.b))
		if err != nil || !reflect.DeepEqual(obj.Layout, read) {
			t.Errorf("%s: the layout %+v; the store reads %+v %v", b.id, obj.Layout, read, err)
		}
	}
}
