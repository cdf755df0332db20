package server

import (
	"net/http"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/render"
)

// TestValues pick a request's outcome from the test values it carries, the
// way Stripe's test mode answers its test cards (package stripe's
// Payments): pm_card_visa succeeds, pm_card_chargeDeclined is declined.
// A Prefer header comes first, then the test value, then the route's
// toggle. Methods must be safe for concurrent use.
type TestValues interface {
	// Outcome is nil when the request carries no test value the route
	// answers to.
	Outcome(route *catalog.Route, req *render.Request) *Outcome
}

// Outcome is what a test value makes of a request. A request it decides
// gets the success variant (whatever the toggle says), is still checked
// by the rules, and is then refused with Decline or finished with Finish.
type Outcome struct {
	// Reason says why, for the request log and the `serve` line
	// ("declined by pm_card_chargeDeclinedInsufficientFunds").
	Reason string
	// Decline, when set, is the answer: Stripe's 402 card_error.
	Decline *APIError
	// Finish, when set, changes the rendered success body (the card's
	// brand and last4, a PaymentIntent's status).
	Finish func(body string) string
	// Pure says Finish changes nothing but the body it returns and reads
	// nothing but the request's parameters and that body: the same
	// request finishes the same body the same way.
	Pure bool
	// Commit, when set, runs as the Decline is served (the request passed
	// the rules): it keeps what the decline leaves behind.
	Commit func()
}

// choose picks the variant a request gets: a Prefer header's, else a test
// value's outcome (the default variant), else the pinned one, else the
// default.
func (s *Server) choose(route *catalog.Route, req *render.Request, prefer string) (*catalog.Variant, *Outcome) {
	i, preferred := s.preferred(route, prefer)
	if preferred || s.tests == nil {
		return route.Variants[i], nil
	}
	if o := s.tests.Outcome(route, req); o != nil {
		return route.Variants[0], o
	}
	return route.Variants[i], nil
}

// finish applies an outcome's Finish to a rendered body.
func (o *Outcome) finish(body string) string {
	if o == nil || o.Finish == nil {
		return body
	}
	return o.Finish(body)
}

// decline is the Decline to serve, once its Commit has run.
func (o *Outcome) decline() *APIError {
	if o.Commit != nil {
		o.Commit()
	}
	return o.Decline
}

// OwnPrefix starts the paths of routedeck's own endpoints, which no
// Stripe route has.
const OwnPrefix = "/_routedeck/"

// Own answers routedeck's own endpoints (package stripe's Payments:
// completing or failing a PaymentIntent's 3-D Secure by hand). The answer
// is JSON. Methods must be safe for concurrent use.
type Own interface {
	Answer(r *http.Request) (status int, body string)
}
