package stripe

// Events: every change a request makes to the store is announced as Stripe
// announces it. Before a POST or DELETE, the object the path names (and,
// for a PaymentIntent, its latest charge) is read; after it, read again.
// What differs becomes events, in the order Stripe sends them:
//
//   - a create: "<type>.created" (customer.created, product.created, ...),
//     but a charge's is charge.succeeded or charge.failed;
//   - a delete: "<type>.deleted", data.object the object as it was;
//   - a PaymentIntent's new or changed charge first: charge.succeeded,
//     charge.failed, charge.captured, charge.refunded (else charge.updated);
//   - a PaymentIntent's new status: payment_intent.succeeded,
//     requires_action, canceled, amount_capturable_updated (requires
//     capture), payment_failed (a stored decline); a PaymentMethod gaining
//     or losing its customer: payment_method.attached/detached; a
//     SetupIntent: setup_intent.succeeded/setup_failed; anything else that
//     changed: "<type>.updated".
//
// Updates carry data.previous_attributes: the earlier value of every
// top-level field that changed (a changed nested object, such as metadata,
// is given whole). Each event names the request (request.id and
// request.idempotency_key), is appended to the store's event log, served by
// GET /v1/events and /v1/events/:id, and handed to StateOptions.Events.
//
// An error variant is answered from the catalog alone and changes nothing,
// so it raises no event, with one exception (Failed): a PaymentIntent
// confirm answered with its error variant stores a decline, as a
// declining test card (pm_card_chargeDeclined) does, and so raises
// charge.failed and payment_intent.payment_failed.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/render"
	"github.com/routedeck/routedeck/server"
	"github.com/routedeck/routedeck/store"
	"github.com/routedeck/routedeck/webhook"
)

// before is what a write's target looked like before the request.
type before struct {
	id     string
	obj    *store.Object
	charge *store.Object // a PaymentIntent's latest charge
	// members are a PaymentIntent's members (obj's text), read to find
	// its latest charge: the lifecycle's write of the intent takes them
	// rather than read the same text again (lifecycle.readIntent).
	members members
	got     store.Object // what obj points to, in the same allocation
}

// watch reads the object a write names, before the write; nil for a
// route that writes nothing.
func (s *State) watch(ctx context.Context, route *catalog.Route, req *render.Request) *before {
	if !writes(route) {
		return nil
	}
	w := &before{}
	s.look(ctx, route, req, w)
	return w
}

// writes reports whether requests to route may change what is stored.
func writes(route *catalog.Route) bool {
	return route.Method == http.MethodPost || route.Method == http.MethodDelete
}

// look is watch, reading into w.
func (s *State) look(ctx context.Context, route *catalog.Route, req *render.Request, w *before) {
	if n := len(route.Params); n > 0 {
		w.id = req.Params[route.Params[n-1]]
	}
	if w.id == "" {
		return
	}
	if obj, err := s.store.Get(ctx, w.id); err == nil {
		w.got = obj
		w.obj = &w.got
		if obj.Type == "payment_intent" {
			// One read of the intent serves this and the write after it.
			w.members = s.life.readIntent(ctx, w.id, view(obj.JSON))
			if ch := w.members.string("latest_charge"); ch != "" {
				if c, err := s.store.Get(ctx, ch); err == nil {
					w.charge = &c
				}
			}
		}
	}
}

// raise turns what a write changed into events.
func (s *State) raise(ctx context.Context, w *before, req *render.Request, ans server.Answer) {
	if w == nil {
		return
	}
	if ans.Change.Op == "created" && ans.Change.ID != w.id {
		obj, err := s.createdObject(ctx, ans)
		if err != nil || silent(obj.Type) {
			return
		}
		s.emit(ctx, req, createdEvent(obj), obj, nil)
		if obj.Type == "payment_intent" {
			// Created with confirm=true: its charge and status follow.
			obj.JSON, obj.Filled = obj.Text(), nil
			s.changed(ctx, req, nil, &obj, nil)
		}
		return
	}
	if w.obj == nil || silent(w.obj.Type) {
		return
	}
	after, err := s.store.Get(ctx, w.id)
	if errors.Is(err, store.ErrNotFound) {
		s.emit(ctx, req, eventPrefix(w.obj.Type)+".deleted", *w.obj, nil)
		return
	}
	if err != nil || after.JSON == w.obj.JSON {
		return
	}
	s.changed(ctx, req, w, &after, w.charge)
}

