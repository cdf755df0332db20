package server

import (
	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/render"
)

// Rules add an API's semantics to the answers of a catalog's routes: the
// embedded Stripe catalog's (validation, expand[]) live in package stripe.
// Methods must be safe for concurrent use.
type Rules interface {
	// Check looks at a request before its variant renders. A non-nil
	// error is answered instead of the success variant (an error variant
	// is served as it is); warnings (unknown parameters) go to the
	// request's event either way.
	Check(route *catalog.Route, req *render.Request) (warnings []string, err *APIError)
	// Finish may change a rendered success body, or refuse the request;
	// warnings join Check's. A body it leaves as it is should be
	// returned as it came (a fill unjoined).
	Finish(route *catalog.Route, req *render.Request, body Body) (out Body, warnings []string, err *APIError)
}

// APIError is an answer in Stripe's error envelope.
type APIError struct {
	Status  int
	Type    string // invalid_request_error, api_error, ...
	Code    string // parameter_missing, ...; "" for none
	Message string
	Param   string // the parameter at fault; "" for none
	// Body, when set, is the whole envelope as JSON text, for errors that
	// carry more than these fields (a decline's decline_code and the
	// objects Stripe embeds).
	Body string
}

// Error is the message.
func (e *APIError) Error() string { return e.Message }

// body is the error as JSON text.
func (e *APIError) body() string {
	if e.Body != "" {
		return e.Body
	}
	return stripeError(e.Type, e.Code, e.Message, e.Param)
}
