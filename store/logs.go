package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// eventLog holds the events, oldest first, bounded by Memory.maxEvents.
type eventLog struct {
	// byID finds the events by id: the table objects' ids have (one
	// probe finds an id or its place; a full log drops its oldest event
	// on every append).
	byID idTable
	idx  index
	// parted counts the events kept as parts, their JSON not yet joined
	// (AppendEventAround).
	parted int
}

// keyLog holds the idempotency records, bounded by Memory.maxKeys; order
// lists the keys oldest first.
type keyLog struct {
	byKey map[string]*IdempotencyRecord
	order []string
}

// AppendEvent adds ev to the event log, dropping the oldest event when
// the log is full. An id already in the log is an error.
func (m *Memory) AppendEvent(_ context.Context, ev Object) (Object, error) {
	pe, err := m.prepareKnown(ev, m.storedObject)
	if err != nil {
		return Object{}, fmt.Errorf("store: append event: %w", err)
	}
	e := &pe
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.events.byID.get(ev.ID) != nil {
		return Object{}, fmt.Errorf("store: append event: id %q is already in the log", ev.ID)
	}
	m.nextSeq++
	e.seq = m.nextSeq
	m.addEvent(e)
	m.changed(OpEvent, e.obj.Type, e.obj.ID)
	return e.obj.kept(), nil
}