// createdObject is the object a create stored: the fill its answer holds
// (the object as the create stored it: a write that changes it later in
// the request answers the text it wrote), else the store's.
func (s *State) createdObject(ctx context.Context, ans server.Answer) (store.Object, error) {
	if f := ans.Body.Filled(); f != nil {
		return store.Object{ID: ans.Change.ID, Type: ans.Change.Type, Filled: f}, nil
	}
	return s.store.Get(ctx, ans.Change.ID)
}

// changed raises the events of an object that changed (old nil: new).
func (s *State) changed(ctx context.Context, req *render.Request, w *before, after *store.Object, oldCharge *store.Object) {
	var old []byte
	if w != nil && w.obj != nil {
		old = view(w.obj.JSON)
	}
	now := view(after.JSON)
	typ := after.Type
	if typ == "payment_intent" {
		if ch := topString(now, "latest_charge"); ch != "" {
			if c, err := s.store.Get(ctx, ch); err == nil && (oldCharge == nil || oldCharge.ID != c.ID || oldCharge.JSON != c.JSON) {
				var oldJSON []byte
				if oldCharge != nil && oldCharge.ID == c.ID {
					oldJSON = view(oldCharge.JSON)
				}
				s.emit(ctx, req, chargeEvent(oldJSON, view(c.JSON)), c, previous(oldJSON, view(c.JSON)))
			}
		}
	}
	s.statusEvent(ctx, req, old, after, nil)
}

// statusEvent raises the event of an object's change (old nil: new),
// named for what changed: a new status (invoice.paid,
// payment_intent.succeeded), a failed attempt (invoice.payment_failed), a
// customer gained or lost (payment_method.attached), else "<type>.updated".
// r, when not nil, is the members of old and after as the write read
// them, if they are still these objects.
func (s *State) statusEvent(ctx context.Context, req *render.Request, old []byte, after *store.Object, r *read) {
	now := view(after.JSON)
	typ := after.Type
	var prev json.RawMessage
	var status, oldStatus string
	if r.describes(old, after.JSON) {
		// The write read both objects: what it replaced is what changed.
		prev = r.previous()
		// Both texts are stored ones, which never change.
		status, oldStatus = r.now.stringView("status"), r.old.stringView("status")
	} else {
		// One pass over each object serves the changes and the statuses.
		var oldBuf, nowBuf [96]keyValue // on the stack for most objects
		n, okNow := topMembers(now, nowBuf[:0])
		var o []keyValue
		okOld := false
		if old != nil {
			o, okOld = topMembers(old, oldBuf[:0])
		}
		prev = previousOf(old, now, o, okOld, n, okNow)
		status = memberString(now, n, okNow, "status")
		if old != nil {
			oldStatus = memberString(old, o, okOld, "status")
		}
	}
	event := "" // "<type>.updated" when nothing names the change
	switch typ {
	case "invoice":
		if status != oldStatus {
			switch status {
			case "open":
				event = "invoice.finalized"
			case "paid":
				event = "invoice.paid"
			case "void":
				event = "invoice.voided"
			case "uncollectible":
				event = "invoice.marked_uncollectible"
			}
		} else if status == "open" && old != nil && topInt(now, "attempt_count") > topInt(old, "attempt_count") {
			event = "invoice.payment_failed"
			if pi := s.invoiceIntent(ctx, now); pi != nil && topString(pi, "status") == "requires_action" {
				event = "invoice.payment_action_required"
			}
		}
	case "subscription":
		if status == "canceled" && oldStatus != status {
			event = "customer.subscription.deleted" // as Stripe announces a cancel
		}
	case "test_helpers.test_clock":
		if status == "ready" {
			event = "test_helpers.test_clock.ready"
		}
	case "checkout.session":
		if status != oldStatus {
			switch status {
			case "complete":
				event = "checkout.session.completed"
			case "expired":
				event = "checkout.session.expired"
			}
		}
	case "payment_intent":
		if status != oldStatus {
			switch status {
			case "succeeded":
				event = "payment_intent.succeeded"
			case "requires_action":
				event = "payment_intent.requires_action"
			case "canceled":
				event = "payment_intent.canceled"
			case "requires_capture":
				event = "payment_intent.amount_capturable_updated"
			case "requires_payment_method":
				if hasValue(now, "last_payment_error") {
					event = "payment_intent.payment_failed"
				}
			}
		} else if status == "requires_payment_method" && hasValue(now, "last_payment_error") && !bytes.Equal(member2(old, "last_payment_error"), member2(now, "last_payment_error")) {
			event = "payment_intent.payment_failed"
		}
		if old == nil && event == "" {
			return // created and not confirmed: payment_intent.created says it all
		}
	case "payment_method":
		was, is := hasValue(old, "customer"), hasValue(now, "customer")
		switch {
		case is && !was:
			event = "payment_method.attached"
		case was && !is:
			event = "payment_method.detached"
		}
	case "setup_intent":
		switch {
		case status == "succeeded" && oldStatus != status:
			event = "setup_intent.succeeded"
		case hasValue(now, "last_setup_error") && !bytes.Equal(member2(old, "last_setup_error"), member2(now, "last_setup_error")):
			event = "setup_intent.setup_failed"
		}
	}
	if event == "" {
		event = eventPrefix(typ) + ".updated"
	}
	s.emit(ctx, req, event, *after, prev)
	if event == "invoice.paid" && topInt(now, "amount_paid") > 0 {
		// Paid by a payment (not out of band, not owing nothing): Stripe
		// announces the payment too.
		s.emit(ctx, req, "invoice.payment_succeeded", *after, prev)
	}
}

