package stripe

// PreparedCreates counts the creates s keeps prepared (ok) and the
// requests it found it cannot prepare.
func (s *State) PreparedCreates() (ok, not int) {
	s.prepared.mu.RLock()
	defer s.prepared.mu.RUnlock()
	for _, m := range s.prepared.byKey {
		for _, p := range m {
			if p.ok {
				ok++
			} else {
				not++
			}
		}
	}
	return ok, not
}

// MaxPrepared is the bound of PreparedCreates.
const MaxPrepared = maxPrepared
