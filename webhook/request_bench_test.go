package webhook_test

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/embed"
	"github.com/routedeck/routedeck/server"
	"github.com/routedeck/routedeck/webhook"
)

// BenchmarkRequestWithEvent is what an event costs an API request: a
// POST /v1/customers through routedeck's server, then (as the server will
// once the store is wired in) an event sent for it, with no endpoint, with
// a dead endpoint, and without any event at all. It reports the mean
// (ns/op) and the 99th percentile (p99-ns) of each request.
func BenchmarkRequestWithEvent(b *testing.B) {
	cat, err := catalog.Load(embed.Catalog, catalog.Options{})
	if err != nil {
		b.Fatal(err)
	}
	srv, err := server.New(cat, server.Options{})
	if err != nil {
		b.Fatal(err)
	}
	fx := fixtures(b)
	obj, _, err := webhook.Sample("customer.created", fx, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name      string
		send      bool
		endpoints int
	}{{"no event", false, 0}, {"event, no endpoint", true, 0}, {"event, dead endpoint", true, 1}} {
		b.Run(c.name, func(b *testing.B) {
			reg := webhook.NewRegistry()
			for range c.endpoints {
				reg.Add(webhook.EndpointParams{URL: deadURL(b)})
			}
			// Retries far out, so the queue holds every delivery.
			s := webhook.NewSender(reg, webhook.Options{QueueSize: b.N + 1, Retries: []time.Duration{time.Hour}})
			defer s.Close()
			lat := make([]time.Duration, 0, b.N)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				start := time.Now()
				req := httptest.NewRequest(http.MethodPost, "/v1/customers", strings.NewReader("email=jenny%40example.com"))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				rec := httptest.NewRecorder()
				srv.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d", rec.Code)
				}
				if c.send {
					e, err := webhook.NewEvent(webhook.EventParams{Type: "customer.created", Object: obj, APIVersion: "2025-08-27.basil", RequestID: rec.Header().Get("Request-Id")})
					if err != nil {
						b.Fatal(err)
					}
					if _, d := s.Send(e); d != 0 {
						b.Fatal("dropped")
					}
				}
				lat = append(lat, time.Since(start))
			}
			b.StopTimer()
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds()), "p99-ns")
		})
	}
}
