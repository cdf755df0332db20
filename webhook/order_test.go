package webhook_test

import (
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	stripewebhook "github.com/stripe/stripe-go/v82/webhook"

	"github.com/routedeck/routedeck/webhook"
)

// orderReceiver is an app's webhook handler that verifies each delivery
// with stripe-go's webhook.ConstructEvent and notes the event ids in the
// order they arrived. fail says, per event id and attempt, whether to
// answer 500 instead.
type orderReceiver struct {
	mu       sync.Mutex
	secret   string
	ids      []string
	rejected []error
	inFlight int
	overlap  bool
	tries    map[string]int
	fail     func(id string, try int) bool
	jitter   bool
}

func (r *orderReceiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	r.inFlight++
	if r.inFlight > 1 {
		r.overlap = true
	}
	r.mu.Unlock()
	if r.jitter {
		// Some answers are slower, as an app's are: without one lane per
		// endpoint, a later event overtakes an earlier one.
		time.Sleep(time.Duration(rand.IntN(300)) * time.Microsecond)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.inFlight--
	ev, err := stripewebhook.ConstructEvent(body, req.Header.Get("Stripe-Signature"), r.secret)
	if err != nil {
		r.rejected = append(r.rejected, err)
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	if r.tries == nil {
		r.tries = map[string]int{}
	}
	r.tries[ev.ID]++
	if r.fail != nil && r.fail(ev.ID, r.tries[ev.ID]) {
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	r.ids = append(r.ids, ev.ID)
}

func (r *orderReceiver) got() ([]string, []error, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.ids), slices.Clone(r.rejected), r.overlap
}

// start serves r and registers it with reg for every event.
func (r *orderReceiver) start(t *testing.T, reg *webhook.Registry) {
	t.Helper()
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	ep, err := reg.Add(webhook.EndpointParams{URL: srv.URL + "/webhook"})
	if err != nil {
		t.Fatal(err)
	}
	r.mu.Lock()
	r.secret = ep.Secret
	r.mu.Unlock()
}

// Each endpoint gets its events in the order they were sent, one at a
// time, while several endpoints are served at once by the workers.
// Run it with -race -count=20 to see the order hold.
func TestOrderPerEndpoint(t *testing.T) {
	reg := webhook.NewRegistry()
	rcs := make([]*orderReceiver, 3)
	for i := range rcs {
		rcs[i] = &orderReceiver{jitter: true}
		rcs[i].start(t, reg)
	}
	s := webhook.NewSender(reg, webhook.Options{Workers: 4})
	defer s.Close()
	const n = 60
	types := []string{"payment_intent.created", "charge.succeeded", "payment_intent.succeeded"}
	var sent []string
	for i := range n {
		e := event(t, types[i%len(types)])
		sent = append(sent, e.ID)
		if q, d := s.Send(e); q != len(rcs) || d != 0 {
			t.Fatalf("Send: queued %d, dropped %d; want %d, 0", q, d, len(rcs))
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for i, rc := range rcs {
		for {
			ids, rejected, overlap := rc.got()
			if len(rejected) > 0 {
				t.Fatalf("endpoint %d: ConstructEvent rejected %v", i, rejected)
			}
			if overlap {
				t.Fatalf("endpoint %d: two deliveries were in flight at once", i)
			}
			if len(ids) == n {
				if !slices.Equal(ids, sent) {
					t.Fatalf("endpoint %d got the events out of order:\n got %v\nwant %v", i, ids, sent)
				}
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("endpoint %d: %d of %d events after 10 s", i, len(ids), n)
			}
			time.Sleep(2 * time.Millisecond)
		}
	}
	// The receivers have every event; the sender counts each once it has
	// read the answer.
	for st := s.Stats(); st.Delivered != n*int64(len(rcs)) || st.Dropped != 0 || st.InQueue != 0; st = s.Stats() {
		if time.Now().After(deadline) || st.Dropped != 0 {
			t.Fatalf("stats %+v; want %d delivered, nothing dropped or held", st, n*len(rcs))
		}
		time.Sleep(time.Millisecond)
	}
}

// A failing delivery goes to its retry schedule and does not hold up the
// endpoint's later events: they arrive at once, the retried event after
// them, when its retry is due.
func TestFailedDeliveryDoesNotBlockTheLane(t *testing.T) {
	reg := webhook.NewRegistry()
	var first string
	rc := &orderReceiver{fail: func(id string, try int) bool { return id == first && try == 1 }}
	rc.start(t, reg)
	s := webhook.NewSender(reg, webhook.Options{Retries: []time.Duration{time.Second}})
	defer s.Close()
	var sent []string
	for i := range 5 {
		e := event(t, "customer.updated")
		if i == 0 {
			first = e.ID
		}
		sent = append(sent, e.ID)
		s.Send(e)
	}
	start := time.Now()
	for {
		ids, rejected, _ := rc.got()
		if len(rejected) > 0 {
			t.Fatalf("ConstructEvent rejected %v", rejected)
		}
		if len(ids) == 4 {
			if elapsed := time.Since(start); elapsed > 900*time.Millisecond {
				t.Fatalf("the later events took %v: the failed one held up the lane", elapsed)
			}
			if !slices.Equal(ids, sent[1:]) {
				t.Fatalf("later events %v; want %v", ids, sent[1:])
			}
			break
		}
		if time.Since(start) > 5*time.Second {
			t.Fatalf("%d of 4 later events after 5 s", len(ids))
		}
		time.Sleep(2 * time.Millisecond)
	}
	for {
		ids, _, _ := rc.got()
		if len(ids) == 5 {
			if ids[4] != first {
				t.Fatalf("last delivered %s; want the retried %s", ids[4], first)
			}
			if time.Since(start) < 900*time.Millisecond {
				t.Fatalf("the retry came after %v; the schedule says 1 s", time.Since(start))
			}
			break
		}
		if time.Since(start) > 5*time.Second {
			t.Fatalf("the retry never came: %d delivered", len(ids))
		}
		time.Sleep(5 * time.Millisecond)
	}
}
