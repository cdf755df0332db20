package server

import (
	"net/http"
	"time"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/render"
)

// Chooser picks a route's variant per request, for catalogs whose routes
// decide for themselves (package choose: Mockoon's response rules and
// response modes). The server stays generic: it consults the chooser for
// every matched request, and lets it decide only when nothing else did (no
// Prefer header, no test value, the route not switched by the user).
// Methods must be safe for concurrent use.
type Chooser interface {
	// Choose sees every request a route matched before its variant
	// renders, and may attach state the templates share to req. When
	// decide is true it returns the variant to serve (nil: the route's
	// default), or passOn true when none answers: the request is answered
	// as a request no route matches.
	Choose(route *catalog.Route, req *render.Request, decide bool) (v *catalog.Variant, passOn bool)
}

// chooseOn consults the chooser for route and, while a route passes the
// request on (FALLBACK mode, no rule holding), the next route in the
// catalog's order that matches it, as Mockoon does. It returns the route
// that answers, with its variant (nil: the route's default) and test
// value; ok is false when the last route passes the request on too. A
// route the user pinned, or one a Prefer header or test value decides,
// answers itself.
func (s *Server) chooseOn(route *catalog.Route, req *render.Request, method, path, prefer string, variant *catalog.Variant, test *Outcome) (*catalog.Route, *catalog.Variant, *Outcome, bool) {
	for {
		_, preferred := s.preferred(route, prefer)
		decide := !preferred && test == nil && s.state.Pinned(route) == Auto
		chosen, passOn := s.chooser.Choose(route, req, decide)
		if !passOn {
			if chosen != nil {
				variant = chosen
			}
			return route, variant, test, true
		}
		next, params, ok := s.cat.Next(method, path, route)
		if !ok {
			return nil, nil, nil, false
		}
		route, req.Params = next, params
		variant, test = s.choose(route, req, prefer)
	}
}

// wait holds an answer for d (the catalog's and the variant's latency). It
// returns false when the client hung up meanwhile; shutting down ends the
// wait at once, so latency never holds a shutdown.
func (s *Server) wait(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-s.stopping:
		return true
	case <-r.Context().Done():
		return false
	}
}
