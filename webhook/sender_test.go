package webhook_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/routedeck/routedeck/webhook"
)

// deadURL is an address nothing listens on.
func deadURL(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr + "/webhook"
}

func event(t testing.TB, typ string) webhook.Event {
	t.Helper()
	e, err := webhook.NewEvent(webhook.EventParams{Type: typ, Object: []byte(`{"id":"cus_1","object":"customer"}`), APIVersion: "2025-08-27.basil"})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// waitFinal reads results until n deliveries have ended (delivered,
// failed, dropped or canceled) and returns every result read.
func waitFinal(t *testing.T, results <-chan webhook.Result, n int) []webhook.Result {
	t.Helper()
	var all []webhook.Result
	timeout := time.After(20 * time.Second)
	for done := 0; done < n; {
		select {
		case r := <-results:
			all = append(all, r)
			if r.State != webhook.Pending && r.State != webhook.Retrying {
				done++
			}
		case <-timeout:
			t.Fatalf("only %d of %d deliveries ended; results: %+v", len(all), n, all)
		}
	}
	return all
}

// A dead endpoint gets the first attempt and one per retry, spaced as the
// schedule says, and then the delivery has failed; nothing below the queue
// bound is dropped. Attempts due within Unreachable of a failed connection
// are logged but not sent: 50 events cost a few connection tries, not 200.
func TestDeadEndpointRetriesOnSchedule(t *testing.T) {
	t.Run("every attempt sent", func(t *testing.T) { testDeadEndpoint(t, -1) })
	t.Run("unreachable endpoint skipped", func(t *testing.T) { testDeadEndpoint(t, 0) })
}

func testDeadEndpoint(t *testing.T, unreachable time.Duration) {
	reg := webhook.NewRegistry()
	ep, err := reg.Add(webhook.EndpointParams{URL: deadURL(t)})
	if err != nil {
		t.Fatal(err)
	}
	schedule := []time.Duration{20 * time.Millisecond, 40 * time.Millisecond, 80 * time.Millisecond}
	s := webhook.NewSender(reg, webhook.Options{Retries: schedule, QueueSize: 50, Workers: 2, Unreachable: unreachable})
	defer s.Close()
	results, cancel := s.Subscribe(1000)
	defer cancel()
	const n = 50 // exactly the bound
	for i := range n {
		if q, d := s.Send(event(t, "customer.created")); q != 1 || d != 0 {
			t.Fatalf("event %d: queued %d, dropped %d", i, q, d)
		}
	}
	all := waitFinal(t, results, n)
	retrying := 0
	for _, r := range all {
		if r.State == webhook.Retrying {
			retrying++
		}
		if r.State == webhook.Dropped {
			t.Errorf("dropped a delivery below the bound")
		}
	}
	if retrying != n*len(schedule) {
		t.Errorf("%d retrying results; want %d", retrying, n*len(schedule))
	}
	st := s.Stats()
	if st.Failed != n || st.Dropped != 0 || st.Delivered != 0 || st.Attempts+st.Skipped != int64(n*(len(schedule)+1)) || st.InQueue != 0 {
		t.Errorf("stats %+v", st)
	}
	if unreachable < 0 && st.Skipped != 0 {
		t.Errorf("%d attempts skipped with Unreachable < 0", st.Skipped)
	}
	// The test runs well under a second (DefaultUnreachable): the first
	// refused connection of each worker, and perhaps a few more when the
	// machine is slow, are all that should be sent.
	if unreachable == 0 && st.Attempts > 10 {
		t.Errorf("%d connection tries to a dead endpoint for %d events; want a few", st.Attempts, n)
	}
	log := s.Log()
	if len(log) != n {
		t.Fatalf("log has %d events; want %d", len(log), n)
	}
	for _, rec := range log {
		d := rec.Deliveries[0]
		if d.State != webhook.Failed || d.EndpointID != ep.ID || len(d.Attempts) != len(schedule)+1 {
			t.Fatalf("delivery %+v", d)
		}
		for i, a := range d.Attempts {
			if a.Status != 0 || a.Error == "" {
				t.Errorf("attempt %d: status %d, error %q; want no answer and a reason", i, a.Status, a.Error)
			}
			if a.Skipped != strings.HasPrefix(a.Error, "not sent: the endpoint could not be reached") {
				t.Errorf("attempt %d: skipped %v, error %q", i, a.Skipped, a.Error)
			}
			if i > 0 {
				if gap := a.Time.Sub(d.Attempts[i-1].Time); gap < schedule[i-1] {
					t.Errorf("attempt %d came %v after the one before; the schedule says %v", i+1, gap, schedule[i-1])
				}
			}
		}
	}
}

// Past the bound, deliveries are dropped, counted, reported to
// subscribers and shown in the log; the ones held are delivered.
func TestQueueBoundDropsAreCounted(t *testing.T) {
	release := make(chan struct{})
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-release
		hits.Add(1)
	}))
	defer srv.Close()
	reg := webhook.NewRegistry()
	if _, err := reg.Add(webhook.EndpointParams{URL: srv.URL}); err != nil {
		t.Fatal(err)
	}
	s := webhook.NewSender(reg, webhook.Options{QueueSize: 3, Workers: 1})
	defer s.Close()
	results, cancel := s.Subscribe(100)
	defer cancel()
	queued, dropped := 0, 0
	for range 10 {
		q, d := s.Send(event(t, "customer.created"))
		queued += q
		dropped += d
	}
	if queued != 3 || dropped != 7 {
		t.Fatalf("queued %d, dropped %d; want 3, 7", queued, dropped)
	}
	if st := s.Stats(); st.Dropped != 7 || st.InQueue != 3 {
		t.Errorf("stats %+v; want 7 dropped, 3 in queue", st)
	}
	close(release)
	all := waitFinal(t, results, 10)
	count := map[webhook.State]int{}
	for _, r := range all {
		count[r.State]++
	}
	if count[webhook.Dropped] != 7 || count[webhook.Delivered] != 3 {
		t.Errorf("results by state %v; want 7 dropped, 3 delivered", count)
	}
	if hits.Load() != 3 {
		t.Errorf("endpoint got %d deliveries; want 3", hits.Load())
	}
	states := map[webhook.State]int{}
	for _, rec := range s.Log() {
		states[rec.Deliveries[0].State]++
	}
	if states[webhook.Dropped] != 7 || states[webhook.Delivered] != 3 {
		t.Errorf("log states %v", states)
	}
}

