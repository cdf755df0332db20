package webhook

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultRetries is the retry schedule of a Sender whose Options leave it
// nil: after a failed attempt, wait 5 s, then 30 s, 2 min, 10 min and 30 min
// before the next; six attempts over about 43 minutes in all, then the
// delivery has failed. (Stripe retries for three days; a mock's sessions
// are shorter.)
func DefaultRetries() []time.Duration {
	return []time.Duration{5 * time.Second, 30 * time.Second, 2 * time.Minute, 10 * time.Minute, 30 * time.Minute}
}

// Defaults of Options.
const (
	DefaultQueueSize = 1000
	DefaultWorkers   = 4
	DefaultLogSize   = 500
	// HandOff is how long a sent event waits before the workers are woken
	// for it: the events sent meanwhile are handed over together, so that
	// a request never wakes a worker itself (a wake per event costs the
	// request path more than the rest of Send, on a busy machine tens of
	// microseconds), and a burst of events costs one wake.
	HandOff = time.Millisecond
	// DefaultUnreachable is how long an endpoint that could not be reached
	// is not tried again; see Options.Unreachable.
	DefaultUnreachable = time.Second
)

// Options tune a Sender. The zero value is Stripe's behaviour with the
// defaults above.
type Options struct {
	// Retries are the waits before each retry of a failed delivery. nil
	// means DefaultRetries(); an empty, non-nil slice means no retries.
	Retries []time.Duration
	// Timeout is how long an endpoint has to answer; 0 means Timeout (10 s).
	Timeout time.Duration
	// QueueSize bounds the deliveries a Sender holds at once: queued,
	// being sent, or waiting to be retried. A delivery past the bound is
	// dropped and counted. 0 means DefaultQueueSize.
	QueueSize int
	// Workers is how many deliveries run at once, each to a different
	// endpoint; 0 means DefaultWorkers.
	Workers int
	// LogSize is how many events the delivery log keeps (the oldest go
	// first); 0 means DefaultLogSize.
	LogSize int
	// Client sends the deliveries; nil means NewClient().
	Client *http.Client
	// Unreachable: for this long after an endpoint could not be reached at
	// all (connection refused, no answer in time), attempts due for it are
	// not sent; each is logged as a failed attempt that says so ("not
	// sent: ... could not be reached ... ago"), and the delivery goes on
	// with its retry schedule. So a dead endpoint costs one connection try
	// per Unreachable, however many events are sent, and the schedule is
	// kept. 0 means DefaultUnreachable; negative means always try.
	Unreachable time.Duration
}

// State is where a delivery stands.
type State string

// The states of a delivery.
const (
	// Pending: queued or being sent.
	Pending State = "pending"
	// Retrying: an attempt failed; another follows at NextRetry.
	Retrying State = "retrying"
	// Delivered: the endpoint answered 2xx.
	Delivered State = "delivered"
	// Failed: every attempt failed.
	Failed State = "failed"
	// Dropped: the queue was full; nothing was sent.
	Dropped State = "dropped"
	// Canceled: the endpoint was removed or disabled before the attempt.
	Canceled State = "canceled"
)

// Delivery is an event's delivery to one endpoint.
type Delivery struct {
	// EndpointID and URL name the endpoint (its URL at the last attempt).
	EndpointID string `json:"endpoint"`
	URL        string `json:"url"`
	// State is where the delivery stands.
	State State `json:"state"`
	// Attempts are its attempts, oldest first.
	Attempts []Attempt `json:"attempts"`
	// NextRetry is when the next attempt starts, while Retrying.
	NextRetry time.Time `json:"next_retry,omitzero"`
}

// Record is one event in the delivery log with its deliveries.
type Record struct {
	// Event is the event as sent (pending_webhooks set).
	Event Event `json:"event"`
	// Payload is the body every delivery sent: the event's JSON.
	Payload []byte `json:"-"`
	// Deliveries are one per endpoint that wanted the event.
	Deliveries []Delivery `json:"deliveries"`
}

// Result reports one change of a delivery to subscribers: an attempt, a
// drop or a cancellation.
type Result struct {
	// EventID and EventType name the event; EndpointID and URL the
	// endpoint.
	EventID    string
	EventType  string
	EndpointID string
	URL        string
	// State is the delivery's state after the change.
	State State
	// Attempt is the attempt just made (zero for a drop or cancellation)
	// and Number its number, from 1.
	Attempt Attempt
	Number  int
	// NextRetry is when the next attempt starts, while Retrying.
	NextRetry time.Time
}

