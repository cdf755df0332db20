package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/routedeck/routedeck/internal/cputime"
)

// BenchmarkServeStartup is `routedeck serve` up to its first answer, as
// the peer benchmark's start-up probe sees it: read the flags, build the
// server on the embedded catalog, answer GET /v1/customers/cus_123. The
// store is built in the background; each round waits for it too, so its
// CPU (cpu-ms/op) counts, since it competes with start-up for the CPU.
// Process start, package init and listening are left out.
func BenchmarkServeStartup(b *testing.B) {
	cpu := cputime.Start()
	var first time.Duration
	for b.Loop() {
		t0 := time.Now()
		o, _, err := parseFlags("serve", []string{"--port", "0", "--https-port", "0", "--quiet"}, commandFlags["serve"])
		if err != nil {
			b.Fatal(err)
		}
		srv, err := o.newServer()
		if err != nil {
			b.Fatal(err)
		}
		req := httptest.NewRequest(http.MethodGet, "/v1/customers/cus_123", nil)
		req.Header.Set("Authorization", "Bearer sk_test_123")
		w := httptest.NewRecorder()
		srv.HTTPServer().Handler.ServeHTTP(w, req)
		first += time.Since(t0)
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"cus_123"`) {
			b.Fatalf("GET /v1/customers/cus_123: %d %.200s", w.Code, w.Body.String())
		}
		// Stats waits for the store, built in the background: the seed.
		if n := o.store.Stats().Objects; n < 50 {
			b.Fatalf("the store holds %d objects; want the seed", n)
		}
		if err := o.closeStore(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(first.Microseconds())/1000/float64(b.N), "first-answer-ms/op")
	cpu.Report(b, b.N, time.Millisecond, "cpu-ms/op")
}
