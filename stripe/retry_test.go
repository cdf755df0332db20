package stripe_test

import (
	"context"
	"net/http"
	"testing"

	stripego "github.com/stripe/stripe-go/v82"

	"github.com/routedeck/routedeck/store"
	"github.com/routedeck/routedeck/stripe"
)

// againStore is a store whose every Update runs its function once more
// than it needs to, first on the object as it is, and drops that result:
// what the store does when another write lands in between (store.Store:
// "fn may run again").
type againStore struct{ store.Store }

func (s againStore) Update(ctx context.Context, id string, fn func(store.Object) (store.Object, error)) (store.Object, error) {
	if cur, err := s.Get(ctx, id); err == nil {
		_, _ = fn(cur)
	}
	return s.Store.Update(ctx, id, fn)
}

// A write the store runs again stores the objects it makes once: a
// confirm (and a 3-D Secure completion) whose update is retried keeps one
// charge, the intent's latest_charge, not one per attempt.
func TestRetriedConfirmStoresOneCharge(t *testing.T) {
	mem, err := store.New(store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sc, ts := statefulServerOn(t, againStore{mem}, false, stripe.StateOptions{})
	ctx := context.Background()
	charges := func(pi string) []string {
		t.Helper()
		var ids []string
		params := &stripego.ChargeListParams{PaymentIntent: stripego.String(pi)}
		for ch, err := range sc.V1Charges.List(ctx, params) {
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, ch.ID)
		}
		return ids
	}

	pi := createIntent(t, sc, "pm_card_visa", "")
	pi, err = sc.V1PaymentIntents.Confirm(ctx, pi.ID, nil)
	if err != nil || pi.Status != stripego.PaymentIntentStatusSucceeded || pi.LatestCharge == nil {
		t.Fatalf("confirm: %+v %v", pi, err)
	}
	if got := charges(pi.ID); len(got) != 1 || got[0] != pi.LatestCharge.ID {
		t.Errorf("charges of a confirmed intent: %v, want only its latest_charge %s", got, pi.LatestCharge.ID)
	}

	declined := createIntent(t, sc, "pm_card_chargeDeclined", "")
	if _, err := sc.V1PaymentIntents.Confirm(ctx, declined.ID, nil); err == nil {
		t.Fatal("a declining card confirmed")
	}
	if got := charges(declined.ID); len(got) != 1 {
		t.Errorf("charges of a declined confirm: %v, want the one failed charge", got)
	}

	threeDS := createIntent(t, sc, "pm_card_authenticationRequired", "")
	if _, err := sc.V1PaymentIntents.Confirm(ctx, threeDS.ID, nil); err != nil {
		t.Fatal(err)
	}
	res, err := ts.Client().Post(ts.URL+"/_routedeck/payment_intents/"+threeDS.ID+"/3ds/complete", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("completing 3-D Secure: %d", res.StatusCode)
	}
	got, err := sc.V1PaymentIntents.Retrieve(ctx, threeDS.ID, nil)
	if err != nil || got.LatestCharge == nil {
		t.Fatalf("after 3-D Secure: %+v %v", got, err)
	}
	if ids := charges(threeDS.ID); len(ids) != 1 || ids[0] != got.LatestCharge.ID {
		t.Errorf("charges after 3-D Secure: %v, want only its latest_charge %s", ids, got.LatestCharge.ID)
	}
}
