package stripe_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/routedeck/routedeck/embed"
	"github.com/routedeck/routedeck/server"
	"github.com/routedeck/routedeck/stripe"
)

// BenchmarkConfirmOverHTTP confirms a PaymentIntent with pm_card_visa over
// real loopback HTTP (keep-alive, parallel clients), as the peer run does:
// "bare" is a Go handler answering the same bytes (the limit), "plain" the
// server without Stripe semantics, "payments" the server with validation
// and test cards. The ratio the target speaks of is bare's ns/op over
// payments' ns/op (≥ 0.6).
func BenchmarkConfirmOverHTTP(b *testing.B) {
	cat, err := embeddedCatalog()
	if err != nil {
		b.Fatal(err)
	}
	const target, body = "/v1/payment_intents/pi_123/confirm", "payment_method=pm_card_visa&return_url=https%3A%2F%2Fexample.com"
	payments, err := server.New(cat, server.Options{Rules: stripe.New(cat, embed.Stripe, stripe.Options{}), TestValues: stripe.NewPayments(cat, nil)})
	if err != nil {
		b.Fatal(err)
	}
	plain, err := server.New(cat, server.Options{})
	if err != nil {
		b.Fatal(err)
	}
	// The bare handler answers what the server answers, fixed.
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	payments.ServeHTTP(rec, req)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"succeeded"`) {
		b.Fatalf("confirm with pm_card_visa: %d %s", rec.Code, rec.Body)
	}
	fixed := rec.Body.Bytes()
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header()["Content-Type"] = []string{"application/json"}
		w.Header()["Request-Id"] = []string{"req_123"}
		_, _ = w.Write(fixed)
	})
	for _, c := range []struct {
		name string
		h    http.Handler
	}{{"bare", bare}, {"plain", plain}, {"payments", payments}} {
		b.Run(c.name, func(b *testing.B) {
			ts := httptest.NewServer(c.h)
			defer ts.Close()
			client := ts.Client()
			client.Transport.(*http.Transport).MaxIdleConnsPerHost = 64
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					req, _ := http.NewRequest(http.MethodPost, ts.URL+target, strings.NewReader(body))
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
					res, err := client.Do(req)
					if err != nil {
						b.Error(err)
						return
					}
					_, _ = io.Copy(io.Discard, res.Body)
					res.Body.Close()
					if res.StatusCode != 200 {
						b.Errorf("status %d", res.StatusCode)
						return
					}
				}
			})
		})
	}
}

// BenchmarkConfirmHandler is the same confirm through the handler alone
// (no network): the server CPU that validation and test cards add.
func BenchmarkConfirmHandler(b *testing.B) {
	cat, err := embeddedCatalog()
	if err != nil {
		b.Fatal(err)
	}
	const target, body = "/v1/payment_intents/pi_123/confirm", "payment_method=pm_card_visa&return_url=https%3A%2F%2Fexample.com"
	for _, c := range []struct {
		name string
		opts server.Options
	}{
		{"plain", server.Options{}},
		{"payments", server.Options{Rules: stripe.New(cat, embed.Stripe, stripe.Options{}), TestValues: stripe.NewPayments(cat, nil)}},
	} {
		b.Run(c.name, func(b *testing.B) {
			srv, err := server.New(cat, c.opts)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				w := httptest.NewRecorder()
				srv.ServeHTTP(w, req)
				if w.Code != 200 {
					b.Fatalf("status %d: %s", w.Code, w.Body)
				}
			}
		})
	}
}
