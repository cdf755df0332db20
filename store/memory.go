package store

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults for Options.
const (
	// DefaultMaxObjects is how many objects a store holds unless told.
	DefaultMaxObjects = 100_000
	// DefaultMaxEvents is how many events the event log keeps; past it
	// the oldest are dropped.
	DefaultMaxEvents = 10_000
	// DefaultMaxIdempotencyKeys is how many idempotency records are kept;
	// past it the oldest are dropped.
	DefaultMaxIdempotencyKeys = 10_000
	// DefaultSaveEvery is how often a store with a file saves it, when
	// anything changed since the last save.
	DefaultSaveEvery = 5 * time.Second
	// DefaultLimit is the page size of a Query without a Limit.
	DefaultLimit = 10
)

// Options configure a Memory store. The zero value is a valid
// configuration: an empty store in memory only, with the default caps.
type Options struct {
	// MaxObjects caps the stored objects (default DefaultMaxObjects).
	MaxObjects int
	// MaxEvents caps the event log (default DefaultMaxEvents).
	MaxEvents int
	// MaxIdempotencyKeys caps the idempotency records (default
	// DefaultMaxIdempotencyKeys).
	MaxIdempotencyKeys int
	// Seed is the store's start: these objects, in order (so the last is
	// the newest among equal Created). Reset goes back to them. With a
	// Path whose file exists, the file is loaded instead.
	Seed []Object
	// Path is the state file ("" for memory only). New loads it if it
	// exists; the store saves to it every SaveEvery and on Close.
	Path string
	// SaveEvery is the period of saves to Path (default
	// DefaultSaveEvery; negative for no periodic saves, only Close).
	SaveEvery time.Duration
	// OnSaveError, if set, receives the errors of periodic saves. The
	// store never prints.
	OnSaveError func(error)
	// Now is the clock for objects without "created" (default time.Now).
	Now func() time.Time
}

// Memory is the embedded Store: objects, events and idempotency records in
// memory, optionally saved to a file. Use New; call Close when done.
type Memory struct {
	max, maxEvents, maxKeys int
	valueIndexMin           int
	path                    string
	now                     func() time.Time
	onSaveError             func(error)
	seed                    []*entry

	mu       sync.RWMutex
	byID     idTable
	all      index
	byType   map[string]*index
	children map[string]*index
	values   map[valueKey]valueIndex // see valueindex.go
	events   eventLog
	keys     keyLog
	nextSeq  uint64
	version  uint64
	subs     map[*chan Change]struct{}
	closed   bool

	dropped atomic.Int64
	// eventFields are the fields of the last events appended around an
	// object (AppendEventAround), of as many kinds (a paying confirm
	// raises two in turn), which the next may share; nextEventFields
	// counts the kinds kept, the oldest replaced.
	eventFields     [recentEventFields]atomic.Pointer[fields]
	nextEventFields atomic.Uint32
	// editedFields are the fields of the last objects Update wrote from
	// an edit layout, of as many shapes (entryEdited): an object written
	// as the last of its shape was (a confirmed intent of the lengths of
	// the last one) shares them.
	editedFields     [recentEventFields]atomic.Pointer[fields]
	nextEditedFields atomic.Uint32
	// lastFill is the fill of the last object Put kept filled: the text
	// of the event that most often follows (AppendEventAround).
	lastFill atomic.Pointer[Filled]
	saveMu   sync.Mutex // one save at a time
	saved    uint64     // the version last saved; under saveMu
	stop     chan struct{}
	done     chan struct{}
}

var _ Store = (*Memory)(nil)

