package stripe_test

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/routedeck/routedeck/embed"
	"github.com/routedeck/routedeck/server"
	"github.com/routedeck/routedeck/store"
	"github.com/routedeck/routedeck/stripe"
	"github.com/routedeck/routedeck/webhook"
)

// BenchmarkCreateWithWebhook is POST /v1/customers (a customer.created
// event each) with no endpoint, and with an endpoint that refuses every
// connection (and, for scale, with no sender at all): the dead endpoint
// must cost the request nothing measurable.
//
//	go test -run '^$' -bench CreateWithWebhook -benchtime 2000x ./stripe/
func BenchmarkCreateWithWebhook(b *testing.B) {
	cat, err := embeddedCatalog()
	if err != nil {
		b.Fatal(err)
	}
	// A port that was just free: connections to it are refused.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	dead := "http://" + ln.Addr().String() + "/hook"
	ln.Close()
	for _, tc := range []struct{ name, url string }{{"no events", "-"}, {"no endpoint", ""}, {"dead endpoint", dead}} {
		b.Run(tc.name, func(b *testing.B) {
			st, err := store.New(store.Options{MaxObjects: 1 << 30})
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			reg := webhook.NewRegistry()
			if tc.url != "" && tc.url != "-" {
				if _, err := reg.Add(webhook.EndpointParams{URL: tc.url}); err != nil {
					b.Fatal(err)
				}
			}
			sender := webhook.NewSender(reg, webhook.Options{QueueSize: 1 << 20})
			defer sender.Close()
			rules := stripe.New(cat, embed.Stripe, stripe.Options{Objects: stripe.StoreObjects(st)})
			sopts := stripe.StateOptions{Endpoints: reg, Events: func(e webhook.Event) { sender.Send(e) }}
			if tc.url == "-" {
				sopts = stripe.StateOptions{} // events still logged in the store, nothing sent
			}
			srv, err := server.New(cat, server.Options{Rules: rules, Keeper: stripe.NewState(cat, rules, st, sopts)})
			if err != nil {
				b.Fatal(err)
			}
			defer srv.Close()
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				req := httptest.NewRequest(http.MethodPost, "/v1/customers", strings.NewReader("email=ada%40example.com&name=Ada"))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				rec := httptest.NewRecorder()
				srv.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("create: %d %s", rec.Code, rec.Body)
				}
			}
			b.StopTimer()
			if s := sender.Stats(); s.Dropped != 0 {
				b.Fatalf("dropped %d deliveries below the queue bound", s.Dropped)
			}
		})
	}
}
