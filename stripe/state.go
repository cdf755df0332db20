package stripe

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/render"
	"github.com/routedeck/routedeck/server"
	"github.com/routedeck/routedeck/store"
	"github.com/routedeck/routedeck/webhook"
)

// State gives the Stripe catalog a memory, the way a Stripe test account
// has one: a create stores the object it answers (the rendered body with
// the request's parameters merged in, typed by the spec), a retrieve
// returns it, an update merges into it (a metadata key set to "" goes),
// a delete removes it with what lives under it, and lists, search and
// expand[] read the store. It is the server's Keeper; the store itself
// (package store) knows nothing of Stripe.
//
// An id never stored is answered as the catalog answers it (the fixture
// with the id echoed), so clients and tests that use made-up ids work as
// with stripe-mock; with Strict it is 404 resource_missing, as Stripe
// answers.
type State struct {
	rules  *Rules
	cat    *catalog.Catalog
	store  store.Store
	strict bool

	routes []routeOnce
	// prepared are the creates worked out once (prepared.go).
	prepared preparedCreates
	// life moves stored PaymentIntents through confirm, capture, cancel.
	life *lifecycle
	// onEvent gets every event raised (events.go); nil for none.
	onEvent func(webhook.Event)
	// endpoints answer /v1/webhook_endpoints (endpoints.go); nil for
	// the catalog's fixtures.
	endpoints *webhook.Registry
	// clientVersion is the Stripe-Version the last API request sent
	// (apiVersion), nil before one does.
	clientVersion atomic.Pointer[string]
	// envelopes are the layouts of recent events' envelopes (events.go).
	envelopes envelopeLayouts
}

type routeOnce struct {
	once sync.Once
	info routeInfo
}

// StateOptions configure a State.
type StateOptions struct {
	// Strict answers ids never stored with 404 resource_missing.
	Strict bool
	// Events, when set, gets every event a change raises, after it is in
	// the store's event log. It runs on the request's path: it must not
	// block (webhook.Sender.Send queues and returns).
	Events func(webhook.Event)
	// Endpoints, when set, holds the webhook endpoints that
	// /v1/webhook_endpoints registers, lists, updates and deletes.
	Endpoints *webhook.Registry
}

var _ server.Keeper = (*State)(nil)

// NewState keeps the objects of cat's Stripe routes in st; rules supply
// the spec's parameter types.
func NewState(cat *catalog.Catalog, rules *Rules, st store.Store, opts StateOptions) *State {
	s := &State{rules: rules, cat: cat, store: st, strict: opts.Strict, routes: make([]routeOnce, len(cat.Routes)), onEvent: opts.Events, endpoints: opts.Endpoints}
	s.life = newLifecycle(cat, st, newTestCards())
	return s
}

// Store is the store the state keeps its objects in.
func (s *State) Store() store.Store { return s.store }

// Idempotency is the store, which keeps Idempotency-Key records.
func (s *State) Idempotency() server.Idempotency { return s.store }

// opKind is what a route does to the store.
type opKind int

const (
	opNone     opKind = iota // answered from the catalog alone
	opCreate                 // POST to a collection (or an action on a stored object)
	opRetrieve               // GET  .../:id
	opUpdate                 // POST .../:id
	opDelete                 // DELETE .../:id
	opList                   // GET a collection
	opSearch                 // GET .../search
)

// routeInfo is what State knows of one route.
type routeInfo struct {
	kind opKind
	// id is the path parameter naming the object (retrieve, update,
	// delete); parent the one naming the object a create or list lives
	// under ("" for none).
	id, parent string
	// typ is the object type the route answers (for lists, of the items),
	// read from its sample rendering; "" when unknown.
	typ string
	// fields are the top-level fields of a list's sample item: the
	// filters the store can answer.
	fields map[string]bool
	// url is a list's path with its parameters, for the "url" field.
	op int // the spec's parameter node, 0 for none
}

