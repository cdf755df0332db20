package stripe

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/routedeck/routedeck/render"
	"github.com/routedeck/routedeck/server"
	"github.com/routedeck/routedeck/store"
)

// Test clocks move time for the customers attached to them (test_clock
// on the customer), as Stripe's do: advancing a clock
// (POST /v1/test_helpers/test_clocks/:id/advance) walks their
// subscriptions through what happens in between, all of them in time
// order:
//
//   - 3 days before a trial ends, customer.subscription.trial_will_end;
//   - 3 days before a trial ends or a period renews, invoice.upcoming
//     (Stripe sends it as many days ahead as the account's "upcoming
//     renewal events" setting says; routedeck uses 3);
//   - at the end of a trial or a period, the next period's invoice,
//     finalized and paid with the subscription's or the customer's
//     default payment method: paid, the subscription active (a trial
//     ends: trialing → active); declined, invoice.payment_failed and the
//     subscription past_due; a subscription set to cancel_at_period_end is
//     canceled instead;
//   - 23 hours after an incomplete subscription started without its first
//     invoice paid, incomplete_expired, the invoice voided.
//
// Objects created while the clock moves are stamped with its time. The
// advance answers the clock already ready (Stripe answers "advancing"
// and a client polls until "ready"). frozen_time must be after the
// clock's, and at most two intervals of its shortest subscription ahead
// (two years with none), as Stripe requires.

// upcomingDays is how long before a renewal invoice.upcoming is sent, and
// before a trial ends customer.subscription.trial_will_end.
const upcomingDays = 3

// advanceClock answers an advance of a stored test clock; ok is false
// when the clock is not stored.
func (l *lifecycle) advanceClock(ctx context.Context, req *render.Request) (server.Answer, *server.APIError, bool) {
	id := req.Params["test_clock"]
	obj, err := l.store.Get(ctx, id)
	if err != nil || obj.Type != "test_helpers.test_clock" {
		return server.Answer{}, nil, false
	}
	from := topInt([]byte(obj.JSON), "frozen_time")
	v, _ := req.BodyValue("frozen_time")
	to, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return server.Answer{}, &server.APIError{Status: http.StatusBadRequest, Type: "invalid_request_error", Code: "parameter_invalid_integer",
			Param: "frozen_time", Message: "Invalid integer: " + v}, true
	}
	if to <= from {
		return server.Answer{}, &server.APIError{Status: http.StatusBadRequest, Type: "invalid_request_error", Param: "frozen_time",
			Message: fmt.Sprintf("The test clock's frozen_time (%d) can only move forward: %d is not after it.", from, to)}, true
	}
	subs, err := l.clockSubscriptions(ctx, id)
	if err != nil {
		return server.Answer{}, storeFailure(err), true
	}
	limit := time.Unix(from, 0).UTC().AddDate(2, 0, 0).Unix()
	for _, s := range subs {
		price := firstPrice(ctx, l.store, s.ID)
		limit = min(limit, periodEnd(price, periodEnd(price, from)))
	}
	if to > limit {
		return server.Answer{}, &server.APIError{Status: http.StatusBadRequest, Type: "invalid_request_error", Param: "frozen_time",
			Message: fmt.Sprintf("frozen_time %d is too far ahead: a test clock can move at most two intervals of its shortest subscription (two years without one), here to %d.", to, limit)}, true
	}
	if err := l.advanceSubscriptions(ctx, id, subs, from, to); err != nil {
		return server.Answer{}, storeFailure(err), true
	}
	ans, refused := l.update(ctx, id, func(b []byte) ([]byte, *server.APIError) {
		return setMembers(b, []setting{num("frozen_time", to), str("status", "ready")}), nil
	})
	return ans, refused, true
}

// clockSubscriptions are the subscriptions of the customers on a clock.
func (l *lifecycle) clockSubscriptions(ctx context.Context, clock string) ([]store.Object, error) {
	customers, err := l.store.List(ctx, store.Query{Type: "customer", Equal: map[string]string{"test_clock": clock}, Limit: 1000})
	if err != nil {
		return nil, err
	}
	var subs []store.Object
	for _, c := range customers.Data {
		page, err := l.store.List(ctx, store.Query{Type: "subscription", Equal: map[string]string{"customer": c.ID}, Limit: 1000})
		if err != nil {
			return nil, err
		}
		for i := len(page.Data) - 1; i >= 0; i-- { // oldest first
			subs = append(subs, page.Data[i])
		}
	}
	return subs, nil
}

