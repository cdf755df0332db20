package webhooktest_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"slices"
	"testing"

	stripego "github.com/stripe/stripe-go/v82"

	"github.com/routedeck/routedeck/internal/webhooktest"
	"github.com/routedeck/routedeck/webhook"
)

// A delivery signed with the receiver's secret is accepted and waited
// for; one signed with another secret, or (without anyVersion) of
// another API version than stripe-go's, is rejected with stripe-go's
// reason.
func TestReceiver(t *testing.T) {
	const secret = "whsec_receivertest0123456789"
	deliver := func(rc *webhooktest.Receiver, signWith, version string) {
		t.Helper()
		hs := httptest.NewServer(rc)
		defer hs.Close()
		ev, err := webhook.NewEvent(webhook.EventParams{Type: "customer.created", Object: json.RawMessage(`{"id":"cus_1","object":"customer"}`), APIVersion: version})
		if err != nil {
			t.Fatal(err)
		}
		body, err := json.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		webhook.Deliver(context.Background(), nil, hs.URL, signWith, body, webhook.Timeout)
	}

	rc := webhooktest.New(secret, false)
	deliver(rc, secret, stripego.APIVersion)
	if got := rc.Wait(t, 1); !slices.Equal(got, []string{"customer.created"}) {
		t.Errorf("accepted %v; want [customer.created]", got)
	}
	deliver(rc, "whsec_another", stripego.APIVersion)
	deliver(rc, secret, "2020-08-27")
	if types, rejected := rc.Got(); len(types) != 1 || len(rejected) != 2 {
		t.Errorf("accepted %v, rejected %q; want the two last rejected", types, rejected)
	}

	lenient := webhooktest.New("", true)
	lenient.SetSecret(secret)
	deliver(lenient, secret, "2020-08-27")
	if got := lenient.Wait(t, 1); !slices.Equal(got, []string{"customer.created"}) {
		t.Errorf("with anyVersion, accepted %v; want [customer.created]", got)
	}
}
