package stripe

import (
	"context"

	"github.com/routedeck/routedeck/render"
	"github.com/routedeck/routedeck/store"
)

// requestContext is the context of the store writes req makes to st: it
// names req as their origin (store.Origin) when st keeps origins, so a
// store that keeps an object's history (store/history) says which
// request moved it; other stores cost nothing.
func requestContext(st store.Store, req *render.Request) context.Context {
	if !store.KeepsOrigins(st) {
		return context.Background()
	}
	return store.WithOrigin(context.Background(), store.Origin{Method: req.Method, Path: req.Path, RequestID: req.ID})
}
