package stripe

import (
	"context"
	"encoding/json"
	"fmt"
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
	b := []byte(ans.Body.String())
	top := topValues(b, "customer", "currency", "collection_method", "default_payment_method")
	now := l.clockNow(ctx, top[0])
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
	invID, err := l.subscriptionInvoice(ctx, id, top[0], currency, top[2], amount, "subscription_create", now)
	if err != nil {
		return server.Answer{}, storeFailure(err)
	}
	// The items and the first invoice's lines are stored children of
	// the subscription and the invoice (children.go).
	items := l.requestItems(ctx, req)
	if err := l.storeItems(ctx, id, items, now); err != nil {
		return server.Answer{}, storeFailure(err)
	}
	if err := l.storeSubscriptionLines(ctx, invID, id, currency, items, trialEnd > 0, now); err != nil {
		return server.Answer{}, storeFailure(err)
	}
	status := "active"
	behavior, _ := req.BodyValue("payment_behavior")
	switch {
	case trialEnd > 0:
		status = "trialing"
		_, _ = l.payInvoice(ctx, invID, "", true)
	case top[2] == "send_invoice":
		_, _ = l.finalize(ctx, invID, now)
	case behavior == "default_incomplete" && amount > 0:
		status = "incomplete"
		_, _ = l.finalize(ctx, invID, now)
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
	if clock := l.clockOf(ctx, top[0]); clock != nil {
		sets = append(sets, str("test_clock", payString(clock, "id")))
	}
	if _, ok := req.BodyValue("cancel_at"); !ok {
		sets = append(sets, null("cancel_at"))
	}
	if _, ok := req.BodyValue("cancel_at_period_end"); !ok {
		sets = append(sets, setting{"cancel_at_period_end", []byte("false")})
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
	ans.Body = server.Text(obj.JSON)
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
	return server.Answer{Body: server.Text(string(b))}, nil, true
}

// subscriptionUpdating refuses changing a canceled subscription beyond
// its metadata and cancellation_details, as Stripe does; ok is false
// when the update may go on.
func (l *lifecycle) subscriptionUpdating(ctx context.Context, req *render.Request) (server.Answer, *server.APIError, bool) {
	id := req.Params["subscription_exposed_id"]
	obj, err := l.store.Get(ctx, id)
	if err == nil && obj.Type == "subscription" {
		if refused := l.checkItems(ctx, req, id); refused != nil {
			return server.Answer{}, refused, true
		}
	}
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
// subscription's items (children.go: updateItems) and answers the
// subscription with its items as they now are.
func (l *lifecycle) subscriptionUpdated(ctx context.Context, req *render.Request, ans server.Answer) (server.Answer, *server.APIError) {
	if _, ok := req.BodyValue("items.0.id"); !ok {
		if _, ok := req.BodyValue("items.0.price"); !ok {
			return ans, nil
		}
	}
	if refused := l.updateItems(ctx, req, ans.Change.ID); refused != nil {
		return server.Answer{}, refused
	}
	obj, err := l.store.Get(ctx, ans.Change.ID)
	if err != nil {
		return server.Answer{}, storeFailure(err)
	}
	ans.Body = server.Text(obj.JSON)
	return ans, nil
}
