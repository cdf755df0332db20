package store

import "strings"

// Lists filtered by a field (customer=, email=, status=) over a large
// store would scan every object. So the first such list over more than
// valueIndexMin objects builds an index of that field (value to objects,
// newest last, like every index) and writes keep it from then on; a list
// then walks only the objects with the value. The index holds the
// objects of the list's type only (of every type for a list of any
// type): a filter of charges by customer is no cost to a Put of a
// balance transaction, nor does its index hold them. At most
// maxValueIndexes fields of types are indexed; past that, filters scan.
const (
	valueIndexMin   = 1000
	maxValueIndexes = 16
)

// valueKey names a value index: a field of the objects of a type ("" for
// every type).
type valueKey struct{ typ, name string }

// holds reports whether the index k holds objects of type typ.
func (k valueKey) holds(typ string) bool { return k.typ == "" || k.typ == typ }

// valueIndex maps a field's values (as Query.Equal states them) to the
// objects that have them.
type valueIndex map[string]*index

// valueOf is the text Query.Equal compares for the field name of e, and
// whether e has a scalar, non-null value there.
func valueOf(e *entry, name string) (string, bool) {
	js := e.source()
	f, ok := e.fields().lookup(js, name)
	if !ok || f.kind == kindNull {
		return "", false
	}
	return f.text(js), true
}

// addValues and dropValues keep the value indexes; the caller holds mu.
func (m *Memory) addValues(e *entry) {
	for k, vi := range m.values {
		if !k.holds(e.obj.Type) {
			continue
		}
		if v, ok := valueOf(e, k.name); ok {
			vi.add(v, e)
		}
	}
}

func (m *Memory) dropValues(e *entry) {
	for k, vi := range m.values {
		if !k.holds(e.obj.Type) {
			continue
		}
		if v, ok := valueOf(e, k.name); ok {
			removeFrom(vi, v, e)
		}
	}
}

// replaceValues moves old (about to be overwritten by e, in place, and of
// the same type) to e's values in the value indexes.
func (m *Memory) replaceValues(old, e *entry) {
	for k, vi := range m.values {
		if !k.holds(old.obj.Type) {
			continue
		}
		ov, oldOK := valueOf(old, k.name)
		nv, newOK := valueOf(e, k.name)
		if oldOK == newOK && ov == nv {
			continue
		}
		if oldOK {
			removeFrom(vi, ov, old)
		}
		if newOK {
			vi.add(nv, old)
		}
	}
}

func (vi valueIndex) add(v string, e *entry) {
	x := vi[v]
	if x == nil {
		x = &index{}
		vi[strings.Clone(v)] = x // not a slice of e's JSON, which a later Put may drop
	}
	x.insert(e)
}

// indexValues builds the indexes q's filters want, when its selection is
// large enough to be worth it. It takes the write lock only to build.
func (m *Memory) indexValues(q Query) {
	if len(q.Equal) == 0 {
		return
	}
	m.mu.RLock()
	missing := false
	for name := range q.Equal {
		if _, ok := m.values[valueKey{q.Type, name}]; !ok {
			missing = true
		}
	}
	want := missing && len(m.values) < maxValueIndexes && len(m.selection(q)) > m.valueIndexMin
	m.mu.RUnlock()
	if !want {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	objs := m.all // every object of q's type
	if q.Type != "" {
		objs = m.selection(Query{Type: q.Type})
	}
	for name := range q.Equal {
		k := valueKey{q.Type, name}
		if _, ok := m.values[k]; ok || len(m.values) >= maxValueIndexes {
			continue
		}
		vi := valueIndex{}
		for _, e := range objs {
			if v, ok := valueOf(e, name); ok {
				vi.add(v, e)
			}
		}
		m.values[k] = vi
	}
}

// narrowest returns the smallest index that holds every object q can
// match: x (the selection by parent or type) or the objects with one of
// q's filtered values. The caller holds mu.
func (m *Memory) narrowest(q Query, x index) index {
	for name, want := range q.Equal {
		vi, ok := m.values[valueKey{q.Type, name}]
		if !ok {
			if vi, ok = m.values[valueKey{"", name}]; !ok {
				continue
			}
		}
		y := vi[want]
		if y == nil {
			return nil // indexed, and no object has the value
		}
		if len(*y) < len(x) {
			x = *y
		}
	}
	return x
}

// text is the value Query.Equal compares: strings decoded, other scalars
// as written.
func (f field) text(js source) string {
	raw := js.sub(f.val, f.val+f.vlen)
	if f.kind == kindEscaped {
		return decodeString(raw)
	}
	return raw
}