// info classifies a route once, by its method and path, and reads its
// object type from its sample rendering.
func (s *State) info(route *catalog.Route) *routeInfo {
	ro := &s.routes[route.Index()]
	ro.once.Do(func() { ro.info = s.classify(route) })
	return &ro.info
}

func (s *State) classify(route *catalog.Route) routeInfo {
	var info routeInfo
	if l, err := s.rules.load(); err == nil {
		info.op = l.ops[route.Index()]
	}
	segs := strings.Split(strings.Trim(route.Path, "/"), "/")
	last := segs[len(segs)-1]
	lastParam := strings.HasPrefix(last, ":")
	if n := len(route.Params); n > 0 {
		if lastParam {
			info.id = route.Params[n-1]
			if n > 1 {
				info.parent = route.Params[n-2]
			}
		} else {
			info.parent = route.Params[n-1]
		}
	}
	sample := sampleObject(route)
	switch {
	case route.Method == http.MethodGet && last == "search":
		info.kind = opSearch
		info.typ = sample.itemType
	case route.Method == http.MethodGet && lastParam:
		info.kind = opRetrieve
		info.typ = sample.object
	case route.Method == http.MethodGet && sample.object == "list":
		info.kind = opList
		info.typ = sample.itemType
		info.fields = sample.itemFields
	case route.Method == http.MethodPost && lastParam:
		info.kind = opUpdate
		info.typ = sample.object
	case route.Method == http.MethodPost && sample.object != "" && sample.object != "list":
		info.kind = opCreate
		info.typ = sample.object
	case route.Method == http.MethodDelete && lastParam:
		info.kind = opDelete
		info.typ = sample.object
	}
	return info
}

// sampleInfo is what a route's sample rendering says of its objects.
type sampleInfo struct {
	object, itemType string
	itemFields       map[string]bool
}

func sampleObject(route *catalog.Route) sampleInfo {
	v := route.Variant(catalog.Success)
	if v == nil || v.ContentType != "application/json" {
		return sampleInfo{}
	}
	// The compact form, which the route's answers compile anyway.
	body, err := v.RenderCompact(route.SampleRequest())
	if err != nil {
		return sampleInfo{}
	}
	b := []byte(body)
	var si sampleInfo
	if sp, ok, err := member(b, "object"); err == nil && ok {
		si.object = stringValue(b, sp)
	}
	if si.object == "list" || si.object == "search_result" {
		if sp, ok, err := member(b, "data"); err == nil && ok {
			if els, err := elements(b[sp.start:sp.end]); err == nil && len(els) > 0 {
				data := b[sp.start:sp.end]
				el := data[els[0].start:els[0].end]
				if op, ok, err := member(el, "object"); err == nil && ok {
					si.itemType = stringValue(el, op)
				}
				si.itemFields = map[string]bool{}
				_ = eachMember(el, func(k []byte, _ span) error {
					si.itemFields[string(k)] = true
					return nil
				})
			}
		}
	}
	return si
}

// Answer answers a success request from the store (server.Keeper).
func (s *State) Answer(route *catalog.Route, req *render.Request, renderVariant func() (string, error)) (server.Answer, *server.APIError) {
	return s.AnswerRendering(route, req, server.Rendering{}, renderVariant)
}

// AnswerRendering is Answer told what renderVariant renders
// (server.RenderingKeeper): a create it may prepare (preparedCreate).
func (s *State) AnswerRendering(route *catalog.Route, req *render.Request, from server.Rendering, renderVariant func() (string, error)) (server.Answer, *server.APIError) {
	ctx := requestContext(s.store, req)
	s.sawVersion(req.Header.Get("Stripe-Version"))
	if ans, refused, ok := s.eventsAnswer(ctx, req); ok {
		return ans, refused
	}
	if ans, refused, ok := s.endpointsAnswer(req); ok {
		return ans, refused
	}
	if !writes(route) {
		return s.answer(ctx, route, req, from, renderVariant)
	}
	ctx, c := withChanges(ctx)
	w := &c.target
	s.look(ctx, route, req, w) // State.watch, into the changes' room
	c.watched = w
	ans, refused := s.answer(ctx, route, req, from, renderVariant)
	s.announce(ctx, w, req, ans, c)
	return ans, refused
}

