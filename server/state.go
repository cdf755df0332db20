package server

import (
	"sync/atomic"

	"github.com/routedeck/routedeck/catalog"
)

// Auto is the pin of a route nobody pinned: requests get what the
// route's own rules pick, else its default variant.
const Auto = -1

// State holds, for every route, the variant a user pinned (with `t`, a
// tab, --set or --variant error) or Auto. The server reads it on each
// request; the UI and the command line change it. Safe for concurrent use.
type State struct {
	cat *catalog.Catalog
	// pins by route index: the pinned variant's index + 1, 0 for Auto.
	pins    []atomic.Int32
	errors  atomic.Int64 // routes pinned to a variant with a status >= 400
	changed atomic.Int64 // routes pinned to a variant other than the default
}

// NewState starts every route on kind: Success leaves each route Auto,
// Error pins each route's first error (a route without one stays Auto).
func NewState(cat *catalog.Catalog, kind catalog.Kind) *State {
	s := &State{cat: cat, pins: make([]atomic.Int32, len(cat.Routes))}
	s.SetAll(kind)
	return s
}

// Pinned is the index of the variant pinned on r, or Auto.
func (s *State) Pinned(r *catalog.Route) int {
	return int(s.pins[r.Index()].Load()) - 1
}

// Active is the variant r answers with when no request says otherwise:
// the pinned one, else the default. (Rules of an imported route, applied
// per request by the server, come before the default.)
func (s *State) Active(r *catalog.Route) *catalog.Variant {
	if i := s.Pinned(r); i >= 0 {
		return r.Variants[i]
	}
	return r.Variants[0]
}

// Pin makes variant i of r the one requests get; Auto (or any index the
// route lacks) unpins it.
func (s *State) Pin(r *catalog.Route, i int) {
	if i < 0 || i >= len(r.Variants) {
		i = Auto
	}
	old := int(s.pins[r.Index()].Swap(int32(i+1))) - 1
	if old == i {
		return
	}
	s.errors.Add(int64(b2i(isError(r, i)) - b2i(isError(r, old))))
	s.changed.Add(int64(b2i(i > 0) - b2i(old > 0)))
}

func isError(r *catalog.Route, i int) bool { return i >= 0 && r.Variants[i].Kind == catalog.Error }

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Set pins r's first error for catalog.Error and makes r Auto for
// catalog.Success. It reports false when r has no error variant to pin.
func (s *State) Set(r *catalog.Route, kind catalog.Kind) bool {
	if kind != catalog.Error {
		s.Pin(r, Auto)
		return true
	}
	i := r.FirstError()
	if i < 0 {
		return false
	}
	s.Pin(r, i)
	return true
}

// Toggle flips r between Auto and its first error, as `t` does: a route
// pinned to anything goes back to Auto. It returns the variant r now
// answers with (a route without an error variant stays Auto).
func (s *State) Toggle(r *catalog.Route) *catalog.Variant {
	if s.Pinned(r) != Auto {
		s.Pin(r, Auto)
	} else {
		s.Set(r, catalog.Error)
	}
	return s.Active(r)
}

// SetAll sets every route to kind, as Set does.
func (s *State) SetAll(kind catalog.Kind) {
	for _, r := range s.cat.Routes {
		s.Set(r, kind)
	}
}

// ErrorCount is how many routes are pinned to an error variant (a status
// of 400 or more).
func (s *State) ErrorCount() int { return int(s.errors.Load()) }

// PinnedCount is how many routes are pinned to a variant other than their
// default.
func (s *State) PinnedCount() int { return int(s.changed.Load()) }
