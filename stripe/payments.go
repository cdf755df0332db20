package stripe

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/routedeck/routedeck/catalog"
	"github.com/routedeck/routedeck/render"
	"github.com/routedeck/routedeck/server"
	"github.com/routedeck/routedeck/store"
)

// Payments answers Stripe's test values as Stripe's test mode does
// (server.TestValues): a PaymentIntent confirmed with pm_card_visa
// succeeds, one confirmed with pm_card_chargeDeclinedInsufficientFunds is
// declined with Stripe's 402 card_error and the PaymentIntent embedded, a
// 3-D Secure card leaves it in requires_action, and a PaymentMethod, token
// or charge made from a test card shows its brand and last4.
//
// The routes that read test values: PaymentIntent and SetupIntent create
// (with confirm=true) and confirm (payment_method,
// payment_method_data[card][number] or [token]), Charge create (source,
// card[number]), PaymentMethod and token create (card[number]),
// PaymentMethod attach, and a customer's source (source).
type Payments struct {
	cards *Cards
	kinds []payRoute // by route index
	// pmRoute renders the PaymentMethods a decline embeds; nil when the
	// catalog has no such route.
	pmRoute *catalog.Route
	// life, with a store, keeps what payments do (nil without one).
	life *lifecycle
}

var _ server.TestValues = (*Payments)(nil)

// payRoute is what a route does with a test value.
type payRoute int

const (
	payNone payRoute = iota
	payIntentCreate
	payIntentConfirm
	paySetupCreate
	paySetupConfirm
	payCharge
	payMethodCreate
	payToken
	payAttach
	payCustomerSource // POST /v1/customers and /v1/customers/:customer/sources
)

var payRoutes = map[string]payRoute{
	"POST /v1/payment_intents":           payIntentCreate,
	"POST /v1/payment_intents/*/confirm": payIntentConfirm,
	"POST /v1/setup_intents":             paySetupCreate,
	"POST /v1/setup_intents/*/confirm":   paySetupConfirm,
	"POST /v1/charges":                   payCharge,
	"POST /v1/payment_methods":           payMethodCreate,
	"POST /v1/tokens":                    payToken,
	"POST /v1/payment_methods/*/attach":  payAttach,
	"POST /v1/customers":                 payCustomerSource,
	"POST /v1/customers/*/sources":       payCustomerSource,
	"POST /v1/customers/*/cards":         payCustomerSource,
}

// NewPayments prepares the test values for cat's routes. With a store
// (the State's), a PaymentIntent confirmed or created with confirm=true
// is kept as the payment leaves it, with its charge; st may be nil.
func NewPayments(cat *catalog.Catalog, st store.Store) *Payments {
	cards := newTestCards()
	var life *lifecycle
	if st != nil {
		life = newLifecycle(cat, st, cards)
	}
	return newPayments(cat, cards, life)
}

// Payments are the test values for the state's routes, kept by the
// state's own lifecycle (in its store, with its test cards): what
// NewPayments with the state's store gives, without building them again.
func (s *State) Payments() *Payments {
	return newPayments(s.cat, s.life.cards, s.life)
}

// newTestCards are the test cards, valid for some years from now.
func newTestCards() *Cards { return NewCards(time.Now().Year() + 3) }

func newPayments(cat *catalog.Catalog, cards *Cards, life *lifecycle) *Payments {
	p := &Payments{cards: cards, kinds: make([]payRoute, len(cat.Routes)), life: life}
	for i, r := range cat.Routes {
		p.kinds[i] = payRoutes[shapeKey(r.Method, r.Path)]
		if r.Method == http.MethodGet && shapeKey(r.Method, r.Path) == "GET /v1/payment_methods/*" {
			p.pmRoute = r
		}
	}
	return p
}

