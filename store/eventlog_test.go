package store

import (
	"context"
	"fmt"
	"testing"
)

// A full event log drops its oldest event on every append, many times
// over: the events kept are exactly the newest, each found by its id
// and listed newest first page by page; the dropped ones are gone.
func TestEventLogDropsTheOldest(t *testing.T) {
	ctx := context.Background()
	const max, appends = 40, 1000
	m, err := New(Options{MaxEvents: max})
	if err != nil {
		t.Fatal(err)
	}
	for i := range appends {
		id := fmt.Sprintf("evt_%04d", i)
		obj := fmt.Sprintf(`{"id":%q,"object":"event","created":%d,"type":"charge.succeeded"}`, id, 1800000000+i/3)
		if i%2 == 0 {
			_, err = m.AppendEvent(ctx, Object{ID: id, Type: "event", JSON: obj})
		} else {
			cus := fmt.Sprintf("cus_%04d", i)
			stored, perr := m.Put(ctx, Object{ID: cus, Type: "customer", JSON: `{"id":"` + cus + `","object":"customer"}`})
			if perr != nil {
				t.Fatal(perr)
			}
			err = m.AppendEventAround(ctx, Object{ID: id, Type: "event"},
				fmt.Sprintf(`{"id":%q,"object":"event","created":%d,"data":{"object":`, id, 1800000000+i/3), stored, `}}`)
		}
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.AppendEvent(ctx, Object{ID: id, Type: "event", JSON: obj}); err == nil {
			t.Fatalf("%s appended twice", id)
		}
	}
	for i := range appends {
		id := fmt.Sprintf("evt_%04d", i)
		_, err := m.GetEvent(ctx, id)
		if kept := i >= appends-max; kept != (err == nil) {
			t.Errorf("GetEvent(%s): %v; kept %v", id, err, kept)
		}
	}
	var listed []string
	q := Query{Limit: 7}
	for {
		p, err := m.ListEvents(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range p.Data {
			listed = append(listed, o.ID)
		}
		if !p.HasMore {
			break
		}
		q.StartingAfter = p.Data[len(p.Data)-1].ID
	}
	if len(listed) != max {
		t.Fatalf("listed %d events, want %d: %v", len(listed), max, listed)
	}
	for k, id := range listed {
		if want := fmt.Sprintf("evt_%04d", appends-1-k); id != want {
			t.Fatalf("event %d listed is %s, want %s", k, id, want)
		}
	}
	// The id of a dropped event can be used again.
	if _, err := m.AppendEvent(ctx, Object{ID: "evt_0000", Type: "event", JSON: `{"id":"evt_0000","object":"event"}`}); err != nil {
		t.Errorf("appending a dropped event's id: %v", err)
	}
}
