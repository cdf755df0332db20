package history_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/routedeck/routedeck/store"
	"github.com/routedeck/routedeck/store/history"
	"github.com/routedeck/routedeck/store/storetest"
)

func TestHistoryRecordsWritesWithTheirOrigin(t *testing.T) {
	mem, err := store.New(store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	h := history.New(mem, history.Options{MaxVersions: 3, MaxObjects: 2})
	ctx := context.Background()
	create := store.WithOrigin(ctx, store.Origin{Method: "POST", Path: "/v1/payment_intents", RequestID: "req_1"})
	confirm := store.WithOrigin(ctx, store.Origin{Method: "POST", Path: "/v1/payment_intents/pi_1/confirm", RequestID: "req_2"})
	if _, err := h.Put(create, store.Object{ID: "pi_1", Type: "payment_intent", JSON: `{"id":"pi_1","status":"requires_payment_method","amount":100}`}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Update(confirm, "pi_1", func(o store.Object) (store.Object, error) {
		o.JSON = `{"id":"pi_1","status":"requires_action","amount":100,"next_action":{"type":"use_stripe_sdk"}}`
		return o, nil
	}); err != nil {
		t.Fatal(err)
	}
	// A refused update records nothing.
	if _, err := h.Update(confirm, "pi_1", func(o store.Object) (store.Object, error) { return o, fmt.Errorf("no") }); err == nil {
		t.Fatal("want the update's error")
	}
	vs := h.History("pi_1")
	if len(vs) != 2 || vs[0].Origin.RequestID != "req_1" || vs[1].Origin.Path != "/v1/payment_intents/pi_1/confirm" || vs[1].Deleted {
		t.Fatalf("history %+v", vs)
	}
	got := history.Changes(vs[0].JSON, vs[1].JSON)
	want := []history.Change{{Field: "status", From: "requires_payment_method", To: "requires_action"},
		{Field: "next_action", To: `{"type":"use_stripe_sdk"}`}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("changes %+v, want %+v", got, want)
	}
	// Nested objects show the member that changed; a removed member too.
	got = history.Changes(`{"a":1,"t":{"paid_at":null,"x":1},"gone":true}`, `{"a":1,"t":{"paid_at":123,"x":1}}`)
	want = []history.Change{{Field: "t.paid_at", From: "null", To: "123"}, {Field: "gone", From: "true"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("nested changes %+v, want %+v", got, want)
	}

	// Bounded: the oldest versions go, then the oldest object's history.
	for i := range 4 {
		if _, err := h.Update(ctx, "pi_1", func(o store.Object) (store.Object, error) {
			o.JSON = fmt.Sprintf(`{"id":"pi_1","n":%d}`, i)
			return o, nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	if vs := h.History("pi_1"); len(vs) != 3 || vs[2].JSON != `{"id":"pi_1","n":3}` || vs[0].JSON != `{"id":"pi_1","n":1}` {
		t.Fatalf("bounded versions: %+v", vs)
	}
	for _, id := range []string{"cus_1", "cus_2"} {
		if _, err := h.Put(ctx, store.Object{ID: id, Type: "customer", JSON: `{"id":"` + id + `"}`}); err != nil {
			t.Fatal(err)
		}
	}
	if h.History("pi_1") != nil || len(h.History("cus_2")) != 1 {
		t.Fatalf("bounded objects: pi_1 %d versions, cus_2 %d", len(h.History("pi_1")), len(h.History("cus_2")))
	}
	// MaxTotal bounds the versions in all.
	small := history.New(mem, history.Options{MaxTotal: 3})
	for i := range 4 {
		id := fmt.Sprintf("prod_%d", i)
		if _, err := small.Put(ctx, store.Object{ID: id, Type: "product", JSON: `{"id":"` + id + `"}`}); err != nil {
			t.Fatal(err)
		}
	}
	if small.History("prod_0") != nil || len(small.History("prod_1")) != 1 || len(small.History("prod_3")) != 1 {
		t.Fatalf("MaxTotal 3 kept prod_0 (%d) or lost a newer one", len(small.History("prod_0")))
	}

	// A delete is a version; a reset forgets everything.
	if _, err := h.Delete(ctx, "cus_2", true); err != nil {
		t.Fatal(err)
	}
	if vs := h.History("cus_2"); len(vs) != 2 || !vs[1].Deleted {
		t.Fatalf("after delete: %+v", vs)
	}
	if err := h.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	if h.History("cus_1") != nil {
		t.Fatal("a reset kept a history")
	}
}

// The wrapper is a store like any other: the store suite passes through it.
func TestHistoryStoreKeepsTheStoreContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T, opts store.Options) (store.Store, error) {
		m, err := store.New(opts)
		if err != nil {
			return nil, err
		}
		t.Cleanup(func() { _ = m.Close() })
		return history.New(m, history.Options{}), nil
	})
}

// An object put as a template and its values (a prepared create) is
// recorded as kept, and its history reads its text, as written, after
// the object changed.
func TestHistoryOfFilledObject(t *testing.T) {
	mem, err := store.New(store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	h := history.New(mem, history.Options{})
	ctx := context.Background()
	tm, err := store.NewTemplate([]string{`{"id":"`, `","object":"charge","amount":`, `,"status":"succeeded"}`}, []int{0, 1})
	if err != nil {
		t.Fatal(err)
	}
	f, err := tm.Fill("ch_1", "2000")
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":"ch_1","object":"charge","amount":2000,"status":"succeeded"}`
	l, err := store.ScanLayout(want)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.Put(ctx, store.Object{ID: "ch_1", Type: "charge", Filled: f, Layout: l}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Update(ctx, "ch_1", func(o store.Object) (store.Object, error) {
		o.JSON = `{"id":"ch_1","object":"charge","amount":2000,"status":"refunded"}`
		return o, nil
	}); err != nil {
		t.Fatal(err)
	}
	vs := h.History("ch_1")
	if len(vs) != 2 || vs[0].JSON != want || vs[1].JSON != `{"id":"ch_1","object":"charge","amount":2000,"status":"refunded"}` {
		t.Fatalf("history %+v", vs)
	}
	if !reflect.DeepEqual(h.History("ch_1"), vs) {
		t.Fatal("a second read of the history differs")
	}
}
