package store_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/routedeck/routedeck/store"
)

// heapAfterGC is the live heap, measured after a full collection.
func heapAfterGC() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// customers makes n customer objects, ten per second of created.
func customers(n int) []store.Object {
	objs := make([]store.Object, n)
	for i := range objs {
		objs[i] = customer(fmt.Sprintf("cus_%07d", i), i, 1700000000+int64(i/10))
	}
	return objs
}

// TestMemoryPerObject measures what a stored object costs beyond its JSON
// (the JSON is made before measuring, so only the store's own memory
// counts), and for comparison what a parsed copy (map[string]any) costs.
// The target is at most 4 KiB beyond the JSON size.
func TestMemoryPerObject(t *testing.T) {
	const n = 5_000
	objs := customers(n)
	jsonSize := len(objs[0].JSON)

	before := heapAfterGC()
	m, err := store.New(store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range objs {
		mustPut(t, m, o)
	}
	store := float64(heapAfterGC()-before) / n
	runtime.KeepAlive(m)

	before = heapAfterGC()
	parsed := make([]map[string]any, n)
	for i, o := range objs {
		if err := json.Unmarshal([]byte(o.JSON), &parsed[i]); err != nil {
			t.Fatal(err)
		}
	}
	parsedCost := float64(heapAfterGC()-before) / n
	runtime.KeepAlive(parsed)

	t.Logf("customer JSON: %d bytes; the store costs %.0f bytes per object beyond it; a parsed copy (map[string]any) would cost %.0f bytes (%.1fx the JSON)",
		jsonSize, store, parsedCost, parsedCost/float64(jsonSize))
	if store > 4096 {
		t.Errorf("the store costs %.0f bytes per object beyond its JSON; the target is at most 4096", store)
	}
}

// BenchmarkStore100k measures a store holding 100,000 customers (about
// 1.2 KB of JSON each) and 1,000 cards under one customer. The filtered
// lists use value indexes (built before timing). Run with
//
//	go test ./store -run '^$' -bench Store100k -benchmem
func BenchmarkStore100k(b *testing.B) {
	const n = 100_000
	objs := customers(n)
	m, err := store.New(store.Options{MaxObjects: 2 * n})
	if err != nil {
		b.Fatal(err)
	}
	before := heapAfterGC()
	for _, o := range objs {
		mustPut(b, m, o)
	}
	b.ReportMetric(float64(heapAfterGC()-before)/n, "heap-B/object")
	parent := objs[n/2].ID
	for i := range 1000 {
		mustPut(b, m, card(fmt.Sprintf("card_%04d", i), parent, 1700000000+int64(i)))
	}
	mid := objs[n/2].ID

	b.Run("get", func(b *testing.B) {
		i := 0
		for b.Loop() {
			if _, err := m.Get(ctx, objs[i%n].ID); err != nil {
				b.Fatal(err)
			}
			i += 7919
		}
	})
	b.Run("put-update", func(b *testing.B) {
		i := 0
		for b.Loop() {
			if _, err := m.Put(ctx, objs[i%n]); err != nil {
				b.Fatal(err)
			}
			i += 7919
		}
	})
	b.Run("put-new", func(b *testing.B) {
		fresh := make([]store.Object, min(b.N, n))
		for i := range fresh {
			fresh[i] = customer(fmt.Sprintf("cus_new_%07d", i), i, 1800000000+int64(i))
		}
		b.ResetTimer()
		for i := 0; b.Loop(); i++ {
			o := fresh[i%len(fresh)]
			if _, err := m.Put(ctx, o); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		for _, o := range fresh {
			m.Delete(ctx, o.ID, false)
		}
	})
	for _, bc := range []struct {
		name string
		q    store.Query
	}{
		{"list-first-page", store.Query{Type: "customer", Limit: 10}},
		{"list-100-after-cursor", store.Query{Type: "customer", Limit: 100, StartingAfter: mid}},
		{"list-ending-before", store.Query{Type: "customer", Limit: 10, EndingBefore: mid}},
		{"list-created-range", store.Query{Type: "customer", Limit: 10, Created: store.Range{Lt: i64(1700000000 + n/20)}}},
		{"list-total-count", store.Query{Type: "customer", Limit: 10, TotalCount: true}},
		{"list-filter-email", store.Query{Type: "customer", Limit: 10, Equal: map[string]string{"email": "user3@example.com"}}},
		{"list-by-parent", store.Query{Parent: parent, Type: "card", Limit: 10}},
		{"list-filter-one-in-100k", store.Query{Type: "customer", Limit: 10, Equal: map[string]string{"balance": "0"}}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			if _, err := m.List(ctx, bc.q); err != nil { // builds a value index once
				b.Fatal(err)
			}
			for b.Loop() {
				p, err := m.List(ctx, bc.q)
				if err != nil || len(p.Data) == 0 {
					b.Fatalf("%v, %d objects", err, len(p.Data))
				}
			}
		})
	}
}

// fileObjects sizes BenchmarkFile; CI runs it at 10,000 objects to keep
// memory modest. Measure 100,000 with
//
//	go test ./store -run '^$' -bench File -benchtime 3x -args -file-objects 100000
var fileObjects = flag.Int("file-objects", 10_000, "objects in the state file BenchmarkFile saves and loads")

// BenchmarkFile measures a save of customers to a real state file and a
// start from it (store.New with Path: read, check, index).
func BenchmarkFile(b *testing.B) {
	n := *fileObjects
	path := filepath.Join(b.TempDir(), "state.json")
	m, err := store.New(store.Options{Path: path, SaveEvery: -1, MaxObjects: n})
	if err != nil {
		b.Fatal(err)
	}
	for _, o := range customers(n) {
		mustPut(b, m, o)
	}
	if err := m.Save(); err != nil { // for load alone
		b.Fatal(err)
	}
	b.Run(fmt.Sprintf("save-%d", n), func(b *testing.B) {
		for b.Loop() {
			if err := m.Save(); err != nil {
				b.Fatal(err)
			}
		}
		if st, err := os.Stat(path); err == nil {
			b.ReportMetric(float64(st.Size())/(1<<20), "file-MiB")
		}
	})
	b.Run(fmt.Sprintf("load-%d", n), func(b *testing.B) {
		for b.Loop() {
			l, err := store.New(store.Options{Path: path, SaveEvery: -1, MaxObjects: n})
			if err != nil {
				b.Fatal(err)
			}
			if l.Stats().Objects != n {
				b.Fatalf("loaded %d objects; want %d", l.Stats().Objects, n)
			}
		}
	})
}

// BenchmarkGetFilled retrieves stored objects of 4 KiB (the size of a
// charge) kept whole and kept as a template and their values: one object
// again and again (its text joined once, then kept by the template), and
// 1,000 objects in turn (each Get joins the text: more than the template
// keeps).
func BenchmarkGetFilled(b *testing.B) {
	const n = 1_000
	pad := fmt.Sprintf("%4000s", "")
	tm, err := store.NewTemplate([]string{`{"id":"`, `","object":"charge","amount":2000,"pad":"` + pad + `","created":1700000000}`}, []int{0})
	if err != nil {
		b.Fatal(err)
	}
	for _, kept := range []string{"whole", "filled"} {
		m, err := store.New(store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		ids := make([]string, n)
		for i := range ids {
			ids[i] = fmt.Sprintf("ch_%014d", i)
			f, err := tm.Fill(ids[i])
			if err != nil {
				b.Fatal(err)
			}
			obj := store.Object{ID: ids[i], Type: "charge", JSON: f.String()}
			if kept == "filled" {
				obj.Layout, _ = store.ScanLayout(obj.JSON)
				obj.JSON, obj.Filled = "", f
			}
			if _, err := m.Put(ctx, obj); err != nil {
				b.Fatal(err)
			}
		}
		for _, c := range []struct {
			name string
			id   func(i int) string
		}{{"one", func(int) string { return ids[0] }}, {"many", func(i int) string { return ids[i%n] }}} {
			b.Run(kept+"/"+c.name, func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; b.Loop(); i++ {
					if o, err := m.Get(ctx, c.id(i)); err != nil || len(o.JSON) < 4000 {
						b.Fatal(o, err)
					}
				}
			})
		}
	}
}
