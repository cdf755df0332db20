//go:build unix

package webhook_test

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/embed"
	"github.com/routedeck/routedeck/internal/cputime"
	"github.com/routedeck/routedeck/server"
	"github.com/routedeck/routedeck/store"
	"github.com/routedeck/routedeck/stripe"
	"github.com/routedeck/routedeck/webhook"
)

// blackHoleURL is an endpoint that accepts connections and never answers.
func blackHoleURL(tb testing.TB) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	done := make(chan struct{})
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				close(done)
				return
			}
			conns = append(conns, c) // read nothing, answer nothing
		}
	}()
	tb.Cleanup(func() {
		ln.Close()
		<-done
		for _, c := range conns {
			c.Close()
		}
	})
	return "http://" + ln.Addr().String() + "/webhook"
}

// servedStripe serves the Stripe catalog over loopback HTTP as `routedeck
// serve` does: the store, the rules, the test cards, and the store's
// events handed to a Sender for the endpoints of reg.
func servedStripe(tb testing.TB, reg *webhook.Registry, opts webhook.Options) (string, *webhook.Sender) {
	tb.Helper()
	cat, err := catalog.Embedded()
	if err != nil {
		tb.Fatal(err)
	}
	st, err := store.New(store.Options{MaxObjects: 10_000_000})
	if err != nil {
		tb.Fatal(err)
	}
	sender := webhook.NewSender(reg, opts)
	rules := stripe.New(cat, embed.Stripe, stripe.Options{Objects: stripe.StoreObjects(st)})
	payments := stripe.NewPayments(cat, st)
	srv, err := server.New(cat, server.Options{Rules: rules, TestValues: payments, Own: payments,
		Keeper: stripe.NewState(cat, rules, st, stripe.StateOptions{Endpoints: reg, Events: func(e webhook.Event) { sender.Send(e) }})})
	if err != nil {
		tb.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	tb.Cleanup(func() {
		ts.Close()
		srv.Close()
		sender.Close()
		_ = st.Close()
	})
	return ts.URL, sender
}

// BenchmarkCreateLatencyWebhooks is what a webhook endpoint costs the API:
// POST /v1/customers through the real server over loopback HTTP, each
// raising customer.created, with (a) no endpoint, (b) a dead endpoint
// (connection refused) and (c) a black-hole endpoint (accepts, never
// answers). It reports each request's p50 and p99 (p50-ns, p99-ns) and
// the deliveries dropped (must be 0: the queue is sized to hold them all,
// since a black hole holds every delivery for its 10 s timeout), and the
// CPU time the whole process (client, server, sender) spent per request
// (cpu-ns/op), the steadier measure on a busy machine.
//
//	go test -run '^$' -bench CreateLatencyWebhooks -benchtime 4000x -count 3 ./webhook/
//
// The "interleaved" case runs the three servers side by side and sends
// one create to each in turn (the order rotating), so that the three see
// the same moments of a busy machine; it reports each one's p50 and p99
// (none-p50-ns, dead-p99-ns, ...) and its ns/op is for three creates.
func BenchmarkCreateLatencyWebhooks(b *testing.B) {
	cases := []struct {
		name, short string
		url         func(testing.TB) string
	}{
		{"no endpoint", "none", nil},
		{"dead endpoint", "dead", deadURL},
		{"black-hole endpoint", "hole", blackHoleURL},
	}
	b.Run("interleaved", func(b *testing.B) {
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
		defer client.CloseIdleConnections()
		bases := make([]string, len(cases))
		senders := make([]*webhook.Sender, len(cases))
		lat := make([][]time.Duration, len(cases))
		for i, c := range cases {
			reg := webhook.NewRegistry()
			if c.url != nil {
				if _, err := reg.Add(webhook.EndpointParams{URL: c.url(b)}); err != nil {
					b.Fatal(err)
				}
			}
			bases[i], senders[i] = servedStripe(b, reg, webhook.Options{QueueSize: b.N + 100})
			for range 50 {
				post(b, client, bases[i])
			}
			lat[i] = make([]time.Duration, 0, b.N)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for n := range b.N {
			for k := range cases {
				i := (n + k) % len(cases)
				start := time.Now()
				post(b, client, bases[i])
				lat[i] = append(lat[i], time.Since(start))
			}
		}
		b.StopTimer()
		for i, c := range cases {
			slices.Sort(lat[i])
			b.ReportMetric(float64(lat[i][len(lat[i])/2].Nanoseconds()), c.short+"-p50-ns")
			b.ReportMetric(float64(lat[i][len(lat[i])*99/100].Nanoseconds()), c.short+"-p99-ns")
			if d := senders[i].Stats().Dropped; d != 0 {
				b.Fatalf("%s: %d deliveries dropped below the queue bound", c.name, d)
			}
		}
	})
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			reg := webhook.NewRegistry()
			if c.url != nil {
				if _, err := reg.Add(webhook.EndpointParams{URL: c.url(b)}); err != nil {
					b.Fatal(err)
				}
			}
			base, sender := servedStripe(b, reg, webhook.Options{QueueSize: b.N + 100})
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
			defer client.CloseIdleConnections()
			create := func() { post(b, client, base) }
			for range 50 { // warm up the connection and the store
				create()
			}
			lat := make([]time.Duration, 0, b.N)
			b.ReportAllocs()
			b.ResetTimer()
			cpu := cputime.Start()
			for range b.N {
				start := time.Now()
				create()
				lat = append(lat, time.Since(start))
			}
			cpu.Report(b, b.N, time.Nanosecond, "cpu-ns/op")
			b.StopTimer()
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds()), "p50-ns")
			b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds()), "p99-ns")
			b.ReportMetric(float64(sender.Stats().Dropped), "dropped")
			if d := sender.Stats().Dropped; d != 0 {
				b.Fatalf("%d deliveries dropped below the queue bound", d)
			}
		})
	}
}