// New builds a store. With opts.Path set it loads that file if it exists
// (an unreadable or corrupt file is an error naming the file and the byte
// offset, and the file is left as it is), else it starts from opts.Seed.
func New(opts Options) (*Memory, error) {
	m := &Memory{
		max:           cmp0(opts.MaxObjects, DefaultMaxObjects),
		maxEvents:     cmp0(opts.MaxEvents, DefaultMaxEvents),
		maxKeys:       cmp0(opts.MaxIdempotencyKeys, DefaultMaxIdempotencyKeys),
		path:          opts.Path,
		now:           opts.Now,
		onSaveError:   opts.OnSaveError,
		subs:          map[*chan Change]struct{}{},
		valueIndexMin: valueIndexMin,
	}
	if m.now == nil {
		m.now = time.Now
	}
	if m.max < 0 || m.maxEvents < 0 || m.maxKeys < 0 {
		return nil, fmt.Errorf("store: a maximum must not be negative (objects %d, events %d, idempotency keys %d)", m.max, m.maxEvents, m.maxKeys)
	}
	if len(opts.Seed) > m.max {
		return nil, fmt.Errorf("store: the seed has %d objects, more than the maximum of %d", len(opts.Seed), m.max)
	}
	seen := make(map[string]bool, len(opts.Seed))
	for i, obj := range opts.Seed {
		e, err := m.prepare(obj)
		if err != nil {
			return nil, fmt.Errorf("store: seed object %d: %w", i, err)
		}
		if seen[obj.ID] {
			return nil, fmt.Errorf("store: seed object %d: id %q appears twice", i, obj.ID)
		}
		seen[obj.ID] = true
		e.seq = uint64(i + 1)
		m.seed = append(m.seed, &e)
	}
	m.clear()
	loaded := false
	if m.path != "" {
		var err error
		if loaded, err = m.load(m.path); err != nil {
			return nil, err
		}
		if err := checkWritable(m.path); err != nil {
			return nil, err
		}
	}
	if !loaded {
		m.reseed()
	}
	m.saved = m.version
	if m.path != "" && opts.SaveEvery >= 0 {
		m.startSaving(cmp0(opts.SaveEvery, DefaultSaveEvery))
	}
	return m, nil
}

func cmp0[T int | time.Duration](v, def T) T {
	if v == 0 {
		return def
	}
	return v
}

// prepare checks obj and builds its entry (without a sequence number).
// The entry is a value: the caller puts it on the heap only if it keeps
// it (an update in place copies it into the stored entry).
func (m *Memory) prepare(obj Object) (entry, error) {
	if obj.Filled != nil && obj.JSON != "" {
		return entry{}, fmt.Errorf("object %q has both JSON and Filled", obj.ID)
	}
	if e, ok := m.entryFrom(obj); ok {
		return e, nil
	}
	return m.prepareKnown(joined(obj), nil) // a fill without its layout is read as its text
}

// prepareKnown is prepare, passing known to scanTopKnown.
func (m *Memory) prepareKnown(obj Object, known knownObject) (entry, error) {
	if obj.ID == "" {
		return entry{}, errors.New("object has no id")
	}
	if obj.Type == "" {
		return entry{}, fmt.Errorf("object %q has no type", obj.ID)
	}
	obj.Layout = nil // what the store keeps has none
	fs, created, ok, err := scanTopKnown(obj.JSON, known)
	if err != nil {
		return entry{}, fmt.Errorf("object %q: %w", obj.ID, err)
	}
	if obj.Created == 0 {
		if ok {
			obj.Created = created
		} else {
			obj.Created = m.now().Unix()
		}
	}
	return newEntry(obj, fs), nil
}

// clear empties the store; the caller holds mu (or owns m alone).
func (m *Memory) clear() {
	m.byID = idTable{}
	m.all = nil
	m.byType = map[string]*index{}
	m.children = map[string]*index{}
	m.values = map[valueKey]valueIndex{}
	m.events = eventLog{}
	m.keys = keyLog{byKey: map[string]*IdempotencyRecord{}}
	m.nextSeq = 0
}

// reseed stores the seed; the caller holds mu, on an empty store.
func (m *Memory) reseed() {
	for _, e := range m.seed {
		c := *e // stored entries change in place; the seed must not
		m.add(&c)
	}
	m.nextSeq = uint64(len(m.seed))
}

// Get returns the object with id.
func (m *Memory) Get(_ context.Context, id string) (Object, error) {
	m.mu.RLock()
	e := m.byID.get(id)
	if e == nil {
		m.mu.RUnlock()
		return Object{}, &NotFoundError{ID: id}
	}
	obj := e.obj.kept()
	m.mu.RUnlock()
	return joined(obj), nil // a fill never changes: joined without the lock
}