// An endpoint that fails twice and then answers 200 ends delivered after
// three attempts; what it answered is kept, clipped.
func TestRetryThenDelivered(t *testing.T) {
	var calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= 2 {
			w.WriteHeader(http.StatusInternalServerError)
			io.WriteString(w, strings.Repeat("x", 10000))
			return
		}
		io.WriteString(w, "ok")
	}))
	defer srv.Close()
	reg := webhook.NewRegistry()
	reg.Add(webhook.EndpointParams{URL: srv.URL})
	s := webhook.NewSender(reg, webhook.Options{Retries: []time.Duration{time.Millisecond, time.Millisecond, time.Millisecond}})
	defer s.Close()
	results, cancel := s.Subscribe(10)
	defer cancel()
	e := event(t, "customer.created")
	s.Send(e)
	all := waitFinal(t, results, 1)
	if len(all) != 3 || all[2].State != webhook.Delivered || all[2].Number != 3 {
		t.Fatalf("results %+v; want retrying, retrying, delivered at attempt 3", all)
	}
	rec, ok := s.Lookup(e.ID)
	if !ok {
		t.Fatal("event not in the log")
	}
	a := rec.Deliveries[0].Attempts
	if len(a) != 3 || a[0].Status != 500 || len(a[0].Response) != webhook.ResponseLimit || a[2].Status != 200 || a[2].Response != "ok" {
		t.Errorf("attempts: %d; first %d (%d bytes kept), last %d %q", len(a), a[0].Status, len(a[0].Response), a[2].Status, a[2].Response)
	}
	if !strings.Contains(string(rec.Payload), `"id":"`+e.ID+`"`) || !strings.Contains(string(rec.Payload), `"pending_webhooks":1`) {
		t.Errorf("payload %s", rec.Payload)
	}
}