// firstPrice is the stored price of a subscription's first item.
func firstPrice(ctx context.Context, st store.Store, sub string) store.Object {
	items, err := childPage(ctx, st, sub, "subscription_item", store.Query{Limit: 1})
	if err != nil || len(items.Data) == 0 {
		return store.Object{}
	}
	var it struct {
		Price struct {
			ID string `json:"id"`
		} `json:"price"`
	}
	if json.Unmarshal([]byte(items.Data[0].JSON), &it) != nil {
		return store.Object{}
	}
	p, err := st.Get(ctx, it.Price.ID)
	if err != nil || p.Type != "price" {
		return store.Object{}
	}
	return p
}

// setClock moves a clock's frozen_time while it advances (the clock's
// own change is announced once, at the end).
func (l *lifecycle) setClock(ctx context.Context, clock string, t int64) {
	_, _ = l.store.Update(ctx, clock, func(o store.Object) (store.Object, error) {
		o.JSON = string(setMembers([]byte(o.JSON), []setting{num("frozen_time", t)}))
		return o, nil
	})
}

// stepKind is what happens to a subscription at a moment of a clock.
type stepKind int

const (
	stepNotice stepKind = iota + 1 // trial_will_end, invoice.upcoming
	stepEnd                        // a trial or period ends
	stepExpire                     // an incomplete subscription expires
)

// step is the next thing that happens to a subscription.
type step struct {
	at   int64
	kind stepKind
	sub  string
	b    []byte // the subscription now
	end  int64  // the end the notice announces
}

// advanceSubscriptions walks the subscriptions from from to to, all of
// them in time order: at each step the earliest thing that happens to
// any of them.
func (l *lifecycle) advanceSubscriptions(ctx context.Context, clock string, subs []store.Object, from, to int64) error {
	after := make(map[string]int64, len(subs))
	for _, s := range subs {
		after[s.ID] = from
	}
	for range 100 * max(len(subs), 1) { // at most two intervals: a few steps each
		var next *step
		for _, s := range subs {
			st, ok := l.nextStep(ctx, s.ID, after[s.ID], to)
			if ok && (next == nil || st.at < next.at) {
				next = &st
			}
		}
		if next == nil {
			return nil
		}
		l.setClock(ctx, clock, next.at)
		after[next.sub] = next.at
		switch next.kind {
		case stepNotice:
			status := payString(next.b, "status")
			if status == "trialing" {
				noteEvent(ctx, "customer.subscription.trial_will_end", next.b)
			}
			if status != "past_due" && !isTrue(next.b, "cancel_at_period_end") {
				if up := l.upcomingInvoice(ctx, next.b, next.end); up != nil {
					noteEvent(ctx, "invoice.upcoming", up)
				}
			}
		case stepEnd:
			if err := l.renew(ctx, next.sub, next.b, next.at); err != nil {
				return err
			}
		case stepExpire:
			if err := l.expireIncomplete(ctx, next.sub, next.b, next.at); err != nil {
				return err
			}
		}
	}
	return nil
}

// nextStep is the first thing that happens to the subscription sub after
// after and no later than to; ok is false when nothing does.
func (l *lifecycle) nextStep(ctx context.Context, sub string, after, to int64) (step, bool) {
	obj, err := l.store.Get(ctx, sub)
	if err != nil {
		return step{}, false
	}
	b := []byte(obj.JSON)
	var end int64 // the end of the trial or of the period
	switch payString(b, "status") {
	case "trialing":
		end = topInt(b, "trial_end")
	case "active", "past_due":
		end = l.periodEnd(ctx, sub)
	case "incomplete":
		at := topInt(b, "start_date") + incompleteFor
		if at > incompleteFor && after < at && at <= to {
			return step{at: at, kind: stepExpire, sub: sub, b: b}, true
		}
		return step{}, false
	default:
		return step{}, false
	}
	if end <= 0 {
		return step{}, false
	}
	if notice := end - upcomingDays*24*3600; after < notice && notice <= to {
		return step{at: notice, kind: stepNotice, sub: sub, b: b, end: end}, true
	}
	if after < end && end <= to {
		return step{at: end, kind: stepEnd, sub: sub, b: b}, true
	}
	return step{}, false
}

