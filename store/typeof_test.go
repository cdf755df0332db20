package store

import (
	"context"
	"errors"
	"testing"
)

// getOnly is a Store without a TypeOf method.
type getOnly struct{ Store }

// TypeOf gives what Get gives as the type, for a Memory (without its
// JSON: filled objects too) and for a store that only has Get.
func TestTypeOf(t *testing.T) {
	ctx := context.Background()
	m, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := NewTemplate([]string{`{"id":"`, `","object":"charge"}`}, []int{0})
	if err != nil {
		t.Fatal(err)
	}
	fill, err := tpl.Fill("ch_1")
	if err != nil {
		t.Fatal(err)
	}
	layout, err := ScanLayout(fill.String())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Put(ctx, Object{ID: "cus_1", Type: "customer", JSON: `{"id":"cus_1"}`}); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Put(ctx, Object{ID: "ch_1", Type: "charge", Filled: fill, Layout: layout}); err != nil {
		t.Fatal(err)
	}
	for _, st := range []Store{m, getOnly{m}} {
		for id, want := range map[string]string{"cus_1": "customer", "ch_1": "charge"} {
			if typ, err := TypeOf(ctx, st, id); typ != want || err != nil {
				t.Errorf("%T: TypeOf(%s) = %q, %v; want %q", st, id, typ, err, want)
			}
		}
		if typ, err := TypeOf(ctx, st, "cus_missing"); typ != "" || !errors.Is(err, ErrNotFound) {
			t.Errorf("%T: TypeOf of a missing id = %q, %v; want not found", st, typ, err)
		}
	}
}
