// Package mockoontest serves a catalog the way routedeck serves a Mockoon
// environment, for tests: the server with a choose.Chooser (response
// rules, modes, counters and data buckets), behind an httptest.Server.
package mockoontest

import (
	"net/http/httptest"
	"testing"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/choose"
	"github.com/routedeck/routedeck/server"
)

// Server is the server for cat with its Chooser, closed when the test
// ends.
func Server(t testing.TB, cat *catalog.Catalog) (*server.Server, *choose.Chooser) {
	t.Helper()
	ch, err := choose.New(cat)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(cat, server.Options{Chooser: ch})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv, ch
}

// Serve is Server behind an httptest.Server, closed when the test ends.
func Serve(t testing.TB, cat *catalog.Catalog) (*httptest.Server, *server.Server, *choose.Chooser) {
	t.Helper()
	srv, ch := Server(t, cat)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return ts, srv, ch
}
