package store

import (
	"cmp"
	"slices"
	"unsafe"
)

// entry is one stored object with its scalar index. An update that keeps
// the object's place overwrites its entry in place, under the write lock;
// readers copy what they need under the read lock. Every stored object
// and event has one, so it is kept to 120 bytes (the 128-byte size
// class): its fields are a pointer and a count, not a slice.
type entry struct {
	obj stored
	seq uint64 // the order the id was first stored; breaks ties in Created
	rev uint32 // counts the updates of the object, for Update (it may wrap)
	nf  uint32 // with fp, the fields: fp[:nf]
	fp  *field
	// parts, for an event kept as parts, are its JSON not yet joined
	// (obj.JSON is empty until then; AppendEventAround).
	parts *eventParts
}

// stored is an Object as an entry keeps it: an Object without its
// Layout, which stored objects do not have.
type stored struct {
	ID, Type, Parent string
	Created          int64
	JSON             string
	Filled           *Filled
}

// storedOf is obj as an entry keeps it.
func storedOf(obj Object) stored {
	return stored{ID: obj.ID, Type: obj.Type, Parent: obj.Parent, Created: obj.Created, JSON: obj.JSON, Filled: obj.Filled}
}

// object is the stored object, as kept (its JSON not joined if filled).
func (s *stored) kept() Object {
	return Object{ID: s.ID, Type: s.Type, Parent: s.Parent, Created: s.Created, JSON: s.JSON, Filled: s.Filled}
}

// newEntry is the entry of obj with fields fs (no sequence number yet).
func newEntry(obj Object, fs fields) entry {
	e := entry{obj: storedOf(obj)}
	e.setFields(fs)
	return e
}

// fields is the object's scalar index, sorted by key.
func (e *entry) fields() fields { return unsafe.Slice(e.fp, e.nf) }

// setFields sets the scalar index; e keeps fs's array, not a copy.
func (e *entry) setFields(fs fields) { e.fp, e.nf = unsafe.SliceData(fs), uint32(len(fs)) }

// object is the stored object, its JSON joined if it is filled.
func (e *entry) object() Object { return joined(e.obj.kept()) }

// source is the stored object's JSON for reading its fields.
func (e *entry) source() source { return source{js: e.obj.JSON, fill: e.obj.Filled} }

// order compares entries oldest first.
func order(a *entry, created int64, seq uint64) int {
	if c := cmp.Compare(a.obj.Created, created); c != 0 {
		return c
	}
	return cmp.Compare(a.seq, seq)
}

// index holds entries oldest first. Appending the newest is O(1); other
// inserts and removals move the tail.
type index []*entry

// search returns the position of the first entry at or after (created, seq).
func (x index) search(created int64, seq uint64) int {
	i, _ := slices.BinarySearchFunc(x, created, func(e *entry, c int64) int { return order(e, c, seq) })
	return i
}

func (x *index) insert(e *entry) {
	n := len(*x)
	if n == 0 || order((*x)[n-1], e.obj.Created, e.seq) < 0 {
		*x = append(*x, e)
		return
	}
	*x = slices.Insert(*x, x.search(e.obj.Created, e.seq), e)
}

// remove drops e and reports whether it was held. Entries with e's key
// are compared by identity: a hand-edited state file can repeat a seq.
func (x *index) remove(e *entry) bool {
	if len(*x) > 0 && (*x)[0] == e {
		// The oldest (a full event log drops it on every append): no
		// search, and step past it instead of moving the whole index.
		(*x)[0] = nil
		*x = (*x)[1:]
		return true
	}
	for i := x.search(e.obj.Created, e.seq); i < len(*x) && order((*x)[i], e.obj.Created, e.seq) == 0; i++ {
		if (*x)[i] == e {
			(*x)[i] = nil
			if i == 0 {
				// The oldest (a full event log drops it on every append):
				// step past it instead of moving the whole index; append
				// reallocates once the tail's room is used up.
				*x = (*x)[1:]
				return true
			}
			*x = slices.Delete(*x, i, i+1)
			return true
		}
	}
	return false
}

// bounds returns the positions [lo, hi) of entries created within r.
func (x index) bounds(r Range) (int, int) {
	lo, hi := 0, len(x)
	firstAtOrAfter := func(t int64) int {
		i, _ := slices.BinarySearchFunc(x, t, func(e *entry, t int64) int { return cmp.Compare(e.obj.Created, t) })
		return i
	}
	if r.Gte != nil {
		lo = max(lo, firstAtOrAfter(*r.Gte))
	}
	if r.Gt != nil && *r.Gt < 1<<63-1 {
		lo = max(lo, firstAtOrAfter(*r.Gt+1))
	}
	if r.Lte != nil && *r.Lte < 1<<63-1 {
		hi = min(hi, firstAtOrAfter(*r.Lte+1))
	}
	if r.Lt != nil {
		hi = min(hi, firstAtOrAfter(*r.Lt))
	}
	if r.Gt != nil && *r.Gt == 1<<63-1 {
		lo = hi
	}
	return lo, max(lo, hi)
}
