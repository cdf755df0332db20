package mockoon_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/catalog/mockoon"
	"github.com/routedeck/routedeck/internal/mockoontest"
	"github.com/routedeck/routedeck/server"
)

// getWith asks base for path with the given headers and returns the status and body.
func getWith(t *testing.T, base, path string, header ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequest("GET", base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// openFallback serves testdata/fallback.json: three routes on GET
// /users/:id (two in FALLBACK mode), one they shadow for good, a static
// route in FALLBACK mode before a parameter route, and a last route in
// FALLBACK mode.
func openFallback(t *testing.T) (*catalog.Catalog, *server.Server, *httptest.Server) {
	t.Helper()
	cat, err := mockoon.Open("testdata/fallback.json")
	if err != nil {
		t.Fatal(err)
	}
	ts, srv, _ := mockoontest.Serve(t, cat)
	return cat, srv, ts
}

// Mockoon's FALLBACK mode: a route none of whose rules holds passes the
// request to the next route (in the file's order) matching it, and the
// request counts only on the route that answers.
func TestFallbackFallsThroughToTheNextRoute(t *testing.T) {
	cat, _, ts := openFallback(t)

	var keys []string
	for _, r := range cat.Routes {
		k := r.Key()
		if r.Shadowed {
			k += " (after " + r.ShadowedBy + ")"
			if !r.Reached {
				k += " never"
			}
		}
		keys = append(keys, k)
	}
	want := "GET /users/:id, GET /users/:id (after GET /users/:id), GET /users/:id (after GET /users/:id), " +
		"GET /users/me (after GET /users/:id) never, GET /items/special, GET /items/:id, GET /orders/:id"
	if got := strings.Join(keys, ", "); got != want {
		t.Errorf("routes:\n got %s\nwant %s", got, want)
	}
	w := strings.Join(cat.Warnings, "\n")
	if !strings.Contains(w, "never answers: an earlier route answers the same requests (listed, marked as shadowed): 1 route (GET /users/me (after GET /users/:id))") {
		t.Errorf("warnings do not list the route no request reaches:\n%s", w)
	}
	if strings.Contains(w, "GET /users/:id (after") {
		t.Errorf("warnings list a route FALLBACK reaches as never answering:\n%s", w)
	}

	steps := []struct {
		path, team string
		status     int
		body       string
	}{
		{"/users/admin", "", 200, `{"who": "admin"}`},                  // the first route's rule (its request 1)
		{"/users/7", "", 200, `{"who": "user 7"}`},                     // falls through both FALLBACK routes to the third
		{"/users/8", "blue", 203, `{"who": "blue team 8"}`},            // the first passes it on, the second answers
		{"/users/9", "", 200, `{"who": "user 9"}`},                     // still request 2 for the first route
		{"/users/admin", "", 200, `{"who": "admin"}`},                  // its request 2
		{"/users/10", "", 200, `{"who": "third request"}`},             // its request 3: passed-on requests did not count
		{"/users/me", "", 200, `{"who": "user me"}`},                   // the shadowed /users/me is never reached
		{"/items/special", "", 200, `{"item": "special"}`},             // the static route passes it on to the parameter route
		{"/items/special?x=1", "", 200, `{"item": "the special one"}`}, // ... or answers
		{"/items/other", "", 200, `{"item": "other"}`},
		{"/orders/1?ok=1", "", 200, `{"order": "1"}`},                       // the last route answers
		{"/orders/1", "", 404, `Unrecognized request URL (GET: /orders/1)`}, // the last route passes it on: Mockoon's 404
	}
	for i, s := range steps {
		var status int
		var body string
		if s.team != "" {
			status, body = getWith(t, ts.URL, s.path, "X-Team", s.team)
		} else {
			status, body = getWith(t, ts.URL, s.path)
		}
		if status != s.status || !strings.Contains(body, s.body) {
			t.Errorf("step %d: GET %s = %d %s; want %d %s", i+1, s.path, status, body, s.status, s.body)
		}
	}
	// The 404 is the one no route gets: Stripe's envelope, valid JSON.
	_, body := getWith(t, ts.URL, "/orders/2")
	var env struct {
		Error struct{ Type, Message string }
	}
	if err := json.Unmarshal([]byte(body), &env); err != nil || env.Error.Type != "invalid_request_error" {
		t.Errorf("GET /orders/2 = %s (%v); want Stripe's 404 envelope", body, err)
	}
}

// A route the user pinned answers with its pinned variant, whatever its
// response mode: pinning is how a user stops a FALLBACK route passing on.
func TestFallbackPinnedRouteAnswersItself(t *testing.T) {
	cat, srv, ts := openFallback(t)
	first := cat.Routes[0]
	i, err := first.FindVariant("never")
	if err != nil {
		t.Fatal(err)
	}
	srv.State().Pin(first, i)
	if status, body := getWith(t, ts.URL, "/users/7"); status != 200 || body != `{"who": "first route's default"}` {
		t.Errorf("pinned: GET /users/7 = %d %s; want the pinned default", status, body)
	}
	srv.State().Pin(first, server.Auto)
	if status, body := getWith(t, ts.URL, "/users/7"); status != 200 || body != `{"who": "user 7"}` {
		t.Errorf("back on auto: GET /users/7 = %d %s; want the third route", status, body)
	}
	// A Prefer header picks a variant of the first route too.
	if status, body := getWith(t, ts.URL, "/users/7", "Prefer", "example=never"); status != 200 || body != `{"who": "first route's default"}` {
		t.Errorf("Prefer: GET /users/7 = %d %s; want the first route's default", status, body)
	}
}

// Each request a route passes on reaches the server's event as the route
// that answered it.
func TestFallbackEventNamesTheAnsweringRoute(t *testing.T) {
	_, srv, ts := openFallback(t)
	events, stop := srv.Subscribe(4)
	defer stop()
	getWith(t, ts.URL, "/users/8", "X-Team", "blue")
	e := <-events
	if e.Route != "GET /users/:id" || e.Variant != "blue" || e.Status != 203 {
		t.Errorf("event: route %q variant %q status %d; want GET /users/:id, blue, 203", e.Route, e.Variant, e.Status)
	}
}

// A route disabled in the file (before Mockoon's migration 31) is listed
// and noted, never served: Mockoon's server skips it, so a request goes
// on to the next route matching it, else the 404. The catalog folder
// export writes keeps all of it.
func TestDisabledRouteIsSkipped(t *testing.T) {
	cat, err := mockoon.Open("testdata/disabled.json")
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, r := range cat.Routes {
		k := r.Key()
		if r.Disabled {
			k += " disabled"
		}
		if r.Shadowed {
			k += " after " + r.ShadowedBy
		}
		keys = append(keys, k)
	}
	if got, want := strings.Join(keys, ", "), "GET /x, GET /x disabled, GET /x after GET /x, GET /y disabled"; got != want {
		t.Errorf("routes:\n got %s\nwant %s", got, want)
	}
	if w := strings.Join(cat.Warnings, "\n"); !strings.Contains(w, "disabled in the file: listed, not served (requests go on to the routes after it, as in Mockoon's app): 2 routes (GET /x, GET /y)") {
		t.Errorf("warnings do not list the disabled routes:\n%s", w)
	}
	if r, ok := cat.Lookup("GET /y"); !ok || !r.Disabled {
		t.Errorf("Lookup(GET /y) = %v; want the disabled route, listed", r)
	}
	for _, c := range []struct {
		cat  *catalog.Catalog
		name string
	}{{cat, "imported"}, {exported(t, cat), "exported"}} {
		ts := serve(t, c.cat)
		for path, want := range map[string]string{"/x?a=1": "200 first", "/x": "200 third", "/y": "404"} {
			status, body := getWith(t, ts.URL, path)
			got := strconv.Itoa(status)
			if status == 200 {
				got += " " + body
			}
			if got != want {
				t.Errorf("%s: GET %s = %s; want %s", c.name, path, got, want)
			}
		}
	}
}

// exported is cat written as a catalog folder and loaded back.
func exported(t *testing.T, cat *catalog.Catalog) *catalog.Catalog {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, cat.Files()); err != nil {
		t.Fatal(err)
	}
	back, err := catalog.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return back
}