// Outcome resolves the request's test value, if it has one.
func (p *Payments) Outcome(route *catalog.Route, req *render.Request) *server.Outcome {
	if route.Index() >= len(p.kinds) {
		return nil
	}
	kind := p.kinds[route.Index()]
	if kind == payNone {
		return nil
	}
	value, number := testValue(kind, req)
	if (kind == payIntentConfirm || kind == paySetupConfirm) && p.life != nil {
		// A stored intent is confirmed by the State (the lifecycle), with
		// the request's payment method or its own.
		typ := "payment_intent"
		if kind == paySetupConfirm {
			typ = "setup_intent"
		}
		ctx, id := context.Background(), req.Params["intent"]
		if t, err := store.TypeOf(ctx, p.life.store, id); err == nil && t == typ {
			if value == "" {
				obj, err := p.life.store.Get(ctx, id)
				if err != nil {
					return nil
				}
				value = topValues(view(obj.JSON), "payment_method")[0]
			}
			tc, ok := p.cards.lookupSent(value, number)
			if !ok {
				return nil
			}
			return &server.Outcome{Reason: reasonFor(tc, value)}
		}
	}
	if value == "" {
		return nil
	}
	tc, paid, ok := p.cards.lookup(value)
	if !ok && number {
		tc, ok = notANumber(value), true
	}
	if !ok {
		return nil
	}
	if m, ok := req.BodyValue("card.exp_month"); ok {
		tc.Card.ExpMonth, _ = strconv.Atoi(m)
	}
	if y, ok := req.BodyValue("card.exp_year"); ok {
		tc.Card.ExpYear, _ = strconv.Atoi(y)
	}
	pay := payment{p: p, route: route, req: req, kind: kind, value: value, card: tc, paid: paid}
	return pay.outcome()
}

// testValue is the value a route's request charges, attaches or
// tokenizes, and whether it was sent as a card number (card[number] and
// the like) rather than as an id or a test value's name.
func testValue(kind payRoute, req *render.Request) (value string, number bool) {
	switch kind {
	case payIntentCreate, paySetupCreate:
		if c, _ := req.BodyValue("confirm"); c != "true" {
			return "", false
		}
		return firstValue(req, "payment_method", "payment_method_data.card.number", "payment_method_data.card.token", "")
	case payIntentConfirm, paySetupConfirm:
		return firstValue(req, "payment_method", "payment_method_data.card.number", "payment_method_data.card.token", "")
	case payCharge:
		return firstValue(req, "source", "card.number", "source.number", "")
	case payMethodCreate, payToken:
		return firstValue(req, "card.number", "", "", "")
	case payAttach:
		return req.Params["payment_method"], false
	case payCustomerSource:
		return firstValue(req, "source", "card", "source.number", "card.number")
	}
	return "", false
}

// firstValue is the first non-empty body value of the paths a to d, in
// that order ("" ends them), and whether its path names a card number: a
// function of four, not of a variadic list, so that no request allocates
// the list.
func firstValue(req *render.Request, a, b, c, d string) (string, bool) {
	for _, path := range [...]string{a, b, c, d} {
		if path == "" {
			break
		}
		if v, ok := req.BodyValue(path); ok && v != "" {
			return v, strings.HasSuffix(path, ".number")
		}
	}
	return "", false
}

// payment is one request's test value and what it leads to.
type payment struct {
	p     *Payments
	route *catalog.Route
	req   *render.Request
	kind  payRoute
	value string
	card  TestCard
	// paid is the reason a payment by value gives, when the card table
	// made it ("" otherwise: made when needed).
	paid string
	// out is the outcome a card that does not decline leads to, kept
	// here so that the payment and its outcome are one allocation.
	out server.Outcome
}