// Redeliver sends a logged event once more; an unknown id is an error.
func TestRedeliver(t *testing.T) {
	var bodies []string
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		mu.Unlock()
	}))
	defer srv.Close()
	reg := webhook.NewRegistry()
	reg.Add(webhook.EndpointParams{URL: srv.URL})
	s := webhook.NewSender(reg, webhook.Options{})
	defer s.Close()
	results, cancel := s.Subscribe(10)
	defer cancel()
	e := event(t, "customer.created")
	s.Send(e)
	waitFinal(t, results, 1)
	if n, err := s.Redeliver(e.ID); n != 1 || err != nil {
		t.Fatalf("Redeliver: %d, %v", n, err)
	}
	r := waitFinal(t, results, 1)[0]
	if r.State != webhook.Delivered || r.Number != 2 {
		t.Errorf("redelivery result %+v; want delivered, attempt 2", r)
	}
	mu.Lock()
	if len(bodies) != 2 || bodies[0] != bodies[1] {
		t.Errorf("endpoint got %d bodies; want the same body twice", len(bodies))
	}
	mu.Unlock()
	if _, err := s.Redeliver("evt_nope"); err == nil || !strings.Contains(err.Error(), "evt_nope") {
		t.Errorf("Redeliver of an unknown event: %v", err)
	}
}

// Only enabled endpoints that listen for the type get the event; an
// endpoint disabled before its retry is not tried again.
func TestEndpointsChooseEvents(t *testing.T) {
	hits := map[string]*atomic.Int64{}
	mk := func(name string, status int) string {
		hits[name] = &atomic.Int64{}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hits[name].Add(1)
			w.WriteHeader(status)
		}))
		t.Cleanup(srv.Close)
		return srv.URL
	}
	reg := webhook.NewRegistry()
	reg.Add(webhook.EndpointParams{URL: mk("all", 200)})
	reg.Add(webhook.EndpointParams{URL: mk("pi", 200), EnabledEvents: []string{"payment_intent.succeeded"}})
	reg.Add(webhook.EndpointParams{URL: mk("off", 200), Disabled: true})
	flaky, _ := reg.Add(webhook.EndpointParams{URL: mk("flaky", 503)})
	s := webhook.NewSender(reg, webhook.Options{Retries: []time.Duration{50 * time.Millisecond}})
	defer s.Close()
	results, cancel := s.Subscribe(10)
	defer cancel()
	if q, _ := s.Send(event(t, "customer.created")); q != 2 {
		t.Fatalf("customer.created queued for %d endpoints; want 2 (all, flaky)", q)
	}
	// The flaky endpoint's first attempt fails; disable it before the retry.
	for r := range results {
		if r.EndpointID == flaky.ID {
			if r.State != webhook.Retrying {
				t.Fatalf("flaky: %s", r.State)
			}
			break
		}
	}
	off := true
	reg.Update(flaky.ID, webhook.EndpointUpdate{Disabled: &off})
	if q, _ := s.Send(event(t, "payment_intent.succeeded")); q != 2 {
		t.Fatalf("payment_intent.succeeded queued for %d endpoints; want 2 (all, pi)", q)
	}
	for r := range results {
		if r.EndpointID == flaky.ID {
			if r.State != webhook.Canceled {
				t.Errorf("disabled endpoint's retry: %s; want canceled", r.State)
			}
			break
		}
	}
	s.Close()
	if hits["all"].Load() != 2 || hits["pi"].Load() != 1 || hits["off"].Load() != 0 || hits["flaky"].Load() != 1 {
		t.Errorf("hits all %d, pi %d, off %d, flaky %d; want 2, 1, 0, 1",
			hits["all"].Load(), hits["pi"].Load(), hits["off"].Load(), hits["flaky"].Load())
	}
}