// answer is AnswerRendering's answer, once the request's events are
// watched; from is what renderVariant renders (its Variant nil when the
// server does not say).
func (s *State) answer(ctx context.Context, route *catalog.Route, req *render.Request, from server.Rendering, renderVariant func() (string, error)) (server.Answer, *server.APIError) {
	info := s.info(route)
	if ans, refused, ok := s.life.answer(ctx, route, req, renderVariant); ok {
		return ans, refused
	}
	switch info.kind {
	case opRetrieve:
		return s.retrieve(ctx, info, req, renderVariant)
	case opCreate:
		ans, refused := s.create(ctx, info, req, from, renderVariant)
		ans, refused = s.life.created(ctx, route, req, from, ans, refused)
		return s.childWritten(ctx, req, ans), refused
	case opUpdate:
		ans, refused := s.update(ctx, info, req, renderVariant)
		ans, refused = s.life.created(ctx, route, req, from, ans, refused)
		return s.childWritten(ctx, req, ans), refused
	case opDelete:
		return s.remove(ctx, info, req, renderVariant)
	case opList:
		return s.list(ctx, route, info, req, renderVariant)
	case opSearch:
		return s.search(ctx, route, info, req, renderVariant)
	}
	return rendered(renderVariant)
}

func rendered(renderVariant func() (string, error)) (server.Answer, *server.APIError) {
	body, err := renderVariant()
	if err != nil {
		// The server reports the render error itself.
		return server.Answer{}, nil
	}
	return server.Answer{Body: server.Text(body)}, nil
}

// missing is Stripe's 404 for an id it does not hold.
func missing(typ, id, param string) *server.APIError {
	if typ == "" {
		typ = "object"
	}
	return &server.APIError{Status: http.StatusNotFound, Type: "invalid_request_error", Code: "resource_missing",
		Param: param, Message: fmt.Sprintf("No such %s: '%s'", typ, id)}
}

// lookup returns the stored object with id if it has the route's type
// (objects of any type under a parent: a customer's sources are cards,
// bank accounts and sources).
func (s *State) lookup(ctx context.Context, info *routeInfo, id string) (store.Object, bool) {
	if id == "" {
		return store.Object{}, false
	}
	obj, err := s.store.Get(ctx, id)
	if err != nil {
		return store.Object{}, false
	}
	if info.parent == "" && info.typ != "" && obj.Type != info.typ {
		return store.Object{}, false
	}
	return obj, true
}

func (s *State) retrieve(ctx context.Context, info *routeInfo, req *render.Request, renderVariant func() (string, error)) (server.Answer, *server.APIError) {
	id := req.Params[info.id]
	if obj, ok := s.lookup(ctx, info, id); ok {
		return server.Answer{Body: server.Text(obj.JSON)}, nil
	}
	if s.strict {
		return server.Answer{}, missing(info.typ, id, "id")
	}
	return rendered(renderVariant)
}

func (s *State) params(info *routeInfo, req *render.Request) map[string]any {
	l, err := s.rules.load()
	if err != nil {
		return nil
	}
	if j := req.BodyJSON(); j != nil {
		return l.requestParams(info.op, nil, j)
	}
	return l.requestParams(info.op, req.BodyForm(), nil)
}

