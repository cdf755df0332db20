package store

import (
	"math"
	"slices"
	"strings"
	"unicode/utf8"
)

// Span is a range of bytes of a text, [Start, End).
type Span struct{ Start, End int }

// An Edit is one top-level member's value replaced: Old is where the
// value lay in the text it was read from, New where its replacement lies
// in the new text. Key, optional, is where the member's name lies in the
// new text (inside its quotes), given by a writer that read every
// top-level member and found no other of that name: with it an object or
// array that becomes a scalar is indexed from the edit (the store then
// checks only that the name is plain) rather than read anew.
type Edit struct{ Old, New, Key Span }

// EditLayout is the layout of js, an object's JSON made from base (the
// JSON an Update's function was given) by replacing the values of
// top-level members, and nothing else: each edit's Old is a whole
// top-level member value of base, the edits in order and apart. Update
// then checks only the new values (and that the rest of js is base's),
// and takes its reading of the rest from the stored object's rather than
// reading js again. An edit it cannot take so (a value that was an object
// becoming a scalar, say) makes it read js, as without a layout.
func EditLayout(base, js string, edits []Edit) *Layout {
	return &Layout{size: len(js), edit: true, base: base, edits: edits}
}

// entryEdited builds the entry of obj, which Update's function made from
// the stored object cur (whose JSON is base and index fs), from obj's
// edit layout; ok is false when obj must be read.
func (m *Memory) entryEdited(base string, fs fields, obj Object) (e entry, ok bool) {
	l := obj.Layout
	js := obj.JSON
	if l == nil || !l.edit || l.size != len(js) || l.base != base || obj.Created == 0 || obj.ID == "" || obj.Type == "" {
		return entry{}, false
	}
	obj.Layout = nil // what the store keeps has none
	// The text between the edits is base's.
	lastOld, lastNew := 0, 0
	for _, ed := range l.edits {
		o, n := ed.Old, ed.New
		if o.Start < lastOld || o.End < o.Start || o.End > len(base) || n.Start < lastNew || n.End < n.Start || n.End > len(js) ||
			o.Start-lastOld != n.Start-lastNew || js[lastNew:n.Start] != base[lastOld:o.Start] {
			return entry{}, false
		}
		lastOld, lastNew = o.End, n.End
	}
	if len(base)-lastOld != len(js)-lastNew || js[lastNew:] != base[lastOld:] {
		return entry{}, false
	}
	var buf [64]field // the fields as edited, on the stack for most objects
	out := append(buf[:0], fs...)
	drop := 0 // fields whose new value is not a scalar: kind 0, dropped below
	var addBuf [8]field
	added := addBuf[:0] // members whose new value is a scalar where an object or array was
	s := scanner{js: js}
	next := 0 // where to look for the next edit's field
	for _, ed := range l.edits {
		if ed.Old.Start >= ed.Old.End {
			return entry{}, false
		}
		at := -1 // the field of the old value, if it has one
		if c := base[ed.Old.Start]; c != '{' && c != '[' {
			// A scalar: base's reading found it, and where it ends.
			start, end := ed.Old.Start, ed.Old.End
			if c == '"' {
				start, end = start+1, end-1
			}
			// Members are indexed by name, which for most objects is
			// nearly their order: look from past the last found.
			for n, i := 0, next; n < len(fs); n, i = n+1, i+1 {
				if i == len(fs) {
					i = 0
				}
				if int(fs[i].val) == start {
					at, next = i, i+1
					break
				}
			}
			if at < 0 || int(fs[at].val+fs[at].vlen) != end {
				return entry{}, false // an escaped or repeated name: read js
			}
		} else if !topValue(base, ed.Old) {
			return entry{}, false
		}
		f, end, err := s.scalar(ed.New.Start)
		if err != nil || end != ed.New.End {
			return entry{}, false // read js, which fails as it should
		}
		switch {
		case at < 0 && f.kind != 0:
			// An object or array becoming a scalar: the member is
			// indexed anew, when the writer says where its name lies,
			// and the name is plain (else js is read).
			if !plainKey(js, ed.Key, ed.New.Start) {
				return entry{}, false
			}
			f.key, f.klen = uint32(ed.Key.Start), uint16(ed.Key.End-ed.Key.Start)
			added = append(added, f)
		case at >= 0:
			out[at].kind, out[at].val, out[at].vlen = f.kind, f.val, f.vlen
			if f.kind == 0 {
				drop++
			}
		}
	}
	// The fields not edited move by the edits before them: shift[k] is
	// the move past the first k edits (in order, apart, none empty).
	var shiftBuf [16]int
	shift := append(shiftBuf[:0], 0)
	for _, ed := range l.edits {
		shift = append(shift, shift[len(shift)-1]+(ed.New.End-ed.New.Start)-(ed.Old.End-ed.Old.Start))
	}
	k := 0 // edits before the offset at hand: a field's, then the next's
	for i := range out {
		f := &out[i]
		k = editsBefore(l.edits, int(f.key), k)
		f.key = uint32(int(f.key) + shift[k])
		v := int(fs[i].val)
		k = editsBefore(l.edits, v, k)
		if k < len(l.edits) && v >= l.edits[k].Old.Start {
			continue // edited: its value is set above
		}
		f.val = uint32(v + shift[k])
	}
	// The index kept: exactly the scalars, the added among them in order.
	src := source{js: js}
	slices.SortFunc(added, func(a, b field) int { return strings.Compare(a.name(src), b.name(src)) })
	var keptBuf [64]field // on the stack until it is known to be new
	kept := keptBuf[:0]
	for _, f := range out {
		if f.kind == 0 {
			continue
		}
		for len(added) > 0 && added[0].name(src) < f.name(src) {
			kept, added = append(kept, added[0]), added[1:]
		}
		kept = append(kept, f)
	}
	kept = append(kept, added...)
	return newEntry(obj, m.sharedEdited(kept)), true
}