// eventPrefix is the start of an object type's event types: a
// subscription's are customer.subscription.*, as Stripe names them.
func eventPrefix(typ string) string {
	if typ == "subscription" {
		return "customer.subscription"
	}
	return typ
}

// createdEvent names the event of a created object: "<type>.created",
// but a charge's is charge.succeeded or charge.failed, as Stripe has no
// charge.created.
func createdEvent(obj store.Object) string {
	switch {
	case obj.Type != "charge":
		return eventPrefix(obj.Type) + ".created"
	case !containsText(obj, `"failed"`):
		// No member says failed (a byte search, far cheaper than
		// reading the 3 KB charge's members for its status).
		return "charge.succeeded"
	}
	return chargeEvent(nil, view(obj.Text()))
}

// containsText reports whether obj's JSON contains s, a fill's unjoined.
func containsText(obj store.Object, s string) bool {
	if obj.Filled != nil {
		return obj.Filled.Contains(s)
	}
	return strings.Contains(obj.JSON, s)
}

// chargeEvent names what happened to a charge.
func chargeEvent(old, now []byte) string {
	if old == nil {
		if topString(now, "status") == "failed" {
			return "charge.failed"
		}
		return "charge.succeeded"
	}
	switch {
	case !bytes.Equal(member2(old, "amount_refunded"), member2(now, "amount_refunded")):
		return "charge.refunded"
	case !bytes.Equal(member2(old, "captured"), member2(now, "captured")):
		return "charge.captured"
	}
	return "charge.updated"
}

// member2 is a top-level member's raw JSON, nil when absent.
func member2(b []byte, key string) []byte {
	if b == nil {
		return nil
	}
	sp, ok, err := member(b, key)
	if err != nil || !ok {
		return nil
	}
	return b[sp.start:sp.end]
}

// hasValue reports whether a top-level member is present and not null.
func hasValue(b []byte, key string) bool {
	v := member2(b, key)
	return v != nil && string(v) != "null"
}

// previous is data.previous_attributes: the old value of each top-level
// field that differs (null for one that was absent); nil when old is nil.
func previous(old, now []byte) json.RawMessage {
	if old == nil {
		return nil
	}
	var oldBuf, nowBuf [96]keyValue // on the stack for most objects
	o, okOld := topMembers(old, oldBuf[:0])
	n, okNow := topMembers(now, nowBuf[:0])
	return previousOf(old, now, o, okOld, n, okNow)
}

