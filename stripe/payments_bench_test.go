package stripe_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/routedeck/routedeck/embed"
	"github.com/routedeck/routedeck/server"
	"github.com/routedeck/routedeck/store"
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

// BenchmarkConfirmStoredOverHTTP confirms a stored PaymentIntent with
// state, validation and test cards, against the bare handler answering
// the same bytes, over loopback HTTP with parallel clients. Each confirm
// uses a 3-D Secure card, which leaves the intent confirmable again
// (requires_action), so every request is a full stateful confirm:
// read, validate, decide, update the store, answer. The target: bare's
// ns/op over stateful's ≥ 0.6.
func BenchmarkConfirmStoredOverHTTP(b *testing.B) {
	cat, err := embeddedCatalog()
	if err != nil {
		b.Fatal(err)
	}
	st, err := store.New(store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	rules := stripe.New(cat, embed.Stripe, stripe.Options{Objects: stripe.StoreObjects(st)})
	payments := stripe.NewPayments(cat, st)
	stateful, err := server.New(cat, server.Options{Rules: rules, TestValues: payments, Own: payments,
		Keeper: stripe.NewState(cat, rules, st, stripe.StateOptions{})})
	if err != nil {
		b.Fatal(err)
	}
	// Each client confirms intents of its own, as customers do.
	const intents = 64
	for range intents {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, "/v1/payment_intents", strings.NewReader("amount=2000&currency=usd"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		stateful.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("create: %d %s", rec.Code, rec.Body)
		}
	}
	page, err := st.List(context.Background(), store.Query{Type: "payment_intent", Limit: intents})
	if err != nil || len(page.Data) != intents {
		b.Fatalf("the created intents are not stored: %v", err)
	}
	targets := make([]string, intents)
	for i, o := range page.Data {
		targets[i] = "/v1/payment_intents/" + o.ID + "/confirm"
	}
	const body = "payment_method=pm_card_authenticationRequired"
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, targets[0], strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	stateful.ServeHTTP(rec, req)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"requires_action"`) {
		b.Fatalf("confirm: %d %s", rec.Code, rec.Body)
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
	}{{"bare", bare}, {"stateful", stateful}} {
		b.Run(c.name, func(b *testing.B) {
			ts := httptest.NewServer(c.h)
			defer ts.Close()
			client := ts.Client()
			client.Transport.(*http.Transport).MaxIdleConnsPerHost = 64
			b.ReportAllocs()
			var next atomic.Int64
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					target := targets[next.Add(1)%intents]
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
