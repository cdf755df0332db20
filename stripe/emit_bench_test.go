package stripe

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/embed"
	"github.com/routedeck/routedeck/internal/cputime"
	"github.com/routedeck/routedeck/render"
	"github.com/routedeck/routedeck/server"
	"github.com/routedeck/routedeck/store"
	"github.com/routedeck/routedeck/webhook"
)

// BenchmarkEmit is the cost of raising one event about a stored charge,
// as `routedeck serve` raises charge.succeeded for POST /v1/charges: the
// envelope written, appended to the store's event log and handed to the
// webhook sender. Endpoints: none registered; one that wants another
// type; one that wants every type but is disabled. A create's event
// (no previous attributes) and an update's (with them).
//
//	go test -run '^$' -bench Emit -benchmem ./stripe/
func BenchmarkEmit(b *testing.B) {
	cat, err := catalog.Embedded()
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		endpoint *webhook.EndpointParams
		disable  bool
		prev     bool
	}{
		{name: "no endpoint"},
		{name: "no endpoint/update", prev: true},
		{name: "other type", endpoint: &webhook.EndpointParams{URL: "http://127.0.0.1:9/hook", EnabledEvents: []string{"customer.created"}}},
		{name: "disabled", endpoint: &webhook.EndpointParams{URL: "http://127.0.0.1:9/hook"}, disable: true},
	} {
		b.Run(tc.name, func(b *testing.B) {
			st, err := store.New(store.Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			reg := webhook.NewRegistry()
			if tc.endpoint != nil {
				ep, err := reg.Add(*tc.endpoint)
				if err != nil {
					b.Fatal(err)
				}
				if tc.disable {
					off := true
					if _, err := reg.Update(ep.ID, webhook.EndpointUpdate{Disabled: &off}); err != nil {
						b.Fatal(err)
					}
				}
			}
			sender := webhook.NewSender(reg, webhook.Options{})
			defer sender.Close()
			rules := New(cat, embed.Stripe, Options{Objects: StoreObjects(st)})
			s := NewState(cat, rules, st, StateOptions{Endpoints: reg, Events: func(e webhook.Event) { sender.Send(e) }})
			srv, err := server.New(cat, server.Options{Rules: rules, Keeper: s})
			if err != nil {
				b.Fatal(err)
			}
			defer srv.Close()
			r := httptest.NewRequest(http.MethodPost, "/v1/charges", strings.NewReader("amount=2000&currency=usd&source=tok_visa"))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			w := httptest.NewRecorder()
			srv.ServeHTTP(w, r)
			if w.Code != http.StatusOK {
				b.Fatalf("create: %d %s", w.Code, w.Body)
			}
			id := topString(w.Body.Bytes(), "id")
			obj, err := st.Get(context.Background(), id)
			if err != nil {
				b.Fatal(err)
			}
			var prev []byte
			if tc.prev {
				prev = []byte(`{"metadata":{},"description":null}`)
			}
			req := &render.Request{Method: http.MethodPost, Path: "/v1/charges", ID: "req_0123456789abcdef", Header: http.Header{}}
			ctx := context.Background()
			b.ReportAllocs()
			cpu := cputime.Start()
			n := 0
			for b.Loop() {
				s.emit(ctx, req, "charge.succeeded", obj, prev)
				n++
			}
			// The CPU an event costs, the steadier measure on a busy machine.
			cpu.Report(b, n, time.Nanosecond, "cpu-ns/op")
		})
	}
}

// BenchmarkWriteEnvelope is the writing of one event's envelope alone.
func BenchmarkWriteEnvelope(b *testing.B) {
	id, key := "req_0123456789abcdef", "key-1"
	ev := webhook.Event{ID: eventID(), Object: "event", APIVersion: "2026-08-26.dahlia", Created: 1796057578, Type: "charge.succeeded",
		Request: webhook.EventRequest{ID: &id, IdempotencyKey: &key}}
	b.ReportAllocs()
	for b.Loop() {
		if env := writeEnvelope(&ev); !env.plain {
			b.Fatal("escaped")
		}
	}
}