// previousOf is previous given each object's topMembers.
func previousOf(old, now []byte, o []keyValue, okOld bool, n []keyValue, okNow bool) json.RawMessage {
	if old == nil {
		return nil
	}
	var changed []keyValue
	if okOld && okNow && sameKeys(o, n) {
		// An update keeps its members in place: compare them pairwise. A
		// repeated name ends as its last member decides, as in decoding.
		for idx, nv := range n {
			same := jsonEqual(o[idx].value, nv.value)
			at := slices.IndexFunc(changed, func(c keyValue) bool { return bytes.Equal(c.key, nv.key) })
			switch {
			case !same && at >= 0:
				changed[at].value = o[idx].value
			case !same:
				changed = append(changed, keyValue{nv.key, o[idx].value})
			case at >= 0:
				changed = slices.Delete(changed, at, at+1)
			}
		}
		return changedObject(changed, false)
	}
	var om, nm map[string]json.RawMessage
	if json.Unmarshal(old, &om) != nil || json.Unmarshal(now, &nm) != nil {
		return nil
	}
	all := map[string]json.RawMessage{}
	for k, nv := range nm {
		ov, ok := om[k]
		if !ok {
			all[k] = json.RawMessage("null")
			continue
		}
		if !jsonEqual(ov, nv) {
			all[k] = ov
		}
	}
	if len(all) == 0 {
		return nil
	}
	b, err := json.Marshal(all)
	if err != nil {
		return nil
	}
	return b
}

// changedObject is previous_attributes of the changed members (name and
// old value), nil for none. valid says the values are known to be valid
// JSON (a stored object's, which the store checked).
func changedObject(changed []keyValue, valid bool) json.RawMessage {
	if len(changed) == 0 {
		return nil
	}
	if b, ok := plainObject(changed, valid); ok {
		return b
	}
	m := make(map[string]json.RawMessage, len(changed))
	for _, c := range changed {
		m[string(c.key)] = c.value
	}
	b, err := json.Marshal(m) // sorted names, compact values: as previousOf's other way
	if err != nil {
		return nil
	}
	return b
}

// keyValue is one member of an object: its name's text and its value's.
type keyValue struct{ key, value []byte }

// plainObject is what json.Marshal writes for the members as a map of
// json.RawMessage (names sorted, values as they are), written directly;
// ok is false when Marshal could write other bytes (a name or value it
// escapes or compacts, a value that is not valid JSON, unless valid says
// the values are): marshal those. It sorts members in place.
func plainObject(members []keyValue, valid bool) (b []byte, ok bool) {
	size := 2
	for _, m := range members {
		if !marshalsAsIs(m.key) || !marshalsAsIs(m.value) || !valid && !json.Valid(m.value) {
			return nil, false
		}
		size += len(m.key) + len(m.value) + 4
	}
	slices.SortFunc(members, func(a, b keyValue) int { return bytes.Compare(a.key, b.key) })
	b = make([]byte, 0, size)
	b = append(b, '{')
	for i, m := range members {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, m.key...)
		b = append(b, '"', ':')
		b = append(b, m.value...)
	}
	return append(b, '}'), true
}

// marshalsAsIs reports whether json.Marshal leaves b's bytes as they
// are (in a name, or in a valid json.RawMessage): no space to compact, no
// <, > or & to escape, and no byte that could start U+2028 or U+2029.
func marshalsAsIs(b []byte) bool {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\r', '\n', '<', '>', '&', 0xe2:
			return false
		}
	}
	return true
}

// memberString is topString(b, key) given b's topMembers (ok from
// topMembers): the first member named key, as member finds it.
func memberString(b []byte, members []keyValue, ok bool, key string) string {
	if !ok {
		return topString(b, key)
	}
	for _, m := range members {
		if string(m.key) == key {
			return stringValue(m.value, span{0, len(m.value)})
		}
	}
	return ""
}

// sameKeys reports whether a and b name the same members in the same order.
func sameKeys(a, b []keyValue) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !bytes.Equal(a[i].key, b[i].key) {
			return false
		}
	}
	return true
}

// topMembers appends each top-level member of the object b to dst, in
// order, without copying: what json.Unmarshal into a map of
// json.RawMessage reads, before repeated names are merged. ok is false
// for what it does not read plainly (a name with an escape or a byte
// outside printable ASCII, malformed JSON): decode those instead.
func topMembers(b []byte, dst []keyValue) ([]keyValue, bool) {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return nil, false
	}
	if i = skipSpace(b, i+1); i < len(b) && b[i] == '}' {
		return dst, skipSpace(b, i+1) == len(b)
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return nil, false
		}
		kend, err := stringEnd(b, i)
		if err != nil {
			return nil, false
		}
		key := b[i+1 : kend-1]
		if !plainBytes(key) {
			return nil, false
		}
		if i = skipSpace(b, kend); i >= len(b) || b[i] != ':' {
			return nil, false
		}
		start := skipSpace(b, i+1)
		end, err := valueEnd(b, start)
		if err != nil {
			return nil, false
		}
		dst = append(dst, keyValue{key, b[start:end]})
		switch i = skipSpace(b, end); {
		case i < len(b) && b[i] == ',':
			i = skipSpace(b, i+1)
		case i < len(b) && b[i] == '}':
			return dst, skipSpace(b, i+1) == len(b)
		default:
			return nil, false
		}
	}
}

