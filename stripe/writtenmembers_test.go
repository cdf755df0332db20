package stripe_test

import (
	"context"
	"testing"

	stripego "github.com/stripe/stripe-go/v82"
)

// A confirm reads the intent as the last confirm wrote it without reading
// it again; a write in between by another route (an update of its
// amount, its metadata) is what the next confirm builds on, and what a
// retrieve then shows.
func TestConfirmAfterAnotherWriteSeesIt(t *testing.T) {
	sc, _ := paymentsFlow(t)
	ctx := context.Background()
	pi := createIntent(t, sc, "", "")
	confirm := func() *stripego.PaymentIntent {
		t.Helper()
		got, err := sc.V1PaymentIntents.Confirm(ctx, pi.ID, &stripego.PaymentIntentConfirmParams{PaymentMethod: stripego.String("pm_card_authenticationRequired")})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := confirm(); got.Status != stripego.PaymentIntentStatusRequiresAction {
		t.Fatalf("status %q, want requires_action", got.Status)
	}
	confirm() // confirmable again: this one reads what the first wrote
	up := &stripego.PaymentIntentUpdateParams{Amount: stripego.Int64(3456), Description: stripego.String("changed in between")}
	if _, err := sc.V1PaymentIntents.Update(ctx, pi.ID, up); err != nil {
		t.Fatal(err)
	}
	got := confirm()
	if got.Amount != 3456 || got.Description != "changed in between" || got.Status != stripego.PaymentIntentStatusRequiresAction {
		t.Fatalf("after an update, confirm answered amount %d description %q status %q; want 3456, the update's, requires_action",
			got.Amount, got.Description, got.Status)
	}
	again, err := sc.V1PaymentIntents.Retrieve(ctx, pi.ID, nil)
	if err != nil || again.Amount != 3456 || again.Description != "changed in between" {
		t.Fatalf("retrieved %+v %v, want the update kept", again, err)
	}
}