func (s *State) create(ctx context.Context, info *routeInfo, req *render.Request, from server.Rendering, renderVariant func() (string, error)) (server.Answer, *server.APIError) {
	parent := req.Params[info.parent]
	if parent != "" {
		if _, err := s.store.Get(ctx, parent); err != nil && s.strict {
			return server.Answer{}, missing(s.typeOfParam(info.parent), parent, "")
		}
	}
	if from.Variant != nil {
		if key, ok := preparable(info, req, from); ok {
			if ans, refused, ok := s.createPrepared(ctx, info, req, renderVariant, key); ok {
				return ans, refused
			}
		}
	}
	body, err := renderVariant()
	if err != nil {
		return server.Answer{}, nil
	}
	b := view(body) // read only: mergeInto copies what it changes
	id, typ := topString(b, "id"), topString(b, "object")
	if id == "" || typ == "" || typ == "list" {
		return server.Answer{Body: server.Text(body)}, nil
	}
	if param, ok := childParentParam[typ]; ok && parent == "" {
		// A child created on its own route (POST /v1/subscription_items)
		// lives under the parent its body names.
		parent, _ = req.BodyValue(param)
	}
	if parent != "" && id == parent {
		// An action on the object itself (confirm, capture, cancel): it
		// changes the stored object, if there is one.
		return s.act(ctx, info, req, b)
	}
	merged, err := mergeInto(b, s.params(info, req))
	if err != nil {
		return server.Answer{Body: server.Text(body)}, nil
	}
	js := body
	if &merged[0] != &b[0] || len(merged) != len(b) {
		js = text(merged) // a buffer mergeInto built, dropped now
	}
	return s.stored(ctx, store.Object{ID: id, Type: typ, Parent: parent, JSON: js})
}

// stored is a create's answer: obj, once stored.
func (s *State) stored(ctx context.Context, obj store.Object) (server.Answer, *server.APIError) {
	obj, err := s.store.Put(ctx, obj)
	if err != nil {
		return server.Answer{}, storeError(err)
	}
	return server.Answer{Body: server.ObjectBody(obj), Change: server.Change{Op: "created", Type: obj.Type, ID: obj.ID}}, nil
}

// answerHead is how many of a stored fill's first bytes answerTop reads
// before it joins the whole: a charge's balance_transaction ends in its
// first 220.
const answerHead = 256

// answerTop is topValues of an answer's body. Of a fill, it reads the
// first answerHead bytes, joined as a short text, and joins the whole
// only when they do not hold every key's value.
func answerTop(body server.Body, keys ...string) []string {
	if f := body.Filled(); f != nil && f.Len() > answerHead {
		if out := topValues(view(f.Head(answerHead)), keys...); !slices.Contains(out, "") {
			return out
		}
	}
	return topValues(view(body.String()), keys...)
}

// createPrepared is create for a request that may be prepared: a fill of
// the prepared create kept for it, or the first of its renderings, which
// prepares it. ok is false when the request's creates cannot be prepared:
// create renders it as any other.
func (s *State) createPrepared(ctx context.Context, info *routeInfo, req *render.Request, renderVariant func() (string, error), key preparedKey) (ans server.Answer, refused *server.APIError, ok bool) {
	var sc shapeScratch // the shape's key and holes, kept off the heap
	shape := shapeOf(req, &sc)
	p := s.prepared.get(key, shape.key)
	if p == nil && s.prepared.full() {
		return server.Answer{}, nil, false
	}
	if p == nil {
		var first rendering
		learnt := shape.owned()
		first, p = s.prepare(info, req, renderVariant, learnt)
		s.prepared.keep(key, string(learnt.key), p)
		if p.ok {
			ans, refused = s.stored(ctx, store.Object{ID: first.ids[p.self], Type: p.typ, JSON: first.js, Layout: p.layout})
			return ans, refused, true
		}
	}
	if !p.ok {
		return server.Answer{}, nil, false
	}
	values, ok := shape.values()
	if !ok {
		return server.Answer{}, nil, false
	}
	ans, refused = s.stored(ctx, p.fill(time.Now(), values))
	return ans, refused, true
}

// act applies an action's answer to a stored object: the request's
// parameters and the status the action leads to.
func (s *State) act(ctx context.Context, info *routeInfo, req *render.Request, answer []byte) (server.Answer, *server.APIError) {
	id := topString(answer, "id")
	p := s.params(info, req)
	if sp, ok, err := member(answer, "status"); err == nil && ok {
		if p == nil {
			p = map[string]any{}
		}
		p["status"] = stringValue(answer, sp)
	}
	obj, err := s.store.Update(ctx, id, func(o store.Object) (store.Object, error) {
		merged, err := mergeInto([]byte(o.JSON), p)
		if err != nil {
			return o, err
		}
		o.JSON = string(merged)
		return o, nil
	})
	if err != nil {
		if errors.Is(err, store.ErrNotFound) && !s.strict {
			return server.Answer{Body: server.Text(string(answer))}, nil
		}
		if errors.Is(err, store.ErrNotFound) {
			return server.Answer{}, missing(topString(answer, "object"), id, "")
		}
		return server.Answer{}, storeError(err)
	}
	return server.Answer{Body: server.Text(obj.JSON), Change: server.Change{Op: "updated", Type: obj.Type, ID: id}}, nil
}