// jsonEqual compares two JSON values, ignoring layout.
func jsonEqual(a, b json.RawMessage) bool {
	if bytes.Equal(a, b) {
		return true
	}
	if !hasJSONSpace(a) && !hasJSONSpace(b) {
		return false // both compact already: their bytes differ
	}
	var ca, cb bytes.Buffer
	if json.Compact(&ca, a) != nil || json.Compact(&cb, b) != nil {
		return false
	}
	return bytes.Equal(ca.Bytes(), cb.Bytes())
}

// hasJSONSpace reports whether b has a byte JSON takes for space.
func hasJSONSpace(b []byte) bool {
	for _, c := range b {
		if isJSONSpace(c) {
			return true
		}
	}
	return false
}

// apiVersion is an event's api_version: the request's Stripe-Version;
// for a change no API request made (routedeck's own calls, the terminal
// UI), the version the app's last request sent, as Stripe uses the
// account's version, so that the app's client accepts the event; else
// the catalog's.
func (s *State) apiVersion(requested string) string {
	if requested != "" {
		return requested
	}
	if v := s.clientVersion.Load(); v != nil {
		return *v
	}
	if s.cat.Version != "" {
		return s.cat.Version
	}
	return "2020-08-27"
}

// sawVersion remembers the Stripe-Version an API request sent.
func (s *State) sawVersion(v string) {
	if v == "" {
		return
	}
	if cur := s.clientVersion.Load(); cur == nil || *cur != v {
		kept := v // on the heap only when it changes
		s.clientVersion.Store(&kept)
	}
}

// emit logs one event about object, a stored object (its JSON, or its
// fill as the store keeps it), and hands it on.
func (s *State) emit(ctx context.Context, req *render.Request, typ string, object store.Object, prev json.RawMessage) {
	// Both names are canonical: the map is read as Header.Get would read
	// it, without canonicalizing them again for every event.
	version := s.apiVersion(headerValue(req.Header, "Stripe-Version"))
	// The object comes from the store, which holds only valid JSON
	// objects, and prev from previous: the event is written directly,
	// without encoding/json checking and copying them again.
	ev := webhook.Event{ID: eventID(), Object: "event", APIVersion: version, Created: time.Now().Unix(), Type: typ,
		Data: webhook.EventData{Object: eventObject(object), PreviousAttributes: prev}}
	if req.ID != "" {
		ev.Request.ID = requestIDOf(ctx, req.ID)
	}
	if k := headerValue(req.Header, "Idempotency-Key"); k != "" {
		key := k // on the heap only when there is one
		ev.Request.IdempotencyKey = &key
	}
	_ = s.publishAround(ctx, &ev, object)
}

// eventObject is an event's data.object, object's JSON: its fill,
// joined only when the event is read, or its text's bytes, shared (an
// event is only read).
func eventObject(object store.Object) webhook.Object {
	if object.Filled != nil {
		return webhook.PartsObject(object.Filled)
	}
	return webhook.RawObject(view(object.JSON))
}

