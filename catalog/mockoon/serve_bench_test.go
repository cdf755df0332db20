package mockoon_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/routedeck/routedeck/catalog/mockoon"
	"github.com/routedeck/routedeck/server"
)

// benchmarkStripeFile serves one request of the peer benchmark
// (bench/run-peers.sh) from the seed's Mockoon Stripe environment, as
// `routedeck serve --catalog mockoon-stripe.json` does.
func benchmarkStripeFile(b *testing.B, method, target, body string) {
	cat, err := mockoon.Open(stripeFile)
	if err != nil {
		b.Skip(err)
	}
	s, err := server.New(cat, server.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(method, target, strings.NewReader(body))
		if body != "" {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
}

func BenchmarkStripeFileGetCustomer(b *testing.B) {
	benchmarkStripeFile(b, "GET", "/v1/customers/cus_123", "")
}

func BenchmarkStripeFilePostCharge(b *testing.B) {
	benchmarkStripeFile(b, "POST", "/v1/charges", "amount=2000&currency=usd&source=tok_visa")
}
