package server

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkJoinedWritesRatio serves a 4.4 KB answer (a charge's size)
// from two bare servers in one interleaved loop, one on a joinListener:
// ratio is the plain server's latency over the joined one's (above 1
// means joining is faster).
func BenchmarkJoinedWritesRatio(b *testing.B) {
	body := bytes.Repeat([]byte("x"), 4366)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header()["Content-Type"] = []string{"application/json"}
		_, _ = w.Write(body)
	})
	plain := httptest.NewServer(h)
	defer plain.Close()
	joined := httptest.NewUnstartedServer(h)
	joined.Listener = joinWrites(joined.Config, joined.Listener)
	joined.Start()
	defer joined.Close()
	for _, ts := range []*httptest.Server{plain, joined} {
		ts.Client().Transport.(*http.Transport).MaxIdleConnsPerHost = 64
	}
	var plainNs, joinedNs atomic.Int64
	get := func(ts *httptest.Server, into *atomic.Int64) {
		start := time.Now()
		res, err := ts.Client().Get(ts.URL)
		if err != nil {
			b.Error(err)
			return
		}
		n, _ := io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if n != int64(len(body)) {
			b.Errorf("read %d bytes, want %d", n, len(body))
		}
		into.Add(int64(time.Since(start)))
	}
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			get(plain, &plainNs)
			get(joined, &joinedNs)
		}
	})
	b.ReportMetric(float64(plainNs.Load())/float64(max(joinedNs.Load(), 1)), "ratio")
}
