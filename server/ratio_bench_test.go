package server_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/routedeck/routedeck/internal/ratiobench"
)

// BenchmarkPeerRatios measures the peer run's requests beside a bare
// handler answering the same bytes (ratiobench: the ratio the peer run
// compares; targets: GET ≥ 0.8, a stored create (a charge, a customer)
// ≥ 0.6 (0.8 for issue 8's POST), a retrieve of a stored object ≥ 0.8).
func BenchmarkPeerRatios(b *testing.B) {
	const form = "application/x-www-form-urlencoded"
	cases := []struct {
		name, method, target, body string
		setup                      func(s http.Handler) string // the target, if made at setup
		// vary, if set, is the body of the nth request (each different),
		// for the creates the prepared path does not fill.
		vary func(n int64) string
	}{
		{name: "get-sample-customer", method: "GET", target: "/v1/customers/cus_123"},
		{name: "get-created-customer", method: "GET", setup: func(s http.Handler) string {
			rec := httptest.NewRecorder()
			req := httptest.NewRequest("POST", "/v1/customers", strings.NewReader("email=bench@example.com"))
			req.Header.Set("Content-Type", form)
			s.ServeHTTP(rec, req)
			id := between(rec.Body.String(), `"id":"`, `"`)
			if rec.Code != 200 || !strings.HasPrefix(id, "cus_") {
				b.Fatalf("create customer: %d %s", rec.Code, rec.Body)
			}
			return "/v1/customers/" + id
		}},
		{name: "post-charge-stored", method: "POST", target: "/v1/charges", body: "amount=2000&currency=usd&source=tok_visa"},
		{name: "post-customer-stored", method: "POST", target: "/v1/customers", body: "email=bench@example.com"},
		{name: "post-charge-varied", method: "POST", target: "/v1/charges", body: "amount=2000&currency=usd&source=tok_visa",
			vary: func(n int64) string {
				return "amount=" + strconv.FormatInt(2000+n, 10) + "&currency=usd&source=tok_visa"
			}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			s := statefulServer(b)
			target := c.target
			if c.setup != nil {
				target = c.setup(s)
			}
			// The bare handler answers what routedeck answers, fixed.
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(c.method, target, strings.NewReader(c.body))
			if c.body != "" {
				req.Header.Set("Content-Type", form)
			}
			s.ServeHTTP(rec, req)
			ratiobench.Run(b, s, ratiobench.Fixed(rec.Body.Bytes()), func(client *http.Client, base string, n int64) error {
				body := c.body
				if c.vary != nil {
					body = c.vary(n)
				}
				return ratiobench.Send(client, base, c.method, target, body)
			})
		})
	}
}

// between is the text of s after the first start, up to end.
func between(s, start, end string) string {
	_, after, ok := strings.Cut(s, start)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(after, end)
	return v
}
