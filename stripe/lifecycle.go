package stripe

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/render"
	"github.com/routedeck/routedeck/server"
	"github.com/routedeck/routedeck/store"
)

// lifecycle moves stored PaymentIntents through Stripe's states: confirm
// (succeeded, requires_capture with capture_method=manual, requires_action
// for 3-D Secure cards, or a 402 decline that leaves it in
// requires_payment_method with the failed charge stored), capture
// (amount_to_capture) and cancel, refusing the transitions Stripe refuses
// (payment_intent_unexpected_state). Intents never stored are left to the
// catalog's answer.
type lifecycle struct {
	store store.Store
	cards *Cards
	kinds map[int]intentAction // by route index
	// fixtures retrieve an object of a type (payment_intent, customer),
	// for the objects a lifecycle creates itself.
	fixtures map[string]*catalog.Route
	// written are the members of the objects the lifecycle wrote last,
	// so that the next write of one need not read it again.
	written writtenMembers
	// chargeLayouts and balanceLayouts keep the layout of the last charge
	// and balance transaction stored, for the next of the same layout.
	chargeLayouts, balanceLayouts layoutCache
	// chargeFills keeps the charges confirms make as fills of one
	// template, where it can.
	chargeFills chargeFills
	// balanceFills keeps charges' balance transactions as fills of one
	// template.
	balanceFills balanceFills
}

// fixtureRoutes are the routes whose answers shape the objects a
// lifecycle creates.
var fixtureRoutes = map[string]string{
	"GET /v1/payment_intents/*": "payment_intent",
	"GET /v1/setup_intents/*":   "setup_intent",
	"GET /v1/customers/*":       "customer",
	"GET /v1/subscriptions/*":   "subscription",
	"GET /v1/invoices/*":        "invoice",
}

// fixture is the catalog's object of type typ with the id, {} when the
// catalog has none.
func (l *lifecycle) fixture(typ, id string) []byte {
	r := l.fixtures[typ]
	if r == nil || len(r.Params) == 0 {
		return []byte("{}")
	}
	v := r.Variant(catalog.Success)
	if v == nil {
		return []byte("{}")
	}
	body, err := v.Render(&render.Request{Method: http.MethodGet, Path: "/v1/" + id, Params: map[string]string{r.Params[len(r.Params)-1]: id}})
	if err != nil || !json.Valid([]byte(body)) {
		return []byte("{}")
	}
	return []byte(body)
}

// clockNow is the time for the object id: its customer's test clock's
// frozen_time when it has one (as Stripe runs a test clock's customers on
// its time), else now.
func (l *lifecycle) clockNow(ctx context.Context, id string) int64 {
	if clock := l.clockOf(ctx, id); clock != nil {
		if t := topInt(clock, "frozen_time"); t > 0 {
			return t
		}
	}
	return time.Now().Unix()
}

// clockOf is the stored test clock of the object id (its own test_clock,
// or its customer's), nil when it has none.
func (l *lifecycle) clockOf(ctx context.Context, id string) []byte {
	if id == "" {
		return nil
	}
	obj, err := l.store.Get(ctx, id)
	if err != nil {
		return nil
	}
	b := []byte(obj.JSON)
	clock := payString(b, "test_clock")
	if clock == "" && obj.Type != "customer" {
		if cus := payString(b, "customer"); cus != "" {
			if c, err := l.store.Get(ctx, cus); err == nil {
				clock = payString([]byte(c.JSON), "test_clock")
			}
		}
	}
	if clock == "" {
		return nil
	}
	c, err := l.store.Get(ctx, clock)
	if err != nil || c.Type != "test_helpers.test_clock" {
		return nil
	}
	return []byte(c.JSON)
}

type intentAction int

const (
	intentConfirm intentAction = iota + 1
	intentCapture
	intentCancel
	chargeCapture
	refundCreate // POST /v1/refunds (charge or payment_intent)
	chargeRefund // POST /v1/charges/:charge/refunds
	setupConfirm
	setupCancel
	intentIncrement
	intentCreate // POST /v1/payment_intents
	methodDetach // POST /v1/payment_methods/:payment_method/detach
	invoiceFinalize
	invoicePay
	invoiceVoid
	invoiceUncollectible
	subscriptionCreate // POST /v1/subscriptions
	subscriptionCancel // DELETE /v1/subscriptions/:subscription_exposed_id
	checkoutCreate
	checkoutExpire
	invoicePreview // GET /v1/invoices/upcoming, POST /v1/invoices/create_preview
	invoiceCreate
	invoiceItemCreate
	subscriptionUpdate // POST /v1/subscriptions/:subscription_exposed_id
	clockAdvance       // POST /v1/test_helpers/test_clocks/:test_clock/advance
	chargeCreate       // POST /v1/charges
)

