package main

import (
	"context"
	"errors"
	"testing"

	"github.com/routedeck/routedeck/store"
)

// A Get after a write finds what the write stored, however late the
// background build marks the store ready: a create raises its event by
// reading the new object back, and under load serve created customers
// without raising customer.created (so --webhook delivered nothing).
func TestLazyStoreGetsItsWrites(t *testing.T) {
	ctx := context.Background()
	// lazyStoreOf starts no background build: the write builds the store,
	// as a request does when it comes before the background build ends.
	l := lazyStoreOf(func() (*store.Memory, error) { return store.New(store.Options{}) }, false)
	defer l.Close()
	if _, err := l.Put(ctx, store.Object{ID: "cus_1", Type: "customer", JSON: `{"id":"cus_1","object":"customer"}`}); err != nil {
		t.Fatal(err)
	}
	got, err := l.Get(ctx, "cus_1")
	if err != nil || got.ID != "cus_1" {
		t.Fatalf("Get after Put: %+v, %v; want cus_1", got, err)
	}
	if typ, err := store.TypeOf(ctx, l, "cus_1"); err != nil || typ != "customer" {
		t.Fatalf("TypeOf after Put: %q, %v; want customer", typ, err)
	}
}

// Before the store is built, a Get answers "not found" at once rather
// than wait (the seed's samples answer instead); with --strict it waits.
func TestLazyStoreGetBeforeBuild(t *testing.T) {
	ctx := context.Background()
	built := 0
	build := func() (*store.Memory, error) {
		built++
		return store.New(store.Options{Seed: []store.Object{{ID: "cus_seed", Type: "customer", JSON: `{"id":"cus_seed","object":"customer"}`}}})
	}
	l := lazyStoreOf(build, false)
	if _, err := l.Get(ctx, "cus_seed"); !errors.Is(err, store.ErrNotFound) || built != 0 {
		t.Errorf("Get before the build: %v, built %d times; want not found, unbuilt", err, built)
	}
	if _, err := store.TypeOf(ctx, l, "cus_seed"); !errors.Is(err, store.ErrNotFound) || built != 0 {
		t.Errorf("TypeOf before the build: %v, built %d times; want not found, unbuilt", err, built)
	}
	strict := lazyStoreOf(build, true)
	defer strict.Close()
	if typ, err := store.TypeOf(ctx, strict, "cus_seed"); err != nil || typ != "customer" {
		t.Errorf("--strict TypeOf before the build: %q, %v; want the seed's customer", typ, err)
	}
	if got, err := strict.Get(ctx, "cus_seed"); err != nil || got.ID != "cus_seed" {
		t.Errorf("--strict Get before the build: %+v, %v; want the seed's cus_seed", got, err)
	}
}

// BenchmarkLazyStoreTypeOf measures a call through the built lazyStore
// (as the server makes them, through store.Store) to the cheapest read,
// so that the wrapper's own cost shows.
func BenchmarkLazyStoreTypeOf(b *testing.B) {
	ctx := context.Background()
	l := newLazyStore(func() (*store.Memory, error) { return store.New(store.Options{}) }, false)
	defer l.Close()
	var st store.Store = l
	if _, err := st.Put(ctx, store.Object{ID: "cus_1", Type: "customer", JSON: `{"id":"cus_1","object":"customer"}`}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if typ, err := store.TypeOf(ctx, st, "cus_1"); err != nil || typ != "customer" {
			b.Fatal(typ, err)
		}
	}
}