// Put stores obj. Its JSON must be one JSON object.
func (m *Memory) Put(_ context.Context, obj Object) (Object, error) {
	e := new(entry) // most Puts store a new object: on the heap before the lock
	var err error
	if *e, err = m.prepare(obj); err != nil {
		return Object{}, fmt.Errorf("store: put: %w", err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.byID.init()
	old, at, hash := m.byID.find(obj.ID) // one probe: the id's entry, or where it goes
	if old == nil {
		if m.byID.len() >= m.max {
			return Object{}, &FullError{Max: m.max, ID: obj.ID}
		}
		m.nextSeq++
		e.seq = m.nextSeq
		m.byID.insertAt(at, hash, e)
		m.index(e)
	} else {
		e = m.replace(old, e)
	}
	if e.obj.Filled != nil {
		m.lastFill.Store(e.obj.Filled)
	}
	m.changed(OpPut, e.obj.Type, e.obj.ID)
	return e.obj.kept(), nil
}

// Update changes the object with id atomically. fn runs without the lock
// held; if another write changed the object meanwhile, fn runs again on
// the newer object.
func (m *Memory) Update(_ context.Context, id string, fn func(Object) (Object, error)) (Object, error) {
	for {
		m.mu.RLock()
		cur := m.byID.get(id)
		var obj Object
		var rev uint32
		var fs fields
		if cur != nil {
			obj, rev, fs = cur.obj.kept(), cur.rev, cur.fields()
		}
		m.mu.RUnlock()
		if cur == nil {
			return Object{}, &NotFoundError{ID: id}
		}
		obj = joined(obj)
		next, err := fn(obj)
		if err != nil {
			return Object{}, err
		}
		if next.ID != id {
			return Object{}, fmt.Errorf("store: update %q: the new version has id %q", id, next.ID)
		}
		e, ok := m.entryEdited(obj.JSON, fs, next) // a value: replace copies it in place
		if !ok {
			if e, err = m.prepare(next); err != nil {
				return Object{}, fmt.Errorf("store: update: %w", err)
			}
		}
		m.mu.Lock()
		old := m.byID.get(id)
		if old == nil {
			m.mu.Unlock()
			return Object{}, &NotFoundError{ID: id}
		}
		if old != cur || old.rev != rev {
			m.mu.Unlock()
			continue // changed meanwhile: start again from the new version
		}
		out := m.replace(old, &e).obj // copied under the lock: the entry changes in place
		m.changed(OpPut, out.Type, out.ID)
		m.mu.Unlock()
		return joined(out.kept()), nil
	}
}

// add indexes a new entry; the caller holds mu.
func (m *Memory) add(e *entry) {
	m.byID.set(e)
	m.index(e)
}

// index puts a new entry, already in byID, in the other indexes; the
// caller holds mu.
func (m *Memory) index(e *entry) {
	m.all.insert(e)
	indexIn(m.byType, e.obj.Type).insert(e)
	if e.obj.Parent != "" {
		indexIn(m.children, e.obj.Parent).insert(e)
	}
	m.addValues(e)
}

// drop unindexes an entry; the caller holds mu.
func (m *Memory) drop(e *entry) {
	m.byID.delete(e.obj.ID)
	m.all.remove(e)
	removeFrom(m.byType, e.obj.Type, e)
	if e.obj.Parent != "" {
		removeFrom(m.children, e.obj.Parent, e)
	}
	m.dropValues(e)
}

// replace puts e in the place of old (same id) and returns the entry
// stored. When they sort and group the same, which is the common update,
// old is overwritten in place, so the indexes (which point at it) need no
// change; else a copy of e is stored. e itself is never kept, so it may
// live on the caller's stack. The caller holds mu.
func (m *Memory) replace(old, e *entry) *entry {
	e.seq, e.rev = old.seq, old.rev+1
	same := old.obj.Created == e.obj.Created && old.obj.Type == e.obj.Type && old.obj.Parent == e.obj.Parent
	if !same {
		m.drop(old)
		kept := new(entry)
		*kept = *e
		m.add(kept)
		return kept
	}
	m.replaceValues(old, e)
	*old = *e
	return old
}

func indexIn(m map[string]*index, k string) *index {
	x := m[k]
	if x == nil {
		x = &index{}
		m[k] = x
	}
	return x
}

func removeFrom(m map[string]*index, k string, e *entry) {
	if x := m[k]; x != nil {
		x.remove(e)
		if len(*x) == 0 {
			delete(m, k)
		}
	}
}

// Delete removes the object with id (and, with cascade, its descendants).
func (m *Memory) Delete(_ context.Context, id string, cascade bool) ([]Object, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e := m.byID.get(id)
	if e == nil {
		return nil, &NotFoundError{ID: id}
	}
	gone := []*entry{e}
	if cascade {
		// Breadth first: parents before children, each level newest first.
		for i := 0; i < len(gone); i++ {
			if kids := m.children[gone[i].obj.ID]; kids != nil {
				for _, k := range slices.Backward(*kids) {
					gone = append(gone, k)
				}
			}
		}
	}
	out := make([]Object, 0, len(gone))
	for _, g := range gone {
		if m.byID.get(g.obj.ID) != g {
			continue // already gone: parents that form a cycle
		}
		m.drop(g)
		out = append(out, g.object())
		m.changed(OpDelete, g.obj.Type, g.obj.ID)
	}
	return out, nil
}

// List returns one page of objects, newest first.
func (m *Memory) List(_ context.Context, q Query) (Page, error) {
	m.indexValues(q)
	m.mu.RLock()
	defer m.mu.RUnlock()
	exact := q.Parent == "" || q.Type == "" // a selection by parent holds every type
	return page(m.narrowest(q, m.selection(q)), exact, q, m.byID.get)
}

// selection is the index q's Parent or Type selects; the caller holds mu.
func (m *Memory) selection(q Query) index {
	var x *index
	switch {
	case q.Parent != "":
		x = m.children[q.Parent]
	case q.Type != "":
		x = m.byType[q.Type]
	default:
		return m.all
	}
	if x == nil {
		return nil
	}
	return *x
}

// Reset puts the store back to its seed.
func (m *Memory) Reset(context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.clear()
	m.reseed()
	m.changed(OpReset, "", "")
	return nil
}

// Stats counts what the store holds.
func (m *Memory) Stats() Stats {
	m.mu.RLock()
	defer m.mu.RUnlock()
	types := make(map[string]int, len(m.byType))
	for t, x := range m.byType {
		types[t] = len(*x)
	}
	return Stats{
		Version:         m.version,
		Objects:         m.byID.len(),
		Types:           types,
		Events:          len(m.events.idx),
		IdempotencyKeys: len(m.keys.byKey),
		Dropped:         m.dropped.Load(),
	}
}

// Subscribe returns a channel of changes and a function that ends it.
func (m *Memory) Subscribe(buffer int) (<-chan Change, func()) {
	ch := make(chan Change, max(buffer, 1))
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		close(ch)
		return ch, func() {}
	}
	m.subs[&ch] = struct{}{}
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			m.mu.Lock()
			defer m.mu.Unlock()
			if _, ok := m.subs[&ch]; ok {
				delete(m.subs, &ch)
				close(ch)
			}
		})
	}
}

// changed counts a change and tells subscribers without blocking; the
// caller holds mu for writing.
func (m *Memory) changed(op Op, typ, id string) {
	m.version++
	c := Change{Version: m.version, Op: op, Type: typ, ID: id}
	for ch := range m.subs {
		select {
		case *ch <- c:
		default:
			m.dropped.Add(1)
		}
	}
}

// Close stops periodic saves, saves to the file (if any) and ends every
// subscription. The store stays readable and writable in memory.
func (m *Memory) Close() error {
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return nil
	}
	m.closed = true
	for _, ch := range slices.Collect(maps.Keys(m.subs)) {
		delete(m.subs, ch)
		close(*ch)
	}
	m.mu.Unlock()
	if m.stop != nil {
		close(m.stop)
		<-m.done
	}
	if m.path == "" {
		return nil
	}
	return m.saveIfChanged()
}