// newLifecycle moves the objects of cat's routes kept in st, paying with
// cards.
func newLifecycle(cat *catalog.Catalog, st store.Store, cards *Cards) *lifecycle {
	l := &lifecycle{store: st, cards: cards, kinds: map[int]intentAction{}, fixtures: map[string]*catalog.Route{}}
	for i, r := range cat.Routes {
		key := shapeKey(r.Method, r.Path)
		if typ, ok := fixtureRoutes[key]; ok {
			l.fixtures[typ] = r
		}
		switch key {
		case "POST /v1/payment_intents/*/confirm":
			l.kinds[i] = intentConfirm
		case "POST /v1/payment_intents/*/capture":
			l.kinds[i] = intentCapture
		case "POST /v1/payment_intents/*/cancel":
			l.kinds[i] = intentCancel
		case "POST /v1/charges/*/capture":
			l.kinds[i] = chargeCapture
		case "POST /v1/charges":
			l.kinds[i] = chargeCreate
		case "POST /v1/refunds":
			l.kinds[i] = refundCreate
		case "POST /v1/charges/*/refunds":
			l.kinds[i] = chargeRefund
		case "POST /v1/setup_intents/*/confirm":
			l.kinds[i] = setupConfirm
		case "POST /v1/setup_intents/*/cancel":
			l.kinds[i] = setupCancel
		case "POST /v1/payment_intents":
			l.kinds[i] = intentCreate
		case "POST /v1/payment_intents/*/increment_authorization":
			l.kinds[i] = intentIncrement
		case "POST /v1/payment_methods/*/detach":
			l.kinds[i] = methodDetach
		case "POST /v1/subscriptions":
			l.kinds[i] = subscriptionCreate
		case "POST /v1/checkout/sessions":
			l.kinds[i] = checkoutCreate
		case "POST /v1/subscriptions/*":
			l.kinds[i] = subscriptionUpdate
		case "POST /v1/invoices":
			l.kinds[i] = invoiceCreate
		case "POST /v1/invoiceitems":
			l.kinds[i] = invoiceItemCreate
		case "GET /v1/invoices/upcoming", "POST /v1/invoices/create_preview":
			l.kinds[i] = invoicePreview
		case "POST /v1/checkout/sessions/*/expire":
			l.kinds[i] = checkoutExpire
		case "DELETE /v1/subscriptions/*":
			l.kinds[i] = subscriptionCancel
		case "POST /v1/invoices/*/finalize":
			l.kinds[i] = invoiceFinalize
		case "POST /v1/invoices/*/pay":
			l.kinds[i] = invoicePay
		case "POST /v1/invoices/*/void":
			l.kinds[i] = invoiceVoid
		case "POST /v1/invoices/*/mark_uncollectible":
			l.kinds[i] = invoiceUncollectible
		case "POST /v1/test_helpers/test_clocks/*/advance":
			l.kinds[i] = clockAdvance
		}
	}
	return l
}

// answer handles a request to a PaymentIntent action on a stored intent;
// ok is false when it is not one.
func (l *lifecycle) answer(ctx context.Context, route *catalog.Route, req *render.Request, renderVariant func() (string, error)) (server.Answer, *server.APIError, bool) {
	if l == nil {
		return server.Answer{}, nil, false
	}
	action, ok := l.kinds[route.Index()]
	if !ok {
		return server.Answer{}, nil, false
	}
	switch action {
	case chargeCapture, refundCreate, chargeRefund:
		return l.chargeAction(ctx, action, req, renderVariant)
	case setupConfirm, setupCancel:
		return l.setupAction(ctx, action, req)
	case invoiceFinalize, invoicePay, invoiceVoid, invoiceUncollectible:
		return l.invoiceAction(ctx, action, req)
	case subscriptionCancel:
		return l.cancelSubscription(ctx, req)
	case clockAdvance:
		return l.advanceClock(ctx, req)
	case checkoutExpire:
		return l.checkoutAction(ctx, req.Params["session"], false, "")
	case invoicePreview:
		return l.preview(ctx, req, renderVariant)
	case subscriptionUpdate:
		return l.subscriptionUpdating(ctx, req)
	case intentCreate, methodDetach, subscriptionCreate, checkoutCreate, invoiceCreate, invoiceItemCreate, chargeCreate:
		return server.Answer{}, nil, false // after the store's create (created)
	}
	id := req.Params["intent"]
	if w := watchedOf(ctx); w != nil && w.obj != nil && w.obj.ID == id {
		// Read a moment ago, for this request's events.
		if w.obj.Type != "payment_intent" {
			return server.Answer{}, nil, false
		}
	} else if typ, err := store.TypeOf(ctx, l.store, id); err != nil || typ != "payment_intent" {
		return server.Answer{}, nil, false
	}
	var ans server.Answer
	var refused *server.APIError
	switch action {
	case intentConfirm:
		var forInvoice bool
		ans, refused, forInvoice = l.confirmIntent(ctx, id, req)
		switch {
		case !forInvoice:
		case refused == nil:
			l.intentSettled(ctx, view(ans.Body.String()))
		case refused.Status == http.StatusPaymentRequired:
			if obj, err := l.store.Get(ctx, id); err == nil {
				l.intentSettled(ctx, view(obj.JSON))
			}
		}
	case intentCapture:
		ans, refused = l.capture(ctx, id, req)
	case intentCancel:
		ans, refused = l.cancel(ctx, id, req)
	case intentIncrement:
		ans, refused = l.increment(ctx, id, req)
	}
	return ans, refused, true
}

// readIntent is readMembers(b), b being the intent id's text: the
// members the request read of it before (State.watch), or those its
// last write kept (writtenMembers), when b is the very text they were
// read from.
func (l *lifecycle) readIntent(ctx context.Context, id string, b []byte) members {
	if l == nil {
		return readMembers(b)
	}
	if w := watchedOf(ctx); w != nil && w.id == id && w.members.ok && len(b) > 0 &&
		len(w.members.b) == len(b) && unsafe.SliceData(w.members.b) == unsafe.SliceData(b) {
		return w.members
	}
	return l.written.read(id, b)
}

// errStop carries a refusal out of a store update (nothing is written).
type errStop struct{ e *server.APIError }

func (e errStop) Error() string { return e.e.Message }

// update changes the stored intent with fn, which must not write into
// the bytes it is given (they are the stored string's); a refusal from fn
// or a store failure is the answer.
// The change is noted (note) for the request's events.
func (l *lifecycle) update(ctx context.Context, id string, fn func(b []byte) ([]byte, *server.APIError)) (server.Answer, *server.APIError) {
	return l.updateRead(ctx, id, func(b []byte) (*read, *server.APIError) {
		now, refused := fn(b)
		return &read{now: members{b: now}}, refused
	})
}