func (s *State) update(ctx context.Context, info *routeInfo, req *render.Request, renderVariant func() (string, error)) (server.Answer, *server.APIError) {
	id := req.Params[info.id]
	if _, ok := s.lookup(ctx, info, id); ok {
		p := s.params(info, req)
		obj, err := s.store.Update(ctx, id, func(o store.Object) (store.Object, error) {
			merged, err := mergeInto([]byte(o.JSON), p)
			if err != nil {
				return o, err
			}
			o.JSON = string(merged)
			return o, nil
		})
		if err == nil {
			return server.Answer{Body: server.Text(obj.JSON), Change: server.Change{Op: "updated", Type: obj.Type, ID: id}}, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return server.Answer{}, storeError(err)
		}
	}
	if s.strict {
		return server.Answer{}, missing(info.typ, id, "id")
	}
	return rendered(renderVariant)
}

func (s *State) remove(ctx context.Context, info *routeInfo, req *render.Request, renderVariant func() (string, error)) (server.Answer, *server.APIError) {
	id := req.Params[info.id]
	obj, ok := s.lookup(ctx, info, id)
	if !ok {
		if s.strict {
			return server.Answer{}, missing(info.typ, id, "id")
		}
		return rendered(renderVariant)
	}
	body, err := renderVariant()
	if err != nil {
		return server.Answer{}, nil
	}
	b := []byte(body)
	if sp, ok, err := member(b, "deleted"); err != nil || !ok || string(b[sp.start:sp.end]) != "true" {
		// A DELETE that does not delete (a subscription's cancel): the
		// object stays, with the status the answer gives it.
		return s.act(ctx, info, req, b)
	}
	if refused := s.life.invoiceItemRemoving(ctx, obj); refused != nil {
		return server.Answer{}, refused
	}
	// What was created under the object goes with it (a customer's
	// cards, sources, tax ids and balance transactions), as Stripe
	// deletes them together.
	if _, err := s.store.Delete(ctx, id, true); err != nil && !errors.Is(err, store.ErrNotFound) {
		return server.Answer{}, storeError(err)
	}
	// A deleted child leaves its parent's embedded list, a deleted
	// invoice item its draft invoice (children.go).
	if err := s.childrenChanged(ctx, obj); err != nil {
		return server.Answer{}, storeError(err)
	}
	s.life.invoiceItemRemoved(ctx, obj)
	return server.Answer{Body: server.Text(body), Change: server.Change{Op: "deleted", Type: obj.Type, ID: id}}, nil
}

// typeOfParam guesses the type a path parameter names ("customer").
func (s *State) typeOfParam(name string) string { return name }

// storeError answers a store's refusal in Stripe's envelope.
func storeError(err error) *server.APIError {
	var full *store.FullError
	if errors.As(err, &full) {
		return &server.APIError{Status: http.StatusBadRequest, Type: "invalid_request_error", Code: "store_full",
			Message: fmt.Sprintf("routedeck's store is full: it holds its maximum of %d objects (--max-objects). Delete objects, reset the store, or start routedeck with a larger --max-objects.", full.Max)}
	}
	return &server.APIError{Status: http.StatusInternalServerError, Type: "api_error",
		Message: "routedeck's store failed: " + err.Error()}
}

// topString is the string value of a top-level member, "" if none.
func topString(b []byte, key string) string {
	sp, ok, err := member(b, key)
	if err != nil || !ok {
		return ""
	}
	return stringValue(b, sp)
}
