package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/routedeck/routedeck/server"
	"github.com/routedeck/routedeck/store"
)

// memView shows a real store in the pane, as main's adapter does.
type memView struct{ st *store.Memory }

func (v memView) Summary() StoreSummary {
	s := v.st.Stats()
	return StoreSummary{Version: s.Version, Objects: s.Objects, Types: s.Types}
}

func (v memView) Recent(filter string, limit int) []StoredObject {
	q := store.Query{Limit: limit}
	if filter != "" {
		q.Match = func(o store.Object) bool { return strings.Contains(o.ID+o.Type+o.JSON, filter) }
	}
	p, _ := v.st.List(context.Background(), q)
	out := make([]StoredObject, len(p.Data))
	for i, o := range p.Data {
		out[i] = StoredObject{ID: o.ID, Type: o.Type, Parent: o.Parent, Created: o.Created, JSON: o.JSON}
	}
	return out
}

func (v memView) Reset() error { return v.st.Reset(context.Background()) }

func TestStorePane(t *testing.T) {
	st, err := store.New(store.Options{Seed: []store.Object{
		{ID: "cus_seed", Type: "customer", Created: 100, JSON: `{"id":"cus_seed","object":"customer"}`},
	}})
	if err != nil {
		t.Fatal(err)
	}
	m, f := newFixtureWith(t, 120, 30, func(c *Config) { c.Store = memView{st} })
	if !strings.Contains(m.View(), "1 objects") {
		t.Fatalf("header without the object count:\n%s", m.View())
	}
	ctx := context.Background()
	for _, o := range []store.Object{
		{ID: "cus_A", Type: "customer", Created: 200, JSON: `{"id":"cus_A","object":"customer","email":"a@example.com"}`},
		{ID: "card_B", Type: "card", Parent: "cus_A", Created: 300, JSON: `{"id":"card_B","object":"card","customer":"cus_A"}`},
	} {
		if _, err := st.Put(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	// A request arrives: the log gets it, the header counts the objects.
	m, _ = send(t, m, requestMsg(server.Event{Method: "POST", Path: "/v1/customers", Status: 200, Route: "POST /v1/customers",
		Change: server.Change{Op: "created", Type: "customer", ID: "cus_A"}}))
	if !strings.Contains(m.View(), "3 objects") {
		t.Fatalf("header after creates:\n%s", m.View())
	}

	m = press(t, m, keyRunes("s"))
	v := m.View()
	if !strings.Contains(v, "Store") || !strings.Contains(v, "customer 2 · card 1") {
		t.Fatalf("store pane:\n%s", v)
	}
	card, cusA, seed := strings.Index(v, "card_B"), strings.Index(v, "cus_A"), strings.Index(v, "cus_seed")
	if card < 0 || cusA < 0 || seed < 0 || !(card < cusA && cusA < seed) {
		t.Fatalf("objects not newest first:\n%s", v)
	}
	if !strings.Contains(v, "under cus_A") {
		t.Errorf("the card's parent is not shown:\n%s", v)
	}

	// / filters.
	m = press(t, m, keyRunes("/"))
	m = typeText(t, m, "a@example")
	m = press(t, m, keyEnter)
	v = m.View()
	if !strings.Contains(v, "cus_A") || strings.Contains(v, "card_B") || strings.Contains(v, "cus_seed") {
		t.Fatalf("filter a@example:\n%s", v)
	}
	// enter opens the object; c copies it.
	m = press(t, m, keyEnter)
	if v = m.View(); !strings.Contains(v, `"email": "a@example.com"`) {
		t.Fatalf("opened object:\n%s", v)
	}
	m = press(t, m, keyRunes("c"))
	if got := f.lastCopied(t); !strings.Contains(got, `"id": "cus_A"`) {
		t.Errorf("copied %q", got)
	}
	m = press(t, m, keyEsc, keyEsc) // close the object, clear the filter
	if v = m.View(); !strings.Contains(v, "card_B") {
		t.Fatalf("after esc esc:\n%s", v)
	}

	// x asks first; n keeps, y resets to the seed.
	m = press(t, m, keyRunes("x"))
	if v = m.View(); !strings.Contains(v, "Reset the store to its start?") {
		t.Fatalf("no confirmation:\n%s", v)
	}
	m = press(t, m, keyRunes("n"))
	if st.Stats().Objects != 3 {
		t.Fatal("n reset the store")
	}
	m = press(t, m, keyRunes("x"), keyRunes("y"))
	if n := st.Stats().Objects; n != 1 {
		t.Fatalf("after reset: %d objects, want the seed's 1", n)
	}
	if v = m.View(); strings.Contains(v, "card_B") || !strings.Contains(v, "cus_seed") {
		t.Fatalf("pane after reset:\n%s", v)
	}

	// s leaves; the log entry names the object its request created.
	m = press(t, m, keyRunes("s"), keyRunes("l"), keyEnter)
	if v = m.View(); !strings.Contains(v, "object: created customer cus_A") {
		t.Fatalf("log entry:\n%s", v)
	}
}
