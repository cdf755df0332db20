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
	for _, ids := range []int{3, 20, 200, 3000, 20000} {
		t.Run(fmt.Sprint(ids), func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(ids), 7))
			var tab idTable
			want := map[string]*entry{}
			name := func(i int) string { return fmt.Sprintf("obj_%d", i) }
			if tab.get(name(0)) != nil || tab.delete(name(0)) || tab.len() != 0 {
				t.Fatal("an empty table holds something")
			}
			steps := 20 * min(ids, 3000)
			for step := range steps {
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
				if step%max(1, steps/40) != 0 && step < steps-1 {
					continue
				}
				for i := range ids {
					if got := tab.get(name(i)); got != want[name(i)] {
						t.Fatalf("step %d: get(%s) = %p, want %p", step, name(i), got, want[name(i)])
					}
				}
				if used := checkParts(t, &tab); used != len(want) {
					t.Fatalf("step %d: %d slots used for %d ids", step, used, len(want))
				}
			}
		})
	}
}

// TestIDTableFindThenInsert is Put's use: one find says the id is not
// held and where it goes; inserting there makes it found, through growth.
func TestIDTableFindThenInsert(t *testing.T) {
	var tab idTable
	const n = 50_000 // a dozen parts or more
	for i := range n {
		tab.init()
		id := fmt.Sprintf("ch_%06d", i)
		old, at, h := tab.find(id)
		if old != nil || at < 0 {
			t.Fatalf("find(%s) on a table without it = %p at %d", id, old, at)
		}
		tab.insertAt(at, h, &entry{obj: stored{ID: id}})
	}
	if used := checkParts(t, &tab); tab.len() != n || used != n {
		t.Fatalf("%d ids counted, %d slots used; want %d", tab.len(), used, n)
	}
	for i := range n {
		id := fmt.Sprintf("ch_%06d", i)
		if e := tab.get(id); e == nil || e.obj.ID != id {
			t.Fatalf("get(%s) = %v", id, e)
		}
	}
}

// checkParts checks that every part of tab is reached from the directory
// entries its depth says, holds only ids whose hashes share its top bits,
// is at most three quarters used and at most idPartMax slots; it returns
// how many slots the parts use.
func checkParts(t *testing.T, tab *idTable) int {
	t.Helper()
	if tab.dir == nil {
		return 0 // never written
	}
	if len(tab.dir) != 1<<tab.depth {
		t.Fatalf("a directory of %d parts at depth %d", len(tab.dir), tab.depth)
	}
	used := 0
	for i, p := range tab.dir {
		span := 1 << (tab.depth - p.depth) // directory entries a part of its depth has
		if first := i &^ (span - 1); tab.dir[first] != p {
			t.Fatalf("directory entry %d holds a part of depth %d that entry %d does not", i, p.depth, first)
		}
		if i%span != 0 {
			continue // counted at its first entry
		}
		n := 0
		for _, s := range p.slots {
			if s.e == nil {
				continue
			}
			n++
			if tab.part(s.hash) != p {
				t.Fatalf("%s is in a part its hash does not choose", s.e.obj.ID)
			}
		}
		if n != p.n || 4*n > 3*len(p.slots) || (len(p.slots) > idPartMax && p.depth < idDepthMax) {
			t.Fatalf("a part counts %d ids, holds %d in %d slots", p.n, n, len(p.slots))
		}
		used += n
	}
	return used
}

// TestEntryFitsItsSizeClass keeps an entry, one for every stored object
// and event, within the 112-byte size class of the allocator: a field
// more puts every object in the 128-byte class.
func TestEntryFitsItsSizeClass(t *testing.T) {
	if size := unsafe.Sizeof(entry{}); size > 112 {
		t.Errorf("an entry is %d bytes; at most 112 fit its size class", size)
	}
}
