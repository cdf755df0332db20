package store

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A Layout is what Put learns of an object's JSON by reading it: that it
// is one JSON object, its top-level scalar fields and where they lie, and
// where its "created" is. A writer that makes many objects from one text,
// changing only the bytes of some string and number values and never
// their length (package stripe's prepared creates fill in ids and times),
// reads the text once with ScanLayout and hands the layout to Put with
// each object (Object.Layout), which then need not be read again.
type Layout struct {
	size   int // the length of the JSON it was read from
	fields fields
	// created is the offset and length of the top-level "created"
	// integer's text; clen 0 for none.
	created, clen int
	// edit marks an EditLayout: js made from base by edits, which only
	// Update takes (fields is nil).
	edit  bool
	base  string
	edits []Edit
}

// ScanLayout reads js as Put reads an object's JSON. It fails as Put
// would fail for it.
func ScanLayout(js string) (*Layout, error) {
	fs, _, hasCreated, err := scanTop(js)
	if err != nil {
		return nil, err
	}
	l := &Layout{size: len(js), fields: fs}
	if hasCreated {
		if f, ok := fs.lookup(source{js: js}, "created"); ok {
			l.created, l.clen = int(f.val), int(f.vlen)
		}
	}
	return l, nil
}

// entryFrom builds obj's entry from its layout, if it has one that fits
// its JSON; ok is false when obj must be read.
func (m *Memory) entryFrom(obj Object) (e entry, ok bool) {
	l := obj.Layout
	size := len(obj.JSON)
	if obj.Filled != nil {
		size = obj.Filled.Len()
	}
	if l == nil || l.edit || l.size != size || obj.ID == "" || obj.Type == "" {
		return entry{}, false
	}
	obj.Layout = nil // what the store keeps has none
	if obj.Created == 0 {
		if l.clen == 0 {
			obj.Created = m.now().Unix()
		} else {
			js := source{js: obj.JSON, fill: obj.Filled}
			n, err := strconv.ParseInt(js.sub(uint32(l.created), uint32(l.created+l.clen)), 10, 64)
			if err != nil {
				return entry{}, false
			}
			obj.Created = n
		}
	}
	return newEntry(obj, l.fields), true
}

// A Member is where one top-level member of an object's JSON lies: its
// name's text (inside the quotes) and its value.
type Member struct{ Key, Value Span }

// MembersLayout is the layout of js, an object whose top-level members
// are members, in order, written by code that knows it valid JSON (its
// own encoding, values taken from stored objects' JSON): the layout of
// an event's envelope that package stripe writes, say, handed to
// AppendEventAround (Object.Layout, for the envelope with "{}" for the
// object) so that the store need not read it again. It reads the scalar
// values, and fails as Put would for one that is not valid, but takes
// objects and arrays, and the text between members, as valid unread.
func MembersLayout(js string, members []Member) (*Layout, error) {
	tops := make([]top, 0, 64) // on the stack for most objects, as in scanTopKnown
	s := scanner{js: js}
	hasCreated := false
	for _, mb := range members {
		k, v := mb.Key, mb.Value
		if k.Start < 1 || k.End < k.Start || v.Start <= k.End || v.End <= v.Start || v.End > len(js) {
			return nil, fmt.Errorf("member at byte %d: not a member of an object of %d bytes", k.Start, len(js))
		}
		name := js[k.Start:k.End]
		special := strings.IndexByte(name, '\\') >= 0 || !utf8.ValidString(name)
		var f field // kind 0 for an object or array
		if c := js[v.Start]; c != '{' && c != '[' {
			var end int
			var err error
			if f, end, err = s.scalar(v.Start); err != nil {
				return nil, err
			}
			if end != v.End {
				return nil, &syntaxError{end, "after the member's value"}
			}
		}
		if special {
			name = decodeString(name)
		}
		if name == "created" {
			_, err := strconv.ParseInt(js[f.val:f.val+f.vlen], 10, 64)
			hasCreated = f.kind == kindNumber && err == nil
		}
		if special || k.End-k.Start > math.MaxUint16 {
			f.kind = 0
		}
		f.key, f.klen = uint32(k.Start), uint16(min(k.End-k.Start, math.MaxUint16))
		tops = append(tops, top{name, f})
	}
	l := &Layout{size: len(js), fields: sortTops(tops)}
	if hasCreated {
		if f, ok := l.fields.lookup(source{js: js}, "created"); ok {
			l.created, l.clen = int(f.val), int(f.vlen)
		}
	}
	return l, nil
}
