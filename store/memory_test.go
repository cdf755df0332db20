package store_test

import (
	"testing"

	"github.com/routedeck/routedeck/store"
	"github.com/routedeck/routedeck/store/storetest"
)

func TestMemoryConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, opts store.Options) (store.Store, error) {
		m, err := store.New(opts)
		if err == nil {
			t.Cleanup(func() {
				if err := m.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			})
		}
		return m, err
	})
}

func TestCloseEndsSubscriptions(t *testing.T) {
	m := newMemory(t, store.Options{})
	ch, cancel := m.Subscribe(1)
	defer cancel()
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if _, open := <-ch; open {
		t.Fatal("channel still open after Close")
	}
	if ch2, _ := m.Subscribe(1); ch2 != nil {
		if _, open := <-ch2; open {
			t.Fatal("a subscription after Close is open")
		}
	}
	if err := m.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	mustPut(t, m, customer("cus_1", 1, 1)) // a closed store still works in memory
}
