package mockoon_test

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/catalog/mockoon"
	"github.com/routedeck/routedeck/internal/cputime"
	"github.com/routedeck/routedeck/render"
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

// BenchmarkStripeFileRenderCharge renders the body of the imported Stripe
// file's POST /v1/charges alone (51 faker and oneOf calls), reporting the
// CPU time per body beside the wall time: on a busy machine the CPU a
// render costs is the steadier measure.
func BenchmarkStripeFileRenderCharge(b *testing.B) {
	cat, err := mockoon.Open(stripeFile)
	if err != nil {
		b.Skip(err)
	}
	r, ok := cat.Lookup("POST /v1/charges")
	if !ok {
		b.Fatal("no POST /v1/charges in the Stripe file")
	}
	v := r.Variant(catalog.Success)
	req := &render.Request{Method: "POST", Path: "/v1/charges", ContentType: "application/x-www-form-urlencoded",
		Body: []byte("amount=2000&currency=usd&source=tok_visa")}
	b.ReportAllocs()
	cpu := cputime.Start()
	n := 0
	for b.Loop() {
		out, err := v.Render(req)
		if err != nil || len(out) < 2000 {
			b.Fatalf("render: %v, %d bytes", err, len(out))
		}
		n++
	}
	cpu.Report(b, n, time.Nanosecond, "cpu-ns/op")
}
