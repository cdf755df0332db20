package render

// Snapshot is a copy of the environment's shared state as it is now:
// global variables and data buckets, deep-copied. Templates rendered with
// it read what a request would read, and whatever they write (setVar,
// setGlobalVar, setData, a bucket rendered on first use) stays in the
// copy: the terminal UI's previews render with one, so a preview shows
// the values requests set without changing what the next request gets.
// A nil environment's snapshot is nil.
func (e *MockoonEnv) Snapshot() *MockoonEnv {
	if e == nil {
		return nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	c := &MockoonEnv{globals: make(map[string]any, len(e.globals)), buckets: make([]*dataBucket, len(e.buckets))}
	for k, v := range e.globals {
		c.globals[k] = clone(v)
	}
	for i, db := range e.buckets {
		// A bucket being rendered right now is copied as not yet
		// rendered: the copy renders its own on first use.
		c.buckets[i] = &dataBucket{id: db.id, name: db.name, source: db.source, value: clone(db.value), parsed: db.parsed && !db.busy}
	}
	return c
}
