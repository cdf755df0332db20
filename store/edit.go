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
// in the new text.
type Edit struct{ Old, New Span }

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
func (m *Memory) entryEdited(base string, fs fields, obj Object) (e *entry, ok bool) {
	l := obj.Layout
	js := obj.JSON
	if l == nil || !l.edit || l.size != len(js) || l.base != base || obj.Created == 0 || obj.ID == "" || obj.Type == "" {
		return nil, false
	}
	obj.Layout = nil // what the store keeps has none
	// The text between the edits is base's.
	lastOld, lastNew := 0, 0
	for _, ed := range l.edits {
		o, n := ed.Old, ed.New
		if o.Start < lastOld || o.End < o.Start || o.End > len(base) || n.Start < lastNew || n.End < n.Start || n.End > len(js) ||
			o.Start-lastOld != n.Start-lastNew || js[lastNew:n.Start] != base[lastOld:o.Start] {
			return nil, false
		}
		lastOld, lastNew = o.End, n.End
	}
	if len(base)-lastOld != len(js)-lastNew || js[lastNew:] != base[lastOld:] {
		return nil, false
	}
	var buf [64]field // the fields as edited, on the stack for most objects
	out := append(buf[:0], fs...)
	drop := 0 // fields whose new value is not a scalar: kind 0, dropped below
	var addBuf [8]field
	added := addBuf[:0] // members whose new value is a scalar where an object or array was
	s := scanner{js: js}
	for _, ed := range l.edits {
		if ed.Old.Start >= ed.Old.End {
			return nil, false
		}
		at := -1 // the field of the old value, if it has one
		if c := base[ed.Old.Start]; c != '{' && c != '[' {
			// A scalar: base's reading found it, and where it ends.
			start, end := ed.Old.Start, ed.Old.End
			if c == '"' {
				start, end = start+1, end-1
			}
			for i, f := range fs {
				if int(f.val) == start {
					at = i
					break
				}
			}
			if at < 0 || int(fs[at].val+fs[at].vlen) != end {
				return nil, false // an escaped or repeated name: read js
			}
		} else if !topValue(base, ed.Old) {
			return nil, false
		}
		f, end, err := s.scalar(ed.New.Start)
		if err != nil || end != ed.New.End {
			return nil, false // read js, which fails as it should
		}
		switch {
		case at < 0 && f.kind != 0:
			// An object or array becoming a scalar: the member is
			// indexed anew, when its name is plain and no other member
			// can have it (else js is read).
			name, kStart, ok := plainName(base, ed.Old.Start)
			if !ok || !onlyName(base, name) {
				return nil, false
			}
			f.key, f.klen = uint32(moved(l.edits, kStart)), uint16(len(name))
			added = append(added, f)
		case at >= 0:
			out[at].kind, out[at].val, out[at].vlen = f.kind, f.val, f.vlen
			if f.kind == 0 {
				drop++
			}
		}
	}
	// The fields not edited move by the edits before them.
	for i := range out {
		f := &out[i]
		f.key = uint32(moved(l.edits, int(f.key)))
		if edited(l.edits, int(fs[i].val)) {
			continue
		}
		f.val = uint32(moved(l.edits, int(f.val)))
	}
	// The index kept: exactly the scalars, the added among them in order.
	src := source{js: js}
	slices.SortFunc(added, func(a, b field) int { return strings.Compare(a.name(src), b.name(src)) })
	kept := make(fields, 0, len(out)-drop+len(added))
	for _, f := range out {
		if f.kind == 0 {
			continue
		}
		for len(added) > 0 && added[0].name(src) < f.name(src) {
			kept, added = append(kept, added[0]), added[1:]
		}
		kept = append(kept, f)
	}
	return &entry{obj: obj, fields: append(kept, added...)}, true
}

// plainName is the name of the top-level member of js whose value starts
// at i, and where its text starts, when the name has no escape, is valid
// UTF-8 without U+FFFD and fits a field; ok is false otherwise.
func plainName(js string, i int) (name string, start int, ok bool) {
	j := i - 1
	for j >= 0 && isSpace(js[j]) {
		j--
	}
	if j < 0 || js[j] != ':' {
		return "", 0, false
	}
	j--
	for j >= 0 && isSpace(js[j]) {
		j--
	}
	if j < 0 || js[j] != '"' {
		return "", 0, false
	}
	end := j
	for j--; j >= 0 && js[j] != '"'; j-- {
		if js[j] == '\\' {
			return "", 0, false
		}
	}
	if j < 1 || js[j-1] == '\\' { // not found, or an escaped quote
		return "", 0, false
	}
	name = js[j+1 : end]
	if len(name) > math.MaxUint16 || !utf8.ValidString(name) || strings.ContainsRune(name, utf8.RuneError) {
		return "", 0, false
	}
	return name, j + 1, true
}

// onlyName reports whether no other member of js than the one whose name
// is name (plainName) can be named name: the name is quoted once in js,
// and no escape in js could spell it (\u, \/).
func onlyName(js, name string) bool {
	if strings.Contains(js, `\u`) || strings.Contains(js, `\/`) {
		return false
	}
	n := 0
	for i := 0; i < len(js); {
		k := strings.Index(js[i:], name)
		if k < 0 {
			break
		}
		k += i
		if k > 0 && js[k-1] == '"' && k+len(name) < len(js) && js[k+len(name)] == '"' {
			if n++; n > 1 {
				return false
			}
		}
		i = k + 1
	}
	return n == 1
}

// moved is where offset i of the old text, outside the edits, lies in
// the new text.
func moved(edits []Edit, i int) int {
	shift := 0
	for _, ed := range edits {
		if ed.Old.End > i {
			break
		}
		shift += (ed.New.End - ed.New.Start) - (ed.Old.End - ed.Old.Start)
	}
	return i + shift
}

// edited reports whether offset i of the old text lies in an edit.
func edited(edits []Edit, i int) bool {
	for _, ed := range edits {
		if i >= ed.Old.Start && i < ed.Old.End {
			return true
		}
	}
	return false
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