func (pay *payment) outcome() *server.Outcome {
	intent := pay.kind == payIntentCreate || pay.kind == payIntentConfirm
	setup := pay.kind == paySetupCreate || pay.kind == paySetupConfirm
	charges := intent || pay.kind == payCharge
	switch r := pay.card.Result; {
	case r == IncorrectNumber:
		return pay.decline(false)
	case r == Declines && (charges || setup || pay.kind == payAttach || pay.kind == payCustomerSource):
		return pay.decline(charges)
	case r == DeclinesCharge && charges:
		return pay.decline(true)
	case r == RequiresAction && pay.kind == payCharge:
		return pay.decline(true)
	case r == RequiresAction && (intent || setup):
		pay.out = server.Outcome{Reason: "3-D Secure required by " + pay.value, Finish: pay.requiresAction}
		return &pay.out
	}
	// succeed reads the request alone for these kinds, and changes
	// nothing but the body (an intent's stores its charge).
	pure := pay.kind == payCharge || pay.kind == payMethodCreate || pay.kind == payToken || pay.kind == payCustomerSource
	reason := pay.paid
	if reason == "" {
		reason = "test card " + pay.value
	}
	pay.out = server.Outcome{Reason: reason, Finish: pay.succeed, Pure: pure}
	return &pay.out
}

// paymentMethodID is the id of the PaymentMethod the value stands for.
func (pay *payment) paymentMethodID() string {
	if strings.HasPrefix(pay.value, "pm_") {
		return pay.value
	}
	return render.NewID("pm")
}

// decline is Stripe's 402 card_error for the card, with the objects Stripe
// embeds: the charge a payment made, the PaymentIntent or SetupIntent
// left in requires_payment_method, the PaymentMethod.
func (pay *payment) decline(charged bool) *server.Outcome {
	d := pay.card.Decline
	if pay.card.Result == RequiresAction {
		d = declineAuth
	}
	e := declineError{
		Code: d.Code, DeclineCode: d.DeclineCode, Message: d.Message, Param: d.Param, Type: "card_error",
		DocURL: d.DocURL(),
	}
	var chargeID string
	if charged && pay.card.Result != IncorrectNumber {
		chargeID = render.NewID("ch")
		e.Charge = chargeID
	}
	if pay.card.Result != IncorrectNumber && pay.kind != payCharge && pay.kind != payCustomerSource {
		pm := pay.paymentMethod()
		e.PaymentMethod = pm
		last := lastError{Charge: chargeID, Code: e.Code, DeclineCode: e.DeclineCode, DocURL: e.DocURL,
			Message: e.Message, Param: e.Param, PaymentMethod: pm, Type: e.Type}
		switch pay.kind {
		case payIntentCreate, payIntentConfirm:
			e.PaymentIntent = pay.failedIntent("last_payment_error", last, chargeID)
		case paySetupCreate, paySetupConfirm:
			last.Charge = ""
			e.SetupIntent = pay.failedIntent("last_setup_error", last, "")
		}
	}
	body, err := json.MarshalIndent(declineBody{Error: e}, "", "  ")
	if err != nil {
		body = []byte(`{"error":{"type":"card_error","code":"card_declined","message":"Your card was declined."}}`)
	}
	var commit func()
	if pay.p.life != nil && pay.kind == payIntentCreate && e.PaymentIntent != nil && chargeID != "" {
		// Stripe keeps an intent created with confirm=true that declines,
		// and its failed charge.
		intent := e.PaymentIntent
		commit = func() {
			ctx := requestContext(pay.p.life.store, pay.req)
			id := payString(intent, "id")
			_, _ = pay.p.life.store.Put(ctx, store.Object{ID: id, Type: "payment_intent", JSON: string(intent)})
			pay.p.life.storeCharge(ctx, chargeRecord{id: chargeID, intent: id, pm: pay.paymentMethodID(), amount: payInt(intent, "amount"),
				currency: payString(intent, "currency"), card: pay.card, failed: &d})
		}
	}
	return &server.Outcome{
		Commit: commit,
		Reason: "declined by " + pay.card.Named(pay.value),
		Decline: &server.APIError{Status: http.StatusPaymentRequired, Type: e.Type, Code: e.Code,
			Message: e.Message, Param: e.Param, Body: string(body) + "\n"},
	}
}

type declineBody struct {
	Error declineError `json:"error"`
}

