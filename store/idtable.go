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
// pointers.
//
// The table is parts of at most idPartMax slots, chosen by the top bits
// of the hash (extendible hashing): a part that fills up doubles, or
// splits in two once it is at idPartMax, so no insert moves more than one
// part's slots. (One table of millions of slots doubling at once would
// stop every read and write of the store for tens of milliseconds.) The
// zero value is an empty table.
type idTable struct {
	// dir holds 1<<depth parts, indexed by the top depth bits of the
	// hash; several may share one part.
	dir   []*idPart
	depth uint
	n     int
	seed  maphash.Seed
}

// idPart is one part: a table with linear probing of its own.
type idPart struct {
	slots []idSlot // a power of two long
	n     int
	depth uint // how many top bits of the hash its ids share
}

// idSlot is one slot: e nil for a free one.
type idSlot struct {
	hash uint64
	e    *entry
}

const (
	// idPartMin is the size of a new table's one part; a part doubles
	// when an insert would use more than three quarters of it.
	idPartMin = 16
	// idPartMax is the most slots a part has (64 KB): a full one splits.
	idPartMax = 4096
	// idDepthMax bounds the splits: past it a part only grows (it would
	// take ids whose hashes share their top 48 bits).
	idDepthMax = 48
)

// len is how many ids the table holds.
func (t *idTable) len() int { return t.n }

// init makes the first part of an empty table, before a write; a read
// of an empty table finds nothing without it.
func (t *idTable) init() {
	if t.dir == nil {
		t.dir = []*idPart{{slots: make([]idSlot, idPartMin)}}
		t.seed = maphash.MakeSeed()
	}
}

// part is the part that holds the ids with hash h.
func (t *idTable) part(h uint64) *idPart { return t.dir[h>>(64-t.depth)] }

// find returns the entry of id, if any, and the slot of its part that
// holds it or where it would go (-1 in a table never written).
func (t *idTable) find(id string) (e *entry, i int, h uint64) {
	if t.dir == nil {
		return nil, -1, 0
	}
	h = maphash.String(t.seed, id)
	p := t.part(h)
	mask := len(p.slots) - 1
	for i = int(h) & mask; ; i = (i + 1) & mask {
		s := &p.slots[i]
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
		t.part(h).slots[i].e = e
		return
	}
	t.insertAt(i, h, e)
}

// insertAt puts e, whose id has hash h and is not in the table, in the
// free slot i that find returned for it (or, if its part must grow
// first, in the free slot the grown part has for it).
func (t *idTable) insertAt(i int, h uint64, e *entry) {
	p := t.part(h)
	if 4*(p.n+1) > 3*len(p.slots) {
		for 4*(p.n+1) > 3*len(p.slots) {
			t.grow(p)
			p = t.part(h)
		}
		i = p.free(h)
	}
	p.slots[i] = idSlot{hash: h, e: e}
	p.n++
	t.n++
}

// free is the slot where an id with hash h, not held, goes.
func (p *idPart) free(h uint64) int {
	mask := len(p.slots) - 1
	i := int(h) & mask
	for p.slots[i].e != nil {
		i = (i + 1) & mask
	}
	return i
}

// grow doubles p, or splits it in two by the next bit of the hash once
// it is as large as a part gets. Slots move by their hash: no id is read.
func (t *idTable) grow(p *idPart) {
	if len(p.slots) < idPartMax || p.depth >= idDepthMax {
		old := p.slots
		p.slots = make([]idSlot, 2*len(old))
		for _, s := range old {
			if s.e != nil {
				p.slots[p.free(s.hash)] = s
			}
		}
		return
	}
	if p.depth == t.depth {
		dir := make([]*idPart, 2*len(t.dir))
		for i := range dir {
			dir[i] = t.dir[i>>1]
		}
		t.dir, t.depth = dir, t.depth+1
	}
	bit := 63 - p.depth // the hash bit that tells the two halves apart
	halves := [2]*idPart{
		{slots: make([]idSlot, len(p.slots)), depth: p.depth + 1},
		{slots: make([]idSlot, len(p.slots)), depth: p.depth + 1},
	}
	for _, s := range p.slots {
		if s.e != nil {
			q := halves[s.hash>>bit&1]
			q.slots[q.free(s.hash)] = s
			q.n++
		}
	}
	shift := t.depth - p.depth - 1 // that bit in a directory index
	for i, q := range t.dir {
		if q == p {
			t.dir[i] = halves[i>>shift&1]
		}
	}
}

// delete removes id and reports whether it was held. The slots after it
// in its part, up to the next free one, move back to close the gap, so
// that no probe stops short of an id that is held (no tombstones).
func (t *idTable) delete(id string) bool {
	e, i, h := t.find(id)
	if e == nil {
		return false
	}
	p := t.part(h)
	mask := len(p.slots) - 1
	for j := (i + 1) & mask; p.slots[j].e != nil; j = (j + 1) & mask {
		k := int(p.slots[j].hash) & mask // where the slot at j would be
		// It stays if k lies cyclically in (i, j]: the gap at i is not
		// on its way from k.
		if (i <= j && i < k && k <= j) || (i > j && (i < k || k <= j)) {
			continue
		}
		p.slots[i] = p.slots[j]
		i = j
	}
	p.slots[i] = idSlot{}
	p.n--
	t.n--
	return true
}
