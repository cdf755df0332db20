// Package webhooktest is a webhook endpoint for tests, written as an app
// writes one: each delivery is checked with stripe-go's
// webhook.ConstructEvent, and a test waits for the events it accepted.
package webhooktest

import (
	"io"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	stripewebhook "github.com/stripe/stripe-go/v82/webhook"
)

// Receiver is an http.Handler that accepts the deliveries signed with its
// secret, keeping the types of their events in the order they came, and
// answers 400 to the others, keeping why. Safe for concurrent use.
type Receiver struct {
	anyVersion bool

	mu       sync.Mutex
	secret   string
	types    []string
	rejected []string
	// changed is closed, and replaced, when a delivery comes.
	changed chan struct{}
}

// New returns a Receiver for the whsec_ secret ("" until SetSecret).
// With anyVersion it accepts events of any API version; without it,
// stripe-go refuses those whose version is not its own, as an app built
// on stripe-go does by default.
func New(secret string, anyVersion bool) *Receiver {
	return &Receiver{secret: secret, anyVersion: anyVersion, changed: make(chan struct{})}
}

// SetSecret sets the secret the next deliveries are checked with (one
// the server made, once it is known).
func (r *Receiver) SetSecret(secret string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.secret = secret
}

// Secret is the secret deliveries are checked with.
func (r *Receiver) Secret() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.secret
}

func (r *Receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	defer func() {
		close(r.changed)
		r.changed = make(chan struct{})
	}()
	ev, err := stripewebhook.ConstructEventWithOptions(body, req.Header.Get("Stripe-Signature"), r.secret,
		stripewebhook.ConstructEventOptions{IgnoreAPIVersionMismatch: r.anyVersion})
	if err != nil {
		r.rejected = append(r.rejected, err.Error())
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	r.types = append(r.types, string(ev.Type))
}

// Got returns the types of the events accepted so far and why the
// deliveries rejected were.
func (r *Receiver) Got() (types, rejected []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.types), slices.Clone(r.rejected)
}

// Timeout is how long Wait waits: long, since it ends as soon as the
// events are in, and a loaded machine may be slow to send them.
const Timeout = 20 * time.Second

// Wait waits until n events were accepted, or Timeout passed, and returns
// the types of those accepted (fewer than n after the timeout). A
// rejected delivery fails the test at once.
func (r *Receiver) Wait(t testing.TB, n int) []string {
	t.Helper()
	deadline := time.NewTimer(Timeout)
	defer deadline.Stop()
	for {
		r.mu.Lock()
		got, rejected, changed := slices.Clone(r.types), slices.Clone(r.rejected), r.changed
		r.mu.Unlock()
		if len(rejected) > 0 {
			t.Fatalf("deliveries rejected by webhook.ConstructEvent: %v", rejected)
		}
		if len(got) >= n {
			return got
		}
		select {
		case <-changed:
		case <-deadline.C:
			return got
		}
	}
}
