package store

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecodeStateFile feeds the state file reader arbitrary bytes: it
// never panics, refuses whatever encoding/json calls invalid, and what it
// accepts saves and loads back the same.
func FuzzDecodeStateFile(f *testing.F) {
	m, err := New(Options{})
	if err != nil {
		f.Fatal(err)
	}
	ctx := context.Background()
	for _, o := range []Object{
		{ID: "cus_1", Type: "customer", JSON: sampleCustomer},
		{ID: "card_1", Type: "card", Parent: "cus_1", JSON: `{"id":"card_1","created":5,"x":"\u00e9\n"}`},
	} {
		if _, err := m.Put(ctx, o); err != nil {
			f.Fatal(err)
		}
	}
	if _, err := m.AppendEvent(ctx, Object{ID: "evt_1", Type: "event", JSON: `{"type":"customer.created"}`}); err != nil {
		f.Fatal(err)
	}
	if _, _, err := m.RecordIdempotency(ctx, IdempotencyRecord{Key: "k", Fingerprint: "fp", Status: 200, Body: "{}"}); err != nil {
		f.Fatal(err)
	}
	path := filepath.Join(f.TempDir(), "state.json")
	if err := m.SaveTo(path); err != nil {
		f.Fatal(err)
	}
	good, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add([]byte(`{"format":"routedeck-store","version":1}`))
	f.Add([]byte(`{"format":"routedeck-store","version":1,"objects":[{"id":"a","type":"t","seq":1,"json":{}}],"later":[1,{"x":null}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := New(Options{MaxObjects: 100})
		if err != nil {
			t.Fatal(err)
		}
		err = m.decode(string(data))
		if err == nil && !json.Valid(data) {
			t.Fatalf("accepted invalid JSON %q", data)
		}
		if err != nil {
			if _, ok := err.(*FileError); !ok {
				t.Fatalf("error %v is a %T, not a *FileError", err, err)
			}
			return
		}
		again := filepath.Join(t.TempDir(), "again.json")
		if err := m.SaveTo(again); err != nil {
			t.Fatal(err)
		}
		saved, err := os.ReadFile(again)
		if err != nil {
			t.Fatal(err)
		}
		m2, err := New(Options{MaxObjects: 100})
		if err != nil {
			t.Fatal(err)
		}
		if err := m2.decode(string(saved)); err != nil {
			t.Fatalf("a saved store does not load: %v\n%s", err, saved)
		}
		a, b := m.Stats(), m2.Stats()
		if a.Objects != b.Objects || a.Events != b.Events || a.IdempotencyKeys != b.IdempotencyKeys {
			t.Fatalf("saved %+v, loaded %+v", a, b)
		}
		for _, e := range m.all {
			got, err := m2.Get(ctx, e.obj.ID)
			if err != nil || got != e.object() {
				t.Fatalf("object %q: loaded %+v, %v; saved %+v", e.obj.ID, got, err, e.obj)
			}
		}
	})
}
