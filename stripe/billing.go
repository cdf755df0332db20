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

// Invoices move through Stripe's states on the store: draft → finalize
// (open) → pay (paid, charging the payment method the request names, the
// invoice's default or the customer's invoice_settings.default_payment_method
// or default_source) → or void, or mark_uncollectible. A declining card
// answers 402 and the invoice stays open; impossible transitions are
// refused as Stripe refuses them.

// invoiceRefusal is Stripe's 400 for an invoice action in the wrong status.
func invoiceRefusal(code, msg string) *server.APIError {
	return &server.APIError{Status: http.StatusBadRequest, Type: "invalid_request_error", Code: code, Message: msg}
}

// invoiceAction finalizes, pays, voids or marks uncollectible a stored
// invoice; ok is false when it is not stored.
func (l *lifecycle) invoiceAction(ctx context.Context, action intentAction, req *render.Request) (server.Answer, *server.APIError, bool) {
	id := req.Params["invoice"]
	obj, err := l.store.Get(ctx, id)
	if err != nil || obj.Type != "invoice" {
		return server.Answer{}, nil, false
	}
	now := time.Now().Unix()
	var ans server.Answer
	var refused *server.APIError
	switch action {
	case invoiceFinalize:
		ans, refused = l.finalize(ctx, id, now)
	case invoiceVoid:
		ans, refused = l.update(ctx, id, func(b []byte) ([]byte, *server.APIError) {
			switch status := payString(b, "status"); status {
			case "open", "uncollectible":
			case "paid":
				return nil, invoiceRefusal("invoice_already_paid", "Invoice is already paid: a paid invoice cannot be voided.")
			default:
				return nil, invoiceRefusal("invoice_not_editable", fmt.Sprintf("You can only void an open or uncollectible invoice; this invoice is %s.", status))
			}
			return setMembersIn(b, []setting{str("status", "void"), num("amount_remaining", 0)},
				[]nestedSet{{key: "status_transitions", sets: []setting{num("voided_at", now)}}}), nil
		})
		if refused == nil {
			l.cancelInvoiceIntent(ctx, []byte(ans.Body.String()), now)
		}
	case invoiceUncollectible:
		ans, refused = l.update(ctx, id, func(b []byte) ([]byte, *server.APIError) {
			switch status := payString(b, "status"); status {
			case "open":
			case "paid":
				return nil, invoiceRefusal("invoice_already_paid", "Invoice is already paid: a paid invoice cannot be marked uncollectible.")
			default:
				return nil, invoiceRefusal("invoice_not_editable", fmt.Sprintf("You can only mark an open invoice uncollectible; this invoice is %s.", status))
			}
			return setMembersIn(b, []setting{str("status", "uncollectible")},
				[]nestedSet{{key: "status_transitions", sets: []setting{num("marked_uncollectible_at", now)}}}), nil
		})
	case invoicePay:
		outOfBand, _ := req.BodyValue("paid_out_of_band")
		pm, _ := req.BodyValue("payment_method")
		if pm == "" {
			pm, _ = req.BodyValue("source")
		}
		ans, refused = l.payInvoice(ctx, id, pm, outOfBand == "true")
	}
	return ans, refused, true
}

// finalized is a draft invoice made open.
func finalized(b []byte, now int64) []byte {
	due := topInt(b, "amount_due")
	return setMembersIn(b, []setting{str("status", "open"), num("amount_remaining", due-topInt(b, "amount_paid"))},
		[]nestedSet{{key: "status_transitions", sets: []setting{num("finalized_at", now)}}})
}

// finalize makes a draft invoice open; one that owes something gets the
// PaymentIntent that will pay it (its payments and confirmation_secret,
// as Stripe gives it).
func (l *lifecycle) finalize(ctx context.Context, id string, now int64) (server.Answer, *server.APIError) {
	obj, err := l.store.Get(ctx, id)
	if err != nil {
		return server.Answer{}, storeFailure(err)
	}
	b := []byte(obj.JSON)
	if status := payString(b, "status"); status != "draft" {
		return server.Answer{}, invoiceRefusal("invoice_not_editable", "This invoice is already finalized, you can't re-finalize a non-draft invoice.")
	}
	var sets []setting
	if topInt(b, "amount_due") > 0 && l.invoiceIntentID(b) == "" {
		if sets, err = l.newInvoiceIntent(ctx, id, b, now); err != nil {
			return server.Answer{}, storeFailure(err)
		}
	}
	return l.update(ctx, id, func(b []byte) ([]byte, *server.APIError) {
		if status := payString(b, "status"); status != "draft" {
			return nil, invoiceRefusal("invoice_not_editable", "This invoice is already finalized, you can't re-finalize a non-draft invoice.")
		}
		return setMembers(finalized(b, now), sets), nil
	})
}