// updateRead is update for a writer that reads the object's members
// (readMembers) and writes with members.set: what it read (old) and wrote
// (now) goes with the change it notes, so that its events need not scan
// the two objects again.
func (l *lifecycle) updateRead(ctx context.Context, id string, fn func(b []byte) (*read, *server.APIError)) (server.Answer, *server.APIError) {
	// What the last run of the store's function read and wrote, in one
	// variable (the function outlives the call: what it sets is on the
	// heap).
	var last struct {
		was   string
		wrote *read
	}
	obj, err := l.store.Update(ctx, id, func(o store.Object) (store.Object, error) {
		last.was = o.JSON
		// fn reads the stored bytes and builds anew what it changes
		// (setMembers): it never writes into b.
		r, refused := fn(view(o.JSON))
		if refused != nil {
			return o, errStop{refused}
		}
		last.wrote = r
		base := o.JSON
		o.JSON = textOf(r.now.b, o.JSON) // the stored string or a buffer fn built and dropped
		o.Layout = r.layout(base, o.JSON)
		return o, nil
	})
	if err == nil {
		was, wrote := last.was, last.wrote
		if wrote.charge != nil {
			l.storeCharge(ctx, *wrote.charge)
		}
		if wrote.then != nil {
			wrote.then()
		}
		if obj.Type != "payment_intent" || string(wrote.now.value("status")) != `"succeeded"` {
			// A succeeded intent is written no more by the lifecycle
			// (confirm, capture, cancel and increment refuse it): its
			// members are not worth keeping.
			l.written.keep(obj.ID, obj.JSON, wrote.now)
		}
		ch := change{id: obj.ID, typ: obj.Type, old: view(was)}
		if wrote.old.ok && wrote.now.ok {
			ch.read = wrote
		}
		note(ctx, ch)
	}
	if err != nil {
		return server.Answer{}, refusalOf(err)
	}
	return server.Answer{Body: server.Text(obj.JSON), Change: server.Change{Op: "updated", Type: obj.Type, ID: obj.ID}}, nil
}

// refusalOf is the answer of a write that failed with err: the refusal
// errStop carries, else the store's failure.
func refusalOf(err error) *server.APIError {
	if stop, ok := err.(errStop); ok { // as store.Update returns it
		return stop.e
	}
	var stop errStop
	if errors.As(err, &stop) {
		return stop.e
	}
	return storeFailure(err)
}

func storeFailure(err error) *server.APIError {
	return &server.APIError{Status: http.StatusInternalServerError, Type: "api_error", Message: "routedeck's store failed: " + err.Error()}
}

// unexpectedState is Stripe's refusal of an action in the wrong status.
func unexpectedState(intent []byte, verb, status string, allowed ...string) *server.APIError {
	msg := fmt.Sprintf("You cannot %s this PaymentIntent because it has a status of %s. Only a PaymentIntent with one of the following statuses may be %s: %s.",
		verb, status, pastTense(verb), strings.Join(allowed, ", "))
	if verb == "capture" {
		msg = fmt.Sprintf("This PaymentIntent could not be captured because it has a status of %s. Only a PaymentIntent with one of the following statuses may be captured: %s.",
			status, strings.Join(allowed, ", "))
	}
	e := &server.APIError{Status: http.StatusBadRequest, Type: "invalid_request_error", Code: "payment_intent_unexpected_state", Message: msg}
	body, err := json.MarshalIndent(map[string]any{"error": map[string]any{
		"code": e.Code, "doc_url": "https://stripe.com/docs/error-codes/payment-intent-unexpected-state",
		"message": msg, "payment_intent": json.RawMessage(intent), "type": e.Type,
	}}, "", "  ")
	if err == nil {
		e.Body = string(body) + "\n"
	}
	return e
}

func pastTense(verb string) string {
	if strings.HasSuffix(verb, "e") {
		return verb + "d"
	}
	return verb + "ed"
}

func (l *lifecycle) confirm(ctx context.Context, id string, req *render.Request) (server.Answer, *server.APIError) {
	ans, refused, _ := l.confirmIntent(ctx, id, req)
	return ans, refused
}

