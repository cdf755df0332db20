package store

import "strconv"

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
		if f, ok := fs.lookup(js, "created"); ok {
			l.created, l.clen = int(f.val), int(f.vlen)
		}
	}
	return l, nil
}

// entryFrom builds obj's entry from its layout, if it has one that fits
// its JSON; ok is false when obj must be read.
func (m *Memory) entryFrom(obj Object) (e *entry, ok bool) {
	l := obj.Layout
	if l == nil || l.edit || l.size != len(obj.JSON) || obj.ID == "" || obj.Type == "" {
		return nil, false
	}
	obj.Layout = nil // what the store keeps has none
	if obj.Created == 0 {
		if l.clen == 0 {
			obj.Created = m.now().Unix()
		} else {
			n, err := strconv.ParseInt(obj.JSON[l.created:l.created+l.clen], 10, 64)
			if err != nil {
				return nil, false
			}
			obj.Created = n
		}
	}
	return &entry{obj: obj, fields: l.fields}, true
}