// A redirect is a failed delivery, as at Stripe; so is a slow answer.
func TestRedirectAndTimeoutFail(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			select {
			case <-block:
			case <-r.Context().Done():
			}
			return
		}
		http.Redirect(w, r, "/elsewhere", http.StatusFound)
	}))
	defer srv.Close()
	defer close(block) // before srv.Close, which waits for the handler
	a := webhook.Deliver(context.Background(), nil, srv.URL+"/moved", webhook.NewSecret(), []byte(`{}`), webhook.Timeout)
	if a.OK() || a.Status != http.StatusFound {
		t.Errorf("redirect: %+v; want a failed attempt with status 302", a)
	}
	a = webhook.Deliver(context.Background(), nil, srv.URL+"/slow", webhook.NewSecret(), []byte(`{}`), 50*time.Millisecond)
	if a.OK() || a.Status != 0 || !strings.Contains(a.Error, "no answer within 50ms") {
		t.Errorf("slow endpoint: %+v; want no answer within 50ms", a)
	}
}

func TestRegistry(t *testing.T) {
	reg := webhook.NewRegistry()
	ep, err := reg.Add(webhook.EndpointParams{URL: "http://127.0.0.1:4242/webhook"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(ep.Secret, "whsec_") || len(ep.Secret) != len("whsec_")+32 || !strings.HasPrefix(ep.ID, "we_") {
		t.Errorf("endpoint %+v: want a we_ id and a whsec_ secret of 32 characters", ep)
	}
	if len(ep.EnabledEvents) != 1 || ep.EnabledEvents[0] != "*" {
		t.Errorf("enabled events %v; want [*]", ep.EnabledEvents)
	}
	bad := []struct {
		p    webhook.EndpointParams
		want string
	}{
		{webhook.EndpointParams{URL: "localhost:4242/webhook"}, "absolute http or https URL"},
		{webhook.EndpointParams{URL: "ftp://x/y"}, "absolute http or https URL"},
		{webhook.EndpointParams{URL: "http://x/y", Secret: "sk_test_123456789"}, "does not start with whsec_"},
		{webhook.EndpointParams{URL: "http://x/y", EnabledEvents: []string{"Payment Intent"}}, "is not an event type"},
	}
	for _, b := range bad {
		if _, err := reg.Add(b.p); err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("Add(%+v): %v; want an error saying %q", b.p, err, b.want)
		}
	}
	if strings.Contains(fmt.Sprint(reg.Add(webhook.EndpointParams{URL: "http://x/y", Secret: "sk_test_123456789"})), "123456789") {
		t.Errorf("an error shows a whole secret")
	}
	if got := reg.List(); len(got) != 1 {
		t.Errorf("List after bad adds: %d endpoints; want 1", len(got))
	}
	got, _ := reg.Get(ep.ID)
	got.EnabledEvents[0] = "changed"
	if again, _ := reg.Get(ep.ID); again.EnabledEvents[0] != "*" {
		t.Errorf("changing a returned endpoint changed the registry")
	}
	if !reg.Remove(ep.ID) || reg.Remove(ep.ID) {
		t.Errorf("Remove: want true, then false")
	}
	// Concurrent use (run with -race).
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e, _ := reg.Add(webhook.EndpointParams{URL: fmt.Sprintf("http://127.0.0.1:%d/", 4000+i)})
			reg.Wanting("customer.created")
			reg.List()
			off := true
			reg.Update(e.ID, webhook.EndpointUpdate{Disabled: &off})
		}()
	}
	wg.Wait()
	if n := len(reg.List()); n != 8 {
		t.Errorf("%d endpoints; want 8", n)
	}
	if n := len(reg.Wanting("customer.created")); n != 0 {
		t.Errorf("%d disabled endpoints want an event", n)
	}
}

