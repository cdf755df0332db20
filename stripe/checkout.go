package stripe

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
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
	if err := l.storeLineItems(ctx, req, ans.Change.ID, now); err != nil {
		return server.Answer{}, storeFailure(err)
	}
	obj, err := l.store.Update(ctx, ans.Change.ID, func(o store.Object) (store.Object, error) {
		o.JSON = string(setMembers([]byte(o.JSON), sets))
		return o, nil
	})
	if err != nil {
		return server.Answer{}, storeFailure(err)
	}
	ans.Body = server.Text(obj.JSON)
	return ans, nil
}

// storeLineItems keeps a session's line_items whose prices are stored, as
// its children ("item"), for what completing it buys.
func (l *lifecycle) storeLineItems(ctx context.Context, req *render.Request, session string, now int64) error {
	for i := 0; ; i++ {
		n := strconv.Itoa(i)
		price, ok := req.BodyValue("line_items." + n + ".price")
		if !ok {
			return nil
		}
		obj, err := l.store.Get(ctx, price)
		if err != nil || obj.Type != "price" {
			continue
		}
		qty := int64(1)
		if q, ok := req.BodyValue("line_items." + n + ".quantity"); ok {
			if v, err := strconv.ParseInt(q, 10, 64); err == nil && v >= 0 {
				qty = v
			}
		}
		p := []byte(obj.JSON)
		amount := topInt(p, "unit_amount") * qty
		id := render.NewID("li")
		b, err := json.Marshal(map[string]any{"id": id, "object": "item", "amount_discount": 0, "amount_subtotal": amount, "amount_tax": 0,
			"amount_total": amount, "currency": payString(p, "currency"), "description": orNil(payString(p, "nickname")), "metadata": nil,
			"price": json.RawMessage(p), "quantity": qty, "created": now})
		if err != nil {
			return err
		}
		if _, err := l.store.Put(ctx, store.Object{ID: id, Type: "item", Parent: session, JSON: string(b)}); err != nil {
			return err
		}
	}
}

// checkoutAction expires a stored open Checkout Session (or, complete,
// completes it: completeCheckout); ok is false when it is not stored.
func (l *lifecycle) checkoutAction(ctx context.Context, id string, complete bool, pm string) (server.Answer, *server.APIError, bool) {
	obj, err := l.store.Get(ctx, id)
	if err != nil || obj.Type != "checkout.session" {
		return server.Answer{}, nil, false
	}
	if refused := notOpen(obj, complete); refused != nil {
		return server.Answer{}, refused, true
	}
	if complete {
		ans, refused := l.completeCheckout(ctx, obj, pm)
		return ans, refused, true
	}
	ans, refused := l.update(ctx, id, func(b []byte) ([]byte, *server.APIError) {
		if refused := notOpen(store.Object{JSON: string(b)}, false); refused != nil {
			return nil, refused
		}
		return setMembers(b, []setting{str("status", "expired"), num("expires_at", time.Now().Unix())}), nil
	})
	return ans, refused, true
}

// notOpen refuses completing or expiring a session that is not open.
func notOpen(obj store.Object, complete bool) *server.APIError {
	if status := payString([]byte(obj.JSON), "status"); status != "open" {
		return &server.APIError{Status: http.StatusBadRequest, Type: "invalid_request_error",
			Message: fmt.Sprintf("Only Checkout Sessions with a status of open can be %s; this one is %s.", map[bool]string{true: "completed", false: "expired"}[complete], status)}
	}
	return nil
}