type declineError struct {
	Charge        string          `json:"charge,omitempty"`
	Code          string          `json:"code"`
	DeclineCode   string          `json:"decline_code,omitempty"`
	DocURL        string          `json:"doc_url"`
	Message       string          `json:"message"`
	Param         string          `json:"param,omitempty"`
	PaymentIntent json.RawMessage `json:"payment_intent,omitempty"`
	PaymentMethod json.RawMessage `json:"payment_method,omitempty"`
	SetupIntent   json.RawMessage `json:"setup_intent,omitempty"`
	Type          string          `json:"type"`
}

// lastError is a PaymentIntent's last_payment_error (a SetupIntent's
// last_setup_error).
type lastError struct {
	Charge        string          `json:"charge,omitempty"`
	Code          string          `json:"code"`
	DeclineCode   string          `json:"decline_code,omitempty"`
	DocURL        string          `json:"doc_url"`
	Message       string          `json:"message"`
	Param         string          `json:"param,omitempty"`
	PaymentMethod json.RawMessage `json:"payment_method,omitempty"`
	Type          string          `json:"type"`
}

// failedIntent is the route's intent as a decline leaves it.
func (pay *payment) failedIntent(errField string, last lastError, chargeID string) json.RawMessage {
	body, err := pay.route.Variant(catalog.Success).Render(pay.req)
	if err != nil {
		return nil
	}
	sets := []setting{str("status", "requires_payment_method"), val(errField, last), null("payment_method"), null("next_action")}
	if errField == "last_payment_error" {
		sets = append(sets, str("latest_charge", chargeID), num("amount_received", 0), num("amount_capturable", 0))
	}
	b := setMembers([]byte(body), sets)
	if !json.Valid(b) {
		return nil
	}
	return b
}

// paymentMethod is the PaymentMethod the value stands for, as JSON.
func (pay *payment) paymentMethod() json.RawMessage {
	if pay.p.pmRoute == nil {
		return nil
	}
	id := pay.paymentMethodID()
	body, err := pay.p.pmRoute.Variant(catalog.Success).Render(&render.Request{
		Method: http.MethodGet, Path: "/v1/payment_methods/" + id, Params: map[string]string{"payment_method": id}})
	if err != nil {
		return nil
	}
	b := setMembers([]byte(body), []setting{str("id", id), str("type", "card")})
	b = setIn(b, "card", pay.cardDetails(pay.card.Card.Brand))
	if !json.Valid(b) {
		return nil
	}
	return b
}

// cardDetails are the card's brand, last4, expiry, funding and country
// as the members of a card object.
func (pay *payment) cardDetails(brand string) []setting {
	c := pay.card.Card
	sets := []setting{
		str("brand", brand), str("last4", c.Last4()), num("exp_month", int64(c.ExpMonth)), num("exp_year", int64(c.ExpYear)),
		str("funding", c.Funding), str("country", c.Country),
	}
	if brand == c.Brand {
		sets = append(sets, str("display_brand", brand))
	}
	return sets
}