// Wanting and Count follow every change to the registry: additions,
// event types changed, endpoints switched off and on, removals; Wanting
// lists the oldest first.
func TestWantingFollowsChanges(t *testing.T) {
	reg := webhook.NewRegistry()
	ids := func(eps []webhook.Endpoint) []string {
		var out []string
		for _, e := range eps {
			out = append(out, e.ID)
		}
		return out
	}
	check := func(step, typ string, want ...string) {
		t.Helper()
		if got := ids(reg.Wanting(typ)); !slices.Equal(got, want) {
			t.Errorf("%s: Wanting(%s) = %v; want %v", step, typ, got, want)
		}
		if n := reg.Count(typ); n != len(want) {
			t.Errorf("%s: Count(%s) = %d; want %d", step, typ, n, len(want))
		}
	}
	check("empty", "charge.succeeded")
	all, _ := reg.Add(webhook.EndpointParams{URL: "http://127.0.0.1:4000/a"})
	charges, _ := reg.Add(webhook.EndpointParams{URL: "http://127.0.0.1:4000/b", EnabledEvents: []string{"charge.succeeded", "charge.failed"}})
	off, _ := reg.Add(webhook.EndpointParams{URL: "http://127.0.0.1:4000/c", Disabled: true})
	check("added", "charge.succeeded", all.ID, charges.ID)
	check("added", "customer.created", all.ID)
	if _, err := reg.Update(charges.ID, webhook.EndpointUpdate{EnabledEvents: []string{"customer.created"}}); err != nil {
		t.Fatal(err)
	}
	check("types changed", "charge.succeeded", all.ID)
	check("types changed", "customer.created", all.ID, charges.ID)
	on, no := false, true
	reg.Update(off.ID, webhook.EndpointUpdate{Disabled: &on})
	reg.Update(all.ID, webhook.EndpointUpdate{Disabled: &no})
	check("switched", "charge.succeeded", off.ID)
	check("switched", "customer.created", charges.ID, off.ID)
	reg.Remove(charges.ID)
	check("removed", "customer.created", off.ID)
	if _, err := reg.Update(off.ID, webhook.EndpointUpdate{EnabledEvents: []string{"bad type!"}}); err == nil {
		t.Fatal("a bad event type was accepted")
	}
	check("refused update", "customer.created", off.ID)
}

func TestNewEvent(t *testing.T) {
	e := event(t, "customer.created")
	if !strings.HasPrefix(e.ID, "evt_") || len(e.ID) != 28 || e.Object != "event" || e.Request.ID != nil || e.Created == 0 {
		t.Errorf("event %+v", e)
	}
	e2, err := webhook.NewEvent(webhook.EventParams{Type: "customer.created", Object: []byte(`{}`), APIVersion: "v", RequestID: "req_1", IdempotencyKey: "k"})
	if err != nil || *e2.Request.ID != "req_1" || *e2.Request.IdempotencyKey != "k" {
		t.Errorf("request %+v, %v", e2.Request, err)
	}
	for _, p := range []webhook.EventParams{
		{Type: "", Object: []byte(`{}`), APIVersion: "v"},
		{Type: "x.y", Object: []byte(`[1]`), APIVersion: "v"},
		{Type: "x.y", Object: []byte(`{}`)},
		{Type: "x.y", Object: []byte(`{}`), APIVersion: "v", PreviousAttributes: []byte(`nope`)},
	} {
		if _, err := webhook.NewEvent(p); err == nil {
			t.Errorf("NewEvent(%+v): no error", p)
		}
	}
}

// Send on the request path, with a dead endpoint and with none: the cost
// a request pays for its event. The dead endpoint's retries are pushed far
// out so that the queue does not fill.
func BenchmarkSend(b *testing.B) {
	for _, c := range []struct {
		name   string
		urls   int
		others int // endpoints that want another type
	}{{"no endpoint", 0, 0}, {"other type", 0, 2}, {"dead endpoint", 1, 0}, {"three dead endpoints", 3, 0}} {
		b.Run(c.name, func(b *testing.B) {
			reg := webhook.NewRegistry()
			for range c.urls {
				reg.Add(webhook.EndpointParams{URL: deadURL(b)})
			}
			for range c.others {
				reg.Add(webhook.EndpointParams{URL: deadURL(b), EnabledEvents: []string{"charge.succeeded", "invoice.paid"}})
			}
			s := webhook.NewSender(reg, webhook.Options{QueueSize: b.N*c.urls + 1, Retries: []time.Duration{time.Hour}})
			defer s.Close()
			e := event(b, "customer.created")
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if _, d := s.Send(e); d != 0 {
					b.Fatal("dropped")
				}
			}
		})
	}
}

