package mockoon_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/routedeck/routedeck/catalog/mockoon"
	"github.com/routedeck/routedeck/internal/ratiobench"
	"github.com/routedeck/routedeck/server"
)

// BenchmarkStripeFileRatios measures the peer run's two requests served
// from the imported Mockoon Stripe environment (`routedeck serve
// --catalog mockoon-stripe.json`) beside a bare handler answering the
// same bytes (ratiobench: the ratio the peer run compares; issue 12's
// target: ≥ 0.7).
func BenchmarkStripeFileRatios(b *testing.B) {
	cases := []struct{ name, method, target, body string }{
		// The file's customer retrieve answers `""`: this measures the
		// route matching and response around a body.
		{name: "get-customer", method: "GET", target: "/v1/customers/cus_123"},
		{name: "post-charge", method: "POST", target: "/v1/charges", body: "amount=2000&currency=usd&source=tok_visa"},
	}
	cat, err := mockoon.Open(stripeFile)
	if err != nil {
		b.Skip(err)
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			s, err := server.New(cat, server.Options{})
			if err != nil {
				b.Fatal(err)
			}
			// The bare handler answers what routedeck answers, fixed.
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(c.method, c.target, strings.NewReader(c.body))
			if c.body != "" {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			s.ServeHTTP(rec, req)
			if rec.Code != 200 || rec.Body.Len() == 0 {
				b.Fatalf("%s %s: status %d, %d bytes", c.method, c.target, rec.Code, rec.Body.Len())
			}
			ratiobench.Run(b, s, ratiobench.Fixed(rec.Body.Bytes()), func(client *http.Client, base string, _ int64) error {
				return ratiobench.Send(client, base, c.method, c.target, c.body)
			})
		})
	}
}