// headerValue is h.Get(name) for a name in canonical form.
func headerValue(h http.Header, name string) string {
	if v := h[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// eventsAround is a store that keeps an event as the text around its
// object (store.Memory.AppendEventAround).
type eventsAround interface {
	AppendEventAround(ctx context.Context, ev store.Object, before string, object store.Object, after string) error
}

// publish keeps ev in the event log and hands it on.
func (s *State) publish(ctx context.Context, ev *webhook.Event) error {
	return s.publishAround(ctx, ev, store.Object{})
}

// publishAround is publish for an event whose data.object is object, a
// stored object (the zero Object for another event): a store that can
// keeps the event as the text around it, and the object as it keeps it
// (a fill, never joined).
func (s *State) publishAround(ctx context.Context, ev *webhook.Event, object store.Object) error {
	if s.endpoints != nil {
		ev.PendingWebhooks = s.endpoints.Count(ev.Type) // as the Sender counts it
	}
	var err error
	if st, ok := s.store.(eventsAround); ok && (object.Filled != nil || object.JSON != "") {
		env := writeEnvelope(ev)
		// The envelope is ours, its nested values the store's objects'
		// (previous) and its own encoding: the store need only read
		// its scalars, and an envelope of the shape of a recent one
		// (the same lengths) not even those.
		l := s.envelopes.layout(&env)
		before, after := env.text[:env.mark], env.text[env.mark+len(emptyObject):] // the store takes env.text as their join
		err = st.AppendEventAround(ctx, store.Object{ID: ev.ID, Type: "event", JSON: env.text, Layout: l}, before, object, after)
	} else {
		_, err = s.store.AppendEvent(ctx, store.Object{ID: ev.ID, Type: "event", JSON: eventJSON(ev)})
	}
	if err != nil {
		return fmt.Errorf("event %s: %w", ev.Type, err)
	}
	if s.onEvent != nil {
		s.onEvent(*ev)
	}
	return nil
}

// Trigger raises an event of eventType by hand, as `stripe trigger` does:
// its data.object is the catalog's sample object, changed as the type
// says (webhook.Sample). It is kept in the event log (GET /v1/events) and
// handed on to the webhook endpoints as the events of requests are. An
// unknown type is a *webhook.UnknownTypeError.
func (s *State) Trigger(ctx context.Context, eventType string) (webhook.Event, error) {
	if err := webhook.CheckType(eventType); err != nil {
		return webhook.Event{}, err
	}
	fixtures, err := s.rules.fixtures()
	if err != nil {
		return webhook.Event{}, fmt.Errorf("event %s: %w", eventType, err)
	}
	obj, prev, err := webhook.Sample(eventType, fixtures, time.Now())
	if err != nil {
		return webhook.Event{}, err
	}
	version := s.apiVersion("")
	ev, err := webhook.NewEvent(webhook.EventParams{Type: eventType, Object: obj, PreviousAttributes: prev, APIVersion: version})
	if err != nil {
		return webhook.Event{}, err
	}
	if err := s.publish(ctx, &ev); err != nil {
		return webhook.Event{}, err
	}
	return ev, nil
}

// eventJSON is ev as encoding/json writes it (the same members in the
// same order), with data.object and data.previous_attributes as they are.
func eventJSON(ev *webhook.Event) string {
	before, after := eventAround(ev)
	return before + string(ev.Data.Object.JSON()) + after
}

// eventAround is eventJSON before and after data.object.
func eventAround(ev *webhook.Event) (before, after string) {
	before, after, _ = eventAroundMembers(ev)
	return before, after
}

// eventMembers is how many top-level members an event has.
const eventMembers = 9

// emptyObject stands for data.object in an envelope.
const emptyObject = "{}"

// eventAroundMembers is eventAround, and where the event's top-level
// members lie in before, "{}" and after joined (store.MembersLayout).
func eventAroundMembers(ev *webhook.Event) (before, after string, ms [eventMembers]store.Member) {
	env := writeEnvelope(ev)
	return env.text[:env.mark], env.text[env.mark+len(emptyObject):], env.ms
}

// envelope is an event's JSON with "{}" for data.object: one string, of
// which the text before and after the object are parts, so that they
// cost no copies.
type envelope struct {
	text string
	mark int // where "{}" starts
	// ms are where the top-level members lie in text.
	ms [eventMembers]store.Member
	// plain says every string member was written as it is, unescaped:
	// where the members lie then depends only on their lengths.
	plain bool
}

// writeEnvelope writes ev's envelope, as eventJSON writes ev with "{}"
// for its data.object.
func writeEnvelope(ev *webhook.Event) envelope {
	size := len(`{"id":"","object":"event","api_version":"","created":,"data":{"object":{},"previous_attributes":},`+
		`"livemode":false,"pending_webhooks":,"request":{"id":,"idempotency_key":},"type":""}`) +
		len(ev.ID) + len(ev.APIVersion) + 20 + len(ev.Data.PreviousAttributes) + 20 + len(ev.Type) + 8
	if ev.Request.ID != nil {
		size += len(*ev.Request.ID)
	}
	if ev.Request.IdempotencyKey != nil {
		size += len(*ev.Request.IdempotencyKey)
	}
	w := envelopeWriter{b: make([]byte, 0, size), plain: true} // enough, unless a string needs escapes
	w.member(`{"`, "id")
	w.str(ev.ID)
	w.end()
	w.member(`,"`, "object")
	w.b = append(w.b, `"event"`...)
	w.end()
	w.member(`,"`, "api_version")
	w.str(ev.APIVersion)
	w.end()
	w.member(`,"`, "created")
	w.b = strconv.AppendInt(w.b, ev.Created, 10)
	w.end()
	w.member(`,"`, "data")
	w.b = append(w.b, `{"object":`...)
	mark := len(w.b)
	w.b = append(w.b, emptyObject...)
	if len(ev.Data.PreviousAttributes) > 0 {
		w.b = append(w.b, `,"previous_attributes":`...)
		w.b = append(w.b, ev.Data.PreviousAttributes...)
	}
	w.b = append(w.b, '}')
	w.end()
	w.member(`,"`, "livemode")
	w.b = append(w.b, "false"...)
	w.end()
	w.member(`,"`, "pending_webhooks")
	w.b = strconv.AppendInt(w.b, int64(ev.PendingWebhooks), 10)
	w.end()
	w.member(`,"`, "request")
	w.b = append(w.b, `{"id":`...)
	w.b = appendNullableString(w.b, ev.Request.ID) // inside an object: the layout does not read it
	w.b = append(w.b, `,"idempotency_key":`...)
	w.b = appendNullableString(w.b, ev.Request.IdempotencyKey)
	w.b = append(w.b, '}')
	w.end()
	w.member(`,"`, "type")
	w.str(ev.Type)
	w.end()
	w.b = append(w.b, '}')
	return envelope{text: text(w.b), mark: mark, ms: w.ms, plain: w.plain} // w.b is dropped: the string is its only view
}

// envelopeWriter writes an envelope, noting where its members lie.
type envelopeWriter struct {
	b     []byte
	ms    [eventMembers]store.Member
	n     int
	plain bool
}

// member writes sep and a member's name, and notes where they and the
// value that follows start.
func (w *envelopeWriter) member(sep, name string) {
	k := len(w.b) + len(sep)
	w.b = append(append(append(w.b, sep...), name...), '"', ':')
	w.ms[w.n].Key = store.Span{Start: k, End: k + len(name)}
	w.ms[w.n].Value.Start = len(w.b)
}

// end notes where the member's value ends.
func (w *envelopeWriter) end() {
	w.ms[w.n].Value.End = len(w.b)
	w.n++
}

// str writes a string value as encoding/json does.
func (w *envelopeWriter) str(s string) {
	n := len(w.b)
	w.b = appendJSONString(w.b, s)
	// An escape always makes the text longer than s between quotes.
	w.plain = w.plain && len(w.b)-n == len(s)+2
}

// envelopeLayouts keep the layouts of recent envelopes by their shape:
// the envelopes of one route's events differ in their values' text, not
// in where their members lie, and a layout is only read (the store
// copies what it keeps of it).
type envelopeLayouts struct {
	slots [16]atomic.Pointer[shapedLayout]
}

// shapedLayout is an envelope's layout and the shape it fits.
type shapedLayout struct {
	shape  envelopeShape
	layout *store.Layout
}

// envelopeShape is the length of each of an envelope's values: given
// them, and strings written unescaped, it is known where every member
// lies.
type envelopeShape [eventMembers]int

// layout is env's layout (store.MembersLayout), nil when the store must
// read the envelope itself.
func (c *envelopeLayouts) layout(env *envelope) *store.Layout {
	if !env.plain {
		l, _ := store.MembersLayout(env.text, env.ms[:])
		return l
	}
	var shape envelopeShape
	h := uint(0)
	for i, m := range env.ms {
		shape[i] = m.Value.End - m.Value.Start
		h = h*31 + uint(shape[i])
	}
	slot := &c.slots[h%uint(len(c.slots))]
	if sl := slot.Load(); sl != nil && sl.shape == shape {
		return sl.layout
	}
	l, err := store.MembersLayout(env.text, env.ms[:])
	if err == nil {
		slot.Store(&shapedLayout{shape: shape, layout: l})
	}
	return l
}

// appendNullableString appends s as encoding/json encodes a *string.
func appendNullableString(b []byte, s *string) []byte {
	if s == nil {
		return append(b, "null"...)
	}
	return appendJSONString(b, *s)
}

// eventID is "evt_" and 24 random letters and digits, as webhook.NewEvent
// makes them.
func eventID() string {
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	var b [4 + 24]byte
	copy(b[:], "evt_")
	n := 4
	for range 3 {
		x := rand.Uint64() // 62^8 < 2^64: eight characters a draw
		for range 8 {
			b[n] = alphabet[x%62]
			x /= 62
			n++
		}
	}
	return string(b[:])
}

// eventsAnswer serves GET /v1/events (type, types[], created, paging)
// and GET /v1/events/:id from the event log.
func (s *State) eventsAnswer(ctx context.Context, req *render.Request) (server.Answer, *server.APIError, bool) {
	if req.Method != http.MethodGet {
		return server.Answer{}, nil, false
	}
	switch {
	case req.Path == "/v1/events":
	case strings.HasPrefix(req.Path, "/v1/events/") && len(req.Path) > len("/v1/events/"):
		id := strings.TrimPrefix(req.Path, "/v1/events/")
		obj, err := s.store.GetEvent(ctx, id)
		if err != nil {
			if !s.strict {
				// An id never stored gets the catalog's event, as any
				// other object does (stripe-mock compatible).
				return server.Answer{}, nil, false
			}
			return server.Answer{}, missing("event", id, "id"), true
		}
		return server.Answer{Body: server.Text(obj.JSON)}, nil, true
	default:
		return server.Answer{}, nil, false
	}
	q := req.QueryValues()
	sq, apiErr := pageQuery(q)
	if apiErr != nil {
		return server.Answer{}, apiErr, true
	}
	if sq.Created, apiErr = createdRange(q); apiErr != nil {
		return server.Answer{}, apiErr, true
	}
	types := map[string]bool{}
	if t := q.Get("type"); t != "" {
		types[t] = true
	}
	for k, vs := range q {
		if strings.HasPrefix(k, "types[") { // types[]=, or types[0]= as stripe-go sends it
			for _, t := range vs {
				types[t] = true
			}
		}
	}
	if len(types) == 0 {
		page, err := s.store.ListEvents(ctx, sq)
		if err != nil {
			return server.Answer{}, listError(err, "event"), true
		}
		return server.Answer{Body: server.Text(listBody("list", page, req.Path, ""))}, nil, true
	}
	// Filtered by type: read the log page by page, keep the matches.
	want := sq.Limit
	var kept store.Page
	sq.Limit = 100
	for {
		page, err := s.store.ListEvents(ctx, sq)
		if err != nil {
			return server.Answer{}, listError(err, "event"), true
		}
		for _, o := range page.Data {
			if types[topString([]byte(o.JSON), "type")] {
				if len(kept.Data) == want {
					kept.HasMore = true
					break
				}
				kept.Data = append(kept.Data, o)
			}
		}
		if kept.HasMore || !page.HasMore || len(page.Data) == 0 {
			break
		}
		sq.StartingAfter, sq.EndingBefore = page.Data[len(page.Data)-1].ID, ""
	}
	kept.TotalCount = -1
	return server.Answer{Body: server.Text(listBody("list", kept, req.Path, ""))}, nil, true
}

var _ server.FailureKeeper = (*State)(nil)

// Failed stores what a route's decline variant means, where it means a
// failure Stripe stores: a PaymentIntent confirm answered with a decline
// declines as the test card of that decline does (the route's "error" as
// pm_card_chargeDeclined, "card_declined/insufficient_funds" as
// pm_card_chargeDeclinedInsufficientFunds: the intent back in
// requires_payment_method with last_payment_error, a failed charge), and
// raises charge.failed and payment_intent.payment_failed. Other variants
// change nothing and raise no event, as a refused request at Stripe does.
func (s *State) Failed(route *catalog.Route, req *render.Request, variant *catalog.Variant) {
	if action, ok := s.life.kinds[route.Index()]; !ok || action != intentConfirm {
		return
	}
	ctx := requestContext(s.store, req)
	declined := render.Request{Method: req.Method, Path: req.Path, Params: req.Params, Header: req.Header, ID: req.ID,
		Body: []byte(declineParams(variant.Name)), ContentType: "application/x-www-form-urlencoded"}
	w := s.watch(ctx, route, &declined)
	if w == nil || w.obj == nil || w.obj.Type != "payment_intent" {
		return
	}
	_, _ = s.life.confirm(ctx, w.id, &declined)
	s.raise(ctx, w, req, server.Answer{})
}
