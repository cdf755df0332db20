package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/embed"
	"github.com/routedeck/routedeck/internal/ratiobench"
	"github.com/routedeck/routedeck/server"
	"github.com/routedeck/routedeck/store"
	"github.com/routedeck/routedeck/stripe"
)

// BenchmarkRememberingCost measures what keeping the peer run's POST
// costs: the stored charge create (the charge, its balance transaction
// and its event kept, as serve keeps them) beside the same create with a
// store that forgets those three writes (everything else the same:
// validation, the test card, the prepared body, the event's envelope),
// each as a ratio to a bare handler answering the same bytes. The gap
// between the two ratios is the store's share of issue 8's POST target:
// the writes themselves, and the heap growth (page faults, collection)
// of a store that holds every object a load test creates.
func BenchmarkRememberingCost(b *testing.B) {
	const body = "amount=2000&currency=usd&source=tok_visa"
	for _, c := range []struct {
		name   string
		forget bool
	}{{"kept", false}, {"forgotten", true}} {
		b.Run(c.name, func(b *testing.B) {
			s := rememberingServer(b, c.forget)
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(http.MethodPost, "/v1/charges", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			s.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"amount":2000`) {
				b.Fatalf("charge: %d %s", rec.Code, rec.Body)
			}
			ratiobench.Run(b, s, ratiobench.Fixed(rec.Body.Bytes()), func(client *http.Client, base string, _ int64) error {
				return ratiobench.Send(client, base, http.MethodPost, "/v1/charges", body)
			})
		})
	}
}

// rememberingServer is statefulServer, with a store that forgets charges,
// balance transactions and events when forget is set.
func rememberingServer(b *testing.B, forget bool) *server.Server {
	b.Helper()
	cat, err := catalog.Embedded()
	if err != nil {
		b.Fatal(err)
	}
	mem, err := store.New(store.Options{Seed: stripe.Seed(cat), MaxObjects: 50_000_000})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = mem.Close() })
	var st store.Store = mem
	if forget {
		st = forgetful{mem}
	}
	rules := stripe.New(cat, embed.Stripe, stripe.Options{Objects: stripe.StoreObjects(st)})
	s, err := server.New(cat, server.Options{Rules: rules, TestValues: stripe.NewPayments(cat, st),
		Keeper: stripe.NewState(cat, rules, st, stripe.StateOptions{})})
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// forgetful is a Memory that answers the writes of a charge create as
// kept (the object as Put returns it) but keeps none of them.
type forgetful struct{ *store.Memory }

func (f forgetful) Put(ctx context.Context, obj store.Object) (store.Object, error) {
	if obj.Type != "charge" && obj.Type != "balance_transaction" {
		return f.Memory.Put(ctx, obj)
	}
	obj.Layout = nil
	if obj.Created == 0 {
		obj.Created = time.Now().Unix()
	}
	return obj, nil
}

// The State keeps events around their objects through this method when
// the store has it (else it joins the object's text): the same path as
// the Memory it wraps.
var _ interface {
	AppendEventAround(context.Context, store.Object, string, store.Object, string) error
} = forgetful{}

func (f forgetful) AppendEventAround(context.Context, store.Object, string, store.Object, string) error {
	return nil
}