// completeCheckout completes an open session as a customer paying on
// Stripe's page with pm (pm_card_visa when ""): it creates what Stripe
// creates for its mode (payment: a PaymentIntent confirmed with the card
// and its charge; subscription: a customer if it has none, the
// subscription of its line items with its first invoice paid; setup: a
// SetupIntent confirmed with the card) and the session becomes complete
// (checkout.session.completed) and names them. A declining card answers
// Stripe's 402 and the session stays open.
func (l *lifecycle) completeCheckout(ctx context.Context, session store.Object, pm string) (server.Answer, *server.APIError) {
	id := session.ID
	if pm == "" {
		pm = "pm_card_visa"
	}
	b := []byte(session.JSON)
	top := topValues(b, "mode", "customer", "customer_email", "amount_total", "currency")
	now := time.Now().Unix()
	customer := top[1]
	var sets []setting
	switch top[0] {
	case "subscription":
		if customer == "" {
			customer = render.NewID("cus")
			c := setMembers(l.fixture("customer", customer), []setting{str("id", customer), str("object", "customer"), num("created", now),
				{"livemode", []byte("false")}, {"metadata", []byte("{}")}, null("default_source"), null("test_clock"),
				val("invoice_settings", map[string]any{"custom_fields": nil, "default_payment_method": nil, "footer": nil, "rendering_options": nil})})
			if top[2] != "" {
				c = setMembers(c, []setting{str("email", top[2])})
			}
			if _, err := l.put(ctx, store.Object{ID: customer, Type: "customer", JSON: string(c)}); err != nil {
				return server.Answer{}, storeFailure(err)
			}
		}
		form := url.Values{"customer": {customer}, "default_payment_method": {pm}}
		page, err := l.store.List(ctx, store.Query{Type: "item", Parent: id, Limit: 100})
		if err != nil {
			return server.Answer{}, storeFailure(err)
		}
		for i, it := range page.Data {
			var item struct {
				Quantity int64 `json:"quantity"`
				Price    struct {
					ID string `json:"id"`
				} `json:"price"`
			}
			if json.Unmarshal([]byte(it.JSON), &item) != nil {
				continue
			}
			n := strconv.Itoa(len(page.Data) - 1 - i) // the page is newest first
			form.Set("items["+n+"][price]", item.Price.ID)
			form.Set("items["+n+"][quantity]", strconv.FormatInt(item.Quantity, 10))
		}
		subID := render.NewID("sub")
		sub := setMembers(l.fixture("subscription", subID), []setting{str("id", subID), str("object", "subscription"), str("customer", customer),
			str("currency", top[4]), str("collection_method", "charge_automatically"), str("default_payment_method", pm), num("created", now),
			{"livemode", []byte("false")}, {"metadata", []byte("{}")}, str("status", "active"), null("test_clock")})
		if _, err := l.put(ctx, store.Object{ID: subID, Type: "subscription", JSON: string(sub)}); err != nil {
			return server.Answer{}, storeFailure(err)
		}
		ans, refused := l.subscribed(ctx, formRequest("/v1/subscriptions", nil, form),
			server.Answer{Body: server.Text(string(sub)), Change: server.Change{Op: "created", Type: "subscription", ID: subID}})
		if refused == nil {
			if s := payString([]byte(ans.Body.String()), "status"); s != "active" && s != "trialing" {
				refused = &server.APIError{Status: http.StatusPaymentRequired, Type: "card_error", Code: "card_declined",
					Message: fmt.Sprintf("Your card was declined (%s): the subscription's first payment failed, so the Checkout Session stays open.", pm)}
			}
		}
		if refused != nil {
			inv := payString([]byte(ans.Body.String()), "latest_invoice")
			_, _ = l.store.Delete(ctx, subID, true)
			if inv != "" {
				_, _ = l.store.Delete(ctx, inv, true)
			}
			return server.Answer{}, refused
		}
		inv := payString([]byte(ans.Body.String()), "latest_invoice")
		status := "paid"
		if obj, err := l.store.Get(ctx, inv); err == nil && topInt([]byte(obj.JSON), "amount_paid") == 0 {
			status = "no_payment_required"
		}
		sets = []setting{str("subscription", subID), str("invoice", inv), str("payment_status", status)}
	case "setup":
		si := render.NewID("seti")
		intent := setMembers(l.fixture("setup_intent", si), []setting{str("id", si), str("object", "setup_intent"), num("created", now),
			str("status", "requires_payment_method"), str("usage", "off_session"), str("client_secret", si+"_secret_"+strings.TrimPrefix(render.NewID("s"), "s_")),
			null("payment_method"), null("last_setup_error"), null("next_action"), {"livemode", []byte("false")}, {"metadata", []byte("{}")}})
		if customer != "" {
			intent = setMembers(intent, []setting{str("customer", customer)})
		} else {
			intent = setMembers(intent, []setting{null("customer")})
		}
		if _, err := l.put(ctx, store.Object{ID: si, Type: "setup_intent", JSON: string(intent)}); err != nil {
			return server.Answer{}, storeFailure(err)
		}
		ans, refused, _ := l.setupAction(ctx, setupConfirm, formRequest("/v1/setup_intents/"+si+"/confirm", map[string]string{"intent": si},
			url.Values{"payment_method": {pm}}))
		if refused != nil {
			return server.Answer{}, refused
		}
		if s := payString([]byte(ans.Body.String()), "status"); s != "succeeded" {
			return server.Answer{}, &server.APIError{Status: http.StatusPaymentRequired, Type: "card_error", Code: "authentication_required",
				Message: fmt.Sprintf("SetupIntent %s is %s: complete its authentication and the Checkout Session again.", si, s)}
		}
		sets = []setting{str("setup_intent", si), str("payment_status", "no_payment_required")}
	default: // payment
		// A session keeps the PaymentIntent of its first attempt: a later
		// attempt confirms it again, or finds it succeeded (its 3-D Secure
		// completed meanwhile).
		pi, status := payString(b, "payment_intent"), ""
		if pi != "" {
			if obj, err := l.store.Get(ctx, pi); err == nil && obj.Type == "payment_intent" {
				status = payString([]byte(obj.JSON), "status")
			}
		}
		switch status {
		case "requires_payment_method", "requires_confirmation", "requires_action", "succeeded":
		default:
			amount, _ := strconv.ParseInt(top[3], 10, 64)
			var err error
			if pi, _, err = l.newIntent(ctx, amount, top[4], customer, "", now); err != nil {
				return server.Answer{}, storeFailure(err)
			}
			// Kept on the session without an event: Stripe has no
			// checkout.session.updated.
			_, _ = l.store.Update(ctx, id, func(o store.Object) (store.Object, error) {
				o.JSON = string(setMembers([]byte(o.JSON), []setting{str("payment_intent", pi)}))
				return o, nil
			})
		}
		if status != "succeeded" {
			_, refused := l.confirm(ctx, pi, formRequest("/v1/payment_intents/"+pi+"/confirm", map[string]string{"intent": pi}, url.Values{"payment_method": {pm}}))
			if refused != nil {
				return server.Answer{}, refused
			}
		}
		if obj, err := l.store.Get(ctx, pi); err != nil || payString([]byte(obj.JSON), "status") != "succeeded" {
			return server.Answer{}, &server.APIError{Status: http.StatusPaymentRequired, Type: "card_error", Code: "authentication_required",
				Message: fmt.Sprintf("PaymentIntent %s needs 3-D Secure: complete it (POST /_routedeck/payment_intents/%s/3ds/complete) and the Checkout Session again.", pi, pi)}
		}
		sets = []setting{str("payment_intent", pi), str("payment_status", "paid")}
	}
	if customer != "" {
		sets = append(sets, str("customer", customer))
	}
	sets = append(sets, str("status", "complete"))
	return l.update(ctx, id, func(b []byte) ([]byte, *server.APIError) {
		if refused := notOpen(store.Object{JSON: string(b)}, true); refused != nil {
			return nil, refused
		}
		return setMembers(b, sets), nil
	})
}

// orNil is s, or nil (JSON null) when it is empty.
func orNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// formRequest is a form-encoded POST the lifecycle makes itself.
func formRequest(path string, params map[string]string, form url.Values) *render.Request {
	return &render.Request{Method: http.MethodPost, Path: path, Params: params, Body: []byte(form.Encode()),
		ContentType: "application/x-www-form-urlencoded"}
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
