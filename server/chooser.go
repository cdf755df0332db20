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
