//go:build unix

package main

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/routedeck/routedeck/internal/webhooktest"
)

// serve --webhook URL --webhook-secret: the store's events reach URL,
// signed with the secret.
func TestServeWebhookFlag(t *testing.T) {
	rc := webhooktest.New("whsec_e2etestsecret0123456789", true)
	hs := httptest.NewServer(rc)
	defer hs.Close()
	cmd, url, _ := startServe(t, "--quiet", "--webhook", hs.URL+"/hook", "--webhook-secret", rc.Secret())
	if code, body := post(t, url+"/v1/customers", "email=ada@example.com"); code != 200 {
		t.Fatalf("create: %d %s", code, body)
	}
	if got := rc.Wait(t, 1); len(got) != 1 || got[0] != "customer.created" {
		t.Fatalf("delivered %v; want [customer.created]", got)
	}
	stopServe(t, cmd.Process.Pid, cmd.Wait)
}

// Without --webhook-secret, serve makes a secret and prints it; the
// deliveries verify with it.
func TestServeWebhookSecretGenerated(t *testing.T) {
	rc := webhooktest.New("", true)
	hs := httptest.NewServer(rc)
	defer hs.Close()
	f, err := os.Create(filepath.Join(t.TempDir(), "stderr"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, url, _ := startServeStderr(t, f, "--quiet", "--webhook", hs.URL+"/hook")
	printed, _ := os.ReadFile(f.Name())
	secret := regexp.MustCompile(`whsec_[A-Za-z0-9]+`).FindString(string(printed))
	if secret == "" || !strings.Contains(string(printed), hs.URL+"/hook") {
		t.Fatalf("stderr %q: want the endpoint and its generated secret", printed)
	}
	rc.SetSecret(secret)
	if code, body := post(t, url+"/v1/products", "name=Tea"); code != 200 {
		t.Fatalf("create: %d %s", code, body)
	}
	if got := rc.Wait(t, 1); len(got) != 1 || got[0] != "product.created" {
		t.Fatalf("delivered %v; want [product.created]", got)
	}
}

func TestServeWebhookFlagErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--webhook", "ftp://x"}, `--webhook ftp://x: webhook endpoint url "ftp://x"`},
		{[]string{"--webhook", "http://127.0.0.1:9/", "--webhook-secret", "sk_test_1"}, "--webhook-secret: want a secret that starts with whsec_"},
		{[]string{"--webhook-secret", "whsec_abc"}, "--webhook-secret: give the endpoint too"},
	} {
		out, err := exec_(t, append([]string{"serve", "--port", "0"}, tc.args...)...)
		if err == nil || !strings.Contains(out, tc.want) {
			t.Errorf("serve %v: %v %q; want an error with %q", tc.args, err, out, tc.want)
		}
	}
}

// In a real terminal: w opens the events pane, n the type picker; typing
// narrows it and enter raises the event, which reaches the --webhook
// endpoint signed, and the pane and status line show it.
func TestTUIEventsPaneNewEvent(t *testing.T) {
	rc := webhooktest.New("whsec_e2etestsecret0123456789", true)
	hs := httptest.NewServer(rc)
	defer hs.Close()
	s, _ := startTUI(t, 130, 30, "--webhook", hs.URL+"/hook", "--webhook-secret", rc.Secret())
	s.keys("w")
	s.waitFor("Webhook events: 0", "n new event")
	s.keys("n")
	s.waitFor("type: ", "types")
	s.typeText("charge.refun")
	s.waitFor("> charge.refunded", "1 of ")
	s.keys("Enter")
	s.waitFor("raised charge.refunded evt_", "Webhook events: 1")
	if got := rc.Wait(t, 1); len(got) != 1 || got[0] != "charge.refunded" {
		t.Fatalf("delivered %v; want [charge.refunded]", got)
	}
	s.waitFor("charge.refunded", "delivered (1 attempts)")
}