// post creates a customer through the server at base.
func post(tb testing.TB, client *http.Client, base string) {
	tb.Helper()
	res, err := client.Post(base+"/v1/customers", "application/x-www-form-urlencoded", strings.NewReader("email=jenny%40example.com"))
	if err != nil {
		tb.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		tb.Fatalf("POST /v1/customers: status %d", res.StatusCode)
	}
}

// With a dead and a black-hole endpoint, the requests' events are all
// held (sent, or waiting for their retries) up to the queue's bound, and
// nothing below it is dropped; past it, each delivery is dropped and
// counted.
func TestDeadEndpointsDropNothingBelowTheBound(t *testing.T) {
	reg := webhook.NewRegistry()
	for _, u := range []string{deadURL(t), blackHoleURL(t)} {
		if _, err := reg.Add(webhook.EndpointParams{URL: u}); err != nil {
			t.Fatal(err)
		}
	}
	const bound = 100
	base, sender := servedStripe(t, reg, webhook.Options{QueueSize: bound, Timeout: 200 * time.Millisecond})
	client := &http.Client{}
	defer client.CloseIdleConnections()
	const below = bound/2 - 1 // two deliveries each: 98 held
	for range below {
		post(t, client, base)
	}
	if st := sender.Stats(); st.Dropped != 0 || st.InQueue != 2*below {
		t.Fatalf("after %d creates: stats %+v; want %d held, none dropped", below, st, 2*below)
	}
	// The dead endpoint's deliveries go to their retries at once; the
	// black hole's wait in their lane. None is lost.
	deadline := time.Now().Add(5 * time.Second)
	for {
		states := map[webhook.State]int{}
		for _, rec := range sender.Log() {
			for _, d := range rec.Deliveries {
				states[d.State]++
			}
		}
		if states[webhook.Pending]+states[webhook.Retrying] != 2*below {
			t.Fatalf("deliveries by state %v; want all %d pending or retrying", states, 2*below)
		}
		if states[webhook.Retrying] >= below+1 {
			break // every dead one and at least the black hole's first
		}
		if time.Now().After(deadline) {
			t.Fatalf("deliveries by state %v after 5 s; want the dead endpoint's retrying", states)
		}
		time.Sleep(10 * time.Millisecond)
	}
	for range 5 {
		post(t, client, base)
	}
	// 2 slots were left: 8 of the 10 new deliveries are dropped.
	if st := sender.Stats(); st.Dropped != 8 || st.InQueue != bound {
		t.Fatalf("past the bound: stats %+v; want 8 dropped, %d held", st, bound)
	}
}