// confirmIntent is confirm; forInvoice says whether the intent is an
// invoice's (paysInvoice), whose new state then settles the invoice.
func (l *lifecycle) confirmIntent(ctx context.Context, id string, req *render.Request) (ans server.Answer, refused *server.APIError, forInvoice bool) {
	// What the write decides, in one variable (the write's function
	// outlives the call, so what it sets lives on the heap).
	var out struct {
		declined   *server.APIError
		forInvoice bool
	}
	ans, refused = l.updateRead(ctx, id, func(b []byte) (*read, *server.APIError) {
		// b is the stored text, which never changes: what is read of it
		// may share it.
		cur := l.readIntent(ctx, id, b)
		// What the confirm reads of the intent, in one pass.
		var got [len(confirmReads)]string
		cur.strViews(confirmReads[:], got[:])
		status, pmWas, amountText, currency, customer, description, captureMethod := got[0], got[1], got[2], got[3], got[4], got[5], got[6]
		out.forInvoice = paysInvoice(customer, description)
		switch status {
		case "requires_payment_method", "requires_confirmation", "requires_action":
		default:
			return nil, unexpectedState(b, "confirm", status, "requires_payment_method", "requires_confirmation", "requires_action")
		}
		value, number := testValue(payIntentConfirm, req)
		if value == "" {
			value = pmWas
		}
		tc, known := l.cards.lookupSent(value, number)
		if !known {
			tc = TestCard{Card: Card{Number: "4242424242424242", Brand: "visa", ExpMonth: 12, ExpYear: time.Now().Year() + 3, Funding: "credit", Country: "US"}}
		}
		pm := value
		if !strings.HasPrefix(pm, "pm_") && !strings.HasPrefix(pm, "card_") && !strings.HasPrefix(pm, "src_") {
			pm = render.NewID("pm")
		}
		amount, _ := strconv.ParseInt(amountText, 10, 64)
		switch tc.Result {
		case Declines, DeclinesCharge, IncorrectNumber:
			// A number Stripe refuses makes no card, so no charge either:
			// the intent keeps its latest_charge.
			chID := ""
			if tc.Result != IncorrectNumber {
				chID = render.NewID("ch")
			}
			d := tc.Decline
			last := lastError{Charge: chID, Code: d.Code, DeclineCode: d.DeclineCode, Message: d.Message, Param: d.Param, Type: "card_error",
				DocURL: "https://stripe.com/docs/error-codes/" + strings.ReplaceAll(d.Code, "_", "-")}
			settings := []setting{str("status", "requires_payment_method"), val("last_payment_error", last),
				null("payment_method"), null("next_action")}
			if chID != "" {
				settings = append(settings, str("latest_charge", chID))
			}
			declines := cur.edit(settings)
			e := declineError{Charge: chID, Code: d.Code, DeclineCode: d.DeclineCode, DocURL: last.DocURL, Message: d.Message,
				Param: d.Param, PaymentIntent: declines.now.b, Type: "card_error"}
			body, _ := json.MarshalIndent(declineBody{Error: e}, "", "  ")
			out.declined = &server.APIError{Status: http.StatusPaymentRequired, Type: e.Type, Code: e.Code, Message: e.Message, Param: e.Param, Body: string(body) + "\n"}
			if chID != "" {
				declines.charge = &chargeRecord{id: chID, intent: id, pm: pm, amount: amount, currency: currency, card: tc, failed: &d, customer: customer}
			}
			return declines, nil // the decline is stored; the answer is the 402
		case RequiresAction:
			v := newValues(len("requires_action") + len(pm) + 2*len(`""`) + len("null"))
			return cur.edit([]setting{v.str("status", "requires_action"), v.str("payment_method", pm), v.null("last_payment_error"),
				{"next_action", useStripeSDK(id)}}), nil
		}
		chID := render.NewID("ch")
		manual := strings.HasPrefix(captureMethod, "manual")
		if m, ok := req.BodyValue("capture_method"); ok {
			manual = strings.HasPrefix(m, "manual")
		}
		status = "succeeded"
		received, capturable := amount, int64(0)
		if manual {
			status, received, capturable = "requires_capture", 0, amount
		}
		v := newValues(len(status) + len(pm) + len(chID) + 3*len(`""`) + 2*20 + 2*len("null"))
		paid := cur.edit([]setting{v.str("status", status), v.str("payment_method", pm), v.str("latest_charge", chID),
			v.num("amount_received", received), v.num("amount_capturable", capturable), v.null("last_payment_error"), v.null("next_action")})
		paid.charge = &chargeRecord{id: chID, intent: id, pm: pm, amount: amount, currency: currency, card: tc, uncaptured: manual, customer: customer}
		return paid, nil
	})
	if refused == nil && out.declined != nil {
		return server.Answer{}, out.declined, out.forInvoice
	}
	return ans, refused, out.forInvoice
}

// confirmReads are the members of an intent a confirm reads.
var confirmReads = [...]string{"status", "payment_method", "amount", "currency", "customer", "description", "capture_method"}

func (l *lifecycle) capture(ctx context.Context, id string, req *render.Request) (server.Answer, *server.APIError) {
	return l.update(ctx, id, func(b []byte) ([]byte, *server.APIError) {
		status := payString(b, "status")
		if status != "requires_capture" {
			return nil, unexpectedState(b, "capture", status, "requires_capture")
		}
		capturable := topInt(b, "amount_capturable")
		amount := capturable
		if v, ok := req.BodyValue("amount_to_capture"); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n <= 0 {
				return nil, &server.APIError{Status: http.StatusBadRequest, Type: "invalid_request_error", Code: "parameter_invalid_integer",
					Param: "amount_to_capture", Message: "Invalid integer: " + v}
			}
			if n > capturable {
				return nil, &server.APIError{Status: http.StatusBadRequest, Type: "invalid_request_error", Code: "amount_too_large", Param: "amount_to_capture",
					Message: fmt.Sprintf("The amount to capture (%d) is greater than the amount capturable (%d).", n, capturable)}
			}
			amount = n
		}
		if ch := payString(b, "latest_charge"); ch != "" {
			balance, keep := l.capturedBalance(ctx, ch, amount, payString(b, "currency"))
			if _, refused := l.update(ctx, ch, func(c []byte) ([]byte, *server.APIError) {
				return setMembers(c, []setting{{"captured", []byte("true")}, num("amount_captured", amount),
					num("amount_refunded", capturable-amount), {"refunded", []byte(strconv.FormatBool(amount == 0))}, balance}), nil
			}); refused == nil {
				keep()
			}
		}
		return setMembers(b, []setting{str("status", "succeeded"), num("amount_received", amount), num("amount_capturable", 0)}), nil
	})
}

func (l *lifecycle) cancel(ctx context.Context, id string, req *render.Request) (server.Answer, *server.APIError) {
	return l.update(ctx, id, func(b []byte) ([]byte, *server.APIError) {
		status := payString(b, "status")
		switch status {
		case "requires_payment_method", "requires_capture", "requires_confirmation", "requires_action", "processing":
		default:
			return nil, unexpectedState(b, "cancel", status, "requires_payment_method", "requires_capture", "requires_confirmation", "requires_action", "processing")
		}
		reason := null("cancellation_reason")
		if r, ok := req.BodyValue("cancellation_reason"); ok {
			reason = str("cancellation_reason", r)
		}
		return setMembers(b, []setting{str("status", "canceled"), num("canceled_at", time.Now().Unix()), reason,
			num("amount_capturable", 0), null("next_action")}), nil
	})
}

// chargeRecord is a charge a confirm made.
type chargeRecord struct {
	id, intent, pm string
	amount         int64
	currency       string
	card           TestCard
	failed         *Decline
	uncaptured     bool
	// customer and invoice, when an invoice's payment made the charge.
	customer, invoice string
}

