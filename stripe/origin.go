package stripe

import (
	"context"

	"github.com/routedeck/routedeck/render"
	"github.com/routedeck/routedeck/store"
)

// requestContext is the context of the store writes req makes: it names
// req as their origin (store.Origin), so a store that keeps an object's
// history (store/history) says which request moved it.
func requestContext(req *render.Request) context.Context {
	return store.WithOrigin(context.Background(), store.Origin{Method: req.Method, Path: req.Path, RequestID: req.ID})
}