// AppendEventAround is AppendEvent for an event whose JSON is before,
// then object's JSON, then after, where object is a stored object (an
// event's data.object): as Put returned it (its Filled set, JSON empty)
// or as Get gave it. The event is kept as these parts, its JSON joined
// only when an event is first read (GetEvent, ListEvents, a save), so
// that an event nobody reads costs neither the copy nor a second reading
// of its object; an object kept filled is kept as its fill, never
// joined. ev's JSON is ignored, unless it is before, "{}" and after
// joined (which saves joining them again); ev's Layout, if set, is the
// layout of that text (MembersLayout). An object given as text that is
// not a stored object's JSON is read as AppendEvent reads it. What is
// read back is byte for byte what AppendEvent with the joined JSON keeps.
func (m *Memory) AppendEventAround(ctx context.Context, ev Object, before string, object Object, after string) error {
	fill, stored := object.Filled, object.Filled != nil // a fill never changes: kept as it is
	size := len(object.JSON)
	if fill != nil {
		size = fill.Len()
	} else {
		fill, stored = m.storedAs(object.JSON)
	}
	if !strings.HasSuffix(before, eventObject) || !stored {
		ev.JSON = before + object.Text() + after
		_, err := m.AppendEvent(ctx, ev)
		return err
	}
	// The event around an empty object is read as AppendEvent reads the
	// event; the fields after the object then move by its length.
	const empty = "{}"
	if len(ev.JSON) != len(before)+len(empty)+len(after) || !strings.HasPrefix(ev.JSON, before) ||
		ev.JSON[len(before):len(before)+len(empty)] != empty || !strings.HasSuffix(ev.JSON, after) {
		ev.JSON = before + empty + after
	}
	pe := new(partedEntry) // the entry and its parts, one allocation
	var err error
	if pe.entry, err = m.prepare(ev); err != nil { // ev.Layout, if any, is the layout of that text
		return fmt.Errorf("store: append event: %w", err)
	}
	e := &pe.entry
	e.setFields(m.shiftedFields(e.fields(), len(before), uint32(size-len(empty)), ev.Layout != nil))
	pe.parts = eventParts{before: before, object: object.JSON, after: after}
	e.obj.JSON, e.parts = "", &pe.parts
	if fill != nil {
		// The stored object is kept filled: the event keeps the same fill
		// (which never changes), not this text of it.
		e.parts.object, e.parts.fill = "", fill
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.events.byID.get(ev.ID) != nil {
		return fmt.Errorf("store: append event: id %q is already in the log", ev.ID)
	}
	m.nextSeq++
	e.seq = m.nextSeq
	m.addEvent(e)
	m.events.parted++
	m.changed(OpEvent, e.obj.Type, e.obj.ID)
	return nil
}

// shiftedFields are fs with the offsets at or past at moved by shift:
// the fields of a recent event appended around an object when they are
// the same (events of one kind, their texts of the same lengths, share
// them: fields never change once stored), else fs moved (in place unless
// shared says fs is a layout's, which must be left alone), kept for the
// next events in place of the oldest kept.
func (m *Memory) shiftedFields(fs fields, at int, shift uint32, shared bool) fields {
	moved := func(f field) field {
		if int(f.key) >= at {
			f.key += shift
		}
		if int(f.val) >= at {
			f.val += shift
		}
		return f
	}
	for k := range m.eventFields {
		if last := m.eventFields[k].Load(); last != nil && sameMoved(fs, *last, moved) {
			return *last
		}
	}
	out := new(fields) // kept by eventFields
	if shared {
		*out = slices.Clone(fs)
	} else {
		*out = fs
	}
	for i, f := range *out {
		(*out)[i] = moved(f)
	}
	m.eventFields[m.nextEventFields.Add(1)%recentEventFields].Store(out)
	return *out
}

// recentEventFields is how many kinds of events' fields shiftedFields
// keeps for the next events to share.
const recentEventFields = 4

// sameMoved reports whether moved makes fs into kept.
func sameMoved(fs, kept fields, moved func(field) field) bool {
	if len(fs) != len(kept) {
		return false
	}
	for i, f := range fs {
		if moved(f) != kept[i] {
			return false
		}
	}
	return true
}

// partedEntry is an event's entry with its parts, which its parts field
// points to until they are joined.
type partedEntry struct {
	entry
	parts eventParts
}

// eventParts are the parts of an event's JSON not yet joined: before,
// the object (its text, or its fill when fill is set), after.
type eventParts struct {
	before, object, after string
	fill                  *Filled
}

// join is the event's JSON.
func (p *eventParts) join() string {
	if p.fill == nil {
		return p.before + p.object + p.after
	}
	b := make([]byte, 0, len(p.before)+p.fill.Len()+len(p.after))
	b = append(b, p.before...)
	b = p.fill.AppendTo(b)
	b = append(b, p.after...)
	return string(b)
}

// storedAs reports whether js is the JSON of a stored object, as stored,
// and the fill it is kept as, if it is.
func (m *Memory) storedAs(js string) (*Filled, bool) {
	if f := m.lastFill.Load(); f != nil && f.Len() == len(js) && f.prefixOf(js) {
		// The text of the object last Put (a fill never changes, so the
		// text is as stored even if the object has changed since): no
		// look-up.
		return f, true
	}
	end, fill := m.storedEnd(js, 0)
	if end == len(js) {
		return fill, true
	}
	// An object written with its members in name order (a charge) has
	// its id among them: one of the first members named "id", nested
	// ones before it. Each is tried as the id of an object stored as js.
	const idName = `"id":"`
	for from, tries := 0, 0; tries < 4; tries++ {
		k := strings.Index(js[from:], idName)
		if k < 0 {
			break
		}
		start := from + k + len(idName)
		n := strings.IndexByte(js[start:], '"')
		if n < 0 {
			break
		}
		if end, fill := m.storedAt(js, 0, js[start:start+n]); end == len(js) {
			return fill, true
		}
		from = start + n
	}
	return nil, false
}

// readEvents runs fn with the event log readable: the events kept as
// parts are joined first, under the write lock.
func (m *Memory) readEvents(fn func()) {
	m.mu.RLock()
	if m.events.parted == 0 {
		defer m.mu.RUnlock()
		fn()
		return
	}
	m.mu.RUnlock()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.joinEvents()
	fn()
}

// joinEvents joins the JSON of the events kept as parts; the caller
// holds mu for writing.
func (m *Memory) joinEvents() {
	if m.events.parted == 0 {
		return
	}
	for _, e := range m.events.idx {
		if p := e.parts; p != nil {
			e.obj.JSON, e.parts = p.join(), nil
			*p = eventParts{} // held with the entry: let go of the texts
		}
	}
	m.events.parted = 0
}

// storedObject is a knownObject: an event's data.object is usually the
// stored object's JSON, checked when it was stored; the same text need
// not be checked again. Its id (the first member, as Stripe writes
// objects) finds it.
func (m *Memory) storedObject(js string, i int) int {
	end, _ := m.storedEnd(js, i)
	return end
}

// storedEnd is storedObject, and the fill the object is kept as, if any.
func (m *Memory) storedEnd(js string, i int) (int, *Filled) {
	const idMember = `{"id":"`
	if !strings.HasPrefix(js[i:], idMember) {
		return -1, nil
	}
	n := strings.IndexByte(js[i+len(idMember):], '"')
	if n < 0 {
		return -1, nil
	}
	return m.storedAt(js, i, js[i+len(idMember):i+len(idMember)+n])
}

// storedAt is storedEnd for the object with id: where js's copy of it
// at i ends (-1 for none), and its fill, if it is kept as one.
func (m *Memory) storedAt(js string, i int, id string) (int, *Filled) {
	m.mu.RLock()
	var stored string
	var fill *Filled
	if e := m.byID.get(id); e != nil {
		stored, fill = e.obj.JSON, e.obj.Filled
	}
	m.mu.RUnlock()
	if fill != nil {
		if !fill.prefixOf(js[i:]) {
			return -1, nil
		}
		return i + fill.Len(), fill
	}
	if stored == "" || !strings.HasPrefix(js[i:], stored) {
		return -1, nil
	}
	return i + len(stored), nil
}

// addEvent logs e, dropping the oldest past the cap; the caller holds mu.
func (m *Memory) addEvent(e *entry) {
	for len(m.events.idx) >= m.maxEvents {
		oldest := m.events.idx[0]
		m.events.idx.remove(oldest)
		m.events.byID.delete(oldest.obj.ID)
		if oldest.parts != nil {
			oldest.parts = nil
			m.events.parted--
		}
	}
	m.events.byID.set(e)
	m.events.idx.insert(e)
}

// GetEvent returns the event with id.
func (m *Memory) GetEvent(_ context.Context, id string) (Object, error) {
	var obj Object
	found := false
	m.readEvents(func() {
		if e := m.events.byID.get(id); e != nil {
			obj, found = e.obj.kept(), true
		}
	})
	if !found {
		return Object{}, &NotFoundError{ID: id}
	}
	return obj, nil
}

// ListEvents returns one page of events, newest first. Query.Parent and
// Query.Type filter as for objects; cursors name events.
func (m *Memory) ListEvents(_ context.Context, q Query) (p Page, err error) {
	m.readEvents(func() {
		p, err = page(m.events.idx, q.Type == "" && q.Parent == "", q, m.events.byID.get)
	})
	return p, err
}

// LookupIdempotency returns the record kept for key.
func (m *Memory) LookupIdempotency(_ context.Context, key string) (IdempotencyRecord, bool, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if r := m.keys.byKey[key]; r != nil {
		return r.copy(), true, nil
	}
	return IdempotencyRecord{}, false, nil
}

// RecordIdempotency keeps rec unless its key is kept already (or
// reserved with rec's fingerprint), dropping the oldest record past the
// cap.
func (m *Memory) RecordIdempotency(_ context.Context, rec IdempotencyRecord) (IdempotencyRecord, bool, error) {
	if rec.Key == "" {
		return IdempotencyRecord{}, false, errors.New("store: an idempotency record needs a key")
	}
	if rec.Created.IsZero() {
		rec.Created = m.now()
	}
	rec.Header = rec.Header.Clone()
	m.mu.Lock()
	defer m.mu.Unlock()
	r := m.keys.byKey[rec.Key]
	switch {
	case r == nil:
		kept := rec
		m.addKey(&kept)
	case r.Status == 0 && rec.Status != 0 && r.Fingerprint == rec.Fingerprint:
		*r = rec // the reserving request's response; the key keeps its age
	default:
		return r.copy(), false, nil
	}
	m.changed(OpIdempotency, "", rec.Key)
	rec.Header = rec.Header.Clone()
	return rec, true, nil
}

// addKey keeps r, dropping the oldest past the cap; the caller holds mu.
func (m *Memory) addKey(r *IdempotencyRecord) {
	for len(m.keys.order) >= m.maxKeys {
		delete(m.keys.byKey, m.keys.order[0])
		m.keys.order[0] = ""
		m.keys.order = m.keys.order[1:]
	}
	m.keys.byKey[r.Key] = r
	m.keys.order = append(m.keys.order, r.Key)
}

// copy returns r with its own header map, so callers cannot change the
// kept record.
func (r *IdempotencyRecord) copy() IdempotencyRecord {
	c := *r
	c.Header = r.Header.Clone()
	return c
}

// ForgetIdempotency drops the record for key.
func (m *Memory) ForgetIdempotency(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.keys.byKey[key] == nil {
		return nil
	}
	delete(m.keys.byKey, key)
	if i := slices.Index(m.keys.order, key); i >= 0 {
		m.keys.order = slices.Delete(m.keys.order, i, i+1)
	}
	m.changed(OpIdempotency, "", key)
	return nil
}
