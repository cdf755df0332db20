package stripe_test

import (
	"context"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	stripego "github.com/stripe/stripe-go/v82"

	"github.com/routedeck/routedeck/embed"
	"github.com/routedeck/routedeck/server"
	"github.com/routedeck/routedeck/store"
	"github.com/routedeck/routedeck/stripe"
	"github.com/routedeck/routedeck/webhook"
)

// threeDSServer serves as `routedeck` does: the State raises events and
// routedeck's own endpoints go through it (State.Own).
type threeDSServer struct {
	sc     *stripego.Client
	ts     *httptest.Server
	state  *stripe.State
	mu     sync.Mutex
	events []string
}

func (s *threeDSServer) take() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.events
	s.events = nil
	return out
}

func newThreeDSServer(t *testing.T) *threeDSServer {
	t.Helper()
	cat, err := embeddedCatalog()
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.New(store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := &threeDSServer{}
	rules := stripe.New(cat, embed.Stripe, stripe.Options{Objects: stripe.StoreObjects(st)})
	s.state = stripe.NewState(cat, rules, st, stripe.StateOptions{Events: func(e webhook.Event) {
		s.mu.Lock()
		s.events = append(s.events, e.Type)
		s.mu.Unlock()
	}})
	srv, err := server.New(cat, server.Options{Rules: rules, TestValues: s.state.Payments(), Own: s.state.Own(), Keeper: s.state})
	if err != nil {
		t.Fatal(err)
	}
	s.ts = httptest.NewServer(srv)
	t.Cleanup(func() {
		s.ts.Close()
		srv.Close()
		_ = st.Close()
	})
	s.sc = (&stateServer{ts: s.ts}).client()
	return s
}

func requiresAction(t *testing.T, s *threeDSServer) string {
	t.Helper()
	pi := createIntent(t, s.sc, "pm_card_authenticationRequired", "")
	pi, err := s.sc.V1PaymentIntents.Confirm(context.Background(), pi.ID, nil)
	if err != nil || pi.Status != stripego.PaymentIntentStatusRequiresAction {
		t.Fatalf("confirm: %+v %v", pi, err)
	}
	s.take()
	return pi.ID
}

// Completing or failing 3-D Secure, by routedeck's HTTP endpoint or by
// State.Authenticate (the store pane's keys), raises the events Stripe
// sends when the customer authenticates or fails to.
func TestThreeDSRaisesEvents(t *testing.T) {
	s := newThreeDSServer(t)
	ctx := context.Background()

	id := requiresAction(t, s)
	res, err := s.ts.Client().Post(s.ts.URL+"/_routedeck/payment_intents/"+id+"/3ds/complete", "", nil)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("HTTP complete: %v %v", res, err)
	}
	res.Body.Close()
	if got := s.take(); !slices.Contains(got, "payment_intent.succeeded") || !slices.Contains(got, "charge.succeeded") {
		t.Fatalf("HTTP complete raised %v, want payment_intent.succeeded and charge.succeeded", got)
	}

	id = requiresAction(t, s)
	status, err := s.state.Authenticate(ctx, id, true)
	if err != nil || status != "succeeded" {
		t.Fatalf("Authenticate complete: %q %v", status, err)
	}
	if got := s.take(); !slices.Contains(got, "payment_intent.succeeded") || !slices.Contains(got, "charge.succeeded") {
		t.Fatalf("Authenticate complete raised %v", got)
	}
	if pi, err := s.sc.V1PaymentIntents.Retrieve(ctx, id, nil); err != nil || pi.Status != stripego.PaymentIntentStatusSucceeded || pi.LatestCharge == nil {
		t.Fatalf("after Authenticate: %+v %v", pi, err)
	}
	if _, err := s.state.Authenticate(ctx, id, false); err == nil || !strings.Contains(err.Error(), "status of succeeded") {
		t.Fatalf("failing a succeeded intent: %v", err)
	}
	if got := s.take(); len(got) != 0 {
		t.Fatalf("a refused action raised %v", got)
	}

	id = requiresAction(t, s)
	status, err = s.state.Authenticate(ctx, id, false)
	if err != nil || status != "requires_payment_method" {
		t.Fatalf("Authenticate fail: %q %v", status, err)
	}
	if got := s.take(); !slices.Contains(got, "payment_intent.payment_failed") {
		t.Fatalf("Authenticate fail raised %v, want payment_intent.payment_failed", got)
	}
	if _, err := s.state.Authenticate(ctx, "pi_never", true); err == nil || !strings.Contains(err.Error(), "No such payment_intent: 'pi_never'") {
		t.Fatalf("unknown intent: %v", err)
	}
}