// succeed finishes a success body for the card.
func (pay *payment) succeed(body string) string {
	b := view(body) // read only; each change below builds a new buffer
	switch pay.kind {
	case payIntentCreate, payIntentConfirm:
		status := "succeeded"
		if m, _ := pay.req.BodyValue("capture_method"); strings.HasPrefix(m, "manual") {
			status = "requires_capture"
		}
		amount := topInt(b, "amount")
		received, capturable := amount, int64(0)
		if status != "succeeded" {
			received, capturable = 0, amount
		}
		chID := render.NewID("ch")
		if pay.p.life != nil && pay.kind == payIntentCreate {
			pay.p.life.storeCharge(requestContext(pay.p.life.store, pay.req), chargeRecord{id: chID, intent: payString(b, "id"), pm: pay.paymentMethodID(),
				amount: amount, currency: payString(b, "currency"), card: pay.card, uncaptured: status != "succeeded"})
		}
		b = setMembers(b, []setting{
			str("status", status), str("payment_method", pay.paymentMethodID()), str("latest_charge", chID),
			null("last_payment_error"), null("next_action"), num("amount_received", received), num("amount_capturable", capturable),
		})
	case paySetupCreate, paySetupConfirm:
		b = setMembers(b, []setting{str("status", "succeeded"), str("payment_method", pay.paymentMethodID()),
			null("last_setup_error"), null("next_action")})
	case payCharge:
		captured, amountCaptured := "true", topInt(b, "amount")
		if c, _ := pay.req.BodyValue("capture"); c == "false" {
			captured, amountCaptured = "false", 0
		}
		// One pass over the body: the members, payment_method_details' type
		// and its card's details.
		b = setMembersIn(b, []setting{str("status", "succeeded"), {"paid", []byte("true")}, null("failure_code"), null("failure_message"),
			{"captured", []byte(captured)}, num("amount_captured", amountCaptured), num("amount_refunded", 0), {"refunded", []byte("false")},
			chargeBalance(pay.req, captured == "true")},
			[]nestedSet{{key: "payment_method_details", sets: []setting{str("type", "card")},
				in: []nestedSet{{key: "card", sets: pay.cardDetails(pay.card.Card.Brand)}}}})
	case payMethodCreate, payAttach:
		b = setMembers(b, []setting{str("type", "card")})
		b = setIn(b, "card", pay.cardDetails(pay.card.Card.Brand))
	case payToken:
		b = setMembers(b, []setting{str("type", "card")})
		b = setIn(b, "card", pay.cardDetails(pay.card.Card.CardBrand()))
	}
	return textOf(b, body)
}

// requiresAction leaves an intent waiting for 3-D Secure: status
// requires_action with the next_action Stripe gives it (a redirect when
// the request has a return_url, Stripe.js's handling otherwise).
func (pay *payment) requiresAction(body string) string {
	b := []byte(body)
	id := payString(b, "id")
	var next any
	if ret, ok := pay.req.BodyValue("return_url"); ok && ret != "" {
		next = map[string]any{"type": "redirect_to_url", "redirect_to_url": map[string]any{
			"return_url": ret, "url": "https://hooks.stripe.com/3d_secure_2/hosted?merchant=acct_routedeck&payment_intent=" + id,
		}}
	} else {
		next = map[string]any{"type": "use_stripe_sdk", "use_stripe_sdk": map[string]any{
			"type": "three_d_secure_redirect", "stripe_js": "https://hooks.stripe.com/3d_secure_2/hosted?payment_intent=" + id,
			"source": render.NewID("src"),
		}}
	}
	sets := []setting{str("status", "requires_action"), val("next_action", next), str("payment_method", pay.paymentMethodID())}
	if pay.kind == payIntentCreate || pay.kind == payIntentConfirm {
		sets = append(sets, num("amount_received", 0), null("last_payment_error"))
	} else {
		sets = append(sets, null("last_setup_error"))
	}
	return string(setMembers(b, sets))
}

// setting is a member to set: its key and its value as JSON.
type setting struct {
	key string
	val []byte
}

func str(key, s string) setting {
	if plainJSON(s) {
		// What json.Marshal writes for it, without its reflection.
		return setting{key, append(append(append(make([]byte, 0, len(s)+2), '"'), s...), '"')}
	}
	v, _ := json.Marshal(s)
	return setting{key, v}
}

// values holds the values of several settings in one allocation, each a
// slice of it; a value it has no room for is made as str, num and null
// make it, so that a value is never moved once given.
type values struct{ b []byte }

// newValues has room for n bytes of values.
func newValues(n int) values { return values{make([]byte, 0, n)} }

func (v *values) str(key, s string) setting {
	if cap(v.b)-len(v.b) < len(s)+2 || !plainJSON(s) {
		return str(key, s)
	}
	n := len(v.b)
	v.b = append(append(append(v.b, '"'), s...), '"')
	return setting{key, v.b[n:len(v.b):len(v.b)]}
}

