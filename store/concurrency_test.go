package store_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/routedeck/routedeck/store"
)

// TestConcurrentUse mixes writes, reads, lists, deletes, events,
// idempotency records, resets, subscriptions and saves; run it with -race.
// Afterwards every listing must agree with the objects held.
func TestConcurrentUse(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	m := newMemory(t, store.Options{Path: path, SaveEvery: -1, MaxObjects: 500, Seed: []store.Object{customer("cus_seed", 0, 1)}})
	changes, cancel := m.Subscribe(16)
	defer cancel()
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	worker := func(f func(w, i int) error) {
		for w := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 300 {
					if err := f(w, i); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
	}
	worker(func(w, i int) error { // writers, some past the cap
		id := fmt.Sprintf("cus_%d_%d", w, i%250)
		if _, err := m.Put(ctx, customer(id, i, int64(i))); err != nil && !errors.Is(err, store.ErrFull) {
			return err
		}
		_, err := m.Put(ctx, card(fmt.Sprintf("card_%d_%d", w, i%50), id, int64(i)))
		if err != nil && !errors.Is(err, store.ErrFull) {
			return err
		}
		return nil
	})
	worker(func(w, i int) error { // deleters
		_, err := m.Delete(ctx, fmt.Sprintf("cus_%d_%d", w, (i*7)%250), i%2 == 0)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		return nil
	})
	worker(func(w, i int) error { // readers and listers
		if _, err := m.Get(ctx, fmt.Sprintf("cus_%d_%d", w, i%250)); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		q := store.Query{Type: "customer", Limit: 5, TotalCount: true, Equal: map[string]string{"currency": "usd"}}
		p, err := m.List(ctx, q)
		if err != nil {
			return err
		}
		if len(p.Data) > 0 {
			q.StartingAfter = p.Data[len(p.Data)-1].ID
			// The cursor may be deleted meanwhile: that is a store.NotFoundError.
			if _, err := m.List(ctx, q); err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		_ = m.Stats()
		return nil
	})
	worker(func(w, i int) error { // events, keys, saves, a reset now and then
		if _, err := m.AppendEvent(ctx, store.Object{ID: fmt.Sprintf("evt_%d_%d", w, i), Type: "event", JSON: `{}`}); err != nil {
			return err
		}
		if _, _, err := m.RecordIdempotency(ctx, store.IdempotencyRecord{Key: fmt.Sprintf("k%d", i%20)}); err != nil {
			return err
		}
		if _, err := m.ListEvents(ctx, store.Query{Limit: 3}); err != nil {
			return err
		}
		if i%60 == 0 {
			if err := m.Save(); err != nil {
				return err
			}
		}
		if i == 150 && w == 0 {
			return m.Reset(ctx)
		}
		return nil
	})
	done := make(chan struct{})
	go func() { // a slow subscriber: it must never stall the writers
		for range changes {
		}
		close(done)
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	cancel()
	<-done

	// The indexes agree with each other.
	s := m.Stats()
	all := mustList(t, m, store.Query{Limit: 1000, TotalCount: true})
	if all.TotalCount != s.Objects || len(all.Data) != s.Objects || all.HasMore {
		t.Fatalf("list all has %d (total %d); Stats says %d", len(all.Data), all.TotalCount, s.Objects)
	}
	byType := map[string]int{}
	for _, o := range all.Data {
		byType[o.Type]++
		if _, err := m.Get(ctx, o.ID); err != nil {
			t.Fatalf("listed %s cannot be got: %v", o.ID, err)
		}
	}
	for typ, n := range s.Types {
		if p := mustList(t, m, store.Query{Type: typ, Limit: 1000}); len(p.Data) != n || byType[typ] != n {
			t.Fatalf("type %s: list %d, Stats %d, all %d", typ, len(p.Data), n, byType[typ])
		}
	}
	if err := m.Save(); err != nil {
		t.Fatal(err)
	}
	m2 := newMemory(t, store.Options{Path: path, SaveEvery: -1, MaxObjects: 500})
	if got := m2.Stats(); got.Objects != s.Objects || got.Events != s.Events || got.IdempotencyKeys != s.IdempotencyKeys {
		t.Fatalf("reloaded %+v; saved %+v", got, s)
	}
}