// incompleteFor is how long a subscription stays incomplete before it
// expires, as Stripe's rule says: 23 hours.
const incompleteFor = 23 * 3600

// expireIncomplete expires, at at, an incomplete subscription (b) whose
// first invoice was not paid within 23 hours of its start:
// incomplete_expired (customer.subscription.updated), its open invoice
// voided.
func (l *lifecycle) expireIncomplete(ctx context.Context, sub string, b []byte, at int64) error {
	if inv := payString(b, "latest_invoice"); inv != "" {
		if ans, refused := l.update(ctx, inv, func(b []byte) ([]byte, *server.APIError) {
			if payString(b, "status") != "open" {
				return nil, invoiceRefusal("", "not open")
			}
			return setMembersIn(b, []setting{str("status", "void"), num("amount_remaining", 0)},
				[]nestedSet{{key: "status_transitions", sets: []setting{num("voided_at", at)}}}), nil
		}); refused == nil {
			l.cancelInvoiceIntent(ctx, []byte(ans.Body.String()), at)
		}
	}
	_, refused := l.update(ctx, sub, func(b []byte) ([]byte, *server.APIError) {
		return setMembers(b, []setting{str("status", "incomplete_expired"), num("ended_at", at)}), nil
	})
	if refused != nil {
		return fmt.Errorf("expire %s: %s", sub, refused.Message)
	}
	return nil
}

// periodEnd is the current_period_end of a subscription's first item.
func (l *lifecycle) periodEnd(ctx context.Context, sub string) int64 {
	items, err := childPage(ctx, l.store, sub, "subscription_item", store.Query{Limit: 1})
	if err != nil || len(items.Data) == 0 {
		return 0
	}
	return topInt([]byte(items.Data[0].JSON), "current_period_end")
}

// subscriptionItems are a stored subscription's items as itemSpecs.
func (l *lifecycle) storedItems(ctx context.Context, sub string) ([]itemSpec, []store.Object, error) {
	page, err := childPage(ctx, l.store, sub, "subscription_item", store.Query{Limit: 100})
	if err != nil {
		return nil, nil, err
	}
	var specs []itemSpec
	for _, o := range page.Data {
		var it struct {
			ID       string `json:"id"`
			Quantity int64  `json:"quantity"`
			Price    struct {
				ID string `json:"id"`
			} `json:"price"`
		}
		if json.Unmarshal([]byte(o.JSON), &it) != nil {
			continue
		}
		spec := itemSpec{id: it.ID, price: it.Price.ID, qty: it.Quantity}
		if p, err := l.store.Get(ctx, it.Price.ID); err == nil && p.Type == "price" {
			spec.priceObj = p
		}
		specs = append(specs, spec)
	}
	return specs, page.Data, nil
}

// upcomingInvoice is the invoice a subscription (b) will be billed at
// end, as invoice.upcoming carries it (no id: it does not exist yet).
func (l *lifecycle) upcomingInvoice(ctx context.Context, b []byte, end int64) []byte {
	sub := payString(b, "id")
	specs, _, err := l.storedItems(ctx, sub)
	if err != nil {
		return nil
	}
	var amount int64
	lines := []any{}
	currency := payString(b, "currency")
	for _, it := range specs {
		a := it.unitAmount() * it.qty
		amount += a
		if it.priceObj.ID != "" {
			currency = orDefault(payString([]byte(it.priceObj.JSON), "currency"), currency)
		}
		lines = append(lines, map[string]any{"object": "line_item", "amount": a, "currency": currency, "quantity": it.qty,
			"description": fmt.Sprintf("%d × %s", it.qty, it.price), "subscription": sub,
			"period": map[string]any{"start": end, "end": periodEnd(it.priceObj, end)}})
	}
	up, err := json.Marshal(map[string]any{"object": "invoice", "customer": payString(b, "customer"), "subscription": sub,
		"currency": currency, "amount_due": amount, "amount_paid": 0, "amount_remaining": amount, "subtotal": amount, "total": amount,
		"billing_reason": "upcoming", "collection_method": orDefault(payString(b, "collection_method"), "charge_automatically"),
		"created": end, "next_payment_attempt": end, "period_start": end, "status": "draft", "livemode": false, "attempt_count": 0,
		"lines": map[string]any{"object": "list", "data": lines, "has_more": false, "total_count": len(lines), "url": "/v1/invoices/upcoming/lines"}})
	if err != nil {
		return nil
	}
	return up
}

