package stripe

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/routedeck/routedeck/render"
	"github.com/routedeck/routedeck/server"
	"github.com/routedeck/routedeck/store"
)

// Money that moves has a balance transaction, as Stripe keeps one: a
// captured charge's (type charge, its amount less Stripe's fee), made
// when the charge is created captured or when it is captured later (for
// the amount captured), and each refund's (type refund, its amount
// negative). A charge names its balance transaction in
// balance_transaction (null while it is not captured), and expand[]
// gives the stored one.
//
// A test card's charge create names a balance transaction id of its own
// as its body is finished (chargeBalance), an id the prepared create
// fills anew for each create like the charge's own; once the charge is
// stored, chargeCreated stores the balance transaction under that id:
// one store Put, written by the writer a confirm's charge uses.

// chargeBalance is a charge create's balance_transaction: an id of the
// request's rendering when the charge is captured, null when not.
func chargeBalance(req *render.Request, captured bool) setting {
	if !captured {
		return null("balance_transaction")
	}
	return str("balance_transaction", req.NewID("txn"))
}

// chargeCreated stores the balance transaction of a charge a create
// stored captured. A test card's charge names its own
// (chargeBalance); any other charge (the catalog's answer, with the
// fixture's capture and balance transaction) is captured as the request
// says and given one, null when it is not captured.
func (l *lifecycle) chargeCreated(ctx context.Context, req *render.Request, from server.Rendering, ans server.Answer) server.Answer {
	if ans.Change.Op != "created" || ans.Change.Type != "charge" || ans.Change.ID == "" {
		return ans
	}
	if from.Outcome != nil && from.Outcome.Finish != nil {
		// A test card's charge: the members a finish set and the request's
		// amount and currency (which the charge took), read without
		// scanning the charge past its balance transaction.
		txn := answerTop(ans.Body, "balance_transaction")[0]
		if txn == "" {
			return ans // not captured: null
		}
		amount, currency := l.requestMoney(req, ans)
		_ = l.putBalance(ctx, txn, ans.Change.ID, "charge", amount, currency) // a store failure leaves the charge naming none stored
		return ans
	}
	// Any other charge is captured unless the request says capture=false,
	// as Stripe captures by default, whatever the catalog's answer says.
	top := answerTop(ans.Body, "amount", "currency")
	sets := []setting{{"captured", []byte("false")}, num("amount_captured", 0), null("balance_transaction")}
	if capture, _ := req.BodyValue("capture"); capture != "false" {
		txn := render.NewID("txn")
		amount, _ := strconv.ParseInt(top[0], 10, 64)
		if err := l.putBalance(ctx, txn, ans.Change.ID, "charge", amount, top[1]); err != nil {
			return ans
		}
		sets = []setting{{"captured", []byte("true")}, num("amount_captured", amount), str("balance_transaction", txn)}
	}
	obj, err := l.store.Update(ctx, ans.Change.ID, func(o store.Object) (store.Object, error) {
		o.JSON = string(setMembers([]byte(o.JSON), sets))
		return o, nil
	})
	if err == nil {
		ans.Body = server.Text(obj.JSON)
	}
	return ans
}

// requestMoney is the amount and currency a charge create asked for (the
// charge's, which took them), read from the charge when the request
// does not say.
func (l *lifecycle) requestMoney(req *render.Request, ans server.Answer) (int64, string) {
	a, okA := req.BodyValue("amount")
	currency, okC := req.BodyValue("currency")
	amount, err := strconv.ParseInt(a, 10, 64)
	if !okA || !okC || err != nil {
		top := answerTop(ans.Body, "amount", "currency")
		amount, _ = strconv.ParseInt(top[0], 10, 64)
		currency = top[1]
	}
	return amount, currency
}

// putBalance stores the balance transaction id of amount in currency that
// source (a charge, a refund) moved, of type typ (charge, refund), written
// as json.Marshal writes balanceObject (balanceOf) without its
// reflection: a charge's as a fill of one template (balanceFills), any
// other by the writer.
func (l *lifecycle) putBalance(ctx context.Context, id, source, typ string, amount int64, currency string) error {
	t := balanceOf(id, source, typ, amount, currency, time.Now().Unix())
	obj, ok := l.balanceFills.object(&t)
	if !ok {
		w := topWriter{b: make([]byte, 0, 416)} // 390 bytes
		t.writeTo(&w)
		obj = l.balanceLayouts.object(id, "balance_transaction", w.b, w.members())
	}
	if _, err := l.store.Put(ctx, obj); err != nil {
		return fmt.Errorf("balance transaction %s of %s: %w", id, source, err)
	}
	return nil
}

// capturedBalance is the balance_transaction member of a charge captured
// now for amount: a new balance transaction's id, and the store of it,
// to run once the charge is written.
func (l *lifecycle) capturedBalance(ctx context.Context, charge string, amount int64, currency string) (setting, func()) {
	txn := render.NewID("txn")
	return str("balance_transaction", txn), func() { _ = l.putBalance(ctx, txn, charge, "charge", amount, currency) }
}