// Stats counts a Sender's deliveries since it started.
type Stats struct {
	// InQueue are the deliveries held now: queued, being sent or waiting
	// to be retried.
	InQueue int
	// Delivered, Failed, Dropped and Canceled count deliveries that ended
	// so; Attempts counts the attempts sent, Skipped those not sent
	// because the endpoint could not be reached just before.
	Delivered, Failed, Dropped, Canceled, Attempts, Skipped int64
	// ResultsDropped counts results a slow subscriber did not take.
	ResultsDropped int64
}

// record is a logged event; its deliveries are guarded by Sender.mu.
type record struct {
	event      Event
	once       sync.Once
	payload    []byte
	deliveries []*Delivery
}

// body is the event's JSON, the same bytes for every delivery, made once
// (by a worker, off the caller's path).
func (r *record) body() []byte {
	r.once.Do(func() {
		b, err := json.Marshal(r.event)
		if err != nil {
			// NewEvent checked that the object is JSON; a hand-made
			// Event may not be.
			b = []byte(fmt.Sprintf(`{"id":%q,"object":"event","error":"the event's data is not JSON"}`, r.event.ID))
		}
		r.payload = b
	})
	return r.payload
}

// unreachable is an endpoint's last failure to answer at all.
type unreachable struct {
	at     time.Time
	reason string
}

type job struct {
	rec      *record
	d        *Delivery
	attempts int  // attempts made by this job
	retry    bool // false for a manual redelivery: one attempt
}

// lane is one endpoint's deliveries, sent one at a time in the order they
// were queued. A lane with work is busy: it is in Sender.ready or a worker
// holds it, never both, so no two workers send to one endpoint at once.
// Guarded by Sender.mu.
type lane struct {
	endpoint string
	queue    []*job
	busy     bool
}

// Sender delivers events to the endpoints of a Registry: Send queues and
// returns at once; workers deliver, retry on the schedule and keep the
// delivery log. It is safe for concurrent use. Close stops it.
//
// Order: each endpoint gets its deliveries one at a time, in the order
// the events were sent (for one request, the order they happened:
// payment_intent.created, charge.succeeded, payment_intent.succeeded);
// different endpoints are served in parallel, in turns. A failed attempt
// does not hold up the endpoint's later events: the delivery waits for
// its retry (5 s, 30 s, ... later) and is then queued behind whatever the
// endpoint has waiting, so a retried event arrives after events that
// followed it. Stripe promises no order at all; a local tool delivering
// in creation order makes handlers simpler to test, and an app must still
// cope with the late retries.
type Sender struct {
	reg  *Registry
	opts Options
	// ready holds the busy lanes waiting for a worker. Its capacity is
	// QueueSize: a lane in it (or in waiting) holds at least one reserved
	// delivery, so a send to it never blocks.
	ready chan *lane
	// kick hands the lanes in waiting to the workers, HandOff after the
	// first of them became busy (armed meanwhile).
	kick    *time.Timer
	ctx     context.Context
	cancel  context.CancelFunc
	workers sync.WaitGroup

	inQueue                                                           atomic.Int64
	delivered, failed, dropped, canceled, attempts, skipped, resDrops atomic.Int64

	mu    sync.Mutex
	lanes map[string]*lane // by endpoint id; an idle one is kept while its endpoint is
	// waiting are busy lanes not yet in ready: see kick.
	waiting []*lane
	armed   bool
	// ring is the delivery log, a ring of LogSize events; ring[next] is
	// the oldest once full. An event is found by its id by looking
	// through it (Lookup and Redeliver, which people call), so that Send,
	// which every event calls, keeps no index.
	ring   []*record
	next   int
	timers map[*time.Timer]struct{}
	// down holds, per endpoint URL, when and why it last could not be
	// reached; an answer of any status removes it.
	down   map[string]unreachable
	subs   map[int]chan Result
	nextID int
	closed bool
}