// The log keeps the newest LogSize events, newest first.
func TestLogKeepsTheNewest(t *testing.T) {
	s := webhook.NewSender(webhook.NewRegistry(), webhook.Options{LogSize: 3})
	defer s.Close()
	var ids []string
	for range 5 {
		e := event(t, "customer.created")
		ids = append(ids, e.ID)
		s.Send(e)
	}
	log := s.Log()
	if len(log) != 3 || log[0].Event.ID != ids[4] || log[1].Event.ID != ids[3] || log[2].Event.ID != ids[2] {
		t.Errorf("log has %d events; want the last three, newest first", len(log))
	}
	if _, ok := s.Lookup(ids[1]); ok {
		t.Errorf("an event past the log's size is still there")
	}
	if _, err := s.Redeliver(ids[0]); err == nil || !strings.Contains(err.Error(), "keeps the last 3") {
		t.Errorf("Redeliver of a forgotten event: %v", err)
	}
}

// After Close, Send drops and counts every delivery.
func TestSendAfterClose(t *testing.T) {
	reg := webhook.NewRegistry()
	reg.Add(webhook.EndpointParams{URL: deadURL(t)})
	reg.Add(webhook.EndpointParams{URL: deadURL(t)})
	s := webhook.NewSender(reg, webhook.Options{})
	s.Close()
	if q, d := s.Send(event(t, "customer.created")); q != 0 || d != 2 {
		t.Errorf("Send after Close: queued %d, dropped %d; want 0, 2", q, d)
	}
	if st := s.Stats(); st.Dropped != 2 || st.InQueue != 0 {
		t.Errorf("stats %+v", st)
	}
}

// The CPU a delivery to a dead endpoint (connection refused) costs a worker.
func BenchmarkDeliverDead(b *testing.B) {
	url := deadURL(b)
	client := webhook.NewClient()
	body := []byte(`{"id":"evt_1","object":"event"}`)
	b.ReportAllocs()
	for range b.N {
		if a := webhook.Deliver(context.Background(), client, url, "whsec_x", body, webhook.Timeout); a.OK() {
			b.Fatal("delivered to a dead endpoint")
		}
	}
}

// An endpoint that comes back is sent to again once Unreachable has
// passed: the delivery whose attempt was skipped is delivered on its retry.
func TestUnreachableEndpointComesBack(t *testing.T) {
	url := deadURL(t)
	reg := webhook.NewRegistry()
	reg.Add(webhook.EndpointParams{URL: url})
	s := webhook.NewSender(reg, webhook.Options{Workers: 1, Unreachable: 50 * time.Millisecond, Retries: []time.Duration{150 * time.Millisecond}})
	defer s.Close()
	results, cancel := s.Subscribe(10)
	defer cancel()
	s.Send(event(t, "customer.created"))
	if r := <-results; r.State != webhook.Retrying || r.Attempt.Skipped {
		t.Fatalf("first delivery: %+v; want a sent attempt that failed", r)
	}
	s.Send(event(t, "customer.created"))
	if r := <-results; r.State != webhook.Retrying || !r.Attempt.Skipped {
		t.Fatalf("second delivery: %+v; want its attempt skipped", r)
	}
	// The endpoint comes up on the same address.
	ln, err := net.Listen("tcp", strings.TrimSuffix(strings.TrimPrefix(url, "http://"), "/webhook"))
	if err != nil {
		t.Skipf("cannot listen on the dead endpoint's address again: %v", err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	defer srv.Close()
	for _, r := range waitFinal(t, results, 2) {
		if r.State != webhook.Delivered || r.Attempt.Skipped || r.Number != 2 {
			t.Errorf("retry: %+v; want delivered at attempt 2", r)
		}
	}
}
