package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// An event kept as the text around its object reads back (GetEvent,
// ListEvents with filters, a saved file) byte for byte as the same event
// appended whole.
func TestAppendEventAroundReadsAsAppendEvent(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	whole, err := New(Options{MaxEvents: 3, Path: filepath.Join(dir, "whole.json"), SaveEvery: -1})
	if err != nil {
		t.Fatal(err)
	}
	parted, err := New(Options{MaxEvents: 3, Path: filepath.Join(dir, "parted.json"), SaveEvery: -1})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		id := fmt.Sprintf("cus_%d", i)
		obj := fmt.Sprintf(`{"id":%q,"object":"customer","created":17000000%02d,"email":"a%d@example.com"}`, id, i, i)
		typ := "customer.created"
		if i%2 == 1 {
			typ = "customer.updated"
		}
		before := fmt.Sprintf(`{"id":"evt_%d","object":"event","api_version":"2024-06-20","created":18000000%02d,"data":{"object":`, i, i)
		after := fmt.Sprintf(`},"livemode":false,"pending_webhooks":%d,"request":{"id":null,"idempotency_key":null},"type":%q}`, i*7, typ)
		for _, m := range []*Memory{whole, parted} {
			if _, err := m.Put(ctx, Object{ID: id, Type: "customer", JSON: obj}); err != nil {
				t.Fatal(err)
			}
		}
		stored, err := parted.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		ev := Object{ID: fmt.Sprintf("evt_%d", i), Type: "event"}
		around := ev
		switch i % 3 {
		case 1: // the envelope, joined already
			around.JSON = before + "{}" + after
		case 2: // another text: ignored
			around.JSON = strings.Replace(before+"{}"+after, `"livemode":false`, `"livemode":"fal"`, 1)
		}
		if err := parted.AppendEventAround(ctx, around, before, Object{JSON: stored.JSON}, after); err != nil {
			t.Fatal(err)
		}
		ev.JSON = before + obj + after
		if _, err := whole.AppendEvent(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	if parted.events.parted != 3 {
		t.Fatalf("%d events kept as parts; want the 3 the log holds", parted.events.parted)
	}
	for _, q := range []Query{{}, {Limit: 2}, {Equal: map[string]string{"type": "customer.updated"}}, {Equal: map[string]string{"pending_webhooks": "28"}}, {Equal: map[string]string{"livemode": "false"}},
		{Created: Range{Gte: ptr(int64(1800000003))}}} {
		want, err1 := whole.ListEvents(ctx, q)
		got, err2 := parted.ListEvents(ctx, q)
		if err1 != nil || err2 != nil || !reflect.DeepEqual(got, want) || len(want.Data) == 0 {
			t.Errorf("ListEvents(%+v):\n got %+v %v\nwant %+v %v", q, got, err2, want, err1)
		}
	}
	if _, err := parted.GetEvent(ctx, "evt_0"); err == nil {
		t.Error("evt_0 is past the cap of 3 but still kept")
	}
	for _, m := range []*Memory{whole, parted} {
		if err := m.AppendEventAround(ctx, Object{ID: "evt_9", Type: "event"}, `{"id":"evt_9","data":{"object":`, Object{JSON: `{"id":"cus_gone"}`}, `}}`); err != nil {
			t.Fatal(err) // not a stored object: read and kept whole
		}
		if err := m.Save(); err != nil {
			t.Fatal(err)
		}
	}
	a, _ := os.ReadFile(filepath.Join(dir, "whole.json"))
	b, _ := os.ReadFile(filepath.Join(dir, "parted.json"))
	if string(a) != string(b) || len(a) == 0 {
		t.Errorf("saved files differ:\n%s\n%s", a, b)
	}
	if err := parted.AppendEventAround(ctx, Object{ID: "evt_bad", Type: "event"}, `{"id":"evt_bad","data":{"object":`, Object{JSON: `{"id":"cus_4"`}, `}`); err == nil {
		t.Error("an event that is not JSON was kept")
	}
}

func ptr[T any](v T) *T { return &v }

// Appends (past the cap) and reads of events kept as parts, at once,
// race-free.
func TestAppendEventAroundConcurrent(t *testing.T) {
	ctx := context.Background()
	m, err := New(Options{MaxEvents: 50})
	if err != nil {
		t.Fatal(err)
	}
	obj, err := m.Put(ctx, Object{ID: "cus_1", Type: "customer", JSON: `{"id":"cus_1","object":"customer"}`})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				id := fmt.Sprintf("evt_%d_%d", w, i)
				if err := m.AppendEventAround(ctx, Object{ID: id, Type: "event"}, `{"id":"`+id+`","data":{"object":`, Object{JSON: obj.JSON}, `},"type":"x"}`); err != nil {
					t.Error(err)
					return
				}
				ev, err := m.GetEvent(ctx, id)
				if errors.Is(err, ErrNotFound) {
					continue // dropped past the cap by the other writers meanwhile
				}
				if err != nil || ev.JSON != `{"id":"`+id+`","data":{"object":`+obj.JSON+`},"type":"x"}` {
					t.Errorf("GetEvent(%s) = %q, %v", id, ev.JSON, err)
					return
				}
				if _, err := m.ListEvents(ctx, Query{Limit: 3}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// An object written with its members in name order has its "id"
// anywhere, after nested objects that have ids of their own (of other
// stored objects, even): an event around it is still kept as parts, and
// reads back as the event appended whole. An object that is not stored
// as it is, is read whole.
func TestAppendEventAroundFindsTheIDAnywhere(t *testing.T) {
	ctx := context.Background()
	parted, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	whole, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	objs := []Object{
		{ID: "cus_1", Type: "customer", JSON: `{"id":"cus_1","object":"customer"}`},
		{ID: "ch_1", Type: "charge", JSON: `{"amount":2000,"billing":{"id":"cus_1","object":"customer"},"id":"ch_1","object":"charge"}`},
		{ID: "ch_2", Type: "charge", JSON: `{"a":{"id":"x"},"b":{"id":"y"},"c":{"id":"z"},"d":{"id":"w"},"e":{"id":"v"},"id":"ch_2"}`},
	}
	for _, m := range []*Memory{parted, whole} {
		for _, o := range objs {
			if _, err := m.Put(ctx, o); err != nil {
				t.Fatal(err)
			}
		}
	}
	before := func(id string) string {
		return `{"id":"` + id + `","object":"event","created":1,"data":{"object":`
	}
	const after = `},"type":"charge.succeeded"}`
	for i, tc := range []struct {
		object string
		parts  bool
	}{
		{objs[1].JSON, true},
		{`{"amount":2000,"id":"ch_1","object":"charge","extra":1}`, false}, // not as stored
		{`{"amount":2000,"id":"ch_9"}`, false},                             // not stored
		{objs[2].JSON, false},                                              // its id is past the members looked at
	} {
		id := fmt.Sprintf("evt_%d", i)
		was := parted.events.parted
		if err := parted.AppendEventAround(ctx, Object{ID: id, Type: "event"}, before(id), Object{JSON: tc.object}, after); err != nil {
			t.Fatal(err)
		}
		if got := parted.events.parted - was; got != map[bool]int{true: 1, false: 0}[tc.parts] {
			t.Errorf("event %d around %s: %d kept as parts; want kept so %v", i, tc.object, got, tc.parts)
		}
		if _, err := whole.AppendEvent(ctx, Object{ID: id, Type: "event", JSON: before(id) + tc.object + after}); err != nil {
			t.Fatal(err)
		}
		got, err1 := parted.GetEvent(ctx, id)
		want, err2 := whole.GetEvent(ctx, id)
		if err1 != nil || err2 != nil || got != want {
			t.Errorf("event %d: %+v %v; appended whole %+v %v", i, got, err1, want, err2)
		}
	}
}

// Events of two kinds appended around objects in turn (a paying
// confirm's charge.succeeded and payment_intent.succeeded) share the
// fields of the last of their kind, and read back, filters included, as
// the same events appended whole.
func TestAppendEventAroundKindsInTurn(t *testing.T) {
	ctx := context.Background()
	whole, err := New(Options{MaxEvents: 6})
	if err != nil {
		t.Fatal(err)
	}
	parted, err := New(Options{MaxEvents: 6})
	if err != nil {
		t.Fatal(err)
	}
	var kept [2][]*entry
	for i := range 10 {
		kind := i % 2
		id := fmt.Sprintf("ch_%02d", i)
		obj := fmt.Sprintf(`{"id":%q,"object":"charge","amount":%d,"paid":true}`, id, 1000+i)
		typ := "charge.succeeded"
		if kind == 1 {
			id = fmt.Sprintf("pi_%02d", i)
			obj = fmt.Sprintf(`{"id":%q,"object":"payment_intent","amount":%d,"status":"succeeded","customer":null}`, id, 2000+i)
			typ = "payment_intent.succeeded"
		}
		before := fmt.Sprintf(`{"id":"evt_%02d","object":"event","created":18000000%02d,"data":{"object":`, i, i)
		after := fmt.Sprintf(`},"pending_webhooks":%d,"type":%q}`, kind, typ)
		for _, m := range []*Memory{whole, parted} {
			if _, err := m.Put(ctx, Object{ID: id, Type: "x", JSON: obj}); err != nil {
				t.Fatal(err)
			}
		}
		stored, err := parted.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		evID := fmt.Sprintf("evt_%02d", i)
		if err := parted.AppendEventAround(ctx, Object{ID: evID, Type: "event"}, before, Object{JSON: stored.JSON}, after); err != nil {
			t.Fatal(err)
		}
		if _, err := whole.AppendEvent(ctx, Object{ID: evID, Type: "event", JSON: before + obj + after}); err != nil {
			t.Fatal(err)
		}
		parted.mu.RLock()
		kept[kind] = append(kept[kind], parted.events.byID.get(evID))
		parted.mu.RUnlock()
	}
	for kind, es := range kept {
		for _, e := range es[1:] {
			if e.nf == 0 || e.fp != es[0].fp {
				t.Errorf("kind %d: event %s keeps fields of its own, not its kind's", kind, e.obj.ID)
			}
		}
	}
	for _, q := range []Query{{}, {Equal: map[string]string{"type": "charge.succeeded"}}, {Equal: map[string]string{"pending_webhooks": "1"}},
		{Equal: map[string]string{"id": "evt_07"}}, {Created: Range{Gte: ptr(int64(1800000006))}}} {
		want, err1 := whole.ListEvents(ctx, q)
		got, err2 := parted.ListEvents(ctx, q)
		if err1 != nil || err2 != nil || !reflect.DeepEqual(got, want) || len(want.Data) == 0 {
			t.Errorf("ListEvents(%+v):\n got %+v %v\nwant %+v %v", q, got, err2, want, err1)
		}
	}
}
