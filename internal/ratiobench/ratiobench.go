// Package ratiobench measures routedeck's handler beside a bare one in
// one loop, as the peer run compares routedeck with the bare Go server
// (../shared/bench/run-peers.sh), for benchmarks that must hold on a
// shared, noisy machine.
//
// Both handlers are served over loopback HTTP with keep-alive and
// parallel clients, and each client sends one request to each server in
// turn, so both meet the same load from the rest of the machine (which
// moves a peer run's throughput ratios more than the servers do). The
// ratio reported is bare latency over routedeck latency per request: the
// throughput ratio the peer run compares.
package ratiobench

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Fixed is the bare handler: it answers every request with body, as the
// peer run's limit server answers with precomputed bytes.
func Fixed(body []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header()["Content-Type"] = []string{"application/json"}
		w.Header()["Request-Id"] = []string{"req_123"}
		_, _ = w.Write(body)
	})
}

// Send sends one request as the peer run's client does (a Stripe test
// key; a form body when body is not empty) and reads the answer, which
// must be a 200.
func Send(client *http.Client, base, method, target, body string) error {
	req, err := http.NewRequest(method, base+target, strings.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer sk_test_123")
	if body != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := client.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: status %d", method, target, res.StatusCode)
	}
	return nil
}

// Run measures ours beside bare for b.N pairs of requests: send sends the
// i-th request (i counts every request to either server from 1) to the
// server at base. It reports bare-ns/req, routedeck-ns/req and ratio.
func Run(b *testing.B, ours, bare http.Handler, send func(client *http.Client, base string, i int64) error) {
	b.Helper()
	oursTS, bareTS := httptest.NewServer(ours), httptest.NewServer(bare)
	defer oursTS.Close()
	defer bareTS.Close()
	for _, ts := range []*httptest.Server{oursTS, bareTS} {
		ts.Client().Transport.(*http.Transport).MaxIdleConnsPerHost = 64
	}
	var next, bareNs, oursNs, pairs atomic.Int64
	timed := func(ts *httptest.Server, into *atomic.Int64) error {
		start := time.Now()
		err := send(ts.Client(), ts.URL, next.Add(1))
		into.Add(int64(time.Since(start)))
		return err
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := timed(bareTS, &bareNs); err != nil {
				b.Error(err)
				return
			}
			if err := timed(oursTS, &oursNs); err != nil {
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
}
