package server

import (
	"sync/atomic"

	"github.com/routedeck/routedeck/catalog"
)

// State holds the active variant of every route. The server reads it on
// each request; the UI and the command line switch it. Safe for concurrent use.
type State struct {
	cat    *catalog.Catalog
	errors []atomic.Bool // by route index: true when the error variant is active
	count  atomic.Int64  // routes switched to error
}

// NewState starts every route on kind.
func NewState(cat *catalog.Catalog, kind catalog.Kind) *State {
	s := &State{cat: cat, errors: make([]atomic.Bool, len(cat.Routes))}
	s.SetAll(kind)
	return s
}

// Active is the variant a request to r gets.
func (s *State) Active(r *catalog.Route) catalog.Kind {
	if s.errors[r.Index()].Load() {
		return catalog.Error
	}
	return catalog.Success
}

// Set makes kind the active variant of r.
func (s *State) Set(r *catalog.Route, kind catalog.Kind) {
	want := kind == catalog.Error
	if s.errors[r.Index()].Swap(want) != want {
		if want {
			s.count.Add(1)
		} else {
			s.count.Add(-1)
		}
	}
}

// Toggle flips r between success and error and returns the new kind.
func (s *State) Toggle(r *catalog.Route) catalog.Kind {
	next := s.Active(r).Other()
	s.Set(r, next)
	return next
}

// SetAll switches every route to kind.
func (s *State) SetAll(kind catalog.Kind) {
	for _, r := range s.cat.Routes {
		s.Set(r, kind)
	}
}

// ErrorCount is how many routes serve their error variant.
func (s *State) ErrorCount() int { return int(s.count.Load()) }