// storeCharge keeps the charge a confirm made, succeeded or failed (with
// its outcome and failure_code, as Stripe keeps a declined charge).
func (l *lifecycle) storeCharge(ctx context.Context, c chargeRecord) {
	var balance *string
	if c.failed == nil && !c.uncaptured {
		txn := l.storeBalance(ctx, c.id, "charge", c.amount, c.currency)
		balance = &txn
	}
	ch := c.object(balance, time.Now().Unix())
	event := "charge.succeeded" // as chargeEvent names it from the status written
	if ch.Status == "failed" {
		event = "charge.failed"
	}
	if obj, ok := l.chargeFills.object(&ch); ok {
		_, _ = l.putRaising(ctx, obj, event)
		return
	}
	w := topWriter{b: make([]byte, 0, 896)} // a charge is 700-900 bytes
	ch.writeTo(&w)
	_, _ = l.putRaising(ctx, l.chargeLayouts.object(c.id, "charge", w.b, w.members()), event)
}

// object is the charge c records, made at now, with its balance
// transaction (nil: none).
func (c chargeRecord) object(balance *string, now int64) chargeObject {
	card := c.card.Card
	ch := chargeObject{
		Amount: c.amount, BalanceTransaction: balance, Created: now, Currency: c.currency, Customer: c.customer,
		ID: c.id, Metadata: struct{}{}, Object: "charge", Paid: true, PaymentMethod: c.pm, Status: "succeeded",
		Outcome: chargeOutcome{NetworkStatus: "approved_by_network", RiskLevel: "normal",
			SellerMessage: "Payment complete.", Type: "authorized"},
		PaymentMethodDetails: chargeMethodDetails{Type: "card", Card: chargeCard{Brand: card.Brand, Country: card.Country,
			ExpMonth: card.ExpMonth, ExpYear: card.ExpYear, Funding: card.Funding, Last4: card.Last4()}},
		Refunds: chargeRefunds{Data: []struct{}{}, Object: "list", URL: "/v1/charges/" + c.id + "/refunds"},
	}
	if c.failed != nil {
		ch.Status, ch.Paid = "failed", false
		ch.Outcome = chargeOutcome{NetworkStatus: "declined_by_network", Reason: &c.failed.DeclineCode, RiskLevel: "normal",
			SellerMessage: "The bank did not return any further details with this decline.", Type: "issuer_declined"}
		ch.FailureCode, ch.FailureMessage = &c.failed.Code, &c.failed.Message
	}
	if ch.Captured = c.failed == nil && !c.uncaptured; ch.Captured {
		ch.AmountCaptured = c.amount
	}
	if c.invoice != "" {
		ch.Description = "Payment for Invoice " + c.invoice
	} else {
		intent := c.intent // not &c.intent: that would move all of c to the heap
		ch.PaymentIntent = &intent
	}
	return ch
}

// chargeObject is a charge routedeck makes (a confirm's, an invoice
// payment's), as Stripe answers it. Its members are in name order (the
// order they were always stored in).
type chargeObject struct {
	Amount               int64               `json:"amount"`
	AmountCaptured       int64               `json:"amount_captured"`
	AmountRefunded       int64               `json:"amount_refunded"`
	BalanceTransaction   *string             `json:"balance_transaction"`
	Captured             bool                `json:"captured"`
	Created              int64               `json:"created"`
	Currency             string              `json:"currency"`
	Customer             string              `json:"customer,omitempty"`
	Description          string              `json:"description,omitempty"`
	FailureCode          *string             `json:"failure_code"`
	FailureMessage       *string             `json:"failure_message"`
	ID                   string              `json:"id"`
	Livemode             bool                `json:"livemode"`
	Metadata             struct{}            `json:"metadata"`
	Object               string              `json:"object"`
	Outcome              chargeOutcome       `json:"outcome"`
	Paid                 bool                `json:"paid"`
	PaymentIntent        *string             `json:"payment_intent"`
	PaymentMethod        string              `json:"payment_method"`
	PaymentMethodDetails chargeMethodDetails `json:"payment_method_details"`
	Refunded             bool                `json:"refunded"`
	Refunds              chargeRefunds       `json:"refunds"`
	Status               string              `json:"status"`
}

type chargeOutcome struct {
	NetworkStatus string  `json:"network_status"`
	Reason        *string `json:"reason"`
	RiskLevel     string  `json:"risk_level"`
	SellerMessage string  `json:"seller_message"`
	Type          string  `json:"type"`
}

type chargeMethodDetails struct {
	Card chargeCard `json:"card"`
	Type string     `json:"type"`
}

type chargeCard struct {
	Brand    string `json:"brand"`
	Country  string `json:"country"`
	ExpMonth int    `json:"exp_month"`
	ExpYear  int    `json:"exp_year"`
	Funding  string `json:"funding"`
	Last4    string `json:"last4"`
}

type chargeRefunds struct {
	Data    []struct{} `json:"data"`
	HasMore bool       `json:"has_more"`
	Object  string     `json:"object"`
	URL     string     `json:"url"`
}

var _ server.Own = (*Payments)(nil)

// Answer serves routedeck's own payment endpoints (server.Own):
//
//	POST /_routedeck/payment_intents/{id}/3ds/complete
//	POST /_routedeck/payment_intents/{id}/3ds/fail
//	POST /_routedeck/checkout/sessions/{id}/complete
//
// complete a stored PaymentIntent's 3-D Secure (it then succeeds, or waits
// for capture) or fail it (requires_payment_method with Stripe's
// payment_intent_authentication_failure), as the customer would on
// Stripe's authentication page, or complete an open Checkout Session as
// a customer paying on Stripe's page would (complete, paid). The answer
// is the object.
func (p *Payments) Answer(r *http.Request) (int, string) {
	return p.life.own(r.Context(), r)
}

