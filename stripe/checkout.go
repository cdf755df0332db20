package stripe

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/routedeck/routedeck/render"
	"github.com/routedeck/routedeck/server"
	"github.com/routedeck/routedeck/store"
)

// checkoutOpened finishes a Checkout Session the store created: open,
// unpaid, expiring in 24 hours (or at its expires_at), with amount_total
// of its line_items' stored prices.
func (l *lifecycle) checkoutOpened(ctx context.Context, req *render.Request, ans server.Answer) (server.Answer, *server.APIError) {
	now := time.Now().Unix()
	sets := []setting{str("status", "open"), str("payment_status", "unpaid"), null("payment_intent"), null("subscription")}
	if _, ok := req.BodyValue("expires_at"); !ok {
		sets = append(sets, num("expires_at", now+24*3600))
	}
	if amount, currency := l.pricesAmount(ctx, req, "line_items"); amount > 0 {
		sets = append(sets, num("amount_subtotal", amount), num("amount_total", amount), str("currency", currency))
	}
	obj, err := l.store.Update(ctx, ans.Change.ID, func(o store.Object) (store.Object, error) {
		o.JSON = string(setMembers([]byte(o.JSON), sets))
		return o, nil
	})
	if err != nil {
		return server.Answer{}, storeFailure(err)
	}
	ans.Body = obj.JSON
	return ans, nil
}

// checkoutAction expires a stored open Checkout Session (or, complete,
// completes it as a customer paying would: complete and paid); ok is
// false when it is not stored.
func (l *lifecycle) checkoutAction(ctx context.Context, id string, complete bool) (server.Answer, *server.APIError, bool) {
	obj, err := l.store.Get(ctx, id)
	if err != nil || obj.Type != "checkout.session" {
		return server.Answer{}, nil, false
	}
	ans, refused := l.update(ctx, id, func(b []byte) ([]byte, *server.APIError) {
		if status := payString(b, "status"); status != "open" {
			return nil, &server.APIError{Status: http.StatusBadRequest, Type: "invalid_request_error",
				Message: fmt.Sprintf("Only Checkout Sessions with a status of open can be %s; this one is %s.", map[bool]string{true: "completed", false: "expired"}[complete], status)}
		}
		if complete {
			return setMembers(b, []setting{str("status", "complete"), str("payment_status", "paid")}), nil
		}
		return setMembers(b, []setting{str("status", "expired"), num("expires_at", time.Now().Unix())}), nil
	})
	return ans, refused, true
}

// pricesAmount is what a list parameter's items (items, line_items)
// cost: each item's stored price's unit_amount times its quantity (1 if
// none); prices not stored count nothing.
func (l *lifecycle) pricesAmount(ctx context.Context, req *render.Request, list string) (int64, string) {
	var total int64
	var currency string
	for i := 0; ; i++ {
		n := strconv.Itoa(i)
		price, ok := req.BodyValue(list + "." + n + ".price")
		if !ok {
			return total, currency
		}
		obj, err := l.store.Get(ctx, price)
		if err != nil || obj.Type != "price" {
			continue
		}
		top := topValues([]byte(obj.JSON), "unit_amount", "currency")
		unit, _ := strconv.ParseInt(top[0], 10, 64)
		qty := int64(1)
		if q, ok := req.BodyValue(list + "." + n + ".quantity"); ok {
			if v, err := strconv.ParseInt(q, 10, 64); err == nil && v >= 0 {
				qty = v
			}
		}
		total += unit * qty
		if currency == "" {
			currency = top[1]
		}
	}
}
