package main

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/routedeck/routedeck/store"
)

// lazyStore is a store built in the background: rendering the seed (a
// sample of every list route) costs more than the rest of start-up, so
// serve starts listening at once and the first request that needs the
// store waits for it. Only a store that cannot fail to build (no --state
// file) is built this way.
//
// Until it is built, nothing has been stored but the seed (every write
// waits for it), and the seed is the catalog's samples: so a Get may
// answer "not found" rather than wait, and the server answers with the
// sample, as it would from the seed. With --strict a Get waits, since
// there "not found" is a 404.
type lazyStore struct {
	// built is the store once it is built: the calls that find it go
	// straight to it.
	built     atomic.Pointer[store.Memory]
	get       func() (*store.Memory, error)
	ready     atomic.Bool
	strictGet bool
}

var _ store.Store = (*lazyStore)(nil)

// newLazyStore starts building the store with build.
func newLazyStore(build func() (*store.Memory, error), strict bool) *lazyStore {
	l := lazyStoreOf(build, strict)
	go func() { _, _ = l.get() }()
	return l
}

// lazyStoreOf is a lazyStore whose store the first call that needs it
// builds (newLazyStore starts that call in the background).
func lazyStoreOf(build func() (*store.Memory, error), strict bool) *lazyStore {
	l := &lazyStore{strictGet: strict}
	l.get = sync.OnceValues(func() (*store.Memory, error) {
		// Ready before any caller has the store: a Get after a write
		// that waited for the build must see that write, not "not
		// found" because the background build has yet to say so.
		defer l.ready.Store(true)
		m, err := build()
		if err == nil && m != nil {
			l.built.Store(m)
		}
		return m, err
	})
	return l
}

// memory is the store: at once when it is built, else once the build
// (this call's or another's) ends.
func (l *lazyStore) memory() (*store.Memory, error) {
	if m := l.built.Load(); m != nil {
		return m, nil
	}
	return l.get()
}

func (l *lazyStore) Get(ctx context.Context, id string) (store.Object, error) {
	if m := l.built.Load(); m != nil {
		return m.Get(ctx, id)
	}
	if !l.strictGet && !l.ready.Load() {
		return store.Object{}, &store.NotFoundError{ID: id}
	}
	m, err := l.memory()
	if err != nil {
		return store.Object{}, err
	}
	return m.Get(ctx, id)
}

// TypeOf is store.Memory's TypeOf, answering as Get does before the
// store is built.
func (l *lazyStore) TypeOf(ctx context.Context, id string) (string, error) {
	if m := l.built.Load(); m != nil {
		return m.TypeOf(ctx, id)
	}
	if !l.strictGet && !l.ready.Load() {
		return "", &store.NotFoundError{ID: id}
	}
	m, err := l.memory()
	if err != nil {
		return "", err
	}
	return m.TypeOf(ctx, id)
}

func (l *lazyStore) Put(ctx context.Context, obj store.Object) (store.Object, error) {
	m, err := l.memory()
	if err != nil {
		return store.Object{}, err
	}
	return m.Put(ctx, obj)
}

func (l *lazyStore) Update(ctx context.Context, id string, fn func(store.Object) (store.Object, error)) (store.Object, error) {
	m, err := l.memory()
	if err != nil {
		return store.Object{}, err
	}
	return m.Update(ctx, id, fn)
}

func (l *lazyStore) Delete(ctx context.Context, id string, cascade bool) ([]store.Object, error) {
	m, err := l.memory()
	if err != nil {
		return nil, err
	}
	return m.Delete(ctx, id, cascade)
}

func (l *lazyStore) List(ctx context.Context, q store.Query) (store.Page, error) {
	m, err := l.memory()
	if err != nil {
		return store.Page{}, err
	}
	return m.List(ctx, q)
}

func (l *lazyStore) LookupIdempotency(ctx context.Context, key string) (store.IdempotencyRecord, bool, error) {
	m, err := l.memory()
	if err != nil {
		return store.IdempotencyRecord{}, false, err
	}
	return m.LookupIdempotency(ctx, key)
}

func (l *lazyStore) RecordIdempotency(ctx context.Context, rec store.IdempotencyRecord) (store.IdempotencyRecord, bool, error) {
	m, err := l.memory()
	if err != nil {
		return store.IdempotencyRecord{}, false, err
	}
	return m.RecordIdempotency(ctx, rec)
}

func (l *lazyStore) ForgetIdempotency(ctx context.Context, key string) error {
	m, err := l.memory()
	if err != nil {
		return err
	}
	return m.ForgetIdempotency(ctx, key)
}

func (l *lazyStore) AppendEvent(ctx context.Context, ev store.Object) (store.Object, error) {
	m, err := l.memory()
	if err != nil {
		return store.Object{}, err
	}
	return m.AppendEvent(ctx, ev)
}

// AppendEventAround keeps an event as the text around its object, as
// store.Memory does.
func (l *lazyStore) AppendEventAround(ctx context.Context, ev store.Object, before string, object store.Object, after string) error {
	m, err := l.memory()
	if err != nil {
		return err
	}
	return m.AppendEventAround(ctx, ev, before, object, after)
}

func (l *lazyStore) GetEvent(ctx context.Context, id string) (store.Object, error) {
	m, err := l.memory()
	if err != nil {
		return store.Object{}, err
	}
	return m.GetEvent(ctx, id)
}

func (l *lazyStore) ListEvents(ctx context.Context, q store.Query) (store.Page, error) {
	m, err := l.memory()
	if err != nil {
		return store.Page{}, err
	}
	return m.ListEvents(ctx, q)
}

func (l *lazyStore) Reset(ctx context.Context) error {
	m, err := l.memory()
	if err != nil {
		return err
	}
	return m.Reset(ctx)
}

func (l *lazyStore) Stats() store.Stats {
	m, err := l.memory()
	if err != nil {
		return store.Stats{}
	}
	return m.Stats()
}

func (l *lazyStore) Subscribe(buffer int) (<-chan store.Change, func()) {
	m, err := l.memory()
	if err != nil {
		ch := make(chan store.Change)
		close(ch)
		return ch, func() {}
	}
	return m.Subscribe(buffer)
}

// Close saves and closes the store once it is built.
func (l *lazyStore) Close() error {
	m, err := l.memory()
	if err != nil {
		return nil
	}
	return m.Close()
}
