package store

import "context"

// Origin names what wrote to a store: the request (or the user's action)
// a write was made for. Writers attach it to the context they pass to
// Put, Update and Delete; a store may keep it (package store/history
// does, for an object's history) or ignore it. A store that keeps it
// says so (KeepsOrigins), so writers to other stores can skip the
// context's cost on their hot path.
type Origin struct {
	// Method and Path are the request's ("POST", "/v1/payment_intents");
	// for an action that is not a request, Method says what it is
	// ("KEY") and Path describes it.
	Method, Path string
	// RequestID is the request's Request-Id ("" for none).
	RequestID string
}

type originKey struct{}

// WithOrigin returns ctx carrying o.
func WithOrigin(ctx context.Context, o Origin) context.Context {
	return context.WithValue(ctx, originKey{}, o)
}

// OriginOf returns the Origin ctx carries, if any.
func OriginOf(ctx context.Context) (Origin, bool) {
	o, ok := ctx.Value(originKey{}).(Origin)
	return o, ok
}

// KeepsOrigins reports whether st keeps the Origin of its writes: it has
// a method KeepsOrigins() bool that returns true.
func KeepsOrigins(st Store) bool {
	k, ok := st.(interface{ KeepsOrigins() bool })
	return ok && k.KeepsOrigins()
}
