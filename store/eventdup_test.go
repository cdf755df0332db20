package store_test

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/routedeck/routedeck/store"
)

// An event whose id is in the log already is refused, by AppendEvent
// and AppendEventAround alike, and the log stays as it was: the logged
// event kept, none dropped from a full log, the version unchanged.
func TestAppendEventRefusesLoggedID(t *testing.T) {
	m := newMemory(t, store.Options{MaxEvents: 3})
	obj := mustPut(t, m, store.Object{ID: "cus_1", Type: "customer", JSON: `{"id":"cus_1","object":"customer","created":1700000000}`})
	event := func(id string, created int) store.Object {
		return store.Object{ID: id, Type: "event", JSON: fmt.Sprintf(`{"id":%q,"object":"event","created":%d,"data":{"object":{}}}`, id, created)}
	}
	for i := range 3 {
		if _, err := m.AppendEvent(ctx, event(fmt.Sprintf("evt_%d", i), 1800000000+i)); err != nil {
			t.Fatal(err)
		}
	}
	all := store.Query{Limit: 10}
	before, err := m.ListEvents(ctx, all)
	if err != nil {
		t.Fatal(err)
	}
	version := m.Stats().Version
	for _, id := range []string{"evt_0", "evt_1", "evt_2"} {
		if _, err := m.AppendEvent(ctx, event(id, 1900000000)); err == nil || !strings.Contains(err.Error(), "already in the log") {
			t.Errorf("AppendEvent(%s) again: %v; want already in the log", id, err)
		}
		ev := event(id, 1900000000)
		b, a := fmt.Sprintf(`{"id":%q,"object":"event","created":1900000000,"data":{"object":`, id), `}}`
		if err := m.AppendEventAround(ctx, ev, b, store.Object{JSON: obj.JSON}, a); err == nil || !strings.Contains(err.Error(), "already in the log") {
			t.Errorf("AppendEventAround(%s) again: %v; want already in the log", id, err)
		}
		got, err := m.GetEvent(ctx, id)
		if want := event(id, 0); err != nil || got.ID != id || !strings.Contains(got.JSON, `"created":18000000`) {
			t.Errorf("GetEvent(%s) after the refusals: %+v, %v; want the logged %s", id, got, err, want.ID)
		}
	}
	after, err := m.ListEvents(ctx, all)
	if err != nil || !reflect.DeepEqual(after, before) {
		t.Errorf("the log after the refusals:\n%+v %v\nwant\n%+v", after, err, before)
	}
	if v := m.Stats().Version; v != version {
		t.Errorf("version %d after the refusals; want %d", v, version)
	}
	// The next new id is logged, dropping the oldest.
	if _, err := m.AppendEvent(ctx, event("evt_3", 1800000003)); err != nil {
		t.Fatal(err)
	}
	if _, err := m.GetEvent(ctx, "evt_0"); err == nil {
		t.Error("evt_0 is still logged past the cap of 3")
	}
	if p, err := m.ListEvents(ctx, all); err != nil || len(p.Data) != 3 || p.Data[0].ID != "evt_3" {
		t.Errorf("the log after a new event: %+v, %v; want evt_3 newest of 3", p, err)
	}
	// A dropped event is no cursor, and its id may be logged again, many
	// times over the cap.
	for _, q := range []store.Query{{StartingAfter: "evt_0"}, {EndingBefore: "evt_0"}} {
		if p, err := m.ListEvents(ctx, q); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("ListEvents(%+v) naming a dropped event: %+v, %v; want not found", q, p, err)
		}
	}
	for i := range 20 {
		id := fmt.Sprintf("evt_%d", i%5)
		if _, err := m.AppendEvent(ctx, event(id, 2000000000+i)); err != nil {
			t.Errorf("append %d (%s, dropped four appends ago): %v", i, id, err)
		}
		if _, err := m.AppendEvent(ctx, event(id, 2000000000+i)); err == nil {
			t.Errorf("append %d (%s) twice: no error", i, id)
		}
	}
	if p, err := m.ListEvents(ctx, all); err != nil || idsOf(p.Data) != "evt_4 evt_3 evt_2" {
		t.Errorf("the log after the rounds: %v, %v; want evt_4 evt_3 evt_2", idsOf(p.Data), err)
	}
}

// idsOf is the ids of objs, in order.
func idsOf(objs []store.Object) string {
	ids := make([]string, len(objs))
	for i, o := range objs {
		ids[i] = o.ID
	}
	return strings.Join(ids, " ")
}
