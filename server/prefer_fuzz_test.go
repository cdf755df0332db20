package server

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/routedeck/routedeck/catalog"
)

// FuzzPrefer sends any Prefer header: the answer is always one of the
// route's variants, a well-formed choice wins, and the header never changes
// what other requests get.
func FuzzPrefer(f *testing.F) {
	for _, seed := range []string{"", "code=402", "code=200", "example=error", "example=success", `example="error"`,
		"wait=5, code=402", "nonsense", "code=", "=402", "code=99999999999999999999", "CODE=402;example=success",
		"code=402,code=200", ",;, ;", "example=\x00", "code=4\u00a902"} {
		f.Add(seed)
	}
	s := newTestServer(f)
	route, ok := s.Catalog().Lookup("POST /v1/charges")
	if !ok {
		f.Fatal("no POST /v1/charges in the test catalog")
	}
	f.Fuzz(func(t *testing.T, prefer string) {
		v := s.pick(route, prefer)
		if v == nil || v != route.Variant(catalog.Success) && v.Kind != catalog.Error {
			t.Fatalf("Prefer %q picked %v", prefer, v)
		}
		req := httptest.NewRequest("POST", "/v1/charges", nil)
		req.Header["Prefer"] = []string{prefer}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		if want := v.Status; w.Code != want {
			t.Fatalf("Prefer %q: status %d; pick says %s (%d)", prefer, w.Code, v.Name, want)
		}
		if w.Code != http.StatusOK && w.Code != http.StatusPaymentRequired {
			t.Fatalf("Prefer %q: status %d is no variant of the route", prefer, w.Code)
		}
		if s.State().Pinned(route) != Auto {
			t.Fatalf("Prefer %q changed the active variant", prefer)
		}
		if s.pick(route, "example=error, "+prefer) != route.Variant(catalog.Error) {
			t.Fatalf("a leading example=error lost to %q", prefer)
		}
	})
}
