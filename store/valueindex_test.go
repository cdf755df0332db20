package store

import (
	"context"
	"fmt"
	"testing"
)

// TestValueIndexHoldsItsType lists charges filtered by customer until
// the filter has an index, then stores charges and refunds of the same
// customers (new, replaced, deleted, one changed from refund to charge):
// the index holds the charges only, every filtered list (charges,
// refunds, any type) still finds exactly the objects with the value,
// newest first, and a list of any type gets an index of its own.
func TestValueIndexHoldsItsType(t *testing.T) {
	ctx := context.Background()
	m, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	m.valueIndexMin = 4
	put := func(id, typ, cus string, created int) {
		t.Helper()
		js := fmt.Sprintf(`{"id":%q,"customer":%q,"created":%d}`, id, cus, created)
		if _, err := m.Put(ctx, Object{ID: id, Type: typ, JSON: js}); err != nil {
			t.Fatal(err)
		}
	}
	list := func(typ, cus string) string {
		t.Helper()
		p, err := m.List(ctx, Query{Type: typ, Equal: map[string]string{"customer": cus}, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		out := ""
		for _, o := range p.Data {
			out += o.ID + " "
		}
		return out
	}
	for i := range 6 {
		put(fmt.Sprintf("ch_%d", i), "charge", fmt.Sprintf("cus_%d", i%2), i)
	}
	if got := list("charge", "cus_0"); got != "ch_4 ch_2 ch_0 " {
		t.Fatalf("charges of cus_0: %s", got)
	}
	if _, ok := m.values[valueKey{"charge", "customer"}]; !ok || len(m.values) != 1 {
		t.Fatalf("after a filtered list of charges the value indexes are %v; want one of charges by customer", m.values)
	}
	for i := range 4 {
		put(fmt.Sprintf("re_%d", i), "refund", fmt.Sprintf("cus_%d", i%2), 10+i)
	}
	put("ch_6", "charge", "cus_0", 20)
	put("ch_2", "charge", "cus_1", 2)  // replaced in place: moves to cus_1
	put("re_2", "charge", "cus_0", 12) // a refund's id stored again as a charge
	if _, err := m.Delete(ctx, "ch_4", false); err != nil {
		t.Fatal(err)
	}
	for v, x := range m.values[valueKey{"charge", "customer"}] {
		for _, e := range *x {
			if e.obj.Type != "charge" {
				t.Errorf("the index of charges by customer holds %s (a %s) under %s", e.obj.ID, e.obj.Type, v)
			}
		}
	}
	for _, c := range []struct{ typ, cus, want string }{
		{"charge", "cus_0", "ch_6 re_2 ch_0 "},
		{"charge", "cus_1", "ch_5 ch_3 ch_2 ch_1 "},
		{"refund", "cus_0", "re_0 "},
		{"refund", "cus_1", "re_3 re_1 "},
		{"", "cus_0", "ch_6 re_2 re_0 ch_0 "},
		{"", "cus_1", "re_3 re_1 ch_5 ch_3 ch_2 ch_1 "},
	} {
		if got := list(c.typ, c.cus); got != c.want {
			t.Errorf("%q objects of %s: %s; want %s", c.typ, c.cus, got, c.want)
		}
	}
	if _, ok := m.values[valueKey{"", "customer"}]; !ok {
		t.Errorf("a filtered list of any type built no index of its own: %v", m.values)
	}
}
