package store

// SetValueIndexMin sets how large a selection must be before a filtered
// field gets a value index (0: always; very large: never).
func SetValueIndexMin(m *Memory, n int) { m.valueIndexMin = n }

// ValueIndexes counts the fields with a value index.
func ValueIndexes(m *Memory) int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.values)
}
