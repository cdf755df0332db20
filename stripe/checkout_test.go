package stripe_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	stripego "github.com/stripe/stripe-go/v82"
)

func openSession(t *testing.T, sc *stripego.Client, price string) *stripego.CheckoutSession {
	t.Helper()
	s, err := sc.V1CheckoutSessions.Create(context.Background(), &stripego.CheckoutSessionCreateParams{Mode: stripego.String("payment"),
		SuccessURL: stripego.String("https://example.com/ok"),
		LineItems:  []*stripego.CheckoutSessionCreateLineItemParams{{Price: stripego.String(price), Quantity: stripego.Int64(3)}}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// open → expire (expiring again refused); open → complete by routedeck's
// own call (then it cannot expire).
func TestFlowCheckoutSession(t *testing.T) {
	sc, ts := paymentsFlow(t)
	ctx := context.Background()
	price := monthlyPrice(t, sc, 700)
	s := openSession(t, sc, price.ID)
	if s.Status != stripego.CheckoutSessionStatusOpen || s.PaymentStatus != stripego.CheckoutSessionPaymentStatusUnpaid || s.AmountTotal != 2100 ||
		s.ExpiresAt < time.Now().Add(23*time.Hour).Unix() {
		t.Fatalf("created %s/%s total %d expires %d, want open, unpaid, 3 × 700, in a day", s.Status, s.PaymentStatus, s.AmountTotal, s.ExpiresAt)
	}
	s, err := sc.V1CheckoutSessions.Expire(ctx, s.ID, nil)
	if err != nil || s.Status != stripego.CheckoutSessionStatusExpired {
		t.Fatalf("expire: %+v %v", s, err)
	}
	if got, err := sc.V1CheckoutSessions.Retrieve(ctx, s.ID, nil); err != nil || got.Status != stripego.CheckoutSessionStatusExpired {
		t.Fatalf("stored after expire: %+v %v", got, err)
	}
	_, err = sc.V1CheckoutSessions.Expire(ctx, s.ID, nil)
	if se := stripeErrorOf(t, err); se.HTTPStatusCode != http.StatusBadRequest {
		t.Fatalf("expiring an expired session: %+v", se)
	}

	other := openSession(t, sc, price.ID)
	complete := func(id string) (int, map[string]any) {
		res, err := ts.Client().Post(ts.URL+"/_routedeck/checkout/sessions/"+id+"/complete", "", nil)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var body map[string]any
		if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
			t.Fatal(err)
		}
		return res.StatusCode, body
	}
	if code, body := complete(other.ID); code != 200 || body["status"] != "complete" || body["payment_status"] != "paid" {
		t.Fatalf("complete: %d %v", code, body)
	}
	if code, _ := complete(other.ID); code != http.StatusBadRequest {
		t.Fatalf("completing a complete session: %d, want 400", code)
	}
	if code, _ := complete("cs_test_missing"); code != http.StatusNotFound {
		t.Fatalf("completing an unknown session: %d, want 404", code)
	}
	_, err = sc.V1CheckoutSessions.Expire(ctx, other.ID, nil)
	if se := stripeErrorOf(t, err); se.HTTPStatusCode != http.StatusBadRequest {
		t.Fatalf("expiring a complete session: %+v", se)
	}
}