// NewSender starts a sender for the endpoints of reg.
func NewSender(reg *Registry, opts Options) *Sender {
	if opts.Retries == nil {
		opts.Retries = DefaultRetries()
	}
	if opts.Timeout <= 0 {
		opts.Timeout = Timeout
	}
	if opts.QueueSize <= 0 {
		opts.QueueSize = DefaultQueueSize
	}
	if opts.Workers <= 0 {
		opts.Workers = DefaultWorkers
	}
	if opts.LogSize <= 0 {
		opts.LogSize = DefaultLogSize
	}
	if opts.Client == nil {
		opts.Client = NewClient()
	}
	if opts.Unreachable == 0 {
		opts.Unreachable = DefaultUnreachable
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Sender{
		reg:    reg,
		opts:   opts,
		ready:  make(chan *lane, opts.QueueSize),
		lanes:  map[string]*lane{},
		ctx:    ctx,
		cancel: cancel,
		ring:   make([]*record, opts.LogSize),
		timers: map[*time.Timer]struct{}{},
		down:   map[string]unreachable{},
		subs:   map[int]chan Result{},
	}
	s.kick = time.AfterFunc(time.Hour, s.handOff)
	s.kick.Stop()
	for range opts.Workers {
		s.workers.Add(1)
		go s.work()
	}
	return s
}

// Options returns the sender's options with the defaults filled in.
func (s *Sender) Options() Options {
	o := s.opts
	o.Retries = slices.Clone(o.Retries)
	return o
}

// Send queues e for every enabled endpoint that wants its type, setting
// its pending_webhooks, and logs it. It never blocks: a delivery that
// finds the queue full is dropped, counted in Stats and reported to
// subscribers (after Close, every delivery is dropped and counted). It
// returns how many deliveries were queued and dropped.
func (s *Sender) Send(e Event) (queued, dropped int) {
	eps := s.reg.Wanting(e.Type)
	e.PendingWebhooks = len(eps)
	rec := &record{event: e}
	if len(eps) == 0 {
		s.mu.Lock()
		if !s.closed {
			s.remember(rec)
		}
		s.mu.Unlock()
		return 0, 0
	}
	// One allocation each for the deliveries and their jobs: Send runs on
	// the request path.
	ds := make([]Delivery, len(eps))
	js := make([]job, len(eps))
	rec.deliveries = make([]*Delivery, len(eps))
	for i, ep := range eps {
		ds[i] = Delivery{EndpointID: ep.ID, URL: ep.URL, State: Pending}
		rec.deliveries[i] = &ds[i]
		js[i] = job{rec: rec, d: &ds[i], retry: true}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		// Nothing delivers any more: every delivery is dropped.
		s.dropped.Add(int64(len(eps)))
		return 0, len(eps)
	}
	s.remember(rec)
	// Queued under the lock, so that each endpoint's lane has the events
	// in the order Send was called.
	for i := range js {
		if s.reserve() {
			s.enqueue(&js[i])
			queued++
			continue
		}
		d := js[i].d
		d.State = Dropped
		dropped++
		s.dropped.Add(1)
		s.publish(Result{EventID: e.ID, EventType: e.Type, EndpointID: d.EndpointID, URL: d.URL, State: Dropped})
	}
	return queued, dropped
}

// Redeliver sends a logged event once more to each endpoint it went to
// that still exists, one attempt each (as Stripe's "resend"). It returns
// how many deliveries were queued.
func (s *Sender) Redeliver(eventID string) (int, error) {
	s.mu.Lock()
	rec := s.find(eventID)
	if rec == nil || s.closed {
		s.mu.Unlock()
		return 0, fmt.Errorf("no event %q in the delivery log (it keeps the last %d)", eventID, s.opts.LogSize)
	}
	var jobs []*job
	full := 0
	for _, d := range rec.deliveries {
		if _, ok := s.reg.Get(d.EndpointID); !ok {
			continue
		}
		if !s.reserve() {
			full++
			s.dropped.Add(1)
			continue
		}
		d.State = Pending
		d.NextRetry = time.Time{}
		j := &job{rec: rec, d: d}
		jobs = append(jobs, j)
		s.enqueue(j)
	}
	s.mu.Unlock()
	if full > 0 {
		return len(jobs), fmt.Errorf("event %s: the delivery queue is full (%d held); %d redeliveries dropped", eventID, s.opts.QueueSize, full)
	}
	if len(jobs) == 0 {
		return 0, fmt.Errorf("event %s: none of its endpoints exists any more", eventID)
	}
	return len(jobs), nil
}

// reserve takes a queue slot; false means the queue is full.
func (s *Sender) reserve() bool {
	if s.inQueue.Add(1) > int64(s.opts.QueueSize) {
		s.inQueue.Add(-1)
		return false
	}
	return true
}

func (s *Sender) release(n int) { s.inQueue.Add(-int64(n)) }

// enqueue puts j at the end of its endpoint's lane, and the lane in line
// for a worker if none has it. j holds a reserved slot. s.mu is held.
func (s *Sender) enqueue(j *job) {
	l := s.lanes[j.d.EndpointID]
	if l == nil {
		l = &lane{endpoint: j.d.EndpointID}
		s.lanes[l.endpoint] = l
	}
	l.queue = append(l.queue, j)
	if !l.busy {
		l.busy = true
		s.waiting = append(s.waiting, l)
		if !s.armed {
			s.armed = true
			s.kick.Reset(HandOff)
		}
	}
}

// handOff puts the waiting lanes in line for the workers.
func (s *Sender) handOff() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.armed = false
	if s.closed {
		return
	}
	for i, l := range s.waiting {
		s.ready <- l // never blocks: see Sender.ready
		s.waiting[i] = nil
	}
	s.waiting = s.waiting[:0]
}