// own answers routedeck's own endpoints (Payments.Answer, State.Own).
func (l *lifecycle) own(ctx context.Context, r *http.Request) (int, string) {
	rest := strings.TrimPrefix(r.URL.Path, server.OwnPrefix)
	parts := strings.Split(rest, "/")
	if len(parts) == 4 && parts[0] == "checkout" && parts[1] == "sessions" && parts[3] == "complete" && r.Method == http.MethodPost && l != nil {
		ans, refused, ok := l.checkoutAction(ctx, parts[2], true, r.FormValue("payment_method"))
		switch {
		case !ok:
			return http.StatusNotFound, ownError("invalid_request_error", "resource_missing", fmt.Sprintf("No such checkout.session: '%s'", parts[2]))
		case refused != nil:
			return refused.Status, ownError(refused.Type, refused.Code, refused.Message)
		}
		return http.StatusOK, ans.Body.String()
	}
	if len(parts) != 4 || parts[0] != "payment_intents" || parts[2] != "3ds" || (parts[3] != "complete" && parts[3] != "fail") {
		return http.StatusNotFound, ownError("invalid_request_error", "",
			"Unrecognized routedeck URL ("+r.Method+": "+r.URL.Path+"): use POST "+server.OwnPrefix+"payment_intents/{id}/3ds/complete or .../3ds/fail.")
	}
	if r.Method != http.MethodPost {
		return http.StatusMethodNotAllowed, ownError("invalid_request_error", "", "Use POST for "+r.URL.Path+".")
	}
	if l == nil {
		return http.StatusBadRequest, ownError("invalid_request_error", "",
			"routedeck keeps no objects here, so there is no PaymentIntent to authenticate.")
	}
	id, complete := parts[1], parts[3] == "complete"
	ans, refused := l.authenticate(store.WithOrigin(ctx, store.Origin{Method: r.Method, Path: r.URL.Path}), id, complete)
	if refused != nil {
		return refused.Status, ownError(refused.Type, refused.Code, refused.Message)
	}
	return http.StatusOK, ans.Body.String()
}

func ownError(typ, code, msg string) string {
	e := map[string]any{"type": typ, "message": msg}
	if code != "" {
		e["code"] = code
	}
	b, _ := json.Marshal(map[string]any{"error": e})
	return string(b) + "\n"
}

// chargeAction captures or refunds a stored charge; ok is false when the
// charge is not stored.
func (l *lifecycle) chargeAction(ctx context.Context, action intentAction, req *render.Request, renderVariant func() (string, error)) (server.Answer, *server.APIError, bool) {
	id := req.Params["charge"]
	if action == refundCreate {
		id, _ = req.BodyValue("charge")
		if id == "" {
			if pi, _ := req.BodyValue("payment_intent"); pi != "" {
				if obj, err := l.store.Get(ctx, pi); err == nil {
					id = payString([]byte(obj.JSON), "latest_charge")
				}
			}
		}
	}
	obj, err := l.store.Get(ctx, id)
	if err != nil || obj.Type != "charge" {
		return server.Answer{}, nil, false
	}
	if action == chargeCapture {
		var keep func()
		ans, refused := l.update(ctx, id, func(b []byte) ([]byte, *server.APIError) {
			if payString(b, "status") == "failed" || !isTrue(b, "paid") {
				return nil, &server.APIError{Status: http.StatusBadRequest, Type: "invalid_request_error", Code: "charge_not_capturable",
					Message: fmt.Sprintf("Charge %s cannot be captured: it failed.", id)}
			}
			if isTrue(b, "captured") {
				return nil, &server.APIError{Status: http.StatusBadRequest, Type: "invalid_request_error", Code: "charge_already_captured",
					Message: fmt.Sprintf("Charge %s has already been captured.", id)}
			}
			total := topInt(b, "amount")
			amount := total
			if v, ok := req.BodyValue("amount"); ok {
				n, err := strconv.ParseInt(v, 10, 64)
				if err != nil || n <= 0 || n > total {
					return nil, &server.APIError{Status: http.StatusBadRequest, Type: "invalid_request_error", Code: "amount_too_large", Param: "amount",
						Message: fmt.Sprintf("The amount to capture (%s) must be a positive integer no greater than the charge's amount (%d).", v, total)}
				}
				amount = n
			}
			// Capturing part refunds the rest, as Stripe does; what is
			// captured has its balance transaction.
			var balance setting
			balance, keep = l.capturedBalance(ctx, id, amount, payString(b, "currency"))
			return setMembers(b, []setting{{"captured", []byte("true")}, num("amount_captured", amount),
				num("amount_refunded", total-amount), {"refunded", []byte("false")}, balance}), nil
		})
		if refused == nil && keep != nil {
			keep()
		}
		return ans, refused, true
	}
	var refund int64
	var currency, intent string
	var wasCaptured bool
	ans, refused := l.update(ctx, id, func(b []byte) ([]byte, *server.APIError) {
		// What a partial capture did not capture counts as refunded
		// already (capture), so what remains is the amount less it.
		total := topInt(b, "amount")
		wasCaptured = isTrue(b, "captured")
		refunded := topInt(b, "amount_refunded")
		remaining := total - refunded
		if remaining <= 0 || isTrue(b, "refunded") {
			return nil, &server.APIError{Status: http.StatusBadRequest, Type: "invalid_request_error", Code: "charge_already_refunded",
				Message: fmt.Sprintf("Charge %s has already been refunded.", id)}
		}
		refund = remaining
		if v, ok := req.BodyValue("amount"); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n <= 0 {
				return nil, &server.APIError{Status: http.StatusBadRequest, Type: "invalid_request_error", Code: "parameter_invalid_integer", Param: "amount",
					Message: "Invalid integer: " + v}
			}
			if n > remaining {
				return nil, &server.APIError{Status: http.StatusBadRequest, Type: "invalid_request_error", Code: "amount_too_large", Param: "amount",
					Message: fmt.Sprintf("Refund amount ($%.2f) is greater than unrefunded amount on charge ($%.2f)", float64(n)/100, float64(remaining)/100)}
			}
			refund = n
		}
		currency, intent = payString(b, "currency"), payString(b, "payment_intent")
		return setMembers(b, []setting{num("amount_refunded", refunded+refund),
			{"refunded", []byte(strconv.FormatBool(refunded+refund == total))}}), nil
	})
	if refused != nil {
		return server.Answer{}, refused, true
	}
	_ = ans
	body, err := renderVariant()
	if err != nil {
		return server.Answer{}, nil, true
	}
	sets := []setting{num("amount", refund), str("charge", id), str("status", "succeeded"), str("object", "refund")}
	if currency != "" {
		sets = append(sets, str("currency", currency))
	}
	if intent != "" {
		sets = append(sets, str("payment_intent", intent))
	}
	b := setMembers([]byte(body), sets)
	rid := payString(b, "id")
	if !strings.HasPrefix(rid, "re_") {
		rid = render.NewID("re")
	}
	// The refund's balance transaction is the refund's own (its source);
	// releasing an uncaptured charge moves no money, and has none.
	balance := null("balance_transaction")
	if wasCaptured {
		balance = str("balance_transaction", l.storeBalance(ctx, rid, "refund", -refund, currency))
	}
	b = setMembers(b, []setting{str("id", rid), balance})
	stored, err := l.store.Put(ctx, store.Object{ID: rid, Type: "refund", Parent: id, JSON: string(b)})
	if err != nil {
		return server.Answer{}, storeFailure(err), true
	}
	return server.Answer{Body: server.Text(stored.JSON), Change: server.Change{Op: "created", Type: "refund", ID: rid}}, nil, true
}

