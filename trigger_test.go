package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	stripego "github.com/stripe/stripe-go/v82"
	stripewebhook "github.com/stripe/stripe-go/v82/webhook"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/embed"
)

// handler is a stripe-go webhook handler; it records what it read.
type handler struct {
	secret string
	opts   stripewebhook.ConstructEventOptions
	events []stripego.Event
	bodies [][]byte
	sigs   []string
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	h.bodies = append(h.bodies, body)
	h.sigs = append(h.sigs, r.Header.Get("Stripe-Signature"))
	ev, err := stripewebhook.ConstructEventWithOptions(body, r.Header.Get("Stripe-Signature"), h.secret, h.opts)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	h.events = append(h.events, ev)
}

const testSecret = "whsec_0123456789abcdefghijklmnopqrstuv"

func TestTriggerDeliversToStripeGo(t *testing.T) {
	h := &handler{secret: testSecret}
	srv := httptest.NewServer(h)
	defer srv.Close()
	code, out, errOut := runCmd(t, "trigger", "payment_intent.succeeded", "--to", srv.URL+"/webhook", "--secret", testSecret, "--api-version", stripego.APIVersion)
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if len(h.events) != 1 {
		t.Fatalf("handler accepted %d events; want 1", len(h.events))
	}
	ev := h.events[0]
	if ev.Type != "payment_intent.succeeded" || ev.APIVersion != stripego.APIVersion || ev.Data.Object["status"] != "succeeded" || ev.Data.Object["object"] != "payment_intent" {
		t.Errorf("event %s %s, object %v %v", ev.Type, ev.APIVersion, ev.Data.Object["object"], ev.Data.Object["status"])
	}
	if !regexp.MustCompile(`^delivered payment_intent.succeeded evt_\w{24} to http://127.0.0.1:\d+/webhook: 200 in \S+\n$`).MatchString(out) {
		t.Errorf("stdout %q", out)
	}
}

// Without --api-version the event carries the catalog's version, which a
// stripe-go v82 handler refuses by default: trigger fails and says what
// to pass. A handler that ignores the version accepts it.
func TestTriggerAPIVersion(t *testing.T) {
	cat, err := catalog.Load(embed.Catalog, catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	strict := &handler{secret: testSecret}
	srv := httptest.NewServer(strict)
	defer srv.Close()
	code, _, errOut := runCmd(t, "trigger", "customer.created", "--to", srv.URL, "--secret", testSecret)
	if code != 1 || !strings.Contains(errOut, "answered 400 Bad Request") || !strings.Contains(errOut, "--api-version") || strings.Count(errOut, "\n") != 1 {
		t.Errorf("exit %d, stderr %q; want 1 and one line naming --api-version", code, errOut)
	}
	lenient := &handler{secret: testSecret, opts: stripewebhook.ConstructEventOptions{IgnoreAPIVersionMismatch: true}}
	srv2 := httptest.NewServer(lenient)
	defer srv2.Close()
	if code, _, errOut := runCmd(t, "trigger", "customer.created", "--to", srv2.URL, "--secret", testSecret); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if v := lenient.events[0].APIVersion; v != cat.Version || v == "" {
		t.Errorf("api_version %q; want the catalog's %q", v, cat.Version)
	}
}

// Without --secret, trigger prints the secret it signed with.
func TestTriggerGeneratesSecret(t *testing.T) {
	h := &handler{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		h.bodies = append(h.bodies, body)
		h.sigs = append(h.sigs, r.Header.Get("Stripe-Signature"))
	}))
	defer srv.Close()
	code, out, errOut := runCmd(t, "trigger", "invoice.paid", "--to", srv.URL)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	m := regexp.MustCompile(`(?m)^secret (whsec_\w{32}) `).FindStringSubmatch(out)
	if m == nil || len(h.bodies) != 1 {
		t.Fatalf("stdout %q, %d deliveries", out, len(h.bodies))
	}
	if err := stripewebhook.ValidatePayload(h.bodies[0], h.sigs[0], m[1]); err != nil {
		t.Errorf("the printed secret does not verify the delivery: %v", err)
	}
}

func TestTriggerErrors(t *testing.T) {
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no handler here\x1b[31m", http.StatusNotFound)
	}))
	defer failing.Close()
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL
	dead.Close()
	cases := []struct {
		args       []string
		code       int
		want       string
		notWant    string
		helpForCmd bool
	}{
		{[]string{"customer.created", "--to", failing.URL}, 1, "answered 404 Not Found: no handler here\\x1b[31m", "\x1b", false},
		{[]string{"customer.created", "--to", deadURL}, 1, "not delivered to " + deadURL, "", false},
		{[]string{"payment_intent.succeded", "--to", failing.URL}, 2, `unknown event type "payment_intent.succeded" (did you mean payment_intent.succeeded?)`, "", true},
		{[]string{"--to", failing.URL}, 2, "want an event type", "", true},
		{[]string{"customer.created"}, 2, "--to URL is required", "", true},
		{[]string{"customer.created", "--to", "localhost:4242"}, 2, `--to "localhost:4242": want an absolute http or https URL`, "", true},
		{[]string{"customer.created", "--to", failing.URL, "--secret", "sk_test_123"}, 2, "--secret: want the endpoint's signing secret", "sk_test_123", true},
		{[]string{"customer.created", "--to", failing.URL, "--bogus"}, 2, "unknown flag --bogus", "", true},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			code, _, errOut := runCmd(t, append([]string{"trigger"}, c.args...)...)
			if code != c.code || !strings.Contains(errOut, c.want) || (c.notWant != "" && strings.Contains(errOut, c.notWant)) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errOut, c.code, c.want)
			}
			if c.helpForCmd && !strings.Contains(errOut, "routedeck trigger --help") {
				t.Errorf("stderr %q does not point to trigger's help", errOut)
			}
		})
	}
}

func TestTriggerHelp(t *testing.T) {
	code, out, _ := runCmd(t, "trigger", "--help")
	if code != 0 || !strings.Contains(out, "routedeck trigger TYPE --to URL") || !strings.Contains(out, "checkout.session.completed") {
		t.Errorf("exit %d, stdout %q", code, out)
	}
	if _, out, _ := runCmd(t, "--help"); !strings.Contains(out, "routedeck trigger TYPE") {
		t.Errorf("routedeck --help does not list trigger")
	}
}