// remember adds rec to the log, forgetting the oldest past LogSize.
// s.mu is held.
func (s *Sender) remember(rec *record) {
	s.ring[s.next] = rec
	if s.next++; s.next == len(s.ring) {
		s.next = 0
	}
}

// find is the logged event with this id, the newest if several; nil
// for none. s.mu is held.
func (s *Sender) find(eventID string) *record {
	for i := range s.ring {
		r := s.ring[(s.next-1-i+len(s.ring))%len(s.ring)]
		if r == nil {
			return nil
		}
		if r.event.ID == eventID {
			return r
		}
	}
	return nil
}

func (s *Sender) work() {
	defer s.workers.Done()
	for {
		select {
		case <-s.ctx.Done():
			return
		case l := <-s.ready:
			s.mu.Lock()
			j := l.queue[0]
			l.queue[0] = nil
			l.queue = l.queue[1:]
			s.mu.Unlock()
			s.attempt(j)
			s.mu.Lock()
			if len(l.queue) > 0 {
				// Back in line behind the other endpoints' lanes.
				s.ready <- l
			} else {
				l.busy = false
				if _, ok := s.reg.target(l.endpoint); !ok {
					delete(s.lanes, l.endpoint)
				}
			}
			s.mu.Unlock()
		}
	}
}

// attempt makes one attempt of j and decides what follows.
func (s *Sender) attempt(j *job) {
	ev := j.rec.event
	ep, ok := s.reg.target(j.d.EndpointID)
	if !ok || ep.Disabled {
		s.mu.Lock()
		j.d.State = Canceled
		j.d.NextRetry = time.Time{}
		s.publish(Result{EventID: ev.ID, EventType: ev.Type, EndpointID: j.d.EndpointID, URL: j.d.URL, State: Canceled})
		s.mu.Unlock()
		s.canceled.Add(1)
		s.release(1)
		return
	}
	now := time.Now()
	s.mu.Lock()
	down, isDown := s.down[ep.URL]
	s.mu.Unlock()
	var a Attempt
	if isDown && s.opts.Unreachable > 0 && now.Sub(down.at) < s.opts.Unreachable {
		a = Attempt{Time: now, Skipped: true, Error: "not sent: the endpoint could not be reached " + now.Sub(down.at).Round(time.Millisecond).String() + " ago (" + down.reason + ")"}
		s.skipped.Add(1)
	} else {
		a = Deliver(s.ctx, s.opts.Client, ep.URL, ep.Secret, j.rec.body(), s.opts.Timeout)
		if s.ctx.Err() != nil {
			// Closed mid-attempt: the attempt says nothing about the endpoint.
			s.release(1)
			return
		}
		s.attempts.Add(1)
	}
	j.attempts++
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case a.Skipped:
	case a.Status == 0:
		s.down[ep.URL] = unreachable{at: a.Time.Add(a.Duration), reason: a.Error}
	default:
		delete(s.down, ep.URL)
	}
	j.d.Attempts = append(j.d.Attempts, a)
	j.d.URL = ep.URL
	res := Result{EventID: ev.ID, EventType: ev.Type, EndpointID: ep.ID, URL: ep.URL, Attempt: a, Number: len(j.d.Attempts)}
	switch {
	case a.OK():
		j.d.State = Delivered
		j.d.NextRetry = time.Time{}
		s.delivered.Add(1)
		s.release(1)
	case j.retry && j.attempts <= len(s.opts.Retries) && !s.closed:
		wait := s.opts.Retries[j.attempts-1]
		j.d.State = Retrying
		j.d.NextRetry = time.Now().Add(wait)
		res.NextRetry = j.d.NextRetry
		var t *time.Timer
		t = time.AfterFunc(wait, func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			delete(s.timers, t)
			if s.closed {
				return
			}
			s.enqueue(j) // the job kept its slot
		})
		s.timers[t] = struct{}{}
	default:
		j.d.State = Failed
		j.d.NextRetry = time.Time{}
		s.failed.Add(1)
		s.release(1)
	}
	res.State = j.d.State
	s.publish(res)
}

