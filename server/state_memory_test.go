package server_test

import (
	"context"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/embed"
	"github.com/routedeck/routedeck/server"
	"github.com/routedeck/routedeck/store"
	"github.com/routedeck/routedeck/stripe"
)

// TestMemoryPerCreatedCharge measures what the peer benchmark's POST
// (a charge with tok_visa: stored, with its balance transaction and its
// charge.succeeded event) keeps
// in memory through the real server, beyond the JSON it stores: the
// store's index, the event log's, and anything the request path leaves
// behind. Issue 9's target is at most 4 KiB per stored object beyond its
// JSON size.
func TestMemoryPerCreatedCharge(t *testing.T) {
	if testing.Short() {
		t.Skip("creates 2,000 charges")
	}
	const n = 2_000
	st, create := chargeServer(t, store.Options{MaxObjects: 10 * n})
	create() // first use: the route's data, the test cards
	objects0, events0 := st.Stats().Objects, st.Stats().Events
	before := liveHeap()
	for range n {
		create()
	}
	grown := float64(liveHeap() - before)

	ctx := context.Background()
	stats := st.Stats()
	objects, events := stats.Objects-objects0, stats.Events-events0
	var jsonBytes int
	for _, q := range []struct {
		list func(context.Context, store.Query) (store.Page, error)
		typ  string
		n    int
	}{{st.List, "charge", n}, {st.List, "balance_transaction", n}, {st.ListEvents, "", n}} {
		cursor := ""
		for left := q.n; left > 0; {
			p, err := q.list(ctx, store.Query{Type: q.typ, Limit: 100, StartingAfter: cursor})
			if err != nil || len(p.Data) == 0 {
				t.Fatalf("listing: %v", err)
			}
			for _, o := range p.Data[:min(left, len(p.Data))] {
				jsonBytes += len(o.JSON)
			}
			left -= len(p.Data)
			cursor = p.Data[len(p.Data)-1].ID
		}
	}
	if objects != 2*n || events != n {
		t.Fatalf("%d creates stored %d objects and %d events; want a charge, its balance transaction and an event per create", n, objects, events)
	}
	beyond := (grown - float64(jsonBytes)) / float64(objects+events)
	t.Logf("%d charge creates: heap +%.1f MB; JSON %.1f MB (charge + balance transaction + event %.0f bytes); beyond the JSON: %.0f bytes per stored object",
		n, grown/1e6, float64(jsonBytes)/1e6, float64(jsonBytes)/n, beyond)
	if beyond > 4096 {
		t.Errorf("each stored object costs %.0f bytes beyond its JSON; the target is at most 4096", beyond)
	}
	// Issue 8: a create of a prepared shape keeps the shared template and
	// its own values, not a copy of its text: the heap grows by well under
	// a kilobyte for the charge and its event (about 950 bytes), and by
	// less than half of one once the event log is full (what a long run
	// sees: the log is bounded, the objects are not). Issue 10: a captured
	// charge's balance transaction is stored too, as a fill of one
	// template with its entry in the store, some 370 bytes more.
	if perCreate := grown / n; perCreate > 1536 {
		t.Errorf("each create keeps %.0f bytes (charge, balance transaction and event); the target is under 1536", perCreate)
	}
	runtime.KeepAlive(create) // the server, measured live
}

// TestMemoryPerCreatedChargeLogFull is TestMemoryPerCreatedCharge once
// the event log is full, as in a long run (the log is bounded, the
// objects are not): each create keeps its charge, as the shared template
// and its own values (issue 8: about 270 bytes), and its balance
// transaction (issue 10: a fill of one template and its entry, about 370
// bytes).
func TestMemoryPerCreatedChargeLogFull(t *testing.T) {
	if testing.Short() {
		t.Skip("creates 6,000 charges")
	}
	const n = 4_000
	st, create := chargeServer(t, store.Options{MaxObjects: 10 * n, MaxEvents: 100})
	for range 2_000 { // past the log's cap, and past what the first creates leave to collect
		create()
	}
	before := liveHeap()
	for range n {
		create()
	}
	perCreate := (float64(liveHeap()) - float64(before)) / n
	t.Logf("with the event log full (%d events): heap +%.0f bytes per create", st.Stats().Events, perCreate)
	if perCreate > 768 {
		t.Errorf("with the event log full each create keeps %.0f bytes; the target is under 768 (512 for the charge, the rest its balance transaction)", perCreate)
	}
	runtime.KeepAlive(create) // the server, measured live
}

// chargeServer is a server on a store of opts and a function that creates
// a charge through it, as the peer benchmark's POST does.
func chargeServer(t *testing.T, opts store.Options) (*store.Memory, func()) {
	cat, err := catalog.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	rules := stripe.New(cat, embed.Stripe, stripe.Options{Objects: stripe.StoreObjects(st)})
	payments := stripe.NewPayments(cat, st)
	s, err := server.New(cat, server.Options{Rules: rules, TestValues: payments, Own: payments,
		Keeper: stripe.NewState(cat, rules, st, stripe.StateOptions{})})
	if err != nil {
		t.Fatal(err)
	}
	return st, func() {
		req := httptest.NewRequest("POST", "/v1/charges", strings.NewReader("amount=2000&currency=usd&source=tok_visa"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		if w.Code != 200 {
			t.Fatalf("create: %d %s", w.Code, w.Body)
		}
	}
}

// liveHeap is the live heap after full collections.
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}
