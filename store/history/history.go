// Package history keeps each stored object's history: its versions over
// time, each with the request that wrote it (store.Origin). It is a
// store.Store that passes every call on to the store it wraps and
// records the writes that succeed.
//
// Why here: the store's change stream (Store.Subscribe) names only the
// object that changed, with neither its JSON nor the request, and drops
// changes a slow reader cannot take; a history built from it would miss
// the states an object passes through quickly (requires_action, then
// succeeded) and could not say which request moved it. A wrapper sees
// every write as it happens, with the exact JSON and the writer's
// context, including the writes a request makes on the side (the charge
// a confirm creates). The Store interface stays as it is, and only the
// terminal UI, which shows the history, wraps its store: `routedeck
// serve` pays nothing for it.
//
// It is bounded: MaxVersions per object (the oldest go first), and
// MaxObjects objects and MaxTotal versions in all (past either, the
// histories that started first go, whole), so memory stays within about
// MaxTotal times an object's JSON size whatever the traffic.
package history

import (
	"context"
	"sync"
	"time"

	"github.com/routedeck/routedeck/store"
)

// Defaults of Options.
const (
	DefaultMaxVersions = 32
	DefaultMaxObjects  = 10000
	DefaultMaxTotal    = 20000
)

// Options bound a Store's history.
type Options struct {
	// MaxVersions is how many versions are kept per object
	// (DefaultMaxVersions when 0).
	MaxVersions int
	// MaxObjects is how many objects have a history
	// (DefaultMaxObjects when 0).
	MaxObjects int
	// MaxTotal is how many versions are kept in all (DefaultMaxTotal
	// when 0).
	MaxTotal int
}

// Version is one state of an object and the write that led to it.
type Version struct {
	// Time is when the write happened.
	Time time.Time
	// Origin is what wrote it (zero when the writer gave none).
	Origin store.Origin
	// Deleted marks the write that deleted the object; JSON is then the
	// object as it was.
	Deleted bool
	// JSON is the object as written.
	JSON string
	// filled, when set, is JSON as the store kept it (store.Filled), not
	// joined until History is asked: JSON is empty then.
	filled *store.Filled
}

// Store is a store.Store that keeps every object's history.
type Store struct {
	store.Store
	maxVersions, maxObjects, maxTotal int

	mu    sync.Mutex
	byID  map[string][]Version
	order []string // ids in the order their history started
	total int      // versions kept in all
	now   func() time.Time
}

var _ store.Store = (*Store)(nil)

// New wraps st.
func New(st store.Store, opts Options) *Store {
	if opts.MaxVersions <= 0 {
		opts.MaxVersions = DefaultMaxVersions
	}
	if opts.MaxObjects <= 0 {
		opts.MaxObjects = DefaultMaxObjects
	}
	if opts.MaxTotal <= 0 {
		opts.MaxTotal = DefaultMaxTotal
	}
	return &Store{Store: st, maxVersions: opts.MaxVersions, maxObjects: opts.MaxObjects, maxTotal: opts.MaxTotal,
		byID: map[string][]Version{}, now: time.Now}
}

// KeepsOrigins is true: writers should attach their store.Origin.
func (h *Store) KeepsOrigins() bool { return true }

// History returns the versions of the object with id, oldest first; nil
// when it has none.
func (h *Store) History(id string) []Version {
	h.mu.Lock()
	defer h.mu.Unlock()
	vs := h.byID[id]
	if len(vs) == 0 {
		return nil
	}
	out := make([]Version, len(vs))
	copy(out, vs)
	for i := range out {
		if f := out[i].filled; f != nil {
			out[i].JSON, out[i].filled = f.String(), nil
		}
	}
	return out
}

func (h *Store) record(ctx context.Context, obj store.Object, deleted bool) {
	o, _ := store.OriginOf(ctx)
	v := Version{Time: h.now(), Origin: o, Deleted: deleted, JSON: obj.JSON, filled: obj.Filled}
	h.mu.Lock()
	defer h.mu.Unlock()
	vs, ok := h.byID[obj.ID]
	if !ok {
		h.order = append(h.order, obj.ID)
	}
	if len(vs) >= h.maxVersions {
		drop := len(vs) - h.maxVersions + 1
		vs = append(vs[:0:0], vs[drop:]...)
		h.total -= drop
	}
	h.byID[obj.ID] = append(vs, v)
	h.total++
	// Past a bound, the histories that started first go (never this one).
	for (len(h.order) > h.maxObjects || h.total > h.maxTotal) && len(h.order) > 1 && h.order[0] != obj.ID {
		h.total -= len(h.byID[h.order[0]])
		delete(h.byID, h.order[0])
		h.order = h.order[1:]
	}
}

// Put stores obj and records it.
func (h *Store) Put(ctx context.Context, obj store.Object) (store.Object, error) {
	out, err := h.Store.Put(ctx, obj)
	if err == nil {
		h.record(ctx, out, false)
	}
	return out, err
}

// Update changes the object and records its new version.
func (h *Store) Update(ctx context.Context, id string, fn func(store.Object) (store.Object, error)) (store.Object, error) {
	out, err := h.Store.Update(ctx, id, fn)
	if err == nil {
		h.record(ctx, out, false)
	}
	return out, err
}

// Delete removes the object (and, with cascade, its children) and
// records each deletion.
func (h *Store) Delete(ctx context.Context, id string, cascade bool) ([]store.Object, error) {
	out, err := h.Store.Delete(ctx, id, cascade)
	for _, o := range out {
		h.record(ctx, o, true)
	}
	return out, err
}

// Reset puts the store back to its seed and forgets every history.
func (h *Store) Reset(ctx context.Context) error {
	err := h.Store.Reset(ctx)
	if err == nil {
		h.mu.Lock()
		h.byID, h.order, h.total = map[string][]Version{}, nil, 0
		h.mu.Unlock()
	}
	return err
}
