package webhook_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/routedeck/routedeck/webhook"
)

// A registry of endpoints, a sender for them, and one event: Send returns
// at once; the result arrives on the subscription.
func ExampleSender() {
	handler := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A real handler checks r.Header.Get("Stripe-Signature") with the
		// endpoint's secret (stripe-go: webhook.ConstructEvent).
		w.WriteHeader(http.StatusOK)
	}))
	defer handler.Close()

	reg := webhook.NewRegistry()
	ep, _ := reg.Add(webhook.EndpointParams{URL: handler.URL, EnabledEvents: []string{"customer.created"}})
	s := webhook.NewSender(reg, webhook.Options{})
	defer s.Close()
	results, stop := s.Subscribe(10)
	defer stop()

	e, _ := webhook.NewEvent(webhook.EventParams{
		Type:       "customer.created",
		Object:     []byte(`{"id":"cus_123","object":"customer"}`),
		APIVersion: "2025-08-27.basil",
	})
	queued, dropped := s.Send(e)
	fmt.Println("queued", queued, "dropped", dropped)
	r := <-results
	fmt.Println(r.State, r.Attempt.Status, r.EndpointID == ep.ID)
	// Output:
	// queued 1 dropped 0
	// delivered 200 true
}