func (v *values) num(key string, x int64) setting {
	if cap(v.b)-len(v.b) < 20 {
		return num(key, x)
	}
	n := len(v.b)
	v.b = strconv.AppendInt(v.b, x, 10)
	return setting{key, v.b[n:len(v.b):len(v.b)]}
}

func (v *values) null(key string) setting {
	if cap(v.b)-len(v.b) < len("null") {
		return null(key)
	}
	n := len(v.b)
	v.b = append(v.b, "null"...)
	return setting{key, v.b[n:len(v.b):len(v.b)]}
}

func num(key string, n int64) setting { return setting{key, strconv.AppendInt(nil, n, 10)} }

func null(key string) setting { return setting{key, []byte("null")} }

func val(key string, v any) setting {
	b, err := json.Marshal(v)
	if err != nil {
		b = []byte("null")
	}
	return setting{key, b}
}

// setMembers sets members of the object b in one pass: present ones get
// their new values in place, absent ones are added. Every other byte of b
// (and the members' order) stays as it was. b is returned unchanged when
// it is not a JSON object.
func setMembers(b []byte, sets []setting) []byte { return setMembersIn(b, sets, nil) }

// nestedSet is setMembersIn on the object a member holds: a member that
// is absent or not an object is left as it is (as setIn leaves it).
type nestedSet struct {
	key  string
	sets []setting
	in   []nestedSet
}

// setMembersIn is setMembers that also, in the same pass, sets members of
// the objects nested names (as setIn would, one path at a time). A key
// must not be both in sets and in nested.
func setMembersIn(b []byte, sets []setting, nested []nestedSet) []byte {
	out, ok := appendSetMembersIn(make([]byte, 0, len(b)+64), b, sets, nested)
	if !ok {
		return b
	}
	return out
}

// appendSetMembersIn appends setMembersIn(b, sets, nested) to out, nested
// objects written in place rather than built apart; ok is false (and out
// to be dropped) when b is not an object setMembersIn can read.
func appendSetMembersIn(out, b []byte, sets []setting, nested []nestedSet) ([]byte, bool) {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return out, false
	}
	base := len(out)
	var doneBits uint64 // sets are few
	var nestedDone uint64
	if len(nested) > 64 {
		nested = nested[:64]
	}
	last := 0
	i++
	for {
		i = skipSpace(b, i)
		if i < len(b) && b[i] == '}' {
			break
		}
		if i >= len(b) || b[i] != '"' {
			return out, false
		}
		kend, err := stringEnd(b, i)
		if err != nil {
			return out, false
		}
		k := b[i:kend]
		i = skipSpace(b, kend)
		if i >= len(b) || b[i] != ':' {
			return out, false
		}
		vstart := skipSpace(b, i+1)
		vend, err := valueEnd(b, vstart)
		if err != nil {
			return out, false
		}
		// A key without escapes is its text: compare it directly with
		// each name (keyIs looks for escapes on every miss).
		escaped := bytes.IndexByte(k, '\\') >= 0
		is := func(key string) bool {
			if escaped {
				return keyIs(k, key)
			}
			return len(k) == len(key)+2 && string(k[1:len(k)-1]) == key
		}
		for j, s := range sets {
			if j < 64 && doneBits&(1<<j) == 0 && is(s.key) {
				out = append(out, b[last:vstart]...)
				out = append(out, indentFor(b, vstart, s.val)...)
				last, doneBits = vend, doneBits|1<<j
				break
			}
		}
		for j, n := range nested {
			if nestedDone&(1<<j) == 0 && is(n.key) {
				// The first member of the name, as member finds it.
				nestedDone |= 1 << j
				if b[vstart] == '{' {
					out = append(out, b[last:vstart]...)
					mark := len(out)
					var ok bool
					if out, ok = appendSetMembersIn(out, b[vstart:vend], n.sets, n.in); !ok {
						out = append(out[:mark], b[vstart:vend]...) // left as it is
					}
					last = vend
				}
				break
			}
		}
		i = skipSpace(b, vend)
		if i < len(b) && b[i] == ',' {
			i++
		}
	}
	out = append(out, b[last:]...)
	missing := false
	for j := range sets {
		if j < 64 && doneBits&(1<<j) == 0 {
			missing = true
		}
	}
	if !missing {
		return out, true
	}
	// Absent members are added as addMember adds them, on the object
	// written so far.
	obj := append([]byte(nil), out[base:]...)
	for j, s := range sets {
		if j < 64 && doneBits&(1<<j) == 0 {
			if added, err := addMember(obj, s.key, s.val); err == nil {
				obj = added
			}
		}
	}
	return append(out[:base], obj...), true
}

