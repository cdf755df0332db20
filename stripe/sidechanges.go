package stripe

import (
	"context"
	"net/http"
	"sync"

	"github.com/routedeck/routedeck/render"
	"github.com/routedeck/routedeck/server"
	"github.com/routedeck/routedeck/store"
)

// One request often changes more than the object its path names: paying
// an invoice creates and confirms its PaymentIntent, stores a charge and
// may activate a subscription; completing a Checkout Session creates a
// customer, a subscription and its invoice. The lifecycle notes each
// change it makes (changes, carried by the request's context) and the
// State announces them in the order they happened, each with the events
// Stripe sends for it.

// changes is what one request changed, in order.
type changes struct {
	mu      sync.Mutex
	entries []change
	// watched is what the request's write target was before it
	// (State.watch), nil until read; target is room for it.
	watched *before
	target  before
	// requestID is the request's id as its events name it (request.id):
	// one copy for them all.
	requestID *string
}

// requestIDOf is id, the id of the request in ctx, as an event names it:
// a copy of its own (an event outlives the request), shared by the
// request's events.
func requestIDOf(ctx context.Context, id string) *string {
	c, _ := ctx.Value(changesKey{}).(*changes)
	if c == nil {
		own := id // on the heap only here
		return &own
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.requestID == nil || *c.requestID != id {
		own := id
		c.requestID = &own
	}
	return c.requestID
}

// firstChanges is room for the changes most requests that change
// anything note (a paying confirm: its charge, its balance transaction,
// the intent), made with the first.
const firstChanges = 3

// change is one write: the object's id and type and what it was before
// (nil when the write created it; a view of the stored string, never
// changed); or, with event set, an event Stripe
// sends without a change of state (customer.subscription.trial_will_end,
// invoice.upcoming) with object its data.object.
type change struct {
	id, typ string
	old     []byte
	event   string
	object  []byte
	// read is the members of old and of what the write stored, when the
	// writer read them (lifecycle.updateRead); nil when it did not.
	read *read
	// raises, on a creation, is the event it raises when the writer
	// knows it (a charge's, succeeded or failed): "" to read the object.
	raises string
	// filled, on a creation the writer raises (raises set) kept as a
	// fill, is the fill (not joined for its event).
	filled *store.Filled
}

// read is an object's members before a write (old) and the object the
// write made, with its members (now).
type read struct {
	old, now members
	// charge and then, if set, store what the write
	// refers to (a confirm's charge) once the write has landed, before
	// the write is noted: the store may run a writer again, and only its
	// last run's objects are kept.
	charge *chargeRecord
	then   func()
}

type changesKey struct{}

// withChanges is ctx carrying a new record of changes.
func withChanges(ctx context.Context) (context.Context, *changes) {
	c := &changes{}
	return context.WithValue(ctx, changesKey{}, c), c
}

// watchedOf is what the request in ctx read of its write target before
// answering (State.watch), nil when it read nothing.
func watchedOf(ctx context.Context) *before {
	if c, _ := ctx.Value(changesKey{}).(*changes); c != nil {
		return c.watched
	}
	return nil
}

// note records a write to the request's changes, if ctx carries them.
func note(ctx context.Context, ch change) {
	c, _ := ctx.Value(changesKey{}).(*changes)
	if c == nil {
		return
	}
	c.mu.Lock()
	if c.entries == nil {
		c.entries = make([]change, 0, firstChanges)
	}
	c.entries = append(c.entries, ch)
	c.mu.Unlock()
}

// noteEvent records an event that no change of state raises.
func noteEvent(ctx context.Context, typ string, object []byte) {
	note(ctx, change{event: typ, object: object})
}

// put stores a new object and notes its creation.
func (l *lifecycle) put(ctx context.Context, obj store.Object) (store.Object, error) {
	return l.putRaising(ctx, obj, "")
}

// putRaising is put for an object whose creation raises event ("" for
// the one its text names), as its writer knows.
func (l *lifecycle) putRaising(ctx context.Context, obj store.Object, event string) (store.Object, error) {
	stored, err := l.store.Put(ctx, obj)
	if err == nil {
		ch := change{id: stored.ID, typ: stored.Type, raises: event}
		if event != "" {
			ch.filled = stored.Filled
		}
		note(ctx, ch)
	}
	return stored, err
}

// silent reports whether Stripe announces the changes of objects of
// type typ with no event of their own.
func silent(typ string) bool {
	switch typ {
	case "balance_transaction", "invoice_payment", "event",
		// A subscription's items and an invoice's lines: their parent's
		// event says what changed (children.go).
		"subscription_item", "line_item":
		return true
	}
	return false
}

// announce raises the events of a request: its main object's (w, the
// object its path names, or created, the one its create stored) and
// those of every change the lifecycle noted, in order.
func (s *State) announce(ctx context.Context, w *before, req *render.Request, ans server.Answer, c *changes) {
	c.mu.Lock()
	entries := c.entries
	c.mu.Unlock()
	if w == nil || len(entries) == 0 {
		s.raise(ctx, w, req, ans)
		return
	}
	created := ""
	if ans.Change.Op == "created" && ans.Change.ID != w.id {
		created = ans.Change.ID
		s.raise(ctx, w, req, ans)
	}
	// The main object is announced from its notes when they start from
	// what it was before the request, else from the before and after
	// (at the place of its last note).
	main, mainLast := "", -1
	if created == "" && w.obj != nil {
		main = w.id
		first := true
		for i, e := range entries {
			if e.id != main {
				continue
			}
			if first && e.old != nil && string(e.old) == w.obj.JSON {
				main = ""
				break
			}
			first = false
			mainLast = i
		}
	}
	mainDone := main == ""
	for i, e := range entries {
		if e.event != "" {
			s.emit(ctx, req, e.event, store.Object{JSON: string(e.object)}, nil)
			continue
		}
		switch {
		case e.id == created, silent(e.typ):
			continue
		case e.id == main:
			if i == mainLast {
				s.raise(ctx, w, req, ans)
				mainDone = true
			}
			continue
		case main != "" && e.typ == "charge" && w.obj.Type == "payment_intent":
			// The main PaymentIntent's events name its charge.
			continue
		}
		var now []byte
		for _, later := range entries[i+1:] {
			if later.id == e.id && later.event == "" {
				now = later.old
				break
			}
		}
		if now == nil && e.old == nil && e.raises != "" && e.filled != nil {
			// Created as a fill and not written since: its event keeps
			// the fill, never joined.
			s.emit(ctx, req, e.raises, store.Object{ID: e.id, Type: e.typ, Filled: e.filled}, nil)
			continue
		}
		if now == nil {
			obj, err := s.store.Get(ctx, e.id)
			if err != nil {
				continue
			}
			now = view(obj.JSON)
		}
		s.replay(ctx, req, e, now)
	}
	if !mainDone {
		s.raise(ctx, w, req, ans)
	}
}

// replay raises the events of one noted change: e.old became now.
func (s *State) replay(ctx context.Context, req *render.Request, e change, now []byte) {
	obj := &store.Object{ID: e.id, Type: e.typ, JSON: text(now)} // now views a stored string
	if e.old == nil {
		if e.typ == "charge" {
			event := e.raises
			if event == "" {
				event = chargeEvent(nil, now)
			}
			s.emit(ctx, req, event, *obj, nil)
			return
		}
		s.emit(ctx, req, eventPrefix(e.typ)+".created", *obj, nil)
		if e.typ == "payment_intent" {
			s.statusEvent(ctx, req, nil, obj, nil)
		}
		return
	}
	if string(e.old) == string(now) {
		return
	}
	if e.typ == "charge" {
		s.emit(ctx, req, chargeEvent(e.old, now), *obj, previous(e.old, now))
		return
	}
	s.statusEvent(ctx, req, e.old, obj, e.read)
}

// Own answers routedeck's own endpoints (completing 3-D Secure, a
// Checkout Session) as Payments.Answer does, and raises the events of
// what they change, as a request to the API would.
func (s *State) Own() server.Own { return ownEndpoints{s} }

type ownEndpoints struct{ s *State }

func (o ownEndpoints) Answer(r *http.Request) (int, string) {
	ctx, c := withChanges(r.Context())
	status, body := o.s.life.own(ctx, r)
	req := &render.Request{Method: r.Method, Path: r.URL.Path, Header: r.Header, ID: render.NewID("req")}
	o.s.announce(ctx, &before{}, req, server.Answer{}, c)
	return status, body
}