// isTrue says whether a top-level member of b is true.
func isTrue(b []byte, key string) bool {
	sp, ok, err := member(b, key)
	return err == nil && ok && string(b[sp.start:sp.end]) == "true"
}

// useStripeSDK is the next_action of an intent waiting for 3-D Secure
// through Stripe.js (ids are letters and digits: no escaping needed).
func useStripeSDK(id string) []byte {
	if strings.ContainsAny(id, "\"\\") {
		id = ""
	}
	return []byte(`{"type":"use_stripe_sdk","use_stripe_sdk":{"source":"` + render.NewID("src") +
		`","stripe_js":"https://hooks.stripe.com/3d_secure_2/hosted?payment_intent=` + id + `","type":"three_d_secure_redirect"}}`)
}

// setupAction confirms or cancels a stored SetupIntent; ok is false when
// it is not stored. A confirmed card is attached to the intent's customer
// when the PaymentMethod is stored.
func (l *lifecycle) setupAction(ctx context.Context, action intentAction, req *render.Request) (server.Answer, *server.APIError, bool) {
	id := req.Params["intent"]
	obj, err := l.store.Get(ctx, id)
	if err != nil || obj.Type != "setup_intent" {
		return server.Answer{}, nil, false
	}
	refuse := func(b []byte, verb, status string, allowed ...string) *server.APIError {
		msg := fmt.Sprintf("You cannot %s this SetupIntent because it has a status of %s. Only a SetupIntent with one of the following statuses may be %s: %s.",
			verb, status, pastTense(verb), strings.Join(allowed, ", "))
		e := &server.APIError{Status: http.StatusBadRequest, Type: "invalid_request_error", Code: "setup_intent_unexpected_state", Message: msg}
		if body, err := json.MarshalIndent(map[string]any{"error": map[string]any{"code": e.Code,
			"doc_url": "https://stripe.com/docs/error-codes/setup-intent-unexpected-state", "message": msg,
			"setup_intent": json.RawMessage(b), "type": e.Type}}, "", "  "); err == nil {
			e.Body = string(body) + "\n"
		}
		return e
	}
	if action == setupCancel {
		ans, refused := l.update(ctx, id, func(b []byte) ([]byte, *server.APIError) {
			status := topValues(b, "status")[0]
			if status == "succeeded" || status == "canceled" {
				return nil, refuse(b, "cancel", status, "requires_payment_method", "requires_confirmation", "requires_action")
			}
			reason := null("cancellation_reason")
			if r, ok := req.BodyValue("cancellation_reason"); ok {
				reason = str("cancellation_reason", r)
			}
			return setMembers(b, []setting{str("status", "canceled"), reason, null("next_action")}), nil
		})
		return ans, refused, true
	}
	var declined *server.APIError
	var attach, customer string
	ans, refused := l.update(ctx, id, func(b []byte) ([]byte, *server.APIError) {
		top := topValues(b, "status", "payment_method", "customer")
		switch top[0] {
		case "requires_payment_method", "requires_confirmation", "requires_action":
		default:
			return nil, refuse(b, "confirm", top[0], "requires_payment_method", "requires_confirmation", "requires_action")
		}
		value, number := testValue(paySetupConfirm, req)
		if value == "" {
			value = top[1]
		}
		pm := value
		if !strings.HasPrefix(pm, "pm_") && !strings.HasPrefix(pm, "card_") && !strings.HasPrefix(pm, "src_") {
			pm = render.NewID("pm")
		}
		tc, _ := l.cards.lookupSent(value, number)
		switch tc.Result {
		case Declines, IncorrectNumber:
			d := tc.Decline
			last := lastError{Code: d.Code, DeclineCode: d.DeclineCode, Message: d.Message, Param: d.Param, Type: "card_error",
				DocURL: "https://stripe.com/docs/error-codes/" + strings.ReplaceAll(d.Code, "_", "-")}
			b = setMembers(b, []setting{str("status", "requires_payment_method"), val("last_setup_error", last), null("payment_method"), null("next_action")})
			e := declineError{Code: d.Code, DeclineCode: d.DeclineCode, DocURL: last.DocURL, Message: d.Message, Param: d.Param, SetupIntent: b, Type: "card_error"}
			body, _ := json.MarshalIndent(declineBody{Error: e}, "", "  ")
			declined = &server.APIError{Status: http.StatusPaymentRequired, Type: e.Type, Code: e.Code, Message: e.Message, Param: e.Param, Body: string(body) + "\n"}
			return b, nil
		case RequiresAction:
			return setMembers(b, []setting{str("status", "requires_action"), str("payment_method", pm), null("last_setup_error"),
				{"next_action", useStripeSDK(id)}}), nil
		}
		attach, customer = pm, top[2]
		return setMembers(b, []setting{str("status", "succeeded"), str("payment_method", pm), null("last_setup_error"), null("next_action")}), nil
	})
	if refused != nil {
		return server.Answer{}, refused, true
	}
	if declined != nil {
		return server.Answer{}, declined, true
	}
	if attach != "" && customer != "" {
		_, _ = l.store.Update(ctx, attach, func(o store.Object) (store.Object, error) {
			o.JSON = string(setMembers([]byte(o.JSON), []setting{str("customer", customer)}))
			return o, nil
		})
	}
	return ans, nil, true
}