// newInvoiceIntent stores the PaymentIntent that pays the invoice id (b):
// its amount due, currency and customer, waiting for a payment method,
// and the invoice_payment that links them. It returns the invoice's
// members that name it: payments and confirmation_secret.
func (l *lifecycle) newInvoiceIntent(ctx context.Context, id string, b []byte, now int64) ([]setting, error) {
	top := topValues(b, "customer", "currency", "amount_due")
	amount, _ := strconv.ParseInt(top[2], 10, 64)
	piID, secret, err := l.newIntent(ctx, amount, top[1], top[0], "Payment for Invoice", now)
	if err != nil {
		return nil, fmt.Errorf("the invoice's PaymentIntent: %w", err)
	}
	inpay, err := json.Marshal(map[string]any{"id": render.NewID("inpay"), "object": "invoice_payment", "amount_paid": nil,
		"amount_requested": amount, "created": now, "currency": top[1], "invoice": id, "is_default": true, "livemode": false,
		"payment": map[string]any{"type": "payment_intent", "payment_intent": piID}, "status": "open",
		"status_transitions": map[string]any{"canceled_at": nil, "paid_at": nil}})
	if err != nil {
		return nil, err
	}
	stored, err := l.put(ctx, store.Object{ID: payString(inpay, "id"), Type: "invoice_payment", Parent: id, JSON: string(inpay)})
	if err != nil {
		return nil, fmt.Errorf("the invoice's payment: %w", err)
	}
	return []setting{paymentsList(id, []byte(stored.JSON)),
		val("confirmation_secret", map[string]any{"client_secret": secret, "type": "payment_intent"})}, nil
}

// newIntent stores a PaymentIntent the lifecycle creates (an invoice's,
// a Checkout Session's), waiting for a payment method, and returns its id
// and client secret.
func (l *lifecycle) newIntent(ctx context.Context, amount int64, currency, customer, description string, now int64) (string, string, error) {
	id := render.NewID("pi")
	secret := id + "_secret_" + strings.TrimPrefix(render.NewID("s"), "s_")
	sets := []setting{str("id", id), str("object", "payment_intent"), num("amount", amount), str("currency", currency),
		str("status", "requires_payment_method"), str("capture_method", "automatic"), str("confirmation_method", "automatic"),
		str("client_secret", secret), {"metadata", []byte("{}")}, null("latest_charge"), null("payment_method"), num("amount_received", 0),
		num("amount_capturable", 0), null("last_payment_error"), null("next_action"), null("canceled_at"), null("cancellation_reason"),
		num("created", now), {"livemode", []byte("false")}, {"payment_method_types", []byte(`["card"]`)}}
	for _, v := range []struct{ key, val string }{{"customer", customer}, {"description", description}} {
		if v.val == "" {
			sets = append(sets, null(v.key))
		} else {
			sets = append(sets, str(v.key, v.val))
		}
	}
	pi := setMembers(l.fixture("payment_intent", id), sets)
	if _, err := l.put(ctx, store.Object{ID: id, Type: "payment_intent", JSON: string(pi)}); err != nil {
		return "", "", err
	}
	return id, secret, nil
}

// paymentsList is an invoice's payments member holding one payment.
func paymentsList(id string, payment []byte) setting {
	return val("payments", map[string]any{"object": "list", "data": []json.RawMessage{payment}, "has_more": false, "total_count": 1,
		"url": "/v1/invoice_payments?invoice=" + id})
}

// invoiceIntentID is the PaymentIntent that pays the invoice b, "" if none.
func (l *lifecycle) invoiceIntentID(b []byte) string {
	var inv struct {
		Payments struct {
			Data []struct {
				Payment struct {
					PaymentIntent string `json:"payment_intent"`
				} `json:"payment"`
			} `json:"data"`
		} `json:"payments"`
	}
	if json.Unmarshal(b, &inv) != nil || len(inv.Payments.Data) == 0 {
		return ""
	}
	return inv.Payments.Data[0].Payment.PaymentIntent
}

// invoiceIntent is the stored PaymentIntent that pays the invoice b.
func (s *State) invoiceIntent(ctx context.Context, b []byte) []byte {
	id := s.life.invoiceIntentID(b)
	if id == "" {
		return nil
	}
	obj, err := s.store.Get(ctx, id)
	if err != nil {
		return nil
	}
	return []byte(obj.JSON)
}

