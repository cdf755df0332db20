package store

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"unsafe"
)

// TestIDTableAgreesWithMap runs random sets, replacements and deletes on
// an idTable and a map side by side, and after each checks that every
// id, held or not, is found as the map has it. Few ids in a small table
// make long runs of used slots that wrap past its end, the case delete
// must close without losing an id behind the gap.
func TestIDTableAgreesWithMap(t *testing.T) {
	for _, ids := range []int{3, 20, 200, 3000} {
		t.Run(fmt.Sprint(ids), func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(ids), 7))
			var tab idTable
			want := map[string]*entry{}
			name := func(i int) string { return fmt.Sprintf("obj_%d", i) }
			if tab.get(name(0)) != nil || tab.delete(name(0)) || tab.len() != 0 {
				t.Fatal("an empty table holds something")
			}
			for step := range 20 * ids {
				id := name(r.IntN(ids))
				switch r.IntN(3) {
				case 0, 1:
					e := &entry{obj: stored{ID: id}}
					tab.set(e)
					want[id] = e
				default:
					_, held := want[id]
					if got := tab.delete(id); got != held {
						t.Fatalf("step %d: delete(%s) = %v, want %v", step, id, got, held)
					}
					delete(want, id)
				}
				if tab.len() != len(want) {
					t.Fatalf("step %d: %d ids held, want %d", step, tab.len(), len(want))
				}
				if step%max(1, ids/10) != 0 && step < 20*ids-1 {
					continue
				}
				for i := range ids {
					if got := tab.get(name(i)); got != want[name(i)] {
						t.Fatalf("step %d: get(%s) = %p, want %p", step, name(i), got, want[name(i)])
					}
				}
				used := 0
				for _, s := range tab.slots {
					if s.e != nil {
						used++
					}
				}
				if used != len(want) || 4*used > 3*len(tab.slots) {
					t.Fatalf("step %d: %d slots used of %d for %d ids", step, used, len(tab.slots), len(want))
				}
			}
		})
	}
}

// TestIDTableFindThenInsert is Put's use: one find says the id is not
// held and where it goes; inserting there makes it found, through growth.
func TestIDTableFindThenInsert(t *testing.T) {
	var tab idTable
	const n = 5000
	for i := range n {
		tab.init()
		id := fmt.Sprintf("ch_%06d", i)
		old, at, h := tab.find(id)
		if old != nil || at < 0 {
			t.Fatalf("find(%s) on a table without it = %p at %d", id, old, at)
		}
		tab.insertAt(at, h, &entry{obj: stored{ID: id}})
	}
	if tab.len() != n || len(tab.slots) != 8192 {
		t.Fatalf("%d ids in %d slots; want %d in 8192", tab.len(), len(tab.slots), n)
	}
	for i := range n {
		id := fmt.Sprintf("ch_%06d", i)
		if e := tab.get(id); e == nil || e.obj.ID != id {
			t.Fatalf("get(%s) = %v", id, e)
		}
	}
}

// TestEntryFitsItsSizeClass keeps an entry, one for every stored object
// and event, within the 112-byte size class of the allocator: a field
// more puts every object in the 128-byte class.
func TestEntryFitsItsSizeClass(t *testing.T) {
	if size := unsafe.Sizeof(entry{}); size > 112 {
		t.Errorf("an entry is %d bytes; at most 112 fit its size class", size)
	}
}