// created finishes what a create, update or action stored: a PaymentIntent created
// with a payment method but not confirmed waits in requires_confirmation;
// a detached PaymentMethod belongs to no customer. from is what the
// server told the state it rendered (its test value's outcome).
func (l *lifecycle) created(ctx context.Context, route *catalog.Route, req *render.Request, from server.Rendering, ans server.Answer, refused *server.APIError) (server.Answer, *server.APIError) {
	if l == nil || refused != nil || ans.Change.ID == "" {
		return ans, refused
	}
	var sets []setting
	switch l.kinds[route.Index()] {
	case intentCreate:
		if c, _ := req.BodyValue("confirm"); c == "true" {
			return ans, refused
		}
		top := topValues([]byte(ans.Body.String()), "status", "payment_method")
		if top[0] != "requires_payment_method" || top[1] == "" {
			return ans, refused
		}
		sets = []setting{str("status", "requires_confirmation")}
	case methodDetach:
		sets = []setting{null("customer")}
	case subscriptionCreate:
		return l.subscribed(ctx, req, ans)
	case checkoutCreate:
		return l.checkoutOpened(ctx, req, ans)
	case invoiceCreate:
		return l.invoiceCreated(ctx, ans)
	case invoiceItemCreate:
		return l.invoiceItemAdded(ctx, req, ans)
	case subscriptionUpdate:
		return l.subscriptionUpdated(ctx, req, ans)
	case chargeCreate:
		return l.chargeCreated(ctx, req, from, ans), refused
	default:
		return ans, refused
	}
	obj, err := l.store.Update(ctx, ans.Change.ID, func(o store.Object) (store.Object, error) {
		o.JSON = string(setMembers([]byte(o.JSON), sets))
		return o, nil
	})
	if err != nil {
		return ans, refused
	}
	ans.Body = server.Text(obj.JSON)
	return ans, refused
}

// increment raises an uncaptured intent's authorized amount.
func (l *lifecycle) increment(ctx context.Context, id string, req *render.Request) (server.Answer, *server.APIError) {
	return l.update(ctx, id, func(b []byte) ([]byte, *server.APIError) {
		top := topValues(b, "status", "amount", "latest_charge")
		if top[0] != "requires_capture" {
			return nil, unexpectedState(b, "increment the authorization of", top[0], "requires_capture")
		}
		current, _ := strconv.ParseInt(top[1], 10, 64)
		v, _ := req.BodyValue("amount")
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= current {
			return nil, &server.APIError{Status: http.StatusBadRequest, Type: "invalid_request_error", Code: "parameter_invalid_integer", Param: "amount",
				Message: fmt.Sprintf("The amount (%s) must be greater than the PaymentIntent's current amount (%d).", v, current)}
		}
		if top[2] != "" {
			_, _ = l.store.Update(ctx, top[2], func(o store.Object) (store.Object, error) {
				o.JSON = string(setMembers([]byte(o.JSON), []setting{num("amount", n)}))
				return o, nil
			})
		}
		return setMembers(b, []setting{num("amount", n), num("amount_capturable", n)}), nil
	})
}

// storeBalance keeps the balance transaction of money that moved (a
// captured charge, a refund) and returns its id. The fee is Stripe's
// standard card pricing (2.9% + 30 cents) on charges, none on refunds.
func (l *lifecycle) storeBalance(ctx context.Context, source, typ string, amount int64, currency string) string {
	id := render.NewID("txn")
	if err := l.putBalance(ctx, id, source, typ, amount, currency); err != nil {
		return ""
	}
	return id
}

// balanceOf is the balance transaction id of amount in currency that
// source (a charge, a refund) makes at now; a charge pays Stripe's fee.
func balanceOf(id, source, typ string, amount int64, currency string, now int64) balanceObject {
	var fee int64
	if typ == "charge" && amount > 0 {
		fee = (amount*29+500)/1000 + 30
	}
	details := []balanceFee{}
	if fee > 0 {
		details = append(details, balanceFee{Amount: fee, Currency: currency, Description: "Stripe processing fees", Type: "stripe_fee"})
	}
	return balanceObject{Amount: amount, AvailableOn: now + 2*24*3600, Created: now, Currency: currency, Fee: fee,
		FeeDetails: details, ID: id, Net: amount - fee, Object: "balance_transaction", ReportingCategory: typ,
		Source: source, Status: "pending", Type: typ}
}

// balanceObject is a balance transaction as Stripe answers it, its
// members in name order (the order they were always stored in).
type balanceObject struct {
	Amount            int64        `json:"amount"`
	AvailableOn       int64        `json:"available_on"`
	Created           int64        `json:"created"`
	Currency          string       `json:"currency"`
	Description       *string      `json:"description"`
	ExchangeRate      *float64     `json:"exchange_rate"`
	Fee               int64        `json:"fee"`
	FeeDetails        []balanceFee `json:"fee_details"`
	ID                string       `json:"id"`
	Net               int64        `json:"net"`
	Object            string       `json:"object"`
	ReportingCategory string       `json:"reporting_category"`
	Source            string       `json:"source"`
	Status            string       `json:"status"`
	Type              string       `json:"type"`
}

type balanceFee struct {
	Amount      int64   `json:"amount"`
	Application *string `json:"application"`
	Currency    string  `json:"currency"`
	Description string  `json:"description"`
	Type        string  `json:"type"`
}