// sharedEdited is fs, the fields of an object Update writes from an edit
// layout: those of a recent such object when they are the same (fields
// never change once stored), else a copy of fs, kept for the next in
// place of the oldest kept.
func (m *Memory) sharedEdited(fs fields) fields {
	for k := range m.editedFields {
		if last := m.editedFields[k].Load(); last != nil && slices.Equal(*last, fs) {
			return *last
		}
	}
	own := slices.Clone(fs)
	if own == nil {
		own = fields{}
	}
	m.editedFields[m.nextEditedFields.Add(1)%recentEventFields].Store(&own)
	return own
}

// plainKey reports whether k is where a plain name (no escape, valid
// UTF-8 without U+FFFD, short enough to index) lies in js, inside its
// quotes, after a brace or comma and just before the value at v (a colon
// between, and spaces).
func plainKey(js string, k Span, v int) bool {
	if k.Start < 2 || k.End < k.Start || k.End >= v || v > len(js) || k.End-k.Start > math.MaxUint16 ||
		js[k.Start-1] != '"' || js[k.End] != '"' {
		return false
	}
	// The opening quote follows the object's brace or a comma (not a
	// backslash: an escaped quote inside another name).
	j := k.Start - 2
	for j > 0 && isSpace(js[j]) {
		j--
	}
	if js[j] != '{' && js[j] != ',' {
		return false
	}
	i := skipSpace(js, k.End+1)
	if i >= v || js[i] != ':' || skipSpace(js, i+1) != v {
		return false
	}
	name := js[k.Start:k.End]
	return strings.IndexByte(name, '\\') < 0 && strings.IndexByte(name, '"') < 0 && utf8.ValidString(name) &&
		!strings.ContainsRune(name, utf8.RuneError)
}

// editsBefore is how many of edits (in order and apart) end at or
// before offset i of the old text: the edit after them is the only one
// that can hold i. It walks from k, the count for a nearby offset (the
// fields come by name, for most objects nearly their order).
func editsBefore(edits []Edit, i, k int) int {
	for k > 0 && edits[k-1].Old.End > i {
		k--
	}
	for k < len(edits) && edits[k].Old.End <= i {
		k++
	}
	return k
}

// topValue is a cheap check that sp is where a top-level member's value
// lies in js: after a colon, before a comma or the closing brace, one
// value.
func topValue(js string, sp Span) bool {
	if sp.Start >= sp.End {
		return false
	}
	i := sp.Start - 1
	for i > 0 && isSpace(js[i]) {
		i--
	}
	j := skipSpace(js, sp.End)
	if i <= 0 || js[i] != ':' || j >= len(js) || (js[j] != ',' && js[j] != '}') {
		return false
	}
	s := scanner{js: js}
	end, err := s.value(sp.Start)
	return err == nil && end == sp.End
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
