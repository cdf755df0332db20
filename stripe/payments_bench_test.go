package stripe_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/routedeck/routedeck/embed"
	"github.com/routedeck/routedeck/internal/cputime"
	"github.com/routedeck/routedeck/internal/ratiobench"
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
// read, validate, decide, update the store, raise the event, answer. The
// target: bare's ns/op over stateful's ≥ 0.6 (BenchmarkConfirmStoredRatio
// measures that ratio in one loop).
func BenchmarkConfirmStoredOverHTTP(b *testing.B) {
	cs := newConfirmServers(b, confirmIntents, confirmBody, "requires_action")
	for _, c := range []struct {
		name string
		h    http.Handler
	}{{"bare", cs.bare}, {"stateful", cs.stateful}} {
		b.Run(c.name, func(b *testing.B) {
			ts := httptest.NewServer(c.h)
			defer ts.Close()
			client := ts.Client()
			client.Transport.(*http.Transport).MaxIdleConnsPerHost = 64
			b.ReportAllocs()
			var next atomic.Int64
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := cs.confirm(client, ts.URL, next.Add(1)); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

// BenchmarkConfirmStoredRatio is issue 10's measure: the stored confirm
// of BenchmarkConfirmStoredOverHTTP beside the bare handler serving its
// bytes (ratiobench: the ratio the peer run compares; target ≥ 0.6).
func BenchmarkConfirmStoredRatio(b *testing.B) {
	cs := newConfirmServers(b, confirmIntents, confirmBody, "requires_action")
	ratiobench.Run(b, cs.stateful, cs.bare, cs.confirm)
}

// BenchmarkConfirmSucceedsRatio is BenchmarkConfirmStoredRatio for a
// confirm that pays: each request confirms an intent of its own with
// pm_card_visa, which stores the charge and its balance transaction and
// raises charge.succeeded and payment_intent.succeeded.
func BenchmarkConfirmSucceedsRatio(b *testing.B) {
	// The ratio loop sends 2·b.N requests, numbered from 1; the setup
	// confirms the first intent.
	cs := newConfirmServers(b, 2*b.N+1, "payment_method=pm_card_visa", `"succeeded"`)
	ratiobench.Run(b, cs.stateful, cs.bare, cs.confirm)
}

// BenchmarkConfirmStoredHandler is BenchmarkConfirmStoredOverHTTP's
// stateful confirm through the handler alone (no network): the server CPU
// that state, validation, test cards and the event take, steadier on a
// busy machine than the loopback ratio.
func BenchmarkConfirmStoredHandler(b *testing.B) {
	cs := newConfirmServers(b, confirmIntents, confirmBody, "requires_action")
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		n++
		req := httptest.NewRequest(http.MethodPost, cs.targets[n%len(cs.targets)], strings.NewReader(cs.body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		cs.stateful.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatalf("confirm: %d %s", w.Code, w.Body)
		}
	}
}

// confirmServers are the stateful server with stored PaymentIntents to
// confirm and a bare handler answering its confirm's bytes.
type confirmServers struct {
	stateful, bare http.Handler
	targets        []string
	body           string // the confirm's form
}

// confirmBody confirms with a 3-D Secure card, which leaves the intent
// confirmable again; confirmIntents is how many intents its benchmarks
// confirm in turn.
const (
	confirmBody    = "payment_method=pm_card_authenticationRequired"
	confirmIntents = 64
)

// newConfirmServers creates intents stored PaymentIntents and confirms
// the first with body, whose answer must contain want: the bare handler
// answers with its bytes.
func newConfirmServers(b *testing.B, intents int, body, want string) *confirmServers {
	b.Helper()
	cat, err := embeddedCatalog()
	if err != nil {
		b.Fatal(err)
	}
	// A confirm that pays stores three objects: room for long runs, as
	// the peer run gives serve (--max-objects 5000000).
	st, err := store.New(store.Options{MaxObjects: 5_000_000})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = st.Close() })
	rules := stripe.New(cat, embed.Stripe, stripe.Options{Objects: stripe.StoreObjects(st)})
	payments := stripe.NewPayments(cat, st)
	stateful, err := server.New(cat, server.Options{Rules: rules, TestValues: payments, Own: payments,
		Keeper: stripe.NewState(cat, rules, st, stripe.StateOptions{})})
	if err != nil {
		b.Fatal(err)
	}
	// Each client confirms intents of its own, as customers do.
	cs := &confirmServers{stateful: stateful, body: body}
	for range intents {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, "/v1/payment_intents", strings.NewReader("amount=2000&currency=usd"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		stateful.ServeHTTP(rec, req)
		var pi struct{ ID string }
		if err := json.Unmarshal(rec.Body.Bytes(), &pi); rec.Code != 200 || err != nil || pi.ID == "" {
			b.Fatalf("create: %d %s", rec.Code, rec.Body)
		}
		cs.targets = append(cs.targets, "/v1/payment_intents/"+pi.ID+"/confirm")
	}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, cs.targets[0], strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	stateful.ServeHTTP(rec, req)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), want) {
		b.Fatalf("confirm: %d %s", rec.Code, rec.Body)
	}
	cs.bare = ratiobench.Fixed(rec.Body.Bytes())
	return cs
}

// confirm sends the n-th confirm (intents in turn) to the server at base.
func (cs *confirmServers) confirm(client *http.Client, base string, n int64) error {
	return ratiobench.Send(client, base, http.MethodPost, cs.targets[n%int64(len(cs.targets))], cs.body)
}

// BenchmarkConfirmSucceedsHandler is BenchmarkConfirmSucceedsRatio's
// paying confirm through the handler alone (no network): the server CPU
// of the confirm, its charge, its balance transaction and its two
// events, each request confirming an intent of its own.
func BenchmarkConfirmSucceedsHandler(b *testing.B) {
	cs := newConfirmServers(b, b.N+1, "payment_method=pm_card_visa", `"succeeded"`)
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cputime.Start()
	for n := 1; n <= b.N; n++ {
		req := httptest.NewRequest(http.MethodPost, cs.targets[n], strings.NewReader(cs.body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		cs.stateful.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatalf("confirm: %d %s", w.Code, w.Body)
		}
	}
	// The process's CPU (collection included): steadier than ns/op on a
	// busy machine.
	cpu.Report(b, b.N, time.Nanosecond, "cpu-ns/op")
}
