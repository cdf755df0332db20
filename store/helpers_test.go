package store_test

import (
	"context"
	"testing"

	"github.com/routedeck/routedeck/store"
	"github.com/routedeck/routedeck/store/storetest"
)

var ctx = context.Background()

var (
	customer = storetest.Customer
	card     = storetest.Card
	ids      = storetest.IDs
)

func newMemory(t testing.TB, opts store.Options) *store.Memory {
	t.Helper()
	m, err := store.New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() {
		if err := m.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return m
}

func mustPut(t testing.TB, m store.Store, obj store.Object) store.Object {
	t.Helper()
	got, err := m.Put(ctx, obj)
	if err != nil {
		t.Fatalf("Put(%s): %v", obj.ID, err)
	}
	return got
}

func mustList(t testing.TB, m store.Store, q store.Query) store.Page {
	t.Helper()
	p, err := m.List(ctx, q)
	if err != nil {
		t.Fatalf("List(%+v): %v", q, err)
	}
	return p
}

func i64(v int64) *int64 { return &v }
