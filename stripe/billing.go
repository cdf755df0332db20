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
		ans, refused = l.update(ctx, id, func(b []byte) ([]byte, *server.APIError) {
			if status := payString(b, "status"); status != "draft" {
				return nil, invoiceRefusal("invoice_not_editable", "This invoice is already finalized, you can't re-finalize a non-draft invoice.")
			}
			return finalized(b, now), nil
		})
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

// payInvoice pays the stored invoice id (a draft is finalized first) by
// charging pm, or the invoice's or its customer's default; outOfBand
// marks it paid without a charge. A decline is a 402 card_error and the
// invoice stays open, its attempt counted.
func (l *lifecycle) payInvoice(ctx context.Context, id, pm string, outOfBand bool) (server.Answer, *server.APIError) {
	now := time.Now().Unix()
	var declined *server.APIError
	ans, refused := l.update(ctx, id, func(b []byte) ([]byte, *server.APIError) {
		top := topValues(b, "status", "customer", "currency", "default_payment_method", "default_source")
		switch top[0] {
		case "draft":
			b = finalized(b, now)
		case "open", "uncollectible":
		case "paid":
			return nil, invoiceRefusal("invoice_already_paid", "Invoice is already paid")
		default:
			return nil, invoiceRefusal("invoice_not_editable", fmt.Sprintf("This invoice can no longer be paid: it is %s.", top[0]))
		}
		amount := topInt(b, "amount_remaining")
		attempts := topInt(b, "attempt_count")
		paid := func(b []byte) []byte {
			return setMembersIn(b, []setting{str("status", "paid"), {"paid", []byte("true")}, num("amount_paid", topInt(b, "amount_paid")+amount),
				num("amount_remaining", 0), {"attempted", []byte("true")}, num("attempt_count", attempts+1)},
				[]nestedSet{{key: "status_transitions", sets: []setting{num("paid_at", now)}}})
		}
		if outOfBand || amount <= 0 {
			return paid(b), nil
		}
		value := pm
		for _, v := range []string{top[3], top[4]} {
			if value == "" {
				value = v
			}
		}
		if value == "" {
			value = l.customerDefault(ctx, top[1])
		}
		if value == "" {
			return nil, invoiceRefusal("", fmt.Sprintf("This customer (%s) has no attached payment source or default payment method: pass payment_method or set the customer's invoice_settings.default_payment_method.", top[1]))
		}
		tc, known := l.cards.Lookup(value)
		if !known {
			tc = TestCard{Card: Card{Number: "4242424242424242", Brand: "visa", ExpMonth: 12, ExpYear: time.Now().Year() + 3, Funding: "credit", Country: "US"}}
		}
		chID := render.NewID("ch")
		rec := chargeRecord{id: chID, pm: value, amount: amount, currency: top[2], card: tc, customer: top[1], invoice: id}
		switch tc.Result {
		case Declines, DeclinesCharge, IncorrectNumber, RequiresAction:
			d := tc.Decline
			if tc.Result == RequiresAction {
				d = Decline{Code: "authentication_required", DeclineCode: "authentication_required",
					Message: "Your card was declined. This transaction requires authentication."}
			}
			rec.failed = &d
			l.storeCharge(ctx, rec)
			e := declineError{Charge: chID, Code: d.Code, DeclineCode: d.DeclineCode, Message: d.Message, Param: d.Param, Type: "card_error",
				DocURL: "https://stripe.com/docs/error-codes/" + strings.ReplaceAll(d.Code, "_", "-")}
			body, _ := json.MarshalIndent(declineBody{Error: e}, "", "  ")
			declined = &server.APIError{Status: http.StatusPaymentRequired, Type: e.Type, Code: e.Code, Message: e.Message, Param: e.Param, Body: string(body) + "\n"}
			return setMembers(b, []setting{{"attempted", []byte("true")}, num("attempt_count", attempts+1)}), nil
		}
		l.storeCharge(ctx, rec)
		return paid(b), nil
	})
	if refused == nil && declined != nil {
		return server.Answer{}, declined
	}
	return ans, refused
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
	ans.Body = obj.JSON
	return ans, nil
}
