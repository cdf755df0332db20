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
		if err := parted.AppendEventAround(ctx, around, before, stored.JSON, after); err != nil {
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
		if err := m.AppendEventAround(ctx, Object{ID: "evt_9", Type: "event"}, `{"id":"evt_9","data":{"object":`, `{"id":"cus_gone"}`, `}}`); err != nil {
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
	if err := parted.AppendEventAround(ctx, Object{ID: "evt_bad", Type: "event"}, `{"id":"evt_bad","data":{"object":`, `{"id":"cus_4"`, `}`); err == nil {
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
				if err := m.AppendEventAround(ctx, Object{ID: id, Type: "event"}, `{"id":"`+id+`","data":{"object":`, obj.JSON, `},"type":"x"}`); err != nil {
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
