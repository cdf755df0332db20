package stripe

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/routedeck/routedeck/render"
	"github.com/routedeck/routedeck/server"
	"github.com/routedeck/routedeck/store"
)

// subscribed finishes a subscription the store created: with a trial
// (trial_period_days, or a trial_end in the future) it is trialing;
// otherwise its first invoice, of its items' stored prices, is paid with
// its default_payment_method or the customer's default (active), and a
// declined payment leaves it incomplete with the invoice open
// (payment_behavior error_if_incomplete answers the 402 instead and keeps
// no subscription; default_incomplete does not try to pay).
func (l *lifecycle) subscribed(ctx context.Context, req *render.Request, ans server.Answer) (server.Answer, *server.APIError) {
	id := ans.Change.ID
	b := []byte(ans.Body)
	top := topValues(b, "customer", "currency", "collection_method", "default_payment_method")
	now := time.Now().Unix()
	var trialEnd int64
	if d, _ := req.BodyValue("trial_period_days"); d != "" {
		if n, err := strconv.ParseInt(d, 10, 64); err == nil && n > 0 {
			trialEnd = now + n*24*3600
		}
	}
	if e, _ := req.BodyValue("trial_end"); e != "" && e != "now" {
		if n, err := strconv.ParseInt(e, 10, 64); err == nil && n > now {
			trialEnd = n
		}
	}
	amount, currency := l.pricesAmount(ctx, req, "items")
	if currency == "" {
		currency = top[1]
	}
	if trialEnd > 0 {
		amount = 0
	}
	invID := render.NewID("in")
	inv, err := json.Marshal(map[string]any{
		"id": invID, "object": "invoice", "customer": top[0], "subscription": id, "currency": currency,
		"amount_due": amount, "amount_paid": 0, "amount_remaining": amount, "subtotal": amount, "total": amount,
		"attempt_count": 0, "attempted": false, "billing_reason": "subscription_create", "collection_method": orDefault(top[2], "charge_automatically"),
		"created": now, "livemode": false, "metadata": map[string]any{}, "status": "draft",
		"status_transitions": map[string]any{"finalized_at": nil, "marked_uncollectible_at": nil, "paid_at": nil, "voided_at": nil},
		"lines":              map[string]any{"object": "list", "data": []any{}, "has_more": false, "url": "/v1/invoices/" + invID + "/lines"},
	})
	if err != nil {
		return ans, nil
	}
	if _, err := l.store.Put(ctx, store.Object{ID: invID, Type: "invoice", JSON: string(inv)}); err != nil {
		return server.Answer{}, storeFailure(err)
	}
	status := "active"
	behavior, _ := req.BodyValue("payment_behavior")
	switch {
	case trialEnd > 0:
		status = "trialing"
		_, _ = l.payInvoice(ctx, invID, "", true)
	case top[2] == "send_invoice":
		_, _ = l.update(ctx, invID, func(b []byte) ([]byte, *server.APIError) { return finalized(b, now), nil })
	case behavior == "default_incomplete" && amount > 0:
		status = "incomplete"
		_, _ = l.update(ctx, invID, func(b []byte) ([]byte, *server.APIError) { return finalized(b, now), nil })
	default:
		if _, refused := l.payInvoice(ctx, invID, top[3], false); refused != nil {
			if behavior == "error_if_incomplete" || refused.Status != 402 {
				_, _ = l.store.Delete(ctx, id, true)
				_, _ = l.store.Delete(ctx, invID, true)
				return server.Answer{}, refused
			}
			status = "incomplete"
		}
	}
	sets := []setting{str("status", status), str("latest_invoice", invID), num("start_date", now), null("canceled_at"), null("ended_at")}
	if items := l.subscriptionItems(ctx, req, id, now); items != nil {
		sets = append(sets, setting{"items", items})
	}
	if _, ok := req.BodyValue("cancel_at"); !ok {
		sets = append(sets, null("cancel_at"))
	}
	if trialEnd > 0 {
		sets = append(sets, num("trial_start", now), num("trial_end", trialEnd))
	} else {
		sets = append(sets, null("trial_start"), null("trial_end"))
	}
	obj, err := l.store.Update(ctx, id, func(o store.Object) (store.Object, error) {
		o.JSON = string(setMembers([]byte(o.JSON), sets))
		return o, nil
	})
	if err != nil {
		return server.Answer{}, storeFailure(err)
	}
	ans.Body = obj.JSON
	return ans, nil
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// cancelSubscription cancels a stored subscription at once (canceled,
// canceled_at, ended_at); ok is false when it is not stored. A canceled
// subscription cannot be canceled again.
func (l *lifecycle) cancelSubscription(ctx context.Context, req *render.Request) (server.Answer, *server.APIError, bool) {
	var id string
	for _, v := range req.Params {
		id = v
	}
	obj, err := l.store.Get(ctx, id)
	if err != nil || obj.Type != "subscription" {
		return server.Answer{}, nil, false
	}
	now := time.Now().Unix()
	ans, refused := l.update(ctx, id, func(b []byte) ([]byte, *server.APIError) {
		if s := payString(b, "status"); s == "canceled" || s == "incomplete_expired" {
			return nil, invoiceRefusal("", fmt.Sprintf("Subscription %s is already %s: a canceled subscription cannot be canceled again.", id, s))
		}
		return setMembers(b, []setting{str("status", "canceled"), num("canceled_at", now), num("ended_at", now)}), nil
	})
	return ans, refused, true
}

// subscriptionItems is the items list of a subscription created with the
// request's items: each with its stored price (or the price id alone)
// and quantity; nil when the request names no price.
func (l *lifecycle) subscriptionItems(ctx context.Context, req *render.Request, id string, now int64) []byte {
	var data []any
	for i := 0; ; i++ {
		n := strconv.Itoa(i)
		price, ok := req.BodyValue("items." + n + ".price")
		if !ok {
			break
		}
		var p any = map[string]any{"id": price, "object": "price"}
		if obj, err := l.store.Get(ctx, price); err == nil && obj.Type == "price" {
			p = json.RawMessage(obj.JSON)
		}
		qty := int64(1)
		if q, ok := req.BodyValue("items." + n + ".quantity"); ok {
			if v, err := strconv.ParseInt(q, 10, 64); err == nil && v >= 0 {
				qty = v
			}
		}
		data = append(data, map[string]any{"id": render.NewID("si"), "object": "subscription_item", "created": now,
			"metadata": map[string]any{}, "price": p, "quantity": qty, "subscription": id})
	}
	if len(data) == 0 {
		return nil
	}
	b, err := json.Marshal(map[string]any{"object": "list", "data": data, "has_more": false, "total_count": len(data),
		"url": "/v1/subscription_items?subscription=" + id})
	if err != nil {
		return nil
	}
	return b
}

// preview answers the upcoming invoice of a stored subscription
// (subscription in the query or the body): the catalog's invoice with
// the amount of a period of the subscription's items at their prices.
// ok is false when no stored subscription is named.
func (l *lifecycle) preview(ctx context.Context, req *render.Request, renderVariant func() (string, error)) (server.Answer, *server.APIError, bool) {
	id, _ := req.QueryValue("subscription")
	if id == "" {
		id, _ = req.BodyValue("subscription")
	}
	if id == "" {
		return server.Answer{}, nil, false
	}
	obj, err := l.store.Get(ctx, id)
	if err != nil || obj.Type != "subscription" {
		return server.Answer{}, nil, false
	}
	var sub struct {
		Customer string `json:"customer"`
		Currency string `json:"currency"`
		Status   string `json:"status"`
		Items    struct {
			Data []struct {
				Quantity int64 `json:"quantity"`
				Price    struct {
					UnitAmount int64 `json:"unit_amount"`
				} `json:"price"`
			} `json:"data"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(obj.JSON), &sub); err != nil {
		return server.Answer{}, nil, false
	}
	if sub.Status == "canceled" {
		return server.Answer{}, invoiceRefusal("invoice_upcoming_none", fmt.Sprintf("No upcoming invoices for subscription %s: it is canceled.", id)), true
	}
	var amount int64
	for _, it := range sub.Items.Data {
		amount += it.Price.UnitAmount * it.Quantity
	}
	body, err := renderVariant()
	if err != nil {
		return server.Answer{}, nil, true
	}
	b := setMembers([]byte(body), []setting{num("amount_due", amount), num("amount_remaining", amount), num("amount_paid", 0),
		num("subtotal", amount), num("total", amount), str("subscription", id), str("customer", sub.Customer),
		str("currency", sub.Currency), str("status", "draft"), str("billing_reason", "upcoming")})
	return server.Answer{Body: string(b)}, nil, true
}

// subscriptionUpdating refuses changing a canceled subscription beyond
// its metadata and cancellation_details, as Stripe does; ok is false
// when the update may go on.
func (l *lifecycle) subscriptionUpdating(ctx context.Context, req *render.Request) (server.Answer, *server.APIError, bool) {
	id := req.Params["subscription_exposed_id"]
	obj, err := l.store.Get(ctx, id)
	if err != nil || obj.Type != "subscription" || payString([]byte(obj.JSON), "status") != "canceled" {
		return server.Answer{}, nil, false
	}
	for key := range req.BodyForm() {
		if !strings.HasPrefix(key, "metadata[") && !strings.HasPrefix(key, "cancellation_details[") && !strings.HasPrefix(key, "expand[") {
			return server.Answer{}, invoiceRefusal("", fmt.Sprintf("A canceled subscription can only update its cancellation_details and metadata (subscription %s, %s).", id, key)), true
		}
	}
	return server.Answer{}, nil, false
}

// subscriptionUpdated applies an update's items to the stored
// subscription: items[n][id] changes that item's price or quantity (or
// removes it with deleted), an item without an id is added.
func (l *lifecycle) subscriptionUpdated(ctx context.Context, req *render.Request, ans server.Answer) (server.Answer, *server.APIError) {
	if _, ok := req.BodyValue("items.0.id"); !ok {
		if _, ok := req.BodyValue("items.0.price"); !ok {
			return ans, nil
		}
	}
	id := ans.Change.ID
	var sub struct {
		Items struct {
			Data []map[string]any `json:"data"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(ans.Body), &sub); err != nil {
		return ans, nil
	}
	items := sub.Items.Data
	now := time.Now().Unix()
	for i := 0; ; i++ {
		n := strconv.Itoa(i)
		itemID, hasID := req.BodyValue("items." + n + ".id")
		price, hasPrice := req.BodyValue("items." + n + ".price")
		if !hasID && !hasPrice {
			break
		}
		at := -1
		for j, it := range items {
			if it["id"] == itemID {
				at = j
			}
		}
		if hasID && at < 0 {
			return server.Answer{}, &server.APIError{Status: http.StatusBadRequest, Type: "invalid_request_error", Code: "resource_missing",
				Param: "items[" + n + "][id]", Message: fmt.Sprintf("No such subscription item: '%s'", itemID)}
		}
		if at < 0 {
			items = append(items, map[string]any{"id": render.NewID("si"), "object": "subscription_item", "created": now,
				"metadata": map[string]any{}, "quantity": 1, "subscription": id})
			at = len(items) - 1
		}
		if d, _ := req.BodyValue("items." + n + ".deleted"); d == "true" {
			items = append(items[:at], items[at+1:]...)
			continue
		}
		if hasPrice {
			var p any = map[string]any{"id": price, "object": "price"}
			if obj, err := l.store.Get(ctx, price); err == nil && obj.Type == "price" {
				p = json.RawMessage(obj.JSON)
			}
			items[at]["price"] = p
		}
		if q, ok := req.BodyValue("items." + n + ".quantity"); ok {
			if v, err := strconv.ParseInt(q, 10, 64); err == nil && v >= 0 {
				items[at]["quantity"] = v
			}
		}
	}
	list, err := json.Marshal(map[string]any{"object": "list", "data": items, "has_more": false, "total_count": len(items),
		"url": "/v1/subscription_items?subscription=" + id})
	if err != nil {
		return ans, nil
	}
	return l.setCreated(ctx, ans, []setting{{"items", list}})
}