// publish sends r to every subscriber that has room. s.mu is held.
func (s *Sender) publish(r Result) {
	for _, ch := range s.subs {
		select {
		case ch <- r:
		default:
			s.resDrops.Add(1)
		}
	}
}

// Subscribe returns a channel of results with room for buffer of them
// (results a full channel cannot take are counted in Stats and lost) and
// a function that ends the subscription and closes the channel.
func (s *Sender) Subscribe(buffer int) (<-chan Result, func()) {
	ch := make(chan Result, max(buffer, 1))
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		close(ch)
		return ch, func() {}
	}
	id := s.nextID
	s.nextID++
	s.subs[id] = ch
	return ch, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if c, ok := s.subs[id]; ok {
			delete(s.subs, id)
			close(c)
		}
	}
}

// Stats returns the sender's counts.
func (s *Sender) Stats() Stats {
	return Stats{
		InQueue:        int(s.inQueue.Load()),
		Delivered:      s.delivered.Load(),
		Failed:         s.failed.Load(),
		Dropped:        s.dropped.Load(),
		Canceled:       s.canceled.Load(),
		Attempts:       s.attempts.Load(),
		Skipped:        s.skipped.Load(),
		ResultsDropped: s.resDrops.Load(),
	}
}

// Log returns the logged events, newest first, with their deliveries.
func (s *Sender) Log() []Record {
	s.mu.Lock()
	recs := make([]*record, 0, len(s.ring))
	for i := range s.ring {
		r := s.ring[(s.next-1-i+len(s.ring))%len(s.ring)]
		if r == nil {
			break
		}
		recs = append(recs, r)
	}
	out := make([]Record, len(recs))
	for i, r := range recs {
		out[i] = snapshot(r)
	}
	s.mu.Unlock()
	for i, r := range recs {
		out[i].Payload = r.body()
	}
	return out
}

// Lookup returns one logged event with its deliveries.
func (s *Sender) Lookup(eventID string) (Record, bool) {
	s.mu.Lock()
	r := s.find(eventID)
	ok := r != nil
	var out Record
	if ok {
		out = snapshot(r)
	}
	s.mu.Unlock()
	if ok {
		out.Payload = r.body()
	}
	return out, ok
}

// snapshot copies a record's deliveries. s.mu is held.
func snapshot(r *record) Record {
	out := Record{Event: r.event, Deliveries: make([]Delivery, len(r.deliveries))}
	for i, d := range r.deliveries {
		out.Deliveries[i] = *d
		out.Deliveries[i].Attempts = slices.Clone(d.Attempts)
	}
	return out
}

// Close stops the sender: queued deliveries and retries are abandoned
// (their state stays as it was), attempts under way are cut off, and
// every subscription's channel is closed.
func (s *Sender) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	s.kick.Stop()
	for t := range s.timers {
		t.Stop()
	}
	s.timers = nil
	s.mu.Unlock()
	s.cancel()
	s.workers.Wait()
	s.mu.Lock()
	for id, ch := range s.subs {
		delete(s.subs, id)
		close(ch)
	}
	s.mu.Unlock()
}
