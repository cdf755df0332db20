package store

import "hash/maphash"

// idTable maps ids to their entries: a hash table with open addressing
// (linear probing) whose slots hold an id's hash and its entry, not the
// id (the entry has it). A built-in map of a few hundred thousand ids
// costs a Put two hash lookups (is the id stored? then the insert), each
// a few cache misses through the map's directory, table and group; here
// one probe finds the id or the free slot where it goes, and that probe
// mostly reads one cache line. A slot is 16 bytes with one pointer, so
// the table is smaller than the map and the collector follows half the
// pointers. The zero value is an empty table.
type idTable struct {
	slots []idSlot // a power of two long, or empty
	n     int
	seed  maphash.Seed
}

// idSlot is one slot: e nil for a free one.
type idSlot struct {
	hash uint64
	e    *entry
}

// idTableMin is the first size of a table; it doubles when three
// quarters of it are used.
const idTableMin = 16

// len is how many ids the table holds.
func (t *idTable) len() int { return t.n }

// init makes the first slots of an empty table, before a write; a read
// of an empty table finds nothing without them.
func (t *idTable) init() {
	if len(t.slots) == 0 {
		t.slots = make([]idSlot, idTableMin)
		t.seed = maphash.MakeSeed()
	}
}

// find returns the entry of id, if any, and the slot that holds it or
// where it would go (-1 in a table never written).
func (t *idTable) find(id string) (e *entry, i int, h uint64) {
	if len(t.slots) == 0 {
		return nil, -1, 0
	}
	h = maphash.String(t.seed, id)
	mask := len(t.slots) - 1
	for i = int(h) & mask; ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.e == nil {
			return nil, i, h
		}
		if s.hash == h && s.e.obj.ID == id {
			return s.e, i, h
		}
	}
}

// get returns the entry of id, or nil.
func (t *idTable) get(id string) *entry {
	e, _, _ := t.find(id)
	return e
}

// set stores e under its id, in place of the entry with that id if there
// is one.
func (t *idTable) set(e *entry) {
	t.init()
	old, i, h := t.find(e.obj.ID)
	if old != nil {
		t.slots[i].e = e
		return
	}
	t.insertAt(i, h, e)
}

// insertAt puts e, whose id has hash h and is not in the table, in the
// free slot i that find returned for it.
func (t *idTable) insertAt(i int, h uint64, e *entry) {
	t.slots[i] = idSlot{hash: h, e: e}
	t.n++
	if 4*t.n > 3*len(t.slots) {
		t.grow()
	}
}

// grow doubles the table, moving each slot by its hash (no id is read).
func (t *idTable) grow() {
	old := t.slots
	t.slots = make([]idSlot, 2*len(old))
	mask := len(t.slots) - 1
	for _, s := range old {
		if s.e == nil {
			continue
		}
		i := int(s.hash) & mask
		for t.slots[i].e != nil {
			i = (i + 1) & mask
		}
		t.slots[i] = s
	}
}

// delete removes id and reports whether it was held. The slots after it,
// up to the next free one, move back to close the gap, so that no probe
// stops short of an id that is held (no tombstones).
func (t *idTable) delete(id string) bool {
	e, i, _ := t.find(id)
	if e == nil {
		return false
	}
	mask := len(t.slots) - 1
	for j := (i + 1) & mask; t.slots[j].e != nil; j = (j + 1) & mask {
		k := int(t.slots[j].hash) & mask // where the slot at j would be
		// It stays if k lies cyclically in (i, j]: the gap at i is not
		// on its way from k.
		if (i <= j && i < k && k <= j) || (i > j && (i < k || k <= j)) {
			continue
		}
		t.slots[i] = t.slots[j]
		i = j
	}
	t.slots[i] = idSlot{}
	t.n--
	return true
}