// setIn is setMembers on the object at a dotted path of b; a path through
// a member that is absent or not an object leaves b as it is.
func setIn(b []byte, path string, sets []setting) []byte {
	key, rest, nested := strings.Cut(path, ".")
	sp, ok, err := member(b, key)
	if err != nil || !ok || b[sp.start] != '{' {
		return b
	}
	inner := b[sp.start:sp.end]
	if nested {
		inner = setIn(inner, rest, sets)
	} else {
		inner = setMembers(inner, sets)
	}
	return splice(b, sp, inner)
}

// payInt is topInt.
func payInt(b []byte, key string) int64 { return topInt(b, key) }

// topInt is the integer value of a top-level member, 0 if none.
func topInt(b []byte, key string) int64 {
	sp, ok, err := member(b, key)
	if err != nil || !ok {
		return 0
	}
	n, _ := strconv.ParseInt(string(b[sp.start:sp.end]), 10, 64)
	return n
}

// payString is the string value of a top-level member, "" if none.
func payString(b []byte, key string) string {
	sp, ok, err := member(b, key)
	if err != nil || !ok {
		return ""
	}
	return stringValue(b, sp)
}

// reasonFor is what the log says of a test value the lifecycle handles.
func reasonFor(tc TestCard, value string) string {
	switch tc.Result {
	case Declines, DeclinesCharge, IncorrectNumber:
		return "declined by " + tc.Named(value)
	case RequiresAction:
		return "3-D Secure required by " + value
	}
	return "test card " + value
}

// topValues reads several top-level members of the object b in one pass:
// strings as their value, other scalars as their JSON text, "" for absent
// or not scalar. Of the first bytes of an object (answerTop) it reads the
// members that end before them.
func topValues(b []byte, keys ...string) []string {
	out := make([]string, len(keys))
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return out
	}
	found := 0
	i++
	for found < len(keys) {
		i = skipSpace(b, i)
		if i >= len(b) || b[i] != '"' {
			return out
		}
		kend, err := stringEnd(b, i)
		if err != nil {
			return out
		}
		k := b[i:kend]
		i = skipSpace(b, kend)
		if i >= len(b) || b[i] != ':' {
			return out
		}
		vstart := skipSpace(b, i+1)
		vend, err := valueEnd(b, vstart)
		if err != nil || vend >= len(b) {
			// A whole object's last value is followed by its '}': one
			// that ends the text may be cut short (a number).
			return out
		}
		name, escaped := k[1:len(k)-1], bytes.IndexByte(k, '\\') >= 0 // keyIs, its scan once per member
		for j, key := range keys {
			if out[j] == "" && (string(name) == key || escaped && keyIs(k, key)) {
				v := b[vstart:vend]
				switch {
				case len(v) >= 2 && v[0] == '"' && bytes.IndexByte(v, '\\') < 0:
					out[j] = string(v[1 : len(v)-1])
				case len(v) > 0 && v[0] == '"':
					out[j] = stringValue(b, span{vstart, vend})
				case len(v) > 0 && v[0] != '{' && v[0] != '[' && string(v) != "null":
					out[j] = string(v)
				}
				found++
				break
			}
		}
		i = skipSpace(b, vend)
		if i < len(b) && b[i] == ',' {
			i++
		}
	}
	return out
}