// renew ends a subscription's trial or period at end: its next period
// begins with an invoice, paid with its default payment method (active)
// or declined (past_due); one set to cancel at the period's end is
// canceled instead.
func (l *lifecycle) renew(ctx context.Context, sub string, b []byte, end int64) error {
	status := payString(b, "status")
	if status != "trialing" && isTrue(b, "cancel_at_period_end") {
		_, refused := l.update(ctx, sub, func(b []byte) ([]byte, *server.APIError) {
			return setMembers(b, []setting{str("status", "canceled"), num("canceled_at", end), num("ended_at", end)}), nil
		})
		if refused != nil {
			return fmt.Errorf("cancel %s: %s", sub, refused.Message)
		}
		return nil
	}
	specs, items, err := l.storedItems(ctx, sub)
	if err != nil {
		return err
	}
	var amount int64
	currency := payString(b, "currency")
	for _, it := range specs {
		amount += it.unitAmount() * it.qty
		if it.priceObj.ID != "" {
			currency = orDefault(payString([]byte(it.priceObj.JSON), "currency"), currency)
		}
	}
	// The next period, on every item.
	for i, o := range items {
		next := periodEnd(specs[min(i, len(specs)-1)].priceObj, end)
		if _, err := l.store.Update(ctx, o.ID, func(o store.Object) (store.Object, error) {
			o.JSON = string(setMembers([]byte(o.JSON), []setting{num("current_period_start", end), num("current_period_end", next)}))
			return o, nil
		}); err != nil {
			return err
		}
	}
	if err := syncChildren(ctx, l.store, sub, "subscription_item"); err != nil {
		return err
	}
	top := topValues(b, "customer", "collection_method", "default_payment_method")
	invID, err := l.subscriptionInvoice(ctx, sub, top[0], currency, top[1], amount, "subscription_cycle", end)
	if err != nil {
		return err
	}
	if err := l.storeSubscriptionLines(ctx, invID, sub, currency, specs, false, end); err != nil {
		return err
	}
	next := "active"
	if top[1] == "send_invoice" {
		_, _ = l.finalize(ctx, invID, end)
	} else if _, refused := l.payInvoice(ctx, invID, top[2], false); refused != nil {
		next = "past_due"
	}
	_, refused := l.update(ctx, sub, func(b []byte) ([]byte, *server.APIError) {
		return setMembers(b, []setting{str("status", next), str("latest_invoice", invID)}), nil
	})
	if refused != nil {
		return fmt.Errorf("renew %s: %s", sub, refused.Message)
	}
	return nil
}

// subscriptionInvoice stores a subscription's new draft invoice (lines
// are added by the caller) and returns its id.
func (l *lifecycle) subscriptionInvoice(ctx context.Context, sub, customer, currency, collection string, amount int64, reason string, now int64) (string, error) {
	invID := render.NewID("in")
	inv, err := json.Marshal(map[string]any{
		"id": invID, "object": "invoice", "customer": customer, "subscription": sub, "currency": currency,
		"amount_due": amount, "amount_paid": 0, "amount_remaining": amount, "subtotal": amount, "total": amount,
		"attempt_count": 0, "attempted": false, "billing_reason": reason, "collection_method": orDefault(collection, "charge_automatically"),
		"created": now, "livemode": false, "metadata": map[string]any{}, "status": "draft",
		"status_transitions": map[string]any{"finalized_at": nil, "marked_uncollectible_at": nil, "paid_at": nil, "voided_at": nil},
		"lines":              map[string]any{"object": "list", "data": []any{}, "has_more": false, "url": "/v1/invoices/" + invID + "/lines"},
	})
	if err != nil {
		return "", err
	}
	if _, err := l.put(ctx, store.Object{ID: invID, Type: "invoice", JSON: string(inv)}); err != nil {
		return "", err
	}
	return invID, nil
}