// payInvoice pays the stored invoice id (a draft is finalized first) by
// confirming its PaymentIntent with pm, or the invoice's or its
// customer's default; outOfBand marks it paid without a charge. A decline
// is a 402 card_error (the PaymentIntent embedded) and the invoice stays
// open, its attempt counted (invoice.payment_failed); a card that needs
// 3-D Secure leaves the PaymentIntent in requires_action, completing it
// pays the invoice.
func (l *lifecycle) payInvoice(ctx context.Context, id, pm string, outOfBand bool) (server.Answer, *server.APIError) {
	now := l.clockNow(ctx, id)
	obj, err := l.store.Get(ctx, id)
	if err != nil {
		return server.Answer{}, storeFailure(err)
	}
	b := []byte(obj.JSON)
	top := topValues(b, "status", "customer", "default_payment_method", "default_source")
	switch top[0] {
	case "draft":
		ans, refused := l.finalize(ctx, id, now)
		if refused != nil {
			return ans, refused
		}
		b = []byte(ans.Body.String())
	case "open", "uncollectible":
	case "paid":
		return server.Answer{}, invoiceRefusal("invoice_already_paid", "Invoice is already paid")
	default:
		return server.Answer{}, invoiceRefusal("invoice_not_editable", fmt.Sprintf("This invoice can no longer be paid: it is %s.", top[0]))
	}
	if outOfBand || topInt(b, "amount_remaining") <= 0 {
		return l.invoicePaid(ctx, id, now)
	}
	value := pm
	for _, v := range []string{top[2], top[3]} {
		if value == "" {
			value = v
		}
	}
	if value == "" {
		value = l.customerDefault(ctx, top[1])
	}
	if value == "" {
		return server.Answer{}, invoiceRefusal("", fmt.Sprintf("This customer (%s) has no attached payment source or default payment method: pass payment_method or set the customer's invoice_settings.default_payment_method.", top[1]))
	}
	pi := l.invoiceIntentID(b)
	if pi == "" {
		sets, err := l.newInvoiceIntent(ctx, id, b, now)
		if err != nil {
			return server.Answer{}, storeFailure(err)
		}
		if _, refused := l.update(ctx, id, func(b []byte) ([]byte, *server.APIError) { return setMembers(b, sets), nil }); refused != nil {
			return server.Answer{}, refused
		}
		pi = l.invoiceIntentID(setMembers(b, sets))
	}
	form := url.Values{"payment_method": {value}}
	_, refused := l.confirm(ctx, pi, &render.Request{Method: http.MethodPost, Path: "/v1/payment_intents/" + pi + "/confirm",
		Params: map[string]string{"intent": pi}, Body: []byte(form.Encode()), ContentType: "application/x-www-form-urlencoded"})
	if refused != nil && refused.Status != http.StatusPaymentRequired {
		return server.Answer{}, refused
	}
	intent, err := l.store.Get(ctx, pi)
	if err != nil {
		return server.Answer{}, storeFailure(err)
	}
	switch payString([]byte(intent.JSON), "status") {
	case "succeeded":
		return l.invoicePaid(ctx, id, now)
	case "requires_action":
		l.invoiceAttempted(ctx, id)
		return server.Answer{}, &server.APIError{Status: http.StatusPaymentRequired, Type: "card_error", Code: "invoice_payment_intent_requires_action",
			Message: fmt.Sprintf("This payment requires additional user action before it can be completed successfully: complete the 3-D Secure of PaymentIntent %s (POST /_routedeck/payment_intents/%s/3ds/complete).", pi, pi)}
	}
	l.invoiceAttempted(ctx, id)
	if refused == nil {
		refused = &server.APIError{Status: http.StatusPaymentRequired, Type: "card_error", Code: "card_declined", Message: "Your card was declined."}
	}
	return server.Answer{}, refused
}

// cancelInvoiceIntent cancels the PaymentIntent of a voided invoice b
// (payment_intent.canceled), as Stripe does, unless it is done; its
// payment is canceled too.
func (l *lifecycle) cancelInvoiceIntent(ctx context.Context, b []byte, now int64) {
	pi := l.invoiceIntentID(b)
	if pi == "" {
		return
	}
	_, refused := l.update(ctx, pi, func(p []byte) ([]byte, *server.APIError) {
		switch payString(p, "status") {
		case "succeeded", "canceled":
			return nil, invoiceRefusal("", "done")
		}
		return setMembers(p, []setting{str("status", "canceled"), num("canceled_at", now), str("cancellation_reason", "void_invoice"),
			num("amount_capturable", 0), null("next_action")}), nil
	})
	if refused != nil {
		return
	}
	if pay := l.invoicePaymentID(b); pay != "" {
		_, _ = l.update(ctx, pay, func(p []byte) ([]byte, *server.APIError) {
			return setMembersIn(p, []setting{str("status", "canceled")},
				[]nestedSet{{key: "status_transitions", sets: []setting{num("canceled_at", now)}}}), nil
		})
	}
}

