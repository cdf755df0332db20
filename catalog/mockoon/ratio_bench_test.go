package mockoon_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/routedeck/routedeck/catalog/mockoon"
	"github.com/routedeck/routedeck/server"
)

// BenchmarkStripeFileRatios measures the peer run's two requests served
// from the imported Mockoon Stripe environment (`routedeck serve
// --catalog mockoon-stripe.json`) beside a bare handler that answers each
// with fixed bytes (the limit server's design). Both are served over
// loopback HTTP with keep-alive and parallel clients, and each client
// sends one request to each server in turn, so both meet the same load
// from the rest of a shared machine. It reports ratio = bare latency /
// routedeck latency per request, the throughput ratio the peer run
// compares (issue 12's target: ≥ 0.7).
func BenchmarkStripeFileRatios(b *testing.B) {
	const form = "application/x-www-form-urlencoded"
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
			send := func(client *http.Client, base string) error {
				req, err := http.NewRequest(c.method, base+c.target, strings.NewReader(c.body))
				if err != nil {
					return err
				}
				req.Header.Set("Authorization", "Bearer sk_test_123")
				if c.body != "" {
					req.Header.Set("Content-Type", form)
				}
				res, err := client.Do(req)
				if err != nil {
					return err
				}
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != 200 {
					return fmt.Errorf("%s %s: status %d", c.method, c.target, res.StatusCode)
				}
				return nil
			}
			ours := httptest.NewServer(s)
			defer ours.Close()
			// The bare handler answers what routedeck answers, fixed.
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(c.method, c.target, strings.NewReader(c.body))
			if c.body != "" {
				req.Header.Set("Content-Type", form)
			}
			s.ServeHTTP(rec, req)
			if rec.Code != 200 || rec.Body.Len() == 0 {
				b.Fatalf("%s %s: status %d, %d bytes", c.method, c.target, rec.Code, rec.Body.Len())
			}
			fixed := rec.Body.Bytes()
			bare := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body)
				w.Header()["Content-Type"] = []string{"application/json"}
				_, _ = w.Write(fixed)
			}))
			defer bare.Close()
			for _, ts := range []*httptest.Server{ours, bare} {
				ts.Client().Transport.(*http.Transport).MaxIdleConnsPerHost = 64
			}
			var bareNs, oursNs, pairs atomic.Int64
			timed := func(ts *httptest.Server, into *atomic.Int64) error {
				start := time.Now()
				err := send(ts.Client(), ts.URL)
				into.Add(int64(time.Since(start)))
				return err
			}
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := timed(bare, &bareNs); err != nil {
						b.Error(err)
						return
					}
					if err := timed(ours, &oursNs); err != nil {
						b.Error(err)
						return
					}
					pairs.Add(1)
				}
			})
			n := float64(max(pairs.Load(), 1))
			b.ReportMetric(float64(bareNs.Load())/n, "bare-ns/req")
			b.ReportMetric(float64(oursNs.Load())/n, "routedeck-ns/req")
			b.ReportMetric(float64(bareNs.Load())/float64(max(oursNs.Load(), 1)), "ratio")
		})
	}
}
