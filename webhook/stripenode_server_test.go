//go:build unix

package webhook_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	stripego "github.com/stripe/stripe-go/v82"

	"github.com/routedeck/routedeck/webhook"
)

// delivery is one request the server sent to an endpoint, as it arrived.
type delivery struct {
	body      []byte
	signature string
}

// recorder is an endpoint that keeps every delivery's raw body and
// Stripe-Signature header and answers 200.
type recorder struct {
	mu  sync.Mutex
	got []delivery
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	r.got = append(r.got, delivery{body, req.Header.Get("Stripe-Signature")})
	r.mu.Unlock()
}

func (r *recorder) wait(t *testing.T, n int) []delivery {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		r.mu.Lock()
		got := slices.Clone(r.got)
		r.mu.Unlock()
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d deliveries after 5 s", len(got), n)
		}
	}
}

// replay posts a recorded delivery to a stripe-node receiver and returns
// its status and answer.
func replay(t *testing.T, url string, body []byte, signature string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Stripe-Signature", signature)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(msg)
}

// The server's own deliveries, from a real flow (a customer, a
// PaymentIntent confirmed with pm_card_visa, one declined with
// pm_card_chargeDeclined), pass stripe-node's
// stripe.webhooks.constructEvent with its default tolerance, byte for
// byte as they were sent; a tampered body and a handler holding another
// secret are refused.
func TestStripeNodeChecksServerDeliveries(t *testing.T) {
	secret := webhook.NewSecret()
	nodeURL := nodeReceiver(t, secret)
	wrongURL := nodeReceiver(t, webhook.NewSecret())
	rc := &recorder{}
	hs := httptest.NewServer(rc)
	defer hs.Close()
	reg := webhook.NewRegistry()
	if _, err := reg.Add(webhook.EndpointParams{URL: hs.URL + "/webhook", Secret: secret}); err != nil {
		t.Fatal(err)
	}
	base, _ := servedStripe(t, reg, webhook.Options{})
	backend := stripego.GetBackendWithConfig(stripego.APIBackend, &stripego.BackendConfig{
		URL: stripego.String(base), MaxNetworkRetries: stripego.Int64(0),
		LeveledLogger: &stripego.LeveledLogger{Level: stripego.LevelNull},
	})
	sc := stripego.NewClient("sk_test_123", stripego.WithBackends(&stripego.Backends{API: backend, Connect: backend, Uploads: backend, MeterEvents: backend}))
	ctx := context.Background()
	c, err := sc.V1Customers.Create(ctx, &stripego.CustomerCreateParams{Email: stripego.String("ada@example.com")})
	if err != nil {
		t.Fatal(err)
	}
	for _, pm := range []string{"pm_card_visa", "pm_card_chargeDeclined"} {
		pi, err := sc.V1PaymentIntents.Create(ctx, &stripego.PaymentIntentCreateParams{Amount: stripego.Int64(2000), Currency: stripego.String("usd"),
			Customer: stripego.String(c.ID), PaymentMethod: stripego.String(pm)})
		if err != nil {
			t.Fatal(err)
		}
		_, err = sc.V1PaymentIntents.Confirm(ctx, pi.ID, nil)
		if (err != nil) != (pm == "pm_card_chargeDeclined") {
			t.Fatalf("confirm with %s: %v", pm, err)
		}
	}
	want := []string{"customer.created",
		"payment_intent.created", "charge.succeeded", "payment_intent.succeeded",
		"payment_intent.created", "charge.failed", "payment_intent.payment_failed"}
	got := rc.wait(t, len(want))
	var types []string
	for _, d := range got {
		code, answer := replay(t, nodeURL, d.body, d.signature)
		if code != http.StatusOK {
			t.Fatalf("stripe-node refused the server's delivery: %d %s\nbody %s\nStripe-Signature %s", code, answer, d.body, d.signature)
		}
		var ev struct{ ID, Type string }
		if err := json.Unmarshal([]byte(answer), &ev); err != nil || !strings.HasPrefix(ev.ID, "evt_") {
			t.Fatalf("stripe-node answered %q", answer)
		}
		types = append(types, ev.Type)
	}
	if !slices.Equal(types, want) {
		t.Fatalf("stripe-node read %v; want %v", types, want)
	}

	d := got[len(got)-1]
	tampered := strings.Replace(string(d.body), `"requires_payment_method"`, `"succeeded"`, 1)
	if tampered == string(d.body) {
		t.Fatalf("payment_intent.payment_failed has no requires_payment_method status: %s", d.body)
	}
	if code, answer := replay(t, nodeURL, []byte(tampered), d.signature); code != http.StatusBadRequest || !strings.Contains(answer, "error") {
		t.Errorf("tampered body: stripe-node answered %d %s; want 400 and its error", code, answer)
	}
	if code, answer := replay(t, wrongURL, d.body, d.signature); code != http.StatusBadRequest || !strings.Contains(answer, "error") {
		t.Errorf("a handler with another secret: stripe-node answered %d %s; want 400 and its error", code, answer)
	}
}