// invoiceAttempted counts a failed attempt to pay an open invoice.
func (l *lifecycle) invoiceAttempted(ctx context.Context, id string) {
	_, _ = l.update(ctx, id, func(b []byte) ([]byte, *server.APIError) {
		return setMembers(b, []setting{{"attempted", []byte("true")}, num("attempt_count", topInt(b, "attempt_count")+1)}), nil
	})
}

// invoicePaid marks the invoice id paid (its payment too), and makes the
// subscription it bills active if its payment was what it waited for
// (incomplete, past_due or unpaid).
func (l *lifecycle) invoicePaid(ctx context.Context, id string, now int64) (server.Answer, *server.APIError) {
	var payment []byte
	if obj, err := l.store.Get(ctx, id); err == nil {
		b := []byte(obj.JSON)
		if pay := l.invoicePaymentID(b); pay != "" {
			if ans, refused := l.update(ctx, pay, func(p []byte) ([]byte, *server.APIError) {
				return setMembersIn(p, []setting{str("status", "paid"), num("amount_paid", topInt(p, "amount_requested"))},
					[]nestedSet{{key: "status_transitions", sets: []setting{num("paid_at", now)}}}), nil
			}); refused == nil {
				payment = []byte(ans.Body.String())
			}
		}
	}
	ans, refused := l.update(ctx, id, func(b []byte) ([]byte, *server.APIError) {
		if payString(b, "status") == "paid" {
			return nil, invoiceRefusal("invoice_already_paid", "Invoice is already paid")
		}
		amount := topInt(b, "amount_remaining")
		sets := []setting{str("status", "paid"), {"paid", []byte("true")}, num("amount_paid", topInt(b, "amount_paid")+amount),
			num("amount_remaining", 0), {"attempted", []byte("true")}, num("attempt_count", topInt(b, "attempt_count")+1)}
		if payment != nil {
			sets = append(sets, paymentsList(id, payment))
		}
		return setMembersIn(b, sets, []nestedSet{{key: "status_transitions", sets: []setting{num("paid_at", now)}}}), nil
	})
	if refused != nil {
		return ans, refused
	}
	if sub := payString([]byte(ans.Body.String()), "subscription"); sub != "" && l.waitsForPayment(ctx, sub) {
		_, _ = l.update(ctx, sub, func(b []byte) ([]byte, *server.APIError) {
			switch payString(b, "status") {
			case "incomplete", "past_due", "unpaid":
				return setMembers(b, []setting{str("status", "active")}), nil
			}
			return b, nil
		})
	}
	return ans, nil
}

// waitsForPayment says whether the stored subscription id waits for a
// payment to be active: incomplete, past_due or unpaid.
func (l *lifecycle) waitsForPayment(ctx context.Context, id string) bool {
	obj, err := l.store.Get(ctx, id)
	if err != nil {
		return false
	}
	switch payString([]byte(obj.JSON), "status") {
	case "incomplete", "past_due", "unpaid":
		return true
	}
	return false
}

// invoicePaymentID is the id of the invoice b's payment, "" if none.
func (l *lifecycle) invoicePaymentID(b []byte) string {
	var inv struct {
		Payments struct {
			Data []struct {
				ID string `json:"id"`
			} `json:"data"`
		} `json:"payments"`
	}
	if json.Unmarshal(b, &inv) != nil || len(inv.Payments.Data) == 0 {
		return ""
	}
	return inv.Payments.Data[0].ID
}

