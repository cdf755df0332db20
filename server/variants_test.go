package server

import (
	"net/http"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/routedeck/routedeck/catalog"
)

// manyVariantServer serves POST /v1/pay with five variants and GET
// /v1/ping with one.
func manyVariantServer(t *testing.T) *Server {
	t.Helper()
	fsys := fstest.MapFS{
		catalog.ManifestName: {Data: []byte(`{"name": "Pay", "routes": [
{"method": "POST", "path": "/v1/pay", "variants": [
  {"name": "paid", "status": 200, "file": "paid.hbs"},
  {"name": "pending", "status": 202, "file": "pending.hbs"},
  {"name": "card_declined/insufficient_funds", "status": 402, "file": "declined.hbs"},
  {"name": "rate_limit", "status": 429, "file": "slow.hbs", "headers": {"Retry-After": "1"}},
  {"name": "api_error", "status": 500, "file": "broken.hbs"}]},
{"method": "GET", "path": "/v1/ping", "variants": [{"status": 200, "file": "paid.hbs"}]}]}`)},
		"paid.hbs":     {Data: []byte(`{"paid": true}`)},
		"pending.hbs":  {Data: []byte(`{"paid": false}`)},
		"declined.hbs": {Data: []byte(`{"error": {"type": "card_error"}}`)},
		"slow.hbs":     {Data: []byte(`{"error": {"code": "rate_limit"}}`)},
		"broken.hbs":   {Data: []byte(`{"error": {"type": "api_error"}}`)},
	}
	cat, err := catalog.Load(fsys, catalog.Options{Eager: true})
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(cat, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestPinAnyVariant(t *testing.T) {
	s := manyVariantServer(t)
	events, cancel := s.SubscribeSummary(16)
	defer cancel()
	pay, _ := s.Catalog().Lookup("POST /v1/pay")
	ping, _ := s.Catalog().Lookup("GET /v1/ping")
	st := s.State()
	expect := func(what string, status int, name string) {
		t.Helper()
		w := send(s, "POST", "/v1/pay", "", nil)
		if e := <-events; w.Code != status || e.Variant != name {
			t.Errorf("%s: %d %q; want %d %q", what, w.Code, e.Variant, status, name)
		}
	}
	expect("auto", 200, "paid")
	st.Pin(pay, 3)
	expect("pinned rate_limit", 429, "rate_limit")
	if st.ErrorCount() != 1 || st.PinnedCount() != 1 {
		t.Errorf("pinned 429: ErrorCount %d PinnedCount %d; want 1 1", st.ErrorCount(), st.PinnedCount())
	}
	st.Pin(pay, 1)
	expect("pinned pending", 202, "pending")
	if st.ErrorCount() != 0 || st.PinnedCount() != 1 {
		t.Errorf("pinned 202: ErrorCount %d PinnedCount %d; want 0 1", st.ErrorCount(), st.PinnedCount())
	}
	if v := st.Toggle(pay); v.Name != "paid" || st.Pinned(pay) != Auto {
		t.Errorf("t on a pinned route: %s, pinned %d; want paid, Auto", v.Name, st.Pinned(pay))
	}
	if v := st.Toggle(pay); v.Name != "card_declined/insufficient_funds" {
		t.Errorf("t on an Auto route: %s; want the first error", v.Name)
	}
	expect("toggled", 402, "card_declined/insufficient_funds")
	// A route without an error variant stays Auto: no panic, no count.
	if v := st.Toggle(ping); v.Name != "200" || st.Set(ping, catalog.Error) || st.ErrorCount() != 1 {
		t.Errorf("ping: %s, ErrorCount %d", v.Name, st.ErrorCount())
	}
	st.SetAll(catalog.Error)
	if st.ErrorCount() != 1 {
		t.Errorf("SetAll(Error): ErrorCount %d; want 1 (ping has no error)", st.ErrorCount())
	}
	st.Pin(pay, 99) // no such variant: Auto
	expect("an index the route lacks", 200, "paid")
	if st.ErrorCount() != 0 || st.PinnedCount() != 0 {
		t.Errorf("after unpinning: ErrorCount %d PinnedCount %d", st.ErrorCount(), st.PinnedCount())
	}
}

// Prefer beats the pin: code= picks the first variant with the status,
// example= a variant by name (success and error on any route).
func TestPreferPicksAnyVariant(t *testing.T) {
	s := manyVariantServer(t)
	pay, _ := s.Catalog().Lookup("POST /v1/pay")
	s.State().Pin(pay, 4)
	for prefer, want := range map[string]int{
		"":                       500,
		"code=202":               202,
		"code=402":               402,
		"example=rate_limit":     429,
		`example="pending"`:      202,
		"example=success":        200,
		"example=error":          402,
		"example=nope, code=429": 429,
		`example="card_declined/insufficient_funds"`: 402,
		`wait=1; example="slow down"`:                500,
		"code=418":                                   500,
	} {
		w := send(s, "POST", "/v1/pay", "", http.Header{"Prefer": {prefer}})
		if w.Code != want {
			t.Errorf("Prefer %q: %d; want %d", prefer, w.Code, want)
		}
		if want == 429 && w.Header().Get("Retry-After") != "1" {
			t.Errorf("Prefer %q: the variant's headers were not sent", prefer)
		}
	}
	if w := send(s, "GET", "/v1/ping", "", http.Header{"Prefer": {"example=error"}}); w.Code != 200 {
		t.Errorf("example=error on a route without errors: %d; want its default", w.Code)
	}
}

func TestStateRaceClean(t *testing.T) {
	s := manyVariantServer(t)
	pay, _ := s.Catalog().Lookup("POST /v1/pay")
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				s.State().Pin(pay, (g+i)%6-1)
				send(s, "POST", "/v1/pay", "", nil)
			}
		}()
	}
	wg.Wait()
	s.State().Pin(pay, Auto)
	if s.State().ErrorCount() != 0 || s.State().PinnedCount() != 0 {
		t.Errorf("counts drifted: ErrorCount %d PinnedCount %d", s.State().ErrorCount(), s.State().PinnedCount())
	}
}
