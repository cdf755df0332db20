package store

import "context"

// TypeOf is the type of the stored object with id, what
// Get(ctx, id).Type is, without reading its JSON when st has a method
// TypeOf (Memory has: a filled object's text is not joined for it); a
// missing id is an error wrapping ErrNotFound.
func TypeOf(ctx context.Context, st Store, id string) (string, error) {
	if t, ok := st.(interface {
		TypeOf(ctx context.Context, id string) (string, error)
	}); ok {
		return t.TypeOf(ctx, id)
	}
	obj, err := st.Get(ctx, id)
	return obj.Type, err
}

// TypeOf returns the type of the object with id (store.TypeOf), without
// its JSON.
func (m *Memory) TypeOf(_ context.Context, id string) (string, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if e := m.byID.get(id); e != nil {
		return e.obj.Type, nil
	}
	return "", &NotFoundError{ID: id}
}