// intentSettled carries a PaymentIntent's new state to the open invoice
// it pays, if any (a confirm, or 3-D Secure completed, by the app rather
// than by paying the invoice): succeeded pays the invoice; a decline
// counts a failed attempt.
func (l *lifecycle) intentSettled(ctx context.Context, pi []byte) {
	top := topValues(pi, "id", "status", "customer", "description")
	if !paysInvoice(top[2], top[3]) {
		return
	}
	page, err := l.store.List(ctx, store.Query{Type: "invoice_payment", Limit: 1, Match: func(o store.Object) bool {
		return strings.Contains(o.JSON, `"payment_intent":"`+top[0]+`"`)
	}})
	if err != nil || len(page.Data) == 0 {
		return
	}
	inv := payString([]byte(page.Data[0].JSON), "invoice")
	obj, err := l.store.Get(ctx, inv)
	if err != nil || payString([]byte(obj.JSON), "status") != "open" {
		return
	}
	switch top[1] {
	case "succeeded":
		_, _ = l.invoicePaid(ctx, inv, l.clockNow(ctx, inv))
	case "requires_payment_method", "requires_action":
		l.invoiceAttempted(ctx, inv)
	}
}

// paysInvoice says whether a PaymentIntent of this customer and
// description is an invoice's (newIntent makes them so): only those
// settle anything beyond themselves.
func paysInvoice(customer, description string) bool {
	return customer != "" && description == "Payment for Invoice"
}

// customerDefault is what a customer pays invoices with: its
// invoice_settings.default_payment_method, else its default_source.
func (l *lifecycle) customerDefault(ctx context.Context, customer string) string {
	if customer == "" {
		return ""
	}
	obj, err := l.store.Get(ctx, customer)
	if err != nil || obj.Type != "customer" {
		return ""
	}
	b := []byte(obj.JSON)
	if sp, ok, err := member(b, "invoice_settings"); err == nil && ok {
		if pm := topValues(b[sp.start:sp.end], "default_payment_method")[0]; pm != "" {
			return pm
		}
	}
	return payString(b, "default_source")
}

// invoiceCreated starts a created invoice as Stripe does: a draft owing
// nothing until invoice items are added to it.
func (l *lifecycle) invoiceCreated(ctx context.Context, ans server.Answer) (server.Answer, *server.APIError) {
	// Its lines are its stored children: none yet (children.go).
	if err := syncChildren(ctx, l.store, ans.Change.ID, "line_item"); err != nil {
		return server.Answer{}, storeFailure(err)
	}
	return l.setCreated(ctx, ans, []setting{str("status", "draft"), num("amount_due", 0), num("amount_paid", 0),
		num("amount_remaining", 0), num("subtotal", 0), num("total", 0), num("attempt_count", 0), {"attempted", []byte("false")}})
}

// invoiceItemAdded adds a created invoice item's amount (amount, else
// its price's unit_amount times quantity) to the stored draft invoice it
// names; adding to a finalized invoice is refused (invoice_not_editable)
// and the item is not kept.
func (l *lifecycle) invoiceItemAdded(ctx context.Context, req *render.Request, ans server.Answer) (server.Answer, *server.APIError) {
	inv, _ := req.BodyValue("invoice")
	if inv == "" {
		return ans, nil
	}
	if obj, err := l.store.Get(ctx, inv); err != nil || obj.Type != "invoice" {
		return ans, nil
	}
	var amount int64
	if v, ok := req.BodyValue("amount"); ok {
		amount, _ = strconv.ParseInt(v, 10, 64)
	} else if price, ok := req.BodyValue("price"); ok {
		if obj, err := l.store.Get(ctx, price); err == nil && obj.Type == "price" {
			amount = topInt([]byte(obj.JSON), "unit_amount")
			if q, ok := req.BodyValue("quantity"); ok {
				n, _ := strconv.ParseInt(q, 10, 64)
				amount *= n
			}
		}
	}
	_, refused := l.update(ctx, inv, func(b []byte) ([]byte, *server.APIError) {
		if status := payString(b, "status"); status != "draft" {
			return nil, invoiceRefusal("invoice_not_editable", fmt.Sprintf("You can only add invoice items to a draft invoice; invoice %s is %s.", inv, status))
		}
		due := topInt(b, "amount_due") + amount
		return setMembers(b, []setting{num("amount_due", due), num("amount_remaining", due-topInt(b, "amount_paid")),
			num("subtotal", topInt(b, "subtotal")+amount), num("total", topInt(b, "total")+amount)}), nil
	})
	if refused != nil {
		_, _ = l.store.Delete(ctx, ans.Change.ID, true)
		return server.Answer{}, refused
	}
	if refused := l.invoiceItemLine(ctx, req, inv, ans.Change.ID, amount); refused != nil {
		return server.Answer{}, refused
	}
	return l.setCreated(ctx, ans, []setting{num("amount", amount), str("invoice", inv)})
}

// setCreated sets members of the object a create stored.
func (l *lifecycle) setCreated(ctx context.Context, ans server.Answer, sets []setting) (server.Answer, *server.APIError) {
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
